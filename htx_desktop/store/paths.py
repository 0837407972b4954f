"""Where this copy keeps its database, backups and logs."""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass
from pathlib import Path, PurePath

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
    folders are created unless `create` is false (a command checks a mistyped folder first).
    A folder that cannot be created or written is returned as it is (opened read-only)."""
    chosen = cli_value or os.environ.get(ENV_VAR) or user_data_dir(APP_NAME, appauthor=False)
    data_dir = DataDir(Path(chosen).expanduser().resolve())
    if create:
        with contextlib.suppress(OSError):  # read-only: the store says what cannot be done
            data_dir.ensure()
    return data_dir


def is_writable(folder: Path) -> bool:
    """True if a file can be created in `folder` (a test file, removed at once: os.access
    does not see Windows' access lists)."""
    probe = folder / f".htx-ghi-thu-{os.getpid()}"
    try:
        probe.write_bytes(b"")
        probe.unlink()
    except OSError:
        return False
    return True


def log_folder(data_dir: DataDir) -> Path:
    """The data folder's logs/, or the user's temp folder when that cannot be written."""
    return writable_or_temp(data_dir.logs)


def writable_or_temp(wanted: Path) -> Path:
    """`wanted` (created) if a file can be written there, else a folder in the user's temp
    folder (logs of a read-only data folder)."""
    import tempfile

    for folder in (wanted, Path(tempfile.gettempdir()) / "htx-desktop-logs"):
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError:
            continue
        if is_writable(folder):
            return folder
    return Path(tempfile.gettempdir())


def read_only_uri(path: Path, *, immutable: bool = False) -> str:
    """A SQLite URI opening `path` read-only, whatever its name holds.

    Written by hand, "file:{path}" breaks on a folder named like "HTX #2" (SQLite cuts the
    path at "#", drops "?mode=ro" and opens an empty file elsewhere, read-write) or holding
    "%" and two hex digits (decoded). So the URI comes from `Path.as_uri()` (every such
    character percent-encoded, Vietnamese letters as UTF-8) with an empty authority:
    "file:///C:/…" on Windows, "file:////server/share/…" for a network share.

    `immutable`: SQLite trusts the file not to change and takes no locks: the only way to
    read a WAL database whose -wal/-shm files cannot be created (a read-only folder)."""
    return sqlite_uri(path.absolute(), immutable=immutable)


def sqlite_uri(path: PurePath, *, immutable: bool = False) -> str:
    """`read_only_uri` of an absolute path (any flavour: the tests give Windows paths)."""
    uri = path.as_uri()
    if not uri.startswith("file:///"):  # a network share: file://server/share → file:////…
        uri = "file:////" + uri[len("file://"):]
    return uri + ("?mode=ro&immutable=1" if immutable else "?mode=ro")
