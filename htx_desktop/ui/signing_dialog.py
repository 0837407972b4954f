"""The "Ký số" dialog of the report page (issue 25): which token signs (the CA's PKCS#11
library, remembered for this PC with the common Windows names as suggestions; the token's
label; the key's label when there are several), the PIN (typed each time: never stored, never
logged) and the signature and seal images (PNG, chosen once, remembered for this PC)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
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
from htx_desktop.reports.pdf_signing import SUGGESTED_LIBRARIES, Appearance, TokenChoice
from htx_desktop.ui.ui_state import get_state, set_state

LIBRARY, TOKEN, KEY, SIGNATURE, SEAL = ("signing/library", "signing/token_label",
                                        "signing/key_label", "signing/signature_png",
                                        "signing/seal_png")


def _remembered(key: str) -> str:
    value = get_state(key)
    return str(value) if value else ""


class SigningDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(t("Ký số báo cáo"))
        col = QVBoxLayout(self)
        intro = QLabel(t("Cắm thiết bị ký số (token) vào máy, chọn thư viện của nhà cung cấp "
                         "chữ ký số và nhập mã PIN. Mã PIN không được lưu lại."))
        intro.setWordWrap(True)
        col.addWidget(intro)
        form = QFormLayout()
        self.library = QComboBox()
        self.library.setObjectName("library")
        self.library.setEditable(True)
        remembered = _remembered(LIBRARY)
        choices = [remembered] if remembered else []
        choices += [name for name in SUGGESTED_LIBRARIES if name != remembered]
        self.library.addItems(choices)
        browse = QPushButton(t("Chọn tệp…"))
        browse.clicked.connect(self._browse_library)
        row = QHBoxLayout()
        row.addWidget(self.library, 1)
        row.addWidget(browse)
        form.addRow(t("Thư viện ký số:"), row)
        self.token = QLineEdit(_remembered(TOKEN))
        self.token.setObjectName("token")
        form.addRow(t("Tên thiết bị:"), self.token)
        self.key = QLineEdit(_remembered(KEY))
        self.key.setObjectName("key")
        self.key.setPlaceholderText(t("(không bắt buộc)"))
        form.addRow(t("Tên khoá ký:"), self.key)
        self.pin = QLineEdit()
        self.pin.setObjectName("pin")
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        form.addRow(t("Mã PIN:"), self.pin)
        self.signature = self._image_row(form, t("Ảnh chữ ký (PNG):"), SIGNATURE, "signature")
        self.seal = self._image_row(form, t("Ảnh con dấu (PNG):"), SEAL, "seal")
        col.addLayout(form)
        self.error = QLabel()
        self.error.setObjectName("error")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color:#a33;")
        col.addWidget(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(t("Ký số và xuất"))
        ok.setObjectName("ok")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(t("Hủy"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        col.addWidget(buttons)
        self.choice: tuple[TokenChoice, Appearance] | None = None

    def _image_row(self, form: QFormLayout, label: str, key: str, name: str) -> QLineEdit:
        edit = QLineEdit(_remembered(key))
        edit.setObjectName(name)
        edit.setPlaceholderText(t("(không bắt buộc)"))
        pick = QPushButton(t("Chọn…"))

        def choose() -> None:
            path, _ = QFileDialog.getOpenFileName(self, label, edit.text(),
                                                  t("Ảnh PNG (*.png)"))
            if path:
                edit.setText(path)
        pick.clicked.connect(choose)
        row = QHBoxLayout()
        row.addWidget(edit, 1)
        row.addWidget(pick)
        form.addRow(label, row)
        return edit

    def _browse_library(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, t("Chọn thư viện ký số"), "",
                                              t("Thư viện PKCS#11 (*.dll *.so *.dylib)"))
        if path:
            self.library.setEditText(path)

    def _image(self, edit: QLineEdit, what: str) -> bytes | None:
        text = edit.text().strip()
        if not text:
            return None
        try:
            raw = Path(text).read_bytes()
        except OSError:
            raw = b""
        if not raw.startswith(b"\x89PNG"):
            raise ValueError(t("Không đọc được {what} “{path}”: hãy chọn một tệp PNG.",
                               what=what, path=text))
        return raw

    def accept(self) -> None:
        library, token = self.library.currentText().strip(), self.token.text().strip()
        if not library or not token or not self.pin.text():
            self.error.setText(t("Hãy chọn thư viện ký số, nhập tên thiết bị và mã PIN."))
            return
        try:
            signature = self._image(self.signature, t("ảnh chữ ký"))
            seal = self._image(self.seal, t("ảnh con dấu"))
        except ValueError as exc:
            self.error.setText(str(exc))
            return
        for key, value in ((LIBRARY, library), (TOKEN, token), (KEY, self.key.text().strip()),
                           (SIGNATURE, self.signature.text().strip()),
                           (SEAL, self.seal.text().strip())):
            set_state(key, value)  # never the PIN
        self.choice = (TokenChoice(library, token, self.pin.text(),
                                   self.key.text().strip() or None),
                       Appearance(signature_png=signature, seal_png=seal))
        self.pin.clear()
        super().accept()
