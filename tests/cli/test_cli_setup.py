"""The command line contract of INTERFACES.md §1 for init, units, summary, demo, backup, restore."""

from __future__ import annotations

import contextlib
import json
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from htx_desktop.cli import run

DATA = Path(__file__).resolve().parent.parent / "data"


def cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = run(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(scope="module")
def province_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data folder initialised for Thái Nguyên (19), shared read-only by several tests."""
    d = tmp_path_factory.mktemp("province")
    assert run(["--data-dir", str(d), "init", "--unit", "19", "--officer", "Nguyễn Thị Hoa",
                "--position", "Phó Chủ tịch", "--phone", "0912 345 678"]) == 0
    return d


def test_init_then_units_lists_province_and_92_communes(
        province_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = cli(capsys, "--data-dir", str(province_dir), "units", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["home"] == "19"
    communes = [u for u in data["units"] if u["level"] == "xa"]
    assert len(communes) == 92
    assert all(u["parent_code"] == "19" for u in communes)
    assert {"code": "05443", "name": "Phường Phan Đình Phùng", "level": "xa",
            "parent_code": "19"} in data["units"]
    province = next(u for u in data["units"] if u["code"] == "19")
    assert province["level"] == "tinh" and province["parent_code"] is None


def test_units_text_is_vietnamese_and_english_on_request(
        province_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = cli(capsys, "--data-dir", str(province_dir), "units")
    assert code == 0 and "Tổng cộng: 93 đơn vị." in out
    code, out, _ = cli(capsys, "--data-dir", str(province_dir), "--lang", "en", "units")
    assert code == 0 and "Total: 93 units." in out


def test_three_level_units_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = cli(capsys, "--data-dir", str(tmp_path), "init", "--unit", "19",
                       "--units-file", str(DATA / "units-3level.csv"))
    assert code == 0, err
    code, out, _ = cli(capsys, "--data-dir", str(tmp_path), "units", "--json")
    units = json.loads(out)["units"]
    levels = {u["level"] for u in units}
    assert levels == {"tinh", "huyen", "xa"}
    by_code = {u["code"]: u for u in units}
    for u in units:
        if u["level"] == "xa":
            assert by_code[u["parent_code"]]["level"] == "huyen"
        if u["level"] == "huyen":
            assert u["parent_code"] == "19"


def test_unknown_unit_is_refused_with_exit_1(tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = cli(capsys, "--data-dir", str(tmp_path), "init", "--unit", "99999")
    assert code == 1
    assert "Không tìm thấy đơn vị có mã “99999”" in err


def test_wrong_usage_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = cli(capsys, "--data-dir", str(tmp_path), "units", "--bogus")
    assert code == 2 and "Lỗi cách dùng" in err
    code, _, err = cli(capsys, "--data-dir", str(tmp_path), "indicators", "--period", "20x5")
    assert code == 2


def test_commands_before_init_ask_for_init(tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    from htx_desktop.store.engine import Database
    from htx_desktop.store.paths import DataDir

    # A database without a home unit (a folder without one: tests/cli/test_cli_words.py).
    Database.open(DataDir(tmp_path).ensure()).close()
    code, _, err = cli(capsys, "--data-dir", str(tmp_path), "summary")
    assert code == 1 and "htx-desktop init --unit" in err


def _commune_dir(tmp_path: Path, name: str = "x") -> Path:
    d = tmp_path / name
    assert run(["--data-dir", str(d), "init", "--unit", "05443"]) == 0
    return d


def test_demo_same_seed_gives_identical_summary_and_records(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    dumps = []
    summaries = []
    for name in ("a", "b"):
        d = _commune_dir(tmp_path, name)
        code, _, err = cli(capsys, "--data-dir", str(d), "demo", "--seed", "7")
        assert code == 0, err
        code, out, _ = cli(capsys, "--data-dir", str(d), "summary", "--json")
        summaries.append(json.loads(out))
        dumps.append(_dump_records(d / "htx.sqlite3"))
    assert summaries[0] == summaries[1]
    assert summaries[0]["counts"]["htx"] > 0 and summaries[0]["counts"]["people"] > 0
    assert dumps[0] == dumps[1]


def test_demo_refuses_a_database_with_records(tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    d = _commune_dir(tmp_path)
    assert cli(capsys, "--data-dir", str(d), "demo")[0] == 0
    before = _dump_records(d / "htx.sqlite3")
    code, _, err = cli(capsys, "--data-dir", str(d), "demo")
    assert code == 1 and "đã có dữ liệu" in err
    assert _dump_records(d / "htx.sqlite3") == before


def _dump_records(db_path: Path) -> dict[str, list[tuple[object, ...]]]:
    tables = ["cooperatives", "people", "cadres", "events", "attendances", "job_placements",
              "support", "communications", "awards", "cooperative_years",
              "management_positions", "plan_line_status", "narratives"]
    with contextlib.closing(sqlite3.connect(db_path)) as con:  # closed: Windows locks open files
        return {t: sorted(con.execute(f"SELECT * FROM {t}").fetchall(), key=repr)
                for t in tables}


def test_backup_then_restore_gives_the_same_data(tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    d = _commune_dir(tmp_path)
    assert cli(capsys, "--data-dir", str(d), "demo", "--seed", "3")[0] == 0
    before = _dump_records(d / "htx.sqlite3")
    out_file = tmp_path / "copy.sqlite3"
    code, _, err = cli(capsys, "--data-dir", str(d), "backup", "--out", str(out_file))
    assert code == 0, err
    assert out_file.exists()
    # lose some data (closed: on Windows an open connection would keep the file from being
    # replaced by the restore)
    with contextlib.closing(sqlite3.connect(d / "htx.sqlite3")) as con, con:
        con.execute("DELETE FROM awards")
        con.execute("UPDATE cooperatives SET name = 'đã sửa'")
    assert _dump_records(d / "htx.sqlite3") != before
    code, _, err = cli(capsys, "--data-dir", str(d), "restore", str(out_file))
    assert code == 0, err
    assert _dump_records(d / "htx.sqlite3") == before
    assert any((d / "backups").iterdir())  # the state before the restore was kept


def test_restore_refuses_a_file_that_is_not_a_backup(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    d = _commune_dir(tmp_path)
    before = (d / "htx.sqlite3").read_bytes()
    junk = tmp_path / "junk.sqlite3"
    junk.write_bytes(b"not a database at all" * 100)
    code, _, err = cli(capsys, "--data-dir", str(d), "restore", str(junk))
    assert code == 1 and err.strip()
    assert "Traceback" not in err
    assert (d / "htx.sqlite3").read_bytes() == before


def test_console_entry_point_runs(tmp_path: Path) -> None:
    exe = shutil.which("htx-desktop", path=str(Path(sys.executable).parent))
    cmd = [exe] if exe else [sys.executable, "-m", "htx_desktop"]
    # The program writes UTF-8 to a pipe on every system (htx_desktop/console.py), not the
    # locale's code page (cp1252 on Windows).
    proc = subprocess.run([*cmd, "--data-dir", str(tmp_path), "summary", "--json"],
                          capture_output=True, text=True, encoding="utf-8", timeout=120)
    assert proc.returncode == 1 and "init" in proc.stderr


def test_damaged_database_makes_commands_exit_1_naming_the_newest_backup(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    d = _commune_dir(tmp_path)
    assert cli(capsys, "--data-dir", str(d), "backup")[0] == 0
    backups = sorted((d / "backups").glob("*.sqlite3"))
    assert backups
    db_file = d / "htx.sqlite3"
    raw = bytearray(db_file.read_bytes())
    middle = len(raw) // 4
    raw[middle:3 * middle] = b"\xff" * (2 * middle)  # half the pages overwritten: damaged
    db_file.write_bytes(bytes(raw))
    for argv in (["units"], ["summary", "--json"], ["backup"]):
        code, out, err = cli(capsys, "--data-dir", str(d), *argv)
        assert code == 1, (argv, out, err)
        assert backups[-1].name in err, err
        assert "Traceback" not in err
