"""Putting a backup in place of the data folder's database, then bringing it to the newest
schema: the backup page's and the command line's `restore` (`restore_database`), and the
recovery from a damaged file at start (`restore_after_damage`).

Above the backups (`backup.py`), the start-up check (`health.py`) and the migrations
(`migrate.py`), which it combines; none of them imports it.
"""

from __future__ import annotations

import os
import sqlite3
from contextlib import closing
from pathlib import Path

from htx_desktop.i18n import t
from htx_desktop.store.backup import backup_to_dir, check_backup, open_readonly, remove_partial
from htx_desktop.store.errors import StoreError
from htx_desktop.store.health import DAMAGED_FOLDER, file_problem, set_aside
from htx_desktop.store.migrate import check_known_revision, upgrade_to_head
from htx_desktop.store.paths import DataDir, read_only_uri
from htx_desktop.store.sqlite_engine import create_sqlite_engine


def restore_database(src: Path, data_dir: DataDir) -> Path | None:
    """Put the backup `src` in place of the data folder's database, then migrate it.

    The source is checked first (nothing changes if it is refused); the current database is
    backed up before it is overwritten, and that backup is returned (None if there was no
    database). Close every engine on the database before calling.
    """
    src = Path(src)
    problem = check_backup(src)
    if problem is not None:
        raise StoreError(t("Không khôi phục được: {problem}", problem=problem))
    data_dir.ensure()
    if src.resolve() == data_dir.db_path.resolve():
        raise StoreError(t("Không khôi phục được: tệp này chính là cơ sở dữ liệu đang dùng."))
    with closing(open_readonly(src)) as conn:
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    check_known_revision(row[0] if row else None)

    previous = None
    if file_problem(data_dir.db_path) is not None:
        # Damaged, empty or unreadable: no backup of it could pass its check. It is kept
        # aside, untouched, in hong/ (the way the window's damaged-start dialog does).
        previous = set_aside(data_dir)
    elif data_dir.db_path.exists():
        previous = backup_to_dir(data_dir.db_path, data_dir.backups, reason="truoc-khoi-phuc")
    else:
        set_aside(data_dir)  # a -wal/-shm left without its database is never replayed
    partial = data_dir.db_path.with_name(data_dir.db_path.name + ".part")
    remove_partial(partial)
    try:
        with closing(open_readonly(src)) as source, closing(sqlite3.connect(partial)) as target:
            source.backup(target)
        # The database being replaced leaves no -wal/-shm for SQLite to replay over the copy.
        for suffix in ("-wal", "-shm"):
            data_dir.db_path.with_name(data_dir.db_path.name + suffix).unlink(missing_ok=True)
        os.replace(partial, data_dir.db_path)
    except (sqlite3.Error, OSError) as exc:
        from htx_desktop.store.os_errors import os_failure

        failure = os_failure(exc, data_dir.root)
        if failure is not None:
            raise failure from exc
        raise StoreError(t("Không khôi phục được: {error}", error=str(exc))) from exc
    finally:
        remove_partial(partial)
    engine = create_sqlite_engine(data_dir.db_path)
    try:
        upgrade_to_head(engine, data_dir.db_path, data_dir.backups)
    finally:
        engine.dispose()
    return previous


def restore_after_damage(data_dir: DataDir, backup: Path) -> Path:
    """Move the damaged database (and its WAL files) aside and put `backup` in its place,
    migrated. Returns where the damaged file now is. Raises StoreError if the backup is not
    good (then nothing was moved)."""
    problem = check_backup(backup)
    if problem is not None:
        raise StoreError(t("Không khôi phục được: {problem}", problem=problem))
    db_path = data_dir.db_path
    aside = set_aside(data_dir) or data_dir.root / DAMAGED_FOLDER
    partial = db_path.with_name(db_path.name + ".part")
    partial.unlink(missing_ok=True)
    try:
        with closing(sqlite3.connect(read_only_uri(backup), uri=True)) as src, \
                closing(sqlite3.connect(partial)) as dst:
            src.backup(dst)
        os.replace(partial, db_path)
    except sqlite3.Error as exc:
        raise StoreError(t("Không khôi phục được: {error}", error=str(exc))) from exc
    finally:
        for leftover in partial.parent.glob(partial.name + "*"):
            leftover.unlink(missing_ok=True)
    engine = create_sqlite_engine(db_path)
    try:
        upgrade_to_head(engine, db_path, data_dir.backups)
    finally:
        engine.dispose()
    return aside
