"""The private key's passphrase stretched with scrypt (issue 20).

`cryptography`'s `BestAvailableEncryption` writes PKCS#8 with PBKDF2 at 2,048 iterations: a
stolen key file could be guessed at millions of passphrases a second. Here the same standard
container (PKCS#8 EncryptedPrivateKeyInfo, PBES2, RFC 8018) is written with scrypt (RFC 7914,
N=2^14, r=8, p=5: the memory-bound cost OWASP lists as equivalent to N=2^17, p=1, while staying
under OpenSSL's default 32 MB scrypt memory limit) and AES-256-CBC. `cryptography` and OpenSSL
(`openssl pkcs8`) read it as any encrypted PEM key. A key file in the old form is rewritten in
the new one the next time it is opened with its passphrase (`migrate_key_file`).
"""

from __future__ import annotations

import base64
import logging
import os
import re
import tempfile
from pathlib import Path

from cryptography.hazmat.primitives import padding, serialization
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

log = logging.getLogger(__name__)

SCRYPT_N = 2**14
SCRYPT_R = 8
SCRYPT_P = 5
_OID_PBES2 = "1.2.840.113549.1.5.13"
_OID_SCRYPT = "1.3.6.1.4.1.11591.4.11"
_OID_AES256_CBC = "2.16.840.1.101.3.4.1.42"


def _length(n: int) -> bytes:
    if n < 0x80:
        return bytes([n])
    raw = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(raw)]) + raw


def _tlv(tag: int, body: bytes) -> bytes:
    return bytes([tag]) + _length(len(body)) + body


def _seq(*parts: bytes) -> bytes:
    return _tlv(0x30, b"".join(parts))


def _int(n: int) -> bytes:
    return _tlv(0x02, n.to_bytes(n.bit_length() // 8 + 1, "big"))


def _octets(raw: bytes) -> bytes:
    return _tlv(0x04, raw)


def _oid(dotted: str) -> bytes:
    nums = [int(x) for x in dotted.split(".")]
    body = bytearray([40 * nums[0] + nums[1]])
    for n in nums[2:]:
        chunk = [n & 0x7F]
        n >>= 7
        while n:
            chunk.append(0x80 | (n & 0x7F))
            n >>= 7
        body.extend(reversed(chunk))
    return _tlv(0x06, bytes(body))


_SCRYPT_OID_DER = _oid(_OID_SCRYPT)


def encrypt_private_key(key: X25519PrivateKey, secret: bytes) -> bytes:
    """The PEM of `key` (PKCS#8) encrypted with `secret` stretched by scrypt."""
    plain = key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                              serialization.NoEncryption())
    salt, iv = os.urandom(16), os.urandom(16)
    derived = Scrypt(salt=salt, length=32, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P).derive(secret)
    padder = padding.PKCS7(128).padder()
    padded = padder.update(plain) + padder.finalize()
    encryptor = Cipher(algorithms.AES(derived), modes.CBC(iv)).encryptor()
    encrypted = encryptor.update(padded) + encryptor.finalize()
    der = _seq(
        _seq(_oid(_OID_PBES2),
             _seq(_seq(_oid(_OID_SCRYPT),
                       _seq(_octets(salt), _int(SCRYPT_N), _int(SCRYPT_R), _int(SCRYPT_P),
                            _int(32))),
                  _seq(_oid(_OID_AES256_CBC), _octets(iv)))),
        _octets(encrypted))
    body = base64.encodebytes(der).decode("ascii").replace("\n", "")
    lines = [body[i:i + 64] for i in range(0, len(body), 64)]
    return ("-----BEGIN ENCRYPTED PRIVATE KEY-----\n" + "\n".join(lines)
            + "\n-----END ENCRYPTED PRIVATE KEY-----\n").encode("ascii")


def uses_scrypt(pem: bytes) -> bool:
    """True if `pem` is an encrypted PKCS#8 key whose passphrase is stretched by scrypt."""
    m = re.search(rb"-----BEGIN ENCRYPTED PRIVATE KEY-----(.*?)-----END ENCRYPTED PRIVATE KEY",
                  pem, re.DOTALL)
    if m is None:
        return False
    try:
        der = base64.b64decode(b"".join(m.group(1).split()), validate=True)
    except ValueError:
        return False
    return _SCRYPT_OID_DER in der[:64]


def migrate_key_file(path: Path, pem: bytes, key: X25519PrivateKey, secret: bytes) -> bool:
    """Rewrite the key file at `path` (whose bytes are `pem`) with the scrypt form, if it is
    in the old one; the same key and passphrase, only stretched harder. Atomic (a temporary
    file beside it, then a rename), readable by its owner only. False, and logged, when the
    folder cannot be written (a read-only USB stick): the key still opens as before."""
    if uses_scrypt(pem):
        return False
    try:
        if path.read_bytes() != pem:
            return False  # not the file the key was read from (changed since)
        new = encrypt_private_key(key, secret)
        fd, tmp = tempfile.mkstemp(prefix=".htx-key-", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(new)
                fh.flush()
                os.fsync(fh.fileno())
            os.chmod(tmp, 0o600)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError:
        log.warning("could not rewrite the key file %s with scrypt", path, exc_info=True)
        return False
    return True
