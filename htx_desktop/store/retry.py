"""Bounded retry for writes that meet another writer.

SQLite's busy timeout makes a writer wait for the lock at BEGIN; but a transaction that read
first and then writes while another process (an import) committed meanwhile gets "database is
locked" at once, and no waiting helps it: the whole transaction has to run again. Every write
of the program (saves, drafts, settings, exports, imports) goes through `retry_when_locked`:
a few attempts over some seconds, then the plain "another writer" sentence
(store/os_errors.py).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

from htx_desktop.store.os_errors import LOCKED, OSFailure, failure_kind

T = TypeVar("T")

ATTEMPTS = 6
FIRST_WAIT_S = 0.25  # doubled after each attempt: 0.25 + 0.5 + 1 + 2 + 4 ≈ 8 s in all


def retry_when_locked(work: Callable[[], T], *, attempts: int = ATTEMPTS,
                      first_wait: float | None = None,
                      on_wait: Callable[[int], None] | None = None,
                      sleep: Callable[[float], None] = time.sleep) -> T:
    """Run `work` (a whole transaction); again after a pause while the database is locked.
    `on_wait(attempt)` is called before each pause (the window shows a busy cursor)."""
    wait = FIRST_WAIT_S if first_wait is None else first_wait
    for attempt in range(1, attempts + 1):
        try:
            return work()
        except Exception as exc:
            if attempt == attempts or failure_kind(exc) != LOCKED:
                raise
        if on_wait is not None:
            on_wait(attempt)
        sleep(wait)
        wait *= 2
    raise AssertionError("unreachable")  # pragma: no cover


def retry_or_tell(work: Callable[[], T], *, on_wait: Callable[[int], None] | None = None) -> T:
    """`retry_when_locked`, and a lock that outlasts it raised as the officer's sentence
    (OSFailure LOCKED): for imports, whose callers show `user_message` (the receive page's
    worker) and wrap them in a retry of their own for a server's conflicts, which must not
    run the whole command (and its backup) again for a lock already waited for."""
    try:
        return retry_when_locked(work, on_wait=on_wait)
    except OSFailure:
        raise
    except Exception as exc:
        if failure_kind(exc) == LOCKED:
            raise OSFailure(LOCKED) from exc
        raise
