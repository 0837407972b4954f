"""The receive page, standalone: preview (writes nothing), accept off the UI thread, the
completeness list and the reminder copied to the clipboard."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QTimer, QUrl
from PySide6.QtGui import QDropEvent, QGuiApplication
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from htx_desktop.store.engine import Database
from htx_desktop.ui.pages.receive_page import ReceivePage
from tests.reports.exchange_helpers import dump, export, make_folder


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("receive")
    return export(make_folder(root, "05443", seed=8), "2025", root / "out")


def _cell(page: ReceivePage, table: str, row: int, col: int) -> str:
    item = getattr(page, table).item(row, col)
    return item.text() if item else ""


def answer_box(answer: str, seen: list[str], shot: Path | None = None) -> None:
    """Press `answer` in the next message box, keeping its text (and a picture of it)."""
    def press() -> None:
        for w in QApplication.topLevelWidgets():
            if isinstance(w, QMessageBox) and w.isVisible():
                seen.append(w.text())
                if shot is not None:
                    w.grab().save(str(shot))
                for b in w.buttons():
                    if b.text() == answer:
                        b.click()
                        return
        QTimer.singleShot(20, press)
    QTimer.singleShot(20, press)


def _preview(qtbot: QtBot, page: ReceivePage, package: Path) -> None:
    page.preview.setRowCount(0)
    with qtbot.waitSignal(page.preview.model().rowsInserted, timeout=15000):
        page.add_files([package])
    qtbot.waitUntil(lambda: page.accept_button.isEnabled(), timeout=15000)


def test_preview_then_accept(qtbot: QtBot, db: Database, package: Path) -> None:
    page = ReceivePage(db)
    qtbot.addWidget(page)
    page.period_box.setCurrentText("2025")
    assert page.completeness.rowCount() == 92
    assert all(_cell(page, "completeness", r, 2) == "Chưa nộp" for r in range(92))

    before = dump(db)
    _preview(qtbot, page, package)
    assert _cell(page, "preview", 0, 4) == "Nhận mới — cần xác nhận khoá ký mới"
    # The unit's name comes from this PC's unit list.
    assert _cell(page, "preview", 0, 1) == "05443 – Phường Phan Đình Phùng"
    assert int(_cell(page, "preview", 0, 5)) > 0
    assert "Khoá ký mới, mã " in _cell(page, "preview", 0, 7)
    assert "cần anh/chị xác nhận" in page.status.text()
    assert dump(db) == before, "the preview writes nothing"

    # The first package of a unit: its key is confirmed by phone, or the package is refused.
    seen: list[str] = []
    answer_box("Không nhận", seen)
    page.accept_button.click()
    qtbot.waitUntil(lambda: page.status.text().startswith("Đã nhận 0 gói"), timeout=15000)
    assert "Phường Phan Đình Phùng" in seen[0] and "Lê Thị Thu, Chủ tịch" in seen[0]
    assert "lần đầu nhận gói" in _cell(page, "preview", 0, 7)
    assert dump(db) == before, "a key not confirmed: nothing received"

    _preview(qtbot, page, package)
    shots = Path(os.environ.get("HTX_SHOTS", "")) if os.environ.get("HTX_SHOTS") else None
    answer_box("Mã khớp, nhận khoá", seen, shots / "receive-confirm-key.png" if shots else None)
    page.accept_button.click()
    qtbot.waitUntil(lambda: page.status.text().startswith("Đã nhận 1 gói"), timeout=15000)
    code = _cell(page, "preview", 0, 7).split("mã ")[-1][:29]
    assert code in seen[-1], "the box shows the key's short code"
    row = next(r for r in range(page.completeness.rowCount())
               if _cell(page, "completeness", r, 0) == "05443")
    assert _cell(page, "completeness", row, 2) == "Đã nhận"
    assert _cell(page, "completeness", row, 3) == "1"
    assert page.history.rowCount() == 1
    assert _cell(page, "history", 0, 7) == package.name
    assert _cell(page, "history", 0, 4) == "Chưa xét duyệt"  # issue 21

    page.copy_button.click()
    text = QGuiApplication.clipboard().text()
    assert text.startswith("Kính gửi Hội LHPN: ")
    assert "Phường Phan Đình Phùng" not in text and "Tỉnh Thái Nguyên" in text


def test_drop_zip_files(qtbot: QtBot, db: Database, package: Path, tmp_path: Path) -> None:
    page = ReceivePage(db)
    qtbot.addWidget(page)
    other = tmp_path / "notes.txt"
    other.write_text("x")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(package)), QUrl.fromLocalFile(str(other))])
    event = QDropEvent(QPointF(5, 5), Qt.DropAction.CopyAction, mime,
                       Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    page.dropEvent(event)
    assert page.paths == [package], "only .zip files are taken"
    qtbot.waitUntil(lambda: page.preview.rowCount() == 1, timeout=15000)


def test_check_a_printed_report(qtbot: QtBot, db: Database, package: Path) -> None:
    """"Kiểm tra bản in": the QR text of a received package's paper copy is recognised, with
    its figures; any other text is refused, in words (issue 22)."""
    import json
    import zipfile

    from htx_desktop.reports.print_code import make

    with zipfile.ZipFile(package) as zf:
        manifest = json.loads(zf.read("manifest.json"))
    code = make(manifest["unit"]["code"], manifest["period"]["label"], manifest["version"],
                manifest["files"]["data.json"]["sha256"]).text()
    page = ReceivePage(db)
    qtbot.addWidget(page)
    page.print_code.setText(code)  # what a scanner types (keyClicks aborts on non-ASCII)
    page.print_check_button.click()
    assert page.print_result.text().startswith("✘ Bản in này KHÔNG khớp")  # not received yet

    page.add_files([package])
    qtbot.waitUntil(lambda: page.accept_button.isEnabled(), timeout=15000)
    answer_box("Mã khớp, nhận khoá", [])  # the unit's first package: its key is confirmed
    page.accept_button.click()
    qtbot.waitUntil(lambda: page.status.text().startswith("Đã nhận 1 gói"), timeout=15000)
    qtbot.keyClick(page.print_code, Qt.Key.Key_Return)
    said = page.print_result.text()
    assert said.startswith("✔ Bản in khớp với gói báo cáo đã nhận")
    assert "là phiên bản mới nhất" in said and "CT1:" in said and "CT9:" in said


def test_other_key_refused_then_replaced_and_withdrawn(qtbot: QtBot, db: Database,
                                                       package: Path, tmp_path: Path) -> None:
    """A package of a known unit signed with another key is refused in the preview, naming
    both codes; the officer replaces the key with a reason (a lost PC), then withdraws the
    package from the history, with a reason."""
    from htx_desktop.receiving.importer import import_packages
    from htx_desktop.reports.signing import short_code
    from htx_desktop.ui.reason_dialog import ReasonDialog
    from tests.reports.exchange_helpers import TRUST, folder_key
    from tests.ui.conftest import type_text, when_dialog

    (first,) = import_packages(db, [package], trust=TRUST)
    assert first.outcome == "accepted"
    new_pc = make_folder(tmp_path, "05443", seed=3)
    export(new_pc, "2025", tmp_path / "new")
    v2 = export(new_pc, "2025", tmp_path / "new")
    page = ReceivePage(db)
    qtbot.addWidget(page)
    page.period_box.setCurrentText("2025")
    before = dump(db)
    page.add_files([v2])
    qtbot.waitUntil(lambda: _cell(page, "preview", 0, 4) == "Từ chối", timeout=15000)
    reason = _cell(page, "preview", 0, 7)
    assert first.short_code in reason and folder_key(new_pc).short_code in reason
    assert not page.accept_button.isEnabled() and not page.replace_key_button.isEnabled()

    page.preview.selectRow(0)
    assert page.replace_key_button.isEnabled()
    if os.environ.get("HTX_SHOTS"):
        page.resize(1366, 700)
        page.show()
        qtbot.waitExposed(page)
        page.grab().save(str(Path(os.environ["HTX_SHOTS"]) / "receive-other-key.png"))
    seen: list[str] = []

    def give_reason(dialog: ReasonDialog) -> None:
        seen.append(dialog.message.text())
        assert not dialog.save_button.isEnabled(), "a reason is required"
        type_text(dialog.reason_edit, "Máy của xã bị mất, đã gọi điện")
        dialog.save_button.click()

    when_dialog(ReasonDialog, give_reason)
    page.replace_key_button.click()
    assert short_code(first.signer_fingerprint or "") in seen[0]
    qtbot.waitUntil(lambda: _cell(page, "preview", 0, 4) == "Thay thế phiên bản 1",
                    timeout=15000)
    assert dump(db) != before  # the key only: the package waits for "Nhận các gói"
    page.accept_button.click()
    qtbot.waitUntil(lambda: page.status.text().startswith("Đã nhận 1 gói"), timeout=15000)

    # Withdraw version 2 from the history: version 1 is used again.
    row = next(r for r in range(page.history.rowCount())
               if _cell(page, "history", r, 2) == "2")
    page.history.selectRow(row)
    assert page.withdraw_button.isEnabled()
    when_dialog(ReasonDialog, lambda d: (type_text(d.reason_edit, "Gói gửi nhầm"),
                                         d.save_button.click()))
    page.withdraw_button.click()
    assert "phiên bản 1 được dùng lại" in page.status.text()
    statuses = {_cell(page, "history", r, 2): _cell(page, "history", r, 3)
                for r in range(page.history.rowCount())}
    assert statuses == {"1": "Đã nhận", "2": "Đã rút"}


def test_unsigned_package_needs_an_explicit_confirmation(
        qtbot: QtBot, db: Database, package: Path, tmp_path: Path) -> None:
    from htx_desktop.reports.signing import SIGNATURE, SIGNER
    from tests.reports.exchange_helpers import rewrite

    old = rewrite(package, tmp_path / "BC-DA01_05443_2025_v1.zip", resign=False,
                  manifest=lambda m: (m.pop(SIGNER), m.pop(SIGNATURE),
                                      m.update(format_version="1.0")))
    page = ReceivePage(db)
    qtbot.addWidget(page)
    _preview(qtbot, page, old)
    assert _cell(page, "preview", 0, 4) == "Nhận mới — cần xác nhận: không chữ ký"
    seen: list[str] = []
    shots = Path(os.environ["HTX_SHOTS"]) if os.environ.get("HTX_SHOTS") else None
    answer_box("Vẫn nhận gói này", seen, shots / "receive-unsigned.png" if shots else None)
    page.accept_button.click()
    qtbot.waitUntil(lambda: page.status.text().startswith("Đã nhận 1 gói"), timeout=15000)
    assert "không có chữ ký" in seen[0] and "Phường Phan Đình Phùng" in seen[0]


def test_a_batch_with_crafted_files_lists_each_file(qtbot: QtBot, db: Database, package: Path,
                                                    tmp_path: Path) -> None:
    """Issue 20: one bad attachment stops nothing; each file of the batch has its own row,
    the bad ones refused with their Vietnamese reason, the good one received."""
    from tests.security import crafted as cr

    bad = [cr.flag_encrypted(package, tmp_path / "ma-hoa.zip"),
           cr.with_raw_entry(package, tmp_path / "long-sau.zip", cr.DATA,
                             b"[" * 100_000 + b"]" * 100_000),
           cr.set_method(package, tmp_path / "deflate64.zip", 9)]
    page = ReceivePage(db)
    qtbot.addWidget(page)
    page.resize(1366, 700)
    page.add_files([*bad, package])
    qtbot.waitUntil(lambda: page.accept_button.isEnabled(), timeout=30000)
    answer_box("Mã khớp, nhận khoá", [])  # the unit's first package: its key is confirmed
    page.accept_button.click()
    qtbot.waitUntil(lambda: page.status.text().startswith("Đã nhận"), timeout=30000)
    assert page.status.text() == "Đã nhận 1 gói; 3 gói bị từ chối."
    rows = {_cell(page, "preview", r, 0): (_cell(page, "preview", r, 4),
                                            _cell(page, "preview", r, 7))
            for r in range(page.preview.rowCount())}
    assert set(rows) == {p.name for p in [*bad, package]}
    assert rows[package.name][0] == "Nhận mới"
    assert {rows[p.name][0] for p in bad} == {"Từ chối"}
    assert "mã hoá bằng mật khẩu" in rows["ma-hoa.zip"][1]
    assert "lồng nhau quá sâu" in rows["long-sau.zip"][1]
    assert "không được hỗ trợ" in rows["deflate64.zip"][1]
    page.grab().save(str(tmp_path.parent / "receive-batch.png"))
