"""Tổng quan: the indicators dashboard, the record counts per kind and per commune, and the
targets with their allocation to the units below."""

from __future__ import annotations

from htx_desktop.i18n import t
from htx_desktop.ui.context import AppContext
from htx_desktop.ui.pages.hub import TabHub


def make_page(ctx: AppContext) -> TabHub:
    from htx_desktop.ui.pages import dashboard_page, overview_page, targets_page

    return TabHub([
        (t("Chỉ tiêu của Đề án"), lambda: dashboard_page.make_page(ctx)),
        (t("Số bản ghi theo đơn vị"), lambda: overview_page.make_page(ctx)),
        (t("Chỉ tiêu và phân bổ"), lambda: targets_page.make_page(ctx)),
    ])
