"""The window's font-coverage check (see inspector.render.font_coverage)."""

from __future__ import annotations

from PySide6.QtGui import QFont, QGuiApplication

from inspector.core.char_labels import drawable_check, set_drawable_check
from inspector.render.font_coverage import FontCoverage

__all__ = ["FontCoverage", "install_font_coverage", "remove_font_coverage"]


def install_font_coverage(font: QFont | None = None) -> FontCoverage:
    """Display strings from now on show characters ``font`` (with Qt's fallbacks) cannot draw
    as ⟨U+XXXX⟩ — in the window and in the exports made from it, which share them."""
    coverage = FontCoverage(font if font is not None else QGuiApplication.font())
    set_drawable_check(coverage)
    return coverage


def remove_font_coverage(coverage: FontCoverage | None = None) -> None:
    """Back to showing every character as it is (``coverage``: only if it is still the one
    installed — another window may have installed its own since)."""
    if coverage is None or drawable_check() is coverage:
        set_drawable_check(None)
