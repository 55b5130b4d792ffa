"""A Qt application for drawing with no window: the CLI has none, the GUI already has one."""

from __future__ import annotations

import os
import sys

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication

_app: QApplication | None = None


def ensure_gui_application() -> None:
    """Fonts and painting need a QGuiApplication; make one (offscreen without a display) when
    none exists. A QApplication, not a bare QGuiApplication: the process may go on to open
    widgets (the GUI, tests), and Qt allows one application object per process."""
    global _app
    if QGuiApplication.instance() is not None:
        return
    no_display = not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    if sys.platform.startswith("linux") and no_display:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # a server, CI: draw offscreen
    _app = QApplication(["token-inspector"])
