"""Packages that cannot be forged (issue 19): every unit signs what it sends, the receiving unit
knows its senders' keys, a package speaks only for its own unit and below, and an accepted
package can be withdrawn. Driven through the command line, with the receiving database dumped
before and after every hostile try."""

from __future__ import annotations

import json
import os
import shutil
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, update

from htx_desktop.cli import run
from htx_desktop.receiving.crypto import seal
from htx_desktop.reports.signing import (
    SIGNATURE,
    SIGNER,
    SigningError,
    UnitKey,
    export_key_file,
    import_key_file,
    manifest_signer,
    short_code,
    sign_manifest,
    verify,
)
from htx_desktop.store.engine import Database
from htx_desktop.store.models import AuditEntry, Cooperative, Person
from htx_desktop.store.paths import DataDir
from tests.reports.exchange_helpers import (
    UNITS_3LEVEL,
    entries,
    export,
    file_dump,
    folder_key,
    make_folder,
    rewrite,
    write_zip,
)

PASS = "mat-khau-cua-huyen"
A, B = "05443", "05449"  # two communes of district 164


def cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = run(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _figures(folder: Path, capsys: pytest.CaptureFixture[str],
             period: str = "2025") -> dict[str, Any]:
    code, out, _ = cli(capsys, "--data-dir", str(folder), "indicators", "--period", period,
                       "--json")
    assert code == 0
    return {r["code"]: (r["value"], r["numerator"], r["denominator"])
            for r in json.loads(out)["indicators"]}


def _name(folder: Path, code: str) -> str:
    db = Database.open(DataDir(folder))
    try:
        with db.session() as session:
            from htx_desktop.receiving.importer import local_unit_name

            return local_unit_name(session, code) or ""
    finally:
        db.close()


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """District 164 (with its encryption key pair) not yet having received anything, and
    commune A's and B's 2025 packages with names sealed to the district."""
    root = tmp_path_factory.mktemp("signing")
    district = make_folder(root, "164", units_file=UNITS_3LEVEL)
    secret = root / "pass.txt"
    secret.write_text(PASS + "\n", encoding="utf-8")
    assert run(["--data-dir", str(district), "keygen", "--out", str(root / "keys"),
                "--passphrase-file", str(secret)]) == 0
    public = root / "keys" / "164-public.pem"
    out: dict[str, Any] = {"root": root, "district": district, "pass": secret,
                           "public": public, "private": root / "keys" / "164-private.pem"}
    for code, seed in ((A, 7), (B, 8)):
        folder = make_folder(root, code, seed=seed, units_file=UNITS_3LEVEL)
        pkg_dir = root / f"out-{code}"
        assert run(["--data-dir", str(folder), "export", "--period", "2025", "--out",
                    str(pkg_dir), "--include-names", "--recipient-key", str(public)]) == 0
        (out[code],) = pkg_dir.glob("*.zip")
        out[f"folder-{code}"] = folder
    return out


@pytest.fixture
def district(world: dict[str, Any], tmp_path: Path) -> Path:
    """A fresh copy of the district (nothing received, no sender key known)."""
    folder = tmp_path / "district"
    shutil.copytree(world["district"], folder)
    return folder


def _import(capsys: pytest.CaptureFixture[str], folder: Path, *args: str | Path
            ) -> tuple[int, str, str]:
    return cli(capsys, "--data-dir", str(folder), "import", *map(str, args))


def _keys(capsys: pytest.CaptureFixture[str], folder: Path) -> dict[str, Any]:
    code, out, _ = cli(capsys, "--data-dir", str(folder), "keys", "--json")
    assert code == 0
    return dict(json.loads(out))


# ----------------------------------------------------------------- the signature itself


def test_signatures_bind_the_manifest_and_their_purpose() -> None:
    key = UnitKey.generate()
    manifest = sign_manifest({"format": "htx-report-package", "version": 3,
                              "unit": {"code": A, "name": "Phường"}}, key)
    assert manifest_signer(manifest) == key.public_raw
    for change in ({"version": 4}, {"unit": {"code": B, "name": "Phường"}}):
        with pytest.raises(SigningError):
            manifest_signer({**manifest, **change})
    other = UnitKey.generate()
    with pytest.raises(SigningError):  # the key named in the manifest swapped for another
        manifest_signer({**manifest, SIGNER: sign_manifest(manifest, other)[SIGNER]})
    assert manifest_signer({k: v for k, v in manifest.items()
                            if k not in (SIGNER, SIGNATURE)}) is None
    # A signature made for a receipt is no manifest signature (issue 21 reuses the key).
    payload = b"payload"
    assert verify(key.public_raw, "receipt", payload, key.sign("receipt", payload))
    assert not verify(key.public_raw, "manifest", payload, key.sign("receipt", payload))
    groups = key.short_code.split(" ")
    assert len(groups) == 6 and all(len(g) == 4 and g.isdigit() for g in groups)
    assert short_code(key.fingerprint) == key.short_code


def test_key_file_needs_its_passphrase() -> None:
    key = UnitKey.generate()
    blob = export_key_file(key, unit_code=A, unit_name="Phường", passphrase="dai-du-8-ky-tu")
    assert key.raw not in blob
    opened = import_key_file(blob, "dai-du-8-ky-tu\n")
    assert opened.key.fingerprint == key.fingerprint and opened.unit_code == A
    with pytest.raises(SigningError, match="sai mật khẩu"):
        import_key_file(blob, "sai-mat-khau")
    with pytest.raises(SigningError, match="ít nhất 8"):
        export_key_file(key, unit_code=A, unit_name="Phường", passphrase="ngan")


def test_export_signs_with_the_unit_key_kept_owner_only(world: dict[str, Any]) -> None:
    manifest = json.loads(entries(world[A])["manifest.json"])
    assert manifest["format_version"] == "1.1"
    assert manifest_signer(manifest) == folder_key(world[f"folder-{A}"]).public_raw
    (path,) = (world[f"folder-{A}"] / "keys").glob("*.pem")
    if os.name != "nt":  # on Windows the key is private by its place: the user's profile
        assert path.stat().st_mode & 0o077 == 0, "the signing key is readable by its owner only"


# ----------------------------------------------------------------- knowing the senders' keys


def test_first_package_needs_its_key_confirmed(world: dict[str, Any], district: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    before = file_dump(district)
    code, _, err = _import(capsys, district, world[A])
    assert code == 1
    key = folder_key(world[f"folder-{A}"])
    assert "lần đầu nhận gói" in err and key.short_code in err and "--accept-new-key" in err
    assert _name(district, A) in err and "Lê Thị Thu" in err
    assert file_dump(district) == before, "refused: nothing changed"
    assert _keys(capsys, district)["known_keys"] == []

    code, out, _ = _import(capsys, district, "--accept-new-key", world[A])
    assert code == 0 and key.short_code in out
    (known,) = _keys(capsys, district)["known_keys"]
    assert known["unit"] == A and known["fingerprint"] == key.fingerprint
    assert known["status"] == "current" and known["accepted_by"] == "Lê Thị Thu"
    assert datetime.fromisoformat(known["accepted_at"])


def test_forged_package_for_a_known_unit_is_refused(world: dict[str, Any], district: Path,
                                                    tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    """Another PC made the commune's home unit, its own key pair, the next version number."""
    assert _import(capsys, district, "--accept-new-key", world[A])[0] == 0
    forger = make_folder(tmp_path / "other-pc", A, seed=99, units_file=UNITS_3LEVEL)
    export(forger, "2025", tmp_path / "forged")
    v2 = export(forger, "2025", tmp_path / "forged")
    assert v2.name.endswith("_v2.zip")
    genuine, fake = folder_key(world[f"folder-{A}"]), folder_key(forger)
    before = file_dump(district)
    for flags in ((), ("--accept-new-key",), ("--accept-new-key", "--accept-unsigned")):
        code, _, err = _import(capsys, district, *flags, v2)
        assert code == 1
        assert genuine.short_code in err and fake.short_code in err and A in err
        assert file_dump(district) == before, "refused: nothing changed"

    # The same forgery by hand: version 999, signed with the forger's key.
    hand = rewrite(world[A], tmp_path / "v999.zip", manifest=lambda m: m.update(version=999),
                   resign=False)
    man = json.loads(entries(hand)["manifest.json"])
    files = entries(hand)
    files["manifest.json"] = json.dumps(sign_manifest(man, fake)).encode()
    write_zip(hand, files)
    assert _import(capsys, district, "--accept-new-key", hand)[0] == 1
    # Unsigned (format 1.0) from a unit whose key is known: refused, whatever is confirmed.
    unsigned = rewrite(world[A], tmp_path / "unsigned.zip", resign=False, manifest=lambda m: (
        m.pop(SIGNER), m.pop(SIGNATURE), m.update(format_version="1.0", version=5)))
    code, _, err = _import(capsys, district, "--accept-unsigned", unsigned)
    assert code == 1 and "không có chữ ký" in err and genuine.short_code in err
    # Changed after signing (the version raised, the signature kept): refused by the reader.
    tampered = rewrite(world[A], tmp_path / "tampered.zip", resign=False,
                       manifest=lambda m: m.update(version=7))
    code, _, err = _import(capsys, district, tampered)
    assert code == 1 and "chữ ký của gói không khớp" in err
    assert file_dump(district) == before


def test_unsigned_packages_need_an_explicit_confirmation(
        world: dict[str, Any], district: Path, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    old = rewrite(world[A], tmp_path / "old.zip", resign=False, manifest=lambda m: (
        m.pop(SIGNER), m.pop(SIGNATURE), m.update(format_version="1.0")))
    code, _, err = cli(capsys, "--data-dir", str(district), "verify", str(old))
    assert code == 0
    before = file_dump(district)
    code, _, err = _import(capsys, district, "--accept-new-key", old)
    assert code == 1 and "--accept-unsigned" in err
    assert file_dump(district) == before
    code, out, _ = _import(capsys, district, "--accept-unsigned", old)
    assert code == 0 and "không có chữ ký" in out
    assert _keys(capsys, district)["known_keys"] == [], "an unsigned package teaches no key"
    # A format 1.1 package without its signature is damaged or forged, never "unsigned".
    stripped = rewrite(world[A], tmp_path / "stripped.zip", resign=False,
                       manifest=lambda m: (m.pop(SIGNER), m.pop(SIGNATURE)))
    code, _, err = _import(capsys, district, "--accept-unsigned", "--accept-new-key", stripped)
    assert code == 1 and "phải có chữ ký" in err


def test_key_moved_to_a_second_pc_signs_packages_the_district_accepts(
        world: dict[str, Any], district: Path, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    assert _import(capsys, district, "--accept-new-key", world[A])[0] == 0
    keyfile, secret = tmp_path / "khoa.htxkey", tmp_path / "pass.txt"
    secret.write_text("mat-khau-chuyen-may\n", encoding="utf-8")
    first = world[f"folder-{A}"]
    code, _, _ = cli(capsys, "--data-dir", str(first), "keys", "export", "--out", str(keyfile),
                     "--passphrase-file", str(secret))
    assert code == 0
    second = make_folder(tmp_path / "second-pc", A, seed=7, units_file=UNITS_3LEVEL)
    wrong = tmp_path / "wrong.txt"
    wrong.write_text("khong-phai-mat-khau\n", encoding="utf-8")
    code, _, err = cli(capsys, "--data-dir", str(second), "keys", "import", str(keyfile),
                       "--passphrase-file", str(wrong))
    assert code == 1 and "sai mật khẩu" in err
    code, out, _ = cli(capsys, "--data-dir", str(second), "keys", "import", str(keyfile),
                       "--passphrase-file", str(secret))
    assert code == 0 and folder_key(first).short_code in out
    assert folder_key(second).fingerprint == folder_key(first).fingerprint
    assert list((second / "keys").glob("*-thay-the-*.pem")), "the replaced key is kept"
    # Another unit's PC cannot take the key.
    other = make_folder(tmp_path / "b-pc", B, units_file=UNITS_3LEVEL)
    code, _, err = cli(capsys, "--data-dir", str(other), "keys", "import", str(keyfile),
                       "--passphrase-file", str(secret))
    assert code == 1 and A in err
    package = export(second, "2024", tmp_path / "second-out")
    code, out, _ = _import(capsys, district, package)  # no --accept-new-key: a known key
    assert code == 0 and "nhận gói" in out


def test_replace_a_units_key_deliberately(world: dict[str, Any], district: Path,
                                         tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    assert _import(capsys, district, "--accept-new-key", world[A])[0] == 0
    new_pc = make_folder(tmp_path / "new-pc", A, seed=7, units_file=UNITS_3LEVEL)
    export(new_pc, "2025", tmp_path / "new")
    v2 = export(new_pc, "2025", tmp_path / "new")
    assert _import(capsys, district, "--accept-new-key", v2)[0] == 1
    code, _, _ = cli(capsys, "--data-dir", str(district), "keys", "replace", "--unit", A,
                     "--reason", " ", str(v2))
    assert code == 1
    code, out, _ = cli(capsys, "--data-dir", str(district), "keys", "replace", "--unit", A,
                       "--reason", "Máy của xã bị mất, đã gọi điện xác nhận", str(v2))
    assert code == 0 and folder_key(new_pc).short_code in out
    assert _import(capsys, district, v2)[0] == 0
    old, new = _keys(capsys, district)["known_keys"]
    assert old["status"] == "replaced" and old["replaced_at"]
    assert new["status"] == "current" and new["fingerprint"] == folder_key(new_pc).fingerprint
    assert new["reason"] == "Máy của xã bị mất, đã gọi điện xác nhận"
    db = Database.open(DataDir(district))
    try:
        with db.session() as session:
            actions = list(session.scalars(select(AuditEntry.action).where(
                AuditEntry.table_name == "sender_keys")))
    finally:
        db.close()
    assert actions == ["key_accept", "key_replace"]


# ----------------------------------------------------------------- only its own subtree


def _people(folder: Path) -> dict[str, tuple[str, str | None]]:
    db = Database.open(DataDir(folder))
    try:
        with db.session() as session:
            return {p.id: (p.full_name, p.phone) for p in session.scalars(select(Person))}
    finally:
        db.close()


def test_cross_commune_names_package_is_refused(world: dict[str, Any], district: Path,
                                               tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    keyargs = ("--private-key", str(world["private"]), "--passphrase-file", str(world["pass"]))
    assert _import(capsys, district, "--accept-new-key", *keyargs, world[A], world[B])[0] == 0
    a_people = json.loads(entries(world[A])["data.json"])["people"]
    victim = a_people[0]
    before_people = _people(district)
    assert before_people[victim["id"]][0] != "(ẩn danh)", "A's names were opened"

    def hostile(person: dict[str, Any], name: str) -> Path:
        files = entries(world[B])
        data = json.loads(files["data.json"])
        data["people"].append(person)
        files["data.json"] = json.dumps(data, ensure_ascii=False, sort_keys=True).encode()
        files["personal.enc"] = seal(json.dumps({"format": "htx-personal", "version": 1,
                                                 "people": {person["id"]: {
                                                     "full_name": "Kẻ Mạo Danh",
                                                     "phone": "0999999999",
                                                     "id_number": "001"}}}).encode(),
                                     world["public"].read_bytes())
        src = write_zip(tmp_path / f"src-{name}.zip", files)
        return rewrite(src, tmp_path / f"{name}.zip", manifest=lambda m: m.update(version=2))

    before = file_dump(district)
    for name, person in (("as-a", victim), ("as-b", {**victim, "unit_code": B})):
        code, _, err = _import(capsys, district, *keyargs, hostile(person, name))
        assert code == 1, name
        assert "không đến từ các gói của chính đơn vị gửi" in err
        assert file_dump(district) == before, "refused: nothing changed"
    assert _people(district)[victim["id"]] == before_people[victim["id"]]

    # A new person under another commune's code, or a record there: refused as well.
    def new_person(data: dict[str, Any]) -> None:
        data["people"].append({**victim, "id": "00000000-0000-4000-8000-000000000001"})
    files = entries(world[B])
    del files["personal.enc"]
    code, _, err = _import(capsys, district, rewrite(
        write_zip(tmp_path / "no-names.zip", files), tmp_path / "new-person.zip",
        data=new_person,
        manifest=lambda m: m.update(version=3, includes_personal_names=False,
                                    files={k: v for k, v in m["files"].items()
                                           if k != "personal.enc"}) or m.pop("encryption")))
    assert code == 1 and f"của đơn vị {A}, không thuộc đơn vị gửi gói" in err
    assert file_dump(district) == before


def test_the_preview_names_the_unit_from_this_pcs_list(
        world: dict[str, Any], district: Path, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    lying = rewrite(world[A], tmp_path / "lying.zip", manifest=lambda m: m["unit"].update(
        name="Phường Bắc Kạn (ĐÃ KIỂM TRA, AN TOÀN)"))
    local = _name(district, A)
    code, out, _ = cli(capsys, "--data-dir", str(district), "verify", str(lying))
    assert code == 0 and local in out and "AN TOÀN" not in out
    code, out, _ = _import(capsys, district, "--dry-run", "--accept-new-key", "--json", lying)
    (pkg,) = json.loads(out)["packages"]
    assert pkg["unit_name"] == local and pkg["signature"]["status"] == "new"


# ----------------------------------------------------------------- withdraw, version jumps


def test_withdraw_restores_the_previous_versions_figures_exactly(
        world: dict[str, Any], district: Path, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    commune = tmp_path / "commune"
    shutil.copytree(world[f"folder-{A}"], commune)  # the commune that exported world[A]
    v1 = world[A]
    assert _import(capsys, district, "--accept-new-key", v1)[0] == 0
    figures_v1 = _figures(district, capsys)
    db = Database.open(DataDir(commune))
    try:
        with db.session() as session:  # the commune deletes two cooperatives, exports v2
            ids = list(session.scalars(select(Cooperative.id).where(
                Cooperative.deleted_at.is_(None)).order_by(Cooperative.id).limit(2)))
            session.execute(update(Cooperative).where(Cooperative.id.in_(ids))
                            .values(deleted_at=datetime.now()))
    finally:
        db.close()
    v2 = export(commune, "2025", tmp_path / "out")
    assert v2.name.endswith("_v2.zip")
    assert _import(capsys, district, v2)[0] == 0
    assert _figures(district, capsys) != figures_v1

    d = str(district)
    code, _, err = cli(capsys, "--data-dir", d, "withdraw", "--unit", A, "--period", "2025",
                       "--version", "1", "--reason", "nhầm")
    assert code == 1 and "thay thế" in err, "only the version in use can be withdrawn"
    code, out, _ = cli(capsys, "--data-dir", d, "withdraw", "--unit", A, "--period", "2025",
                       "--version", "2", "--reason", "Gói giả mạo", "--json")
    assert code == 0
    assert json.loads(out) == {"unit": A, "period": "2025", "withdrawn_version": 2,
                               "restored_version": 1}
    assert _figures(district, capsys) == figures_v1
    code, out, _ = cli(capsys, "--data-dir", d, "submissions", "--period", "2025", "--json")
    (row,) = [r for r in json.loads(out)["units"] if r["code"] == A]
    assert (row["status"], row["version"]) == ("accepted", 1)

    # The withdrawn version is never accepted again, neither the file nor its number.
    code, _, err = _import(capsys, district, v2)
    assert code == 1 and "đã bị rút" in err
    # A later version is; one that skips a number comes with a warning (exit 0).
    export(commune, "2025", tmp_path / "out")
    v4 = export(commune, "2025", tmp_path / "out")
    code, out, _ = _import(capsys, district, "--json", v4)
    assert code == 0
    (pkg,) = json.loads(out)["packages"]
    assert pkg["outcome"] == "supersedes" and pkg["superseded_version"] == 1
    assert pkg["warnings"] and "quá một bậc" in pkg["warnings"][0]

    # Withdrawing v4 brings v1 back again; each withdrawal is logged with its reason.
    code, out, _ = cli(capsys, "--data-dir", d, "withdraw", "--unit", A, "--period", "2025",
                       "--version", "4", "--reason", "Đơn vị đề nghị rút")
    assert code == 0 and "phiên bản 1 được dùng lại" in out
    assert _figures(district, capsys) == figures_v1
    db = Database.open(DataDir(district))
    try:
        with db.session() as session:
            reasons = list(session.scalars(select(AuditEntry.reason).where(
                AuditEntry.action == "withdraw").order_by(AuditEntry.id)))
    finally:
        db.close()
    assert reasons == ["Gói giả mạo", "Đơn vị đề nghị rút"]
