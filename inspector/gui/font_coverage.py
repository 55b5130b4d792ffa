"""Which characters the window's fonts can draw, for ⟨U+XXXX⟩ in place of a missing-glyph box.

A box (tofu) looks the same for every character no font has; its code point says which one
it is. Qt falls back from the widget's font to any installed font that has the character, so
the font alone (``QFontMetrics.inFontUcs4``) is not the question: a one-character
``QTextLayout`` goes through the same fallback as the strip's text, and glyph index 0 is the
missing glyph of whichever font it landed on.
"""

from __future__ import annotations

from PySide6.QtGui import QFont, QGuiApplication, QTextLayout

from inspector.core.char_labels import drawable_check, set_drawable_check


class FontCoverage:
    """``coverage(char)``: False when no installed font draws ``char`` (checked once each)."""

    def __init__(self, font: QFont) -> None:
        self.font = QFont(font)
        self._known: dict[str, bool] = {}

    def __call__(self, char: str) -> bool:
        known = self._known.get(char)
        if known is None:
            known = self._known[char] = self._draws(char)
        return known

    def _draws(self, char: str) -> bool:
        if QGuiApplication.instance() is None:  # no fonts to ask: leave the character be
            return True
        layout = QTextLayout(char, self.font)
        layout.beginLayout()
        layout.createLine()
        layout.endLayout()
        indexes = [index for run in layout.glyphRuns() for index in run.glyphIndexes()]
        return bool(indexes) and all(index != 0 for index in indexes)


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
