"""Hỗ trợ HTX: support given to cooperatives."""

from __future__ import annotations

from htx_desktop.ui.context import AppContext
from htx_desktop.ui.list_page import ListPage
from htx_desktop.ui.list_specs import support_spec


def make_page(ctx: AppContext) -> ListPage:
    return ListPage(ctx, support_spec())
