"""The application icon, from the shipped PNGs (no SVG icon engine needed).

Apart from app.py so that the About dialog can show it without importing the application
module (which imports the window, which imports the About dialog).
"""

from __future__ import annotations

from PySide6.QtGui import QIcon

ICON_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def app_icon() -> QIcon:
    from inspector.core.sources import resources_dir

    icon = QIcon()
    folder = resources_dir() / "icons"
    for size in ICON_SIZES:
        path = folder / f"token-inspector-{size}.png"
        if path.is_file():
            icon.addFile(str(path))
    return icon
