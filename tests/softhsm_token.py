"""A SoftHSM2 software token holding a test CA's officer key and certificate (issue 25): the
same PKCS#11 path as a CA's USB token. Made once per test process (SoftHSM reads its
configuration when the library is first loaded), in a temporary SOFTHSM2_CONF folder."""

from __future__ import annotations

import atexit
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path

import pytest

LIBRARIES = ("/usr/lib/softhsm/libsofthsm2.so",
             "/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so")
LABEL, PIN, SO_PIN, KEY = "HTX-TEST", "123456", "87654321", "can-bo"
OFFICER, ORGANISATION, CA_NAME = "Lê Thị Mai", "Hội LHPN xã Tân Cương", "HTX Test CA"


@dataclass(frozen=True)
class Token:
    library: str
    label: str
    pin: str
    key_label: str
    ca_pem: bytes
    folder: Path


def library() -> str | None:
    return next((p for p in LIBRARIES if Path(p).is_file()), None)


def require_softhsm() -> Token:
    lib = library()
    if lib is None or shutil.which("softhsm2-util") is None or shutil.which(
            "pkcs11-tool") is None:
        pytest.skip("SoftHSM2 (softhsm2) hoặc pkcs11-tool (opensc) chưa được cài")
    return _make(lib)


def _cert(subject: list[tuple[object, str]], issuer_name: object, public: object,
          signer: object, ca: bool) -> object:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.x509.oid import ExtendedKeyUsageOID

    now = datetime.now(UTC)
    name = x509.Name([x509.NameAttribute(oid, value) for oid, value in subject])  # type: ignore[arg-type]
    builder = (x509.CertificateBuilder().subject_name(name)
               .issuer_name(issuer_name if issuer_name is not None else name)  # type: ignore[arg-type]
               .public_key(public).serial_number(x509.random_serial_number())  # type: ignore[arg-type]
               .not_valid_before(now - timedelta(days=1))
               .not_valid_after(now + timedelta(days=365))
               .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True))
    if ca:
        builder = builder.add_extension(x509.KeyUsage(
            digital_signature=False, content_commitment=False, key_encipherment=False,
            data_encipherment=False, key_agreement=False, key_cert_sign=True, crl_sign=True,
            encipher_only=False, decipher_only=False), critical=True)
    else:
        builder = builder.add_extension(x509.KeyUsage(
            digital_signature=True, content_commitment=True, key_encipherment=False,
            data_encipherment=False, key_agreement=False, key_cert_sign=False, crl_sign=False,
            encipher_only=False, decipher_only=False), critical=True).add_extension(
            x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False)
    return builder.sign(signer, hashes.SHA256())  # type: ignore[arg-type]


@cache
def _make(lib: str) -> Token:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import NameOID

    folder = Path(tempfile.mkdtemp(prefix="htx-softhsm-"))
    atexit.register(shutil.rmtree, folder, True)
    (folder / "tokens").mkdir()
    conf = folder / "softhsm2.conf"
    conf.write_text(f"directories.tokendir = {folder / 'tokens'}\nobjectstore.backend = file\n"
                    "log.level = ERROR\n", encoding="utf-8")
    os.environ["SOFTHSM2_CONF"] = str(conf)
    ca_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    ca = _cert([(NameOID.COMMON_NAME, CA_NAME), (NameOID.ORGANIZATION_NAME, "HTX Test")],
               None, ca_key.public_key(), ca_key, True)
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    officer = _cert([(NameOID.COMMON_NAME, OFFICER), (NameOID.ORGANIZATION_NAME, ORGANISATION),
                     (NameOID.COUNTRY_NAME, "VN")],
                    ca.subject, key.public_key(), ca_key, False)  # type: ignore[attr-defined]
    (folder / "key.pem").write_bytes(key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption()))
    (folder / "cert.der").write_bytes(officer.public_bytes(serialization.Encoding.DER))  # type: ignore[attr-defined]
    env = {**os.environ, "SOFTHSM2_CONF": str(conf)}

    def call(*args: str) -> None:
        subprocess.run(args, check=True, env=env, capture_output=True)

    call("softhsm2-util", "--init-token", "--free", "--label", LABEL, "--pin", PIN,
         "--so-pin", SO_PIN)
    call("softhsm2-util", "--import", str(folder / "key.pem"), "--token", LABEL, "--label",
         KEY, "--id", "01", "--pin", PIN)
    call("pkcs11-tool", "--module", lib, "--token-label", LABEL, "--login", "--pin", PIN,
         "--write-object", str(folder / "cert.der"), "--type", "cert", "--label", KEY,
         "--id", "01")
    return Token(lib, LABEL, PIN, KEY,
                 ca.public_bytes(serialization.Encoding.PEM), folder)  # type: ignore[attr-defined]
