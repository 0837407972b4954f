"""Việc làm: women placed in jobs in cooperatives."""

from __future__ import annotations

from htx_desktop.ui.context import AppContext
from htx_desktop.ui.list_page import ListPage
from htx_desktop.ui.list_specs import job_spec


def make_page(ctx: AppContext) -> ListPage:
    return ListPage(ctx, job_spec())
