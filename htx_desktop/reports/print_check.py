"""Check a printed report against the packages received (issue 22): the text of its QR code
(scanned, or typed from the caption) → was that exact package received, is it the latest
version of its unit and period, and its headline figures."""

from __future__ import annotations

import json
import re
import zlib
from dataclasses import dataclass, field
from datetime import UTC
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from htx_desktop.i18n import t
from htx_desktop.reports.print_code import PrintCode, parse
from htx_desktop.store.models import Submission, SubmissionData, Unit


@dataclass
class PrintCheck:
    code: PrintCode | None
    received: bool = False
    latest: bool = False
    latest_version: int | None = None
    unit_name: str = ""
    received_at: str = ""
    headline: list[tuple[str, str]] = field(default_factory=list)  # (label, value)
    message: str = ""

    def to_json(self) -> dict[str, Any]:
        return {"valid": self.code is not None, "received": self.received,
                "latest": self.latest, "latest_version": self.latest_version,
                "unit": self.code.unit_code if self.code else None,
                "unit_name": self.unit_name,
                "period": self.code.period if self.code else None,
                "version": self.code.version if self.code else None,
                "data_sha256": self.code.data_sha256 if self.code else None,
                "received_at": self.received_at,
                "headline": dict(self.headline), "message": self.message}


def _label(period_label: str) -> str:
    return re.sub(r"[^0-9A-Za-z-]+", "-", period_label).strip("-").upper()


def _data_sha(manifest: dict[str, Any]) -> str:
    files = manifest.get("files") or {}
    entry = files.get("data.json") or {}
    return str(entry.get("sha256") or "").lower()


def check_print(session: Session, text: str) -> PrintCheck:
    code = parse(text)
    if code is None:
        return PrintCheck(None, message=t(
            "Không phải mã kiểm tra bản in của chương trình (mã bắt đầu bằng “HTXBC:1:”): "
            "hãy quét lại mã QR hoặc gõ đủ dòng chữ."))
    subs = session.scalars(select(Submission).join(Unit, Submission.unit_id == Unit.id).where(
        Unit.code == code.unit_code)).all()
    same_period = [s for s in subs if _label(str(s.period)) == code.period]
    out = PrintCheck(code)
    if same_period:
        out.unit_name = same_period[0].unit.name
        out.latest_version = max(s.version for s in same_period if s.status == "accepted") \
            if any(s.status == "accepted" for s in same_period) else None
    match = next((s for s in same_period if s.version == code.version
                  and _data_sha(s.manifest) == code.data_sha256), None)
    if match is None:
        version_only = any(s.version == code.version for s in same_period)
        what = dict(unit=code.unit_code, period=code.period, version=code.version)
        out.message = (t(
            "Bản in này KHÔNG khớp với gói báo cáo nào đã nhận: đơn vị {unit}, kỳ {period}, "
            "phiên bản {version} đã nhận nhưng số liệu khác (mã số liệu không trùng).", **what)
            if version_only else t(
            "Bản in này KHÔNG khớp với gói báo cáo nào đã nhận: đơn vị {unit}, kỳ {period}, "
            "phiên bản {version} chưa được nhận.", **what))
        if out.latest_version:
            out.message += " " + t("Phiên bản mới nhất đã nhận: {version}.",
                                   version=out.latest_version)
        return out
    out.received = True
    out.latest = match.status == "accepted" and match.version == out.latest_version
    if match.received_at is not None:  # stored in UTC; shown in the PC's time
        when = match.received_at
        aware = when if when.tzinfo else when.replace(tzinfo=UTC)
        out.received_at = aware.astimezone().strftime("%d/%m/%Y %H:%M")
    out.headline = _headline(session, match)
    what = dict(name=out.unit_name, unit=code.unit_code, period=match.period,
                version=code.version, received=out.received_at)
    out.message = (t(
        "Bản in khớp với gói báo cáo đã nhận: {name} ({unit}), kỳ {period}, phiên bản "
        "{version}, nhận ngày {received}; là phiên bản mới nhất của đơn vị và kỳ này.", **what)
        if out.latest else t(
        "Bản in khớp với gói báo cáo đã nhận: {name} ({unit}), kỳ {period}, phiên bản "
        "{version}, nhận ngày {received}; KHÔNG phải phiên bản mới nhất (phiên bản mới nhất: "
        "{latest}).", latest=out.latest_version, **what))
    return out


def _headline(session: Session, sub: Submission) -> list[tuple[str, str]]:
    """CT1–CT9 of exactly that package's data, as the report's table writes them."""
    from htx_desktop.domain.periods import parse_period
    from htx_desktop.domain.records import Dataset
    from htx_desktop.reports.figures import indicators_for_unit
    from htx_desktop.reports.wording import fmt_value

    raw = session.scalar(select(SubmissionData.data).where(
        SubmissionData.submission_id == sub.id))
    if raw is None:
        return []
    try:
        period = parse_period(str(sub.period))
    except ValueError:
        return []
    data = Dataset.from_json(json.loads(zlib.decompress(raw)))
    report = indicators_for_unit(session, sub.unit_id, period, data).to_json()
    return [(str(i["code"]), fmt_value(str(i["code"]), i.get("value")))
            for i in report.get("indicators", ())]
