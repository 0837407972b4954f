"""The installer script and the program agree on what the installer relies on (names other
tools use, the running-copy mark, the Windows floor). The installer itself is compiled, installed,
upgraded and removed under Wine by build/windows/wine/check.sh, which .ci/run runs."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from htx_desktop.running_mark import MUTEX_NAME, hold_running_mark, running_mark_exists

ROOT = Path(__file__).resolve().parents[2]
ISS = ROOT / "build" / "windows" / "htx-desktop.iss"
ISL = ROOT / "build" / "windows" / "Vietnamese-htx.isl"


def _setup_value(name: str) -> str:
    text = ISS.read_text(encoding="utf-8-sig")
    match = re.search(rf"^{name}=(.*)$", text, re.M)
    assert match, f"{name} missing from {ISS.name}"
    return match.group(1).strip()


def test_the_installer_waits_for_the_window_s_own_mark() -> None:
    assert _setup_value("AppMutex") == MUTEX_NAME


def test_the_windows_floor_is_the_first_with_system_icu() -> None:
    # Qt 6.11's Qt6Core.dll links icuuc.dll, part of Windows 10 from 1903 (build 18362).
    assert _setup_value("MinVersion") == "10.0.18362"
    isl = ISL.read_text(encoding="utf-8-sig")
    # Inno Setup 6.4 refuses with WindowsVersionNotSupported (seen under Wine as Windows 8.1);
    # WinVersionTooLowError is its other wording of the same refusal.
    for name in ("WindowsVersionNotSupported", "WinVersionTooLowError"):
        message = re.search(rf"^{name}=(.*)$", isl, re.M)
        assert message and "1903" in message.group(1), name


def test_names_other_tools_rely_on() -> None:
    text = ISS.read_text(encoding="utf-8-sig")
    assert _setup_value("OutputBaseFilename") == "HTX-Desktop-Setup-{#AppVersion}"
    assert _setup_value("OutputDir") == r"..\out\installer"
    assert r'#define BundleDir "..\out\dist\htx-desktop"' in text
    assert '#define AppExe "htx-desktop.exe"' in text
    assert r'#define DataFolder "{localappdata}\HTX Desktop"' in text
    assert _setup_value("DefaultDirName") == r"{localappdata}\Programs\{#AppName}"


def test_isl_uses_inno_6_4_message_names() -> None:
    isl = ISL.read_text(encoding="utf-8-sig")
    names = set(re.findall(r"^([A-Za-z0-9]+)=", isl, re.M))
    # Renamed in Inno Setup 6.4 (ISCC warns and keeps the English text for the old names).
    assert not names & {"AbortRetryIgnoreChooseAction", "AbortRetryIgnoreProceedAnyway"}
    assert {"AbortRetryIgnoreSelectAction", "AbortRetryIgnoreIgnore"} <= names


@pytest.mark.skipif(os.name != "nt", reason="a Windows mutex (run under Wine by the "
                    "Windows check: build/windows/wine/tests-under-wine.txt)")
def test_the_window_holds_the_mark_on_windows() -> None:
    assert hold_running_mark()
    assert running_mark_exists()


@pytest.mark.skipif(os.name == "nt", reason="elsewhere there is no installer to tell")
def test_no_mark_elsewhere() -> None:
    assert not hold_running_mark()
    assert not running_mark_exists()
