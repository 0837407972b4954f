"""Crafted hostile files for the receiving desk's tests (issue 20): packages whose ZIP headers,
JSON or documents are made to break the reader, built from a real package."""

from __future__ import annotations

import hashlib
import io
import json
import struct
import sys
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from htx_desktop.reports.signing import SIGNATURE, SIGNER, sign_manifest
from tests.reports.exchange_helpers import KEYS

DATA, MANIFEST, WORKBOOK, PDF = "data.json", "manifest.json", "bao-cao.xlsx", "bao-cao.pdf"


def _resigned(man: dict[str, Any]) -> dict[str, Any]:
    """The manifest signed again with its sender's key when the tests know it (issue 19), so
    that only the intended check fails, never the signature."""
    signer = KEYS.get(str((man.get(SIGNER) or {}).get("public_key")))
    return sign_manifest(man, signer) if signer is not None and SIGNATURE in man else man


def entries(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {i.filename: zf.read(i) for i in zf.infolist()}


def write_package(out: Path, files: dict[str, bytes], *, rehash: bool = True) -> Path:
    """`files` as a package, the manifest's checksums brought up to date (so only the
    intended check can fail)."""
    files = dict(files)
    if rehash:
        man = json.loads(files[MANIFEST])
        for name, raw in files.items():
            if name != MANIFEST:
                man["files"][name] = {"sha256": hashlib.sha256(raw).hexdigest(),
                                      "bytes": len(raw)}
        files[MANIFEST] = json.dumps(_resigned(man), ensure_ascii=False).encode()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name in [n for n in files if n != MANIFEST] + [MANIFEST]:
            zf.writestr(name, files[name])
    return out


def with_data(good: Path, out: Path, change: Callable[[dict[str, Any]], None]) -> Path:
    files = entries(good)
    data = json.loads(files[DATA])
    change(data)
    old = sys.get_int_max_str_digits()
    sys.set_int_max_str_digits(0)
    try:
        files[DATA] = json.dumps(data, ensure_ascii=False).encode()
    finally:
        sys.set_int_max_str_digits(old)
    return write_package(out, files)


def with_manifest(good: Path, out: Path, change: Callable[[dict[str, Any]], None]) -> Path:
    files = entries(good)
    write_package(out, files)  # checksums as they are
    files = entries(out)
    man = json.loads(files[MANIFEST])
    change(man)
    files[MANIFEST] = json.dumps(_resigned(man)).encode()
    return write_package(out, files, rehash=False)


def with_raw_entry(good: Path, out: Path, name: str, raw: bytes) -> Path:
    files = entries(good)
    files[name] = raw
    return write_package(out, files)


def _patch_headers(raw: bytes, name: str, patch: Callable[[bytearray, int, bool], None]
                   ) -> bytes:
    """Apply `patch(buffer, header offset, central?)` to each local and central header of the
    entry `name`."""
    out = bytearray(raw)
    target = name.encode()
    for sig, name_len_at, header_len, central in ((b"PK\x03\x04", 26, 30, False),
                                                  (b"PK\x01\x02", 28, 46, True)):
        i = 0
        while (i := out.find(sig, i)) >= 0:
            (length,) = struct.unpack_from("<H", out, i + name_len_at)
            if out[i + header_len:i + header_len + length] == target:
                patch(out, i, central)
            i += 4
    return bytes(out)


def flag_encrypted(good: Path, out: Path, name: str = DATA) -> Path:
    def patch(buf: bytearray, at: int, central: bool) -> None:
        offset = at + (8 if central else 6)
        (flags,) = struct.unpack_from("<H", buf, offset)
        struct.pack_into("<H", buf, offset, flags | 1)

    out.write_bytes(_patch_headers(good.read_bytes(), name, patch))
    return out


def set_method(good: Path, out: Path, method: int, name: str = DATA) -> Path:
    """The entry's compression method set to `method` (9: deflate64, 99: AES)."""
    def patch(buf: bytearray, at: int, central: bool) -> None:
        struct.pack_into("<H", buf, at + (10 if central else 8), method)

    out.write_bytes(_patch_headers(good.read_bytes(), name, patch))
    return out


def many_entries(out: Path, count: int) -> Path:
    """A real ZIP of `count` empty stored entries (ZIP64 end records when needed), written
    directly: zipfile would take minutes for a million."""
    local, central, offset = [], [], 0
    for i in range(count):
        name = b"%07d" % i
        header = struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, 0, 0, 0, 0, 0, 0, 0,
                             len(name), 0) + name
        central.append(struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 20, 20, 0, 0, 0, 0, 0, 0, 0,
                                   len(name), 0, 0, 0, 0, 0, offset) + name)
        local.append(header)
        offset += len(header)
    directory = b"".join(central)
    zip64 = struct.pack("<4sQ2H2L4Q", b"PK\x06\x06", 44, 45, 45, 0, 0, count, count,
                        len(directory), offset)
    locator = struct.pack("<4sLQL", b"PK\x06\x07", 0, offset + len(directory), 1)
    small = min(count, 0xFFFF)
    end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, small, small, len(directory),
                      offset, 0)
    out.write_bytes(b"".join(local) + directory + zip64 + locator + end)
    return out


def gigabyte_bomb(good: Path, out: Path, *, lie: bool) -> Path:
    """A package whose data.json inflates to 1 GiB of zeros (about 1 MB on disk). With `lie`
    its headers claim 30 KB, so only the reader's streaming cap can stop it."""
    size = 1 << 30
    deflate = zlib.compressobj(1, zlib.DEFLATED, -15)
    block = b"\0" * (1 << 20)
    parts, crc = [], 0
    for _ in range(size >> 20):
        parts.append(deflate.compress(block))
        crc = zlib.crc32(block, crc)
    parts.append(deflate.flush())
    body = b"".join(parts)
    files = entries(good)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for name in (WORKBOOK, PDF, MANIFEST):
            zf.writestr(name, files[name])
    claimed = 30_000 if lie else size
    # append data.json by hand: local header, body, then rebuild the central directory
    raw = buffer.getvalue()
    with zipfile.ZipFile(io.BytesIO(raw)) as zf:
        infos = zf.infolist()
    cd_start = raw.find(b"PK\x01\x02")
    head = raw[:cd_start]
    name = DATA.encode()
    local = struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, 0, 8, 0, 0, crc, len(body), claimed,
                        len(name), 0) + name
    entry_at = len(head)
    centrals = []
    for info in infos:
        n = info.filename.encode()
        centrals.append(struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 20, 20, 0, 8, 0, 0,
                                    info.CRC, info.compress_size, info.file_size, len(n), 0,
                                    0, 0, 0, 0, info.header_offset) + n)
    centrals.append(struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 20, 20, 0, 8, 0, 0, crc,
                                len(body), claimed, len(name), 0, 0, 0, 0, 0, entry_at) + name)
    directory = b"".join(centrals)
    offset = entry_at + len(local) + len(body)
    end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(centrals), len(centrals),
                      len(directory), offset, 0)
    out.write_bytes(head + local + body + directory + end)
    return out


# ---------------------------------------------------------------- documents


def workbook_with(good_xlsx: bytes, *, formula: str | None = None,
                  extra_parts: dict[str, bytes] | None = None) -> bytes:
    """The package's own workbook with a formula cell added to its first sheet and/or extra
    parts (a VBA project, an external link…)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(good_xlsx)) as src, \
            zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            raw = src.read(info)
            if formula is not None and info.filename == "xl/worksheets/sheet1.xml":
                cell = f'<c r="Z1"><f>{formula}</f><v>0</v></c>'.encode()
                raw = raw.replace(b"</row>", cell + b"</row>", 1)
            dst.writestr(info.filename, raw)
        for name, raw in (extra_parts or {}).items():
            dst.writestr(name, raw)
    return buffer.getvalue()


def pdf_with_open_action_js(good_pdf: bytes, *, obfuscate: bool = False,
                            in_object_stream: bool = False) -> bytes:
    """The package's own PDF with an incremental update adding an OpenAction running
    JavaScript (names `#xx`-escaped, or hidden inside a compressed object stream)."""
    js_name = b"/J#61vaScript" if obfuscate else b"/JavaScript"
    action = b"<< /S " + js_name + b" /JS (app.alert\\(1\\)) >>"
    if in_object_stream:
        objects = b"1 0 " + action
        body = zlib.compress(objects)
        obj = (b"90 0 obj\n<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length "
               + str(len(body)).encode() + b" >>\nstream\n" + body + b"\nendstream\nendobj\n")
    else:
        obj = b"90 0 obj\n<< /Type /Catalog /OpenAction " + action + b" >>\nendobj\n"
    return good_pdf + b"\n" + obj + b"trailer\n<< /Root 90 0 R >>\n%%EOF\n"


def pdf_signed_like_pades(good_pdf: bytes) -> bytes:
    """The package's own PDF with an incremental update as a PAdES signature makes it: an
    AcroForm with a signature field, a /Sig dictionary with /ByteRange and /Contents, a new
    xref section and a trailer with /Prev."""
    sig = (b"91 0 obj\n<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /ETSI.CAdES.detached "
           b"/ByteRange [0 1000 3000 500] /Contents <" + b"30" * 64 + b"> "
           b"/M (D:20260101090000+07'00') /Name (Nguyen Thi Hoa) /Reason (Ky duyet) >>\n"
           b"endobj\n"
           b"92 0 obj\n<< /FT /Sig /T (Signature1) /V 91 0 R /Type /Annot /Subtype /Widget "
           b"/Rect [0 0 0 0] /F 132 >>\nendobj\n"
           b"93 0 obj\n<< /Fields [92 0 R] /SigFlags 3 >>\nendobj\n")
    start = len(good_pdf) + 1
    xref = (b"xref\n91 3\n" + b"".join(b"%010d 00000 n \n" % (start + i) for i in range(3))
            + b"trailer\n<< /Size 94 /Prev 0 /AcroForm 93 0 R >>\nstartxref\n"
            + str(start + len(sig)).encode() + b"\n%%EOF\n")
    return good_pdf + b"\n" + sig + xref
