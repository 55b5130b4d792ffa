"""Which characters the installed fonts can draw, for ⟨U+XXXX⟩ in place of a missing-glyph box.

A box (tofu) looks the same for every character no font has; its code point says which one
it is. Qt falls back from the widget's font to any installed font that has the character, so
the font alone (``QFontMetrics.inFontUcs4``) is not the question: a one-character
``QTextLayout`` goes through the same fallback as the strip's text, and glyph index 0 is the
missing glyph of whichever font it landed on. The window installs one for its strip's font;
the PNG/SVG exports use one for their own font while they draw, when none is installed.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

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


@contextmanager
def drawable_in(font: QFont) -> Iterator[None]:
    """Within the block, display strings show characters ``font`` cannot draw by code point,
    unless a check is installed already (a window's, whose exports share its strings)."""
    if drawable_check() is not None:
        yield
        return
    coverage = FontCoverage(font)
    set_drawable_check(coverage)
    try:
        yield
    finally:
        if drawable_check() is coverage:
            set_drawable_check(None)
