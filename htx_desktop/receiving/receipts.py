"""Receipts (biên nhận, issue 21): the way back down.

The receiving unit writes one small signed JSON file per decision on a submission
(`receipts --out DIR`), named `BN-<unit>_<period>_v<N>.json` after the package it answers;
the sending unit imports it (`import FILE`, or the receive page) and learns whether its package
was accepted or returned, with the comments.

Decisions, written once here:
- A receipt is signed with the receiving unit's signing key (reports/signing.py) under the
  context "receipt", so a package's signature can never pass as a receipt's (nor the reverse).
  The signed bytes are the receipt without `signature`, as canonical JSON.
- The sending unit accepts a receipt only when: the signature is valid; it comes from its own
  level above (the parent of the home unit) signed with the level above's known key (the first
  one learnt like a sender's key, confirmed once: `--accept-new-key`); and it answers a
  package this PC exported (the SHA-256 of the whole file is among its exports). Anything else
  is refused, nothing changes, and the refusal never shows the receipt's comments.
- One receipt per exported package is kept: a later decision replaces an earlier one; an older
  one than what is kept changes nothing.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from htx_desktop import __version__
from htx_desktop.errors import Refusal
from htx_desktop.i18n import t
from htx_desktop.receiving.importer import (
    ALREADY,
    KNOWN_KEY,
    NEW_KEY,
    OTHER_KEY,
    REFUSED,
    ImportOutcome,
    Trust,
)
from htx_desktop.receiving.limits import LimitExceeded, loads_json, one_line
from htx_desktop.reports.signing import (
    ALGORITHM,
    SIGNATURE,
    SIGNER,
    UnitKey,
    canonical,
    fingerprint,
    public_b64,
    public_from_b64,
    short_code,
    verify,
)
from htx_desktop.store.clock import utcnow
from htx_desktop.store.engine import Database
from htx_desktop.store.models import (
    AuditEntry,
    Export,
    ExportReceipt,
    Submission,
    SubmissionReview,
    Unit,
)
from htx_desktop.store.review import ACCEPTED

RECEIPT_CONTEXT = "receipt"
FORMAT, FORMAT_VERSION = "htx-receipt", "1.0"
RECEIPT_SCHEMA = "receipt.schema.json"
MAX_RECEIPT_BYTES = 512 * 1024
RECEIPT = "receipt"  # ImportOutcome.outcome of a receipt taken in
SENT = "sent"  # a package with no receipt yet (sent --json)


def preload_receipts() -> None:
    """Build the receipt schema's validator on the calling (main) thread: a worker thread
    must not be the first to import (see importer.preload_for)."""
    from htx_desktop.receiving.schemas import _validator
    from htx_desktop.reports import unit_keys  # noqa: F401
    from htx_desktop.store import record_kinds, review, settings  # noqa: F401

    _validator(RECEIPT_SCHEMA)


def receipt_name(unit_code: str, period_label: str, version: int) -> str:
    return f"BN-{unit_code}_{period_label}_v{version}.json"


def looks_like_receipt(path: Path) -> bool:
    """A receipt is a .json file (a package is a .zip)."""
    return Path(path).suffix.lower() == ".json"


def _iso(when: datetime) -> str:
    return when.astimezone().isoformat(timespec="seconds")


def _parse_time(text: Any) -> datetime:
    """An ISO time as an aware UTC datetime: stored as UTC like every time of the store (a
    SQLite column keeps no offset, and is read back as UTC)."""
    value = datetime.fromisoformat(str(text).replace("Z", "+00:00"))
    return (value if value.tzinfo else value.astimezone()).astimezone(UTC)


# ----------------------------------------------------------------- writing (the level above)


def sign_receipt(body: dict[str, Any], key: UnitKey) -> dict[str, Any]:
    out = {k: v for k, v in body.items() if k != SIGNATURE}
    out[SIGNER] = {"algorithm": ALGORITHM, "public_key": public_b64(key.public_raw)}
    out[SIGNATURE] = public_b64(key.sign(RECEIPT_CONTEXT, canonical(out)))
    return out


def build_receipt(review: SubmissionReview, sub: Submission, reviewer: Unit,
                  key: UnitKey) -> dict[str, Any]:
    body = {
        "format": FORMAT, "format_version": FORMAT_VERSION,
        "program": {"name": "htx-desktop", "version": __version__},
        "package": {"unit_code": sub.unit.code, "period": sub.period, "version": sub.version,
                    "sha256": sub.sha256, "file_name": sub.file_name[:300]},
        "reviewer": {"code": reviewer.code, "name": reviewer.name, "level": reviewer.level},
        "decision": review.decision,
        "comments": [dict(c) for c in review.comments or []],
        "decided_by": review.decided_by, "decided_at": _iso(_aware(review.decided_at)),
        "issued_at": _iso(utcnow()),
    }
    return sign_receipt(body, key)


def _aware(when: datetime) -> datetime:
    return when.replace(tzinfo=UTC) if when.tzinfo is None else when


@dataclass(frozen=True)
class WrittenReceipt:
    path: Path
    unit_code: str
    period: str
    version: int
    decision: str

    def to_json(self) -> dict[str, Any]:
        return {"file": str(self.path), "unit": self.unit_code, "period": self.period,
                "version": self.version, "decision": self.decision}


def pending_reviews(session: Session) -> list[SubmissionReview]:
    """The decisions whose receipt has not been written since they were made."""
    return list(session.scalars(select(SubmissionReview).where(
        SubmissionReview.receipt_written_at.is_(None)).order_by(SubmissionReview.id)))


def write_receipts(db: Database, out_dir: Path) -> list[WrittenReceipt]:
    """Write the receipts not written yet into `out_dir` and mark them written (one
    transaction: a receipt is marked only once its file is in place)."""
    from htx_desktop.reports.errors import PackageError
    from htx_desktop.reports.signing import SigningError
    from htx_desktop.reports.unit_keys import own_key
    from htx_desktop.store.settings import home_unit

    out_dir = Path(out_dir)
    if out_dir.exists() and not out_dir.is_dir():
        raise PackageError(t("“{path}” là một tệp, không phải thư mục: hãy chọn thư mục để "
                             "ghi biên nhận.", path=str(out_dir)))
    try:
        key = own_key(db)
    except SigningError as exc:
        raise PackageError(exc.user_message) from exc
    written: list[WrittenReceipt] = []
    with db.session() as session:
        home = home_unit(session)
        if home is None or key is None:
            raise PackageError(t("Chưa chọn đơn vị sử dụng chương trình: hãy chạy lệnh init."))
        reviews = pending_reviews(session)
        if reviews:
            out_dir.mkdir(parents=True, exist_ok=True)
        now = utcnow()
        for review in reviews:
            sub = review.submission
            body = build_receipt(review, sub, home, key)
            path = out_dir / receipt_name(sub.unit.code, sub.period, sub.version)
            _write_atomic(path, canonical_pretty(body))
            review.receipt_written_at, review.receipt_file = now, path.name
            written.append(WrittenReceipt(path, sub.unit.code, sub.period, sub.version,
                                          review.decision))
    return written


def canonical_pretty(body: dict[str, Any]) -> bytes:
    import json

    return json.dumps(body, ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8") + b"\n"


def _write_atomic(path: Path, raw: bytes) -> None:
    fd, name = tempfile.mkstemp(prefix=".bn-", suffix=".part", dir=path.parent)
    tmp = Path(name)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(raw)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


# ----------------------------------------------------------------- reading (the sending unit)


class ReceiptRefused(Refusal):
    """A receipt refused: the officer reads "file: reason"."""

    def __init__(self, file_name: str, reason: str) -> None:
        super().__init__(f"{file_name}: {reason}")
        self.file_name, self.reason = file_name, reason


@dataclass(frozen=True)
class ReadReceipt:
    file_name: str
    body: dict[str, Any]
    signer: bytes

    @property
    def signer_fingerprint(self) -> str:
        return fingerprint(self.signer)

    @property
    def package(self) -> dict[str, Any]:
        return dict(self.body["package"])

    @property
    def reviewer(self) -> dict[str, Any]:
        return dict(self.body["reviewer"])


def _schema_problem(body: Any) -> str | None:
    from htx_desktop.receiving.schemas import _validator

    errors = sorted(_validator(RECEIPT_SCHEMA).iter_errors(body),
                    key=lambda e: [str(p) for p in e.absolute_path])
    if not errors:
        return None
    where = "/".join(str(p) for p in errors[0].absolute_path) or t("(gốc)")
    return t("tệp không đúng định dạng biên nhận (tại {where}).", where=where)


def read_receipt(path: Path) -> ReadReceipt:
    """Check a receipt file on its own (size, JSON, format, signature); ReceiptRefused with a
    Vietnamese reason otherwise. Who signed it is checked by `import_receipts`."""
    path = Path(path)
    name = path.name
    try:
        size = path.stat().st_size
        if size > MAX_RECEIPT_BYTES:
            raise ReceiptRefused(name, t("tệp quá lớn để là một biên nhận ({kb} KB).",
                                         kb=size // 1024))
        raw = path.read_bytes()
    except OSError as exc:
        raise ReceiptRefused(name, t("không đọc được tệp: {error}",
                                     error=exc.strerror or str(exc))) from exc
    try:
        body = loads_json(raw, max_depth=8)
    except (LimitExceeded, ValueError) as exc:
        raise ReceiptRefused(name, t("tệp không phải biên nhận của HTX Desktop (không đọc "
                                     "được JSON).")) from exc
    if not isinstance(body, dict) or body.get("format") != FORMAT:
        raise ReceiptRefused(name, t("tệp không phải biên nhận của HTX Desktop."))
    version = str(body.get("format_version") or "")
    if not version.startswith("1."):
        raise ReceiptRefused(name, t("biên nhận được tạo bởi phiên bản mới hơn của chương "
                                     "trình; hãy cập nhật HTX Desktop."))
    problem = _schema_problem(body)
    if problem:
        raise ReceiptRefused(name, problem)
    try:
        public = public_from_b64(body[SIGNER]["public_key"])
        signature = public_from_b64(body[SIGNATURE])
    except (ValueError, KeyError, TypeError) as exc:
        raise ReceiptRefused(name, t("chữ ký của biên nhận bị hỏng.")) from exc
    signed = canonical({k: v for k, v in body.items() if k != SIGNATURE})
    if not verify(public, RECEIPT_CONTEXT, signed, signature):
        raise ReceiptRefused(name, t("chữ ký của biên nhận không khớp nội dung: biên nhận đã "
                                     "bị sửa, hoặc không do cấp trên làm ra. Không nhận."))
    try:
        _parse_time(body["decided_at"])
    except ValueError as exc:
        raise ReceiptRefused(name, t("thời điểm quyết định không đọc được.")) from exc
    return ReadReceipt(name, body, public)


@dataclass
class ReceiptOutcome(ImportOutcome):
    """What happened (or would happen) to one receipt file: outcome RECEIPT (taken in),
    ALREADY, or REFUSED. `decision` and `comments` are set only when the receipt passed every
    check (a refused receipt's comments are never shown)."""

    decision: str | None = None
    comments: list[dict[str, Any]] = field(default_factory=list)
    decided_by: str = ""
    decided_at: str | None = None
    labels: dict[str, str] = field(default_factory=dict)  # record id → this PC's name for it

    @property
    def is_receipt(self) -> bool:
        return True

    def to_json(self) -> dict[str, Any]:
        return {"file": self.file_name, "outcome": self.outcome, "reason": self.reason or None,
                "reviewer": self.unit_code, "reviewer_name": self.unit_name,
                "period": self.period, "version": self.version, "decision": self.decision,
                "comments": self.comments, "decided_by": self.decided_by or None,
                "decided_at": self.decided_at,
                "signature": {"status": self.key_status or None,
                              "fingerprint": self.signer_fingerprint,
                              "short_code": self.short_code or None,
                              "needs_confirmation": self.needs_confirmation}}

    def describe(self) -> str:
        head = f"{self.file_name}: "
        if self.outcome == REFUSED:
            return head + t("biên nhận bị từ chối: {reason}", reason=self.reason)
        unit = self.unit_name or self.unit_code
        text = (t("cấp trên ({unit}) đã CHẤP NHẬN gói kỳ {period}, phiên bản {version}",
                  unit=unit, period=self.period, version=self.version)
                if self.decision == ACCEPTED else
                t("cấp trên ({unit}) đã TRẢ LẠI gói kỳ {period}, phiên bản {version}, để sửa",
                  unit=unit, period=self.period, version=self.version))
        if self.decided_by:
            text += t(" (người quyết định: {who})", who=self.decided_by)
        text += "."
        if self.outcome == ALREADY:
            text = t("đã nhận biên nhận này trước đây; không có gì thay đổi.")
        lines = [head + text]
        if self.outcome != ALREADY:
            from htx_desktop.store.review import describe_comment

            lines += ["  " + t("Ý kiến: {text}", text=describe_comment(c, self.labels))
                      for c in self.comments]
            if self.key_status == NEW_KEY:
                lines.append("  " + t("Khoá ký mới của cấp trên, mã {code}: đã ghi nhận.",
                                      code=self.short_code))
        return "\n".join(lines)


def import_receipts(db: Database, paths: Sequence[Path], *, dry_run: bool = False,
                    trust: Trust | None = None) -> list[ReceiptOutcome]:
    """Take receipts in (or, `dry_run`, preview them): one transaction, nothing written for a
    refused one."""
    from sqlalchemy.orm import Session as _Session

    from htx_desktop.reports.unit_keys import officer_name
    from htx_desktop.store.settings import home_unit

    trust = trust or Trust()
    outcomes: list[ReceiptOutcome] = []
    with _Session(db.engine, expire_on_commit=False) as session:
        tx = session.begin()
        try:
            home = home_unit(session)
            who = officer_name(db, session) if home is not None else ""
            for path in paths:
                out = ReceiptOutcome(Path(path).name, REFUSED)
                try:
                    if home is None:
                        raise ReceiptRefused(out.file_name, t(
                            "chưa chọn đơn vị sử dụng chương trình (lệnh init)."))
                    receipt = read_receipt(Path(path))
                    nested = session.begin_nested()
                    try:
                        _take(session, home, receipt, trust, who, out)
                        nested.commit()
                    except BaseException:
                        nested.rollback()
                        raise
                except ReceiptRefused as exc:
                    out.outcome, out.reason = REFUSED, one_line(exc.reason)
                    out.decision, out.comments, out.decided_by = None, [], ""
                outcomes.append(out)
            if dry_run:
                tx.rollback()
            else:
                tx.commit()
        except BaseException:
            if tx.is_active:
                tx.rollback()
            raise
    return outcomes


def _take(session: Session, home: Unit, receipt: ReadReceipt, trust: Trust, who: str,
          out: ReceiptOutcome) -> None:
    from htx_desktop.reports.unit_keys import current_key, learn_key

    name = receipt.file_name
    package, reviewer = receipt.package, receipt.reviewer
    out.period, out.version = str(package["period"]), int(package["version"])
    out.signer_fingerprint = receipt.signer_fingerprint
    parent = home.parent
    if parent is None:
        raise ReceiptRefused(name, t("đơn vị {unit} không có cấp trên trong danh mục: không "
                                     "nhận biên nhận.", unit=home.code))
    out.unit_code, out.unit_name = parent.code, parent.name
    if reviewer.get("code") != parent.code:
        raise ReceiptRefused(name, t(
            "biên nhận do đơn vị mã {other} làm, không phải cấp trên của đơn vị này ({parent} "
            "– {name}). Không nhận.", other=str(reviewer.get("code"))[:20], parent=parent.code,
            name=parent.name))
    fp = receipt.signer_fingerprint
    known = current_key(session, parent.code)
    learn = False
    if known is None:
        out.key_status = NEW_KEY
        if not trust.new_key_ok(fp):
            out.needs_confirmation = True
            if not trust.preview:
                raise ReceiptRefused(name, t(
                    "lần đầu nhận biên nhận của cấp trên {unit}: khoá ký của biên nhận có mã "
                    "{code}. Hãy gọi điện cho cấp trên để đối chiếu mã này, rồi nhận lại với "
                    "--accept-new-key.", unit=f"{parent.code} ({parent.name})",
                    code=short_code(fp)))
        learn = True
    elif known.fingerprint != fp:
        out.key_status, out.known_fingerprint = OTHER_KEY, known.fingerprint
        raise ReceiptRefused(name, t(
            "biên nhận được ký bằng khoá mã {new}, không phải khoá đã biết của cấp trên {unit} "
            "(mã {known}): biên nhận có thể là giả mạo. Không nhận; hãy gọi điện hỏi cấp "
            "trên.", new=short_code(fp), unit=f"{parent.code} ({parent.name})",
            known=known.short_code))
    else:
        out.key_status = KNOWN_KEY
    if package.get("unit_code") != home.code:
        raise ReceiptRefused(name, t(
            "biên nhận nói về gói của đơn vị {other}, không phải của đơn vị này ({unit}).",
            other=str(package.get("unit_code"))[:20], unit=home.code))
    export = session.scalars(select(Export).where(
        Export.sha256 == str(package["sha256"]), Export.unit_id == home.id)).first()
    if export is None or export.period != out.period or export.version != out.version:
        raise ReceiptRefused(name, t(
            "máy này chưa từng xuất gói mà biên nhận nói tới (kỳ {period}, phiên bản {version}, "
            "mã kiểm tra không khớp gói nào đã xuất). Không nhận.", period=out.period,
            version=out.version))
    body = receipt.body
    decided_at = _parse_time(body["decided_at"])
    decision = str(body["decision"])
    comments = [dict(c) for c in body.get("comments") or []]
    existing = session.scalars(select(ExportReceipt).where(
        ExportReceipt.export_id == export.id)).first()
    if existing is not None:
        kept = _aware(existing.decided_at)
        if kept > decided_at:
            raise ReceiptRefused(name, t(
                "đã nhận một quyết định mới hơn của cấp trên cho gói này ({when}); biên nhận "
                "cũ không thay đổi gì.", when=kept.astimezone().strftime("%d/%m/%Y %H:%M")))
        if kept == decided_at and existing.decision == decision:
            out.outcome = ALREADY
            _fill(out, decision, comments, body, session, home)
            return
    if learn:
        learn_key(session, parent.code, receipt.signer, by=who, source=name)
    if existing is None:
        existing = ExportReceipt(export_id=export.id)
        session.add(existing)
    existing.decision, existing.comments = decision, comments
    existing.decided_by = str(body.get("decided_by") or "")[:200]
    existing.decided_at, existing.from_unit = decided_at, parent.code
    existing.signer_fingerprint, existing.file_name = fp, name[:300]
    existing.received_at = utcnow()
    session.add(AuditEntry(officer=who[:200], action="receipt", table_name=Export.__tablename__,
                           record_id=str(export.id),
                           changes={"decision": [None, decision], "period": export.period,
                                    "version": export.version, "from": parent.code}))
    session.flush()
    out.outcome = RECEIPT
    _fill(out, decision, comments, body, session, home)


def _fill(out: ReceiptOutcome, decision: str, comments: list[dict[str, Any]],
          body: dict[str, Any], session: Session, home: Unit) -> None:
    out.decision, out.comments = decision, comments
    out.decided_by = str(body.get("decided_by") or "")
    out.decided_at = str(body.get("decided_at"))
    out.prepared_by = out.decided_by
    out.labels = record_names(session, comments)


# ----------------------------------------------------------------- the sending unit's view


_STORE_KIND = {"cooperatives": "cooperative", "events": "event",
               "job_placements": "job_placement", "support": "support",
               "communications": "communication", "awards": "award", "cadres": "cadre",
               "people": "person"}


def record_names(session: Session, comments: Sequence[dict[str, Any]]) -> dict[str, str]:
    """id → how this PC names the records the comments are pinned to (its own records)."""
    from htx_desktop.store import record_kinds as rk

    out: dict[str, str] = {}
    for c in comments:
        kind = _STORE_KIND.get(str(c.get("kind")))
        if c.get("target") != "record" or kind is None:
            continue
        obj = session.get(rk.MODELS[kind], str(c.get("ref")))
        if obj is not None:
            out[str(c.get("ref"))] = rk.describe(kind, obj)
    return out


def sent_packages(session: Session) -> list[dict[str, Any]]:
    """Every package this copy exported, newest period and version first, with what the level
    above said (`sent --json`)."""
    rows = session.execute(
        select(Export, Unit.code, ExportReceipt).join(Unit, Unit.id == Export.unit_id)
        .outerjoin(ExportReceipt, ExportReceipt.export_id == Export.id)
        .where(Export.sha256 != "")
        .order_by(Export.period.desc(), Export.version.desc())).all()
    out: list[dict[str, Any]] = []
    for export, code, receipt in rows:
        comments = [dict(c) for c in (receipt.comments if receipt else [])]
        names = record_names(session, comments)
        for c in comments:
            if c.get("target") == "record":
                c["label"] = names.get(str(c.get("ref")))
        out.append({
            "unit": code, "period": export.period, "version": export.version,
            "file": export.file_name, "sha256": export.sha256,
            "exported_at": _iso(_aware(export.created_at)),
            "state": receipt.decision if receipt else SENT,
            "comments": comments,
            "decided_by": receipt.decided_by if receipt else None,
            "decided_at": _iso(_aware(receipt.decided_at)) if receipt else None,
            "receipt_received_at": _iso(_aware(receipt.received_at)) if receipt else None,
            "reviewer": receipt.from_unit if receipt else None,
        })
    return out
