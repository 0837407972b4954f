"""Tập huấn & sự kiện: training sessions, conferences, study visits, …"""

from __future__ import annotations

from htx_desktop.ui.context import AppContext
from htx_desktop.ui.list_page import ListPage
from htx_desktop.ui.list_specs import event_spec


def make_page(ctx: AppContext) -> ListPage:
    return ListPage(ctx, event_spec())
