"""The cycle collector is paused inside `gc_paused` and resumed exactly as it was after it."""

from __future__ import annotations

import gc
import threading

from htx_desktop.gc_pause import gc_paused


def test_paused_inside_resumed_after_even_on_error() -> None:
    assert gc.isenabled()
    try:
        with gc_paused():
            assert not gc.isenabled()
            with gc_paused():  # nested: still paused when the inner one ends
                pass
            assert not gc.isenabled()
            raise KeyError("x")
    except KeyError:
        pass
    assert gc.isenabled()


def test_a_collector_switched_off_by_the_program_stays_off() -> None:
    gc.disable()
    try:
        with gc_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_overlapping_threads_resume_it_once_the_last_ends() -> None:
    inside, leave = threading.Event(), threading.Event()

    def worker() -> None:
        with gc_paused():
            inside.set()
            leave.wait(5)

    thread = threading.Thread(target=worker)
    with gc_paused():
        thread.start()
        assert inside.wait(5)
    assert not gc.isenabled()  # the worker's pause is still on
    leave.set()
    thread.join(5)
    assert gc.isenabled()


def test_a_decorated_function_runs_paused() -> None:
    @gc_paused()
    def build() -> bool:
        return gc.isenabled()

    assert build() is False and gc.isenabled()
