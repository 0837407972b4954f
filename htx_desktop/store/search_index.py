"""SQLite full-text indices (FTS5, trigram tokenizer) that make the lists' word search indexed.

A list search is "every typed word occurs somewhere in the folded name" (`LIKE '%word%'` on
`name_key`), which no B-tree index can serve: at 540,000 people each keystroke scanned the
table (0.1 s) and sorted every match (0.8 s, docs/performance.md). A trigram index finds the
rows holding a word of three letters or more by index; the list then sorts only those.

SQLite only (FTS5 with the trigram tokenizer needs SQLite ≥ 3.34): on PostgreSQL, or for
words shorter than three letters, the lists keep the plain LIKE. The indices are external
content tables over the base table's rowid, kept in step by triggers. The one thing that can
break that step is rebuilding the base table with new rowids (Alembic batch mode, VACUUM):
a revision that rebuilds `cooperatives`, `people` or `events` must call `install` again
(it drops and re-creates the index and its triggers and refills it: about 1 s per 500,000
rows).
"""

from __future__ import annotations

import unicodedata
from typing import Any

from sqlalchemy import Connection, Engine, Select, and_, literal_column, or_, select, table
from sqlalchemy.sql.elements import ColumnElement

# base table → the columns its index holds (the lists' search keys on that table)
FTS_COLUMNS: dict[str, tuple[str, ...]] = {
    "cooperatives": ("name_key", "tax_code"),
    "people": ("name_key", "phone"),
    "events": ("title_key",),
}
MIN_WORD = 3  # a trigram index cannot find shorter words

_available: dict[int, frozenset[str]] = {}


def fts_name(base: str) -> str:
    return f"{base}_fts"


def create_statements(base: str) -> list[str]:
    fts, cols = fts_name(base), FTS_COLUMNS[base]
    names = ", ".join(cols)
    new = ", ".join(f"new.{c}" for c in cols)
    old = ", ".join(f"old.{c}" for c in cols)
    delete = f"INSERT INTO {fts}({fts}, rowid, {names}) VALUES('delete', old.rowid, {old});"
    insert = f"INSERT INTO {fts}(rowid, {names}) VALUES (new.rowid, {new});"
    return [
        f"CREATE VIRTUAL TABLE {fts} USING fts5({names}, content='{base}', "
        f"content_rowid='rowid', tokenize='trigram')",
        f"CREATE TRIGGER {fts}_ai AFTER INSERT ON {base} BEGIN {insert} END",
        f"CREATE TRIGGER {fts}_ad AFTER DELETE ON {base} BEGIN {delete} END",
        # only when a searched column changes: most updates (status, dates) leave it alone
        f"CREATE TRIGGER {fts}_au AFTER UPDATE OF {names} ON {base} BEGIN {delete} {insert} END",
        f"INSERT INTO {fts}({fts}) VALUES('rebuild')",
    ]


def drop_statements(base: str) -> list[str]:
    fts = fts_name(base)
    return [f"DROP TRIGGER IF EXISTS {fts}_{s}" for s in ("ai", "ad", "au")] + [
        f"DROP TABLE IF EXISTS {fts}"]


def install(conn: Connection) -> None:
    """(Re)create every index and its triggers and fill it (SQLite; nothing elsewhere)."""
    if conn.dialect.name != "sqlite":
        return
    for base in FTS_COLUMNS:
        for sql in drop_statements(base) + create_statements(base):
            conn.exec_driver_sql(sql)
    _available.clear()


def uninstall(conn: Connection) -> None:
    if conn.dialect.name != "sqlite":
        return
    for base in FTS_COLUMNS:
        for sql in drop_statements(base):
            conn.exec_driver_sql(sql)
    _available.clear()


def available(engine: Engine) -> frozenset[str]:
    """The base tables whose index exists in this database (asked once per engine)."""
    key = id(engine)
    if key not in _available:
        found: frozenset[str] = frozenset()
        if engine.dialect.name == "sqlite":
            names = {fts_name(b): b for b in FTS_COLUMNS}
            with engine.connect() as conn:
                rows = conn.exec_driver_sql(
                    "SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
            found = frozenset(names[r[0]] for r in rows if r[0] in names)
        _available[key] = found
    return _available[key]


def _column(key: Any) -> Any:
    """The table column behind a search key (a mapped attribute or a Column), else None."""
    col = getattr(key, "expression", key)
    return col if hasattr(col, "table") and hasattr(col, "name") else None


def indexed_columns(engine: Engine, keys: list[Any]) -> dict[str, list[str]] | None:
    """Base table → the key columns its index holds; None when a key lies outside every index
    of this database (not SQLite, no index yet, an expression, an aliased table)."""
    ready = available(engine)
    by_table: dict[str, list[str]] = {}
    for key in keys:
        col = _column(key)
        base = getattr(getattr(col, "table", None), "name", None)
        # an aliased table (`aliased(Unit)`) is named otherwise ("units_1"): not in `ready`
        if col is None or base not in ready:
            return None
        if col.name not in FTS_COLUMNS[base]:
            return None
        by_table.setdefault(base, []).append(col.name)
    return by_table or None


MAX_WORDS = 20  # an officer types two or three; more only narrow further
MAX_WORD = 100


def search_words(text: str) -> list[str]:
    """The folded words of a search box, made safe for any query (issue 20): control and
    format characters (NUL first: it ends an FTS5 string) count as spaces, and at most
    MAX_WORDS words of at most MAX_WORD characters are kept, so no text typed or pasted can
    make a query fail or grow without bound."""
    from htx_desktop.domain.text import fold

    cleaned = "".join(" " if unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Zl", "Zp")
                      else ch for ch in text[:MAX_WORDS * (MAX_WORD + 1) * 4])
    words: list[str] = []
    for word in fold(cleaned).split():
        if word not in words:
            words.append(word[:MAX_WORD])
        if len(words) == MAX_WORDS:
            break
    return words


def phrase(text: str) -> str:
    """`text` as an FTS5 string: the trigram tokenizer matches it as a substring."""
    return '"' + text.replace('"', '""') + '"'


def _in_columns(cols: list[str], text: str) -> str:
    return "{" + " ".join(cols) + "} : " + phrase(text)


def _hits(base: str, query: str) -> Select[Any]:
    fts = fts_name(base)
    return (select(literal_column("rowid")).select_from(table(fts))
            .where(literal_column(fts).op("MATCH")(query)))


def words_match(engine: Engine,
                terms: list[tuple[str, list[Any]]]) -> ColumnElement[bool] | None:
    """An indexed clause for "each folded word occurs in one of its keys" (`terms`: word,
    keys), or None when the index cannot answer it (not SQLite, a word shorter than three
    letters, a key outside every index). With every key on one table the words go into ONE
    match, which the index intersects itself: for "nguyen thi" at 540,000 people the rows of
    "nguyen" alone are never read (0.12 → 0.06 s); keys on several tables need one match per
    word and table."""
    if not terms or any(len(w) < MIN_WORD for w, _ in terms):
        return None
    per_word: list[tuple[str, dict[str, list[str]]]] = []
    for word, keys in terms:
        by_table = indexed_columns(engine, keys)
        if by_table is None:
            return None
        per_word.append((word, by_table))
    tables = {base for _, by_table in per_word for base in by_table}
    if len(tables) == 1:
        [base] = tables
        query = " AND ".join(_in_columns(by_table[base], w) for w, by_table in per_word)
        return literal_column(f"{base}.rowid").in_(_hits(base, query))
    return and_(*(or_(*(literal_column(f"{base}.rowid").in_(_hits(base, _in_columns(cols, w)))
                        for base, cols in by_table.items()))
                  for w, by_table in per_word))


def hits(base: str, terms: list[tuple[str, list[str]]], limit: int) -> Select[Any]:
    """The rowids of `base` where each word occurs in one of its columns (up to `limit`)."""
    return _hits(base, " AND ".join(_in_columns(cols, w) for w, cols in terms)).limit(limit)


def not_leading(base: str, cols: list[str], text: str, column: str, limit: int,
                lead: str | None = None) -> Select[Any]:
    """The rowids of `base` where `text` occurs in one of `cols` but `column` does not START
    with `lead` (default: `text`; FTS5's initial-token query `^`: with the trigram tokenizer,
    a match at the column's first character), up to `limit`. A superset of the rows holding
    `text` whose `column` sorts before `lead`: the few a list adds to the rows it walks from
    `lead` on in the `column` index (`store/window_lookup.py`)."""
    query = f"{_in_columns(cols, text)} NOT {column} : ^{phrase(lead or text)}"
    return _hits(base, query).limit(limit)


def unindexed(engine: Engine, col: Any) -> Any:
    """`col + 0` on SQLite: the same values, but the planner no longer picks the column's own
    index for it. A province's list restricts `unit_id` to its ~90 communes, which matches
    every row; with that index SQLite sorts every row, without it it walks the sort key's
    index and stops at the first window (0.3 ms instead of 150 ms at 540,000 people)."""
    return col + 0 if engine.dialect.name == "sqlite" else col
