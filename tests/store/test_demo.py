"""The demo generator: reproducible, refuses a non-empty database, plausible and consistent data."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from sqlalchemy import select, text
from sqlalchemy.orm import Session
from stdnum.vn import mst

from htx_desktop.demo.generate import REFUSED_MESSAGE, DemoError, DemoRefused, generate_demo
from htx_desktop.domain.catalogues import DEFAULT_MANAGEMENT_POSITIONS
from htx_desktop.domain.indicators import compute_indicators
from htx_desktop.domain.periods import parse_period
from htx_desktop.domain.text import fold
from htx_desktop.store.engine import Database, memory_database
from htx_desktop.store.models import Base, Cooperative, Unit
from htx_desktop.store.reference import find_unit, load_national_units
from htx_desktop.store.snapshot import build_dataset
from htx_desktop.store.targets import targets_for

TODAY = date(2026, 11, 26)
COMMUNE = "05503"  # Xã Tân Cương, Thái Nguyên
# Kinds whose volume follows the scale (plan status and narratives are one per unit and line).
SCALED = ("htx", "tht", "people", "cadres", "positions", "events", "job_placements",
          "support", "communications")


def _run(db: Database, code: str = COMMUNE, **kwargs: Any) -> dict[str, int]:
    with db.session() as session:
        unit = find_unit(session, code)
        assert unit is not None
        return generate_demo(session, unit.id, today=TODAY, **kwargs).counts


def _counter(session: Session) -> Callable[[str], int]:
    def count(sql: str) -> int:
        return int(session.execute(text(sql)).scalar_one())
    return count


def _dump(db: Database) -> dict[str, list[tuple[Any, ...]]]:
    """Every table, every column, ordered by primary key."""
    out = {}
    with db.engine.connect() as conn:
        for table in Base.metadata.sorted_tables:
            order = ", ".join(c.name for c in table.primary_key.columns)
            out[table.name] = [tuple(row) for row in conn.execute(
                text(f'SELECT * FROM "{table.name}" ORDER BY {order}'))]
    return out


def test_same_seed_same_rows_other_seed_other_rows(reference_template: Database) -> None:
    first, second, third = (reference_template.clone_in_memory() for _ in range(3))
    _run(first, seed=7)
    _run(second, seed=7)
    _run(third, seed=8)
    dump = _dump(first)
    assert dump == _dump(second)
    assert dump["cooperatives"] and dump["narratives"]
    assert dump["cooperatives"] != _dump(third)["cooperatives"]


def test_refuses_a_database_with_records(db: Database) -> None:
    _run(db)
    with pytest.raises(DemoRefused) as refused:
        _run(db)
    assert str(refused.value) == REFUSED_MESSAGE


def test_needs_the_reference_data() -> None:
    bare = memory_database()
    with bare.session() as session:
        load_national_units(session)  # units, but no ethnic groups nor plan lines
    with pytest.raises(DemoError, match="dân tộc"):
        _run(bare)


def test_single_commune_volumes_and_consistency(db: Database) -> None:
    counts = _run(db, seed=3)
    assert 4 <= counts["htx"] <= 16
    assert 1 <= counts["tht"] <= 10
    assert counts["cadres"] >= 2 and counts["events"] >= 8
    assert counts["plan_status"] == 34 * 4  # one unit, 34 lines, 2023–2026
    assert counts["narratives"] == 10 * 5  # ten sections, four years and 2023-2025
    with db.session() as session:
        commune = find_unit(session, COMMUNE)
        assert commune is not None
        coops = list(session.scalars(select(Cooperative)))
        assert {c.unit_id for c in coops} == {commune.id}
        for coop in coops:
            assert coop.name_key == fold(coop.name)
            if coop.kind == "tht":
                assert coop.tax_code is None
            else:
                assert coop.tax_code and mst.is_valid(coop.tax_code)
            assert coop.row_version == 1 and coop.created_at.date() <= TODAY
        q = _counter(session)
        assert q("SELECT count(*) FROM events WHERE title_key = '' ") == 0
        # A women-managed, Union-supported HTX exists even in a single commune.
        assert q("""SELECT count(*) FROM cooperatives c JOIN management_positions m
                    ON m.cooperative_id = c.id JOIN people p ON p.id = m.person_id
                    WHERE c.kind = 'htx' AND c.union_supported AND p.gender = 'female'
                    AND m.position IN ('chair', 'director')""") >= 1


def test_every_cooperative_sits_in_a_current_commune_and_female_never_exceeds_total(
        db: Database) -> None:
    counts = _run(db, code="19")
    assert 600 <= counts["htx"] <= 1000 and 250 <= counts["tht"] <= 550
    with db.session() as session:
        levels = session.execute(select(Unit.level, Unit.valid_to).join(
            Cooperative, Cooperative.unit_id == Unit.id).distinct()).all()
        assert levels == [("xa", None)]
        q = _counter(session)
        assert q("""SELECT count(*) FROM cooperative_years WHERE members_female > members
                    OR workers_female > workers OR female_stable_jobs > workers_female
                    OR female_ethnic_minority > workers_female
                    OR new_female_jobs > workers_female""") == 0
        assert q("""SELECT count(*) FROM events WHERE count_female > count_total
                    OR count_ethnic_minority > count_total OR count_htx_managers
                    + count_members_workers + count_cadres + count_union_members
                    > count_total""") == 0
        # Converted THT point to an HTX founded that day.
        assert q("""SELECT count(*) FROM cooperatives t JOIN cooperatives h
                    ON h.id = t.converted_to_id WHERE t.kind = 'tht'
                    AND t.status = 'converted' AND h.kind = 'htx'
                    AND h.founded_on = t.status_on""") == q(
            "SELECT count(*) FROM cooperatives WHERE status = 'converted'") > 0
        # The indicators have something to show, near the province's 2025 targets.
        province = find_unit(session, "19")
        assert province is not None
        report = compute_indicators(
            build_dataset(session, province.id), "19", parse_period("2023-2025"),
            management_positions=DEFAULT_MANAGEMENT_POSITIONS,
            targets=targets_for(session, province.id)).to_json()
    values = {i["code"]: i["value"] for i in report["indicators"]}
    assert 40 <= values["CT1"] <= 150 and 30 <= values["CT2"] <= 150
    assert values["CT3"] >= 400 and values["CT4"] >= 300
    assert 5 <= values["CT6"] <= 40 and values["CT7"] >= 50
    for code in ("CT5", "CT8", "CT9"):
        assert 50 <= values[code] <= 100


def test_scale_two_gives_about_twice_as_much(reference_template: Database) -> None:
    single, double = reference_template.clone_in_memory(), reference_template.clone_in_memory()
    one = _run(single, seed=5)
    two = _run(double, seed=5, scale=2.0)
    ratio = sum(two[k] for k in SCALED) / sum(one[k] for k in SCALED)
    assert 1.6 <= ratio <= 2.4
