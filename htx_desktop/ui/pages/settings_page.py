"""Cài đặt: the officer (used on reports), language, the positions that count as
management, how many backups to keep, the unit's signing key (its short code, export/import)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from htx_desktop.domain.catalogues import Position
from htx_desktop.i18n import t
from htx_desktop.store.errors import StoreError
from htx_desktop.ui.context import AppContext
from htx_desktop.ui.dialogs import show_message
from htx_desktop.ui.officer_box import OfficerBox


class SettingsPage(QWidget):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        officer_box = OfficerBox(t("Cán bộ lập báo cáo"))
        self.name, self.position, self.phone = (
            officer_box.name, officer_box.position, officer_box.phone)
        layout.addWidget(officer_box)

        general = QGroupBox(t("Chung"))
        gform = QFormLayout(general)
        self.language = QComboBox()
        self.language.setObjectName("language")
        self.language.addItem("Tiếng Việt", "vi")
        self.language.addItem("English", "en")
        gform.addRow(t("Ngôn ngữ (áp dụng khi mở lại chương trình)"), self.language)
        self.backups = QSpinBox()
        self.backups.setObjectName("backup_keep")
        self.backups.setRange(1, 365)
        gform.addRow(t("Số bản sao lưu giữ lại"), self.backups)
        layout.addWidget(general)

        positions = QGroupBox(t("Chức danh được tính là \"quản lý\" HTX/THT"))
        grid = QGridLayout(positions)
        self.position_boxes: dict[str, QCheckBox] = {}
        for i, (code, label) in enumerate(Position.choices()):
            box = QCheckBox(label)
            box.setObjectName(f"position:{code}")
            self.position_boxes[code] = box
            grid.addWidget(box, i // 3, i % 3)
        layout.addWidget(positions)

        from htx_desktop.ui.pages.signing_key_box import SigningKeyBox

        self.signing_key = SigningKeyBox(ctx.db)
        layout.addWidget(self.signing_key)

        buttons = QHBoxLayout()
        self.save_button = QPushButton(t("Lưu cài đặt"))
        self.save_button.clicked.connect(self.save)
        buttons.addWidget(self.save_button)
        self.saved_note = QLabel()
        buttons.addWidget(self.saved_note, 1)
        layout.addLayout(buttons)
        layout.addStretch(1)
        self.load()

    def load(self) -> None:
        from htx_desktop.store.settings import (
            backup_keep,
            get_setting,
            management_positions,
            officer,
        )
        with self.ctx.db.session() as session:
            who = officer(session)
            lang = get_setting(session, "language") or "vi"
            keep = backup_keep(session)
            counted = set(management_positions(session))
        self.name.setText(who.name)
        self.position.setText(who.position)
        self.phone.setText(who.phone)
        self.language.setCurrentIndex(max(self.language.findData(lang), 0))
        self.backups.setValue(keep)
        for code, box in self.position_boxes.items():
            box.setChecked(code in counted)

    def save(self) -> bool:
        from htx_desktop.store.settings import set_setting
        counted = [c for c, b in self.position_boxes.items() if b.isChecked()]
        def attempt() -> None:
            with self.ctx.db.session() as session:
                set_setting(session, "officer_name", self.name.text().strip())
                set_setting(session, "officer_position", self.position.text().strip())
                set_setting(session, "officer_phone", self.phone.text().strip())
                set_setting(session, "language", str(self.language.currentData()))
                set_setting(session, "backup_keep", self.backups.value())
                set_setting(session, "management_positions", counted)

        from htx_desktop.store.os_errors import os_failure
        from htx_desktop.ui.writes import write
        try:
            write(attempt)  # again for a few seconds while another writer holds the data
        except StoreError as exc:
            show_message(self, t("Chưa lưu được cài đặt"), exc.user_message, warning=True)
            return False
        except Exception as exc:
            failure = os_failure(exc, self.ctx.data_root)  # disk full, read-only, locked
            if failure is None:
                raise
            show_message(self, t("Chưa lưu được cài đặt"), failure.user_message, warning=True)
            return False
        self.ctx.officer = self.name.text().strip()
        self.saved_note.setText(t("Đã lưu cài đặt."))
        return True


def make_page(ctx: AppContext) -> SettingsPage:
    return SettingsPage(ctx)
