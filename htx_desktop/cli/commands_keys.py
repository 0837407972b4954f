"""`keygen`: the receiving unit's key pair, for names that travel encrypted (issue 7)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from htx_desktop.cli.context import open_database, require_home_unit
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
    files = write_key_files(args.out, unit_code=home_code, unit_name=unit_name,
                            passphrase=passphrase)
    if args.json:
        print_json({"public_key": str(files.public), "private_key": str(files.private),
                    "recovery_sheet": str(files.sheet), "fingerprint": files.fingerprint})
        return EXIT_OK
    say(t("Khoá công khai (gửi cho các đơn vị cấp dưới): {path}", path=str(files.public)))
    say(t("Khoá bí mật (giữ kín, đã bảo vệ bằng mật khẩu): {path}", path=str(files.private)))
    say(t("Phiếu in để cất giữ khoá: {path}", path=str(files.sheet)))
    say(t("Dấu vân tay: {fingerprint}", fingerprint=files.fingerprint))
    return EXIT_OK
