"""`verify`, `import`, `submissions`: receiving packages from the units below (docs/INTERFACES.md §1
and the import rules of §2)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from htx_desktop.cli.context import open_database, require_home_unit
from htx_desktop.cli.output import EXIT_OK, EXIT_REFUSED, complain, print_json, say
from htx_desktop.i18n import t
from htx_desktop.os_errors import os_error_text


def _period(text: str) -> Any:
    from htx_desktop.domain.periods import parse_period

    try:
        return parse_period(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from exc


def register(sub: Any) -> None:
    p = sub.add_parser("verify", help=t("kiểm tra một gói báo cáo mà không nhập"))
    p.add_argument("file", type=Path, metavar=t("TỆP"), help=t("gói báo cáo (.zip)"))
    p.add_argument("--trust-ca", type=Path, action="append", default=[], metavar=t("TỆP"),
                   help=t("chứng thư (.pem/.cer) của CA mà máy này tin cậy, để xác minh chuỗi "
                          "chứng thư của chữ ký số (có thể dùng nhiều lần)"))
    p.add_argument("--json", action="store_true", help=t("in JSON"))
    p.set_defaults(handler=cmd_verify)

    p = sub.add_parser("import", help=t(
        "nhập gói báo cáo của các đơn vị trực thuộc, hoặc biên nhận của cấp trên"))
    p.add_argument("files", type=Path, nargs="+", metavar=t("TỆP"),
                   help=t("một hoặc nhiều gói báo cáo (.zip) hoặc biên nhận (BN-….json)"))
    p.add_argument("--dry-run", action="store_true",
                   help=t("chỉ xem trước kết quả, không ghi gì"))
    p.add_argument("--private-key", type=Path, metavar=t("TỆP"),
                   help=t("khoá bí mật của đơn vị để mở họ tên trong personal.enc (không có "
                          "khoá: số liệu vẫn được nhận, họ tên giữ dạng “(ẩn danh)”)"))
    p.add_argument("--passphrase-file", type=Path, metavar=t("TỆP"),
                   help=t("tệp văn bản chứa mật khẩu của khoá bí mật (cần khi có "
                          "--private-key)"))
    p.add_argument("--accept-new-key", action="store_true", help=t(
        "nhận khoá ký của đơn vị gửi lần đầu tiên (sau khi đã gọi điện đối chiếu mã khoá); "
        "không bao giờ thay khoá đã biết của một đơn vị"))
    p.add_argument("--accept-unsigned", action="store_true", help=t(
        "nhận cả gói không có chữ ký (định dạng 1.0, làm bằng phiên bản cũ) của đơn vị chưa "
        "có khoá ký"))
    p.add_argument("--replace-accepted", action="store_true", help=t(
        "cho phép phiên bản mới thay thế phiên bản đã được chấp nhận (xét duyệt)"))
    p.add_argument("--json", action="store_true", help=t("in JSON"))
    p.set_defaults(handler=cmd_import)

    p = sub.add_parser("withdraw", help=t(
        "rút một gói đã nhận: dùng lại phiên bản nhận trước đó của đơn vị (nếu có)"))
    p.add_argument("--unit", required=True, help=t("mã đơn vị đã gửi gói"))
    p.add_argument("--period", required=True, type=_period, help=t("kỳ báo cáo của gói"))
    p.add_argument("--version", required=True, type=int, help=t("phiên bản gói cần rút"))
    p.add_argument("--reason", required=True, help=t("lý do rút gói (ghi vào nhật ký)"))
    p.add_argument("--json", action="store_true", help=t("in JSON"))
    p.set_defaults(handler=cmd_withdraw)

    p = sub.add_parser("submissions", help=t("đơn vị trực thuộc nào đã nộp báo cáo của một kỳ"))
    p.add_argument("--period", required=True, type=_period, metavar=t("KỲ"),
                   help=t("kỳ báo cáo trong các năm 2023–2030: một năm (2025), một khoảng "
                          "năm (2023-2025), phase1 hoặc phase2"))
    p.add_argument("--reminder", action="store_true", help=t(
        "chỉ in lời nhắc gửi các đơn vị chưa nộp (quá hạn) hoặc có báo cáo bị trả lại, để "
        "dán vào thư điện tử hoặc Zalo"))
    p.add_argument("--json", action="store_true", help=t("in JSON"))
    p.set_defaults(handler=cmd_submissions)


def cmd_verify(args: argparse.Namespace) -> int:
    """Self-contained checks, plus "below the home unit" when a data folder is set up."""
    from htx_desktop.receiving.importer import local_unit_name, preview_placement
    from htx_desktop.receiving.reader import PackageRefused, read_package

    try:
        pkg = read_package(args.file)
        db = open_database(args)
        # Without a home unit (a copy not set up yet) only the self-contained checks apply.
        problem = preview_placement(db, pkg, require_home=False)
        if problem:
            raise PackageRefused(pkg.file_name, problem, pkg.sha256)
        signer = _signer_line(db, pkg)
        with db.session() as session:
            name = local_unit_name(session, pkg.unit_code) or pkg.unit_code
    except PackageRefused as exc:
        if args.json:
            print_json({"file": exc.file_name, "valid": False, "reason": exc.reason})
        complain(str(exc))
        return EXIT_REFUSED
    signature = _pdf_signature(args.file, args.trust_ca)
    if args.json:
        print_json({"file": pkg.file_name, "valid": True, "sha256": pkg.sha256,
                    "unit": pkg.unit_code, "unit_name": name, "period": pkg.period.label,
                    "version": pkg.version, "signer_fingerprint": pkg.signer_fingerprint,
                    "signer": signer[0], "pdf_signature": signature.to_json()})
        return EXIT_OK
    say(t("Gói {file} hợp lệ: đơn vị {unit} – {name}, kỳ {period}, phiên bản {version}.",
          file=pkg.file_name, unit=pkg.unit_code, name=name,
          period=pkg.period.label, version=pkg.version))
    say(signer[1])
    say(t("Báo cáo PDF: {status}", status=signature.describe()))
    return EXIT_OK


def _signer_line(db: Any, pkg: Any) -> tuple[str, str]:
    """(status, Vietnamese line) of who signed the package, as far as this PC knows."""
    from htx_desktop.reports.signing import short_code
    from htx_desktop.reports.unit_keys import current_key

    if pkg.signer_fingerprint is None:
        return "unsigned", t("Gói không có chữ ký (định dạng 1.0).")
    with db.session() as session:
        known = current_key(session, pkg.unit_code)
    code = short_code(pkg.signer_fingerprint)
    if known is None:
        return "new", t("Chữ ký hợp lệ, khoá mã {code}: máy này chưa biết khoá của đơn vị; "
                        "hãy gọi điện đối chiếu mã.", code=code)
    if known.fingerprint == pkg.signer_fingerprint:
        return "known", t("Chữ ký hợp lệ bằng khoá đã biết của đơn vị (mã {code}).", code=code)
    return "mismatch", t("CẢNH BÁO: gói ký bằng khoá mã {code}, khác khoá đã biết của đơn vị "
                         "(mã {known}); gói sẽ bị từ chối khi nhập.", code=code,
                         known=known.short_code)


def _pdf_signature(path: Path, trust_ca: list[Path]) -> Any:
    """The ký số status of the package's PDF (pyHanko only when the PDF carries one)."""
    from htx_desktop.cli.output import CommandRefused
    from htx_desktop.reports.pdf_signing import package_pdf_status

    roots = []
    for ca in trust_ca:
        try:
            roots.append(Path(ca).read_bytes())
        except OSError as exc:
            raise CommandRefused(t("Không đọc được tệp chứng thư {path}.",
                                   path=str(ca))) from exc
    return package_pdf_status(path, roots)


def cmd_import(args: argparse.Namespace) -> int:
    from htx_desktop.receiving.importer import Trust, import_packages
    from htx_desktop.receiving.receipts import import_receipts, looks_like_receipt
    from htx_desktop.store.concurrency import retry_serializable

    key = _private_key(args)
    db = open_database(args)
    require_home_unit(db)
    # On an office server another officer may import at the same moment: the whole command
    # runs SERIALIZABLE and is retried after a conflict (store/concurrency.py).
    trust = Trust(accept_new_keys=args.accept_new_key, accept_unsigned=args.accept_unsigned,
                  replace_accepted=args.replace_accepted)
    # Receipts of the level above (issue 21) are .json files; packages are .zip.
    receipt_files = [f for f in args.files if looks_like_receipt(f)]
    package_files = [f for f in args.files if not looks_like_receipt(f)]
    outcomes = retry_serializable(db, lambda d: import_packages(
        d, package_files, dry_run=args.dry_run, private_key=key, trust=trust)) \
        if package_files else []
    receipts = import_receipts(db, receipt_files, dry_run=args.dry_run, trust=trust) \
        if receipt_files else []
    refused = [o for o in outcomes if o.refused] + [r for r in receipts if r.refused]
    everything = len(outcomes) + len(receipts)
    # A key was given and some names did not open: the figures are in, but the command did
    # not do all it was asked, so a script sees exit 1 (the message says the figures count).
    names_refused = [o for o in outcomes if o.names_refused]
    if args.json:
        body: dict[str, Any] = {"dry_run": args.dry_run,
                                "packages": [o.to_json() for o in outcomes]}
        if receipt_files:
            body["receipts"] = [r.to_json() for r in receipts]
        print_json(body)
    else:
        if args.dry_run:
            say(t("Xem trước (chưa ghi gì):"))
        for o in [*outcomes, *receipts]:
            (complain if o.refused else say)(o.describe())
        if refused and len(refused) < everything:
            complain(t("{refused}/{total} gói bị từ chối; các gói còn lại đã được xử lý.",
                       refused=len(refused), total=everything)
                     if not args.dry_run else
                     t("{refused}/{total} gói sẽ bị từ chối.", refused=len(refused),
                       total=everything))
        for o in names_refused:
            complain(t("{file}: số liệu đã được nhận nhưng họ tên chưa mở được.",
                       file=o.file_name) if not args.dry_run else
                     t("{file}: số liệu sẽ được nhận nhưng họ tên không mở được.",
                       file=o.file_name))
    return EXIT_REFUSED if refused or names_refused else EXIT_OK


def _private_key(args: argparse.Namespace) -> Any:
    """The private key given with --private-key, its passphrase from --passphrase-file
    (commands never prompt); None without the option. The key is opened only when a package
    carries names, so a wrong passphrase is reported per package, never as a crash."""
    from htx_desktop.cli.commands_keys import read_passphrase
    from htx_desktop.cli.output import CommandRefused
    from htx_desktop.receiving.importer import PrivateKey

    if args.private_key is None:
        if args.passphrase_file is not None:
            raise CommandRefused(t("--passphrase-file chỉ dùng cùng --private-key TỆP."))
        return None
    passphrase = read_passphrase(args.passphrase_file)
    try:
        pem = Path(args.private_key).read_bytes()
    except OSError as exc:
        raise CommandRefused(t("Không đọc được tệp khoá bí mật {path}: {error}",
                               path=str(args.private_key),
                               error=os_error_text(exc))) from exc
    return PrivateKey(pem, passphrase, Path(args.private_key))


def cmd_withdraw(args: argparse.Namespace) -> int:
    from htx_desktop.reports.withdraw import withdraw_submission

    db = open_database(args)
    require_home_unit(db)
    done = withdraw_submission(db, unit_code=args.unit.strip(), period=args.period.label,
                               version=args.version, reason=args.reason)
    if args.json:
        print_json({"unit": done.unit_code, "period": done.period,
                    "withdrawn_version": done.version,
                    "restored_version": done.restored_version})
        return EXIT_OK
    say(done.describe())
    return EXIT_OK


def cmd_submissions(args: argparse.Namespace) -> int:
    from htx_desktop.receiving.reminder import reminder_text, submission_history
    from htx_desktop.store.timeliness import completeness

    db = open_database(args)
    home_id, _code = require_home_unit(db)
    with db.session() as session:
        found = completeness(session, home_id, args.period)
        rows = found.rows
        text = reminder_text(session, home_id, args.period, rows, found.today)
        history = submission_history(session, home_id, args.period)
    if args.json:
        print_json(found.to_json())
        return EXIT_OK
    if args.reminder:
        say(text or t("Không có đơn vị nào cần nhắc."))
        return EXIT_OK
    labels = {"missing": t("chưa nộp"), "accepted": t("đã nhận"),
              "superseded": t("đã thay thế"), "withdrawn": t("đã rút")}
    say(t("Tình hình nộp báo cáo kỳ {period}", period=args.period.label))
    say(found.summary())
    for r, unit in zip(rows, found.units, strict=True):
        when = (r["received_at"] or "")[:10]
        version = f"v{r['version']}" if r["version"] else ""
        say(f"{r['code']:<7}{r['name'][:40]:<42}{labels.get(r['status'], r['status']):<14}"
            f"{version:<5}{when:<12}{unit.label()}")
    if history:
        say("")
        say(t("Lịch sử các gói đã nhận:"))
        for h in history:
            say(f"{h['code']:<7}v{h['version']:<4}{labels.get(h['status'], h['status']):<14}"
                f"{h['received_at'][:16].replace('T', ' '):<18}{h['file_name']}")
    done = sum(1 for r in rows if r["status"] != "missing")
    say(t("Đã nộp: {done}/{total} đơn vị.", done=done, total=len(rows)))
    if text:
        say("")
        say(text)
    return EXIT_OK
