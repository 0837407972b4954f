"""PostgreSQL, for an office whose officers share one database server (psycopg 3).

SQLite stays the default; a database URL selects PostgreSQL. It comes from, first to last:
the `--database-url` option, the environment variable HTX_DATABASE_URL, or the file
`server.json` in the data folder (`{"url": "postgresql://…", "officer": "…"}`). The data folder
still holds the backups and logs of this PC.

On a shared database the `officer_name` setting is shared too, so it cannot say who saved a
record. The officer of a session is, first to last: HTX_OFFICER, `officer` in `server.json`,
the name the officer logs into the PC with.

Everything SQLite-specific stays in `store/engine.py`; this module holds what PostgreSQL needs.
"""

from __future__ import annotations

import getpass
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Connection, Engine, create_engine, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from htx_desktop.i18n import t
from htx_desktop.store.errors import StoreError
from htx_desktop.store.paths import SERVER_FILE as SERVER_FILE  # re-exported
from htx_desktop.store.paths import URL_ENV as URL_ENV
from htx_desktop.store.paths import DataDir

OFFICER_ENV = "HTX_OFFICER"
# pg_advisory_xact_lock key held while the schema is migrated: two officers starting the
# program at the same moment must not both run the same revision. ("HTXM" in ASCII.)
MIGRATION_LOCK = 0x48_54_58_4D


def _server_file(data_dir: DataDir) -> dict[str, str]:
    path = data_dir.root / SERVER_FILE
    if not path.is_file():
        return {}
    try:
        content = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise StoreError(t("Không đọc được tệp cấu hình máy chủ {path}: {error}",
                           path=str(path), error=str(exc))) from exc
    if not isinstance(content, dict):
        raise StoreError(t("Tệp cấu hình máy chủ {path} không đúng dạng.", path=str(path)))
    return {k: str(v) for k, v in content.items() if isinstance(v, str | int)}


def database_url(data_dir: DataDir, cli_value: str | None = None) -> str | None:
    """The database URL chosen for this copy, or None for the data folder's SQLite file."""
    chosen = cli_value or os.environ.get(URL_ENV) or _server_file(data_dir).get("url")
    return chosen.strip() if chosen and chosen.strip() else None


def session_officer(data_dir: DataDir | None) -> str:
    """Who is saving, on a shared database (see module docstring)."""
    named = os.environ.get(OFFICER_ENV, "").strip()
    if not named and data_dir is not None:
        named = _server_file(data_dir).get("officer", "").strip()
    if named:
        return named
    try:
        return getpass.getuser()
    except (OSError, KeyError):  # no user name (a service account without a home)
        return ""


def normalise_url(url: str) -> URL:
    """A SQLAlchemy URL on psycopg 3: `postgresql://` and `postgres://` mean psycopg here."""
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise StoreError(t("Địa chỉ cơ sở dữ liệu không hợp lệ: {url}", url=url)) from exc
    if parsed.drivername in ("postgresql", "postgres", "postgresql+psycopg"):
        return parsed.set(drivername="postgresql+psycopg")
    if parsed.drivername.startswith("sqlite"):
        return parsed
    raise StoreError(t("Chương trình chỉ dùng được PostgreSQL hoặc SQLite, không dùng được "
                       "{driver}.", driver=parsed.drivername))


def is_postgres(engine: Engine) -> bool:
    return engine.dialect.name == "postgresql"


def create_pg_engine(url: str | URL) -> Engine:
    """An engine on a PostgreSQL server. READ COMMITTED (PostgreSQL's default) for forms: the
    row version catches lost updates; imports ask for SERIALIZABLE themselves
    (`serializable`)."""
    parsed = normalise_url(url) if isinstance(url, str) else url
    return create_engine(
        parsed,
        pool_pre_ping=True,  # the office server may have restarted since the last save
        pool_size=2,
        max_overflow=4,
        connect_args={"application_name": "htx-desktop", "connect_timeout": 10},
    )


@contextmanager
def migration_connection_pg(engine: Engine) -> Iterator[Connection]:
    """One transaction for the whole upgrade (PostgreSQL's DDL is transactional), holding an
    advisory lock so that a second program starting at the same moment waits, then finds the
    schema already at head."""
    with engine.connect() as conn, conn.begin():
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
        yield conn


def check_server(engine: Engine) -> None:
    """Refuse, with a message an officer can pass to the IT person, a server out of reach."""
    from sqlalchemy.exc import OperationalError

    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except OperationalError as exc:
        host = engine.url.host or "localhost"
        raise StoreError(t(
            "Không kết nối được máy chủ cơ sở dữ liệu {host}. Hãy kiểm tra mạng và máy chủ, "
            "hoặc báo cán bộ phụ trách máy chủ. Chi tiết: {error}",
            host=host, error=str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc),
        )) from exc

