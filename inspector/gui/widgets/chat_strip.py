"""The token strip of Chat mode: the ordinary strip, with a role band under every chip that
encodes a message's content and template scaffolding drawn as control tokens."""

from __future__ import annotations

import numpy as np
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import QWidget

from inspector.core.chat import ChatResult
from inspector.core.encoding import EncodingResult
from inspector.gui.widgets.chat_editor import role_colour
from inspector.gui.widgets.strip_layout import SPECIAL_FLAG, StripTokens
from inspector.gui.widgets.token_strip import TokenStrip

BAND = 3  # pixels, in the gap under a line of chips


class ChatStrip(TokenStrip):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(self.tr("Conversation token strip"))
        self._chat: ChatResult | None = None
        self._chat_before: ChatResult | None = None  # whose chips are shown when a chat comes
        self._band_colours: list[QColor] = []

    def set_chat(self, chat: ChatResult | None) -> None:
        self._chat_before, self._chat = self._chat, chat
        self._band_colours = (
            [] if chat is None else [QColor(role_colour(r.role)) for r in chat.rows]
        )
        self.set_result(None if chat is None else chat.result)

    def chat(self) -> ChatResult | None:
        return self._chat

    def band_colour(self, index: int) -> QColor | None:
        """The role band under token ``index`` (None for scaffolding)."""
        chat = self._chat
        if chat is None or not 0 <= index < len(chat.message) or chat.message[index] < 0:
            return None
        return self._band_colours[int(chat.message[index])]

    def _prepare(self, result: EncodingResult, start: int = 0) -> StripTokens:
        tokens = super()._prepare(result, start)
        chat = self._chat
        if chat is not None and chat.result is result:  # scaffolding looks like control tokens
            tokens.flags |= (chat.message[start:] < 0).astype(np.uint8) * np.uint8(SPECIAL_FLAG)
        return tokens

    def _unchanged(self, old: EncodingResult, new: EncodingResult) -> int:
        """Tokens kept also belong to the same message, of the same role (flags, bands)."""
        before, chat = self._chat_before, self._chat
        if before is None or chat is None or before.result is not old or chat.result is not new:
            return 0
        common = min(len(before.rows), len(chat.rows))
        if [r.role for r in before.rows[:common]] != [r.role for r in chat.rows[:common]]:
            return 0
        kept = super()._unchanged(old, new)
        differ = np.flatnonzero(before.message[:kept] != chat.message[:kept])
        return int(differ[0]) if len(differ) else kept

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        layout, chat = self._layout, self._chat
        if layout is None or chat is None or not len(layout.x) or chat.result is not self.result():
            return
        scroll = self.verticalScrollBar().value()
        height = self.viewport().height()
        first = max(int(np.searchsorted(layout.line_top, scroll, side="right")) - 1, 0)
        last = int(np.searchsorted(layout.line_top, scroll + height, side="right"))
        last = min(last, len(layout.line_start) - 1)
        a, b = int(layout.line_start[first]), int(layout.line_start[last])
        message = chat.message[a:b]
        lines = layout.line[a:b]
        tops = layout.line_top[lines] + layout.chip_dy[lines] + self._chip_h + 1 - scroll
        painter = QPainter(self.viewport())
        for number, colour in enumerate(self._band_colours):
            rows = np.flatnonzero(message == number)
            if not len(rows):
                continue
            painter.setPen(colour)
            painter.setBrush(colour)
            for j in rows.tolist():
                x, w = int(layout.x[a + j]), int(layout.w[a + j])
                painter.drawRect(x, int(tops[j]), w - 1, BAND - 1)
        painter.end()
