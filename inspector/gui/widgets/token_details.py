"""One line about the selected token: id, token, display string, spans, word, sequence."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import QLabel, QWidget

from inspector.core.encoding import EncodingResult
from inspector.gui.state import InspectorState


class TokenDetails(QLabel):
    def __init__(self, state: InspectorState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.setWordWrap(True)
        self._prompt()
        state.result_changed.connect(self._on_result)
        state.token_selected.connect(self._on_token_selected)

    def _prompt(self) -> None:
        self.setText(self.tr("Click a token to see its details."))

    @Slot(object)
    def _on_result(self, _result: EncodingResult | None) -> None:
        self._prompt()

    @Slot(int)
    def _on_token_selected(self, index: int) -> None:
        result = self.state.result
        if result is None:
            return
        view = result.token(index)
        parts = [
            f"<b>#{view.index}</b> id <b>{view.id}</b>",
            f"token <code>{html.escape(view.token)}</code>",
            f"shown as <code>{html.escape(view.display)}</code>",
            f"chars {view.start}–{view.end}",
            f"bytes {view.byte_start}–{view.byte_end} [{view.bytes}]",
            f"word {view.word_id}",
            f"sequence {view.sequence_id}",
        ]
        if view.special:
            parts.append("special")
        if view.explanation:
            parts.append(html.escape(view.explanation))
        self.setText(" · ".join(parts))
