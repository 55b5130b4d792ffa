"""The comparison canvas: the aligned lanes of 2 to 8 tokenizers on one character axis
(laid out in :mod:`comparison_layout`).

Drawing is virtualised: every visual line has the same height, a paint finds the visible
lines by division and each row's tokens on a line by binary search; nothing is laid out per
token. A text over ``SYNC_CHARS`` is measured, laned and wrapped on a worker (the latest
``set_rows`` wins); what was shown stays until it lands, and ``laid_out`` says it has. Its
first paint then comes a band of lines a turn of the event loop (:class:`PaintTurns`).
"""

from __future__ import annotations

import functools
import html
import itertools
import time
from collections.abc import Iterator, Sequence

import numpy as np
from PySide6.QtCore import (
    QEvent,
    QPoint,
    QRect,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import (
    QBrush,
    QColor,
    QCursor,
    QFont,
    QFontMetrics,
    QHelpEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
    QResizeEvent,
    QStaticText,
)
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QStyle,
    QToolTip,
    QWidget,
)

from inspector.core.array_slices import workers_wait
from inspector.core.compare import (
    Comparison,
    ComparisonRow,
)
from inspector.core.display import visible
from inspector.core.encoding import EncodingResult
from inspector.gui.i18n import translate_explanation
from inspector.gui.jobs import JobRunner
from inspector.gui.palette import ChipTheme, chip_theme, is_dark
from inspector.gui.widgets.comparison_layout import (
    GUTTER_PAD,
    LANE_GAP,
    LINE_GAP,
    LOADING,
    MARGIN,
    MARK_DARK,
    MARK_LIGHT,
    MAX_GUTTER,
    PAD_Y,
    SYNC_CHARS,
    CanvasGeometry,
    CharAxis,
    Lane,
    VisualLines,
    canvas_geometry,
    geometry_job,
    lane_label,
    short_name,
    span_x,
    wrap_job,
    wrap_lines,
)
from inspector.gui.widgets.comparison_paint import LanePaint
from inspector.gui.widgets.model_updates import PAINT_BANDS, PaintsInBands, PaintTurns
from inspector.gui.widgets.strip_layout import scaled_font
from inspector.gui.widgets.strip_paint import static_text

# ------------------------------------------------------------------------------ canvas


class ComparisonCanvas(PaintsInBands, LanePaint, QAbstractScrollArea):
    """The aligned lanes. ``hovered`` gives the character under the mouse (-1 when none)."""

    hovered = Signal(int)  # global character index (pair characters follow the text's)
    laid_out = Signal()  # the rows of the last set_rows are on screen (at once or from a worker)

    def __init__(self, parent: QWidget | None = None, *, runner: JobRunner | None = None) -> None:
        """``runner``: the window's one runner; without it, one of its own."""
        super().__init__(parent)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.viewport().setMouseTracking(True)
        self.viewport().setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.setAccessibleName(self.tr("Tokenizer comparison"))
        self._comparison: Comparison | None = None
        self._rows: list[ComparisonRow] = []
        self._names: list[str] = []
        self._lanes: list[Lane | None] = []
        self._chars: CharAxis | None = None
        # char_cells of the last (text, pair), before any widening: a row or the comparison
        # landing on the same text does not measure 1 MB of characters again (~0.1 s)
        self._cells: tuple[str, str | None, CharAxis] | None = None
        self._lines: VisualLines | None = None
        self._wrapped: tuple[str, int, int, np.ndarray] | None = None  # what _lines was made of
        self._hover_char = -1
        self._hot: list[np.ndarray] = []  # per row: token indices covering the hovered char
        # Prepared text, kept while the font stays: labels by (text, chip width), characters
        # by code point (the next comparison of the same text meets the same ones)
        self._statics: dict[tuple[str, int], QStaticText | None] = {}
        self._char_statics: dict[int, QStaticText] = {}
        self._preparing = 0  # bumped by each set_rows: a slower preparation stops
        self._text = ""
        self._pair: str | None = None
        self._cell_w = np.zeros(1, dtype=np.int64)
        self._runner = runner if runner is not None else JobRunner(self, max_threads=1)
        self._pending = False  # a worker is laying out the last set_rows
        self._fonts()
        self._apply_theme()

    # -------------------------------------------------------------- public API
    def set_rows(
        self,
        text: str,
        pair: str | None,
        rows: Sequence[ComparisonRow],
        comparison: Comparison | None,
    ) -> None:
        """Show ``rows`` (in lane order) on ``text``/``pair``; ``comparison`` marks boundaries."""
        rows = list(rows)
        names = [short_name(row.requested) for row in rows]
        gutter = self._gutter(names)
        x0, available = MARGIN + gutter, self._available(gutter)
        same_text = self._cells is not None and self._cells[:2] == (text, pair)
        cells = self._cells[2] if self._cells is not None and same_text else None
        wrapped = self._wrapped
        previous = (wrapped[3], self._lines) if same_text and wrapped and self._lines else None
        inputs = (text, pair, rows, comparison, cells)

        def show(geometry: CanvasGeometry) -> None:
            self._show(text, pair, rows, names, comparison, geometry, prepare_first=True)

        self._preparing += 1
        self._runner.cancel(_WRAP_CHANNEL)  # the new geometry comes wrapped
        if len(text) + len(pair or "") > SYNC_CHARS:
            self._pending = True
            font = QFont(self.font())  # copied here, measured there
            job = (geometry_job, font, *inputs, x0, available, previous)
            self._runner.submit(_GEOMETRY_CHANNEL, *job, done=show)
            return
        self._runner.cancel(_GEOMETRY_CHANNEL)
        self._pending = False
        geometry = canvas_geometry(*inputs, self._fm, x0, available, previous)
        self._show(text, pair, rows, names, comparison, geometry)

    def is_laying_out(self) -> bool:
        return self._pending

    def _show(
        self,
        text: str,
        pair: str | None,
        rows: list[ComparisonRow],
        names: list[str],
        comparison: Comparison | None,
        geometry: CanvasGeometry,
        prepare_first: bool = False,
    ) -> None:
        """``prepare_first``: the text in view is prepared a slice of the event loop at a time
        before it is painted (1 MB: ~700 glyphs and labels held a first paint ~4 ms more)."""
        anchor = self._first_visible_char()
        text_changed = (text, pair) != (self._text, self._pair)
        self._pending = prepare_first
        self._text, self._pair, self._rows, self._names = text, pair, rows, names
        self._comparison = comparison
        self._lanes = geometry.lanes
        self._cells = (text, pair, geometry.cells)
        chars = self._chars = geometry.chars
        self._cell_w = geometry.cell_w
        self._lines = geometry.lines
        self._wrapped = (chars.text, geometry.lines.x0, geometry.lines.width, chars.width)
        self._hover_char = -1
        self._hot = [np.zeros(0, np.int64) for _ in self._rows]
        self._relayout()  # the width may have changed while a worker laid it out
        if text_changed:
            self.verticalScrollBar().setValue(0)
        elif anchor >= 0:
            self.scroll_to_char(anchor)
        if prepare_first:
            # Painted once prepared, a band a turn (PaintTurns); nothing before (a scroll
            # bar appearing resizes the viewport: a paint of all of it, unprepared).
            self.setUpdatesEnabled(False)
            self._prepare_then_paint()
        else:
            self.setUpdatesEnabled(True)  # a long text's first paint still waiting: moot
            self.viewport().update()
            self.laid_out.emit()

    def _prepare_then_paint(self) -> None:
        work = self._prepare_visible()
        QTimer.singleShot(0, self, functools.partial(self._prepare_step, self._preparing, work))

    def _prepare_step(self, generation: int, work: Iterator[None]) -> None:
        """One turn of preparing, then the next turn is asked for. A method and a partial,
        not a closure that names itself: that closure was a reference cycle holding the
        generator, and with it the comparison's results and labels, until a garbage
        collection freed them (8-18 ms of the GUI thread at some later moment)."""
        if generation != self._preparing:
            work.close()
            return  # a newer set_rows: it shows itself
        deadline = time.perf_counter() + PREPARE_SLICE_S
        for _ in work:
            if time.perf_counter() > deadline:
                next_turn = functools.partial(self._prepare_step, generation, work)
                QTimer.singleShot(0, self, next_turn)  # not after the canvas is gone
                return
        self._pending = False
        PaintTurns.shared().hold(self)  # a band a turn, from the next one
        self.laid_out.emit()

    def paint_bands(self) -> list[QRect]:
        """The viewport cut between visual lines into the bands of a new layout's first
        paint, one a turn (1 MB, 2 rows: the whole of it was 15-21 ms of the GUI thread)."""
        area, lines = self.viewport().rect(), self._lines
        if lines is None or not self._rows:
            return [area]
        scroll, line_h = self.verticalScrollBar().value(), self.line_height()
        first = max(0, (scroll - MARGIN) // line_h)
        last = min(lines.count, (scroll + area.height() - MARGIN) // line_h + 1)
        count = max(1, min(PAINT_BANDS, last - first))
        per = max(1, -(-(last - first) // count))  # lines a band
        cuts = [MARGIN + line * line_h - scroll for line in range(first + per, last, per)]
        edges = [
            area.top(),
            *(y for y in cuts if area.top() < y <= area.bottom()),
            area.bottom() + 1,
        ]
        return [QRect(area.left(), a, area.width(), b - a) for a, b in itertools.pairwise(edges)]

    def _prepare_visible(self) -> Iterator[None]:
        """Prepare the characters and labels of the lines in view, one a step."""
        chars, lines = self._chars, self._lines
        if chars is None or lines is None:
            return
        scroll, line_h = self.verticalScrollBar().value(), self.line_height()
        first = max(0, (scroll - MARGIN) // line_h)
        last = min(lines.count, (scroll + self.viewport().height() - MARGIN) // line_h + 1)
        for line in range(first, last):
            if self._chars is not chars or self._lines is not lines:
                return  # a new wrap (a resize) landed between two turns: it shows itself
            for point in chars.points[lines.start[line] : lines.start[line + 1]].tolist():
                if point not in self._char_statics:
                    self._char_static(point)
                    yield
            for row, lane in enumerate(self._lanes):
                result = self._rows[row].result if row < len(self._rows) else None
                if lane is None or result is None:
                    continue
                ks, x0s, x1s = self._visible_tokens(lane, line)
                widths = np.maximum(1, x1s - x0s).tolist()
                keys, tokens = lane.keys[ks].tolist(), lane.index[ks].tolist()
                for key, token, width in zip(keys, tokens, widths, strict=True):
                    self._label(lane, key, token, result, int(width))
                    yield

    def rows(self) -> list[ComparisonRow]:
        return list(self._rows)

    def comparison(self) -> Comparison | None:
        return self._comparison

    def line_count(self) -> int:
        return 0 if self._lines is None else self._lines.count

    def line_height(self) -> int:
        return self._text_lane_h + len(self._rows) * (self._chip_h + LANE_GAP) + LINE_GAP

    def content_height(self) -> int:
        return 2 * MARGIN + self.line_count() * self.line_height()

    def chip_rects(self, row: int, token: int) -> list[QRect]:
        """The chip of token ``token`` of row ``row``, one rectangle per visual line it spans
        (viewport coordinates; empty if the token is not on the axis)."""
        lane = self._lane_of(row)
        if lane is None or self._lines is None:
            return []
        k = lane.position(token)
        if k < 0:
            return []
        b0, b1 = int(lane.b0[k]), int(lane.b1[k])
        chars = self._chars
        assert chars is not None
        first = int(chars.char_of_byte[b0])
        last = int(chars.char_of_byte[max(b1 - 1, b0)])
        rects = []
        lines = self._lines
        for line in range(
            int(lines.char_line[min(first, chars.n - 1)]),
            int(lines.char_line[min(last, chars.n - 1)]) + 1,
        ):
            ba, bb = self._line_bytes(line)
            x0, x1 = self._span_x(np.array([b0]), np.array([b1]), ba, bb, line)
            top = self._lane_top(line, row) - self.verticalScrollBar().value()
            rects.append(QRect(int(x0[0]), top, int(x1[0] - x0[0]), self._chip_h))
        return rects

    def char_rect(self, char: int) -> QRect:
        """The cell of character ``char`` in the text lane (viewport coordinates)."""
        chars, lines = self._chars, self._lines
        if chars is None or lines is None or not 0 <= char < chars.n:
            return QRect()
        line = int(lines.char_line[char])
        top = MARGIN + line * self.line_height() - self.verticalScrollBar().value()
        return QRect(int(lines.char_x[char]), top, int(chars.width[char]), self._text_lane_h)

    def char_at(self, pos: QPoint) -> int:
        """The character whose cell column is under ``pos`` (any lane), -1 if none."""
        chars, lines = self._chars, self._lines
        if chars is None or lines is None or lines.count == 0:
            return -1
        y = pos.y() + self.verticalScrollBar().value() - MARGIN
        if y < 0:
            return -1
        line = y // self.line_height()
        if line >= lines.count or y % self.line_height() >= self.line_height() - LINE_GAP:
            return -1
        a, b = int(lines.start[line]), int(lines.start[line + 1])
        x = pos.x()
        k = a + int(np.searchsorted(lines.char_x[a:b], x, side="right")) - 1
        if k < a or x >= lines.char_x[k] + chars.width[k]:
            return -1
        return k

    def lane_at(self, pos: QPoint) -> int:
        """The row whose lane is under ``pos``; -1 for the text lane or the gaps."""
        if self._lines is None:
            return -1
        y = pos.y() + self.verticalScrollBar().value() - MARGIN
        if y < 0:
            return -1
        dy = y % self.line_height() - self._text_lane_h
        if dy < 0:
            return -1
        row, inside = divmod(dy, self._chip_h + LANE_GAP)
        return row if row < len(self._rows) and inside < self._chip_h else -1

    def token_under(self, pos: QPoint) -> tuple[int, int]:
        """(row, token index) of the chip under ``pos``, or (-1, -1)."""
        row = self.lane_at(pos)
        lane = self._lane_of(row)
        if lane is None or self._lines is None:
            return -1, -1
        y = pos.y() + self.verticalScrollBar().value() - MARGIN
        line = y // self.line_height()
        if line >= self._lines.count:
            return -1, -1
        ks, x0, x1 = self._visible_tokens(lane, line)
        hit = np.flatnonzero((x0 <= pos.x()) & (pos.x() < x1))
        return (row, int(lane.index[ks[hit[-1]]])) if len(hit) else (-1, -1)

    def hover_char(self, char: int) -> None:
        """Highlight ``char`` and the token covering it in every row (-1 clears)."""
        chars = self._chars
        if chars is None or not 0 <= char < chars.n:
            char = -1
        if char == self._hover_char:
            return
        old_char, old_hot = self._hover_char, self._hot
        self._hover_char = char
        self._hot = [self.tokens_at_char(r, char) for r in range(len(self._rows))]
        # Repaint only what changes: the two cells and the chips lit before and now.
        viewport = self.viewport()
        for cell in (old_char, char):
            if cell >= 0:
                viewport.update(self.char_rect(cell))
        for hot in (old_hot, self._hot):
            for row, tokens in enumerate(hot):
                for token in tokens.tolist()[:64]:
                    for rect in self.chip_rects(row, token):
                        viewport.update(rect.adjusted(-1, -1, 1, 1))
        self.hovered.emit(char)

    def hovered_char(self) -> int:
        return self._hover_char

    def highlighted(self) -> list[np.ndarray]:
        """Per row, the token indices lit up by the hovered character."""
        return [h.copy() for h in self._hot]

    def tokens_at_char(self, row: int, char: int) -> np.ndarray:
        """Tokens of ``row`` covering character ``char``: the one ``Comparison.token_at``
        names, plus its sibling byte pieces when the character is split."""
        lane = self._lane_of(row)
        chars = self._chars
        if lane is None or chars is None or not 0 <= char < chars.n:
            return np.zeros(0, dtype=np.int64)
        result = self._rows[row].result
        assert result is not None
        comparison = self._comparison
        if (
            comparison is not None
            and row < len(comparison.rows)
            and comparison.rows[row].result is result
        ):
            pair = char >= chars.pair_start
            local = char - chars.pair_start if pair else char
            first = comparison.token_at(row, local, 1 if pair else 0)
            if first < 0:
                return np.zeros(0, dtype=np.int64)
            if not bool(result.columns.partial[first]):
                return np.array([first], dtype=np.int64)
        # Byte pieces of one character: every token over its bytes.
        c0, c1 = int(chars.byte_of_char[char]), int(chars.byte_of_char[char + 1])
        lo = int(np.searchsorted(lane.reach, c0, side="right"))
        hi = int(np.searchsorted(lane.b0, c1, side="left"))
        k = np.arange(lo, hi)
        k = k[(lane.b1[k] > c0) & (lane.b0[k] < c1)]
        return np.sort(lane.index[k])

    def scroll_to_char(self, char: int) -> None:
        if self._lines is None or not 0 <= char < len(self._lines.char_line):
            return
        line = int(self._lines.char_line[char])
        self.verticalScrollBar().setValue(line * self.line_height())

    def sizeHint(self) -> QSize:
        return QSize(900, 360)

    # -------------------------------------------------------------- geometry
    def _fonts(self) -> None:
        self._cells = None  # measured with the old font
        font = self.font()
        small = scaled_font(font, 0.85)
        self._small = small
        self._fm = QFontMetrics(font)
        self._small_fm = QFontMetrics(small)
        self._chip_h = self._fm.height() + 2 * PAD_Y
        self._text_lane_h = self._fm.height() + 2 * PAD_Y

    def _gutter(self, names: list[str] | None = None) -> int:
        names = self._names if names is None else names
        labels = [*names, self.tr("pair")]
        widest = max(self._small_fm.horizontalAdvance(name) for name in labels)
        return min(MAX_GUTTER, widest + 2 * GUTTER_PAD + 2)

    def _available(self, gutter: int | None = None) -> int:
        extent = self.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent, None, self)
        gutter = self._gutter() if gutter is None else gutter
        width = self.contentsRect().width() - extent - 2 * MARGIN - gutter
        return max(60, width)

    def _relayout(self) -> None:
        chars = self._chars
        if chars is None:
            self._lines = self._wrapped = None
        else:
            x0, available = MARGIN + self._gutter(), self._available()
            done = self._wrapped
            if (
                done is None
                or done[:3] != (chars.text, x0, available)
                or not np.array_equal(done[3], chars.width)
            ):  # a row or the comparison landing on the same text: the same lines
                if chars.n > SYNC_CHARS:  # the lines shown stay until the worker's land
                    self._wrap_on_worker(chars, x0, available)
                else:
                    self._lines = wrap_lines(chars, x0, available)
                    self._wrapped = (chars.text, x0, available, chars.width)
        bar = self.verticalScrollBar()
        page = self.viewport().height()
        bar.setRange(0, max(0, self.content_height() - page))
        bar.setPageStep(max(1, page))
        bar.setSingleStep(self.line_height())

    def _wrap_on_worker(self, chars: CharAxis, x0: int, available: int) -> None:
        def landed(lines: VisualLines) -> None:
            if chars is not self._chars:
                return
            anchor = self._first_visible_char()
            self._lines = lines
            self._wrapped = (chars.text, x0, available, chars.width)
            self._relayout()
            if anchor >= 0:
                self.scroll_to_char(anchor)
            self.viewport().update()

        self._runner.submit(_WRAP_CHANNEL, wrap_job, chars, x0, available, done=landed)

    def _first_visible_char(self) -> int:
        if self._lines is None or self._lines.count == 0:
            return -1
        line = min(self.verticalScrollBar().value() // self.line_height(), self._lines.count - 1)
        return int(self._lines.start[line])

    def _lane_of(self, row: int) -> Lane | None:
        return self._lanes[row] if 0 <= row < len(self._lanes) else None

    def _lane_top(self, line: int, row: int) -> int:
        return (
            MARGIN + line * self.line_height() + self._text_lane_h + row * (self._chip_h + LANE_GAP)
        )

    def _line_bytes(self, line: int) -> tuple[int, int]:
        assert self._chars is not None and self._lines is not None
        start = self._lines.start
        return (
            int(self._chars.byte_of_char[start[line]]),
            int(self._chars.byte_of_char[start[line + 1]]),
        )

    def _span_x(
        self, b0: np.ndarray, b1: np.ndarray, ba: int, bb: int, line: int
    ) -> tuple[np.ndarray, np.ndarray]:
        assert self._chars is not None and self._lines is not None
        return span_x(self._chars, self._lines, self._cell_w, b0, b1, ba, bb, line)

    def _visible_tokens(self, lane: Lane, line: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Positions (into the lane arrays) of the tokens on ``line`` and their chip x-range."""
        ba, bb = self._line_bytes(line)
        lo = int(np.searchsorted(lane.reach, ba, side="right"))
        # Empty spans sit at one byte: include those at the line's start too.
        lo = min(lo, int(np.searchsorted(lane.b0, ba, side="left")))
        hi = int(np.searchsorted(lane.b0, bb, side="left"))
        k = np.arange(lo, hi)
        b0, b1 = lane.b0[k], lane.b1[k]
        keep = ((b1 > ba) & (b0 < bb)) | ((b0 == b1) & (b0 >= ba) & (b0 < bb))
        k = k[keep]
        x0, x1 = self._span_x(lane.b0[k], lane.b1[k], ba, bb, line)
        return k, x0, x1

    # -------------------------------------------------------------- theme
    def _apply_theme(self) -> None:
        lightness = self.palette().color(QPalette.ColorRole.Window).lightnessF()
        dark = is_dark(lightness)
        theme: ChipTheme = chip_theme(dark)
        self._theme = theme
        self._fills = [QBrush(QColor(c)) for c in theme.fills]
        self._mark = QColor(MARK_DARK if dark else MARK_LIGHT)
        self._unk_pen = QPen(QColor(theme.unk_border), 2.0)
        hatch = QColor(theme.unk_border)
        hatch.setAlpha(110)
        self._unk_hatch = QBrush(hatch, Qt.BrushStyle.BDiagPattern)
        self._hot_pen = QPen(QColor(theme.current), 2.0)
        self._hot_fill = QColor(theme.current)
        self._rule = QColor(theme.border)
        self._char_hot = QColor(theme.current)
        self._char_hot.setAlpha(60)

    # -------------------------------------------------------------- painting
    def paintEvent(self, event: QPaintEvent) -> None:
        # A new layout's band, or all that is asked (the viewport is opaque: the rest keeps
        # its pixels until its band's turn).
        area = self.band_of(event.region()).boundingRect()
        with workers_wait():
            self._paint(area)

    def _paint(self, area: QRect) -> None:
        painter = QPainter(self.viewport())
        painter.setClipRect(area)  # a band: the lines across its edges are drawn once
        palette = self.palette()
        painter.fillRect(area, palette.color(QPalette.ColorRole.Base))
        chars, lines = self._chars, self._lines
        if chars is None or lines is None or not self._rows or chars.n == 0:
            painter.setPen(palette.color(QPalette.ColorRole.PlaceholderText))
            if self._pending:
                message = self.tr("Laying out the comparison…")
            elif not self._rows:
                message = self.tr(
                    "Add 2 to 8 tokenizers (catalog, file or folder), or click Classic comparison."
                )
            else:
                message = self.tr("The text is empty.")
            painter.drawText(
                self.viewport().rect().adjusted(MARGIN, MARGIN, -MARGIN, -MARGIN),
                int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop),
                message,
            )
            painter.end()
            return
        scroll = self.verticalScrollBar().value()
        line_h = self.line_height()
        first = max(0, (area.top() + scroll - MARGIN) // line_h)
        last = min(lines.count, (area.bottom() + scroll - MARGIN) // line_h + 1)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        lane_step = self._chip_h + LANE_GAP
        for line in range(first, last):
            top = MARGIN + line * line_h - scroll
            self._paint_gutter(painter, line, top)
            if top < area.bottom() + 1 and top + self._text_lane_h > area.top():
                self._paint_text_lane(painter, line, top)
            for row in range(len(self._rows)):
                lane_top = top + self._text_lane_h + row * lane_step
                if lane_top < area.bottom() + 1 and lane_top + self._chip_h > area.top():
                    self._paint_lane(painter, line, row, top)
            painter.setPen(self._rule)
            rule_y = top + line_h - LINE_GAP // 2
            painter.drawLine(MARGIN, rule_y, self.viewport().width() - MARGIN, rule_y)
        painter.end()

    def _paint_gutter(self, painter: QPainter, line: int, top: int) -> None:
        assert self._chars is not None and self._lines is not None
        painter.setFont(self._small)
        muted = QColor(self._theme.muted)
        painter.setPen(muted)
        width = self._gutter() - 2 * GUTTER_PAD
        flags = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        if int(self._lines.start[line]) >= self._chars.pair_start and self._pair is not None:
            painter.drawText(QRect(MARGIN, top, width, self._text_lane_h), flags, self.tr("pair"))
        for row, view in enumerate(self._rows):
            y = self._lane_top(line, row) - self.verticalScrollBar().value()
            name = self._small_fm.elidedText(self._names[row], Qt.TextElideMode.ElideMiddle, width)
            painter.setPen(
                QColor("#C62828") if view.result is None and view.message != LOADING else muted
            )
            painter.drawText(QRect(MARGIN, y, width, self._chip_h), flags, name)

    def _char_static(self, point: int) -> QStaticText:
        static = self._char_statics[point] = self._static(visible(chr(point)))
        return static

    def _label(
        self, lane: Lane, key: int, token: int, result: EncodingResult, width: int
    ) -> QStaticText | None:
        text = lane_label(lane, key, token, result)
        cache_key = (text, width)
        if cache_key in self._statics:
            return self._statics[cache_key]
        candidates = [text]
        if text.startswith("##") and len(text) > 2:
            candidates.append(text[2:])  # the chip's place already says "continues a word"
        fitted: QStaticText | None = None
        for candidate in candidates:
            if self._fm.horizontalAdvance(candidate) <= width:
                fitted = self._static(candidate)
                break
        else:
            elided = self._fm.elidedText(candidates[-1], Qt.TextElideMode.ElideRight, width)
            if elided and self._fm.horizontalAdvance(elided) <= width:
                fitted = self._static(elided)
        if len(self._statics) > 50_000:
            self._statics.clear()
        self._statics[cache_key] = fitted
        return fitted

    def _static(self, text: str) -> QStaticText:
        return static_text(self.font(), text)

    # -------------------------------------------------------------- events
    def scrollContentsBy(self, dx: int, dy: int) -> None:
        self.viewport().scroll(dx, dy)
        self.scrolled_between_bands()
        if self.viewport().underMouse():
            self.hover_char(self.char_at(self.viewport().mapFromGlobal(QCursor.pos())))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self._chars is not None and (
            self._lines is None or self._lines.width != self._available()
        ):
            anchor = self._first_visible_char()
            self._relayout()
            if anchor >= 0:
                self.scroll_to_char(anchor)
        else:
            self._relayout()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        kind = event.type()
        if kind == QEvent.Type.FontChange:
            self._fonts()
            self._statics.clear()
            self._char_statics.clear()
            if self._chars is not None:
                self.set_rows(self._text, self._pair, self._rows, self._comparison)
        elif kind in (QEvent.Type.PaletteChange, QEvent.Type.StyleChange):
            self._apply_theme()
            self.viewport().update()
        elif kind == QEvent.Type.LanguageChange:
            self.setAccessibleName(self.tr("Tokenizer comparison"))
            self.viewport().update()  # the painted messages and "pair"

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        self.hover_char(self.char_at(event.position().toPoint()))
        super().mouseMoveEvent(event)

    def viewportEvent(self, event: QEvent) -> bool:
        kind = event.type()
        if kind == QEvent.Type.Leave:
            self.hover_char(-1)
        elif kind == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            row, token = self.token_under(event.pos())
            if token >= 0:
                QToolTip.showText(event.globalPos(), self.tooltip_html(row, token), self.viewport())
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().viewportEvent(event)

    def tooltip_html(self, row: int, token: int) -> str:
        view = self._rows[row] if 0 <= row < len(self._rows) else None
        if view is None or view.result is None:
            return ""
        token_view = view.result.token(token, translate=translate_explanation)
        lane = self._lanes[row]
        assert lane is not None
        k = lane.position(token)
        unshared = bool(k >= 0 and lane.unshared[k])
        esc = html.escape
        rows = [
            f"<b>{esc(short_name(view.requested))}</b> · #{token_view.index}"
            f" · id <b>{token_view.id}</b>",
            self.tr("token: {0}").format(f"<code>{esc(repr(token_view.token))}</code>"),
            self.tr("shown: {0}").format(f"<code>{esc(token_view.display)}</code>"),
            self.tr("bytes: {0}").format(f"<code>{esc(token_view.bytes)}</code>"),
            self.tr("characters {0}–{1}").format(token_view.start, token_view.end)
            + (self.tr(" (pair text)") if token_view.sequence_id == 1 else ""),
        ]
        if unshared:
            note = self.tr("a boundary of this token is not a boundary in every other row")
            rows.append(f"<i>{esc(note)}</i>")
        return "<br>".join(rows)


PREPARE_SLICE_S = 0.003  # preparing the first screen: the longest turn of the GUI thread
_GEOMETRY_CHANNEL = "compare:geometry"  # on the panel's runner: under its "compare:" prefix
_WRAP_CHANNEL = "compare:wrap"
