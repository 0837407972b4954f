"""`import --private-key`: a commune's package with names sealed to the province's key is
consolidated without the key (names stay "(ẩn danh)"), opens its names with the key, and a
wrong key or passphrase refuses the names only — clearly, never half, figures still in."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from htx_desktop.cli import run
from htx_desktop.receiving.crypto import seal
from htx_desktop.receiving.importer_rows import PSEUDONYM
from htx_desktop.store.engine import Database
from htx_desktop.store.models import Person, Submission
from htx_desktop.store.paths import DataDir
from tests.reports.exchange_helpers import (
    entries,
    file_dump,
    remember_key,
    rewrite,
    write_zip,
)
from tests.ui.conftest import answer_next_box

PASS = "Hoi-LHPN-tinh-2026"
COMMUNE = "05443"  # a commune of Thái Nguyên (19)
ADDITIVE = ("CT1", "CT2", "CT3", "CT4", "CT6", "CT7")


def _people(folder: Path) -> dict[str, Person]:
    db = Database.open(DataDir(folder))
    try:
        with db.session() as session:
            return {p.id: p for p in session.scalars(select(Person))}
    finally:
        db.close()


def _submissions(folder: Path) -> list[tuple[str, str]]:
    db = Database.open(DataDir(folder))
    try:
        with db.session() as session:
            return [(s.period, s.status) for s in session.scalars(select(Submission))]
    finally:
        db.close()


def _additive(folder: Path, capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    capsys.readouterr()
    assert run(["--data-dir", str(folder), "indicators", "--period", "2025", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)["indicators"]
    return {r["code"]: r["value"] for r in rows if r["code"] in ADDITIVE}


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A province with its key pair (keygen with a passphrase file), an empty copy of it to
    import into, and a commune's package sealed to the province's public key."""
    root = tmp_path_factory.mktemp("names")
    province = root / "province"
    assert run(["--data-dir", str(province), "init", "--unit", "19"]) == 0
    secret = root / "pass.txt"
    secret.write_text(PASS + "\n", encoding="utf-8")
    assert run(["--data-dir", str(province), "keygen", "--out", str(root / "keys"),
                "--passphrase-file", str(secret)]) == 0
    commune = root / "commune"
    assert run(["--data-dir", str(commune), "init", "--unit", COMMUNE]) == 0
    assert run(["--data-dir", str(commune), "demo", "--seed", "4", "--scale", "0.2"]) == 0
    remember_key(commune)  # hostile variants are signed again with the commune's own key
    # The commune's own key pair: a unit's key that is not the package's recipient.
    assert run(["--data-dir", str(commune), "keygen", "--out", str(root / "other"),
                "--passphrase-file", str(secret)]) == 0
    out = root / "out"
    assert run(["--data-dir", str(commune), "export", "--period", "2025", "--out", str(out),
                "--include-names", "--recipient-key",
                str(root / "keys" / "19-public.pem")]) == 0
    (package,) = out.glob("*.zip")
    wrong = root / "wrong.txt"
    wrong.write_text("not-the-passphrase\n", encoding="utf-8")
    return {"root": root, "province": province, "commune": commune, "package": package,
            "private": root / "keys" / "19-private.pem", "public": root / "keys" / "19-public.pem",
            "pass": secret, "wrong_pass": wrong,
            "other_private": root / "other" / f"{COMMUNE}-private.pem"}


def _fresh_province(world: dict[str, Path], tmp_path: Path) -> Path:
    """A copy of the province before any import (the data folder only, keys stay apart)."""
    folder = tmp_path / "province"
    shutil.copytree(world["province"], folder)
    return folder


def _import(folder: Path, package: Path, *extra: str) -> int:
    return run(["--data-dir", str(folder), "import", "--accept-new-key", str(package), *extra])


def _received(folder: Path, package: Path) -> dict[str, Person]:
    ids = {row["id"] for row in json.loads(entries(package)["data.json"])["people"]}
    found = {k: v for k, v in _people(folder).items() if k in ids}
    assert set(found) == ids
    return found


def test_without_the_key_figures_consolidate_and_names_stay_hidden(
        world: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    province = _fresh_province(world, tmp_path)
    capsys.readouterr()
    assert _import(province, world["package"], "--json") == 0
    (outcome,) = json.loads(capsys.readouterr().out)["packages"]
    assert outcome["outcome"] == "accepted"
    assert outcome["names"] == {"status": "encrypted", "reason": None, "opened": 0}
    people = _received(province, world["package"])
    assert people and all(p.full_name == PSEUDONYM and p.phone is None
                          and p.id_number is None for p in people.values())
    assert _additive(province, capsys) == _additive(world["commune"], capsys)
    # Said in plain words too.
    fresh = _fresh_province(world, tmp_path / "again")
    assert _import(fresh, world["package"]) == 0
    assert "chưa mở vì không có khoá bí mật" in capsys.readouterr().out


def test_with_the_key_names_phones_and_id_numbers_are_the_communes(
        world: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    province = _fresh_province(world, tmp_path)
    capsys.readouterr()
    assert _import(province, world["package"], "--private-key", str(world["private"]),
                   "--passphrase-file", str(world["pass"])) == 0
    assert "Đã mở họ tên" in capsys.readouterr().out
    received = _received(province, world["package"])
    source = _people(world["commune"])
    assert any(source[k].phone for k in received), "the demo gives some people a phone"
    for pid, person in received.items():
        mine = source[pid]
        assert (person.full_name, person.phone, person.id_number, person.name_key) == (
            mine.full_name, mine.phone, mine.id_number, mine.name_key)
    assert _additive(province, capsys) == _additive(world["commune"], capsys)


def test_wrong_passphrase_refuses_names_only_and_the_key_opens_them_later(
        world: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    province = _fresh_province(world, tmp_path)
    capsys.readouterr()
    assert _import(province, world["package"], "--private-key", str(world["private"]),
                   "--passphrase-file", str(world["wrong_pass"])) == 1
    err = capsys.readouterr()
    text = err.out + err.err
    assert "sai mật khẩu" in text and "Số liệu vẫn được nhận" in text
    assert "Traceback" not in text
    assert _submissions(province) == [("2025", "accepted")]
    assert all(p.full_name == PSEUDONYM for p in _received(province, world["package"]).values())
    assert _additive(province, capsys) == _additive(world["commune"], capsys)
    # The same package again, with the right passphrase: figures untouched, names opened.
    capsys.readouterr()
    assert _import(province, world["package"], "--private-key", str(world["private"]),
                   "--passphrase-file", str(world["pass"]), "--json") == 0
    (outcome,) = json.loads(capsys.readouterr().out)["packages"]
    assert outcome["outcome"] == "already_imported" and outcome["names"]["status"] == "opened"
    source = _people(world["commune"])
    received = _received(province, world["package"])
    assert outcome["names"]["opened"] == len(received)
    assert {k: p.full_name for k, p in received.items()} == {
        k: source[k].full_name for k in received}
    assert _submissions(province) == [("2025", "accepted")]


def test_a_key_that_is_not_the_recipients_names_the_fingerprint_mismatch(
        world: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    province = _fresh_province(world, tmp_path)
    manifest = json.loads(entries(world["package"])["manifest.json"])
    expected = manifest["encryption"]["recipient_fingerprint"]
    capsys.readouterr()
    assert _import(province, world["package"], "--private-key", str(world["other_private"]),
                   "--passphrase-file", str(world["pass"]), "--json") == 1
    (outcome,) = json.loads(capsys.readouterr().out)["packages"]
    assert outcome["outcome"] == "accepted", "the figures are still received"
    assert outcome["names"]["status"] == "refused"
    reason = outcome["names"]["reason"]
    assert "dấu vân tay" in reason and "không khớp" in reason and expected[:16] in reason
    assert all(p.full_name == PSEUDONYM for p in _received(province, world["package"]).values())
    assert _additive(province, capsys) == _additive(world["commune"], capsys)


def test_names_are_all_or_nothing(world: dict[str, Path], tmp_path: Path,
                                  capsys: pytest.CaptureFixture[str]) -> None:
    """A sealed list (to the right key) with one value that does not fit: no name written,
    not even the good ones."""
    data = json.loads(entries(world["package"])["data.json"])
    ids = sorted(row["id"] for row in data["people"])
    body: dict[str, Any] = {"format": "htx-personal", "version": 1,
            "people": {pid: {"full_name": f"Người {i}", "phone": None, "id_number": None}
                       for i, pid in enumerate(ids)}}
    body["people"][ids[-1]]["phone"] = "0" * 500
    sealed = seal(json.dumps(body, ensure_ascii=False).encode(),
                  world["public"].read_bytes())
    files = entries(world["package"])
    files["personal.enc"] = sealed
    bad = tmp_path / "bad.zip"
    write_zip(tmp_path / "src.zip", files)
    rewrite(tmp_path / "src.zip", bad)
    province = _fresh_province(world, tmp_path)
    capsys.readouterr()
    assert _import(province, bad, "--private-key", str(world["private"]),
                   "--passphrase-file", str(world["pass"]), "--json") == 1
    (outcome,) = json.loads(capsys.readouterr().out)["packages"]
    assert outcome["outcome"] == "accepted" and outcome["names"]["status"] == "refused"
    assert "quá dài" in outcome["names"]["reason"]
    assert all(p.full_name == PSEUDONYM and p.phone is None
               for p in _received(province, bad).values())


def test_dry_run_shows_the_names_and_writes_nothing(
        world: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    province = _fresh_province(world, tmp_path)
    before = file_dump(province)
    capsys.readouterr()
    assert _import(province, world["package"], "--dry-run", "--private-key",
                   str(world["private"]), "--passphrase-file", str(world["pass"]),
                   "--json") == 0
    (outcome,) = json.loads(capsys.readouterr().out)["packages"]
    assert outcome["names"]["status"] == "opened" and outcome["names"]["opened"] > 0
    assert file_dump(province) == before


def test_private_key_needs_a_passphrase_file(world: dict[str, Path], tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    province = _fresh_province(world, tmp_path)
    capsys.readouterr()
    assert _import(province, world["package"], "--private-key", str(world["private"])) == 1
    assert "--passphrase-file" in capsys.readouterr().err
    assert _submissions(province) == []


def _note(page: Any) -> str:
    item = page.preview.item(0, 7)
    return item.text() if item is not None else ""


def test_receive_page_opens_names_with_the_chosen_key(
        qtbot: Any, db: Database, world: dict[str, Path]) -> None:
    from PySide6.QtWidgets import QLineEdit

    from htx_desktop.ui.pages.receive_page import ReceivePage

    page = ReceivePage(db)
    qtbot.addWidget(page)
    assert page.passphrase.echoMode() == QLineEdit.EchoMode.Password
    assert not page.passphrase.isEnabled(), "no key chosen: no passphrase asked"
    page.set_key(world["private"])
    page.passphrase.setText("not-the-passphrase")
    page.add_files([world["package"]])
    qtbot.waitUntil(lambda: page.accept_button.isEnabled(), timeout=15000)
    note = _note(page)
    assert "Không mở được họ tên" in note and "sai mật khẩu" in note
    assert "không mở được" in page.status.text()

    page.passphrase.setText(PASS)
    page.add_files([])  # the same batch, previewed again with the new passphrase
    qtbot.waitUntil(lambda: "Đã mở họ tên" in _note(page), timeout=15000)
    qtbot.waitUntil(lambda: page.accept_button.isEnabled(), timeout=15000)
    assert "cần xác nhận khoá ký mới" in page.preview.item(0, 4).text()
    answer_next_box("Mã khớp, nhận khoá")  # the commune's first package: its key, by phone
    page.accept_button.click()
    qtbot.waitUntil(lambda: page.status.text().startswith("Đã nhận 1 gói"), timeout=15000)
    source = _people(world["commune"])
    with db.session() as session:
        got = {p.id: p.full_name for p in session.scalars(select(Person))
               if p.submission_id is not None}
    assert got and got == {k: source[k].full_name for k in got}
