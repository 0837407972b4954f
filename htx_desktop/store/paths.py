"""Where this copy keeps its database, backups and logs."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

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


def resolve_data_dir(cli_value: str | None = None) -> DataDir:
    """`--data-dir` wins, then the environment variable, then the user's data folder."""
    chosen = cli_value or os.environ.get(ENV_VAR) or user_data_dir(APP_NAME, appauthor=False)
    return DataDir(Path(chosen).expanduser().resolve()).ensure()
