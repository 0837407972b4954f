"""Code run in child processes by the concurrency tests (a module, so `spawn` can import it).

Each child is one officer at her own PC: she opens a record (one session), waits, then saves
her change with the row version she read (another session), as the record form does.
"""

from __future__ import annotations

from multiprocessing.synchronize import Event
from typing import Any

from htx_desktop.store.engine import Database
from htx_desktop.store.engine_pg import create_pg_engine
from htx_desktop.store.models import Cooperative
from htx_desktop.store.service import ConflictError, RecordService


def edit_note(url: str, officer: str, record_id: str, note: str, opened: Event, go: Event,
              results: Any) -> None:
    db = Database(create_pg_engine(url))
    try:
        with db.session() as session:  # the officer opens the form
            coop = session.get(Cooperative, record_id)
            assert coop is not None
            version = coop.row_version
        opened.set()
        go.wait(30)
        try:
            with db.session() as session:  # … and saves it
                RecordService(session, officer).update(
                    "cooperative", record_id, {"note": note}, row_version=version)
            results.put((officer, "saved", ""))
        except ConflictError as exc:
            results.put((officer, "refused", f"{exc.officer}|{exc}"))
    finally:
        db.close()
