"""Tổng quan: the indicators dashboard, the record counts per kind and per commune, and the
targets with their allocation to the units below."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from htx_desktop.i18n import t
from htx_desktop.ui.context import AppContext
from htx_desktop.ui.pages.hub import TabHub


def _dashboard(ctx: AppContext) -> QWidget:
    from htx_desktop.ui.pages import dashboard_page
    return dashboard_page.make_page(ctx)


def _overview(ctx: AppContext) -> QWidget:
    # Imported when the tab is opened: these pages import the store, which the window's
    # start loads only after the first paint (app.run_gui).
    from htx_desktop.ui.pages import overview_page
    return overview_page.make_page(ctx)


def _targets(ctx: AppContext) -> QWidget:
    from htx_desktop.ui.pages import targets_page
    return targets_page.make_page(ctx)


def make_page(ctx: AppContext) -> TabHub:
    return TabHub([
        (t("Chỉ tiêu của Đề án"), lambda: _dashboard(ctx)),
        (t("Số bản ghi theo đơn vị"), lambda: _overview(ctx)),
        (t("Chỉ tiêu và phân bổ"), lambda: _targets(ctx)),
    ])
