"""The adaptive window lookup (`store/window_lookup.py`) returns exactly the plain query's rows,
in its order, for every window: dense surnames and rare words, words of one or two letters,
several words, digits (phones, tax codes), every sort column, descending, filters and the
trash, ties on the name. Each case also compares with the plain query matched by LIKE
without the search index, and the steps' thresholds are scaled down so that a few thousand
rows take every branch (split, walk, give up) — the test checks that each one ran.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from PySide6.QtCore import QModelIndex, Qt
from sqlalchemy import insert, select

from htx_desktop.domain.text import fold
from htx_desktop.store import models as m
from htx_desktop.store import window_lookup
from htx_desktop.ui.context import AppContext
from htx_desktop.ui.list_specs import cooperative_spec, person_spec
from htx_desktop.ui.table_model import LazyTableModel

SURNAMES = [("Nguyễn", 35), ("Trần", 11), ("Lê", 10), ("Phạm", 7), ("Hoàng", 5), ("Vũ", 4),
            ("Đặng", 4), ("Bùi", 3), ("Đỗ", 3), ("Hồ", 3), ("Ngô", 3), ("Dương", 2)]
MIDDLE = [("Thị", 45), ("Văn", 25), ("Đức", 5), ("Ngọc", 5), ("Thu", 4), ("Minh", 4),
          ("Thanh", 4), ("Bích", 3)]
# "Nguyên", "Nguyệt", "Hoa", "Hoài", "Hoàng" also as given names: the words occur outside
# the surname block too, before it in the order and inside it
GIVEN = ["Lan", "Hoa", "Hoài", "Hoàng", "Anh", "Nguyên", "Nguyệt", "Thịnh", "Hương", "Mai",
         "Tuấn", "An", "Bình", "Cúc", "Dung", "Huệ", "Lệ", "Yến", "Thảo", "Quang"]
N_PEOPLE = 6_000
N_COOPS = 2_500


def _pick(rng: random.Random, items: list[tuple[str, int]]) -> str:
    return rng.choices([n for n, _ in items], weights=[w for _, w in items])[0]


def _uid(kind: int, i: int) -> str:
    return str(uuid.UUID(int=kind * 10**9 + i + 1))


@pytest.fixture
def lists(ctx: AppContext, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """6,000 people and 2,500 cooperatives in the home commune (some deleted, some in another
    commune outside the list's units), and thresholds scaled to that size."""
    rng = random.Random(10)
    unit = ctx.home_unit_id
    with ctx.db.session() as session:  # a commune outside the list's units
        other = session.scalars(select(m.Unit.id).where(
            m.Unit.level == "xa", m.Unit.id.not_in(ctx.unit_ids)).limit(1)).one()
    now = datetime.now(UTC)
    people = []
    for i in range(N_PEOPLE):
        if i < 300:  # a tie group longer than a window, and names equal once folded
            name = ["Nguyễn Thị Lan", "Nguyên Thị Lan", "Nguyen Thi Lan"][i % 3]
        else:
            name = f"{_pick(rng, SURNAMES)} {_pick(rng, MIDDLE)} {rng.choice(GIVEN)}"
        people.append({
            "id": _uid(1, i), "unit_id": other if i % 50 == 7 else unit, "full_name": name,
            "name_key": fold(name), "gender": "female" if i % 3 else "male",
            "birth_year": 1950 + i % 50,
            "phone": f"09{rng.randrange(10**8):08d}" if i % 4 == 0 else None,
            "deleted_at": now if i % 40 == 3 else None, "row_version": 1})
    coops = []
    for i in range(N_COOPS):
        kind = "tht" if i % 5 == 0 else "htx"
        head = "Tổ hợp tác" if kind == "tht" else "HTX"
        name = f"{head} {rng.choice(['Nông nghiệp', 'Dịch vụ', 'Chè', 'Mây tre'])} {i % 97}"
        coops.append({"id": _uid(2, i), "unit_id": unit, "kind": kind, "name": name,
                      "name_key": fold(name), "status": "active", "row_version": 1,
                      "tax_code": f"01{i:08d}" if i % 3 == 0 else None})
    with ctx.db.session() as session:
        session.execute(insert(m.Person), people)
        session.execute(insert(m.Cooperative), coops)
    monkeypatch.setattr(window_lookup, "FEW", 60)
    monkeypatch.setattr(window_lookup, "CANDIDATES", 300)
    monkeypatch.setattr(window_lookup, "PROBE_IN_INDEX", 1_500)
    monkeypatch.setattr(window_lookup, "PROBE_READING", 400)
    monkeypatch.setattr(window_lookup, "PROBE_PER_ROW", 2)
    return {"people": people, "coops": coops}


@pytest.fixture
def paths() -> Iterator[set[str]]:
    seen: set[str] = set()
    yield seen


def windows(model: LazyTableModel, adaptive: bool) -> tuple[list[Any], list[str]]:
    """Every id, fetched window by window as the view scrolls (the first one as on a keystroke,
    the next ones by fetchMore, windows doubling), and how each window was found."""
    model.adaptive = adaptive
    model.refresh()
    found = [model.last_path]
    while model.canFetchMore(QModelIndex()):
        model.fetchMore(QModelIndex())
        found.append(model.last_path)
    return list(model._ids), found


def check(model: LazyTableModel, seen: set[str]) -> list[str]:
    """The adaptive windows equal the plain ones, and both equal SQL by LIKE (no index)."""
    plain, plain_paths = windows(model, adaptive=False)
    got, got_paths = windows(model, adaptive=True)
    assert set(plain_paths) == {"plain"}
    with model._session() as session:
        like = list(session.scalars(model.id_query(indexed=False)))
    assert plain == like, "the search index and LIKE disagree"
    assert got == plain, f"adaptive ({got_paths}) differs from the plain query"
    # a window asked for at any offset, alone, is the same slice
    for offset, limit in ((0, 1), (37, 50), (199, 3), (200, 200), (450, 300)):
        model.adaptive = True
        assert model._fetch_ids(offset, limit) == plain[offset:offset + limit], \
            (offset, limit, model.last_path)
        seen.add(model.last_path)
    seen.update(got_paths)
    return got_paths


PERSON_SEARCHES = ["nguyen", "nguyen thi", "nguyen t", "nguyen thi lan", "thi", "thi nguyen",
                   "hoang", "hoa", "van", "le thi", "lan", "n", "ng", "th", "zzz", "09",
                   "0912", "nguyen 09", "uyen", "nguyễn thị", "  NGUYEN   thi "]


@pytest.mark.parametrize("order", [Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder])
def test_people_every_search_both_orders(qapp: Any, ctx: AppContext, lists: dict[str, Any],
                                         paths: set[str], order: Qt.SortOrder) -> None:
    model = LazyTableModel(ctx.db.engine, person_spec(), ctx.unit_ids)
    model.sort(0, order)
    first: dict[str, str] = {}
    for text in PERSON_SEARCHES:
        model.set_search(text)
        first[text] = check(model, paths)[0]
    if ctx.db.engine.dialect.name != "sqlite":
        assert paths == {"plain"}  # PostgreSQL keeps the plain query
        return
    # the steps did run (not a silent fallback everywhere): a surname splits, a middle name
    # walks, a rare word sorts its few matches, a short word has no index to ask
    assert first["nguyen"] == "split"
    assert first["nguyen thi"] == "split"
    assert first["thi nguyen"] == "split"  # split on the second word
    assert first["hoang"] == "split"  # "hoa" too common elsewhere: the whole word
    assert first["thi"] == "walk"
    assert first["zzz"] == "few"
    assert first["ng"] == "plain"
    assert {"split", "walk", "few", "plain"} <= paths


def test_people_other_columns_filters_and_trash(qapp: Any, ctx: AppContext,
                                                lists: dict[str, Any], paths: set[str]) -> None:
    model = LazyTableModel(ctx.db.engine, person_spec(), ctx.unit_ids)
    for column in (2, 4):  # birth year, commune (joined): the plain query only
        for order in (Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder):
            model.sort(column, order)
            for text in ("nguyen", "thi", "nguyen thi"):
                model.set_search(text)
                assert set(check(model, paths)) == {"plain"}
    model.sort(0, Qt.SortOrder.AscendingOrder)
    model.set_filter("gender", "female")
    model.set_search("nguyen")
    assert set(check(model, paths)) == {"plain"}  # a filter narrows: the plain query
    model.set_filter("gender", None)
    model.set_show_deleted(True)
    for text in ("nguyen", "thi", "le"):
        model.set_search(text)
        check(model, paths)
    ids = model.ids()
    deleted = {p["id"] for p in lists["people"] if p["deleted_at"] is not None
               and p["unit_id"] == ctx.home_unit_id and "le" in p["name_key"]}
    assert set(ids) == deleted and ids
    model.set_show_deleted(False)
    model.set_search("nguyen")
    check(model, paths)  # back to the live rows, adaptive again
    assert model.last_path != "plain" or ctx.db.engine.dialect.name != "sqlite"


def test_people_rows_are_the_expected_ones(qapp: Any, ctx: AppContext,
                                           lists: dict[str, Any]) -> None:
    """Independent of SQL: the rows and order Python computes from the inserted data."""
    model = LazyTableModel(ctx.db.engine, person_spec(), ctx.unit_ids)
    with ctx.db.session() as session:  # the two people of the seeded records
        seeded = [(r.name_key, r.full_name, r.id, r.phone) for r in session.scalars(
            select(m.Person).where(m.Person.id.not_in([p["id"] for p in lists["people"]])))]
    rows = [(p["name_key"], p["full_name"], p["id"], p["phone"]) for p in lists["people"]
            if p["deleted_at"] is None and p["unit_id"] == ctx.home_unit_id] + seeded
    for text in ("nguyen thi", "thi", "hoang", "0912"):
        words = fold(text).split()

        def hit(r: tuple[Any, ...], words: list[str] = words) -> bool:
            # a word with a letter in the name; a word of digits in the name or the phone
            return all(w in r[0] or (not any(c.isalpha() for c in w) and w in (r[3] or ""))
                       for w in words)

        want = [r[2] for r in sorted(filter(hit, rows), key=lambda r: (r[0], r[1], r[2]))]
        model.set_search(text)
        assert model.ids() == want, text


def test_cooperatives(qapp: Any, ctx: AppContext, lists: dict[str, Any],
                      paths: set[str]) -> None:
    model = LazyTableModel(ctx.db.engine, cooperative_spec(), ctx.unit_ids)
    for order in (Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder):
        model.sort(0, order)
        for text in ("htx", "htx nong", "htx nong nghiep 1", "nghiep", "tac", "che 4",
                     "0100", "01000000", "h", "dich vu"):
            model.set_search(text)
            check(model, paths)
    if ctx.db.engine.dialect.name == "sqlite":
        assert {"split", "walk"} <= paths


def test_a_letter_word_is_not_looked_for_in_phones(qapp: Any, ctx: AppContext,
                                                   lists: dict[str, Any]) -> None:
    """Phones and tax codes hold digits: only a word without letters is looked for there."""
    spec = person_spec()
    assert spec.keys_for("nguyen") == spec.search_keys
    assert spec.keys_for("0912") == [*spec.search_keys, *spec.number_keys]
    assert spec.keys_for("-001") == [*spec.search_keys, *spec.number_keys]
    phone = next(p["phone"] for p in lists["people"] if p["phone"] and p["deleted_at"] is None
                 and p["unit_id"] == ctx.home_unit_id)
    model = LazyTableModel(ctx.db.engine, spec, ctx.unit_ids)
    model.set_search(phone[2:9])
    assert any(p["phone"] == phone for p in lists["people"]
               if p["id"] in set(model.ids()))
