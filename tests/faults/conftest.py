"""Real office faults: a small disk that fills up, a folder the officer may not write."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A folder on its own 8 MB filesystem (tmpfs), so that it can really fill up. Needs
    root (the CI runs as root); elsewhere the test is skipped and says why."""
    mount = tmp_path / "o-dia-nho"
    mount.mkdir()
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("a small filesystem needs root to mount (the CI machine runs as root)")
    made = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", str(mount)],
                          capture_output=True, text=True, check=False)
    if made.returncode != 0:
        pytest.skip(f"cannot mount a small filesystem here: {made.stderr.strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def fill(folder: Path) -> Path:
    """Fill the filesystem holding `folder` to the last byte; returns the filler file."""
    filler = folder / "tep-lon-cua-nguoi-khac.bin"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT | os.O_APPEND)
    try:
        chunk = 1 << 20
        while chunk:
            try:
                os.write(fd, b"\0" * chunk)
            except OSError:
                chunk //= 2
    finally:
        os.close(fd)
    return filler


def leftovers(folder: Path) -> list[str]:
    """Half-written files anywhere under `folder`."""
    return sorted(p.name for p in folder.rglob("*") if ".part" in p.name)


@pytest.fixture(autouse=True)
def _close_windows() -> Iterator[None]:
    """Close what a test left open; an unsaved form would ask, and nobody would answer."""
    yield
    from PySide6.QtWidgets import QApplication

    if QApplication.instance() is None:
        return
    for w in QApplication.topLevelWidgets():
        if hasattr(w, "_dirty"):
            w._dirty = False
        w.close()
