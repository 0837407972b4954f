"""The export page's choice to send the names, phones and ID numbers, sealed to the receiving
unit's public key. Off by default: these identify vulnerable women, so they leave only when
the officer ticks the box, picks the key file the level above handed out, and can read its
fingerprint to them on the telephone before sending."""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from pathlib import Path
from textwrap import fill as wrap

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from htx_desktop.i18n import t
from htx_desktop.os_errors import os_error_text
from htx_desktop.receiving.crypto import CryptoError, fingerprint
from htx_desktop.ui.pages.keygen_dialog import grouped


class NamesBox(QFrame):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.key_pem: bytes | None = None
        col = QVBoxLayout(self)
        # Two lines: a check box does not wrap its text, and the panel is narrow.
        self.check = QCheckBox(t("Gửi kèm họ tên, số điện thoại, số định danh\n(đã mã hóa)"))
        self.check.setObjectName("include_names")
        self.check.toggled.connect(self._toggled)
        col.addWidget(self.check)
        warning = QLabel(t(
            "Chỉ chọn khi cấp trên yêu cầu. Những thông tin này cho biết chính xác từng chị em, "
            "trong đó có phụ nữ thuộc nhóm dễ bị tổn thương. Danh sách được mã hóa và chỉ mở "
            "được bằng khóa bí mật của đơn vị nhận; phần còn lại của gói không chứa họ tên."))
        warning.setWordWrap(True)
        warning.setStyleSheet("color:#8a4b00;")
        col.addWidget(warning)
        self.key_area = QWidget()
        kl = QVBoxLayout(self.key_area)
        kl.setContentsMargins(0, 0, 0, 0)
        kl.addWidget(QLabel(t("Khóa công khai của đơn vị nhận (…-public.pem):")))
        row = QHBoxLayout()
        self.key_path = QLineEdit()
        self.key_path.setReadOnly(True)
        self.key_path.setPlaceholderText(t("chưa chọn tệp khóa"))
        choose = QPushButton(t("Chọn tệp…"))
        choose.clicked.connect(self.choose_key)
        row.addWidget(self.key_path, 1)
        row.addWidget(choose)
        kl.addLayout(row)
        # Not word-wrapped: a wrapped label in this narrow panel got too little height and
        # cut the fingerprint off; the lines are broken by hand instead.
        self.fingerprint = QLabel()
        self.fingerprint.setObjectName("fingerprint")
        self.fingerprint.setTextFormat(Qt.TextFormat.RichText)
        self.fingerprint.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        kl.addWidget(self.fingerprint)
        col.addWidget(self.key_area)
        self.key_area.hide()

    def _toggled(self, on: bool) -> None:
        self.key_area.setVisible(on)

    def wanted(self) -> bool:
        return self.check.isChecked()

    def choose_key(self) -> None:
        chosen, _ = QFileDialog.getOpenFileName(
            self, t("Chọn tệp khóa công khai của đơn vị nhận"), "",
            t("Khóa công khai (*.pem);;Mọi tệp (*)"))
        if chosen:
            self.set_key_file(Path(chosen))

    def set_key_file(self, path: Path) -> bool:
        """Read and check the key; show its fingerprint, or why it cannot be used."""
        self.key_pem = None
        self.key_path.setText(str(path))
        try:
            pem = Path(path).read_bytes()
            print_ = fingerprint(pem)
        except OSError as exc:
            self._key_problem(t("Không đọc được tệp khóa: {error}",
                                error=os_error_text(exc)))
            return False
        except CryptoError as exc:
            self._key_problem(exc.user_message)
            return False
        self.key_pem = pem
        half = len(print_) // 2
        self.fingerprint.setStyleSheet("")
        self.fingerprint.setText(t(
            "Dấu vân tay của khóa:<br><tt>{first}<br>{second}</tt><br>Hãy gọi điện cho đơn vị "
            "nhận, đọc để<br>đối chiếu trước khi gửi.", first=grouped(print_[:half]),
            second=grouped(print_[half:])))
        return True

    def _key_problem(self, text: str) -> None:
        self.fingerprint.setStyleSheet("color:#a33;")
        self.fingerprint.setText(escape(wrap(text, 45)).replace("\n", "<br>"))

    def recipient_key(self) -> bytes | None:
        """The key to seal the names to; None when the names stay on this PC."""
        return self.key_pem if self.wanted() else None

    def ready_or_explain(self, say: Callable[[str], None]) -> bool:
        """False (and why, through `say`) when the names are asked for without a usable key."""
        if self.wanted() and self.key_pem is None:
            say(t("Chưa xuất gói: muốn gửi kèm họ tên thì phải chọn tệp khóa công khai "
                  "(…-public.pem) của đơn vị nhận. Nếu không cần gửi họ tên, hãy bỏ chọn ô "
                  "“Gửi kèm họ tên…”."))
            return False
        return True
