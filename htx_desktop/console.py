"""Text output that never fails on a Vietnamese Windows PC.

Windows gives Python the console's code page (cp1252, cp1258…) when the output is redirected to a
file or piped into another program; printing Vietnamese then raises UnicodeEncodeError before the
first line is out. The frozen program runs in Python's UTF-8 mode (pyinstaller.spec), but the
program started from source (`python -m htx_desktop`) does not, and no officer should have to set
PYTHONUTF8. So the program's start makes its standard streams UTF-8, replacing what cannot be
encoded rather than crashing. An interactive Windows console is UTF-16 inside Python already and
is left alone, like streams that are UTF-8 or missing (the window has no console).
"""

from __future__ import annotations

import codecs
import io
import sys


def _is_utf(encoding: str | None) -> bool:
    if not encoding:
        return False
    try:
        name = codecs.lookup(encoding).name
    except LookupError:
        return False
    return name.startswith("utf-")


def use_utf8_streams() -> None:
    """Make sys.stdout and sys.stderr write UTF-8 (errors replaced) unless they already do."""
    for name in ("stdout", "stderr"):
        stream = getattr(sys, name, None)
        if not isinstance(stream, io.TextIOWrapper):
            continue  # None (no console), or a stream a caller put there on purpose
        if _is_utf(stream.encoding):
            continue
        try:
            stream.reconfigure(encoding="utf-8", errors="replace")
        except (ValueError, OSError):  # pragma: no cover - a stream already written to and closed
            continue
