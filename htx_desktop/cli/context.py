"""Open the data folder and database for a command: resolve the folder, refuse a damaged
database (naming the newest good backup), bring the schema to the newest revision."""

from __future__ import annotations

import argparse
import contextlib
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from htx_desktop.cli.output import CommandRefused
from htx_desktop.i18n import t
from htx_desktop.store.engine import Database
from htx_desktop.store.paths import DataDir, resolve_data_dir

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

T = TypeVar("T")


def in_transaction(db: Database, work: Callable[[Session], T]) -> T:
    """`work` in one write transaction, run again from scratch while another writer holds the
    database (store/retry.py); a lock that outlasts the wait is told in the plain sentence."""
    from htx_desktop.store.retry import retry_or_tell

    def attempt() -> T:
        with db.session() as session:
            return work(session)

    return retry_or_tell(attempt)


def data_dir_of(args: argparse.Namespace) -> DataDir:
    """The data folder named by --data-dir (or its default), not created: a command refuses
    a folder without a database before it writes anything there."""
    return resolve_data_dir(args.data_dir, create=False)


_opened: list[Database] = []


def open_database(args: argparse.Namespace, *, create: bool = False) -> Database:
    """The database of the data folder. Only `init` creates one (`create`); every other
    command refuses a folder without a database, naming the folder and the command that
    creates one, so that a mistyped --data-dir never leaves a new empty database behind."""
    from htx_desktop.store.backup import try_daily_backup

    if not create:
        require_database(args)
    data_dir = data_dir_of(args)
    existed = data_dir.db_path.is_file()
    with contextlib.suppress(OSError):  # a read-only folder opens read-only (store/engine.py)
        data_dir.ensure()
    db = Database.open(data_dir, url=getattr(args, "database_url", None))
    _opened.append(db)
    from htx_desktop.cli.output import complain
    from htx_desktop.store.wal_guard import take_notices

    for text in take_notices():  # a WAL set aside beside a file copied back by hand
        complain(text)
    # The first command of the day keeps a copy (a new database has nothing yet; `backup`
    # makes its own).
    if existed and getattr(args, "command", None) != "backup":
        _made, problem = try_daily_backup(db)
        if problem is not None:  # the command goes on; she is told, in one line
            complain(problem)
    return db


# The commands that may start from a folder without a database: they create one.
CREATING_COMMANDS = ("init", "restore")


def require_database(args: argparse.Namespace) -> None:
    """Refuse a command other than init and restore on a data folder without a database
    (SQLite: no htx.sqlite3; a shared server's database is the server's business), before
    the command reads any other input or writes anything."""
    from htx_desktop.store.engine_pg import database_url

    if args.command in CREATING_COMMANDS:
        return
    data_dir = data_dir_of(args)
    if data_dir.db_path.is_file():
        return
    if database_url(data_dir, getattr(args, "database_url", None)) is not None:
        return
    raise CommandRefused(no_database_message(data_dir, str(args.command)))


def no_database_message(data_dir: DataDir, command: str) -> str:
    folder = str(data_dir.root)
    return t(
        "Thư mục dữ liệu “{folder}” chưa có cơ sở dữ liệu: lệnh {command} không chạy, không "
        "có gì được tạo ở đó.\nHãy kiểm tra lại đường dẫn --data-dir; nếu đây là lần đầu dùng "
        "chương trình, hãy tạo cơ sở dữ liệu bằng lệnh:\n"
        "  htx-desktop --data-dir \"{folder}\" init --unit MÃ_ĐƠN_VỊ\n"
        "(hoặc khôi phục một bản sao lưu bằng lệnh restore).",
        folder=folder, command=command)


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
