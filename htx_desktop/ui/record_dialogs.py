"""Dialogs around a list: the trash (restore), a record's change history, and the search
dialog that picks a person, cooperative or event for a form."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from htx_desktop.i18n import t
from htx_desktop.ui.context import AppContext
from htx_desktop.ui.formatting import fmt_date
from htx_desktop.ui.list_specs import SPEC_FACTORIES, ListSpec
from htx_desktop.ui.record_table import RecordTable
from htx_desktop.ui.table_model import LazyTableModel

ACTIONS = {"create": "Tạo mới", "update": "Sửa", "delete": "Xóa (vào thùng rác)",
           "restore": "Khôi phục", "import": "Nhận từ báo cáo"}


class TrashDialog(QDialog):
    def __init__(self, ctx: AppContext, spec: ListSpec, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.spec = ctx, spec
        self.restored = 0
        self.setWindowTitle(t("Thùng rác — {title}", title=spec.title))
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(t("Các hồ sơ đã xóa. Chọn một hồ sơ và bấm \"Khôi phục\".")))
        self.table = RecordTable()
        self.model = LazyTableModel(ctx.db.engine, spec, ctx.unit_ids)
        self.model.show_deleted = True
        self.table.setModel(self.model)
        for i, c in enumerate(spec.columns):
            self.table.horizontalHeader().resizeSection(i, c.width)
        self.model.refresh()
        layout.addWidget(self.table, 1)
        buttons = QHBoxLayout()
        self.restore_button = QPushButton(t("Khôi phục"))
        self.restore_button.clicked.connect(self.restore_current)
        close = QPushButton(t("Đóng"))
        close.clicked.connect(self.accept)
        buttons.addWidget(self.restore_button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout.addLayout(buttons)
        if self.model.rowCount():
            self.table.selectRow(0)
        self.resize(820, 420)

    def restore_current(self) -> None:
        index = self.table.currentIndex()
        record_id = self.model.record_id(index.row()) if index.isValid() else None
        if record_id is None:
            return
        from htx_desktop.store.service import RecordService
        from htx_desktop.ui.reason_dialog import run_with_reason

        def restore(reason: str | None) -> None:
            with self.ctx.db.session() as session:
                RecordService(session, self.ctx.officer).restore(self.spec.kind, record_id,
                                                                 reason=reason)

        # A record of a period already sent up asks why (issue #7 point 4).
        if not run_with_reason(self, restore):
            return
        self.restored += 1
        self.model.refresh()


class HistoryDialog(QDialog):
    def __init__(self, ctx: AppContext, kind: str, record_id: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(t("Lịch sử thay đổi"))
        from htx_desktop.store.service import RecordService
        with ctx.db.session() as session:
            entries = [(e.at, e.officer, e.action, dict(e.changes or {}), e.reason)
                       for e in RecordService(session, ctx.officer).history(kind, record_id)]
        layout = QVBoxLayout(self)
        self.table = QTableWidget(len(entries), 4)
        self.table.setHorizontalHeaderLabels(
            [t("Thời điểm"), t("Người thực hiện"), t("Thao tác"), t("Thay đổi")])
        for row, (at, officer, action, changes, reason) in enumerate(entries):
            detail = "; ".join(f"{k}: {_short(v)}" for k, v in changes.items())
            if reason:
                detail = f"{reason}. {detail}"
            for col, text in enumerate((fmt_date(at), officer or "",
                                        t(ACTIONS.get(action, action)), detail)):
                self.table.setItem(row, col, QTableWidgetItem(text))
        header = self.table.horizontalHeader()
        for i, w in enumerate((130, 150, 140)):
            header.resizeSection(i, w)
        header.setStretchLastSection(True)
        layout.addWidget(self.table, 1)
        close = QPushButton(t("Đóng"))
        close.clicked.connect(self.accept)
        layout.addWidget(close)
        self.resize(820, 380)


def _short(value: Any) -> str:
    if isinstance(value, list | tuple) and len(value) == 2:
        old, new = value
        return f"{_text(old)} → {_text(new)}"
    return _text(value)


def _text(value: Any) -> str:
    text = "—" if value in (None, "") else str(value)
    return text if len(text) <= 40 else text[:39] + "…"


class PickerDialog(QDialog):
    """Search a list and choose one record; `choose()` gives (id, display name) or None.

    Enter in the search box takes the one match; with several it moves to the list (the first
    row current) so that the arrows and Enter choose; "Chọn" with no row chosen says so instead
    of closing empty. A person is returned with her birth year and commune (namesakes)."""

    NAME_COLUMN = 0

    def __init__(self, ctx: AppContext, kind: str, parent: QWidget | None = None,
                 search: str = "") -> None:
        super().__init__(parent)
        self.ctx, self.kind = ctx, kind
        spec = SPEC_FACTORIES[kind]()
        self.setWindowTitle(t("Chọn: {title}", title=spec.title))
        layout = QVBoxLayout(self)
        self.search = QLineEdit()
        self.search.setObjectName("search")
        self.search.setPlaceholderText(t("Tìm kiếm (gõ không dấu cũng được)…"))
        layout.addWidget(self.search)
        self.table = RecordTable()
        self.model = LazyTableModel(ctx.db.engine, spec, ctx.unit_ids)
        self.table.setModel(self.model)
        for i, c in enumerate(spec.columns):
            self.table.horizontalHeader().resizeSection(i, c.width)
        if search:
            self.search.setText(search)
            self.model.set_search(search)
        else:
            self.model.refresh()
        layout.addWidget(self.table, 1)
        self.hint = QLabel()
        self.hint.setObjectName("pickerHint")
        self.hint.setStyleSheet("color:#8c1d18;")
        self.hint.hide()
        layout.addWidget(self.hint)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(150)
        self._timer.timeout.connect(self._apply_search)
        self.search.textChanged.connect(lambda _t: self._timer.start())
        self.search.returnPressed.connect(self._search_entered)
        self.table.activated_row.connect(lambda _r: self.accept())
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        ok = QPushButton(t("Chọn"))
        ok.setAutoDefault(False)
        ok.clicked.connect(self.accept)
        cancel = QPushButton(t("Hủy"))
        cancel.setAutoDefault(False)
        cancel.clicked.connect(self.reject)
        buttons.addWidget(ok)
        buttons.addWidget(cancel)
        layout.addLayout(buttons)
        self.resize(760, 460)

    def _apply_search(self) -> None:
        self._timer.stop()
        self.model.set_search(self.search.text())

    def _search_entered(self) -> None:
        self._apply_search()
        rows = self.model.rowCount()
        if rows == 1:
            self.table.setCurrentIndex(self.model.index(0, 0))
            self.accept()
        elif rows > 1:
            self.table.setCurrentIndex(self.model.index(0, 0))
            self.table.setFocus()
            self._say(t("Có {n} kết quả: chọn một dòng bằng phím mũi tên rồi bấm Enter.",
                        n=rows))
        else:
            self._say(t("Không tìm thấy. Hãy gõ lại tên (gõ không dấu cũng được)."))

    def _say(self, text: str) -> None:
        self.hint.setText(text)
        self.hint.show()

    def accept(self) -> None:
        if self.chosen() is None:
            if self.model.rowCount():
                self.table.setCurrentIndex(self.model.index(0, 0))
                self.table.setFocus()
                self._say(t("Chưa chọn dòng nào: chọn một dòng bằng phím mũi tên rồi bấm "
                            "Enter."))
            else:
                self._say(t("Không có dòng nào để chọn. Hãy gõ lại tên."))
            return
        super().accept()

    def chosen(self) -> tuple[str, str] | None:
        index = self.table.currentIndex()
        if not index.isValid():
            if self.model.rowCount() == 1:
                index = self.model.index(0, 0)
            else:
                return None
        record_id = self.model.record_id(index.row())
        if record_id is None:
            return None
        name = str(self.model.data(self.model.index(index.row(), self.NAME_COLUMN)))
        if self.kind == "person":
            name = person_text(self.ctx, str(record_id)) or name
        return str(record_id), name

    @classmethod
    def choose(cls, ctx: AppContext, kind: str, parent: QWidget | None = None,
               search: str = "") -> tuple[str, str] | None:
        dialog = cls(ctx, kind, parent, search)
        _open_pickers.append(dialog)
        try:
            return dialog.chosen() if dialog.exec() == QDialog.DialogCode.Accepted else None
        finally:
            _open_pickers.remove(dialog)


def person_text(ctx: AppContext, person_id: str) -> str:
    """A person as shown where namesakes must be told apart: "Bàn Thị Hải (1987, Xã Tân
    Cương)"; "" when not found."""
    from htx_desktop.domain.attendance_paste import label_of
    from htx_desktop.store.people_lookup import by_ids
    with ctx.db.session() as session:
        info = by_ids(session, [person_id]).get(person_id)
    return label_of(info) if info else ""


_open_pickers: list[PickerDialog] = []
