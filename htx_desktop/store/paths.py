"""Where this copy keeps its database, backups and logs."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path, PurePath
from urllib.parse import quote

from platformdirs import user_data_dir

APP_NAME = "HTX Desktop"
ENV_VAR = "HTX_DATA_DIR"
DB_FILE = "htx.sqlite3"
# A shared PostgreSQL server instead of the file (store/engine_pg.py): the environment
# variable, or this file in the data folder. Here because the window's start checks them
# before anything imports SQLAlchemy.
URL_ENV = "HTX_DATABASE_URL"
SERVER_FILE = "server.json"


@dataclass(frozen=True)
class DataDir:
    """The data folder: `htx.sqlite3`, `backups/`, `logs/`."""

    root: Path

    @property
    def db_path(self) -> Path:
        return self.root / DB_FILE

    @property
    def backups(self) -> Path:
        return self.root / "backups"

    @property
    def logs(self) -> Path:
        return self.root / "logs"

    @property
    def cache(self) -> Path:
        """Figures kept only to show something at once (rebuilt from the database)."""
        return self.root / "cache"

    def ensure(self) -> DataDir:
        """Create the folders (idempotent) and return self."""
        for folder in (self.root, self.backups, self.logs):
            folder.mkdir(parents=True, exist_ok=True)
        return self


def resolve_data_dir(cli_value: str | None = None, *, create: bool = True) -> DataDir:
    """`--data-dir` wins, then the environment variable, then the user's data folder; its
    folders are created unless `create` is false (a command checks a mistyped folder first)."""
    chosen = cli_value or os.environ.get(ENV_VAR) or user_data_dir(APP_NAME, appauthor=False)
    data_dir = DataDir(Path(chosen).expanduser().resolve())
    return data_dir.ensure() if create else data_dir


def read_only_uri(path: Path) -> str:
    """A SQLite URI opening `path` read-only, whatever its name holds.

    Written by hand, "file:{path}" breaks on a folder named like "HTX #2" (SQLite cuts the
    path at "#", drops "?mode=ro" and opens an empty file elsewhere, read-write) or holding
    "%" and two hex digits (decoded). So the path is percent-encoded (spaces and Vietnamese
    letters too, as UTF-8) and always given an empty authority: "file:///C:/…" on Windows,
    "file:////server/share/…" for a network share, "file:///home/…" elsewhere."""
    return sqlite_uri(path.absolute())


def sqlite_uri(path: PurePath) -> str:
    """`read_only_uri` of an absolute path (any flavour: the tests give Windows paths)."""
    text = path.as_posix()
    if not text.startswith("/"):
        text = "/" + text  # a drive letter: /C:/…
    return "file://" + quote(text, safe="/:") + "?mode=ro"
