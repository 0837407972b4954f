"""Pausing Python's cycle collector while a dataset, a data.json tree or a workbook is built.

Why: those steps create millions of small objects that form no reference cycles (records,
tuples, dicts, strings) and keep most of them. CPython's collector runs every few hundred
allocations and, as the heap grows, repeatedly walks all the survivors: at 20× a province's data
that was more than half of `build_dataset` (6.8–8.9 s with it, 3.0–3.7 s without) and a quarter
of the export (docs/performance.md). Plain reference counting still frees everything that is
dropped; only cycles wait, and the collector catches up as soon as it is resumed.

Process-wide (the collector has no per-thread switch): a worker thread building a snapshot also
pauses it for the window's thread for that time, which costs nothing but a little memory.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_holders = 0  # pauses in progress, in any thread
_resume = False  # whether the collector ran before the first of them


@contextmanager
def gc_paused() -> Iterator[None]:
    """No automatic cycle collection inside the block (nested and concurrent blocks: the
    collector resumes when the last one ends, and only if it was running before the first)."""
    global _holders, _resume
    with _lock:
        if _holders == 0:
            _resume = gc.isenabled()
            gc.disable()
        _holders += 1
    try:
        yield
    finally:
        with _lock:
            _holders -= 1
            if _holders == 0 and _resume:
                gc.enable()
