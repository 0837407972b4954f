"""The event's attendee table, made for speed (issue #16).

- The last row is always empty: type a name there, pick a suggestion (name, birth year,
  commune) or press Enter: one match is taken, several open the choice (the picker, searched
  for what was typed), none offers to register a new person. The next empty row is then
  scrolled to and focused.
- "Dán danh sách…" reads a pasted sign-in sheet (`attendance_paste_dialog.py`); "Chọn
  nhiều…" ticks people from a commune, a cooperative or an earlier event
  (`pick_people_dialog.py`).
- A person already on the list is refused at once, with a message saying on which row.
- People are shown with birth year and commune, so namesakes are told apart.
- Rows pasted as new people carry the new person's values (`_new`) until the event is saved:
  the form creates them and the attendance in one transaction (`EventForm.prepare_values`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QCompleter,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from htx_desktop.domain.attendance_paste import PersonInfo, label_of, person_label
from htx_desktop.domain.catalogues import AttendanceRole
from htx_desktop.domain.text import fold, has_diacritics, match_key
from htx_desktop.i18n import t
from htx_desktop.ui.context import AppContext
from htx_desktop.ui.forms.fields import ChoiceField
from htx_desktop.ui.forms.rows import RowColumn, RowsEditor

SUGGESTIONS = 12
PERSON_ROLE = Qt.ItemDataRole.UserRole + 1


def suggest(ctx: AppContext, text: str, limit: int = SUGGESTIONS) -> list[PersonInfo]:
    from htx_desktop.store.people_lookup import search
    with ctx.db.session() as session:
        return search(session, text, ctx.unit_ids, limit)


class _NameEdit(QLineEdit):
    """A line edit that keeps Enter for itself (the form would move to the next field)."""

    entered = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not event.modifiers() & (
                Qt.KeyboardModifier.ControlModifier):
            event.accept()
            self.entered.emit()
            return
        super().keyPressEvent(event)


class PersonEntry(QWidget):
    """One attendee: typed with suggestions, or chosen in the picker; or a new person still to
    be created (from a pasted line). value(): the person's id or None."""

    changed = Signal()
    chosen = Signal()  # a person was chosen (or set new): the editor moves on

    def __init__(self, ctx: AppContext, lookup: Callable[[str], PersonInfo | None]) -> None:
        super().__init__()
        self.ctx, self._lookup = ctx, lookup
        self._id: str | None = None
        self._new: dict[str, Any] | None = None
        self._label = ""
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        self.edit = _NameEdit()
        self.edit.setObjectName("attendeeName")
        self.edit.setPlaceholderText(t("Gõ họ tên rồi Enter…"))
        layout.addWidget(self.edit, 1)
        self.choose_button = QToolButton()
        self.choose_button.setText(t("Chọn…"))
        self.choose_button.setToolTip(t("Tìm trong danh sách nhân sự"))
        self.choose_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.choose_button.clicked.connect(self.open_picker)
        layout.addWidget(self.choose_button)
        self.setFocusProxy(self.edit)
        self._suggestions = QStandardItemModel(self)
        self.completer = QCompleter(self._suggestions, self)
        self.completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self.completer.setWidget(self.edit)
        self.completer.activated[QModelIndex].connect(  # type: ignore[index]
            self._suggestion_chosen)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(200)
        self._timer.timeout.connect(self.refresh_suggestions)
        self.edit.textEdited.connect(self._edited)
        self.edit.entered.connect(self.enter)

    # ------------------------------------------------------------------ state

    def value(self) -> str | None:
        return self._id

    def new_values(self) -> dict[str, Any] | None:
        return self._new

    def text(self) -> str:
        return self.edit.text().strip()

    def is_empty(self) -> bool:
        return self._id is None and self._new is None and not self.text()

    def set_value(self, value: Any) -> None:
        info = self._lookup(str(value)) if value else None
        if info is not None:
            self.set_person(info, emit=False)
        else:
            self._set(str(value) if value else None, None, "")

    def set_person(self, info: PersonInfo, emit: bool = True) -> None:
        self._set(info.id, None, label_of(info))
        if emit:
            self.chosen.emit()

    def set_new(self, values: dict[str, Any], commune: str = "") -> None:
        label = person_label(str(values.get("full_name", "")), values.get("birth_year"),
                             commune)
        self._set(None, dict(values), t("{label} — người mới", label=label))

    def clear(self) -> None:
        self._set(None, None, "")

    def _set(self, person_id: str | None, new: dict[str, Any] | None, label: str) -> None:
        self._id, self._new, self._label = person_id, new, label
        self.edit.setText(label)
        self.edit.setStyleSheet("color:#0b57d0;" if new else "")
        self.edit.setToolTip(label)
        self.edit.setCursorPosition(0)
        self.changed.emit()

    # ------------------------------------------------------------------ typing

    def _edited(self, _text: str) -> None:
        if self._id is not None or self._new is not None:
            self._id, self._new, self._label = None, None, ""
            self.edit.setStyleSheet("")
            self.changed.emit()
        self._timer.start()

    def refresh_suggestions(self) -> None:
        self._timer.stop()
        text = self.text()
        self._suggestions.clear()
        if len(fold(text)) < 2:
            self._hide_popup()
            return
        for info in suggest(self.ctx, text):
            item = QStandardItem(label_of(info))
            item.setData(info, PERSON_ROLE)
            self._suggestions.appendRow(item)
        if self._suggestions.rowCount() and self.edit.hasFocus():
            self.completer.complete()
        else:
            self._hide_popup()

    def _hide_popup(self) -> None:
        popup = self.completer.popup()
        if popup is not None:
            popup.hide()

    def _suggestion_chosen(self, index: QModelIndex) -> None:
        info = index.data(PERSON_ROLE)
        if isinstance(info, PersonInfo):
            QTimer.singleShot(0, lambda: self.set_person(info))

    def enter(self) -> None:
        """Enter: keep what is chosen and move on; else take the one match, choose among
        several in the picker, or offer to register a new person."""
        self._timer.stop()
        self._hide_popup()
        text = self.text()
        if self._id is not None or self._new is not None or not text:
            self.chosen.emit()
            return
        found = suggest(self.ctx, text, limit=50)
        same = [p for p in found if (match_key(p.full_name) == match_key(text)
                                     if has_diacritics(text) else
                                     fold(p.full_name) == fold(text))]
        if len(same) == 1 and (len(found) == 1 or has_diacritics(text)):
            self.set_person(same[0])
        elif len(found) == 1:
            self.set_person(found[0])
        elif found:
            self.open_picker()
        else:
            self.offer_new(text)

    def open_picker(self) -> None:
        from htx_desktop.ui.record_dialogs import PickerDialog
        picked = PickerDialog.choose(self.ctx, "person", self, search=self.text())
        if picked:
            info = self._lookup(picked[0])
            if info is not None:
                self.set_person(info)

    def offer_new(self, text: str) -> None:
        from htx_desktop.domain.attendance_paste import tidy_name
        from htx_desktop.ui.dialogs import ask_yes_no
        name = tidy_name(text)
        if not ask_yes_no(self, t("Người mới?"),
                          t("Chưa có ai tên «{name}» trong danh sách nhân sự. "
                            "Thêm người mới?", name=name)):
            return
        from htx_desktop.ui.forms.opener import open_form
        form = self.window()
        unit = getattr(getattr(form, "widgets", {}).get("unit_id"), "value", lambda: None)()
        values = {"full_name": name, "gender": "female",
                  "unit_id": unit or self.ctx.home_unit_id}
        saved = open_form(self.ctx, "person", None, values=values, parent=self)
        if saved:
            info = self._lookup(saved)
            if info is not None:
                self.set_person(info)


class AttendanceEditor(RowsEditor):
    """The attendee rows (see the module's notes)."""

    def __init__(self, ctx: AppContext, title: Callable[[str, str], str]) -> None:
        self.ctx = ctx
        self._cache: dict[str, PersonInfo] = {}
        columns = [
            RowColumn("person_id", t("Họ và tên (năm sinh, xã/phường)"),
                      lambda: PersonEntry(ctx, self.person), 420),
            RowColumn("role", t("Vai trò"),
                      lambda: ChoiceField(AttendanceRole.choices(), optional=True), 230),
        ]
        super().__init__(columns, t("Thêm dòng"))
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.table.setMinimumHeight(220)
        self.table.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.message = QLabel()
        self.message.setObjectName("attendanceMessage")
        self.message.setWordWrap(True)
        self.message.hide()
        layout = self.layout()
        assert isinstance(layout, QVBoxLayout)
        layout.insertWidget(1, self.message)
        item = layout.itemAt(layout.count() - 1)
        buttons = item.layout() if item is not None else None
        assert isinstance(buttons, QHBoxLayout)
        self.paste_button = _button(t("Dán danh sách…"),
                                         t("Dán danh sách ký tên từ Excel, Word, Zalo "
                                           "(Ctrl+Shift+V)"))
        self.paste_button.clicked.connect(self.paste_sheet)
        self.pick_button = _button(t("Chọn nhiều…"),
                                        t("Đánh dấu nhiều người theo xã, HTX hoặc một sự kiện "
                                          "trước"))
        self.pick_button.clicked.connect(self.pick_many)
        self.count_label = QLabel()
        self.count_label.setObjectName("attendanceCount")
        buttons.insertWidget(2, self.paste_button)
        buttons.insertWidget(3, self.pick_button)
        buttons.addWidget(self.count_label)
        self.changed.connect(self._count)
        self.add_row()

    def showEvent(self, event: Any) -> None:
        """The tab shown: the cursor waits in the empty row, ready to type a name."""
        super().showEvent(event)
        QTimer.singleShot(0, lambda: self.focus_row(self.empty_row()))

    # ------------------------------------------------------------------ people

    def person(self, person_id: str) -> PersonInfo | None:
        if person_id not in self._cache:
            from htx_desktop.store.people_lookup import by_ids
            with self.ctx.db.session() as session:
                self._cache.update(by_ids(session, [person_id]))
        return self._cache.get(person_id)

    def entry(self, row: int) -> PersonEntry:
        widget = self.cell(row, "person_id")
        assert isinstance(widget, PersonEntry)
        return widget

    def person_ids(self) -> list[str]:
        return [pid for r in range(self.table.rowCount()) if (pid := self.entry(r).value())]

    # ------------------------------------------------------------------ rows

    def add_row(self, values: dict[str, Any] | None = None, focus: bool = True) -> int:
        values = dict(values or {})
        new = values.pop("_new", None)
        row = super().add_row(values)
        entry = self.entry(row)
        if new:
            entry.set_new(new, str(values.get("_commune", "") or ""))
        self._extras[row].pop("_commune", None)
        entry.chosen.connect(lambda e=entry: self._entry_chosen(e))
        if focus:
            self.focus_row(row)
        return row

    def focus_row(self, row: int) -> None:
        self.table.setCurrentCell(row, 0)
        self.table.scrollTo(self.table.model().index(row, 0))
        self.entry(row).edit.setFocus()

    def empty_row(self) -> int:
        """The trailing empty row (added when there is none)."""
        last = self.table.rowCount() - 1
        if last >= 0 and self.entry(last).is_empty():
            return last
        return self.add_row(focus=False)

    def _row_of(self, entry: PersonEntry) -> int:
        for r in range(self.table.rowCount()):
            if self.table.cellWidget(r, 0) is entry:
                return r
        return -1

    def _entry_chosen(self, entry: PersonEntry) -> None:
        row = self._row_of(entry)
        pid = entry.value()
        if pid is not None:
            for r in range(self.table.rowCount()):
                if r != row and self.entry(r).value() == pid:
                    info = self.person(pid)
                    self.say(t("{person} đã có ở dòng {row}: một người chỉ ghi một lần trong "
                               "danh sách tham dự.",
                               person=label_of(info) if info else pid, row=r + 1), error=True)
                    entry.clear()
                    entry.edit.setFocus()
                    return
        self.message.hide()
        if entry.is_empty():
            return
        self.focus_row(self.empty_row())

    def remove_current(self) -> None:
        super().remove_current()
        self.empty_row()

    def say(self, text: str, error: bool = False) -> None:
        self.message.setText(text)
        self.message.setStyleSheet("color:#8c1d18; background:#fdecea; padding:4px;" if error
                                   else "color:#1e4620; background:#e6f4ea; padding:4px;")
        self.message.show()

    def _count(self) -> None:
        n = sum(1 for r in range(self.table.rowCount()) if not self.entry(r).is_empty())
        self.count_label.setText(t("{n} người", n=n))

    # ------------------------------------------------------------------ values

    def value(self) -> list[dict[str, Any]]:
        rows = []
        for row, values in zip(range(self.table.rowCount()), super().value(), strict=True):
            entry = self.entry(row)
            if entry.is_empty():
                continue
            new = entry.new_values()
            if new is not None:
                values["_new"] = dict(new)
            rows.append(values)
        return rows

    def set_value(self, rows: Any) -> None:
        rows = list(rows or [])
        from htx_desktop.store.people_lookup import by_ids
        ids = [str(r["person_id"]) for r in rows if isinstance(r, dict) and r.get("person_id")]
        if ids:
            with self.ctx.db.session() as session:
                self._cache.update(by_ids(session, ids))
        self.table.setRowCount(0)
        self._extras.clear()
        for values in rows:
            self.add_row(values, focus=False)
        self.add_row(focus=False)
        self.table.scrollToTop()

    def add_people(self, rows: Iterable[dict[str, Any]]) -> tuple[int, int]:
        """Rows from the paste or the multiple choice, at the end (before the empty row):
        (added, already on the list)."""
        present = set(self.person_ids())
        added = skipped = 0
        last = self.table.rowCount() - 1
        if last >= 0 and self.entry(last).is_empty():
            self.table.removeRow(last)
            del self._extras[last]
        for values in rows:
            pid = values.get("person_id")
            if pid and pid in present:
                skipped += 1
                continue
            if pid:
                present.add(pid)
            self.add_row(values, focus=False)
            added += 1
        self.focus_row(self.empty_row())
        if skipped:
            self.say(t("Đã thêm {n} người; {k} người đã có trong danh sách nên không thêm lại.",
                       n=added, k=skipped))
        else:
            self.say(t("Đã thêm {n} người vào danh sách tham dự.", n=added))
        return added, skipped

    # ------------------------------------------------------------------ paste, pick many

    def _unit_id(self) -> int:
        form = self.window()
        widget = getattr(form, "widgets", {}).get("unit_id")
        unit = widget.value() if widget is not None else None
        return int(unit) if unit else self.ctx.home_unit_id

    def paste_sheet(self) -> None:
        from htx_desktop.ui.attendance_paste_dialog import AttendancePasteDialog
        dialog = AttendancePasteDialog(self.ctx, self.person_ids(), self._unit_id(), self)
        if dialog.exec() != AttendancePasteDialog.DialogCode.Accepted:
            return
        self._cache.update(dialog.known)
        self.add_people(dialog.rows())
        from htx_desktop.ui.forms.base import FormDialog
        form = self.window()
        if isinstance(form, FormDialog) and dialog.save_now:
            form.save()  # one confirmation: the new people and the attendance, one transaction

    def pick_many(self) -> None:
        from htx_desktop.ui.pick_people_dialog import PickPeopleDialog
        dialog = PickPeopleDialog(self.ctx, self.person_ids(), self)
        if dialog.exec() != PickPeopleDialog.DialogCode.Accepted:
            return
        people = dialog.chosen_people()
        self._cache.update({p.id: p for p in people})
        self.add_people({"person_id": p.id} for p in people)


def _button(text: str, tip: str) -> QPushButton:
    button = QPushButton(text)
    button.setToolTip(tip)
    button.setAutoDefault(False)
    return button
