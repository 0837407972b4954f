"""Several officers on one PostgreSQL database: no save over another's newer change, and
imports that overlap in time each do their work once."""

from __future__ import annotations

import multiprocessing
import threading
from collections.abc import Callable, Iterator

import pytest
from pg_workers import edit_note
from sqlalchemy import func, select
from sqlalchemy.engine import URL
from sqlalchemy.orm import Session

from htx_desktop.store.concurrency import serializable
from htx_desktop.store.engine import Database
from htx_desktop.store.engine_pg import create_pg_engine
from htx_desktop.store.models import AuditEntry, Cooperative, Submission, Unit
from htx_desktop.store.reference import descendant_units, find_unit
from htx_desktop.store.service import RecordService

LAN, MAI = "Nguyễn Thị Lan", "Trần Thị Mai"


def _communes(db: Database) -> list[int]:
    with db.session() as session:
        province = find_unit(session, "19")
        assert province is not None
        return [u.id for u in descendant_units(session, province.id) if u.level == "xa"][:2]


def _new_coop(db: Database) -> str:
    with db.session() as session:
        coop = RecordService(session, "Người nhập").create(
            "cooperative", {"unit_id": _communes(db)[0], "kind": "htx", "name": "HTX Chè Đồng"})
        return str(coop.id)


def _two_officers(url: URL, record_id: str, together: bool) -> list[tuple[str, str, str]]:
    """Lan and Mai open the record; both save at once (`together`) or Lan first, then Mai."""
    ctx = multiprocessing.get_context("spawn")  # no forked database connections
    results = ctx.Queue()
    plain = url.render_as_string(hide_password=False)
    events = {name: (ctx.Event(), ctx.Event()) for name in (LAN, MAI)}
    procs = [ctx.Process(target=edit_note, args=(plain, name, record_id, f"ghi chú của {name}",
                                                 *events[name], results)) for name in (LAN, MAI)]
    for p in procs:
        p.start()
    try:
        for opened, _ in events.values():
            assert opened.wait(60), "a child did not open the record"
        if together:
            for _, go in events.values():
                go.set()
            found = [results.get(timeout=60) for _ in procs]
        else:
            events[LAN][1].set()
            found = [results.get(timeout=60)]
            events[MAI][1].set()
            found.append(results.get(timeout=60))
    finally:
        for p in procs:
            p.join(60)
            if p.is_alive():
                p.kill()
    return found


def _note_and_updates(db: Database, record_id: str) -> tuple[str | None, list[str]]:
    with db.session() as session:
        coop = session.get(Cooperative, record_id)
        assert coop is not None
        officers = list(session.scalars(select(AuditEntry.officer).where(
            AuditEntry.record_id == record_id, AuditEntry.action == "update")))
        return coop.note, officers


def test_a_later_save_over_a_newer_change_is_refused_naming_who(pg_db: Database,
                                                                 pg_url: URL) -> None:
    record_id = _new_coop(pg_db)
    (first, saved, _), (second, outcome, detail) = _two_officers(pg_url, record_id, False)
    assert (first, saved) == (LAN, "saved")
    assert (second, outcome) == (MAI, "refused")
    who, message = detail.split("|", 1)
    assert who == LAN
    assert f"đã được {LAN} sửa lúc" in message
    # No lost update: Lan's note stands, Mai's was not written, one update in the log.
    assert _note_and_updates(pg_db, record_id) == (f"ghi chú của {LAN}", [LAN])


def test_two_saves_at_the_same_moment_one_wins_the_other_is_told(pg_db: Database,
                                                                 pg_url: URL) -> None:
    record_id = _new_coop(pg_db)
    results = _two_officers(pg_url, record_id, True)
    outcomes = sorted(r[1] for r in results)
    assert outcomes == ["refused", "saved"]
    winner = next(r[0] for r in results if r[1] == "saved")
    refused = next(r for r in results if r[1] == "refused")
    # The row lock made the loser wait for the winner's commit, so she learns who it was.
    assert refused[2].split("|", 1)[0] == winner
    assert _note_and_updates(pg_db, record_id) == (f"ghi chú của {winner}", [winner])


# ------------------------------------------------------------------ imports (issue 6 stand-in)


def _fake_import(sha: str, unit_id: int, meet: threading.Barrier) -> Callable[[Session], str]:
    """What an import does that matters here: look for the package by sha256, then add its
    submission and records. Both threads meet after looking, so their transactions overlap."""
    first_try = [True]

    def work(session: Session) -> str:
        seen = session.scalar(select(Submission.id).where(Submission.sha256 == sha))
        if first_try[0]:
            first_try[0] = False
            meet.wait(30)
        if seen is not None:
            return "already imported"
        session.add(Submission(unit_id=unit_id, period="2025", version=1, sha256=sha,
                               file_name=f"{sha[:8]}.htxpkg", status="accepted",
                               manifest={"sha256": sha}))
        session.flush()
        RecordService(session, "Cán bộ tỉnh").create(
            "cooperative", {"unit_id": unit_id, "kind": "htx", "name": f"HTX gói {sha[:6]}"})
        return "accepted"
    return work


def _import_both(db: Database, jobs: list[tuple[str, int]]) -> list[str]:
    meet = threading.Barrier(len(jobs))
    results: list[str] = []
    errors: list[BaseException] = []

    def run(sha: str, unit_id: int) -> None:
        try:
            results.append(serializable(db, _fake_import(sha, unit_id, meet)))
        except BaseException as exc:  # reported by the test, not lost in the thread
            errors.append(exc)

    threads = [threading.Thread(target=run, args=job) for job in jobs]
    for th in threads:
        th.start()
    for th in threads:
        th.join(60)
    assert not errors, errors
    return sorted(results)


@pytest.fixture(params=["sqlite", "postgresql"])
def shared_db(request: pytest.FixtureRequest, tmp_path: object) -> Iterator[Database]:
    """A database two threads can use at once: a SQLite file, or PostgreSQL."""
    if request.param == "postgresql":
        url: URL = request.getfixturevalue("pg_url")
        db = Database(create_pg_engine(url))
    else:
        from pathlib import Path

        from htx_desktop.store.sqlite_engine import create_sqlite_engine

        template: Database = request.getfixturevalue("reference_template")
        path = Path(str(tmp_path)) / "shared.sqlite3"
        import sqlite3
        from contextlib import closing

        from htx_desktop.store.sqlite_engine import driver_connection
        with closing(sqlite3.connect(path)) as target:
            driver_connection(template.engine).backup(target)
        db = Database(create_sqlite_engine(path))
    yield db
    db.close()


def _count(db: Database, model: type[Submission] | type[Cooperative]) -> int:
    with db.session() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def test_two_communes_imported_at_the_same_moment_both_succeed(shared_db: Database) -> None:
    a, b = _communes(shared_db)
    assert _import_both(shared_db, [("a" * 64, a), ("b" * 64, b)]) == ["accepted", "accepted"]
    assert _count(shared_db, Submission) == 2
    assert _count(shared_db, Cooperative) == 2


def test_the_same_package_imported_twice_at_once_is_accepted_once(shared_db: Database) -> None:
    a, _ = _communes(shared_db)
    results = _import_both(shared_db, [("c" * 64, a), ("c" * 64, a)])
    assert results == ["accepted", "already imported"]
    assert _count(shared_db, Submission) == 1
    assert _count(shared_db, Cooperative) == 1
    with shared_db.session() as session:
        assert session.scalar(select(func.count()).select_from(Unit)) > 0
