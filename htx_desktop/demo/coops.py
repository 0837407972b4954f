"""Demo cooperatives: HTX, THT and Liên hiệp HTX with their managers, sectors, OCOP products and
yearly figures, including the life events the indicators must see (a THT converted into an HTX,
dissolutions, suspensions, a director replaced mid-year, a man replaced by a woman and back).

Volumes per commune at scale 1 follow the brief's Thái Nguyên figures (about 750 HTX, 120 of
them women-managed, a few hundred THT, for 92 communes).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import date, timedelta

from stdnum.vn import mst

from htx_desktop.demo import names
from htx_desktop.demo.base import (
    PHASE_START,
    REORGANISATION,
    DemoContext,
    DemoUnit,
    PersonInfo,
    Row,
    folded,
    vnd,
)
from htx_desktop.store.models import (
    Cooperative,
    CooperativeSector,
    CooperativeYear,
    ManagementPosition,
    OcopProduct,
)

# Per commune (ward) at scale 1: HTX founded before 2023, new HTX a year, THT, new THT a year.
BASE_HTX = (7.6, 5.0)
NEW_HTX_PER_YEAR = (0.45, 0.25)
BASE_THT = (3.8, 2.0)
NEW_THT_PER_YEAR = (0.3, 0.1)
LHHTX_PER_COMMUNE = 0.03
WOMEN_MANAGED = 0.15  # of the older HTX (a small tree gets at least one)
NEW_WOMEN_MANAGED = 0.2
UNION_SUPPORTED_WM = 0.4  # of the women-managed HTX, over the years
SMALL_TREE = 3  # communes: below this, every commune is sure to show the indicators
WOMEN_LED_THT = 0.6


@dataclass
class CoopInfo:
    """What other parts of the generator need to know about a cooperative."""

    id: str
    unit: DemoUnit
    kind: str
    name: str
    founded: date
    women_managed: bool
    union_supported: bool
    ends: date | None = None  # dissolved or converted on
    suspended: date | None = None
    converted: bool = False  # a THT that became an HTX on `ends`
    sectors: tuple[str, ...] = ()

    def exists_on(self, day: date) -> bool:
        return self.founded <= day and (self.ends is None or day < self.ends)

    def active_on(self, day: date) -> bool:
        return self.exists_on(day) and (self.suspended is None or day < self.suspended)


@dataclass
class Span:
    """A position held: who, where, which, from and to (inclusive, None = still)."""

    person: PersonInfo
    coop: CoopInfo
    position: str
    start: date
    end: date | None
    row: Row  # the ManagementPosition row, to end it later

    def holds_on(self, day: date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)


@dataclass
class CoopWorld:
    coops: list[CoopInfo] = field(default_factory=list)
    spans: list[Span] = field(default_factory=list)
    # HTX founded with the Union's advice, and the day the advice began (a support record).
    founding_advice: list[tuple[CoopInfo, date]] = field(default_factory=list)


class _CoopMaker:
    def __init__(self, ctx: DemoContext, world: CoopWorld) -> None:
        self.ctx = ctx
        self.world = world
        self.used_names: dict[int, set[str]] = {}
        self.rows: dict[str, Row] = {}  # cooperative rows by id
        self.spans: dict[str, list[Span]] = {}  # spans by cooperative id

    # ----------------------------------------------------------------- names and codes

    def name(self, kind: str, stem: str, unit: DemoUnit) -> str:
        used = self.used_names.setdefault(unit.id, set())
        prefix = {"htx": "HTX", "tht": "THT", "lhhtx": "Liên hiệp HTX"}[kind]
        village = self.ctx.rng.choice(unit.villages)
        short = village.removeprefix("Xóm ").removeprefix("Tổ dân phố ")
        if short.isdigit():
            short = village[:1].lower() + village[1:]  # "xóm 3", "tổ dân phố 12"
        first = [f"{prefix} {stem} {short}", f"{prefix} {stem} {unit.place}"]
        if kind != "tht":
            first.reverse()  # HTX are named after the commune, THT after the village
        numbered = (f"{prefix} {stem} {unit.place} {n}" for n in range(2, 10**6))
        for candidate in itertools.chain(first, numbered):
            if candidate not in used:
                used.add(candidate)
                return candidate
        raise AssertionError("unreachable: a million names in one commune")

    def tax_code(self) -> str:
        """A valid 10-digit tax code of Thái Nguyên (46…), check digit as stdnum.vn.mst."""
        while True:
            body = f"46{self.ctx.rng.randrange(1, 10**7):07d}"
            check = mst.calc_check_digit(body)
            code = body + check
            if len(check) == 1 and code not in self.ctx.tax_codes and mst.is_valid(code):
                self.ctx.tax_codes.add(code)
                return code

    # ----------------------------------------------------------------- the record

    def coop(self, unit: DemoUnit, kind: str, product: names.Product, founded: date, *,
             women_managed: bool, union_on: date | None, name: str | None = None) -> CoopInfo:
        ctx, rng = self.ctx, self.ctx.rng
        coop_name = name or self.name(kind, product.stem, unit)
        row = ctx.record(max(founded, PHASE_START), unit.id)
        info = CoopInfo(row["id"], unit, kind, coop_name, founded, women_managed,
                        union_on is not None, sectors=product.sectors)
        strong = women_managed and union_on is not None  # gets the most help
        ocop = self._ocop(info, product, 0.3 if women_managed else 0.1) if kind != "tht" else 0
        level = None
        if union_on is not None:
            level = rng.choice(("xa", "xa", "tinh", "huyen" if union_on < REORGANISATION else "xa"))
        ecommerce = ctx.chance(0.4 if strong else 0.12)
        trademark = ocop > 0 or ctx.chance(0.1)
        row.update(
            kind=kind, name=coop_name, name_key=folded(coop_name),
            tax_code=self.tax_code() if kind != "tht" else None,
            village=rng.choice(unit.villages), founded_on=founded,
            registered_on=(founded + timedelta(days=rng.randrange(0, 30))
                           if kind != "tht" else None),
            status="active", status_on=None, converted_to_id=None,
            main_products=product.main_products,
            union_supported=union_on is not None, union_supported_on=union_on,
            union_support_level=level,
            value_chain=ctx.chance(0.3 if strong else 0.1),
            science_tech=ctx.chance(0.25 if strong else 0.1),
            digital=ecommerce or ctx.chance(0.1), ecommerce=ecommerce, trademark=trademark,
            traceability=ctx.chance(0.4 if ocop else 0.1),
            ip_registered=trademark and ctx.chance(0.4),
            ethnic_pilot_model=False, many_jobs_override=None, many_jobs_reason=None,
            note=None)
        ctx.add(Cooperative, row)
        self.rows[info.id] = row
        for sector in product.sectors:
            ctx.add(CooperativeSector, {"cooperative_id": info.id, "sector": sector})
        self.world.coops.append(info)
        return info

    def _ocop(self, coop: CoopInfo, product: names.Product, p: float) -> int:
        ctx = self.ctx
        if not product.ocop or not ctx.chance(p):
            return 0
        chosen = ctx.rng.sample(product.ocop, min(len(product.ocop), ctx.rng.choice((1, 1, 2))))
        for item in chosen:
            roll = ctx.rng.random()
            ctx.add(OcopProduct, {
                "id": ctx.uid(), "cooperative_id": coop.id,
                "product": f"{item} {coop.unit.place}",
                "stars": 3 if roll < 0.7 else 4 if roll < 0.97 else 5,
                "year": ctx.rng.randint(max(2019, coop.founded.year), ctx.today.year)})
        return len(chosen)

    def row_of(self, coop: CoopInfo) -> Row:
        return self.rows[coop.id]

    # ----------------------------------------------------------------- managers

    def hold(self, coop: CoopInfo, person: PersonInfo, position: str, start: date,
             end: date | None = None) -> Span:
        row = self.ctx.add(ManagementPosition, {
            "id": self.ctx.uid(), "cooperative_id": coop.id, "person_id": person.id,
            "position": position, "start": start, "end": end})
        span = Span(person, coop, position, start, end, row)
        self.world.spans.append(span)
        self.spans.setdefault(coop.id, []).append(span)
        return span

    def manager(self, coop: CoopInfo, female: bool, day: date) -> PersonInfo:
        return self.ctx.person(coop.unit, max(day, PHASE_START), female=female,
                               born=(1960, 1995))

    def staff(self, coop: CoopInfo, start: date, leader: PersonInfo | None = None) -> None:
        """The management team on `start`, then the changes of 2023 to today."""
        ctx, rng = self.ctx, self.ctx.rng
        wm = coop.women_managed
        chief = leader or self.manager(coop, wm, start)
        if coop.kind == "tht":
            spans = [self.hold(coop, chief, "group_leader", start)]
            if ctx.chance(0.5):
                self.hold(coop, self.manager(coop, ctx.chance(0.8), start), "accountant", start)
        else:
            spans = [self.hold(coop, chief, "chair", start)]
            director = chief if ctx.chance(0.6) else self.manager(
                coop, wm and ctx.chance(0.5), start)
            spans.append(self.hold(coop, director, "director", start))
            for _ in range(rng.choice((0, 0, 1, 2))):
                self.hold(coop, self.manager(coop, wm and ctx.chance(0.5), start),
                          "board_member", start)
            control = "controller" if ctx.chance(0.6) else "supervisory_head"
            self.hold(coop, self.manager(coop, wm and ctx.chance(0.5), start), control, start)
            self.hold(coop, self.manager(coop, ctx.chance(0.75), start), "accountant", start)
        self._changes(coop, spans)

    def _changes(self, coop: CoopInfo, leaders: list[Span]) -> None:
        ctx = self.ctx
        first = max(leaders[0].start + timedelta(days=180), date(2023, 2, 1))
        last = min(ctx.today - timedelta(days=30), (coop.ends or ctx.today) - timedelta(days=30))
        if first >= last:
            return
        roll = ctx.rng.random()
        top = leaders[0]
        if not coop.women_managed and roll < 0.05:
            # A man hands over to a woman; sometimes the man comes back later.
            when = ctx.date_between(first, last)
            woman = self._replace(coop, top, when, female=True)
            later = when + timedelta(days=120)
            if ctx.chance(0.35) and later < last:
                self._replace(coop, woman, ctx.date_between(later, last), female=False)
        elif coop.women_managed and roll < 0.03:
            self._replace(coop, top, ctx.date_between(first, last), female=False)
        elif roll < 0.13:
            # The director (or THT leader) changes mid-year, same gender.
            span = leaders[-1]
            self._replace(coop, span, ctx.date_between(first, last), female=span.person.female,
                          only_this=True)

    def _replace(self, coop: CoopInfo, span: Span, when: date, *, female: bool,
                 only_this: bool = False) -> Span:
        """End `span` (and the same person's other leading posts) the day before `when`."""
        newcomer = self.manager(coop, female, when)
        ended = [span] if only_this else [
            s for s in self.spans[coop.id] if s.person is span.person
            and s.end is None and s.position in ("chair", "director", "group_leader")]
        new_span = span
        for old in ended:
            self._end(old, when - timedelta(days=1))
            new_span = self.hold(coop, newcomer, old.position, when)
        return new_span

    @staticmethod
    def _end(span: Span, day: date) -> None:
        span.end = day
        span.row["end"] = day

    def close_positions(self, coop: CoopInfo, day: date) -> None:
        """A dissolved or converted cooperative's posts end on that day."""
        for span in self.spans.get(coop.id, []):
            if span.end is None:
                self._end(span, day)


# --------------------------------------------------------------------------- yearly figures


def _yearly(ctx: DemoContext, coop: CoopInfo, *, new_jobs_first: bool) -> None:
    """One row per year of 2023..today that the cooperative lived in; female ≤ total."""
    rng = ctx.rng
    first_year = max(PHASE_START.year, coop.founded.year)
    last_year = min(ctx.today.year, coop.ends.year if coop.ends else ctx.today.year)
    wm = coop.women_managed
    if coop.kind == "tht":
        members, workers = rng.randint(6, 20), rng.randint(2, 6) if wm else rng.randint(1, 5)
        share = rng.uniform(0.55, 0.9) if wm else rng.uniform(0.3, 0.6)
        revenue = rng.lognormvariate(19.3, 0.7)  # median ≈ 240 million VND
    elif coop.kind == "lhhtx":
        members, workers = rng.randint(5, 12), rng.randint(8, 30)
        share, revenue = rng.uniform(0.3, 0.6), rng.uniform(5e9, 3e10)
    else:
        founded_new = coop.founded.year >= PHASE_START.year
        members = rng.randint(7, 30) if wm else rng.randint(5, 25)
        workers = (rng.randint(8, 16) if founded_new else rng.randint(4, 14)) if wm \
            else rng.randint(1, 6)
        share = rng.uniform(0.6, 0.9) if wm else rng.uniform(0.2, 0.55)
        revenue = rng.lognormvariate(20.98, 0.95)  # median ≈ 1.3 billion, mean ≈ 2.1 billion
    members_share = min(0.95, share + rng.uniform(-0.1, 0.1))
    income = rng.uniform(3.0, 5.5) if coop.kind == "tht" else rng.uniform(4.0, 7.5)
    source = ("union_survey" if wm and coop.union_supported and ctx.chance(0.5)
              else "alliance" if coop.kind != "tht" and ctx.chance(0.25) else "cooperative")
    previous_female: int | None = None
    for year in range(first_year, last_year + 1):
        if previous_female is not None:
            shrinking = coop.suspended is not None and coop.suspended.year < year
            factor = rng.uniform(0.4, 0.7) if shrinking else rng.uniform(0.97, 1.15)
            members = max(members, round(members * factor) + (1 if ctx.chance(0.2) else 0))
            workers = max(1, round(workers * factor) + (1 if ctx.chance(0.3) else 0))
            revenue *= factor * rng.uniform(0.95, 1.05)
            income *= rng.uniform(1.0, 1.08)
        female = min(workers, round(workers * share))
        stable = min(female, round(female * rng.uniform(0.7, 0.95)))
        minority = min(female, round(female * min(1.0, coop.unit.minority_share
                                                  * rng.uniform(0.7, 1.3))))
        if previous_female is None:
            new_jobs = female if new_jobs_first else min(female, int(ctx.chance(0.3)))
        else:
            new_jobs = min(female, max(0, female - previous_female) + int(ctx.chance(0.25)))
        previous_female = female
        ctx.add(CooperativeYear, {
            "id": ctx.uid(), "cooperative_id": coop.id, "year": year,
            "members": members, "members_female": min(members, round(members * members_share)),
            "workers": workers, "workers_female": female, "female_stable_jobs": stable,
            "female_ethnic_minority": minority, "new_female_jobs": new_jobs,
            "revenue_vnd": vnd(revenue, 6),
            "avg_monthly_income_vnd": vnd(income * 1e6, 5), "source": source})


# --------------------------------------------------------------------------- a commune


def _year_share(ctx: DemoContext, year: int) -> float:
    """How much of the year has passed by today (the current year is partial)."""
    if year < ctx.today.year:
        return 1.0
    return (ctx.today - date(year, 1, 1)).days / 365.0


def _older_founding(ctx: DemoContext, earliest: int) -> date:
    # Skewed towards recent years: most HTX re-registered under the 2012 law or were founded later.
    span = (date(2022, 12, 31) - date(earliest, 1, 1)).days
    return date(earliest, 1, 1) + timedelta(days=int(span * ctx.rng.random() ** 0.6))


def _union_date(ctx: DemoContext, founded: date) -> date:
    """When the Union started supporting an older cooperative: before 2023, or in the phase."""
    if ctx.chance(0.6):
        return ctx.date_between(max(founded, date(2015, 1, 1)), date(2022, 12, 31))
    return ctx.date_between(max(founded, PHASE_START), date(2025, 12, 31))


def _commune(maker: _CoopMaker, unit: DemoUnit, years: list[int], small: bool) -> None:
    ctx = maker.ctx
    ward = 1 if unit.is_ward else 0
    products = names.HTX_PRODUCTS_WARD if unit.is_ward else names.HTX_PRODUCTS_COMMUNE

    # Older HTX. In a small tree, one is surely women-managed and Union-supported.
    older = [(products.pick(ctx.rng), _older_founding(ctx, 1997))
             for _ in range(ctx.count(BASE_HTX[ward]))]
    wm = [ctx.chance(WOMEN_MANAGED) for _ in older]
    if small and older and not any(wm):
        wm[ctx.rng.randrange(len(older))] = True
    supported = [w and ctx.chance(UNION_SUPPORTED_WM) for w in wm]
    if small and any(wm) and not any(supported):
        supported[wm.index(True)] = True
    for (product, founded), w, s in zip(older, wm, supported, strict=True):
        union_on = _union_date(ctx, founded) if s or ctx.chance(0.04) else None
        coop = maker.coop(unit, "htx", product, founded, women_managed=w, union_on=union_on)
        _fate(maker, coop, years, dissolve=0.008 if w else 0.022, suspend=0.01 if w else 0.035)
        maker.staff(coop, max(founded, ctx.date_between(date(2019, 6, 1), date(2022, 12, 31))))
        _finish(maker, coop)
        _yearly(ctx, coop, new_jobs_first=False)

    for year in years:
        for _ in range(ctx.count(NEW_HTX_PER_YEAR[ward] * _year_share(ctx, year))):
            day = ctx.date_in_year(year)
            if day is not None:
                w = ctx.chance(NEW_WOMEN_MANAGED)
                new_htx(maker, unit, products.pick(ctx.rng), day, women_managed=w,
                        union_founding=w and ctx.chance(0.35), years=years)

    # THT, older and new; some convert into HTX.
    tht = [_older_founding(ctx, 2008) for _ in range(ctx.count(BASE_THT[ward]))]
    for year in years:
        for _ in range(ctx.count(NEW_THT_PER_YEAR[ward] * _year_share(ctx, year))):
            day = ctx.date_in_year(year)
            if day is not None:
                tht.append(day)
    for founded in tht:
        _tht(maker, unit, founded, years)


def _finish(maker: _CoopMaker, coop: CoopInfo) -> None:
    if coop.ends is not None:
        maker.close_positions(coop, coop.ends)


def _fate(maker: _CoopMaker, coop: CoopInfo, years: list[int], *, dissolve: float,
          suspend: float) -> None:
    """Dissolved or suspended during the phase, a few of them."""
    ctx = maker.ctx
    row = maker.row_of(coop)
    for year in years:
        if ctx.chance(dissolve * _year_share(ctx, year)):
            when = ctx.date_in_year(year, first=coop.founded + timedelta(days=365))
            if when is not None:
                coop.ends = when
                row.update(status="dissolved", status_on=when,
                           updated_at=ctx.stamp(when + timedelta(days=7)))
                return
    if ctx.chance(suspend):
        when = ctx.date_between(max(coop.founded + timedelta(days=365), PHASE_START), ctx.today)
        if when <= ctx.today:
            coop.suspended = when
            row.update(status="suspended", status_on=when,
                       updated_at=ctx.stamp(when + timedelta(days=7)))


def new_htx(maker: _CoopMaker, unit: DemoUnit, product: names.Product, founded: date, *,
            women_managed: bool, union_founding: bool, years: list[int],
            leader: PersonInfo | None = None, name: str | None = None) -> CoopInfo:
    """An HTX founded in the phase; `union_founding`: the Union advised its founding (CT6)."""
    ctx = maker.ctx
    if union_founding:
        union_on: date | None = founded - timedelta(days=ctx.rng.randint(20, 120))
    elif ctx.chance(0.05):
        union_on = ctx.date_between(founded, ctx.today)
    else:
        union_on = None
    coop = maker.coop(unit, "htx", product, founded, women_managed=women_managed,
                      union_on=union_on, name=name)
    if union_founding:
        maker.world.founding_advice.append((coop, union_on or founded))
    _fate(maker, coop, years, dissolve=0.01, suspend=0.01)
    maker.staff(coop, founded, leader)
    _finish(maker, coop)
    _yearly(ctx, coop, new_jobs_first=True)
    return coop


def _tht(maker: _CoopMaker, unit: DemoUnit, founded: date, years: list[int]) -> None:
    ctx = maker.ctx
    product = names.THT_PRODUCTS.pick(ctx.rng)
    wm = ctx.chance(WOMEN_LED_THT)
    supported = ctx.chance(0.33 if wm else 0.04)
    union_on = _union_date(ctx, founded) if supported else None
    coop = maker.coop(unit, "tht", product, founded, women_managed=wm, union_on=union_on)
    converted: date | None = None
    for year in years:
        p = 0.03 if wm and supported else 0.008
        if ctx.chance(p * _year_share(ctx, year)):
            converted = ctx.date_in_year(year, first=founded + timedelta(days=365))
            if converted is not None:
                break
    if converted is None:
        _fate(maker, coop, years, dissolve=0.02, suspend=0.02)
        maker.staff(coop, max(founded, ctx.date_between(date(2020, 1, 1), date(2022, 12, 31))))
        _finish(maker, coop)
        _yearly(ctx, coop, new_jobs_first=False)
        return
    # The THT becomes an HTX: its leader chairs the new HTX, founded on the conversion day.
    coop.ends, coop.converted = converted, True
    maker.staff(coop, max(founded, ctx.date_between(date(2020, 1, 1), date(2022, 12, 31))))
    leader: PersonInfo | None = next(
        s.person for s in maker.spans[coop.id]
        if s.position == "group_leader" and s.holds_on(converted - timedelta(days=1)))
    if leader is not None and leader.female != wm:
        leader = None  # a man took over the group: the new HTX gets a new chair
    _yearly(ctx, coop, new_jobs_first=False)
    maker.close_positions(coop, converted)
    stem = product.stem.removeprefix("Làm ").removeprefix("Trồng ")
    htx_product = names.Product(stem[:1].upper() + stem[1:], product.sectors,
                                product.main_products)
    htx = new_htx(maker, unit, htx_product, converted, women_managed=wm,
                  union_founding=supported, years=years, leader=leader)
    maker.row_of(coop).update(status="converted", status_on=converted, converted_to_id=htx.id,
                              updated_at=ctx.stamp(converted + timedelta(days=7)))


# --------------------------------------------------------------------------- the tree


def generate_cooperatives(ctx: DemoContext, communes: list[DemoUnit],
                          years: list[int]) -> CoopWorld:
    world = CoopWorld()
    maker = _CoopMaker(ctx, world)
    for unit in communes:
        _commune(maker, unit, years, len(communes) <= SMALL_TREE)
    _guarantee_new_women_htx(maker, communes, years)
    # A few Liên hiệp HTX (unions of cooperatives) across the province.
    for _ in range(ctx.count(LHHTX_PER_COMMUNE * len(communes))):
        unit = ctx.rng.choice(communes)
        product = names.HTX_PRODUCTS_COMMUNE.pick(ctx.rng)
        coop = maker.coop(unit, "lhhtx", product, _older_founding(ctx, 2010),
                          women_managed=ctx.chance(0.2), union_on=None)
        maker.staff(coop, max(coop.founded, date(2021, 1, 1)))
        _finish(maker, coop)
        _yearly(ctx, coop, new_jobs_first=False)
    _pilot_models(maker)
    return world


def _guarantee_new_women_htx(maker: _CoopMaker, communes: list[DemoUnit],
                             years: list[int]) -> None:
    """A small tree (one commune) still shows CT6/CT7: one Union-advised women's HTX in 2024."""
    ctx = maker.ctx
    phase_end = date(2025, 12, 31)
    if not communes or ctx.today < date(2024, 1, 1) or any(
            c.kind == "htx" and c.women_managed and c.union_supported
            and PHASE_START <= c.founded <= phase_end for c in maker.world.coops):
        return
    founded = ctx.date_in_year(2024) or date(2024, 1, 1)
    unit = communes[0]
    products = names.HTX_PRODUCTS_WARD if unit.is_ward else names.HTX_PRODUCTS_COMMUNE
    new_htx(maker, unit, products.pick(ctx.rng), founded, women_managed=True,
            union_founding=True, years=years)


def _pilot_models(maker: _CoopMaker) -> None:
    """Plan line III.6: "HTX kiểu mới do nữ dân tộc quản lý", in a few minority communes."""
    ctx = maker.ctx
    for span in maker.world.spans:
        coop = span.coop
        if (coop.kind == "htx" and coop.women_managed and span.position == "chair"
                and span.person.female and span.person.ethnic_minority
                and coop.unit.minority_share > 0.4 and ctx.chance(0.2)):
            maker.row_of(coop)["ethnic_pilot_model"] = True
