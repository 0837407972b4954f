"""The template's drop-downs and checks, LibreOffice opening it, the command line, and a
property: arbitrary cells never crash the import nor leave half a record."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sheet_helpers import write_rows
from sqlalchemy import func, select

from htx_desktop.cli import run
from htx_desktop.sheets.importer import import_sheet
from htx_desktop.sheets.templates import HELP_SHEET, LISTS_SHEET, write_template
from htx_desktop.store.engine import Database
from htx_desktop.store.models import AuditEntry, Cooperative, CooperativeYear


def test_template_has_header_help_and_data_validations(db: Database, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    with db.session() as s:
        path = write_template(s, "cooperatives", tmp_path / "t.xlsx")
    wb = load_workbook(path)
    assert wb.sheetnames == ["Dữ liệu", HELP_SHEET, LISTS_SHEET]
    assert wb[LISTS_SHEET].sheet_state == "hidden"
    ws = wb.worksheets[0]
    headers = [c.value for c in ws[1]]
    assert headers[:3] == ["Tên HTX/THT (*)", "Loại hình (*)", "Xã/phường (*)"]
    checks = {str(dv.sqref): dv for dv in ws.data_validations.dataValidation}
    kind = checks["B2:B1001"]
    assert kind.type == "list" and kind.formula1.startswith(f"{LISTS_SHEET}!$")
    lists = wb[LISTS_SHEET]
    column = kind.formula1.split("!$")[1].split("$")[0]
    assert [lists[f"{column}{r}"].value for r in (2, 3, 4)] == ["HTX", "THT", "Liên hiệp HTX"]
    communes = checks["C2:C1001"]
    col = communes.formula1.split("!$")[1].split("$")[0]
    names = {lists[f"{col}{r}"].value for r in range(2, 100)}
    assert "Xã Tân Cương" in names and "Phường Phan Đình Phùng" in names
    members = checks["K2:K1001"]
    assert (members.type, members.operator, members.formula1) == (
        "whole", "greaterThanOrEqual", "0")
    assert checks["F2:F1001"].type == "date"
    assert checks["I2:I1001"].type == "list"  # Có / Không
    assert checks["A2:A1001"].type == "textLength" and checks["A2:A1001"].formula1 == "300"
    assert all(dv.showErrorMessage for dv in checks.values())


@pytest.mark.libreoffice
def test_libreoffice_opens_the_template(db: Database, tmp_path: Path) -> None:
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    with db.session() as s:
        path = write_template(s, "people", tmp_path / "people.xlsx")
    out = tmp_path / "out"
    subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/lo",
                    "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76",
                    "--outdir", str(out), str(path)], check=True, timeout=120,
                   capture_output=True)
    first = (out / "people.csv").read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith("Họ và tên (*),Giới tính,Năm sinh")


def _cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = run(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_template_and_import_sheet(tmp_path: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    d = str(tmp_path / "data")
    assert run(["--data-dir", d, "init", "--unit", "19"]) == 0
    capsys.readouterr()
    template = tmp_path / "t.xlsx"
    code, out, _ = _cli(capsys, "--data-dir", d, "template", "--kind", "cooperatives",
                        "--out", str(template))
    assert code == 0 and template.is_file()
    sheet = write_rows(tmp_path / "list.xlsx", [
        ["Tên HTX/THT", "Loại hình", "Xã/phường", "Mã số thuế"],
        ["HTX Một", "HTX", "Xã Tân Cương", None],
        ["HTX Hai", "Công ty", "Xã Tân Cương", None]])
    code, out, _ = _cli(capsys, "--data-dir", d, "import-sheet", str(sheet), "--dry-run",
                        "--json")
    data = json.loads(out)
    assert code == 0 and data["applied"] is False and data["kind"] == "cooperatives"
    assert [r["status"] for r in data["rows"]] == ["created", "refused"]
    assert "Dòng 3, cột «Loại hình»" in data["rows"][1]["reason"]
    code, out, _ = _cli(capsys, "--data-dir", d, "import-sheet", str(sheet))
    assert code == 0 and "Dòng 2: Tạo mới — HTX Một" in out and "Từ chối 1" not in out
    bad = write_rows(tmp_path / "bad.xlsx", [["Tên HTX/THT", "Loại hình", "Xã/phường"],
                                              ["HTX Ba", "?", "?"]])
    code, _, _ = _cli(capsys, "--data-dir", d, "import-sheet", str(bad), "--kind",
                      "cooperatives")
    assert code == 1
    junk = tmp_path / "junk.xlsx"
    junk.write_text("x")
    code, _, err = _cli(capsys, "--data-dir", d, "import-sheet", str(junk))
    assert code == 1 and "Không đọc được tệp" in err and "Traceback" not in err


_text = st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=12)
_cell = st.one_of(st.none(), _text, st.integers(-10**6, 10**13),
                  st.floats(allow_nan=True, allow_infinity=False), st.booleans(),
                  st.dates(), st.sampled_from(["HTX", "Xã Tân Cương", "12/03/2021", "1.200",
                                               "Tổng cộng", "Có", "2024", ""]))


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.lists(_cell, min_size=12, max_size=12), min_size=1, max_size=4))
def test_import_never_crashes_nor_writes_half_a_record(
        db: Database, tmp_path_factory: pytest.TempPathFactory,
        rows: list[list[object]]) -> None:
    header = ["Tên HTX/THT", "Loại hình", "Xã/phường", "Mã số thuế", "Thôn, xóm",
              "Ngày thành lập", "Lĩnh vực", "Hội hỗ trợ thành lập", "Năm số liệu",
              "Tổng số lao động", "Lao động nữ", "Doanh thu (đồng)"]
    path = write_rows(tmp_path_factory.mktemp("p") / "p.xlsx", [header, *rows])
    with db.session() as s:
        before = s.scalar(select(func.count()).select_from(Cooperative)) or 0
        audit_before = s.scalar(select(func.count()).select_from(AuditEntry)) or 0
    report = import_sheet(db, path, kind="cooperatives", apply=True)
    with db.session() as s:
        coops = s.scalar(select(func.count()).select_from(Cooperative)) or 0
        audit = s.scalar(select(func.count()).select_from(AuditEntry)) or 0
        years = s.scalar(select(func.count()).select_from(CooperativeYear)) or 0
    good = report.count("created") + report.count("updated")
    assert coops - before == report.count("created")
    # every created row logged; an update that changed nothing logs nothing
    assert report.count("created") <= audit - audit_before <= good
    assert years <= coops * len(rows)

