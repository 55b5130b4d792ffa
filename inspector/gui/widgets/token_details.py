"""One line about the selected token: id, token, display string, spans, word, sequence."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import QLabel, QWidget

from inspector.core.encoding import EncodingResult
from inspector.gui.i18n import Retranslatable, translate_explanation
from inspector.gui.state import InspectorState


class TokenDetails(Retranslatable, QLabel):
    def __init__(self, state: InspectorState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self._index = -1  # the token shown; -1: the prompt
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.setWordWrap(True)
        self.retranslate()
        state.result_changed.connect(self._on_result)
        state.token_selected.connect(self._on_token_selected)

    def retranslate(self) -> None:
        result = self.state.result
        if result is None or not 0 <= self._index < len(result):
            self.setText(self.tr("Click a token to see its details."))
        else:
            self.setText(self._details(result, self._index))

    @Slot(object)
    def _on_result(self, _result: EncodingResult | None) -> None:
        self._index = -1
        self.retranslate()

    @Slot(int)
    def _on_token_selected(self, index: int) -> None:
        self._index = index
        self.retranslate()

    def _details(self, result: EncodingResult, index: int) -> str:
        view = result.token(index, translate=translate_explanation)

        def code(text: str) -> str:
            return f"<code>{html.escape(text)}</code>"

        parts = [
            f"<b>#{view.index}</b> " + self.tr("id {0}").format(f"<b>{view.id}</b>"),
            self.tr("token {0}").format(code(view.token)),
            self.tr("shown as {0}").format(code(view.display)),
            self.tr("chars {0}–{1}").format(view.start, view.end),
            self.tr("bytes {0}–{1} [{2}]").format(view.byte_start, view.byte_end, view.bytes),
            self.tr("word {0}").format(view.word_id),
            self.tr("sequence {0}").format(view.sequence_id),
        ]
        if view.special:
            parts.append(self.tr("special"))
        if view.explanation:
            parts.append(html.escape(view.explanation))
        return " · ".join(parts)
