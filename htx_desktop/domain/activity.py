"""Activity figures of a unit and period: what the Union did, beside CT1–CT9.

Flows count records dated in P (an event by its start date, support and communication by their
date, a job placement by its start); stocks (cooperatives by sector, OCOP products) are
counted on d, the last day of P. Every key is a plain string or number so that the result can
go into JSON as it is; `record_ids` lists the ids behind each group, for drilling down.
Person-times ("lượt người") count every attendance: the named attendance plus the unnamed
`counts.total`; distinct people can only be counted among the named.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Collection
from datetime import date
from typing import Any

from htx_desktop.domain.catalogues import DEFAULT_MANAGEMENT_POSITIONS
from htx_desktop.domain.coop_rules import (
    exists_on,
    union_supported_on,
    women_managed_on,
)
from htx_desktop.domain.periods import Period, years
from htx_desktop.domain.records import CooperativeRec, Dataset, EventRec
from htx_desktop.domain.scope import Scoped, scoped

# Event type of an attendance at a course run by another unit (catalogues.EventType).
EXTERNAL_COURSE = "external_course"
# Ethnicity code of the Kinh majority in the statistics office's list 121-TCTK/PPCĐ.
KINH = "01"
# An OCOP certificate is valid for 36 months; certified some time in year Y, it is still valid
# on 31/12 of Y+2 and no longer on 31/12 of Y+3.
OCOP_VALID_YEARS = 3
# Plan line III.1: at least 2 new women-led HTX founded each year.
YEARLY_NEW_HTX_TARGET = 2

# Named attendance role → the unnamed count of the same category (records.COUNT_KEYS).
_ROLE_CATEGORY = {"htx_manager": "htx_managers", "member_worker": "members_workers",
                  "cadre": "cadres", "union_member": "union_members"}
CATEGORIES = ("htx_managers", "members_workers", "cadres", "union_members")


def new_women_led_htx(scope: Scoped, start: date, end: date,
                      management_positions: Collection[str]) -> list[CooperativeRec]:
    """HTX founded between start and end (inclusive), Union-supported and women-managed on
    their founding day, whether or not they still exist (the rule of CT6). A THT converted into
    an HTX appears as the new HTX record, founded on the conversion date."""
    return [c for c in scope.cooperatives
            if c.kind == "htx" and c.founded_on is not None and start <= c.founded_on <= end
            and union_supported_on(c, c.founded_on)
            and women_managed_on(c, c.founded_on, management_positions, scope.gender)]


def _in(period: Period, day: date) -> bool:
    return period.start <= day <= period.end


def _is_minority(scope: Scoped, person: str) -> bool:
    code = scope.ethnicity.get(person)
    return code is not None and code != KINH


def _event_figures(scope: Scoped, events: list[EventRec]) -> dict[str, Any]:
    def block(evs: list[EventRec]) -> dict[str, Any]:
        named = [p for e in evs for p, _role in e.attendance]
        by_category = Counter({k: 0 for k in CATEGORIES})
        for e in evs:
            for key in CATEGORIES:
                by_category[key] += e.count(key)
            for _person, role in e.attendance:
                if role in _ROLE_CATEGORY:
                    by_category[_ROLE_CATEGORY[role]] += 1
        return {
            "count": len(evs),
            "person_times": len(named) + sum(e.count("total") for e in evs),
            "people": len(set(named)),
            "female_person_times": sum(1 for p in named if scope.gender.get(p) == "female")
            + sum(e.count("female") for e in evs),
            "by_category": dict(by_category),
        }

    by_type: dict[str, list[EventRec]] = defaultdict(list)
    for e in events:
        by_type[e.type].append(e)
    funding: Counter[str] = Counter()
    for e in events:
        for source, amount in e.funding:
            funding[source] += amount
    out = block(events)
    out["by_type"] = {t: block(evs) for t, evs in sorted(by_type.items())}
    out["funding_vnd"] = dict(sorted(funding.items()))
    return out


def _ethnic_minority(scope: Scoped, events: list[EventRec], placed: list[str]
                     ) -> dict[str, int]:
    named = [p for e in events for p, _role in e.attendance if _is_minority(scope, p)]
    return {
        "event_person_times": len(named) + sum(e.count("ethnic_minority") for e in events),
        "event_people": len(set(named)),
        "women_placed": len({p for p in placed if _is_minority(scope, p)}),
    }


def _support_figures(scope: Scoped, period: Period) -> dict[str, Any]:
    rows = [s for s in scope.support if _in(period, s.on)]
    by_kind: dict[str, dict[str, Any]] = {}
    for kind in sorted({s.kind for s in rows}):
        of_kind = [s for s in rows if s.kind == kind]
        by_kind[kind] = {"count": len(of_kind),
                         "cooperatives": len({s.cooperative for s in of_kind}),
                         "amount_vnd": sum(s.amount_vnd or 0 for s in of_kind)}
    loans = [s for s in rows if s.kind == "credit"]
    by_lender: dict[str, dict[str, int]] = defaultdict(lambda: {"count": 0, "amount_vnd": 0})
    for s in loans:
        # An unnamed lender is grouped under "" (the report prints it as "không rõ").
        lender = by_lender[s.lender or ""]
        lender["count"] += 1
        lender["amount_vnd"] += s.amount_vnd or 0
    listings = [s for s in rows if s.kind == "ecommerce"]
    return {
        "support": {"count": len(rows), "cooperatives": len({s.cooperative for s in rows}),
                    "by_kind": by_kind},
        "loans": {"count": len(loans), "amount_vnd": sum(s.amount_vnd or 0 for s in loans),
                  "by_lender": dict(sorted(by_lender.items()))},
        "ecommerce_listings": {"count": len(listings),
                               "cooperatives": len({s.cooperative for s in listings})},
        "ids": sorted(s.id for s in rows),
    }


def _ocop(existing: list[CooperativeRec], period: Period) -> dict[str, Any]:
    """Products with a certificate valid on d: per product, its latest certification in a year
    ≤ the year of d, if that is less than 36 months old; only cooperatives existing on d."""
    end_year = period.end.year
    by_stars: Counter[str] = Counter()
    new_in_period = 0
    for coop in existing:
        latest: dict[str, tuple[int, int]] = {}
        for o in coop.ocop:
            if o.year <= end_year and (o.product not in latest or o.year > latest[o.product][0]):
                latest[o.product] = (o.year, o.stars)
        for year, stars in latest.values():
            if end_year - year < OCOP_VALID_YEARS:
                by_stars[str(stars)] += 1
        new_in_period += sum(1 for o in coop.ocop if period.start.year <= o.year <= end_year)
    return {"valid": sum(by_stars.values()), "by_stars": dict(sorted(by_stars.items())),
            "certified_in_period": new_in_period}


def _cooperatives(scope: Scoped, existing: list[CooperativeRec], d: date,
                  management_positions: Collection[str]) -> dict[str, Any]:
    by_kind = Counter(c.kind for c in existing)
    # A cooperative working in several sectors counts once in each.
    by_sector = Counter(s for c in existing for s in c.sectors)
    managed = Counter(c.kind for c in existing
                      if women_managed_on(c, d, management_positions, scope.gender))
    return {"total": len(existing), "by_kind": dict(sorted(by_kind.items())),
            "women_managed_by_kind": dict(sorted(managed.items())),
            "by_sector": dict(sorted(by_sector.items())),
            "with_flag": dict(sorted(Counter(f for c in existing for f in c.flags).items()))}


def _plan_status(scope: Scoped, year: int) -> dict[str, Any]:
    rows = [p for p in scope.plan_status if p.year == year]
    by_line: dict[str, Counter[str]] = defaultdict(Counter)
    for p in rows:
        by_line[p.line][p.status] += 1
    return {"year": year,
            "by_status": dict(sorted(Counter(p.status for p in rows).items())),
            "by_line": {line: dict(sorted(c.items())) for line, c in sorted(by_line.items())}}


def activity_figures(dataset: Dataset, unit_code: str, period: Period, *,
                     management_positions: Collection[str] = DEFAULT_MANAGEMENT_POSITIONS,
                     yearly_new_htx_target: int = YEARLY_NEW_HTX_TARGET) -> dict[str, Any]:
    """The activity figures of the unit (and every unit below it) over the period."""
    scope = scoped(dataset, unit_code)
    d = period.end
    # An attendance at another unit's course is that unit's activity, counted there once.
    events = [e for e in scope.events if _in(period, e.start) and e.type != EXTERNAL_COURSE]
    comms = [c for c in scope.communications if _in(period, c.on)]
    by_form: dict[str, dict[str, int]] = defaultdict(lambda: {"count": 0, "reach": 0})
    for c in comms:
        by_form[c.form]["count"] += 1
        by_form[c.form]["reach"] += c.reach
    placements = [j for j in scope.job_placements if _in(period, j.start)]
    priority: dict[str, dict[str, int]] = defaultdict(
        lambda: {"women_supported": 0, "women_placed": 0})
    for pc in scope.priority_counts:
        # Yearly counts of distinct women, summed over the years of P: a woman counted in two
        # years counts twice (the counts carry no names to tell).
        if period.start.year <= pc.year <= d.year:
            priority[pc.group]["women_supported"] += pc.women_supported
            priority[pc.group]["women_placed"] += pc.women_placed
    conversions = [c for c in scope.cooperatives if c.kind == "tht" and c.status == "converted"
                   and c.status_on is not None and _in(period, c.status_on)]
    existing = [c for c in scope.cooperatives if exists_on(c, d)]
    new_htx = new_women_led_htx(scope, period.start, d, management_positions)
    founded_by_year = Counter(c.founded_on.year for c in new_htx if c.founded_on)
    support = _support_figures(scope, period)
    support_ids = support.pop("ids")
    return {
        "unit": unit_code,
        "period": {"start": period.start.isoformat(), "end": d.isoformat()},
        "events": _event_figures(scope, events),
        "communications": {"count": len(comms), "reach": sum(c.reach for c in comms),
                           "by_form": dict(sorted(by_form.items()))},
        **support,
        "ocop": _ocop(existing, period),
        "conversions": {"count": len(conversions)},
        "job_placements": {
            "count": len(placements),
            "women": len({j.person for j in placements}),
            "new_jobs": sum(1 for j in placements if j.new_job),
            "stable": sum(1 for j in placements if j.stable),
            "by_priority_group": dict(sorted(priority.items())),
        },
        "ethnic_minority": _ethnic_minority(scope, events, [j.person for j in placements]),
        "cooperatives": _cooperatives(scope, existing, d, management_positions),
        "plan_status": _plan_status(scope, d.year),
        "new_women_led_htx": {
            "target_per_year": yearly_new_htx_target,
            "by_year": {str(y): {"founded": founded_by_year[y],
                                 "met": founded_by_year[y] >= yearly_new_htx_target}
                        for y in years(period)},
        },
        "record_ids": {
            "events": sorted(e.id for e in events),
            "communications": sorted(c.id for c in comms),
            "support": support_ids,
            "job_placements": sorted(j.id for j in placements),
            "conversions": sorted(c.id for c in conversions),
            "new_women_led_htx": sorted(c.id for c in new_htx),
            "cooperatives": sorted(c.id for c in existing),
        },
    }
