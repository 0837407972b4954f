"""A list page: search box, filters, the lazy table, and the record buttons
(Thêm Ctrl+N, Sửa Enter/double-click, Xóa, Thùng rác, Lịch sử)."""

from __future__ import annotations

import json
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from htx_desktop.i18n import t
from htx_desktop.ui.context import AppContext
from htx_desktop.ui.dialogs import ask_yes_no
from htx_desktop.ui.formatting import fmt_int
from htx_desktop.ui.forms.choice_field import ChoiceField
from htx_desktop.ui.list_specs import Filter, ListSpec
from htx_desktop.ui.record_table import RecordTable
from htx_desktop.ui.table_model import LazyTableModel

SEARCH_DELAY_MS = 150
# The total of a long list is a COUNT over every match (up to 0.1 s at 500,000 people): it
# runs once typing has paused this long, so that it never delays the next keystroke's list.
COUNT_DELAY_MS = 400


def filter_choices(ctx: AppContext, f: Filter) -> list[tuple[Any, str]]:
    if f.choices is not None:
        return f.choices()
    if f.key == "unit":
        return [(uid, name) for uid, name in ctx.communes]
    if f.key == "year":
        from datetime import date
        return [(y, str(y)) for y in range(date.today().year, 2019, -1)]
    return []


class ListPage(QWidget):
    """One kind's list. `spec` decides the columns; the form registry opens the forms."""

    changed = Signal()
    model: LazyTableModel

    def __init__(self, ctx: AppContext, spec: ListSpec, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.spec = spec
        self.setObjectName(f"list:{spec.kind}")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)

        top = QHBoxLayout()
        self.top_bar = top
        self.search = QLineEdit()
        self.search.setObjectName("search")
        self.search.setPlaceholderText(t("Tìm kiếm (gõ không dấu cũng được)…"))
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(180)
        top.addWidget(self.search, 2)
        self.filter_boxes: dict[str, QComboBox] = {}
        for f in spec.filters:
            # a long list (the communes) filters as she types, like the forms' drop-downs
            box = ChoiceField([(None, t("{label}: tất cả", label=f.label)),
                               *filter_choices(ctx, f)])
            box.setObjectName(f"filter:{f.key}")
            # its whole label when there is room, shrunk on a 1024-pixel screen
            box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
            box.setMinimumWidth(120)
            box.currentIndexChanged.connect(
                lambda _i, key=f.key, b=box: self.model.set_filter(key, b.currentData()))
            self.filter_boxes[f.key] = box
            top.addWidget(box)
        layout.addLayout(top)
        # on a narrow window (a 1024×768 screen) the filters go under the search box
        self.filter_row = QHBoxLayout()
        layout.addLayout(self.filter_row)
        self._filters_below = False

        buttons = QHBoxLayout()
        self.add_button = QPushButton(t("Thêm"))
        self.add_button.setToolTip(t("Thêm hồ sơ mới (Ctrl+N)"))
        self.edit_button = QPushButton(t("Sửa"))
        self.edit_button.setToolTip(t("Sửa hồ sơ đang chọn (Enter hoặc nháy đúp)"))
        self.delete_button = QPushButton(t("Xóa"))
        self.trash_button = QPushButton(t("Thùng rác"))
        self.history_button = QPushButton(t("Lịch sử"))
        for b in (self.add_button, self.edit_button, self.delete_button, self.trash_button,
                  self.history_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        self.count_label = QLabel()
        self.count_label.setObjectName("count")
        buttons.addWidget(self.count_label)
        layout.addLayout(buttons)

        # made before the model: the model's first reset already updates the count
        self._search_timer = QTimer(self)
        self._count_timer = QTimer(self)
        self._count_timer.setSingleShot(True)
        self._count_timer.setInterval(COUNT_DELAY_MS)
        self._count_timer.timeout.connect(self.count_rows)
        self.search.textChanged.connect(lambda _t: self._count_timer.stop())
        self.table = RecordTable()
        layout.addWidget(self.table, 1)
        self.model = self.make_model()
        self.table.setModel(self.model)
        self.model.modelReset.connect(self._update_count)
        self.model.rowsInserted.connect(lambda *_a: self._update_count())
        self._restore_widths()
        self.table.horizontalHeader().setSortIndicator(
            spec.default_sort, Qt.SortOrder.AscendingOrder)

        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.apply_search)
        self.search.textChanged.connect(lambda _t: self._search_timer.start())
        self._width_timer = QTimer(self)
        self._width_timer.setSingleShot(True)
        self._width_timer.setInterval(500)
        self._width_timer.timeout.connect(self.save_widths)
        self.table.horizontalHeader().sectionResized.connect(
            lambda *_a: self._width_timer.start())

        self.add_button.clicked.connect(self.add_record)
        self.edit_button.clicked.connect(self.edit_current)
        self.delete_button.clicked.connect(self.delete_current)
        self.trash_button.clicked.connect(self.show_trash)
        self.history_button.clicked.connect(self.show_history)
        self.table.activated_row.connect(self.edit_row)
        within = Qt.ShortcutContext.WidgetWithChildrenShortcut
        # Ctrl+N is the main window's (it works wherever the focus is on the page); a list
        # shown on its own has its own
        self.new_shortcut = QShortcut(QKeySequence("Ctrl+N"), self, self.add_record, within)
        QShortcut(QKeySequence("Ctrl+F"), self, lambda: self.search.setFocus(), within)
        self.model.refresh()

    def make_model(self) -> LazyTableModel:
        return LazyTableModel(self.ctx.db.engine, self.spec, self.ctx.unit_ids)

    # ------------------------------------------------------------------ list

    def apply_search(self) -> None:
        self._search_timer.stop()
        self.model.set_search(self.search.text())

    def refresh(self) -> None:
        self.model.refresh()

    def _update_count(self) -> None:
        total = self.model.total()
        if total is not None:
            self._count_timer.stop()
            self.count_label.setText(t("{n} hồ sơ", n=fmt_int(total)))
        else:  # more rows than the first window: counted after a pause
            self.count_label.setText(t("Hơn {n} hồ sơ…", n=fmt_int(self.model.rowCount())))
            if not self._search_timer.isActive():
                self._count_timer.start()

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        # inside the main window, its Ctrl+N serves (two would make it ambiguous)
        from PySide6.QtWidgets import QMainWindow
        self.new_shortcut.setEnabled(not isinstance(self.window(), QMainWindow))
        if self.model.total() is None:
            self._count_timer.start()

    def resizeEvent(self, event: Any) -> None:
        super().resizeEvent(event)
        boxes = list(self.filter_boxes.values())
        if not boxes:
            return
        needed = 300 + sum(b.sizeHint().width() + 6 for b in boxes)
        below = event.size().width() < needed
        if below == self._filters_below:
            return
        self._filters_below = below
        for box in boxes:
            (self.top_bar if below else self.filter_row).removeWidget(box)
        for box in boxes:
            if below:
                self.filter_row.addWidget(box)
            else:
                self.top_bar.addWidget(box)
        if below:
            self.filter_row.addStretch(1)
        else:
            while self.filter_row.count():
                self.filter_row.takeAt(0)

    def hideEvent(self, event: Any) -> None:
        # no COUNT for a list nobody sees (nor on a database closed behind a hidden page);
        # widths still waiting for their timer are saved now
        self._count_timer.stop()
        if self._width_timer.isActive():
            self._width_timer.stop()
            self.save_widths()
        super().hideEvent(event)

    def count_rows(self) -> None:
        self._count_timer.stop()
        self.model.count_total()
        self._update_count()

    def _widths_key(self) -> str:
        """Where older versions kept the widths: in the database (read once, see below)."""
        return f"ui.column_widths.{self.spec.kind}"

    def _old_widths(self) -> list[int] | None:
        try:
            from htx_desktop.store.settings import get_setting
            with self.ctx.db.session() as session:
                saved = get_setting(session, self._widths_key())
            stored = json.loads(saved) if saved else None
            return [int(w) for w in stored] if isinstance(stored, list) else None
        except Exception:  # an old preference is not worth a failure
            return None

    def _restore_widths(self) -> None:
        """Her widths (per user, on this PC: ui_state), else the defaults, which fit the
        headers; widths of an older version, kept in the database, are taken over once."""
        from htx_desktop.ui.ui_state import get_widths, set_widths
        header = self.table.horizontalHeader()
        widths = [self.default_width(i) for i in range(len(self.spec.columns))]
        saved = get_widths(self.spec.kind)
        if saved is None:
            saved = self._old_widths()
            if saved is not None and len(saved) == len(widths):
                set_widths(self.spec.kind, saved)
        if saved is not None and len(saved) == len(widths):
            widths = saved
        for i, w in enumerate(widths):
            header.resizeSection(i, max(w, 40))

    def default_width(self, column: int) -> int:
        """The column's width, at least its header's (no clipped header at the defaults)."""
        header = self.table.horizontalHeader()
        return max(self.spec.columns[column].width,
                   header.sectionSizeFromContents(column).width() + 6)

    def save_widths(self) -> None:
        """Into the user's settings, never the database: a page switch writes nothing there."""
        from htx_desktop.ui.ui_state import set_widths
        header = self.table.horizontalHeader()
        widths = [header.sectionSize(i) for i in range(header.count())]
        if widths and header.stretchLastSection():
            # the last column fills what is left of this window: on a smaller one its
            # stretched width would push its header out of sight
            widths[-1] = self.default_width(len(widths) - 1)
        set_widths(self.spec.kind, widths)

    def current_id(self) -> Any:
        index = self.table.currentIndex()
        return self.model.record_id(index.row()) if index.isValid() else None

    def select_id(self, record_id: Any) -> None:
        row = self.model.row_of(record_id)
        if row >= 0:
            self.table.selectRow(row)
            self.table.scrollTo(self.model.index(row, 0))

    # ------------------------------------------------------------------ actions

    def open_form(self, record_id: Any = None) -> str | None:
        from htx_desktop.ui.forms.registry import open_form
        saved = open_form(self.ctx, self.spec.kind, record_id, parent=self)
        if saved:
            self.refresh()
            self.select_id(saved)
            self.changed.emit()
        return saved

    def add_record(self) -> None:
        self.open_form(None)

    def edit_row(self, row: int) -> None:
        record_id = self.model.record_id(row)
        if record_id is not None:
            self.open_form(record_id)

    def edit_current(self) -> None:
        if self.current_id() is not None:
            self.edit_row(self.table.currentIndex().row())

    def delete_current(self) -> None:
        record_id = self.current_id()
        if record_id is None:
            return
        name = str(self.model.data(self.model.index(self.table.currentIndex().row(), 0)))
        if not ask_yes_no(self, t("Xóa hồ sơ"),
                          t("Chuyển \"{name}\" vào thùng rác? Bạn có thể khôi phục lại sau.",
                            name=name)):
            return
        from htx_desktop.store.service import RecordService
        from htx_desktop.ui.reason_dialog import run_with_reason

        def delete(reason: str | None) -> None:
            with self.ctx.db.session() as session:
                RecordService(session, self.ctx.officer).delete(self.spec.kind, record_id,
                                                                reason=reason)

        # A record of a period already sent up asks why (issue #7 point 4).
        if not run_with_reason(self, delete):
            return
        self.refresh()
        self.changed.emit()

    def show_trash(self) -> None:
        from htx_desktop.ui.record_dialogs import TrashDialog
        dialog = TrashDialog(self.ctx, self.spec, self)
        dialog.exec()
        if dialog.restored:
            self.refresh()
            self.changed.emit()

    def show_history(self) -> None:
        record_id = self.current_id()
        if record_id is None:
            return
        from htx_desktop.ui.record_dialogs import HistoryDialog
        HistoryDialog(self.ctx, self.spec.kind, record_id, self).exec()
