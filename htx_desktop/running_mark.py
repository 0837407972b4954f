"""The mark the Windows installer looks for before it replaces or removes the program.

While the window is open it holds a named Windows mutex; the installer (`AppMutex` in
build/windows/htx-desktop.iss, same name) then asks the officer to close the program before an
upgrade or an uninstall instead of replacing files in use. Windows frees the mutex when the
process ends, however it ends. Elsewhere there is nothing to do.
"""

from __future__ import annotations

import ctypes
import os
from typing import Any

# Must stay equal to AppMutex in build/windows/htx-desktop.iss
# (tests/build/test_installer_script.py checks).
MUTEX_NAME = "HTXDesktop.Running.5D01D25E-1E36-4E6F-91E9-09261FE2D23A"

_held: list[int] = []  # the handle, kept for the life of the process


def _on_windows() -> bool:
    return os.name == "nt"


def _kernel32() -> Any:
    # ctypes.WinDLL exists only on Windows (the type stubs say so too).
    return getattr(ctypes, "WinDLL")("kernel32", use_last_error=True)  # noqa: B009


def hold_running_mark() -> bool:
    """Create the named mutex (Windows only). True when the mark is held."""
    if not _on_windows():
        return False
    if _held:
        return True
    from ctypes import wintypes

    kernel32 = _kernel32()
    create = kernel32.CreateMutexW
    create.argtypes = [wintypes.LPVOID, wintypes.BOOL, wintypes.LPCWSTR]
    create.restype = wintypes.HANDLE
    handle = create(None, False, MUTEX_NAME)  # a second copy opens the same one: fine
    if not handle:
        return False  # never a reason not to start
    _held.append(int(handle))
    return True


def running_mark_exists() -> bool:
    """Whether some process holds the mark (Windows only; for the tests and the check)."""
    if not _on_windows():
        return False
    from ctypes import wintypes

    kernel32 = _kernel32()
    open_mutex = kernel32.OpenMutexW
    open_mutex.argtypes = [wintypes.DWORD, wintypes.BOOL, wintypes.LPCWSTR]
    open_mutex.restype = wintypes.HANDLE
    synchronize = 0x00100000
    handle = open_mutex(synchronize, False, MUTEX_NAME)
    if not handle:
        return False
    kernel32.CloseHandle(wintypes.HANDLE(handle))
    return True
