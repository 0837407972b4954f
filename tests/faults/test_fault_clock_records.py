"""Fault 9, records: a person created while the PC's clock was years behind was treated as
locked for 2024 and 2025 (her creation time looked older than the packages already sent).
A record's creation time is now never earlier than the newest change already stored (a
logical clock per database), so she belongs to no package sent before her; the save warns
that the clock looks wrong; an amendment made under that clock reaches the next package."""

from __future__ import annotations

import json
import zipfile
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from htx_desktop.cli import run
from htx_desktop.store import clock, locks
from htx_desktop.store.engine import Database
from htx_desktop.store.models import Person, Unit
from htx_desktop.store.paths import DataDir
from htx_desktop.store.service import RecordService
from htx_desktop.ui.context import AppContext
from htx_desktop.ui.forms import base
from htx_desktop.ui.forms.registry import make_form
from tests.ui.conftest import type_text

SENT = datetime(2026, 6, 1, 8, 0, tzinfo=UTC)  # when the 2024 and 2025 packages were sent
WRONG_CLOCK = datetime(2024, 3, 1, 8, 0, tzinfo=UTC)  # a dead CMOS battery, say
REASON = "Sai số người tham dự, đã đối chiếu danh sách ký tên"


class _Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def pc_clock(monkeypatch: pytest.MonkeyPatch) -> _Clock:
    fake = _Clock(SENT)
    monkeypatch.setattr(clock, "utcnow", fake)
    return fake


@pytest.fixture
def folder(tmp_data_dir: DataDir, tmp_path: Path, pc_clock: _Clock) -> dict[str, Any]:
    """A commune whose 2024 and 2025 packages went up on 1/6/2026: one event in each year,
    one person registered before."""
    root = str(tmp_data_dir.root)
    assert run(["--data-dir", root, "init", "--unit", "19", "--officer", "Lê Thị Thu"]) == 0
    db = Database.open(tmp_data_dir)
    with db.session() as session:
        unit = session.scalar(select(Unit).where(Unit.code == "19"))
        assert unit is not None
        service = RecordService(session, "Lan")
        events = {year: service.create("event", {
            "unit_id": unit.id, "type": "tap_huan", "title": f"Tập huấn {year}",
            "count_total": 40, "count_female": 30, "start": date(year, 5, 1)}).id
            for year in (2024, 2025)}
        before = service.create("person", {"unit_id": unit.id, "full_name": "Hà Thị Nga",
                                           "birth_year": 1980, "gender": "female"}).id
    db.close()
    out = tmp_path / "goi"
    for period in ("2024", "2025"):
        assert run(["--data-dir", root, "export", "--period", period, "--out", str(out)]) == 0
    return {"dir": tmp_data_dir, "events": events, "before": before, "out": out}


@pytest.fixture
def window_ctx(folder: dict[str, Any]) -> Iterator[AppContext]:
    db = Database.open(folder["dir"])
    ctx = AppContext.load(db, folder["dir"].root)
    assert ctx is not None
    base._clock_warned.clear()
    yield ctx
    base._clock_warned.clear()
    db.close()


def _locked_for(db: Database, person_id: str) -> list[str]:
    """The periods a change of her birth year would reach (a change needing a reason)."""
    with db.session() as session:
        person = session.get(Person, person_id)
        before = RecordService(session, "Lan").snapshot("person", person_id)
        return locks.periods_touched(session, "person", person, before, {"birth_year": 1991})


def test_a_person_created_under_a_clock_years_behind_is_locked_for_nothing_sent_before(
        qtbot: Any, window_ctx: AppContext, folder: dict[str, Any], pc_clock: _Clock,
        monkeypatch: pytest.MonkeyPatch) -> None:
    from htx_desktop.ui import dialogs

    seen: list[str] = []
    monkeypatch.setattr(dialogs, "show_message",
                        lambda _parent, _title, text, warning=False: seen.append(text))
    assert _locked_for(window_ctx.db, folder["before"]) == ["2024", "2025"]  # she was sent
    pc_clock.now = WRONG_CLOCK
    form = make_form(window_ctx, "person")  # closed by the conftest (it would ask)
    form.show()
    type_text(form.widgets["full_name"], "Ma Thi Hang")
    form.widgets["birth_year"].set_value(1990)
    form.widgets["gender"].set_value("female")
    assert form.save(), form.banner.text()
    # The save warned once, naming the clock (not the record), and went on.
    assert len(seen) == 1 and "Đồng hồ của máy tính có vẻ sai" in seen[0]
    with window_ctx.db.session() as session:
        new = session.scalar(select(Person).where(Person.full_name == "Ma Thi Hang"))
        assert new is not None
        new_id = new.id
    # She took part in no package sent before her: no reason asked to change her.
    assert _locked_for(window_ctx.db, new_id) == []
    with window_ctx.db.session() as session:
        RecordService(session, "Lan").update("person", new_id, {"birth_year": 1991})


def test_an_amendment_under_a_clock_years_behind_reaches_the_next_package(
        folder: dict[str, Any], pc_clock: _Clock, capsys: pytest.CaptureFixture[str]) -> None:
    pc_clock.now = WRONG_CLOCK
    db = Database.open(folder["dir"])
    event = folder["events"][2025]
    with db.session() as session:
        unit = session.scalar(select(Unit).where(Unit.code == "19"))
        assert unit is not None
        service = RecordService(session, "Lan")
        service.update("event", event, {"count_total": 39}, reason=REASON)
        newcomer = service.create("person", {"unit_id": unit.id, "full_name": "Lò Thị Mai",
                                             "birth_year": 1985, "gender": "female"}).id
    db.close()
    capsys.readouterr()
    root = str(folder["dir"].root)
    assert run(["--data-dir", root, "export", "--period", "2025", "--out",
                str(folder["out"])]) == 0
    second = Path(capsys.readouterr().out.strip().splitlines()[-1])
    assert second.name.endswith("_v2.zip")
    with zipfile.ZipFile(second) as zf:
        data = json.loads(zf.read("data.json"))
    assert [(a["id"], a["reason"]) for a in data["amendments"]] == [(event, REASON)]
    # The newcomer went up in 2025's second package (made under the same wrong clock): she
    # is locked for 2025 now, and still for nothing sent before her.
    db = Database.open(folder["dir"])
    try:
        assert _locked_for(db, newcomer) == ["2025"]
    finally:
        db.close()
