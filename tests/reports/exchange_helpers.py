"""Helpers of the package-exchange tests: data folders made with the command line, package
rewriting for hostile variants, and a full dump of a database to compare before/after."""

from __future__ import annotations

import hashlib
import json
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from htx_desktop.cli import run
from htx_desktop.reports.signing import SIGNATURE, SIGNER, UnitKey, public_b64, sign_manifest
from htx_desktop.store.engine import Database
from htx_desktop.store.sqlite_engine import driver_connection

DATA = Path(__file__).resolve().parent.parent / "data"
UNITS_3LEVEL = DATA / "units-3level.csv"
# The signing keys of the units the tests made (base64 public key → key): `rewrite` signs its
# hostile variants again with the sender's own key, so that only the intended check fails.
KEYS: dict[str, UnitKey] = {}


def folder_key(folder: Path) -> UnitKey:
    """The unit signing key kept in a data folder (made by `init`)."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    (path,) = (folder / "keys").glob("*-khoa-ky.pem")
    key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    assert isinstance(key, Ed25519PrivateKey)
    return UnitKey(key)


def cli(*argv: str) -> int:
    return run(list(argv))


def make_folder(root: Path, unit: str, *, seed: int | None = None,
                units_file: Path | None = None) -> Path:
    """A data folder for `unit` (init, then demo with `seed` if given)."""
    folder = root / f"unit-{unit}"
    args = ["--data-dir", str(folder), "init", "--unit", unit, "--officer", "Lê Thị Thu",
            "--position", "Chủ tịch", "--phone", "0912345678"]
    if units_file is not None:
        args += ["--units-file", str(units_file)]
    assert cli(*args) == 0
    if seed is not None:
        assert cli("--data-dir", str(folder), "demo", "--seed", str(seed)) == 0
    remember_key(folder)
    return folder


def remember_key(folder: Path) -> None:
    """Let `rewrite` sign hostile variants of this unit's packages with its own key."""
    key = folder_key(folder)
    KEYS[public_b64(key.public_raw)] = key


def export(folder: Path, period: str, out: Path) -> Path:
    before = set(out.glob("*.zip")) if out.exists() else set()
    assert cli("--data-dir", str(folder), "export", "--period", period, "--out", str(out)) == 0
    (made,) = set(out.glob("*.zip")) - before
    return made


def indicators(folder: Path, period: str, capsys: Any) -> dict[str, dict[str, Any]]:
    capsys.readouterr()
    assert cli("--data-dir", str(folder), "indicators", "--period", period, "--json") == 0
    data = json.loads(capsys.readouterr().out)
    return {r["code"]: r for r in data["indicators"]}


def entries(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {i.filename: zf.read(i) for i in zf.infolist()}


def write_zip(path: Path, files: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, raw in files.items():
            zf.writestr(name, raw)
    return path


def rewrite(src: Path, out: Path, *, data: Callable[[dict[str, Any]], None] | None = None,
            manifest: Callable[[dict[str, Any]], None] | None = None,
            rehash: bool = True, resign: bool = True) -> Path:
    """A copy of the package with data.json and/or manifest.json changed; with `rehash` the
    manifest's checksums are brought up to date and, with `resign`, the manifest is signed
    again with the sender's key (so only the intended check fails)."""
    files = entries(src)
    man = json.loads(files["manifest.json"])
    if data is not None:
        obj = json.loads(files["data.json"])
        data(obj)
        files["data.json"] = json.dumps(obj, ensure_ascii=False, sort_keys=True).encode()
    if rehash:
        for name, raw in files.items():
            if name != "manifest.json":
                man["files"][name] = {"sha256": hashlib.sha256(raw).hexdigest(),
                                      "bytes": len(raw)}
    if manifest is not None:
        manifest(man)
    signer = KEYS.get(str((man.get(SIGNER) or {}).get("public_key")))
    if resign and signer is not None and SIGNATURE in man:
        man = sign_manifest(man, signer)
    files["manifest.json"] = json.dumps(man, ensure_ascii=False).encode()
    order = [n for n in files if n != "manifest.json"] + ["manifest.json"]
    return write_zip(out, {n: files[n] for n in order})


def dump(db: Database) -> list[str]:
    """Every row of every table, except the log of refused packages (which a refusal writes
    on purpose)."""
    lines = list(driver_connection(db.engine).iterdump())
    return [line for line in lines if "refused_packages" not in line]


def file_dump(folder: Path) -> list[str]:
    import sqlite3
    from contextlib import closing

    with closing(sqlite3.connect(folder / "htx.sqlite3")) as conn:
        return [line for line in conn.iterdump() if "refused_packages" not in line]


def _trust_all() -> Any:
    from htx_desktop.receiving.importer import Trust

    return Trust(accept_new_keys=True, accept_unsigned=True)


# What the tests that are not about keys confirm: every first key, every unsigned package.
TRUST = _trust_all()
