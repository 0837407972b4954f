"""The window's start-up check of the database file, and recovery from a damaged one.

The check opens the file read-only and runs SQLite's quick_check (a full integrity check reads
the whole file; STACK-NOTES.md). A damaged file is never opened for writing: recovery
(`restore.restore_after_damage`) moves it aside (`set_aside`: kept, for whoever may try to rescue
it later) and puts the newest good backup in its place, then brings that to the newest schema.
"""

from __future__ import annotations

import os
import sqlite3
from contextlib import closing
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from htx_desktop.i18n import t
from htx_desktop.store.backup import backup_time, newest_good_backup
from htx_desktop.store.paths import DataDir, read_only_uri

DAMAGED_FOLDER = "hong"  # where damaged files are kept aside, inside the data folder


@dataclass(frozen=True)
class StartCheck:
    ok: bool
    message: str = ""  # Vietnamese, for the officer; empty when ok
    backup: Path | None = None  # the newest good backup, offered when not ok


# What `file_problem` finds wrong with a database file.
EMPTY = "empty"  # 0 bytes, or a SQLite file without a single table
UNREADABLE = "unreadable"  # the file cannot be read (permissions, disk error)
DAMAGED = "damaged"  # truncated, foreign (not SQLite, or not this program's), fails its check

_HEADER = b"SQLite format 3\x00"


def quick_check_file(path: Path) -> bool:
    """True if SQLite's quick_check passes on `path`, opened read-only."""
    try:
        with closing(_connect_read_only(path)) as conn:
            rows = conn.execute("PRAGMA quick_check").fetchall()
    except sqlite3.Error:
        return False
    return [r[0] for r in rows] == ["ok"]


def _connect_read_only(path: Path) -> sqlite3.Connection:
    """Read-only; on a folder where SQLite cannot make the WAL's -shm file, immutable."""
    conn = sqlite3.connect(read_only_uri(path), uri=True)
    try:
        conn.execute("SELECT 1 FROM sqlite_master LIMIT 1").fetchall()
    except sqlite3.OperationalError:
        conn.close()
        if os.access(path.parent, os.W_OK):
            raise
        conn = sqlite3.connect(read_only_uri(path, immutable=True), uri=True)
    return conn


def _header_problem(path: Path) -> str | None:
    try:
        size = path.stat().st_size
        with path.open("rb") as fh:
            head = fh.read(100)
    except OSError:
        return UNREADABLE
    if size == 0:
        return EMPTY
    if len(head) < 100 or not head.startswith(_HEADER):
        return DAMAGED  # truncated inside its header, or another kind of file
    page_size = int.from_bytes(head[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    if page_size < 512 or size % page_size:
        return DAMAGED  # cut short in the middle of a page
    counter, pages, valid_for = (int.from_bytes(head[i:i + 4], "big") for i in (24, 28, 92))
    if counter == valid_for and pages * page_size > size:
        return DAMAGED  # the header counts more pages than the file holds: truncated
    return None


def file_problem(path: Path, *, quick: bool = True) -> str | None:
    """What is wrong with the database file at `path` (EMPTY, UNREADABLE, DAMAGED), or None
    when it is missing (a new installation) or looks like this program's database. Opens
    nothing for writing. `quick`: run SQLite's quick_check too (reads most of the file)."""
    if not path.exists():
        return None
    problem = _header_problem(path)
    if problem is not None:
        return problem
    try:
        with closing(_connect_read_only(path)) as conn:
            tables = {r[0] for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table'")}
            if quick and [r[0] for r in conn.execute("PRAGMA quick_check")] != ["ok"]:
                return DAMAGED
    except sqlite3.Error as exc:
        from htx_desktop.store.os_errors import failure_kind

        if failure_kind(exc) is not None:
            return None  # the PC's fault (full disk, locked), not the file's: told on opening
        return DAMAGED
    if not tables:
        return EMPTY  # a header and nothing else: never a database that held records
    if "alembic_version" not in tables:
        return DAMAGED  # another program's database
    return None


_CAUSES = {
    EMPTY: "Tệp dữ liệu của chương trình bị trống (có thể do mất điện, ổ đĩa đầy hoặc sao "
           "chép dở dang).",
    UNREADABLE: "Không đọc được tệp dữ liệu của chương trình (có thể do quyền truy cập hoặc "
                "ổ đĩa bị lỗi).",
    DAMAGED: "Tệp dữ liệu của chương trình bị hỏng (có thể do mất điện hoặc ổ đĩa lỗi).",
}


def check_database_at_start(data_dir: DataDir, *, quick: bool = True) -> StartCheck:
    """Is the data folder's database sound? A missing file is fine (a new copy); so is an
    empty one when no backup holds data (a first start that was interrupted: nothing to
    lose, `Database.open` sets it aside). Anything else wrong offers the newest backup that
    holds data."""
    problem = file_problem(data_dir.db_path, quick=quick)
    if problem is None:
        return StartCheck(ok=True)
    good = newest_good_backup(data_dir.backups)
    if problem == EMPTY and good is None:
        return StartCheck(ok=True)
    cause = t(_CAUSES[problem])
    if good is None:
        message = cause + " " + t(
            "Chương trình không mở tệp này để tránh làm mất thêm dữ liệu, và không có bản sao "
            "lưu tốt nào để khôi phục. Hãy liên hệ bộ phận hỗ trợ, mang theo thư mục {folder}.",
            folder=str(data_dir.root))
    else:
        message = cause + " " + t(
            "Chương trình không mở tệp hỏng để tránh làm mất thêm dữ liệu. Có thể khôi phục "
            "bản sao lưu tốt mới nhất, lập lúc {time}: những gì nhập sau thời điểm đó sẽ phải "
            "nhập lại. Tệp hỏng được giữ lại riêng, không bị xoá.",
            time=backup_time(good).strftime("%H:%M %d/%m/%Y"))
    return StartCheck(ok=False, message=message, backup=good)


def set_aside(data_dir: DataDir) -> Path | None:
    """Move the database file and its -wal/-shm/-journal into `hong/`, untouched; returns
    where the database went (None if there was none)."""
    aside_dir = data_dir.root / DAMAGED_FOLDER
    aside_dir.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    aside = aside_dir / f"htx-hong-{stamp}.sqlite3"
    n = 2
    while aside.exists():
        aside = aside_dir / f"htx-hong-{stamp}-{n}.sqlite3"
        n += 1
    db_path = data_dir.db_path
    moved = None
    if db_path.exists():
        os.replace(db_path, aside)
        moved = aside
    for suffix in ("-wal", "-shm", "-journal"):
        extra = db_path.with_name(db_path.name + suffix)
        if extra.exists():
            os.replace(extra, aside.with_name(aside.name + suffix))
            moved = moved or aside
    return moved
