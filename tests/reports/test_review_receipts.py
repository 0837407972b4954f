"""Issue 21, the way back down: the province returns commune A's 2025 v1 with comments → a
signed receipt → the commune imports it (comments shown, the period open again) → v2 → the
province accepts it → receipt → the commune shows accepted and the period locked. Receipts with
a wrong signature, for a package this PC never made, or signed by another key claiming to be
the level above are refused with nothing changed and their comments unseen."""

from __future__ import annotations

import json
import zipfile
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from htx_desktop.cli import run
from htx_desktop.receiving.receipts import sign_receipt
from htx_desktop.reports.signing import UnitKey
from htx_desktop.store.engine import Database
from htx_desktop.store.locks import LockedRecordError
from htx_desktop.store.models import AuditEntry, Event
from htx_desktop.store.paths import DataDir
from htx_desktop.store.service import RecordService
from tests.reports.exchange_helpers import export, file_dump, folder_key, make_folder

COMMENT = "Đề nghị rà soát lại số lao động nữ của HTX trước khi gửi lại."
CT3_NOTE = "CT3: số lao động nữ là 18, không phải 81"


def cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = run(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def js(capsys: pytest.CaptureFixture[str], *argv: str) -> Any:
    code, out, err = cli(capsys, *argv, "--json")
    assert code == 0, err
    return json.loads(out)


def first_coop(package: Path) -> dict[str, Any]:
    with zipfile.ZipFile(package) as zf:
        data = json.loads(zf.read("data.json"))
    coop: dict[str, Any] = sorted(data["cooperatives"], key=lambda c: c["id"])[0]
    return coop


def an_event_2025(folder: Path) -> str:
    db = Database.open(DataDir(folder))
    try:
        with db.session() as s:
            found = s.scalars(select(Event.id).where(
                Event.start >= date(2025, 1, 1), Event.start <= date(2025, 12, 31),
                Event.submission_id.is_(None), Event.deleted_at.is_(None))).first()
            assert found is not None
            return str(found)
    finally:
        db.engine.dispose()


def change_event(folder: Path, event_id: str, reason: str | None = None) -> None:
    """Raise the event's attendance by one (LockedRecordError if its period is locked)."""
    db = Database.open(DataDir(folder))
    try:
        with db.session() as s:
            service = RecordService(s, "Lê Thị Thu")
            obj = service.get("event", event_id)
            service.update("event", event_id, {"count_total": obj.count_total + 1},
                           reason=reason)
    finally:
        db.engine.dispose()


@pytest.fixture(scope="module")
def two(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("review")
    return {"root": root, "commune": make_folder(root, "05443", seed=7),
            "province": make_folder(root, "19")}


def test_return_resend_accept(two: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    root, commune, province = two["root"], str(two["commune"]), str(two["province"])
    v1 = export(two["commune"], "2025", root / "out")
    coop = first_coop(v1)
    event_id = an_event_2025(two["commune"])
    with pytest.raises(LockedRecordError):  # exported: locked
        change_event(two["commune"], event_id)

    code, _, err = cli(capsys, "--data-dir", province, "import", "--accept-new-key", str(v1))
    assert code == 0, err
    units = {u["code"]: u for u in js(capsys, "--data-dir", province, "submissions",
                                      "--period", "2025")["units"]}
    assert units["05443"]["status"] == "accepted" and units["05443"]["review"] == "received"

    # The province returns v1 with a general comment, one on CT3 and one on a cooperative.
    code, out, err = cli(capsys, "--data-dir", province, "review", "--unit", "05443",
                         "--period", "2025", "--return", "--comment", COMMENT,
                         "--note", "CT3", CT3_NOTE, "--note", coop["id"], "Sai mã số thuế")
    assert code == 0, err
    assert "Đã trả lại" in out and "không ghi họ tên" in out
    assert f"{coop['name']}: Sai mã số thuế" in out
    units = {u["code"]: u for u in js(capsys, "--data-dir", province, "submissions",
                                      "--period", "2025")["units"]}
    assert units["05443"]["status"] == "accepted", "the import's status keeps its meaning"
    assert units["05443"]["review"] == "returned"
    # The completeness view (issue 21 point 4): returned and not yet resent.
    assert units["05443"]["awaiting_resend"] is True
    with Database.open(DataDir(two["province"])).session() as s:
        entry = s.scalars(select(AuditEntry).where(
            AuditEntry.action == "review_returned")).one()
        assert entry.officer == "Lê Thị Thu" and entry.reason == COMMENT and entry.at

    written = js(capsys, "--data-dir", province, "receipts", "--out", str(root / "bn1"))
    (receipt,) = written["receipts"]
    path = Path(receipt["file"])
    assert path.name == "BN-05443_2025_v1.json" and path.stat().st_size < 8000
    body = json.loads(path.read_text(encoding="utf-8"))
    assert body["decision"] == "returned" and body["package"]["version"] == 1
    assert body["decided_by"] == "Lê Thị Thu" and body["signature"]
    assert js(capsys, "--data-dir", province, "receipts", "--out",
              str(root / "bn1"))["receipts"] == [], "written once"

    # The commune: refused without confirming the level above's key, then taken in.
    before = file_dump(two["commune"])
    code, _, err = cli(capsys, "--data-dir", commune, "import", str(path))
    assert code == 1 and "lần đầu nhận biên nhận" in err and COMMENT not in err
    assert file_dump(two["commune"]) == before
    code, out, err = cli(capsys, "--data-dir", commune, "import", "--accept-new-key", str(path))
    assert code == 0, err
    assert "TRẢ LẠI" in out and COMMENT in out and CT3_NOTE in out
    assert f"{coop['name']}: Sai mã số thuế" in out
    (sent,) = js(capsys, "--data-dir", commune, "sent")["packages"]
    assert sent["state"] == "returned" and sent["version"] == 1
    assert sent["decided_by"] == "Lê Thị Thu" and sent["decided_at"]
    assert sent["file"] == v1.name
    texts = {(c["target"], c["ref"]): c for c in sent["comments"]}
    assert texts[("general", None)]["text"] == COMMENT
    assert texts[("indicator", "CT3")]["text"] == CT3_NOTE
    assert texts[("record", coop["id"])]["label"] == coop["name"]

    change_event(two["commune"], event_id)  # open again: no reason asked
    v2 = export(two["commune"], "2025", root / "out")
    (latest, _) = js(capsys, "--data-dir", commune, "sent")["packages"]
    assert latest["version"] == 2 and latest["state"] == "sent"
    with pytest.raises(LockedRecordError):  # v2 sent: locked again
        change_event(two["commune"], event_id)

    code, out, err = cli(capsys, "--data-dir", province, "import", str(v2))
    assert code == 0 and "thay thế phiên bản 1" in out, err
    units = {u["code"]: u for u in js(capsys, "--data-dir", province, "submissions",
                                      "--period", "2025")["units"]}
    assert units["05443"]["version"] == 2 and units["05443"]["review"] == "received"
    assert units["05443"]["awaiting_resend"] is False  # resent
    code, out, err = cli(capsys, "--data-dir", province, "review", "--unit", "05443",
                         "--period", "2025", "--version", "2", "--accept")
    assert code == 0 and "Đã chấp nhận" in out, err
    (receipt,) = js(capsys, "--data-dir", province, "receipts", "--out",
                    str(root / "bn2"))["receipts"]
    assert Path(receipt["file"]).name == "BN-05443_2025_v2.json"

    code, out, err = cli(capsys, "--data-dir", commune, "import", receipt["file"])
    assert code == 0 and "CHẤP NHẬN" in out, err  # the key is known now
    sent2, sent1 = js(capsys, "--data-dir", commune, "sent")["packages"]
    assert (sent2["version"], sent2["state"], sent2["comments"]) == (2, "accepted", [])
    assert sent2["decided_by"] == "Lê Thị Thu"
    assert sent1["state"] == "returned"
    with pytest.raises(LockedRecordError):  # accepted: stays locked
        change_event(two["commune"], event_id)

    # Accepting locks the figures: v3 does not replace v2 unless the officer says so.
    change_event(two["commune"], event_id, reason="Sửa số người tham dự theo danh sách")
    v3 = export(two["commune"], "2025", root / "out")
    before = file_dump(two["province"])
    code, _, err = cli(capsys, "--data-dir", province, "import", str(v3))
    assert code == 1 and "đã được CHẤP NHẬN" in err and "--replace-accepted" in err
    code, out, err = cli(capsys, "--data-dir", province, "import", "--replace-accepted",
                         str(v3))
    assert code == 0 and "thay thế phiên bản 2" in out, err
    assert "Thay thế phiên bản đã được chấp nhận" in out
    units = {u["code"]: u for u in js(capsys, "--data-dir", province, "submissions",
                                      "--period", "2025")["units"]}
    assert units["05443"]["version"] == 3 and units["05443"]["review"] == "received"
    assert before != file_dump(two["province"])


def _receipt_for(two: dict[str, Path], capsys: pytest.CaptureFixture[str],
                 name: str) -> Path:
    """A fresh returned receipt from the province for a new commune export."""
    root, province = two["root"], str(two["province"])
    package = export(two["commune"], "2024", root / name)
    assert cli(capsys, "--data-dir", province, "import", "--accept-new-key",
               str(package))[0] == 0
    assert cli(capsys, "--data-dir", province, "review", "--unit", "05443", "--period",
               "2024", "--return", "--comment", COMMENT)[0] == 0
    written = js(capsys, "--data-dir", province, "receipts", "--out", str(root / name))
    (receipt,) = [r for r in written["receipts"] if r["period"] == "2024"]
    return Path(receipt["file"])


def _refused(two: dict[str, Path], capsys: pytest.CaptureFixture[str], path: Path,
             words: str) -> None:
    commune = str(two["commune"])
    before = file_dump(two["commune"])
    code, out, err = cli(capsys, "--data-dir", commune, "import", "--accept-new-key",
                         str(path))
    assert code == 1 and words in err and path.name in err
    assert COMMENT not in out + err, "a refused receipt's comments are never shown"
    assert file_dump(two["commune"]) == before
    result = js_code(capsys, "--data-dir", commune, "import", "--accept-new-key", str(path))
    (r,) = result["receipts"]
    assert r["outcome"] == "refused" and r["comments"] == [] and r["decision"] is None


def js_code(capsys: pytest.CaptureFixture[str], *argv: str) -> Any:
    _code, out, _err = cli(capsys, *argv, "--json")
    return json.loads(out)


def test_refused_receipts(two: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    good = _receipt_for(two, capsys, "refusals")
    body = json.loads(good.read_text(encoding="utf-8"))

    tampered = good.with_name("BN-05443_2024_v9.json")
    changed = dict(body, comments=[{"target": "general", "ref": None, "kind": None,
                                    "text": COMMENT + " (đã sửa)"}])
    tampered.write_text(json.dumps(changed, ensure_ascii=False), encoding="utf-8")
    _refused(two, capsys, tampered, "chữ ký của biên nhận không khớp")

    province_key = folder_key(two["province"])
    unknown = good.with_name("BN-05443_2024_v8.json")
    other_package = dict(body, package=dict(body["package"], sha256="ab" * 32))
    unknown.write_text(json.dumps(sign_receipt(other_package, province_key),
                                  ensure_ascii=False), encoding="utf-8")
    # The level above's key is learnt by then (the first test, or the line below).
    _refused(two, capsys, unknown, "chưa từng xuất gói")

    forged = good.with_name("BN-05443_2024_v7.json")
    forged.write_text(json.dumps(sign_receipt(body, UnitKey.generate()), ensure_ascii=False),
                      encoding="utf-8")
    _refused(two, capsys, forged, "không phải khoá đã biết của cấp trên")

    not_json = good.with_name("BN-05443_2024_v6.json")
    not_json.write_bytes(b"PK\x03\x04 not a receipt")
    _refused(two, capsys, not_json, "không phải biên nhận")

    # The genuine one is taken in, and again changes nothing.
    code, out, _ = cli(capsys, "--data-dir", str(two["commune"]), "import", str(good))
    assert code == 0 and COMMENT in out
    before = file_dump(two["commune"])
    code, out, _ = cli(capsys, "--data-dir", str(two["commune"]), "import", str(good))
    assert code == 0 and "trước đây" in out
    assert file_dump(two["commune"]) == before


def test_review_refusals_and_warnings(two: dict[str, Path],
                                      capsys: pytest.CaptureFixture[str]) -> None:
    province = str(two["province"])
    code, _, err = cli(capsys, "--data-dir", province, "review", "--unit", "05443",
                       "--period", "2023", "--accept")
    assert code == 1 and "Chưa nhận gói nào" in err
    before = file_dump(two["province"])
    code, _, err = cli(capsys, "--data-dir", province, "review", "--unit", "05443",
                       "--period", "2025", "--return")
    assert code == 1 and "cần có ý kiến" in err
    code, _, err = cli(capsys, "--data-dir", province, "review", "--unit", "05443",
                       "--period", "2025", "--return", "--note", "CT12", "sai")
    assert code == 1 and "không phải chỉ tiêu" in err
    assert file_dump(two["province"]) == before
    code, _, err = cli(capsys, "--data-dir", province, "review", "--unit", "05443",
                       "--period", "2025", "--return", "--comment",
                       "Gọi chị Hoa số 0912 345 678, CCCD 001234567890 để hỏi")
    assert code == 0
    assert "số điện thoại" in err and "CMND/CCCD" in err


def test_review_states(two: dict[str, Path]) -> None:
    """The pure read the completeness view uses (TEAM-NOTES): the review of each unit's
    submission in use; a unit without one is absent."""
    from htx_desktop.store.review import RETURNED, review_states

    db = Database.open(DataDir(two["province"]))
    try:
        with db.session() as s:
            states = review_states(s, "2025")
            assert set(states) == {"05443"}
            state = states["05443"]
            assert (state.version, state.review) == (3, RETURNED)
            assert state.returned_not_resent and state.decided_by == "Lê Thị Thu"
            assert not state.receipt_written
            assert review_states(s, "2023") == {}
    finally:
        db.engine.dispose()


def test_a_receipt_in_vietnam_time_taken_twice(two: dict[str, Path],
                                               capsys: pytest.CaptureFixture[str]) -> None:
    """A decision timed +07:00 (a PC in Vietnam) is kept as the same instant: taken again, it
    changes nothing (it once read back seven hours later, as a newer decision)."""
    good = _receipt_for(two, capsys, "vietnam-time")
    body = json.loads(good.read_text(encoding="utf-8"))
    later = good.with_name("BN-05443_2024_v5.json")
    body = dict(body, decided_at="2099-01-01T10:00:00+07:00")
    later.write_text(json.dumps(sign_receipt(body, folder_key(two["province"])),
                                ensure_ascii=False), encoding="utf-8")
    commune = str(two["commune"])
    code, out, err = cli(capsys, "--data-dir", commune, "import", str(later))
    assert code == 0 and COMMENT in out, err
    before = file_dump(two["commune"])
    code, out, err = cli(capsys, "--data-dir", commune, "import", str(later))
    assert code == 0 and "trước đây" in out, err
    assert file_dump(two["commune"]) == before
    (sent,) = [p for p in js(capsys, "--data-dir", commune, "sent")["packages"]
               if p["period"] == "2024" and p["version"] == body["package"]["version"]]
    from datetime import datetime

    assert datetime.fromisoformat(sent["decided_at"]) == datetime.fromisoformat(
        "2099-01-01T10:00:00+07:00")
