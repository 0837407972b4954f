"""“Khoá ký của đơn vị” in Cài đặt (issue 19): the unit's signing key as a short code the
officer reads out on the phone, and moving the key to another PC of the unit (a file protected
by a passphrase: the same file as `keys export` / `keys import`)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from htx_desktop.i18n import t
from htx_desktop.reports.signing import MIN_PASSPHRASE, SigningError
from htx_desktop.store.engine import Database
from htx_desktop.ui.dialogs import show_message


class PassphraseDialog(QDialog):
    """A passphrase (typed twice when it protects a new file), with Vietnamese buttons."""

    def __init__(self, title: str, text: str, *, repeat: bool,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setObjectName("passphraseDialog")
        self.setMinimumWidth(460)
        layout = QVBoxLayout(self)
        intro = QLabel(text)
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.passphrase = QLineEdit()
        self.passphrase.setObjectName("passphrase")
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        form.addRow(t("Mật khẩu:"), self.passphrase)
        self.repeat: QLineEdit | None = None
        if repeat:
            self.repeat = QLineEdit()
            self.repeat.setObjectName("repeat")
            self.repeat.setEchoMode(QLineEdit.EchoMode.Password)
            form.addRow(t("Nhập lại mật khẩu:"), self.repeat)
        layout.addLayout(form)
        self.problem = QLabel("")
        self.problem.setWordWrap(True)
        layout.addWidget(self.problem)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.ok_button = QPushButton(t("Tiếp tục"))
        self.ok_button.setDefault(True)
        self.ok_button.clicked.connect(self.accept)
        cancel = QPushButton(t("Hủy"))
        cancel.clicked.connect(self.reject)
        buttons.addWidget(self.ok_button)
        buttons.addWidget(cancel)
        layout.addLayout(buttons)

    def accept(self) -> None:
        text = self.passphrase.text()
        if self.repeat is not None:
            if len(text) < MIN_PASSPHRASE:
                self.problem.setText(t("Mật khẩu phải có ít nhất {n} ký tự.", n=MIN_PASSPHRASE))
                return
            if self.repeat.text() != text:
                self.problem.setText(t("Hai lần nhập mật khẩu không giống nhau."))
                return
        elif not text:
            self.problem.setText(t("Hãy nhập mật khẩu của tệp khoá."))
            return
        super().accept()


class SigningKeyBox(QGroupBox):
    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(t("Khoá ký của đơn vị"), parent)
        self.db = db
        layout = QVBoxLayout(self)
        row = QHBoxLayout()
        row.addWidget(QLabel(t("Mã khoá ký:")))
        self.code = QLabel("")
        self.code.setObjectName("signingCode")
        font = QFont("DejaVu Sans Mono")
        font.setStyleHint(QFont.StyleHint.Monospace)
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setBold(True)
        self.code.setFont(font)
        row.addWidget(self.code)
        row.addStretch(1)
        layout.addLayout(row)
        hint = QLabel(t(
            "Mọi gói báo cáo xuất từ máy này đều được ký bằng khoá này. Khi đơn vị cấp trên gọi "
            "điện hỏi, hãy đọc mã trên. Dùng thêm máy khác cho đơn vị, hoặc đổi máy: xuất khoá "
            "ra tệp có mật khẩu rồi nhập ở máy kia (cả hai máy ký cùng một khoá)."))
        hint.setWordWrap(True)
        layout.addWidget(hint)
        buttons = QHBoxLayout()
        self.export_button = QPushButton(t("Xuất khoá ra tệp…"))
        self.export_button.clicked.connect(self.export_key)
        self.import_button = QPushButton(t("Nhập khoá từ tệp…"))
        self.import_button.clicked.connect(self.import_key)
        buttons.addWidget(self.export_button)
        buttons.addWidget(self.import_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.refresh()

    def refresh(self) -> None:
        from htx_desktop.reports.unit_keys import own_key

        try:
            key = own_key(self.db)
        except SigningError as exc:
            self.code.setText(exc.user_message)
            return
        self.code.setText(key.short_code if key else t("(chưa chọn đơn vị)"))
        self.export_button.setEnabled(key is not None)
        self.import_button.setEnabled(key is not None)

    def _unit(self) -> tuple[str, str]:
        from htx_desktop.store.settings import home_unit

        with self.db.session() as session:
            unit = home_unit(session)
            return (unit.code, unit.name) if unit else ("", "")

    def export_key(self) -> None:
        from htx_desktop.reports.signing import export_key_file
        from htx_desktop.reports.unit_keys import own_key

        code, name = self._unit()
        from htx_desktop.ui.pages.keygen_dialog import documents_folder

        default = documents_folder(f"{code}-khoa-ky.htxkey")
        path, _ = QFileDialog.getSaveFileName(self, t("Xuất khoá ký của đơn vị"), str(default),
                                              t("Tệp khoá HTX (*.htxkey)"))
        if not path:
            return
        dialog = PassphraseDialog(t("Mật khẩu bảo vệ tệp khoá"), t(
            "Tệp khoá cho phép ký gói báo cáo nhân danh đơn vị: đặt mật khẩu (ít nhất {n} ký "
            "tự), giao tệp và mật khẩu riêng rẽ, không gửi qua thư điện tử.",
            n=MIN_PASSPHRASE), repeat=True, parent=self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        try:
            key = own_key(self.db)
            assert key is not None
            blob = export_key_file(key, unit_code=code, unit_name=name,
                                   passphrase=dialog.passphrase.text())
            Path(path).write_bytes(blob)
        except (SigningError, OSError) as exc:
            message = getattr(exc, "user_message", None) or str(exc)
            show_message(self, t("Chưa xuất được khoá"), message, warning=True)
            return
        show_message(self, t("Đã xuất khoá"), t(
            "Đã ghi khoá ký vào {path}. Nhập tệp này ở máy kia của đơn vị (Cài đặt → Nhập khoá "
            "từ tệp).", path=path))

    def import_key(self) -> None:
        from htx_desktop.reports.signing import import_key_file
        from htx_desktop.reports.unit_keys import install_own_key

        path, _ = QFileDialog.getOpenFileName(self, t("Nhập khoá ký của đơn vị"), "",
                                              t("Tệp khoá HTX (*.htxkey);;Mọi tệp (*)"))
        if not path:
            return
        dialog = PassphraseDialog(t("Mật khẩu của tệp khoá"), t(
            "Nhập mật khẩu đã đặt khi xuất tệp khoá. Khoá hiện tại của máy này được giữ lại "
            "trong thư mục dữ liệu."), repeat=False, parent=self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        try:
            opened = import_key_file(Path(path).read_bytes(), dialog.passphrase.text())
            install_own_key(self.db, opened.key, opened.unit_code)
        except (SigningError, OSError) as exc:
            message = getattr(exc, "user_message", None) or str(exc)
            show_message(self, t("Chưa nhập được khoá"), message, warning=True)
            return
        self.refresh()
        show_message(self, t("Đã nhập khoá"), t(
            "Máy này nay ký gói bằng khoá của đơn vị, mã {code}.", code=opened.key.short_code))
