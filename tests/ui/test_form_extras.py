"""Issue #3: a woman added as a new person from inside the cooperative form (point 4), and list
column widths remembered across pages (point 3)."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select

from htx_desktop.store.models import ManagementPosition, Person
from htx_desktop.ui.context import AppContext
from htx_desktop.ui.forms.base import FormDialog
from htx_desktop.ui.forms.fields import PickerField
from htx_desktop.ui.forms.registry import make_form
from htx_desktop.ui.forms.rows import RowsEditor
from htx_desktop.ui.list_page import ListPage
from htx_desktop.ui.list_specs import SPEC_FACTORIES
from tests.ui.conftest import type_text, when_dialog


def test_position_held_by_a_person_created_inline(qtbot: Any, ctx: AppContext,
                                                  seeded: dict[str, str]) -> None:
    coop_id = seeded["cooperative"]
    form = make_form(ctx, "cooperative", coop_id)
    form.show()
    positions = form.widgets["positions"]
    assert isinstance(positions, RowsEditor)
    row = positions.add_row({"position": "chair", "start": date(2024, 1, 15)})
    picker = positions.cell(row, "person_id")
    assert isinstance(picker, PickerField)

    def new_person(person_form: FormDialog) -> None:
        assert person_form.KIND == "person"
        type_text(person_form.widgets["full_name"], "Hà Thị Nguyệt")
        person_form.widgets["birth_year"].set_value(1988)  # type: ignore[attr-defined]
        person_form.widgets["gender"].set_value("female")  # type: ignore[attr-defined]
        person_form.save_button.click()

    when_dialog(FormDialog, new_person, exclude=form)
    picker.new_button.click()
    # shown with birth year and commune, so that namesakes are told apart (issue #16)
    assert picker.display.text() == f"Hà Thị Nguyệt (1988, {ctx.home_unit_name})"
    assert form.save(), form.banner.text()

    with ctx.db.session() as session:
        person = session.scalar(select(Person).where(Person.full_name == "Hà Thị Nguyệt"))
        assert person is not None and person.unit_id == ctx.home_unit_id
        held = session.scalars(select(ManagementPosition).where(
            ManagementPosition.cooperative_id == coop_id,
            ManagementPosition.person_id == person.id)).all()
        assert [(p.position, p.start) for p in held] == [("chair", date(2024, 1, 15))]


def test_list_column_width_is_remembered(qtbot: Any, ctx: AppContext) -> None:
    spec = SPEC_FACTORIES["cooperative"]
    page = ListPage(ctx, spec())
    qtbot.addWidget(page)
    page.show()
    header = page.table.horizontalHeader()
    wanted = header.sectionSize(1) + 97
    header.resizeSection(1, wanted)
    page.hide()  # leaving the page saves widths still waiting for their timer
    page.close()

    again = ListPage(ctx, spec())
    qtbot.addWidget(again)
    again.show()
    assert again.table.horizontalHeader().sectionSize(1) == wanted
