"""The dashboard's last figures, kept so the next start can show them at once.

A province's figures take about half a second to compute (a minute-long wait at twenty times
the data), and they are the window's first page. The page therefore shows the figures of its
last computation, marked as such, while it recomputes them; then it replaces them. The file
is only ever a preview: it is never read for a report, a package or a drill-down (the records
behind a figure are left out), and anything wrong with it — missing, damaged, from another
version or of other indicators, for another unit or period — just means no preview.

No SQLAlchemy and no Qt here: this is read before either is needed.
"""

from __future__ import annotations

import json
import os
import tempfile
from datetime import date, datetime
from pathlib import Path
from typing import Any

from htx_desktop import __version__
from htx_desktop.domain.indicators import INDICATOR_CODES, IndicatorReport, IndicatorResult
from htx_desktop.domain.periods import Period
from htx_desktop.reports.dashboard import DashboardData

CACHE_FILE = "dashboard.json"
_FORMAT = 1


def cache_path(cache_dir: Path) -> Path:
    return cache_dir / CACHE_FILE


def save_figures(cache_dir: Path, data: DashboardData, now: datetime | None = None) -> None:
    """Keep `data` (without record ids) for the next start; atomic, errors ignored (a
    preview is not worth a message: the figures on screen are already right)."""
    document = {"format": _FORMAT, "program": __version__,
                "computed_at": (now or datetime.now()).isoformat(timespec="seconds"),
                "data": _data_json(data)}
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(dir=cache_dir, prefix=".dashboard-", suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                json.dump(document, out, ensure_ascii=False, separators=(",", ":"))
            os.replace(temp, cache_path(cache_dir))
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise
    except OSError:
        pass


def load_figures(cache_dir: Path, unit_id: int, period_label: str
                 ) -> tuple[DashboardData, datetime] | None:
    """The kept figures of `unit_id` for `period_label` and when they were computed, or None."""
    try:
        document = json.loads(cache_path(cache_dir).read_text(encoding="utf-8"))
        if document.get("format") != _FORMAT or document.get("program") != __version__:
            return None
        data = _data_from(document["data"])
        if data.unit_id != unit_id or data.period.label != period_label:
            return None
        if tuple(r.code for r in data.report.results) != INDICATOR_CODES:
            return None  # an indicator was added or removed since: a card would lack it
        return data, datetime.fromisoformat(document["computed_at"])
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


# ---------------------------------------------------------------------------- to JSON


def _period_json(period: Period) -> list[str]:
    return [period.label, period.start.isoformat(), period.end.isoformat()]


def _report_json(report: IndicatorReport) -> dict[str, Any]:
    return {"unit": report.unit, "period": _period_json(report.period),
            "results": [[r.code, r.value, r.numerator, r.denominator, r.target, r.cumulative]
                        for r in report.results],
            "positions": list(report.management_positions),
            "phase_start": report.phase_start.isoformat(), "target_year": report.target_year}


def _data_json(data: DashboardData) -> dict[str, Any]:
    return {"unit_id": data.unit_id, "unit_name": data.unit_name,
            "period": _period_json(data.period), "report": _report_json(data.report),
            "targets": [[code, year, value] for (code, year), value in data.targets.items()],
            "yearly": [[year, _report_json(r)] for year, r in data.yearly.items()],
            "children": [[i, name, _report_json(r)] for i, name, r in data.children],
            "activity": data.activity, "plan_lines": data.plan_lines}


# ---------------------------------------------------------------------------- from JSON


def _period_from(value: list[str]) -> Period:
    label, start, end = value
    return Period(str(label), date.fromisoformat(start), date.fromisoformat(end))


def _report_from(value: dict[str, Any]) -> IndicatorReport:
    results = tuple(IndicatorResult(code=str(code), value=v, numerator=n, denominator=d,
                                    target=target, cumulative=cumulative)
                    for code, v, n, d, target, cumulative in value["results"])
    return IndicatorReport(unit=str(value["unit"]), period=_period_from(value["period"]),
                           results=results,
                           management_positions=tuple(value["positions"]),
                           phase_start=date.fromisoformat(value["phase_start"]),
                           target_year=int(value["target_year"]))


def _data_from(value: dict[str, Any]) -> DashboardData:
    return DashboardData(
        unit_id=int(value["unit_id"]), unit_name=str(value["unit_name"]),
        period=_period_from(value["period"]), report=_report_from(value["report"]),
        targets={(str(code), int(year)): float(target)
                 for code, year, target in value["targets"]},
        yearly={int(year): _report_from(r) for year, r in value["yearly"]},
        children=[(int(i), str(name), _report_from(r)) for i, name, r in value["children"]],
        activity=dict(value["activity"]),  # JSON-native already (it goes into data.json)
        plan_lines={str(k): str(v) for k, v in value["plan_lines"].items()})
