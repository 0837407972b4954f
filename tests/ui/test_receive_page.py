"""The receive page, standalone: preview (writes nothing), accept off the UI thread, the
completeness list and the reminder copied to the clipboard."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent, QGuiApplication
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


def test_preview_then_accept(qtbot: QtBot, db: Database, package: Path) -> None:
    page = ReceivePage(db)
    qtbot.addWidget(page)
    page.period_box.setCurrentText("2025")
    assert page.completeness.rowCount() == 92
    assert all(_cell(page, "completeness", r, 2) == "Chưa nộp" for r in range(92))

    before = dump(db)
    with qtbot.waitSignal(page.preview.model().rowsInserted, timeout=15000):
        page.add_files([package])
    qtbot.waitUntil(lambda: page.accept_button.isEnabled(), timeout=15000)
    assert _cell(page, "preview", 0, 4) == "Nhận mới"
    assert _cell(page, "preview", 0, 1).startswith("05443")
    assert int(_cell(page, "preview", 0, 5)) > 0
    assert dump(db) == before, "the preview writes nothing"

    page.accept_button.click()
    qtbot.waitUntil(lambda: page.status.text().startswith("Đã nhận 1 gói"), timeout=15000)
    row = next(r for r in range(page.completeness.rowCount())
               if _cell(page, "completeness", r, 0) == "05443")
    assert _cell(page, "completeness", row, 2) == "Đã nhận"
    assert _cell(page, "completeness", row, 3) == "1"
    assert page.history.rowCount() == 1
    assert _cell(page, "history", 0, 5) == package.name

    page.copy_button.click()
    text = QGuiApplication.clipboard().text()
    assert text.startswith("Kính gửi Hội LHPN các đơn vị:")
    assert "(05443)" not in text and "Tỉnh Thái Nguyên" in text


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
