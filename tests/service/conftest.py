"""Fixtures for the record service: a session on the shared reference database, two communes
of the home province, and a service acting for one officer on a fixed day."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from sqlalchemy.orm import Session

from htx_desktop.store.engine import Database
from htx_desktop.store.models import Unit
from htx_desktop.store.reference import descendant_units, find_unit
from htx_desktop.store.service import RecordService

TODAY = date(2025, 6, 15)
OFFICER = "Nguyễn Thị Lan"


@pytest.fixture
def session(db: Database) -> Iterator[Session]:
    with db.session() as s:
        yield s


@pytest.fixture
def province(session: Session) -> Unit:
    unit = find_unit(session, "19")
    assert unit is not None
    return unit


@pytest.fixture
def communes(session: Session, province: Unit) -> list[Unit]:
    found = [u for u in descendant_units(session, province.id) if u.level == "xa"]
    assert len(found) >= 2
    return found[:2]


@pytest.fixture
def commune(communes: list[Unit]) -> Unit:
    return communes[0]


@pytest.fixture
def service(session: Session) -> RecordService:
    return RecordService(session, OFFICER, today=TODAY)
