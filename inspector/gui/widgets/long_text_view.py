"""A read-only view of a text with very long lines, that never lays out more than it shows.

Qt lays a ``QPlainTextEdit`` block out whole, in one call on the GUI thread: a
1,000,000-character line holds the window for ~0.4 s, and Qt has no way to lay out part of a
block. This view cuts every line into rows of a fixed number of cells fitted to its width
(:class:`TextRows`, numpy over the whole text: no loop per character) and lays out and paints
only the rows in sight, each one its own short ``QTextLayout``. It shows marks (the tokens
hovered or selected elsewhere), has a mouse selection (``selection_changed``), copies it
(Ctrl+C) and scrolls from the keyboard. Positions are Python string indices (code points).
"""

from __future__ import annotations

import math
import re
import unicodedata

import numpy as np
from PySide6.QtCore import QEvent, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import (
    QAction,
    QColor,
    QContextMenuEvent,
    QFont,
    QFontDatabase,
    QFontMetricsF,
    QGuiApplication,
    QKeyEvent,
    QKeySequence,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QResizeEvent,
    QTextCharFormat,
    QTextLayout,
    QTextLine,
    QTextOption,
)
from PySide6.QtWidgets import QAbstractScrollArea, QMenu, QWidget

from inspector.core.array_slices import cumsum_into, elementwise, flatnonzero
from inspector.core.offsets import codepoints, utf16_offsets

MARGIN = 4  # pixels left and right of the rows
CACHED_ROWS = 400  # row layouts kept between paints (a screenful is ~50)

# Cells per code point: 2 for East Asian wide characters, 0 for marks that join the one before
# (a row never starts with one, so a letter and its accent stay together), 1 for the rest.
_WIDE = (
    (0x1100, 0x115F),
    (0x2E80, 0x303E),
    (0x3041, 0x33FF),
    (0x3400, 0x4DBF),
    (0x4E00, 0x9FFF),
    (0xA000, 0xA4CF),
    (0xAC00, 0xD7A3),
    (0xF900, 0xFAFF),
    (0xFE30, 0xFE4F),
    (0xFF00, 0xFF60),
    (0xFFE0, 0xFFE6),
    (0x1F300, 0x1F64F),
    (0x1F680, 0x1F6FF),
    (0x1F900, 0x1F9FF),
    (0x20000, 0x3FFFD),
)
_JOINING = (
    (0x0300, 0x036F),
    (0x0483, 0x0489),
    (0x0591, 0x05C7),
    (0x0610, 0x061A),
    (0x064B, 0x065F),
    (0x1160, 0x11FF),
    (0x1AB0, 0x1AFF),
    (0x1DC0, 0x1DFF),
    (0x200B, 0x200F),
    (0x20D0, 0x20FF),
    (0xFE00, 0xFE0F),
    (0xFE20, 0xFE2F),
    (0x1F3FB, 0x1F3FF),
    (0xE0000, 0xE01EF),
)
ZWJ = 0x200D


def _bmp_cells() -> np.ndarray:
    table = np.ones(0x10000, dtype=np.int8)
    for first, last in _WIDE:
        if first < 0x10000:
            table[first : last + 1] = 2
    for first, last in _JOINING:
        if first < 0x10000:
            table[first : last + 1] = 0
    table[ord("\n")] = 0
    return table


def _astral_cells() -> tuple[np.ndarray, np.ndarray]:
    """Above the BMP: sorted range edges and the cells from each edge to the next (a joining
    range inside a wide one, as skin tones among the emoji, wins)."""

    def cells_at(code: int) -> int:
        if any(first <= code <= last for first, last in _JOINING):
            return 0
        return 2 if any(first <= code <= last for first, last in _WIDE) else 1

    ranges = [r for r in _WIDE + _JOINING if r[1] >= 0x10000]
    edges = sorted({0x10000} | {r[0] for r in ranges} | {r[1] + 1 for r in ranges})
    return np.array(edges, dtype=np.uint32), np.array([cells_at(e) for e in edges], np.int8)


_BMP_CELLS = _bmp_cells()
_ASTRAL_EDGES, _ASTRAL_CELLS = _astral_cells()


def cells_of(codes: np.ndarray) -> np.ndarray:
    """Cells each code point takes (int8): a table for the BMP, ranges for the rest."""
    # Every index is in the table: take without bounds checks (1.4 ms, not 2.9, a million)
    cells = np.take(_BMP_CELLS, codes & 0xFFFF, mode="clip")
    astral = np.flatnonzero(codes > 0xFFFF)
    if len(astral):
        where = np.searchsorted(_ASTRAL_EDGES, codes[astral], side="right") - 1
        cells[astral] = _ASTRAL_CELLS[where]
    after_zwj = np.flatnonzero(codes[:-1] == ZWJ) + 1  # 👩‍🔬: one picture, kept on one row
    cells[after_zwj] = 0
    return cells


_NO_BREAKS = np.zeros(0, dtype=np.int64)


class TextRows:
    """The lines of a text (cut at "\\n") and their rows of at most ``width`` cells.

    Row ``r`` shows ``text[starts[r]:ends[r]]`` (never the "\\n"); every line has at least one
    row. A row is cut between code points, never before a joining mark, so a surrogate pair
    or a letter and its accent are never drawn apart.
    """

    def __init__(self, text: str) -> None:
        self.length = len(text)
        # cells_before[i]: cells of text[:i]; None while every character takes one cell
        # (ASCII, most Latin text): the rows are then plain arithmetic on the line lengths.
        self._cells_before: np.ndarray | None = None
        one_line = "\n" not in text  # a fast scan: a long line's breaks need no array scan
        if text.isascii():
            if one_line:
                breaks = _NO_BREAKS
            else:
                data = np.frombuffer(text.encode("ascii"), dtype=np.uint8)
                breaks = np.flatnonzero(data == ord("\n"))
        else:
            # A slice at a time: on a worker (a long text) each whole-text call would hold
            # Python's lock 5-10 ms at 5 MB; code points of a str slice are the str's own.
            codes = elementwise(lambda a, b: codepoints(text[a:b]), self.length, np.uint32)
            breaks = _NO_BREAKS if one_line else flatnonzero(codes == ord("\n"))
            cells = cells_of(codes)
            if np.count_nonzero(cells != 1) > len(breaks):  # not one cell each ("\n": none)
                self._cells_before = np.zeros(self.length + 1, dtype=np.int32)
                cumsum_into(cells, self._cells_before[1:])
        self.line_starts = np.concatenate(([0], breaks + 1)).astype(np.int64)
        self.line_ends = np.concatenate((breaks, [self.length])).astype(np.int64)
        self.width = 0
        self.starts = self.line_starts[:1]
        self.ends = self.line_ends[:1]

    @property
    def count(self) -> int:
        return len(self.starts)

    def longest_line(self) -> tuple[int, int]:
        """(number of the longest line, counted from 0; its length in characters)."""
        lengths = self.line_ends - self.line_starts
        line = int(np.argmax(lengths))
        return line, int(lengths[line])

    def fit(self, width: int) -> None:
        """Cut the lines into rows of at most ``width`` cells (at least 2)."""
        width = max(2, width)
        self.width = width
        cells = self._cells_before
        base = self.line_starts if cells is None else cells[self.line_starts].astype(np.int64)
        line_cells = (self.line_ends if cells is None else cells[self.line_ends]) - base
        rows = np.maximum(1, -(-line_cells // width))  # ceil, and one for an empty line
        row_line = np.repeat(np.arange(len(rows)), rows)
        first_row = np.cumsum(rows) - rows
        step = np.arange(len(row_line)) - first_row[row_line]  # row's number in its line
        targets = base[row_line] + step * width
        if cells is None:
            starts = targets
        else:  # row k of a line starts at the first character that ends past k × width cells
            starts = np.searchsorted(cells, targets.astype(cells.dtype), side="right") - 1
        starts[first_row] = self.line_starts
        ends = np.empty_like(starts)
        ends[:-1] = starts[1:]
        ends[first_row + rows - 1] = self.line_ends
        self.starts, self.ends = starts, ends

    def row_of(self, index: int) -> int:
        """The row that shows character ``index`` (the last row for the end of the text)."""
        return max(0, int(np.searchsorted(self.starts, index, side="right")) - 1)


# What a row shows for what it holds, one character for one (a hit maps back by index):
# controls as their pictures (a tab as a space), U+2028 as ↵ (a QTextLayout would break there),
# a lone surrogate as U+FFFD (Qt would drop it).
_SHOWN = (
    {code: 0x2400 + code for code in range(0x20)}
    | {
        ord("\t"): ord(" "),
        0x7F: 0x2421,
        0x2028: ord("↵"),
        0x2029: ord("↵"),
    }
    | {code: 0xFFFD for code in range(0xD800, 0xE000)}
)


def _utf16_steps(row: str) -> np.ndarray | None:
    """Qt position of each character of ``row`` (and its end); None when they are equal."""
    if row.isascii() or max(row) < "\U00010000":
        return None
    return utf16_offsets(row)


# A letter: where a line's direction is decided (its first strong character, as Qt decides a
# paragraph's), found by the regex engine rather than a Python loop over a long line.
_LETTER = re.compile(r"[^\W\d_]")


def right_to_left(line: str) -> bool:
    """Is ``line`` a right-to-left paragraph (its first letter Hebrew, Arabic, …)?"""
    found = _LETTER.search(line)
    return found is not None and unicodedata.bidirectional(found.group()) in ("R", "AL")


class _Row:
    """One row laid out, and its Qt positions when they differ from its indices. Every row of
    a line takes the line's direction: on its own a row that starts with an Arabic word would
    be laid out right to left and show the runs of a left-to-right line in another order."""

    def __init__(self, text: str, font: QFont, rtl: bool = False) -> None:
        self.layout = QTextLayout(text.translate(_SHOWN), font)
        option = QTextOption()
        option.setWrapMode(QTextOption.WrapMode.NoWrap)
        direction = Qt.LayoutDirection.RightToLeft if rtl else Qt.LayoutDirection.LeftToRight
        option.setTextDirection(direction)
        self.layout.setTextOption(option)
        self.layout.setCacheEnabled(True)
        self.layout.beginLayout()
        self.line = self.layout.createLine()
        self.layout.endLayout()
        self.steps = _utf16_steps(text)

    def qt_pos(self, offset: int) -> int:
        return offset if self.steps is None else int(self.steps[offset])

    def offset(self, qt_pos: int) -> int:
        if self.steps is None:
            return qt_pos
        return int(np.searchsorted(self.steps, qt_pos, side="left"))


class LongTextView(QAbstractScrollArea):
    """A read-only, virtualised view of ``text``; see the module's doc."""

    selection_changed = Signal()  # the mouse or Ctrl+A changed the selection
    clicked = Signal(int)  # a click that selected nothing: the index of the character under it

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._text = ""
        self._rows = TextRows("")
        self._laid: dict[int, _Row] = {}
        self._line_rtl: dict[int, bool] = {}
        self._anchor = self._cursor = 0
        self._pressed = False
        self._mark_starts = np.zeros(0, dtype=np.int64)
        self._mark_ends = np.zeros(0, dtype=np.int64)
        self._mark_colour = QColor()
        self._cell = 1.0
        self._row_height = 1
        self._ascent = 0.0
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        # Always there: a text's rows are cut for one width (a scroll bar that came with the
        # rows would narrow the view and cut them all again: ~7 ms a cut at 5 MB).
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        self.viewport().setCursor(Qt.CursorShape.IBeamCursor)
        self.copy_action = QAction(self)
        self.copy_action.triggered.connect(self.copy)
        self.select_all_action = QAction(self)
        self.select_all_action.triggered.connect(self.select_all)
        self._name_actions()
        self.set_base_font(self.font())
        self._measure_font()  # setFont sends no FontChange when the font is already this one

    # -- the text -----------------------------------------------------------------------
    def text(self) -> str:
        return self._text

    def rows(self) -> TextRows:
        return self._rows

    def set_text(self, text: str, rows: TextRows | None = None) -> None:
        """``rows``: ``TextRows(text)`` made already (on a worker, for a long text)."""
        self._text = text
        self._rows = TextRows(text) if rows is None else rows
        self._line_rtl.clear()
        self._anchor = self._cursor = 0
        self.set_marks(np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64), QColor())
        self._relayout(keep=0)
        self.verticalScrollBar().setValue(0)

    def line_start(self, line: int) -> int:
        """Index in the text where line ``line`` (counted from 0) starts; 0 past the end."""
        starts = self._rows.line_starts
        return int(starts[line]) if 0 <= line < len(starts) else 0

    def set_base_font(self, font: QFont) -> None:
        """The text pane's font (zoom): its size, in a fixed-pitch family, so rows of equal
        cells fill the width evenly."""
        fixed = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        if font.pointSizeF() > 0:
            fixed.setPointSizeF(font.pointSizeF())
        elif font.pixelSize() > 0:
            fixed.setPixelSize(font.pixelSize())
        self.setFont(fixed)

    def _measure_font(self) -> None:
        metrics = QFontMetricsF(self.font())
        self._cell = max(1.0, metrics.horizontalAdvance("M"))
        sample = _Row("Mg中😀", self.font())  # fallback fonts may stand taller
        self._ascent = max(metrics.ascent(), sample.line.ascent())
        descent = max(metrics.descent(), sample.line.descent())
        self._row_height = max(1, math.ceil(self._ascent + descent + metrics.leading()))
        self._relayout(keep=self._top_index())

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.FontChange:
            self._measure_font()
        elif event.type() == QEvent.Type.PaletteChange:
            self.viewport().update()
        elif event.type() == QEvent.Type.LanguageChange:
            self._name_actions()
        super().changeEvent(event)

    def _name_actions(self) -> None:
        self.copy_action.setText(self.tr("Copy"))
        self.select_all_action.setText(self.tr("Select all"))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._relayout(keep=self._top_index())

    def cells_per_row(self, width: int | None = None) -> int:
        """Cells a row holds in the viewport (``width`` pixels wide: another's, this one's
        while hidden; None: this one's), as ``TextRows.fit`` takes them."""
        width = self.viewport().width() if width is None else width
        # One cell spare: a wide character may start in the last cell of a row.
        return max(2, int((width - 2 * MARGIN) / self._cell) - 1)

    def _top_index(self) -> int:
        top = self.verticalScrollBar().value()
        return int(self._rows.starts[top]) if top < self._rows.count else 0

    def _relayout(self, keep: int) -> None:
        """Rows for the current width (if it changed); ``keep`` stays in the top row."""
        width = self.cells_per_row()
        if width != self._rows.width:
            self._rows.fit(width)
        self._laid.clear()
        bar = self.verticalScrollBar()
        page = max(1, self.viewport().height() // self._row_height)
        bar.setRange(0, max(0, self._rows.count - page))
        bar.setPageStep(page)
        bar.setSingleStep(1)
        bar.setValue(self._rows.row_of(keep))
        self.viewport().update()

    # -- marks and selection --------------------------------------------------------------
    def set_marks(self, starts: np.ndarray, ends: np.ndarray, colour: QColor) -> None:
        """Light up ``text[starts[i]:ends[i]]`` (starts sorted or not) in ``colour``."""
        order = np.argsort(starts, kind="stable")
        self._mark_starts = np.asarray(starts, dtype=np.int64)[order]
        self._mark_ends = np.asarray(ends, dtype=np.int64)[order]
        self._mark_colour = QColor(colour)
        self.viewport().update()

    def reveal(self, index: int) -> None:
        """Scroll so that character ``index`` is in sight (no scroll when it is)."""
        row = self._rows.row_of(index)
        bar = self.verticalScrollBar()
        if not bar.value() <= row < bar.value() + bar.pageStep():
            bar.setValue(row - bar.pageStep() // 3)

    def selection(self) -> tuple[int, int]:
        return min(self._anchor, self._cursor), max(self._anchor, self._cursor)

    def has_selection(self) -> bool:
        return self._anchor != self._cursor

    def select(self, start: int, end: int) -> None:
        start, end = (max(0, min(self._rows.length, i)) for i in (start, end))
        if (start, end) != (self._anchor, self._cursor):
            self._anchor, self._cursor = start, end
            self.viewport().update()
            self.selection_changed.emit()

    def select_all(self) -> None:
        self.select(0, len(self._text))

    def copy(self) -> None:
        start, end = self.selection()
        if end > start:
            QGuiApplication.clipboard().setText(self._text[start:end])

    # -- painting -------------------------------------------------------------------------
    def _row(self, row: int) -> _Row:
        laid = self._laid.get(row)
        if laid is None:
            if len(self._laid) >= CACHED_ROWS:
                self._laid.clear()
            start, end = int(self._rows.starts[row]), int(self._rows.ends[row])
            laid = self._laid[row] = _Row(self._text[start:end], self.font(), self._rtl(start))
        return laid

    def _rtl(self, index: int) -> bool:
        """The direction of the line that holds character ``index`` (worked out once)."""
        rows = self._rows
        line = int(np.searchsorted(rows.line_starts, index, side="right")) - 1
        rtl = self._line_rtl.get(line)
        if rtl is None:
            start, end = int(rows.line_starts[line]), int(rows.line_ends[line])
            rtl = self._line_rtl[line] = right_to_left(self._text[start:end])
        return rtl

    def _ranges(self, row: int) -> list[QTextLayout.FormatRange]:
        """The marks and the selection in ``row``, as Qt's format ranges."""
        start, end = int(self._rows.starts[row]), int(self._rows.ends[row])
        laid = self._row(row)
        spans: list[tuple[int, int, QTextCharFormat]] = []
        last = int(np.searchsorted(self._mark_starts, end, side="left"))  # starts before end
        if last > 0:
            mark = QTextCharFormat()
            mark.setBackground(self._mark_colour)
            mark.setForeground(QColor("#1a1a1a"))  # readable on the light mark in dark themes
            ends = self._mark_ends[:last]
            for i in np.flatnonzero(ends > start):  # a few thousand marks at most
                a, b = int(self._mark_starts[i]), int(ends[i])
                spans.append((max(a, start), min(b, end), mark))
        sel_start, sel_end = self.selection()
        if sel_end > start and sel_start < end:
            chosen = QTextCharFormat()
            chosen.setBackground(self.palette().highlight())
            chosen.setForeground(self.palette().highlightedText())
            spans.append((max(sel_start, start), min(sel_end, end), chosen))
        ranges = []
        for a, b, fmt in spans:
            span = QTextLayout.FormatRange()
            span.start = laid.qt_pos(a - start)
            span.length = laid.qt_pos(b - start) - span.start
            span.format = fmt
            ranges.append(span)
        return ranges

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self.viewport())
        painter.setPen(self.palette().text().color())
        top = self.verticalScrollBar().value()
        height = self._row_height
        clip = QRectF(event.rect())
        first = top + event.rect().top() // height
        last = min(self._rows.count, top + event.rect().bottom() // height + 1)
        for row in range(first, last):
            laid = self._row(row)
            y = (row - top) * height + self._ascent - laid.line.ascent()
            laid.layout.draw(painter, QPointF(MARGIN, y), self._ranges(row), clip)
        painter.end()

    # -- mouse and keys -------------------------------------------------------------------
    def index_at(self, x: float, y: float, *, on_character: bool = False) -> int:
        """The text index nearest the viewport point (x, y): the gap between two characters,
        or with ``on_character`` the character under it."""
        row = self.verticalScrollBar().value() + math.floor(y / self._row_height)
        if row < 0:
            return 0
        if row >= self._rows.count:
            return self._rows.length
        laid = self._row(row)
        edge = (
            QTextLine.CursorPosition.CursorOnCharacter
            if on_character
            else QTextLine.CursorPosition.CursorBetweenCharacters
        )
        qt_pos = laid.line.xToCursor(x - MARGIN, edge)
        return int(self._rows.starts[row]) + laid.offset(qt_pos)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            return super().mousePressEvent(event)
        index = self.index_at(event.position().x(), event.position().y())
        shift = event.modifiers() & Qt.KeyboardModifier.ShiftModifier
        self._pressed = not shift
        self.select(self._anchor if shift else index, index)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if not event.buttons() & Qt.MouseButton.LeftButton:
            return
        y = event.position().y()
        bar = self.verticalScrollBar()
        if y < 0:  # dragging past an edge scrolls
            bar.setValue(bar.value() - 1)
        elif y > self.viewport().height():
            bar.setValue(bar.value() + 1)
        self.select(self._anchor, self.index_at(event.position().x(), y))

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        pressed, self._pressed = self._pressed, False
        if pressed and event.button() == Qt.MouseButton.LeftButton and not self.has_selection():
            point = event.position()
            index = self.index_at(point.x(), point.y(), on_character=True)
            if index < self._rows.length:
                self.clicked.emit(index)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        bar = self.verticalScrollBar()
        if event.matches(QKeySequence.StandardKey.Copy):
            self.copy()
        elif event.matches(QKeySequence.StandardKey.SelectAll):
            self.select_all()
        elif event.key() in (Qt.Key.Key_Home, Qt.Key.Key_End):
            bar.setValue(bar.minimum() if event.key() == Qt.Key.Key_Home else bar.maximum())
        else:
            super().keyPressEvent(event)  # arrows and page keys scroll

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        self.copy_action.setEnabled(self.has_selection())
        menu = QMenu(self)
        menu.addAction(self.copy_action)
        menu.addAction(self.select_all_action)
        menu.exec(event.globalPos())
