"""Render resources/icons/token-inspector.svg to the PNG sizes desktops use, and a Windows .ico.

Run after editing the SVG: ``.venv/bin/python packaging/make_icons.py``. The PNGs are committed
(the wheel and the bundle ship them; building needs no SVG renderer).
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ICONS = ROOT / "resources" / "icons"
SVG = ICONS / "token-inspector.svg"
SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def png_path(size: int) -> Path:
    return ICONS / f"token-inspector-{size}.png"


def main() -> int:
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    _app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    renderer = QSvgRenderer(str(SVG))
    if not renderer.isValid():
        print(f"cannot read {SVG}", file=sys.stderr)
        return 1
    for size in SIZES:
        image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(painter)
        painter.end()
        if not image.save(str(png_path(size))):
            print(f"cannot write {png_path(size)}", file=sys.stderr)
            return 1
    # Windows and macOS icons for the bundle (PyInstaller's icon=): Qt's ico/icns plugins
    # write the one image they are given; 256 px (Windows) and 512 px (macOS) scale down well.
    from PySide6.QtGui import QImageWriter

    writable = {bytes(f).decode() for f in QImageWriter.supportedImageFormats()}
    for suffix, size in (("ico", 256), ("icns", 512)):
        if suffix in writable:
            QImage(str(png_path(size))).save(str(ICONS / f"token-inspector.{suffix}"), suffix)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
