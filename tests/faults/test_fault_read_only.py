"""Fault 3: a data folder she may not write (another Windows account, a locked-down PC). Every
command printed 125 lines of traceback; the window exited with code 1 showing nothing. Now the
folder opens read-only: reading works, writing explains, backups that cannot be made are told.

Run as a user without write permission (`nobody`, through setpriv): the CI runs as root, and
root may write anywhere."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from htx_desktop.cli import run
from htx_desktop.store.engine import Database
from htx_desktop.store.models import Person
from htx_desktop.store.paths import DataDir
from htx_desktop.ui.context import AppContext
from htx_desktop.ui.forms.registry import make_form
from tests.ui.conftest import type_text

NOBODY = 65534
READ_ONLY = "Không có quyền ghi"


@pytest.fixture
def shared() -> Iterator[Path]:
    """A folder everyone may read and enter (pytest's own tmp folder is root's alone)."""
    if os.geteuid() != 0 or shutil.which("setpriv") is None:
        pytest.skip("needs root and setpriv to run a command as a user without write access")
    where = Path(tempfile.mkdtemp(prefix="htx-chi-doc-"))
    where.chmod(0o755)
    try:
        yield where
    finally:
        shutil.rmtree(where, ignore_errors=True)


@pytest.fixture
def folder(shared: Path) -> DataDir:
    data_dir = DataDir(shared / "du lieu")
    assert run(["--data-dir", str(data_dir.root), "init", "--unit", "19",
                "--officer", "Nguyễn Thị Hoa"]) == 0
    for path in [data_dir.root, *data_dir.root.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)  # readable by all, writable by root
    return data_dir


def as_nobody(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "HOME": "/tmp", "TMPDIR": "/tmp", "LANG": "C.UTF-8"}
    env.pop("HTX_DATA_DIR", None)
    return subprocess.run(
        ["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups",
         sys.executable, "-m", "htx_desktop", *args],
        capture_output=True, text=True, env=env, check=False, cwd="/tmp")


def test_commands_read_a_folder_they_may_not_write(folder: DataDir, shared: Path) -> None:
    before = sorted(p.name for p in folder.root.rglob("*"))
    root = str(folder.root)

    shown = as_nobody("--data-dir", root, "summary")
    assert shown.returncode == 0, shown.stderr
    assert "Hợp tác xã" in shown.stdout
    assert "Traceback" not in shown.stderr
    # Today's backup could not be written: said in one line.
    assert "sao lưu tự động" in shown.stderr and READ_ONLY in shown.stderr
    assert len(shown.stderr.strip().splitlines()) == 1

    elsewhere = shared / "goi"  # a folder she may write
    elsewhere.mkdir()
    elsewhere.chmod(0o777)
    exported = as_nobody("--data-dir", root, "export", "--period", "2025", "--out",
                         str(elsewhere))
    assert exported.returncode == 0, exported.stderr
    assert len(list(elsewhere.glob("*.zip"))) == 1

    refused = as_nobody("--data-dir", root, "init", "--unit", "19", "--officer", "Lan")
    assert refused.returncode == 1
    assert READ_ONLY in refused.stderr and "không bị mất" in refused.stderr
    assert "Traceback" not in refused.stderr
    lines = refused.stderr.strip().splitlines()  # today's backup, then the refusal
    assert len(lines) == 2 and lines[1].startswith(READ_ONLY)

    assert sorted(p.name for p in folder.root.rglob("*")) == before  # nothing written


@pytest.fixture
def read_only_ctx(folder: DataDir, monkeypatch: pytest.MonkeyPatch) -> Iterator[AppContext]:
    """The window's database as it opens on a read-only folder. The test runs as root, who
    may write anywhere: the folder is taken as read-only the way the program decides it."""
    from htx_desktop.store import paths

    monkeypatch.setattr(paths, "is_writable", lambda _folder: False)
    db = Database.open(folder)
    assert db.read_only
    ctx = AppContext.load(db, folder.root)
    assert ctx is not None
    yield ctx
    db.close()


def test_the_window_reads_and_explains_a_save(qtbot: Any, read_only_ctx: AppContext) -> None:
    with read_only_ctx.db.session() as session:  # lists read
        assert session.scalar(select(func.count()).select_from(Person)) == 0
    form = make_form(read_only_ctx, "person")  # closed by the conftest (it would ask)
    form.show()
    type_text(form.widgets["full_name"], "Ma Thị Hằng")
    form.widgets["birth_year"].set_value(1990)  # type: ignore[attr-defined]
    form.widgets["gender"].set_value("female")  # type: ignore[attr-defined]
    assert not form.save()
    assert form.isVisible() and READ_ONLY in form.banner.text()
    form.save_draft_now()
    assert "Chưa lưu nháp được" in form.draft_status.text()
