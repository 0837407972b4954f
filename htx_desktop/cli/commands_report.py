"""`indicators` and `export`: the figures of a period, and the report package."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from htx_desktop.cli.context import open_database, require_home_unit
from htx_desktop.cli.output import EXIT_OK, EXIT_REFUSED, CommandRefused, print_json, say
from htx_desktop.i18n import t
from htx_desktop.os_errors import os_error_text


def _period(text: str) -> Any:
    from htx_desktop.domain.periods import parse_period

    try:
        return parse_period(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from exc


def register(sub: Any) -> None:
    p = sub.add_parser("indicators", help=t("bảng chỉ tiêu CT1–CT9 của một kỳ"))
    p.add_argument("--period", required=True, type=_period, metavar=t("KỲ"),
                   help=t("kỳ báo cáo trong các năm 2023–2030: một năm (2025), một khoảng "
                          "năm (2023-2025), phase1 hoặc phase2"))
    p.add_argument("--unit", metavar=t("MÃ_ĐƠN_VỊ"),
                   help=t("mã một đơn vị trực thuộc (mặc định: đơn vị sử dụng)"))
    p.add_argument("--json", action="store_true", help=t("in JSON"))
    p.set_defaults(handler=cmd_indicators)

    p = sub.add_parser("export", help=t("xuất gói báo cáo gửi cấp trên"))
    p.add_argument("--period", required=True, type=_period, metavar=t("KỲ"),
                   help=t("kỳ báo cáo trong các năm 2023–2030: một năm (2025), một khoảng "
                          "năm (2023-2025), phase1 hoặc phase2"))
    p.add_argument("--out", required=True, type=Path, metavar=t("THƯ_MỤC"),
                   help=t("thư mục ghi gói báo cáo"))
    p.add_argument("--include-names", action="store_true", help=t(
        "gửi kèm họ tên, số điện thoại, số định danh của những người trong gói, mã hoá cho "
        "đơn vị nhận (cần --recipient-key)"))
    p.add_argument("--recipient-key", type=Path, metavar=t("TỆP"), help=t(
        "tệp khoá công khai (…-public.pem) của đơn vị nhận, dùng với --include-names"))
    p.add_argument("--docx", action="store_true", help=t(
        "ghi thêm bản Word (.docx) của báo cáo cạnh gói, để chỉnh sửa trước khi ký"))
    p.add_argument("--sign-pkcs11", metavar=t("THƯ_VIỆN"), help=t(
        "ký số báo cáo PDF bằng thiết bị ký số (token): đường dẫn thư viện PKCS#11 của nhà "
        "cung cấp chữ ký số, ví dụ vnpt-ca_csp11.dll"))
    p.add_argument("--token-label", metavar=t("TÊN"), help=t(
        "tên (nhãn) của thiết bị ký số, dùng với --sign-pkcs11"))
    p.add_argument("--pin-file", type=Path, metavar=t("TỆP"), help=t(
        "tệp văn bản chứa mã PIN của thiết bị ký số, dùng với --sign-pkcs11"))
    p.add_argument("--key-label", metavar=t("TÊN"), help=t(
        "tên khoá ký trên thiết bị, khi thiết bị có nhiều khoá"))
    p.set_defaults(handler=cmd_export)

    p = sub.add_parser("check-print", help=t(
        "kiểm tra một bản báo cáo in giấy theo mã QR trên đó"))
    p.add_argument("text", metavar=t("MÃ"), help=t(
        "nội dung mã QR (quét được hoặc gõ lại), bắt đầu bằng HTXBC:1:"))
    p.add_argument("--json", action="store_true", help=t("in JSON"))
    p.set_defaults(handler=cmd_check_print)


def cmd_indicators(args: argparse.Namespace) -> int:
    from htx_desktop.reports.figures import indicators_for_unit
    from htx_desktop.store.unit_eras import resolve_key, scope_units

    db = open_database(args)
    home_id, home_code = require_home_unit(db)
    with db.session() as session:
        unit_id = home_id
        if args.unit and args.unit != home_code:
            # A code names today's unit; CODE-YYYYMMDD an older one whose code was reused.
            unit = resolve_key(session, args.unit)
            below = {u.id for u in scope_units(session, home_id)}
            if unit is None or unit.id not in below:
                raise CommandRefused(t(
                    "Đơn vị “{code}” không thuộc đơn vị sử dụng {home}. Xem danh sách bằng "
                    "lệnh: htx-desktop units", code=args.unit, home=home_code))
            unit_id = unit.id
        report = indicators_for_unit(session, unit_id, args.period)
    if args.json:
        print_json(report.to_json())
        return EXIT_OK
    _print_table(report, args.period.label)
    return EXIT_OK


def _print_table(report: Any, label: str) -> None:
    from htx_desktop.reports.labels import format_figure, indicator_name, percent_of_target

    say(t("Chỉ tiêu của đơn vị {unit}, kỳ {period}", unit=report.unit, period=label))
    say(f"{'':5}{t('Chỉ tiêu'):<58}{t('Kết quả'):>10}{t('Lũy kế'):>10}{t('Mục tiêu'):>10}"
        f"{t('Đạt (%)'):>9}")
    for r in report.results:
        name = indicator_name(r.code, report.target_year)
        name = name if len(name) <= 56 else name[:55] + "…"
        say(f"{r.code:<5}{name:<58}{format_figure(r.value, r.code):>10}"
            f"{format_figure(r.cumulative, r.code):>10}{format_figure(r.target, r.code):>10}"
            f"{percent_of_target(r):>9}")


def cmd_export(args: argparse.Namespace) -> int:
    from htx_desktop.reports.export import export_package

    recipient_key = _recipient_key(args)
    signer = _pdf_signer(args)
    db = open_database(args)
    require_home_unit(db)
    path = export_package(db, args.period, args.out, recipient_key=recipient_key,
                          with_docx=args.docx, sign_pdf=signer)
    say(str(path))
    if args.docx:
        say(str(path.with_suffix(".docx")))
    _unreviewed_note(db, args.period)
    return EXIT_OK


def _unreviewed_note(db: Any, period: Any) -> None:
    """A middle level's package says how it reviewed each lower package (issue 21): name the
    ones not reviewed yet (on stderr; the path stays the only line on stdout)."""
    from htx_desktop.cli.output import complain
    from htx_desktop.store.review import RECEIVED, review_states

    with db.session() as session:
        waiting = sorted(code for code, state in review_states(session, period).items()
                         if state.review == RECEIVED)
    if waiting:
        complain(t("Lưu ý: gói của {n} đơn vị trực thuộc chưa được xét duyệt (chấp nhận hoặc "
                   "trả lại): {codes}. Gói vừa xuất ghi rõ điều đó cho cấp trên.",
                   n=len(waiting), codes=", ".join(waiting)))


def cmd_check_print(args: argparse.Namespace) -> int:
    """Exit 0 when that exact package was received, 1 otherwise."""
    from htx_desktop.reports.print_check import check_print

    db = open_database(args)
    with db.session() as session:
        result = check_print(session, args.text)
    if args.json:
        print_json(result.to_json())
    else:
        say(result.message)
        for code, value in result.headline:
            say(f"  {code}: {value}")
    return EXIT_OK if result.received else EXIT_REFUSED


def _pdf_signer(args: argparse.Namespace) -> Any:
    """The token's signer for --sign-pkcs11, or None; the PIN from --pin-file (commands
    never prompt; the PIN is never printed)."""
    if args.sign_pkcs11 is None:
        if args.token_label or args.pin_file or args.key_label:
            raise CommandRefused(t("--token-label, --pin-file và --key-label chỉ dùng cùng "
                                   "--sign-pkcs11 THƯ_VIỆN."))
        return None
    if not args.token_label or args.pin_file is None:
        raise CommandRefused(t("Ký số cần tên thiết bị và mã PIN: thêm --token-label TÊN "
                               "--pin-file TỆP."))
    try:
        pin = Path(args.pin_file).read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError) as exc:
        raise CommandRefused(t("Không đọc được tệp mã PIN {path}.",
                               path=str(args.pin_file))) from exc
    from htx_desktop.reports.pdf_signing import TokenChoice, pdf_signer

    return pdf_signer(TokenChoice(library=args.sign_pkcs11, token_label=args.token_label,
                                  pin=pin, key_label=args.key_label))


def _recipient_key(args: argparse.Namespace) -> bytes | None:
    """The public key to seal names to, or None; refuses a half-given choice, so that names
    never leave by accident and an officer who asked for them is not silently denied."""
    if args.recipient_key is not None and not args.include_names:
        raise CommandRefused(t(
            "Đã chỉ định --recipient-key nhưng không có --include-names: họ tên sẽ không được "
            "gửi. Thêm --include-names nếu muốn gửi kèm họ tên (đã mã hoá), hoặc bỏ "
            "--recipient-key."))
    if not args.include_names:
        return None
    if args.recipient_key is None:
        raise CommandRefused(t(
            "Muốn gửi kèm họ tên phải có khoá công khai của đơn vị nhận: thêm --recipient-key "
            "TỆP (tệp …-public.pem do đơn vị cấp trên gửi)."))
    try:
        return Path(args.recipient_key).read_bytes()
    except OSError as exc:
        raise CommandRefused(t("Không đọc được tệp khoá công khai {path}: {error}",
                               path=str(args.recipient_key),
                               error=os_error_text(exc))) from exc
