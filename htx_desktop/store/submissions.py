"""Who below the home unit has submitted a period's package: missing, accepted, superseded."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from htx_desktop.domain.periods import Period
from htx_desktop.store.deadlines import due_date
from htx_desktop.store.models import Submission, Unit
from htx_desktop.store.review import lower_reviews, review_of, state_of


def expected_units(session: Session, home_id: int, period: Period | None = None) -> list[Unit]:
    """The units that report to the home unit: its direct children still in existence (or,
    for a period, in existence during part of it: a tree of units that ended on 30/6/2025
    still reports for 2025)."""
    alive: Any = Unit.valid_to.is_(None)
    if period is not None:
        alive = alive | (Unit.valid_to >= period.start)
    return list(session.scalars(select(Unit).where(
        Unit.parent_id == home_id, alive).order_by(Unit.code)).all())


def deadline_for(session: Session, period: Period) -> date:
    """The period's deadline in this unit's calendar (`store/deadlines.py`): the day the
    officer set for it, else the default (25/12 of the period's last year)."""
    return due_date(session, period)


def submission_status(session: Session, home_id: int, period: Period) -> list[dict[str, Any]]:
    """One entry per expected unit, as `submissions --json` prints it (docs/INTERFACES.md §1)."""
    deadline = deadline_for(session, period)
    rows: list[dict[str, Any]] = []
    for unit in expected_units(session, home_id, period):
        # The version in use; a withdrawn one (issue 19) is no submission.
        latest = session.scalars(select(Submission).where(
            Submission.unit_id == unit.id, Submission.period == period.label,
            Submission.status != "withdrawn")
            .order_by((Submission.status == "accepted").desc(), Submission.version.desc())
        ).first()
        if latest is None:
            rows.append({"code": unit.code, "name": unit.name, "status": "missing",
                         "version": None, "received_at": None, "on_time": None,
                         "review": None})
            continue
        received = latest.received_at
        # The receiving unit's review (issue 21) beside the import's status.
        review = state_of(review_of(session, latest.id)) if latest.status == "accepted" \
            else None
        rows.append({"code": unit.code, "name": unit.name, "status": latest.status,
                     "version": latest.version, "received_at": received.isoformat(),
                     "on_time": received.date() <= deadline, "review": review,
                     **lower_reviews(latest)})
    return rows
