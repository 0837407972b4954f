"""Draw the program's icon with Qt (no image library needed) and save it as PNG and ICO.

    QT_QPA_PLATFORM=offscreen python tools/make_icon.py

Writes resources/icons/htx-desktop.png (256 px) and resources/icons/htx-desktop.ico (16–256 px,
each size drawn from the vector shapes rather than scaled, so the small ones stay crisp). The
ICO holds PNG-compressed images, which Windows reads since Vista; we assemble the container
ourselves because Qt's ICO writer stores only one size.
"""

from __future__ import annotations

import struct
import sys
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QGuiApplication, QImage, QLinearGradient, QPainter

ICON_DIR = Path(__file__).resolve().parent.parent / "resources" / "icons"
SIZES = (16, 24, 32, 48, 64, 128, 256)
ROSE_TOP, ROSE_BOTTOM = QColor("#d81b60"), QColor("#8e1450")


def draw(size: int) -> QImage:
    """A rose rounded square with three white figures: women working together."""
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    p = QPainter(image)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.scale(size / 64, size / 64)  # draw on a 64-unit grid
    gradient = QLinearGradient(0, 0, 0, 64)
    gradient.setColorAt(0, ROSE_TOP)
    gradient.setColorAt(1, ROSE_BOTTOM)
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(QBrush(gradient))
    p.drawRoundedRect(QRectF(1, 1, 62, 62), 13, 13)
    # Two side figures, slightly smaller and softer, then the front one.
    for cx, scale, alpha in ((17.5, 0.78, 215), (46.5, 0.78, 215), (32, 1.0, 255)):
        p.setBrush(QColor(255, 255, 255, alpha))
        head_r = 7.0 * scale
        head_y = 21.5 + (1 - scale) * 10
        p.drawEllipse(QPointF(cx, head_y), head_r, head_r)
        body_w, body_h = 26.0 * scale, 22.0 * scale
        body = QRectF(cx - body_w / 2, head_y + head_r + 2.5, body_w, body_h * 2)
        p.drawChord(body, 0, 180 * 16)  # upper half of an ellipse: shoulders
    p.end()
    return image


def png_bytes(image: QImage) -> bytes:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    buffer.close()
    return bytes(data.data())


def ico_bytes(images: list[tuple[int, bytes]]) -> bytes:
    """ICONDIR + ICONDIRENTRY per image + the PNG data (0 in a size byte means 256)."""
    header = struct.pack("<HHH", 0, 1, len(images))
    offset = len(header) + 16 * len(images)
    entries, blobs = b"", b""
    for size, png in images:
        side = 0 if size >= 256 else size
        entries += struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(png), offset)
        blobs += png
        offset += len(png)
    return header + entries + blobs


def main() -> int:
    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])  # noqa: F841 - fonts/paint
    ICON_DIR.mkdir(parents=True, exist_ok=True)
    images = [(size, png_bytes(draw(size))) for size in SIZES]
    (ICON_DIR / "htx-desktop.png").write_bytes(images[-1][1])
    (ICON_DIR / "htx-desktop.ico").write_bytes(ico_bytes(images))
    print(f"wrote {ICON_DIR / 'htx-desktop.png'} and .ico ({', '.join(map(str, SIZES))} px)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
