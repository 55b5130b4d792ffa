"""Guard against the PySide6 6.12.0 bug that made the app abort after some repaints."""

from __future__ import annotations

import sys

from PySide6.QtCore import QRect


def test_void_methods_do_not_leak_none_references() -> None:
    # PySide6 6.12.0 on Python < 3.12 dropped a reference to None on every call of a void
    # method; after a few thousand paints Python aborted ("none_dealloc"). pyproject pins
    # PySide6-Essentials < 6.12 for that reason.
    rect = QRect()
    before = sys.getrefcount(None)
    for _ in range(1000):
        rect.setX(1)
    assert sys.getrefcount(None) - before < 50
