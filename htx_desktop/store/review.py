"""The receiving unit's review of each submission (issue 21): received → accepted, or returned
with comments.

Decisions, written once here:
- The review is a state beside the import's `status` (which keeps its names and meaning: a
  package imported is `accepted` there). No SubmissionReview row: `received`.
- Only the submission in use (import status `accepted`) of a unit below is reviewed. A decision
  may be changed (a mistaken click): the latest decision is what the next receipt says, and
  every decision is in the audit log with the officer and the time.
- Accepting locks that submission's figures in consolidation: a later version of an accepted
  submission is not received silently; the import refuses it unless the officer explicitly
  confirms that it replaces the accepted one (`import --replace-accepted`, or the receive
  page's confirmation; receiving/importer.py). A returned submission keeps counting until a
  newer version arrives (which is then `received`).
- Comments: a general text and comments pinned to an indicator (CT1–CT9) or to a record of the
  package (its id in data.json). Returning needs at least one comment; comments are checked for
  what looks like a phone or ID number (domain/comment_check.py), which is a warning only.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from htx_desktop.domain.periods import Period
from htx_desktop.domain.records import Dataset
from htx_desktop.i18n import t
from htx_desktop.store.clock import utcnow
from htx_desktop.store.errors import StoreError
from htx_desktop.store.models import (
    AuditEntry,
    Export,
    ExportReceipt,
    Submission,
    SubmissionData,
    SubmissionReview,
    Unit,
)
from htx_desktop.store.reference import descendant_units

RECEIVED, ACCEPTED, RETURNED = "received", "accepted", "returned"
DECISIONS = (ACCEPTED, RETURNED)
INDICATOR_CODES = tuple(f"CT{i}" for i in range(1, 10))
# Records a comment may be pinned to: data.json key → the Dataset attribute (the same name).
RECORD_KINDS = ("cooperatives", "events", "job_placements", "support", "communications",
                "awards", "cadres", "people")
MAX_COMMENT = 2000
MAX_COMMENTS = 100
REVIEW_LABELS = {RECEIVED: "Chưa xét duyệt", ACCEPTED: "Đã chấp nhận",
                 RETURNED: "Đã trả lại"}


class ReviewError(StoreError):
    """A review that cannot be made; the message is Vietnamese."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.user_message = message


@dataclass(frozen=True)
class ReviewState:
    """The review of a unit's submission in use for a period (`review_states`)."""

    unit_code: str
    version: int
    review: str  # received | accepted | returned
    decided_by: str | None
    decided_at: datetime | None
    receipt_written: bool  # the receipt of the latest decision was written (receipts --out)

    @property
    def returned_not_resent(self) -> bool:
        """Returned, and no newer version arrived since (a newer one would be the one in use,
        `received`)."""
        return self.review == RETURNED


def utc(when: datetime | None) -> datetime | None:
    """A stored time as an aware UTC datetime (a SQLite column gives it back without its
    offset; the store writes UTC)."""
    if when is None:
        return None
    return when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)


def review_label(review: str) -> str:
    return t(REVIEW_LABELS.get(review, review))


def review_of(session: Session, submission_id: int) -> SubmissionReview | None:
    return session.scalars(select(SubmissionReview).where(
        SubmissionReview.submission_id == submission_id)).first()


def reviews_of(session: Session, submission_ids: Iterable[int]
               ) -> dict[int, SubmissionReview]:
    ids = sorted(set(submission_ids))
    out: dict[int, SubmissionReview] = {}
    for i in range(0, len(ids), 5000):
        for row in session.scalars(select(SubmissionReview).where(
                SubmissionReview.submission_id.in_(ids[i:i + 5000]))):
            out[row.submission_id] = row
    return out


def state_of(review: SubmissionReview | None) -> str:
    return RECEIVED if review is None else review.decision


def _home_id(session: Session, home_id: int | None) -> int | None:
    if home_id is not None:
        return home_id
    from htx_desktop.store.settings import home_unit

    home = home_unit(session)
    return home.id if home is not None else None


def review_states(session: Session, period: Period | str, home_id: int | None = None
                  ) -> dict[str, ReviewState]:
    """unit code → the review of its submission in use for `period`, for every unit below the
    home unit that has one (a unit without a submission is absent). Pure read; the
    completeness view uses it for "returned and not yet resent"."""
    label = period if isinstance(period, str) else period.label
    home = _home_id(session, home_id)
    if home is None:
        return {}
    below = [u.id for u in descendant_units(session, home, include_self=False)]
    out: dict[str, ReviewState] = {}
    rows: list[tuple[Submission, str]] = []
    for i in range(0, len(below), 5000):
        rows += [(s, code) for s, code in session.execute(
            select(Submission, Unit.code).join(Unit, Unit.id == Submission.unit_id).where(
                Submission.unit_id.in_(below[i:i + 5000]), Submission.period == label,
                Submission.status == "accepted"))]
    reviews = reviews_of(session, [s.id for s, _ in rows])
    for sub, code in sorted(rows, key=lambda r: r[0].version):
        review = reviews.get(sub.id)
        out[code] = ReviewState(code, sub.version, state_of(review),
                                review.decided_by if review else None,
                                utc(review.decided_at) if review else None,
                                bool(review and review.receipt_written_at))
    return out


def submission_in_use(session: Session, home_id: int, unit_code: str, period_label: str,
                      version: int | None = None) -> Submission:
    """The submission of `unit_code` (a unit below the home unit) for the period that is in
    use (import status `accepted`); with `version`, that version, which must be the one in
    use. ReviewError otherwise."""
    below = {u.id: u for u in descendant_units(session, home_id, include_self=False)
             if u.code == unit_code}
    if not below:
        raise ReviewError(t("Đơn vị mã {code} không thuộc đơn vị đang dùng chương trình.",
                            code=unit_code))
    sub = session.scalars(select(Submission).where(
        Submission.unit_id.in_(list(below)), Submission.period == period_label,
        Submission.status == "accepted").order_by(Submission.version.desc())).first()
    if sub is None:
        raise ReviewError(t("Chưa nhận gói nào của đơn vị {code} cho kỳ {period}.",
                            code=unit_code, period=period_label))
    if version is not None and sub.version != version:
        raise ReviewError(t("Phiên bản đang dùng của đơn vị {code} kỳ {period} là {used}, "
                            "không phải {version}; chỉ xét duyệt được phiên bản đang dùng.",
                            code=unit_code, period=period_label, used=sub.version,
                            version=version))
    return sub


def submission_dataset(session: Session, submission_id: int) -> Dataset | None:
    """The package's records as received (None for a package stored before data was kept)."""
    raw = session.scalar(select(SubmissionData.data).where(
        SubmissionData.submission_id == submission_id))
    if raw is None:
        return None
    return Dataset.from_json(json.loads(zlib.decompress(raw)))


def record_label(kind: str, rec: Any) -> str:
    """How a pinned record is named to the officer (never a person's name: packages carry
    none)."""
    if kind == "cooperatives":
        return str(rec.name)
    if kind == "events":
        return f"{rec.title} ({rec.start:%d/%m/%Y})"
    if kind == "communications":
        return f"{rec.topic} ({rec.on:%d/%m/%Y})"
    if kind == "awards":
        return f"{rec.title} ({rec.on:%d/%m/%Y})"
    if kind == "support":
        return t("Hỗ trợ ngày {day}", day=f"{rec.on:%d/%m/%Y}")
    if kind == "job_placements":
        return t("Việc làm từ {day}", day=f"{rec.start:%d/%m/%Y}")
    return t("Bản ghi {id}", id=str(rec.id)[:8])


def record_choices(dataset: Dataset | None) -> list[tuple[str, str, str]]:
    """(kind, id, label) of the records a comment may be pinned to, cooperatives and events
    first (what a reviewer names most)."""
    if dataset is None:
        return []
    out: list[tuple[str, str, str]] = []
    for kind in ("cooperatives", "events", "communications", "awards", "support",
                 "job_placements"):
        rows = getattr(dataset, kind)
        out += sorted(((kind, r.id, record_label(kind, r)) for r in rows),
                      key=lambda c: c[2])
    return out


def _kind_of(dataset: Dataset | None, record_id: str) -> str | None:
    if dataset is None:
        return None
    for kind in RECORD_KINDS:
        if any(r.id == record_id for r in getattr(dataset, kind)):
            return kind
    return None


def make_comments(general: str, pinned: Sequence[tuple[str, str]],
                  dataset: Dataset | None) -> list[dict[str, Any]]:
    """The comments list of a review: the general text (if any), then each (target, text)
    with target an indicator code (CT1–CT9) or a record id of the package. ReviewError for an
    unknown target, an empty or too long text."""
    out: list[dict[str, Any]] = []
    text = (general or "").strip()
    if text:
        out.append({"target": "general", "ref": None, "kind": None, "text": _checked(text)})
    if len(pinned) > MAX_COMMENTS:
        raise ReviewError(t("Quá nhiều ý kiến (tối đa {n}).", n=MAX_COMMENTS))
    for target, note in pinned:
        ref, body = (target or "").strip(), _checked((note or "").strip())
        if not body:
            raise ReviewError(t("Ý kiến về {target} chưa có nội dung.", target=ref))
        if ref.upper() in INDICATOR_CODES:
            out.append({"target": "indicator", "ref": ref.upper(), "kind": None, "text": body})
            continue
        kind = _kind_of(dataset, ref)
        if kind is None:
            raise ReviewError(t(
                "“{target}” không phải chỉ tiêu (CT1–CT9) hay mã một bản ghi của gói này.",
                target=ref[:60]))
        out.append({"target": "record", "ref": ref, "kind": kind, "text": body})
    return out


def _checked(text: str) -> str:
    if len(text) > MAX_COMMENT:
        raise ReviewError(t("Ý kiến dài quá {n} ký tự; hãy viết ngắn lại.", n=MAX_COMMENT))
    return text


def decide(session: Session, sub: Submission, decision: str,
           comments: list[dict[str, Any]], *, by: str) -> SubmissionReview:
    """Accept or return `sub` (the submission in use), with comments; logged."""
    if decision not in DECISIONS:
        raise ReviewError(t("Quyết định không hợp lệ: {decision}.", decision=decision))
    if sub.status != "accepted":
        raise ReviewError(t("Chỉ xét duyệt được gói đang dùng (phiên bản này đã được thay "
                            "thế hoặc đã rút)."))
    if decision == RETURNED and not comments:
        raise ReviewError(t("Trả lại gói cần có ý kiến: hãy ghi điều đơn vị cần sửa."))
    review = review_of(session, sub.id)
    before = state_of(review)
    now = utcnow()
    if review is None:
        review = SubmissionReview(submission_id=sub.id)
        session.add(review)
    review.decision, review.comments = decision, list(comments)
    review.decided_by, review.decided_at = by[:200], now
    review.receipt_written_at, review.receipt_file = None, None
    general = next((c["text"] for c in comments if c["target"] == "general"), None)
    session.add(AuditEntry(officer=by[:200], at=now, action=f"review_{decision}",
                           table_name=Submission.__tablename__, record_id=str(sub.id),
                           changes={"review": [before, decision], "version": sub.version,
                                    "period": sub.period, "comments": len(comments)},
                           reason=general))
    session.flush()
    return review


def pinned_labels(session: Session, submission_id: int,
                  comments: Sequence[dict[str, Any]]) -> dict[str, str]:
    """record id → its name in the package, for the comments pinned to records ({} when none:
    the package is only read then)."""
    wanted = {str(c.get("ref")) for c in comments if c.get("target") == "record"}
    if not wanted:
        return {}
    return {rid: label for _kind, rid, label in record_choices(
        submission_dataset(session, submission_id)) if rid in wanted}


def describe_comment(comment: dict[str, Any], names: dict[str, str] | None = None) -> str:
    """One line: "CT3: …", "HTX Chè Tân Cương: …" (a record's name from `names`, id → name),
    or the general text."""
    target, ref = comment.get("target"), comment.get("ref")
    text = str(comment.get("text") or "")
    if target == "indicator":
        return f"{ref}: {text}"
    if target == "record":
        name = (names or {}).get(str(ref)) or t("bản ghi {id}", id=str(ref)[:8])
        return f"{name}: {text}"
    return text


def lower_reviews(sub: Submission) -> dict[str, Any]:
    """A middle level's package (issue 21 point 5) says, in its manifest's `children`, how it
    reviewed each of its units' submissions: {"lower_reviews": [{"code", "version",
    "review"}]} for `submissions --json`, {} when the package says nothing (a commune's
    package, or one made by an older version)."""
    children: Any = (sub.manifest or {}).get("children") \
        if isinstance(sub.manifest, dict) else None
    found = [{"code": str(c.get("unit_code")), "version": c.get("version"),
              "review": str(c.get("review")), "reviewed_at": c.get("reviewed_at")}
             for c in children or [] if isinstance(c, dict) and c.get("review") in
             (RECEIVED, ACCEPTED, RETURNED)]
    return {"lower_reviews": found} if found else {}


def returned_periods(session: Session) -> set[str]:
    """Periods whose latest exported package the level above returned: open again for
    corrections without a reason (store/locks.py). An accepted or merely sent period stays
    locked."""
    latest: dict[str, tuple[int, int]] = {}
    for export_id, period, version in session.execute(
            select(Export.id, Export.period, Export.version).where(Export.sha256 != "")):
        if period not in latest or version > latest[period][1]:
            latest[period] = (export_id, version)
    if not latest:
        return set()
    ids = {export_id: period for period, (export_id, _v) in latest.items()}
    return {ids[export_id] for export_id in session.scalars(select(ExportReceipt.export_id).where(
        ExportReceipt.export_id.in_(list(ids)), ExportReceipt.decision == RETURNED))}


@dataclass(frozen=True)
class HistoryReview:
    """The review of one received package, for the receive page's history."""

    review: str | None  # None: superseded or withdrawn (not reviewed any more)
    decided_by: str | None
    decided_at: datetime | None
    comments: list[dict[str, Any]]
    lower: list[dict[str, Any]]  # a middle level's reviews of its units (lower_reviews)
    labels: dict[str, str]  # record id → its name in the package, for pinned comments


def history_reviews(session: Session, home_id: int, period_label: str
                    ) -> dict[tuple[str, int], HistoryReview]:
    """(unit code, version) → the review of each package received for the period from units
    below the home unit."""
    below = [u.id for u in descendant_units(session, home_id, include_self=False)]
    rows: list[tuple[Submission, str]] = []
    for i in range(0, len(below), 5000):
        rows += [(s, code) for s, code in session.execute(
            select(Submission, Unit.code).join(Unit, Unit.id == Submission.unit_id).where(
                Submission.unit_id.in_(below[i:i + 5000]),
                Submission.period == period_label))]
    reviews = reviews_of(session, [s.id for s, _ in rows])
    out: dict[tuple[str, int], HistoryReview] = {}
    for sub, code in rows:
        review = reviews.get(sub.id)
        state = state_of(review) if sub.status == "accepted" else (
            review.decision if review else None)
        comments = list(review.comments) if review else []
        out[(code, sub.version)] = HistoryReview(
            state, review.decided_by if review else None,
            utc(review.decided_at) if review else None, comments,
            lower_reviews(sub).get("lower_reviews", []), pinned_labels(session, sub.id, comments))
    return out


def lower_summary(lower: Sequence[dict[str, Any]]) -> str:
    """"3 chấp nhận, 1 trả lại, 1 chưa xét" of a middle level's reviews ("" when none)."""
    if not lower:
        return ""
    counts = {state: sum(1 for r in lower if r.get("review") == state)
              for state in (ACCEPTED, RETURNED, RECEIVED)}
    parts = [t("{n} chấp nhận", n=counts[ACCEPTED]) if counts[ACCEPTED] else "",
             t("{n} trả lại", n=counts[RETURNED]) if counts[RETURNED] else "",
             t("{n} chưa xét", n=counts[RECEIVED]) if counts[RECEIVED] else ""]
    return ", ".join(p for p in parts if p)
