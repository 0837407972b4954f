"""The code printed on the formal report (issue 22): a QR code that ties a paper copy to the
package it came from, whatever was edited in the wording (the docx) — it identifies the data.

Text (QR alphanumeric mode, so that a version-5 code of 37 modules holds it at error
correction M):

    HTXBC:1:<unit code>:<period>:<package version>:<SHA-256 of data.json, hex>

"HTXBC" and the format number 1 first, so that a later format can be told apart. Upper case
throughout; `parse` takes any case and stray spaces (a code typed from the caption).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

PREFIX = "HTXBC"
FORMAT = 1
# Printed size: ≥ 2 cm at error correction M stays readable from an office laser printer.
SIZE_MM = 22.0
ERROR = "m"
_CODE = re.compile(r"^HTXBC:(\d+):([0-9A-Z-]{1,20}):([0-9A-Z-]{1,20}):(\d{1,6}):([0-9A-F]{64})$")


@dataclass(frozen=True)
class PrintCode:
    unit_code: str
    period: str  # the package's period label, "2023-2025" (an en dash is written "-")
    version: int
    data_sha256: str  # lower-case hex, as the manifest writes it

    def text(self) -> str:
        return (f"{PREFIX}:{FORMAT}:{self.unit_code.upper()}:{self.period.upper()}:"
                f"{self.version}:{self.data_sha256.upper()}")

    def caption(self) -> str:
        """The few characters printed beside the code for a reader without a scanner."""
        return (f"Mã kiểm tra bản in: {self.unit_code} · {self.period} · v{self.version} · "
                f"{self.data_sha256[:12].upper()}")


def make(unit_code: str, period_label: str, version: int, data_sha256: str) -> PrintCode:
    period = re.sub(r"[^0-9A-Za-z-]+", "-", period_label).strip("-")
    return PrintCode(str(unit_code), period, int(version), data_sha256.lower())


def parse(text: str) -> PrintCode | None:
    """The code in `text` (scanned or typed), or None when it is not one of ours."""
    cleaned = re.sub(r"\s+", "", text or "").upper()
    match = _CODE.match(cleaned)
    if match is None or int(match.group(1)) != FORMAT:
        return None
    return PrintCode(match.group(2), match.group(3), int(match.group(4)),
                     match.group(5).lower())


@cache
def matrix(text: str) -> tuple[tuple[bool, ...], ...]:
    """The code's modules, dark = True, without the quiet zone."""
    import segno

    qr = segno.make_qr(text, error=ERROR, boost_error=False)
    return tuple(tuple(bool(v) for v in row) for row in qr.matrix)


def png(text: str, scale: int = 10) -> bytes:
    """The code as a PNG with its quiet zone (for the Word copy)."""
    import io

    import segno

    out = io.BytesIO()
    segno.make_qr(text, error=ERROR, boost_error=False).save(out, kind="png", scale=scale,
                                                             border=4)
    return out.getvalue()


def flowable(text: str, size_pt: float) -> Any:
    """A reportlab flowable drawing the code `size_pt` square (modules only; the caller
    leaves the quiet zone around it)."""
    from reportlab.platypus import Flowable

    modules = matrix(text)

    class QR(Flowable):
        def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
            return size_pt, size_pt

        def draw(self) -> None:
            draw_matrix(self.canv, modules, 0, 0, size_pt)

    return QR()


def draw_matrix(canvas: Any, modules: tuple[tuple[bool, ...], ...], x: float, y: float,
                size: float) -> None:
    """Dark modules as filled squares, `size` square with its lower left at (x, y); runs of
    a row are drawn as one rectangle (no hairlines between modules)."""
    n = len(modules)
    step = size / n
    canvas.saveState()
    canvas.setFillColorRGB(0, 0, 0)
    for r, row in enumerate(modules):
        c = 0
        while c < n:
            if not row[c]:
                c += 1
                continue
            start = c
            while c < n and row[c]:
                c += 1
            canvas.rect(x + start * step, y + size - (r + 1) * step, (c - start) * step, step,
                        stroke=0, fill=1)
    canvas.restoreState()
