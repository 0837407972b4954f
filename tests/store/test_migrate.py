"""Migrations: built from empty, upgraded with a backup first, refused when too new."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from sqlalchemy import inspect, text

from htx_desktop.store.backup import list_backups
from htx_desktop.store.engine import Database, memory_database
from htx_desktop.store.errors import StoreError
from htx_desktop.store.migrate import (
    alembic_config,
    current_revision,
    head_revision,
    upgrade_to_head,
)
from htx_desktop.store.models import Base
from htx_desktop.store.paths import DataDir
from htx_desktop.store.sqlite_engine import create_sqlite_engine

# A next revision that exists only in this test: it rebuilds `units` (which every record
# refers to) the way SQLite batch mode does, so it also proves foreign keys survive a rebuild.
# It follows whatever the real head is, so adding a real revision does not break the test.
HEAD = head_revision()
assert HEAD is not None
NEXT = f"{int(HEAD) + 1:04d}"
TEST_REVISION = f'''
import sqlalchemy as sa
from alembic import op

revision = "{NEXT}"
down_revision = "{HEAD}"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("units", recreate="always") as batch:
        batch.add_column(sa.Column("test_note", sa.Text(), nullable=True))


def downgrade():
    with op.batch_alter_table("units", recreate="always") as batch:
        batch.drop_column("test_note")
'''


def test_migrating_an_empty_database_creates_every_table(tmp_data_dir: DataDir) -> None:
    db = Database.open(tmp_data_dir)
    try:
        tables = set(inspect(db.engine).get_table_names())
        assert set(Base.metadata.tables) <= tables
        assert current_revision(db.engine) == head_revision() == HEAD
        assert db.upgrade_backup is None  # a new database has nothing to back up
        assert list_backups(tmp_data_dir.backups) == []
    finally:
        db.close()


def test_memory_database_is_built_by_the_migrations() -> None:
    db = memory_database()
    assert current_revision(db.engine) == head_revision()
    assert set(Base.metadata.tables) <= set(inspect(db.engine).get_table_names())


def test_opening_a_database_at_head_makes_no_backup(tmp_data_dir: DataDir) -> None:
    Database.open(tmp_data_dir).close()
    db = Database.open(tmp_data_dir)
    db.close()
    assert db.upgrade_backup is None
    assert list_backups(tmp_data_dir.backups) == []


def _write_test_revision(folder: Path) -> Path:
    folder.mkdir()
    (folder / f"{NEXT}_test_only.py").write_text(TEST_REVISION, encoding="utf-8")
    return folder


def test_pending_upgrade_backs_up_first_and_keeps_the_data(
    tmp_data_dir: DataDir, tmp_path: Path
) -> None:
    db = Database.open(tmp_data_dir)
    with db.session() as session:
        session.execute(text(
            "INSERT INTO units (id, code, name, name_key, level, source) "
            "VALUES (1, '19', 'Tỉnh Thái Nguyên', 'tinh thai nguyen', 'tinh', 'test')"))
        session.execute(text("INSERT INTO targets (unit_id, indicator, value, unit_of_measure, "
                             "text) VALUES (1, 'CT1', 50, 'count', '')"))
    db.close()

    config = alembic_config([_write_test_revision(tmp_path / "extra_versions")])
    engine = create_sqlite_engine(tmp_data_dir.db_path)
    try:
        backup = upgrade_to_head(engine, tmp_data_dir.db_path, tmp_data_dir.backups,
                                 config=config)
        assert current_revision(engine) == NEXT
        columns = {c["name"] for c in inspect(engine).get_columns("units")}
        assert "test_note" in columns
        with engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM targets")).scalar_one() == 1
            assert conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall() == []
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar_one() == 1
    finally:
        engine.dispose()

    assert backup is not None and backup.exists()
    assert "truoc-nang-cap" in backup.name
    with closing(sqlite3.connect(backup)) as conn:  # the backup is the database before
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == (HEAD,)
        assert conn.execute("SELECT name FROM units").fetchall() == [("Tỉnh Thái Nguyên",)]


def test_a_database_from_a_newer_program_is_refused(tmp_data_dir: DataDir) -> None:
    Database.open(tmp_data_dir).close()
    with closing(sqlite3.connect(tmp_data_dir.db_path)) as conn, conn:
        conn.execute("UPDATE alembic_version SET version_num = '0999'")
    with pytest.raises(StoreError, match="phiên bản mới hơn"):
        Database.open(tmp_data_dir)
