"""Timed walk-through (issue #16): 25 attendees from a pasted sign-in sheet, by keyboard, in the
real window.

Drives the program under an X display (Xvfb + openbox, 1366×768) with xdotool, as an officer
would: on the events list, Ctrl+N (new event), Tab ×4, type the title, Ctrl+Shift+V (paste
preview, filled from the clipboard), Alt+C (convert the TCVN3 line), arrow to the right
namesake, Enter, Enter (save). The sheet (25 lines: 20 registered people, one namesake without
birth year, one repeated line, two new people, one line typed in TCVN3) is put on the clipboard
with xclip, as if copied from Excel. The clock runs from Ctrl+N to the event saved (the form
closed and 24 attendees in the database); a fixed pause stands for reading the preview.

Needs: xvfb, openbox, xdotool, xclip, ImageMagick's `import` (Debian packages), demo data:

    htx-desktop --data-dir D init --unit 19 --officer "Nguyễn Thị Hoa"
    htx-desktop --data-dir D demo --seed 1
    Xvfb :16 -screen 0 1366x768x24 & DISPLAY=:16 openbox &
    DISPLAY=:16 python benchmarks/walkthrough_attendance.py D [--shots DIR]

Prints the timing as a Markdown table row (docs/attendance-walkthrough.md keeps the results).
Not part of the test suite.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from htx_desktop.domain.vn_legacy import TCVN3

READ_PREVIEW_S = 10.0  # the officer looks the preview over
STEP_S = 0.4  # between two keys of the flow
TYPE_DELAY_MS = 90  # typing speed of the title
TITLE = "Tập huấn kỹ năng quản trị HTX"


def xdo(*args: str) -> str:
    return subprocess.run(["xdotool", *args], check=False, capture_output=True,
                          text=True).stdout.strip()


def key(*keys: str) -> None:
    xdo("key", "--clearmodifiers", *keys)
    time.sleep(STEP_S)


def wait_window(name: str, present: bool = True, timeout: float = 30.0) -> float:
    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        found = bool(xdo("search", "--onlyvisible", "--name", name))
        if found == present:
            return time.perf_counter()
        time.sleep(0.05)
    raise SystemExit(f"window {'not shown' if present else 'still open'}: {name}")


def to_tcvn3(text: str) -> str:
    back = {v: k for k, v in TCVN3.items()}
    return "".join(back.get(ch, ch) for ch in text)


def make_sheet(db: Path) -> tuple[str, int, list[str]]:
    """The 25 lines, the Down presses for the namesake line, and the names of the new people."""
    con = sqlite3.connect(db)
    rows = con.execute(
        "SELECT p.full_name, p.birth_year, u.name FROM people p JOIN units u ON u.id=p.unit_id "
        "WHERE p.deleted_at IS NULL AND p.birth_year IS NOT NULL AND p.name_key IN ("
        "  SELECT name_key FROM people GROUP BY name_key HAVING COUNT(*) = 1) "
        "ORDER BY p.id LIMIT 21").fetchall()
    twins = con.execute(
        "SELECT name_key FROM people WHERE deleted_at IS NULL GROUP BY name_key "
        "HAVING COUNT(*) = 2 ORDER BY name_key LIMIT 1").fetchone()[0]
    namesakes = con.execute(
        "SELECT p.full_name, p.birth_year, u.name, p.id FROM people p JOIN units u "
        "ON u.id=p.unit_id WHERE p.name_key=?", (twins,)).fetchall()
    # as the preview orders them: birth year, commune, id; the officer wants the second
    namesakes.sort(key=lambda r: (r[1] or 0, r[2], r[3]))
    lines = [f"{i + 1}\t{n}\t{y}\t{c}" for i, (n, y, c) in enumerate(rows[:20])]
    lines.append(f"21\t{namesakes[0][0]}\t\t")
    lines.append(lines[2].replace("3\t", "22\t", 1))
    new = ["Triệu Thị Mới Một", "Lường Thị Mới Hai"]
    commune = rows[0][2]
    lines.append(f"23\t{new[0]}\t1995\t{commune}")
    lines.append(f"24\t{new[1]}\t2001\t{commune}")
    n, y, c = rows[20]
    lines.append(f"25\t{to_tcvn3(n)}\t{y}\t{c}")
    return "\n".join(lines) + "\n", 2, new


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data_dir", type=Path)
    parser.add_argument("--shots", type=Path, help="folder for screenshots of the preview")
    args = parser.parse_args()
    if not os.environ.get("DISPLAY"):
        raise SystemExit("DISPLAY is not set (start Xvfb and openbox first)")
    db = args.data_dir / "htx.sqlite3"
    sheet, downs, new = make_sheet(db)
    clip = subprocess.Popen(["xclip", "-selection", "clipboard", "-i"], stdin=subprocess.PIPE)
    assert clip.stdin is not None
    clip.stdin.write(sheet.encode())
    clip.stdin.close()
    clip.wait()
    env = {**os.environ, "HTX_DATA_DIR": str(args.data_dir)}
    app = subprocess.Popen([sys.executable, "-m", "htx_desktop"], env=env)
    try:
        wait_window("HTX Desktop —", timeout=90.0)
        time.sleep(2.0)
        win = xdo("search", "--onlyvisible", "--name", "HTX Desktop —").split()[0]
        xdo("windowactivate", "--sync", win)
        # the events page (before the clock: the officer is already on it)
        xdo("mousemove", "85", "138", "click", "1")
        time.sleep(1.5)
        presses = 0
        start = time.perf_counter()
        key("ctrl+n")
        presses += 1
        wait_window("Thêm tập huấn")
        time.sleep(STEP_S)
        for _ in range(4):  # the tabs, the unit, the type: to the title
            key("Tab")
        presses += 4
        xdo("type", "--delay", str(TYPE_DELAY_MS), TITLE)
        presses += len(TITLE)
        time.sleep(STEP_S)
        key("ctrl+shift+v")
        presses += 1
        wait_window("Dán danh sách tham dự")
        time.sleep(1.0)
        if args.shots:
            args.shots.mkdir(parents=True, exist_ok=True)
            subprocess.run(["import", "-window", "root", str(args.shots / "paste-1-preview.png")],
                           check=False)
        time.sleep(READ_PREVIEW_S)
        key("alt+c")
        presses += 1
        time.sleep(0.5)
        for _ in range(downs):
            key("Down")
            presses += 1
        if args.shots:
            subprocess.run(["import", "-window", "root", str(args.shots / "paste-2-chosen.png")],
                           check=False)
        key("Return")  # to the Save button
        key("Return")  # save
        presses += 2
        wait_window("Thêm tập huấn", present=False)
        elapsed = time.perf_counter() - start
    finally:
        time.sleep(0.5)
        app.terminate()
        app.wait(timeout=20)
    con = sqlite3.connect(db)
    event_id, = con.execute("SELECT id FROM events WHERE title=? ORDER BY created_at DESC "
                            "LIMIT 1", (TITLE,)).fetchone()
    attendees = con.execute("SELECT COUNT(*) FROM attendances WHERE event_id=?",
                            (event_id,)).fetchone()[0]
    created = con.execute(f"SELECT COUNT(*) FROM people WHERE full_name IN "
                          f"({','.join('?' * len(new))})", new).fetchone()[0]
    print(f"| {time.strftime('%Y-%m-%d')} | 25 | {attendees} | {created} | {presses} | "
          f"{READ_PREVIEW_S:.0f} s | {elapsed:.1f} s |")
    return 0 if attendees == 24 and created == 2 else 1


if __name__ == "__main__":
    sys.exit(main())
