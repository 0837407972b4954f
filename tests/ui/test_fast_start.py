"""The window's fast start (issue 10): the window is drawn from a quick sqlite3 read and the
figures kept from the last start, and the database is opened after the first paint.

What must hold: the quick read gives exactly the context the ordinary start gives, and refuses
(None: the ordinary start decides) whenever anything is unusual; the kept figures round-trip
and are only ever shown for their own unit and period, marked as old, never drilled into; the
page replaces them with the engine's figures once the database opens; the command line sends
only a bare window start down the fast path.
"""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from htx_desktop.cli import run, window_options
from htx_desktop.domain.indicators import INDICATOR_CODES, IndicatorReport
from htx_desktop.reports.dashboard import DashboardData, dashboard_figures
from htx_desktop.reports.dashboard_cache import cache_path, load_figures, save_figures
from htx_desktop.reports.labels import format_figure
from htx_desktop.store.engine import Database
from htx_desktop.store.migrate import head_revision
from htx_desktop.store.paths import SERVER_FILE, URL_ENV, DataDir
from htx_desktop.store.quick_read import newest_revision_file, read_start_info
from htx_desktop.ui.context import AppContext
from htx_desktop.ui.pages.dashboard_page import DashboardPage


@pytest.fixture(scope="module")
def province_folder(tmp_path_factory: pytest.TempPathFactory) -> DataDir:
    """A data folder for province 19 with demo data, made through the command line."""
    root = tmp_path_factory.mktemp("province") / "data"
    assert run(["--data-dir", str(root), "init", "--unit", "19",
                "--officer", "Nguyễn Thị Hoa"]) == 0
    assert run(["--data-dir", str(root), "demo"]) == 0
    return DataDir(root)


@pytest.fixture
def folder(province_folder: DataDir, tmp_path: Path) -> DataDir:
    """A private copy of the province's folder (tests below change it)."""
    copy = DataDir(tmp_path / "copy").ensure()
    with closing(sqlite3.connect(province_folder.db_path)) as src, \
            closing(sqlite3.connect(copy.db_path)) as dst:
        src.backup(dst)
    return copy


# ------------------------------------------------------------------------ the quick read


def test_quick_read_gives_the_ordinary_context(folder: DataDir) -> None:
    info = read_start_info(folder)
    assert info is not None
    db = Database.open(folder, check=False)
    try:
        loaded = AppContext.load(db, folder.root)
    finally:
        db.close()
    assert loaded is not None
    quick = AppContext.pending(info, lambda: pytest.fail("not opened"), folder.root)
    for name in ("home_unit_id", "home_unit_name", "unit_ids", "communes", "officer",
                 "years", "data_root"):
        assert getattr(quick, name) == getattr(loaded, name), name
    assert len(quick.unit_ids) == 93 and quick.years  # the province and its 92 communes
    assert quick.officer == "Nguyễn Thị Hoa" and info.language == "vi"


def test_newest_revision_file_is_alembics_head() -> None:
    assert newest_revision_file() == head_revision()


def _execute(folder: DataDir, sql: str) -> None:
    with closing(sqlite3.connect(folder.db_path)) as conn:
        conn.execute(sql)
        conn.commit()


@pytest.mark.parametrize("change", [
    "UPDATE alembic_version SET version_num = '0001'",  # a migration is due
    "UPDATE alembic_version SET version_num = '9999'",  # written by a newer program
    "DELETE FROM settings WHERE key = 'home_unit_id'",  # the first-run wizard is due
    "UPDATE settings SET value = '999999' WHERE key = 'home_unit_id'",  # no such unit
    "DROP TABLE cooperative_years",  # a schema this program does not know
])
def test_quick_read_leaves_anything_unusual_to_the_ordinary_start(
        folder: DataDir, change: str) -> None:
    _execute(folder, change)
    assert read_start_info(folder) is None


def test_quick_read_leaves_a_shared_server_and_a_missing_file_alone(
        folder: DataDir, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert read_start_info(DataDir(tmp_path / "empty").ensure()) is None
    monkeypatch.setenv(URL_ENV, "postgresql://can_bo@may-chu/htx")
    assert read_start_info(folder) is None
    monkeypatch.delenv(URL_ENV)
    assert read_start_info(folder) is not None
    (folder.root / SERVER_FILE).write_text('{"url": "postgresql://x/y"}', encoding="utf-8")
    assert read_start_info(folder) is None


def test_quick_read_writes_nothing(folder: DataDir) -> None:
    before = folder.db_path.read_bytes()
    assert read_start_info(folder) is not None
    assert folder.db_path.read_bytes() == before


# ------------------------------------------------------------------------ the kept figures


def _figures(folder: DataDir, period: str) -> DashboardData:
    db = Database.open(folder, check=False)
    try:
        with db.session() as session:
            info = read_start_info(folder)
            assert info is not None
            return dashboard_figures(session, info.home_unit_id, period)
    finally:
        db.close()


def _without_ids(report: IndicatorReport) -> IndicatorReport:
    return replace(report, results=tuple(
        replace(r, record_ids=(), denominator_ids=(), cumulative_ids=()) for r in report.results))


def test_kept_figures_round_trip_without_record_ids(folder: DataDir) -> None:
    data = _figures(folder, "phase1")
    when = datetime(2026, 11, 26, 8, 30)
    save_figures(folder.cache, data, now=when)
    kept = load_figures(folder.cache, data.unit_id, "2023-2025")
    assert kept is not None
    back, computed_at = kept
    assert computed_at == when
    assert back == replace(
        data, report=_without_ids(data.report),
        yearly={y: _without_ids(r) for y, r in data.yearly.items()},
        children=[(i, n, _without_ids(r)) for i, n, r in data.children])
    # The records behind the figures (people's ids among them) are not kept.
    assert not any(r.record_ids for r in back.report.results)
    assert any(r.record_ids for r in data.report.results)


def test_kept_figures_are_only_for_their_own_unit_period_and_version(folder: DataDir) -> None:
    data = _figures(folder, "phase1")
    save_figures(folder.cache, data)
    assert load_figures(folder.cache, data.unit_id + 1, "2023-2025") is None
    assert load_figures(folder.cache, data.unit_id, "2025") is None
    path = cache_path(folder.cache)
    document = json.loads(path.read_text(encoding="utf-8"))
    document["program"] = "0.0.0-older"
    path.write_text(json.dumps(document), encoding="utf-8")
    assert load_figures(folder.cache, data.unit_id, "2023-2025") is None
    path.write_text('{"format": 1, "program"', encoding="utf-8")  # cut short
    assert load_figures(folder.cache, data.unit_id, "2023-2025") is None
    path.unlink()
    assert load_figures(folder.cache, data.unit_id, "2023-2025") is None


# ------------------------------------------------------------------------ the page


def _pending_page(qtbot: QtBot, folder: DataDir) -> tuple[DashboardPage, list[Database]]:
    info = read_start_info(folder)
    assert info is not None
    opened: list[Database] = []

    def opener() -> Database:
        opened.append(Database.open(folder, check=False))
        return opened[0]

    ctx = AppContext.pending(info, opener, folder.root)
    page = DashboardPage(ctx)
    qtbot.addWidget(page)
    page.resize(1280, 800)
    page.show()
    return page, opened


def _preview(page: DashboardPage) -> datetime | None:
    return page.preview_of  # read through a call: the page changes it between two reads


def _shown(page: DashboardPage) -> DashboardData | None:
    return page.data


def test_page_shows_kept_figures_marked_old_then_the_engines(
        qtbot: QtBot, folder: DataDir) -> None:
    year = str(date.today().year)
    fresh = _figures(folder, year)
    # Kept figures that differ from the database's: the page must not keep them.
    stale_results = tuple(replace(r, value=12345) if r.code == "CT1" else r
                          for r in fresh.report.results)
    stale = replace(fresh, report=replace(fresh.report, results=stale_results))
    save_figures(folder.cache, stale, now=datetime(2026, 11, 25, 16, 5))

    page, opened = _pending_page(qtbot, folder)
    assert len(opened) == 0  # drawn before the database is opened
    assert page.preview_of == datetime(2026, 11, 25, 16, 5)
    assert page.cards["CT1"].value.text() == format_figure(12345, "CT1")
    assert page.busy_label.isVisible()
    assert "Số liệu lần trước (16:05 25/11/2026)" in page.busy_label.text()
    assert page.records_dialog("CT1") is None  # no drill-down into kept figures

    with qtbot.waitSignal(page.computed, timeout=60_000):
        page.ctx.open_database()
    try:
        assert len(opened) == 1
        assert _preview(page) is None and not page.busy_label.isVisible()
        for code in INDICATOR_CODES:
            assert page.cards[code].value.text() == format_figure(fresh.result(code).value,
                                                                    code)
        # The fresh figures are kept for the next start.
        kept = load_figures(folder.cache, fresh.unit_id, year)
        assert kept is not None and kept[0].result("CT1").value == fresh.result("CT1").value
    finally:
        opened[0].close()


def test_page_without_kept_figures_waits_for_the_database(
        qtbot: QtBot, folder: DataDir) -> None:
    page, opened = _pending_page(qtbot, folder)
    assert _shown(page) is None and _preview(page) is None
    with qtbot.waitSignal(page.computed, timeout=60_000):
        page.ctx.open_database()
    try:
        assert _shown(page) is not None and cache_path(folder.cache).is_file()
    finally:
        opened[0].close()


def test_anything_needing_the_database_opens_it_at_once(folder: DataDir) -> None:
    info = read_start_info(folder)
    assert info is not None
    calls: list[str] = []
    db = Database.open(folder, check=False)
    try:
        def opener() -> Database:
            calls.append("open")
            return db

        ctx = AppContext.pending(info, opener, folder.root)
        ctx.when_ready(lambda: calls.append("waited"))
        assert not ctx.ready and calls == []
        assert ctx.db is db  # opened on demand, then what waited ran
        assert calls == ["open", "waited"]
        ctx.when_ready(lambda: calls.append("later"))  # already open: at once
        ctx.open_database()  # a second open does nothing
        assert calls == ["open", "waited", "later"]
    finally:
        db.close()


# ------------------------------------------------------------------------ the command line


@pytest.mark.parametrize(("argv", "expected"), [
    ([], {}),
    (["--data-dir", "D:/HTX"], {"--data-dir": "D:/HTX"}),
    (["--data-dir=D:/HTX", "--lang", "en"], {"--data-dir": "D:/HTX", "--lang": "en"}),
    (["--database-url", "postgresql://a/b"], {"--database-url": "postgresql://a/b"}),
    (["summary"], None),  # a command
    (["--data-dir", "x", "summary"], None),
    (["--help"], None),
    (["--data-dir"], None),  # incomplete: the full parser says so
    (["--lang", "fr"], None),  # not a language: likewise
    (["--bogus"], None),
])
def test_only_a_bare_window_start_takes_the_fast_path(
        argv: list[str], expected: dict[str, str] | None) -> None:
    assert window_options(argv) == expected


def test_wrong_usage_still_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["--lang", "fr"]) == 2
    assert "Lỗi cách dùng" in capsys.readouterr().err


def test_a_choice_made_before_the_database_opens_computes_once(
        qtbot: QtBot, folder: DataDir, monkeypatch: pytest.MonkeyPatch) -> None:
    """Changing the period before the store has loaded opens the database and computes the
    new choice — once (it used to start the waiting refresh and its own, side by side: two
    full computations on a two-core PC)."""
    from sqlalchemy.orm import Session

    from htx_desktop.ui.pages import dashboard_page

    started: list[str] = []  # each computation of the figures, in the worker
    compute = dashboard_page.dashboard_figures

    def counting(session: Session, unit_id: int, period_text: str) -> DashboardData:
        started.append(period_text)
        return compute(session, unit_id, period_text)

    monkeypatch.setattr(dashboard_page, "dashboard_figures", counting)
    page, opened = _pending_page(qtbot, folder)
    assert len(opened) == 0
    with qtbot.waitSignal(page.computed, timeout=60_000):
        page.period_box.setCurrentIndex(page.period_box.findData("phase1"))
    try:
        assert len(opened) == 1
        assert started == ["phase1"]
        data = _shown(page)
        assert data is not None and data.period.label == "2023-2025"
    finally:
        opened[0].close()
