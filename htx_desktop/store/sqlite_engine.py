"""SQLite engines: the only module that knows how the database file is opened (PostgreSQL's
counterpart: `store/engine_pg.py`). Below the `Database` (`engine.py`), the migrations
(`migrate.py`) and the restores (`restore.py`), which all make engines here.

Pragmas are set on every new DBAPI connection. pysqlite's own transaction handling is turned
off and SQLAlchemy emits BEGIN itself (the SQLAlchemy documentation's recipe), so that DDL in a
migration is transactional and SAVEPOINT works.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import URL, Connection, Engine, create_engine, event
from sqlalchemy.pool import StaticPool

from htx_desktop.i18n import t
from htx_desktop.store.errors import StoreError

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


def memory_engine() -> Engine:
    """An in-memory database's engine, without a schema."""
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
