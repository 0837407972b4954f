"""Small constructors for hand-built Datasets in the domain tests."""

from __future__ import annotations

from datetime import date

from htx_desktop.domain.records import (
    CadreRec,
    CooperativeRec,
    Dataset,
    EventRec,
    PersonRec,
    PositionRec,
    UnitRec,
    YearlyRec,
)


def d(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def day(text: str) -> date:
    return date.fromisoformat(text)


# A province "P" with two communes, "X1" and "X2".
UNITS = [UnitRec("P", "Tỉnh P", "tinh", None), UnitRec("X1", "Xã X1", "xa", "P"),
         UnitRec("X2", "Xã X2", "xa", "P")]


def woman(pid: str, unit: str = "X1", ethnicity: str = "01") -> PersonRec:
    return PersonRec(pid, unit, "female", 1980, ethnicity)


def man(pid: str, unit: str = "X1") -> PersonRec:
    return PersonRec(pid, unit, "male", 1980, "01")


def coop(cid: str, *, unit: str = "X1", kind: str = "htx", founded: str | None = "2020-01-01",
         status: str = "active", status_on: str | None = None, supported: str | None = None,
         positions: tuple[tuple[str, str, str | None, str | None], ...] = (),
         yearly: tuple[YearlyRec, ...] = (), many_jobs: bool = False,
         converted_to: str | None = None, **extra: object) -> CooperativeRec:
    """`supported`: the date the Union's support began ("" = supported, date unknown)."""
    return CooperativeRec(
        id=cid, unit_code=unit, kind=kind, name=f"{kind.upper()} {cid}", founded_on=d(founded),
        status=status, status_on=d(status_on), converted_to=converted_to,
        union_supported=supported is not None, union_supported_on=d(supported),
        many_jobs_for_women=many_jobs, yearly=yearly,
        positions=tuple(PositionRec(p, pos, d(a), d(b)) for p, pos, a, b in positions),
        **extra)  # type: ignore[arg-type]


def cadre(cid: str, person: str, *, unit: str = "P", kttt: bool = True,
          active_from: str | None = "2020-01-01", active_to: str | None = None) -> CadreRec:
    return CadreRec(cid, person, unit, "tinh", "chuyen_vien", kttt, d(active_from),
                    d(active_to))


def event(eid: str, start: str, topics: tuple[str, ...], people: tuple[str, ...], *,
          unit: str = "P", type_: str = "tap_huan", **counts: int) -> EventRec:
    base = dict.fromkeys(("total", "female", "ethnic_minority", "htx_managers",
                          "members_workers", "cadres", "union_members"), 0)
    base.update(counts)
    return EventRec(eid, unit, type_, f"Sự kiện {eid}", day(start), day(start), topics,
                    attendance=tuple((p, "participant") for p in people),
                    counts=tuple(base.items()))


def dataset(**lists: object) -> Dataset:
    lists.setdefault("units", list(UNITS))
    return Dataset(**lists)  # type: ignore[arg-type]
