"""`export` end to end on demo data: versions, stable data.json, the workbook's indicator sheet
equal to `indicators --json`, and no person's name, phone or victim flag anywhere."""

from __future__ import annotations

import hashlib
import json
import sqlite3
import subprocess
import zipfile
from pathlib import Path

import pytest

from htx_desktop.cli import run

ENTRIES = {"manifest.json", "data.json", "bao-cao.xlsx", "bao-cao.pdf"}


@pytest.fixture(scope="module")
def commune(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("commune-export")
    assert run(["--data-dir", str(d), "init", "--unit", "05443", "--officer", "Lê Thị Mai",
                "--position", "Chủ tịch", "--phone", "0987654321"]) == 0
    assert run(["--data-dir", str(d), "demo", "--seed", "5"]) == 0
    return d


def export(capsys: pytest.CaptureFixture[str], d: Path, out: Path, period: str) -> Path:
    assert run(["--data-dir", str(d), "export", "--period", period, "--out", str(out)]) == 0
    return Path(capsys.readouterr().out.strip())


def test_two_exports_raise_the_version_and_keep_data_json(
        commune: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    first = export(capsys, commune, tmp_path, "2025")
    second = export(capsys, commune, tmp_path, "2025")
    assert first.name == "BC-DA01_05443_2025_v1.zip"
    assert second.name == "BC-DA01_05443_2025_v2.zip"
    with zipfile.ZipFile(first) as a, zipfile.ZipFile(second) as b:
        assert set(a.namelist()) == ENTRIES == set(b.namelist())
        assert a.read("data.json") == b.read("data.json")
        manifest = json.loads(b.read("manifest.json"))
        assert manifest["version"] == 2
        assert manifest["unit"]["code"] == "05443"
        assert manifest["includes_personal_names"] is False
        for name, info in manifest["files"].items():
            raw = b.read(name)
            assert info == {"sha256": hashlib.sha256(raw).hexdigest(), "bytes": len(raw)}


def test_indicator_sheet_equals_indicators_json(
        commune: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from openpyxl import load_workbook

    path = export(capsys, commune, tmp_path, "2023-2025")
    assert run(["--data-dir", str(commune), "indicators", "--period", "2023-2025",
                "--json"]) == 0
    expected = {r["code"]: r for r in json.loads(capsys.readouterr().out)["indicators"]}
    with zipfile.ZipFile(path) as z:
        data = json.loads(z.read("data.json"))
        assert {r["code"]: r for r in data["indicators"]["indicators"]} == expected
        (tmp_path / "book.xlsx").write_bytes(z.read("bao-cao.xlsx"))
    sheet = load_workbook(tmp_path / "book.xlsx", read_only=True)["Chỉ tiêu"]
    seen = {}
    for row in sheet.iter_rows(values_only=True):
        if row and row[0] in expected:
            seen[row[0]] = row
    assert set(seen) >= {f"CT{i}" for i in range(1, 10)}
    for code, row in seen.items():
        value = expected[code]["value"]
        if value is not None:
            assert value in row, (code, row)


def test_no_name_phone_or_victim_flag_leaves_the_pc(
        commune: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = export(capsys, commune, tmp_path, "2025")
    with sqlite3.connect(commune / "htx.sqlite3") as con:
        people = con.execute("SELECT full_name, phone, id_number FROM people").fetchall()
    secrets = {v for row in people for v in row if v and len(v) >= 6}
    assert len(secrets) > 20
    texts = []
    with zipfile.ZipFile(path) as z:
        for name in ("data.json", "manifest.json"):
            texts.append(z.read(name).decode("utf-8"))
        (tmp_path / "r.pdf").write_bytes(z.read("bao-cao.pdf"))
        with zipfile.ZipFile(z.open("bao-cao.xlsx")) as book:
            texts.extend(book.read(n).decode("utf-8") for n in book.namelist()
                         if n.endswith(".xml"))
    pdf_text = subprocess.run(["pdftotext", str(tmp_path / "r.pdf"), "-"], capture_output=True,
                              text=True, check=True).stdout
    texts.append(pdf_text)
    everything = "\n".join(texts)
    leaked = [s for s in secrets if s in everything]
    assert leaked == []
    for flag in ("trafficking_victim", "domestic_violence_victim", "sexual_abuse_victim"):
        assert f'"{flag}":' not in texts[0]  # never as a per-person field


def test_province_package_is_well_under_10_mb(tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    d = tmp_path / "province"
    assert run(["--data-dir", str(d), "init", "--unit", "19"]) == 0
    assert run(["--data-dir", str(d), "demo", "--seed", "2"]) == 0
    capsys.readouterr()
    path = export(capsys, d, tmp_path / "out", "2023-2025")
    assert path.stat().st_size < 5 * 1024 * 1024


def test_export_into_a_file_path_is_refused(commune: Path, tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    code = run(["--data-dir", str(commune), "export", "--period", "2025", "--out", str(blocker)])
    assert code == 1
    assert "không phải thư mục" in capsys.readouterr().err
