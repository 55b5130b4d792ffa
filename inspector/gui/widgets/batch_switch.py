"""Batch mode's switch above the strip: "Text 2 of 3" with ◀ ▶, and the text it is.

The strip, the token table and every panel show one text of the batch (the state's
``result``); this says which one and switches to another (``state.show_batch_row``). It is
shown only while the state holds a batch.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Slot
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QHBoxLayout, QLabel, QToolButton, QWidget

from inspector.gui.i18n import Retranslatable
from inspector.gui.widgets.encoding_models import elide

if TYPE_CHECKING:
    from inspector.gui.state import InspectorState

PREVIEW_CHARS = 80  # of the text (and pair text) shown beside the counter


class BatchSwitch(Retranslatable, QWidget):
    def __init__(self, state: InspectorState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        self.previous_button = QToolButton(self)
        self.previous_button.setText("◀")
        self.previous_button.setShortcut(QKeySequence("Alt+PgUp"))
        self.next_button = QToolButton(self)
        self.next_button.setText("▶")
        self.next_button.setShortcut(QKeySequence("Alt+PgDown"))
        self.counter = QLabel(self)
        font = self.counter.font()
        font.setBold(True)
        self.counter.setFont(font)
        self.preview = QLabel(self)
        self.preview.setTextFormat(Qt.TextFormat.PlainText)  # the user's text: never markup
        layout.addWidget(self.previous_button)
        layout.addWidget(self.counter)
        layout.addWidget(self.next_button)
        layout.addWidget(self.preview, 1)
        self.previous_button.clicked.connect(lambda: self.step(-1))
        self.next_button.clicked.connect(lambda: self.step(1))
        state.batch_changed.connect(self._refresh)
        state.result_changed.connect(self._refresh)
        self.retranslate()

    def retranslate(self) -> None:
        self.previous_button.setToolTip(self.tr("Previous text of the batch (Alt+Page Up)"))
        self.next_button.setToolTip(self.tr("Next text of the batch (Alt+Page Down)"))
        self._refresh()

    def step(self, delta: int) -> None:
        """Show the text ``delta`` rows away (the ends stop it)."""
        self.state.show_batch_row(self.state.batch_row + delta)

    @Slot()
    def _refresh(self, *_: object) -> None:
        batch = self.state.batch
        self.setVisible(batch is not None)
        if batch is None or not batch.results:
            return
        row, count = self.state.batch_row, len(batch.results)
        self.counter.setText(self.tr("Text {0} of {1}").format(row + 1, count))
        self.counter.setToolTip(self.tr("row {0} of the matrices in Encoding → Batch").format(row))
        result = batch.results[row]
        text = elide(" ".join(result.text.split()), PREVIEW_CHARS)
        if result.pair is not None:
            pair = elide(" ".join(result.pair.split()), PREVIEW_CHARS)
            text = self.tr("“{0}” with “{1}”").format(text, pair)
        else:
            text = self.tr("“{0}”").format(text)
        self.preview.setText(text)
        self.preview.setToolTip(result.text + ("" if result.pair is None else "\n" + result.pair))
        self.previous_button.setEnabled(row > 0)
        self.next_button.setEnabled(row < count - 1)
