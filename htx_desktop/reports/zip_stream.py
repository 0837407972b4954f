"""A ZIP entry written from pieces of bytes, as `ZipFile.writestr` writes it from one string.

The package's data.json and the workbook's sheets are produced in pieces so that no 100 MB
string is ever held (docs/performance.md). The pieces are gathered in a spooled temporary file —
in memory up to 32 MB, on disk beyond — so that the entry's size is known before it starts:
zipfile decides from the size whether an entry needs ZIP64 (over 2 GiB), exactly as `writestr`
does, and the entry's bytes are the same as `writestr`'s (the deflate stream does not depend on
how its input is cut; tests/reports compare them).
"""

from __future__ import annotations

import hashlib
import shutil
import tempfile
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from typing import IO

_IN_MEMORY = 32 * 1024 * 1024
_COPY = 1024 * 1024


@dataclass(frozen=True)
class Spooled:
    """Bytes gathered from pieces: where they are, how many, their SHA-256 (hex)."""

    file: IO[bytes]
    size: int
    sha256: str


def spool(chunks: Iterable[bytes]) -> Spooled:
    """`chunks` gathered and hashed; the caller closes `.file` (a temporary file: closing it
    deletes it)."""
    digest, size = hashlib.sha256(), 0
    file = tempfile.SpooledTemporaryFile(max_size=_IN_MEMORY)  # noqa: SIM115 - caller closes
    try:
        for chunk in chunks:
            digest.update(chunk)
            size += len(chunk)
            file.write(chunk)
    except BaseException:
        file.close()
        raise
    return Spooled(file, size, digest.hexdigest())


def write_spooled(zf: zipfile.ZipFile, info: zipfile.ZipInfo, data: Spooled) -> None:
    """Write `data` as the entry `info` of `zf`."""
    data.file.seek(0)
    info.file_size = data.size  # what writestr sets before opening the entry
    with zf.open(info, "w") as entry:
        shutil.copyfileobj(data.file, entry, _COPY)


def write_chunks(zf: zipfile.ZipFile, info: zipfile.ZipInfo, chunks: Iterable[bytes]
                 ) -> tuple[int, str]:
    """Write `chunks` as the entry `info` of `zf`; return its size and SHA-256 (hex)."""
    data = spool(chunks)
    try:
        write_spooled(zf, info, data)
    finally:
        data.file.close()
    return data.size, data.sha256
