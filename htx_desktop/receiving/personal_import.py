"""Open the sealed names of a received package (`personal.enc`) and write them onto its people.

Decisions (issue 7 point 5), written once here:
- Names are a separate, optional layer. Consolidation never needs them: a package whose names
  cannot be opened (no key, wrong key, wrong passphrase, damaged personal.enc) is still
  imported — its figures count — and its people keep the placeholder "(ẩn danh)". The outcome
  says so plainly. Refusing the whole package instead would hold back the commune's figures for
  a problem that has nothing to do with them, and the names are recoverable: importing the same
  package again with the right key (same SHA-256: "already imported") opens them then.
- All or nothing per package: the envelope is authenticated (AES-GCM), and every value is
  checked before the first row is touched; one bad entry refuses the names of the package.
- Only the people the package itself carries get names, and only rows that came from the
  sender's own submissions (issue 19): a person the officer entered on this PC, or one sent by
  another commune, is never overwritten; a package trying to is refused (importer).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from htx_desktop.domain.text import fold
from htx_desktop.i18n import t
from htx_desktop.receiving.crypto import (
    CryptoError,
    fingerprint,
    load_private_key,
    open_personal_with,
    passphrase_bytes,
)
from htx_desktop.receiving.reader import ReadPackage
from htx_desktop.reports.key_protection import migrate_key_file
from htx_desktop.store.models import Person, Submission

# Outcome of the names of one package (ImportOutcome.names).
NO_NAMES, OPENED, ENCRYPTED, NAMES_REFUSED = "none", "opened", "encrypted", "refused"
# Column widths of Person (PostgreSQL enforces them; SQLite would not).
_LIMITS = {"full_name": 200, "phone": 20, "id_number": 20}


@dataclass
class PrivateKey:
    """The receiving unit's private key as the officer gave it (PEM file bytes + passphrase),
    opened once on first use; a wrong passphrase is remembered as the reason for every
    package, not retried (each try costs the key derivation)."""

    pem: bytes
    passphrase: str | bytes
    # The file the PEM was read from: a key file still in the old PBKDF2 form is rewritten
    # with scrypt once it opens (reports/key_protection.py).
    path: Path | None = None
    _key: Any = field(default=None, repr=False)
    _error: str | None = field(default=None, repr=False)

    def load(self) -> Any:
        if self._key is None and self._error is None:
            try:
                self._key = load_private_key(self.pem, self.passphrase)
            except CryptoError as exc:
                self._error = exc.user_message
            else:
                if self.path is not None:
                    migrate_key_file(self.path, self.pem, self._key,
                                     passphrase_bytes(self.passphrase))
        if self._error is not None:
            raise CryptoError(self._error)
        return self._key


@dataclass
class Names:
    """What became of a package's names: status, reason (Vietnamese) and the people."""

    status: str = NO_NAMES
    reason: str = ""
    people: dict[str, dict[str, str | None]] = field(default_factory=dict)


def open_names(pkg: ReadPackage, key: PrivateKey | None) -> Names:
    """Decrypt and check the names of `pkg` (no database work: done before the transaction's
    writes). Never raises for a bad key or file: that is a status with its reason."""
    if pkg.personal is None:
        return Names()
    if key is None:
        return Names(ENCRYPTED)
    try:
        private = key.load()
        expected = str((pkg.manifest.get("encryption") or {}).get("recipient_fingerprint", ""))
        mine = fingerprint(private)
        if expected != mine:
            # Checked against the manifest first: the message the officer can compare with the
            # fingerprint printed on the key's recovery sheet.
            raise CryptoError(t(
                "gói được khoá cho đơn vị có khoá mang dấu vân tay {expected}, nhưng khoá bí "
                "mật đã chọn có dấu vân tay {actual} (không khớp). Hãy dùng khoá bí mật của "
                "đơn vị nhận mà gói được gửi tới.", expected=expected[:16], actual=mine[:16]))
        people = open_personal_with(pkg.personal, private)
        ids = {p.id for p in pkg.dataset.people}
        return Names(OPENED, people=_checked(people, ids))
    except CryptoError as exc:
        return Names(NAMES_REFUSED, exc.user_message)


def _checked(people: Mapping[str, Mapping[str, str | None]], ids: set[str]
             ) -> dict[str, dict[str, str | None]]:
    """The entries for the package's own people, each value trimmed and within its column;
    CryptoError (refusing all the names) for any that is not."""
    out: dict[str, dict[str, str | None]] = {}
    for pid, row in people.items():
        if pid not in ids:
            continue  # only the people this package carries
        clean: dict[str, str | None] = {}
        for name, limit in _LIMITS.items():
            value = (row.get(name) or "").strip() or None
            if value is not None and len(value) > limit:
                raise CryptoError(t("tệp personal.enc có giá trị quá dài (tối đa {n} ký tự); "
                                    "không mở họ tên của gói này.", n=limit))
            clean[name] = value
        if clean["full_name"] is None:
            continue  # no name to show: keep the placeholder
        out[pid] = clean
    return out


def _senders_people(unit_id: int) -> Any:
    """People that came from the sender's own submissions (any period, any version)."""
    return Person.submission_id.in_(select(Submission.id).where(Submission.unit_id == unit_id))


def foreign_names(session: Session, names: Names, unit_id: int) -> list[str]:
    """Ids of the opened names that are NOT people of the sender's own submissions (issue 19:
    a package speaks only for its own unit): a person of another commune, or one entered on
    this PC. Any of them refuses the package's names."""
    if names.status != OPENED or not names.people:
        return []
    wanted = sorted(names.people)
    mine: set[str] = set()
    for i in range(0, len(wanted), 5000):
        mine.update(session.scalars(select(Person.id).where(
            Person.id.in_(wanted[i:i + 5000]), _senders_people(unit_id))))
    return [pid for pid in wanted if pid not in mine]


def apply_names(session: Session, names: Names, unit_id: int) -> int:
    """Write the opened names onto the people of the package that came from the sender's own
    submissions (`unit_id`: the sender); how many rows."""
    if names.status != OPENED:
        return 0
    count = 0
    for pid, row in sorted(names.people.items()):
        full_name = row["full_name"] or ""
        result = session.execute(
            update(Person).where(Person.id == pid, _senders_people(unit_id))
            .values(full_name=full_name, name_key=fold(full_name), phone=row["phone"],
                    id_number=row["id_number"]))
        count += int(getattr(result, "rowcount", 0) or 0)
    return count


def describe_names(status: str, reason: str, opened: int) -> str:
    """One Vietnamese line about the names of a package, or "" when it carries none."""
    if status == OPENED:
        return t("Đã mở họ tên, số điện thoại, số giấy tờ của {n} người.", n=opened)
    if status == ENCRYPTED:
        return t("Gói có họ tên được mã hoá; chưa mở vì không có khoá bí mật: người của gói "
                 "hiện là “(ẩn danh)”. Nhập lại gói với khoá bí mật để xem họ tên.")
    if status == NAMES_REFUSED:
        return t("Không mở được họ tên: {reason} Số liệu vẫn được nhận; người của gói giữ "
                 "là “(ẩn danh)”. Nhập lại gói với đúng khoá bí mật và mật khẩu để mở họ tên.",
                 reason=reason)
    return ""
