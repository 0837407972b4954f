"""`keygen`: the receiving unit's key pair, for names that travel encrypted (issue 7).
`keys`: the unit's signing key and the senders' keys it knows (issue 19)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from htx_desktop.cli.context import in_transaction, open_database, require_home_unit
from htx_desktop.cli.output import EXIT_OK, CommandRefused, print_json, say
from htx_desktop.i18n import t
from htx_desktop.os_errors import os_error_text


def register(sub: Any) -> None:
    p = sub.add_parser("keygen", help=t(
        "tạo cặp khoá của đơn vị nhận: khoá công khai để phát cho cấp dưới, khoá bí mật được "
        "bảo vệ bằng mật khẩu, và phiếu in để cất giữ"))
    p.add_argument("--out", required=True, type=Path, metavar=t("THƯ_MỤC"),
                   help=t("thư mục ghi các tệp khoá"))
    p.add_argument("--passphrase-file", type=Path, metavar=t("TỆP"), help=t(
        "tệp văn bản chứa mật khẩu bảo vệ khoá bí mật (ít nhất 8 ký tự)"))
    p.add_argument("--json", action="store_true", help=t("in JSON"))
    p.set_defaults(handler=cmd_keygen)

    p = sub.add_parser("keys", help=t(
        "khoá ký: mã khoá của đơn vị mình và các khoá đã biết của đơn vị gửi gói"))
    p.add_argument("--json", action="store_true", help=t("in JSON"))
    p.set_defaults(handler=cmd_keys)
    keys = p.add_subparsers(dest="keys_command", metavar=t("LỆNH"))
    q = keys.add_parser("export", help=t(
        "xuất khoá ký của đơn vị ra tệp có mật khẩu, để dùng trên máy khác của đơn vị"))
    q.add_argument("--out", required=True, type=Path, metavar=t("TỆP"),
                   help=t("tệp khoá sẽ ghi (không ghi đè)"))
    q.add_argument("--passphrase-file", type=Path, metavar=t("TỆP"), help=t(
        "tệp văn bản chứa mật khẩu bảo vệ tệp khoá (ít nhất 8 ký tự)"))
    q.add_argument("--json", action="store_true", help=t("in JSON"))
    q.set_defaults(handler=cmd_keys_export)
    q = keys.add_parser("import", help=t(
        "dùng khoá ký xuất từ máy khác của đơn vị (khoá cũ của máy này được giữ lại)"))
    q.add_argument("file", type=Path, metavar=t("TỆP"), help=t("tệp khoá đã xuất"))
    q.add_argument("--passphrase-file", type=Path, metavar=t("TỆP"),
                   help=t("tệp văn bản chứa mật khẩu của tệp khoá"))
    q.add_argument("--json", action="store_true", help=t("in JSON"))
    q.set_defaults(handler=cmd_keys_import)
    q = keys.add_parser("replace", help=t(
        "thay khoá đã biết của một đơn vị gửi (đơn vị mất máy), có ghi lý do"))
    q.add_argument("--unit", required=True, help=t("mã đơn vị gửi"))
    q.add_argument("--reason", required=True, help=t("lý do thay khoá (ghi vào nhật ký)"))
    q.add_argument("file", type=Path, metavar=t("TỆP"), help=t(
        "gói báo cáo đã ký bằng khoá mới của đơn vị, hoặc tệp khoá công khai của nó"))
    q.add_argument("--json", action="store_true", help=t("in JSON"))
    q.set_defaults(handler=cmd_keys_replace)


def read_passphrase(path: Path | None) -> bytes:
    """The passphrase from its file; commands never prompt, so without a file: refuse."""
    if path is None:
        raise CommandRefused(t(
            "Cần mật khẩu bảo vệ khoá bí mật: ghi mật khẩu vào một tệp văn bản rồi chạy lại "
            "với --passphrase-file TỆP (chương trình không hỏi mật khẩu trên màn hình)."))
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise CommandRefused(t("Không đọc được tệp mật khẩu {path}: {error}", path=str(path),
                               error=os_error_text(exc))) from exc


def cmd_keygen(args: argparse.Namespace) -> int:
    from htx_desktop.reports.keysheet import write_key_files
    from htx_desktop.store.models import Unit

    passphrase = read_passphrase(args.passphrase_file)
    db = open_database(args)
    home_id, home_code = require_home_unit(db)
    with db.session() as session:
        unit = session.get(Unit, home_id)
        unit_name = unit.name if unit is not None else home_code
    from htx_desktop.reports.unit_keys import own_key

    signing = own_key(db)
    files = write_key_files(args.out, unit_code=home_code, unit_name=unit_name,
                            passphrase=passphrase,
                            signing_code=signing.short_code if signing else None)
    if args.json:
        print_json({"public_key": str(files.public), "private_key": str(files.private),
                    "recovery_sheet": str(files.sheet), "fingerprint": files.fingerprint})
        return EXIT_OK
    say(t("Khoá công khai (gửi cho các đơn vị cấp dưới): {path}", path=str(files.public)))
    say(t("Khoá bí mật (giữ kín, đã bảo vệ bằng mật khẩu): {path}", path=str(files.private)))
    say(t("Phiếu in để cất giữ khoá: {path}", path=str(files.sheet)))
    say(t("Dấu vân tay: {fingerprint}", fingerprint=files.fingerprint))
    return EXIT_OK


def cmd_keys(args: argparse.Namespace) -> int:
    """The own key's short code and the known senders' keys."""
    from htx_desktop.reports.unit_keys import list_keys, own_key

    db = open_database(args)
    _home_id, home_code = require_home_unit(db)
    key = own_key(db)
    with db.session() as session:
        known = list_keys(session)
    if args.json:
        print_json({"unit": home_code,
                    "own_key": {"fingerprint": key.fingerprint,
                                "short_code": key.short_code} if key else None,
                    "known_keys": known})
        return EXIT_OK
    if key is not None:
        say(t("Mã khoá ký của đơn vị {code}: {short}", code=home_code, short=key.short_code))
    if not known:
        say(t("Chưa biết khoá ký của đơn vị gửi nào."))
        return EXIT_OK
    say(t("Khoá ký đã biết của các đơn vị gửi:"))
    status = {"current": t("đang dùng"), "replaced": t("đã thay")}
    for k in known:
        say(f"{k['unit']:<7}{(k['unit_name'] or '')[:34]:<36}{k['short_code']}  "
            f"{status.get(k['status'], k['status']):<10}{k['accepted_at'][:10]}  "
            f"{k['accepted_by']}" + (f" — {k['reason']}" if k["reason"] else ""))
    return EXIT_OK


def cmd_keys_export(args: argparse.Namespace) -> int:
    from htx_desktop.reports.signing import export_key_file
    from htx_desktop.reports.unit_keys import own_key
    from htx_desktop.store.models import Unit

    passphrase = read_passphrase(args.passphrase_file)
    db = open_database(args)
    home_id, home_code = require_home_unit(db)
    key = own_key(db)
    assert key is not None
    with db.session() as session:
        unit = session.get(Unit, home_id)
        name = unit.name if unit is not None else home_code
    blob = export_key_file(key, unit_code=home_code, unit_name=name, passphrase=passphrase)
    out = Path(args.out)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        with out.open("xb") as fh:
            fh.write(blob)
    except FileExistsError as exc:
        raise CommandRefused(t("Đã có tệp {path}: không ghi đè. Hãy chọn tên khác.",
                               path=str(out))) from exc
    except OSError as exc:
        raise CommandRefused(t("Không ghi được tệp khoá {path}: {error}", path=str(out),
                               error=exc.strerror or str(exc))) from exc
    if args.json:
        print_json({"file": str(out), "fingerprint": key.fingerprint,
                    "short_code": key.short_code})
        return EXIT_OK
    say(t("Đã xuất khoá ký của đơn vị vào {path} (mã khoá {code}). Giữ tệp và mật khẩu ở hai "
          "nơi khác nhau.", path=str(out), code=key.short_code))
    return EXIT_OK


def cmd_keys_import(args: argparse.Namespace) -> int:
    from htx_desktop.reports.signing import import_key_file
    from htx_desktop.reports.unit_keys import install_own_key

    passphrase = read_passphrase(args.passphrase_file)
    try:
        blob = Path(args.file).read_bytes()
    except OSError as exc:
        raise CommandRefused(t("Không đọc được tệp khoá {path}: {error}", path=str(args.file),
                               error=exc.strerror or str(exc))) from exc
    opened = import_key_file(blob, passphrase)
    db = open_database(args)
    require_home_unit(db)
    kept = install_own_key(db, opened.key, opened.unit_code)
    if args.json:
        print_json({"fingerprint": opened.key.fingerprint, "short_code": opened.key.short_code,
                    "previous_key_kept": str(kept) if kept else None})
        return EXIT_OK
    say(t("Máy này nay ký gói bằng khoá của đơn vị {unit}, mã {code}.", unit=opened.unit_code,
          code=opened.key.short_code))
    if kept is not None:
        say(t("Khoá cũ của máy này được giữ lại ở {path}.", path=str(kept)))
    return EXIT_OK


def cmd_keys_replace(args: argparse.Namespace) -> int:
    from htx_desktop.receiving.reader import read_package
    from htx_desktop.reports.signing import public_key_of, short_code
    from htx_desktop.reports.unit_keys import officer_name, replace_sender_key

    unit_code = args.unit.strip()
    path = Path(args.file)
    if path.suffix.lower() == ".zip":
        pkg = read_package(path)
        if pkg.signer is None:
            raise CommandRefused(t("Gói {file} không có chữ ký: không lấy được khoá mới từ gói.",
                                   file=pkg.file_name))
        if pkg.unit_code != unit_code:
            raise CommandRefused(t("Gói {file} là của đơn vị {theirs}, không phải {unit}.",
                                   file=pkg.file_name, theirs=pkg.unit_code, unit=unit_code))
        public = pkg.signer
    else:
        try:
            public = public_key_of(path.read_bytes())
        except OSError as exc:
            raise CommandRefused(t("Không đọc được tệp {path}: {error}", path=str(path),
                                   error=exc.strerror or str(exc))) from exc
    db = open_database(args)
    require_home_unit(db)
    old, new = in_transaction(db, lambda session: replace_sender_key(
        session, unit_code, public, reason=args.reason, by=officer_name(db, session),
        source=path.name))
    if args.json:
        print_json({"unit": unit_code, "old_fingerprint": old, "new_fingerprint": new,
                    "short_code": short_code(new)})
        return EXIT_OK
    say(t("Đã thay khoá ký của đơn vị {unit}: {old} → {new}.", unit=unit_code,
          old=short_code(old) if old else t("(chưa có)"), new=short_code(new)))
    return EXIT_OK
