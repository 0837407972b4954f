"""Tick several people at once for an event: from a commune, a cooperative (its managers and
workers) or an earlier event's list, narrowed by a search box. Ticks are kept while the filters
change; Space ticks the current row; people already on the list are shown ticked and greyed."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QCompleter,
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from htx_desktop.domain.attendance_paste import PersonInfo
from htx_desktop.i18n import t
from htx_desktop.ui.context import AppContext

LIMIT = 500


class _Table(QTableWidget):
    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Space and self.currentRow() >= 0:
            item = self.item(self.currentRow(), 0)
            if item is not None and item.flags() & Qt.ItemFlag.ItemIsEnabled:
                item.setCheckState(Qt.CheckState.Unchecked if item.checkState()
                                   == Qt.CheckState.Checked else Qt.CheckState.Checked)
            return
        super().keyPressEvent(event)


class PickPeopleDialog(QDialog):
    def __init__(self, ctx: AppContext, already: list[str],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.already = set(already)
        self.ticked: dict[str, PersonInfo] = {}
        self.shown: list[PersonInfo] = []
        self.setWindowTitle(t("Chọn nhiều người tham dự"))
        from htx_desktop.store import people_lookup as pl
        with ctx.db.session() as session:
            events = pl.recent_events(session, ctx.unit_ids)
            coops = pl.cooperatives(session, ctx.unit_ids)
        layout = QVBoxLayout(self)
        grid = QGridLayout()
        self.search = QLineEdit()
        self.search.setObjectName("search")
        self.search.setPlaceholderText(t("Tìm theo tên (gõ không dấu cũng được)…"))
        self.commune = self._combo(t("Tất cả xã/phường"), ctx.communes)
        self.commune.setObjectName("commune")
        self.cooperative = self._combo(t("Tất cả HTX/THT"), coops)
        self.cooperative.setObjectName("cooperative")
        self.cooperative.setEditable(True)
        self.cooperative.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        completer = self.cooperative.completer()
        if completer is not None:
            completer.setFilterMode(Qt.MatchFlag.MatchContains)
            completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.event_box = self._combo(t("Không lọc theo sự kiện"), events)
        self.event_box.setObjectName("event")
        for row, (label, widget) in enumerate((
                (t("Tìm:"), self.search), (t("Xã/phường:"), self.commune),
                (t("HTX/THT:"), self.cooperative),
                (t("Người đã dự sự kiện:"), self.event_box))):
            grid.addWidget(QLabel(label), row, 0)
            grid.addWidget(widget, row, 1)
        layout.addLayout(grid)
        self.table = _Table(0, 5)
        self.table.setObjectName("people")
        self.table.setHorizontalHeaderLabels(
            [t("Họ và tên"), t("Năm sinh"), t("Xã/phường"), t("Điện thoại"), ""])
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.table.horizontalHeader()
        for col, width in enumerate((260, 80, 180, 120)):
            header.resizeSection(col, width)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        self.table.itemChanged.connect(self._ticked)
        layout.addWidget(self.table, 1)
        self.info = QLabel()
        self.info.setObjectName("pickInfo")
        layout.addWidget(self.info)
        buttons = QHBoxLayout()
        tick_all = QPushButton(t("Đánh dấu tất cả"))
        tick_all.setAutoDefault(False)
        tick_all.clicked.connect(lambda: self.tick_all(True))
        untick = QPushButton(t("Bỏ đánh dấu"))
        untick.setAutoDefault(False)
        untick.clicked.connect(lambda: self.tick_all(False))
        buttons.addWidget(tick_all)
        buttons.addWidget(untick)
        buttons.addStretch(1)
        self.ok = QPushButton(t("Thêm"))
        self.ok.setObjectName("pickAdd")
        self.ok.setDefault(True)
        self.ok.clicked.connect(self.accept)
        cancel = QPushButton(t("Hủy"))
        cancel.setAutoDefault(False)
        cancel.clicked.connect(self.reject)
        buttons.addWidget(self.ok)
        buttons.addWidget(cancel)
        layout.addLayout(buttons)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(200)
        self._timer.timeout.connect(self.refresh)
        self.search.textChanged.connect(self._timer.start)
        for box in (self.commune, self.cooperative, self.event_box):
            box.currentIndexChanged.connect(self._timer.start)
        self.resize(820, 560)
        self.refresh()
        self._update_info()

    @staticmethod
    def _combo(first: str, items: Sequence[tuple[Any, str]]) -> QComboBox:
        box = QComboBox()
        box.addItem(first, None)
        for value, label in items:
            box.addItem(label, value)
        box.setMinimumContentsLength(30)
        box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        return box

    def refresh(self) -> None:
        self._timer.stop()
        from htx_desktop.store.people_lookup import filtered
        unit = self.commune.currentData()
        with self.ctx.db.session() as session:
            self.shown = filtered(
                session, self.ctx.unit_ids, text=self.search.text(),
                unit_id=int(unit) if unit is not None else None,
                cooperative_id=self.cooperative.currentData(),
                event_id=self.event_box.currentData(), limit=LIMIT + 1)
        more = len(self.shown) > LIMIT
        self.shown = self.shown[:LIMIT]
        self.table.blockSignals(True)
        self.table.setRowCount(len(self.shown))
        for row, p in enumerate(self.shown):
            name = QTableWidgetItem(p.full_name)
            listed = p.id in self.already
            name.setFlags(Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsSelectable
                          | (Qt.ItemFlag.NoItemFlags if listed else Qt.ItemFlag.ItemIsEnabled))
            name.setCheckState(Qt.CheckState.Checked if listed or p.id in self.ticked
                               else Qt.CheckState.Unchecked)
            if listed:
                name.setToolTip(t("Đã có trong danh sách tham dự"))
            self.table.setItem(row, 0, name)
            for col, text in enumerate((str(p.birth_year or ""), p.commune, p.phone or ""),
                                       start=1):
                self.table.setItem(row, col, QTableWidgetItem(text))
        self.table.blockSignals(False)
        self.more = more
        self._update_info()

    def _ticked(self, item: QTableWidgetItem) -> None:
        if item.column() != 0 or item.row() >= len(self.shown):
            return
        person = self.shown[item.row()]
        if item.checkState() == Qt.CheckState.Checked:
            self.ticked[person.id] = person
        else:
            self.ticked.pop(person.id, None)
        self._update_info()

    def tick_all(self, on: bool) -> None:
        for row in range(self.table.rowCount()):
            item = self.table.item(row, 0)
            if item is not None and item.flags() & Qt.ItemFlag.ItemIsEnabled:
                item.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)

    def _update_info(self) -> None:
        shown = t("Hiện {n} người", n=len(self.shown))
        if getattr(self, "more", False):
            shown += t(" (còn nữa: hãy lọc thêm)")
        self.info.setText(t("{shown}; đã đánh dấu {k} người.", shown=shown, k=len(self.ticked)))
        self.ok.setText(t("Thêm {n} người", n=len(self.ticked)))
        self.ok.setEnabled(bool(self.ticked))

    def chosen_people(self) -> list[PersonInfo]:
        return sorted(self.ticked.values(), key=lambda p: (p.full_name, p.id))
