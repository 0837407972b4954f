"""Starting work on the thread pool without PySide6 lifetime traps.

A QRunnable that the pool deletes itself (autoDelete) while its Python wrapper is still alive
on the UI thread can be freed twice when the garbage collector later reaches the wrapper: a
segmentation fault seen in CI. Here the pool never deletes a job; the wrapper is kept for the
life of the program (a job is a few hundred bytes and an officer starts few), so the C++ object
is freed only at exit, never under a running thread.
"""

from __future__ import annotations

from PySide6.QtCore import QRunnable, QThreadPool

_kept: list[QRunnable] = []


def start_job(pool: QThreadPool, job: QRunnable) -> None:
    job.setAutoDelete(False)
    _kept.append(job)
    pool.start(job)
