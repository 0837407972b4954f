"""Where a digital signature's appearance goes on the report PDF: the PDF writer (`pdf.py`)
records it where the signer's space lands, the signing (`pdf_signing.py`) draws there."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SignatureBox:
    """Where the appearance goes: page index (0 = first) and a rectangle in PDF points."""
    page: int
    x1: float
    y1: float
    x2: float
    y2: float
