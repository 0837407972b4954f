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


def _coops_without_year(path: Path) -> Path:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    for row in (["Tên HTX/THT", "Loại hình", "Xã/phường", "Năm số liệu", "Tổng số thành viên"],
                ["HTX Một", "HTX", "Xã Tân Cương", None, 12],
                ["HTX Hai", None, "Xã Tân Cương", None, 9]):
        ws.append(row)
    wb.save(path)
    return path


def test_wizard_says_and_changes_the_year_of_figures_without_one(
        qtbot: QtBot, db: Database, tmp_path: Path) -> None:
    from datetime import date

    from htx_desktop.store.models import CooperativeYear
    from htx_desktop.ui.pages.report_hub_page import SheetsPanel

    this_year = date.today().year
    wizard = SheetImportWizard(db, officer="Hoàng Thị Mai")
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.file_page.path.setText(str(_coops_without_year(tmp_path / "ds.xlsx")))
    wizard.next()
    assert wizard.currentPage() is wizard.mapping_page and wizard.mapping_page.isComplete()
    wizard.next()
    preview = wizard.preview_page
    assert preview.year_row.isVisible()
    assert preview.year_box.currentText() == str(this_year)
    assert preview.summary.text() == (
        "Tạo mới 2, cập nhật 0, từ chối 0.\n2 dòng có số liệu nhưng không ghi năm: được tính là "
        f"số liệu năm {this_year}.")
    assert [preview.rows.item(r, 1).text() for r in range(2)] == ["Tạo mới", "Tạo mới"]
    preview.year_box.setCurrentIndex(preview.year_box.findData(2024))  # one choice, all rows
    assert preview.summary.text().endswith("được tính là số liệu năm 2024.")
    wizard.accept()
    with db.session() as s:
        assert sorted(s.scalars(select(CooperativeYear.year))) == [2024, 2024]
    panel = SheetsPanel(type("Ctx", (), {"db": db, "officer": ""})())  # type: ignore[arg-type]
    qtbot.addWidget(panel)
    panel.show_result(wizard)
    assert panel.result.text() == ("Đã nhập: tạo mới 2, cập nhật 0. Số liệu năm 2024 ở 2 dòng "
                                   "không ghi năm.")


def test_wizard_hides_the_year_for_a_sheet_without_figures(
        qtbot: QtBot, db: Database, tmp_path: Path) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["Họ và tên", "Xã/phường"])
    ws.append(["Nguyễn Thị Lan", "Xã Tân Cương"])
    wb.save(tmp_path / "people.xlsx")
    wizard = SheetImportWizard(db)
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.file_page.path.setText(str(tmp_path / "people.xlsx"))
    wizard.next()
    wizard.next()
    assert not wizard.preview_page.year_row.isVisible()
    assert "không ghi năm" not in wizard.preview_page.summary.text()


def test_wizard_refuses_a_sheet_with_a_far_cell(qtbot: QtBot, db: Database,
                                                 tmp_path: Path) -> None:
    """Issue 20: a 5 KB workbook with one cell at XFD1048576 is refused at once, with what
    to do, instead of filling the memory."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["Tên HTX/THT", "Loại", "Xã"])
    ws.append(["HTX Một", "HTX", "Xã Tân Cương"])
    ws["XFD1048576"] = "x"
    path = tmp_path / "xa.xlsx"
    wb.save(path)
    wizard = SheetImportWizard(db)
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.file_page.path.setText(str(path))
    wizard.next()
    assert wizard.currentPage() is wizard.file_page
    text = wizard.file_page.error.text()
    assert "quá lớn để đọc (1.048.576 dòng × 16.384 cột" in text
    assert "xoá các dòng, cột thừa" in text
    wizard.grab().save(str(tmp_path.parent / "sheet-far-cell.png"))
