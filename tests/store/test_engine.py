"""Engine settings and sessions: pragmas in effect, rollback on error, optimistic locking."""

from __future__ import annotations

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm.exc import StaleDataError

from htx_desktop.domain.text import fold
from htx_desktop.store.engine import Database
from htx_desktop.store.models import Cooperative, Setting
from htx_desktop.store.paths import DataDir
from htx_desktop.store.reference import find_unit


def test_pragmas_are_in_effect_on_a_file_database(tmp_data_dir: DataDir) -> None:
    db = Database.open(tmp_data_dir)
    try:
        with db.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar_one() == "wal"
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar_one() == 1
            assert conn.exec_driver_sql("PRAGMA synchronous").scalar_one() == 2  # FULL
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar_one() > 0
        assert db.quick_check()
    finally:
        db.close()


def test_foreign_keys_are_enforced(db: Database) -> None:
    from sqlalchemy.exc import IntegrityError

    with pytest.raises(IntegrityError), db.session() as session:
        session.add(Cooperative(unit_id=999_999, kind="htx", name="HTX Ma", name_key="htx ma"))


def test_session_rolls_back_on_error(db: Database) -> None:
    with pytest.raises(RuntimeError), db.session() as session:
        session.add(Setting(key="officer_name", value="Nguyễn Thị Hoa"))
        session.flush()
        raise RuntimeError("boom")
    with db.session() as session:
        assert session.get(Setting, "officer_name") is None


def test_updating_a_stale_record_raises_stale_data_error(db: Database) -> None:
    with db.session() as session:
        commune = find_unit(session, "05443")
        assert commune is not None
        coop = Cooperative(unit_id=commune.id, kind="htx", name="HTX Chè Tân Cương",
                           name_key=fold("HTX Chè Tân Cương"))
        session.add(coop)
    assert coop.row_version == 1

    with pytest.raises(StaleDataError), db.session() as session:
        mine = session.scalars(select(Cooperative).where(Cooperative.id == coop.id)).one()
        assert mine.row_version == 1
        # Another writer saves the record after this officer opened it.
        session.execute(
            update(Cooperative).where(Cooperative.id == coop.id)
            .values(name="HTX Chè Tân Cương (mới)", row_version=Cooperative.row_version + 1)
            .execution_options(synchronize_session=False)
        )
        mine.name = "HTX Chè Tân Cương của tôi"
        session.flush()

    with db.session() as session:  # the failed save left nothing half-written
        saved = session.get(Cooperative, coop.id)
        assert saved is not None
        assert (saved.name, saved.row_version) == ("HTX Chè Tân Cương", 1)
