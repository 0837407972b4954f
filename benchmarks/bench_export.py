"""Exporting the province's report package (`reports.export.export_package`, period phase1)
against the floor of our own stack: writing the same workbook rows with openpyxl's write-only
mode plus the same PDF text and table with a plain reportlab document.

Both run in their own process (own peak RSS), with openpyxl and reportlab imported before the
clock starts (their import cost, paid once per session, is reported apart). The floor's rows are
read back from the workbook the program wrote, and its PDF content is the program's own
`ReportContent`, captured while exporting.
"""

from __future__ import annotations

import argparse
import io
import pickle
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import (
    CACHE,
    PYTHON,
    child_result,
    demo_data_dir,
    fresh_copy,
    median,
    print_child_result,
    result,
    run_child_rss,
    self_rss_mb,
)

PERIOD = "phase1"


def export_child(folder: Path, capture: Path, profile: bool) -> None:
    t0 = time.perf_counter()
    import openpyxl
    import reportlab.platypus  # noqa: F401
    libs = time.perf_counter() - t0

    from htx_desktop.domain.periods import parse_period
    from htx_desktop.reports import package
    from htx_desktop.reports.export import export_package
    from htx_desktop.store.engine import Database
    from htx_desktop.store.paths import DataDir

    captured: dict[str, Any] = {}
    original = package._report_content

    def capturing(**kwargs: Any) -> Any:
        captured["content"] = content = original(**kwargs)
        return content

    package._report_content = capturing
    db = Database.open(DataDir(folder), check=False)
    out = folder / "out"
    period = parse_period(PERIOD)
    if profile:
        import cProfile
        import pstats
        prof = cProfile.Profile()
        prof.runcall(export_package, db, period, out / "profile")
        pstats.Stats(prof).sort_stats("cumulative").print_stats(40)
    start = time.perf_counter()
    path = export_package(db, period, out)
    seconds = time.perf_counter() - start
    rss = self_rss_mb()

    import zipfile
    with zipfile.ZipFile(path) as zf:
        sizes = {i.filename: i.file_size for i in zf.infolist()}
        workbook = zf.read(next(n for n in sizes if n.endswith(".xlsx")))
    wb = openpyxl.load_workbook(io.BytesIO(workbook), read_only=True)
    sheets = [(ws.title, [list(r) for r in ws.iter_rows(values_only=True)])
              for ws in wb.worksheets]
    capture.write_bytes(pickle.dumps({"sheets": sheets, "content": captured["content"]}))
    print_child_result({"seconds": seconds, "libs_import_s": libs, "rss_mb": rss,
                        "package_bytes": path.stat().st_size, "parts": sizes,
                        "rows": sum(len(rows) for _t, rows in sheets)})


def floor_child(capture: Path) -> None:
    import openpyxl
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table

    from htx_desktop.reports.pdf import FONT, register_fonts

    data = pickle.loads(capture.read_bytes())
    start = time.perf_counter()
    wb = openpyxl.Workbook(write_only=True)
    for title, rows in data["sheets"]:
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    xlsx_s = time.perf_counter() - start

    start = time.perf_counter()
    register_fonts()
    content = data["content"]
    style = ParagraphStyle("p", fontName=FONT, fontSize=13)
    story: list[Any] = [Paragraph(text, style) for _kind, text in content.blocks]
    if content.table_rows:
        story.append(Table([[Paragraph(c, style) for c in r] for r in content.table_rows],
                           repeatRows=1))
    out = io.BytesIO()
    SimpleDocTemplate(out, pagesize=A4, initialFontName=FONT).build(story)
    pdf_s = time.perf_counter() - start
    print_child_result({"seconds": xlsx_s + pdf_s, "xlsx_s": xlsx_s, "pdf_s": pdf_s,
                        "rss_mb": self_rss_mb(), "xlsx_bytes": len(buf.getvalue()),
                        "pdf_bytes": len(out.getvalue())})


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--national", action="store_true")
    parser.add_argument("--export-child", type=Path)
    parser.add_argument("--floor-child", type=Path)
    parser.add_argument("--capture", type=Path)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    if args.export_child:
        export_child(args.export_child, args.capture, args.profile)
        return
    if args.floor_child:
        floor_child(args.floor_child)
        return
    runs = 1 if args.quick else 3
    scales = (1,) if args.quick else (1, 20)
    for scale in scales:
        capture = CACHE / f"export-capture-{scale}.pickle"
        times, floors, rss, floor_rss, info, floor_info = [], [], [], [], {}, {}
        for _ in range(runs):
            folder = fresh_copy(demo_data_dir(scale), f"export-{scale}")
            _w, _peak, out = run_child_rss([PYTHON, __file__, "--export-child", str(folder),
                                            "--capture", str(capture)])
            info = child_result(out)
            times.append(info["seconds"])
            # The export's own peak, taken as it ends: the child then reads the workbook back
            # for the floor, which at scale 20 needs more memory than the export itself.
            rss.append(info["rss_mb"])
            _w, peak, out = run_child_rss([PYTHON, __file__, "--floor-child", str(capture)])
            floor_info = child_result(out)
            floors.append(floor_info["seconds"])
            floor_rss.append(peak)
        print_child_result(result(
            f"export_scale{scale}", value_s=median(times), floor_s=median(floors),
            ratio=median(times) / median(floors), target_ratio=2.0, peak_rss_mb=max(rss),
            floor_rss_mb=max(floor_rss), package_bytes=info["package_bytes"],
            parts=info["parts"], workbook_rows=info["rows"],
            libs_import_s=info["libs_import_s"], floor_xlsx_s=floor_info["xlsx_s"],
            floor_pdf_s=floor_info["pdf_s"], runs=runs))


if __name__ == "__main__":
    main()
