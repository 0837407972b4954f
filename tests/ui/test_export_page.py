"""The export page on a real data folder (the export writes beside a database file): the
indicator preview equals `indicators --json`, the narrative typed in the page is saved and
travels in the package, exports count up, names leave only sealed to a chosen key, and a
failed export says why and leaves nothing behind."""

from __future__ import annotations

import json
import shutil
import subprocess
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QTableWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from htx_desktop.domain.indicators import INDICATOR_CODES
from htx_desktop.reports.labels import format_figure, format_number
from htx_desktop.store.engine import Database
from htx_desktop.store.models import AuditEntry, Export, Narrative
from htx_desktop.store.paths import DataDir
from htx_desktop.ui.context import AppContext
from htx_desktop.ui.pages.export_narrative import SECTION_HEADINGS
from htx_desktop.ui.pages.export_page import ExportPage
from htx_desktop.ui.pages.keygen_dialog import KeygenDialog
from tests.reports.exchange_helpers import indicators, make_folder
from tests.ui.conftest import type_text

UNIT = "05443"
WAIT = 30000


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One demo commune, copied for each test (init and demo once per module)."""
    return make_folder(tmp_path_factory.mktemp("export-page"), UNIT, seed=3)


@pytest.fixture
def folder(template: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(template, tmp_path / "data"))


@pytest.fixture
def page(qtbot: QtBot, folder: Path) -> Iterator[ExportPage]:
    db = Database.open(DataDir(folder))
    ctx = AppContext.load(db, folder)
    assert ctx is not None
    widget = ExportPage(ctx)
    qtbot.addWidget(widget)
    widget.period_box.setCurrentIndex(widget.period_box.findData("2025"))
    yield widget
    qtbot.waitUntil(lambda: not widget.is_busy(), timeout=WAIT)
    db.engine.dispose()


def _export(qtbot: QtBot, page: ExportPage, out: Path) -> None:
    page.start_export(out)
    qtbot.waitUntil(lambda: not page.is_busy(), timeout=WAIT)


def _entries(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {name: zf.read(name) for name in zf.namelist()}


def _cell(table: QTableWidget, row: int, col: int) -> str:
    item = table.item(row, col)
    return item.text() if item is not None else ""


def _exports(page: ExportPage) -> int:
    with page.ctx.db.session() as session:
        return int(session.scalar(select(func.count()).select_from(Export)) or 0)


def test_indicator_preview_equals_the_engine(page: ExportPage, folder: Path,
                                             capsys: Any) -> None:
    expected = indicators(folder, "2025", capsys)
    table = page.indicators
    assert table.rowCount() == len(expected) == len(INDICATOR_CODES)
    for row in range(table.rowCount()):
        code = _cell(table, row, 0)
        r = expected[code]
        achieved = r["cumulative"] if r["cumulative"] is not None else r["value"]
        percent = (format_number(100 * achieved / r["target"], 1) + " %"
                   if achieved is not None and r["target"] else "—")
        assert [_cell(table, row, c) for c in range(2, 6)] == [
            format_figure(r["value"], code), format_figure(r["cumulative"], code),
            format_figure(r["target"], code), percent], code
    page.period_box.setCurrentIndex(page.period_box.findData("phase1"))
    assert page.period.label == "2023-2025"
    phase = indicators(folder, "phase1", capsys)
    assert _cell(table, 0, 2) == format_figure(phase["CT1"]["value"], "CT1")


def test_narrative_saved_exported_twice(qtbot: QtBot, page: ExportPage,
                                        tmp_path: Path) -> None:
    headings = [page.narrative.editors[k] for k, _ in SECTION_HEADINGS]
    assert headings == list(page.narrative.editors.values()) and len(headings) == 11
    intro = "Năm 2025, Hội đã hỗ trợ chị em thành lập Hợp tác xã Đồng Hỷ."
    page.narrative.editors["intro"].clear()
    type_text(page.narrative.editors["intro"], intro)
    page.narrative.editors["proposals"].setPlainText("Đề nghị tỉnh hỗ trợ vốn vay ưu đãi.")
    qtbot.waitUntil(lambda: page.narrative.saved_label.text().startswith("Đã lưu"), timeout=5000)
    with page.ctx.db.session() as session:
        stored = {n.section: n.text for n in session.scalars(select(Narrative).where(
            Narrative.period == "2025"))}
        audited = session.scalar(select(func.count()).select_from(AuditEntry).where(
            AuditEntry.table_name == "narratives"))
    assert stored["intro"] == intro and stored["proposals"].startswith("Đề nghị tỉnh")
    assert audited and audited >= 2

    # Another period has its own text; coming back shows what was typed.
    page.period_box.setCurrentIndex(page.period_box.findData("2024"))
    assert page.narrative.editors["intro"].toPlainText() != intro
    page.period_box.setCurrentIndex(page.period_box.findData("2025"))
    assert page.narrative.editors["intro"].toPlainText() == intro

    out = tmp_path / "out"
    _export(qtbot, page, out)
    first = out / f"BC-DA01_{UNIT}_2025_v1.zip"
    assert page.last_package == first and first.exists()
    assert "lần xuất thứ 1" in page.message.text() and page.open_button.isVisibleTo(page)
    files = _entries(first)
    data = json.loads(files["data.json"])
    assert data["narrative"]["intro"] == intro
    assert "personal.enc" not in files
    if shutil.which("pdftotext"):
        pdf = tmp_path / "bao-cao.pdf"
        pdf.write_bytes(files["bao-cao.pdf"])
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                              check=True).stdout
        assert "Hợp tác xã Đồng Hỷ" in " ".join(text.split())
        assert "vốn vay ưu đãi" in " ".join(text.split())

    _export(qtbot, page, out)
    assert (out / f"BC-DA01_{UNIT}_2025_v2.zip").exists()
    assert "lần xuất thứ 2" in page.message.text()
    assert page.exports.rowCount() == 2
    assert _cell(page.exports, 0, 1) == "2"
    assert _cell(page.exports, 0, 4) == f"BC-DA01_{UNIT}_2025_v2.zip"
    assert _cell(page.exports, 0, 2) == "Đã gửi, chưa có biên nhận"  # issue 21


def test_names_need_a_key(qtbot: QtBot, page: ExportPage, tmp_path: Path) -> None:
    page.names.check.setChecked(True)
    out = tmp_path / "out"
    page.start_export(out)
    assert not page.is_busy()
    assert "phải chọn tệp khóa công khai" in page.message.text()
    assert not out.exists() and _exports(page) == 0

    bad = tmp_path / "not-a-key.pem"
    bad.write_text("hello")
    assert not page.names.set_key_file(bad)
    assert "không hợp lệ" in page.names.fingerprint.text()
    page.start_export(out)
    assert not out.exists() and _exports(page) == 0


def test_names_sealed_to_a_key_made_in_the_window(qtbot: QtBot, page: ExportPage,
                                                  tmp_path: Path) -> None:
    dialog = KeygenDialog("19", "Tỉnh Thái Nguyên", page)
    keys = tmp_path / "keys"
    dialog.folder.setText(str(keys))
    dialog.passphrase.setText("ngắn")
    dialog.repeat.setText("ngắn")
    dialog.create_button.click()
    assert "ít nhất 8 ký tự" in dialog.message.text() and not keys.exists()
    dialog.passphrase.setText("mật khẩu dài")
    dialog.repeat.setText("mật khẩu khác")
    dialog.create_button.click()
    assert "không giống nhau" in dialog.message.text() and not keys.exists()
    dialog.repeat.setText("mật khẩu dài")
    dialog.create_button.click()
    assert dialog.fingerprint and "Đã tạo cặp khóa" in dialog.message.text()
    public = keys / "19-public.pem"
    assert public.exists() and (keys / "19-private.pem").exists()
    assert (keys / "19-khoa-phuc-hoi.pdf").exists()

    page.names.check.setChecked(True)
    assert page.names.set_key_file(public)
    assert dialog.fingerprint[:4] in page.names.fingerprint.text()
    out = tmp_path / "out"
    _export(qtbot, page, out)
    files = _entries(out / f"BC-DA01_{UNIT}_2025_v1.zip")
    assert "personal.enc" in files
    manifest = json.loads(files["manifest.json"])
    assert manifest["includes_personal_names"] is True
    assert manifest["encryption"]["recipient_fingerprint"] == dialog.fingerprint
    assert "mã hóa kèm theo" in page.message.text()


def test_failed_export_says_why_and_leaves_nothing(qtbot: QtBot, page: ExportPage,
                                                   tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    _export(qtbot, page, blocker)
    assert page.message.text().startswith("Chưa xuất được gói báo cáo.")
    assert "không phải thư mục" in page.message.text()
    assert not page.open_button.isVisibleTo(page)
    assert _exports(page) == 0 and sorted(tmp_path.iterdir()) == [blocker, tmp_path / "data"]


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="needs pdftoppm")
def test_pdf_preview_shows_pages_and_records_nothing(qtbot: QtBot, page: ExportPage) -> None:
    page.start_preview()
    qtbot.waitUntil(lambda: not page.is_busy(), timeout=WAIT)
    assert page.page_images, page.message.text()
    assert not page.page_images[0].pixmap().isNull()
    assert page.tabs.currentIndex() == 2
    assert _exports(page) == 0


def test_word_copy_beside_the_package(qtbot: QtBot, page: ExportPage, tmp_path: Path) -> None:
    """The ticked "bản Word" writes the report as .docx beside the package (same name), not
    into it, and the page says where (issue 22)."""
    out = tmp_path / "out"
    page.word_copy.setChecked(True)
    _export(qtbot, page, out)
    (package,) = out.glob("*.zip")
    docx = package.with_suffix(".docx")
    assert docx.is_file() and zipfile.is_zipfile(docx)
    assert "word/document.xml" in zipfile.ZipFile(docx).namelist()
    assert set(_entries(package)) == {"data.json", "bao-cao.xlsx", "bao-cao.pdf",
                                      "manifest.json"}
    assert f"Bản Word để chỉnh sửa: {docx}" in page.message.text()
    page.word_copy.setChecked(False)
    _export(qtbot, page, out)
    assert len(list(out.glob("*.docx"))) == 1
