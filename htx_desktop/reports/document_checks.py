"""The lower unit's bao-cao.xlsx and bao-cao.pdf inside a package must be plain documents
(issue 20): an officer opens them, so they may carry nothing that runs or fetches.

Workbook (read as ZIP + XML parts, never through Excel or openpyxl): no cell formula (`<f>`,
which is also how DDE is written: `=cmd|' /C calc'!A0`), no VBA project or macro sheet, no
external-link part (DDE links live there too), no ActiveX, OLE object or embedded file, no
external relationship other than a hyperlink, no macro-enabled content type.

PDF (read as bytes, with object streams inflated within a bound): no /JavaScript, /JS,
/Launch, /EmbeddedFile(s), /AA (additional actions), /RichMedia, /XFA, /SubmitForm,
/ImportData, /GoToR, /GoToE, no /OpenAction that is an action other than "go to a page", and
no encryption (its objects could not be read). Names are compared after undoing `#xx`
escapes, so `/J#61vaScript` is /JavaScript. A PDF signed by an officer (PAdES: a signature
field, /ByteRange, incremental updates) has none of these and passes.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib

from htx_desktop.i18n import t
from htx_desktop.receiving.limits import LimitExceeded, check_entry, escape_control

MAX_PARTS = 2_000
MAX_PART = 64 * 1024 * 1024
MAX_RATIO = 1_000
RATIO_FLOOR = 16 * 1024 * 1024
MAX_INFLATED = 64 * 1024 * 1024  # all the PDF's object streams together
_CHUNK = 1024 * 1024
_OVERLAP = 64

_FORBIDDEN_PARTS = (
    (re.compile(r"(^|/)vbaProject[^/]*\.bin$|(^|/)vbaData\.xml$", re.I), "macro (VBA)"),
    (re.compile(r"^xl/macrosheets/|^xl/dialogsheets/", re.I), "trang macro"),
    (re.compile(r"^xl/externalLinks/", re.I), "liên kết ngoài (external link, DDE)"),
    (re.compile(r"^xl/activeX/|^xl/ctrlProps/", re.I), "điều khiển ActiveX"),
    (re.compile(r"^xl/embeddings/|oleObject", re.I), "tệp hoặc đối tượng nhúng (OLE)"),
)
_FORMULA = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?f[\s/>]")
# elements only: text in a cell is escaped (`&lt;ddeLink`), so a name can never match
_DDE = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(?:ddeLink|oleLink)\b", re.I)
_EXTERNAL = re.compile(rb"<Relationship\b[^>]*>", re.I)
_MACRO_TYPE = re.compile(rb"macroEnabled|vbaProject", re.I)

_PDF_FORBIDDEN = {
    "JavaScript": "mã JavaScript", "JS": "mã JavaScript", "Launch": "lệnh chạy chương trình",
    "EmbeddedFile": "tệp đính kèm bên trong", "EmbeddedFiles": "tệp đính kèm bên trong",
    "AA": "hành động tự động", "RichMedia": "nội dung đa phương tiện chạy được",
    "XFA": "biểu mẫu XFA", "SubmitForm": "lệnh gửi biểu mẫu",
    "ImportData": "lệnh nhập dữ liệu", "GoToR": "liên kết tới tệp khác",
    "GoToE": "liên kết tới tệp nhúng", "Encrypt": "mã hoá (không kiểm tra được nội dung)",
}
_NAME = re.compile(rb"/([^\s/\[\]<>(){}%]*)")
_HEX = re.compile(rb"#([0-9A-Fa-f]{2})")
_ACTION_DICT = re.compile(rb"\s*(<<(?:[^<>]|<[^<]|>[^>]){0,4000}>>)")
_STREAM = re.compile(rb"(?<!end)stream\r?\n")
_OBJSTM = re.compile(rb"/Type\s*/ObjStm")


class DocumentRefused(LimitExceeded):
    """The workbook or PDF is not a plain document; `user_message` is the Vietnamese reason."""


def check_document(name: str, raw: bytes) -> None:
    """Raise DocumentRefused unless `raw` (the package's entry `name`) is a plain document."""
    if name.endswith(".xlsx"):
        check_workbook(raw, name)
    elif name.endswith(".pdf"):
        check_pdf(raw, name)


def _refused(name: str, what: str) -> DocumentRefused:
    return DocumentRefused(t(
        "tệp {name} trong gói không phải tài liệu thường: có {what}. HTX Desktop không xuất "
        "những nội dung này; gói không được nhận, hãy đề nghị đơn vị xuất lại gói.",
        name=name, what=what))


# ---------------------------------------------------------------- workbook


def check_workbook(raw: bytes, name: str = "bao-cao.xlsx") -> None:
    try:
        zf = zipfile.ZipFile(io.BytesIO(raw))
    except (zipfile.BadZipFile, ValueError) as exc:
        raise DocumentRefused(t("tệp {name} trong gói không phải bảng tính Excel (.xlsx) "
                                "đọc được.", name=name)) from exc
    with zf:
        infos = zf.infolist()
        if len(infos) > MAX_PARTS:
            raise _refused(name, t("quá nhiều phần ({count})", count=len(infos)))
        for info in infos:
            check_entry(info, MAX_PART, MAX_RATIO, RATIO_FLOOR)
            for pattern, what in _FORBIDDEN_PARTS:
                if pattern.search(info.filename):
                    raise _refused(name, t(what))
        for info in infos:
            part = info.filename
            if part == "[Content_Types].xml" and _scan(zf, info, _MACRO_TYPE):
                raise _refused(name, t("macro (tệp dạng .xlsm)"))
            if part.endswith(".rels"):
                _check_relationships(zf, info, name)
            elif part.endswith(".xml") and part.startswith("xl/"):
                if _scan(zf, info, _DDE):
                    raise _refused(name, t("liên kết DDE"))
                if (part.startswith(("xl/worksheets/", "xl/chartsheets/"))
                        and _scan(zf, info, _FORMULA)):
                    raise _refused(name, t("công thức trong ô (có thể chạy lệnh qua DDE)"))


def _scan(zf: zipfile.ZipFile, info: zipfile.ZipInfo, pattern: re.Pattern[bytes]) -> bool:
    """Whether `pattern` occurs in the part, read as a stream (bounded memory)."""
    tail = b""
    with zf.open(info) as stream:
        while chunk := stream.read(_CHUNK):
            if pattern.search(tail + chunk):
                return True
            tail = chunk[-_OVERLAP:]
    return False


def _check_relationships(zf: zipfile.ZipFile, info: zipfile.ZipInfo, name: str) -> None:
    if info.file_size > 4 * 1024 * 1024:
        raise _refused(name, t("danh sách liên kết quá lớn"))
    text = zf.read(info)
    for m in _EXTERNAL.finditer(text):
        tag = m.group(0)
        if re.search(rb'TargetMode\s*=\s*"External"', tag) and not re.search(
                rb'Type\s*=\s*"[^"]*/hyperlink"', tag):
            raise _refused(name, t("liên kết tới tệp hoặc địa chỉ bên ngoài"))


# ---------------------------------------------------------------- PDF


def check_pdf(raw: bytes, name: str = "bao-cao.pdf") -> None:
    if raw.lstrip()[:5] != b"%PDF-":
        raise DocumentRefused(t("tệp {name} trong gói không phải tệp PDF.", name=name))
    budget = [MAX_INFLATED]
    pos = 0
    # The objects' text is scanned; a stream's bytes (fonts, images, page drawing) are not:
    # compressed bytes could spell "/JS" by chance. Object streams (/Type /ObjStm) hold
    # objects themselves: they are inflated, within the budget, and scanned.
    for m in _STREAM.finditer(raw):
        if m.start() < pos:
            continue
        _check_pdf_text(raw[pos:m.start()], name)
        end = raw.find(b"endstream", m.end())
        end = len(raw) if end < 0 else end
        head = raw[max(pos, m.start() - 600):m.start()]
        dict_start = head.rfind(b"<<")
        if dict_start >= 0 and _OBJSTM.search(head[dict_start:]):
            body = raw[m.end():end]
            _check_pdf_text(_inflate(body, budget, name)
                            if b"/FlateDecode" in head[dict_start:] else body, name)
        pos = end
    _check_pdf_text(raw[pos:], name)


def _inflate(body: bytes, budget: list[int], name: str) -> bytes:
    inflater = zlib.decompressobj()
    try:
        out = inflater.decompress(body, budget[0] + 1)
    except zlib.error as exc:
        raise DocumentRefused(t("tệp {name} trong gói có phần nén bị hỏng.",
                                name=name)) from exc
    if len(out) > budget[0]:
        raise _refused(name, t("phần nén quá lớn (có thể là tệp nén độc hại)"))
    budget[0] -= len(out)
    return out


def _plain_name(token: bytes) -> str:
    return _HEX.sub(lambda m: bytes([int(m.group(1), 16)]), token).decode("latin-1")


def _check_pdf_text(text: bytes, name: str) -> None:
    for m in _NAME.finditer(text):
        token = m.group(1)
        if not token:
            continue
        plain = _plain_name(token) if b"#" in token else token.decode("latin-1")
        what = _PDF_FORBIDDEN.get(plain)
        if what is not None:
            raise _refused(name, f"{t(what)} (/{escape_control(plain)})")
        if plain == "OpenAction":
            _check_open_action(text, m.end(), name)


def _check_open_action(text: bytes, after: int, name: str) -> None:
    """An /OpenAction that goes to a page (`[3 0 R /Fit]`, or an indirect reference: the
    object it names is scanned as all others) is harmless; an inline action dictionary must
    be a plain /GoTo."""
    m = _ACTION_DICT.match(text, after)
    if m is None:
        return
    kind = re.search(rb"/S\s*/([^\s/\[\]<>(){}%]+)", m.group(1))
    if kind is None or _plain_name(kind.group(1)) != "GoTo":
        raise _refused(name, t("hành động tự chạy khi mở tệp (/OpenAction)"))
