"""Print a workbook as LibreOffice Calc does and count each sheet's A4 pages.

    python tools/print_pages.py BOOK.xlsx [--png DIR]

For each sheet a copy of the workbook with only that sheet visible is converted to PDF by
LibreOffice headless (a hidden sheet is not printed, unless it has a print area: LibreOffice
prints those, so the copy drops the other sheets' print areas); the page count comes from
`pdfinfo`, and with `--png` the first printed page of each sheet is rendered by `pdftoppm`.
Used for the before/after page counts in CHANGELOG (issue 22) and by tests/reports.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

_SHEET = re.compile(rb'<sheet name="([^"]*)"[^>]*?state="visible"')


def sheet_names(book: Path) -> list[str]:
    with zipfile.ZipFile(book) as zf:
        xml = zf.read("xl/workbook.xml")
    return [m.decode("utf-8") for m in re.findall(rb'<sheet name="([^"]*)"', xml)]


def only_sheet(book: Path, index: int, out: Path) -> None:
    """A copy of `book` where every sheet but number `index` (0-based) is hidden."""
    with zipfile.ZipFile(book) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            raw = src.read(info)
            if info.filename == "xl/workbook.xml":
                raw = _hide_all_but(raw, index)
                # LibreOffice prints a hidden sheet that has a print area: drop theirs
                raw = re.sub(rb'<definedName name="_xlnm.Print_Area" localSheetId="(\d+)">'
                             rb'[^<]*</definedName>',
                             lambda m: m.group(0) if int(m.group(1)) == index else b"", raw)
                raw = re.sub(rb'activeTab="\d+"', b'activeTab="%d"' % index, raw)
                raw = re.sub(rb'firstSheet="\d+"', b'firstSheet="%d"' % index, raw)
            elif info.filename.startswith("xl/worksheets/sheet"):
                # LibreOffice prints the selected tab only if it is the active one
                raw = raw.replace(b'tabSelected="1"', b'tabSelected="0"')
            dst.writestr(info, raw)


def _hide_all_but(xml: bytes, index: int) -> bytes:
    count = iter(range(10_000))

    def state(m: re.Match[bytes]) -> bytes:
        return m.group(1) + (b'state="visible"' if next(count) == index else b'state="hidden"')

    return re.sub(rb'(<sheet [^>]*?)state="\w+"', state, xml)


def to_pdf(source: Path, out_dir: Path) -> Path:
    """`source` converted to PDF by LibreOffice headless, in `out_dir`."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise RuntimeError("LibreOffice (soffice) is not installed")
    profile = Path(tempfile.mkdtemp(prefix="lo-profile-"))
    try:
        subprocess.run([soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless",
                        "--convert-to", "pdf", "--outdir", str(out_dir), str(source)],
                       check=True, capture_output=True, timeout=600)
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    pdf = out_dir / (source.stem + ".pdf")
    if not pdf.exists():
        raise RuntimeError(f"LibreOffice wrote no PDF for {source}")
    return pdf


def page_count(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True,
                          text=True).stdout
    match = re.search(r"^Pages:\s+(\d+)", info, re.MULTILINE)
    return int(match.group(1)) if match else 0


_FOOTER = re.compile(r"^\s*(\S.*?)\s{2,}Trang (\d+)/(\d+)\s*$")


def sheet_pages(book: Path, work: Path, png_dir: Path | None = None) -> dict[str, int]:
    """{sheet name: printed pages} of `book` printed whole: each page's footer names its
    sheet (HTX Desktop's workbooks, issue 22); a book without that footer counts each sheet
    printed alone (every other sheet hidden), as the "before" figures were measured."""
    pdf = to_pdf(book, work)
    names = sheet_names(book)
    pages: dict[str, int] = {}
    first: dict[str, int] = {}
    total = page_count(pdf)
    for number in range(1, total + 1):
        text = subprocess.run(["pdftotext", "-layout", "-f", str(number), "-l", str(number),
                               str(pdf), "-"], check=True, capture_output=True,
                              text=True).stdout
        lines = [line for line in text.splitlines() if line.strip()]
        match = _FOOTER.match(lines[-1]) if lines else None
        if match is None or match.group(1) not in names:
            return _alone(book, work, png_dir)
        name = match.group(1)
        pages[name] = pages.get(name, 0) + 1
        first.setdefault(name, number)
    if png_dir is not None:
        png_dir.mkdir(parents=True, exist_ok=True)
        for i, name in enumerate(names):
            if name in first:
                subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", str(first[name]), "-l",
                                str(first[name]), str(pdf), str(png_dir / f"sheet{i + 1:02d}")],
                               check=True)
    return {name: pages.get(name, 0) for name in names}


def _alone(book: Path, work: Path, png_dir: Path | None) -> dict[str, int]:
    pages: dict[str, int] = {}
    for i, name in enumerate(sheet_names(book)):
        part = work / f"sheet{i + 1:02d}.xlsx"
        only_sheet(book, i, part)
        pdf = to_pdf(part, work)
        pages[name] = page_count(pdf)
        if png_dir is not None:
            png_dir.mkdir(parents=True, exist_ok=True)
            subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(pdf),
                            str(png_dir / f"{part.stem}")], check=True)
    return pages


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("book", type=Path)
    parser.add_argument("--png", type=Path, help="render each sheet's first page here")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as work:
        pages = sheet_pages(args.book, Path(work), args.png)
    for name, n in pages.items():
        print(f"{n:5d}  {name}")
    print(f"{sum(pages.values()):5d}  total")
    return 0


if __name__ == "__main__":
    sys.exit(main())
