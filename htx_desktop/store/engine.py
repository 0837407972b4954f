"""The database a program run works on (`Database`): its engine and sessions, opened from the
data folder (migrated, checked, read-only when it cannot be written) or from a server
(PostgreSQL's side: `store/engine_pg.py`). How a SQLite engine is made and configured is below,
in `store/sqlite_engine.py`, which the migrations and backups use too.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import StaticPool

from htx_desktop.i18n import t
from htx_desktop.store.errors import DatabaseDamagedError
from htx_desktop.store.paths import DataDir
from htx_desktop.store.sqlite_engine import (
    create_read_only_engine,
    create_sqlite_engine,
    driver_connection,
    is_damage,
    memory_engine,
)


class Database:
    """An engine plus a session factory; `open` brings the schema to the newest revision."""

    def __init__(self, engine: Engine, data_dir: DataDir | None = None) -> None:
        self.engine = engine
        self.data_dir = data_dir
        self.upgrade_backup: Path | None = None  # the backup made before the last upgrade
        # True when the data folder or file cannot be written: lists, dashboard, reports and
        # exports elsewhere work; a save is refused with the plain "read-only" sentence.
        self.read_only = False
        # On a shared server, who is saving (the settings are shared, so they cannot say);
        # None on SQLite, where the `officer_name` setting is the officer.
        self.officer: str | None = None
        self._sessions = sessionmaker(engine, expire_on_commit=False)

    @classmethod
    def open(cls, data_dir: DataDir, *, url: str | None = None, check: bool = True) -> Database:
        """Open (or create) the data folder's database and migrate it, backing it up first.

        Raises DatabaseDamagedError, naming the newest good backup, if the file is damaged.
        With `check`, SQLite's quick_check runs first (the command line); the window passes
        False and runs the check off the UI thread instead.

        A database URL (`url`, else HTX_DATABASE_URL or the data folder's server.json, see
        `store/engine_pg.py`) selects a PostgreSQL server instead of the data folder's file.
        """
        from htx_desktop.store.backup import newest_good_backup
        from htx_desktop.store.engine_pg import database_url
        from htx_desktop.store.migrate import upgrade_to_head
        from htx_desktop.store.paths import is_writable

        with contextlib.suppress(OSError):  # a folder she may not write: read-only, below
            data_dir.ensure()
        chosen = database_url(data_dir, url)
        if chosen is not None:
            return cls._open_server(data_dir, chosen)
        if data_dir.db_path.is_file() and not (
                is_writable(data_dir.root) and os.access(data_dir.db_path, os.W_OK)):
            return cls._open_read_only(data_dir, check=check)
        from htx_desktop.store.health import DAMAGED_FOLDER, EMPTY, file_problem, set_aside
        from htx_desktop.store.wal_guard import note_at_rest, set_aside_foreign_wal

        # A WAL left beside a file copied back by hand is set aside, never replayed onto it
        # (store/wal_guard.py); the officer is told (`wal_guard.take_notices`).
        set_aside_foreign_wal(data_dir.db_path, data_dir.root / DAMAGED_FOLDER)
        # Never a new installation over a file that is there: an empty, truncated, foreign or
        # unreadable one is damaged, unless it is empty and no backup holds data (a first
        # start that was interrupted), which is set aside, untouched, before starting afresh.
        problem = file_problem(data_dir.db_path, quick=check)
        if problem == EMPTY and newest_good_backup(data_dir.backups) is None:
            set_aside(data_dir)
            problem = None
        if problem is None:
            note_at_rest(data_dir.db_path)
        engine = create_sqlite_engine(data_dir.db_path)
        db = cls(engine, data_dir)
        try:
            if problem is not None:
                raise sqlite3.DatabaseError(f"database disk image is malformed ({problem})")
            db.upgrade_backup = upgrade_to_head(engine, data_dir.db_path, data_dir.backups)
        except Exception as exc:
            engine.dispose()
            if not is_damage(exc):
                raise
            good = newest_good_backup(data_dir.backups)
            if good is None:
                message = t("Cơ sở dữ liệu {path} bị hỏng và không có bản sao lưu tốt nào.",
                            path=str(data_dir.db_path))
            else:
                message = t("Cơ sở dữ liệu {path} bị hỏng (tệp hỏng sẽ được giữ lại riêng, "
                            "không bị xoá). Bản sao lưu tốt mới nhất: {backup}. Hãy khôi phục "
                            "từ bản sao lưu này: htx-desktop restore \"{backup}\"",
                            path=str(data_dir.db_path), backup=str(good))
            raise DatabaseDamagedError(message, good) from exc
        return db

    @classmethod
    def _open_read_only(cls, data_dir: DataDir, *, check: bool) -> Database:
        """The data folder's file, read only (see `read_only`); refused if damaged or if a
        migration is due (it could not be written)."""
        from htx_desktop.store.backup import newest_good_backup
        from htx_desktop.store.health import file_problem
        from htx_desktop.store.migrate import head_revision
        from htx_desktop.store.paths import is_writable

        problem = file_problem(data_dir.db_path, quick=check)
        if problem is not None:
            good = newest_good_backup(data_dir.backups)
            raise DatabaseDamagedError(t(
                "Cơ sở dữ liệu {path} bị hỏng và không có bản sao lưu tốt nào.",
                path=str(data_dir.db_path)), good)
        engine = create_read_only_engine(data_dir.db_path,
                                         immutable=not is_writable(data_dir.root))
        db = cls(engine, data_dir)
        db.read_only = True
        try:
            with engine.connect() as conn:
                current = conn.exec_driver_sql(
                    "SELECT version_num FROM alembic_version").scalar()
        except Exception:
            engine.dispose()
            raise
        if current != head_revision():
            engine.dispose()
            from htx_desktop.store.os_errors import READ_ONLY, OSFailure

            raise OSFailure(READ_ONLY, data_dir.root)  # the upgrade due cannot be written
        return db

    @classmethod
    def _open_server(cls, data_dir: DataDir, url: str) -> Database:
        """Open a PostgreSQL database and migrate it (a backup of the server first)."""
        from htx_desktop.store.engine_pg import create_pg_engine, is_postgres, session_officer
        from htx_desktop.store.migrate import upgrade_to_head

        engine = create_pg_engine(url)
        if not is_postgres(engine):  # a sqlite:/// URL: a database file elsewhere
            engine.dispose()
            path = Path(engine.url.database or "")
            engine = create_sqlite_engine(path)
            db = cls(engine, data_dir)
            db.upgrade_backup = upgrade_to_head(engine, path, data_dir.backups)
            return db
        db = cls(engine, data_dir)
        db.officer = session_officer(data_dir)
        try:
            from htx_desktop.store.engine_pg import check_server

            check_server(engine)
            db.upgrade_backup = upgrade_to_head(engine, None, data_dir.backups)
        except Exception:
            engine.dispose()
            raise
        return db

    @property
    def is_server(self) -> bool:
        """True on a shared database server (PostgreSQL), False on this PC's SQLite file."""
        return self.engine.dialect.name != "sqlite"

    @property
    def single_connection(self) -> bool:
        """True for an in-memory database: one connection, so no work in other threads."""
        return isinstance(self.engine.pool, StaticPool)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session that commits on success and rolls back on error."""
        with self._sessions() as session, session.begin():
            yield session

    def quick_check(self) -> bool:
        """SQLite's quick integrity check (reads less than a full check); a server looks
        after its own pages, so True there."""
        if self.is_server:
            return True
        with self.engine.connect() as conn:
            rows = conn.exec_driver_sql("PRAGMA quick_check").fetchall()
        return [r[0] for r in rows] == ["ok"]

    def clone_in_memory(self) -> Database:
        """A private copy of this in-memory database (tests: a per-test copy of a template)."""
        if not isinstance(self.engine.pool, StaticPool):
            raise ValueError("clone_in_memory needs an in-memory database")
        copy = Database(memory_engine())
        driver_connection(self.engine).backup(driver_connection(copy.engine))
        return copy

    def close(self) -> None:
        self.engine.dispose()


def memory_database() -> Database:
    """A fresh in-memory database whose schema is built by the Alembic migrations."""
    from htx_desktop.store.migrate import upgrade_to_head

    db = Database(memory_engine())
    upgrade_to_head(db.engine, None, None)
    return db
