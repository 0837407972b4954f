"""`review`, `receipts`, `sent`: the way back down (issue 21). The receiving unit accepts or
returns a submission and writes the receipts; the sending unit lists what it sent and what the
level above said (receipts themselves are taken in by `import FILE`)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any

from htx_desktop.cli.context import in_transaction, open_database, require_home_unit
from htx_desktop.cli.output import EXIT_OK, complain, print_json, say
from htx_desktop.i18n import t

if TYPE_CHECKING:
    from sqlalchemy.orm import Session


def _period(text: str) -> Any:
    from htx_desktop.domain.periods import parse_period

    try:
        return parse_period(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from exc


def register(sub: Any) -> None:
    p = sub.add_parser("review", help=t(
        "xét duyệt gói đã nhận của một đơn vị trực thuộc: chấp nhận, hoặc trả lại kèm ý kiến"))
    p.add_argument("--unit", required=True, help=t("mã đơn vị đã gửi gói"))
    p.add_argument("--period", required=True, type=_period, metavar=t("KỲ"),
                   help=t("kỳ báo cáo của gói"))
    p.add_argument("--version", type=int, help=t(
        "phiên bản gói (mặc định: phiên bản đang dùng)"))
    decision = p.add_mutually_exclusive_group(required=True)
    decision.add_argument("--accept", action="store_true", help=t(
        "chấp nhận gói: số liệu của phiên bản này được giữ khi tổng hợp"))
    decision.add_argument("--return", dest="return_", action="store_true", help=t(
        "trả lại gói để đơn vị sửa (cần --comment hoặc --note)"))
    p.add_argument("--comment", default="", metavar=t("VĂN_BẢN"), help=t(
        "ý kiến chung gửi đơn vị; không ghi họ tên, số điện thoại của chị em"))
    p.add_argument("--note", nargs=2, action="append", default=[],
                   metavar=(t("ĐÍCH"), t("VĂN_BẢN")), help=t(
                       "ý kiến gắn với một chỉ tiêu (CT1–CT9) hoặc một bản ghi của gói (mã "
                       "bản ghi trong data.json); dùng được nhiều lần"))
    p.add_argument("--json", action="store_true", help=t("in JSON"))
    p.set_defaults(handler=cmd_review)

    p = sub.add_parser("receipts", help=t(
        "ghi các biên nhận (chấp nhận / trả lại) chưa gửi vào một thư mục, để gửi đơn vị"))
    p.add_argument("--out", required=True, type=Path, metavar=t("THƯ_MỤC"),
                   help=t("thư mục ghi các tệp biên nhận"))
    p.add_argument("--json", action="store_true", help=t("in JSON"))
    p.set_defaults(handler=cmd_receipts)

    p = sub.add_parser("sent", help=t(
        "các gói đã xuất gửi cấp trên và cấp trên đã chấp nhận hay trả lại"))
    p.add_argument("--json", action="store_true", help=t("in JSON"))
    p.set_defaults(handler=cmd_sent)


def cmd_review(args: argparse.Namespace) -> int:
    from htx_desktop.domain.comment_check import REMINDER, personal_data_warnings
    from htx_desktop.reports.unit_keys import officer_name
    from htx_desktop.store.review import (
        ACCEPTED,
        RETURNED,
        decide,
        describe_comment,
        make_comments,
        pinned_labels,
        review_label,
        submission_dataset,
        submission_in_use,
    )

    db = open_database(args)
    home_id, _code = require_home_unit(db)
    decision = ACCEPTED if args.accept else RETURNED
    pinned = [(target, text) for target, text in args.note]
    for text in [args.comment, *(n for _t, n in pinned)]:
        for warning in personal_data_warnings(text):
            complain(t("Cảnh báo: {what}", what=warning))
    def decide_now(session: Session) -> tuple[dict[str, Any], dict[str, str]]:
        sub = submission_in_use(session, home_id, args.unit.strip(), args.period.label,
                                args.version)
        comments = make_comments(args.comment, pinned, submission_dataset(session, sub.id))
        review = decide(session, sub, decision, comments, by=officer_name(db, session))
        return ({"unit": sub.unit.code, "unit_name": sub.unit.name, "period": sub.period,
                 "version": sub.version, "review": review.decision, "comments": review.comments,
                 "decided_by": review.decided_by, "decided_at": review.decided_at.isoformat()},
                pinned_labels(session, sub.id, comments))

    # one transaction, again while another writer holds the database
    result, labels = in_transaction(db, decide_now)
    if args.json:
        print_json(result)
        return EXIT_OK
    say(t("{unit} – {name}, kỳ {period}, phiên bản {version}: {review}.",
          unit=result["unit"], name=result["unit_name"], period=result["period"],
          version=result["version"], review=review_label(decision)))
    for c in result["comments"]:
        say("  " + t("Ý kiến: {text}", text=describe_comment(c, labels)))
    say(t("Hãy ghi biên nhận (lệnh receipts --out THƯ_MỤC) và gửi cho đơn vị."))
    if decision == RETURNED:
        say(t(REMINDER))
    return EXIT_OK


def cmd_receipts(args: argparse.Namespace) -> int:
    from htx_desktop.receiving.receipts import write_receipts

    db = open_database(args)
    require_home_unit(db)
    written = write_receipts(db, args.out)
    if args.json:
        print_json({"receipts": [w.to_json() for w in written]})
        return EXIT_OK
    if not written:
        say(t("Không có biên nhận nào chưa ghi."))
        return EXIT_OK
    labels = {"accepted": t("chấp nhận"), "returned": t("trả lại")}
    for w in written:
        say(t("{file}: {unit} kỳ {period} phiên bản {version} – {decision}.", file=str(w.path),
              unit=w.unit_code, period=w.period, version=w.version,
              decision=labels.get(w.decision, w.decision)))
    say(t("Đã ghi {n} biên nhận; hãy gửi mỗi tệp cho đơn vị tương ứng.", n=len(written)))
    return EXIT_OK


def cmd_sent(args: argparse.Namespace) -> int:
    from htx_desktop.receiving.receipts import sent_packages
    from htx_desktop.store.review import describe_comment

    db = open_database(args)
    require_home_unit(db)
    with db.session() as session:
        rows = sent_packages(session)
    if args.json:
        print_json({"packages": rows})
        return EXIT_OK
    if not rows:
        say(t("Chưa xuất gói báo cáo nào."))
        return EXIT_OK
    labels = {"sent": t("đã gửi, chưa có biên nhận"), "accepted": t("cấp trên đã chấp nhận"),
              "returned": t("cấp trên đã trả lại")}
    for r in rows:
        line = f"{r['period']:<11}v{r['version']:<4}{labels.get(r['state'], r['state'])}"
        if r["decided_at"]:
            line += t(" ({who}, {when})", who=r["decided_by"] or "?",
                      when=r["decided_at"][:16].replace("T", " "))
        say(line + f"  {r['file']}")
        for c in r["comments"]:
            say("    " + t("Ý kiến: {text}", text=describe_comment(
                c, {str(c.get("ref")): c["label"]} if c.get("label") else None)))
    return EXIT_OK
