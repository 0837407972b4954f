"""Transactions that several officers may run at the same moment: imports, consolidation.

`serializable(db, work)` runs `work(session)` in one SERIALIZABLE transaction and runs it again
when the database says another officer's transaction got in the way:

- PostgreSQL aborts one of two serializable transactions that would not have given the same
  result one after the other (SQLSTATE 40001), or one of two deadlocked ones (40P01). Two
  imports of the same package (same sha256): the second reads "no such submission", then its
  insert collides with the first's; PostgreSQL reports that as 40001 and the retry finds the
  first import's row, so the importer refuses the package as already imported.
- SQLite has one writer at a time and is serializable already; a reader that wants to write
  after another connection wrote since its snapshot gets "database is locked" at once
  (busy_timeout does not help there), so that is retried too.

`work` must do everything through the session it is given and keep no state between runs; it
must not commit (the helper does).

`retry_serializable(db, work)` is the same for code that opens its own sessions (the package
importer: one transaction per command): `work` gets a Database whose transactions are all
SERIALIZABLE, and is run again, whole, after a conflict.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from typing import TypeVar

from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from htx_desktop.i18n import t
from htx_desktop.store.engine import Database
from htx_desktop.store.errors import StoreError

T = TypeVar("T")

RETRY_SQLSTATES = {"40001", "40P01"}  # serialization_failure, deadlock_detected
DEFAULT_ATTEMPTS = 8


class BusyError(StoreError):
    """Other officers kept changing the same data; the work was not done."""


def is_retryable(exc: BaseException) -> bool:
    """True for a failure that running the same transaction again may not meet."""
    if not isinstance(exc, DBAPIError):
        return False
    orig = exc.orig
    sqlstate = getattr(orig, "sqlstate", None)  # psycopg 3
    if sqlstate in RETRY_SQLSTATES:
        return True
    text = str(orig).lower()
    return "database is locked" in text or "database is busy" in text


def _busy() -> BusyError:
    return BusyError(t("Cơ sở dữ liệu đang bận vì nhiều cán bộ cùng cập nhật. "
                       "Hãy thử lại sau ít phút."))


def _pause(attempt: int) -> None:
    # Back off a little, at random, so that the two officers do not collide again.
    time.sleep(min(0.05 * 2 ** attempt, 1.0) * random.uniform(0.5, 1.5))


def serializable_database(db: Database) -> Database:
    """The same database (same pool) with every transaction SERIALIZABLE on a server; SQLite
    is serializable already, so `db` itself there."""
    if not db.is_server:
        return db
    serial = Database(db.engine.execution_options(isolation_level="SERIALIZABLE"), db.data_dir)
    serial.officer = db.officer
    return serial


def retry_serializable(db: Database, work: Callable[[Database], T], *,
                       attempts: int = DEFAULT_ATTEMPTS) -> T:
    """Run `work(serializable_database(db))`, again after a conflict (module docstring)."""
    serial = serializable_database(db)
    for attempt in range(attempts):
        try:
            return work(serial)
        except DBAPIError as exc:
            if not is_retryable(exc):
                raise
            _pause(attempt)
    raise _busy()


def serializable(db: Database, work: Callable[[Session], T], *,
                 attempts: int = DEFAULT_ATTEMPTS) -> T:
    """Run `work` in one SERIALIZABLE transaction, again after a conflict (module docstring);
    commit and return its result. Refuses with BusyError after `attempts` conflicts."""
    for attempt in range(attempts):
        try:
            with db.session() as session:
                if db.is_server:
                    # Must be the first statement of the transaction.
                    session.connection(execution_options={"isolation_level": "SERIALIZABLE"})
                return work(session)
        except DBAPIError as exc:
            if not is_retryable(exc):
                raise
            _pause(attempt)
    raise _busy()
