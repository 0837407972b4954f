"""The window's start (app.run_gui) in a process of its own, as an officer starts it: the
start-up check runs while modules import, the daily backup is made after the window is up, and
HTX_SMOKE_TEST=1 quits only once the first page's figures are on screen (issue 10)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def _htx(data: Path, *args: str, smoke: bool = False) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    if smoke:
        env["HTX_SMOKE_TEST"] = "1"
    return subprocess.run([sys.executable, "-m", "htx_desktop", "--data-dir", str(data), *args],
                          capture_output=True, text=True, timeout=120, env=env)


def test_window_starts_usable_then_backs_up_and_quits_cleanly(tmp_path: Path) -> None:
    data = tmp_path / "data"
    assert _htx(data, "init", "--unit", "19").returncode == 0
    for backup in (data / "backups").glob("*"):
        backup.unlink()  # so that this start is the first of the day
    result = _htx(data, smoke=True)
    assert result.returncode == 0, result.stderr
    marks = [line.split()[0] for line in result.stdout.splitlines()]
    assert marks == ["shown", "usable"], result.stdout
    shown, usable = (float(line.split()[1]) for line in result.stdout.splitlines())
    assert shown <= usable
    # The daily copy was made by the background thread, and the process waited for it.
    assert [p.name.endswith("-hang-ngay.sqlite3") for p in (data / "backups").iterdir()] == [True]
    # No worker signalled a page already gone (it used to, when quitting mid-computation).
    logs = "".join(p.read_text(encoding="utf-8") for p in (data / "logs").glob("*.log"))
    assert "Traceback" not in logs, logs


def test_damaged_database_is_refused_before_opening(tmp_path: Path) -> None:
    data = tmp_path / "data"
    assert _htx(data, "init", "--unit", "19").returncode == 0
    db = data / "htx.sqlite3"
    raw = bytearray(db.read_bytes())
    raw[4096:8192] = b"\xff" * 4096  # a damaged page: quick_check fails
    db.write_bytes(bytes(raw))
    before = db.read_bytes()
    # Offscreen, the damaged-database dialog would wait for an answer: quit it from a timer.
    script = (
        "import sys\n"
        "from PySide6.QtCore import QTimer\n"
        "from PySide6.QtWidgets import QApplication, QDialog\n"
        "from htx_desktop import app\n"
        "qt = app.make_app()\n"
        "def close():\n"
        "    for w in QApplication.topLevelWidgets():\n"
        "        if isinstance(w, QDialog) and w.isVisible():\n"
        "            w.reject()\n"
        "    QTimer.singleShot(50, close)\n"
        "QTimer.singleShot(50, close)\n"
        f"sys.exit(app.run_gui({str(data)!r}))\n")
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            timeout=120, env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert result.returncode == 1, result.stderr
    assert db.read_bytes() == before  # never opened for writing
