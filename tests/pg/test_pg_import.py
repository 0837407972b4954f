"""Two officers importing packages into one PostgreSQL database at the same moment (the real
importer, `receiving.importer.import_packages`, run through `store.concurrency`)."""

from __future__ import annotations

import contextlib
import sys
import threading
from pathlib import Path
from typing import Any

import pytest
from pg_support import PgServer, requires_pg
from sqlalchemy import func, select

from htx_desktop.receiving.importer import ACCEPTED, ALREADY, Trust, import_packages
from htx_desktop.store.concurrency import retry_serializable
from htx_desktop.store.engine import Database
from htx_desktop.store.engine_pg import create_pg_engine
from htx_desktop.store.models import Cooperative, RefusedPackage, Submission
from htx_desktop.store.paths import DataDir

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # `tests.reports` as a package
from tests.reports.exchange_helpers import (
    TRUST,
    UNITS_3LEVEL,
    cli,
    export,
    make_folder,
)

pytestmark = requires_pg
COMMUNES = ("05443", "05449")  # below Thành phố Thái Nguyên (164)


@pytest.fixture(scope="module")
def packages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("communes")
    return {code: export(make_folder(root, code, seed=i + 1, units_file=UNITS_3LEVEL), "2025",
                         root / "out" / code) for i, code in enumerate(COMMUNES)}


@pytest.fixture
def district(pg_server: PgServer, tmp_path: Path) -> tuple[str, DataDir]:
    """A fresh PostgreSQL database set up for the district (164) by the command line."""
    url = pg_server.create().render_as_string(hide_password=False)
    folder = DataDir(tmp_path / "pc").ensure()
    assert cli("--data-dir", str(folder.root), "--database-url", url, "init", "--unit", "164",
               "--units-file", str(UNITS_3LEVEL), "--officer", "Lê Thị Thu") == 0
    return url, folder


def _at_once(url: str, folder: DataDir, jobs: list[Path]) -> list[Any]:
    """Each officer with her own connection pool; both transactions are open and have looked
    around (home unit) before either imports: the progress call of the second half meets."""
    meet = threading.Barrier(len(jobs))
    outcomes: list[Any] = []
    errors: list[BaseException] = []

    def progress(done: int, total: int, _name: str) -> None:
        if done == total // 2 and not meet.broken:
            with contextlib.suppress(threading.BrokenBarrierError):
                meet.wait(5)  # a retry runs alone: it must not wait for the other

    def officer(path: Path) -> None:
        db = Database(create_pg_engine(url), folder)
        try:
            outcomes.extend(retry_serializable(
                db, lambda d: import_packages(d, [path], progress=progress, trust=TRUST)))
        except BaseException as exc:
            errors.append(exc)
        finally:
            db.close()

    threads = [threading.Thread(target=officer, args=(p,)) for p in jobs]
    for th in threads:
        th.start()
    for th in threads:
        th.join(120)
    assert not errors, errors
    return outcomes


def _counts(url: str) -> tuple[int, int, int]:
    db = Database(create_pg_engine(url))
    try:
        with db.session() as s:
            return tuple(int(s.scalar(select(func.count()).select_from(m)) or 0)
                         for m in (Submission, RefusedPackage, Cooperative))  # type: ignore
    finally:
        db.close()


def test_two_communes_imported_at_once_both_succeed(packages: dict[str, Path],
                                                    district: tuple[str, DataDir]) -> None:
    url, folder = district
    outcomes = _at_once(url, folder, list(packages.values()))
    assert sorted(o.outcome for o in outcomes) == [ACCEPTED, ACCEPTED]
    submissions, refused, coops = _counts(url)
    assert (submissions, refused) == (2, 0)
    assert coops > 0 and all(o.new_records > 0 for o in outcomes)


def test_the_same_package_imported_twice_at_once_is_accepted_once(
        packages: dict[str, Path], district: tuple[str, DataDir]) -> None:
    url, folder = district
    pkg = packages[COMMUNES[0]]
    outcomes = _at_once(url, folder, [pkg, pkg])
    assert sorted(o.outcome for o in outcomes) == sorted([ACCEPTED, ALREADY])
    assert _counts(url)[:2] == (1, 0)  # one submission, nothing refused


def test_the_units_signing_key_is_kept_on_the_server(
        district: tuple[str, DataDir], packages: dict[str, Path], tmp_path: Path) -> None:
    """Issue 19: on an office server the unit's key is in the database, the same for every
    officer's PC, and no key file is left in a PC's data folder; the senders' keys learnt by
    one officer are known to the other."""
    from htx_desktop.reports.unit_keys import current_key, own_key

    url, folder = district
    other = DataDir(tmp_path / "second-pc").ensure()
    first_db = Database.open(folder, url=url)
    second_db = Database.open(other, url=url)
    try:
        key = own_key(first_db)
        assert key is not None
        again = own_key(second_db)
        assert again is not None and again.fingerprint == key.fingerprint
        assert not (folder.root / "keys").exists() and not (other.root / "keys").exists()
        (outcome,) = import_packages(first_db, [packages["05443"]],
                                     trust=Trust(accept_new_keys=True))
        assert outcome.outcome == ACCEPTED
        with second_db.session() as session:
            known = current_key(session, "05443")
        assert known is not None and known.fingerprint == outcome.signer_fingerprint
    finally:
        first_db.close()
        second_db.close()


def test_crafted_packages_are_refused_alike_on_postgresql(
        district: tuple[str, DataDir], packages: dict[str, Path], tmp_path: Path) -> None:
    """Issue 20: limits are the schema's, checked before the database: a name over its
    column's width, an integer of 2**63 or a count of 1e300 is refused by name on PostgreSQL
    exactly as on SQLite (never a driver error), and the good package of the batch goes in."""
    from tests.security import crafted as cr

    url, folder = district
    good = packages["05443"]
    other = packages["05449"]

    def coop_name(data: dict[str, Any]) -> None:
        data["cooperatives"][0]["name"] = "H" * 301

    def big(value: Any) -> Any:
        def change(data: dict[str, Any]) -> None:
            data["priority_counts"][0]["women_supported"] = value
        return change

    bad = [cr.with_data(other, tmp_path / "ten-dai.zip", coop_name),
           cr.with_data(other, tmp_path / "so-lon.zip", big(2**63)),
           cr.with_data(other, tmp_path / "1e300.zip", big(1e300))]
    db = Database(create_pg_engine(url), folder)
    try:
        outcomes = import_packages(db, [*bad, good], trust=Trust(accept_new_keys=True))
        assert [o.outcome for o in outcomes] == ["refused"] * 3 + [ACCEPTED]
        assert all("không mong đợi" not in o.reason for o in outcomes)
        with db.session() as s:
            assert s.scalar(select(func.count()).select_from(Submission)) == 1
            assert {r.file_name for r in s.scalars(select(RefusedPackage))} == {
                p.name for p in bad}
    finally:
        db.close()
