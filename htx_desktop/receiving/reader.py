"""Open and verify a report package (docs/INTERFACES.md §2) as untrusted input.

Everything here is self-contained: the ZIP's structure, the manifest's format and major
version (checked before the schema, so a 2.x package is refused as "made by a newer version"),
the manifest's signature (format 1.1; whose key it is, is the importer's check), each entry's
SHA-256 and size, both schemas, the period, and the indicators recomputed from the
package's own records. Where the package may go (below the home unit) is the importer's check.

Bounded work on hostile input: at most a handful of entries, each read as a stream with a hard
cap on its size and on its inflation ratio, so a ZIP bomb is refused after reading a few
megabytes whatever its headers claim, in constant memory.
"""

from __future__ import annotations

import contextlib
import hashlib
import re
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from htx_desktop.domain.indicators import compute_indicators
from htx_desktop.domain.periods import Period, parse_period
from htx_desktop.domain.records import Dataset
from htx_desktop.i18n import t
from htx_desktop.os_errors import os_error_text
from htx_desktop.receiving.limits import LimitExceeded, check_entry, check_zip_layout, loads_json
from htx_desktop.receiving.schemas import validate_data, validate_manifest
from htx_desktop.reports.document_checks import check_document
from htx_desktop.reports.errors import PackageError
from htx_desktop.reports.package import DATA, FORMAT, MANIFEST, PDF, WORKBOOK
from htx_desktop.reports.signing import SigningError, fingerprint, manifest_signer

PERSONAL = "personal.enc"
ALLOWED = frozenset({MANIFEST, DATA, WORKBOOK, PDF, PERSONAL})
MB = 1024 * 1024
# Hard caps on inflated sizes: far above a real national package, far below a bomb.
MAX_ENTRY = {MANIFEST: 1 * MB, DATA: 50 * MB, WORKBOOK: 50 * MB, PDF: 50 * MB,
             PERSONAL: 50 * MB}
MAX_TOTAL = 200 * MB
# JSON deflates 10–30×; past 200× (and past 1 MB) an entry is a bomb, not a report.
MAX_RATIO = 200
RATIO_FLOOR = 1 * MB
_CHUNK = 256 * 1024
# Indicator fields recomputed on import; `target` is the sender's own and not a record.
_COMPARED = ("value", "numerator", "denominator", "cumulative")


class PackageRefused(PackageError):
    """A received package is refused; `reason` is the Vietnamese reason, the message adds
    the file's name."""

    def __init__(self, file_name: str, reason: str, sha256: str | None = None) -> None:
        super().__init__(t("Gói {file} bị từ chối: {reason}", file=file_name, reason=reason))
        self.file_name = file_name
        self.reason = reason
        self.sha256 = sha256


@dataclass(frozen=True)
class ReadPackage:
    """A package that passed every self-contained check."""

    path: Path
    sha256: str
    manifest: dict[str, Any]
    dataset: Dataset
    indicators: dict[str, Any]
    period: Period
    # The sealed names (personal.enc) exactly as checked against the manifest, or None: the
    # importer opens them only when the officer gives the private key (issue 7).
    personal: bytes | None = None
    # The raw Ed25519 key whose signature over the manifest was checked (format 1.1), or None
    # for an unsigned 1.0 package. Who that key belongs to is the importer's check.
    signer: bytes | None = None

    @property
    def signer_fingerprint(self) -> str | None:
        return fingerprint(self.signer) if self.signer is not None else None

    @property
    def unit_code(self) -> str:
        return str(self.manifest["unit"]["code"])

    @property
    def unit_name(self) -> str:
        return str(self.manifest["unit"]["name"])

    @property
    def version(self) -> int:
        return int(self.manifest["version"])

    @property
    def file_name(self) -> str:
        return self.path.name


def preload() -> None:
    """Import jsonschema and build both validators now (they are lazy: slow to import).

    Call on the main thread before reading packages in a worker thread: a module imported for
    the first time in a worker can crash a PySide6 program (its import hook is not
    thread-safe)."""
    for check in (validate_manifest, validate_data):
        # An empty object is invalid, as it should be: what matters is the validator built.
        with contextlib.suppress(PackageError):
            check({})


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(1024 * 1024):
            digest.update(chunk)
    return digest.hexdigest()


def read_package(path: Path) -> ReadPackage:
    """Verify the package at `path`; raise PackageRefused with the reason otherwise."""
    path = Path(path)
    try:
        sha = file_sha256(path)
    except OSError as exc:
        raise PackageRefused(path.name, _unreadable(exc)) from exc
    try:
        return _read(path, sha)
    except PackageRefused:
        raise
    except PackageError as exc:  # a schema violation from receiving.schemas
        raise PackageRefused(path.name, str(exc), sha) from exc
    except LimitExceeded as exc:
        raise PackageRefused(path.name, str(exc), sha) from exc
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as exc:
        raise PackageRefused(path.name, _not_a_zip(path) or t(
            "tệp ZIP bị hỏng hoặc không trọn vẹn (có thể tải về chưa xong); hãy đề nghị đơn "
            "vị gửi lại."), sha) from exc
    except Exception as exc:  # any other failure refuses this one file alone
        raise PackageRefused(path.name, _unexpected(exc), sha) from exc


def _unexpected(exc: BaseException) -> str:
    return t("gói không đọc được ({error}); gói không được nhận, hãy đề nghị đơn vị xuất lại "
             "gói.", error=type(exc).__name__)


def _unreadable(exc: OSError) -> str:
    if isinstance(exc, FileNotFoundError):
        return t("không tìm thấy tệp này; hãy kiểm tra lại tên tệp và thư mục.")
    if isinstance(exc, IsADirectoryError):
        return t("đây là một thư mục, không phải tệp; hãy chọn tệp gói báo cáo (.zip) trong đó.")
    if isinstance(exc, PermissionError):
        return t("không có quyền đọc tệp này; hãy chép tệp ra thư mục của mình rồi thử lại.")
    return t("không đọc được tệp ({error}).", error=os_error_text(exc))


def _not_a_zip(path: Path) -> str | None:
    """Why a file that ZIP cannot open is not a package at all (empty, or not a ZIP: a ZIP
    starts with "PK"); None when it looks like a ZIP cut short or damaged."""
    try:
        with path.open("rb") as fh:
            head = fh.read(4)
    except OSError:
        return None
    if not head:
        return t("tệp rỗng (0 byte), không phải gói báo cáo; hãy đề nghị đơn vị gửi lại.")
    if not head.startswith(b"PK"):
        return t("tệp này không phải tệp ZIP nên không phải gói báo cáo (gói báo cáo là tệp "
                 ".zip do HTX Desktop xuất ra); hãy chọn đúng tệp.")
    return None


def _refuse(path: Path, sha: str, reason: str) -> PackageRefused:
    return PackageRefused(path.name, reason, sha)


def _read(path: Path, sha: str) -> ReadPackage:
    check_zip_layout(path)
    with zipfile.ZipFile(path) as zf:
        infos = _check_entries(path, sha, zf)
        budget = [MAX_TOTAL]
        manifest = _json(path, sha, _read_entry(path, sha, zf, infos[MANIFEST], budget)[0],
                         MANIFEST)
        _check_format(path, sha, manifest)
        validate_manifest(manifest)
        signer = _check_signature(path, sha, manifest)
        listed = set(manifest["files"])
        present = set(infos) - {MANIFEST}
        if listed != present:
            raise _refuse(path, sha, t(
                "danh sách tệp trong manifest.json không khớp nội dung gói (thiếu hoặc thừa: "
                "{names}).", names=", ".join(sorted(listed ^ present))))
        if (PERSONAL in present) != bool(manifest["includes_personal_names"]):
            raise _refuse(path, sha, t("tệp personal.enc không khớp với khai báo "
                                       "includes_personal_names của manifest.json."))
        raw_data, personal = b"", None
        for name in sorted(present):
            raw, digest = _read_entry(path, sha, zf, infos[name], budget)
            expected = manifest["files"][name]
            if digest != expected["sha256"] or len(raw) != expected["bytes"]:
                raise _refuse(path, sha, t(
                    "tệp {name} trong gói không khớp mã kiểm tra (SHA-256) ghi trong "
                    "manifest.json: gói đã bị sửa hoặc hỏng khi gửi.", name=name))
            if name in (WORKBOOK, PDF):
                check_document(name, raw)  # plain documents only (issue 20)
            if name == DATA:
                raw_data = raw
            elif name == PERSONAL:
                personal = raw
    data = _json(path, sha, raw_data, DATA)
    validate_data(data)
    return _check_content(path, sha, manifest, data, personal, signer)


def _check_signature(path: Path, sha: str, manifest: dict[str, Any]) -> bytes | None:
    """The key that signed the manifest (checked), None for an unsigned 1.0 package. From
    format 1.1 on a package must be signed; a signature that does not match is refused
    whatever the format says."""
    try:
        signer = manifest_signer(manifest)
    except SigningError as exc:
        raise _refuse(path, sha, exc.user_message) from exc
    minor = int(str(manifest["format_version"]).split(".")[1])
    if signer is None and minor >= 1:
        raise _refuse(path, sha, t("gói định dạng {version} phải có chữ ký của đơn vị gửi nhưng "
                                   "không có: gói đã bị sửa hoặc không phải do chương trình "
                                   "tạo ra.", version=manifest["format_version"]))
    return signer


def _check_entries(path: Path, sha: str, zf: zipfile.ZipFile) -> dict[str, zipfile.ZipInfo]:
    infos = zf.infolist()
    if any(info.filename == "[Content_Types].xml" for info in infos):
        raise _refuse(path, sha, t(
            "tệp này là tài liệu Excel hoặc Word (.xlsx, .docx), không phải gói báo cáo; bảng "
            "tính được nhập bằng «Nhập dữ liệu từ bảng tính» hoặc lệnh import-sheet."))
    if len(infos) > len(ALLOWED):
        raise _refuse(path, sha, t("gói có quá nhiều tệp ({count}).", count=len(infos)))
    seen: dict[str, zipfile.ZipInfo] = {}
    for info in infos:
        name = info.filename
        if ("/" in name or "\\" in name or name.startswith(("/", "\\")) or ".." in name
                or re.match(r"^[A-Za-z]:", name)):
            raise _refuse(path, sha, t(
                "gói có tệp nằm trong thư mục hoặc đường dẫn không hợp lệ ({name}); mọi tệp "
                "phải nằm ngay ở gốc gói.", name=name))
        if name in seen:
            raise _refuse(path, sha, t("gói có hai tệp cùng tên {name}.", name=name))
        if name not in ALLOWED:
            raise _refuse(path, sha, t(
                "gói có tệp không được phép ({name}); chỉ nhận manifest.json, data.json, "
                "bao-cao.xlsx, bao-cao.pdf và personal.enc.", name=name))
        check_entry(info, MAX_ENTRY[name], MAX_RATIO, RATIO_FLOOR)
        seen[name] = info
    for needed in (MANIFEST, DATA):
        if needed not in seen:
            raise _refuse(path, sha, t("gói thiếu tệp {name}.", name=needed))
    return seen


def _too_big(name: str) -> str:
    return t("tệp {name} giải nén vượt quá giới hạn cho phép (có thể là tệp nén độc hại); "
             "gói không được nhận.", name=name)


def _read_entry(path: Path, sha: str, zf: zipfile.ZipFile, info: zipfile.ZipInfo,
                budget: list[int]) -> tuple[bytes, str]:
    """The entry's bytes and SHA-256, read as a stream and cut off at the caps (whatever the
    headers claim)."""
    cap = min(MAX_ENTRY[info.filename], budget[0])
    ratio_cap = max(RATIO_FLOOR, MAX_RATIO * max(info.compress_size, 1))
    digest = hashlib.sha256()
    parts: list[bytes] = []
    total = 0
    stream: IO[bytes]
    with zf.open(info) as stream:
        while chunk := stream.read(_CHUNK):
            total += len(chunk)
            if total > cap or total > ratio_cap:
                raise _refuse(path, sha, _too_big(info.filename))
            digest.update(chunk)
            parts.append(chunk)
    budget[0] -= total
    return b"".join(parts), digest.hexdigest()


def _json(path: Path, sha: str, raw: bytes, name: str) -> Any:
    try:
        return loads_json(raw)
    except LimitExceeded as exc:
        raise _refuse(path, sha, t("tệp {name}: {reason}", name=name, reason=str(exc))) from exc
    except (UnicodeDecodeError, ValueError) as exc:
        raise _refuse(path, sha, t("tệp {name} không phải JSON UTF-8 hợp lệ.",
                                   name=name)) from exc


def _check_format(path: Path, sha: str, manifest: Any) -> None:
    """Format and major version before the schema: a 2.x package gets the right message."""
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise _refuse(path, sha, t("đây không phải gói báo cáo của HTX Desktop."))
    version = manifest.get("format_version")
    m = re.fullmatch(r"(\d+)\.(\d+)", version) if isinstance(version, str) else None
    if m is None:
        raise _refuse(path, sha, t("phiên bản định dạng gói không hợp lệ."))
    if int(m[1]) >= 2:
        raise _refuse(path, sha, t("Gói được tạo bởi phiên bản mới hơn của chương trình; "
                                   "hãy cập nhật HTX Desktop."))
    if int(m[1]) != 1:
        raise _refuse(path, sha, t("phiên bản định dạng gói không được hỗ trợ."))


def _check_content(path: Path, sha: str, manifest: dict[str, Any],
                   data: dict[str, Any], personal: bytes | None = None,
                   signer: bytes | None = None) -> ReadPackage:
    label = manifest["period"]["label"]
    try:
        period = parse_period(label)
    except ValueError as exc:
        raise _refuse(path, sha, t("kỳ báo cáo “{label}” không hợp lệ.", label=label)) from exc
    if (manifest["period"]["start"], manifest["period"]["end"]) != (
            period.start.isoformat(), period.end.isoformat()):
        raise _refuse(path, sha, t("ngày đầu và cuối kỳ trong manifest.json không khớp kỳ "
                                   "báo cáo {label}.", label=label))
    indicators = data["indicators"]
    unit_code = str(manifest["unit"]["code"])
    if str(indicators.get("unit")) != unit_code or indicators.get("period") != {
            "start": period.start.isoformat(), "end": period.end.isoformat()}:
        raise _refuse(path, sha, t("chỉ tiêu trong data.json không cùng đơn vị hoặc cùng kỳ "
                                   "với manifest.json."))
    try:
        dataset = Dataset.from_json(data)
        positions = manifest["management_positions"]
        # The sender's own counting rule: its figures are checked as it counted them.
        report = (compute_indicators(dataset, unit_code, period, management_positions=positions)
                  if positions else compute_indicators(dataset, unit_code, period))
    except (KeyError, ValueError, TypeError) as exc:
        raise _refuse(path, sha, t("số liệu trong data.json không đọc được ({error}).",
                                   error=type(exc).__name__)) from exc
    mine = {r["code"]: r for r in report.to_json()["indicators"]}
    for given in indicators.get("indicators", []):
        own = mine.get(given.get("code"))
        if own is None:
            continue
        for key in _COMPARED:
            if _num(given.get(key)) != _num(own.get(key)):
                raise _refuse(path, sha, t(
                    "chỉ tiêu {code} ghi trong gói ({given}) không khớp với số liệu tính lại "
                    "từ chính các bản ghi của gói ({own}); hãy đề nghị đơn vị xuất lại gói.",
                    code=given.get("code"), given=given.get(key), own=own.get(key)))
    return ReadPackage(path, sha, manifest, dataset, indicators, period, personal, signer)


def _num(value: Any) -> Any:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) \
        else value
