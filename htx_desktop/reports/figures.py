"""The figures of a unit and period, from the database: one place that joins the store
(snapshot, settings, targets) and the Qt-free indicator engine. The command line, the window
and the package writer all come through here, so they can never disagree."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from htx_desktop.domain.indicators import IndicatorReport, activity_figures, compute_indicators
from htx_desktop.domain.periods import Period
from htx_desktop.domain.records import Dataset
from htx_desktop.store.models import Unit
from htx_desktop.store.settings import management_positions
from htx_desktop.store.snapshot import build_dataset
from htx_desktop.store.targets import targets_for
from htx_desktop.store.unit_eras import unit_key_of


def indicators_for_unit(session: Session, unit_id: int, period: Period,
                        dataset: Dataset | None = None) -> IndicatorReport:
    unit = session.get(Unit, unit_id)
    assert unit is not None
    data = dataset if dataset is not None else build_dataset(session, unit_id, period=period)
    return compute_indicators(data, unit_key_of(session, unit), period,
                              management_positions=management_positions(session),
                              targets=targets_for(session, unit_id))


def activity_for_unit(session: Session, unit_id: int, period: Period,
                      dataset: Dataset | None = None) -> dict[str, Any]:
    unit = session.get(Unit, unit_id)
    assert unit is not None
    data = dataset if dataset is not None else build_dataset(session, unit_id, period=period)
    return activity_figures(data, unit_key_of(session, unit), period)
