"""The periods a unit exports and follows, as the officer reads them (the export page and the
sent packages' panel both list them)."""

from __future__ import annotations

from datetime import date

from htx_desktop.domain.periods import scheme_years_until
from htx_desktop.i18n import t


def period_choices(today: date) -> list[tuple[str, str]]:
    """(period text for parse_period, what the officer sees): the years, then the phases."""
    years = [(str(y), t("Năm {year}", year=y)) for y in reversed(scheme_years_until(today))]
    return [*years, ("phase1", t("Giai đoạn 2023–2025")), ("phase2", t("Giai đoạn 2026–2030"))]
