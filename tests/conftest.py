"""Shared fixtures: an offscreen Qt, a reference-loaded in-memory database, a data folder.

Loading the national list (3,355 units) takes a quarter of a second; it is done once per
session into a template database, and each test gets its own copy through SQLite's backup
API (under a millisecond).
"""

from __future__ import annotations

import os

# Before anything imports Qt: there is no display on the build machines.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Iterator
from pathlib import Path

import pytest

from htx_desktop.store.engine import Database, memory_database
from htx_desktop.store.paths import DataDir
from htx_desktop.store.reference import find_unit, load_reference, load_targets
from htx_desktop.store.settings import set_setting
from htx_desktop.ui.import_hook import quiet_pyside_import_hook

HOME_PROVINCE = "19"  # Thái Nguyên

# PostgreSQL fixtures (pg_server, pg_template, pg_url, pg_db): skip without HTX_TEST_PG_URL.
from pg_support import BACKEND, pg_db, pg_server, pg_template, pg_url  # noqa: E402, F401

# As the program does at start (app.make_app): no PySide6 source scan on every later import
# (it is not thread-safe, and workers import). A no-op until PySide6 is imported: do it now.
__import__("PySide6.QtCore")
quiet_pyside_import_hook()


@pytest.fixture(scope="session")
def reference_template() -> Iterator[Database]:
    """One database per session with all reference data and the home unit set."""
    db = memory_database()
    with db.session() as session:
        load_reference(session)
        province = find_unit(session, HOME_PROVINCE)
        assert province is not None
        load_targets(session, province.id)
        set_setting(session, "home_unit_id", province.id)
    yield db
    db.close()


@pytest.fixture
def db(request: pytest.FixtureRequest) -> Iterator[Database]:
    """A private in-memory database: national units, ethnic groups, plan lines, targets,
    home unit = province 19. With HTX_TEST_BACKEND=postgresql, the same on PostgreSQL
    (tests/pg_support.py)."""
    if BACKEND == "postgresql":
        yield request.getfixturevalue("pg_db")
        return
    reference_template: Database = request.getfixturevalue("reference_template")
    copy = reference_template.clone_in_memory()
    yield copy
    copy.close()


@pytest.fixture
def tmp_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> DataDir:
    """An empty data folder (with backups/ and logs/), also set as HTX_DATA_DIR."""
    data_dir = DataDir(tmp_path / "data").ensure()
    monkeypatch.setenv("HTX_DATA_DIR", str(data_dir.root))
    return data_dir


@pytest.fixture(autouse=True)
def _own_ui_state(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Each test remembers window sizes and column widths in its own file (ui/ui_state.py),
    never in the profile of whoever runs the tests, nor from one test to the next."""
    os.environ["HTX_UI_STATE"] = str(tmp_path_factory.mktemp("ui") / "ui-state.ini")
