"""The frozen program (pyinstaller.spec, build/build-bundle.sh) works end to end.

Builds the one-folder bundle for this machine into build/out — or reuses the one there when
build/out/BUILD-HASH matches the sources, spec and PyInstaller/PySide6 versions — then runs the
built executables offscreen with a temporary data folder: the command line's init, demo and
export, and the window's start-up. Slow (about 40 s to build, 10 s to run).
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

import jsonschema
import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "build" / "out"
BUNDLE = OUT / "dist" / "htx-desktop"
EXE = ".exe" if sys.platform == "win32" else ""
PACKAGE_ENTRIES = {"manifest.json", "data.json", "bao-cao.xlsx", "bao-cao.pdf"}


def _bundle_tools():  # type: ignore[no-untyped-def]
    path = ROOT / "build" / "bundle_tools.py"
    spec = importlib.util.spec_from_file_location("bundle_tools", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    """Every file and folder of the bundle with its size and modification time."""
    return {p.relative_to(folder).as_posix(): (p.lstat().st_size, p.lstat().st_mtime_ns)
            for p in folder.rglob("*")}


@pytest.fixture(scope="module")
def bundle() -> Iterator[Path]:
    if importlib.util.find_spec("PyInstaller") is None:
        pytest.fail("PyInstaller is missing: pip install -e '.[build]' (build/setup-env.sh does)")
    if shutil.which("bash") is None:
        pytest.skip("bash is needed to run build/build-bundle.sh")
    wanted = _bundle_tools().source_hash()
    stamp = OUT / "BUILD-HASH"
    built = stamp.read_text().strip() if stamp.exists() else ""
    if built != wanted or not (BUNDLE / f"htx-desktop-cli{EXE}").exists():
        result = subprocess.run(["bash", str(ROOT / "build" / "build-bundle.sh")], cwd=ROOT,
                                capture_output=True, text=True, timeout=900)
        assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-5000:]
    before = _snapshot(BUNDLE)
    yield BUNDLE
    # The program must leave its own folder as installed (read-only Program Files, upgrades).
    after = _snapshot(BUNDLE)
    assert after == before, sorted(set(after.items()) ^ set(before.items()))[:20]


def _env(data_dir: Path, **extra: str) -> dict[str, str]:
    # No PYTHON* variables: the bundle must not depend on them (PYTHONUTF8 in particular).
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV"))}
    env.update(QT_QPA_PLATFORM="offscreen", HTX_DATA_DIR=str(data_dir))
    env.update(extra)
    return env


def _cli(bundle: Path, data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    # Run from an unrelated folder so nothing can come from the source checkout.
    result = subprocess.run(
        [str(bundle / f"htx-desktop-cli{EXE}"), "--data-dir", str(data_dir), *args],
        cwd=data_dir.parent, env=_env(data_dir), capture_output=True, text=True,
        encoding="utf-8", timeout=300)
    assert result.returncode == 0, (args, result.stdout, result.stderr)
    return result


def test_bundle_has_the_two_executables_and_no_unused_qt(bundle: Path) -> None:
    assert (bundle / f"htx-desktop{EXE}").is_file()
    assert (bundle / f"htx-desktop-cli{EXE}").is_file()
    names = {p.name for p in bundle.rglob("*")}
    assert not {n for n in names if "Qt6Quick" in n or "Qt6Qml" in n or "Qt6Network" in n}
    assert not [n for n in names if n.startswith(("libqwayland", "libqeglfs", "libqgtk3"))]
    assert (bundle / "_internal" / "resources" / "fonts" / "DejaVuSans.ttf").is_file()
    assert not list(bundle.rglob("__pycache__"))


def test_frozen_cli_init_demo_export(bundle: Path, tmp_path: Path) -> None:
    data, out = tmp_path / "data", tmp_path / "out"
    assert "19" in _cli(bundle, data, "init", "--unit", "19").stdout
    _cli(bundle, data, "demo", "--seed", "1")
    _cli(bundle, data, "export", "--period", "2025", "--out", str(out), "--docx")

    packages = list(out.glob("BC-DA01_19_2025_v*.zip"))
    assert len(packages) == 1, list(out.iterdir())
    # The Word copy needs python-docx's template and lxml in the bundle (issue 22).
    with zipfile.ZipFile(packages[0].with_suffix(".docx")) as word:
        assert "word/document.xml" in word.namelist()
        assert any(n.startswith("word/media/") for n in word.namelist())  # the QR code
    with zipfile.ZipFile(packages[0]) as package:
        assert set(package.namelist()) == PACKAGE_ENTRIES
        manifest = json.loads(package.read("manifest.json"))
        schema = json.loads((ROOT / "resources" / "schemas" / "manifest.schema.json")
                            .read_text(encoding="utf-8"))
        jsonschema.validate(manifest, schema)
        assert manifest["unit"]["code"] == "19"
        for name, facts in manifest["files"].items():
            body = package.read(name)
            assert hashlib.sha256(body).hexdigest() == facts["sha256"]
        assert package.read("bao-cao.pdf").startswith(b"%PDF")
        json.loads(package.read("data.json"))
    # The data went where it was told, with its migrations run from the bundle's db/ folder.
    assert (data / "htx.sqlite3").is_file()


def test_frozen_window_starts_and_quits(bundle: Path, tmp_path: Path) -> None:
    data = tmp_path / "data"
    _cli(bundle, data, "init", "--unit", "19")
    started = time.monotonic()
    # HTX_SMOKE_TEST=1: htx_desktop/app.py quits once the main window is shown. The Windows
    # workflow sets HTX_BUNDLE_QPA=windows to start the real platform plugin on its desktop.
    platform = os.environ.get("HTX_BUNDLE_QPA", "offscreen")
    result = subprocess.run([str(bundle / f"htx-desktop{EXE}"), "--data-dir", str(data)],
                            cwd=tmp_path, capture_output=True, text=True, timeout=120,
                            env=_env(data, HTX_SMOKE_TEST="1", QT_QPA_PLATFORM=platform))
    elapsed = time.monotonic() - started
    assert result.returncode == 0, (result.stdout, result.stderr)
    logs = list((data / "logs").glob("*"))
    assert not any("Traceback" in p.read_text(encoding="utf-8", errors="replace")
                   for p in logs if p.is_file()), [p.read_text() for p in logs if p.is_file()]
    # About one second on the build machine; a generous bound against a pathological start.
    assert elapsed < 20, elapsed
