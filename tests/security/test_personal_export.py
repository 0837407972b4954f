"""`keygen` and `export --include-names --recipient-key`: names travel only sealed, only when
asked; the rest of the package stays readable; victim flags never leave except as counts."""

from __future__ import annotations

import io
import json
import subprocess
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import select

from htx_desktop.cli import run
from htx_desktop.receiving.crypto import load_private_key, open_sealed
from htx_desktop.store.engine import Database
from htx_desktop.store.models import Person
from htx_desktop.store.paths import DataDir
from tests.reports.exchange_helpers import TRUST

PASS = "Hoi-LHPN-tinh-2026"
VICTIM_FLAGS = ("trafficking_victim", "domestic_violence_victim", "sexual_abuse_victim")


@pytest.fixture(scope="module")
def province(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("province")
    assert run(["--data-dir", str(d), "init", "--unit", "19"]) == 0
    assert run(["--data-dir", str(d), "demo", "--seed", "5", "--scale", "0.05"]) == 0
    return d


@pytest.fixture(scope="module")
def keys(province: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("keys")
    secret = out / "pass.txt"
    secret.write_text(PASS + "\n", encoding="utf-8")
    assert run(["--data-dir", str(province), "keygen", "--out", str(out / "k"),
                "--passphrase-file", str(secret)]) == 0
    return out / "k"


def people(province: Path) -> list[Person]:
    db = Database.open(DataDir(province))
    try:
        with db.session() as session:
            return list(session.scalars(select(Person)))
    finally:
        db.close()


def entries(package: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(package) as zf:
        return {name: zf.read(name) for name in zf.namelist()}


def readable_text(package: Path, tmp: Path) -> str:
    """Everything a person could read in the package: JSON, every XML part of the workbook,
    the PDF's text."""
    parts = entries(package)
    text = parts["data.json"].decode() + parts["manifest.json"].decode()
    with zipfile.ZipFile(io.BytesIO(parts["bao-cao.xlsx"])) as book:
        text += "".join(book.read(n).decode("utf-8", "replace") for n in book.namelist())
    pdf = tmp / "r.pdf"
    pdf.write_bytes(parts["bao-cao.pdf"])
    text += subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                           check=True).stdout
    return text


def test_keygen_writes_three_files_and_refuses_to_overwrite(keys: Path, province: Path,
                                                            capsys: pytest.CaptureFixture[str]
                                                            ) -> None:
    assert sorted(p.name for p in keys.iterdir()) == [
        "19-khoa-phuc-hoi.pdf", "19-private.pem", "19-public.pem"]
    assert (keys / "19-private.pem").stat().st_mode & 0o077 == 0
    load_private_key((keys / "19-private.pem").read_bytes(), PASS)  # opens with the passphrase
    sheet = subprocess.run(["pdftotext", str(keys / "19-khoa-phuc-hoi.pdf"), "-"],
                           capture_output=True, text=True, check=True).stdout
    assert "PHIẾU LƯU GIỮ KHOÁ BÍ MẬT" in sheet and "BEGIN ENCRYPTED PRIVATE KEY" in sheet
    before = (keys / "19-private.pem").read_bytes()
    capsys.readouterr()
    secret = keys.parent / "pass.txt"
    assert run(["--data-dir", str(province), "keygen", "--out", str(keys),
                "--passphrase-file", str(secret)]) == 1
    assert "không ghi đè" in capsys.readouterr().err
    assert (keys / "19-private.pem").read_bytes() == before


def test_keygen_without_passphrase_file_refuses(province: Path, tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["--data-dir", str(province), "keygen", "--out", str(tmp_path / "k")]) == 1
    assert "--passphrase-file" in capsys.readouterr().err
    assert not (tmp_path / "k").exists()


def test_export_without_names_carries_nothing_personal(province: Path, tmp_path: Path,
                                                       capsys: pytest.CaptureFixture[str]
                                                       ) -> None:
    assert run(["--data-dir", str(province), "export", "--period", "2025",
                "--out", str(tmp_path)]) == 0
    package = Path(capsys.readouterr().out.strip())
    parts = entries(package)
    assert "personal.enc" not in parts
    manifest = json.loads(parts["manifest.json"])
    assert manifest["includes_personal_names"] is False and "encryption" not in manifest
    text = readable_text(package, tmp_path)
    everyone = people(province)
    assert any(p.trafficking_victim or p.domestic_violence_victim for p in everyone)
    for person in everyone:
        assert person.full_name not in text
        for secret in (person.phone, person.id_number):
            if secret:
                assert secret not in text
    data = json.loads(parts["data.json"])
    for row in data["people"]:
        assert not set(row) & {"full_name", "phone", "id_number", *VICTIM_FLAGS}


def test_names_travel_sealed_and_open_only_with_the_right_key(
        province: Path, keys: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["--data-dir", str(province), "export", "--period", "2025", "--out",
                str(tmp_path), "--include-names", "--recipient-key",
                str(keys / "19-public.pem")]) == 0
    package = Path(capsys.readouterr().out.strip())
    parts = entries(package)
    manifest = json.loads(parts["manifest.json"])
    assert manifest["includes_personal_names"] is True
    assert manifest["encryption"]["algorithm"] == "X25519-HKDF-SHA256+AES-256-GCM"
    assert len(manifest["encryption"]["recipient_fingerprint"]) == 64
    assert "personal.enc" in manifest["files"]
    # Everything outside personal.enc is still free of names: readable without the key.
    text = readable_text(package, tmp_path) + parts["personal.enc"].decode()
    everyone = people(province)
    assert not any(p.full_name in text for p in everyone)
    private = load_private_key((keys / "19-private.pem").read_bytes(), PASS)
    personal = json.loads(open_sealed(parts["personal.enc"], private))
    data = json.loads(parts["data.json"])
    ids = {row["id"] for row in data["people"]}
    assert set(personal["people"]) == ids
    by_id = {p.id: p for p in everyone}
    some = next(iter(ids))
    assert personal["people"][some]["full_name"] == by_id[some].full_name
    assert not any(set(v) & set(VICTIM_FLAGS) for v in personal["people"].values())


def test_half_given_choice_is_refused(province: Path, keys: Path, tmp_path: Path,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    base = ["--data-dir", str(province), "export", "--period", "2025", "--out", str(tmp_path)]
    assert run([*base, "--include-names"]) == 1
    assert "--recipient-key" in capsys.readouterr().err
    assert run([*base, "--recipient-key", str(keys / "19-public.pem")]) == 1
    assert run([*base, "--include-names", "--recipient-key",
                str(keys / "19-private.pem")]) == 1
    assert "khoá công khai" in capsys.readouterr().err.lower()
    assert list(tmp_path.glob("*.zip")) == []


def test_province_consolidates_a_sealed_package_without_the_key_and_opens_names_with_it(
        province: Path, keys: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from htx_desktop.receiving.crypto import CryptoError, generate_keypair, open_personal
    from htx_desktop.receiving.importer import import_packages
    from htx_desktop.store.reference import descendant_units, find_unit

    db = Database.open(DataDir(province))
    with db.session() as s:
        code = next(u.code for u in descendant_units(s, find_unit(s, "19").id)  # type: ignore[union-attr]
                    if u.level == "xa")
    db.close()
    commune = tmp_path / "commune"
    assert run(["--data-dir", str(commune), "init", "--unit", code]) == 0
    assert run(["--data-dir", str(commune), "demo", "--seed", "4", "--scale", "0.2"]) == 0
    capsys.readouterr()
    assert run(["--data-dir", str(commune), "export", "--period", "2025", "--out",
                str(tmp_path / "out"), "--include-names", "--recipient-key",
                str(keys / "19-public.pem")]) == 0
    package = Path(capsys.readouterr().out.strip().splitlines()[-1])
    target = tmp_path / "province"  # a province holding none of this commune's records yet
    assert run(["--data-dir", str(target), "init", "--unit", "19"]) == 0
    db = Database.open(DataDir(target))
    try:
        outcome = import_packages(db, [package], trust=TRUST)[0]
        assert not outcome.refused, outcome.reason  # no key needed to consolidate
    finally:
        db.close()
    blob = entries(package)["personal.enc"]
    names = open_personal(blob, (keys / "19-private.pem").read_bytes(), PASS)
    commune_people = people(commune)
    assert {p.id: p.full_name for p in commune_people if p.id in names} == {
        k: v["full_name"] for k, v in names.items()}
    assert names
    _, other_private = generate_keypair(PASS)
    with pytest.raises(CryptoError, match="không mở được danh sách họ tên"):
        open_personal(blob, other_private, PASS)
