"""Withdraw an accepted submission (issue 19 point 4): a package that should never have been
accepted (a forgery found out by phone, a wrong file) is taken back.

Decisions, written once here:
- Only the version currently in use for its unit and period can be withdrawn (an older one is
  already superseded). Its records leave the tables, its status becomes "withdrawn", and the
  unit's previous imported version of the period (if any) is restored from the data.json kept
  with it (table submission_data): its records come back into the tables and it is the
  accepted one again, so the period's figures are exactly that version's.
- A withdrawn version is never accepted again: the row stays, so the same file is refused as
  withdrawn and another file with the same version number as "already received"; the unit
  sends a higher version.
- One transaction after one backup; logged in the audit log with the reason and the officer.
- Names opened from the previous version are not kept across a supersede; after the restore,
  importing that version's file again with the private key opens them again.
"""

from __future__ import annotations

import json
import zlib
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from htx_desktop.domain.records import Dataset
from htx_desktop.i18n import t
from htx_desktop.receiving.importer import (
    WITHDRAWN,
    backup_before_change,
    flag_duplicates,
    ids_in_use,
    replace_same_unit_records,
    unit_ids_of,
)
from htx_desktop.receiving.importer_rows import (
    delete_submission_records,
    insert_package,
    package_ids,
)
from htx_desktop.receiving.reader import PackageRefused
from htx_desktop.reports.errors import PackageError
from htx_desktop.reports.unit_keys import officer_name
from htx_desktop.store.engine import Database
from htx_desktop.store.models import AuditEntry, Submission, SubmissionData, Unit
from htx_desktop.store.reference import descendant_units
from htx_desktop.store.settings import home_unit
from htx_desktop.store.unit_eras import scope_units


@dataclass(frozen=True)
class Withdrawn:
    unit_code: str
    unit_name: str
    period: str
    version: int
    restored_version: int | None

    def describe(self) -> str:
        if self.restored_version is None:
            return t("Đã rút phiên bản {version} của {unit} kỳ {period}; đơn vị này chưa có "
                     "phiên bản nào khác được nhận cho kỳ này.", version=self.version,
                     unit=f"{self.unit_code} – {self.unit_name}", period=self.period)
        return t("Đã rút phiên bản {version} của {unit} kỳ {period}; phiên bản {restored} được "
                 "dùng lại.", version=self.version, unit=f"{self.unit_code} – {self.unit_name}",
                 period=self.period, restored=self.restored_version)


def withdraw_submission(db: Database, *, unit_code: str, period: str, version: int,
                        reason: str) -> Withdrawn:
    """Withdraw the unit's version `version` of `period`; PackageError (Vietnamese) if it
    cannot be, with nothing changed."""
    reason = reason.strip()
    if not reason:
        raise PackageError(t("Cần ghi lý do rút gói (ví dụ: gói giả mạo, đơn vị gửi nhầm)."))
    with db.session() as session:
        sub = _find(session, unit_code, period, version)
    if db.data_dir is not None:
        backup_before_change(db)
    with db.session() as session:
        sub = _find(session, unit_code, period, version)
        unit = session.get(Unit, sub.unit_id)
        assert unit is not None
        delete_submission_records(session, sub.id)
        sub.status = WITHDRAWN
        previous = session.scalars(select(Submission).where(
            Submission.unit_id == unit.id, Submission.period == period,
            Submission.status == "superseded", Submission.version < version)
            .order_by(Submission.version.desc())).first()
        restored = None
        if previous is not None:
            _restore(session, unit, previous)
            restored = previous.version
        session.add(AuditEntry(
            officer=officer_name(db, session), action="withdraw", table_name="submissions",
            record_id=str(sub.id), reason=reason,
            changes={"unit": [unit.code, unit.code], "period": [period, period],
                     "status": ["accepted", WITHDRAWN], "version": [version, restored]}))
        session.flush()
        return Withdrawn(unit.code, unit.name, period, version, restored)


def _find(session: Session, unit_code: str, period: str, version: int) -> Submission:
    home = home_unit(session)
    if home is None:
        raise PackageError(t("Chưa chọn đơn vị sử dụng chương trình (lệnh init)."))
    below = [u.id for u in descendant_units(session, home.id, include_self=False)
             if u.code == unit_code]
    rows = list(session.scalars(select(Submission).where(
        Submission.unit_id.in_(below), Submission.period == period)
        .order_by(Submission.version)))
    sub = next((s for s in rows if s.version == version), None)
    if sub is None:
        raise PackageError(t("Không có gói phiên bản {version} của đơn vị {unit} cho kỳ {period} "
                             "trong các gói đã nhận.", version=version, unit=unit_code,
                             period=period))
    if sub.status == WITHDRAWN:
        raise PackageError(t("Phiên bản {version} của đơn vị {unit} kỳ {period} đã được rút "
                             "trước đây.", version=version, unit=unit_code, period=period))
    if sub.status != "accepted":
        current = next((s.version for s in rows if s.status == "accepted"), None)
        raise PackageError(t("Phiên bản {version} của đơn vị {unit} kỳ {period} đã được phiên "
                             "bản {current} thay thế: chỉ rút được phiên bản đang dùng.",
                             version=version, unit=unit_code, period=period,
                             current=current if current is not None else "?"))
    return sub


def _restore(session: Session, unit: Unit, sub: Submission) -> None:
    """The records of an earlier accepted version back into the tables, from its data.json."""
    raw = session.scalar(select(SubmissionData.data).where(
        SubmissionData.submission_id == sub.id))
    if raw is None:  # a package stored before data.json was kept (older database)
        raise PackageError(t(
            "Không khôi phục được phiên bản {version}: cơ sở dữ liệu không còn giữ dữ liệu của "
            "gói đó (gói nhận bằng phiên bản cũ của chương trình). Hãy nhập lại gói đó sau khi "
            "rút.", version=sub.version))
    dataset = Dataset.from_json(json.loads(zlib.decompress(raw)))
    unit_ids = unit_ids_of(session, scope_units(session, unit.id))
    ids = package_ids(dataset)
    replace_same_unit_records(session, unit, sub.period, dataset, ids, unit_ids)
    if ids_in_use(session, ids):
        raise PackageError(t(
            "Không khôi phục được phiên bản {version}: một số bản ghi của nó nay đã có trong cơ "
            "sở dữ liệu từ nơi khác. Không có gì thay đổi.", version=sub.version))
    trashed = flag_duplicates(session, dataset, unit_ids, sub.id)
    try:
        insert_package(session, dataset, sub.id, unit_ids, trashed)
    except PackageRefused as exc:
        raise PackageError(t("Không khôi phục được phiên bản {version}: {reason}",
                             version=sub.version, reason=exc.reason)) from exc
    sub.status = "accepted"
