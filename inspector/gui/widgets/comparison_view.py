"""The comparison view: 2 to 8 tokenizers on one text, one lane each, on one character axis.

The text (then the pair text, on a line of its own) is wrapped into visual lines *by
character*. Every character gets one cell width, shared by all lanes, so a token's chip
spans exactly the cells of the characters it covers and boundaries line up across rows.
A character that some row splits into byte pieces is widened and its width divided by
bytes, so a piece covering bytes 0–2 of 🎶 sits under the same pixels in every row.

Drawing is virtualised: every visual line has the same height, a paint finds the visible
lines by division and each row's tokens on a line by binary search; nothing is laid out per
token. Rows load and encode on the panel's own job runner, one channel per row, so one slow
or broken tokenizer shows its own message and never holds up the others.
"""

from __future__ import annotations

import html
import itertools
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from PySide6.QtCore import (
    QEvent,
    QObject,
    QPoint,
    QPointF,
    QRect,
    QRectF,
    QSize,
    Qt,
    QTimer,
    Signal,
    Slot,
)
from PySide6.QtGui import (
    QAction,
    QBrush,
    QColor,
    QCursor,
    QFontMetrics,
    QHelpEvent,
    QKeySequence,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
    QResizeEvent,
    QShortcut,
    QShowEvent,
    QStaticText,
    QTransform,
)
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QDockWidget,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QStyle,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from inspector.core.cancel import CancelToken
from inspector.core.catalog import Catalog
from inspector.core.compare import (
    MAX_ROWS,
    PRESET_CLASSIC,
    PRESET_CLASSIC_SAMPLE,
    Comparison,
    compare,
    preset_sample_text,
)
from inspector.core.display import display_token, visible
from inspector.core.encoding import EncodingResult, encode
from inspector.core.report import ReportItem
from inspector.core.settings import EncodeSettings
from inspector.gui.catalog_picker import CatalogPicker
from inspector.gui.jobs import JobRunner
from inspector.gui.palette import ChipTheme, chip_theme, is_dark
from inspector.gui.state import InspectorState
from inspector.gui.widgets.comparison_stats import StatsLine, StatsTable
from inspector.gui.widgets.token_strip import scaled_font

LOADING = "loading…"

# Geometry, in pixels.
MARGIN = 6
GUTTER_PAD = 6  # left and right of the row names
MAX_GUTTER = 150
CHAR_PAD = 3  # added to every character's advance: room for chip insets
MIN_CHAR = 7  # zero-width and combining characters stay hoverable
BYTE_W = 20  # per byte of a character that some row cuts into byte pieces
PAD_Y = 2  # inside a chip, above and below the text
LANE_GAP = 2
LINE_GAP = 9  # between visual lines (a rule is drawn in the middle)
MARK_H = 3  # the bar under a token whose boundary other rows do not share
MIN_ZERO_W = 4  # chip of a token with an empty span

# The "unshared boundary" mark: orange, readable on every fill of both themes.
MARK_LIGHT, MARK_DARK = "#E65100", "#FFB74D"


def short_name(name: str) -> str:
    """What a row is called in the gutter: a catalog id as is, a path by its last parts."""
    path = Path(name)
    if len(path.parts) > 1:
        tail = path.name if path.name not in ("tokenizer.json", "tokenizer.model") else ""
        return tail or "/".join(path.parts[-2:])
    return name


# ------------------------------------------------------------------------------ axis


@dataclass
class _Chars:
    """The characters of text (+ pair), independent of the widget's width."""

    text: str  # text + pair, as drawn
    pair_start: int  # first character of the pair text (== len(text) without a pair)
    points: np.ndarray  # code points
    nbytes: np.ndarray  # UTF-8 length of each character, plus 1 for the end sentinel
    byte_of_char: np.ndarray  # (n + 1) global byte offset of each character
    char_of_byte: np.ndarray  # (bytes + 1) character of each byte; n for the end
    width: np.ndarray  # cell width of each character
    ends_line: np.ndarray  # bool: a line must end after this character
    last_space: np.ndarray  # index of the last whitespace at or before each character

    @property
    def n(self) -> int:
        return len(self.points)


@dataclass
class _Lines:
    """The wrap of the characters for one available width."""

    width: int
    x0: int  # left of the first cell (after the gutter)
    start: np.ndarray  # first character of each line, plus n
    char_x: np.ndarray  # (n + 1) left of each cell; the sentinel is the last line's end
    char_line: np.ndarray  # line of each character
    end_x: np.ndarray  # right end of each line

    @property
    def count(self) -> int:
        return len(self.start) - 1


def _cells(text: str, pair: str | None, fm: QFontMetrics) -> _Chars:
    full = text + (pair or "")
    points = np.frombuffer(full.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    n = len(points)
    nbytes = 1 + (points >= 0x80) + (points >= 0x800) + (points >= 0x10000)
    nbytes = nbytes.astype(np.int64)
    byte_of_char = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(nbytes, out=byte_of_char[1:])
    char_of_byte = np.append(np.repeat(np.arange(n, dtype=np.int64), nbytes), n)
    uniq, inverse = np.unique(points, return_inverse=True)
    advances = np.array(
        [fm.horizontalAdvance(visible(chr(p))) for p in uniq.tolist()], dtype=np.int64
    )
    width = np.maximum(advances[inverse] + CHAR_PAD, MIN_CHAR) if n else np.zeros(0, np.int64)
    ends_line = points == 10
    if pair is not None and text and n:
        ends_line[len(text) - 1] = True  # the pair text starts on a line of its own
    spaces = np.where(np.isin(points, (9, 32, 0x3000)), np.arange(n), -1)
    last_space = np.maximum.accumulate(spaces) if n else spaces
    return _Chars(
        text=full,
        pair_start=len(text),
        points=points,
        nbytes=np.append(nbytes, 1),
        byte_of_char=byte_of_char,
        char_of_byte=char_of_byte,
        width=width.astype(np.int64),
        ends_line=ends_line,
        last_space=last_space,
    )


def _wrap(chars: _Chars, x0: int, available: int) -> _Lines:
    """Greedy wrap by character cells, breaking after a space when a line has one."""
    n = chars.n
    if n == 0:
        empty = np.zeros(0, dtype=np.int64)
        return _Lines(available, x0, np.zeros(1, np.int64), np.full(1, x0), empty, empty)
    cum = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(chars.width, out=cum[1:])
    seg_end = np.unique(np.append(np.flatnonzero(chars.ends_line) + 1, n))
    seg_start = np.concatenate(([0], seg_end[:-1])).astype(np.int64)
    long = cum[seg_end] - cum[seg_start] > available
    if long.any():
        values = cum.tolist()
        last_space = chars.last_space
        starts: list[int] = []
        for s, end in zip(seg_start[long].tolist(), seg_end[long].tolist(), strict=True):
            while s < end:
                starts.append(s)
                e = bisect_right(values, values[s] + available, s + 1, end + 1) - 1
                if e < end:
                    space = int(last_space[e - 1]) if e > s else -1
                    if space >= s and space + 1 < e:
                        e = space + 1  # keep words whole when the line has a space
                s = e if e > s else s + 1
        line_start = np.sort(np.concatenate((seg_start[~long], np.asarray(starts, np.int64))))
    else:
        line_start = seg_start
    line_start = np.append(line_start, n).astype(np.int64)
    counts = np.diff(line_start)
    char_line = np.repeat(np.arange(len(counts), dtype=np.int64), counts)
    char_x = np.empty(n + 1, dtype=np.int64)
    char_x[:n] = x0 + cum[:-1] - cum[line_start[:-1]][char_line]
    end_x = x0 + cum[line_start[1:]] - cum[line_start[:-1]]
    char_x[n] = end_x[-1]
    return _Lines(available, x0, line_start, char_x, char_line, end_x)


@dataclass
class _Lane:
    """One row's text tokens in axis order (specials are not on the axis)."""

    index: np.ndarray  # token index in result.columns
    b0: np.ndarray  # global byte span (pair bytes come after the text's)
    b1: np.ndarray
    reach: np.ndarray  # running maximum of b1 (binary search for a line's first token)
    keys: np.ndarray  # token id
    unshared: np.ndarray  # bool
    unk: np.ndarray  # bool
    labels: dict[int, str] = field(default_factory=dict)


def _lane(result: EncodingResult, unshared: np.ndarray | None, text_bytes: int) -> _Lane:
    cols = result.columns
    seq = np.asarray(cols.sequence_ids, dtype=np.int64)
    on_axis = (seq >= 0) & ~np.asarray(cols.special, dtype=bool)
    index = np.flatnonzero(on_axis)
    offset = np.where(seq[index] == 1, text_bytes, 0)
    b0 = np.asarray(cols.byte_start, dtype=np.int64)[index] + offset
    b1 = np.asarray(cols.byte_end, dtype=np.int64)[index] + offset
    order = np.argsort(b0, kind="stable")
    index, b0, b1 = index[order], b0[order], b1[order]
    ids = np.asarray(cols.ids, dtype=np.int64)[index]
    unk_token = result.tokenizer.unk_token
    unk_id = None
    if unk_token is not None and result.stats.unk_count:
        unk_id = result._source.token_to_id(unk_token)
    unk = ids == unk_id if unk_id is not None else np.zeros(len(index), dtype=bool)
    marks = (
        np.asarray(unshared, dtype=bool)[index]
        if unshared is not None and len(unshared) == len(cols)
        else np.zeros(len(index), dtype=bool)
    )
    reach = np.maximum.accumulate(b1) if len(b1) else b1
    return _Lane(index, b0, b1, reach, ids, marks, unk)


def _piece_label(raw: bytes) -> str:
    """A byte piece as its whole characters, and hex for the bytes of cut characters:
    b" \\xe9\\xb8" → "␣E9B8"."""
    out: list[str] = []
    i = 0
    while i < len(raw):
        for j in range(min(len(raw), i + 4), i, -1):
            try:
                out.append(visible(raw[i:j].decode("utf-8")))
            except UnicodeDecodeError:
                continue
            i = j
            break
        else:
            out.append(f"{raw[i]:02X}")
            i += 1
    return "".join(out)


# ------------------------------------------------------------------------------ canvas


@dataclass(frozen=True)
class RowView:
    """What the canvas shows for one row: its name and result, or a message."""

    name: str
    result: EncodingResult | None
    message: str = ""  # LOADING or an error when there is no result


class ComparisonCanvas(QAbstractScrollArea):
    """The aligned lanes. ``hovered`` gives the character under the mouse (-1 when none)."""

    hovered = Signal(int)  # global character index (pair characters follow the text's)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.viewport().setMouseTracking(True)
        self.viewport().setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.setAccessibleName("Tokenizer comparison")
        self._comparison: Comparison | None = None
        self._rows: list[RowView] = []
        self._names: list[str] = []
        self._lanes: list[_Lane | None] = []
        self._chars: _Chars | None = None
        self._lines: _Lines | None = None
        self._hover_char = -1
        self._hot: list[np.ndarray] = []  # per row: token indices covering the hovered char
        self._statics: dict[tuple[int, int, int], QStaticText | None] = {}
        self._char_statics: dict[int, QStaticText] = {}
        self._text = ""
        self._pair: str | None = None
        self._cell_w = np.zeros(1, dtype=np.int64)
        self._fonts()
        self._apply_theme()

    # -------------------------------------------------------------- public API
    def set_rows(
        self, text: str, pair: str | None, rows: Sequence[RowView], comparison: Comparison | None
    ) -> None:
        """Show ``rows`` (in lane order) on ``text``/``pair``; ``comparison`` marks boundaries."""
        anchor = self._first_visible_char()
        text_changed = (text, pair) != (self._text, self._pair)
        self._text, self._pair = text, pair
        self._rows = list(rows)
        self._names = [short_name(row.name) for row in self._rows]
        self._comparison = comparison
        text_bytes = len(text.encode("utf-8", "surrogatepass"))
        lanes: list[_Lane | None] = []
        for r, row in enumerate(self._rows):
            unshared = None
            if comparison is not None and r < len(comparison.rows):
                compared = comparison.rows[r]
                if compared.result is row.result:
                    unshared = compared.unshared
            lanes.append(None if row.result is None else _lane(row.result, unshared, text_bytes))
        self._lanes = lanes
        self._statics.clear()
        self._chars = _cells(text, pair, self._fm)
        self._widen_split_characters()
        self._cell_w = np.append(self._chars.width, 0)  # with the end sentinel
        self._hover_char = -1
        self._hot = [np.zeros(0, np.int64) for _ in self._rows]
        self._relayout()
        if text_changed:
            self.verticalScrollBar().setValue(0)
        elif anchor >= 0:
            self.scroll_to_char(anchor)
        self.viewport().update()

    def rows(self) -> list[RowView]:
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
        hits = np.flatnonzero(lane.index == token)
        if not len(hits):
            return []
        k = int(hits[0])
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
        font = self.font()
        small = scaled_font(font, 0.85)
        self._small = small
        self._fm = QFontMetrics(font)
        self._small_fm = QFontMetrics(small)
        self._chip_h = self._fm.height() + 2 * PAD_Y
        self._text_lane_h = self._fm.height() + 2 * PAD_Y

    def _gutter(self) -> int:
        widest = max(self._small_fm.horizontalAdvance(name) for name in [*self._names, "pair"])
        return min(MAX_GUTTER, widest + 2 * GUTTER_PAD + 2)

    def _available(self) -> int:
        extent = self.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent, None, self)
        width = self.contentsRect().width() - extent - 2 * MARGIN - self._gutter()
        return max(60, width)

    def _widen_split_characters(self) -> None:
        """Characters some row cuts into byte pieces get room for each byte."""
        chars = self._chars
        if chars is None or chars.n == 0:
            return
        split = np.zeros(chars.n, dtype=bool)
        for lane in self._lanes:
            if lane is None:
                continue
            for bounds in (lane.b0, lane.b1):
                inside = chars.byte_of_char[chars.char_of_byte[bounds]] != bounds
                split[chars.char_of_byte[bounds[inside]]] = True
        if split.any():
            chars.width[split] = np.maximum(chars.width[split], chars.nbytes[:-1][split] * BYTE_W)

    def _relayout(self) -> None:
        chars = self._chars
        self._lines = (
            None if chars is None else _wrap(chars, MARGIN + self._gutter(), self._available())
        )
        bar = self.verticalScrollBar()
        page = self.viewport().height()
        bar.setRange(0, max(0, self.content_height() - page))
        bar.setPageStep(max(1, page))
        bar.setSingleStep(self.line_height())

    def _first_visible_char(self) -> int:
        if self._lines is None or self._lines.count == 0:
            return -1
        line = min(self.verticalScrollBar().value() // self.line_height(), self._lines.count - 1)
        return int(self._lines.start[line])

    def _lane_of(self, row: int) -> _Lane | None:
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

    def _byte_x(self, b: np.ndarray) -> np.ndarray:
        chars, lines = self._chars, self._lines
        assert chars is not None and lines is not None
        c = chars.char_of_byte[b]
        inside = b - chars.byte_of_char[c]
        return lines.char_x[c] + inside * self._cell_w[c] // chars.nbytes[c]

    def _span_x(
        self, b0: np.ndarray, b1: np.ndarray, ba: int, bb: int, line: int
    ) -> tuple[np.ndarray, np.ndarray]:
        """Chip left/right on ``line`` (bytes ba…bb) for spans b0…b1 (1 px inset each side)."""
        assert self._lines is not None
        x0 = self._byte_x(np.maximum(b0, ba))
        inner = np.minimum(b1, bb)
        x1 = np.where(b1 >= bb, self._lines.end_x[line], self._byte_x(np.minimum(inner, bb)))
        x1 = np.where(b1 <= b0, x0 + MIN_ZERO_W + 2, x1)
        return x0 + 1, x1 - 1

    def _visible_tokens(self, lane: _Lane, line: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
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
        painter = QPainter(self.viewport())
        area = event.rect()
        palette = self.palette()
        painter.fillRect(area, palette.color(QPalette.ColorRole.Base))
        chars, lines = self._chars, self._lines
        if chars is None or lines is None or not self._rows or chars.n == 0:
            painter.setPen(palette.color(QPalette.ColorRole.PlaceholderText))
            message = (
                "Add 2 to 8 tokenizers (catalog, file or folder), or click Classic comparison."
                if not self._rows
                else "The text is empty."
            )
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
            painter.drawText(QRect(MARGIN, top, width, self._text_lane_h), flags, "pair")
        for row, view in enumerate(self._rows):
            y = self._lane_top(line, row) - self.verticalScrollBar().value()
            name = self._small_fm.elidedText(self._names[row], Qt.TextElideMode.ElideMiddle, width)
            painter.setPen(
                QColor("#C62828") if view.result is None and view.message != LOADING else muted
            )
            painter.drawText(QRect(MARGIN, y, width, self._chip_h), flags, name)

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
                static = self._char_statics[p] = self._static(visible(chr(p)))
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
            static = self._label(row, key, token, result, int(w))
            if static is not None:
                left = x0 + (w - static.size().width()) / 2
                labels.append((left, static, is_hot))
        painter.setFont(self.font())
        text_color = QColor(self._theme.text)
        hot_color = QColor(self._theme.current_text)
        for left, static, is_hot in labels:
            painter.setPen(hot_color if is_hot else text_color)
            painter.drawStaticText(QPointF(left, y + PAD_Y - 0.5), static)

    def _label(
        self, row: int, key: int, token: int, result: EncodingResult, width: int
    ) -> QStaticText | None:
        cache_key = (row, key, width)
        if cache_key in self._statics:
            return self._statics[cache_key]
        lane = self._lanes[row]
        assert lane is not None
        text = lane.labels.get(key)
        if text is None:
            raw = result._source.token_bytes(key)  # the strip reads a vocabulary the same way
            if raw is not None and bool(result.columns.partial[token]):
                text = _piece_label(raw)
            else:
                token_str = result.columns.tokens[token]
                text = display_token(token_str, raw, False, result.tokenizer.algorithm)
            lane.labels[key] = text
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
        static = QStaticText(text)
        static.setTextFormat(Qt.TextFormat.PlainText)
        static.prepare(QTransform(), self.font())
        return static

    # -------------------------------------------------------------- events
    def scrollContentsBy(self, dx: int, dy: int) -> None:
        self.viewport().scroll(dx, dy)
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
        token_view = view.result.token(token)
        lane = self._lanes[row]
        assert lane is not None
        hits = np.flatnonzero(lane.index == token)
        unshared = bool(len(hits) and lane.unshared[hits[0]])
        esc = html.escape
        rows = [
            f"<b>{esc(short_name(view.name))}</b> · #{token_view.index}"
            f" · id <b>{token_view.id}</b>",
            f"token: <code>{esc(repr(token_view.token))}</code>",
            f"shown: <code>{esc(token_view.display)}</code>",
            f"bytes: <code>{esc(token_view.bytes)}</code>",
            f"characters {token_view.start}–{token_view.end}"
            + (" (pair text)" if token_view.sequence_id == 1 else ""),
        ]
        if unshared:
            rows.append("<i>a boundary of this token is not a boundary in every other row</i>")
        return "<br>".join(rows)


# ------------------------------------------------------------------------------ jobs


def _row_job(
    catalog: Catalog,
    name: str,
    text: str,
    pair: str | None,
    settings: EncodeSettings,
    *,
    cancel: CancelToken,
) -> EncodingResult:
    tokenizer = catalog.load(name)
    cancel.check()
    return encode(tokenizer, text, settings, pair)


def _compare_job(items: list[ReportItem], *, cancel: CancelToken) -> Comparison:
    return compare(items)


@dataclass
class _Row:
    uid: int
    name: str
    result: EncodingResult | None = None
    error: str | None = None
    pending: bool = True

    def item(self) -> ReportItem:
        if self.pending:
            return ReportItem(self.name, None, LOADING)
        return ReportItem(self.name, self.result, self.error)


# ------------------------------------------------------------------------------ panel


class ComparisonPanel(QWidget):
    """Row picker, aligned lanes and stats table; follows the window's text (``set_text``)
    unless the classic preset put its sample text in."""

    comparison_changed = Signal(object)  # the Comparison now shown (None: no rows)
    rows_settled = Signal()  # shown, and every row has its result or its error

    def __init__(self, catalog: Catalog | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.catalog = catalog or Catalog()
        # Rows get their own runner, one channel each, so they load side by side without
        # queueing behind the window's jobs; comparing gets another, so a free thread is
        # always there for it however slow the rows are.
        self.runner = JobRunner(self, max_threads=4)
        self.runner.finished.connect(self._on_row_finished)
        self.runner.failed.connect(self._on_row_failed)
        self.compare_runner = JobRunner(self, max_threads=1)
        self.compare_runner.finished.connect(self._on_compared)
        self.compare_runner.failed.connect(self._on_compare_failed)
        self._uids = itertools.count(1)
        self._rows: list[_Row] = []
        self._window_text = ""
        self._window_pair: str | None = None
        self._settings = EncodeSettings()
        self._sample: str | None = None  # the preset's sample text, instead of the window's
        self._stale = False  # the text changed while hidden: encode when shown
        self._comparison: Comparison | None = None
        self._build()
        self._debounce = QTimer(self, singleShot=True, interval=150)
        self._debounce.timeout.connect(self._encode_all)
        # After a text change, the old lanes stay up this long (or until every row is
        # back), so typing does not flash "loading…" in every row.
        self._grace = QTimer(self, singleShot=True, interval=400)
        self._grace.timeout.connect(self._recompare)

    def _build(self) -> None:
        self.picker = CatalogPicker(self.catalog, placeholder=self.tr("add a tokenizer…"))
        self.picker.setMinimumContentsLength(18)
        self.picker.setCurrentIndex(-1)
        self.picker.chosen.connect(self._add_from_picker)
        self.add_file_button = QPushButton("Add file…")
        self.add_file_button.setToolTip("A tokenizer.json, SentencePiece .model or .tiktoken file")
        self.add_file_button.clicked.connect(self._add_file)
        self.add_folder_button = QPushButton("Add folder…")
        self.add_folder_button.setToolTip("A folder written by save_pretrained")
        self.add_folder_button.clicked.connect(self._add_folder)
        self.remove_button = QPushButton("Remove")
        self.remove_button.setToolTip("Remove the rows selected in the table (Delete)")
        self.remove_button.clicked.connect(self.remove_selected)
        self.preset_button = QPushButton("Classic comparison")
        self.preset_button.setToolTip(
            "BERT WordPiece (MiniLM), GPT-2, cl100k, o200k, Mistral SentencePiece and Qwen2.5 "
            "on the mixed sample text"
        )
        self.preset_button.clicked.connect(self.apply_classic_preset)
        top = QHBoxLayout()
        top.addWidget(self.picker, 1)
        for button in (self.add_file_button, self.add_folder_button, self.remove_button):
            top.addWidget(button)
        top.addSpacing(12)
        top.addWidget(self.preset_button)

        self.source_label = QLabel()
        self.source_label.setTextFormat(Qt.TextFormat.RichText)
        self.source_label.linkActivated.connect(self._on_source_link)
        self.message = QLabel()
        self.message.setStyleSheet("QLabel { color: #B71C1C; }")
        self.message.setWordWrap(True)
        dark = is_dark(self.palette().color(QPalette.ColorRole.Window).lightnessF())
        legend = QLabel(
            f'<span style="color:{MARK_DARK if dark else MARK_LIGHT}">▬</span> a boundary not'
            " every row has · hover a character: its token lights up in every row"
        )
        legend.setTextFormat(Qt.TextFormat.RichText)
        info = QHBoxLayout()
        info.addWidget(self.source_label, 1)
        info.addWidget(legend)

        self.canvas = ComparisonCanvas()
        self.table = StatsTable()
        delete = QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), self.table)
        delete.activated.connect(self.remove_selected)
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(self.canvas)
        self.splitter.addWidget(self.table)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 1)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        layout.addLayout(info)
        layout.addWidget(self.message)
        layout.addWidget(self.splitter, 1)
        self.message.hide()
        self._update_source_label()

    # -------------------------------------------------------------- public API
    def set_text(
        self, text: str, pair: str | None = None, settings: EncodeSettings | None = None
    ) -> None:
        """The window's text, pair text (None: single text) and encoding settings."""
        settings = settings or EncodeSettings()
        if (text, pair, settings) == (self._window_text, self._window_pair, self._settings):
            return
        affects = self._sample is None or settings != self._settings
        self._window_text, self._window_pair, self._settings = text, pair, settings
        self._update_source_label()
        if affects:
            self._text_changed()

    def text(self) -> str:
        return self._window_text if self._sample is None else self._sample

    def pair(self) -> str | None:
        return self._window_pair if self._sample is None else None

    def settings(self) -> EncodeSettings:
        return self._settings

    def row_names(self) -> list[str]:
        return [row.name for row in self._rows]

    def add_row(self, name: str) -> bool:
        """Add a tokenizer (catalog id or alias, file, folder, hub id); False if refused."""
        name = name.strip()
        if not name:
            return False
        entry = self.catalog.entry(name)
        name = entry.id if entry is not None else name
        if name in self.row_names():
            self._say(f"{short_name(name)} is already in the comparison")
            return False
        if len(self._rows) >= MAX_ROWS:
            self._say(f"at most {MAX_ROWS} tokenizers side by side: remove one first")
            return False
        self._say("")
        row = _Row(next(self._uids), name)
        self._rows.append(row)
        self._submit(row)
        self._recompare()
        return True

    def remove_row(self, index: int) -> None:
        if not 0 <= index < len(self._rows):
            return
        row = self._rows.pop(index)
        self.runner.cancel(self._channel(row))
        self._say("")
        self._recompare()

    @Slot()
    def remove_selected(self) -> None:
        for index in reversed(self.table.selected_rows()):
            self.remove_row(index)

    def set_rows(self, names: Sequence[str]) -> None:
        for row in self._rows:
            self.runner.cancel(self._channel(row))
        self._rows = []
        self._say("")
        for name in list(names)[:MAX_ROWS]:
            self.add_row(name)
        if not self._rows:
            self._recompare()

    @Slot()
    def apply_classic_preset(self) -> None:
        """The tutorials' classic comparison on the mixed sample text."""
        try:
            self._sample = preset_sample_text()
        except OSError as err:
            self._say(f"could not read the sample text: {err.strerror or err}")
            return
        self._update_source_label()
        self.set_rows(PRESET_CLASSIC)

    def use_window_text(self) -> None:
        if self._sample is None:
            return
        self._sample = None
        self._update_source_label()
        self._text_changed()

    def comparison(self) -> Comparison | None:
        """The comparison shown (rows still loading have ``error == LOADING``)."""
        return self._comparison

    def report_items(self) -> list[ReportItem]:
        """The rows that are done, for a report (broken rows keep their error)."""
        return [row.item() for row in self._rows if not row.pending]

    def is_settled(self) -> bool:
        """Every row has its result or error, and the comparison of them is the one shown."""
        return (
            bool(self._rows)
            and not any(row.pending for row in self._rows)
            and self.compare_runner.active() == 0
        )

    def shutdown(self, timeout_ms: int = 5000) -> bool:
        self._debounce.stop()
        self._grace.stop()
        rows = self.runner.shutdown(timeout_ms)
        return self.compare_runner.shutdown(timeout_ms) and rows

    # -------------------------------------------------------------- jobs
    @staticmethod
    def _channel(row: _Row) -> str:
        return f"row-{row.uid}"

    def _text_changed(self) -> None:
        if not self._rows:
            return
        if not self.isVisible():
            self._stale = True
            return
        self.compare_runner.cancel("compare")  # a comparison of the old text is moot
        for row in self._rows:
            row.pending = True
        self._grace.start()
        self._debounce.start()

    @Slot()
    def _encode_all(self) -> None:
        self._stale = False
        for row in self._rows:
            self._submit(row)

    def _submit(self, row: _Row) -> None:
        row.pending = True
        self.runner.submit(
            self._channel(row),
            _row_job,
            self.catalog,
            row.name,
            self.text(),
            self.pair(),
            self._settings,
        )

    @Slot(str, int, object)
    def _on_row_finished(self, channel: str, _job_id: int, result: Any) -> None:
        row = self._row_for(channel)
        if row is not None:
            row.result, row.error, row.pending = result, None, False
            self._row_done()

    @Slot(str, int, str)
    def _on_row_failed(self, channel: str, _job_id: int, message: str) -> None:
        row = self._row_for(channel)
        if row is not None:
            row.result, row.error, row.pending = None, message, False
            self._row_done()

    def _row_for(self, channel: str) -> _Row | None:
        return next((row for row in self._rows if self._channel(row) == channel), None)

    def _row_done(self) -> None:
        if self._grace.isActive() and any(row.pending for row in self._rows):
            return  # the old lanes stay up a moment longer
        self._grace.stop()
        self._recompare()

    def _recompare(self) -> None:
        """Compare what has arrived (rows still loading stay rows) and show it when done."""
        items = [row.item() for row in self._rows]
        if not any(item.result is not None for item in items):
            self.compare_runner.cancel("compare")
            self._show(None)
            return
        self.compare_runner.submit("compare", _compare_job, items)

    @Slot(str, int, object)
    def _on_compared(self, _channel: str, _job_id: int, comparison: Any) -> None:
        self._show(comparison)

    @Slot(str, int, str)
    def _on_compare_failed(self, _channel: str, _job_id: int, message: str) -> None:
        self._say(f"could not compare: {message}")

    # -------------------------------------------------------------- showing
    def _show(self, comparison: Comparison | None) -> None:
        self._comparison = comparison
        if comparison is not None:
            text, pair = comparison.text, comparison.pair
            views = [RowView(r.requested, r.result, r.error or "") for r in comparison.rows]
        else:
            text, pair = self.text(), self.pair()
            views = [RowView(row.name, None, row.item().error or "") for row in self._rows]
        self.canvas.set_rows(text, pair, views, comparison)
        lines = []
        for index, view in enumerate(views):
            stats = comparison.rows[index].stats if comparison is not None else None
            lines.append(StatsLine(index, view.name, stats, "" if stats else view.message))
        self.table.set_lines(lines)
        self.comparison_changed.emit(comparison)
        if self.is_settled():
            self.rows_settled.emit()

    def _update_source_label(self) -> None:
        if self._sample is not None:
            self.source_label.setText(
                f"Text: the sample <b>{PRESET_CLASSIC_SAMPLE}</b> · "
                '<a href="window">use the window\'s text</a>'
            )
        else:
            size = len(self._window_text)
            extra = (
                "" if self._window_pair is None else f" + pair text ({len(self._window_pair):,})"
            )
            self.source_label.setText(f"Text: the window's text ({size:,} characters{extra})")

    @Slot(str)
    def _on_source_link(self, _link: str) -> None:
        self.use_window_text()

    def _say(self, message: str) -> None:
        self.message.setText(message)
        self.message.setVisible(bool(message))

    # -------------------------------------------------------------- user actions
    @Slot(str)
    def _add_from_picker(self, name: str) -> None:
        if self.add_row(name):
            self.picker.clear_choice()

    @Slot()
    def _add_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "Add tokenizer", "", "Tokenizers (*.json *.model *.tiktoken);;All files (*)"
        )
        if path:
            self.add_row(path)

    @Slot()
    def _add_folder(self) -> None:
        path = QFileDialog.getExistingDirectory(self, "Add tokenizer folder (save_pretrained)")
        if path:
            self.add_row(path)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self._stale = False
            self._text_changed()


# ------------------------------------------------------------------------------ window dock


class ComparisonDock(QObject):
    """The main window's "Compare" dock: the panel, following the session's text.

    The window places the dock and the action, and shuts the panel down on close; the panel
    takes the text, pair text and settings of each result the state shows, and encodes only
    while it is visible.
    """

    def __init__(self, state: InspectorState, parent: QWidget) -> None:
        super().__init__(parent)
        self.panel = ComparisonPanel(state.catalog)
        self.dock = QDockWidget(self.tr("Compare"), parent)
        self.dock.setObjectName("dock-compare")
        self.dock.setWidget(self.panel)
        self.action = QAction(
            self.tr("&Compare tokenizers"), parent, shortcut=QKeySequence("Ctrl+K")
        )
        self.action.setToolTip(self.tr("Several tokenizers side by side on the window's text"))
        self.action.triggered.connect(self.show_panel)
        state.result_changed.connect(self._follow)

    @Slot()
    def show_panel(self) -> None:
        self.dock.show()
        self.dock.raise_()
        if self.dock.isFloating():
            self.dock.activateWindow()

    @Slot(object)
    def _follow(self, result: EncodingResult | None) -> None:
        if result is not None:
            self.panel.set_text(result.text, result.pair, result.settings)

    def shutdown(self, timeout_ms: int = 5000) -> bool:
        return self.panel.shutdown(timeout_ms)
