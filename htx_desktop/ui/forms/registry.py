"""Which form edits which kind of `domain/kinds.py`, and one function to open it (installed in
`opener.py` for the forms themselves, which cannot import this module)."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QWidget

from htx_desktop.domain.kinds import EDITED
from htx_desktop.i18n import t
from htx_desktop.ui.context import AppContext
from htx_desktop.ui.forms import opener
from htx_desktop.ui.forms.auto import auto_fields
from htx_desktop.ui.forms.base import F, FormDialog
from htx_desktop.ui.forms.cooperative import CooperativeForm
from htx_desktop.ui.forms.event import EventForm
from htx_desktop.ui.forms.simple import (
    AwardForm,
    CadreForm,
    CommunicationForm,
    JobPlacementForm,
    PersonForm,
    PlanStatusForm,
    SupportForm,
    default_values,
)


class KindForm(FormDialog):
    """The form of a kind without a form of its own: every field of its table
    (`domain/fields.py`) in order, titled from its declaration (`domain/kinds.py`)."""

    def fields(self) -> list[F]:
        return auto_fields(self.ctx, self.KIND)


def kind_form(kind: str) -> type[FormDialog]:
    spec = EDITED[kind]
    title = spec.title[:1].lower() + spec.title[1:]
    return type("".join(w.title() for w in kind.split("_")) + "Form", (KindForm,), {
        "KIND": kind, "TITLE_NEW": t("Thêm {what}", what=t(title)),
        "TITLE_EDIT": t("Sửa {what}", what=t(title))})


# Kinds with a form of their own; every other kind of domain/kinds.py gets a KindForm.
OWN_FORMS: dict[str, type[FormDialog]] = {
    "cooperative": CooperativeForm,
    "person": PersonForm,
    "cadre": CadreForm,
    "event": EventForm,
    "job_placement": JobPlacementForm,
    "support": SupportForm,
    "communication": CommunicationForm,
    "award": AwardForm,
    "plan_status": PlanStatusForm,
}
FORMS: dict[str, type[FormDialog]] = {
    kind: OWN_FORMS.get(kind) or kind_form(kind) for kind in EDITED}

def _home_level(ctx: AppContext) -> str | None:
    from htx_desktop.store import models as m
    with ctx.db.session() as session:
        unit = session.get(m.Unit, ctx.home_unit_id)
        return str(unit.level) if unit is not None and unit.level else None


# The form made last, held until the next is made. Hardly read (one test), yet not dead: it keeps
# a form made without a parent (as tests make them; every caller in the window gives one) from
# being collected while it may still be on screen, and collecting a job placement, support or
# award form crashes Qt (a segmentation fault in the garbage collector; found by issue 26).
last_form: list[FormDialog] = []


def make_form(ctx: AppContext, kind: str, record_id: str | None = None,
              values: dict[str, Any] | None = None, draft_id: int | None = None,
              parent: QWidget | None = None,
              inherit: dict[str, Any] | None = None) -> FormDialog:
    """`inherit`: what a new record takes from where it is made (its commune: forms/inherit)."""
    form = FORMS[kind](ctx, record_id, values, draft_id, parent)
    if record_id is None and values is None:
        level = _home_level(ctx) if kind == "cadre" else None
        form.set_values({**default_values(kind, ctx.home_unit_id, level), **(inherit or {})})
        form._dirty = False
    last_form[:] = [form]
    return form


def open_form(ctx: AppContext, kind: str, record_id: str | None = None,
              values: dict[str, Any] | None = None, draft_id: int | None = None,
              parent: QWidget | None = None,
              inherit: dict[str, Any] | None = None) -> str | None:
    """Open the form modally; the saved record's id, or None when cancelled."""
    form = make_form(ctx, kind, record_id, values, draft_id, parent, inherit)
    form.exec()
    return form.saved_id


opener.install(open_form)
