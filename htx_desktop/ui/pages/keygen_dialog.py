"""“Tạo cặp khóa cho đơn vị nhận”: the unit that receives packages (district, province) makes
its key pair here, hands the public key to the units below and keeps the private key and its
printed recovery sheet safe. The same files as `htx-desktop keygen` (reports/keysheet.py)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QStandardPaths, Qt
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from htx_desktop.i18n import t
from htx_desktop.receiving.crypto import MIN_PASSPHRASE, CryptoError


def documents_folder(*parts: str) -> Path:
    """Documents/HTX Desktop/… : where an officer looks for what the program wrote."""
    docs = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(docs or Path.home()).joinpath("HTX Desktop", *parts)


def grouped(fingerprint: str) -> str:
    """"ab12cd34…" → "ab12 cd34 …": easier to read aloud on the telephone."""
    return " ".join(fingerprint[i:i + 4] for i in range(0, len(fingerprint), 4))


class KeygenDialog(QDialog):
    def __init__(self, unit_code: str, unit_name: str, parent: QWidget | None = None, *,
                 signing_code: str | None = None) -> None:
        super().__init__(parent)
        self.unit_code, self.unit_name = unit_code, unit_name
        self.signing_code = signing_code
        self.fingerprint = ""
        self.setWindowTitle(t("Tạo cặp khóa cho đơn vị nhận"))
        self.setMinimumWidth(560)
        layout = QVBoxLayout(self)
        intro = QLabel(t(
            "Dành cho đơn vị nhận báo cáo ({unit}). Chương trình tạo một khóa công khai để gửi "
            "cho các đơn vị cấp dưới và một khóa bí mật, được bảo vệ bằng mật khẩu, để mở danh "
            "sách họ tên trong các gói nhận được. Mất khóa bí mật hoặc quên mật khẩu thì không "
            "ai mở lại được các danh sách đó: hãy in phiếu lưu khóa và cất ở nơi an toàn.",
            unit=unit_name))
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.setObjectName("passphrase")
        self.repeat = QLineEdit()
        self.repeat.setEchoMode(QLineEdit.EchoMode.Password)
        self.repeat.setObjectName("repeat")
        form.addRow(t("Mật khẩu (ít nhất {n} ký tự):", n=MIN_PASSPHRASE), self.passphrase)
        form.addRow(t("Nhập lại mật khẩu:"), self.repeat)
        folder_row = QHBoxLayout()
        self.folder = QLineEdit(str(documents_folder("Khoa")))
        self.folder.setObjectName("folder")
        choose = QPushButton(t("Chọn…"))
        choose.clicked.connect(self._choose_folder)
        folder_row.addWidget(self.folder, 1)
        folder_row.addWidget(choose)
        form.addRow(t("Thư mục ghi các tệp khóa:"), folder_row)
        layout.addLayout(form)
        self.message = QLabel()
        self.message.setObjectName("message")
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.message)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.create_button = QPushButton(t("Tạo cặp khóa"))
        self.create_button.setDefault(True)
        self.create_button.clicked.connect(self.create_keys)
        close = QPushButton(t("Đóng"))
        close.clicked.connect(self.accept)
        buttons.addWidget(self.create_button)
        buttons.addWidget(close)
        layout.addLayout(buttons)

    def _choose_folder(self) -> None:
        chosen = QFileDialog.getExistingDirectory(self, t("Chọn thư mục ghi các tệp khóa"),
                                                  self.folder.text())
        if chosen:
            self.folder.setText(chosen)

    def _say(self, text: str, *, error: bool) -> None:
        self.message.setStyleSheet("color:#a33;" if error else "color:#1b5e20;")
        self.message.setText(text)
        self.adjustSize()  # the result runs to five lines: grow rather than cut it off

    def create_keys(self) -> None:
        from htx_desktop.reports.keysheet import write_key_files

        secret = self.passphrase.text()
        if len(secret) < MIN_PASSPHRASE:
            self._say(t("Mật khẩu phải có ít nhất {n} ký tự.", n=MIN_PASSPHRASE), error=True)
            return
        if secret != self.repeat.text():
            self._say(t("Hai lần nhập mật khẩu không giống nhau: hãy nhập lại."), error=True)
            return
        folder = self.folder.text().strip()
        if not folder:
            self._say(t("Hãy chọn thư mục ghi các tệp khóa."), error=True)
            return
        try:
            files = write_key_files(Path(folder), unit_code=self.unit_code,
                                    unit_name=self.unit_name, passphrase=secret,
                                    signing_code=self.signing_code)
        except CryptoError as exc:
            self._say(exc.user_message, error=True)
            return
        self.passphrase.clear()
        self.repeat.clear()
        self.create_button.setEnabled(False)  # one pair is enough; a second would confuse
        self.fingerprint = files.fingerprint
        self._say(t(
            "Đã tạo cặp khóa.\nKhóa công khai (gửi cho các đơn vị cấp dưới): {public}\n"
            "Khóa bí mật (giữ kín): {private}\nPhiếu lưu khóa (in ra, cất nơi an toàn): {sheet}\n"
            "Dấu vân tay: {fingerprint}", public=str(files.public), private=str(files.private),
            sheet=str(files.sheet), fingerprint=grouped(files.fingerprint)), error=False)
