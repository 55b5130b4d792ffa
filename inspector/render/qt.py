"""A Qt application for drawing with no window: the CLI has none, the GUI already has one."""

from __future__ import annotations

import os
import sys

from PySide6.QtGui import QGuiApplication

_app: QGuiApplication | None = None


def ensure_gui_application() -> None:
    """Fonts and painting need a QGuiApplication; make an offscreen one when none exists."""
    global _app
    if QGuiApplication.instance() is not None:
        return
    no_display = not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    if sys.platform.startswith("linux") and no_display:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # a server, CI: draw offscreen
    _app = QGuiApplication(["token-inspector"])
