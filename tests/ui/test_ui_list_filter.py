"""The cooperative list over ~15,000 cooperatives (a synthetic bulk insert in one commune):
search typed without diacritics, kind and status filters and sorting return exactly the rows
SQL says they should, and the view fetches rows lazily: the first window of ids on a keystroke,
the next ones as it scrolls, the total counted once typing pauses (issue 10)."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from sqlalchemy import insert, select

from htx_desktop.domain.text import fold
from htx_desktop.store import models as m
from htx_desktop.ui.context import AppContext
from htx_desktop.ui.list_page import ListPage
from htx_desktop.ui.list_specs import cooperative_spec
from htx_desktop.ui.table_model import LazyTableModel
from tests.ui.conftest import type_text

N = 15_000
WORDS = ["Chè", "Mây tre đan", "Dệt thổ cẩm", "Nông nghiệp sạch", "Đại Từ", "Miến dong",
         "Gạo nếp", "Du lịch cộng đồng", "Ẩm thực", "Ong mật"]
KINDS = ["htx", "tht", "lhhtx"]
STATUSES = ["active", "active", "active", "suspended", "dissolved"]


def bulk_rows(unit_id: int, n: int) -> list[dict[str, Any]]:
    rows = []
    for i in range(n):
        name = f"HTX {WORDS[i % len(WORDS)]} số {i}"
        rows.append({"id": str(uuid.UUID(int=i + 1)), "unit_id": unit_id,
                     "kind": KINDS[i % 3], "name": name, "name_key": fold(name),
                     "status": STATUSES[i % 5], "row_version": 1})
    return rows


@pytest.fixture
def bulk(ctx: AppContext) -> list[dict[str, Any]]:
    rows = bulk_rows(ctx.home_unit_id, N)
    with ctx.db.session() as session:
        session.execute(insert(m.Cooperative), rows)
    return rows


def test_filtering_15000_cooperatives(qtbot: Any, ctx: AppContext,
                                      bulk: list[dict[str, Any]]) -> None:
    page = ListPage(ctx, cooperative_spec())
    qtbot.addWidget(page)
    page.show()
    assert page.model.rowCount() == LazyTableModel.WINDOW, "only the first window of ids"
    assert len(page.model._blocks) <= 2, "only the visible rows were fetched"
    # the total (+ the two seeded ones) is counted after a pause
    qtbot.waitUntil(lambda: page.count_label.text() == f"{fmt(N + 2)} hồ sơ", timeout=3000)

    type_text(page.search, "dai tu")  # Đại Từ, typed without diacritics
    expected = {r["id"] for r in bulk if "dai tu" in r["name_key"]}
    qtbot.waitUntil(lambda: page.model._search == "dai tu", timeout=3000)
    with ctx.db.session() as session:  # what SQL says, by LIKE, without the search index
        like = set(session.scalars(select(m.Cooperative.id).where(
            m.Cooperative.name_key.like("%dai%"), m.Cooperative.name_key.like("%tu%"))))
    qtbot.waitUntil(lambda: page.count_label.text() == f"{fmt(len(like))} hồ sơ",
                    timeout=3000)
    got = set(page.model.ids())
    assert got == like
    assert expected <= got
    assert all("dai tu" in fold(page.model.data(page.model.index(r, 0)))
               for r in range(page.model.rowCount()))

    page.filter_boxes["kind"].setCurrentIndex(page.filter_boxes["kind"].findData("tht"))
    page.filter_boxes["status"].setCurrentIndex(
        page.filter_boxes["status"].findData("active"))
    want = {r["id"] for r in bulk if "dai tu" in r["name_key"] and r["kind"] == "tht"
            and r["status"] == "active"}
    assert set(page.model.ids()) == want
    assert page.count_label.text() == f"{fmt(len(want))} hồ sơ"  # a short list: known at once

    page.search.clear()
    page.apply_search()
    page.filter_boxes["kind"].setCurrentIndex(0)
    page.filter_boxes["status"].setCurrentIndex(0)
    # sorted by the folded name: "Ẩm thực" with "Am", before "Chè", "Du lịch", "Dệt"
    names = [page.model.data(page.model.index(r, 0)) for r in range(0, 200)]
    keys = [fold(n) for n in names]
    assert keys == sorted(keys)
    assert page.model.rowCount() == LazyTableModel.WINDOW
    page.model.ids()  # loads every window
    last = page.model.data(page.model.index(N + 1, 0))  # far down: fetched on demand
    assert last


def fmt(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def test_scrolling_loads_every_row(qtbot: Any, ctx: AppContext,
                                   bulk: list[dict[str, Any]]) -> None:
    page = ListPage(ctx, cooperative_spec())
    qtbot.addWidget(page)
    page.resize(900, 500)
    page.show()
    qtbot.waitExposed(page)
    model = page.model
    assert model.rowCount() == LazyTableModel.WINDOW
    assert model.canFetchMore(model.index(-1, -1))
    assert page.count_label.text() == f"Hơn {fmt(LazyTableModel.WINDOW)} hồ sơ…"
    page.count_rows()
    assert page.count_label.text() == f"{fmt(N + 2)} hồ sơ"

    # The view asks for more rows each time it reaches the bottom; windows double in size,
    # so 15,000 rows take a few steps, not 75.
    steps = 0
    while model.rowCount() < N + 2 and steps < 40:
        page.table.scrollToBottom()
        qtbot.wait(5)
        steps += 1
    assert model.rowCount() == N + 2
    assert steps <= 12
    assert not model.canFetchMore(model.index(-1, -1))
    assert len(set(model.ids())) == N + 2
    keys = [fold(model.data(model.index(r, 0))) for r in range(model.rowCount() - 300,
                                                               model.rowCount())]
    assert keys == sorted(keys)
    # the whole sorted list equals SQL's, window joins included (no row twice, none lost)
    with ctx.db.session() as session:
        want = list(session.execute(model.id_query()).scalars())
    assert model.ids() == want

    # a search resets to the first window; a record beyond it is still found (row_of loads)
    page.search.setText("mien dong")
    page.apply_search()
    assert model.rowCount() == LazyTableModel.WINDOW
    far = [r["id"] for r in sorted(bulk, key=lambda r: r["name_key"])
           if "mien dong" in r["name_key"]][-1]
    page.select_id(far)
    assert page.current_id() == far
    # the saved/selected record was the last match: every window got loaded, so the total
    assert page.count_label.text() == f"{fmt(N // 10)} hồ sơ"
