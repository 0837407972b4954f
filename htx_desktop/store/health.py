"""The window's start-up check of the database file, and recovery from a damaged one.

The check opens the file read-only and runs SQLite's quick_check (a full integrity check reads
the whole file; STACK-NOTES.md). A damaged file is never opened for writing: recovery moves it
aside (kept, for whoever may try to rescue it later) and puts the newest good backup in its
place, then brings that to the newest schema.
"""

from __future__ import annotations

import os
import sqlite3
from contextlib import closing
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from htx_desktop.i18n import t
from htx_desktop.store.backup import check_backup, newest_good_backup
from htx_desktop.store.errors import StoreError
from htx_desktop.store.paths import DataDir, read_only_uri

DAMAGED_FOLDER = "hong"  # where damaged files are kept aside, inside the data folder


@dataclass(frozen=True)
class StartCheck:
    ok: bool
    message: str = ""  # Vietnamese, for the officer; empty when ok
    backup: Path | None = None  # the newest good backup, offered when not ok


def quick_check_file(path: Path) -> bool:
    """True if SQLite's quick_check passes on `path`, opened read-only."""
    try:
        with closing(sqlite3.connect(read_only_uri(path), uri=True)) as conn:
            rows = conn.execute("PRAGMA quick_check").fetchall()
    except sqlite3.Error:
        return False
    return [r[0] for r in rows] == ["ok"]


def check_database_at_start(data_dir: DataDir) -> StartCheck:
    """Is the data folder's database sound? A missing file is fine (a new copy)."""
    path = data_dir.db_path
    if not path.exists() or quick_check_file(path):
        return StartCheck(ok=True)
    good = newest_good_backup(data_dir.backups)
    if good is None:
        message = t(
            "Tệp dữ liệu của chương trình bị hỏng (có thể do mất điện hoặc ổ đĩa lỗi) và không "
            "có bản sao lưu tốt nào để khôi phục. Chương trình không mở tệp hỏng để tránh làm "
            "mất thêm dữ liệu. Hãy liên hệ bộ phận hỗ trợ, mang theo thư mục {folder}.",
            folder=str(data_dir.root))
    else:
        made = datetime.fromtimestamp(good.stat().st_mtime)
        message = t(
            "Tệp dữ liệu của chương trình bị hỏng (có thể do mất điện hoặc ổ đĩa lỗi). "
            "Chương trình không mở tệp hỏng để tránh làm mất thêm dữ liệu. Có thể khôi phục "
            "bản sao lưu tốt mới nhất, lập lúc {time}: những gì nhập sau thời điểm đó sẽ phải "
            "nhập lại. Tệp hỏng được giữ lại riêng, không bị xoá.",
            time=made.strftime("%H:%M %d/%m/%Y"))
    return StartCheck(ok=False, message=message, backup=good)


def restore_after_damage(data_dir: DataDir, backup: Path) -> Path:
    """Move the damaged database (and its WAL files) aside and put `backup` in its place,
    migrated. Returns where the damaged file now is. Raises StoreError if the backup is not
    good (then nothing was moved)."""
    from htx_desktop.store.engine import create_sqlite_engine
    from htx_desktop.store.migrate import upgrade_to_head

    problem = check_backup(backup)
    if problem is not None:
        raise StoreError(t("Không khôi phục được: {problem}", problem=problem))
    aside_dir = data_dir.root / DAMAGED_FOLDER
    aside_dir.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    aside = aside_dir / f"htx-hong-{stamp}.sqlite3"
    n = 2
    while aside.exists():
        aside = aside_dir / f"htx-hong-{stamp}-{n}.sqlite3"
        n += 1
    db_path = data_dir.db_path
    if db_path.exists():
        os.replace(db_path, aside)
    for suffix in ("-wal", "-shm", "-journal"):
        extra = db_path.with_name(db_path.name + suffix)
        if extra.exists():
            os.replace(extra, aside.with_name(aside.name + suffix))
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
        partial.unlink(missing_ok=True)
    engine = create_sqlite_engine(db_path)
    try:
        upgrade_to_head(engine, db_path, data_dir.backups)
    finally:
        engine.dispose()
    return aside
