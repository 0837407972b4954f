"""receiving/crypto.py: sealing the personal part to a recipient's X25519 key."""

from __future__ import annotations

import json

import pytest
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from htx_desktop.receiving.crypto import (
    ALGORITHM,
    CryptoError,
    fingerprint,
    generate_keypair,
    load_private_key,
    load_public_key,
    open_sealed,
    seal,
    sealed_fingerprint,
)

PASS = "một mật khẩu dài"
SECRET = json.dumps({"people": {"p1": {"full_name": "Nguyễn Thị Hoa"}}},
                    ensure_ascii=False).encode("utf-8")


@pytest.fixture(scope="module")
def keys() -> tuple[bytes, bytes]:
    return generate_keypair(PASS)


def test_round_trip_with_the_right_key(keys: tuple[bytes, bytes]) -> None:
    public_pem, private_pem = keys
    assert b"ENCRYPTED PRIVATE KEY" in private_pem  # never stored in clear
    blob = seal(SECRET, load_public_key(public_pem))
    assert "Nguyễn".encode() not in blob and b"full_name" not in blob
    envelope = json.loads(blob)
    assert envelope["algorithm"] == ALGORITHM
    assert sealed_fingerprint(blob) == fingerprint(public_pem)
    private = load_private_key(private_pem, PASS)
    assert open_sealed(blob, private) == SECRET
    # Two seals of the same text differ (fresh content key, nonce and ephemeral key).
    assert seal(SECRET, public_pem) != blob


def test_fingerprint_is_sha256_of_the_raw_public_key(keys: tuple[bytes, bytes]) -> None:
    public_pem, private_pem = keys
    fp = fingerprint(public_pem)
    assert len(fp) == 64 and int(fp, 16) >= 0
    assert fingerprint(load_private_key(private_pem, PASS)) == fp


def test_wrong_key_is_refused_in_vietnamese(keys: tuple[bytes, bytes]) -> None:
    blob = seal(SECRET, keys[0])
    with pytest.raises(CryptoError, match="Khoá bí mật này không mở được"):
        open_sealed(blob, X25519PrivateKey.generate())


def test_wrong_passphrase_and_short_passphrase_are_refused(keys: tuple[bytes, bytes]) -> None:
    with pytest.raises(CryptoError, match="sai mật khẩu"):
        load_private_key(keys[1], "không phải mật khẩu")
    with pytest.raises(CryptoError, match="ít nhất 8 ký tự"):
        generate_keypair("ngắn")
    with pytest.raises(CryptoError, match="khoá công khai không hợp lệ"):
        load_public_key(b"not a key")


@pytest.mark.parametrize("field", ["ciphertext", "wrapped_key", "ephemeral_public", "nonce"])
def test_tampering_is_detected(keys: tuple[bytes, bytes], field: str) -> None:
    import base64

    envelope = json.loads(seal(SECRET, keys[0]))
    raw = bytearray(base64.b64decode(envelope[field]))
    raw[0] ^= 1
    envelope[field] = base64.b64encode(bytes(raw)).decode()
    with pytest.raises(CryptoError):
        open_sealed(json.dumps(envelope).encode(), load_private_key(keys[1], PASS))


@pytest.mark.parametrize("blob", [b"", b"\xff\xfe", b"[]", b'{"format": "x"}',
                                  b'{"format": "htx-personal-enc", "version": 9}'])
def test_garbage_envelopes_are_refused(keys: tuple[bytes, bytes], blob: bytes) -> None:
    with pytest.raises(CryptoError):
        open_sealed(blob, load_private_key(keys[1], PASS))
