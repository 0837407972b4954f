"""Spare every import PySide6's source scan (it costs start-up time and is unsafe in threads).

Importing PySide6 replaces `builtins.__import__` with shiboken's `__feature_import__`, which,
for every Python module imported afterwards, reads the module's whole source with
`inspect.getsource` (through `linecache`, which then keeps it) only to find whether the text
"PySide6" occurs in it — the answer decides whether `from __feature__ import snake_case`
style switching applies to that module. This program never uses `__feature__`, so the scan
buys nothing, while it costs ≈ 35 ms and a few MB of kept sources for SQLAlchemy's modules
alone, and `inspect`/`linecache` running in a worker thread's import has been reported to
corrupt memory (progh2/kamook#46, PySide6 6.x). Every module is therefore reported as one that
uses PySide6: the answer its real PySide6 modules get anyway, and one that changes nothing for
modules that never touch Qt types.
"""

from __future__ import annotations

import sys
from types import ModuleType


def _uses_pyside(module: ModuleType) -> bool:
    return True


def quiet_pyside_import_hook() -> bool:
    """Replace the scan (after PySide6 is imported); False when this PySide6 has none."""
    feature = sys.modules.get("shibokensupport.feature")
    if feature is None or not callable(getattr(feature, "_mod_uses_pyside", None)):
        return False
    setattr(feature, "_mod_uses_pyside", _uses_pyside)  # noqa: B010  private, checked above
    return True
