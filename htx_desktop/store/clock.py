"""One clock for the store, so that tests can see times in UTC with an offset. What reads the
database about time lives in `clock_check.py`: the check that the PC's clock is plausible and
`logical_now`, a new record's creation time placed after every change already stored."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta


def utcnow() -> datetime:
    return datetime.now(UTC)


def local_today() -> date:
    """Today on the PC's own calendar (its local time zone), read through `utcnow`, so that a
    test setting `clock.utcnow` sets today as well: deadlines and "late by N days" count in
    the officer's days."""
    return utcnow().astimezone().date()


def column_now() -> datetime:
    """`utcnow`, looked up at each call: the columns' default and the record service use
    it, so that a test's clock put in `utcnow`'s place reaches what they store too."""
    return utcnow()


def not_before(newest: datetime | None) -> datetime:
    """The PC's clock, or just after `newest` if the clock is not later than it."""
    now = utcnow()
    if newest is not None and now <= newest:
        return newest + timedelta(microseconds=1)
    return now
