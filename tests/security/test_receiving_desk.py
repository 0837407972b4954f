"""A receiving desk that one bad attachment cannot stop (issue 20, points 1, 2 and 4): a batch
of one good package and each crafted file imports the good one and refuses each bad one by
name with a Vietnamese reason, in the refused list and in an import log no entry name can
forge; limits are checked before anything is inflated; the sender's workbook and PDF must be
plain documents."""

from __future__ import annotations

import shutil
import threading
import tracemalloc
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from htx_desktop.cli import run
from htx_desktop.receiving.importer import import_packages
from htx_desktop.receiving.limits import (
    MAX_ENTRIES,
    MAX_INT_DIGITS,
    LimitExceeded,
    check_zip_layout,
    escape_control,
    loads_json,
    one_line,
)
from htx_desktop.receiving.reader import PackageRefused, read_package
from htx_desktop.reports import document_checks as dc
from htx_desktop.store.engine import Database
from htx_desktop.store.models import RefusedPackage, Submission
from htx_desktop.store.paths import DataDir
from htx_desktop.store.reference import descendant_units, find_unit
from tests.reports.exchange_helpers import TRUST, remember_key
from tests.security import crafted as cr


@pytest.fixture(scope="module")
def desk(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(a province data folder, a real package from one of its communes)."""
    root = tmp_path_factory.mktemp("desk")
    province = root / "province"
    assert run(["--data-dir", str(province), "init", "--unit", "19"]) == 0
    db = Database.open(DataDir(province))
    with db.session() as s:
        code = next(u.code for u in descendant_units(s, find_unit(s, "19").id)  # type: ignore[union-attr]
                    if u.level == "xa")
    db.close()
    commune = root / "commune"
    assert run(["--data-dir", str(commune), "init", "--unit", code]) == 0
    assert run(["--data-dir", str(commune), "demo", "--seed", "2", "--scale", "0.1"]) == 0
    remember_key(commune)  # crafted variants are signed again by the sender (only one check fails)
    assert run(["--data-dir", str(commune), "export", "--period", "2025",
                "--out", str(root / "out")]) == 0
    return province, next((root / "out").glob("*.zip"))


def _fresh(province: Path, tmp_path: Path) -> Path:
    folder = tmp_path / "province"
    shutil.copytree(province, folder)
    return folder


def _set_count(value: Any) -> Any:
    def change(data: dict[str, Any]) -> None:
        data["priority_counts"][0]["women_supported"] = value
    return change


def _crafted(good: Path, d: Path) -> dict[str, Path]:
    d.mkdir()
    files = cr.entries(good)
    deep = b"[" * 100_000 + b"]" * 100_000
    newline = d / "entry-name.zip"
    cr.write_package(newline, {**files, "x\n2026-01-01T00:00:00 ACCEPTED forged.zip": b"x"},
                     rehash=False)
    return {
        "encrypted.zip": cr.flag_encrypted(good, d / "encrypted.zip"),
        "deflate64.zip": cr.set_method(good, d / "deflate64.zip", 9),
        "aes.zip": cr.set_method(good, d / "aes.zip", 99),
        "deep.zip": cr.with_raw_entry(good, d / "deep.zip", cr.DATA, deep),
        "int4001.zip": cr.with_data(good, d / "int4001.zip", _set_count(int("9" * 4001))),
        "int2p63.zip": cr.with_data(good, d / "int2p63.zip", _set_count(2**63)),
        "count1e300.zip": cr.with_data(good, d / "count1e300.zip", _set_count(1e300)),
        "million.zip": cr.many_entries(d / "million.zip", 1_000_000),
        "gigabyte.zip": cr.gigabyte_bomb(good, d / "gigabyte.zip", lie=False),
        "gigabyte-lying.zip": cr.gigabyte_bomb(good, d / "gigabyte-lying.zip", lie=True),
        "entry-name.zip": newline,
    }


def test_a_batch_imports_the_good_package_and_refuses_each_crafted_one(
        desk: tuple[Path, Path], tmp_path: Path) -> None:
    province, good = desk
    bad = _crafted(good, tmp_path / "bad")
    folder = _fresh(province, tmp_path)
    db = Database.open(DataDir(folder))
    try:
        batch = [*bad.values(), good]
        tracemalloc.start()
        outcomes = import_packages(db, batch, trust=TRUST)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        assert peak < 150 * 1024 * 1024  # a million entries, a gigabyte: never held
        by_name = {o.file_name: o for o in outcomes}
        assert [o.file_name for o in outcomes] == [p.name for p in batch]
        assert not by_name[good.name].refused, by_name[good.name].reason
        for name in bad:
            assert by_name[name].refused, name
            assert "không mong đợi" not in by_name[name].reason
            assert by_name[name].describe().startswith(f"{name}: bị từ chối: ")
        reasons = {n: by_name[n].reason for n in bad}
        assert "mã hoá bằng mật khẩu" in reasons["encrypted.zip"]
        assert "(mã 9)" in reasons["deflate64.zip"] and "(mã 99)" in reasons["aes.zip"]
        assert "lồng nhau quá sâu" in reasons["deep.zip"]
        assert "4001 chữ số" in reasons["int4001.zip"]
        assert "19 chữ số" in reasons["int2p63.zip"]
        assert "women_supported" in reasons["count1e300.zip"]
        assert "quá nhiều tệp (1000000)" in reasons["million.zip"]
        assert "giải nén vượt quá giới hạn" in reasons["gigabyte.zip"]
        assert reasons["gigabyte-lying.zip"]
        with db.session() as s:
            refused = {r.file_name for r in s.scalars(select(RefusedPackage))}
            assert refused == set(bad)
            assert len(s.scalars(select(Submission)).all()) == 1
        log = (folder / "logs" / "import.log").read_text(encoding="utf-8")
        lines = log.splitlines()
        assert len(lines) == len(bad)  # one line per refusal: none forged
        assert all(" REFUSED " in line for line in lines)
        assert not any("ACCEPTED" in line.split(" REFUSED ")[0] for line in lines)
        assert "\\x0a2026-01-01T00:00:00 ACCEPTED forged.zip" in log
        assert "\n" not in by_name["entry-name.zip"].reason
    finally:
        db.close()


def test_a_million_entries_are_refused_from_the_directory_alone(tmp_path: Path) -> None:
    path = cr.many_entries(tmp_path / "m.zip", 1_000_000)
    tracemalloc.start()
    with pytest.raises(LimitExceeded, match="1000000"):
        check_zip_layout(path)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert peak < 2 * 1024 * 1024


def test_entry_count_at_and_over_the_limit(tmp_path: Path) -> None:
    check_zip_layout(cr.many_entries(tmp_path / "at.zip", MAX_ENTRIES))
    with pytest.raises(LimitExceeded, match=f"quá nhiều tệp \\({MAX_ENTRIES + 1}\\)"):
        check_zip_layout(cr.many_entries(tmp_path / "over.zip", MAX_ENTRIES + 1))


def test_json_limits_at_and_over() -> None:
    assert loads_json(b"9" * MAX_INT_DIGITS) == int("9" * MAX_INT_DIGITS)
    with pytest.raises(LimitExceeded, match="quá dài"):
        loads_json(b"9" * (MAX_INT_DIGITS + 1))
    assert loads_json(b"[" * 64 + b"]" * 64) is not None
    with pytest.raises(LimitExceeded, match="lồng nhau quá sâu"):
        loads_json(b"[" * 65 + b"]" * 65)
    for constant in (b"NaN", b"Infinity", b"-Infinity", b"1e400"):
        with pytest.raises(LimitExceeded):
            loads_json(b"[" + constant + b"]")


@pytest.mark.parametrize(("where", "at", "over"), [
    ("women_supported", 10**9, 10**9 + 1),
    ("amount_vnd", 10**15, 10**15 + 1),
    ("name", "H" * 300, "H" * 301),
], ids=["count", "money", "name"])
def test_schema_maxima_at_and_over(desk: tuple[Path, Path], tmp_path: Path, where: str,
                                   at: Any, over: Any) -> None:
    _, good = desk

    def setter(value: Any) -> Any:
        def change(data: dict[str, Any]) -> None:
            if where == "women_supported":
                data["priority_counts"][0][where] = value
            elif where == "amount_vnd":
                data["support"][0][where] = value
            else:
                data["cooperatives"][0][where] = value
        return change

    read_package(cr.with_data(good, tmp_path / "at.zip", setter(at)))
    with pytest.raises(PackageRefused, match="vượt giới hạn"):
        read_package(cr.with_data(good, tmp_path / "over.zip", setter(over)))


def test_manifest_version_at_and_over(desk: tuple[Path, Path], tmp_path: Path) -> None:
    _, good = desk

    def version(v: int) -> Any:
        def change(man: dict[str, Any]) -> None:
            man["version"] = v
        return change

    assert read_package(cr.with_manifest(good, tmp_path / "at.zip", version(10**6))).version \
        == 10**6
    with pytest.raises(PackageRefused, match="vượt giới hạn"):
        read_package(cr.with_manifest(good, tmp_path / "over.zip", version(10**6 + 1)))


def test_a_twenty_megabyte_name_is_refused(desk: tuple[Path, Path], tmp_path: Path) -> None:
    _, good = desk
    import random

    rng = random.Random(1)
    name = "".join(rng.choice("abcdefghijklmnopqrstuvwxyzăâđêôơư ") for _ in range(20_000_000))
    path = cr.with_data(good, tmp_path / "big.zip",
                        lambda d: d["cooperatives"][0].__setitem__("name", name))
    with pytest.raises(PackageRefused, match="cooperatives/0/name: giá trị vượt giới hạn"):
        read_package(path)


def test_log_escapes_control_characters() -> None:
    assert escape_control("a\nb\rc\0d\u2028e\u202ef\\") == "a\\x0ab\\x0dc\\x00d\\u2028e\\u202ef\\\\"
    assert escape_control("Phường Đức Xuân") == "Phường Đức Xuân"
    assert one_line("C:\\Users\\a\nb") == "C:\\Users\\a\\x0ab"


def test_a_refused_package_makes_no_backup(desk: tuple[Path, Path], tmp_path: Path) -> None:
    """A readable package that is refused before any write (here: the commune's own package
    given to the commune itself, not below it; then an already imported one) makes no copy."""
    province, good = desk
    folder = _fresh(province, tmp_path)
    db = Database.open(DataDir(folder))
    try:
        bad = cr.flag_encrypted(good, tmp_path / "enc.zip")
        import_packages(db, [bad], trust=TRUST)
        assert not list((folder / "backups").glob("*import*"))
        assert not import_packages(db, [good], trust=TRUST)[0].refused
        made = sorted((folder / "backups").glob("*import*"))
        assert len(made) == 1
        assert import_packages(db, [good], trust=TRUST)[0].outcome == "already_imported"
        assert sorted((folder / "backups").glob("*import*")) == made
    finally:
        db.close()
    other = tmp_path / "other"
    assert run(["--data-dir", str(other), "init", "--unit", "01"]) == 0  # Hà Nội
    db = Database.open(DataDir(other))
    try:
        outcome = import_packages(db, [good], trust=TRUST)[0]
        assert outcome.refused and "không trực thuộc" in outcome.reason
        assert not list((other / "backups").glob("*import*"))
    finally:
        db.close()


# ---------------------------------------------------------------- point 4: plain documents


def test_our_own_workbook_and_pdf_are_plain(desk: tuple[Path, Path]) -> None:
    _, good = desk
    files = cr.entries(good)
    dc.check_workbook(files[cr.WORKBOOK])
    dc.check_pdf(files[cr.PDF])


def test_a_pdf_signed_by_an_officer_is_plain(desk: tuple[Path, Path], tmp_path: Path) -> None:
    _, good = desk
    signed = cr.pdf_signed_like_pades(cr.entries(good)[cr.PDF])
    dc.check_pdf(signed)
    read_package(cr.with_raw_entry(good, tmp_path / "signed.zip", cr.PDF, signed))


XLSX_CASES = {
    "dde": {"formula": "cmd|' /C calc'!A0"},
    "formula": {"formula": "SUM(A1:A2)"},
    "macro": {"extra_parts": {"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0"}},
    "external": {"extra_parts": {"xl/externalLinks/externalLink1.xml": b"<externalLink/>"}},
    "dde-link": {"extra_parts": {"xl/externalLinks/externalLink2.xml":
                                 b'<externalLink><ddeLink ddeService="cmd"/></externalLink>'}},
    "ole": {"extra_parts": {"xl/embeddings/oleObject1.bin": b"x"}},
}


@pytest.mark.parametrize("case", sorted(XLSX_CASES))
def test_a_workbook_that_is_not_plain_refuses_the_package(
        desk: tuple[Path, Path], tmp_path: Path, case: str) -> None:
    _, good = desk
    xlsx = cr.workbook_with(cr.entries(good)[cr.WORKBOOK], **XLSX_CASES[case])
    path = cr.with_raw_entry(good, tmp_path / f"{case}.zip", cr.WORKBOOK, xlsx)
    with pytest.raises(PackageRefused, match=r"bao-cao\.xlsx trong gói không phải tài liệu "
                                             r"thường"):
        read_package(path)


@pytest.mark.parametrize("how", ["plain", "obfuscated", "object-stream"])
def test_a_pdf_with_javascript_refuses_the_package(desk: tuple[Path, Path], tmp_path: Path,
                                                   how: str) -> None:
    _, good = desk
    pdf = cr.pdf_with_open_action_js(cr.entries(good)[cr.PDF], obfuscate=how == "obfuscated",
                                     in_object_stream=how == "object-stream")
    path = cr.with_raw_entry(good, tmp_path / "js.zip", cr.PDF, pdf)
    with pytest.raises(PackageRefused, match=r"bao-cao\.pdf trong gói không phải tài liệu "
                                             r"thường: có (mã JavaScript|hành động tự chạy)"):
        read_package(path)


@pytest.mark.parametrize("snippet", [
    b"<< /Type /Action /S /Launch /F (cmd.exe) >>",
    b"<< /Type /Action /S /J#61vaScript /J#53 (app.alert\\(1\\)) >>",
    b"<< /Type /Filespec /EF << /F 5 0 R >> >> << /Type /EmbeddedFile >>",
    b"<< /Type /Page /AA << /O 7 0 R >> >>",
    b"<< /Type /Catalog /OpenAction << /S /URI /URI (http://evil.example) >> >>",
])
def test_pdf_actions_are_refused(desk: tuple[Path, Path], snippet: bytes) -> None:
    _, good = desk
    pdf = cr.entries(good)[cr.PDF] + b"\n95 0 obj\n" + snippet + b"\nendobj\n"
    with pytest.raises(dc.DocumentRefused):
        dc.check_pdf(pdf)


def test_pdf_open_action_to_a_page_is_plain(desk: tuple[Path, Path]) -> None:
    _, good = desk
    pdf = cr.entries(good)[cr.PDF] + (b"\n96 0 obj\n<< /Type /Catalog /OpenAction [3 0 R /Fit] "
                                      b">>\nendobj\n97 0 obj\n<< /OpenAction << /S /GoTo "
                                      b"/D [3 0 R /Fit] >> >>\nendobj\n")
    dc.check_pdf(pdf)


def test_reading_runs_in_a_worker_thread_too(desk: tuple[Path, Path], tmp_path: Path) -> None:
    """The window reads in a worker: a deep JSON must not crash a thread with a small stack."""
    _, good = desk
    deep = cr.with_raw_entry(good, tmp_path / "deep.zip", cr.DATA,
                             b"[" * 100_000 + b"]" * 100_000)
    result: list[str] = []

    def work() -> None:
        try:
            read_package(deep)
        except PackageRefused as exc:
            result.append(exc.reason)

    worker = threading.Thread(target=work)
    worker.start()
    worker.join()
    assert result and "lồng nhau quá sâu" in result[0]


def test_verify_refuses_dde_and_javascript(desk: tuple[Path, Path], tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    """The two documents the issue's attacker got past `verify`."""
    province, good = desk
    files = cr.entries(good)
    dde = cr.with_raw_entry(good, tmp_path / "dde.zip", cr.WORKBOOK,
                            cr.workbook_with(files[cr.WORKBOOK], formula="cmd|' /C calc'!A0"))
    js = cr.with_raw_entry(good, tmp_path / "js.zip", cr.PDF,
                           cr.pdf_with_open_action_js(files[cr.PDF]))
    assert run(["--data-dir", str(province), "verify", str(good)]) == 0
    for path in (dde, js):
        capsys.readouterr()
        assert run(["--data-dir", str(province), "verify", str(path)]) != 0
        assert "không phải tài liệu thường" in capsys.readouterr().err


def test_text_that_looks_like_a_formula_or_dde_is_plain(tmp_path: Path) -> None:
    """A cooperative named like a formula is text in our workbook (no `<f>`): plain."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws["A1"] = "=cmd|' /C calc'!A0"
    ws["A1"].data_type = "s"
    ws["A2"] = "<ddeLink ddeService='cmd'/> oleLink"
    wb.save(tmp_path / "t.xlsx")
    dc.check_workbook((tmp_path / "t.xlsx").read_bytes())
    ws["A3"] = "=SUM(1,2)"
    wb.save(tmp_path / "f.xlsx")
    with pytest.raises(dc.DocumentRefused, match="công thức"):
        dc.check_workbook((tmp_path / "f.xlsx").read_bytes())
