"""Export the home unit's report package for a period: gather everything from the store, hand
it to the pure writer, and record the export (its version counter, reserved before the file is
written)."""

from __future__ import annotations

import contextlib
import hashlib
import json
import re
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from htx_desktop.domain.periods import Period
from htx_desktop.reports.errors import PackageError
from htx_desktop.reports.signing import UnitKey
from htx_desktop.store.clock_check import logical_now
from htx_desktop.store.engine import Database
from htx_desktop.store.locks import amendments_since_export
from htx_desktop.store.models import AuditEntry, Export, Narrative, Person, Submission, Unit
from htx_desktop.store.settings import home_unit, management_positions, officer
from htx_desktop.store.snapshot import build_dataset, packages_for_period
from htx_desktop.store.targets import targets_for

_KIND_PREFIX = re.compile(
    r"^(Tỉnh|Thành phố|Huyện|Quận|Thị xã|Thị trấn|Xã|Phường|Đặc khu)\s+", re.IGNORECASE)


def place_name(unit: Unit) -> str:
    """The place written before the date: the unit's name without its kind ("Thái Nguyên")."""
    return _KIND_PREFIX.sub("", unit.name).strip() or unit.name


def next_version(session: Session, unit_id: int, period_label: str) -> int:
    current = session.scalar(select(func.max(Export.version)).where(
        Export.unit_id == unit_id, Export.period == period_label))
    return int(current or 0) + 1


def narrative_of(session: Session, unit_id: int, period_label: str) -> dict[str, str]:
    rows = session.scalars(select(Narrative).where(
        Narrative.unit_id == unit_id, Narrative.period == period_label)).all()
    return {r.section: r.text for r in rows if r.text.strip()}


def children_of(session: Session, unit_id: int, period_label: str) -> list[dict[str, Any]]:
    """The lower units' packages consolidated into this one (manifest `children`): exactly
    those whose records the package's data carries for the period, each with this unit's
    review of it (`review`: received / accepted / returned, `reviewed_at`)."""
    chosen = packages_for_period(session, unit_id, period_label)
    rows = session.scalars(select(Submission).join(Unit, Submission.unit_id == Unit.id).where(
        Submission.id.in_(chosen)).order_by(Unit.code)).all() if chosen else []
    # How this unit reviewed each of them (issue 21 point 5): the level above sees both.
    from htx_desktop.store.review import reviews_of, state_of, utc

    reviews = reviews_of(session, [s.id for s in rows])
    out: list[dict[str, Any]] = []
    for s in rows:
        review = reviews.get(s.id)
        out.append({"unit_code": s.unit.code, "version": s.version, "sha256": s.sha256,
                    "review": state_of(review),
                    "reviewed_at": _iso(utc(review.decided_at)) if review else None})
    return out


def _iso(when: datetime | None) -> str | None:
    return when.isoformat(timespec="seconds") if when is not None else None


def export_package(db: Database, period: Period, out_dir: Path, *,
                   recipient_key: bytes | None = None, with_docx: bool = False,
                   sign_pdf: Callable[[bytes, Any, Any], bytes] | None = None) -> Path:
    """Write the package into `out_dir` and return its path. Atomic: the writer renames a
    finished temporary file into place. Its version is reserved in the database first, so a
    package on disk always has its version recorded (even if the program is killed before the
    export is complete) and a version is never written twice; a failed export removes its
    file and frees its version.

    `recipient_key`: the receiving unit's public key (PEM). Only with it do the names, phones
    and ID numbers of the package's people travel, sealed in `personal.enc`; without it
    nothing personal leaves the PC. `sign_pdf`: the token's signer
    (`reports/pdf_signing.pdf_signer`): the PDF is signed before the package is hashed, and a
    failure to sign leaves no package."""
    out_dir = Path(out_dir)
    if out_dir.exists() and not out_dir.is_dir():
        raise PackageError(f"“{out_dir}” là một tệp, không phải thư mục: hãy chọn thư mục "
                           "để ghi gói báo cáo.")
    out_dir.mkdir(parents=True, exist_ok=True)
    from htx_desktop.reports.signing import SigningError
    from htx_desktop.reports.unit_keys import own_key
    from htx_desktop.store.retry import retry_when_locked

    try:
        signing_key = own_key(db)  # made now if this database has none yet (issue 19)
    except SigningError as exc:
        raise PackageError(exc.user_message) from exc
    if getattr(db, "read_only", False):  # a folder she may not write: the file, unrecorded
        with db.session() as session:
            return _write(session, period, out_dir, recipient_key, with_docx, signing_key,
                          sign_pdf=sign_pdf)
    # The version is reserved (committed) before the file is written: a program killed
    # between the zip appearing and its recording leaves a reserved row (sha256 ""), so the
    # next export takes the next version and never writes this one again with other content.
    reserved = retry_when_locked(lambda: _reserve(db, period))
    written: list[Path] = []
    try:
        with db.session() as session:
            path = _write(session, period, out_dir, recipient_key, with_docx, signing_key,
                          reserved=reserved, sign_pdf=sign_pdf)
        written.append(path)
        if with_docx:
            written.append(path.with_suffix(".docx"))
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        retry_when_locked(lambda: _record(db, reserved[0], digest, path.name))
    except BaseException:
        for path in written:
            path.unlink(missing_ok=True)
        # Nothing was written: the version may be used again (if even that fails, the row
        # stays reserved, and versions stay unique).
        with contextlib.suppress(Exception):
            retry_when_locked(lambda: _release(db, reserved[0]))
        raise
    return written[0]


def _reserve(db: Database, period: Period) -> tuple[int, int, int]:
    """(export row id, version, report number): the next version, recorded at once."""
    with db.session() as session:
        unit = home_unit(session)
        if unit is None:
            raise PackageError("Chưa chọn đơn vị sử dụng chương trình: hãy chạy lệnh init.")
        report_number = 1 + int(session.scalar(select(func.count()).select_from(Export).where(
            Export.unit_id == unit.id)) or 0)
        version = next_version(session, unit.id, period.label)
        # Never before the newest stored change: the records it carries were all created
        # before it, whatever the PC's clock says (store/clock.py, store/locks.py).
        row = Export(unit_id=unit.id, period=period.label, version=version, sha256="",
                     file_name=package_file_name(unit.code, period.label, version),
                     created_at=logical_now(session))
        session.add(row)
        session.flush()
        # A mark in the change log: the changes after it are the next package's amendments,
        # whatever the PC's clock said when either was made (store/locks.py).
        session.add(AuditEntry(officer=officer(session).name, action="export",
                               table_name=Export.__tablename__, record_id=str(row.id),
                               changes={"period": period.label, "version": version}))
        return row.id, version, report_number


def _record(db: Database, export_id: int, digest: str, file_name: str) -> None:
    with db.session() as session:
        row = session.get(Export, export_id)
        assert row is not None
        row.sha256, row.file_name = digest, file_name


def _release(db: Database, export_id: int) -> None:
    with db.session() as session:
        row = session.get(Export, export_id)
        if row is not None:
            session.delete(row)
        session.execute(delete(AuditEntry).where(AuditEntry.table_name == Export.__tablename__,
                                                 AuditEntry.record_id == str(export_id)))


def package_file_name(unit_code: str, period_label: str, version: int) -> str:
    from htx_desktop.reports.package import package_name

    return package_name(unit_code, period_label, version)


def preview_pdf(db: Database, period: Period, out_dir: Path) -> Path:
    """The formal report the next export would contain, as `out_dir/bao-cao.pdf`, without
    recording an export (the window's "Xem trước PDF"). Built by the same writer as the
    package, so the preview can never differ from what is sent."""
    import zipfile

    from htx_desktop.reports.package import PDF

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    with db.session() as session:
        package = _write(session, period, out_dir)
    try:
        with zipfile.ZipFile(package) as zf:
            target = out_dir / PDF
            target.write_bytes(zf.read(PDF))
    finally:
        package.unlink(missing_ok=True)
    return target


def personal_json(session: Session, person_ids: list[str]) -> bytes:
    """The personal part of a package: {id: {full_name, phone, id_number}} of its people."""
    people: dict[str, dict[str, str | None]] = {}
    for chunk_start in range(0, len(person_ids), 500):
        chunk = person_ids[chunk_start:chunk_start + 500]
        for row in session.execute(select(Person.id, Person.full_name, Person.phone,
                                          Person.id_number).where(Person.id.in_(chunk))):
            people[row.id] = {"full_name": row.full_name, "phone": row.phone,
                              "id_number": row.id_number}
    body = {"format": "htx-personal", "version": 1, "people": people}
    return json.dumps(body, ensure_ascii=False, sort_keys=True).encode("utf-8")


def _sealed_personal(session: Session, person_ids: list[str], recipient_key: bytes | None
                     ) -> tuple[bytes | None, dict[str, str] | None]:
    if recipient_key is None:
        return None, None
    from htx_desktop.receiving.crypto import ALGORITHM, fingerprint, load_public_key, seal

    key = load_public_key(recipient_key)
    return (seal(personal_json(session, person_ids), key),
            {"algorithm": ALGORITHM, "recipient_fingerprint": fingerprint(key)})


def _write(session: Session, period: Period, out_dir: Path,
           recipient_key: bytes | None = None, with_docx: bool = False,
           signing_key: UnitKey | None = None,
           reserved: tuple[int, int, int] | None = None,
           sign_pdf: Callable[[bytes, Any, Any], bytes] | None = None) -> Path:
    from htx_desktop.reports.figures import activity_for_unit, indicators_for_unit
    from htx_desktop.reports.package import write_package
    from htx_desktop.store.submissions import submission_status

    unit = home_unit(session)
    if unit is None:
        raise PackageError("Chưa chọn đơn vị sử dụng chương trình: hãy chạy lệnh init.")
    dataset = build_dataset(session, unit.id, period=period)
    report = indicators_for_unit(session, unit.id, period, dataset)
    activity = activity_for_unit(session, unit.id, period, dataset)
    personal, encryption = _sealed_personal(session, [p.id for p in dataset.people],
                                            recipient_key)
    who = officer(session)
    has_children = bool(session.scalar(select(func.count()).select_from(Unit).where(
        Unit.parent_id == unit.id)))
    report_number = 1 + int(session.scalar(select(func.count()).select_from(Export).where(
        Export.unit_id == unit.id)) or 0)
    version = next_version(session, unit.id, period.label)
    if reserved is not None:  # (row id, version, report number) reserved by export_package
        _row, version, report_number = reserved
    return write_package(
        dataset=dataset, indicators=report.to_json(), activity=activity,
        unit={"code": unit.code, "name": unit.name, "level": unit.level,
              "parent_code": unit.parent.code if unit.parent else None},
        period_label=period.label, period_start=period.start, period_end=period.end,
        version=version,
        prepared_by={"name": who.name, "position": who.position, "phone": who.phone},
        narrative=narrative_of(session, unit.id, period.label),
        management_positions=list(management_positions(session)),
        place=place_name(unit), report_number=report_number, out_dir=out_dir,
        created_at=datetime.now().astimezone(),
        children=children_of(session, unit.id, period.label),
        targets=targets_for(session, unit.id),
        submissions=submission_status(session, unit.id, period) if has_children else None,
        amendments=amendments_since_export(session, period),
        personal=personal, encryption=encryption, with_docx=with_docx,
        signing_key=signing_key, sign_pdf=sign_pdf)
