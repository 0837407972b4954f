"""Hostile and odd input (issue 7, part 6), property-based:
- RecordService.create with arbitrary values saves a whole valid record or refuses with a
  ValidationError (or another known StoreError), leaving nothing behind even if the caller
  commits after catching it;
- the package reader and importer answer arbitrary bytes and mutated real packages with a
  refusal, never an unexpected exception, and leave the records untouched.
(The validation rules themselves: tests/domain/test_validation_properties.py.)"""

from __future__ import annotations

import json
import shutil
import zipfile
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from htx_desktop.cli import run
from htx_desktop.domain.validation import ValidationError, validate
from htx_desktop.receiving.importer import import_packages
from htx_desktop.receiving.reader import PackageRefused, read_package
from htx_desktop.store import record_kinds as rk
from htx_desktop.store.engine import Database
from htx_desktop.store.errors import StoreError
from htx_desktop.store.models import Base
from htx_desktop.store.paths import DataDir
from htx_desktop.store.reference import descendant_units, find_unit
from htx_desktop.store.service import RecordService
from tests.reports.exchange_helpers import TRUST

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-10**20, max_value=10**20),
    st.floats(allow_nan=True), st.text(max_size=30), st.dates(), st.binary(max_size=4),
    st.sampled_from(["htx", "tht", "active", "female", "agriculture", "xa", "2024-01-01",
                     "25/12/2024", "1.500.000", "02", "II.2", "conference", "tap_huan"]),
)
values = st.recursive(scalars, lambda c: st.one_of(
    st.lists(c, max_size=3), st.dictionaries(st.text(max_size=8), c, max_size=3)),
    max_leaves=10)
json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=20)),
    lambda c: st.one_of(st.lists(c, max_size=3), st.dictionaries(st.text(max_size=8), c,
                                                                max_size=3)), max_leaves=10)
RECORD_TABLES = [t.name for t in Base.metadata.sorted_tables
                 if t.name not in ("refused_packages",)]


def counts(db: Database) -> dict[str, int]:
    with db.session() as s:
        return {name: int(s.scalar(select(func.count()).select_from(
            Base.metadata.tables[name])) or 0) for name in RECORD_TABLES}


@pytest.mark.parametrize("unit_id", [2 ** 63, -(2 ** 63) - 1, 10 ** 20])
def test_a_unit_id_beyond_a_database_integer_is_refused(reference_template: Database,
                                                       unit_id: int) -> None:
    """Found by the property below: SQLite could not even look such an id up (OverflowError)."""
    db = reference_template.clone_in_memory()
    try:
        before = counts(db)
        with pytest.raises(ValidationError) as refused, db.session() as s:
            RecordService(s, "fuzz").create("support", {"unit_id": unit_id})
        assert any(e.field == "unit_id" for e in refused.value.errors)
        assert counts(db) == before
    finally:
        db.close()


@settings(max_examples=200, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(kind=st.sampled_from(sorted(rk.MODELS)), data=st.data())
def test_create_saves_a_whole_valid_record_or_nothing(reference_template: Database,
                                                      kind: str, data: st.DataObject) -> None:
    db = reference_template.clone_in_memory()
    try:
        with db.session() as s:
            commune = next(u.id for u in descendant_units(s, find_unit(s, "19").id)  # type: ignore[union-attr]
                           if u.level == "xa")
        keys = sorted(rk.accepted_keys(kind))
        raw = data.draw(st.dictionaries(st.sampled_from(keys), values, max_size=8))
        if data.draw(st.booleans()):
            raw["unit_id"] = commune  # often a real unit, so deeper rules are reached
        before = counts(db)
        saved = None
        with db.session() as s:  # the caller commits even after catching the refusal
            try:
                saved = RecordService(s, "fuzz").create(kind, raw, allow_duplicate=True).id
            except (ValidationError, StoreError):
                assert not s.new and not s.dirty and not s.deleted
        after = counts(db)
        if saved is None:
            assert after == before
        else:
            model = rk.MODELS[kind]
            assert after[model.__tablename__] == before[model.__tablename__] + 1
            assert after["audit_log"] == before["audit_log"] + 1
            with db.session() as s:
                obj = s.get(model, saved)
                assert obj is not None
                assert validate(kind, rk.snapshot(kind, obj), today=date.today()) == []
    finally:
        db.close()


# ---------------------------------------------------------------- packages


@pytest.fixture(scope="module")
def exchange(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(a province data folder, a real package from one of its communes)."""
    root = tmp_path_factory.mktemp("exchange")
    province = root / "province"
    assert run(["--data-dir", str(province), "init", "--unit", "19"]) == 0
    db = Database.open(DataDir(province))
    with db.session() as s:
        code = next(u.code for u in descendant_units(s, find_unit(s, "19").id)  # type: ignore[union-attr]
                    if u.level == "xa")
    db.close()
    commune = root / "commune"
    assert run(["--data-dir", str(commune), "init", "--unit", code]) == 0
    assert run(["--data-dir", str(commune), "demo", "--seed", "2", "--scale", "0.2"]) == 0
    assert run(["--data-dir", str(commune), "export", "--period", "2025",
                "--out", str(root / "out")]) == 0
    package = next((root / "out").glob("*.zip"))
    return province, package


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(blob=st.binary(max_size=2000))
def test_arbitrary_bytes_are_refused_with_a_reason(tmp_path: Path, blob: bytes) -> None:
    path = tmp_path / "x.zip"
    path.write_bytes(blob)
    with pytest.raises(PackageRefused) as caught:
        read_package(path)
    assert caught.value.reason


def _mutate(raw: bytes, data: st.DataObject) -> bytes:
    how = data.draw(st.sampled_from(["flip", "truncate", "entry", "json"]))
    if how == "flip":
        out = bytearray(raw)
        for _ in range(data.draw(st.integers(1, 8))):
            i = data.draw(st.integers(0, len(out) - 1))
            out[i] ^= data.draw(st.integers(1, 255))
        return bytes(out)
    if how == "truncate":
        return raw[:data.draw(st.integers(0, len(raw) - 1))]
    import io

    with zipfile.ZipFile(io.BytesIO(raw)) as zf:
        files = {n: zf.read(n) for n in zf.namelist()}
    name = data.draw(st.sampled_from(sorted(files)))
    if how == "entry":
        files[name] = data.draw(st.binary(max_size=200))
    else:  # valid JSON of the wrong shape, checksums left as they were
        files[name] = json.dumps(data.draw(json_values)).encode()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        for n, content in files.items():
            zf.writestr(n, content)
    return buffer.getvalue()


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_mutated_packages_are_refused_and_change_no_record(
        exchange: tuple[Path, Path], tmp_path: Path, data: st.DataObject) -> None:
    province, package = exchange
    raw = package.read_bytes()
    mutated = _mutate(raw, data)
    path = tmp_path / package.name
    path.write_bytes(mutated)
    try:
        read_package(path)
        readable = True
    except PackageRefused as exc:
        assert exc.reason
        readable = False
    if readable:
        return  # the change missed everything that matters (e.g. a ZIP comment)
    folder = tmp_path / "province"
    if folder.exists():
        shutil.rmtree(folder)
    shutil.copytree(province, folder)
    db = Database.open(DataDir(folder))
    try:
        before = counts(db)
        outcomes = import_packages(db, [path], dry_run=data.draw(st.booleans()), trust=TRUST)
        assert [o.refused for o in outcomes] == [True] and outcomes[0].reason
        assert counts(db) == before
    finally:
        db.close()


def test_the_real_package_itself_imports(exchange: tuple[Path, Path], tmp_path: Path) -> None:
    """The control: without mutation the same package is accepted (so refusals above are
    the mutation's doing)."""
    province, package = exchange
    folder = tmp_path / "province"
    shutil.copytree(province, folder)
    db = Database.open(DataDir(folder))
    try:
        outcomes: list[Any] = import_packages(db, [package], trust=TRUST)
        assert not outcomes[0].refused, outcomes[0].reason
    finally:
        db.close()
