"""The main window: navigation on the left, one page per section, a status bar with the home
unit, the data folder and the last backup. Pages are built when first shown."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from importlib import import_module
from typing import Any

from PySide6.QtCore import QEvent, QSize, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QMainWindow,
    QScrollArea,
    QSizePolicy,
    QStackedWidget,
    QWidget,
)

from htx_desktop.i18n import t
from htx_desktop.ui.context import AppContext
from htx_desktop.ui.dialogs import ask_yes_no

# (key, title, module under htx_desktop.ui.pages)
SECTIONS: list[tuple[str, str, str]] = [
    ("overview", "Tổng quan", "home_page"),
    ("cooperatives", "Hợp tác xã & Tổ hợp tác", "cooperatives_page"),
    ("people", "Nhân sự", "people_page"),
    ("events", "Tập huấn & sự kiện", "events_page"),
    ("jobs", "Việc làm", "jobs_page"),
    ("support", "Hỗ trợ HTX", "support_page"),
    ("communication", "Truyền thông & khen thưởng", "communication_page"),
    ("plan", "Kế hoạch", "plan_page"),
    ("reports", "Báo cáo", "report_hub_page"),
    ("settings", "Cài đặt", "settings_hub_page"),
]

# Fits the area above the taskbar of a 1366×768 screen; smaller screens get less (ui_state).
DEFAULT_SIZE = QSize(1280, 720)


class MainWindow(QMainWindow):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.setWindowTitle(t("HTX Desktop — {unit}", unit=ctx.home_unit_name))
        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        self.nav = QListWidget()
        self.nav.setObjectName("nav")
        self.nav.setIconSize(QSize(0, 0))
        self.nav.setStyleSheet(
            "QListWidget{background:#f3f1f7; border:none; font-size:11pt;}"
            "QListWidget::item{padding:8px 10px;}"
            "QListWidget::item:selected{background:#6d3fb3; color:white;}")
        for _key, title, _module in SECTIONS:
            self.nav.addItem(t(title))
        self.nav.setFixedWidth(max(200, self.nav.sizeHintForColumn(0) + 24))
        layout.addWidget(self.nav)
        self.stack = QStackedWidget()
        # A page wider than the window gets a scroll bar: the window never grows by itself
        # past the screen (issue 15 point 6).
        self.page_area = QScrollArea()
        self.page_area.setObjectName("pageArea")
        self.page_area.setWidgetResizable(True)
        self.page_area.setFrameShape(QFrame.Shape.NoFrame)
        self.page_area.setWidget(self.stack)
        layout.addWidget(self.page_area, 1)
        self.pages: dict[str, QWidget] = {}
        self._placeholders: list[QWidget] = []
        for _ in SECTIONS:
            placeholder = QWidget()
            self._placeholders.append(placeholder)
            self.stack.addWidget(placeholder)
        self.setCentralWidget(central)
        self.nav.currentRowChanged.connect(self.show_section)

        self.unit_label = QLabel()
        self.folder_label = QLabel()
        self.backup_label = QLabel()
        # a long folder path is cut (whole in its tooltip): it never widens the window
        self.folder_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.folder_label.setMinimumWidth(40)
        self.statusBar().addWidget(self.unit_label)
        self.statusBar().addWidget(self.folder_label, 1)
        self.statusBar().addWidget(self.backup_label)
        self.update_status()
        self.nav.setCurrentRow(0)
        self._keyboard()
        from htx_desktop.ui.ui_state import restore_window
        restore_window(self, "main", DEFAULT_SIZE)
        self._fitted = False

    # ------------------------------------------------------------------ keyboard and size

    def _keyboard(self) -> None:
        """Ctrl+1 … Ctrl+9: the first nine pages; Ctrl+N: a new record of the page's kind."""
        for row in range(min(9, len(SECTIONS))):
            QShortcut(QKeySequence(f"Ctrl+{row + 1}"), self,
                      lambda row=row: self.nav.setCurrentRow(row))
        QShortcut(QKeySequence("Ctrl+N"), self, self.new_record)

    def current_list(self) -> Any:
        """The list shown now (the current tab's list on a page of tabs), or None."""
        page = self.stack.currentWidget()
        for _ in range(3):
            if page is None or hasattr(page, "add_record"):
                return page
            tabs = getattr(page, "tabs", None)
            page = tabs.currentWidget() if tabs is not None else None
        return None

    def new_record(self) -> None:
        target = self.current_list()
        if target is not None:
            target.add_record()

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        if not self._fitted:  # the frame is known only now: fit it, title bar included
            self._fitted = True
            QTimer.singleShot(0, self, self.fit_to_screen)

    def fit_to_screen(self) -> None:
        from htx_desktop.ui.ui_state import fit_into
        fit_into(self)

    def horizontal_overflow(self) -> int:
        """How far (px) the pages are wider than the window shows them: 0 when the page area
        needs no horizontal scroll bar."""
        QApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)
        area = self.page_area
        return int(max(0, area.horizontalScrollBar().maximum(),
                       self.stack.minimumSizeHint().width() - area.viewport().width()))

    def closeEvent(self, event: Any) -> None:
        from htx_desktop.ui.ui_state import remember_window
        remember_window(self, "main")
        super().closeEvent(event)

    # ------------------------------------------------------------------ pages

    def page(self, key: str) -> QWidget:
        """The page of a section, built on first use."""
        if key not in self.pages:
            index = [s[0] for s in SECTIONS].index(key)
            module = import_module(f"htx_desktop.ui.pages.{SECTIONS[index][2]}")
            make: Callable[[AppContext], QWidget] = module.make_page
            widget = make(self.ctx)
            from htx_desktop.ui.edge_delegate import cut_cells_at_edges
            from htx_desktop.ui.wheel_guard import guard_wheel
            guard_wheel(widget)
            cut_cells_at_edges(widget)
            self.pages[key] = widget
            old = self._placeholders[index]
            self.stack.insertWidget(index, widget)
            self.stack.removeWidget(old)
            old.deleteLater()
        return self.pages[key]

    def show_section(self, row: int) -> None:
        if not 0 <= row < len(SECTIONS):
            return
        key = SECTIONS[row][0]
        fresh = key not in self.pages
        widget = self.page(key)
        self.stack.setCurrentWidget(widget)
        if not fresh and hasattr(widget, "refresh"):
            widget.refresh()

    def go(self, key: str) -> QWidget:
        self.nav.setCurrentRow([s[0] for s in SECTIONS].index(key))
        return self.pages[key]

    # ------------------------------------------------------------------ status bar

    def update_status(self) -> None:
        self.unit_label.setText(t("Đơn vị: {unit}", unit=self.ctx.home_unit_name))
        root = self.ctx.data_root
        self.folder_label.setText(t("Thư mục dữ liệu: {path}", path=str(root) if root else "—"))
        self.folder_label.setToolTip(str(root) if root else "")
        self.backup_label.setText(t("Sao lưu gần nhất: {when}", when=self.last_backup()))

    def backup_failed(self, problem: str) -> None:
        """Today's automatic backup could not be written: said in the status bar, in red."""
        self.backup_label.setText(t("Chưa sao lưu được hôm nay"))
        self.backup_label.setToolTip(problem)
        self.backup_label.setStyleSheet("color:#b3261e;")
        self.statusBar().showMessage(problem)

    def last_backup(self) -> str:
        if self.ctx.data_root is None:
            return t("chưa có")
        from htx_desktop.store.backup import list_backups
        from htx_desktop.store.paths import DataDir
        backups = list_backups(DataDir(self.ctx.data_root).backups)
        if not backups:
            return t("chưa có")
        newest = max(backups, key=lambda p: p.stat().st_mtime)
        return datetime.fromtimestamp(newest.stat().st_mtime).strftime("%d/%m/%Y %H:%M")

    # ------------------------------------------------------------------ drafts

    def offer_drafts(self) -> int:
        """Offer to reopen forms left unsaved by a crash; returns how many were offered."""
        from htx_desktop.store.drafts import list_drafts, remove_draft
        drafts = list_drafts(self.ctx.db)
        if not drafts:  # the usual case: spare the start the import of every form
            return 0
        from htx_desktop.ui.forms.registry import FORMS, open_form
        for draft_id, form, record_id, values, saved_at in drafts:
            if form not in FORMS:
                remove_draft(self.ctx.db, draft_id)
                continue
            when = saved_at.strftime("%d/%m/%Y %H:%M") if saved_at else ""
            if ask_yes_no(self, t("Khôi phục bản nháp"), t(
                    "Có một biểu mẫu chưa lưu từ lần làm việc trước ({when}). "
                    "Bạn có muốn mở lại để lưu tiếp không?", when=when)):
                open_form(self.ctx, form, record_id, values, draft_id, parent=self)
            else:
                remove_draft(self.ctx.db, draft_id)
        return len(drafts)
