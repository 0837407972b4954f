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

    def prepare_values(self, service: Any, values: dict[str, Any]) -> dict[str, Any]:
        """Attendees pasted as new people are registered first, in the same transaction as
        the event: if anything is refused, nobody is created."""
        rows = values.get("attendance")
        if not isinstance(rows, list) or not any("_new" in r for r in rows):
            return values
        from htx_desktop.domain.validation import FieldError, ValidationError
        out = []
        for i, row in enumerate(rows):
            row = dict(row)
            new = row.pop("_new", None)
            if new is not None:
                try:
                    # chosen as new in the preview, namesakes seen: not a duplicate to refuse
                    person = service.create("person", new, allow_duplicate=True)
                except ValidationError as exc:
                    name = new.get("full_name", "")
                    raise ValidationError([FieldError(
                        f"attendance[{i}].person_id",
                        t("Dòng {row} ({name}): {problem}", row=i + 1, name=name,
                          problem=e.message)) for e in exc.errors]) from exc
                row["person_id"] = str(person.id)
            out.append(row)
        return {**values, "attendance": out}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.resize(880, 600)
        from PySide6.QtGui import QKeySequence, QShortcut
        QShortcut(QKeySequence("Ctrl+Shift+V"), self, self.paste_attendance)

    def attendance_editor(self) -> Any:
        return self.widgets["attendance"]

    def paste_attendance(self) -> None:
        """Ctrl+Shift+V anywhere in the form: the attendee tab, then the paste preview."""
        editor = self.attendance_editor()
        self._reveal(editor)
        editor.paste_sheet()
