"""Ký số from the report page (issue 25): the ticked "Ký số" asks for the token and PIN in a
dialog, the package's PDF is signed (SoftHSM2 token), the PIN is never remembered, and a wrong
PIN says so and leaves no package."""

from __future__ import annotations

import os
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialog, QDialogButtonBox
from pytestqt.qtbot import QtBot

from htx_desktop.reports.pdf_signing import SUGGESTED_LIBRARIES, verify_pdf
from htx_desktop.store.engine import Database
from htx_desktop.ui import signing_dialog
from htx_desktop.ui.pages.export_page import ExportPage
from htx_desktop.ui.signing_dialog import SigningDialog
from tests.reports.exchange_helpers import make_folder
from tests.softhsm_token import OFFICER, Token, require_softhsm
from tests.ui.test_export_page import WAIT, folder, page, template

assert folder and page and template  # fixtures, shared with the export page's tests


@pytest.fixture
def token() -> Token:
    return require_softhsm()


def _fill(dialog: SigningDialog, library: str, label: str, pin: str) -> None:
    dialog.library.setEditText(library)
    dialog.token.setText(label)
    dialog.pin.setText(pin)


@pytest.fixture
def answer(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, str]]:
    """The dialog, answered as an officer would (fields filled, "Ký số và xuất" clicked)."""
    given: dict[str, str] = {}
    seen: list[SigningDialog] = []

    def exec_(self: SigningDialog) -> int:
        seen.append(self)
        _fill(self, given["library"], given["label"], given["pin"])
        self.findChild(QDialogButtonBox).button(
            QDialogButtonBox.StandardButton.Ok).click()
        return int(self.result())

    monkeypatch.setattr(SigningDialog, "exec", exec_)
    yield given


def test_signed_from_the_page_and_the_pin_is_not_kept(
        qtbot: QtBot, page: ExportPage, token: Token, answer: dict[str, str],
        tmp_path: Path) -> None:
    answer.update(library=token.library, label=token.label, pin=token.pin)
    page.sign.setChecked(True)
    page.start_export(tmp_path / "out")
    qtbot.waitUntil(lambda: not page.is_busy(), timeout=WAIT)
    (package,) = (tmp_path / "out").glob("*.zip")
    assert page.message.text().startswith("Đã xuất gói báo cáo")
    with zipfile.ZipFile(package) as zf:
        status = verify_pdf(zf.read("bao-cao.pdf"))
    assert status.ok and status.signatures[0].signer == OFFICER
    state = Path(os.environ["HTX_UI_STATE"]).read_text(encoding="utf-8")
    assert token.library in state and token.label in state
    assert token.pin not in state  # never stored
    # the next time, the remembered library comes first, then the suggestions
    dialog = SigningDialog()
    qtbot.addWidget(dialog)
    items = [dialog.library.itemText(i) for i in range(dialog.library.count())]
    assert items == [token.library, *SUGGESTED_LIBRARIES]
    assert dialog.token.text() == token.label and dialog.pin.text() == ""


def test_a_wrong_pin_says_so_and_leaves_no_package(
        qtbot: QtBot, page: ExportPage, token: Token, answer: dict[str, str],
        tmp_path: Path) -> None:
    answer.update(library=token.library, label=token.label, pin="999999")
    page.sign.setChecked(True)
    page.start_export(tmp_path / "out")
    qtbot.waitUntil(lambda: not page.is_busy(), timeout=WAIT)
    text = page.message.text()
    assert text.startswith("Chưa xuất được gói báo cáo.")
    assert "Mã PIN của thiết bị ký số không đúng" in text and "999999" not in text
    assert not list((tmp_path / "out").glob("*.zip"))


def test_the_dialog_needs_a_pin_and_a_png(qtbot: QtBot, tmp_path: Path) -> None:
    dialog = SigningDialog()
    qtbot.addWidget(dialog)
    _fill(dialog, "vnpt-ca_csp11.dll", "VNPT", "")
    dialog.accept()
    assert dialog.result() != QDialog.DialogCode.Accepted and dialog.choice is None
    assert dialog.error.text() == "Hãy chọn thư viện ký số, nhập tên thiết bị và mã PIN."
    not_png = tmp_path / "chu-ky.png"
    not_png.write_bytes(b"GIF89a")
    dialog.pin.setText("1234")
    dialog.signature.setText(str(not_png))
    dialog.accept()
    assert dialog.choice is None
    assert "hãy chọn một tệp PNG" in dialog.error.text()
    assert dialog.pin.echoMode() == dialog.pin.EchoMode.Password
    assert signing_dialog.get_state(signing_dialog.LIBRARY) in (None, "")


def test_the_receive_page_shows_the_signature(qtbot: QtBot, db: Database, token: Token,
                                              tmp_path: Path) -> None:
    from htx_desktop.cli import run
    from htx_desktop.ui.pages.receive_page import ReceivePage

    commune = make_folder(tmp_path, "05443", seed=8)
    pin = tmp_path / "pin.txt"
    pin.write_text(token.pin, encoding="utf-8")
    assert run(["--data-dir", str(commune), "export", "--period", "2025", "--out",
                str(tmp_path / "out"), "--sign-pkcs11", token.library, "--token-label",
                token.label, "--pin-file", str(pin)]) == 0
    (package,) = (tmp_path / "out").glob("*.zip")
    page = ReceivePage(db)
    qtbot.addWidget(page)
    page.add_files([package])
    qtbot.waitUntil(lambda: page.accept_button.isEnabled(), timeout=WAIT)
    note = page.preview.item(0, 7).text()
    assert f"Báo cáo PDF: Ký số bởi {OFFICER}" in note
    assert "chữ ký còn nguyên vẹn, phủ toàn bộ văn bản" in note
    assert "chưa xác minh được chuỗi chứng thư" in note
