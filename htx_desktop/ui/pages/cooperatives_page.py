"""Hợp tác xã & Tổ hợp tác: the cooperative list, filterable by kind (HTX/THT/Liên hiệp)."""

from __future__ import annotations

from htx_desktop.ui.context import AppContext
from htx_desktop.ui.list_page import ListPage
from htx_desktop.ui.list_specs import cooperative_spec


def make_page(ctx: AppContext) -> ListPage:
    return ListPage(ctx, cooperative_spec())
