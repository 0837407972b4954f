"""Issue 21 in the window: the province's receive page returns a package with comments (the
comment dialog reminds and warns), accepts one with a click, writes the receipts; the commune
takes the receipt in (its first one confirms the level above's key) and its export page shows
the decision with the comments beside the records they name; the period is open again."""

from __future__ import annotations

import json
import os
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from htx_desktop.cli import run
from htx_desktop.store.engine import Database
from htx_desktop.store.paths import DataDir
from htx_desktop.ui.context import AppContext
from htx_desktop.ui.pages.export_page import ExportPage
from htx_desktop.ui.pages.receive_page import ReceivePage
from htx_desktop.ui.pages.review_dialog import ReviewDialog
from htx_desktop.ui.pages.sent_panel import SentPanel
from tests.reports.exchange_helpers import export, make_folder
from tests.ui.test_receive_page import answer_box

COMMENT = "Đề nghị rà soát lại số lao động nữ rồi gửi lại."
NOTE = "Mã số thuế chưa đúng"
SHOTS = Path(os.environ["HTX_SHOTS"]) if os.environ.get("HTX_SHOTS") else None


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    root = tmp_path_factory.mktemp("review-ui")
    commune = make_folder(root, "05443", seed=8)
    province = make_folder(root, "19")
    package = export(commune, "2025", root / "out")
    assert run(["--data-dir", str(province), "import", "--accept-new-key", str(package)]) == 0
    with zipfile.ZipFile(package) as zf:
        data = json.loads(zf.read("data.json"))
    coop = sorted(data["cooperatives"], key=lambda c: c["name"])[0]
    return {"root": root, "commune": commune, "province": province, "package": package,
            "coop": coop}


@pytest.fixture
def province_db(world: dict[str, Any]) -> Iterator[Database]:
    db = Database.open(DataDir(world["province"]))
    yield db
    db.engine.dispose()


@pytest.fixture
def commune_db(world: dict[str, Any]) -> Iterator[Database]:
    db = Database.open(DataDir(world["commune"]))
    yield db
    db.engine.dispose()


def _cell(table: Any, row: int, col: int) -> str:
    item = table.item(row, col)
    return item.text() if item else ""


def _fill_dialog(seen: dict[str, Any], coop_name: str) -> None:
    """Fill the next comment dialog: a phone number first (the warning shows), then the
    comment, a note on CT3 and one on a cooperative; then return."""
    def fill() -> None:
        dialog = next((w for w in QApplication.topLevelWidgets()
                       if isinstance(w, ReviewDialog) and w.isVisible()), None)
        if dialog is None:
            QTimer.singleShot(20, fill)
            return
        assert not dialog.save_button.isEnabled(), "returning needs a comment"
        dialog.comment.setPlainText("Liên hệ chị Hoa 0912 345 678")
        seen["warning"] = dialog.warning.text()
        dialog.comment.setPlainText(COMMENT)
        seen["warning_after"] = dialog.warning.text()
        dialog.target.setCurrentIndex(dialog.target.findData("CT3"))
        dialog.note.setText("Có 18 lao động nữ, không phải 81")
        dialog.add_button.click()
        dialog.target.setCurrentIndex(dialog.target.findText(coop_name))
        dialog.note.setText(NOTE)
        dialog.add_button.click()
        seen["pins"] = [dialog.pins.item(i).text() for i in range(dialog.pins.count())]
        seen["texts"] = " ".join(lbl.text() for lbl in dialog.findChildren(type(dialog.warning)))
        if SHOTS is not None:
            dialog.grab().save(str(SHOTS / "review-return-dialog.png"))
        dialog.save_button.click()
    QTimer.singleShot(20, fill)


def test_return_accept_and_the_commune_sees_it(qtbot: QtBot, world: dict[str, Any],
                                               province_db: Database, commune_db: Database,
                                               tmp_path: Path) -> None:
    page = ReceivePage(province_db)
    qtbot.addWidget(page)
    page.period_box.setCurrentText("2025")
    assert page.history.rowCount() == 1
    assert _cell(page.history, 0, 4) == "Chưa xét duyệt"
    assert not page.review_accept_button.isEnabled() and not page.receipts_button.isEnabled()
    page.history.selectRow(0)
    assert page.review_accept_button.isEnabled() and page.review_return_button.isEnabled()

    seen: dict[str, Any] = {}
    _fill_dialog(seen, world["coop"]["name"])
    page.review_return_button.click()
    assert "số điện thoại" in seen["warning"] and seen["warning_after"] == ""
    assert "không ghi họ tên, số điện thoại" in seen["texts"]
    assert seen["pins"][0].startswith("CT3") and seen["pins"][1].startswith(
        world["coop"]["name"])
    assert _cell(page.history, 0, 4).startswith("Đã trả lại")
    assert COMMENT in page.history.item(0, 4).toolTip()
    assert f"{world['coop']['name']}: {NOTE}" in page.history.item(0, 4).toolTip()
    assert page.receipts_button.text() == "Ghi biên nhận (1)…"
    if SHOTS is not None:
        for width in (1366, 1024):
            page.resize(width, 728)
            page.grab().save(str(SHOTS / f"receive-review-{width}.png"))

    out = tmp_path / "bn"
    page.write_receipts_to(out)
    (receipt,) = out.glob("BN-*.json")
    assert receipt.name == "BN-05443_2025_v1.json"
    assert "Đã ghi 1 biên nhận" in page.status.text()
    assert not page.receipts_button.isEnabled()

    # The commune: its receive page takes the receipt (the level above's first key confirmed).
    desk = ReceivePage(commune_db)
    qtbot.addWidget(desk)
    desk.add_files([receipt])
    qtbot.waitUntil(lambda: desk.accept_button.isEnabled(), timeout=15000)
    assert _cell(desk.preview, 0, 4) == ("Biên nhận: cấp trên trả lại để sửa — cần xác nhận "
                                         "khoá ký của cấp trên")
    assert COMMENT in _cell(desk.preview, 0, 7)
    if SHOTS is not None:
        desk.resize(1024, 728)
        desk.grab().save(str(SHOTS / "commune-receipt-preview-1024.png"))
    asked: list[str] = []
    answer_box("Mã khớp, nhận khoá", asked)
    desk.accept_button.click()
    qtbot.waitUntil(lambda: desk.status.text().startswith("Đã nhận 1 gói"), timeout=15000)
    assert "biên nhận đầu tiên" in asked[0] and "19 – Tỉnh Thái Nguyên" in asked[0]
    assert "1 biên nhận của cấp trên đã được ghi nhận" in desk.status.text()

    ctx = AppContext.load(commune_db, world["commune"])
    assert ctx is not None
    report = ExportPage(ctx)
    qtbot.addWidget(report)
    report.period_box.setCurrentIndex(report.period_box.findData("2025"))
    report.tabs.setCurrentWidget(report.sent)
    assert _cell(report.exports, 0, 2).startswith("Cấp trên trả lại để sửa")
    assert report.tabs.tabText(report.tabs.indexOf(report.sent)) == \
        "Các gói đã xuất (1 bị trả lại)"
    shown = report.sent.comments.text()
    assert "TRẢ LẠI" in shown and "Lê Thị Thu" in shown and "đã được mở lại" in shown
    assert COMMENT in shown and f"{world['coop']['name']}: {NOTE}" in shown
    assert "CT3 – " in shown and "Có 18 lao động nữ" in shown
    assert "cấp trên trả lại lần xuất 1" in report.period_note.text()
    report.period_box.setCurrentIndex(report.period_box.findData("2024"))
    assert "cấp trên trả lại gói kỳ 2025" in report.period_note.text()
    report.period_box.setCurrentIndex(report.period_box.findData("2025"))
    if SHOTS is not None:
        for width in (1366, 1024):
            report.resize(width, 728)
            report.grab().save(str(SHOTS / f"commune-returned-{width}.png"))
    qtbot.waitUntil(lambda: not report.is_busy(), timeout=30000)

    # Back at the province: a single click accepts (here: changes the decision).
    page.history.selectRow(0)
    page.review_accept_button.click()
    assert _cell(page.history, 0, 4).startswith("Đã chấp nhận")
    assert not page.review_accept_button.isEnabled()
    page.write_receipts_to(out)
    sent = SentPanel(commune_db)
    qtbot.addWidget(sent)
    sent.take_receipts([receipt])  # the level above's key is known now: no question
    assert "CHẤP NHẬN" in sent.status.text()
    assert _cell(sent.table, 0, 2).startswith("Cấp trên đã chấp nhận")
    assert "khoá sổ" in sent.comments.text()


def test_a_newer_version_of_an_accepted_package_needs_a_yes(
        qtbot: QtBot, world: dict[str, Any], province_db: Database) -> None:
    """Accepting locks the figures: the receive page asks before v2 replaces the accepted
    v1; "no" receives nothing, "yes" replaces it and v2 is not reviewed yet."""
    from htx_desktop.store.review import ACCEPTED, review_states

    with province_db.session() as s:
        assert review_states(s, "2025")["05443"].review == ACCEPTED  # from the test above
    v2 = export(world["commune"], "2025", world["root"] / "out")
    page = ReceivePage(province_db)
    qtbot.addWidget(page)
    page.period_box.setCurrentText("2025")
    page.add_files([v2])
    qtbot.waitUntil(lambda: page.accept_button.isEnabled(), timeout=15000)
    assert "thay thế phiên bản ĐÃ CHẤP NHẬN" in _cell(page.preview, 0, 4)
    asked: list[str] = []
    answer_box("Không nhận gói này", asked)
    page.accept_button.click()
    qtbot.waitUntil(lambda: page.status.text().startswith("Đã nhận 0 gói"), timeout=15000)
    assert "đã được anh/chị CHẤP NHẬN" in asked[0]
    assert "--replace-accepted" in _cell(page.preview, 0, 7)
    with province_db.session() as s:
        assert review_states(s, "2025")["05443"].version == 1

    page.add_files([v2])
    qtbot.waitUntil(lambda: page.accept_button.isEnabled(), timeout=15000)
    answer_box("Thay thế phiên bản đã chấp nhận", asked)
    page.accept_button.click()
    qtbot.waitUntil(lambda: page.status.text().startswith("Đã nhận 1 gói"), timeout=15000)
    with province_db.session() as s:
        state = review_states(s, "2025")["05443"]
    assert (state.version, state.review) == (2, "received")
    rows = {_cell(page.history, r, 2): _cell(page.history, r, 4)
            for r in range(page.history.rowCount())}
    assert rows["2"] == "Chưa xét duyệt" and rows["1"].startswith("Đã chấp nhận")
