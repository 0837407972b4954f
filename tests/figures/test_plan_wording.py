"""Each indicator's label is the plan's own text (issue 18, point 7), the same in the window,
the workbook, the PDF and the command line, in the version of the phase whose targets apply;
plan line III.1's yearly target (at least 02 new women-led HTX a year) is shown beside CT6."""

from __future__ import annotations

from datetime import date

from pytestqt.qtbot import QtBot

from htx_desktop.domain.indicators import INDICATOR_CODES, IndicatorReport, IndicatorResult
from htx_desktop.domain.periods import parse_period
from htx_desktop.reports.dashboard import DashboardData
from htx_desktop.reports.labels import indicator_name, plan_text
from htx_desktop.reports.report_text import indicator_rows
from htx_desktop.reports.wording import PHASE_FLOW_CODES, indicator_text

# The plan's objectives (Đề án, I.2 "Mục tiêu cụ thể"), as the seed document writes them.
PLAN_2025 = (
    "Củng cố, nâng cao chất lượng và hiệu quả hoạt động 50 HTX trở lên, 50 tổ hợp tác (THT) "
    "trở lên do phụ nữ tham gia quản lý điều hành được các cấp Hội hỗ trợ thành lập. Tạo việc "
    "làm ổn định 550 thành viên trở lên là lao động nữ trong HTX, 400 lao động nữ trong THT. "
    "100% nữ quản lý của HTX (Chủ tịch, thành viên Hội đồng quản trị HTX; Giám đốc, Tổng Giám "
    "đốc HTX, thành viên Ban kiểm soát) được đào tạo, bồi dưỡng, nâng cao năng lực quản trị, "
    "điều hành phù hợp với hoạt động sản xuất, kinh doanh của HTX; Tư vấn, hỗ trợ thành lập "
    "mới 10 HTX do phụ nữ tham gia quản lý, điều hành; tạo nhiều việc làm cho lao động nữ; tạo "
    "việc làm mới cho ít nhất 150 lao động nữ. 100% cán bộ Hội LHPN làm công tác hỗ trợ phát "
    "triển KTTT, HTX được tập huấn kiến thức; ít nhất 80% cán bộ Hội LHPN các cấp được nâng cao "
    "kỹ năng tuyên truyền, vận động, hỗ trợ hội viên, phụ nữ tham gia phát triển KTTT, HTX.")
PLAN_2030 = (
    "Củng cố, nâng cao chất lượng và hiệu quả hoạt động cho 100 HTX trở lên, 100 THT trở lên "
    "được các cấp Hội hỗ trợ thành lập. Tạo việc làm ổn định cho ít nhất 700 thành viên, lao "
    "động nữ trong HTX, 500 lao động nữ trong THT . 100% nữ quản lý của HTX được đào tạo, bồi "
    "dưỡng, nâng cao năng lực quản trị, điều hành, phù hợp với hoạt động sản xuất, kinh doanh "
    "của HTX; Tư vấn, hỗ trợ thành lập mới 10 HTX do phụ nữ tham gia quản lý, điều hành; HTX "
    "tạo nhiều việc làm cho lao động nữ. 100% cán bộ Hội làm công tác hỗ trợ phát triển KTTT, "
    "HTX được tập huấn kiến thức; ít nhất 90% cán bộ Hội các cấp được bồi dưỡng, nâng cao kỹ "
    "năng tuyên truyền, vận động, hỗ trợ hội viên, phụ nữ tham gia phát triển KTTT, HTX.")


def _verbatim(label: str, plan: str) -> bool:
    """Every piece of the label between "…" is the plan's text (first letter's case aside)."""
    return all(piece[0].lower() + piece[1:] in plan or piece[0].upper() + piece[1:] in plan
               for piece in label.split(" … "))


def test_every_label_is_the_plans_own_text() -> None:
    for code in INDICATOR_CODES:
        assert _verbatim(plan_text(code, 2025), PLAN_2025), code
        if code != "CT7":  # the plan sets CT7 no 2030 target: its label says so
            assert _verbatim(plan_text(code, 2030), PLAN_2030), code
    assert "không đặt chỉ tiêu" in plan_text("CT7", 2030)
    assert indicator_text("CT7", date(2027, 12, 31)).endswith("(giai đoạn 2026–2030)")
    assert plan_text("CT1", 2030) == ("Củng cố, nâng cao chất lượng và hiệu quả hoạt động cho "
                                      "100 HTX trở lên … được các cấp Hội hỗ trợ thành lập")


def test_the_same_label_everywhere() -> None:
    for label, year in (("2025", 2025), ("2026", 2030), ("2026-2030", 2030)):
        end = parse_period(label).end
        for code in INDICATOR_CODES:
            text = plan_text(code, year)
            if code in PHASE_FLOW_CODES:  # counted over the phase: the printed label names it
                text += {2025: " (giai đoạn 2023–2025)", 2030: " (giai đoạn 2026–2030)"}[year]
            assert indicator_text(code, end) == text  # workbook and PDF
            assert indicator_name(code, year) == plan_text(code, year)  # window, command line
            row = indicator_rows({"indicators": [{"code": code, "value": 1}]}, end)[0]
            assert row[1].removesuffix(" (%)") == text  # the PDF's table


def _data(period: str, target_year: int) -> DashboardData:
    p = parse_period(period)
    results = tuple(IndicatorResult(c, 1, None, None, None, 1 if c in ("CT6", "CT7") else None)
                    for c in INDICATOR_CODES)
    report = IndicatorReport("19", p, results, (), date(p.end.year - 1, 1, 1), target_year)
    activity = {"new_women_led_htx": {"target_per_year": 2, "by_year": {
        str(p.end.year): {"founded": 1, "met": False}}}}
    return DashboardData(1, "Tỉnh", p, report, {}, {}, [], activity, {})


def test_the_card_names_the_phase_and_shows_iii1_beside_ct6(qtbot: QtBot) -> None:
    from htx_desktop.ui.indicator_card import IndicatorCard

    card = IndicatorCard("CT1")
    qtbot.addWidget(card)
    card.show_data(_data("2026", 2030))
    assert "cho 100 HTX trở lên … được các cấp Hội hỗ trợ thành lập" in card.name.text()
    card.show_data(_data("2025", 2025))
    assert "50 HTX trở lên" in card.name.text()
    assert not card.plan_line.isVisibleTo(card)
    ct6 = IndicatorCard("CT6")
    qtbot.addWidget(ct6)
    ct6.show_data(_data("2025", 2025))
    assert ct6.plan_line.isVisibleTo(ct6)
    assert ct6.plan_line.text() == ("Kế hoạch III.1: mỗi năm ít nhất 02 HTX mới do phụ nữ làm "
                                    "chủ — năm 2025: 1 (chưa đạt)")
