"""Importing the 92 commune packages of province 19 (`receiving.importer.import_packages`, one
command, one transaction, one backup) against the floor of just reading and hashing the files.

The packages are made in-process with the program's own writer, honestly: the province's demo
data (made once, cached) is cut into its 92 communes, and each commune's package is written
from that commune's own records exactly as `export` would (`build_dataset` of the commune, its
indicators, workbook and PDF). Every package must pass `read_package` before timing starts.
The receiving side is a fresh data folder initialised for province 19 (national list).
With `--national` (`run_all.py --national`), then the whole country's 3,321 communes:
see bench_import_national.py (`--sample N` for a stratified, extrapolated subset).
"""

from __future__ import annotations

import argparse
import hashlib
import shutil
import sys
import time
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import CACHE, HOME_PROVINCE, demo_data_dir, htx, median, result


def package_cache() -> Path:
    """Keyed by the package format: a new format (1.1: signed), a new set."""
    from htx_desktop.reports.package import FORMAT_VERSION

    return CACHE / f"commune-packages-2025-f{FORMAT_VERSION}"


def make_packages(source: Path, out: Path) -> list[Path]:
    """One package per commune of the demo province, written by write_package and signed with
    the commune's own key (issue 19: the import checks every signature)."""
    from htx_desktop.domain.periods import parse_period
    from htx_desktop.reports.figures import activity_for_unit, indicators_for_unit
    from htx_desktop.reports.package import write_package
    from htx_desktop.reports.signing import UnitKey
    from htx_desktop.store.engine import Database
    from htx_desktop.store.paths import DataDir
    from htx_desktop.store.reference import descendant_units
    from htx_desktop.store.settings import home_unit, management_positions, officer
    from htx_desktop.store.snapshot import build_dataset

    done = out / ".complete"
    if done.exists():
        return sorted(out.glob("*.zip"))
    shutil.rmtree(out, ignore_errors=True)
    period = parse_period("2025")
    db = Database.open(DataDir(source), check=False)
    paths = []
    with db.session() as session:
        province = home_unit(session)
        assert province is not None
        who = officer(session)
        positions = list(management_positions(session))
        communes = [u for u in descendant_units(session, province.id, include_self=False)
                    if u.level == "xa"]
        for unit in communes:
            data = build_dataset(session, unit.id)
            paths.append(write_package(
                dataset=data,
                indicators=indicators_for_unit(session, unit.id, period, data).to_json(),
                activity=activity_for_unit(session, unit.id, period, data),
                unit={"code": unit.code, "name": unit.name, "level": unit.level,
                      "parent_code": province.code},
                period_label=period.label, period_start=period.start, period_end=period.end,
                version=1, prepared_by={"name": who.name, "position": who.position,
                                        "phone": who.phone},
                narrative={}, management_positions=positions, place=unit.name,
                report_number=1, out_dir=out, created_at=datetime.now().astimezone(),
                signing_key=UnitKey.generate()))
    db.close()
    done.write_text("ok")
    return paths


def floor(paths: list[Path]) -> float:
    """Reading and hashing every file: the least any import must do."""
    start = time.perf_counter()
    for p in paths:
        hashlib.sha256(p.read_bytes()).hexdigest()
    return time.perf_counter() - start


def import_once(paths: list[Path], target: Path) -> tuple[float, int]:
    from htx_desktop.receiving.importer import ACCEPTED, Trust, import_packages
    from htx_desktop.store.engine import Database
    from htx_desktop.store.paths import DataDir

    shutil.rmtree(target, ignore_errors=True)
    htx("--data-dir", str(target), "init", "--unit", HOME_PROVINCE)
    db = Database.open(DataDir(target), check=False)
    start = time.perf_counter()
    # Each commune's first package: its key is learnt (the officer confirmed them all).
    outcomes = import_packages(db, paths, trust=Trust(accept_new_keys=True))
    took = time.perf_counter() - start
    db.close()
    bad = [o for o in outcomes if o.outcome != ACCEPTED or o.signer_fingerprint is None]
    assert not bad, bad[0].describe()
    return took, len(outcomes)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--national", action="store_true",
                        help="then the national case: ~3,300 packages (bench_import_national)")
    parser.add_argument("--sample", type=int,
                        help="national case on a stratified subset of about N packages")
    args = parser.parse_args()
    from htx_desktop.receiving.reader import read_package

    paths = make_packages(demo_data_dir(1.0), package_cache())
    assert len(paths) == 92, len(paths)
    for p in paths:  # honest packages: each passes the receiving side's verification
        read_package(p)
    floors, imports = [], []
    for _ in range(args.runs):
        floors.append(floor(paths))
        took, count = import_once(paths, CACHE / "work" / "import-target")
        imports.append(took)
    size = sum(p.stat().st_size for p in paths)
    record = result("import_92_communes", packages=count, megabytes=round(size / 1e6, 1),
                    import_s=round(median(imports), 2), floor_read_hash_s=round(median(floors), 3),
                    ratio=round(median(imports) / median(floors), 1), runs=args.runs)
    print(record)
    if args.national:
        from bench_import_national import run_national

        print(run_national(args.sample), flush=True)


if __name__ == "__main__":
    main()
