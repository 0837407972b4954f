"""Engine and session setup: the only module that knows the database is SQLite
(PostgreSQL's counterpart: `store/engine_pg.py`).

Pragmas are set on every new DBAPI connection. pysqlite's own transaction handling is turned
off and SQLAlchemy emits BEGIN itself (the SQLAlchemy documentation's recipe), so that DDL in a
migration is transactional and SAVEPOINT works.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import URL, Connection, Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import StaticPool

from htx_desktop.i18n import t
from htx_desktop.store.errors import DatabaseDamagedError, StoreError
from htx_desktop.store.paths import DataDir

BUSY_TIMEOUT_MS = 10_000


def _on_connect(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.isolation_level = None  # SQLAlchemy issues BEGIN, see module docstring
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA journal_mode=WAL")  # an in-memory database answers "memory"
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=FULL")  # an office PC may lose power: lose nothing
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    finally:
        cursor.close()


def _on_begin(conn: Connection) -> None:
    conn.exec_driver_sql("BEGIN")


def _configure(engine: Engine) -> Engine:
    event.listen(engine, "connect", _on_connect)
    event.listen(engine, "begin", _on_begin)
    return engine


def create_sqlite_engine(db_path: Path) -> Engine:
    """An engine on a database file, with WAL, foreign keys, synchronous=FULL, busy timeout.

    The URL is built from its parts, never parsed from text: parsed, a folder named "x%20y"
    was decoded to "x y" and the program worked on another folder's database.

    The program makes its checkpoints itself (SQLite's automatic ones are off), so that it
    always knows what the file holds: a WAL left beside a file copied back by hand is then
    told apart from one left by a crash (store/wal_guard.py)."""
    from htx_desktop.store import wal_guard

    path = Path(db_path)
    engine = create_engine(URL.create("sqlite", database=str(path)))

    def own_checkpoints(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.execute("PRAGMA wal_autocheckpoint=0")
        # After a checkpoint, the next writer starts the WAL again: cut it back to this.
        dbapi_connection.execute(f"PRAGMA journal_size_limit={wal_guard.WAL_LIMIT // 4}")

    def after_transaction(dbapi_connection: Any, _record: Any) -> None:
        if dbapi_connection is not None:
            wal_guard.maybe_checkpoint(dbapi_connection, path)

    def close(dbapi_connection: Any, _record: Any) -> None:
        # Emitted before the pool closes it: closed here, inside the bracket (the last
        # connection checkpoints into the file); the pool's own close then does nothing.
        with wal_guard.changing(path, closing=True):
            dbapi_connection.close()

    _configure(engine)
    event.listen(engine, "connect", own_checkpoints)
    event.listen(engine.pool, "checkin", after_transaction)
    event.listen(engine.pool, "close", close)
    return engine


def create_read_only_engine(db_path: Path, *, immutable: bool) -> Engine:
    """An engine that only reads `db_path` (a folder or file she may not write). SQLite
    needs to create the WAL's -shm file even to read; where it cannot, the file is opened
    `immutable` (no locks: nothing else can be writing a folder nobody may write)."""
    from htx_desktop.store.paths import read_only_uri

    uri = read_only_uri(db_path, immutable=immutable)

    def connect() -> sqlite3.Connection:
        return sqlite3.connect(uri, uri=True, check_same_thread=False)

    engine = create_engine("sqlite://", creator=connect)
    event.listen(engine, "connect", _on_connect_read_only)
    event.listen(engine, "begin", _on_begin)
    return engine


def _on_connect_read_only(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.isolation_level = None
    dbapi_connection.execute("PRAGMA foreign_keys=ON")
    dbapi_connection.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")


def _memory_engine() -> Engine:
    # One shared connection, so every session sees the same in-memory database.
    return _configure(
        create_engine(
            "sqlite://", poolclass=StaticPool, connect_args={"check_same_thread": False}
        )
    )


def driver_connection(engine: Engine) -> sqlite3.Connection:
    """The sqlite3 connection under a StaticPool engine (for the backup API)."""
    raw = engine.raw_connection()
    conn = raw.driver_connection
    assert isinstance(conn, sqlite3.Connection)
    raw.close()  # back to the pool; a StaticPool keeps the connection open
    return conn


@contextmanager
def migration_connection(engine: Engine) -> Iterator[Connection]:
    """One connection in one transaction, with foreign keys off while tables are rebuilt.

    SQLite rebuilds a table to alter it (Alembic batch mode); with foreign keys on, dropping
    the old table would cascade into the rows that refer to it. The pragma only takes effect
    outside a transaction, hence it is set on the DBAPI connection before BEGIN. Foreign keys
    are checked before commit.
    """
    with engine.connect() as conn:
        raw = conn.connection.driver_connection
        assert raw is not None
        raw.execute("PRAGMA foreign_keys=OFF")
        try:
            with conn.begin():
                yield conn
                broken = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                if broken:
                    raise StoreError(
                        t("Nâng cấp cơ sở dữ liệu làm hỏng liên kết dữ liệu (bảng {table}); "
                          "đã huỷ nâng cấp.", table=broken[0][0])
                    )
        finally:
            raw.execute("PRAGMA foreign_keys=ON")


def is_damage(exc: BaseException) -> bool:
    """True for the errors SQLite gives on a damaged or foreign file."""
    text = str(exc).lower()
    return "malformed" in text or "not a database" in text or "encrypted" in text


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
        # Imported here: migrate and backup import this module.
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
        copy = Database(_memory_engine())
        driver_connection(self.engine).backup(driver_connection(copy.engine))
        return copy

    def close(self) -> None:
        self.engine.dispose()


def memory_database() -> Database:
    """A fresh in-memory database whose schema is built by the Alembic migrations."""
    from htx_desktop.store.migrate import upgrade_to_head

    db = Database(_memory_engine())
    upgrade_to_head(db.engine, None, None)
    return db
