"""The formal report: administrative header, figures as formatted, embedded fonts, and every
section with text."""

from __future__ import annotations

import shutil
import subprocess
import zipfile
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from htx_desktop.reports.report_text import NEUTRAL, body_blocks
from htx_desktop.reports.wording import NBSP, fmt_value


def _pdf(package: Path, tmp_path: Path) -> Path:
    out = tmp_path / "bao-cao.pdf"
    with zipfile.ZipFile(package) as zf:
        out.write_bytes(zf.read("bao-cao.pdf"))
    return out


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.skip(f"{name} (poppler-utils) is not installed")
    return path


def test_pdf_text_has_header_and_every_indicator_value(package: Path, tmp_path: Path,
                                                       make_inputs: Any) -> None:
    pdf = _pdf(package, tmp_path)
    inputs = make_inputs(tmp_path)
    text = subprocess.run([_tool("pdftotext"), "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout.replace(NBSP, " ")
    for expected in ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
                     "BÁO CÁO", "Số: 05/BC-HPN", "Thái Nguyên, ngày 05 tháng 01 năm 2026",
                     "HỘI LHPN TỈNH THÁI NGUYÊN", "Nơi nhận:", "- Lưu: VT.",
                     inputs["prepared_by"]["name"], "TM. BAN THƯỜNG VỤ",
                     "lũy kế 2023–2025: 2 HTX, đạt 20,0 % chỉ tiêu",
                     "Các cấp Hội đã tuyên truyền sâu rộng về Đề án."):
        assert expected in text, expected
    indicators = inputs["indicators"]["indicators"]
    for ind in indicators:
        assert fmt_value(ind["code"], ind["value"]).replace(NBSP, " ") in text, ind["code"]
    assert "66,7 %" in text  # CT5 of case 1


def test_pdf_fonts_are_embedded(package: Path, tmp_path: Path) -> None:
    pdf = _pdf(package, tmp_path)
    out = subprocess.run([_tool("pdffonts"), str(pdf)], capture_output=True, text=True,
                         check=True).stdout
    rows = out.splitlines()[2:]
    assert rows and any("Tinos" in r for r in rows)
    for row in rows:
        assert row.split()[-5] == "yes", row  # the "emb" column


def test_pdf_is_a4_with_page_numbers_from_page_two(package: Path, tmp_path: Path) -> None:
    pdf = _pdf(package, tmp_path)
    info = subprocess.run([_tool("pdfinfo"), str(pdf)], capture_output=True, text=True,
                          check=True).stdout
    assert "595.276 x 841.89 pts (A4)" in info
    pages = int(next(line.split()[-1] for line in info.splitlines()
                     if line.startswith("Pages:")))
    assert pages >= 2
    first = subprocess.run([_tool("pdftotext"), "-f", "1", "-l", "1", str(pdf), "-"],
                           capture_output=True, text=True, check=True).stdout
    second = subprocess.run([_tool("pdftotext"), "-f", "2", "-l", "2", str(pdf), "-"],
                            capture_output=True, text=True, check=True).stdout
    assert second.strip().splitlines()[0].strip() == "2"
    assert first.strip().splitlines()[0].strip() != "1"


def test_every_heading_is_followed_by_text(tmp_path: Path, make_inputs: Any) -> None:
    inputs = make_inputs(tmp_path)
    blocks = body_blocks(indicators=inputs["indicators"], activity={}, narrative={},
                         issuer_name="Hội LHPN tỉnh Thái Nguyên", start=date(2025, 1, 1),
                         end=date(2025, 12, 31))
    kinds = [kind for kind, _ in blocks]
    for i, kind in enumerate(kinds):
        if kind == "h2":
            assert kinds[i + 1] == "p", blocks[i]
        if kind == "h1":
            assert kinds[i + 1] in ("p", "h2"), blocks[i]
    texts = [text for kind, text in blocks if kind == "p"]
    assert NEUTRAL in texts  # task 6 and the proposals have neither text nor figures
    assert all(t.strip() for t in texts)
