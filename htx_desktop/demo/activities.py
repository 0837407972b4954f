"""Demo Union cadres, events (with named attendance and counted participants) and job placements.

Who attends what is drawn per yearly "series" of events (one person picks at most one event of a
series), so that the share of managers and cadres trained stays the same at any scale: CT5, CT8
and CT9 land around 80–95 % by 2025, as in the province's reviews.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from htx_desktop.demo.base import (
    REORGANISATION,
    DemoContext,
    DemoUnit,
    PersonInfo,
    folded,
    vnd,
)
from htx_desktop.demo.coops import CoopInfo, CoopWorld, Span
from htx_desktop.store.models import (
    Attendance,
    Cadre,
    Event,
    EventFunding,
    EventTopic,
    JobPlacement,
)

COUNTING = frozenset({"chair", "board_member", "director", "general_director",
                      "supervisory_head", "supervisory_member", "controller"})

# --------------------------------------------------------------------------- cadres

_PROVINCE_POSTS: tuple[tuple[str, bool], ...] = (
    ("Chủ tịch Hội LHPN tỉnh", False), ("Phó Chủ tịch Hội LHPN tỉnh", True),
    ("Phó Chủ tịch Hội LHPN tỉnh", False), ("Trưởng Ban Kinh tế - Xã hội", True),
    ("Phó Trưởng Ban Kinh tế - Xã hội", True), ("Chuyên viên Ban Kinh tế - Xã hội", True),
    ("Trưởng Ban Tuyên giáo", False), ("Chuyên viên Ban Tuyên giáo", False),
    ("Chánh Văn phòng", False), ("Trưởng Ban Tổ chức - Kiểm tra", False),
    ("Chuyên viên Ban Gia đình - Xã hội", False),
)
_DISTRICT_POSTS: tuple[tuple[str, bool], ...] = (
    ("Chủ tịch Hội LHPN huyện", False), ("Phó Chủ tịch Hội LHPN huyện", True),
    ("Cán bộ chuyên trách", False), ("Cán bộ chuyên trách", True),
)
_COMMUNE_POSTS: tuple[tuple[str, bool], ...] = (
    ("Chủ tịch Hội LHPN", False), ("Phó Chủ tịch Hội LHPN", True),
    ("Ủy viên Ban Thường vụ", False),
)


@dataclass
class CadreInfo:
    person: PersonInfo
    unit: DemoUnit
    kttt: bool
    start: date
    end: date | None

    def active_on(self, day: date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)


def _cadre(ctx: DemoContext, unit: DemoUnit, level: str, post: str, kttt: bool, start: date,
           end: date | None) -> CadreInfo:
    person = ctx.person(unit, start, female=True, born=(1968, 1996))
    row = ctx.record(start, unit.id, updated=end)
    row.update(person_id=person.id, level=level, position=post, kttt_assigned=kttt,
               active_from=start, active_to=end)
    ctx.add(Cadre, row)
    return CadreInfo(person, unit, kttt, start, end)


def generate_cadres(ctx: DemoContext, units: Sequence[DemoUnit]) -> list[CadreInfo]:
    """Province ~10, district ~4, commune 3–5 (some on a village branch); some leave."""
    cadres: list[CadreInfo] = []
    for unit in units:
        if unit.level == "tinh":
            posts, n = _PROVINCE_POSTS, ctx.count(10)
        elif unit.level == "huyen":
            posts, n = _DISTRICT_POSTS, ctx.count(4)
        else:
            posts, n = _COMMUNE_POSTS, max(2, ctx.count(4))
        for i in range(n):
            level = unit.level
            if i < len(posts):
                post, kttt = posts[i]
            elif level == "xa":
                level = "chi_hoi"
                post, kttt = f"Chi hội trưởng {ctx.rng.choice(unit.villages)}", ctx.chance(0.2)
            else:
                post, kttt = "Chuyên viên", ctx.chance(0.3)
            start = ctx.date_between(date(2012, 1, 1), date(2022, 12, 31))
            end: date | None = None
            if unit.level == "xa" and ctx.today >= REORGANISATION and ctx.chance(0.15):
                end = REORGANISATION - timedelta(days=1)  # the commune Union merged
            elif ctx.chance(0.1):
                end = ctx.date_between(date(2023, 3, 1), ctx.today - timedelta(days=20))
            cadres.append(_cadre(ctx, unit, level, post, kttt, start, end))
            if end is not None and end < ctx.today:
                following = end + timedelta(days=1)
                cadres.append(_cadre(ctx, unit, level, post, kttt, following, None))
    return cadres


# --------------------------------------------------------------------------- events


@dataclass
class EventInfo:
    id: str
    unit: DemoUnit
    type: str
    start: date
    end: date
    topics: tuple[str, ...]
    plan_line: str | None
    counted: int
    named: list[str] = field(default_factory=list)  # person ids


@dataclass(frozen=True)
class Series:
    """A kind of event a unit holds each year, with its titles and topics."""

    type: str
    plan_line: str
    titles: tuple[tuple[str, tuple[str, ...]], ...]  # (title, topics)
    days: tuple[int, int] = (1, 2)
    people: tuple[int, int] = (30, 80)


_MEMBER_TRAINING = Series("tap_huan", "II.2", (
    ("Tập huấn kỹ năng quản lý, điều hành HTX cho chị em phụ nữ", ("management", "finance")),
    ("Tập huấn xây dựng phương án sản xuất kinh doanh cho HTX, THT", ("management", "startup")),
    ("Tập huấn chuyển đổi số trong quản lý, điều hành HTX", ("digital", "management")),
    ("Tập huấn hướng dẫn đưa sản phẩm lên sàn thương mại điện tử", ("ecommerce", "promotion")),
    ("Tập huấn hướng dẫn xây dựng, nâng hạng sản phẩm OCOP", ("ocop", "management")),
    ("Tập huấn chuyển giao khoa học kỹ thuật trong sản xuất chè an toàn", ("tech_transfer",)),
), people=(25, 60))
_CADRE_TRAINING = Series("tap_huan", "II.3", (
    ("Tập huấn nâng cao kỹ năng tuyên truyền, vận động cho cán bộ Hội cơ sở",
     ("advocacy_skills", "kttt_knowledge")),
    ("Bồi dưỡng kiến thức về kinh tế tập thể, HTX cho cán bộ chi hội",
     ("kttt_knowledge", "advocacy_skills")),
), people=(15, 40))
_CONFERENCE = Series("hoi_nghi", "II.1", (
    ("Hội nghị tuyên truyền về kinh tế tập thể, HTX và Đề án hỗ trợ HTX do phụ nữ quản lý",
     ("kttt_knowledge",)),
    ("Hội nghị truyền thông bình đẳng giới trong khu vực kinh tế tập thể",
     ("gender_equality", "kttt_knowledge")),
    ("Hội nghị tuyên truyền, phổ biến Luật Hợp tác xã", ("kttt_knowledge",)),
), days=(1, 1), people=(50, 150))
_VOCATIONAL = Series("dao_tao_nghe", "II.6", (
    ("Lớp đào tạo nghề may công nghiệp cho lao động nữ", ("vocational_nonfarm",)),
    ("Lớp dạy nghề đan lát mây tre xuất khẩu", ("vocational_nonfarm",)),
    ("Lớp đào tạo nghề chế biến chè cho phụ nữ", ("vocational_nonfarm", "tech_transfer")),
    ("Lớp dạy nghề nấu ăn, chế biến món ăn truyền thống", ("vocational_nonfarm",)),
), days=(20, 60), people=(20, 35))
_STUDY_VISIT = Series("tham_quan", "V.5", (
    ("Tham quan học tập mô hình HTX do phụ nữ quản lý", ("management", "ocop")),
    ("Học tập kinh nghiệm phát triển sản phẩm OCOP của HTX điển hình", ("ocop", "promotion")),
), days=(1, 3), people=(15, 30))
_FORUM = Series("dien_dan", "II.6", (
    ("Diễn đàn phụ nữ khởi nghiệp, phát triển kinh tế tập thể", ("startup", "gender_equality")),
    ("Diễn đàn kết nối HTX do phụ nữ quản lý với doanh nghiệp", ("promotion", "management")),
), days=(1, 1), people=(60, 150))
_ETHNIC_WORKSHOP = Series("hoi_thao", "II.7", (
    ("Hội thảo thúc đẩy sự tham gia của phụ nữ dân tộc thiểu số trong kinh tế tập thể",
     ("gender_equality", "kttt_knowledge")),
), days=(1, 1), people=(30, 70))
_WORKSHOP = Series("hoi_thao", "II.5", (
    ("Hội thảo giải pháp liên kết, mở rộng quy mô HTX do phụ nữ quản lý",
     ("kttt_knowledge", "management")),
    ("Hội thảo giải pháp đưa sản phẩm an toàn lên sàn thương mại điện tử",
     ("ecommerce", "promotion")),
), days=(1, 1), people=(40, 100))

_PROVINCES_VISITED = ("Lào Cai", "Phú Thọ", "Sơn La", "Bắc Ninh", "Lâm Đồng", "Tuyên Quang")


def _agencies(day: date) -> list[str]:
    # The March 2025 merger of departments renamed the agencies that co-organise events.
    if day >= date(2025, 3, 1):
        return ["Liên minh HTX tỉnh", "Sở Nông nghiệp và Môi trường", "Sở Công Thương",
                "Sở Nội vụ", "Ngân hàng Chính sách xã hội tỉnh"]
    return ["Liên minh HTX tỉnh", "Sở Nông nghiệp và PTNT", "Sở Công Thương",
            "Sở Lao động - Thương binh và Xã hội", "Ngân hàng Chính sách xã hội tỉnh"]


class _EventMaker:
    def __init__(self, ctx: DemoContext, world: CoopWorld, cadres: list[CadreInfo]) -> None:
        self.ctx = ctx
        self.events: list[EventInfo] = []
        self.pairs: set[tuple[str, str]] = set()
        # Managers by commune, in the order they were made: person -> spans.
        self.managers: dict[int, dict[str, list[Span]]] = {}
        for span in world.spans:
            if span.position in COUNTING or span.position == "group_leader":
                by_person = self.managers.setdefault(span.coop.unit.id, {})
                by_person.setdefault(span.person.id, []).append(span)
        self.cadres: dict[int, list[CadreInfo]] = {}
        for cadre in cadres:
            self.cadres.setdefault(cadre.unit.id, []).append(cadre)

    def event(self, unit: DemoUnit, year: int, series: Series, *, title: str | None = None,
              topics: tuple[str, ...] | None = None, start: date | None = None,
              province: bool = False, plan_line: str | None = None) -> EventInfo | None:
        ctx, rng = self.ctx, self.ctx.rng
        chosen_title, chosen_topics = rng.choice(series.titles)
        days = rng.randint(*series.days)
        start = start or ctx.date_in_year(year)
        if start is None:
            return None
        end = min(start + timedelta(days=days - 1), ctx.today)
        title = title or f"{chosen_title} năm {year}"
        if series is _STUDY_VISIT:
            title = f"{chosen_title} tại tỉnh {rng.choice(_PROVINCES_VISITED)}" if province \
                else f"{chosen_title} tại {rng.choice(unit.villages).lower()}"
        plan_line = plan_line or series.plan_line
        if series is _STUDY_VISIT and year not in (2024, 2025):
            plan_line = "II.5"
        low, high = series.people
        factor = 2 if province else 1
        total = rng.randint(low * factor, high * factor)
        female = total if series.type == "dao_tao_nghe" else round(total * rng.uniform(0.8, 1))
        minority = min(total, round(total * unit.minority_share * rng.uniform(0.7, 1.3)))
        cadres = round(total * (0.8 if series is _CADRE_TRAINING else rng.uniform(0.05, 0.2)))
        managers = 0 if series.type in ("hoi_nghi", "dao_tao_nghe") else round(
            (total - cadres) * rng.uniform(0.1, 0.4))
        members = round((total - cadres - managers) * rng.uniform(0.3, 0.6))
        union_members = total - cadres - managers - members
        agencies = _agencies(start)
        row = ctx.record(end + timedelta(days=rng.randint(1, 10)), unit.id)
        row.update(
            type=series.type, title=title, title_key=folded(title), start=start, end=end,
            place=self._place(unit, province), lead_unit=unit.union,
            co_organisers="; ".join(rng.sample(agencies, rng.randint(1, 2))) if province
            else f"UBND {unit.name[:1].lower()}{unit.name[1:]}",
            plan_line=plan_line, count_total=total, count_female=female,
            count_ethnic_minority=minority, count_htx_managers=managers,
            count_members_workers=members, count_cadres=cadres,
            count_union_members=union_members, note=None)
        ctx.add(Event, row)
        for topic in sorted(set(topics or chosen_topics)):
            ctx.add(EventTopic, {"event_id": row["id"], "topic": topic})
        self._funding(row["id"], series, unit, province)
        info = EventInfo(row["id"], unit, series.type, start, end, tuple(topics or chosen_topics),
                         plan_line, total)
        self.events.append(info)
        return info

    def _place(self, unit: DemoUnit, province: bool) -> str:
        rng = self.ctx.rng
        if province:
            return rng.choice(("Hội trường Hội LHPN tỉnh", "Trung tâm Hội nghị tỉnh Thái Nguyên",
                               "Hội trường Liên minh HTX tỉnh"))
        lower = unit.name[:1].lower() + unit.name[1:]
        return rng.choice((f"Hội trường UBND {lower}",
                           f"Nhà văn hóa {rng.choice(unit.villages).lower()}"))

    def _funding(self, event_id: str, series: Series, unit: DemoUnit, province: bool) -> None:
        ctx, rng = self.ctx, self.ctx.rng
        size = 10 if province else 1
        sources = [("state_budget", rng.uniform(3, 15) * size)]
        if series.type == "dao_tao_nghe" or (unit.minority_share > 0.4 and ctx.chance(0.5)):
            sources.append(("national_programme", rng.uniform(5, 40) * size))
        if ctx.chance(0.1):
            sources.append(("enterprise", rng.uniform(1, 10) * size))
        if province and ctx.chance(0.08):
            sources.append(("international", rng.uniform(50, 300)))
        if ctx.chance(0.08):
            sources.append(("other", rng.uniform(1, 5) * size))
        for source, millions in sources:
            ctx.add(EventFunding, {"id": ctx.uid(), "event_id": event_id, "source": source,
                                   "amount_vnd": vnd(millions * 1e6, 5)})

    def series(self, unit: DemoUnit, year: int, series: Series, mean: float,
               province: bool = False) -> list[EventInfo]:
        share = 1.0 if year < self.ctx.today.year else (
            self.ctx.today - date(year, 1, 1)).days / 365.0
        made = (self.event(unit, year, series, province=province)
                for _ in range(self.ctx.count(mean * share)))
        return sorted((e for e in made if e is not None), key=lambda e: e.start)

    # ----------------------------------------------------------------- attendance

    def attend(self, events: list[EventInfo], people: Sequence[tuple[str, Callable[[date], bool]]],
               p: float, role: str) -> None:
        """Each person goes, with chance p, to one event of the series she can attend."""
        ctx = self.ctx
        if not events:
            return
        for person_id, eligible in people:
            if not ctx.chance(p):
                continue
            event = ctx.rng.choice(events)
            if not eligible(event.start) or (event.id, person_id) in self.pairs:
                continue
            self.pairs.add((event.id, person_id))
            event.named.append(person_id)
            ctx.add(Attendance, {"id": ctx.uid(), "event_id": event.id, "person_id": person_id,
                                 "role": role})

    def women_managers(self, unit_ids: Sequence[int], female: bool = True
                       ) -> list[tuple[str, Callable[[date], bool]]]:
        out: list[tuple[str, Callable[[date], bool]]] = []
        for unit_id in unit_ids:
            for person_id, spans in self.managers.get(unit_id, {}).items():
                if spans[0].person.female == female:
                    out.append((person_id, _holds(spans)))
        return out

    def cadres_of(self, unit_ids: Sequence[int], kttt: bool | None = None
                  ) -> list[tuple[str, Callable[[date], bool]]]:
        return [(c.person.id, c.active_on) for u in unit_ids for c in self.cadres.get(u, [])
                if kttt is None or c.kttt == kttt]


def _holds(spans: list[Span]) -> Callable[[date], bool]:
    def eligible(day: date) -> bool:
        return any(s.holds_on(day) and s.coop.exists_on(day) for s in spans)
    return eligible


def generate_events(ctx: DemoContext, units: Sequence[DemoUnit], world: CoopWorld,
                    cadres: list[CadreInfo], years: list[int]) -> list[EventInfo]:
    maker = _EventMaker(ctx, world, cadres)
    below = {u.id: [v.id for v in units if _is_below(v, u, units)] for u in units
             if u.level != "xa"}
    for year in years:
        for unit in units:
            if unit.level == "xa":
                _commune_year(maker, unit, year)
            else:
                _upper_year(maker, unit, year, below[unit.id])
    return maker.events


def _is_below(unit: DemoUnit, upper: DemoUnit, units: Sequence[DemoUnit]) -> bool:
    by_id = {u.id: u for u in units}
    parent = unit.parent_id
    while parent is not None:
        if parent == upper.id:
            return True
        parent = by_id[parent].parent_id if parent in by_id else None
    return False


def _commune_year(maker: _EventMaker, unit: DemoUnit, year: int) -> None:
    here = [unit.id]
    conferences = maker.series(unit, year, _CONFERENCE, 1.0)
    maker.attend(conferences, maker.cadres_of(here), 0.7, "cadre")
    training = maker.series(unit, year, _MEMBER_TRAINING, 0.9)
    maker.attend(training, maker.women_managers(here), 0.6, "htx_manager")
    maker.attend(training, maker.women_managers(here, female=False), 0.1, "htx_manager")
    cadre_training = maker.series(unit, year, _CADRE_TRAINING, 0.8)
    maker.attend(cadre_training, maker.cadres_of(here), 0.6, "cadre")
    maker.series(unit, year, _VOCATIONAL, 0.35)
    visits = maker.series(unit, year, _STUDY_VISIT, 0.15)
    maker.attend(visits, maker.women_managers(here), 0.3, "htx_manager")
    maker.series(unit, year, _FORUM, 0.12)
    if unit.minority_share > 0.4:
        maker.series(unit, year, _ETHNIC_WORKSHOP, 0.3)


def _upper_year(maker: _EventMaker, unit: DemoUnit, year: int, below: list[int]) -> None:
    ctx = maker.ctx
    here = [unit.id]
    district = unit.level == "huyen"
    weight = 0.5 if district else 1.0
    cadre_training = maker.series(unit, year, _CADRE_TRAINING, 2 * weight, province=True)
    maker.attend(cadre_training, maker.cadres_of(here), 0.85, "cadre")
    maker.attend(cadre_training, maker.cadres_of(below, kttt=True), 0.6, "cadre")
    maker.attend(cadre_training, maker.cadres_of(below, kttt=False), 0.15, "cadre")
    training = maker.series(unit, year, _MEMBER_TRAINING, 2 * weight, province=True)
    maker.attend(training, maker.women_managers(below), 0.25, "htx_manager")
    conferences = maker.series(unit, year, _CONFERENCE, 2 * weight, province=True)
    maker.attend(conferences, maker.cadres_of(here), 0.5, "cadre")
    maker.series(unit, year, _WORKSHOP, 1.5 * weight, province=True)
    maker.series(unit, year, _FORUM, 0.5 * weight, province=True)
    if year in (2024, 2025):
        visits = maker.series(unit, year, _STUDY_VISIT, 1 * weight, province=True)
        maker.attend(visits, maker.women_managers(below), 0.05, "htx_manager")
    if district:
        return
    # The plan's own milestones: the launch in 2023 and the three-year review in 2025.
    launch = date(2023, 8, 15)
    if year == 2023 and launch <= ctx.today:
        event = maker.event(unit, year, _CONFERENCE, province=True, start=launch,
                            title="Hội nghị triển khai Kế hoạch thực hiện Đề án \"Hỗ trợ HTX do "
                            "phụ nữ tham gia quản lý, tạo việc làm cho lao động nữ đến năm "
                            "2030\" và kế hoạch năm 2023", topics=("kttt_knowledge",),
                            plan_line="I.3")
        if event is not None:
            maker.attend([event], maker.cadres_of(here + below), 0.5, "cadre")
    review = date(2025, 12, 5)
    if year == 2025 and review <= ctx.today:
        event = maker.event(unit, year, _CONFERENCE, province=True, start=review,
                            title="Hội nghị sơ kết 3 năm thực hiện Đề án hỗ trợ HTX do phụ nữ "
                            "tham gia quản lý giai đoạn 2023-2025", topics=("kttt_knowledge",),
                            plan_line="V.2")
        if event is not None:
            maker.attend([event], maker.women_managers(below), 0.1, "htx_manager")


# --------------------------------------------------------------------------- job placements


def generate_jobs(ctx: DemoContext, communes: Sequence[DemoUnit], world: CoopWorld,
                  events: list[EventInfo], years: list[int]) -> list[tuple[int, int]]:
    """Women placed in jobs in their commune's cooperatives, mostly the women-managed ones."""
    coops: dict[int, list[CoopInfo]] = {}
    for coop in world.coops:
        coops.setdefault(coop.unit.id, []).append(coop)
    courses: dict[int, list[EventInfo]] = {}
    for event in events:
        if event.type == "dao_tao_nghe":
            courses.setdefault(event.unit.id, []).append(event)
    made: list[tuple[int, int]] = []  # (unit id, year) of each placement
    rng = ctx.rng
    for unit in communes:
        for year in years:
            share = 1.0 if year < ctx.today.year else (ctx.today - date(year, 1, 1)).days / 365
            for _ in range(ctx.count(6 * share)):
                start = ctx.date_in_year(year)
                if start is None:
                    continue
                open_coops = [c for c in coops.get(unit.id, []) if c.active_on(start)]
                if not open_coops:
                    continue
                weights = [3.0 if c.women_managed else 1.0 for c in open_coops]
                coop = rng.choices(open_coops, weights)[0]
                worker = ctx.person(unit, start, born=(1970, 2005), worker=True)
                recent = [e for e in courses.get(unit.id, [])
                          if e.end < start and (start - e.end).days < 365]
                course = rng.choice(recent).id if recent and ctx.chance(0.5) else None
                end = None
                if ctx.chance(0.1):
                    end = start + timedelta(days=rng.randint(90, 400))
                    end = end if end < ctx.today else None
                income = rng.uniform(2.5, 5.0) if coop.kind == "tht" else rng.uniform(3.5, 7.5)
                row = ctx.record(start, unit.id, updated=end)
                row.update(person_id=worker.id, cooperative_id=coop.id, start=start, end=end,
                           role="member" if ctx.chance(0.3) else "worker",
                           new_job=ctx.chance(0.85), stable=ctx.chance(0.75),
                           training_event_id=course, monthly_income_vnd=vnd(income * 1e6, 5))
                ctx.add(JobPlacement, row)
                made.append((unit.id, year))
    return made
