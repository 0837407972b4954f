"""Hỗ trợ HTX: support given to cooperatives, and the Union's supervision visits to them."""

from __future__ import annotations

from htx_desktop.i18n import t
from htx_desktop.ui.context import AppContext
from htx_desktop.ui.list_page import ListPage
from htx_desktop.ui.list_specs import supervision_spec, support_spec
from htx_desktop.ui.pages.tabbed import TabbedLists


def make_page(ctx: AppContext) -> TabbedLists:
    return TabbedLists([(t("Hỗ trợ HTX"), ListPage(ctx, support_spec())),
                        (t("Kiểm tra, giám sát"), ListPage(ctx, supervision_spec()))])
