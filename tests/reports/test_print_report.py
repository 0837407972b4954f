"""Issue 22: the printed report reads right, carries a QR code tied to its data, and a paper
copy can be checked (`check-print`); the Word copy and the workbook are read back by real
readers (LibreOffice, zbarimg, pdftotext)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import zipfile
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from htx_desktop.domain.indicators import INDICATOR_CODES
from htx_desktop.reports.print_code import make, parse
from htx_desktop.reports.report_text import met_sentence
from htx_desktop.reports.wording import indicator_text, sentence_case
from tests.reports.exchange_helpers import cli, export, make_folder

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tools"))
import print_pages

needs_zbar = pytest.mark.skipif(shutil.which("zbarimg") is None, reason="zbar-tools missing")


def _manifest(package: Path) -> dict[str, object]:
    with zipfile.ZipFile(package) as zf:
        data: dict[str, object] = json.loads(zf.read("manifest.json"))
    return data


def _expected_code(package: Path) -> str:
    m = _manifest(package)
    files = m["files"]
    assert isinstance(files, dict)
    unit, period = m["unit"], m["period"]
    assert isinstance(unit, dict) and isinstance(period, dict)
    return make(str(unit["code"]), str(period["label"]), int(str(m["version"])),
                files["data.json"]["sha256"]).text()


def _qr_texts(pdf: Path, page: int, tmp: Path) -> list[str]:
    png = tmp / f"page-{page}"
    subprocess.run(["pdftoppm", "-png", "-r", "150", "-f", str(page), "-l", str(page),
                    str(pdf), str(png)], check=True)
    (image,) = tmp.glob(f"page-{page}*.png")
    out = subprocess.run(["zbarimg", "-q", "--raw", str(image)], capture_output=True,
                         text=True)
    image.unlink()
    return [line for line in out.stdout.splitlines() if line]


def test_print_code_round_trip_and_refusals() -> None:
    code = make("01840", "2023–2025", 3, "AB" * 32)
    assert code.text() == "HTXBC:1:01840:2023-2025:3:" + "AB" * 32
    assert parse(code.text().lower()) == code
    assert parse(" " + code.text()[:20] + "\n" + code.text()[20:]) == code  # typed, wrapped
    assert parse("HTXBC:2:01840:2023-2025:3:" + "AB" * 32) is None  # a later format
    assert parse("https://example.org") is None and parse("") is None


def test_sentences_start_with_a_capital_and_one_percent_style() -> None:
    text = sentence_case("năm 2026: tiếp tục hỗ trợ. tổ chức tập huấn cho 100% cán bộ. đạt 80 %")
    assert text == ("Năm 2026: tiếp tục hỗ trợ. Tổ chức tập huấn cho 100\u00a0% cán bộ. "
                    "Đạt 80\u00a0%")


def test_each_indicator_names_the_phase_of_the_period() -> None:
    for code in ("CT6", "CT7"):
        assert indicator_text(code, date(2026, 12, 31)).endswith("(giai đoạn 2026–2030)")
        assert indicator_text(code, date(2025, 12, 31)).endswith("(giai đoạn 2023–2025)")


def test_count_of_indicators_met_is_over_all_listed() -> None:
    listed = [{"code": f"CT{i}", "value": 5, "target": 5 if i < 9 else None}
              for i in range(1, 10)]
    listed[0]["value"] = 1
    text = met_sentence(listed, (2026, 2030))
    assert "7/9 chỉ tiêu" in text and "CT9" in text


def test_demo_narratives_hold_no_figures(tmp_path: Path) -> None:
    """A narrative figure could only contradict the report's tables (issue 22): the demo's
    texts name years and dates only."""
    import sqlite3
    from contextlib import closing

    folder = make_folder(tmp_path, "01840", seed=1)
    with closing(sqlite3.connect(folder / "htx.sqlite3")) as conn:
        texts = [r[0] for r in conn.execute("SELECT text FROM narratives")]
    assert texts
    for text in texts:
        numbers = re.findall(r"\d[\d.,]*", text)
        years_and_dates = [n for n in numbers if re.fullmatch(r"20\d\d|01/7/2025|\d{2}", n)]
        assert numbers == years_and_dates or all(
            re.fullmatch(r"20\d\d|01|7|2025", n) for n in re.findall(r"\d+", text)), text


@needs_zbar
def test_pdf_qr_on_first_and_last_page_is_the_manifest(package: Path, tmp_path: Path
                                                       ) -> None:
    pdf = tmp_path / "bao-cao.pdf"
    with zipfile.ZipFile(package) as zf:
        pdf.write_bytes(zf.read("bao-cao.pdf"))
    expected = _expected_code(package)
    last = print_pages.page_count(pdf)
    assert last >= 2
    assert _qr_texts(pdf, 1, tmp_path) == [expected]
    assert _qr_texts(pdf, last, tmp_path) == [expected]
    # The first page's code is in the left margin with a quiet zone: no word comes near it.
    from htx_desktop.reports.pdf import MARGIN_CODE_MM

    mm = 72 / 25.4
    right_edge = (4.5 + MARGIN_CODE_MM) * mm
    bbox = subprocess.run(["pdftotext", "-bbox", "-f", "1", "-l", "1", str(pdf), "-"],
                          capture_output=True, text=True, check=True).stdout
    lefts = [float(x) for x in re.findall(r'<word xMin="([\d.]+)"', bbox)]
    assert lefts and min(lefts) > right_edge + 3 * mm


def test_check_print_says_received_latest_and_figures(tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]
                                                      ) -> None:
    province = make_folder(tmp_path, "19")
    commune = make_folder(tmp_path, "01840", seed=3)
    first = export(commune, "2025", tmp_path / "out")
    code = _expected_code(first)
    assert cli("--data-dir", str(province), "import", "--accept-new-key", str(first)) == 0
    capsys.readouterr()
    assert cli("--data-dir", str(province), "check-print", code, "--json") == 0
    result = json.loads(capsys.readouterr().out)
    assert result["received"] and result["latest"] and result["version"] == 1
    assert set(result["headline"]) == set(INDICATOR_CODES)
    # A second version arrives: the first paper copy is genuine but no longer the latest.
    second = export(commune, "2025", tmp_path / "out")
    assert cli("--data-dir", str(province), "import", str(second)) == 0
    capsys.readouterr()
    assert cli("--data-dir", str(province), "check-print", code) == 0
    said = capsys.readouterr().out
    assert "khớp" in said and "KHÔNG phải phiên bản mới nhất" in said and "CT1:" in said
    # A code whose data differs, and text that is no code at all: exit 1.
    forged = code[:-8] + ("0" * 8 if not code.endswith("0" * 8) else "1" * 8)
    assert cli("--data-dir", str(province), "check-print", forged) == 1
    assert "KHÔNG khớp" in capsys.readouterr().out
    assert cli("--data-dir", str(province), "check-print", "xin chào") == 1


@pytest.mark.libreoffice
@needs_zbar
def test_word_copy_opens_in_writer_with_the_same_qr(tmp_path: Path) -> None:
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice is not installed")
    commune = make_folder(tmp_path, "01840", seed=2)
    out = tmp_path / "out"
    assert cli("--data-dir", str(commune), "export", "--period", "2025", "--out", str(out),
               "--docx") == 0
    (package,) = out.glob("*.zip")
    docx = package.with_suffix(".docx")
    assert docx.exists()
    with zipfile.ZipFile(package) as zf:  # a copy beside the package, not one of its files
        assert not any(n.endswith(".docx") for n in zf.namelist())
    pdf = print_pages.to_pdf(docx, tmp_path)
    assert print_pages.page_count(pdf) >= 2
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "BÁO CÁO" in text and "Nơi nhận" in text and "Độc lập - Tự do - Hạnh phúc" in text
    expected = _expected_code(package)
    assert _qr_texts(pdf, 1, tmp_path) == [expected]
    assert _qr_texts(pdf, print_pages.page_count(pdf), tmp_path) == [expected]


def _smallest_text(pdf: Path) -> float:
    bbox = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout
    heights = [float(b) - float(a) for a, b in re.findall(
        r'<word xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)"', bbox)]
    return min(heights)


@pytest.mark.libreoffice
def test_workbook_prints_readably_in_calc(package: Path, tmp_path: Path) -> None:
    """LibreOffice Calc prints the workbook: every sheet on few pages, no text below 8 pt
    (a word's box is ≥ 1.1 × its font size in Times New Roman), the footer on every page."""
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice is not installed")
    book = tmp_path / "bao-cao.xlsx"
    with zipfile.ZipFile(package) as zf:
        book.write_bytes(zf.read("bao-cao.xlsx"))
    pages = print_pages.sheet_pages(book, tmp_path)  # by each page's footer "<sheet>  Trang"
    assert set(pages) == set(print_pages.sheet_names(book)) and all(pages.values())
    assert pages["Chỉ tiêu"] <= 2 and pages["Tổng hợp"] <= 4
    assert _smallest_text(tmp_path / "bao-cao.pdf") >= 8 * 1.1


@pytest.mark.libreoffice
def test_demo_province_plan_prints_on_a_few_pages(tmp_path: Path) -> None:
    """The plan of 93 units × 34 lines × 3 years (9,486 rows, 329 pages before) prints as its
    summary per line and year; its detail sheet prints one page of headings."""
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice is not installed")
    package = export(make_folder(tmp_path, "19", seed=1), "2023-2025", tmp_path / "out")
    book = tmp_path / "bao-cao.xlsx"
    with zipfile.ZipFile(package) as zf:
        book.write_bytes(zf.read("bao-cao.xlsx"))
    names = print_pages.sheet_names(book)
    pages = {}
    for name in ("Kế hoạch", "Kế hoạch (chi tiết)"):
        alone = tmp_path / f"sheet{names.index(name)}.xlsx"
        print_pages.only_sheet(book, names.index(name), alone)
        pdf = print_pages.to_pdf(alone, tmp_path)
        pages[name] = print_pages.page_count(pdf)
        assert _smallest_text(pdf) >= 8 * 1.1
    assert 1 <= pages["Kế hoạch"] <= 8 and pages["Kế hoạch (chi tiết)"] == 1
    import openpyxl

    detail = openpyxl.load_workbook(book, read_only=True)["Kế hoạch (chi tiết)"]
    rows = sum(1 for _ in detail.iter_rows(min_row=4, values_only=True))
    assert rows == 93 * 34 * 3  # every row is kept, on the screen


def test_an_abbreviation_does_not_end_the_sentence() -> None:
    assert sentence_case("hội chợ, triển lãm v.v. và tập huấn. tiếp tục") == (
        "Hội chợ, triển lãm v.v. và tập huấn. Tiếp tục")


def test_a_failed_word_copy_leaves_nothing(tmp_path: Path, make_inputs: Any,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """The Word copy is written before its package is in place: when either fails, neither
    is left behind, and the officer reads why."""
    import os

    from htx_desktop.reports import docx_report
    from htx_desktop.reports.errors import PackageError
    from htx_desktop.reports.package import write_package

    out = tmp_path / "out"
    real_replace = os.replace

    def failing_replace(src: Any, dst: Any) -> None:
        if str(dst).endswith(".zip"):
            raise OSError(28, "No space left on device")
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", failing_replace)
    with pytest.raises(PackageError, match="Ổ đĩa đã đầy"):
        write_package(**make_inputs(out), with_docx=True)
    assert list(out.iterdir()) == []
    monkeypatch.setattr(os, "replace", real_replace)

    def broken(*args: Any, **kwargs: Any) -> bytes:
        raise RuntimeError("template missing")

    monkeypatch.setattr(docx_report, "render_docx", broken)
    with pytest.raises(PackageError, match="Không tạo được gói báo cáo"):
        write_package(**make_inputs(out), with_docx=True)
    assert list(out.iterdir()) == []
