"""Files that hold names (backups, key files) readable by their owner only (issue 20)."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

OWNER_ONLY = 0o600


def create_owner_only(path: Path) -> None:
    """Create `path` empty with mode 0600 (before anything is written into it); an existing
    file is made 0600. Best effort: what cannot be created here fails where it is written."""
    with contextlib.suppress(OSError):
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT, OWNER_ONLY))
    owner_only(path)


def owner_only(path: Path) -> None:
    """`chmod 600` where the OS has such modes; on Windows chmod only sets "read-only", which
    0600 leaves off (the user's profile folder keeps other users out there). Best effort: a
    file system without modes (FAT on a USB stick) keeps the copy as it is."""
    with contextlib.suppress(OSError, NotImplementedError):
        os.chmod(path, OWNER_ONLY)
