"""The same program on PostgreSQL: opening by URL, the same migrations, backups before an
upgrade (pg_dump or a logical export), and the export's way back (also onto SQLite)."""

from __future__ import annotations

import zipfile
from datetime import date
from pathlib import Path

import pytest
from pg_support import PgServer
from sqlalchemy import inspect, select, text
from sqlalchemy.engine import URL

from htx_desktop.cli import run
from htx_desktop.store.backup_pg import (
    DUMP_MAGIC,
    backup_server,
    export_logical,
    read_manifest,
    restore_logical,
)
from htx_desktop.store.engine import Database, memory_database
from htx_desktop.store.engine_pg import create_pg_engine
from htx_desktop.store.errors import StoreError
from htx_desktop.store.migrate import (
    alembic_config,
    current_revision,
    head_revision,
    upgrade_to_head,
)
from htx_desktop.store.models import AuditEntry, Base, Cooperative
from htx_desktop.store.paths import DataDir
from htx_desktop.store.reference import descendant_units, find_unit
from htx_desktop.store.service import RecordService

NEXT_REVISION = '''
import sqlalchemy as sa
from alembic import op

revision = "9999"
down_revision = "{head}"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("units") as batch:
        batch.add_column(sa.Column("test_note", sa.Text(), nullable=True))


def downgrade():
    with op.batch_alter_table("units") as batch:
        batch.drop_column("test_note")
'''


def _plain(url: URL) -> str:
    return url.render_as_string(hide_password=False)


def test_a_url_opens_and_migrates_an_empty_server_database(
        pg_server: PgServer, tmp_data_dir: DataDir, monkeypatch: pytest.MonkeyPatch) -> None:
    url = pg_server.create()
    monkeypatch.setenv("HTX_OFFICER", "Lò Thị Hoa")
    db = Database.open(tmp_data_dir, url=_plain(url))
    try:
        assert db.is_server and db.officer == "Lò Thị Hoa"
        assert set(Base.metadata.tables) <= set(inspect(db.engine).get_table_names())
        assert current_revision(db.engine) == head_revision()
        assert db.upgrade_backup is None  # nothing to back up yet
        assert not tmp_data_dir.db_path.exists()  # no SQLite file was made on the side
    finally:
        db.close()
    # Opened again (the URL now from server.json), it is already at head: no backup.
    (tmp_data_dir.root / "server.json").write_text(f'{{"url": "{_plain(url)}"}}')
    again = Database.open(tmp_data_dir)
    try:
        assert again.is_server and again.upgrade_backup is None
    finally:
        again.close()


@pytest.mark.parametrize("use_pg_dump", [True, False])
def test_an_upgrade_backs_the_server_up_first(pg_db: Database, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch,
                                              use_pg_dump: bool) -> None:
    extra = tmp_path / "versions"
    extra.mkdir()
    head = head_revision()
    (extra / "9999_test.py").write_text(NEXT_REVISION.replace("{head}", str(head)))
    if not use_pg_dump:  # an officer's PC without PostgreSQL's client tools
        monkeypatch.setenv("PATH", str(tmp_path))
    backups = tmp_path / "backups"
    backup = upgrade_to_head(pg_db.engine, None, backups, config=alembic_config([extra]))
    assert backup is not None and backup.parent == backups
    assert current_revision(pg_db.engine) == "9999"
    if use_pg_dump:
        assert backup.suffix == ".pgdump"
        assert backup.read_bytes()[:5] == DUMP_MAGIC
    else:
        assert backup.name.endswith(".pgexport.zip")
        assert read_manifest(backup)["revision"] == head  # taken before the upgrade


def test_a_logical_export_carries_every_type_onto_sqlite(pg_db: Database, tmp_path: Path) -> None:
    with pg_db.session() as session:
        province = find_unit(session, "19")
        assert province is not None
        commune = next(u for u in descendant_units(session, province.id) if u.level == "xa")
        coop = RecordService(session, "Hà Thị Thu").create("cooperative", {
            "unit_id": commune.id, "kind": "htx", "name": "HTX Miến Dong", "digital": True,
            "founded_on": date(2019, 3, 8),
            "yearly": [{"year": 2024, "members": 12, "revenue_vnd": 12_345_678_901}]})
        coop_id = coop.id
    out = export_logical(pg_db.engine, tmp_path / "x.pgexport.zip")
    with zipfile.ZipFile(out) as zf:
        assert "tables/cooperatives.json" in zf.namelist()

    target = memory_database()
    try:
        counts = restore_logical(target.engine, out)
        assert counts["cooperatives"] == 1 and counts["units"] > 3000
        with target.session() as session:
            copy = session.get(Cooperative, coop_id)
            assert copy is not None
            assert (copy.digital, copy.union_supported) == (True, False)  # boolean defaults
            assert copy.founded_on == date(2019, 3, 8)
            assert copy.yearly[0].revenue_vnd == 12_345_678_901  # BigInteger
            entry = session.scalars(select(AuditEntry)).one()
            assert entry.officer == "Hà Thị Thu"
            assert entry.changes["name"] == [None, "HTX Miến Dong"]  # JSON
            assert entry.at.year >= 2025
        # A second export into the same (no longer empty) database is refused.
        with pytest.raises(StoreError, match="đã có dữ liệu"):
            restore_logical(target.engine, out)
    finally:
        target.close()


def test_a_logical_export_goes_back_onto_a_fresh_server(pg_db: Database, pg_server: PgServer,
                                                        tmp_path: Path) -> None:
    out = export_logical(pg_db.engine, tmp_path / "x.pgexport.zip")
    fresh = Database(create_pg_engine(pg_server.create()))
    try:
        upgrade_to_head(fresh.engine, None, None)
        counts = restore_logical(fresh.engine, out)
        assert counts == read_manifest(out)["rows"]
        # The serials moved past the restored ids: a new row gets a new id.
        with fresh.session() as session:
            session.add(AuditEntry(officer="x", action="create", table_name="t", record_id="r",
                                   changes={}))
        with fresh.engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM audit_log")).scalar() == 1
    finally:
        fresh.close()


def test_backup_server_falls_back_to_an_export_without_pg_dump(pg_db: Database,
                                                               tmp_path: Path) -> None:
    path = backup_server(pg_db.engine, tmp_path, "manual", use_pg_dump=False)
    assert path.name.endswith("-manual.pgexport.zip")
    assert read_manifest(path)["rows"]["units"] > 3000


def test_cli_database_url_option_backs_up_the_server(
        pg_url: URL, tmp_data_dir: DataDir, capsys: pytest.CaptureFixture[str]) -> None:
    code = run(["--data-dir", str(tmp_data_dir.root), "--database-url", _plain(pg_url),
                "--lang", "en", "backup"])
    out = capsys.readouterr()
    assert code == 0, out.err
    made = list(tmp_data_dir.backups.iterdir())
    assert len(made) == 1 and str(made[0]) in out.out
    assert not tmp_data_dir.db_path.exists()


def test_cli_refuses_an_unreachable_server_without_a_traceback(
        tmp_data_dir: DataDir, capsys: pytest.CaptureFixture[str]) -> None:
    code = run(["--data-dir", str(tmp_data_dir.root), "--database-url",
                "postgresql://nobody@127.0.0.1:1/none", "summary"])
    err = capsys.readouterr().err
    assert code == 1
    assert "Không kết nối được máy chủ cơ sở dữ liệu 127.0.0.1" in err
    assert "Traceback" not in err
