"""First run: choose the home unit (search without diacritics: "dai tu" finds "Đại Từ", or
load a unit CSV file) and enter the officer who prepares the reports."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from htx_desktop.domain.catalogues import UnitLevel
from htx_desktop.i18n import t
from htx_desktop.store import models as m
from htx_desktop.store.engine import Database
from htx_desktop.store.errors import StoreError
from htx_desktop.store.search_index import search_words
from htx_desktop.ui.dialogs import show_message
from htx_desktop.ui.officer_box import OfficerBox
from htx_desktop.ui.table_model import like_word

MAX_SHOWN = 200


def search_units(db: Database, text: str) -> list[tuple[int, str]]:
    """(unit id, "Name — level, parent") of current units whose folded name holds every
    word typed (folded too)."""
    parent = aliased(m.Unit)
    stmt = (select(m.Unit.id, m.Unit.name, m.Unit.level, parent.name)
            .outerjoin(parent, m.Unit.parent_id == parent.id)
            .where(m.Unit.valid_to.is_(None)))
    for word in search_words(text):  # `%` and `_` typed are letters, not wildcards
        stmt = stmt.where(like_word([m.Unit.name_key], word))
    stmt = stmt.order_by(m.Unit.level, m.Unit.name_key).limit(MAX_SHOWN)
    with db.session() as session:
        rows = session.execute(stmt).all()
    out = []
    for uid, name, level, parent_name in rows:
        try:
            level_label = UnitLevel(level).label
        except ValueError:
            level_label = level
        where = f"{level_label}, {parent_name}" if parent_name else level_label
        out.append((uid, f"{name} — {where}"))
    return out


class FirstRunDialog(QDialog):
    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.restored: Path | None = None  # the backup put in place, if she chose one
        self.setWindowTitle(t("Bắt đầu sử dụng HTX Desktop"))
        layout = QVBoxLayout(self)
        intro = QLabel(t("Chào mừng! Hãy chọn đơn vị Hội sử dụng chương trình này và nhập "
                         "thông tin cán bộ lập báo cáo. Bạn có thể sửa thông tin cán bộ sau "
                         "trong mục Cài đặt."))
        intro.setWordWrap(True)
        layout.addWidget(intro)

        unit_box = QGroupBox(t("1. Đơn vị sử dụng"))
        ul = QVBoxLayout(unit_box)
        row = QHBoxLayout()
        self.search = QLineEdit()
        self.search.setObjectName("unit_search")
        self.search.setPlaceholderText(t("Gõ tên xã, phường, tỉnh (không dấu cũng được)…"))
        row.addWidget(self.search, 1)
        self.load_button = QPushButton(t("Nạp danh sách đơn vị từ tệp…"))
        self.load_button.clicked.connect(self.load_file)
        row.addWidget(self.load_button)
        ul.addLayout(row)
        self.units = QListWidget()
        self.units.setObjectName("units")
        ul.addWidget(self.units, 1)
        self.chosen_label = QLabel()
        ul.addWidget(self.chosen_label)
        layout.addWidget(unit_box, 1)

        officer_box = OfficerBox(t("2. Cán bộ lập báo cáo"))
        self.name, self.position, self.phone = (
            officer_box.name, officer_box.position, officer_box.phone)
        layout.addWidget(officer_box)

        self.error = QLabel()
        self.error.setStyleSheet("color:#b3261e;")
        self.error.setWordWrap(True)
        layout.addWidget(self.error)
        buttons = QHBoxLayout()
        # A new PC: start from a backup carried on a USB stick (`backup --to`, or the backup
        # page's "Chép bản sao lưu ra USB…"), without choosing the unit again.
        self.restore_button = QPushButton(t("Khôi phục từ bản sao lưu…"))
        self.restore_button.clicked.connect(self.choose_backup)
        buttons.addWidget(self.restore_button)
        buttons.addStretch(1)
        self.start_button = QPushButton(t("Bắt đầu"))
        self.start_button.setEnabled(False)
        self.start_button.clicked.connect(self.finish)
        cancel = QPushButton(t("Thoát"))
        cancel.clicked.connect(self.reject)
        buttons.addWidget(self.start_button)
        buttons.addWidget(cancel)
        layout.addLayout(buttons)
        # Enter never presses "load a unit file" (issue 15 point 5): see keyPressEvent
        for button in (self.load_button, self.start_button, cancel):
            button.setAutoDefault(False)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(150)
        self._timer.timeout.connect(self.refresh_units)
        self.search.textChanged.connect(lambda _t: self._timer.start())
        self.units.currentItemChanged.connect(self._chosen)
        self._ensure_units()
        self.refresh_units()
        self.resize(640, 620)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Enter moves on: search → list of units → name → position → phone → "Bắt đầu"."""
        if event.key() not in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            super().keyPressEvent(event)
            return
        focus = self.focusWidget()
        if focus is self.phone:
            if self.chosen_unit_id() is None:
                self.error.setText(t("Hãy chọn đơn vị sử dụng trong danh sách trước."))
                self.units.setFocus()
            else:
                self.finish()
        elif focus is self.search:
            self.units.setFocus()
            if self.units.currentRow() < 0 and self.units.count():
                self.units.setCurrentRow(0)
        elif focus is self.units:
            self.name.setFocus()
        elif isinstance(focus, QLineEdit):
            self.focusNextChild()
        elif isinstance(focus, QPushButton):
            focus.click()
        else:
            super().keyPressEvent(event)

    def _ensure_units(self) -> None:
        from htx_desktop.store.reference import load_national_units
        with self.db.session() as session:
            if not session.scalar(select(func.count()).select_from(m.Unit)):
                load_national_units(session)

    def refresh_units(self) -> None:
        self._timer.stop()
        self.units.clear()
        for uid, text in search_units(self.db, self.search.text()):
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, uid)
            self.units.addItem(item)

    def _chosen(self, item: QListWidgetItem | None) -> None:
        self.start_button.setEnabled(item is not None)
        self.chosen_label.setText(t("Đã chọn: {unit}", unit=item.text()) if item else "")

    def chosen_unit_id(self) -> int | None:
        item = self.units.currentItem()
        return int(item.data(Qt.ItemDataRole.UserRole)) if item else None

    def load_file(self) -> None:
        path, _f = QFileDialog.getOpenFileName(
            self, t("Chọn tệp danh sách đơn vị"), "", t("Tệp CSV (*.csv)"),
            options=QFileDialog.Option.DontUseNativeDialog)
        if path:
            self.load_units_file(Path(path))

    def load_units_file(self, path: Path) -> bool:
        from htx_desktop.store.reference import load_units_csv
        try:
            with self.db.session() as session:
                n = load_units_csv(session, path)
        except (StoreError, ValueError, OSError) as exc:
            show_message(self, t("Không nạp được tệp"), str(exc), warning=True)
            return False
        self.chosen_label.setText(t("Đã nạp {n} đơn vị từ tệp.", n=n))
        self.refresh_units()
        return True

    def choose_backup(self) -> None:
        path, _f = QFileDialog.getOpenFileName(
            self, t("Chọn tệp sao lưu"), "", t("Bản sao lưu HTX Desktop (*.sqlite3)"),
            options=QFileDialog.Option.DontUseNativeDialog)
        if path:
            self.restore_file(Path(path))

    def restore_file(self, path: Path) -> bool:
        """Put the backup `path` in place of this new PC's database; accepted on success."""
        from htx_desktop.store.os_errors import os_failure
        from htx_desktop.store.restore import restore_database

        data_dir = self.db.data_dir
        if data_dir is None:
            return False
        self.db.close()  # its connections let go of the file; the engine reconnects later
        try:
            restore_database(path, data_dir)
        except (StoreError, OSError) as exc:
            failure = os_failure(exc, data_dir.root)
            self.error.setText(failure.user_message if failure is not None else str(exc))
            return False
        self.restored = path
        self.accept()
        return True

    def finish(self) -> None:
        from htx_desktop.domain.normalise import normalise_phone
        from htx_desktop.store import reference, settings
        unit_id = self.chosen_unit_id()
        if unit_id is None:
            return
        phone_text = self.phone.text().strip()
        phone = normalise_phone(phone_text) if phone_text else ""
        if phone is None:
            self.error.setText(t("Số điện thoại “{phone}” không hợp lệ: cần 10 chữ số, "
                                 "bắt đầu bằng 0.", phone=phone_text))
            return
        with self.db.session() as session:
            reference.load_ethnic_groups(session)
            reference.load_plan_lines(session)
            unit = session.get(m.Unit, unit_id)
            assert unit is not None
            root = unit
            while root.parent is not None:
                root = root.parent
            reference.load_targets(session, root.id)
            settings.set_setting(session, "home_unit_id", str(unit_id))
            settings.set_setting(session, "officer_name", self.name.text().strip())
            settings.set_setting(session, "officer_position", self.position.text().strip())
            settings.set_setting(session, "officer_phone", phone)
        self.accept()
