"""The one way to run work off the UI thread: `BackgroundOp` (after Anki's `CollectionOp`,
qt/aqt/operations/__init__.py).

    BackgroundOp(page, lambda progress: import_packages(..., progress=progress),
                 done=page.show_outcomes, failed=page.say_refusal,
                 progress=page.show_step, preload=(warm_up,), pause_gc=True).start()

What it keeps, so that no page has to remember it (each rule was learnt from a crash):

- **Preload on the UI thread.** PySide6's import hook is not thread-safe: a module imported
  for the first time inside a worker while the UI thread imports crashed the process (seen
  with jsonschema). `preload` names the modules the work imports lazily (a name this Python
  cannot import is left to the work, which then fails through `failed`), and warm-up
  functions (building jsonschema's validators, registering the PDF fonts); all of it runs in
  `start()`, before the worker does (a warm-up that fails is the operation's failure).
- **Results on the UI thread.** The worker emits queued signals to a receiver living on the
  UI thread; `done`, `failed`, `progress` and `note` are called there, in the order sent.
  The work itself must not touch widgets.
- **Nothing delivered to a page that is gone.** The receiver is a child of `parent`: closing
  and deleting the page deletes it, which disconnects it and drops what was queued to it. The
  object the worker emits from is not the page's: it lives as long as its job (below), so a
  worker finishing after the page went emits into nothing instead of into a deleted object.
- **No garbage collection mid-run.** A running operation is held by this module until its
  work has ended, and let go on the UI thread (by its receiver, or by `_Janitor` when the page
  went first): `BackgroundOp(...).start()` needs no variable to keep it, and what its callbacks
  hold (the page) is never freed by a collection in the worker. (Not through the receiver's
  `destroyed` signal: a Python callable connected to it crashed the receive page's tests now
  and then, in `~QObject`.) The thread pool never deletes a job itself (`start_job`, below).
- **`pause_gc`**: Python's cycle collector paused around the work (`gc_pause.py`): a
  collection in the window's thread interleaved with the receive page's import crashed the
  process once (Qt wrappers freed while the worker allocated).
- **One error path.** `failed` gets the exception on the UI thread; without one, it goes to
  `sys.excepthook`, which is the window's calm error dialog (`ui/error_dialog.py`): logged,
  never a traceback in the officer's face. A page that says a refusal in its own words passes
  `failed` and reads `failure_text(exc)`.
- **`inline`**: the work runs at once on the calling thread, results delivered before
  `start()` returns: an in-memory database has one connection, which two threads cannot share.

`start_job` is the layer below: a QRunnable that the pool deletes itself (autoDelete) while
its Python wrapper is still alive on the UI thread can be freed twice when the garbage
collector later reaches the wrapper (a segmentation fault seen in CI). Here the pool never
deletes a job; the job is kept for the life of the program (a few hundred bytes, and an
officer starts few), so its C++ object is freed only at exit, never under a running thread.
"""

from __future__ import annotations

import contextlib
import importlib
import itertools
import sys
from collections.abc import Callable, Iterable
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

from htx_desktop.gc_pause import gc_paused

T = TypeVar("T")

_kept: list[QRunnable] = []
_running: dict[int, BackgroundOp[Any]] = {}  # started, and their work not yet ended
_keys = itertools.count()


def start_job(pool: QThreadPool, job: QRunnable) -> None:
    job.setAutoDelete(False)
    _kept.append(job)
    pool.start(job)


def failure_text(exc: BaseException) -> str:
    """What an officer reads for a failed operation: the error's own Vietnamese sentence."""
    return getattr(exc, "user_message", None) or str(exc)


def preload_now(preload: Iterable[str | Callable[[], object]]) -> None:
    """Import the named modules, then call the warm-up functions, on this (the UI) thread."""
    items = list(preload)
    for name in (i for i in items if isinstance(i, str)):
        with contextlib.suppress(ImportError):  # left to the work, which says so if it needs it
            importlib.import_module(name)
    for warm_up in (i for i in items if not isinstance(i, str)):
        warm_up()


class _Signals(QObject):
    """What the worker emits from: no parent, kept with its job (see the module docstring)."""

    progress = Signal(int, int, str)
    note = Signal(str)
    done = Signal(object)
    failed = Signal(object)
    ended = Signal(int)  # the operation's key, after `done` or `failed`: to `_Janitor`


class Progress:
    """Handed to the work: `progress(step, total, text)` from the worker thread reaches the
    operation's `progress` on the UI thread (it has the shape `import_packages` takes), and
    `progress.note(text)` its `note` (a state without a count: "waiting for another
    writer…"); both in the order sent."""

    def __init__(self, signals: _Signals) -> None:
        self._signals = signals

    def __call__(self, step: int, total: int, text: str = "") -> None:
        self._signals.progress.emit(step, total, text)

    def note(self, text: str) -> None:
        self._signals.note.emit(text)


class _Job(QRunnable):
    def __init__(self, key: int, work: Callable[[Progress], Any], signals: _Signals,
                 pause_gc: bool) -> None:
        super().__init__()
        self.key = key
        self.work: Callable[[Progress], Any] | None = work
        self.signals = signals
        self.pause_gc = pause_gc

    @Slot()
    def run(self) -> None:
        assert self.work is not None
        progress = Progress(self.signals)
        try:
            with gc_paused() if self.pause_gc else contextlib.nullcontext():
                # No local name for the work: once it has returned, the only reference left
                # is `self.work`, dropped by the receiver on the UI thread (what the work
                # holds is freed there, never in this thread).
                result = self.work(progress)
        except Exception as exc:  # to `failed`, on the UI thread
            self.signals.failed.emit(exc)
        else:
            self.signals.done.emit(result)
        finally:
            self.signals.ended.emit(self.key)


class _Janitor(QObject):
    """Lets go, on the UI thread, of an operation whose work has ended: its receiver did
    already, unless the page was deleted first. One for the program, never deleted."""

    @Slot(int)
    def release(self, key: int) -> None:
        _running.pop(key, None)


_janitor: list[_Janitor] = []  # made on the UI thread by the first start()


class _Receiver(QObject):
    """Lives on the UI thread as a child of the operation's parent; calls its callbacks."""

    def __init__(self, op: BackgroundOp[Any], job: _Job, parent: QObject) -> None:
        super().__init__(parent)
        self.op: BackgroundOp[Any] | None = op
        self.job: _Job | None = job
        job.signals.progress.connect(self.on_progress)
        job.signals.note.connect(self.on_note)
        job.signals.done.connect(self.on_done)
        job.signals.failed.connect(self.on_failed)

    @Slot(int, int, str)
    def on_progress(self, step: int, total: int, text: str) -> None:
        if self.op is not None and self.op.progress is not None:
            self.op.progress(step, total, text)

    @Slot(str)
    def on_note(self, text: str) -> None:
        if self.op is not None and self.op.note is not None:
            self.op.note(text)

    @Slot(object)
    def on_done(self, result: object) -> None:
        op = self._finish()
        if op is not None:
            op.done(result)

    @Slot(object)
    def on_failed(self, exc: object) -> None:
        op = self._finish()
        if op is None:
            return
        assert isinstance(exc, Exception)
        if op.failed is not None:
            op.failed(exc)
        else:  # the window's error path: logged, the calm dialog
            sys.excepthook(type(exc), exc, exc.__traceback__)

    def _finish(self) -> BackgroundOp[Any] | None:
        op, job = self.op, self.job
        self.op = self.job = None
        if job is not None:
            job.work = None  # the work has returned: what it holds is freed on this thread
        self.deleteLater()  # nothing follows `done` or `failed`
        if op is not None:
            op.running = False
            _running.pop(op.key, None)
        return op


class BackgroundOp(Generic[T]):
    """`work(progress)` in the thread pool; `done(result)`, `failed(exc)`,
    `progress(step, total, text)` and `note(text)` on the UI thread; `preload` imported first,
    on the UI thread. See the module docstring for what each rule protects against."""

    def __init__(self, parent: QObject, work: Callable[[Progress], T], *,
                 done: Callable[[T], None],
                 failed: Callable[[Exception], None] | None = None,
                 progress: Callable[[int, int, str], None] | None = None,
                 note: Callable[[str], None] | None = None,
                 preload: Iterable[str | Callable[[], object]] = (),
                 pause_gc: bool = False, inline: bool = False,
                 pool: QThreadPool | None = None) -> None:
        self._parent: QObject | None = parent
        self.work = work
        self.done = done
        self.failed = failed
        self.progress = progress
        self.note = note
        self.preload = tuple(preload)
        self.pause_gc = pause_gc
        self.inline = inline
        self.pool = pool
        self.running = False
        self.started = False
        self.key = next(_keys)

    def start(self) -> BackgroundOp[T]:
        """Preload, then start the work (inline: run it, and deliver, before returning). A
        preload that fails is the operation's failure, delivered before returning."""
        if self.started:
            raise RuntimeError("a BackgroundOp runs once")
        self.started = True
        parent, self._parent = self._parent, None
        assert parent is not None
        job = _Job(self.key, self.work, _Signals(), self.pause_gc)
        receiver = _Receiver(self, job, parent)  # owned by the parent
        if not _janitor:
            _janitor.append(_Janitor())
        job.signals.ended.connect(_janitor[0].release)
        _running[self.key] = self
        self.running = True
        try:
            preload_now(self.preload)
        except Exception as exc:  # the work cannot run safely: it fails, and never starts
            receiver.on_failed(exc)
            return self
        if self.inline:
            job.run()
        else:
            start_job(self.pool or QThreadPool.globalInstance(), job)
        return self
