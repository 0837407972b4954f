"""Receive packages from the units below: preview, then apply (docs/INTERFACES.md §2, import rules).

Each file ends as one outcome: accepted, superseding version N, already imported (same SHA-256:
nothing changes), refused as outdated (a lower version not seen before), or refused with a
reason. The whole command is ONE transaction after ONE backup; each package runs inside a
savepoint, so a package that fails half-way is refused alone. A preview (`dry_run`) runs the
very same code and rolls the transaction back, so what it shows is exactly what would happen,
including files of one batch that affect each other (v1 and v2 of the same unit).

Decisions, written once here:
- Records are stored in the normal tables with `submission_id` set (each unit's latest state,
  for the lists), and the package's Dataset is kept as received (table submission_data), so
  that the figures of a period come from exactly the packages of that period. data.json
  carries no names: a received person is stored under the placeholder name PSEUDONYM
  ("(ẩn danh)"); names sealed in personal.enc are written over it only with the private
  key (receiving/personal_import.py: a names problem never refuses the figures, and
  re-importing with the key opens them later).
- A cooperative's `many_jobs_for_women` is stored as the officer's override, so the level above
  counts it exactly as the sender did, whatever its own rule.
- Superseding deletes every record of the earlier package before inserting the new ones.
- A record id already held by this database is refused (it would be counted twice), except a
  person (shared by several packages: reused) and a record of an earlier package of the same
  unit for another period (the newer package carries its latest state: it replaces it).
- The same cooperative arriving from two units (same tax code, or same folded name in the same
  commune, under another id) is flagged: the incoming one is stored in the trash with a note
  naming the other, so it is never summed twice; the officer restores it if it is distinct.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import false, func, or_, select
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session

from htx_desktop.domain.records import Dataset
from htx_desktop.domain.text import fold
from htx_desktop.i18n import t
from htx_desktop.receiving.importer_rows import (
    PSEUDONYM,
    RECORD_TABLES,
    delete_keyed_rows,
    delete_records,
    delete_submission_records,
    insert_package,
    package_ids,
)
from htx_desktop.receiving.limits import escape_control, one_line
from htx_desktop.receiving.personal_import import (
    NAMES_REFUSED,
    NO_NAMES,
    OPENED,
    Names,
    PrivateKey,
    apply_names,
    describe_names,
    foreign_names,
    open_names,
)
from htx_desktop.receiving.reader import PackageRefused, ReadPackage, preload, read_package
from htx_desktop.reports.signing import short_code
from htx_desktop.reports.unit_keys import current_key, learn_key, officer_name
from htx_desktop.store.backup import backup_to_dir, keep_setting, prune_backups
from htx_desktop.store.clock import utcnow
from htx_desktop.store.engine import Database
from htx_desktop.store.models import (
    Cooperative,
    RefusedPackage,
    Submission,
    SubmissionData,
    Unit,
)
from htx_desktop.store.reference import descendant_units
from htx_desktop.store.retry import retry_or_tell
from htx_desktop.store.settings import home_unit
from htx_desktop.store.snapshot import encode_package_data
from htx_desktop.store.submissions import deadline_for
from htx_desktop.store.unit_eras import scope_units, unit_keys

log = logging.getLogger(__name__)
WITHDRAWN = "withdrawn"  # a submission the receiving unit withdrew (reports/withdraw.py)

ACCEPTED, SUPERSEDES, ALREADY, OUTDATED, REFUSED = (
    "accepted", "supersedes", "already_imported", "outdated", "refused")
# Whose package it is (ImportOutcome.key_status): signed with the unit's known key, signed with
# a key seen for the first time, or unsigned (format 1.0).
KNOWN_KEY, NEW_KEY, UNSIGNED = "known", "new", "unsigned"
# Refused: signed with another key than the unit's known one (`known_fingerprint` says which).
OTHER_KEY = "other"
__all__ = ["ACCEPTED", "ALREADY", "KNOWN_KEY", "NEW_KEY", "OTHER_KEY", "OUTDATED", "PSEUDONYM",
           "REFUSED", "SUPERSEDES", "UNSIGNED", "ImportOutcome", "PrivateKey", "Trust",
           "import_packages", "preload_for"]


@dataclass(frozen=True)
class Trust:
    """What the officer has confirmed for this import (issue 19).

    `accept_new_keys`: True (`--accept-new-key`: the first key of any unit is learnt) or the
    fingerprints confirmed one by one in the window; a known unit's key is never replaced here.
    `accept_unsigned`: True (`--accept-unsigned`) or the SHA-256 of the unsigned packages the
    officer confirmed; never for a unit whose key is known. `preview`: the window's preview —
    what needs a confirmation is not refused but marked (`needs_confirmation`), so the officer
    sees what would be received once she confirms."""

    accept_new_keys: bool | frozenset[str] = False
    accept_unsigned: bool | frozenset[str] = False
    preview: bool = False
    # issue 21: a newer version of a submission the officer accepted replaces it only when she
    # confirms (`--replace-accepted`, or the SHA-256 of the packages confirmed in the window).
    replace_accepted: bool | frozenset[str] = False

    def replace_accepted_ok(self, sha256: str) -> bool:
        return self.replace_accepted is True or (
            isinstance(self.replace_accepted, frozenset) and sha256 in self.replace_accepted)

    def new_key_ok(self, fingerprint: str) -> bool:
        return self.accept_new_keys is True or (
            isinstance(self.accept_new_keys, frozenset) and fingerprint in self.accept_new_keys)

    def unsigned_ok(self, sha256: str) -> bool:
        return self.accept_unsigned is True or (
            isinstance(self.accept_unsigned, frozenset) and sha256 in self.accept_unsigned)


@dataclass
class ImportOutcome:
    """What happened (or, in a preview, would happen) to one file."""

    file_name: str
    outcome: str
    reason: str = ""
    sha256: str | None = None
    unit_code: str | None = None
    unit_name: str | None = None
    period: str | None = None
    version: int | None = None
    superseded_version: int | None = None
    new_records: int = 0
    replaced_records: int = 0
    duplicates: list[str] = field(default_factory=list)
    # The sealed names: "none" (the package has none), "opened", "encrypted" (no key given),
    # "refused" (wrong key or passphrase, damaged file: see names_reason; figures still in).
    names: str = NO_NAMES
    names_reason: str = ""
    names_opened: int = 0
    # Who signed it (issue 19): KNOWN_KEY, NEW_KEY, UNSIGNED ("" when not checked), the key's
    # fingerprint, and whether the officer must confirm it (first key, unsigned package).
    key_status: str = ""
    signer_fingerprint: str | None = None
    needs_confirmation: bool = False
    known_fingerprint: str | None = None  # the unit's known key, when the package has another
    # The officer named in the manifest (shown when confirming a first key).
    prepared_by: str = ""
    warnings: list[str] = field(default_factory=list)
    # issue 21: the package would replace a version the officer accepted (needs confirmation).
    replaces_accepted: bool = False

    @property
    def refused(self) -> bool:
        return self.outcome in (REFUSED, OUTDATED)

    @property
    def names_refused(self) -> bool:
        """The names could not be opened although a key was given (the package itself may
        well be accepted)."""
        return self.names == NAMES_REFUSED and not self.refused

    def to_json(self) -> dict[str, Any]:
        return {"file": self.file_name, "outcome": self.outcome, "reason": self.reason or None,
                "sha256": self.sha256, "unit": self.unit_code, "unit_name": self.unit_name,
                "period": self.period, "version": self.version,
                "superseded_version": self.superseded_version,
                "new_records": self.new_records, "replaced_records": self.replaced_records,
                "duplicates": self.duplicates,
                "names": {"status": self.names, "reason": self.names_reason or None,
                          "opened": self.names_opened},
                "signature": {"status": self.key_status or None,
                              "fingerprint": self.signer_fingerprint,
                              "short_code": self.short_code or None,
                              "needs_confirmation": self.needs_confirmation},
                "warnings": self.warnings, "replaces_accepted": self.replaces_accepted}

    @property
    def short_code(self) -> str:
        return short_code(self.signer_fingerprint) if self.signer_fingerprint else ""

    def describe(self) -> str:
        """One Vietnamese line for the officer."""
        head = f"{self.file_name}: "
        if self.outcome == ACCEPTED:
            text = t("nhận gói của {unit} kỳ {period}, phiên bản {version} ({new} bản ghi mới).",
                     unit=self.unit_name, period=self.period, version=self.version,
                     new=self.new_records)
        elif self.outcome == SUPERSEDES:
            text = t("phiên bản {version} của {unit} kỳ {period} thay thế phiên bản {old} "
                     "({new} bản ghi mới, {replaced} bản ghi thay thế).",
                     version=self.version, unit=self.unit_name, period=self.period,
                     old=self.superseded_version, new=self.new_records,
                     replaced=self.replaced_records)
        elif self.outcome == ALREADY and self.names_opened:
            text = t("đã nhận gói này trước đây; số liệu không thay đổi.")
        elif self.outcome == ALREADY:
            text = t("đã nhận gói này trước đây; không có gì thay đổi.")
        else:
            text = t("bị từ chối: {reason}", reason=self.reason)
        extra = "".join("\n  " + t("Có thể trùng: {what}", what=d) for d in self.duplicates)
        if not self.refused:
            extra += "".join("\n  " + t("Cảnh báo: {what}", what=w) for w in self.warnings)
            if self.key_status == NEW_KEY:
                extra += "\n  " + t("Khoá ký mới của đơn vị, mã {code}: đã ghi nhận.",
                                     code=self.short_code)
            elif self.key_status == UNSIGNED:
                extra += "\n  " + t("Gói không có chữ ký (định dạng 1.0): nhận theo xác nhận "
                                     "của cán bộ.")
            if self.replaces_accepted:
                extra += "\n  " + t("Thay thế phiên bản đã được chấp nhận (xét duyệt), theo "
                                     "xác nhận của cán bộ; phiên bản mới cần được xét duyệt "
                                     "lại.")
        names = "" if self.refused else describe_names(self.names, self.names_reason,
                                                       self.names_opened)
        return head + text + extra + ("\n  " + names if names else "")


Progress = Callable[[int, int, str], None]


def import_packages(db: Database, paths: Sequence[Path], *, dry_run: bool = False,
                    progress: Progress | None = None, private_key: PrivateKey | None = None,
                    trust: Trust | None = None,
                    on_wait: Callable[[], None] | None = None) -> list[ImportOutcome]:
    """Import `paths` (or, with `dry_run`, preview them). Refusals are logged (in the table
    RefusedPackage and the data folder's log) only when not a dry run. With `private_key`,
    the names of packages sealed to it are opened and stored (already imported ones too).
    `trust`: what the officer confirmed (first keys, unsigned packages); by default nothing,
    so a unit's first package and an unsigned one are refused with the reason. `on_wait` is
    called each time the transaction waits for another writer (the page says so)."""
    trust = trust or Trust()
    read: list[ReadPackage | ImportOutcome] = []
    for i, path in enumerate(paths):
        if progress:
            progress(i, len(paths) * 2, Path(path).name)
        try:
            read.append(read_package(Path(path)))
        except PackageRefused as exc:
            # on one line: an entry name's newline is shown, never obeyed
            read.append(ImportOutcome(exc.file_name, REFUSED, one_line(exc.reason), exc.sha256))
    # Decrypt before the transaction: the key derivation and AES work hold no lock.
    names = {id(r): open_names(r, private_key) for r in read if isinstance(r, ReadPackage)}
    if not dry_run and db.data_dir is not None and _writes_something(db, read, names):
        backup_before_change(db)
    # One transaction, run again from scratch while another writer holds the database (the
    # backup above is made once): a lock that outlasts the wait is told in one sentence.
    outcomes = retry_or_tell(
        lambda: _transaction(db, read, names, trust, dry_run=dry_run, progress=progress),
        on_wait=(lambda _attempt: on_wait()) if on_wait is not None else None)
    if not dry_run:
        _log_refusals(db, outcomes)
    return outcomes


def _transaction(db: Database, read: Sequence[ReadPackage | ImportOutcome],
                 names: dict[int, Names], trust: Trust, *, dry_run: bool,
                 progress: Progress | None) -> list[ImportOutcome]:
    """The import's one transaction. Keeps nothing between runs: every outcome of a stored
    package is made afresh here (the refusals of reading are final, never changed)."""
    total = len(read) * 2
    outcomes: list[ImportOutcome] = []
    with Session(db.engine, expire_on_commit=False) as session:
        tx = session.begin()
        try:
            home = home_unit(session)
            if home is None:
                raise PackageRefused("-", t("chưa chọn đơn vị sử dụng chương trình (lệnh init)."))
            who = officer_name(db, session)
            for i, item in enumerate(read):
                if progress:
                    progress(len(read) + i, total, _name(item))
                outcomes.append(item if isinstance(item, ImportOutcome)
                                else _import_one(session, home, item, names[id(item)], trust,
                                                 who))
            if not dry_run:
                for o in outcomes:
                    if o.refused:
                        session.add(RefusedPackage(file_name=o.file_name[:300], sha256=o.sha256,
                                                   reason=o.reason))
            if dry_run:
                tx.rollback()
            else:
                tx.commit()
        except BaseException:
            if tx.is_active:
                tx.rollback()
            raise
    return outcomes


def preload_for(db: Database) -> None:
    """Import, on the calling (main) thread, every module an import in a worker will use:
    PySide6's import hook is not thread-safe, and a first import in a worker thread can crash
    the process. The window calls this before starting the work off the UI thread."""
    preload()
    # What the worker imports lazily: the backup's OS-error words and the PDF's ký số check
    # (pyHanko only reads a signed PDF, but its first import must not be in the worker).
    import asn1crypto.x509  # noqa: F401
    import pyhanko.pdf_utils.reader
    import pyhanko.sign.validation  # noqa: F401
    import pyhanko_certvalidator  # noqa: F401

    import htx_desktop.reports.pdf_signing
    import htx_desktop.store.os_errors
    if db.is_server:
        import htx_desktop.store.backup_pg  # noqa: F401


def backup_before_change(db: Database) -> None:
    """ONE backup before the whole command (not one per package)."""
    assert db.data_dir is not None
    if db.is_server:  # the office's PostgreSQL server
        from htx_desktop.store.backup_pg import backup_server

        backup_server(db.engine, db.data_dir.backups, "import")
        return
    backup_to_dir(db.data_dir.db_path, db.data_dir.backups, reason="import")
    # A day of imports made hundreds of full backups: bounded per day and in number.
    prune_backups(db.data_dir.backups, keep_setting(db.data_dir.db_path))


def preview_placement(db: Database, pkg: ReadPackage, *, require_home: bool = True
                      ) -> str | None:
    """Why the package cannot be imported here (not below the home unit), or None."""
    with db.session() as session:
        home = home_unit(session)
        if home is None:
            return (t("chưa chọn đơn vị sử dụng chương trình (lệnh init).")
                    if require_home else None)
        below = {u.code for u in descendant_units(session, home.id, include_self=False)}
        if pkg.unit_code not in below:
            return _not_below(session, pkg, home)
    return None


def local_unit_name(session: Session, code: str) -> str | None:
    """The unit's name in this PC's unit list (never the manifest's: a package may say
    anything about itself), the current era first; None if the code is not in the list."""
    return session.scalars(select(Unit.name).where(Unit.code == code)
                           .order_by(Unit.valid_to.is_not(None), Unit.valid_to.desc())).first()


def _not_below(session: Session, pkg: ReadPackage, home: Unit) -> str:
    name = local_unit_name(session, pkg.unit_code) or t("không có trong danh mục đơn vị của "
                                                        "máy này")
    return t("đơn vị {code} ({name}) không trực thuộc đơn vị sử dụng {home}; gói này "
             "không gửi cho đơn vị này.", code=pkg.unit_code, name=name, home=home.code)


def _name(item: ReadPackage | ImportOutcome) -> str:
    return item.file_name


def _writes_something(db: Database, read: Iterable[ReadPackage | ImportOutcome],
                      names: dict[int, Names]) -> bool:
    """True if some package may be stored (not refused, not already imported), or names
    opened (an already imported package gets them): back up then."""
    read = list(read)
    if any(names.get(id(r), Names()).people for r in read):
        return True
    fresh = [r.sha256 for r in read if isinstance(r, ReadPackage)]
    if not fresh:
        return False
    with db.session() as session:
        known = set(session.scalars(select(Submission.sha256).where(
            Submission.sha256.in_(fresh))))
        home = home_unit(session)
        if home is None:
            return False
        below = {u.code: u for u in descendant_units(session, home.id, include_self=False)}
        # A package refused before any write (not below this unit, an old or repeated version)
        # makes no backup.
        return any(_may_store(session, below, r) for r in read
                   if isinstance(r, ReadPackage) and r.sha256 not in known)


def _may_store(session: Session, below: dict[str, Unit], pkg: ReadPackage) -> bool:
    unit = below.get(pkg.unit_code)
    if unit is None:
        return False
    seen = session.scalar(select(func.max(Submission.version)).where(
        Submission.unit_id == unit.id, Submission.period == pkg.period.label))
    return seen is None or pkg.version > seen


def _log_refusals(db: Database, outcomes: list[ImportOutcome]) -> None:
    refused = [o for o in outcomes if o.refused]
    if not refused or db.data_dir is None:
        return
    try:
        db.data_dir.logs.mkdir(parents=True, exist_ok=True)
        with (db.data_dir.logs / "import.log").open("a", encoding="utf-8") as fh:
            for o in refused:
                # Escaped: a newline in a file or entry name cannot forge a log line.
                fh.write(f"{datetime.now().isoformat(timespec='seconds')} REFUSED "
                         f"{escape_control(o.file_name)} sha256={o.sha256} "
                         f"{escape_control(o.reason)}\n")
    except OSError:  # the log is best effort; the refusal is in the database and on screen
        log.exception("could not write the import log")


def _prepared_by(pkg: ReadPackage) -> str:
    who = pkg.manifest.get("prepared_by") or {}
    parts = [str(who.get(k) or "").strip() for k in ("name", "position", "phone")]
    return ", ".join(p for p in parts if p)


def _import_one(session: Session, home: Unit, pkg: ReadPackage, names: Names, trust: Trust,
                who: str) -> ImportOutcome:
    out = ImportOutcome(pkg.file_name, REFUSED, sha256=pkg.sha256, unit_code=pkg.unit_code,
                        unit_name=local_unit_name(session, pkg.unit_code),
                        period=pkg.period.label, version=pkg.version,
                        names=names.status, names_reason=names.reason,
                        signer_fingerprint=pkg.signer_fingerprint,
                        prepared_by=_prepared_by(pkg))
    earlier = session.scalars(select(Submission).where(Submission.sha256 == pkg.sha256)).first()
    if earlier is not None:
        if earlier.status == WITHDRAWN:
            out.reason = t("phiên bản {version} của đơn vị này cho kỳ {period} đã bị rút; gói "
                           "đã rút không bao giờ được nhận lại.", version=earlier.version,
                           period=earlier.period)
            return out
        out.outcome = ALREADY
        _names_of_earlier(session, earlier, names, out)
        return out
    # A package comes from a unit of today: of two units with its code (one older, whose code
    # was reused on 1/7/2025), the latest.
    below = {u.code: u for u in sorted(
        descendant_units(session, home.id, include_self=False),
        key=lambda u: (u.valid_to is None, u.valid_to or datetime.min.date()))}
    unit = below.get(pkg.unit_code)
    if unit is None:
        out.reason = _not_below(session, pkg, home)
        return out
    out.unit_name = unit.name
    try:
        learn = _check_sender(session, unit, pkg, trust, out)
    except PackageRefused as exc:
        out.reason = exc.reason
        return out
    seen = session.scalar(select(func.max(Submission.version)).where(
        Submission.unit_id == unit.id, Submission.period == pkg.period.label))
    if seen is not None and pkg.version <= seen:
        out.outcome = OUTDATED if pkg.version < seen else REFUSED
        out.reason = (t("phiên bản {version} cũ hơn phiên bản {seen} đã nhận của đơn vị này "
                        "cho kỳ {period}.", version=pkg.version, seen=seen,
                        period=pkg.period.label) if pkg.version < seen else
                      t("đã nhận một gói khác cùng phiên bản {version} của đơn vị này cho kỳ "
                        "{period}; hãy đề nghị đơn vị xuất phiên bản mới.",
                        version=pkg.version, period=pkg.period.label))
        return out
    if seen is not None and pkg.version > seen + 1:
        out.warnings.append(t(
            "phiên bản {version} cao hơn phiên bản đã nhận gần nhất ({seen}) quá một bậc; hãy "
            "hỏi lại đơn vị xem các phiên bản ở giữa có được gửi không.",
            version=pkg.version, seen=seen))
    prior = session.scalars(select(Submission).where(
        Submission.unit_id == unit.id, Submission.period == pkg.period.label,
        Submission.status == "accepted")).first()
    if prior is not None and _accepted_by_reviewer(session, prior):
        out.replaces_accepted = True
        if not trust.replace_accepted_ok(pkg.sha256):
            out.needs_confirmation = True
            if not trust.preview:
                out.reason = t(
                    "phiên bản {old} của đơn vị này cho kỳ {period} đã được CHẤP NHẬN (xét "
                    "duyệt); phiên bản {version} chỉ thay thế nó khi anh/chị xác nhận rõ "
                    "(lệnh import với --replace-accepted, hoặc xác nhận trong cửa sổ).",
                    old=prior.version, period=pkg.period.label, version=pkg.version)
                return out
    nested = session.begin_nested()
    try:
        if learn:
            learn_key(session, unit.code, learn, by=who, source=pkg.file_name)
        _store(session, home, unit, pkg, prior, out)
        # In the package's savepoint: names are written with its records or not at all.
        if names.status == OPENED:
            foreign = foreign_names(session, names, unit.id)
            if foreign:
                raise PackageRefused(pkg.file_name, t(
                    "gói mang họ tên của {n} người không đến từ các gói của chính đơn vị gửi "
                    "(người của đơn vị khác, hoặc người do máy này nhập); một gói chỉ được nói "
                    "về đơn vị gửi và các đơn vị trực thuộc nó.", n=len(foreign)), pkg.sha256)
        out.names_opened = apply_names(session, names, unit.id)
        nested.commit()
    except PackageRefused as exc:
        nested.rollback()
        out.outcome, out.reason = REFUSED, exc.reason
    except IntegrityError:
        nested.rollback()
        out.outcome = REFUSED
        out.reason = t("bản ghi của gói không khớp danh mục hoặc dữ liệu đã có (mã đơn vị, "
                       "kế hoạch, dân tộc hay liên kết giữa các bản ghi); gói không được nhận.")
    except OperationalError:  # the connection or a serialization conflict: the whole command
        raise
    except Exception as exc:  # any other failure refuses this one file alone
        nested.rollback()
        log.exception("package %s could not be stored", escape_control(pkg.file_name))
        out.outcome = REFUSED
        out.reason = t("không lưu được số liệu của gói ({error}); gói không được nhận.",
                       error=type(exc).__name__)
    return out


def _accepted_by_reviewer(session: Session, prior: Submission) -> bool:
    from htx_desktop.store.review import ACCEPTED, review_of

    review = review_of(session, prior.id)
    return review is not None and review.decision == ACCEPTED


def _check_sender(session: Session, unit: Unit, pkg: ReadPackage, trust: Trust,
                  out: ImportOutcome) -> bytes | None:
    """Is the package the unit's own (issue 19)? Refuses (PackageRefused) a package signed with
    another key than the unit's known one, or unsigned from a unit whose key is known, whatever
    was confirmed; a first key or an unsigned package only as `trust` allows. Returns the key
    to learn (a first key, confirmed), else None."""
    known = current_key(session, unit.code)
    name = f"{unit.code} ({unit.name})"
    if pkg.signer is None:
        out.key_status = UNSIGNED
        if known is not None:
            out.known_fingerprint = known.fingerprint
            raise PackageRefused(pkg.file_name, t(
                "gói không có chữ ký, nhưng đơn vị {unit} đã có khoá ký (mã {known}): gói có "
                "thể là giả mạo. Hãy gọi điện cho đơn vị để hỏi.", unit=name,
                known=known.short_code), pkg.sha256)
        if not trust.unsigned_ok(pkg.sha256):
            out.needs_confirmation = True
            if not trust.preview:
                raise PackageRefused(pkg.file_name, t(
                    "gói không có chữ ký (định dạng 1.0, làm bằng phiên bản cũ của chương "
                    "trình): không biết chắc ai đã làm gói. Chỉ nhận khi đã gọi điện xác nhận "
                    "với đơn vị {unit} (lệnh import với --accept-unsigned).", unit=name),
                    pkg.sha256)
        return None
    fp = pkg.signer_fingerprint or ""
    if known is None:
        out.key_status = NEW_KEY
        if not trust.new_key_ok(fp):
            out.needs_confirmation = True
            if not trust.preview:
                raise PackageRefused(pkg.file_name, t(
                    "lần đầu nhận gói của đơn vị {unit}: khoá ký của gói có mã {code}. Hãy gọi "
                    "điện cho đơn vị (người lập: {who}) để đối chiếu mã này, rồi nhận lại với "
                    "--accept-new-key.", unit=name, code=short_code(fp),
                    who=out.prepared_by or "?"), pkg.sha256)
        return pkg.signer
    if known.fingerprint != fp:
        out.key_status, out.known_fingerprint = OTHER_KEY, known.fingerprint
        raise PackageRefused(pkg.file_name, t(
            "gói được ký bằng khoá mã {new}, không phải khoá đã biết của đơn vị {unit} (mã "
            "{known}): gói có thể là giả mạo. Không nhận. Nếu đơn vị thật sự đã đổi khoá (mất "
            "máy), hãy gọi điện xác nhận rồi thay khoá có ghi lý do (lệnh keys replace).",
            new=short_code(fp), unit=name, known=known.short_code), pkg.sha256)
    out.key_status = KNOWN_KEY
    return None


def _store(session: Session, home: Unit, unit: Unit, pkg: ReadPackage,
           prior: Submission | None, out: ImportOutcome) -> None:
    tree = scope_units(session, unit.id)
    unit_ids = unit_ids_of(session, tree)
    ids = package_ids(pkg.dataset)
    previous_ids: set[str] = set()
    if prior is not None:
        previous_ids = _ids_of_submission(session, prior.id)
        delete_submission_records(session, prior.id)
        prior.status = "superseded"
        out.outcome, out.superseded_version = SUPERSEDES, prior.version
    else:
        out.outcome = ACCEPTED
    replace_same_unit_records(session, unit, pkg.period.label, pkg.dataset, ids, unit_ids)
    taken = ids_in_use(session, ids)
    if taken:
        raise PackageRefused(pkg.file_name, t(
            "{count} bản ghi của gói đã có trong cơ sở dữ liệu này (từ dữ liệu của đơn vị hoặc "
            "gói của đơn vị khác); nhận gói sẽ tính trùng. Hãy kiểm tra gói đã nhận.",
            count=len(taken)), pkg.sha256)
    deadline = deadline_for(session, pkg.period)
    now = utcnow()
    created = _parse_time(pkg.manifest.get("created_at"))
    sub = Submission(unit_id=unit.id, period=pkg.period.label, version=pkg.version,
                     sha256=pkg.sha256, file_name=pkg.file_name, received_at=now,
                     created_at=created, on_time=now.astimezone().date() <= deadline,
                     status="accepted", manifest=pkg.manifest)
    session.add(sub)
    session.flush()
    session.add(SubmissionData(submission_id=sub.id, data=encode_package_data(pkg.dataset)))
    trashed = flag_duplicates(session, pkg.dataset, unit_ids, sub.id)
    out.duplicates = list(trashed.values())
    try:
        insert_package(session, pkg.dataset, sub.id, unit_ids, trashed)
    except PackageRefused as exc:
        raise PackageRefused(pkg.file_name, exc.reason, pkg.sha256) from exc
    all_ids = set().union(*ids.values())
    out.new_records = len(all_ids - previous_ids)
    out.replaced_records = len(all_ids & previous_ids)


def _names_of_earlier(session: Session, earlier: Submission, names: Names,
                      out: ImportOutcome) -> None:
    """An already imported package given again with the key: its names are opened now (the
    officer had no key, or a wrong one, the first time). Only for the current version: an
    older version's people may since belong to the newer one."""
    if not names.people:
        return
    if earlier.status != "accepted":
        out.names, out.names_reason = NAMES_REFUSED, t(
            "gói này đã được phiên bản mới hơn thay thế; hãy mở họ tên từ gói mới nhất.")
        return
    foreign = foreign_names(session, names, earlier.unit_id)
    if foreign:
        out.names, out.names_reason = NAMES_REFUSED, t(
            "gói mang họ tên của {n} người không đến từ các gói của chính đơn vị gửi; không mở "
            "họ tên của gói này.", n=len(foreign))
        return
    nested = session.begin_nested()
    out.names_opened = apply_names(session, names, earlier.unit_id)
    nested.commit()


def unit_ids_of(session: Session, tree: list[Unit]) -> dict[str, int]:
    """unit key → unit id in the sender's tree (its units, those below and those that became
    them). An older unit whose code was reused is `CODE-YYYYMMDD` (store/unit_eras.py), so its
    records go back to it; a bare code names the latest unit of that code in the tree (a
    package from before keys: the latest era of a code wins)."""
    ordered = sorted(tree, key=lambda u: (u.valid_to is None, u.valid_to or datetime.min.date()))
    out = {u.code: u.id for u in ordered}
    out.update({key: uid for uid, key in unit_keys(session, tree).items()})
    return out


def _parse_time(text: Any) -> datetime | None:
    try:
        return datetime.fromisoformat(str(text).replace("Z", "+00:00"))
    except ValueError:
        return None


def _ids_of_submission(session: Session, sub_id: int) -> set[str]:
    out: set[str] = set()
    for model in RECORD_TABLES:
        out.update(session.scalars(select(model.id).where(model.submission_id == sub_id)))
    return out


def ids_in_use(session: Session, ids: dict[type[Any], set[str]]) -> set[str]:
    taken: set[str] = set()
    for model, wanted in ids.items():
        values = sorted(wanted)
        for i in range(0, len(values), 5000):
            taken.update(session.scalars(select(model.id).where(
                model.id.in_(values[i:i + 5000]))))
    return taken


def replace_same_unit_records(session: Session, unit: Unit, period_label: str,
                              dataset: Dataset, ids: dict[type[Any], set[str]],
                              unit_ids: dict[str, int]) -> None:
    """Records of this unit's packages for other periods that the new package carries again:
    the new package holds their latest state, so the old rows give way."""
    others = list(session.scalars(select(Submission.id).where(
        Submission.unit_id == unit.id, Submission.status == "accepted",
        Submission.period != period_label)))
    if not others:
        return
    delete_records(session, others, ids)
    delete_keyed_rows(session, others, dataset, unit_ids)


def flag_duplicates(session: Session, dataset: Dataset, unit_ids: dict[str, int],
                    sub_id: int) -> dict[str, str]:
    """The package's cooperatives that look like one this database already counts:
    cooperative id → the note saying with which (they are stored in the trash)."""
    found: dict[str, str] = {}
    for coop in dataset.cooperatives:
        commune = unit_ids.get(coop.unit_code)
        other = session.execute(
            select(Cooperative.id, Cooperative.name, Cooperative.tax_code, Unit.code,
                   Unit.name).join(Unit, Unit.id == Cooperative.unit_id)
            .where(Cooperative.deleted_at.is_(None), Cooperative.id != coop.id,
                   or_(Cooperative.submission_id.is_(None), Cooperative.submission_id != sub_id),
                   or_(Cooperative.tax_code == coop.tax_code if coop.tax_code else false(),
                       (Cooperative.name_key == fold(coop.name))
                       & (Cooperative.unit_id == commune)))).first()
        if other is None:
            continue
        what = t("“{name}” ({unit}) của gói trùng với “{other}” ({other_unit}) đã có; bản "
                 "ghi mới được đưa vào thùng rác để không tính hai lần — khôi phục nếu không "
                 "trùng.", name=coop.name, unit=coop.unit_code, other=other[1],
                 other_unit=other[4])
        found[coop.id] = what
    return found
