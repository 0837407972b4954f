"""The officer's own paragraphs of the formal report, per unit, period and section.

The export page saves them as they are typed (on a short timer); the package writer reads them
through `reports/export.py::narrative_of`. Every change is written to the audit log, so a report
that went up can be traced back to who wrote which paragraph and when.
"""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import select
from sqlalchemy.orm import Session

from htx_desktop.i18n import t
from htx_desktop.store.errors import StoreError
from htx_desktop.store.models import AuditEntry, Narrative

# The column sizes of `narratives`: a longer key would fail on the office server only.
_MAX_SECTION, _MAX_PERIOD = 40, 20
# A section is a few paragraphs; data.schema.json allows a package's sections this long.
MAX_TEXT = 20_000


def load_narrative(session: Session, unit_id: int, period_label: str) -> dict[str, str]:
    """{section: text} of a unit and period, empty sections included (as "")."""
    rows = session.scalars(select(Narrative).where(
        Narrative.unit_id == unit_id, Narrative.period == period_label)).all()
    return {r.section: r.text for r in rows}


def save_narrative(session: Session, unit_id: int, period_label: str,
                   texts: Mapping[str, str], officer: str) -> list[str]:
    """Store the given sections (others stay as they are) and return those that changed.

    A section whose text is unchanged writes nothing, not even an audit entry, so the page can
    save on every pause in typing without filling the log."""
    if not period_label or len(period_label) > _MAX_PERIOD:
        raise StoreError(t("Kỳ báo cáo không hợp lệ: {period}.", period=period_label))
    rows = {r.section: r for r in session.scalars(select(Narrative).where(
        Narrative.unit_id == unit_id, Narrative.period == period_label))}
    changed: list[str] = []
    for section, text in texts.items():
        if not section or len(section) > _MAX_SECTION:
            raise StoreError(t("Mục báo cáo không hợp lệ: {section}.", section=section))
        if len(text) > MAX_TEXT:
            raise StoreError(t("Nội dung mục báo cáo dài {length} ký tự, quá mức cho phép "
                               "({max} ký tự). Hãy rút gọn lại.", length=len(text),
                               max=MAX_TEXT))
        row = rows.get(section)
        old = row.text if row is not None else ""
        if text == old:
            continue
        if row is None:
            row = Narrative(unit_id=unit_id, period=period_label, section=section, text=text)
            session.add(row)
            session.flush()  # the id, for the audit entry
        else:
            row.text = text
        session.add(AuditEntry(
            officer=officer, action="update" if section in rows else "create",
            table_name=Narrative.__tablename__, record_id=str(row.id),
            changes={"period": period_label, "section": section, "text": [old, text]}))
        changed.append(section)
    session.flush()
    return changed
