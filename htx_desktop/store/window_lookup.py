"""The first rows of a searched list without sorting every match (issue 10).

A list shows its rows sorted (by name, say) and fetches them a window at a time. With a search
word the plain query asks the trigram index for every row holding the word and sorts them all
to return the first window: for "nguyen" 126,000 of 542,000 people are read and sorted
(≈ 80 ms) to show 200. Walking the name index in order and keeping the rows that hold the
words stops after the window, but only where the matches are dense, and a surname is dense
only from where the names *starting* with it begin ("nguyen …" sorts after half the table).
So, for a list sorted on its folded key column (`name_key`, `title_key`), the first `need`
ids of the plain query are found by the first of these steps that applies:

1. A filter or the trash is on, the sort is on another column, no word has three letters, or
   fewer than `FEW` rows hold the words: None — the plain query (fast, or bounded).
2. Split at the first three letters `lead` of a word. A match either sorts before `lead` (A:
   its key does not start with `lead`, so the index finds it among the rows holding the word
   whose key does NOT start with `lead` — `search_index.not_leading`, a few thousand at most
   for a surname) or from `lead` on (B: walked in the key's index, where the keys starting
   with `lead` come first). All of A sorts before all of B: the answer is A, then B.
   The words are tried in turn (a middle name "thi" is everywhere, no split on it).
3. No word splits: walk from the start of the order (a word dense everywhere: "thi").
4. Otherwise None: the plain query.

Why the answer is the plain query's own, rows and order. A and B are the plain query with one
more condition (a key range; for A also the candidate rows, a superset of A), so each lists
its rows in the plain order. A walk covers a *prefix* of its part of the order: the rows whose
key lies before the key of the `probe`-th row from its start (`_bound`, counting every row of
the table in the index), and the plain order begins with the key; so what a walk finds are
the first matches of its part whenever it found `need` of them or its range reached the end
of the table — else the step gives up. Descending order mirrors each range. The candidates
rely on two properties of the trigram index: it finds every row where a column contains the
text (LIKE's match; it also folds case, which can only add rows), and `^lead` matches only
keys starting with `lead` (the keys are folded to lower case, so its case folding adds none).
Words are matched by LIKE here, as on PostgreSQL and for short words; a word with a letter is
looked for in the folded keys only (`ListSpec.keys_for`), which SQLite checks in the key's
index without reading the row. tests/ui/test_window_lookup.py compares both paths.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, func, literal_column, select
from sqlalchemy.orm import Session

from htx_desktop.store import search_index

FEW = 10_000  # fewer index matches: sorting them all is as fast as any walk (≈ 6 ms)
CANDIDATES = 5_000  # A's candidates read at most (≈ 5 ms); more: no split
# Rows a walk covers at most: where every word is looked for in the sort key alone, SQLite
# checks them in the key's index and reads only the matching rows (≈ 0.1 µs a row); a word
# also looked for in a phone or tax code makes it read every row (≈ 1.5 µs).
PROBE_IN_INDEX = 100_000
PROBE_READING = 5_000
PROBE_PER_ROW = 5  # … and at least this many per row asked for
MAX_NEED = 3_200  # windows reaching further down: the plain OFFSET query


@dataclass(frozen=True)
class ListQuery:
    """What the model asks for: its ids matching everything (words by LIKE, not indexed), the
    plain ORDER BY, and what the steps need to know about the sort and the search."""

    engine: Engine
    filtered: Any  # Select of the id column, every condition, no ORDER BY
    order: list[Any]  # the plain query's ORDER BY, tie-breaking id included
    key: Any  # the first sort expression
    descending: bool
    terms: list[tuple[str, list[Any]]]  # each folded word and the keys it is looked for in
    narrowed: bool  # a filter or the trash is on: rows matching the words may not count


@dataclass(frozen=True)
class Plan:
    """A list query the steps apply to (`plan`), with what they need to know about it."""

    q: ListQuery
    base: str  # the table of the key, of every search key and of their index
    key: Any  # the key column
    terms: list[tuple[str, list[str]]]  # the words the index can look up, its columns for each
    in_index: bool  # every word is looked for in the key alone


def plan(q: ListQuery, offset: int, limit: int) -> Plan | None:
    """The steps apply on SQLite when the list is sorted on an indexed, never empty column of
    the table that holds every search key and the index, a word is long enough, and no filter
    is on. (It may ask the database which indices exist: call it outside a session.)"""
    # A filter (a commune, the trash) can turn most rows that hold the words away, after
    # reading each of them: a walk would read thousands for nothing. Sorting every match
    # (the plain query) is then the bounded cost.
    if q.narrowed or not 0 < offset + limit <= MAX_NEED:
        return None
    key = getattr(q.key, "expression", q.key)
    table = getattr(key, "table", None)
    base = getattr(table, "name", None)
    if base not in search_index.available(q.engine):
        return None
    if key.name not in search_index.FTS_COLUMNS[base] or key.nullable or not key.index:
        return None
    terms: list[tuple[str, list[str]]] = []
    in_index = True
    for word, keys in q.terms:
        by_table = search_index.indexed_columns(q.engine, keys)
        if by_table is None or list(by_table) != [base]:
            return None
        in_index = in_index and by_table[base] == [key.name]
        if len(word) >= search_index.MIN_WORD:
            terms.append((word, by_table[base]))
    return Plan(q, base, key, terms, in_index) if terms else None


def first_ids(session: Session, plan: Plan, offset: int,
              limit: int) -> tuple[list[Any] | None, str]:
    """Ids `offset` … `offset + limit` of the plain query, or None when no step applies;
    and the step that answered ("few", "split", "walk", or "plain" when none did)."""
    need = offset + limit
    q = plan.q
    few = select(func.count()).select_from(
        search_index.hits(plan.base, plan.terms, FEW).subquery())
    if (session.scalar(few) or 0) < FEW:
        return None, "few"
    probe = max(PROBE_IN_INDEX if plan.in_index else PROBE_READING, PROBE_PER_ROW * need)
    tried, rows = _split(session, q, plan, need, probe)
    if rows is not None:
        return rows[offset:need], "split"
    # After a split that fell short, a walk from the start could only see fewer rows: its
    # range ends before the split's unless the lead is near the start, and before the lead
    # the split already had every match.
    if not tried:
        rows = _walk(session, q, plan, None, need, probe)
        if rows is not None:
            return rows[offset:need], "walk"
    return None, "plain"


def _split(session: Session, q: ListQuery, plan: Plan, need: int,
           probe: int) -> tuple[bool, list[Any] | None]:
    """(whether a split applied, its answer or None)."""
    found = _lead(session, plan)
    if found is None:
        return False, None
    lead, upper, candidates = found
    key = plan.key
    before, rest = (key >= upper, key < upper) if q.descending else (key < lead, key >= lead)
    first: list[Any] = []
    if candidates:
        rowid: Any = literal_column(f"{plan.base}.rowid")
        first = _ids(session, q.filtered.where(rowid.in_(candidates), before), q, need)
        if len(first) >= need:
            return True, first
    walked = _walk(session, q, plan, rest, need - len(first), probe)
    return True, None if walked is None else first + walked


def _lead(session: Session, plan: Plan) -> tuple[str, str, list[int]] | None:
    """A split point: the first three letters `lead` of a word, the least string above every
    key that starts with them, and the candidates for the matches sorting before them —
    or None when every word occurs too often elsewhere than at the keys' start."""
    key = plan.key.name
    leads = [(w[:search_index.MIN_WORD], w, cols) for w, cols in plan.terms]
    # first the three letters alone (one trigram: cheap); then, for a word whose three
    # letters are common elsewhere ("hoa": Hoa, Hoài …) but the whole word less so
    # ("hoang"), the word itself — every match holds it, and its key does not start with
    # the lead, so the rows of the word whose key does not start with the lead suffice
    tries = [(lead, lead, cols) for lead, _, cols in leads] + [
        (lead, word, cols) for lead, word, cols in leads if word != lead]
    for lead, text, cols in tries:
        if ord(lead[-1]) >= 0xD7FF:  # no next character to bound the keys starting so
            continue
        rows = list(session.scalars(search_index.not_leading(
            plan.base, cols, text, key, CANDIDATES + 1, lead)))
        if len(rows) <= CANDIDATES:
            # every key starting with `lead` lies in [lead, upper); no key outside does
            return lead, lead[:-1] + chr(ord(lead[-1]) + 1), rows
    return None


def _walk(session: Session, q: ListQuery, plan: Plan, start: Any, need: int,
          probe: int) -> list[Any] | None:
    """The first `need` matches among the rows from `start` on (None: the whole order) —
    or None if they are not all within the first `probe` rows."""
    key = plan.key
    bound = _bound(session, plan, start, probe, q.descending)
    stmt = q.filtered if start is None else q.filtered.where(start)
    if bound is not None:
        stmt = stmt.where(key > bound if q.descending else key < bound)
    rows = _ids(session, stmt, q, need)
    return rows if len(rows) >= need or bound is None else None


def _bound(session: Session, plan: Plan, start: Any, probe: int, descending: bool) -> Any:
    """The key of the row `probe` rows on from `start` in the sort direction, counting every
    row of the table (the index alone is read); None if there are no more rows than that."""
    key = plan.key
    stmt = select(key).select_from(key.table)
    if start is not None:
        stmt = stmt.where(start)
    stmt = stmt.order_by(key.desc() if descending else key.asc()).limit(1).offset(probe)
    return session.scalar(stmt)


def _ids(session: Session, stmt: Any, q: ListQuery, limit: int) -> list[Any]:
    return list(session.scalars(stmt.order_by(*q.order).limit(limit)))
