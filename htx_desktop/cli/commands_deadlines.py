"""`deadline`: the reporting calendar the units below report by (issue 21 point 4,
INTERFACES.md §1)."""

from __future__ import annotations

import argparse
from typing import Any

from htx_desktop.cli.context import in_transaction, open_database
from htx_desktop.cli.output import EXIT_OK, CommandRefused, print_json, say
from htx_desktop.i18n import t


def register(sub: Any) -> None:
    from htx_desktop.cli.commands_exchange import _period

    p = sub.add_parser("deadline", help=t(
        "lịch nộp báo cáo của các đơn vị trực thuộc: xem hoặc đặt hạn nộp của một kỳ"))
    which = p.add_mutually_exclusive_group(required=True)
    which.add_argument("--list", action="store_true",
                       help=t("in hạn nộp của mọi kỳ báo cáo"))
    which.add_argument("--period", type=_period, metavar=t("KỲ"),
                       help=t("kỳ báo cáo cần xem hoặc đặt hạn nộp (2026, 2023-2025, …)"))
    change = p.add_mutually_exclusive_group()
    change.add_argument("--due", metavar="DD/MM/YYYY",
                        help=t("đặt hạn nộp của kỳ, ví dụ 15/12/2026"))
    change.add_argument("--default", action="store_true",
                        help=t("dùng lại hạn nộp mặc định (25/12 của năm cuối kỳ)"))
    p.add_argument("--json", action="store_true", help=t("in JSON"))
    p.set_defaults(handler=cmd_deadline)


def cmd_deadline(args: argparse.Namespace) -> int:
    from htx_desktop.domain.typed_date import read_date
    from htx_desktop.reports.unit_keys import officer_name
    from htx_desktop.store.deadlines import calendar, deadline_of, set_deadline

    if args.list and (args.due is not None or args.default):
        raise CommandRefused(t("--due và --default chỉ dùng cùng --period KỲ."))
    due = None
    if args.due is not None:
        reading = read_date(args.due)
        if reading.value is None:
            raise CommandRefused(reading.problem or t(
                "Hãy ghi hạn nộp dạng ngày/tháng/năm, ví dụ 25/12/2026."))
        due = reading.value
    db = open_database(args)
    if args.list:
        with db.session() as session:
            found = calendar(session)
    elif due is not None or args.default:
        found = [in_transaction(db, lambda session: set_deadline(
            session, args.period, due, by=officer_name(db, session)))]
    else:
        with db.session() as session:
            found = [deadline_of(session, args.period)]
    if args.json:
        if args.list:
            print_json({"deadlines": [d.to_json() for d in found]})
        else:
            print_json(found[0].to_json())
        return EXIT_OK
    if args.list:
        say(t("Lịch nộp báo cáo của các đơn vị trực thuộc:"))
        for d in found:
            say(f"{d.period.label:<11}{d.describe()}")
        return EXIT_OK
    (d,) = found
    changed = due is not None or args.default
    say(t("Đã đặt hạn nộp báo cáo {title}: {due}.", title=d.period.title, due=d.describe())
         if changed else
         t("Hạn nộp báo cáo {title}: {due}.", title=d.period.title, due=d.describe()))
    return EXIT_OK
