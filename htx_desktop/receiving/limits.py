"""Limits on a received package, checked before anything in it is decompressed or parsed
(issue 20): one hostile attachment is refused alone, quickly and in bounded memory.

- The ZIP's end-of-central-directory record is read from the file's tail before `zipfile`
  builds its list of entries: a package declaring 1,000,000 entries (or a central directory of
  megabytes) is refused without that list ever being built.
- Each entry's header: no encryption (`zipfile` would ask for a password), only "stored" or
  "deflate" (deflate64, bzip2, lzma, AES… are never produced by HTX Desktop), a declared size
  under the entry's cap and a declared expansion ratio under the reader's.
- JSON: integers of more than a few digits, NaN/Infinity and nesting deeper than any real
  package are refused while parsing.
- Text written to a log has its control characters escaped, so a newline in a file or entry
  name cannot forge a log line.
"""

from __future__ import annotations

import json
import math
import struct
import unicodedata
import zipfile
from pathlib import Path
from typing import Any

from htx_desktop.errors import Refusal
from htx_desktop.i18n import t

# A package has at most five entries; the central directory of five short names is < 1 KB.
MAX_ENTRIES = 16
MAX_CENTRAL_DIRECTORY = 64 * 1024
# The file itself: far above a province's package (a few MB), far below a disk filler.
MAX_PACKAGE_BYTES = 300 * 1024 * 1024
_EOCD = b"PK\x05\x06"
_EOCD64_LOCATOR = b"PK\x06\x07"
_EOCD64 = b"PK\x06\x06"
_TAIL = 22 + 65535 + 20  # the EOCD record, its longest comment, a ZIP64 locator
_METHODS = frozenset({zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED})
# JSON: the deepest real package nests 5 levels; integers never need more than 16 digits.
MAX_DEPTH = 64
MAX_INT_DIGITS = 18


class LimitExceeded(Refusal, ValueError):
    """A limit is exceeded; `user_message` is the Vietnamese reason. Still a ValueError, as
    the JSON reader's own refusals are."""


def check_zip_layout(path: Path, *, max_entries: int = MAX_ENTRIES,
                     max_directory: int = MAX_CENTRAL_DIRECTORY) -> None:
    """Raise LimitExceeded if the ZIP at `path` is too big or declares too many entries or too
    large a central directory (read from its tail only: bounded work whatever the file)."""
    size = path.stat().st_size
    if size > MAX_PACKAGE_BYTES:
        raise LimitExceeded(t("tệp quá lớn ({size} MB) so với một gói báo cáo (tối đa {max} "
                              "MB).", size=size // (1024 * 1024),
                              max=MAX_PACKAGE_BYTES // (1024 * 1024)))
    with path.open("rb") as fh:
        start = max(0, size - _TAIL)
        fh.seek(start)
        tail = fh.read()
        at = tail.rfind(_EOCD)
        if at < 0 or at + 22 > len(tail):
            return  # not a ZIP (or damaged): zipfile says so, with the reader's message
        (_sig, _disk, _cd_disk, _here, entries, cd_size, _cd_offset,
         _comment) = struct.unpack_from("<4s4H2LH", tail, at)
        locator = at - 20
        if locator >= 0 and tail[locator:locator + 4] == _EOCD64_LOCATOR:
            (offset64,) = struct.unpack_from("<Q", tail, locator + 8)
            if 0 <= offset64 <= size - 56:
                fh.seek(offset64)
                record = fh.read(56)
                if record[:4] == _EOCD64:
                    entries, cd_size = struct.unpack_from("<QQ", record, 32)
    if entries > max_entries:
        raise LimitExceeded(t("gói có quá nhiều tệp ({count}).", count=entries))
    if cd_size > max_directory:
        raise LimitExceeded(t("mục lục của tệp ZIP quá lớn ({size} byte): đây không phải gói "
                              "báo cáo do HTX Desktop xuất ra.", size=cd_size))


def check_entry(info: zipfile.ZipInfo, cap: int, max_ratio: int, ratio_floor: int) -> None:
    """Raise LimitExceeded if the entry cannot be read safely, from its header alone."""
    name = escape_control(info.filename)
    if info.flag_bits & 0x1:
        raise LimitExceeded(t("tệp {name} trong gói được mã hoá bằng mật khẩu; gói báo cáo "
                              "không bao giờ đặt mật khẩu cho tệp bên trong.", name=name))
    if info.compress_type not in _METHODS:
        raise LimitExceeded(t("tệp {name} trong gói được nén theo cách không được hỗ trợ "
                              "(mã {method}); gói báo cáo chỉ dùng cách nén thông thường "
                              "(deflate).", name=name, method=info.compress_type))
    if info.file_size > cap or info.file_size > max(
            ratio_floor, max_ratio * max(info.compress_size, 1)):
        raise LimitExceeded(t("tệp {name} giải nén vượt quá giới hạn cho phép (có thể là tệp "
                              "nén độc hại); gói không được nhận.", name=name))


def _parse_int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_INT_DIGITS:
        raise LimitExceeded(t("có số nguyên quá dài ({digits} chữ số).",
                              digits=len(text.lstrip("-"))))
    return int(text)


def _parse_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise LimitExceeded(t("có số quá lớn ({text}).", text=text[:20]))
    return value


def _parse_constant(text: str) -> Any:
    raise LimitExceeded(t("có giá trị không phải số ({text}).", text=text))


def _depth(value: Any, limit: int) -> None:
    """Raise LimitExceeded when `value` nests deeper than `limit` (iterative: no recursion)."""
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > limit:
            raise LimitExceeded(t("dữ liệu lồng nhau quá sâu (hơn {n} tầng).", n=limit))
        if isinstance(node, dict):
            stack.extend((v, depth + 1) for v in node.values() if isinstance(v, (dict, list)))
        elif isinstance(node, list):
            stack.extend((v, depth + 1) for v in node if isinstance(v, (dict, list)))


def loads_json(raw: bytes, *, max_depth: int = MAX_DEPTH) -> Any:
    """`raw` parsed as UTF-8 JSON within the limits above. LimitExceeded for a limit,
    ValueError (or UnicodeDecodeError) for text that is not JSON."""
    try:
        value = json.loads(raw.decode("utf-8"), parse_int=_parse_int, parse_float=_parse_float,
                           parse_constant=_parse_constant)
    except RecursionError as exc:  # the C parser recurses once per nesting level
        raise LimitExceeded(t("dữ liệu lồng nhau quá sâu (hơn {n} tầng).",
                              n=max_depth)) from exc
    _depth(value, max_depth)
    return value


def one_line(text: object) -> str:
    """`text` for display on one line: control and format characters escaped as in
    `escape_control`, backslashes left as they are (a Windows path stays readable)."""
    return "".join(escape_control(ch) if ch != "\\" else ch for ch in str(text))


def escape_control(text: object) -> str:
    """`text` with control and format characters (newline, carriage return, NUL, bidi
    overrides, line and paragraph separators…) written as \\xNN / \\uNNNN: safe on one log line."""
    out = []
    for ch in str(text):
        if ch == "\\":
            out.append("\\\\")
        elif unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp"):
            code = ord(ch)
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")
        else:
            out.append(ch)
    return "".join(out)
