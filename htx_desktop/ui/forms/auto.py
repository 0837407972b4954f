"""Field widgets made from the domain's field table (`domain/fields.py`): one place decides
that a date is a DateField, a code a drop-down, money a MoneyField, a person a picker."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QGridLayout, QWidget
from sqlalchemy import select

from htx_desktop.domain.fields import FIELDS, FieldSpec
from htx_desktop.i18n import t
from htx_desktop.store import models as m
from htx_desktop.ui.context import AppContext
from htx_desktop.ui.forms.base import F
from htx_desktop.ui.forms.fields import (
    BoolField,
    ChoiceField,
    DateField,
    IntField,
    MoneyField,
    MultilineField,
    PickerField,
    TextField,
)
from htx_desktop.ui.forms.rows import RowColumn, RowsEditor


def cap(label: str) -> str:
    return label[:1].upper() + label[1:]


class CodesField(QWidget):
    """A set of codes as check boxes (sectors, topics)."""

    changed = Signal()

    def __init__(self, choices: list[tuple[str, str]], columns: int = 2) -> None:
        super().__init__()
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        self.boxes: dict[str, QCheckBox] = {}
        for i, (code, label) in enumerate(choices):
            box = QCheckBox(label)
            box.setObjectName(f"code:{code}")
            box.toggled.connect(self.changed)
            self.boxes[code] = box
            grid.addWidget(box, i // columns, i % columns)

    def value(self) -> list[str]:
        return [code for code, box in self.boxes.items() if box.isChecked()]

    def set_value(self, value: Any) -> None:
        chosen = set(value or [])
        for code, box in self.boxes.items():
            box.setChecked(code in chosen)


def _name_of(ctx: AppContext, model: Any, attr: str) -> Callable[[str], str]:
    def describe(record_id: str) -> str:
        with ctx.db.session() as session:
            return str(session.scalar(select(getattr(model, attr)).where(model.id == record_id))
                       or "")
    return describe


def plan_line_choices(ctx: AppContext) -> list[tuple[str, str]]:
    with ctx.db.session() as session:
        rows = session.execute(select(m.PlanLine.code, m.PlanLine.content)
                               .order_by(m.PlanLine.group, m.PlanLine.number)).all()
    return [(code, f"{code}  {content[:70]}") for code, content in rows]


def ethnic_choices(ctx: AppContext) -> list[tuple[str, str]]:
    with ctx.db.session() as session:
        rows = session.execute(select(m.EthnicGroup.code, m.EthnicGroup.name)
                               .order_by(m.EthnicGroup.code)).all()
    return [(code, name) for code, name in rows]


def lender_field(ctx: AppContext, max_len: int) -> TextField:
    from htx_desktop.ui.collate import vi_key
    from htx_desktop.ui.forms.choice_field import suggest
    with ctx.db.session() as session:
        used = {str(v).strip() for v in session.scalars(
            select(m.Support.lender).where(m.Support.lender.is_not(None)).distinct()) if v}
    field = TextField(max_len)
    suggest(field, sorted((u for u in used if u), key=vi_key))
    return field


def picker(ctx: AppContext, kind: str, parent: QWidget | None = None) -> PickerField:
    """A person / cooperative / event chooser with a search dialog (and "add new")."""
    from htx_desktop.ui.record_dialogs import PickerDialog

    holder: list[PickerField] = []

    def pick() -> tuple[str, str] | None:
        return PickerDialog.choose(ctx, kind, holder[0] if holder else parent)

    create = None
    if kind in ("person", "cooperative"):
        def create() -> tuple[str, str] | None:
            from htx_desktop.ui.forms.base import context_of
            from htx_desktop.ui.forms.opener import open_form
            where = holder[0] if holder else parent
            # made from inside another form: it takes that form's commune
            saved = open_form(ctx, kind, None, parent=where, inherit=context_of(where))
            if not saved:
                return None
            return saved, describe(saved)

    model, attr = {"person": (m.Person, "full_name"), "cooperative": (m.Cooperative, "name"),
                   "event": (m.Event, "title")}[kind]
    describe = _name_of(ctx, model, attr)
    if kind == "person":  # namesakes told apart: "Bàn Thị Hải (1987, Xã Tân Cương)"
        from htx_desktop.ui.record_dialogs import person_text
        describe = partial(person_text, ctx)
    field = PickerField(pick, create, describe)
    holder.append(field)
    return field


REF_KINDS = {"person_id": "person", "cooperative_id": "cooperative",
             "converted_to_id": "cooperative", "training_event_id": "event"}


def make_widget(ctx: AppContext, name: str, spec: FieldSpec) -> Callable[[], QWidget]:
    """A factory for the widget of one field."""
    kind = spec.kind
    if name in ("plan_line", "line_code"):
        return lambda: ChoiceField(plan_line_choices(ctx), optional=not spec.required)
    if name == "lender":  # the lenders already written, offered as she types
        return lambda: lender_field(ctx, spec.max_len)
    if kind == "text":
        return (lambda: MultilineField()) if spec.max_len == 0 else (
            lambda: TextField(spec.max_len))
    if kind in ("phone", "tax_code", "id_number"):
        return lambda: TextField(20)
    if kind == "code":
        assert spec.codes is not None
        codes = spec.codes
        return lambda: ChoiceField(codes.choices(), optional=not spec.required)
    if kind == "codes":
        assert spec.codes is not None
        codes_ = spec.codes
        return lambda: CodesField(codes_.choices())
    if kind == "int":
        if name.endswith("_vnd"):
            return lambda: MoneyField()
        return lambda: IntField()
    if kind == "date":
        return lambda: DateField(optional=not spec.required)
    if kind == "bool":
        return lambda: BoolField(cap(t(spec.label)))
    if kind == "optional_bool":
        return lambda: ChoiceField([(None, t("Theo quy tắc chung của tỉnh")),
                                    (True, t("Có")), (False, t("Không"))])
    if kind == "unit":
        return lambda: ChoiceField(ctx.communes)
    if kind == "ethnicity":
        return lambda: ChoiceField(ethnic_choices(ctx), optional=True)
    if kind == "ref":
        return lambda: picker(ctx, REF_KINDS.get(name, "person"))
    if kind == "items":
        return lambda: rows_editor(ctx, spec.child)
    return lambda: TextField()


CHILD_WIDTHS = {"year": 70, "source": 150, "product": 240, "stars": 60, "person_id": 330,
                "position": 190, "amount_vnd": 150, "role": 230}


CHILD_TITLES = {"year": "Năm", "members": "Thành viên", "members_female": "TV nữ",
                "workers": "Lao động", "workers_female": "LĐ nữ",
                "female_stable_jobs": "LĐ nữ ổn định", "female_ethnic_minority": "LĐ nữ DTTS",
                "new_female_jobs": "Việc làm mới (nữ)", "revenue_vnd": "Doanh thu (đồng)",
                "avg_monthly_income_vnd": "Thu nhập BQ/tháng (đồng)",
                "source": "Nguồn số liệu", "start": "Từ ngày", "end": "Đến ngày",
                "person_id": "Họ và tên", "role": "Vai trò", "stars": "Số sao"}


# Where a column name means something else in one child table.
CHILD_OVERRIDES = {("event_funding", "source"): ("Nguồn kinh phí", 320)}


def rows_editor(ctx: AppContext, child: str) -> RowsEditor:
    def title(name: str, label: str) -> str:
        if (child, name) in CHILD_OVERRIDES:
            return t(CHILD_OVERRIDES[(child, name)][0])
        return t(CHILD_TITLES[name]) if name in CHILD_TITLES else cap(t(label))

    def width(name: str) -> int:
        if (child, name) in CHILD_OVERRIDES:
            return CHILD_OVERRIDES[(child, name)][1]
        return CHILD_WIDTHS.get(name, 120)

    if child == "attendance":  # type-ahead, paste, pick many (forms/attendance.py)
        from htx_desktop.ui.forms.attendance import AttendanceEditor
        return AttendanceEditor(ctx, title)
    columns = [RowColumn(name, title(name, spec.label), make_widget(ctx, name, spec), width(name))
               for name, spec in FIELDS[child].items()]
    return RowsEditor(columns)


def auto_fields(ctx: AppContext, kind: str, tabs: dict[str, str] | None = None,
                skip: tuple[str, ...] = ()) -> list[F]:
    """The form fields of `kind`, in the field table's order, each on its tab."""
    tabs = tabs or {}
    out: list[F] = []
    for name, spec in FIELDS[kind].items():
        if name in skip:
            continue
        label = "" if spec.kind in ("bool", "items") else cap(t(spec.label)) + (
            " *" if spec.required else "")
        out.append(F(name, label, make_widget(ctx, name, spec), tab=tabs.get(name, "")))
    return out
