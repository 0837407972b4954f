"""Settings: defaults, checks, the officer and the management positions."""

from __future__ import annotations

import pytest

from htx_desktop.domain.catalogues import DEFAULT_MANAGEMENT_POSITIONS
from htx_desktop.store.engine import Database
from htx_desktop.store.errors import StoreError
from htx_desktop.store.settings import (
    Officer,
    backup_keep,
    get_setting,
    home_unit,
    management_positions,
    officer,
    report_deadline,
    set_setting,
)


def test_defaults(db: Database) -> None:
    with db.session() as session:
        assert management_positions(session) == DEFAULT_MANAGEMENT_POSITIONS
        assert report_deadline(session) == (12, 25)
        assert backup_keep(session) == 30
        assert get_setting(session, "language") == "vi"
        assert get_setting(session, "unknown") is None
        assert get_setting(session, "unknown", "x") == "x"
        assert officer(session) == Officer("", "", "")
        unit = home_unit(session)
        assert unit is not None and unit.code == "19"


def test_set_and_read_back(db: Database) -> None:
    with db.session() as session:
        set_setting(session, "officer_name", "Nguyễn Thị Hoa")
        set_setting(session, "officer_position", "Chủ tịch")
        set_setting(session, "management_positions", ["chair", "director"])
        set_setting(session, "report_deadline", "12-15")
        set_setting(session, "backup_keep", 10)
    with db.session() as session:
        assert officer(session) == Officer("Nguyễn Thị Hoa", "Chủ tịch", "")
        assert management_positions(session) == ("chair", "director")
        assert report_deadline(session) == (12, 15)
        assert backup_keep(session) == 10


@pytest.mark.parametrize(
    ("key", "value"),
    [("report_deadline", "25/12"), ("report_deadline", "13-01"), ("backup_keep", 0),
     ("language", "fr"), ("management_positions", ["chair", "king"]),
     ("management_positions", []), ("home_unit_id", "abc")],
    ids=["deadline-format", "deadline-month", "keep-zero", "language", "unknown-position",
         "no-position", "home-unit"],
)
def test_bad_values_are_refused(db: Database, key: str, value: str | int | list[str]) -> None:
    with db.session() as session, pytest.raises(StoreError):
        set_setting(session, key, value)
