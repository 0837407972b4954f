"""Write a report package, format 1 (docs/INTERFACES.md §2): one ZIP with data.json, the workbook,
the PDF and, last, manifest.json with every other entry's checksum, signed with the unit's key
(format 1.1, reports/signing.py).

Pure: it takes plain inputs (a Dataset, the indicator and activity figures, the unit, the
officer) and touches no database; `reports/export.py` gathers those from the store.

Guarantees:
- atomic: the ZIP is built in a hidden temporary file beside its final name and renamed into
  place at the very end; on any failure nothing is left behind and PackageError says why;
- data.json carries no timestamp and no version, and its ZIP entry has a fixed date: the same
  records and period give a byte-identical data.json (and identical entry), export after export;
- both JSON files are validated against the schemas in resources/schemas before writing;
- no person's name, phone or ID number is written in clear: the Dataset has none. The only
  names are the officer's own (prepared_by, and the PDF's signer); people's names travel only
  sealed in `personal.enc`, when the caller passes one.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import re
import tempfile
import zipfile
from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

from htx_desktop import PROGRAM_NAME, __version__
from htx_desktop.domain.records import Dataset
from htx_desktop.gc_pause import gc_paused
from htx_desktop.receiving.schemas import validate_manifest
from htx_desktop.reports import print_code
from htx_desktop.reports.data_json import checked_chunks
from htx_desktop.reports.errors import PackageError
from htx_desktop.reports.report_text import (
    SUBJECT,
    ReportContent,
    body_blocks,
    indicator_rows,
)
from htx_desktop.reports.signing import UnitKey, sign_manifest
from htx_desktop.reports.wording import admin_date, fmt_date, period_title
from htx_desktop.reports.zip_stream import Spooled, spool, write_spooled

FORMAT = "htx-report-package"
FORMAT_VERSION = "1.1"  # 1.1: the manifest is signed with the unit's key (reports/signing.py)
UNSIGNED_FORMAT_VERSION = "1.0"  # written only without a key (tests, tools): never by export
DATA, WORKBOOK, PDF, MANIFEST = "data.json", "bao-cao.xlsx", "bao-cao.pdf", "manifest.json"
PERSONAL = "personal.enc"
# The earliest date a ZIP can hold: data.json's entry never changes with the export time.
FIXED_ZIP_DATE = (1980, 1, 1, 0, 0, 0)


def package_name(unit_code: str, period_label: str, version: int) -> str:
    """`BC-DA01_<unit code>_<period>_v<version>.zip`; "2023–2025" is written "2023-2025"."""
    label = re.sub(r"[^0-9A-Za-z-]+", "-", period_label).strip("-") or "ky"
    code = re.sub(r"[^0-9A-Za-z-]+", "-", unit_code)
    return f"BC-DA01_{code}_{label}_v{version}.zip"


def data_json_bytes(dataset: Dataset, indicators: Mapping[str, Any],
                    narrative: Mapping[str, Any] | None,
                    amendments: Sequence[Mapping[str, Any]] | None = None) -> bytes:
    """data.json as the package holds it (see `reports/data_json.py`; `write_package` streams
    it instead of holding it whole)."""
    return b"".join(checked_chunks(dataset, indicators, narrative, amendments))


def _title_case_first(name: str) -> str:
    """"Phường Phan Đình Phùng" → "phường Phan Đình Phùng", as running text writes a unit."""
    return name[:1].lower() + name[1:]


def _signer(prepared_by: Mapping[str, Any], signer: Mapping[str, str] | None
            ) -> tuple[str, str, str]:
    """Authority, position and name of the signature block. Without `signer`: the officer
    signs for the standing committee as chair, or on the chair's behalf as vice-chair; any
    other officer prepares the report for the chair, whose name is left to be written in."""
    if signer:
        return (signer.get("authority", "TM. BAN THƯỜNG VỤ"), signer.get("position", "CHỦ TỊCH"),
                signer.get("name", ""))
    position = str(prepared_by.get("position") or "").strip().lower()
    name = str(prepared_by.get("name") or "")
    if position == "chủ tịch":
        return "TM. BAN THƯỜNG VỤ", "CHỦ TỊCH", name
    if position == "phó chủ tịch":
        return "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", name
    return "TM. BAN THƯỜNG VỤ", "CHỦ TỊCH", ""


def _report_content(*, dataset: Dataset, indicators: Mapping[str, Any],
                    activity: Mapping[str, Any], unit: Mapping[str, Any], start: date, end: date,
                    prepared_by: Mapping[str, Any], narrative: Mapping[str, Any] | None,
                    place: str, report_number: int, created: date,
                    signer: Mapping[str, str] | None, parent_body: str | None,
                    issuing_body: str | None, recipients: Sequence[str] | None,
                    number_suffix: str) -> ReportContent:
    units = {u.code: u.name for u in dataset.units}
    parent_name = units.get(str(unit.get("parent_code") or ""))
    issuer = f"Hội LHPN {_title_case_first(str(unit['name']))}"
    title = period_title(start, end)
    if recipients is None:
        recipients = ([f"Ban Thường vụ Hội LHPN {_title_case_first(parent_name)} (b/c)"]
                      if parent_name else ["Đoàn Chủ tịch Trung ương Hội LHPN Việt Nam (b/c)"])
        recipients += [f"Cấp ủy, chính quyền {_title_case_first(str(unit['name']))} (b/c)"]
        if any(u.parent_code == unit["code"] for u in dataset.units):
            recipients += ["Hội LHPN các đơn vị trực thuộc"]
        recipients += ["Lưu: VT"]
    lines = [f"- {r.strip().rstrip(';.')};" for r in recipients]
    if lines:
        lines[-1] = lines[-1][:-1] + "."
    authority, position, signer_name = _signer(prepared_by, signer)
    return ReportContent(
        parent_body=parent_body or (f"HỘI LHPN {parent_name.upper()}" if parent_name
                                    else "HỘI LHPN VIỆT NAM"),
        issuing_body=issuing_body or f"HỘI LHPN {str(unit['name']).upper()}",
        # Decree 30: a number under 10 takes a leading zero.
        number=f"Số: {report_number:02d}/{number_suffix}",
        place_date=f"{place}, {admin_date(created)}",
        subject=f"{SUBJECT} {title}",
        blocks=body_blocks(indicators=indicators, activity=activity, narrative=narrative,
                           issuer_name=issuer, start=start, end=end),
        table_title=("BIỂU TỔNG HỢP KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU CỦA ĐỀ ÁN "
                     f"(đến ngày {fmt_date(end)})"),
        table_rows=indicator_rows(indicators, end),
        closing=f"Trên đây là báo cáo kết quả thực hiện Đề án {title} của {issuer}./.",
        authority=authority, position=position, signer_name=signer_name,
        recipients=lines)


def _check_inputs(indicators: Mapping[str, Any], unit: Mapping[str, Any], start: date,
                  end: date, version: int, report_number: int) -> None:
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise PackageError("Số phiên bản của gói báo cáo phải là số nguyên từ 1 trở lên.")
    if report_number < 1:
        raise PackageError("Số văn bản của báo cáo phải là số nguyên từ 1 trở lên.")
    if start > end:
        raise PackageError("Kỳ báo cáo không hợp lệ: ngày bắt đầu sau ngày kết thúc.")
    if str(indicators.get("unit")) != str(unit.get("code")):
        raise PackageError("Số liệu chỉ tiêu không phải của đơn vị lập báo cáo: hãy tính lại "
                           "chỉ tiêu cho đúng đơn vị rồi xuất lại.")
    period = indicators.get("period") or {}
    if (period.get("start"), period.get("end")) != (start.isoformat(), end.isoformat()):
        raise PackageError("Số liệu chỉ tiêu không cùng kỳ báo cáo: hãy tính lại chỉ tiêu cho "
                           "đúng kỳ rồi xuất lại.")


def _entry(name: str, when: tuple[int, int, int, int, int, int]) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=when)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.create_system = 3  # the same bytes whichever system writes the package
    info.external_attr = 0o644 << 16
    return info


def _write_zip(fh: Any, data: Spooled, entries: Mapping[str, bytes],
               manifest: Mapping[str, Any], stamp: tuple[int, int, int, int, int, int],
               signing_key: UnitKey | None = None) -> None:
    """The package into `fh`: data.json, then `entries`, then the manifest with every entry's
    checksum, signed with `signing_key` when given."""
    with zipfile.ZipFile(fh, "w") as zf:
        write_spooled(zf, _entry(DATA, FIXED_ZIP_DATE), data)
        files = {DATA: {"sha256": data.sha256, "bytes": data.size}}
        files.update({name: {"sha256": hashlib.sha256(raw).hexdigest(), "bytes": len(raw)}
                      for name, raw in entries.items()})
        full = {**manifest, "files": files}
        if signing_key is not None:
            full = sign_manifest(full, signing_key)
        validate_manifest(full)
        for name, raw in entries.items():
            zf.writestr(_entry(name, stamp), raw)
        zf.writestr(_entry(MANIFEST, stamp), json.dumps(
            full, ensure_ascii=False, indent=2, sort_keys=True).encode("utf-8") + b"\n")


@gc_paused()  # the data tree, the workbook's rows: see htx_desktop/gc_pause.py
def write_package(*, dataset: Dataset, indicators: Mapping[str, Any],
                  activity: Mapping[str, Any], unit: Mapping[str, Any], period_label: str,
                  period_start: date, period_end: date, version: int,
                  prepared_by: Mapping[str, Any], narrative: Mapping[str, Any] | None,
                  management_positions: Sequence[str], place: str, report_number: int,
                  out_dir: Path, created_at: datetime,
                  children: Sequence[Mapping[str, Any]] = (),
                  targets: Mapping[tuple[str, int], float] | None = None,
                  submissions: Sequence[Mapping[str, Any]] | None = None,
                  signer: Mapping[str, str] | None = None, parent_body: str | None = None,
                  issuing_body: str | None = None, recipients: Sequence[str] | None = None,
                  number_suffix: str = "BC-HPN",
                  amendments: Sequence[Mapping[str, Any]] | None = None,
                  personal: bytes | None = None,
                  encryption: Mapping[str, str] | None = None,
                  with_docx: bool = False,
                  signing_key: UnitKey | None = None,
                  sign_pdf: Callable[[bytes, Any, ReportContent], bytes] | None = None
                  ) -> Path:
    """Write `BC-DA01_<unit>_<period>_v<version>.zip` into `out_dir` and return its path.

    `indicators`: the `indicators --json` object of this unit and period; `activity`:
    `domain.activity.activity_figures(...)`; `unit`: {code, name, level, parent_code};
    `targets`: {(code, year): value} for the 2025/2030 columns of the workbook; `submissions`:
    `submissions --json` entries, shown when the unit has units below it; `created_at`: a naive
    value is taken as local time; `amendments`: see `data_json.data_tree`; `personal`: the sealed
    `personal.enc` (receiving/crypto.py), with `encryption` = {algorithm, recipient_fingerprint}
    for the manifest; `signing_key`: the unit's key (reports/signing.py): the manifest is
    signed and the package is format 1.1 (without it: an unsigned 1.0 package, which a
    receiving unit accepts only on explicit confirmation). `with_docx`: also write the report
    as Word beside the package, with the package's name and `.docx` (a convenience copy, not
    one of its checked files). `sign_pdf`: signs the PDF before its checksum is taken
    (`pdf_signing.pdf_signer`). Raises PackageError (Vietnamese) and leaves nothing behind.
    """
    out_dir = Path(out_dir)
    final = out_dir / package_name(str(unit.get("code")), period_label, version)
    tmp: Path | None = None
    word_copy: Path | None = None  # a Word copy written before its package was in place
    data: Spooled | None = None
    try:
        _check_inputs(indicators, unit, period_start, period_end, version, report_number)
        if (personal is None) != (encryption is None):
            raise PackageError("Thiếu thông tin mã hoá của danh sách họ tên: không xuất gói.")
        created = created_at if created_at.tzinfo else created_at.astimezone()
        # data.json first, checked list by list as it is made (reports/data_json.py): a
        # refusal comes before the workbook is made, and the document is never held whole.
        data = spool(checked_chunks(dataset, indicators, narrative, amendments))
        # Imported here, not at the top: openpyxl and reportlab are slow to import.
        from htx_desktop.reports.pdf import render_pdf
        from htx_desktop.reports.workbook import build_workbook

        has_children = any(u.parent_code == unit["code"] for u in dataset.units)
        workbook = build_workbook(
            dataset=dataset, indicators=indicators, activity=activity, unit=unit,
            period_label=period_label, period_start=period_start, period_end=period_end,
            management_positions=management_positions, targets=targets,
            submissions=submissions, with_submissions=has_children or bool(submissions))
        content = _report_content(
            dataset=dataset, indicators=indicators, activity=activity, unit=unit,
            start=period_start, end=period_end, prepared_by=prepared_by, narrative=narrative,
            place=place, report_number=report_number, created=created.date(), signer=signer,
            parent_body=parent_body, issuing_body=issuing_body, recipients=recipients,
            number_suffix=number_suffix)
        code = print_code.make(str(unit["code"]), period_label, version, data.sha256)
        layout: dict[str, Any] = {}
        pdf = render_pdf(content, title=f"Báo cáo {content.subject}",
                         author=content.issuing_body, print_code=code, layout=layout)
        if sign_pdf is not None:  # ký số: before the manifest's checksums
            pdf = sign_pdf(pdf, layout["signature_box"], content)
        entries = {WORKBOOK: workbook, PDF: pdf}
        if personal is not None:
            entries[PERSONAL] = personal
        manifest = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION if signing_key else UNSIGNED_FORMAT_VERSION,
            "program": {"name": PROGRAM_NAME, "version": __version__},
            "unit": {"code": str(unit["code"]), "name": unit["name"], "level": unit["level"]},
            "parent_code": unit.get("parent_code"),
            "period": {"label": period_label, "start": period_start.isoformat(),
                       "end": period_end.isoformat()},
            "version": version,
            "created_at": created.isoformat(timespec="seconds"),
            "prepared_by": {k: prepared_by.get(k) for k in ("name", "position", "phone")},
            "includes_personal_names": personal is not None,
            "children": [dict(c) for c in children],
            "management_positions": list(management_positions),
        }
        if encryption is not None:
            manifest["encryption"] = {"algorithm": encryption["algorithm"],
                                      "recipient_fingerprint": encryption["recipient_fingerprint"]}

        out_dir.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(prefix=".BC-DA01_", suffix=".part", dir=out_dir)
        tmp = Path(name)
        with os.fdopen(fd, "wb") as fh:
            _write_zip(fh, data, entries, manifest, created.timetuple()[:6], signing_key)
            fh.flush()
            os.fsync(fh.fileno())
        tmp.chmod(0o644)  # mkstemp makes it private; the package is an ordinary document
        if with_docx:
            from htx_desktop.reports.docx_report import render_docx

            word = render_docx(content, title=f"Báo cáo {content.subject}",
                               author=content.issuing_body, print_code=code)
            fd, name = tempfile.mkstemp(prefix=".BC-DA01_", suffix=".docx.part", dir=out_dir)
            docx_tmp = Path(name)
            try:
                with os.fdopen(fd, "wb") as fh:
                    fh.write(word)
                docx_tmp.chmod(0o644)
                os.replace(docx_tmp, final.with_suffix(".docx"))
                word_copy = final.with_suffix(".docx")
            finally:
                docx_tmp.unlink(missing_ok=True)
        os.replace(tmp, final)
        tmp = None
        word_copy = None  # it stays, beside its package
        return final
    except PackageError:
        raise
    except OSError as exc:
        if exc.errno == errno.ENOSPC:
            raise PackageError("Ổ đĩa đã đầy: hãy giải phóng dung lượng hoặc chọn thư mục "
                               "khác rồi xuất lại.") from exc
        raise PackageError(f"Không ghi được gói báo cáo vào thư mục {out_dir}: "
                           f"{exc.strerror or exc}.") from exc
    except Exception as exc:
        raise PackageError(f"Không tạo được gói báo cáo ({type(exc).__name__}: {exc}). "
                           "Hãy gửi tệp nhật ký cho bộ phận hỗ trợ.") from exc
    finally:
        if data is not None:
            data.file.close()
        if tmp is not None:
            tmp.unlink(missing_ok=True)
        if word_copy is not None:
            word_copy.unlink(missing_ok=True)
