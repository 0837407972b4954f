"""What the window needs before its first paint, read with the standard library's sqlite3.

The window's start shows itself before SQLAlchemy is imported (≈ 0.25 s of imports, more
than the bare window's whole start): the home unit, the units below it, the years with data,
the officer and the language are read here, read-only, from the data folder's file. Anything
unusual — a shared server, no file yet, a schema that is not the newest revision, no home unit,
any SQLite error — answers None, and the window starts the ordinary way (the database opened,
migrated if needed, before the window), so this path never decides anything on its own.
"""

from __future__ import annotations

import os
import re
import sqlite3
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path

from htx_desktop.resources import resources_root
from htx_desktop.store.paths import SERVER_FILE, URL_ENV, DataDir, read_only_uri

# Revisions are numbered 0001, 0002, … and their files named after their number
# (store/migrate.py `main`).
_REVISION_FILE = re.compile(r"^(\d{4})_\w*\.py$")


def migrations_dir() -> Path:
    return resources_root().parent / "db"


def newest_revision_file() -> str | None:
    """The number of the newest revision file in db/versions, found without Alembic; None
    when there is none (a bundle holding only compiled files)."""
    try:
        numbers = [m.group(1) for f in os.listdir(migrations_dir() / "versions")
                   if (m := _REVISION_FILE.match(f))]
    except OSError:
        return None
    return max(numbers) if numbers else None


@dataclass(frozen=True)
class StartInfo:
    home_unit_id: int
    home_unit_name: str
    units: list[tuple[int, str]]  # (id, name) of the home unit and every unit below, by code
    years: list[int] = field(default_factory=list)  # years with cooperative figures, newest first
    officer: str = ""
    language: str = "vi"


def uses_server(data_dir: DataDir) -> bool:
    """A shared PostgreSQL server is configured (the environment or server.json)."""
    return bool(os.environ.get(URL_ENV, "").strip()) or (data_dir.root / SERVER_FILE).exists()


def read_start_info(data_dir: DataDir) -> StartInfo | None:
    """The window's first facts, or None when the ordinary start must decide (see module)."""
    if uses_server(data_dir) or not data_dir.db_path.is_file():
        return None
    newest = newest_revision_file()
    if newest is None:
        return None
    uri = read_only_uri(data_dir.db_path)
    try:
        with closing(sqlite3.connect(uri, uri=True)) as conn:
            return _read(conn, newest)
    except sqlite3.Error:
        return None


def _read(conn: sqlite3.Connection, newest: str) -> StartInfo | None:
    versions = [r[0] for r in conn.execute("SELECT version_num FROM alembic_version")]
    if versions != [newest]:
        return None  # a migration is due (or the file is newer than this program)
    settings = dict(conn.execute(
        "SELECT key, value FROM settings WHERE key IN "
        "('home_unit_id', 'officer_name', 'language')").fetchall())
    home_text = settings.get("home_unit_id") or ""
    if not home_text.isdigit():
        return None  # the first-run wizard is due
    home = conn.execute("SELECT id, name FROM units WHERE id = ?", (int(home_text),)).fetchone()
    if home is None:
        return None
    # The same tree as store/reference.py `descendant_units`, ordered by code.
    units = conn.execute(
        "WITH RECURSIVE tree(id) AS (SELECT ? UNION ALL "
        "SELECT u.id FROM units u JOIN tree ON u.parent_id = tree.id) "
        "SELECT id, name FROM units WHERE id IN (SELECT id FROM tree) ORDER BY code",
        (home[0],)).fetchall()
    years = sorted({int(y) for (y,) in conn.execute(
        "SELECT DISTINCT year FROM cooperative_years") if y}, reverse=True)
    return StartInfo(home_unit_id=home[0], home_unit_name=home[1],
                     units=[(int(i), str(n)) for i, n in units], years=years,
                     officer=settings.get("officer_name") or "",
                     language=settings.get("language") or "vi")
