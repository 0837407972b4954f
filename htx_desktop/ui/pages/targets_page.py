"""Tổng quan → Chỉ tiêu và phân bổ: the home unit's own targets (read only), and the count
targets it gives to each unit directly below it for 2025 or 2030, with the sum checked
against its own target as the officer types. Saving writes every change in one transaction
(`store/targets.py` checks each value and logs it)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont, QIntValidator
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from htx_desktop.domain.indicator_specs import codes
from htx_desktop.i18n import t
from htx_desktop.reports.labels import indicator_name
from htx_desktop.store.models import Unit
from htx_desktop.store.targets import (
    COUNT_INDICATORS,
    TARGET_YEARS,
    YEARLY_INDICATOR,
    TargetError,
    allocate_target,
    allocations,
    gap_note,
    own_targets,
    units_below,
)
from htx_desktop.ui.context import AppContext
from htx_desktop.ui.dialogs import show_message
from htx_desktop.ui.formatting import fmt_int

_GAP_BRUSH = QBrush(QColor("#fde2e1"))
_OK_BRUSH = QBrush(QColor("#e3f4e1"))
_READ_ONLY = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable


class _WholeNumberDelegate(QStyledItemDelegate):
    """Cells take whole numbers ≥ 0 or nothing (nothing: no target given to that unit)."""

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem,
                     index: Any) -> QWidget:
        editor = QLineEdit(parent)
        editor.setValidator(QIntValidator(0, 10_000_000, editor))
        return editor


def _parse(text: str) -> int | None:
    digits = text.replace(".", "").strip()
    return int(digits) if digits.isdigit() else None


def _shown(value: float | None, unit: str = "count") -> str:
    if value is None:
        return "—"
    text = fmt_int(value) if value == int(value) else f"{value:g}".replace(".", ",")
    return text + " %" if unit == "percent" else text


class TargetsPage(QWidget):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.children_units: list[tuple[int, str]] = []
        self.saved: dict[tuple[int, str, int | None], float] = {}
        self.own: dict[tuple[str, int | None], float] = {}
        self.level = ""
        self.shown_year = TARGET_YEARS[0]  # the year whose cells the table holds
        # Unsaved edits of the year not shown, kept when the officer switches year.
        self.stash: dict[tuple[int, str, int], int | None] = {}
        self._loading = False
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        self.heading = QLabel()
        self.heading.setStyleSheet("font-size: 15pt; font-weight: bold;")
        layout.addWidget(self.heading)
        self.own_title = QLabel()
        self.own_title.setStyleSheet("font-weight: bold;")
        layout.addWidget(self.own_title)
        self.own_table = QTableWidget()
        self.own_table.setObjectName("own_targets")
        self.own_table.verticalHeader().hide()
        self.own_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        layout.addWidget(self.own_table)

        bar = QHBoxLayout()
        self.alloc_title = QLabel()
        self.alloc_title.setStyleSheet("font-weight: bold;")
        bar.addWidget(self.alloc_title)
        bar.addStretch(1)
        bar.addWidget(QLabel(t("Năm chỉ tiêu:")))
        self.year_box = QComboBox()
        for year in TARGET_YEARS:
            self.year_box.addItem(str(year), year)
        self.year_box.currentIndexChanged.connect(self._year_changed)
        bar.addWidget(self.year_box)
        self.save_button = QPushButton(t("Lưu phân bổ"))
        self.save_button.clicked.connect(self.save)
        bar.addWidget(self.save_button)
        layout.addLayout(bar)

        self.summary = QTableWidget(3, len(COUNT_INDICATORS) + 1)
        self.summary.setObjectName("allocation_summary")
        self.summary.verticalHeader().hide()
        self.summary.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.summary.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        layout.addWidget(self.summary)
        self.table = QTableWidget()
        self.table.setObjectName("allocations")
        self.table.verticalHeader().hide()
        self.table.setAlternatingRowColors(True)
        self.table.setItemDelegate(_WholeNumberDelegate(self.table))
        self.table.horizontalHeader().hide()
        self.table.horizontalHeader().sectionResized.connect(
            lambda i, _old, new: self.summary.setColumnWidth(i, new))
        self.table.itemChanged.connect(self._cell_changed)
        layout.addWidget(self.table, 1)
        self.notes = QLabel()
        self.notes.setObjectName("allocation_notes")
        self.notes.setWordWrap(True)
        self.notes.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.notes)
        self.status = QLabel()
        layout.addWidget(self.status)
        self.reload()

    # ------------------------------------------------------------------ loading

    @property
    def year(self) -> int:
        return int(self.year_box.currentData())

    def refresh(self) -> None:
        """Called when the tab is shown again: reread, unless there are unsaved edits."""
        if not self.changes():
            self.reload()

    def reload(self) -> None:
        with self.ctx.db.session() as session:
            home = session.get(Unit, self.ctx.home_unit_id)
            self.level = home.level if home is not None else ""
            rows = own_targets(session, self.ctx.home_unit_id)
            self.own = {(r.indicator, r.year): r.value for r in rows}
            units = {(r.indicator, r.year): r.unit_of_measure for r in rows}
            given_by_above = any(r.allocated_by_id is not None for r in rows)
            self.children_units = [(u.id, u.name)
                                   for u in units_below(session, self.ctx.home_unit_id)]
            self.saved = allocations(session, self.ctx.home_unit_id)
        self.stash = {}
        self.heading.setText(t("Chỉ tiêu và phân bổ — {unit}", unit=self.ctx.home_unit_name))
        self.own_title.setText(t("Chỉ tiêu của {unit}", unit=self.ctx.home_unit_name) + (
            t(" (do cấp trên giao)") if given_by_above else ""))
        self._fill_own(units)
        self._fill_allocations()

    def _fill_own(self, units: dict[tuple[str, int | None], str]) -> None:
        rows = [*codes(), YEARLY_INDICATOR]  # the declared order, then plan line III.1
        headers = [t("Mã"), t("Chỉ tiêu"), *(str(y) for y in TARGET_YEARS), t("Hằng năm")]
        table = self.own_table
        table.clear()
        table.setColumnCount(len(headers))
        table.setHorizontalHeaderLabels(headers)
        table.setRowCount(len(rows))
        for r, code in enumerate(rows):
            name = indicator_name(code) if code != YEARLY_INDICATOR else t(
                "Thành lập mới HTX do phụ nữ làm chủ (kế hoạch, mục III.1)")
            table.setItem(r, 0, QTableWidgetItem(code))
            table.setItem(r, 1, QTableWidgetItem(name))
            keys = [*((code, y) for y in TARGET_YEARS), (code, None)]
            for c, key in enumerate(keys, start=2):
                value = self.own.get(key)
                item = QTableWidgetItem("" if value is None and c == 2 + len(TARGET_YEARS)
                                        else _shown(value, units.get(key, "count")))
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                table.setItem(r, c, item)
        header = table.horizontalHeader()
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        table.resizeColumnToContents(0)
        table.setFixedHeight(table.verticalHeader().length() + header.height() + 4)

    def _fill_allocations(self) -> None:
        has_below = bool(self.children_units)
        for widget in (self.summary, self.table, self.year_box, self.save_button):
            widget.setVisible(has_below)
        if not has_below:
            self.alloc_title.setText(t("Đơn vị không có đơn vị trực thuộc để giao chỉ tiêu."))
            self.notes.setText("")
            return
        self.shown_year = self.year
        self.alloc_title.setText(t("Giao chỉ tiêu năm {year} cho các đơn vị trực thuộc "
                                   "(ô để trống: chưa giao)", year=self.year))
        self._loading = True
        try:
            headers = [t("Đơn vị"), *COUNT_INDICATORS]
            self.summary.setHorizontalHeaderLabels(headers)
            self.table.setColumnCount(len(headers))
            self.table.setRowCount(len(self.children_units))
            for r, (unit_id, name) in enumerate(self.children_units):
                label = QTableWidgetItem(name)
                label.setFlags(_READ_ONLY)
                self.table.setItem(r, 0, label)
                for c, code in enumerate(COUNT_INDICATORS, start=1):
                    key = (unit_id, code, self.year)
                    value = self.stash.pop(key) if key in self.stash else self.saved.get(key)
                    item = QTableWidgetItem("" if value is None else fmt_int(value))
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight
                                          | Qt.AlignmentFlag.AlignVCenter)
                    self.table.setItem(r, c, item)
            self.table.setColumnWidth(0, 260)
            for c in range(1, len(headers)):
                self.table.setColumnWidth(c, 90)
            self.summary.setColumnWidth(0, 260)
        finally:
            self._loading = False
        self._update_summary()

    # ------------------------------------------------------------------ editing

    def value_at(self, row: int, code: str) -> int | None:
        item = self.table.item(row, 1 + COUNT_INDICATORS.index(code))
        return _parse(item.text()) if item is not None else None

    def set_value(self, unit_id: int, code: str, value: int | None) -> None:
        """Type a value into a unit's cell, as the officer would (used by tests too)."""
        row = [uid for uid, _name in self.children_units].index(unit_id)
        item = self.table.item(row, 1 + COUNT_INDICATORS.index(code))
        assert item is not None
        item.setText("" if value is None else str(value))

    def changes(self) -> dict[tuple[int, str, int], int | None]:
        """(unit below, indicator, year) → new value, for every cell that differs from the
        database (None: the target is removed)."""
        out = dict(self.stash)
        if self.table.rowCount() != len(self.children_units):
            return out
        for r, (unit_id, _name) in enumerate(self.children_units):
            for code in COUNT_INDICATORS:
                value = self.value_at(r, code)
                if value != self.saved.get((unit_id, code, self.shown_year)):
                    out[(unit_id, code, self.shown_year)] = value
        return out

    def totals(self) -> dict[str, tuple[int, bool]]:
        """indicator → (sum over the units below, whether any unit was given a value)."""
        out = {}
        for code in COUNT_INDICATORS:
            values = [self.value_at(r, code) for r in range(self.table.rowCount())]
            given = [v for v in values if v is not None]
            out[code] = (sum(given), bool(given))
        return out

    def _cell_changed(self, _item: QTableWidgetItem) -> None:
        if not self._loading:
            self._update_summary()

    def _year_changed(self) -> None:
        self.stash = self.changes()  # the shown year's edits wait, unsaved, for its return
        self._fill_allocations()

    def _update_summary(self) -> None:
        totals = self.totals()
        whose = {"tinh": t("tỉnh"), "huyen": t("huyện"), "xa": t("xã")}.get(self.level,
                                                                          t("đơn vị"))
        labels = [t("Tổng đã giao"), t("Chỉ tiêu của {whose}", whose=whose),
                  t("Chênh lệch (giao − chỉ tiêu)")]
        bold = QFont()
        bold.setBold(True)
        notes = []
        for r, label in enumerate(labels):
            item = QTableWidgetItem(label)
            item.setFont(bold)
            self.summary.setItem(r, 0, item)
        for c, code in enumerate(COUNT_INDICATORS, start=1):
            total, any_given = totals[code]
            own = self.own.get((code, self.shown_year))
            diff = None if own is None or not any_given else total - own
            cells = [_shown(total) if any_given else "", _shown(own),
                     "" if diff is None else ("+" if diff > 0 else "") + _shown(diff)]
            for r, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                if diff is not None:
                    item.setBackground(_GAP_BRUSH if diff else _OK_BRUSH)
                if r == 2:
                    item.setFont(bold)
                self.summary.setItem(r, c, item)
            if diff:
                assert own is not None
                notes.append(f"{code}: " + gap_note(own, total, self.level))
        self.summary.setFixedHeight(self.summary.verticalHeader().length()
                                    + self.summary.horizontalHeader().height() + 4)
        self.notes.setText("\n".join(notes))
        self.notes.setStyleSheet("color: #b3261e;" if notes else "")
        pending = len(self.changes())
        self.save_button.setEnabled(pending > 0)
        if pending:
            self.status.setText(t("{n} ô đã sửa, chưa lưu.", n=pending))

    # ------------------------------------------------------------------ saving

    def save(self) -> bool:
        """Write every changed cell in one transaction; on a refusal nothing is written."""
        changes = self.changes()
        if not changes:
            return True
        try:
            with self.ctx.db.session() as session:
                for (unit_id, code, year), value in changes.items():
                    allocate_target(session, parent_id=self.ctx.home_unit_id, child_id=unit_id,
                                    indicator=code, year=year, value=value,
                                    officer=self.ctx.officer)
        except TargetError as exc:
            show_message(self, t("Không lưu được"), exc.user_message, warning=True)
            return False
        self.reload()
        self.status.setText(t("Đã lưu {n} thay đổi.", n=len(changes)))
        return True


def make_page(ctx: AppContext) -> TargetsPage:
    return TargetsPage(ctx)
