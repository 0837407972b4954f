"""Where the signing keys live (issue 19): this unit's own key, and the senders' keys it knows.

Decisions, written once here:
- The own key belongs to the unit, not to a PC or a person. On a single PC it is a file of the
  data folder, `keys/<unit>-khoa-ky.pem` (PKCS#8, no passphrase: exports never ask for one),
  readable by its owner only (0600 in a 0700 folder; on Windows the data folder is in the
  user's profile). A new officer taking over the data folder inherits it. On an office server
  (PostgreSQL), and for an in-memory database, it is kept in the database (table
  unit_signing_keys), for every officer of the unit.
- It is made by `init`, or at the first start (window or export) of a database that has none.
  A key for another unit (the home unit changed) is another file: one key per unit code.
- `keys import` replaces the own key with the one exported from another PC of the unit; the key
  it replaces is kept beside it (`…-thay-the-<time>.pem`), never deleted.
- A sender's key is learnt from its first package, when the officer confirms it; it is
  replaced only by `replace_sender_key` (a lost PC), with a reason; the old row stays, marked
  replaced, and both are written to the audit log.
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from htx_desktop.i18n import t
from htx_desktop.reports.signing import (
    SigningError,
    UnitKey,
    fingerprint,
    public_b64,
    public_from_b64,
    short_code,
)
from htx_desktop.store.clock import utcnow
from htx_desktop.store.engine import Database
from htx_desktop.store.models import AuditEntry, SenderKey, Unit, UnitSigningKey
from htx_desktop.store.settings import home_unit, officer

KEY_FOLDER = "keys"


def _safe(code: str) -> str:
    return re.sub(r"[^0-9A-Za-z-]+", "-", code) or "don-vi"


def key_path(db: Database, unit_code: str) -> Path | None:
    """The own key's file, or None when the key is kept in the database."""
    if db.data_dir is None or db.is_server:
        return None
    return db.data_dir.root / KEY_FOLDER / f"{_safe(unit_code)}-khoa-ky.pem"


def officer_name(db: Database, session: Session) -> str:
    """Who acts: the server's officer, else the officer named in the settings."""
    return (db.officer or officer(session).name or "").strip()


# ----------------------------------------------------------------- the own key


def _read_file(path: Path) -> UnitKey:
    try:
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    except (ValueError, TypeError) as exc:
        raise SigningError(t("Tệp khoá ký {path} bị hỏng: hãy nhập lại khoá từ tệp đã xuất "
                             "(keys import).", path=str(path))) from exc
    except OSError as exc:
        raise SigningError(t("Không đọc được tệp khoá ký {path}: {error}", path=str(path),
                             error=exc.strerror or str(exc))) from exc
    if not isinstance(key, Ed25519PrivateKey):
        raise SigningError(t("Tệp khoá ký {path} không phải khoá Ed25519.", path=str(path)))
    return UnitKey(key)


def _write_file(path: Path, key: UnitKey, *, exclusive: bool = False) -> UnitKey:
    """Owner-only, atomic: a private temporary file moved into place. `exclusive`: never
    over an existing key (two starts at the same moment: the first key made wins, and is
    returned)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with contextlib.suppress(OSError):  # a share may refuse; the file itself is still 0600
        path.parent.chmod(0o700)
    pem = key.private.private_bytes(serialization.Encoding.PEM,
                                    serialization.PrivateFormat.PKCS8,
                                    serialization.NoEncryption())
    fd, name = tempfile.mkstemp(prefix=".key-", suffix=".part", dir=path.parent)
    tmp = Path(name)
    try:
        with os.fdopen(fd, "wb") as fh:  # mkstemp: readable and writable by the owner only
            fh.write(pem)
            fh.flush()
            os.fsync(fh.fileno())
        if not exclusive:
            os.replace(tmp, path)
            return key
        try:
            os.link(tmp, path)
        except FileExistsError:
            return _read_file(path)
        except OSError:  # no hard links here (a FAT drive, some shares): a plain rename
            if path.exists():
                return _read_file(path)
            os.replace(tmp, path)
        return key
    finally:
        tmp.unlink(missing_ok=True)


def _home_code(session: Session) -> str | None:
    unit = home_unit(session)
    return unit.code if unit is not None else None


def own_key(db: Database, *, create: bool = True) -> UnitKey | None:
    """The home unit's signing key, made now if it has none (`create`); None when no home
    unit is chosen yet (or none exists and not `create`)."""
    with db.session() as session:
        code = _home_code(session)
        if code is None:
            return None
        path = key_path(db, code)
        if path is not None:
            if path.exists():
                return _read_file(path)
            if not create:
                return None
            return _write_file(path, UnitKey.generate(), exclusive=True)
        row = session.get(UnitSigningKey, code)
        if row is not None:
            return UnitKey.from_raw(public_from_b64(row.private_key))
        if not create:
            return None
    # Made in a transaction of its own: two officers of the office starting at the same
    # moment both try; the second finds the first one's key.
    key = UnitKey.generate()
    try:
        with db.session() as session:
            session.add(UnitSigningKey(unit_code=code, private_key=public_b64(key.raw)))
    except IntegrityError:
        with db.session() as session:
            row = session.get(UnitSigningKey, code)
            assert row is not None
            return UnitKey.from_raw(public_from_b64(row.private_key))
    return key


def install_own_key(db: Database, key: UnitKey, unit_code: str) -> Path | None:
    """Make `key` the home unit's signing key (`keys import`). The key it replaces is kept
    aside (its path returned; None when there was none or it was the same key)."""
    with db.session() as session:
        code = _home_code(session)
        if code is None:
            raise SigningError(t("Chưa chọn đơn vị sử dụng chương trình (lệnh init)."))
        if unit_code != code:
            raise SigningError(t(
                "Tệp khoá là của đơn vị {theirs}, còn máy này dùng cho đơn vị {ours}: mỗi đơn "
                "vị chỉ dùng khoá của chính mình.", theirs=unit_code or "?", ours=code))
        path = key_path(db, code)
        kept: Path | None = None
        if path is None:
            row = session.get(UnitSigningKey, code)
            if row is None:
                session.add(UnitSigningKey(unit_code=code, private_key=public_b64(key.raw)))
            else:
                row.private_key = public_b64(key.raw)
            _audit(session, officer_name(db, session), "key_import", code, None,
                   key.fingerprint, t("nhập khoá ký của đơn vị từ tệp"))
            return None
        if path.exists():
            old = _read_file(path)
            if old.fingerprint == key.fingerprint:
                return None
            stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
            kept = path.with_name(f"{_safe(code)}-khoa-ky-thay-the-{stamp}.pem")
            os.replace(path, kept)
        _write_file(path, key)
        _audit(session, officer_name(db, session), "key_import", code, None, key.fingerprint,
               t("nhập khoá ký của đơn vị từ tệp"))
        return kept


# ----------------------------------------------------------------- the senders' keys


@dataclass(frozen=True)
class KnownKey:
    unit_code: str
    fingerprint: str
    public_raw: bytes

    @property
    def short_code(self) -> str:
        return short_code(self.fingerprint)


def current_key(session: Session, unit_code: str) -> KnownKey | None:
    row = session.scalars(select(SenderKey).where(
        SenderKey.unit_code == unit_code, SenderKey.status == "current")
        .order_by(SenderKey.id.desc())).first()
    if row is None:
        return None
    return KnownKey(row.unit_code, row.fingerprint, public_from_b64(row.public_key))


def learn_key(session: Session, unit_code: str, public_raw: bytes, *, by: str,
              source: str) -> None:
    """Remember the first key of a unit (the officer confirmed it)."""
    fp = fingerprint(public_raw)
    session.add(SenderKey(unit_code=unit_code, public_key=public_b64(public_raw),
                          fingerprint=fp, status="current", accepted_at=utcnow(),
                          accepted_by=by, source=source[:300]))
    _audit(session, by, "key_accept", unit_code, None, fp, None)
    session.flush()


def replace_sender_key(session: Session, unit_code: str, public_raw: bytes, *, reason: str,
                       by: str, source: str) -> tuple[str | None, str]:
    """Replace a unit's known key deliberately (a lost PC): (old fingerprint, new one)."""
    reason = reason.strip()
    if not reason:
        raise SigningError(t("Cần ghi lý do thay khoá (ví dụ: máy tính của đơn vị bị mất)."))
    if session.scalars(select(Unit.id).where(Unit.code == unit_code)).first() is None:
        raise SigningError(t("Không có đơn vị mã {code} trong danh mục.", code=unit_code))
    new_fp = fingerprint(public_raw)
    now = utcnow()
    old_fp: str | None = None
    for row in session.scalars(select(SenderKey).where(
            SenderKey.unit_code == unit_code, SenderKey.status == "current")):
        if row.fingerprint == new_fp:
            raise SigningError(t("Khoá này đã là khoá đang dùng của đơn vị {code}.",
                                 code=unit_code))
        old_fp = row.fingerprint
        row.status, row.replaced_at = "replaced", now
    session.add(SenderKey(unit_code=unit_code, public_key=public_b64(public_raw),
                          fingerprint=new_fp, status="current", accepted_at=now,
                          accepted_by=by, source=source[:300], reason=reason))
    _audit(session, by, "key_replace", unit_code, old_fp, new_fp, reason)
    session.flush()
    return old_fp, new_fp


def list_keys(session: Session) -> list[dict[str, Any]]:
    """Every known sender key (current and replaced), as `keys --json` prints them."""
    names = {code: name for code, name in session.execute(
        select(Unit.code, Unit.name).order_by(Unit.valid_to.is_(None)))}
    out = []
    for row in session.scalars(select(SenderKey).order_by(SenderKey.unit_code, SenderKey.id)):
        out.append({"unit": row.unit_code, "unit_name": names.get(row.unit_code),
                    "fingerprint": row.fingerprint, "short_code": short_code(row.fingerprint),
                    "status": row.status, "accepted_at": row.accepted_at.isoformat(),
                    "accepted_by": row.accepted_by, "source": row.source,
                    "reason": row.reason,
                    "replaced_at": row.replaced_at.isoformat() if row.replaced_at else None})
    return out


def _audit(session: Session, by: str, action: str, unit_code: str, old: str | None,
           new: str | None, reason: str | None) -> None:
    session.add(AuditEntry(officer=by, action=action, table_name="sender_keys"
                           if action != "key_import" else "unit_signing_keys",
                           record_id=unit_code[:36], changes={"fingerprint": [old, new]},
                           reason=reason))
