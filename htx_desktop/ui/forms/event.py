"""The event form: what, when, where, plan line; topics; funding by source; named attendance
(pick or create people, with their role at the time); counted attendance by category."""

from __future__ import annotations

from typing import Any

from htx_desktop.i18n import t
from htx_desktop.ui.forms.auto import auto_fields
from htx_desktop.ui.forms.base import F, FormDialog


class EventForm(FormDialog):
    KIND = "event"
    TITLE_NEW = t("Thêm tập huấn / sự kiện")
    TITLE_EDIT = t("Sửa tập huấn / sự kiện")

    def fields(self) -> list[F]:
        counted = t("Số người tham dự")
        tabs = {name: counted for name in (
            "count_total", "count_female", "count_ethnic_minority", "count_htx_managers",
            "count_members_workers", "count_cadres", "count_union_members")}
        tabs.update({"topics": t("Chủ đề"), "funding": t("Kinh phí"),
                     "attendance": t("Danh sách tham dự")})
        return auto_fields(self.ctx, self.KIND, tabs)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.resize(880, 600)
