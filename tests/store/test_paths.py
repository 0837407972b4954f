"""The data folder: --data-dir, then HTX_DATA_DIR, then the user's data folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from htx_desktop.store import paths
from htx_desktop.store.paths import resolve_data_dir


def test_cli_value_wins_over_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HTX_DATA_DIR", str(tmp_path / "env"))
    data_dir = resolve_data_dir(str(tmp_path / "cli"))
    assert data_dir.root == (tmp_path / "cli").resolve()
    assert data_dir.db_path.name == "htx.sqlite3"
    assert data_dir.backups.is_dir() and data_dir.logs.is_dir()


def test_environment_then_platform_default(tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HTX_DATA_DIR", str(tmp_path / "env"))
    assert resolve_data_dir(None).root == (tmp_path / "env").resolve()

    monkeypatch.delenv("HTX_DATA_DIR")
    monkeypatch.setattr(paths, "user_data_dir",
                        lambda name, appauthor: str(tmp_path / "user" / name))
    assert resolve_data_dir(None).root == (tmp_path / "user" / "HTX Desktop").resolve()
