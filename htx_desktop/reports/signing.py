"""Unit signing keys (issue 19): who made a package (and, later, a receipt).

Every unit has one Ed25519 key pair. The private key signs; the public key travels in every
signed package's manifest, and the receiving unit remembers it (store/unit_keys.py), so that a
package made anywhere else — another PC, another program — cannot pass for that unit's.

Qt-free and database-free: bytes in, bytes out. Reusable beyond packages: `UnitKey.sign` and
`verify` take a *context* (what is signed: "manifest", "receipt", …) that is part of the signed
bytes, so a signature made for one purpose is never valid for another.

- Signed manifest: the manifest without its `signature` field, as canonical JSON (keys sorted,
  no spaces, UTF-8, non-ASCII unescaped — Python's `json.dumps(..., sort_keys=True,
  separators=(",", ":"), ensure_ascii=False)`), prefixed with `htx-desktop manifest v1\\n`.
  The manifest names the key in `signer` = {"algorithm": "Ed25519", "public_key": base64 of the
  32 raw bytes}, which is covered by the signature; `signature` is the base64 of the 64 bytes.
- Fingerprint: SHA-256 of the raw public key (hex, what the database keeps); the short code an
  officer reads out on the phone is 24 digits in 6 groups of 4 taken from it
  ("0412 9977 …": digits are the easiest thing to read aloud in Vietnamese).
- Key file (`keys export`): the raw private key sealed with AES-256-GCM under a key derived from
  the passphrase with scrypt; the header (unit, parameters) is bound as associated data.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from htx_desktop.errors import Refusal
from htx_desktop.i18n import t
from htx_desktop.receiving.crypto import _b64, _unb64  # one base64 spelling for key files

ALGORITHM = "Ed25519"
MANIFEST_CONTEXT = "manifest"
SIGNATURE, SIGNER = "signature", "signer"
KEY_FILE_FORMAT = "htx-signing-key"
KEY_FILE_VERSION = 1
MIN_PASSPHRASE = 8
# scrypt: 32 MiB and about a tenth of a second on an office PC, once per export/import of a key.
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2 ** 15, 8, 1
_RAW_PUBLIC = serialization.Encoding.Raw, serialization.PublicFormat.Raw
_RAW_PRIVATE = (serialization.Encoding.Raw, serialization.PrivateFormat.Raw,
                serialization.NoEncryption())


class SigningError(Refusal):
    """A key, key file or signature that cannot be used; `user_message` is Vietnamese."""




def _message(context: str, payload: bytes) -> bytes:
    return f"htx-desktop {context} v1\n".encode("ascii") + payload


def fingerprint(public_raw: bytes) -> str:
    """SHA-256 of the raw public key, hex (64 characters)."""
    return hashlib.sha256(public_raw).hexdigest()


def short_code(fingerprint_hex: str) -> str:
    """The fingerprint as 6 groups of 4 digits, to compare by phone: "0412 9977 3105 …"."""
    number = int(fingerprint_hex[:32], 16) % 10 ** 24
    digits = f"{number:024d}"
    return " ".join(digits[i:i + 4] for i in range(0, 24, 4))


@dataclass(frozen=True)
class UnitKey:
    """A unit's signing key pair (the private half included)."""

    private: Ed25519PrivateKey

    @classmethod
    def generate(cls) -> UnitKey:
        return cls(Ed25519PrivateKey.generate())

    @classmethod
    def from_raw(cls, raw: bytes) -> UnitKey:
        try:
            return cls(Ed25519PrivateKey.from_private_bytes(raw))
        except ValueError as exc:
            raise SigningError(t("Khoá ký của đơn vị bị hỏng (không đúng 32 byte).")) from exc

    @property
    def raw(self) -> bytes:
        """The 32-byte private seed (store it only where its owner alone can read it)."""
        return self.private.private_bytes(*_RAW_PRIVATE)

    @property
    def public_raw(self) -> bytes:
        return self.private.public_key().public_bytes(*_RAW_PUBLIC)

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.public_raw)

    @property
    def short_code(self) -> str:
        return short_code(self.fingerprint)

    def sign(self, context: str, payload: bytes) -> bytes:
        """The 64-byte signature of `payload` for `context` ("manifest", "receipt", …)."""
        return self.private.sign(_message(context, payload))


def verify(public_raw: bytes, context: str, payload: bytes, signature: bytes) -> bool:
    """Whether `signature` is the key's signature of `payload` for `context`."""
    try:
        Ed25519PublicKey.from_public_bytes(public_raw).verify(signature,
                                                              _message(context, payload))
    except (InvalidSignature, ValueError):
        return False
    return True


# ----------------------------------------------------------------- manifests


def canonical(obj: Mapping[str, Any]) -> bytes:
    return json.dumps(obj, sort_keys=True, separators=(",", ":"),
                      ensure_ascii=False).encode("utf-8")


def signed_part(manifest: Mapping[str, Any]) -> bytes:
    """The bytes a manifest's signature covers: the manifest without `signature`."""
    return canonical({k: v for k, v in manifest.items() if k != SIGNATURE})


def sign_manifest(manifest: Mapping[str, Any], key: UnitKey) -> dict[str, Any]:
    """The manifest with `signer` and `signature` added."""
    out = {k: v for k, v in manifest.items() if k != SIGNATURE}
    out[SIGNER] = {"algorithm": ALGORITHM, "public_key": _b64(key.public_raw)}
    out[SIGNATURE] = _b64(key.sign(MANIFEST_CONTEXT, signed_part(out)))
    return out


def manifest_signer(manifest: Mapping[str, Any]) -> bytes | None:
    """The raw public key that signed `manifest`, None if it carries no signature at all;
    SigningError (Vietnamese reason) if the signature is damaged or does not match."""
    if SIGNATURE not in manifest and SIGNER not in manifest:
        return None
    signer = manifest.get(SIGNER)
    if not isinstance(signer, Mapping) or signer.get("algorithm") != ALGORITHM:
        raise SigningError(t("chữ ký của gói dùng loại khoá không được hỗ trợ (chỉ nhận "
                             "Ed25519)."))
    try:
        public = _unb64(signer.get("public_key"))
        signature = _unb64(manifest.get(SIGNATURE))
    except ValueError as exc:
        raise SigningError(t("chữ ký của gói bị hỏng (không đọc được).")) from exc
    if len(public) != 32 or len(signature) != 64 or not verify(
            public, MANIFEST_CONTEXT, signed_part(manifest), signature):
        raise SigningError(t("chữ ký của gói không khớp nội dung manifest.json: gói đã bị sửa "
                             "sau khi ký, hoặc không phải do chương trình tạo ra."))
    return public


# ----------------------------------------------------------------- key files


def _passphrase(passphrase: str | bytes) -> bytes:
    raw = passphrase.encode("utf-8") if isinstance(passphrase, str) else bytes(passphrase)
    return raw.strip(b"\r\n")


def _kdf(secret: bytes, salt: bytes, n: int, r: int, p: int) -> bytes:
    return Scrypt(salt=salt, length=32, n=n, r=r, p=p).derive(secret)


def export_key_file(key: UnitKey, *, unit_code: str, unit_name: str,
                    passphrase: str | bytes) -> bytes:
    """The key file for `keys export`: the private key sealed under the passphrase."""
    secret = _passphrase(passphrase)
    if len(secret) < MIN_PASSPHRASE:
        raise SigningError(t("Mật khẩu bảo vệ tệp khoá phải có ít nhất {n} ký tự.",
                             n=MIN_PASSPHRASE))
    salt, nonce = os.urandom(16), os.urandom(12)
    header = {"format": KEY_FILE_FORMAT, "version": KEY_FILE_VERSION, "algorithm": ALGORITHM,
              "unit_code": unit_code, "unit_name": unit_name,
              "fingerprint": key.fingerprint,
              "kdf": {"name": "scrypt", "n": SCRYPT_N, "r": SCRYPT_R, "p": SCRYPT_P,
                      "salt": _b64(salt)},
              "cipher": "AES-256-GCM", "nonce": _b64(nonce)}
    box = AESGCM(_kdf(secret, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P))
    body = {**header, "ciphertext": _b64(box.encrypt(nonce, key.raw, canonical(header)))}
    return json.dumps(body, ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8") + b"\n"


@dataclass(frozen=True)
class KeyFile:
    key: UnitKey
    unit_code: str
    unit_name: str


def import_key_file(blob: bytes, passphrase: str | bytes) -> KeyFile:
    """Open a key file made by `export_key_file`; SigningError for a wrong passphrase, a
    damaged file or something else."""
    try:
        body = json.loads(blob.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise SigningError(t("Tệp này không phải tệp khoá ký của HTX Desktop.")) from exc
    if not isinstance(body, dict) or body.get("format") != KEY_FILE_FORMAT:
        raise SigningError(t("Tệp này không phải tệp khoá ký của HTX Desktop."))
    if body.get("version") != KEY_FILE_VERSION or body.get("algorithm") != ALGORITHM:
        raise SigningError(t("Tệp khoá được tạo bởi phiên bản mới hơn của chương trình: hãy "
                             "cập nhật HTX Desktop."))
    header = {k: v for k, v in body.items() if k != "ciphertext"}
    try:
        kdf = body["kdf"]
        n, r, p = int(kdf["n"]), int(kdf["r"]), int(kdf["p"])
        if kdf.get("name") != "scrypt" or n > 2 ** 20 or r > 16 or p > 4:
            raise ValueError("unexpected key derivation")
        derived = _kdf(_passphrase(passphrase), _unb64(kdf["salt"]), n, r, p)
        raw = AESGCM(derived).decrypt(_unb64(body["nonce"]), _unb64(body["ciphertext"]),
                                      canonical(header))
    except InvalidTag as exc:
        raise SigningError(t("Không mở được tệp khoá: sai mật khẩu hoặc tệp bị hỏng.")) from exc
    except (KeyError, TypeError, ValueError) as exc:
        raise SigningError(t("Tệp khoá bị hỏng: không đọc được.")) from exc
    key = UnitKey.from_raw(raw)
    return KeyFile(key, str(body.get("unit_code") or ""), str(body.get("unit_name") or ""))


def public_key_of(blob: bytes) -> bytes:
    """The raw public key from a PEM public key file or base64 text (`keys replace`)."""
    text = blob.strip()
    try:
        if text.startswith(b"-----BEGIN"):
            key = serialization.load_pem_public_key(text)
            if not isinstance(key, Ed25519PublicKey):
                raise ValueError("not Ed25519")
            return key.public_bytes(*_RAW_PUBLIC)
        raw = _unb64(text.decode("ascii"))
        Ed25519PublicKey.from_public_bytes(raw)
        return raw
    except (ValueError, TypeError, UnicodeDecodeError) as exc:
        raise SigningError(t("Tệp không chứa khoá ký công khai Ed25519 hợp lệ.")) from exc


def public_pem(public_raw: bytes) -> bytes:
    return Ed25519PublicKey.from_public_bytes(public_raw).public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)


def public_b64(public_raw: bytes) -> str:
    return _b64(public_raw)


def public_from_b64(text: str) -> bytes:
    return _unb64(text)
