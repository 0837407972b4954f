"""The report's own paragraphs: saved per unit, period and section, every change audited,
an unchanged save writing nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from htx_desktop.store.engine import Database
from htx_desktop.store.errors import StoreError
from htx_desktop.store.models import AuditEntry
from htx_desktop.store.narratives import load_narrative, save_narrative
from htx_desktop.store.settings import home_unit


def _audit(db: Database) -> list[AuditEntry]:
    with db.session() as session:
        return list(session.scalars(select(AuditEntry).where(
            AuditEntry.table_name == "narratives").order_by(AuditEntry.id)))


def test_save_load_and_audit(db: Database) -> None:
    with db.session() as session:
        unit = home_unit(session)
        assert unit is not None
        unit_id = unit.id
        assert save_narrative(session, unit_id, "2025", {"intro": "Mở đầu năm 2025",
                                                         "task1": ""}, "Mai") == ["intro"]
    with db.session() as session:
        assert save_narrative(session, unit_id, "2025", {"intro": "Mở đầu năm 2025"},
                              "Mai") == []
        assert save_narrative(session, unit_id, "2025", {"intro": "Sửa lại"}, "Lan") == ["intro"]
        save_narrative(session, unit_id, "2024", {"intro": "Năm trước"}, "Lan")
    with db.session() as session:
        assert load_narrative(session, unit_id, "2025") == {"intro": "Sửa lại"}
        assert load_narrative(session, unit_id, "2024") == {"intro": "Năm trước"}
        assert load_narrative(session, unit_id, "2023") == {}
    entries = _audit(db)
    assert [(e.action, e.officer) for e in entries] == [
        ("create", "Mai"), ("update", "Lan"), ("create", "Lan")]
    assert entries[1].changes["text"] == ["Mở đầu năm 2025", "Sửa lại"]
    assert entries[1].changes["period"] == "2025"


def test_refuses_keys_too_long_for_the_columns(db: Database) -> None:
    with db.session() as session:
        unit = home_unit(session)
        assert unit is not None
        with pytest.raises(StoreError):
            save_narrative(session, unit.id, "2025", {"x" * 41: "a"}, "Mai")
        with pytest.raises(StoreError):
            save_narrative(session, unit.id, "", {"intro": "a"}, "Mai")
