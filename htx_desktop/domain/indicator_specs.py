"""The scheme's indicators, declared once: CT1–CT9, in the order every table lists them.

Everything that names, formats, targets or explains an indicator reads this module: the
engine's lists (`domain/indicators.py`: which codes, which are percentages, which are flows),
the report's wording (`reports/wording.py`) and the window's labels (`reports/labels.py`), the
dashboard's cards (`ui/indicator_card.py`) and its drill-down (`ui/drilldown.py`), the targets
(`store/targets.py`, `ui/pages/targets_page.py`), and the tests that hold the package schema
(`resources/schemas/data.schema.json`) and `resources/reference/targets.csv` to it
(`tests/domain/test_indicator_specs.py`). How each figure is counted is the engine's (one rule
per indicator in `domain/indicators.py`, defined in `docs/indicators.md`).

No Qt, no database, no translation here: the texts are Vietnamese, and each reader passes the
ones it shows through `i18n.t` (their English is in `resources/translations/en-*.json`).
To add an indicator, follow "Add an indicator" in `docs/CONTRIBUTING.md`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

__all__ = [
    "INDICATORS",
    "IndicatorSpec",
    "codes",
    "flow_codes",
    "percent_codes",
    "spec",
    "spec_or_none",
]

Measure = Literal["count", "percent"]
Timing = Literal["stock", "flow"]
# The records whose ids the engine gives with a figure (`IndicatorResult.record_ids`): the
# drill-down lists them (`ui/drilldown.py` maps each to its query and columns).
Records = Literal["cooperative", "person", "cadre"]


@dataclass(frozen=True)
class IndicatorSpec:
    """One indicator.

    - `code`: its code everywhere: data.json, the workbook, the PDF, targets.csv and the
      targets table (`Target.indicator`), the window.
    - `measure`: "percent" (a rate: numerator/denominator, one decimal, "%"; its targets are a
      rate for every unit and never summed) or "count" (a whole number; targets add up over the
      units below). targets.csv's `unit` column says the same.
    - `timing`: "stock" (counted on the last day d of the period) or "flow" (counted over the
      period and cumulatively from the start of its phase; progress uses the cumulative figure,
      and the printed label names the phase).
    - `labels`: target year of a phase (2025, 2030) → the plan's own words for the indicator
      in that phase (issue 18: "…" where the plan's sentence goes on about another indicator).
      A phase for which the plan sets no target has a label that says so.
    - `target_years`: the phases (by their last year) the plan sets a target for. The target
      is looked up by `code` and year: targets.csv has one row for each of these years, the
      targets table one per unit (province: loaded from targets.csv; below: allocated).
    - `records`: which records explain the figure (the drill-down).
    - `short_name`: chart titles, the chart's list of indicators, the drill-down's title.
    - `counted`: the card's line under the figure (what it counts).
    - `unit`: what a count counts in the report's sentences ("3 HTX"); "" for a percentage.
    - `noun`: a percentage's denominator, in the card's "244/307 nữ quản lý HTX".
    - `required_in_packages`: every package of format 1.x carries it (data.schema.json
      requires it). A new indicator stays False: packages of earlier versions lack it.
    """

    code: str
    measure: Measure
    timing: Timing
    labels: Mapping[int, str]
    target_years: tuple[int, ...]
    records: Records
    short_name: str
    counted: str
    unit: str = ""
    noun: str = ""
    required_in_packages: bool = False

    @property
    def is_percent(self) -> bool:
        return self.measure == "percent"

    @property
    def is_flow(self) -> bool:
        return self.timing == "flow"

    def label(self, target_year: int = 2025) -> str:
        """The plan's words for the phase whose targets apply (2025 or 2030); another year,
        the first phase's."""
        found = self.labels.get(target_year)
        return found if found is not None else self.labels[2025]


INDICATORS: tuple[IndicatorSpec, ...] = (
    IndicatorSpec(
        code="CT1", measure="count", timing="stock", records="cooperative",
        labels={
            2025: "Củng cố, nâng cao chất lượng và hiệu quả hoạt động 50 HTX trở lên … do "
                  "phụ nữ tham gia quản lý điều hành được các cấp Hội hỗ trợ thành lập",
            2030: "Củng cố, nâng cao chất lượng và hiệu quả hoạt động cho 100 HTX trở lên … "
                  "được các cấp Hội hỗ trợ thành lập"},
        target_years=(2025, 2030),
        short_name="HTX do phụ nữ quản lý được Hội hỗ trợ",
        counted="HTX đang hoạt động", unit="HTX", required_in_packages=True),
    IndicatorSpec(
        code="CT2", measure="count", timing="stock", records="cooperative",
        labels={
            2025: "Củng cố, nâng cao chất lượng và hiệu quả hoạt động … 50 tổ hợp tác (THT) "
                  "trở lên do phụ nữ tham gia quản lý điều hành được các cấp Hội hỗ trợ "
                  "thành lập",
            2030: "Củng cố, nâng cao chất lượng và hiệu quả hoạt động cho … 100 THT trở lên "
                  "được các cấp Hội hỗ trợ thành lập"},
        target_years=(2025, 2030),
        short_name="THT do phụ nữ quản lý được Hội hỗ trợ",
        counted="THT đang hoạt động", unit="THT", required_in_packages=True),
    IndicatorSpec(
        code="CT3", measure="count", timing="stock", records="cooperative",
        labels={
            2025: "Tạo việc làm ổn định 550 thành viên trở lên là lao động nữ trong HTX",
            2030: "Tạo việc làm ổn định cho ít nhất 700 thành viên, lao động nữ trong HTX"},
        target_years=(2025, 2030),
        short_name="Việc làm ổn định của lao động nữ trong HTX",
        counted="lao động nữ có việc làm ổn định", unit="lao động nữ",
        required_in_packages=True),
    IndicatorSpec(
        code="CT4", measure="count", timing="stock", records="cooperative",
        labels={
            2025: "Tạo việc làm ổn định … 400 lao động nữ trong THT",
            2030: "Tạo việc làm ổn định cho … 500 lao động nữ trong THT"},
        target_years=(2025, 2030),
        short_name="Lao động nữ trong THT",
        counted="lao động nữ trong THT", unit="lao động nữ", required_in_packages=True),
    IndicatorSpec(
        code="CT5", measure="percent", timing="stock", records="person",
        labels={
            2025: "100% nữ quản lý của HTX … được đào tạo, bồi dưỡng, nâng cao năng lực quản "
                  "trị, điều hành phù hợp với hoạt động sản xuất, kinh doanh của HTX",
            2030: "100% nữ quản lý của HTX được đào tạo, bồi dưỡng, nâng cao năng lực quản "
                  "trị, điều hành, phù hợp với hoạt động sản xuất, kinh doanh của HTX"},
        target_years=(2025, 2030),
        short_name="Nữ quản lý HTX được đào tạo (%)",
        counted="nữ quản lý HTX đã được đào tạo", noun="nữ quản lý HTX",
        required_in_packages=True),
    IndicatorSpec(
        code="CT6", measure="count", timing="flow", records="cooperative",
        labels={
            2025: "Tư vấn, hỗ trợ thành lập mới 10 HTX do phụ nữ tham gia quản lý, điều hành",
            2030: "Tư vấn, hỗ trợ thành lập mới 10 HTX do phụ nữ tham gia quản lý, điều hành"},
        target_years=(2025, 2030),
        short_name="HTX mới do phụ nữ quản lý",
        counted="HTX thành lập mới trong kỳ", unit="HTX", required_in_packages=True),
    IndicatorSpec(
        code="CT7", measure="count", timing="flow", records="cooperative",
        labels={
            2025: "Tạo việc làm mới cho ít nhất 150 lao động nữ",
            # The plan's 2030 objectives set CT7 no target: the label says so rather than
            # borrow the 2025 wording with its "at least 150".
            2030: "Tạo việc làm mới cho lao động nữ trong các HTX thành lập mới (Đề án không "
                  "đặt chỉ tiêu cho giai đoạn này)"},
        target_years=(2025,),
        short_name="Việc làm mới cho lao động nữ trong HTX mới",
        counted="việc làm mới trong kỳ", unit="lao động nữ", required_in_packages=True),
    IndicatorSpec(
        code="CT8", measure="percent", timing="stock", records="cadre",
        labels={
            2025: "100% cán bộ Hội LHPN làm công tác hỗ trợ phát triển KTTT, HTX được tập "
                  "huấn kiến thức",
            2030: "100% cán bộ Hội làm công tác hỗ trợ phát triển KTTT, HTX được tập huấn "
                  "kiến thức"},
        target_years=(2025, 2030),
        short_name="Cán bộ Hội phụ trách KTTT được tập huấn (%)",
        counted="cán bộ phụ trách KTTT đã được tập huấn", noun="cán bộ",
        required_in_packages=True),
    IndicatorSpec(
        code="CT9", measure="percent", timing="stock", records="cadre",
        labels={
            2025: "Ít nhất 80% cán bộ Hội LHPN các cấp được nâng cao kỹ năng tuyên truyền, "
                  "vận động, hỗ trợ hội viên, phụ nữ tham gia phát triển KTTT, HTX",
            2030: "Ít nhất 90% cán bộ Hội các cấp được bồi dưỡng, nâng cao kỹ năng tuyên "
                  "truyền, vận động, hỗ trợ hội viên, phụ nữ tham gia phát triển KTTT, HTX"},
        target_years=(2025, 2030),
        short_name="Cán bộ Hội được nâng cao kỹ năng (%)",
        counted="cán bộ Hội đã được bồi dưỡng kỹ năng", noun="cán bộ",
        required_in_packages=True),
)

_BY_CODE: dict[str, IndicatorSpec] = {s.code: s for s in INDICATORS}


def spec(code: str) -> IndicatorSpec:
    """The declared indicator; KeyError for a code that is none (III.1 is a plan line)."""
    return _BY_CODE[code]


def spec_or_none(code: str) -> IndicatorSpec | None:
    return _BY_CODE.get(code)


def codes() -> tuple[str, ...]:
    """Every indicator's code, in the declared order."""
    return tuple(s.code for s in INDICATORS)


def percent_codes() -> frozenset[str]:
    return frozenset(s.code for s in INDICATORS if s.is_percent)


def flow_codes() -> frozenset[str]:
    return frozenset(s.code for s in INDICATORS if s.is_flow)
