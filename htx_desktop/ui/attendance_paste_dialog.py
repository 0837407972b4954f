"""Paste a sign-in sheet into an event: the preview before anything is saved.

Each pasted line is shown with what it will become: a person already registered (with birth
year and commune), a new person (created from what the line gives), a choice among namesakes
(by keyboard: the arrows in the "Người tham dự" cell, Enter moves to the next line to choose),
a repeat of an earlier line, someone already on the list, or a line that cannot be used. Text
typed in the old TCVN3 or VNI encodings is recognised and converted on request. The columns
are guessed (a header line names them) and can be changed once for the whole sheet.

"Lưu" hands the rows to the attendee table, which saves the event with them: the new people
and the attendance in one transaction (`forms/event.py`). The reading and matching live in
`domain/attendance_paste.py`.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QColor, QGuiApplication, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from htx_desktop.domain import attendance_paste as ap
from htx_desktop.domain.catalogues import AttendanceRole
from htx_desktop.domain.vn_legacy import NAMES, convert, detect
from htx_desktop.i18n import t
from htx_desktop.ui.context import AppContext
from htx_desktop.ui.forms.fields import ChoiceField

STATUS_COLOURS = {"matched": "#1e4620", "new": "#0b57d0", "choose": "#8a4b00",
                  "duplicate": "#5f6368", "in_event": "#5f6368", "error": "#b3261e"}
COL_LINE, COL_TEXT, COL_STATUS, COL_PERSON, COL_ROLE = range(5)


class AttendancePasteDialog(QDialog):
    def __init__(self, ctx: AppContext, already: list[str], default_unit_id: int,
                 parent: QWidget | None = None, text: str | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.already = list(already)
        self.default_unit_id = default_unit_id
        self.save_now = True
        self.results: list[ap.LineMatch] = []
        self.known: dict[str, ap.PersonInfo] = {}
        self._rows: list[list[str]] = []
        self._columns: list[str] = []
        self._chosen_columns: list[str] | None = None
        self._communes = dict(ctx.communes)
        self._commune_index = ap.commune_index(ctx.communes)
        self.setWindowTitle(t("Dán danh sách tham dự"))
        layout = QVBoxLayout(self)
        intro = QLabel(t("Dán danh sách ký tên (Ctrl+V) từ Excel, Word hoặc tin nhắn Zalo: mỗi "
                         "người một dòng, gồm họ tên và nếu có: năm sinh, xã/phường, điện "
                         "thoại, vai trò. Xem kết quả bên dưới; chưa có gì được lưu cho tới khi "
                         "bấm Lưu."))
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.text = QPlainTextEdit()
        self.text.setObjectName("pasteText")
        self.text.setPlaceholderText(t("Dán danh sách vào đây…"))
        self.text.setFixedHeight(96)
        self.text.setTabChangesFocus(True)
        layout.addWidget(self.text)
        self.columns_bar = QHBoxLayout()
        layout.addLayout(self.columns_bar)
        self.column_boxes: list[QComboBox] = []

        self.legacy_bar = QFrame()
        self.legacy_bar.setObjectName("legacyBar")
        self.legacy_bar.setStyleSheet("QFrame#legacyBar{background:#fff4e5; border-radius:4px;}")
        legacy_layout = QHBoxLayout(self.legacy_bar)
        self.legacy_label = QLabel()
        self.legacy_label.setWordWrap(True)
        legacy_layout.addWidget(self.legacy_label, 1)
        self.convert_button = QPushButton(t("&Chuyển sang Unicode"))
        self.convert_button.setAutoDefault(False)
        self.convert_button.clicked.connect(self.convert_legacy)
        legacy_layout.addWidget(self.convert_button)
        self.legacy_bar.hide()
        layout.addWidget(self.legacy_bar)

        self.table = QTableWidget(0, 5)
        self.table.setObjectName("pastePreview")
        self.table.setHorizontalHeaderLabels(
            [t("Dòng"), t("Nội dung đã dán"), t("Kết quả"), t("Người tham dự"), t("Vai trò")])
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(30)
        self.table.setWordWrap(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.table.horizontalHeader()
        for col, width in ((COL_LINE, 44), (COL_TEXT, 220), (COL_STATUS, 210),
                           (COL_PERSON, 380)):
            header.resizeSection(col, width)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        layout.addWidget(self.table, 1)

        self.summary = QLabel()
        self.summary.setObjectName("pasteSummary")
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.save_button = QPushButton(t("Lưu"))
        self.save_button.setObjectName("pasteSave")
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self._save)
        self.add_only_button = QPushButton(t("Chỉ thêm vào bảng"))
        self.add_only_button.setToolTip(t("Thêm vào bảng tham dự, lưu sự kiện sau"))
        self.add_only_button.setAutoDefault(False)
        self.add_only_button.clicked.connect(self._add_only)
        cancel = QPushButton(t("Hủy"))
        cancel.setAutoDefault(False)
        cancel.clicked.connect(self.reject)
        for b in (self.save_button, self.add_only_button, cancel):
            buttons.addWidget(b)
        layout.addLayout(buttons)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(300)
        self._timer.timeout.connect(self.reread)
        self.text.textChanged.connect(self._timer.start)
        if text is None:
            clip = QGuiApplication.clipboard().text()
            text = clip if clip.count("\n") >= 1 else ""
        self.resize(1060, 640)
        if text:
            self.text.setPlainText(text)
            self.reread()
        else:
            self.reread()
            self.text.setFocus()

    # ------------------------------------------------------------------ reading

    def reread(self) -> None:
        self._timer.stop()
        rows = ap.split_sheet(self.text.toPlainText())
        header = ap.header_columns(rows[0]) if rows else None
        if header:
            rows = rows[1:]
        self._rows = rows
        width = max((len(r) for r in rows), default=0)
        if self._chosen_columns is not None and len(self._chosen_columns) == width:
            columns = self._chosen_columns
        else:
            self._chosen_columns = None
            columns = header or ap.guess_columns(rows, self._commune_index)
        self._columns = list(columns)
        self._show_columns()
        self._match()

    def _match(self) -> None:
        lines = ap.read_lines(self._rows, self._columns)
        from htx_desktop.store.people_lookup import by_folded_names
        with self.ctx.db.session() as session:
            people = by_folded_names(session, ap.folded_names(lines), self.ctx.unit_ids)
        self.known.update({p.id: p for p in people})
        self.results = ap.match_lines(lines, people, self._commune_index, self.already)
        self._show_legacy()
        self._fill()
        self.focus_next_choice(-1)

    def _show_columns(self) -> None:
        while self.columns_bar.count():
            item = self.columns_bar.takeAt(0)
            if item is not None and item.widget() is not None:
                item.widget().deleteLater()  # type: ignore[union-attr]
        self.column_boxes = []
        if not self._columns:
            return
        self.columns_bar.addWidget(QLabel(t("Các cột:")))
        for i, kind in enumerate(self._columns):
            box = QComboBox()
            box.setObjectName(f"column{i}")
            for k in ap.COLUMN_KINDS:
                box.addItem(t(ap.COLUMN_LABELS[k]), k)
            box.setCurrentIndex(max(0, box.findData(kind)))
            box.currentIndexChanged.connect(
                lambda _i, c=i, b=box: self.set_column(c, b.currentData()))
            self.columns_bar.addWidget(box)
            self.column_boxes.append(box)
        self.columns_bar.addStretch(1)

    def set_column(self, index: int, kind: str) -> None:
        """The officer says what column `index` holds (kept for the whole sheet)."""
        columns = list(self._columns)
        if kind == ap.NAME:  # one name column
            columns = [ap.SKIP if k == ap.NAME else k for k in columns]
        columns[index] = kind
        self._chosen_columns = self._columns = columns
        QTimer.singleShot(0, self._reshow)

    def _reshow(self) -> None:
        self._show_columns()
        self._match()

    def _legacy_lines(self) -> list[ap.PastedLine]:
        return [m.line for m in self.results if m.line.legacy]

    def _show_legacy(self) -> None:
        lines = self._legacy_lines()
        if not lines:
            self.legacy_bar.hide()
            return
        first = lines[0]
        assert first.legacy is not None
        self.legacy_label.setText(t(
            "{n} dòng có vẻ được gõ bằng bảng mã cũ {encoding}, ví dụ dòng {row}: «{raw}» "
            "đọc là «{converted}». Chuyển sang Unicode để dùng được các dòng này?",
            n=len(lines), encoding=NAMES[first.legacy], row=first.number, raw=first.name,
            converted=convert(first.name, first.legacy)))
        self.legacy_bar.show()

    def convert_legacy(self) -> None:
        """Each line of the pasted text that reads as TCVN3 or VNI, in Unicode."""
        out = []
        for line in self.text.toPlainText().split("\n"):
            encoding = detect(line)
            out.append(convert(line, encoding) if encoding else line)
        self.text.setPlainText("\n".join(out))
        self.reread()

    # ------------------------------------------------------------------ the preview

    def _status_text(self, m: ap.LineMatch) -> str:
        status = m.status
        if status == "matched":
            return t("Đã có")
        if status == "new":
            return t("Người mới") + (t(" (có người trùng tên)") if m.candidates else "")
        if status == "choose":
            return t("Cần chọn: {n} người trùng tên", n=len(m.candidates))
        if status == "duplicate":
            return t("Trùng dòng {row}: bỏ qua", row=m.duplicate_of)
        if status == "in_event":
            return t("Đã có trong danh sách: bỏ qua")
        if m.problem == "legacy" and m.line.legacy:
            return t("Bảng mã cũ ({encoding}): cần chuyển",
                     encoding=m.line.legacy.upper())
        return t("Không có họ tên: bỏ qua")

    def _fill(self) -> None:
        self.table.setRowCount(0)
        self.table.setRowCount(len(self.results))
        for row, m in enumerate(self.results):
            self._item(row, COL_LINE, str(m.line.number))
            self._item(row, COL_TEXT, m.line.raw)
            status = self._item(row, COL_STATUS, self._status_text(m))
            status.setForeground(QColor(STATUS_COLOURS[m.status]))
            if m.status in ("matched", "new", "choose"):
                self.table.setCellWidget(row, COL_PERSON, self._choice_box(row, m))
                role = ChoiceField(AttendanceRole.choices(), optional=True)
                role.set_value(m.line.role)
                role.changed.connect(lambda r=role, mm=m: setattr(mm.line, "role", r.value()))
                self.table.setCellWidget(row, COL_ROLE, role)
            else:
                chosen = m.chosen()
                self._item(row, COL_PERSON, ap.label_of(chosen) if chosen else "")
        self._summarise()

    def _item(self, row: int, col: int, text: str) -> QTableWidgetItem:
        item = QTableWidgetItem(text)
        item.setToolTip(text)
        self.table.setItem(row, col, item)
        return item

    def _new_label(self, m: ap.LineMatch) -> str:
        commune = self._communes.get(m.unit_id or self.default_unit_id, "")
        return t("Người mới: {label}", label=ap.person_label(
            ap.tidy_name(m.line.name), m.line.birth_year, commune))

    def _choice_box(self, row: int, m: ap.LineMatch) -> QComboBox:
        box = QComboBox()
        box.setObjectName(f"choice{row}")
        if m.choice is None:
            box.addItem(t("— Chọn người (phím mũi tên) —"), None)
        for person in m.candidates:
            box.addItem(ap.label_of(person), person.id)
        box.addItem(self._new_label(m), ap.NEW)
        box.setCurrentIndex(max(0, box.findData(m.choice)))
        box.currentIndexChanged.connect(lambda _i, b=box, r=row: self.choose(r, b.currentData()))
        return box

    def choose(self, row: int, choice: str | None) -> None:
        """Line `row` is this person, a new one (NEW) or still to choose (None)."""
        m = self.results[row]
        if choice == m.choice:
            return
        m.choice = choice
        ap.mark_repeats(self.results, self.already)
        self._summarise()
        # the cells are rebuilt once the combo box that called has returned
        QTimer.singleShot(0, lambda: self._refresh_after_choice(row))

    def _refresh_after_choice(self, row: int) -> None:
        self._fill()
        box = self.table.cellWidget(row, COL_PERSON)
        if box is not None:
            box.setFocus()
        self.table.setCurrentCell(row, COL_PERSON)

    def _summarise(self) -> None:
        counts = ap.summary(self.results)
        usable = counts["matched"] + counts["new"]
        parts = [t("{n} dòng", n=len(self.results)),
                 t("{n} đã có", n=counts["matched"]), t("{n} người mới", n=counts["new"])]
        if counts["choose"]:
            parts.append(t("{n} cần chọn", n=counts["choose"]))
        if counts["duplicate"]:
            parts.append(t("{n} trùng", n=counts["duplicate"]))
        if counts["in_event"]:
            parts.append(t("{n} đã có trong danh sách", n=counts["in_event"]))
        if counts["error"]:
            parts.append(t("{n} không dùng được", n=counts["error"]))
        text = ", ".join(parts) + "."
        if counts["choose"]:
            text += " " + t("Hãy chọn người cho các dòng «Cần chọn» (phím mũi tên, rồi Enter).")
        self.summary.setText(text)
        self.save_button.setText(t("Lưu {n} người tham dự", n=usable))
        ready = usable > 0 and counts["choose"] == 0
        self.save_button.setEnabled(ready)
        self.add_only_button.setEnabled(ready)

    def focus_next_choice(self, after: int) -> bool:
        """Focus the next line still to choose after row `after`; else the Save button."""
        for row, m in enumerate(self.results):
            if row > after and m.status == "choose":
                box = self.table.cellWidget(row, COL_PERSON)
                if box is not None:
                    self.table.setCurrentCell(row, COL_PERSON)
                    self.table.scrollTo(self.table.model().index(row, COL_PERSON))
                    box.setFocus()
                    return True
        if self.save_button.isEnabled() and self.results:
            self.save_button.setFocus()
        return False

    def keyPressEvent(self, event: QKeyEvent) -> None:
        enter = event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        focus = self.focusWidget()
        if enter and event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            if self.save_button.isEnabled():
                self._save()
            return
        if enter and isinstance(focus, QComboBox) and self.table.isAncestorOf(focus):
            row = next((r for r in range(self.table.rowCount())
                        if self.table.cellWidget(r, COL_PERSON) is focus), -1)
            self.focus_next_choice(row)
            return
        super().keyPressEvent(event)

    # ------------------------------------------------------------------ result

    def rows(self) -> list[dict[str, Any]]:
        """The attendee rows of the usable lines: an existing person's id, or the new
        person's values (`_new`, with `_commune` for showing her)."""
        out: list[dict[str, Any]] = []
        for m in self.results:
            if not m.usable:
                continue
            if m.choice == ap.NEW:
                values = ap.new_person_values(m, self.default_unit_id)
                out.append({"person_id": None, "role": m.line.role, "_new": values,
                            "_commune": self._communes.get(values["unit_id"], "")})
            else:
                out.append({"person_id": m.choice, "role": m.line.role})
        return out

    def _save(self) -> None:
        self.save_now = True
        self.accept()

    def _add_only(self) -> None:
        self.save_now = False
        self.accept()
