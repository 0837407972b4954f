"""Consolidating the 92 commune packages of province 19 on PostgreSQL next to SQLite.

Consolidation = the import of all 92 packages in one command (`receiving.importer.
import_packages`, run through `store.concurrency.retry_serializable` as on an office server)
plus the province's indicators computed from the imported records (`build_dataset` +
`indicators_for_unit`). The packages are bench_import's (cached). PostgreSQL is the server of
HTX_BENCH_PG_URL or HTX_TEST_PG_URL (`bash build/pg-test-cluster.sh start DIR`); each run gets a
fresh database on it. Without a URL only SQLite is measured, and the result says so.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import CACHE, HOME_PROVINCE, demo_data_dir, htx, median, result
from bench_import import make_packages, package_cache


def _fresh_pg_database(url: str, name: str) -> str:
    from sqlalchemy import create_engine, text

    from htx_desktop.store.engine_pg import normalise_url

    base = normalise_url(url)
    admin = create_engine(base.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return base.set(database=name).render_as_string(hide_password=False)


def consolidate_once(paths: list[Path], target: Path, url: str | None) -> dict[str, float]:
    from htx_desktop.domain.periods import parse_period
    from htx_desktop.receiving.importer import ACCEPTED, Trust, import_packages
    from htx_desktop.reports.figures import indicators_for_unit
    from htx_desktop.store.concurrency import retry_serializable
    from htx_desktop.store.engine import Database
    from htx_desktop.store.paths import DataDir
    from htx_desktop.store.settings import home_unit
    from htx_desktop.store.snapshot import build_dataset

    shutil.rmtree(target, ignore_errors=True)
    server = ["--database-url", url] if url else []
    htx("--data-dir", str(target), *server, "init", "--unit", HOME_PROVINCE)
    db = Database.open(DataDir(target), url=url, check=False)
    try:
        start = time.perf_counter()
        outcomes = retry_serializable(db, lambda d: import_packages(
            d, paths, trust=Trust(accept_new_keys=True)))
        imported = time.perf_counter() - start
        bad = [o for o in outcomes if o.outcome != ACCEPTED]
        assert not bad, bad[0].describe()
        start = time.perf_counter()
        with db.session() as session:
            province = home_unit(session)
            assert province is not None
            report = indicators_for_unit(session, province.id, parse_period("2025"))
        figures = time.perf_counter() - start
        assert report is not None
        with db.session() as session:  # the snapshot alone, for the record
            start = time.perf_counter()
            build_dataset(session, province.id)
            snapshot = time.perf_counter() - start
    finally:
        db.close()
    return {"import_s": imported, "indicators_s": figures, "snapshot_s": snapshot}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    paths = make_packages(demo_data_dir(1.0), package_cache())
    assert len(paths) == 92, len(paths)
    pg_url = os.environ.get("HTX_BENCH_PG_URL") or os.environ.get("HTX_TEST_PG_URL")
    backends: dict[str, str | None] = {"sqlite": None}
    if pg_url:
        backends["postgresql"] = pg_url
    fields: dict[str, Any] = {"packages": len(paths), "runs": args.runs}
    for name, url in backends.items():
        runs = []
        for i in range(args.runs):
            target = CACHE / "work" / f"consolidate-{name}"
            fresh = _fresh_pg_database(url, f"htx_bench_{i}") if url else None
            runs.append(consolidate_once(paths, target, fresh))
        for key in ("import_s", "indicators_s", "snapshot_s"):
            fields[f"{name}_{key}"] = round(median([r[key] for r in runs]), 2)
    if not pg_url:
        fields["postgresql"] = "not measured: set HTX_BENCH_PG_URL or HTX_TEST_PG_URL"
    else:
        fields["pg_vs_sqlite_import"] = round(
            fields["postgresql_import_s"] / fields["sqlite_import_s"], 2)
    print(result("consolidate_92_communes_pg_vs_sqlite", **fields))


if __name__ == "__main__":
    main()
