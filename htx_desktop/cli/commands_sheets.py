"""`template` and `import-sheet` (docs/INTERFACES.md §1): blank workbooks for offices without the
program, and bringing in their lists row by row."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from htx_desktop.cli.context import open_database, require_home_unit
from htx_desktop.cli.output import EXIT_OK, EXIT_REFUSED, CommandRefused, print_json, say
from htx_desktop.i18n import t

KINDS = ("cooperatives", "people", "events", "jobs")


def _kinds_help() -> str:
    from htx_desktop.sheets.columns import KIND_LABELS

    return "; ".join(f"{kind}: {t(KIND_LABELS[kind])}" for kind in KINDS)


def register(sub: Any) -> None:
    p = sub.add_parser("template", help=t("tạo bảng tính mẫu để thu thập dữ liệu"))
    p.add_argument("--kind", required=True, choices=KINDS,
                   help=t("loại dữ liệu — {kinds}", kinds=_kinds_help()))
    p.add_argument("--out", required=True, type=Path, metavar=t("TỆP"), help=t("tệp .xlsx sẽ ghi"))
    p.set_defaults(handler=cmd_template)

    p = sub.add_parser("import-sheet", help=t("nhập dữ liệu từ bảng tính, từng dòng"))
    p.add_argument("file", type=Path, metavar=t("TỆP"), help=t("tệp bảng tính .xlsx"))
    p.add_argument("--kind", choices=KINDS, help=t(
        "loại dữ liệu (mặc định: tự nhận ra theo dòng tiêu đề) — {kinds}", kinds=_kinds_help()))
    p.add_argument("--dry-run", action="store_true", help=t("chỉ xem trước, không ghi gì"))
    p.add_argument("--figures-year", type=_figures_year, metavar=t("NĂM"), help=t(
        "năm của số liệu (thành viên, lao động, doanh thu…) ở những dòng không ghi năm; "
        "mặc định: năm nay"))
    p.add_argument("--json", action="store_true", help=t("in kết quả dạng JSON"))
    p.set_defaults(handler=cmd_import_sheet)


def _figures_year(text: str) -> int:
    """A year a cooperative's figures can be for: the forms' range (1950 to this year)."""
    from datetime import date

    from htx_desktop.domain.validation import EARLIEST

    first, last = EARLIEST.year, date.today().year
    try:
        year = int(text.strip())
    except ValueError:
        year = 0
    if not first <= year <= last:
        raise argparse.ArgumentTypeError(t(
            "“{text}” không phải là năm của số liệu: hãy ghi một năm từ {first} đến {last}, "
            "ví dụ {last}.", text=text, first=first, last=last))
    return year


def cmd_template(args: argparse.Namespace) -> int:
    from htx_desktop.sheets.templates import write_template

    db = open_database(args)
    require_home_unit(db)
    with db.session() as session:
        path = write_template(session, args.kind, args.out)
    say(t("Đã ghi bảng tính mẫu vào {path}", path=path))
    return EXIT_OK


def cmd_import_sheet(args: argparse.Namespace) -> int:
    from htx_desktop.sheets.columns import KIND_LABELS
    from htx_desktop.sheets.importer import STATUS_LABELS, import_sheet
    from htx_desktop.store.settings import officer

    if not args.file.is_file():
        raise CommandRefused(t("Không tìm thấy tệp “{path}”.", path=args.file))
    db = open_database(args)
    require_home_unit(db)
    with db.session() as session:
        who = db.officer or officer(session).name  # on a shared server: this session's officer
    report = import_sheet(db, args.file, kind=args.kind, apply=not args.dry_run, officer=who,
                          figures_year=args.figures_year)
    if args.json:
        print_json(report.to_json())
    else:
        say(t("Tệp {path}, trang «{sheet}», dòng tiêu đề {row}, loại: {kind}.",
              path=args.file, sheet=report.sheet, row=report.header_row,
              kind=t(KIND_LABELS.get(report.kind, report.kind))))
        for o in report.outcomes:
            detail = _without_row(o.reason, o.row) if o.status == "refused" else o.record
            say(t("Dòng {row}: {status} — {detail}", row=o.row,
                  status=t(STATUS_LABELS[o.status]), detail=detail))
        say(t("Tạo mới {created}, cập nhật {updated}, từ chối {refused}.",
              created=report.count("created"), updated=report.count("updated"),
              refused=report.count("refused")))
        if note := report.figures_year_note():
            say(note + ("" if args.figures_year else " " + t(
                "Nếu là số liệu của năm khác, hãy chạy lại với --figures-year NĂM.")))
        if args.dry_run:
            say(t("Chạy thử: chưa ghi gì vào cơ sở dữ liệu."))
        elif report.applied and report.figures_year_rows:
            say(t("Đã nhập các dòng hợp lệ (số liệu năm {year} ở những dòng không ghi năm).",
                  year=report.figures_year))
        elif report.applied:
            say(t("Đã nhập các dòng hợp lệ."))
    return EXIT_REFUSED if report.all_refused else EXIT_OK


def _without_row(reason: str, row: int) -> str:
    """A refusal's reason without the "Dòng 3, " each of its lines opens with: the line it is
    printed on names the row already ("Dòng 3: Từ chối — cột «…»: …")."""
    opening = t("Dòng {row}", row=row)
    lines = []
    for line in reason.splitlines():
        if line.startswith(opening) and line[len(opening):len(opening) + 2] in (", ", ": "):
            line = line[len(opening) + 2:]
        lines.append(line)
    return "\n    ".join(lines)
