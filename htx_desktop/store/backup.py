"""Backups of the database file with SQLite's online backup API, verified after writing.

A plain file copy can miss pages still in the WAL file; the backup API copies a consistent
snapshot. Backups are named `htx-YYYYmmdd-HHMMSS[-reason].sqlite3`, so names sort by time.
"""

from __future__ import annotations

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
_NAME = re.compile(r"^htx-(\d{8}-\d{6})(?:-[a-z0-9-]+)?(?:-\d+)?\.sqlite3$")


def _open_readonly(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(read_only_uri(path), uri=True)


def check_backup(path: Path) -> str | None:
    """None if `path` is a sound HTX database; otherwise the problem, in Vietnamese."""
    if not path.is_file():
        return t("Không tìm thấy tệp {path}.", path=str(path))
    try:
        with closing(_open_readonly(path)) as conn:
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


def is_good_backup(path: Path) -> bool:
    return check_backup(path) is None


def backup_database(db_path: Path, out_path: Path) -> Path:
    """Copy `db_path` into `out_path` (verified); the file appears only once it is whole."""
    out_path.parent.mkdir(parents=True, exist_ok=True)
    partial = out_path.with_name(out_path.name + ".part")
    partial.unlink(missing_ok=True)
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
        raise StoreError(t("Không sao lưu được cơ sở dữ liệu: {error}", error=str(exc))) from exc
    finally:
        partial.unlink(missing_ok=True)
    return out_path


def backup_name(now: datetime | None = None, reason: str = "") -> str:
    stamp = (now or datetime.now()).strftime("%Y%m%d-%H%M%S")
    slug = re.sub(r"[^a-z0-9]+", "-", reason.lower()).strip("-")
    return f"htx-{stamp}-{slug}.sqlite3" if slug else f"htx-{stamp}.sqlite3"


def default_backup_path(backups_dir: Path, reason: str = "") -> Path:
    """A free name for a new backup in `backups_dir` (the file is not created)."""
    name = backup_name(reason=reason)
    out = backups_dir / name
    n = 2
    while out.exists():  # two backups in one second
        out = backups_dir / name.replace(".sqlite3", f"-{n}.sqlite3")
        n += 1
    return out


def backup_to_dir(db_path: Path, backups_dir: Path, reason: str = "") -> Path:
    """A new verified backup in `backups_dir`, named by the time (and reason, ASCII)."""
    return backup_database(db_path, default_backup_path(backups_dir, reason))


def list_backups(backups_dir: Path) -> list[Path]:
    """The program's backups in `backups_dir`, newest first."""
    if not backups_dir.is_dir():
        return []
    found = [(m.group(1), p) for p in backups_dir.iterdir() if (m := _NAME.match(p.name))]
    found.sort(key=lambda item: (item[0], item[1].stat().st_mtime_ns), reverse=True)
    return [p for _, p in found]


def newest_good_backup(backups_dir: Path) -> Path | None:
    """The newest backup that passes the integrity check, or None."""
    return next((p for p in list_backups(backups_dir) if is_good_backup(p)), None)


def prune_backups(backups_dir: Path, keep: int = DEFAULT_KEEP) -> list[Path]:
    """Delete all but the newest `keep` backups; return the deleted ones."""
    old = list_backups(backups_dir)[max(keep, 1):]  # never delete the last one
    for path in old:
        path.unlink(missing_ok=True)
    return old


def restore_database(src: Path, data_dir: DataDir) -> Path | None:
    """Put the backup `src` in place of the data folder's database, then migrate it.

    The source is checked first (nothing changes if it is refused); the current database is
    backed up before it is overwritten, and that backup is returned (None if there was no
    database). Close every engine on the database before calling.
    """
    # Imported here: migrate imports this module for its pre-upgrade backup.
    from htx_desktop.store.engine import create_sqlite_engine
    from htx_desktop.store.migrate import check_known_revision, upgrade_to_head

    src = Path(src)
    problem = check_backup(src)
    if problem is not None:
        raise StoreError(t("Không khôi phục được: {problem}", problem=problem))
    data_dir.ensure()
    if src.resolve() == data_dir.db_path.resolve():
        raise StoreError(t("Không khôi phục được: tệp này chính là cơ sở dữ liệu đang dùng."))
    with closing(_open_readonly(src)) as conn:
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    check_known_revision(row[0] if row else None)

    previous = None
    if data_dir.db_path.exists():
        previous = backup_to_dir(data_dir.db_path, data_dir.backups, reason="truoc-khoi-phuc")
    try:
        with closing(sqlite3.connect(src)) as source, closing(
            sqlite3.connect(data_dir.db_path)
        ) as target:
            source.backup(target)
    except sqlite3.Error as exc:
        raise StoreError(t("Không khôi phục được: {error}", error=str(exc))) from exc
    engine = create_sqlite_engine(data_dir.db_path)
    try:
        upgrade_to_head(engine, data_dir.db_path, data_dir.backups)
    finally:
        engine.dispose()
    return previous


DAILY_REASON = "hang-ngay"


def _keep_setting(db_path: Path) -> int:
    """`backup_keep` read straight from the file (the settings module needs a session)."""
    try:
        with closing(_open_readonly(db_path)) as conn:
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
    day = (today or date.today()).strftime("%Y%m%d")
    if any(p.name.startswith(f"htx-{day}-") and f"-{DAILY_REASON}" in p.name
           for p in list_backups(data_dir.backups)):
        return None
    made = backup_to_dir(data_dir.db_path, data_dir.backups, reason=DAILY_REASON)
    prune_backups(data_dir.backups, keep or _keep_setting(data_dir.db_path))
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
    try:
        made_at = datetime.strptime(stamp, "%Y%m%d-%H%M%S")
    except ValueError:
        made_at = datetime.fromtimestamp(path.stat().st_mtime)
    rest = path.name[len(f"htx-{stamp}"):-len(".sqlite3")].strip("-")
    reason = re.sub(r"-?\d+$", "", rest) if rest and not rest.isdigit() else ""
    return BackupInfo(path, made_at, reason, path.stat().st_size,
                      check_backup(path) if verify else None)


def daily_backup_or_log(target: DataDir | Any) -> Path | None:
    """`daily_backup` for start-up: a failed daily copy (a full disk) is logged, and the
    program still starts; the officer's work matters more than today's copy."""
    try:
        return daily_backup(target)
    except (StoreError, OSError):
        logging.getLogger(__name__).warning("daily backup failed", exc_info=True)
        return None
