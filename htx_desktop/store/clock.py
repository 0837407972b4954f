"""One clock for the store, so that tests can see times in UTC with an offset (the check that
the PC's clock is plausible, which reads the audit log: `clock_check.py`)."""

from __future__ import annotations

from datetime import UTC, datetime


def utcnow() -> datetime:
    return datetime.now(UTC)
