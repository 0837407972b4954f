"""`backup` and `restore`: a consistent copy of the database, and putting one back."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from htx_desktop.cli.context import data_dir_of, open_database
from htx_desktop.cli.output import EXIT_OK, CommandRefused, say
from htx_desktop.i18n import t


def register(sub: Any) -> None:
    p = sub.add_parser("backup", help=t("sao lưu cơ sở dữ liệu (bản sao nhất quán)"))
    p.add_argument("--out", type=Path, metavar=t("TỆP"),
                   help=t("tệp sao lưu; mặc định: thư mục backups/"))
    p.add_argument("--to", type=Path, metavar=t("THƯ_MỤC"), help=t(
        "chép một bản sao lưu đã kiểm tra vào thư mục này (USB, ổ đĩa khác) để mang khỏi máy"))
    p.set_defaults(handler=cmd_backup)

    p = sub.add_parser("restore", help=t("khôi phục từ một bản sao lưu (sao lưu dữ liệu hiện "
                                          "tại trước)"))
    p.add_argument("file", type=Path, metavar=t("TỆP"), help=t("tệp sao lưu"))
    p.set_defaults(handler=cmd_restore)


def cmd_backup(args: argparse.Namespace) -> int:
    from htx_desktop.store.backup import backup_database, default_backup_path

    data_dir = data_dir_of(args)
    db = open_database(args)  # refuses a damaged database and brings the schema up to date
    if db.is_server:  # the office's PostgreSQL server: pg_dump, or a logical export
        from htx_desktop.store.backup_pg import backup_server

        # The file's kind (and so its name) depends on whether pg_dump is installed: --out
        # chooses the folder only.
        folder = args.out.parent if args.out else data_dir.backups
        path = backup_server(db.engine, folder, "manual")
        say(t("Đã sao lưu vào {path}", path=path))
        return EXIT_OK
    if args.to is not None:
        from htx_desktop.store.backup import backup_away

        path = backup_away(data_dir.db_path, args.to)
        say(t("Đã sao lưu và kiểm tra vào {path}. Trên máy mới, cài HTX Desktop rồi chạy: "
              "htx-desktop restore \"{path}\"", path=path))
        return EXIT_OK
    out = args.out or default_backup_path(data_dir.backups, "manual")
    if out.exists():
        raise CommandRefused(t("Tệp “{path}” đã có: hãy chọn tên khác.", path=out))
    path = backup_database(data_dir.db_path, out)
    say(t("Đã sao lưu vào {path}", path=path))
    return EXIT_OK


def cmd_restore(args: argparse.Namespace) -> int:
    from htx_desktop.store.restore import restore_database

    if not args.file.is_file():
        raise CommandRefused(t("Không tìm thấy tệp “{path}”.", path=args.file))
    from htx_desktop.store.engine_pg import database_url

    if database_url(data_dir_of(args), getattr(args, "database_url", None)):
        raise CommandRefused(t(
            "Cơ sở dữ liệu dùng chung trên máy chủ được khôi phục bởi cán bộ phụ trách máy chủ "
            "(pg_restore), không khôi phục từ máy này."))
    safety = restore_database(args.file, data_dir_of(args))
    if safety is None:  # a new PC: nothing was there before
        say(t("Đã khôi phục từ {src}.", src=args.file))
    else:
        say(t("Đã khôi phục từ {src}. Dữ liệu trước khi khôi phục được giữ ở {safety}.",
              src=args.file, safety=safety))
    return EXIT_OK
