"""The program's output never crashes on a console or pipe whose code page has no Vietnamese
(a redirected Windows console is cp1252/cp1258), without PYTHONUTF8 or PYTHONIOENCODING help."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from htx_desktop.console import use_utf8_streams

ROOT = Path(__file__).resolve().parents[2]


def test_cp1252_streams_become_utf8(monkeypatch: pytest.MonkeyPatch) -> None:
    out_bytes, err_bytes = io.BytesIO(), io.BytesIO()
    out = io.TextIOWrapper(out_bytes, encoding="cp1252")
    err = io.TextIOWrapper(err_bytes, encoding="cp1252")
    monkeypatch.setattr(sys, "stdout", out)
    monkeypatch.setattr(sys, "stderr", err)
    use_utf8_streams()
    print("Hội Liên hiệp Phụ nữ — Thái Nguyên")
    print("lỗi: tệp không đọc được", file=sys.stderr)
    out.flush()
    err.flush()
    # (splitlines: the line end is \r\n on Windows, as it should be)
    assert out_bytes.getvalue().decode("utf-8").splitlines() == [
        "Hội Liên hiệp Phụ nữ — Thái Nguyên"]
    assert err_bytes.getvalue().decode("utf-8").splitlines() == ["lỗi: tệp không đọc được"]


def test_missing_and_utf8_streams_are_left_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    utf8 = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", errors="strict")
    monkeypatch.setattr(sys, "stdout", None)  # the window's executable has no console
    monkeypatch.setattr(sys, "stderr", utf8)
    use_utf8_streams()
    assert sys.stdout is None
    assert sys.stderr is utf8 and utf8.errors == "strict"


def test_help_piped_through_a_cp1252_stream_prints_vietnamese() -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    env.update(PYTHONIOENCODING="cp1252", PYTHONUTF8="0", QT_QPA_PLATFORM="offscreen")
    result = subprocess.run([sys.executable, "-m", "htx_desktop", "--help"], cwd=ROOT, env=env,
                            capture_output=True, timeout=120)
    assert result.returncode == 0, result.stderr.decode("utf-8", "replace")[-2000:]
    assert "theo dõi Đề án hỗ trợ HTX" in result.stdout.decode("utf-8")
