"""Revision 0005 (issue 18): `people.gender` may be empty (sex not recorded). Existing rows keep
their value, and the people's list search index, rebuilt with the table, still finds them."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from sqlalchemy import text

from htx_desktop.domain.text import fold
from htx_desktop.store.migrate import alembic_config
from htx_desktop.store.sqlite_engine import create_sqlite_engine

_FLAGS = ("poor", "near_poor", "ethnic_minority", "disability", "reintegrated",
          "trafficking_victim", "domestic_violence_victim", "sexual_abuse_victim",
          "unsafe_migrant", "laid_off_worker")
_INSERT = ("INSERT INTO people (id, unit_id, full_name, name_key, gender, row_version, "
           "created_at, updated_at, " + ", ".join(_FLAGS) + ") VALUES (:id, 1, :name, :key, "
           ":gender, 1, '2026-01-01 00:00:00', '2026-01-01 00:00:00', "
           + ", ".join("0" for _ in _FLAGS) + ")")


def test_0005_keeps_values_allows_blank_and_keeps_the_search_index(tmp_path: Path) -> None:
    engine = create_sqlite_engine(tmp_path / "htx.sqlite3")
    config = alembic_config()
    try:
        with engine.begin() as conn:
            config.attributes["connection"] = conn
            command.upgrade(config, "0004")
            conn.execute(text(
                "INSERT INTO units (id, code, name, name_key, level, source) "
                "VALUES (1, '19', 'Tỉnh Thái Nguyên', 'tinh thai nguyen', 'tinh', 'test')"))
            for pid, name, gender in (("p1", "Nguyễn Thị Lan", "female"),
                                      ("p2", "Trần Văn Nam", "male")):
                conn.execute(text(_INSERT),
                             {"id": pid, "name": name, "key": fold(name), "gender": gender})
            command.upgrade(config, "0005")
            rows = conn.execute(text("SELECT id, gender FROM people ORDER BY id")).all()
            assert [tuple(r) for r in rows] == [("p1", "female"), ("p2", "male")]
            conn.execute(text(_INSERT), {"id": "p3", "name": "Lò Văn Páo", "key": "lo van pao",
                                         "gender": None})
            found = conn.execute(text(
                "SELECT p.id FROM people_fts f JOIN people p ON p.rowid = f.rowid "
                "WHERE people_fts MATCH :q ORDER BY p.id"), {"q": "van"}).scalars().all()
            assert found == ["p2", "p3"]
            assert conn.execute(text("SELECT gender FROM people WHERE id = 'p3'")
                                ).scalar_one() is None
            command.downgrade(config, "0004")  # a blank becomes "other", never "female"
            assert conn.execute(text("SELECT gender FROM people WHERE id = 'p3'")
                                ).scalar_one() == "other"
    finally:
        engine.dispose()
