"""The comparison canvas's lines, painted: the text lane's characters and each row's chips
(a mixin of :class:`~inspector.gui.widgets.comparison_canvas.ComparisonCanvas`, whose
geometry and prepared text it reads)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import QPointF, QRect, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetrics, QPainter, QPen, QStaticText
from PySide6.QtWidgets import QAbstractScrollArea

from inspector.core.compare import ComparisonRow
from inspector.core.encoding import EncodingResult
from inspector.gui.palette import ChipTheme
from inspector.gui.widgets.comparison_layout import (
    LOADING,
    MARGIN,
    MARK_H,
    PAD_Y,
    CharAxis,
    Lane,
    VisualLines,
)

if TYPE_CHECKING:
    _Canvas = QAbstractScrollArea
else:
    _Canvas = object


class LanePaint(_Canvas):
    """Paints one visual line's text lane and lanes; the canvas holds what it reads."""

    _chars: CharAxis | None
    _lines: VisualLines | None
    _rows: list[ComparisonRow]
    _lanes: list[Lane | None]
    _hover_char: int
    _hot: list[np.ndarray]
    _char_statics: dict[int, QStaticText]
    _theme: ChipTheme
    _fills: list[QBrush]
    _mark: QColor
    _unk_pen: QPen
    _unk_hatch: QBrush
    _hot_fill: QColor
    _char_hot: QColor
    _small: QFont
    _small_fm: QFontMetrics
    _chip_h: int
    _text_lane_h: int

    if TYPE_CHECKING:

        def _char_static(self, point: int) -> QStaticText: ...

        def _lane_top(self, line: int, row: int) -> int: ...

        def _visible_tokens(
            self, lane: Lane, line: int
        ) -> tuple[np.ndarray, np.ndarray, np.ndarray]: ...

        def _label(
            self, lane: Lane, key: int, token: int, result: EncodingResult, width: int
        ) -> QStaticText | None: ...

    def _paint_text_lane(self, painter: QPainter, line: int, top: int) -> None:
        chars, lines = self._chars, self._lines
        assert chars is not None and lines is not None
        a, b = int(lines.start[line]), int(lines.start[line + 1])
        if a <= self._hover_char < b:
            cell = QRectF(
                int(lines.char_x[self._hover_char]),
                top,
                int(chars.width[self._hover_char]),
                self._text_lane_h,
            )
            painter.fillRect(cell, self._char_hot)
        painter.setFont(self.font())
        text_top = top + PAD_Y
        # Whitespace glyphs (␣ ⏎ ⇥) muted, so the characters themselves stand out.
        pens = (QColor(self._theme.text), QColor(self._theme.muted))
        current = -1
        for x, w, p in zip(
            lines.char_x[a:b].tolist(),
            chars.width[a:b].tolist(),
            chars.points[a:b].tolist(),
            strict=True,
        ):
            static = self._char_statics.get(p)
            if static is None:
                static = self._char_static(p)
            kind = int(chr(p).isspace())
            if kind != current:
                painter.setPen(pens[kind])
                current = kind
            left = x + (w - static.size().width()) / 2
            painter.drawStaticText(QPointF(left, text_top), static)

    def _paint_lane(self, painter: QPainter, line: int, row: int, top: int) -> None:
        view = self._rows[row]
        lane = self._lanes[row]
        y = self._lane_top(line, row) - self.verticalScrollBar().value()
        assert self._lines is not None
        if lane is None:
            error = view.message != LOADING
            painter.setFont(self._small)
            painter.setPen(QColor("#C62828") if error else QColor(self._theme.muted))
            x0 = self._lines.x0
            text = ("⚠ " if error else "") + (view.message or LOADING)
            width = self.viewport().width() - x0 - MARGIN
            painter.drawText(
                QRect(x0, y, width, self._chip_h),
                int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                self._small_fm.elidedText(text, Qt.TextElideMode.ElideRight, width),
            )
            return
        ks, x0s, x1s = self._visible_tokens(lane, line)
        if not len(ks):
            return
        hot = self._hot[row] if row < len(self._hot) else np.zeros(0, np.int64)
        nfills = len(self._fills)
        chip_h = self._chip_h
        result = view.result
        assert result is not None
        tokens = lane.index[ks].tolist()
        keys = lane.keys[ks].tolist()
        marks = lane.unshared[ks].tolist()
        unks = lane.unk[ks].tolist()
        hot_set = set(hot.tolist())
        painter.setPen(Qt.PenStyle.NoPen)
        labels: list[tuple[float, QStaticText, bool]] = []
        for token, key, mark, unk, x0, x1 in zip(
            tokens, keys, marks, unks, x0s.tolist(), x1s.tolist(), strict=True
        ):
            w = max(1, x1 - x0)
            rect = QRectF(x0, y + 0.5, w, chip_h - 1)
            is_hot = token in hot_set
            if is_hot:
                painter.setBrush(self._hot_fill)
            else:
                painter.setBrush(self._fills[token % nfills])
            painter.drawRoundedRect(rect, 3, 3)
            if unk:
                painter.setPen(self._unk_pen)
                painter.setBrush(self._unk_hatch)
                # Inside the chip, so the gaps that show boundaries stay clear.
                painter.drawRoundedRect(rect.adjusted(1, 1, -1, -1), 2, 2)
                painter.setPen(Qt.PenStyle.NoPen)
            if mark:
                painter.fillRect(
                    QRectF(x0 + 1, y + chip_h - MARK_H - 0.5, w - 2, MARK_H), self._mark
                )
            static = self._label(lane, key, token, result, int(w))
            if static is not None:
                left = x0 + (w - static.size().width()) / 2
                labels.append((left, static, is_hot))
        painter.setFont(self.font())
        text_color = QColor(self._theme.text)
        hot_color = QColor(self._theme.current_text)
        for left, static, is_hot in labels:
            painter.setPen(hot_color if is_hot else text_color)
            painter.drawStaticText(QPointF(left, y + PAD_Y - 0.5), static)
