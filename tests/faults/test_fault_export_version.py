"""Fault 6: a package left behind by a killed export. Killed between the zip appearing and the
export being recorded, a complete `…_v2.zip` stayed with no export row; the next export wrote
a different v2 over it, and the province, which had received the first v2, refused the real
one as "cùng phiên bản 2"."""

from __future__ import annotations

import hashlib
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from sqlalchemy import select

from htx_desktop.cli import run
from htx_desktop.store.engine import Database
from htx_desktop.store.models import Export
from htx_desktop.store.paths import DataDir

KILLED_EXPORT = textwrap.dedent("""
    import os, sys
    from pathlib import Path
    from htx_desktop.domain.periods import parse_period
    from htx_desktop.reports import export
    from htx_desktop.store.engine import Database
    from htx_desktop.store.paths import DataDir

    def killed(*_args, **_kwargs):
        os._exit(9)  # as if the PC lost power: no clean-up runs

    export._record = killed
    db = Database.open(DataDir(Path(sys.argv[1])))
    export.export_package(db, parse_period("2025"), Path(sys.argv[2]))
""")


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _rows(data_dir: DataDir) -> list[tuple[int, str, str]]:
    db = Database.open(data_dir)
    try:
        with db.session() as session:
            return [(r.version, r.sha256, r.file_name) for r in session.scalars(
                select(Export).order_by(Export.version))]
    finally:
        db.close()


@pytest.fixture
def folder(tmp_data_dir: DataDir) -> DataDir:
    assert run(["--data-dir", str(tmp_data_dir.root), "init", "--unit", "19"]) == 0
    return tmp_data_dir


def test_a_killed_export_keeps_its_version(folder: DataDir, tmp_path: Path) -> None:
    out = tmp_path / "goi"
    root = str(folder.root)
    assert run(["--data-dir", root, "export", "--period", "2025", "--out", str(out)]) == 0
    done = subprocess.run([sys.executable, "-c", KILLED_EXPORT, root, str(out)],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 9, done.stderr
    left = sorted(out.glob("*.zip"))
    assert [p.name[-7:] for p in left] == ["_v1.zip", "_v2.zip"]
    killed = left[1]
    first_v2 = _digest(killed)
    rows = _rows(folder)
    assert [(v, name) for v, _sha, name in rows] == [(1, left[0].name), (2, killed.name)]
    assert rows[1][1] == ""  # reserved before the file was written: on disk means recorded

    assert run(["--data-dir", root, "export", "--period", "2025", "--out", str(out)]) == 0
    now = sorted(out.glob("*.zip"))
    assert [p.name[-7:] for p in now] == ["_v1.zip", "_v2.zip", "_v3.zip"]
    assert _digest(killed) == first_v2  # never written again with other content
    rows = _rows(folder)
    assert [v for v, _sha, _name in rows] == [1, 2, 3]
    assert rows[2][1] == _digest(now[2]) and rows[0][1] == _digest(now[0])


def test_a_failed_export_leaves_nothing_and_frees_its_version(
        folder: DataDir, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import errno

    from htx_desktop.reports import export

    out = tmp_path / "goi"

    def disk_full(*_args: object, **_kwargs: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(export, "_record", disk_full)
    assert run(["--data-dir", str(folder.root), "export", "--period", "2025",
                "--out", str(out)]) == 1
    assert list(out.glob("*.zip")) == [] and _rows(folder) == []
    monkeypatch.undo()
    assert run(["--data-dir", str(folder.root), "export", "--period", "2025",
                "--out", str(out)]) == 0
    assert [p.name[-7:] for p in out.glob("*.zip")] == ["_v1.zip"]
