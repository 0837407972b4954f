"""Backups of the database file with SQLite's online backup API, verified after writing.

A plain file copy can miss pages still in the WAL file; the backup API copies a consistent
snapshot. Backups are named `htx-YYYYmmdd-HHMMSS-nSEQUENCE[-reason].sqlite3`: the sequence
number, one more than the highest in the folder, orders them (a PC's clock may be days off;
older names without one come first, by their time).
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import sqlite3
from contextlib import closing
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from htx_desktop.i18n import t
from htx_desktop.store.errors import StoreError
from htx_desktop.store.file_modes import create_owner_only
from htx_desktop.store.paths import DataDir, read_only_uri

DEFAULT_KEEP = 30
# Within one day, the first backup and the newest few are kept (a day of imports made
# hundreds, one before each).
KEEP_PER_DAY = 4
_NAME = re.compile(r"^htx-(\d{8}-\d{6})(?:-n(\d+))?(?:-[a-z0-9-]+)?(?:-\d+)?\.sqlite3$")


def open_readonly(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(read_only_uri(path), uri=True)


def check_backup(path: Path) -> str | None:
    """None if `path` is a sound HTX database; otherwise the problem, in Vietnamese."""
    if not path.is_file():
        return t("Không tìm thấy tệp {path}.", path=str(path))
    try:
        with closing(open_readonly(path)) as conn:
            result = [row[0] for row in conn.execute("PRAGMA integrity_check")]
            if result != ["ok"]:
                return t("Tệp {path} bị hỏng (kiểm tra toàn vẹn không đạt).", path=str(path))
            has_version = conn.execute(
                "SELECT 1 FROM sqlite_master WHERE type='table' AND name='alembic_version'"
            ).fetchone()
    except sqlite3.DatabaseError:
        return t("Tệp {path} không phải là cơ sở dữ liệu hoặc đã bị hỏng.", path=str(path))
    if not has_version:
        return t("Tệp {path} không phải là cơ sở dữ liệu của HTX Desktop.", path=str(path))
    return None


def holds_data(path: Path) -> bool:
    """True if the database at `path` holds anything of the officer's: settings or units (a
    database made by an interrupted first start holds only the empty schema)."""
    try:
        with closing(open_readonly(path)) as conn:
            return bool(conn.execute(
                "SELECT EXISTS(SELECT 1 FROM settings) OR EXISTS(SELECT 1 FROM units)"
            ).fetchone()[0])
    except sqlite3.Error:
        return False


def is_good_backup(path: Path) -> bool:
    """Sound, and holding data: an empty database is never a backup to go back to."""
    return check_backup(path) is None and holds_data(path)


def backup_database(db_path: Path, out_path: Path) -> Path:
    """Copy `db_path` into `out_path` (verified); the file appears only once it is whole."""
    out_path.parent.mkdir(parents=True, exist_ok=True)
    partial = out_path.with_name(out_path.name + ".part")
    partial.unlink(missing_ok=True)
    if not db_path.is_file():
        raise StoreError(t("Không tìm thấy tệp {path}.", path=str(db_path)))
    try:
        create_owner_only(partial)  # it holds names: readable by its owner only
        with closing(sqlite3.connect(db_path)) as src, closing(sqlite3.connect(partial)) as dst:
            src.backup(dst)
            # The copy carries the source's WAL flag; a lone backup file is better without.
            dst.execute("PRAGMA journal_mode=DELETE")
        problem = check_backup(partial)
        if problem is not None:
            raise StoreError(t("Bản sao lưu vừa tạo không đạt kiểm tra: {problem}",
                               problem=problem))
        os.replace(partial, out_path)
    except sqlite3.Error as exc:
        from htx_desktop.store.os_errors import os_failure

        failure = os_failure(exc, out_path.parent)
        if failure is not None:
            raise failure from exc
        raise StoreError(t("Không sao lưu được cơ sở dữ liệu: {error}", error=str(exc))) from exc
    except OSError as exc:
        from htx_desktop.store.os_errors import os_failure

        raise (os_failure(exc, out_path.parent) or exc) from exc
    finally:
        remove_partial(partial)
    return out_path


def remove_partial(partial: Path) -> None:
    """Remove a half-written file and the -wal/-shm/-journal SQLite may have left beside it
    (a failed backup left 18 MB of each)."""
    for path in (partial, *(partial.with_name(partial.name + s)
                            for s in ("-wal", "-shm", "-journal"))):
        with contextlib.suppress(OSError):  # else removed on the next run (remove_leftovers)
            path.unlink(missing_ok=True)


def remove_leftovers(folder: Path, *, older_than_s: float = 600) -> None:
    """Half-written backups left by a program that was killed (`*.part*`); recent ones may
    be another window's backup in progress, and stay."""
    import time

    if not folder.is_dir():
        return
    for path in folder.glob("*.part*"):
        try:
            if time.time() - path.stat().st_mtime > older_than_s:
                path.unlink()
        except OSError:
            pass


def backup_name(now: datetime | None = None, reason: str = "", number: int | None = None
                ) -> str:
    stamp = (now or datetime.now()).strftime("%Y%m%d-%H%M%S")
    if number is not None:
        stamp += f"-n{number:06d}"
    slug = re.sub(r"[^a-z0-9]+", "-", reason.lower()).strip("-")
    return f"htx-{stamp}-{slug}.sqlite3" if slug else f"htx-{stamp}.sqlite3"


def _sequence(path: Path) -> int:
    m = _NAME.match(path.name)
    return int(m.group(2)) if m and m.group(2) else 0


def default_backup_path(backups_dir: Path, reason: str = "") -> Path:
    """A free name for a new backup in `backups_dir` (the file is not created), numbered one
    more than the newest backup there."""
    number = max((_sequence(p) for p in list_backups(backups_dir)), default=0) + 1
    name = backup_name(reason=reason, number=number)
    out = backups_dir / name
    n = 2
    while out.exists():  # two backups in one second
        out = backups_dir / name.replace(".sqlite3", f"-{n}.sqlite3")
        n += 1
    return out


def backup_to_dir(db_path: Path, backups_dir: Path, reason: str = "") -> Path:
    """A new verified backup in `backups_dir`, named by the time (and reason, ASCII)."""
    return backup_database(db_path, default_backup_path(backups_dir, reason))


def backup_away(db_path: Path, folder: Path) -> Path:
    """A verified backup in `folder` (a USB stick, another drive), named so that a person
    recognises it; the copy to take to another PC (`restore FILE` there)."""
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise StoreError(t("“{path}” là một tệp, không phải thư mục: hãy chọn thư mục để "
                           "chép bản sao lưu.", path=str(folder)))
    name = "htx-saoluu-" + datetime.now().strftime("%Y%m%d-%H%M%S") + ".sqlite3"
    out = folder / name
    n = 2
    while out.exists():
        out = folder / name.replace(".sqlite3", f"-{n}.sqlite3")
        n += 1
    return backup_database(db_path, out)


def list_backups(backups_dir: Path) -> list[Path]:
    """The program's backups in `backups_dir`, newest first: by sequence number, then (older
    names without one) by the time in the name."""
    try:
        if not backups_dir.is_dir():
            return []
        found = []
        for p in backups_dir.iterdir():
            if m := _NAME.match(p.name):
                try:
                    found.append(((int(m.group(2) or 0), m.group(1), p.stat().st_mtime_ns), p))
                except OSError:
                    continue
    except OSError:  # a folder that cannot be read
        return []
    found.sort(key=lambda item: item[0], reverse=True)
    return [p for _, p in found]


def newest_good_backup(backups_dir: Path) -> Path | None:
    """The newest backup that passes the integrity check and holds data, or None."""
    return next((p for p in list_backups(backups_dir) if is_good_backup(p)), None)


def backup_time(path: Path) -> datetime:
    """When a backup was made, as its name says (else the file's time)."""
    m = _NAME.match(path.name)
    try:
        return datetime.strptime(m.group(1) if m else "", "%Y%m%d-%H%M%S")
    except ValueError:
        return datetime.fromtimestamp(path.stat().st_mtime)


def prune_backups(backups_dir: Path, keep: int = DEFAULT_KEEP) -> list[Path]:
    """Bound the backups; return the deleted ones. Within a day, the first and the newest
    KEEP_PER_DAY - 1 stay; of those, the newest `keep` that hold data; a backup without
    data is kept only while none holds data. The newest backup holding data is never
    deleted."""
    listed = list_backups(backups_dir)
    doomed: list[Path] = []
    by_day: dict[str, list[Path]] = {}
    for path in listed:  # newest first
        by_day.setdefault(path.name[4:12], []).append(path)
    for paths in by_day.values():
        if len(paths) > KEEP_PER_DAY:
            doomed += paths[KEEP_PER_DAY - 1:-1]  # keep the newest few and the day's first
    with_data = {p for p in listed if holds_data(p)}
    kept_with_data = 0
    for path in listed:
        if path in doomed:
            continue
        if path in with_data:
            kept_with_data += 1
            if kept_with_data > max(keep, 1):
                doomed.append(path)
        elif with_data:
            doomed.append(path)  # an empty database: nothing to go back to
    newest_with_data = next((p for p in listed if p in with_data), None)
    doomed = [p for p in doomed if p != newest_with_data]
    for path in doomed:
        path.unlink(missing_ok=True)
    return doomed


def total_size(backups_dir: Path) -> int:
    """Bytes used by the program's backups."""
    total = 0
    for path in list_backups(backups_dir):
        try:
            total += path.stat().st_size
        except OSError:
            continue
    return total


DAILY_REASON = "hang-ngay"


def keep_setting(db_path: Path) -> int:
    """`backup_keep` read straight from the file (the settings module needs a session)."""
    try:
        with closing(open_readonly(db_path)) as conn:
            row = conn.execute("SELECT value FROM settings WHERE key = 'backup_keep'").fetchone()
    except sqlite3.Error:
        return DEFAULT_KEEP
    value = str(row[0]) if row else ""
    return int(value) if value.isdigit() and int(value) >= 1 else DEFAULT_KEEP


def daily_backup(target: DataDir | Any, *, today: date | None = None,
                 keep: int | None = None) -> Path | None:
    """The first start of each day backs the database up (verified), then prunes old backups
    down to the `backup_keep` setting. Returns the new backup, or None if today's exists or
    there is no database yet. `target`: a DataDir, or an open Database with one.

    Old backups are pruned only after the new one passed its check, so a failing backup (a
    damaged database: StoreError) never costs a good old one."""
    if getattr(target, "is_server", False):  # an office server is backed up by its own tools
        return None
    data_dir = target if isinstance(target, DataDir) else getattr(target, "data_dir", None)
    if data_dir is None or not data_dir.db_path.is_file():
        return None
    remove_leftovers(data_dir.backups)  # half-written copies of a program that was killed
    day = (today or date.today()).strftime("%Y%m%d")
    if any(p.name.startswith(f"htx-{day}-") and f"-{DAILY_REASON}" in p.name
           for p in list_backups(data_dir.backups)):
        return None
    made = backup_to_dir(data_dir.db_path, data_dir.backups, reason=DAILY_REASON)
    prune_backups(data_dir.backups, keep or keep_setting(data_dir.db_path))
    return made


@dataclass(frozen=True)
class BackupInfo:
    """One backup as the backup page lists it."""

    path: Path
    made_at: datetime
    reason: str  # the ASCII slug of the name ("hang-ngay", "truoc-khoi-phuc", …) or ""
    size: int
    problem: str | None  # None when it passed the integrity check


def describe_backup(path: Path, *, verify: bool = True) -> BackupInfo:
    m = _NAME.match(path.name)
    stamp = m.group(1) if m else ""
    made_at = backup_time(path)
    rest = path.name[len(f"htx-{stamp}"):-len(".sqlite3")].strip("-")
    rest = re.sub(r"^n\d+-?", "", rest)  # the sequence number
    reason = re.sub(r"-?\d+$", "", rest) if rest and not rest.isdigit() else ""
    return BackupInfo(path, made_at, reason, path.stat().st_size,
                      check_backup(path) if verify else None)


def try_daily_backup(target: DataDir | Any) -> tuple[Path | None, str | None]:
    """`daily_backup`, never raising: (the new backup or None, why it could not be made —
    one Vietnamese sentence for the officer — or None). The details go to the log file only:
    a command that succeeded prints no traceback."""
    try:
        return daily_backup(target), None
    except (StoreError, OSError, sqlite3.Error) as exc:
        logging.getLogger(__name__).info("daily backup failed", exc_info=True)
        from htx_desktop.store.os_errors import os_failure

        data_dir = target if isinstance(target, DataDir) else getattr(target, "data_dir", None)
        failure = os_failure(exc, data_dir.backups if data_dir is not None else None)
        reason = failure.user_message if failure is not None else str(exc)
        return None, t("Chưa tạo được bản sao lưu tự động hôm nay. {reason}", reason=reason)
