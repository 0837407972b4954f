"""The import wizard end to end with qtbot: file → mapping → dry run → import."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot
from sqlalchemy import select

from htx_desktop.sheets.templates import LISTS_SHEET
from htx_desktop.store.engine import Database
from htx_desktop.store.models import Cooperative
from htx_desktop.ui.sheet_import_wizard import SheetImportWizard, save_template_dialog


def _own_list(path: Path) -> Path:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    for row in (["Đơn vị ghi", "Loại", "Xã", "Ghi chú"],
                ["HTX Một", "HTX", "Xã Tân Cương", "a"],
                ["HTX Hai", "Công ty", "Xã Tân Cương", "b"]):
        ws.append(row)
    wb.save(path)
    return path


def test_wizard_maps_previews_and_imports(qtbot: QtBot, db: Database, tmp_path: Path) -> None:
    wizard = SheetImportWizard(db, officer="Hoàng Thị Mai")
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.file_page.path.setText(str(_own_list(tmp_path / "own.xlsx")))
    wizard.file_page.kind.setCurrentIndex(wizard.file_page.kind.findData("cooperatives"))
    wizard.next()
    assert wizard.currentPage() is wizard.mapping_page
    page = wizard.mapping_page
    assert not page.isComplete()  # the name column is not recognised yet
    assert page.combo(1).currentData() == "kind" and page.combo(2).currentData() == "commune"
    page.combo(0).setCurrentIndex(page.combo(0).findData("name"))
    assert page.isComplete()
    wizard.next()
    preview = wizard.preview_page
    assert [preview.rows.item(r, 1).text() for r in range(2)] == ["Tạo mới", "Từ chối"]
    assert "cột «Loại»" in preview.rows.item(1, 2).text()
    with db.session() as s:
        assert list(s.scalars(select(Cooperative))) == []  # the preview wrote nothing
    wizard.accept()
    with db.session() as s:
        assert [c.name for c in s.scalars(select(Cooperative))] == ["HTX Một"]


def test_wizard_refuses_an_unreadable_file(qtbot: QtBot, db: Database, tmp_path: Path) -> None:
    junk = tmp_path / "junk.xlsx"
    junk.write_text("x")
    wizard = SheetImportWizard(db)
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.file_page.path.setText(str(junk))
    wizard.next()
    assert wizard.currentPage() is wizard.file_page
    assert "Không đọc được tệp" in wizard.file_page.error.text()


def test_save_template_dialog_writes_the_workbook(db: Database, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    path = save_template_dialog(db, kind="jobs", path=str(tmp_path / "jobs.xlsx"))
    assert path is not None and LISTS_SHEET in load_workbook(path).sheetnames
