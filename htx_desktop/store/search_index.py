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

from typing import Any

from sqlalchemy import Connection, Engine, Select, literal_column, or_, select, table
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


def word_match(engine: Engine, keys: list[Any], word: str) -> ColumnElement[bool] | None:
    """An indexed clause for "the folded `word` occurs in one of `keys`", or None when the
    index cannot answer it (not SQLite, a short word, a key outside every index)."""
    if len(word) < MIN_WORD:
        return None
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
    phrase = '"' + word.replace('"', '""') + '"'
    clauses = []
    for base, cols in by_table.items():
        fts = fts_name(base)
        query = "{" + " ".join(cols) + "} : " + phrase
        hits: Select[Any] = (select(literal_column("rowid")).select_from(table(fts))
                .where(literal_column(fts).op("MATCH")(query)))
        clauses.append(literal_column(f"{base}.rowid").in_(hits))
    if not clauses:
        return None
    return clauses[0] if len(clauses) == 1 else or_(*clauses)


def unindexed(engine: Engine, col: Any) -> Any:
    """`col + 0` on SQLite: the same values, but the planner no longer picks the column's own
    index for it. A province's list restricts `unit_id` to its ~90 communes, which matches
    every row; with that index SQLite sorts every row, without it it walks the sort key's
    index and stops at the first window (0.3 ms instead of 150 ms at 540,000 people)."""
    return col + 0 if engine.dialect.name == "sqlite" else col
