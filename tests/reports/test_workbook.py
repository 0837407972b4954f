"""The package's workbook: indicator values, one row per record, text never a formula."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import zipfile
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from htx_desktop.domain.indicators import INDICATOR_CODES
from htx_desktop.reports.package import write_package
from htx_desktop.reports.workbook import HEADER_ROWS

openpyxl = pytest.importorskip("openpyxl")

START, END = date(2025, 1, 1), date(2025, 12, 31)


def _workbook(package: Path) -> Any:
    with zipfile.ZipFile(package) as zf:
        raw = zf.read("bao-cao.xlsx")
    return openpyxl.load_workbook(io.BytesIO(raw))


def _indicators(package: Path) -> list[dict[str, Any]]:
    with zipfile.ZipFile(package) as zf:
        data: list[dict[str, Any]] = json.loads(zf.read("data.json"))["indicators"]["indicators"]
    return data


def test_indicator_sheet_equals_the_indicators(package: Path) -> None:
    ws = _workbook(package)["Chỉ tiêu"]
    indicators = _indicators(package)
    rows = list(ws.iter_rows(min_row=HEADER_ROWS + 1, values_only=True))
    assert len(rows) == len(indicators) == len(INDICATOR_CODES)
    for row, ind in zip(rows, indicators, strict=True):
        code, _text, value, numerator, denominator, cumulative, target = row[:7]
        assert (code, value, numerator, denominator, cumulative, target) == (
            ind["code"], ind["value"], ind["numerator"], ind["denominator"],
            ind["cumulative"], ind["target"])
    ct6 = rows[5]
    assert ct6[7] == 10 and ct6[9] == 20.0  # 2025 target; progress on the cumulative 2


def _in(d: date) -> bool:
    return START <= d <= END


def test_every_list_sheet_has_one_row_per_record(package: Path, make_inputs: Any,
                                                 tmp_path: Path) -> None:
    data = make_inputs(tmp_path)["dataset"]
    expected = {
        "HTX": sum(1 for c in data.cooperatives if c.kind in ("htx", "lhhtx")),
        "THT": sum(1 for c in data.cooperatives if c.kind == "tht"),
        "Việc làm": len(data.cooperatives),
        "Nhóm ưu tiên": sum(1 for p in data.priority_counts if p.year == 2025),
        "Sự kiện": sum(1 for e in data.events if _in(e.start)),
        "Hỗ trợ": sum(1 for s in data.support if _in(s.on)),
        "Vốn vay": sum(1 for s in data.support if _in(s.on) and s.kind == "credit"),
        "Truyền thông": sum(1 for c in data.communications if _in(c.on)),
        "Kế hoạch (chi tiết)": sum(1 for p in data.plan_status if p.year == 2025),
        "Cán bộ": len(data.cadres),
        "Tiến độ nộp báo cáo": 2,
    }
    assert expected["HTX"] and expected["Sự kiện"] and expected["Vốn vay"]
    wb = _workbook(package)
    for title, count in expected.items():
        assert wb[title].max_row == HEADER_ROWS + count, title


def test_sheets_are_set_up_for_reading_and_printing(package: Path) -> None:
    wb = _workbook(package)
    assert wb.sheetnames[:2] == ["Chỉ tiêu", "Tổng hợp"]
    for ws in wb.worksheets:
        # headings frozen; a wide list's number and name too
        wide = ws.title in ("HTX", "THT", "Sự kiện")
        assert ws.freeze_panes == f"{'C' if wide else 'A'}{HEADER_ROWS + 1}", ws.title
        assert ws.print_title_rows == f"$1:${HEADER_ROWS}"
        assert ws.page_setup.paperSize == 9
        assert ws.oddFooter.center.text == "Trang &P/&N"
        assert ws.column_dimensions["A"].width > 0
    assert wb["Tổng hợp"].page_setup.orientation == "portrait"
    assert wb["Chỉ tiêu"].page_setup.orientation == "landscape"
    # Wide record lists print in column groups with their number and name on every page,
    # never shrunk below 8 pt; record ids are outside the print area.
    htx = wb["HTX"]
    assert not htx.sheet_properties.pageSetUpPr.fitToPage and htx.page_setup.scale >= 73
    assert htx.print_title_cols == "$A:$B" and len(htx.col_breaks.brk) >= 1
    assert htx.cell(row=HEADER_ROWS, column=htx.max_column).value == "Mã hồ sơ"
    assert htx.print_area.endswith(f"$W${htx.max_row}")
    assert htx.cell(row=HEADER_ROWS, column=21).value == "Doanh thu (đồng)"
    revenue = htx.cell(row=HEADER_ROWS + 1, column=21)
    assert isinstance(revenue.value, int | type(None))
    assert htx.cell(row=HEADER_ROWS, column=6).value == "Ngày thành lập"
    assert htx.cell(row=HEADER_ROWS + 1, column=6).number_format == "DD/MM/YYYY"
    # counts without decimals, percentages with one and the sign (the cell holds 0–100)
    indicators = wb["Chỉ tiêu"]
    formats = {row[0].value: (row[2].number_format, row[9].number_format)
               for row in indicators.iter_rows(min_row=HEADER_ROWS + 1)}
    assert formats["CT1"][0] == "#,##0" and formats["CT5"][0] == '0.0"\u00a0%"'
    assert formats["CT1"][1] == '0.0"\u00a0%"'


def test_years_and_row_numbers_have_no_thousands_separator(package: Path) -> None:
    """A year shown as "2.025" (or "2,025") reads as a quantity: years and row numbers are
    plain integers, counts keep their separator."""
    wb = _workbook(package)
    checked = 0
    for ws in wb.worksheets:
        titles = [c.value for c in ws[HEADER_ROWS]]
        for column, title in enumerate(titles, start=1):
            cell = ws.cell(row=HEADER_ROWS + 1, column=column)
            if not isinstance(cell.value, int):
                continue
            if title in ("STT", "Năm", "Năm số liệu"):
                assert cell.number_format == "0", (ws.title, title)
                checked += 1
            elif title in ("Thành viên", "Lao động nữ"):
                assert cell.number_format == "#,##0", (ws.title, title)
    assert checked >= 3  # the HTX and job sheets' years, row numbers


def test_formula_injection_stays_text(package: Path, make_inputs: Any, tmp_path: Path
                                      ) -> None:
    injection = make_inputs(tmp_path)["dataset"].cooperatives[0].name
    assert injection.startswith("=HYPERLINK(")
    ws = _workbook(package)["HTX"]
    cells = [c for row in ws.iter_rows(min_row=HEADER_ROWS + 1) for c in row
             if c.value == injection]
    assert len(cells) == 1
    assert cells[0].data_type == "s" and cells[0].quotePrefix
    for title in ("Truyền thông", "Kế hoạch", "Kế hoạch (chi tiết)"):  # "-…", "+…" too
        texts = [c for row in _workbook(package)[title].iter_rows(min_row=HEADER_ROWS + 1)
                 for c in row if isinstance(c.value, str) and c.value[:1] in "-+"]
        assert texts and all(c.data_type == "s" and c.quotePrefix for c in texts)
    with zipfile.ZipFile(package) as zf:
        book = zipfile.ZipFile(io.BytesIO(zf.read("bao-cao.xlsx")))
        sheets = [n for n in book.namelist() if n.startswith("xl/worksheets/")]
        assert not any(b"<f>" in book.read(n) for n in sheets)


def _plan_check(wb: Any, home_name: str) -> int:
    """The "Kế hoạch" summary against "Kế hoạch (chi tiết)": per line and year, the units of
    each status are the detail's rows of that status, and the home unit's result is its own
    row's. Returns the summary's rows."""
    from collections import Counter

    detail = list(wb["Kế hoạch (chi tiết)"].iter_rows(min_row=HEADER_ROWS + 1,
                                                      values_only=True))
    by_status = Counter((line, year, status) for _n, line, _u, year, status, *_ in detail)
    results = {(line, year): result for _n, line, unit, year, _s, result, *_ in detail
               if unit == home_name and result}
    summary = wb["Kế hoạch"]
    heads = [c.value for c in summary[HEADER_ROWS]]
    statuses = ["Đã hoàn thành", "Đang triển khai", "Chưa triển khai"]
    assert heads[:3] == ["Dòng KH", "Nội dung", "Năm"]
    assert heads[3:6] == [f"Số đơn vị {s.lower()}" for s in statuses]
    assert heads[-1] == f"Kết quả của {home_name}"
    other = len(heads) == 8
    rows = list(summary.iter_rows(min_row=HEADER_ROWS + 1, values_only=True))
    seen: Counter[tuple[str, int, str]] = Counter()
    for line, _content, year, *counts, result in rows:
        for status, n in zip(statuses, counts, strict=False):
            seen[(line, year, status)] += n
        if other:
            seen[(line, year, "khác")] += counts[3]
        assert (result or None) == results.get((line, year)), (line, year)
    known = Counter({k: n for k, n in by_status.items() if k[2] in statuses})
    unknown = Counter((line, year, "khác") for line, year, status in by_status.elements()
                      if status not in statuses)
    assert +seen == known + unknown
    assert len(rows) == len({(line, year) for line, year, _s in by_status})
    return len(rows)


def test_plan_prints_a_summary_of_its_unprinted_detail(package: Path) -> None:
    wb = _workbook(package)
    assert _plan_check(wb, "Tỉnh Thái Nguyên") >= 2
    names = wb.sheetnames
    assert names.index("Kế hoạch (chi tiết)") == names.index("Kế hoạch") + 1
    detail = wb["Kế hoạch (chi tiết)"]
    # The detail prints its title, its note and its headings only, and says so.
    assert detail.print_area == f"'Kế hoạch (chi tiết)'!$A$1:$F${HEADER_ROWS}"
    assert "Chi tiết — không in" in str(detail["A2"].value)
    summary = wb["Kế hoạch"]
    assert not summary.print_area  # all of it
    assert summary.page_setup.orientation == "landscape" and summary.page_setup.scale == 100
    assert "Kế hoạch (chi tiết)" in str(summary["A2"].value)


def test_plan_summary_counts_a_newer_programs_status(make_inputs: Any, tmp_path: Path
                                                    ) -> None:
    """A status this program does not know (a newer one's) is counted, not dropped."""
    from htx_desktop.domain.records import PlanStatusRec
    from htx_desktop.reports.workbook import build_workbook

    inputs = make_inputs(tmp_path)
    dataset = inputs["dataset"]
    dataset.plan_status += [PlanStatusRec("05443", "II.1", 2025, "postponed", "Hoãn"),
                            PlanStatusRec("19", "IV.1", 2025, "postponed", "Tạm hoãn")]
    keys = ("dataset", "indicators", "activity", "unit", "period_label", "period_start",
            "period_end", "management_positions", "targets")
    book = build_workbook(**{k: inputs[k] for k in keys})
    wb = openpyxl.load_workbook(io.BytesIO(book))
    assert wb["Kế hoạch"].cell(row=HEADER_ROWS, column=7).value == "Số đơn vị tình trạng khác"
    _plan_check(wb, "Tỉnh Thái Nguyên")
    rows = {(r[0], r[2]): r for r in wb["Kế hoạch"].iter_rows(min_row=HEADER_ROWS + 1,
                                                              values_only=True)}
    assert rows[("IV.1", 2025)][3:] == (0, 0, 0, 1, "Tạm hoãn")


def test_no_submission_sheet_for_a_unit_without_children(tmp_path: Path, make_inputs: Any
                                                         ) -> None:
    inputs = make_inputs(tmp_path, submissions=None)
    dataset = inputs["dataset"]
    dataset.units = [u for u in dataset.units if u.code == "05443"]
    unit = {"code": "05443", "name": "Phường Phan Đình Phùng", "level": "xa",
            "parent_code": "19"}
    indicators = {**inputs["indicators"], "unit": "05443"}
    path = write_package(**{**inputs, "unit": unit, "indicators": indicators})
    assert "Tiến độ nộp báo cáo" not in _workbook(path).sheetnames


@pytest.mark.libreoffice
def test_libreoffice_reads_the_injection_as_text(package: Path, make_inputs: Any,
                                                 tmp_path: Path) -> None:
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice is not installed")
    book = tmp_path / "bao-cao.xlsx"
    with zipfile.ZipFile(package) as zf:
        book.write_bytes(zf.read("bao-cao.xlsx"))
    # Sheet 3 is "HTX"; 76 keeps UTF-8 (STACK-NOTES).
    subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/lo",
                    "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,"
                    "false,false,false,3", "--outdir", str(tmp_path), str(book)],
                   check=True, capture_output=True, timeout=120)
    text = "".join(p.read_text(encoding="utf-8") for p in tmp_path.glob("*.csv"))
    injection = make_inputs(tmp_path)["dataset"].cooperatives[0].name
    assert injection.replace('"', '""') in text
