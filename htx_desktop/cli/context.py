"""Open the data folder and database for a command: resolve the folder, refuse a damaged
database (naming the newest good backup), bring the schema to the newest revision."""

from __future__ import annotations

import argparse

from htx_desktop.cli.output import CommandRefused
from htx_desktop.i18n import t
from htx_desktop.store.engine import Database
from htx_desktop.store.paths import DataDir, resolve_data_dir


def data_dir_of(args: argparse.Namespace) -> DataDir:
    return resolve_data_dir(args.data_dir)


_opened: list[Database] = []


def open_database(args: argparse.Namespace) -> Database:
    from htx_desktop.store.backup import try_daily_backup

    data_dir = data_dir_of(args)
    existed = data_dir.db_path.is_file()
    db = Database.open(data_dir, url=getattr(args, "database_url", None))
    _opened.append(db)
    # The first command of the day keeps a copy (a new database has nothing yet; `backup`
    # makes its own).
    if existed and getattr(args, "command", None) != "backup":
        _made, problem = try_daily_backup(db)
        if problem is not None:  # the command goes on; she is told, in one line
            from htx_desktop.cli.output import complain

            complain(problem)
    return db


def close_databases() -> None:
    """Dispose every engine a command opened: SQLite checkpoints its WAL into the file, so the
    folder holds one complete database file when the command ends."""
    while _opened:
        _opened.pop().close()


def require_home_unit(db: Database) -> tuple[int, str]:
    """The home unit's (id, code), or a refusal telling the officer to run `init` first."""
    from htx_desktop.store.settings import home_unit

    with db.session() as session:
        unit = home_unit(session)
        if unit is None:
            raise CommandRefused(t(
                "Chưa chọn đơn vị sử dụng chương trình. "
                "Hãy chạy: htx-desktop init --unit MÃ_ĐƠN_VỊ"))
        return unit.id, unit.code
