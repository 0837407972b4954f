"""Truyền thông & khen thưởng: communication activities and awards."""

from __future__ import annotations

from htx_desktop.i18n import t
from htx_desktop.ui.context import AppContext
from htx_desktop.ui.list_page import ListPage
from htx_desktop.ui.list_specs import award_spec, communication_spec
from htx_desktop.ui.pages.tabbed import TabbedLists


def make_page(ctx: AppContext) -> TabbedLists:
    return TabbedLists([(t("Truyền thông"), ListPage(ctx, communication_spec())),
                        (t("Khen thưởng"), ListPage(ctx, award_spec()))])
