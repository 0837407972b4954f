"""Activity figures beside CT1–CT9, on a hand-built province (figures worked out beside them)."""

from __future__ import annotations

from dataclasses import replace

from indicator_builders import coop, dataset, day, event, woman

from htx_desktop.domain.indicators import activity_figures
from htx_desktop.domain.periods import parse_period
from htx_desktop.domain.records import (
    CommunicationRec,
    Dataset,
    JobPlacementRec,
    OcopRec,
    PlanStatusRec,
    PriorityCountRec,
    SupportRec,
)


def province() -> Dataset:
    ev1 = replace(event("ev1", "2025-03-01", ("management",), (), unit="X1", total=10,
                        female=8, ethnic_minority=3, htx_managers=2),
                  attendance=(("w1", "htx_manager"), ("w2", "participant")),
                  funding=(("state_budget", 5_000_000),))
    ev2 = replace(event("ev2", "2025-06-01", (), (), unit="P", type_="hoi_nghi", total=5),
                  attendance=(("w1", "participant"),))
    ev_old = event("old", "2024-06-01", (), ("w1",), total=100)

    def support(sid: str, coop_id: str, kind: str, on: str, amount: int | None = None,
                lender: str | None = None) -> SupportRec:
        return SupportRec(sid, "X1", coop_id, kind, day(on), None, lender, amount)

    def placement(jid: str, person: str, start: str, new: bool, stable: bool
                  ) -> JobPlacementRec:
        return JobPlacementRec(jid, "X1", person, "H1", day(start), None, "worker", new,
                               stable)

    return dataset(
        people=[woman("w1"), woman("w2", ethnicity="02"), woman("w3")],
        cooperatives=[
            coop("H1", founded="2024-02-01", supported="2024-02-01", sectors=("agriculture",),
                 positions=(("w1", "chair", None, None),), flags=("ecommerce",),
                 ocop=(OcopRec("Chè", 3, 2022), OcopRec("Chè", 4, 2024),
                       OcopRec("Miến", 3, 2023), OcopRec("Mật", 5, 2026))),
            coop("H2", founded="2025-03-01", supported="2025-03-01",
                 sectors=("agriculture", "processing"),
                 positions=(("w3", "director", "2025-03-01", None),)),
            coop("GONE", status="dissolved", status_on="2024-01-01",
                 ocop=(OcopRec("Bánh", 4, 2024),)),
            coop("T", kind="tht", status="converted", status_on="2025-04-01",
                 sectors=("handicraft",)),
        ],
        events=[ev1, ev2, ev_old],
        communications=[CommunicationRec("n1", "X1", day("2025-02-01"), "news", "HTX", 100),
                        CommunicationRec("s1", "P", day("2025-05-01"), "social_media", "HTX",
                                         50),
                        CommunicationRec("s0", "P", day("2024-05-01"), "social_media", "HTX",
                                         999)],
        support=[support("l1", "H1", "credit", "2025-01-10", 50_000_000, "NHCSXH"),
                 support("l2", "H1", "credit", "2025-05-10", 20_000_000),
                 support("l0", "H1", "credit", "2024-05-10", 70_000_000, "NHCSXH"),
                 support("e1", "H1", "ecommerce", "2025-02-01"),
                 support("e2", "H2", "ecommerce", "2025-04-01"),
                 support("f1", "H2", "trade_fair", "2025-04-02")],
        job_placements=[placement("j1", "w1", "2025-01-01", True, True),
                        placement("j2", "w2", "2025-02-01", True, False),
                        placement("j3", "w1", "2025-09-01", False, True),
                        placement("j0", "w3", "2024-09-01", True, True)],
        priority_counts=[PriorityCountRec("X1", 2025, "poor", 3, 1),
                         PriorityCountRec("X2", 2025, "poor", 1, 0),
                         PriorityCountRec("X1", 2024, "poor", 5, 5)],
        plan_status=[PlanStatusRec("X1", "II.1", 2025, "done"),
                     PlanStatusRec("X2", "II.1", 2025, "in_progress"),
                     PlanStatusRec("X1", "II.2", 2025, "done"),
                     PlanStatusRec("X1", "II.1", 2024, "not_started")],
    )


def test_activity_figures_2025() -> None:
    fig = activity_figures(province(), "P", parse_period("2025"))
    ev = fig["events"]
    # named 3 (w1, w2 at ev1; w1 at ev2) + unnamed 10 + 5
    assert (ev["count"], ev["person_times"], ev["people"]) == (2, 18, 2)
    assert ev["female_person_times"] == 11  # 3 named women + 8 counted
    assert ev["by_category"]["htx_managers"] == 3  # w1 as manager + 2 counted
    assert ev["by_type"]["tap_huan"]["person_times"] == 12
    assert ev["by_type"]["hoi_nghi"] == {"count": 1, "person_times": 6, "people": 1,
                                         "female_person_times": 1, "by_category": {
                                             "htx_managers": 0, "members_workers": 0,
                                             "cadres": 0, "union_members": 0}}
    assert ev["funding_vnd"] == {"state_budget": 5_000_000}
    assert fig["communications"] == {"count": 2, "reach": 150, "by_form": {
        "news": {"count": 1, "reach": 100}, "social_media": {"count": 1, "reach": 50}}}
    assert fig["support"]["count"] == 5 and fig["support"]["cooperatives"] == 2
    assert fig["support"]["by_kind"]["ecommerce"] == {"count": 2, "cooperatives": 2,
                                                      "amount_vnd": 0}
    assert fig["loans"] == {"count": 2, "amount_vnd": 70_000_000, "by_lender": {
        "": {"count": 1, "amount_vnd": 20_000_000},
        "NHCSXH": {"count": 1, "amount_vnd": 50_000_000}}}
    assert fig["ecommerce_listings"] == {"count": 2, "cooperatives": 2}
    # Chè: latest certification 2024 (4 stars) valid; Miến 2023 valid until end of 2025;
    # Mật is certified only in 2026; GONE no longer exists
    assert fig["ocop"] == {"valid": 2, "by_stars": {"3": 1, "4": 1}, "certified_in_period": 0}
    assert fig["conversions"] == {"count": 1}
    jobs = fig["job_placements"]
    assert (jobs["count"], jobs["women"], jobs["new_jobs"], jobs["stable"]) == (3, 2, 2, 2)
    assert jobs["by_priority_group"] == {"poor": {"women_supported": 4, "women_placed": 1}}
    assert fig["ethnic_minority"] == {"event_person_times": 4, "event_people": 1,
                                      "women_placed": 1}
    coops = fig["cooperatives"]  # existing on 31/12/2025: H1, H2
    assert coops["total"] == 2 and coops["by_kind"] == {"htx": 2}
    assert coops["by_sector"] == {"agriculture": 2, "processing": 1}
    assert coops["women_managed_by_kind"] == {"htx": 2}
    assert coops["with_flag"] == {"ecommerce": 1}
    assert fig["plan_status"] == {"year": 2025, "by_status": {"done": 2, "in_progress": 1},
                                  "by_line": {"II.1": {"done": 1, "in_progress": 1},
                                              "II.2": {"done": 1}}}
    assert fig["new_women_led_htx"] == {"target_per_year": 2,
                                        "by_year": {"2025": {"founded": 1, "met": False}}}
    assert fig["record_ids"]["support"] == ["e1", "e2", "f1", "l1", "l2"]
    assert fig["record_ids"]["new_women_led_htx"] == ["H2"]


def test_activity_figures_over_the_phase_and_ocop_expiry() -> None:
    fig = activity_figures(province(), "P", parse_period("phase1"))
    assert fig["new_women_led_htx"]["by_year"] == {
        "2023": {"founded": 0, "met": False}, "2024": {"founded": 1, "met": False},
        "2025": {"founded": 1, "met": False}}
    assert fig["job_placements"]["by_priority_group"]["poor"] == {"women_supported": 9,
                                                                  "women_placed": 6}
    assert fig["ocop"]["certified_in_period"] == 2  # Chè 2024, Miến 2023; Chè 2022 is before
    # at the end of 2024 the 2022 Chè certificate was superseded by 2024's
    fig2024 = activity_figures(province(), "P", parse_period("2024"))
    assert fig2024["ocop"]["by_stars"] == {"3": 1, "4": 1}
    later = activity_figures(province(), "P", parse_period("2027"))
    assert later["ocop"]["by_stars"] == {"5": 1}  # Mật (2026); Chè 2024 expired in 2027


def test_activity_figures_of_a_commune_only() -> None:
    fig = activity_figures(province(), "X1", parse_period("2025"))
    assert fig["events"]["count"] == 1  # ev2 belongs to the province
    assert fig["communications"]["count"] == 1
    assert fig["plan_status"]["by_status"] == {"done": 2}
