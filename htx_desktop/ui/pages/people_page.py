"""Nhân sự: people (managers, members, workers, attendees) and Union cadres."""

from __future__ import annotations

from htx_desktop.i18n import t
from htx_desktop.ui.context import AppContext
from htx_desktop.ui.list_page import ListPage
from htx_desktop.ui.list_specs import cadre_spec, person_spec
from htx_desktop.ui.pages.tabbed import TabbedLists


def make_page(ctx: AppContext) -> TabbedLists:
    return TabbedLists([(t("Người (quản lý, thành viên, lao động)"),
                         ListPage(ctx, person_spec())),
                        (t("Cán bộ Hội"), ListPage(ctx, cadre_spec()))])
