"""A one-line label that changes its text without laying the window out again.

``QLabel.setText`` asks its parent's layout to run again (``updateGeometry``) on every change,
whatever the new text's width, unless the label's size is fixed (minimum = maximum: Qt then
skips it). A status line's counts, or a dock's "N characters", change on every key: each
change laid the status bar out, then the main window and its docks, and repainted them
(bench/profile_keys.py --events). A :class:`SteadyLabel` has a fixed size that only grows: as
wide as the widest text it has shown, as tall as its tallest. A narrower text leaves room
after it; a wider one grows the label (one layout); a new font or style starts over.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QLabel, QWidget

QWIDGETSIZE_MAX = (1 << 24) - 1  # Qt's largest widget size (QWIDGETSIZE_MAX in C++)


class SteadyLabel(QLabel):
    """A ``QLabel`` (one line: no word wrap) whose fixed size grows to fit its texts."""

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self._fit(reset=True)

    def setText(self, text: str) -> None:
        if text == self.text():
            return  # QLabel would lay out and repaint even so
        super().setText(text)
        self._fit(reset=False)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._fit(reset=True)  # the widest text so far was measured in the old font

    def _fit(self, *, reset: bool) -> None:
        if reset:  # QLabel measures its text no narrower than its minimum width
            self.setMinimumSize(0, 0)
            self.setMaximumSize(QWIDGETSIZE_MAX, QWIDGETSIZE_MAX)
        hint = self.sizeHint()  # the text's own size
        width = max(hint.width(), self.minimumWidth())
        height = max(hint.height(), self.minimumHeight())
        if reset or (width, height) != (self.minimumWidth(), self.minimumHeight()):
            self.setFixedSize(width, height)
