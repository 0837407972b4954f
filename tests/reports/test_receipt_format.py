"""The receipt's format on its own (issue 21): its schema, its signature context (a package's
signature never passes as a receipt's, nor the reverse), and what a comment must not carry."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from htx_desktop.domain.comment_check import personal_data_warnings
from htx_desktop.receiving.receipts import (
    RECEIPT_CONTEXT,
    ReceiptRefused,
    read_receipt,
    receipt_name,
    sign_receipt,
)
from htx_desktop.reports.signing import (
    MANIFEST_CONTEXT,
    SIGNATURE,
    UnitKey,
    canonical,
    manifest_signer,
    public_from_b64,
    sign_manifest,
    signed_part,
    verify,
)


def body() -> dict[str, Any]:
    return {"format": "htx-receipt", "format_version": "1.0",
            "program": {"name": "htx-desktop", "version": "0.1.0"},
            "package": {"unit_code": "05443", "period": "2025", "version": 1,
                        "sha256": "ab" * 32, "file_name": "BC-DA01_05443_2025_v1.zip"},
            "reviewer": {"code": "19", "name": "Tỉnh Thái Nguyên", "level": "tinh"},
            "decision": "returned",
            "comments": [{"target": "indicator", "ref": "CT3", "kind": None,
                          "text": "18 lao động nữ, không phải 81"}],
            "decided_by": "Lê Thị Thu", "decided_at": "2025-12-20T10:00:00+07:00",
            "issued_at": "2025-12-20T10:05:00+07:00"}


def write(path: Path, obj: dict[str, Any]) -> Path:
    path.write_text(json.dumps(obj, ensure_ascii=False), encoding="utf-8")
    return path


def test_a_signed_receipt_reads_back(tmp_path: Path) -> None:
    key = UnitKey.generate()
    path = write(tmp_path / receipt_name("05443", "2025", 1), sign_receipt(body(), key))
    assert path.name == "BN-05443_2025_v1.json"
    read = read_receipt(path)
    assert read.signer == key.public_raw and read.package["version"] == 1


def test_contexts_do_not_mix() -> None:
    key = UnitKey.generate()
    receipt = sign_receipt(body(), key)
    signed = canonical({k: v for k, v in receipt.items() if k != SIGNATURE})
    signature = public_from_b64(receipt[SIGNATURE])
    assert verify(key.public_raw, RECEIPT_CONTEXT, signed, signature)
    assert not verify(key.public_raw, MANIFEST_CONTEXT, signed, signature)
    manifest = sign_manifest({"format": "htx-report-package", "version": 1}, key)
    m_sig = public_from_b64(manifest[SIGNATURE])
    assert manifest_signer(manifest) == key.public_raw
    assert not verify(key.public_raw, RECEIPT_CONTEXT, signed_part(manifest), m_sig)


@pytest.mark.parametrize(("change", "words"), [
    (lambda b: b.update(decision="maybe"), "định dạng biên nhận"),
    (lambda b: b.update(format_version="2.0"), "phiên bản mới hơn"),
    (lambda b: b.update(format="htx-report-package"), "không phải biên nhận"),
    (lambda b: b["package"].update(sha256="xyz"), "định dạng biên nhận"),
    (lambda b: b.pop("comments"), "định dạng biên nhận"),
])
def test_malformed_receipts_are_refused(tmp_path: Path, change: Any, words: str) -> None:
    b = body()
    change(b)
    path = write(tmp_path / "BN.json", sign_receipt(b, UnitKey.generate()))
    with pytest.raises(ReceiptRefused, match=words):
        read_receipt(path)


def test_big_or_broken_files_are_refused(tmp_path: Path) -> None:
    big = tmp_path / "big.json"
    big.write_bytes(b" " * (600 * 1024))
    with pytest.raises(ReceiptRefused, match="quá lớn"):
        read_receipt(big)
    broken = tmp_path / "broken.json"
    broken.write_bytes(b"{\"format\": ")
    with pytest.raises(ReceiptRefused, match="không đọc được JSON"):
        read_receipt(broken)


@pytest.mark.parametrize("text", [
    "Gọi chị Lan 0912345678", "SĐT 0912 345 678", "liên hệ +84 912 345 678",
    "số 091.234.5678",
])
def test_phone_numbers_warn(text: str) -> None:
    assert any("số điện thoại" in w for w in personal_data_warnings(text))


@pytest.mark.parametrize("text", ["CCCD 001234567890", "CMND 123456789"])
def test_id_numbers_warn(text: str) -> None:
    assert any("CMND/CCCD" in w for w in personal_data_warnings(text))


@pytest.mark.parametrize("text", [
    "CT3: HTX Chè Tân Cương có 18 lao động nữ, không phải 81",
    "Doanh thu 150.000.000 đồng, vốn vay 2.200.000.000", "Năm 2025 có 1200 lượt",
    "Mã số thuế 4600123456",  # ten digits, not starting with 0: a tax code, not a phone
])
def test_figures_do_not_warn(text: str) -> None:
    assert personal_data_warnings(text) == []
