"""Seal the personal part of a package (names, phones, ID numbers) to the receiving unit's key.

Hybrid encryption, as ODK's encrypted forms do: a random 256-bit content key encrypts the
personal JSON with AES-256-GCM; the content key is wrapped with AES-GCM under a key derived
(HKDF-SHA256) from an X25519 agreement between a fresh ephemeral key and the recipient's public
key. Only the holder of the recipient's private key can open it; everything else in the package
stays readable, so consolidation never needs the key.

The envelope (`personal.enc`) is a small UTF-8 JSON object, versioned, with base64 fields; the
header fields are bound to the ciphertext as associated data so none can be swapped.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from htx_desktop.errors import Refusal
from htx_desktop.i18n import t

ALGORITHM = "X25519-HKDF-SHA256+AES-256-GCM"
ENVELOPE_FORMAT = "htx-personal-enc"
ENVELOPE_VERSION = 1
MIN_PASSPHRASE = 8
_WRAP_INFO = b"htx-desktop personal.enc v1 content-key wrap"
_RAW = serialization.Encoding.Raw, serialization.PublicFormat.Raw


class CryptoError(Refusal):
    """A key or a sealed file that cannot be used; `user_message` is Vietnamese."""


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")


def _unb64(text: Any) -> bytes:
    if not isinstance(text, str):
        raise ValueError("not base64 text")
    return base64.b64decode(text.encode("ascii"), validate=True)


def passphrase_bytes(passphrase: str | bytes) -> bytes:
    """The passphrase as the key derivation takes it."""
    return _passphrase_bytes(passphrase)


def _passphrase_bytes(passphrase: str | bytes) -> bytes:
    raw = passphrase.encode("utf-8") if isinstance(passphrase, str) else bytes(passphrase)
    return raw.strip(b"\r\n")  # a passphrase file usually ends with a newline


def generate_keypair(passphrase: str | bytes) -> tuple[bytes, bytes]:
    """(public PEM, private PEM encrypted with the passphrase) of a new X25519 key pair."""
    secret = _passphrase_bytes(passphrase)
    if len(secret) < MIN_PASSPHRASE:
        raise CryptoError(t("Mật khẩu bảo vệ khoá phải có ít nhất {n} ký tự.", n=MIN_PASSPHRASE))
    from htx_desktop.reports.key_protection import encrypt_private_key

    private = X25519PrivateKey.generate()
    private_pem = encrypt_private_key(private, secret)  # scrypt, not PBKDF2 × 2,048
    public_pem = private.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    return public_pem, private_pem


def load_public_key(pem: bytes) -> X25519PublicKey:
    """The recipient's public key from its PEM file; CryptoError if it is not one."""
    try:
        key = serialization.load_pem_public_key(pem)
    except (ValueError, TypeError) as exc:
        raise CryptoError(t("Tệp khoá công khai không hợp lệ: hãy dùng tệp …-public.pem do "
                            "đơn vị cấp trên gửi.")) from exc
    if not isinstance(key, X25519PublicKey):
        raise CryptoError(t("Tệp khoá công khai không phải loại khoá HTX Desktop dùng "
                            "(X25519): hãy xin lại tệp …-public.pem của đơn vị nhận."))
    return key


def load_private_key(pem: bytes, passphrase: str | bytes) -> X25519PrivateKey:
    """The private key from its encrypted PEM; CryptoError for a wrong passphrase or file."""
    try:
        key = serialization.load_pem_private_key(pem, password=_passphrase_bytes(passphrase))
    except TypeError as exc:  # an unencrypted file given a passphrase, or the reverse
        raise CryptoError(t("Tệp khoá bí mật không đúng dạng HTX Desktop tạo ra "
                            "(phải được bảo vệ bằng mật khẩu).")) from exc
    except ValueError as exc:
        raise CryptoError(t("Không mở được khoá bí mật: sai mật khẩu hoặc tệp khoá bị "
                            "hỏng.")) from exc
    if not isinstance(key, X25519PrivateKey):
        raise CryptoError(t("Tệp khoá bí mật không phải loại khoá HTX Desktop dùng (X25519)."))
    return key


def fingerprint(key: X25519PublicKey | X25519PrivateKey | bytes) -> str:
    """SHA-256 of the raw public key, hex: what the manifest names and the sheet prints."""
    if isinstance(key, bytes):
        key = load_public_key(key)
    if isinstance(key, X25519PrivateKey):
        key = key.public_key()
    return hashlib.sha256(key.public_bytes(*_RAW)).hexdigest()


def _kek(shared: bytes, ephemeral_raw: bytes, recipient_raw: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=ephemeral_raw + recipient_raw,
                info=_WRAP_INFO).derive(shared)


def _header_aad(header: dict[str, Any]) -> bytes:
    return json.dumps(header, sort_keys=True, separators=(",", ":")).encode("utf-8")


def seal(plaintext: bytes, public_key: X25519PublicKey | bytes) -> bytes:
    """The envelope of `plaintext`, openable only with the matching private key."""
    recipient = load_public_key(public_key) if isinstance(public_key, bytes) else public_key
    recipient_raw = recipient.public_bytes(*_RAW)
    ephemeral = X25519PrivateKey.generate()
    ephemeral_raw = ephemeral.public_key().public_bytes(*_RAW)
    content_key = AESGCM.generate_key(bit_length=256)
    header = {"format": ENVELOPE_FORMAT, "version": ENVELOPE_VERSION, "algorithm": ALGORITHM,
              "recipient_fingerprint": fingerprint(recipient),
              "ephemeral_public": _b64(ephemeral_raw)}
    aad = _header_aad(header)
    wrap_nonce, nonce = os.urandom(12), os.urandom(12)
    kek = _kek(ephemeral.exchange(recipient), ephemeral_raw, recipient_raw)
    envelope = {**header, "wrap_nonce": _b64(wrap_nonce),
                "wrapped_key": _b64(AESGCM(kek).encrypt(wrap_nonce, content_key, aad)),
                "nonce": _b64(nonce),
                "ciphertext": _b64(AESGCM(content_key).encrypt(nonce, plaintext, aad))}
    return json.dumps(envelope, sort_keys=True, indent=1).encode("utf-8") + b"\n"


def _parse(blob: bytes) -> dict[str, Any]:
    try:
        envelope = json.loads(blob.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise CryptoError(t("Tệp personal.enc bị hỏng: không đọc được.")) from exc
    if not isinstance(envelope, dict) or envelope.get("format") != ENVELOPE_FORMAT:
        raise CryptoError(t("Tệp personal.enc không đúng định dạng của HTX Desktop."))
    if envelope.get("version") != ENVELOPE_VERSION or envelope.get("algorithm") != ALGORITHM:
        raise CryptoError(t("Tệp personal.enc được tạo bằng phiên bản mới hơn của chương "
                            "trình: hãy cập nhật HTX Desktop."))
    return envelope


def sealed_fingerprint(blob: bytes) -> str:
    """The fingerprint of the key `blob` was sealed to."""
    return str(_parse(blob).get("recipient_fingerprint", ""))


def open_sealed(blob: bytes, private_key: X25519PrivateKey) -> bytes:
    """The plaintext of an envelope; CryptoError if this key is not the recipient's."""
    envelope = _parse(blob)
    mine = fingerprint(private_key)
    if envelope.get("recipient_fingerprint") != mine:
        raise CryptoError(t(
            "Khoá bí mật này không mở được danh sách họ tên: gói được khoá cho khoá có dấu "
            "vân tay {expected}, còn khoá đã chọn có dấu vân tay {actual}. Hãy dùng đúng khoá "
            "bí mật của đơn vị nhận.",
            expected=str(envelope.get("recipient_fingerprint"))[:16], actual=mine[:16]))
    header = {k: envelope.get(k) for k in ("format", "version", "algorithm",
                                            "recipient_fingerprint", "ephemeral_public")}
    aad = _header_aad(header)
    try:
        ephemeral_raw = _unb64(envelope["ephemeral_public"])
        ephemeral = X25519PublicKey.from_public_bytes(ephemeral_raw)
        recipient_raw = private_key.public_key().public_bytes(*_RAW)
        kek = _kek(private_key.exchange(ephemeral), ephemeral_raw, recipient_raw)
        content_key = AESGCM(kek).decrypt(_unb64(envelope["wrap_nonce"]),
                                          _unb64(envelope["wrapped_key"]), aad)
        return AESGCM(content_key).decrypt(_unb64(envelope["nonce"]),
                                           _unb64(envelope["ciphertext"]), aad)
    except (InvalidTag, KeyError, ValueError) as exc:
        raise CryptoError(t("Tệp personal.enc đã bị sửa đổi hoặc bị hỏng, hoặc khoá bí mật "
                            "không đúng: không mở được danh sách họ tên.")) from exc


def open_personal(blob: bytes, private_pem: bytes, passphrase: str | bytes
                  ) -> dict[str, dict[str, str | None]]:
    """The people of a package's `personal.enc`: {pseudonymous id: {full_name, phone,
    id_number}} (for `import --private-key`). CryptoError for a wrong key or passphrase."""
    return open_personal_with(blob, load_private_key(private_pem, passphrase))


def open_personal_with(blob: bytes, private_key: X25519PrivateKey
                       ) -> dict[str, dict[str, str | None]]:
    """`open_personal` with a key already opened (an import of many packages derives the key
    from the passphrase once)."""
    plain = open_sealed(blob, private_key)
    try:
        body = json.loads(plain.decode("utf-8"))
        people = body["people"]
        if body.get("format") != "htx-personal" or not isinstance(people, dict):
            raise ValueError("not a personal part")
    except (UnicodeDecodeError, ValueError, KeyError, TypeError) as exc:
        raise CryptoError(t("Tệp personal.enc bị hỏng: không đọc được.")) from exc
    return {str(k): {f: (v.get(f) if isinstance(v.get(f), str) else None)
                     for f in ("full_name", "phone", "id_number")}
            for k, v in people.items() if isinstance(v, dict)}
