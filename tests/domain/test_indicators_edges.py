"""Hand-computed edge cases of CT1–CT9 (rules: docs/indicators.md). Each expected figure is
worked out in the comment beside it."""

from __future__ import annotations

from datetime import date

import pytest
from indicator_builders import cadre, coop, dataset, day, event, man, woman

from htx_desktop.domain.catalogues import DEFAULT_MANAGEMENT_POSITIONS
from htx_desktop.domain.indicators import (
    IndicatorReport,
    ManyJobsRule,
    compute_indicators,
    derives_many_jobs,
    percent,
)
from htx_desktop.domain.periods import (
    Period,
    check_scheme_years,
    parse_period,
    phase_of,
    scheme_years_until,
    years,
)
from htx_desktop.domain.records import Dataset, UnitRec, YearlyRec


def run(ds: Dataset, period: str | Period, unit: str = "P", **kw: object) -> IndicatorReport:
    p = parse_period(period) if isinstance(period, str) else period
    return compute_indicators(ds, unit, p, **kw)  # type: ignore[arg-type]


def on(text: str) -> Period:
    """A period ending on a given day: to look at the figures on that very day."""
    end = day(text)
    return Period(text, date(end.year, 1, 1), end)


def values(report: IndicatorReport) -> dict[str, object]:
    return {r.code: r.value for r in report.results}


# ------------------------------------------------------------------ every indicator at once

def mini_province() -> Dataset:
    return dataset(
        people=[woman("w1"), woman("w2", "X2"), woman("w3"), woman("w4", "P"),
                woman("w5", "P"), woman("w6", "P"), man("m1", "X2")],
        cooperatives=[
            # H1: founded and supported 2023-03-01, chair w1 → CT1, CT6 (2023), CT7 (5 + 2)
            coop("H1", founded="2023-03-01", supported="2023-03-01",
                 positions=(("w1", "chair", "2023-03-01", None),),
                 yearly=(YearlyRec(2023, female_stable_jobs=5, new_female_jobs=5),
                         YearlyRec(2024, female_stable_jobs=7, new_female_jobs=2))),
            # H2: a man directs it, not supported, but creates many jobs for women → CT3 only
            coop("H2", unit="X2", positions=(("m1", "director", "2020-01-01", None),),
                 many_jobs=True, yearly=(YearlyRec(2024, female_stable_jobs=20),)),
            # H3: founded 2024-05-01, support only from 2024-06-01 → CT1 at the end of 2024,
            # but not CT6/CT7 (not supported on its founding day)
            coop("H3", unit="X2", founded="2024-05-01", supported="2024-06-01",
                 positions=(("w2", "chair", "2024-05-01", None),),
                 yearly=(YearlyRec(2024, female_stable_jobs=3, new_female_jobs=3),)),
            # T1: THT led by w3 → CT2, CT4 12
            coop("T1", kind="tht", founded="2022-01-01", supported="2022-01-01",
                 positions=(("w3", "group_leader", "2022-01-01", None),),
                 yearly=(YearlyRec(2024, workers=14, workers_female=12),)),
            # T2: THT led by a man, not many jobs → out of CT2 and CT4
            coop("T2", kind="tht", unit="X2", supported="2020-01-01",
                 positions=(("m1", "group_leader", "2020-01-01", None),),
                 yearly=(YearlyRec(2024, workers_female=9),)),
        ],
        cadres=[cadre("c1", "w4"), cadre("c2", "w5"), cadre("c3", "w6", kttt=False)],
        events=[
            # management training in X1: w1 (HTX chair) and w3 (THT leader, not counted)
            event("e1", "2024-04-01", ("management",), ("w1", "w3"), unit="X1"),
            event("e2", "2023-05-01", ("kttt_knowledge",), ("w4",)),
            event("e3", "2024-09-01", ("advocacy_skills",), ("w6",)),
        ],
    )


def test_every_indicator_hand_computed() -> None:
    report = run(mini_province(), "2024", targets={("CT1", 2025): 50.0, ("CT6", 2025): 10.0})
    assert values(report) == {
        "CT1": 2,      # H1, H3
        "CT2": 1,      # T1
        "CT3": 30,     # H1 7 + H2 20 + H3 3
        "CT4": 12,     # T1
        "CT5": 50.0,   # w1 trained, w2 not: 1/2
        "CT6": 0,      # H3 was not supported on its founding day
        "CT7": 2,      # H1's 2024 new jobs
        "CT8": 50.0,   # c1 trained of c1, c2
        "CT9": 33.3,   # c3 of c1, c2, c3
    }
    assert report.result("CT6").cumulative == 1   # H1 (2023)
    assert report.result("CT7").cumulative == 7   # H1: 5 (2023) + 2 (2024)
    assert report.result("CT1").target == 50.0
    assert report.result("CT1").progress == 4.0   # 2 of 50
    assert report.result("CT6").progress == 10.0  # cumulative 1 of 10
    assert report.result("CT2").target is None and report.result("CT2").progress is None
    assert report.result("CT3").record_ids == ("H1", "H2", "H3")
    assert report.result("CT8").record_ids == ("c1",)
    assert report.result("CT8").denominator_ids == ("c1", "c2")
    assert report.target_year == 2025 and report.phase_start == date(2023, 1, 1)


def test_unit_below_the_province_gives_only_its_records() -> None:
    report = run(mini_province(), "2024", unit="X1")
    # X1 holds H1, T1 and event e1; the cadres and their events are the province's
    assert values(report) == {"CT1": 1, "CT2": 1, "CT3": 7, "CT4": 12, "CT5": 100.0,
                              "CT6": 0, "CT7": 2, "CT8": None, "CT9": None}
    assert report.result("CT6").cumulative == 1
    assert report.to_json()["unit"] == "X1"


def test_unit_with_no_data() -> None:
    ds = dataset(units=[*mini_province().units, UnitRec("X3", "Xã X3", "xa", "P")],
                 cooperatives=mini_province().cooperatives, people=mini_province().people)
    for unit in ("X3", "NOWHERE"):
        report = run(ds, "2025", unit=unit)
        assert values(report) == {"CT1": 0, "CT2": 0, "CT3": 0, "CT4": 0, "CT5": None,
                                  "CT6": 0, "CT7": 0, "CT8": None, "CT9": None}
        for code in ("CT5", "CT8", "CT9"):
            r = report.result(code)
            assert (r.numerator, r.denominator) == (0, 0)
        assert report.result("CT6").cumulative == 0
        assert report.result("CT7").cumulative == 0


# ------------------------------------------------------------------ people and training

def test_woman_trained_twice_counts_once() -> None:
    ds = dataset(
        people=[woman("w1")],
        cooperatives=[coop("H", positions=(("w1", "chair", None, None),))],
        events=[event("a", "2023-03-01", ("management",), ("w1",)),
                event("b", "2024-03-01", ("management", "finance"), ("w1",))])
    ct5 = run(ds, "2024").result("CT5")
    assert (ct5.value, ct5.numerator, ct5.denominator) == (100.0, 1, 1)


def test_training_before_the_scheme_or_after_d_does_not_count() -> None:
    ds = dataset(
        people=[woman("w1")],
        cooperatives=[coop("H", positions=(("w1", "chair", None, None),))],
        events=[event("old", "2022-12-31", ("management",), ("w1",)),
                event("later", "2025-01-01", ("management",), ("w1",))])
    assert run(ds, "2024").result("CT5").numerator == 0  # 2022 is before 1/1/2023; 2025 > d
    assert run(ds, "2025").result("CT5").numerator == 1


def test_ct5_counts_htx_managers_only_and_management_is_a_setting() -> None:
    ds = dataset(
        people=[woman("lead"), woman("acc"), woman("chair")],
        cooperatives=[
            coop("T", kind="tht", positions=(("lead", "group_leader", None, None),)),
            coop("H", positions=(("acc", "accountant", None, None),
                                 ("chair", "chair", None, None))),
        ])
    # default set: the accountant is not management, the THT leader is no HTX manager
    assert run(ds, "2024").result("CT5").denominator_ids == ("chair",)
    # a province that counts accountants (An Giang's practice)
    wider = (*DEFAULT_MANAGEMENT_POSITIONS, "accountant")
    assert run(ds, "2024", management_positions=wider).result("CT5").denominator_ids == (
        "acc", "chair")


def test_inactive_cadres_leave_the_denominator() -> None:
    ds = dataset(people=[woman("a", "P"), woman("b", "P"), woman("c", "P")],
                 cadres=[cadre("left", "a", active_to="2024-06-30"),
                         cadre("stays", "b"),
                         cadre("future", "c", active_from="2025-01-01")],
                 events=[event("k", "2024-03-01", ("kttt_knowledge", "advocacy_skills"),
                               ("a",))])
    on_last_day = run(ds, on("2024-06-30"))  # still serving on the day her service ends
    assert (on_last_day.result("CT8").numerator, on_last_day.result("CT8").denominator) == (1, 2)
    year = run(ds, "2024")  # 31/12/2024: only "stays", untrained
    assert (year.result("CT8").numerator, year.result("CT8").denominator) == (0, 1)
    assert year.result("CT8").value == 0.0 and year.result("CT9").value == 0.0
    assert run(ds, "2025").result("CT9").denominator == 2  # "stays" and "future"


def test_one_person_with_two_cadre_records_counts_once() -> None:
    ds = dataset(people=[woman("a", "P")],
                 cadres=[cadre("x", "a", unit="P"), cadre("y", "a", unit="X1")])
    ct9 = run(ds, "2024").result("CT9")
    assert ct9.denominator == 1 and ct9.denominator_ids == ("x", "y")


# ------------------------------------------------------------------ cooperatives over time

def test_dissolved_cooperative_stops_counting_on_its_dissolution_date() -> None:
    ds = dataset(people=[woman("w")], cooperatives=[
        coop("H", status="dissolved", status_on="2025-07-01", supported="2020-01-01",
             positions=(("w", "chair", None, None),),
             yearly=(YearlyRec(2025, female_stable_jobs=4),))])
    assert values(run(ds, on("2025-06-30")))["CT1"] == 1
    assert values(run(ds, on("2025-06-30")))["CT3"] == 4
    assert values(run(ds, on("2025-07-01")))["CT1"] == 0
    assert values(run(ds, "2025"))["CT3"] == 0
    assert values(run(ds, "2025"))["CT5"] is None  # no active HTX left to manage


def test_suspended_cooperative_is_not_active_from_its_suspension() -> None:
    ds = dataset(people=[woman("w")], cooperatives=[
        coop("H", status="suspended", status_on="2025-03-01", supported="2020-01-01",
             positions=(("w", "chair", None, None),))])
    assert values(run(ds, "2024"))["CT1"] == 1
    assert values(run(ds, "2025"))["CT1"] == 0


def test_converted_tht_counts_as_htx_from_the_conversion_date() -> None:
    ds = dataset(people=[woman("w")], cooperatives=[
        coop("T", kind="tht", status="converted", status_on="2025-04-01", converted_to="H",
             supported="2020-01-01", positions=(("w", "group_leader", None, "2025-03-31"),),
             yearly=(YearlyRec(2025, workers_female=6),)),
        coop("H", founded="2025-04-01", supported="2025-04-01",
             positions=(("w", "chair", "2025-04-01", None),),
             yearly=(YearlyRec(2025, female_stable_jobs=6, new_female_jobs=1),)),
    ])
    before = values(run(ds, on("2025-03-31")))
    assert (before["CT1"], before["CT2"], before["CT3"], before["CT4"]) == (0, 1, 0, 6)
    after = values(run(ds, on("2025-04-01")))
    assert (after["CT1"], after["CT2"], after["CT3"], after["CT4"]) == (1, 0, 6, 0)
    year = run(ds, "2025")
    assert year.result("CT6").value == 1 and year.result("CT6").record_ids == ("H",)
    assert year.result("CT7").value == 1


def test_ct6_counts_new_htx_whether_or_not_they_still_exist() -> None:
    ds = dataset(people=[woman("w")], cooperatives=[
        coop("H", founded="2024-02-01", supported="2024-02-01", status="dissolved",
             status_on="2024-11-01", positions=(("w", "director", "2024-02-01", None),),
             yearly=(YearlyRec(2024, new_female_jobs=3),))])
    report = run(ds, "2024")
    assert values(report)["CT1"] == 0
    assert values(report)["CT6"] == 1 and values(report)["CT7"] == 3


def test_ct6_needs_a_woman_manager_on_the_founding_day() -> None:
    ds = dataset(people=[woman("w"), man("m")], cooperatives=[
        coop("H", founded="2024-02-01", supported="2024-02-01",
             positions=(("m", "chair", "2024-02-01", None),
                        ("w", "director", "2024-02-02", None)))])
    report = run(ds, "2024")
    assert values(report)["CT6"] == 0   # only a man on 1/2/2024
    assert values(report)["CT1"] == 1   # but women-managed on 31/12/2024


def test_ct7_is_a_flow_never_carried_forward() -> None:
    ds = dataset(people=[woman("w")], cooperatives=[
        coop("H", founded="2024-03-01", supported="2024-03-01",
             positions=(("w", "chair", "2024-03-01", None),),
             # a 2023 figure predates the HTX: not its jobs
             yearly=(YearlyRec(2023, new_female_jobs=9), YearlyRec(2024, new_female_jobs=6)))])
    r2025 = run(ds, "2025")
    # no 2025 figures: 0 new jobs in 2025 (the 2024 figure is not reused); phase total 6
    assert (r2025.result("CT7").value, r2025.result("CT7").cumulative) == (0, 6)
    assert r2025.result("CT6").value == 0 and r2025.result("CT6").cumulative == 1
    phase = run(ds, "phase1")
    assert (phase.result("CT7").value, phase.result("CT7").cumulative) == (6, 6)


def test_phase2_cumulates_from_2026_and_uses_2030_targets() -> None:
    ds = dataset(people=[woman("w")], cooperatives=[
        coop("A", founded="2025-05-01", supported="2025-05-01",
             positions=(("w", "chair", None, None),)),
        coop("B", founded="2027-05-01", supported="2027-05-01",
             positions=(("w", "chair", None, None),))])
    report = run(ds, "2028", targets={("CT6", 2025): 10.0, ("CT6", 2030): 12.0})
    ct6 = report.result("CT6")
    assert (ct6.value, ct6.cumulative, ct6.target) == (0, 1, 12.0)  # only B in phase 2


def test_manager_change_mid_year() -> None:
    woman_then_man = dataset(people=[woman("w"), man("m")], cooperatives=[
        coop("H", supported="2020-01-01", positions=(("w", "chair", "2020-01-01", "2025-06-30"),
                                                     ("m", "chair", "2025-07-01", None)))])
    assert values(run(woman_then_man, on("2025-06-30")))["CT1"] == 1
    assert values(run(woman_then_man, "2025"))["CT1"] == 0
    assert values(run(woman_then_man, "2025"))["CT5"] is None
    man_then_woman = dataset(people=[woman("w"), man("m")], cooperatives=[
        coop("H", supported="2020-01-01", positions=(("m", "chair", "2020-01-01", "2025-06-30"),
                                                     ("w", "chair", "2025-07-01", None)))])
    assert values(run(man_then_woman, on("2025-06-30")))["CT1"] == 0
    assert values(run(man_then_woman, "2025"))["CT1"] == 1
    assert run(man_then_woman, "2025").result("CT5").denominator == 1


def test_union_support_dated_after_d_does_not_count_yet() -> None:
    ds = dataset(people=[woman("w")], cooperatives=[
        coop("H", supported="2025-02-01", positions=(("w", "chair", None, None),)),
        coop("K", supported="", positions=(("w", "chair", None, None),))])  # date unknown
    assert run(ds, "2024").result("CT1").record_ids == ("K",)
    assert values(run(ds, "2025"))["CT1"] == 2


def test_latest_yearly_record_and_empty_fields_count_as_zero() -> None:
    ds = dataset(people=[woman("w")], cooperatives=[
        coop("H", positions=(("w", "chair", None, None),),
             yearly=(YearlyRec(2023, female_stable_jobs=5), YearlyRec(2024),
                     YearlyRec(2026, female_stable_jobs=50)))])
    assert values(run(ds, "2023"))["CT3"] == 5
    assert values(run(ds, "2024"))["CT3"] == 0  # empty in 2024: no looking back to 2023
    assert values(run(ds, "2025"))["CT3"] == 0  # 2025 uses 2024, the latest ≤ 2025
    assert values(run(ds, "2026"))["CT3"] == 50


def test_reorganisation_of_1_7_2025_old_and_new_units_in_one_tree() -> None:
    units = [UnitRec("19", "Tỉnh Thái Nguyên", "tinh", None),
             UnitRec("164", "Thành phố Thái Nguyên (cũ)", "huyen", "19"),
             UnitRec("05443", "Phường cũ", "xa", "164"),
             UnitRec("05500", "Phường mới", "xa", "19"),
             # the same code in both eras, listed twice: harmless
             UnitRec("05443", "Phường Phan Đình Phùng", "xa", "19")]
    ds = dataset(units=units, people=[woman("a", "05443"), woman("b", "05500")],
                 cooperatives=[
                     coop("OLD", unit="05443", supported="2023-01-01",
                          positions=(("a", "chair", None, None),)),
                     coop("NEW", unit="05500", founded="2025-08-01", supported="2025-08-01",
                          positions=(("b", "chair", "2025-08-01", None),))])
    period = parse_period("2024-2025")
    assert run(ds, period, unit="19").result("CT1").record_ids == ("NEW", "OLD")
    assert run(ds, period, unit="19").result("CT6").record_ids == ("NEW",)
    assert run(ds, period, unit="164").result("CT1").record_ids == ("OLD",)
    assert run(ds, period, unit="05500").result("CT1").record_ids == ("NEW",)


def test_many_jobs_flag_as_exported_or_rederived_with_a_rule() -> None:
    ds = dataset(people=[man("m")], cooperatives=[
        # 12 women of 20 regular workers (60 %): the default rule says yes, the flag says no
        coop("H", positions=(("m", "director", None, None),),
             yearly=(YearlyRec(2024, workers=20, workers_female=12, female_stable_jobs=8),))])
    assert values(run(ds, "2024"))["CT3"] == 0
    assert values(run(ds, "2024", many_jobs_rule=ManyJobsRule()))["CT3"] == 8
    stricter = ManyJobsRule(small_share=0.7)
    assert values(run(ds, "2024", many_jobs_rule=stricter))["CT3"] == 0


@pytest.mark.parametrize(("women", "workers", "expected"), [
    (10, 19, True),     # 10 women, 52.6 %
    (10, 20, False),    # exactly 50 % is not over half
    (9, 10, False),     # fewer than 10 women
    (100, 199, True),   # 100 women is still the small band
    (100, 250, False),  # 40 %: not over half
    (101, 300, True),   # over 100 women, 33.7 %
    (101, 400, False),  # 25 %
    (None, 30, False),
    (5, 0, False),      # no worker count: the rule cannot say yes
])
def test_derives_many_jobs_default_rule(women: int | None, workers: int,
                                        expected: bool) -> None:
    assert derives_many_jobs(YearlyRec(2024, workers=workers, workers_female=women)) is expected


def test_derives_many_jobs_without_figures() -> None:
    assert derives_many_jobs(None) is False


# ------------------------------------------------------------------ arithmetic and periods

@pytest.mark.parametrize(("n", "d", "expected"), [
    (2, 3, 66.7), (1, 8, 12.5), (1, 16, 6.3), (1, 3, 33.3), (3, 2000, 0.2), (7, 80, 8.8),
    (0, 5, 0.0), (5, 5, 100.0), (1, 0, None), (0, 0, None),
])
def test_percent_rounds_half_up_to_one_decimal(n: int, d: int, expected: float | None) -> None:
    assert percent(n, d) == expected


def test_half_up_through_the_engine_1_of_16_is_6_3() -> None:
    people = [woman(f"p{i}", "P") for i in range(16)]
    ds = dataset(people=people, cadres=[cadre(f"c{i}", f"p{i}") for i in range(16)],
                 events=[event("adv", "2024-05-01", ("advocacy_skills",), ("p0",))])
    assert values(run(ds, "2024"))["CT9"] == 6.3  # 100 × 1/16 = 6.25 → 6.3


@pytest.mark.parametrize(("text", "label", "start", "end"), [
    ("2025", "2025", date(2025, 1, 1), date(2025, 12, 31)),
    ("2023-2025", "2023-2025", date(2023, 1, 1), date(2025, 12, 31)),
    (" 2023–2025 ", "2023-2025", date(2023, 1, 1), date(2025, 12, 31)),
    ("2024-2024", "2024", date(2024, 1, 1), date(2024, 12, 31)),
    ("phase1", "2023-2025", date(2023, 1, 1), date(2025, 12, 31)),
    ("PHASE2", "2026-2030", date(2026, 1, 1), date(2030, 12, 31)),
])
def test_parse_period(text: str, label: str, start: date, end: date) -> None:
    assert parse_period(text) == Period(label, start, end)


@pytest.mark.parametrize("text", ["", "abc", "25", "2025/2026", "2026-2023", "phase3",
                                  "2025-13", "2023 - 2025 - 2027", "phase 1", "Q1/2025"])
def test_parse_period_refuses_with_a_vietnamese_message(text: str) -> None:
    with pytest.raises(ValueError, match="không hợp lệ") as info:
        parse_period(text)
    assert f"“{text}”" in str(info.value)
    assert "phase1 hoặc phase2" in str(info.value)


@pytest.mark.parametrize("text", ["1999", "2022", "2031", "2022-2024", "2029-2031",
                                  "2025-2101"])
def test_parse_period_refuses_years_outside_the_scheme_naming_the_range(text: str) -> None:
    with pytest.raises(ValueError) as info:
        parse_period(text)
    assert str(info.value) == (
        f"Kỳ báo cáo “{text}” nằm ngoài các năm của Đề án: chỉ nhận các năm từ 2023 đến 2030 "
        "(một năm, một khoảng năm trong đó, phase1 hoặc phase2).")


def test_scheme_years_until_caps_the_pickers_years() -> None:
    assert list(scheme_years_until(date(2022, 5, 1))) == [2023]
    assert list(scheme_years_until(date(2026, 12, 6))) == [2023, 2024, 2025, 2026]
    assert list(scheme_years_until(date(2033, 1, 1)))[-1] == 2030
    assert check_scheme_years(parse_period("2030")).label == "2030"


def test_phase_of_and_years() -> None:
    assert phase_of(parse_period("2024")) == (date(2023, 1, 1), 2025)
    assert phase_of(parse_period("phase1")) == (date(2023, 1, 1), 2025)
    assert phase_of(parse_period("2026-2030")) == (date(2026, 1, 1), 2030)
    assert phase_of(parse_period("2027-2028")) == (date(2026, 1, 1), 2030)
    assert phase_of(Period("2020", date(2020, 1, 1), date(2020, 12, 31))) == (
        date(2023, 1, 1), 2025)
    assert years(parse_period("2023-2025")) == [2023, 2024, 2025]
    assert parse_period("2025").title == "năm 2025"
    assert parse_period("phase1").title == "giai đoạn 2023–2025"
