"""Records take their place from where they are made (issue 15 point 4).

- A record made from inside another form (a manager added as a new person from a
  cooperative's positions, a cooperative added from a placement) takes that form's commune.
- A record with a cooperative (a job placement, a support) takes the cooperative's commune
  when the cooperative is chosen, unless she chose the commune herself; saving one whose
  commune differs from its cooperative's asks first.
"""

from __future__ import annotations

from typing import Any, Protocol

from PySide6.QtWidgets import QWidget

from htx_desktop.i18n import t


class InheritingForm(Protocol):
    """What `FollowsCooperative` reads of its form (`base.FormDialog`, which makes it; named by
    its shape so that this module does not import the form). What a record made inside another
    form takes from it: `base.context_of`."""

    @property
    def record_id(self) -> str | None: ...
    @property
    def widgets(self) -> dict[str, QWidget]: ...
    @property
    def ctx(self) -> Any: ...
    def window(self) -> QWidget: ...


def cooperative_unit(ctx: Any, cooperative_id: str) -> tuple[int | None, str]:
    """The commune (id) and the name of a cooperative."""
    from sqlalchemy import select

    from htx_desktop.store import models as m
    with ctx.db.session() as session:
        row = session.execute(select(m.Cooperative.unit_id, m.Cooperative.name).where(
            m.Cooperative.id == cooperative_id)).first()
    return (int(row[0]), str(row[1])) if row else (None, "")


def unit_name(ctx: Any, unit_id: int | None) -> str:
    names = dict(ctx.communes)
    if unit_id in names:
        return str(names[unit_id])
    from htx_desktop.store import models as m
    with ctx.db.session() as session:
        unit = session.get(m.Unit, unit_id) if unit_id is not None else None
        return str(unit.name) if unit is not None else "—"


class FollowsCooperative:
    """Wires a form with `cooperative_id` and `unit_id` fields (see the module's text)."""

    def __init__(self, form: InheritingForm) -> None:
        self.form = form
        self.unit_chosen = form.record_id is not None  # a stored record keeps its commune
        self.unit = form.widgets["unit_id"]
        self.cooperative = form.widgets["cooperative_id"]
        activated = getattr(self.unit, "activated", None)
        if activated is not None:
            activated.connect(self._chosen)
        self.cooperative.changed.connect(self.follow)  # type: ignore[attr-defined]

    def _chosen(self, *_args: Any) -> None:
        self.unit_chosen = True

    def follow(self) -> None:
        coop_id = self.cooperative.value()  # type: ignore[attr-defined]
        if self.unit_chosen or not coop_id:
            return
        unit_id, _name = cooperative_unit(self.form.ctx, coop_id)
        if unit_id is not None:
            self.unit.set_value(unit_id)  # type: ignore[attr-defined]

    def confirm(self, values: dict[str, Any]) -> bool:
        """Before saving: a commune other than the cooperative's is asked about."""
        coop_id, unit_id = values.get("cooperative_id"), values.get("unit_id")
        if not coop_id or unit_id is None:
            return True
        coop_unit, coop_name = cooperative_unit(self.form.ctx, coop_id)
        if coop_unit is None or coop_unit == unit_id:
            return True
        from htx_desktop.ui.dialogs import ask_yes_no
        return ask_yes_no(self.form.window(), t("Xã/phường khác với HTX"), t(
            "Hồ sơ này ghi ở {unit}, còn {coop} thuộc {coop_unit}. Hồ sơ sẽ được tính cho "
            "{unit}. Vẫn lưu như vậy?", unit=unit_name(self.form.ctx, unit_id),
            coop=coop_name, coop_unit=unit_name(self.form.ctx, coop_unit)))
