"""Fault 5 for the command line's other writes (a deadline set, a review decided): while
another process holds a write transaction they wait (bounded retry of the whole transaction)
and succeed; a lock that outlasts the retry is told in the plain "another writer" sentence
and nothing is written. The busy timeout is cut to 0.1 s, so that without the retry the
first attempt would fail at once."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from htx_desktop.cli import run
from htx_desktop.store import retry, sqlite_engine
from htx_desktop.store.engine import Database
from htx_desktop.store.models import ReportDeadline
from htx_desktop.store.paths import DataDir
from tests.faults.test_fault_locked_imports import ANOTHER_WRITER, _hold_write_lock
from tests.reports.exchange_helpers import UNITS_3LEVEL, make_folder


@pytest.fixture
def district(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    folder = make_folder(tmp_path, "164", units_file=UNITS_3LEVEL)
    monkeypatch.setattr(sqlite_engine, "BUSY_TIMEOUT_MS", 100)
    yield folder


def _deadlines(folder: Path) -> list[str]:
    db = Database.open(DataDir(folder))
    try:
        with db.session() as session:
            return [f"{d.period} {d.due:%d/%m/%Y}" for d in session.query(ReportDeadline)]
    finally:
        db.close()


def test_a_deadline_waits_for_another_writer(district: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    other = _hold_write_lock(district / "htx.sqlite3")
    released = threading.Timer(0.6, lambda: other.execute("COMMIT"))
    released.start()
    capsys.readouterr()
    try:
        code = run(["--data-dir", str(district), "deadline", "--period", "2026", "--due",
                    "20/12/2026"])
    finally:
        released.join()
        other.close()
    out, err = capsys.readouterr()
    assert code == 0, err
    assert "20/12/2026" in out and "Traceback" not in err
    assert _deadlines(district) == ["2026 20/12/2026"]


def test_a_lock_that_outlasts_the_wait_is_told_and_nothing_is_written(
        district: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(retry, "FIRST_WAIT_S", 0.01)
    other = _hold_write_lock(district / "htx.sqlite3")
    capsys.readouterr()
    try:
        code = run(["--data-dir", str(district), "deadline", "--period", "2026", "--due",
                    "20/12/2026"])
        _out, err = capsys.readouterr()
    finally:
        other.execute("COMMIT")
        other.close()
    assert code == 1
    assert ANOTHER_WRITER in err and "Traceback" not in err and "không mong đợi" not in err
    assert _deadlines(district) == []


def test_a_review_waits_for_another_writer(tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str],
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.reports.exchange_helpers import export

    commune = make_folder(tmp_path, "05443", seed=7, units_file=UNITS_3LEVEL)
    package = export(commune, "2025", tmp_path / "out")
    district = make_folder(tmp_path, "164", units_file=UNITS_3LEVEL)
    assert run(["--data-dir", str(district), "import", "--accept-new-key", str(package)]) == 0
    monkeypatch.setattr(sqlite_engine, "BUSY_TIMEOUT_MS", 100)
    other = _hold_write_lock(district / "htx.sqlite3")
    released = threading.Timer(0.6, lambda: other.execute("COMMIT"))
    released.start()
    capsys.readouterr()
    try:
        code = run(["--data-dir", str(district), "review", "--unit", "05443", "--period",
                    "2025", "--accept"])
    finally:
        released.join()
        other.close()
    _out, err = capsys.readouterr()
    assert code == 0, err
    assert "Traceback" not in err
