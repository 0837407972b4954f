"""A leftover `-wal` beside a database copied back by hand is set aside, never replayed.

The problem. SQLite's write-ahead log names no database: whatever `htx.sqlite3` is there when
a connection opens, the frames of `htx.sqlite3-wal` are replayed onto it. A program killed or
a power cut leaves a WAL whose frames are the last saves: it must be replayed. But if the
officer then copies an older `htx.sqlite3` back over the file by hand (Explorer), the frames
of the newer database would be replayed onto the older file: pages of two states mixed, a
damaged file or records silently from both, and her hand restore undone.

Why a record, and not the two files' headers. The WAL header holds the page size, a
checkpoint sequence number and two random salts; a frame holds a page number and the page.
Nothing in them identifies the database file they were written on top of, and in WAL mode
SQLite does not keep the database header's change counter up to date, so comparing headers
catches some replacements and misses others (a copy made the same day, the daily backup put
back under the name). So the program keeps its own record, `htx.sqlite3-vantay` (a small
SQLite file beside the database): the exact content of `htx.sqlite3` (its size and a CRC-32
of every byte) as the program last left it. Not the file's modification time: a copy made
with Explorer keeps the time of the file it was copied from, and the daily backup put back
under the name is newer than the last start.

Keeping the record true. `htx.sqlite3` itself changes only when a checkpoint copies pages
from the WAL into it. The program therefore makes every checkpoint itself:
- SQLite's automatic checkpoints are turned off on its connections; when a transaction ends
  with the WAL larger than WAL_LIMIT, the program checkpoints (`maybe_checkpoint`);
- closing a connection is one too (the last one checkpoints and deletes the WAL): the
  program closes its connections itself, inside the bracket below;
- each is bracketed (`changing`): a "busy" mark is written in the record before, and after
  it the file's new content is recorded and the mark removed. Marks are written inside the
  record file's own transactions, so several windows and commands can share the folder.
When the database is opened with no WAL beside it (the file at rest) its content is recorded
and any old marks are cleared (`note_at_rest`).

The check (`set_aside_foreign_wal`), before anything opens the database: a WAL holding
frames is replayed (left in place) when the database's content is the recorded one; when a
checkpoint or a closing was under way (a busy mark: the program died in the middle, the file
holds part of the WAL's frames, and replaying them completes it); and when there is no
record (a folder last used by an older version) or the record cannot be read. Otherwise the
database was replaced: the `-wal` and `-shm` are moved into `hong/nhat-ky-cu-DATE/` (never
deleted), the database opens as it is, and the officer is told once (`take_notices`): the
window shows a message, the command line writes a line on stderr.

Limits. A database copied back by hand together with its own -wal is taken as replaced (it
differs from the record): its WAL is kept in `hong/`, not replayed. A checkpoint made by
another program (the sqlite3 shell) leaves the record behind: its WAL, if it then dies, is
set aside, never lost. Where the record cannot be read or written (a read-only folder),
nothing is moved and a WAL is replayed as before.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sqlite3
import uuid
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from htx_desktop.i18n import t

log = logging.getLogger(__name__)

RECORD_SUFFIX = "-vantay"  # "fingerprint": htx.sqlite3-vantay
WAL_LIMIT = 4 << 20  # the program checkpoints once the WAL passes this (SQLite's own: ≈ 4 MB)
ASIDE_PREFIX = "nhat-ky-cu-"  # hong/nhat-ky-cu-YYYYmmdd-HHMMSS/: the set-aside -wal/-shm
_WAL_HEADER = 32
_FRAME_HEADER = 24
_WAL_MAGIC = (0x377F0682, 0x377F0683)

_notices: list[str] = []
# The WAL as this process last checkpointed it (size, mtime): no checkpoint again for
# a transaction that only read.
_last_checkpoint: dict[Path, tuple[int, int]] = {}


@dataclass(frozen=True)
class SetAside:
    folder: Path
    files: tuple[Path, ...]


def wal_path(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + "-wal")


def record_path(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + RECORD_SUFFIX)


def fingerprint(path: Path) -> str | None:
    """The file's exact content: size and CRC-32 of every byte (None if it cannot be read)."""
    crc, size = 0, 0
    try:
        with path.open("rb") as fh:
            while chunk := fh.read(1 << 20):
                crc = zlib.crc32(chunk, crc)
                size += len(chunk)
    except OSError:
        return None
    return f"{size}:{crc:08x}"


def has_frames(wal: Path) -> bool:
    """True if `wal` holds at least one frame SQLite would look at (a header whose magic is
    right and a first frame carrying the header's salts)."""
    try:
        with wal.open("rb") as fh:
            header = fh.read(_WAL_HEADER)
            frame = fh.read(_FRAME_HEADER)
    except OSError:
        return False
    if len(header) < _WAL_HEADER or len(frame) < _FRAME_HEADER:
        return False
    if int.from_bytes(header[0:4], "big") not in _WAL_MAGIC:
        return False
    return frame[8:16] == header[16:24]  # salt-1 and salt-2: a frame of this WAL


@contextlib.contextmanager
def _record(db_path: Path, *, create: bool = True) -> Iterator[sqlite3.Connection]:
    """The record, in one exclusive transaction (several processes share it)."""
    path = record_path(db_path)
    if not create and not path.is_file():
        raise FileNotFoundError(path)
    conn = sqlite3.connect(path, timeout=10, isolation_level=None)
    try:
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("CREATE TABLE IF NOT EXISTS mark (key TEXT PRIMARY KEY, value TEXT)")
        yield conn
        conn.execute("COMMIT")
    finally:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        conn.close()


def _set(conn: sqlite3.Connection, key: str, value: str) -> None:
    conn.execute("INSERT OR REPLACE INTO mark (key, value) VALUES (?, ?)", (key, value))


def _busy_marks(conn: sqlite3.Connection) -> list[str]:
    return [r[0] for r in conn.execute("SELECT key FROM mark WHERE key LIKE 'busy:%'")]


def note_at_rest(db_path: Path) -> None:
    """The database with no WAL frames beside it: what it holds is all there is. Record its
    content and clear the marks of any program that died in a checkpoint."""
    if not db_path.is_file() or has_frames(wal_path(db_path)):
        return
    try:
        with _record(db_path) as conn:
            content = fingerprint(db_path)
            if content is None:
                return
            conn.execute("DELETE FROM mark WHERE key LIKE 'busy:%'")
            _set(conn, "content", content)
    except (OSError, sqlite3.Error):  # best effort: without a record, a WAL is replayed
        log.info("could not record the database's content", exc_info=True)


@contextlib.contextmanager
def changing(db_path: Path, *, closing: bool = False) -> Iterator[None]:
    """Around work that may write into the database file (a checkpoint, closing a
    connection: the last one checkpoints): marked busy meanwhile, then the new content
    recorded (unless another process is in the middle of its own checkpoint: it records when
    it ends). `closing`: a connection that was not the last leaves the file as it was (its
    WAL is still there): nothing to record then."""
    token = f"busy:{os.getpid()}:{uuid.uuid4().hex}"
    marked = False
    if not db_path.is_file():  # moved away meanwhile (set aside, restored): nothing to mark
        yield
        return
    try:
        with _record(db_path) as conn:
            _set(conn, token, datetime.now().isoformat(timespec="seconds"))
        marked = True
    except (OSError, sqlite3.Error):
        log.info("could not mark a checkpoint", exc_info=True)
    try:
        yield
    finally:
        if marked:
            try:
                with _record(db_path) as conn:
                    conn.execute("DELETE FROM mark WHERE key = ?", (token,))
                    unchanged = closing and has_frames(wal_path(db_path))
                    if not unchanged and not _busy_marks(conn):
                        content = fingerprint(db_path)
                        if content is not None:
                            _set(conn, "content", content)
            except (OSError, sqlite3.Error):  # the mark stays: a WAL is replayed (safe)
                log.info("could not record the database's content", exc_info=True)


def maybe_checkpoint(dbapi_connection: Any, db_path: Path) -> None:
    """After a transaction: the program's own checkpoint once the WAL passes WAL_LIMIT
    (SQLite's automatic one is off, module docstring)."""
    wal = wal_path(db_path)
    try:
        stat = wal.stat()
    except OSError:
        return
    seen = (stat.st_size, stat.st_mtime_ns)
    if stat.st_size <= WAL_LIMIT or _last_checkpoint.get(db_path) == seen:
        return
    try:
        with changing(db_path):
            dbapi_connection.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
    except sqlite3.Error:  # busy, or a full disk: the next transaction tries again
        log.info("checkpoint failed", exc_info=True)
        return
    with contextlib.suppress(OSError):
        stat = wal.stat()
        _last_checkpoint[db_path] = (stat.st_size, stat.st_mtime_ns)


def set_aside_foreign_wal(db_path: Path, aside_root: Path) -> SetAside | None:
    """Before opening: a WAL left beside a database that is not the one it was written on
    (module docstring) is moved into `aside_root/nhat-ky-cu-DATE/`, with its -shm; the
    officer's notice is kept for `take_notices`. None when there was nothing to set aside."""
    wal = wal_path(db_path)
    if not db_path.is_file() or not has_frames(wal):
        return None
    aside: SetAside | None = None
    try:
        with _record(db_path, create=False) as conn:
            recorded = conn.execute(
                "SELECT value FROM mark WHERE key = 'content'").fetchone()
            if recorded is None or _busy_marks(conn):
                return None  # no record (an older version), or a checkpoint cut short
            if fingerprint(db_path) in (recorded[0], None):
                return None  # the database that wrote the WAL: replayed, as it should
            # Still inside the record's transaction: no checkpoint can start meanwhile.
            aside = _move_aside(db_path, aside_root)
            if aside is not None:
                conn.execute("DELETE FROM mark WHERE key = 'content'")
    except (OSError, sqlite3.Error):
        log.info("could not check the WAL left beside the database", exc_info=True)
        return None
    if aside is not None:
        _notices.append(notice(db_path, aside))
        log.warning("a WAL left beside a replaced database was set aside in %s", aside.folder)
    return aside


def _move_aside(db_path: Path, aside_root: Path) -> SetAside | None:
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    folder = aside_root / f"{ASIDE_PREFIX}{stamp}"
    n = 2
    while folder.exists():
        folder = aside_root / f"{ASIDE_PREFIX}{stamp}-{n}"
        n += 1
    folder.mkdir(parents=True)
    moved: list[Path] = []
    for suffix in ("-wal", "-shm"):
        extra = db_path.with_name(db_path.name + suffix)
        if not extra.exists():
            continue
        try:
            os.replace(extra, folder / extra.name)
        except OSError:
            if suffix == "-wal":  # in use by a program still running: not a leftover
                with contextlib.suppress(OSError):
                    folder.rmdir()
                return None
            continue  # a stale -shm alone is rebuilt by SQLite
        moved.append(folder / extra.name)
    return SetAside(folder, tuple(moved))


def notice(db_path: Path, aside: SetAside) -> str:
    return t("Tệp dữ liệu {db} đã được thay bằng một tệp khác (có lẽ chép tay từ một bản cũ), "
             "trong khi nhật ký ghi (tệp {wal}) của dữ liệu trước vẫn còn bên cạnh. Để không "
             "trộn hai bản với nhau, chương trình mở tệp dữ liệu đúng như đã chép và cất nhật "
             "ký cũ vào thư mục {folder} (không xoá). Nếu bạn không chủ ý chép tệp này, hãy "
             "báo người hỗ trợ và gửi kèm thư mục đó.",
             db=db_path.name, wal=wal_path(db_path).name, folder=str(aside.folder))


def take_notices() -> list[str]:
    """What the officer must be told (once) about WAL files set aside since last asked."""
    found = list(_notices)
    _notices.clear()
    return found
