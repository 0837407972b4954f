"""UI fixtures: a commune-level home unit with a few records of every kind (demo data when
the generator is there), an AppContext, and helpers that type Vietnamese and answer dialogs.

`qtbot.keyClicks` aborts on non-ASCII characters: `type_text` sends one key event per
character carrying its text instead.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from typing import Any

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox, QWidget

from htx_desktop.store.engine import Database
from htx_desktop.store.reference import descendant_units, find_unit
from htx_desktop.store.service import RecordService
from htx_desktop.store.settings import set_setting
from htx_desktop.ui.context import AppContext

PROVINCE = "19"


def _commune_id(db: Database) -> int:
    with db.session() as session:
        province = find_unit(session, PROVINCE)
        assert province is not None
        communes = [u for u in descendant_units(session, province.id, include_self=False)
                    if u.level == "xa"]
        dai_tu = [u for u in communes if u.name.endswith("Đại Từ")]
        return (dai_tu or communes)[0].id


def seed_records(db: Database, unit_id: int) -> dict[str, str]:
    """One or two records of every kind, through the service (ids by kind)."""
    ids: dict[str, str] = {}
    with db.session() as session:
        s = RecordService(session, "Cán bộ thử")
        lan = s.create("person", {"unit_id": unit_id, "full_name": "Nguyễn Thị Lan",
                                  "gender": "female", "birth_year": 1980,
                                  "ethnicity_code": "02"})
        s.create("person", {"unit_id": unit_id, "full_name": "Đặng Thị Ánh",
                            "gender": "female", "birth_year": 1990})
        coop = s.create("cooperative", {
            "unit_id": unit_id, "kind": "htx", "name": "HTX Chè Đại Từ",
            "status": "active", "sectors": ["agriculture"], "union_supported": True,
            "registered_on": date(2023, 5, 4),
            "yearly": [{"year": 2024, "members": 20, "members_female": 12, "workers": 30,
                        "workers_female": 20, "revenue_vnd": 2_200_000_000}],
            "positions": [{"person_id": lan.id, "position": "director",
                           "start": date(2023, 5, 4)}]})
        s.create("cooperative", {"unit_id": unit_id, "kind": "tht",
                                 "name": "Tổ hợp tác Dệt thổ cẩm", "status": "active"})
        ev = s.create("event", {"unit_id": unit_id, "type": "tap_huan",
                                "title": "Tập huấn chuyển đổi số cho HTX",
                                "start": date(2024, 6, 10), "count_total": 40,
                                "count_female": 30, "topics": ["digital"],
                                "attendance": [{"person_id": lan.id, "role": "htx_manager"}]})
        cadre = s.create("cadre", {"unit_id": unit_id, "person_id": lan.id, "level": "xa",
                                   "position": "Chủ tịch Hội LHPN xã", "kttt_assigned": True})
        job = s.create("job_placement", {"unit_id": unit_id, "person_id": lan.id,
                                         "cooperative_id": coop.id, "start": date(2024, 1, 2),
                                         "role": "worker", "monthly_income_vnd": 5_000_000})
        sup = s.create("support", {"unit_id": unit_id, "cooperative_id": coop.id,
                                   "kind": "credit", "on": date(2024, 3, 1),
                                   "lender": "Ngân hàng Chính sách xã hội",
                                   "amount_vnd": 100_000_000})
        com = s.create("communication", {"unit_id": unit_id, "on": date(2024, 4, 1),
                                         "form": "news", "topic": "Gương phụ nữ làm kinh tế",
                                         "reach": 500})
        award = s.create("award", {"unit_id": unit_id, "recipient": "HTX Chè Đại Từ",
                                   "title": "Giấy khen", "level": "huyen",
                                   "on": date(2024, 12, 1)})
        plan = s.create("plan_status", {"unit_id": unit_id, "line_code": "I.1",
                                        "year": date.today().year, "status": "in_progress",
                                        "result": "Đã tổ chức 2 hội nghị"})
        visit = s.create("supervision_visit", {
            "cooperative_id": coop.id, "on": date(2024, 5, 20),
            "visitors": "Chủ tịch Hội LHPN xã; cán bộ phụ trách HTX",
            "follow_up": "Xây dựng kế hoạch kinh doanh năm",
            "follow_up_due": date(2024, 7, 20)})
        ids.update(person=lan.id, cooperative=coop.id, event=ev.id, cadre=cadre.id,
                   job_placement=job.id, support=sup.id, communication=com.id,
                   award=award.id, plan_status=plan.id, supervision_visit=visit.id)
    return ids


@pytest.fixture
def commune_db(db: Database) -> Database:
    """The `db` fixture with a commune as the home unit and the officer set."""
    unit_id = _commune_id(db)
    with db.session() as session:
        set_setting(session, "home_unit_id", str(unit_id))
        set_setting(session, "officer_name", "Hoàng Thị Mai")
    return db


@pytest.fixture
def seeded(commune_db: Database) -> dict[str, str]:
    with commune_db.session() as session:
        from htx_desktop.store.settings import home_unit
        unit = home_unit(session)
        assert unit is not None
        unit_id = unit.id
    return seed_records(commune_db, unit_id)


@pytest.fixture
def ctx(commune_db: Database, seeded: dict[str, str]) -> AppContext:
    loaded = AppContext.load(commune_db)
    assert loaded is not None
    return loaded


def type_text(widget: QWidget, text: str) -> None:
    """Type any text, Vietnamese included, one key event per character."""
    widget.setFocus()
    for ch in text:
        QTest.sendKeyEvent(QTest.KeyAction.Click, widget, Qt.Key.Key_unknown, ch,
                           Qt.KeyboardModifier.NoModifier)


def answer_next_box(answer: str) -> None:
    """Press the button with this text in the next message box that opens."""
    def press() -> None:
        for w in QApplication.topLevelWidgets():
            if isinstance(w, QMessageBox) and w.isVisible():
                for b in w.buttons():
                    if b.text() == answer:
                        b.click()
                        return
        QTimer.singleShot(20, press)
    QTimer.singleShot(20, press)


def when_dialog(kind: type, act: Callable[[Any], None], exclude: Any = None) -> None:
    """Run `act` on the next visible dialog of this class (modal dialogs block the test).

    If `act` fails, or leaves the dialog open, the dialog is closed so that the test goes on
    (and the failure is reported by pytest-qt's exception capture)."""
    def check() -> None:
        for w in QApplication.topLevelWidgets():
            if isinstance(w, kind) and w.isVisible() and w is not exclude:
                try:
                    act(w)
                finally:
                    if w.isVisible():
                        w._dirty = False
                        QDialog.done(w, 0)
                return
        QTimer.singleShot(20, check)
    QTimer.singleShot(20, check)


@pytest.fixture(autouse=True)
def _close_windows(qtbot: Any) -> Iterator[None]:
    yield
    for w in QApplication.topLevelWidgets():
        if hasattr(w, "_dirty"):
            w._dirty = False  # an unsaved form would ask, and nobody would answer
        w.close()
