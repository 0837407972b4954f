"""What each list shows: columns (SQL expression, title, formatting, sort keys), search keys
and filters, one `ListSpec` per record kind. The lazy table model turns a spec into SQL.

Vietnamese sort order for names: sort on the folded key (`name_key`: no diacritics, đ→d),
then on the name itself to break ties. It keeps the base-letter order of the alphabet and is
an index scan; the one difference from a full Vietnamese collation is that Đ sorts with D.

Search: every typed word must occur in one of `search_keys`; a word without letters ("0912",
"-001") may also occur in one of `number_keys` (phone, tax code: validation stores only digits
and dashes there, so a word with a letter could never occur in them). Keeping letters to the
folded names lets a list check a word in the name index alone, without reading the row
(`window_lookup.py`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import and_, extract, func, literal
from sqlalchemy.orm import aliased

from htx_desktop.domain import catalogues as cat
from htx_desktop.i18n import t
from htx_desktop.store import models as m
from htx_desktop.ui.formatting import fmt_bool, fmt_date, fmt_int, fmt_money, fmt_text


def _label(catalogue: type[cat.Catalogue]) -> Callable[[Any], str]:
    def fmt(value: Any) -> str:
        if value is None:
            return ""
        try:
            return catalogue(value).label
        except ValueError:
            return str(value)
    return fmt


@dataclass
class Column:
    title: str
    expr: Any
    format: Callable[[Any], str] = fmt_text
    sort: tuple[Any, ...] = ()
    numeric: bool = False
    width: int = 120

    def sort_exprs(self) -> tuple[Any, ...]:
        return self.sort or (self.expr,)


@dataclass
class Filter:
    key: str
    label: str
    apply: Callable[[Any], Any]
    choices: Callable[[], list[tuple[Any, str]]] | None = None  # None: communes / years


@dataclass
class ListSpec:
    kind: str  # the RecordService kind
    model: Any
    title: str
    columns: list[Column]
    search_keys: list[Any]
    id_column: Any
    joins: Callable[[], Any]
    unit_column: Any
    filters: list[Filter] = field(default_factory=list)
    default_sort: int = 0
    number_keys: list[Any] = field(default_factory=list)  # searched by words without letters

    def from_clause(self) -> Any:
        return self.joins()

    def keys_for(self, word: str) -> list[Any]:
        """The keys in which a typed (folded) word is looked for."""
        if any(ch.isalpha() for ch in word):
            return list(self.search_keys)
        return [*self.search_keys, *self.number_keys]


def _year_filter(col: Any) -> Filter:
    return Filter("year", t("Năm"), lambda v: extract("year", col) == int(v), None)


def _commune_filter(col: Any) -> Filter:
    return Filter("unit", t("Xã/phường"), lambda v: col == int(v), None)


def _choice_filter(key: str, label: str, col: Any, catalogue: type[cat.Catalogue]) -> Filter:
    return Filter(key, label, lambda v: col == v, catalogue.choices)


def fold_sql(col: Any) -> Any:
    """The folded text of a column, by the `htx_fold` function the model registers (SQLite)."""
    return func.htx_fold(col)


def cooperative_spec() -> ListSpec:
    c, u = m.Cooperative, m.Unit
    return ListSpec(
        kind="cooperative", model=c, title=t("Hợp tác xã & Tổ hợp tác"),
        columns=[
            Column(t("Tên"), c.name, sort=(c.name_key, c.name), width=300),
            Column(t("Loại"), c.kind, _label(cat.CoopKind), width=90),
            Column(t("Mã số thuế"), c.tax_code, width=110),
            Column(t("Xã/phường"), u.name, sort=(u.name_key, u.name), width=150),
            Column(t("Thôn/xóm"), c.village, width=120),
            Column(t("Trạng thái"), c.status, _label(cat.CoopStatus), width=150),
            Column(t("Ngày đăng ký"), c.registered_on, fmt_date, width=100),
            Column(t("Hội hỗ trợ thành lập"), c.union_supported, fmt_bool, width=150),
        ],
        search_keys=[c.name_key], number_keys=[c.tax_code], id_column=c.id,
        joins=lambda: c.__table__.join(u.__table__, c.unit_id == u.id),
        unit_column=c.unit_id,
        filters=[
            _choice_filter("kind", t("Loại"), c.kind, cat.CoopKind),
            _commune_filter(c.unit_id),
            _choice_filter("status", t("Trạng thái"), c.status, cat.CoopStatus),
            Filter("year", t("Năm đăng ký"), lambda v: extract("year", c.registered_on) == int(v)),
        ],
    )


def person_spec() -> ListSpec:
    p, u, e = m.Person, m.Unit, m.EthnicGroup
    return ListSpec(
        kind="person", model=p, title=t("Nhân sự"),
        columns=[
            Column(t("Họ và tên"), p.full_name, sort=(p.name_key, p.full_name), width=220),
            Column(t("Giới tính"), p.gender, _label(cat.Gender), width=70),
            Column(t("Năm sinh"), p.birth_year, numeric=True, width=70),
            Column(t("Dân tộc"), e.name, width=90),
            Column(t("Xã/phường"), u.name, sort=(u.name_key, u.name), width=150),
            Column(t("Thôn/xóm"), p.village, width=120),
            Column(t("Điện thoại"), p.phone, width=110),
        ],
        search_keys=[p.name_key], number_keys=[p.phone], id_column=p.id,
        joins=lambda: p.__table__.join(u.__table__, p.unit_id == u.id).outerjoin(
            e.__table__, p.ethnicity_code == e.code),
        unit_column=p.unit_id,
        filters=[_commune_filter(p.unit_id),
                 _choice_filter("gender", t("Giới tính"), p.gender, cat.Gender)],
    )


def cadre_spec() -> ListSpec:
    c, p, u = m.Cadre, m.Person, m.Unit
    return ListSpec(
        kind="cadre", model=c, title=t("Cán bộ Hội"),
        columns=[
            Column(t("Họ và tên"), p.full_name, sort=(p.name_key, p.full_name), width=220),
            Column(t("Năm sinh"), p.birth_year, numeric=True, width=70),  # namesakes
            Column(t("Chức vụ"), c.position, width=160),
            Column(t("Cấp"), c.level, _label(cat.CadreLevel), width=80),
            Column(t("Phụ trách KTTT/HTX"), c.kttt_assigned, fmt_bool, width=90),
            Column(t("Đơn vị"), u.name, sort=(u.name_key, u.name), width=150),
            Column(t("Từ ngày"), c.active_from, fmt_date, width=100),
            Column(t("Đến ngày"), c.active_to, fmt_date, width=100),
        ],
        search_keys=[p.name_key], id_column=c.id,
        joins=lambda: c.__table__.join(p.__table__, c.person_id == p.id).join(
            u.__table__, c.unit_id == u.id),
        unit_column=c.unit_id,
        filters=[_commune_filter(c.unit_id),
                 _choice_filter("level", t("Cấp"), c.level, cat.CadreLevel)],
    )


def event_spec() -> ListSpec:
    e, u = m.Event, m.Unit
    return ListSpec(
        kind="event", model=e, title=t("Tập huấn & sự kiện"),
        columns=[
            Column(t("Tên sự kiện"), e.title, sort=(e.title_key, e.title), width=320),
            Column(t("Loại"), e.type, _label(cat.EventType), width=120),
            Column(t("Từ ngày"), e.start, fmt_date, width=100),
            Column(t("Đến ngày"), e.end, fmt_date, width=100),
            Column(t("Địa điểm"), e.place, width=160),
            Column(t("Dòng kế hoạch"), e.plan_line, width=80),
            Column(t("Số người (không ghi tên)"), e.count_total, fmt_int, numeric=True,
                   width=90),
            Column(t("Đơn vị"), u.name, sort=(u.name_key, u.name), width=140),
        ],
        search_keys=[e.title_key], id_column=e.id,
        joins=lambda: e.__table__.join(u.__table__, e.unit_id == u.id),
        unit_column=e.unit_id, default_sort=2,
        filters=[_choice_filter("type", t("Loại"), e.type, cat.EventType),
                 _year_filter(e.start), _commune_filter(e.unit_id)],
    )


def job_spec() -> ListSpec:
    j, p, c = m.JobPlacement, m.Person, m.Cooperative
    u = aliased(m.Unit)
    return ListSpec(
        kind="job_placement", model=j, title=t("Việc làm"),
        columns=[
            Column(t("Người lao động"), p.full_name, sort=(p.name_key, p.full_name), width=200),
            Column(t("Năm sinh"), p.birth_year, numeric=True, width=70),  # namesakes
            Column(t("Hợp tác xã/THT"), c.name, sort=(c.name_key, c.name), width=260),
            Column(t("Từ ngày"), j.start, fmt_date, width=100),
            Column(t("Đến ngày"), j.end, fmt_date, width=100),
            Column(t("Vai trò"), j.role, _label(cat.JobRole), width=110),
            Column(t("Việc làm mới"), j.new_job, fmt_bool, width=80),
            Column(t("Ổn định"), j.stable, fmt_bool, width=70),
            Column(t("Thu nhập/tháng (đồng)"), j.monthly_income_vnd, fmt_money, numeric=True,
                   width=120),
            Column(t("Xã/phường"), u.name, width=140),
        ],
        search_keys=[p.name_key, c.name_key], id_column=j.id,
        joins=lambda: j.__table__.join(p.__table__, j.person_id == p.id).join(
            c.__table__, j.cooperative_id == c.id).join(u, j.unit_id == u.id),
        unit_column=j.unit_id, default_sort=3,
        filters=[_year_filter(j.start), _commune_filter(j.unit_id),
                 _choice_filter("role", t("Vai trò"), j.role, cat.JobRole)],
    )


def support_spec() -> ListSpec:
    s, c = m.Support, m.Cooperative
    return ListSpec(
        kind="support", model=s, title=t("Hỗ trợ HTX"),
        columns=[
            Column(t("Hợp tác xã/THT"), c.name, sort=(c.name_key, c.name), width=260),
            Column(t("Nội dung hỗ trợ"), s.kind, _label(cat.SupportKind), width=220),
            Column(t("Ngày"), s.on, fmt_date, width=100),
            Column(t("Đơn vị hỗ trợ"), s.provider, width=160),
            Column(t("Tổ chức cho vay"), s.lender, width=140),
            Column(t("Số tiền (đồng)"), s.amount_vnd, fmt_money, numeric=True, width=130),
            Column(t("Dòng kế hoạch"), s.plan_line, width=80),
        ],
        search_keys=[c.name_key], id_column=s.id,
        joins=lambda: s.__table__.join(c.__table__, s.cooperative_id == c.id),
        unit_column=s.unit_id, default_sort=2,
        filters=[_choice_filter("kind", t("Nội dung hỗ trợ"), s.kind, cat.SupportKind),
                 _year_filter(s.on), _commune_filter(s.unit_id)],
    )


def communication_spec() -> ListSpec:
    c = m.Communication
    return ListSpec(
        kind="communication", model=c, title=t("Truyền thông"),
        columns=[
            Column(t("Ngày"), c.on, fmt_date, width=100),
            Column(t("Hình thức"), c.form, _label(cat.CommunicationForm), width=170),
            Column(t("Chủ đề"), c.topic, width=360),
            Column(t("Số lượt tiếp cận"), c.reach, fmt_int, numeric=True, width=100),
            Column(t("Dòng kế hoạch"), c.plan_line, width=80),
        ],
        search_keys=[fold_sql(c.topic)], id_column=c.id,
        joins=lambda: c.__table__, unit_column=c.unit_id,
        filters=[_choice_filter("form", t("Hình thức"), c.form, cat.CommunicationForm),
                 _year_filter(c.on)],
    )


def award_spec() -> ListSpec:
    a = m.Award
    return ListSpec(
        kind="award", model=a, title=t("Khen thưởng"),
        columns=[
            Column(t("Người/tập thể được khen"), a.recipient, width=260),
            Column(t("Hình thức khen thưởng"), a.title, width=260),
            Column(t("Cấp"), a.level, _label(cat.AwardLevel), width=100),
            Column(t("Ngày"), a.on, fmt_date, width=100),
        ],
        search_keys=[fold_sql(a.recipient), fold_sql(a.title)], id_column=a.id,
        joins=lambda: a.__table__, unit_column=a.unit_id, default_sort=3,
        filters=[_choice_filter("level", t("Cấp"), a.level, cat.AwardLevel),
                 _year_filter(a.on)],
    )


def supervision_spec() -> ListSpec:
    v, c = m.SupervisionVisit, m.Cooperative
    u = aliased(m.Unit)
    return ListSpec(
        kind="supervision_visit", model=v, title=t("Kiểm tra, giám sát"),
        columns=[
            Column(t("Hợp tác xã/THT"), c.name, sort=(c.name_key, c.name), width=240),
            Column(t("Ngày"), v.on, fmt_date, width=100),
            Column(t("Thành phần đoàn"), v.visitors, width=220),
            Column(t("Kiến nghị, việc cần khắc phục"), v.follow_up, width=240),
            Column(t("Hạn khắc phục"), v.follow_up_due, fmt_date, width=100),
            Column(t("Đã khắc phục"), v.follow_up_done, fmt_bool, width=90),
            Column(t("Xã/phường"), u.name, sort=(u.name_key, u.name), width=140),
        ],
        search_keys=[c.name_key, fold_sql(v.visitors)], id_column=v.id,
        joins=lambda: v.__table__.join(c.__table__, v.cooperative_id == c.id).join(
            u, v.unit_id == u.id),
        unit_column=v.unit_id, default_sort=1,
        # Three filters, as the support list beside it: a fourth would not fit 1024 pixels.
        filters=[_year_filter(v.on), _commune_filter(v.unit_id)],
    )


def plan_spec(home_unit_id: int, year: int) -> ListSpec:
    """The 34 plan lines with the home unit's status in `year` (an outer join)."""
    pl, st = m.PlanLine, m.PlanLineStatus
    join_on = and_(st.line_code == pl.code, st.unit_id == home_unit_id, st.year == year,
                   st.deleted_at.is_(None))
    status_col = func.coalesce(st.status, literal("not_started"))
    return ListSpec(
        kind="plan_status", model=pl, title=t("Kế hoạch"),
        columns=[
            Column(t("Mục"), pl.code, sort=(pl.group, pl.number), width=60),
            Column(t("Nội dung hoạt động"), pl.content, width=360),
            Column(t("Cơ quan chủ trì"), pl.lead_unit, width=160),
            Column(t("Thời gian"), pl.time_text, width=110),
            Column(t("Trạng thái {year}", year=year), status_col, _label(cat.PlanStatus),
                   width=130),
            Column(t("Kết quả"), st.result, width=260),
        ],
        search_keys=[fold_sql(pl.content), pl.code], id_column=pl.code,
        joins=lambda: pl.__table__.outerjoin(st.__table__, join_on), unit_column=None,
        filters=[Filter("status", t("Trạng thái"), lambda v: status_col == v,
                        cat.PlanStatus.choices),
                 Filter("active", t("Dòng thực hiện trong năm"),
                        lambda v: and_(pl.year_from <= year, pl.year_to >= year),
                        lambda: [("1", t("Chỉ các dòng của năm {year}", year=year))])],
    )


SPEC_FACTORIES: dict[str, Callable[[], ListSpec]] = {
    "cooperative": cooperative_spec,
    "person": person_spec,
    "cadre": cadre_spec,
    "event": event_spec,
    "job_placement": job_spec,
    "support": support_spec,
    "communication": communication_spec,
    "award": award_spec,
    "supervision_visit": supervision_spec,
}
