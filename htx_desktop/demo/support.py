"""Demo support to cooperatives, communication activities and awards."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from htx_desktop.demo.base import DemoContext, DemoUnit, vnd
from htx_desktop.demo.coops import CoopInfo, CoopWorld
from htx_desktop.demo.names import Picker
from htx_desktop.store.models import Award, Communication, Support


@dataclass(frozen=True)
class Activity:
    """One support or communication record, as the plan-status and narrative texts count it."""

    unit_id: int
    year: int
    kind: str
    plan_line: str | None
    amount: int = 0  # VND for support, reach for communication


_KINDS = Picker([("credit", 20), ("trade_fair", 15), ("ecommerce", 12), ("business_plan", 8),
                 ("machinery", 8), ("technology", 6), ("trademark", 5), ("traceability", 5),
                 ("ip", 2), ("ocop", 8), ("value_chain", 6), ("sales", 10), ("study_visit", 4),
                 ("legal_founding", 2)])
_PLAN_LINE = {"legal_founding": "III.3", "business_plan": "III.2", "credit": "III.10",
              "trade_fair": "IV.3", "ecommerce": "IV.4", "machinery": "III.4",
              "technology": "III.5", "trademark": "III.9", "traceability": "III.9", "ip": "III.9",
              "ocop": "III.8", "value_chain": "III.8", "sales": "III.2", "study_visit": "V.5"}
_LENDERS = Picker([("Ngân hàng Chính sách xã hội", 50), ("Agribank", 30),
                   ("Quỹ hỗ trợ phát triển HTX", 20)])
# Loan sizes in millions of VND, by lender.
_LOANS = {"Ngân hàng Chính sách xã hội": (50, 500), "Agribank": (200, 2000),
          "Quỹ hỗ trợ phát triển HTX": (100, 1000)}
_AMOUNTS = {"machinery": (20, 200), "technology": (10, 100), "trade_fair": (2, 15),
            "trademark": (10, 30), "traceability": (2, 10), "ocop": (5, 30),
            "business_plan": (2, 8)}
_FAIRS = ("Hội chợ OCOP tỉnh Thái Nguyên", "Hội chợ xúc tiến thương mại khu vực phía Bắc",
          "Hội chợ sản phẩm HTX do phụ nữ quản lý", "Festival Trà Thái Nguyên",
          "Tuần hàng Việt - Hội chợ hàng Việt Nam chất lượng cao")
_PLATFORMS = ("Postmart", "Voso", "Shopee", "sàn thương mại điện tử tỉnh Thái Nguyên",
              "TikTok Shop")


def founding_support(ctx: DemoContext, coop: CoopInfo, day: date) -> Activity:
    """The Union's advice to the founders of an HTX (plan line III.3)."""
    row = ctx.record(day, coop.unit.id)
    row.update(cooperative_id=coop.id, kind="legal_founding", on=day, provider=coop.unit.union,
               lender=None, amount_vnd=None, plan_line="III.3",
               note="Tư vấn, hỗ trợ hồ sơ, thủ tục thành lập HTX")
    ctx.add(Support, row)
    return Activity(coop.unit.id, day.year, "legal_founding", "III.3")


def generate_support(ctx: DemoContext, world: CoopWorld, top: DemoUnit,
                     years: list[int]) -> list[Activity]:
    rng = ctx.rng
    out = [founding_support(ctx, coop, day) for coop, day in world.founding_advice]
    for coop in world.coops:
        p = (0.55 if coop.women_managed and coop.union_supported
             else 0.25 if coop.women_managed or coop.union_supported else 0.05)
        for year in years:
            if not ctx.chance(p):
                continue
            for _ in range(rng.choice((1, 1, 2))):
                day = ctx.date_in_year(year, first=coop.founded)
                if day is None or not coop.active_on(day):
                    continue
                out.append(_support(ctx, coop, day, top))
    return out


def _support(ctx: DemoContext, coop: CoopInfo, day: date, top: DemoUnit) -> Activity:
    rng = ctx.rng
    kind = _KINDS.pick(rng)
    # Most support is recorded by the commune; some by the province's Union directly.
    unit = top if top.id != coop.unit.id and ctx.chance(0.25) else coop.unit
    lender = note = None
    amount: int | None = None
    provider = unit.union
    if kind == "credit":
        lender = _LENDERS.pick(rng)
        low, high = _LOANS[lender]
        amount = rng.randint(low // 10, high // 10) * 10_000_000
        note = "Vay vốn mở rộng sản xuất, kinh doanh"
    elif kind in _AMOUNTS:
        low, high = _AMOUNTS[kind]
        amount = vnd(rng.uniform(low, high) * 1e6, 5)
    if kind == "trade_fair":
        provider = rng.choice((provider, "Sở Công Thương"))
        note = f"{rng.choice(_FAIRS)} năm {day.year}"
    elif kind == "ecommerce":
        note = f"Đưa sản phẩm lên {rng.choice(_PLATFORMS)}"
    elif kind in ("trademark", "traceability", "ip"):
        provider = rng.choice((provider, "Sở Khoa học và Công nghệ"))
    elif kind == "technology":
        provider = rng.choice((provider, "Sở Khoa học và Công nghệ"))
        note = "Ứng dụng phần mềm quản lý, mã QR, bán hàng trực tuyến"
    row = ctx.record(day, unit.id)
    row.update(cooperative_id=coop.id, kind=kind, on=day, provider=provider, lender=lender,
               amount_vnd=amount, plan_line=_PLAN_LINE[kind], note=note)
    ctx.add(Support, row)
    return Activity(unit.id, day.year, kind, _PLAN_LINE[kind], amount or 0)


# --------------------------------------------------------------------------- communication

_FORMS_COMMUNE = Picker([("conference", 35), ("social_media", 40), ("news", 10), ("web", 10),
                         ("handbook", 5)])
_FORMS_PROVINCE = Picker([("tv", 15), ("news", 30), ("social_media", 25), ("web", 15),
                          ("handbook", 5), ("conference", 10)])
_REACH = {"conference": (50, 200), "social_media": (200, 5000), "news": (1000, 20000),
          "web": (300, 5000), "handbook": (200, 2000), "tv": (10000, 100000)}
_TOPICS = {
    "conference": ("Tuyên truyền Luật Hợp tác xã năm 2023 và Đề án hỗ trợ HTX do phụ nữ quản lý",
                   "Lợi ích khi tham gia HTX, THT", "Phụ nữ tham gia phát triển kinh tế tập thể"),
    "social_media": ("Giới thiệu sản phẩm của HTX do phụ nữ quản lý trên Fanpage của Hội",
                     "Livestream giới thiệu sản phẩm OCOP", "Gương phụ nữ làm kinh tế giỏi"),
    "news": ("Nữ giám đốc HTX năng động, sáng tạo", "HTX do phụ nữ làm chủ tạo việc làm cho "
             "lao động nữ", "Hội LHPN đồng hành cùng HTX do phụ nữ quản lý"),
    "web": ("Tin hoạt động hỗ trợ HTX do phụ nữ quản lý", "Kết quả thực hiện Đề án 01"),
    "handbook": ("Cẩm nang về phát triển kinh tế tập thể, HTX",
                 "Tài liệu hỏi đáp Luật Hợp tác xã năm 2023"),
    "tv": ("Phóng sự: Phụ nữ Thái Nguyên phát triển kinh tế tập thể",
           "Chuyên mục Phụ nữ với kinh tế tập thể"),
}


def generate_communications(ctx: DemoContext, units: Sequence[DemoUnit],
                            years: list[int]) -> list[Activity]:
    rng = ctx.rng
    out: list[Activity] = []
    for year in years:
        share = 1.0 if year < ctx.today.year else (ctx.today - date(year, 1, 1)).days / 365
        for unit in units:
            commune = unit.level == "xa"
            forms = _FORMS_COMMUNE if commune else _FORMS_PROVINCE
            for _ in range(ctx.count((5 if commune else 14) * share)):
                day = ctx.date_in_year(year)
                if day is None:
                    continue
                form = forms.pick(rng)
                low, high = _REACH[form]
                reach = rng.randint(low, high) * (1 if commune else 2)
                line = ("IV.5" if form == "handbook" and year in (2024, 2027)
                        else "IV.1" if form in ("news", "tv") else "II.1")
                row = ctx.record(day, unit.id)
                row.update(on=day, form=form, topic=rng.choice(_TOPICS[form]), reach=reach,
                           plan_line=line, note=None)
                ctx.add(Communication, row)
                out.append(Activity(unit.id, year, form, line, reach))
    return out


# --------------------------------------------------------------------------- awards

_TITLES = (
    ("central", "Bằng khen của Ban Chấp hành Trung ương Hội LHPN Việt Nam"),
    ("tinh", "Bằng khen của Chủ tịch UBND tỉnh"),
    ("tinh", "Giấy khen của Ban Chấp hành Hội LHPN tỉnh"),
    ("tinh", "Giấy khen của Ban Chấp hành Hội LHPN tỉnh"),
)


def generate_awards(ctx: DemoContext, units: Sequence[DemoUnit], world: CoopWorld,
                    years: list[int]) -> int:
    """Commendations at the year-end reviews: women managers, cooperatives, commune Unions."""
    rng = ctx.rng
    by_unit: dict[int, list[CoopInfo]] = {}
    for coop in world.coops:
        by_unit.setdefault(coop.unit.id, []).append(coop)
    leaders: dict[str, str] = {}  # cooperative id -> a woman who manages it
    for span in world.spans:
        if span.person.female and span.position in ("chair", "director", "group_leader"):
            leaders.setdefault(span.coop.id, span.person.id)
    names = {span.person.id: span.person.full_name for span in world.spans}
    communes = [u for u in units if u.level == "xa"]
    made = 0
    for year in years:
        day = date(year, 12, rng.randint(10, 28))
        if day > ctx.today:
            continue
        for unit in units:
            commune = unit.level == "xa"
            for _ in range(ctx.count(0.3 if commune else 5)):
                pool = [unit] if commune else communes
                if not pool:
                    break
                place = rng.choice(pool)
                level, title = ("xa", f"Giấy khen của Ban Chấp hành {place.union}") if commune \
                    else rng.choice(_TITLES)
                candidates = [c for c in by_unit.get(place.id, []) if c.active_on(day)]
                person_id = coop_id = None
                roll = rng.random()
                if candidates and roll < 0.5:
                    coop = rng.choice(candidates)
                    if coop.id in leaders:
                        person_id = leaders[coop.id]
                        recipient = f"Bà {names[person_id]}, {coop.name}"
                    else:
                        coop_id, recipient = coop.id, coop.name
                elif candidates and roll < 0.8:
                    coop = rng.choice(candidates)
                    coop_id, recipient = coop.id, coop.name
                else:
                    recipient = f"Tập thể Ban Chấp hành {place.union}"
                row = ctx.record(day + timedelta(days=rng.randint(0, 5)), unit.id)
                row.update(recipient=recipient, person_id=person_id, cooperative_id=coop_id,
                           title=title, level=level, on=day)
                ctx.add(Award, row)
                made += 1
    return made
