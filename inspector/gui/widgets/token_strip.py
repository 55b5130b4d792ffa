"""The token strip: every token of a result as a coloured chip, in text order, wrapped like text.

Virtualized: the layout is a handful of numpy arrays (chip x, width, line of each token, line
tops), computed once per result and again only when the width changes. A paint binary-searches
the first visible line and draws only the chips of the visible lines, so its cost does not
depend on the number of tokens.

Widths are measured once per distinct token (``display`` depends only on the id), cached per
tokenizer, and the greedy wrap runs one step per *line* (a bisection over cumulative widths),
not per token.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

import numpy as np
from PySide6.QtCore import QEvent, QPoint, QPointF, QRect, QRectF, QSize, Qt, Signal, Slot
from PySide6.QtGui import (
    QBrush,
    QColor,
    QCursor,
    QFont,
    QFontMetrics,
    QHelpEvent,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QResizeEvent,
    QStaticText,
    QTransform,
)
from PySide6.QtWidgets import QAbstractScrollArea, QStyle, QToolTip, QWidget

from inspector.core.display import display_token
from inspector.core.encoding import EncodingResult
from inspector.core.token_roles import role_of_token
from inspector.core.tokenizer import TokenizerFacts
from inspector.gui.glossary_dialog import role_tooltip
from inspector.gui.palette import ChipTheme, chip_theme, is_dark
from inspector.gui.widgets.strip_layout import (
    FADED_FLAG,
    SPECIAL_FLAG,
    TYPED_FLAG,
    UNK_FLAG,
    MeasuredTexts,
    StripLayout,
    StripTokens,
    label_text,
    line_breaks,
    line_ranges,
    line_starts,
    plain_display,
    tooltip_text,
)
from inspector.gui.widgets.strip_paint import (
    paint_typed_marks,
    theme_brushes,
)

# Geometry, in pixels.
MARGIN = 6  # around the whole strip
PAD_X = 4  # inside a chip, left and right of the text
PAD_Y = 2  # inside a chip, above and below the text
GAP = 3  # between chips on a line
LINE_GAP = 4  # between lines
GROUP_PAD = 3  # extra room left and right of a byte group's frame
MIN_CHIP = 10  # narrowest chip (a blank or zero-width token stays clickable)
MIN_AVAILABLE = 48  # the layout never wraps narrower than this
FADED = 0.35  # opacity of padding (attention mask 0)

# Flags per token, packed in one uint8 column.


_MAX_DENSE_KEY = 8_000_000  # above this, distinct ids are found with np.unique instead


def scaled_font(font: QFont, factor: float) -> QFont:
    """A smaller copy of ``font`` (for ids and labels), in points or pixels as ``font`` is."""
    small = QFont(font)
    size = font.pointSizeF()
    if size > 0:
        small.setPointSizeF(max(6.0, size * factor))
    else:
        small.setPixelSize(max(8, round(font.pixelSize() * factor)))
    return small


class TokenStrip(QAbstractScrollArea):
    """Chips for every token of an :class:`EncodingResult`; hover and click report indices."""

    hovered = Signal(int)  # token index under the mouse, -1 when it leaves the chips
    clicked = Signal(int)  # token index clicked (or moved to with the arrow keys)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.viewport().setMouseTracking(True)
        self.viewport().setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAccessibleName("Token strip")
        self._result: EncodingResult | None = None
        self._tokens: StripTokens | None = None
        self._layout: StripLayout | None = None
        self._glyphs = True
        self._show_ids = False
        self._colorblind = False
        self._highlight = np.zeros(0, dtype=np.int64)
        self._current = -1
        self._hover = -1
        self._measured: dict[tuple[TokenizerFacts, bool], MeasuredTexts] = {}
        self._theme: ChipTheme | None = None
        self._colors: dict[str, QColor] = {}
        self._fills: list[QBrush] = []
        self._fonts()
        self._apply_theme()

    # ------------------------------------------------------------------ public API
    @Slot(object)
    def set_result(self, result: EncodingResult | None) -> None:
        """Show ``result`` (``None`` clears). Selection and current token are reset."""
        self._result = result
        self._highlight = np.zeros(0, dtype=np.int64)
        self._current = -1
        self._set_hover(-1)
        self._tokens = None if result is None else self._prepare(result)
        self._layout = None
        self._relayout(anchor=None)
        self.verticalScrollBar().setValue(0)
        self.viewport().update()

    def set_options(
        self, *, glyphs: bool = True, show_ids: bool = False, colorblind: bool = False
    ) -> None:
        """Whitespace glyphs (␣ ⏎ ⇥) or blanks; the id as a second line; colour-blind palette."""
        relayout = glyphs != self._glyphs or show_ids != self._show_ids
        recolor = colorblind != self._colorblind
        self._glyphs, self._show_ids, self._colorblind = glyphs, show_ids, colorblind
        if relayout:
            self._fonts()
            if self._result is not None:
                anchor = self._first_visible()
                self._tokens = self._prepare(self._result)
                self._layout = None
                self._relayout(anchor=anchor)
        if recolor:
            self._apply_theme()
        if relayout or recolor:
            self.viewport().update()

    @Slot(object)
    def highlight(self, indices: np.ndarray | Sequence[int]) -> None:
        """Outline the chips covering the text selection; an empty sequence clears."""
        values = np.unique(np.asarray(indices, dtype=np.int64).ravel())
        n = 0 if self._tokens is None else self._tokens.n
        values = values[(values >= 0) & (values < n)]
        if np.array_equal(values, self._highlight):
            return
        self._highlight = values
        self.viewport().update()

    @Slot(int)
    def set_current(self, index: int) -> None:
        """Mark the selected token (filled accent) and scroll it into view; -1 clears."""
        n = 0 if self._tokens is None else self._tokens.n
        index = index if 0 <= index < n else -1
        self._current = index
        if index >= 0:
            self._ensure_visible(index)
        self.viewport().update()

    def current(self) -> int:
        return self._current

    def result(self) -> EncodingResult | None:
        return self._result

    def index_at(self, pos: QPoint) -> int:
        """The token whose chip is at ``pos`` (viewport coordinates), -1 if none."""
        layout = self._layout
        if layout is None or len(layout.x) == 0:
            return -1
        y = pos.y() + self.verticalScrollBar().value()
        px = pos.x()
        line = int(np.searchsorted(layout.line_top, y, side="right")) - 1
        if line < 0 or line >= len(layout.line_start) - 1:
            return -1
        top = int(layout.line_top[line] + layout.chip_dy[line])
        if not top <= y < top + self._chip_h:
            return -1
        a, b = int(layout.line_start[line]), int(layout.line_start[line + 1])
        k = a + int(np.searchsorted(layout.x[a:b], px, side="right")) - 1
        if k < a or px >= layout.x[k] + layout.w[k]:
            return -1
        return k

    def chip_rect(self, index: int) -> QRect:
        """The chip of token ``index`` in viewport coordinates (empty if there is none)."""
        layout = self._layout
        if layout is None or not 0 <= index < len(layout.x):
            return QRect()
        line = int(layout.line[index])
        top = int(layout.line_top[line] + layout.chip_dy[line]) - self.verticalScrollBar().value()
        return QRect(int(layout.x[index]), top, int(layout.w[index]), self._chip_h)

    def chip_text(self, index: int) -> str:
        """The string drawn in the chip of token ``index`` (before any eliding)."""
        tokens, cache = self._tokens, self._measured_for_paint()
        if tokens is None or cache is None or not 0 <= index < tokens.n:
            return ""
        return cache.text.get(int(tokens.keys[index]), "")

    def group_frame(self, index: int) -> QRect:
        """The frame over the byte group that token ``index`` belongs to (empty if none)."""
        group = self._group_of(index)
        if group is None:
            return QRect()
        return self._group_frame(*group, self.verticalScrollBar().value())

    def group_label(self, index: int) -> str:
        """The character(s) the byte group of token ``index`` builds ("" if not in a group)."""
        group = self._group_of(index)
        return "" if group is None else self._group_text(*group)

    def theme(self) -> ChipTheme:
        assert self._theme is not None
        return self._theme

    def content_height(self) -> int:
        return 0 if self._layout is None else self._layout.height

    def line_count(self) -> int:
        return 0 if self._layout is None else len(self._layout.line_start) - 1

    def sizeHint(self) -> QSize:
        return QSize(640, 160)

    def minimumSizeHint(self) -> QSize:
        return QSize(120, self._chip_h + 2 * MARGIN + 2 * self.frameWidth())

    # ------------------------------------------------------------------ preparation
    def _fonts(self) -> None:
        font = self.font()
        small = scaled_font(font, 0.75)
        self._small = small
        self._fm = QFontMetrics(font)
        self._small_fm = QFontMetrics(small)
        self._text_h = self._fm.height()
        self._id_h = self._small_fm.height() if self._show_ids else 0
        self._chip_h = self._text_h + self._id_h + 2 * PAD_Y
        self._band = self._text_h + 1  # label row over byte groups: the character they build
        self._digit_w = max(self._small_fm.horizontalAdvance(d) for d in "0123456789")

    def _measure_cache(self, result: EncodingResult) -> MeasuredTexts:
        # The facts (id, fingerprint, added tokens…) name the vocabulary: a "what if" copy
        # with added tokens gets its own cache.
        key = (result.tokenizer, self._glyphs)
        cache = self._measured.get(key)
        if cache is None:
            if len(self._measured) >= 8:
                self._measured.pop(next(iter(self._measured)))
            cache = self._measured[key] = MeasuredTexts()
        return cache

    def _prepare(self, result: EncodingResult) -> StripTokens:
        cols = result.columns
        n = len(cols)
        ids = np.asarray(cols.ids, dtype=np.int64)
        special = np.asarray(cols.special, dtype=bool)
        keys = ids * 2 + special
        # Distinct keys, one representative token each, and token → distinct position.
        if n and keys.min() >= 0 and keys.max() < _MAX_DENSE_KEY:
            size = int(keys.max()) + 1
            seen = np.zeros(size, dtype=bool)
            seen[keys] = True
            uniq = np.flatnonzero(seen)
            rep_of = np.empty(size, dtype=np.int64)
            rep_of[keys] = np.arange(n)
            rep = rep_of[uniq]
            position = np.zeros(size, dtype=np.int64)
            position[uniq] = np.arange(len(uniq))
            inverse = position[keys]
        else:
            uniq, rep, inverse = np.unique(keys, return_index=True, return_inverse=True)
        cache = self._measure_cache(result)
        if len(uniq):
            cache.grow(int(uniq.max()) + 1)
        missing = np.flatnonzero(cache.width[uniq] < 0) if len(uniq) else uniq
        unk = result.tokenizer.unk_token
        if len(missing):
            source = result._source  # LoadedTokenizer: bytes of a vocabulary id
            algorithm = result.tokenizer.algorithm
            show = display_token if self._glyphs else plain_display
            advance = self._fm.horizontalAdvance
            tokens = cols.tokens
            for k in missing.tolist():
                key = int(uniq[k])
                token_id, is_special = key >> 1, bool(key & 1)
                raw = None if is_special else source.token_bytes(token_id)
                text = show(tokens[int(rep[k])], raw, is_special, algorithm)
                cache.text[key] = text
                cache.width[key] = advance(text)
                if unk is not None and not is_special and tokens[int(rep[k])] == unk:
                    cache.unk_keys.add(key)
        text_width = cache.width[uniq][inverse].astype(np.int64)
        inner = text_width
        if self._show_ids:
            digits = np.char.str_len((uniq >> 1).astype(str)).astype(np.int64)
            inner = np.maximum(inner, (digits * self._digit_w)[inverse])
        chip_width = np.maximum(inner + 2 * PAD_X, MIN_CHIP)

        unk_key = np.isin(uniq, np.fromiter(cache.unk_keys, dtype=np.int64))
        flags = special.astype(np.uint8) * SPECIAL_FLAG
        flags |= cols.typed_control.astype(np.uint8) * TYPED_FLAG
        flags |= (unk_key[inverse] & ~cols.typed_control).astype(np.uint8) * UNK_FLAG
        flags |= (np.asarray(cols.attention_mask) == 0).astype(np.uint8) * FADED_FLAG

        breaks = line_breaks(result, special)
        group = np.asarray(cols.group, dtype=np.int64)
        unit_start_mask = group == np.arange(n)
        if n:
            unit_start_mask[0] = True
        unit_starts = np.flatnonzero(unit_start_mask)
        sizes = np.diff(np.append(unit_starts, n))
        group_first = unit_starts[sizes > 1]
        group_last = group_first + sizes[sizes > 1] - 1
        lead = np.zeros(n, dtype=np.int64)
        lead[group_first] = GROUP_PAD
        trail = np.zeros(n, dtype=np.int64)
        trail[group_last] = GROUP_PAD
        return StripTokens(
            n=n,
            keys=keys,
            text_width=text_width,
            chip_width=chip_width,
            flags=flags,
            breaks=breaks,
            unit_starts=unit_starts,
            lead=lead,
            advance=lead + chip_width + trail + GAP,
            group_first=group_first,
            group_last=group_last,
        )

    # ------------------------------------------------------------------ layout
    def _available(self) -> int:
        """Line width for chips: independent of whether the scroll bar is showing."""
        extent = self.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent, None, self)
        width = self.contentsRect().width() - extent - 2 * MARGIN
        return max(MIN_AVAILABLE, width)

    def _relayout(self, anchor: int | None) -> None:
        tokens = self._tokens
        if tokens is None:
            self._layout = None
        else:
            self._layout = self._wrap(tokens, self._available())
        self._update_scrollbar()
        if anchor is not None and self._layout is not None and 0 <= anchor < tokens.n:  # type: ignore[union-attr]
            line = int(self._layout.line[anchor])
            self.verticalScrollBar().setValue(int(self._layout.line_top[line]) - MARGIN)

    def _wrap(self, tokens: StripTokens, available: int) -> StripLayout:
        n = tokens.n
        if n == 0:
            empty = np.zeros(0, dtype=np.int64)
            return StripLayout(
                available,
                empty,
                empty,
                empty,
                np.zeros(1, np.int64),
                np.full(1, MARGIN, np.int64),
                empty,
                2 * MARGIN,
            )
        chip = np.minimum(tokens.chip_width, available)
        advance = tokens.advance - tokens.chip_width + chip
        cum = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(advance, out=cum[1:])
        starts = tokens.unit_starts
        unit_cum = cum[np.append(starts, n)]
        unit_break = np.logical_or.reduceat(tokens.breaks, starts)
        unit_break[-1] = True
        line_units = line_starts(unit_cum, unit_break, available + GAP)
        line_start = np.append(starts[np.asarray(line_units, dtype=np.int64)], n)
        counts = np.diff(line_start)
        lines = len(counts)
        line = np.repeat(np.arange(lines, dtype=np.int64), counts)
        x = MARGIN + cum[:-1] - cum[line_start[:-1]][line] + tokens.lead
        has_group = np.logical_or.reduceat(tokens.lead > 0, line_start[:-1])
        chip_dy = has_group.astype(np.int64) * self._band
        heights = chip_dy + self._chip_h + LINE_GAP
        line_top = np.empty(lines + 1, dtype=np.int64)
        line_top[0] = MARGIN
        np.cumsum(heights, out=line_top[1:])
        line_top[1:] += MARGIN
        return StripLayout(
            width=available,
            x=x,
            w=chip,
            line=line,
            line_start=line_start,
            line_top=line_top,
            chip_dy=chip_dy,
            height=int(line_top[-1]) - LINE_GAP + MARGIN,
        )

    def _update_scrollbar(self) -> None:
        bar = self.verticalScrollBar()
        page = self.viewport().height()
        height = self.content_height()
        bar.setRange(0, max(0, height - page))
        bar.setPageStep(max(1, page))
        bar.setSingleStep(self._chip_h + LINE_GAP)

    def _first_visible(self) -> int | None:
        layout = self._layout
        if layout is None or len(layout.x) == 0:
            return None
        y = self.verticalScrollBar().value()
        line = int(np.searchsorted(layout.line_top[1:], y, side="right"))
        line = min(line, len(layout.line_start) - 2)
        return int(layout.line_start[line])

    def _ensure_visible(self, index: int) -> None:
        layout = self._layout
        if layout is None:
            return
        line = int(layout.line[index])
        top = int(layout.line_top[line])
        bottom = top + int(layout.chip_dy[line]) + self._chip_h
        bar = self.verticalScrollBar()
        page = self.viewport().height()
        if top - MARGIN < bar.value():
            bar.setValue(top - MARGIN)
        elif bottom + MARGIN > bar.value() + page:
            bar.setValue(bottom + MARGIN - page)

    # ------------------------------------------------------------------ theme
    def _apply_theme(self) -> None:
        lightness = self.palette().color(QPalette.ColorRole.Window).lightnessF()
        dark = is_dark(lightness)
        theme = chip_theme(dark, self._colorblind)
        self._theme = theme
        self._fills, self._colors, self._pens, self._unk_hatch = theme_brushes(theme, dark)

    # ------------------------------------------------------------------ painting
    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self.viewport())
        area = event.rect()
        painter.fillRect(area, self.palette().color(QPalette.ColorRole.Base))
        layout, tokens, result = self._layout, self._tokens, self._result
        if layout is None or tokens is None or result is None or tokens.n == 0:
            painter.setPen(self.palette().color(QPalette.ColorRole.PlaceholderText))
            painter.drawText(
                self.viewport().rect().adjusted(MARGIN, MARGIN, -MARGIN, -MARGIN),
                int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop),
                "No tokens" if result is not None else "",
            )
            painter.end()
            return
        scroll = self.verticalScrollBar().value()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        # The region may be a scrolled-in band plus a hovered chip far away: paint the lines
        # each of its rectangles touches, not everything between them.
        for first, last in line_ranges(layout, event.region(), scroll):
            a, b = int(layout.line_start[first]), int(layout.line_start[last])
            if a < b:
                self._paint_groups(painter, tokens, a, b, scroll)
                self._paint_chips(painter, layout, tokens, a, b, scroll)
        painter.end()

    def _paint_groups(
        self, painter: QPainter, tokens: StripTokens, a: int, b: int, scroll: int
    ) -> None:
        """Frames over byte pieces of one character, labelled with the character(s)."""
        lo = int(np.searchsorted(tokens.group_first, a, side="left"))
        hi = int(np.searchsorted(tokens.group_first, b, side="left"))
        if lo >= hi:
            return
        painter.setFont(self.font())
        painter.setBrush(Qt.BrushStyle.NoBrush)
        pen = self._pens["group"]
        label_flags = int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom)
        for first, last in zip(
            tokens.group_first[lo:hi].tolist(), tokens.group_last[lo:hi].tolist(), strict=True
        ):
            frame = self._group_frame(first, last, scroll)
            painter.setPen(pen)
            painter.drawRoundedRect(QRectF(frame).adjusted(0.5, 0.5, -0.5, -0.5), 4, 4)
            band = QRectF(frame.left(), frame.top(), frame.width(), self._band)
            painter.setPen(self._colors["group"])
            painter.drawText(band, label_flags, self._group_text(first, last))

    def _group_frame(self, first: int, last: int, scroll: int) -> QRect:
        layout = self._layout
        assert layout is not None
        line = int(layout.line[first])
        top = int(layout.line_top[line]) - scroll
        left = int(layout.x[first]) - GROUP_PAD + 1
        right = int(layout.x[last] + layout.w[last]) + GROUP_PAD - 1
        height = int(layout.chip_dy[line]) + self._chip_h + 2
        return QRect(left, top, right - left, height)

    def _group_text(self, first: int, last: int) -> str:
        result = self._result
        assert result is not None
        cols = result.columns
        sequence = int(cols.sequence_ids[first])
        start = int(cols.char_start[first : last + 1].min())
        end = int(cols.char_end[first : last + 1].max())
        return label_text(result.sequence_text(sequence)[start:end], self._glyphs)

    def _group_of(self, index: int) -> tuple[int, int] | None:
        tokens = self._tokens
        if tokens is None or not 0 <= index < tokens.n:
            return None
        k = int(np.searchsorted(tokens.group_first, index, side="right")) - 1
        if k < 0 or index > tokens.group_last[k]:
            return None
        return int(tokens.group_first[k]), int(tokens.group_last[k])

    def _paint_chips(
        self,
        painter: QPainter,
        layout: StripLayout,
        tokens: StripTokens,
        a: int,
        b: int,
        scroll: int,
    ) -> None:
        """Chips of tokens a…b-1: shapes batched into one path per style, texts cached."""
        cache = self._measured_for_paint()
        if cache is None:
            return
        chip_h = self._chip_h
        lines = layout.line[a:b]
        xs = layout.x[a:b].tolist()
        ws = layout.w[a:b].tolist()
        ys = (layout.line_top[lines] + layout.chip_dy[lines] - scroll).tolist()
        keys = tokens.keys[a:b].tolist()
        flags = tokens.flags[a:b].tolist()
        text_ws = tokens.text_width[a:b].tolist()
        lo = int(np.searchsorted(self._highlight, a, side="left"))
        hi = int(np.searchsorted(self._highlight, b, side="left"))
        selected = set(self._highlight[lo:hi].tolist())
        nfills = len(self._fills)
        current, hover = self._current, self._hover
        statics = cache.static
        fm = self._fm
        text_top = PAD_Y + (self._text_h - fm.height()) // 2
        # style: 0…nfills-1 a fill, then special, current; faded chips go to their own batch.
        special_style, current_style = nfills, nfills + 1
        shapes: dict[tuple[int, bool], list[QRectF]] = {}
        unk_shapes: list[tuple[QRectF, bool]] = []
        typed_shapes: list[QRectF] = []
        texts: dict[tuple[int, bool], list[tuple[QPointF, QStaticText]]] = {}
        outlines: list[tuple[QRectF, str]] = []
        for j in range(b - a):
            i = a + j
            flag = flags[j]
            faded = bool(flag & FADED_FLAG)
            x, y, w = xs[j], ys[j], ws[j]
            rect = QRectF(x + 0.5, y + 0.5, w - 1, chip_h - 1)
            if flag & TYPED_FLAG:
                typed_shapes.append(rect)
            if i == current:
                style = current_style
            elif flag & (SPECIAL_FLAG | TYPED_FLAG):
                style = special_style
            else:
                style = i % nfills
                if flag & UNK_FLAG:
                    unk_shapes.append((rect, faded))
            bucket_rects = shapes.get((style, faded))
            if bucket_rects is None:
                bucket_rects = shapes[(style, faded)] = []
            bucket_rects.append(rect)
            key = keys[j]
            inner = w - 2 * PAD_X
            if text_ws[j] > inner:
                elided = fm.elidedText(cache.text.get(key, ""), Qt.TextElideMode.ElideRight, inner)
                static = self._static_text(elided)
                left = x + PAD_X
            else:
                cached = statics.get(key)
                if cached is None:
                    cached = statics[key] = self._static_text(cache.text.get(key, ""))
                static = cached
                left = x + (w - text_ws[j]) // 2
            pen_kind = 2 if style == current_style else 1 if style == special_style else 0
            bucket = texts.get((pen_kind, faded))
            if bucket is None:
                bucket = texts[(pen_kind, faded)] = []
            bucket.append((QPointF(left, y + text_top), static))
            if i in selected:
                outlines.append((rect.adjusted(-1, -1, 1, 1), "selection"))
            elif i == hover:
                outlines.append((rect.adjusted(-1, -1, 1, 1), "hover"))
        # Antialiased fills one chip at a time are cheap; antialiased strokes and one big
        # path are not, so ordinary chips have no outline (the gap and the colours part them).
        pens, colors = self._pens, self._colors
        draw = painter.drawRoundedRect
        for (style, faded), rects in shapes.items():
            painter.setOpacity(FADED if faded else 1.0)
            if style == current_style:
                painter.setPen(pens["current"])
                painter.setBrush(colors["current"])
            elif style == special_style:
                painter.setPen(pens["special"])
                painter.setBrush(colors["special_fill"])
            else:
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(self._fills[style])
            for rect in rects:
                draw(rect, 3, 3)
        if unk_shapes:
            painter.setPen(pens["unk"])
            painter.setBrush(self._unk_hatch)
            for rect, faded in unk_shapes:
                painter.setOpacity(FADED if faded else 1.0)
                draw(rect, 3, 3)
        if typed_shapes:
            painter.setOpacity(1.0)
            paint_typed_marks(painter, typed_shapes, self._colors, self._chip_h, self._small)
        painter.setFont(self.font())
        text_colors = (colors["text"], colors["special_text"], colors["current_text"])
        for (pen_kind, faded), bucket in texts.items():
            painter.setOpacity(FADED if faded else 1.0)
            painter.setPen(text_colors[pen_kind])
            for point, static in bucket:
                painter.drawStaticText(point, static)
        painter.setOpacity(1.0)
        if outlines:
            painter.setBrush(Qt.BrushStyle.NoBrush)
            for rect, kind in outlines:
                painter.setPen(pens[kind])
                painter.drawRoundedRect(rect, 4, 4)
        if self._show_ids:
            self._paint_ids(painter, tokens, xs, ys, ws, flags, a, b)

    def _static_text(self, text: str) -> QStaticText:
        static = QStaticText(text)
        static.setTextFormat(Qt.TextFormat.PlainText)  # "<s>" is a token, not markup
        static.prepare(QTransform(), self.font())
        return static

    def _paint_ids(
        self,
        painter: QPainter,
        tokens: StripTokens,
        xs: list[int],
        ys: list[int],
        ws: list[int],
        flags: list[int],
        a: int,
        b: int,
    ) -> None:
        """The id under each chip's text, small; grouped so pen and opacity change rarely."""
        ids = (tokens.keys[a:b] >> 1).tolist()
        top = PAD_Y + self._text_h
        buckets: dict[tuple[bool, bool], list[tuple[QRectF, str]]] = {}
        for j in range(b - a):
            key = (bool(flags[j] & FADED_FLAG), a + j == self._current)
            rect = QRectF(xs[j], ys[j] + top, ws[j], self._id_h)
            buckets.setdefault(key, []).append((rect, str(ids[j])))
        painter.setFont(self._small)
        center = int(Qt.AlignmentFlag.AlignCenter)
        for (faded, current), items in buckets.items():
            painter.setOpacity(FADED if faded else 1.0)
            painter.setPen(self._colors["current_text" if current else "muted"])
            for rect, text in items:
                painter.drawText(rect, center, text)
        painter.setOpacity(1.0)

    def _measured_for_paint(self) -> MeasuredTexts | None:
        result = self._result
        if result is None:
            return None
        return self._measured.get((result.tokenizer, self._glyphs))

    # ------------------------------------------------------------------ events
    def scrollContentsBy(self, dx: int, dy: int) -> None:
        self.viewport().scroll(dx, dy)  # moves the pixels; only the uncovered band is painted
        viewport = self.viewport()
        if viewport.underMouse():  # the content moved under a still mouse
            self._set_hover(self.index_at(viewport.mapFromGlobal(QCursor.pos())))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self._layout is not None and self._available() != self._layout.width:
            self._relayout(anchor=self._first_visible())
            self.viewport().update()
        else:
            self._update_scrollbar()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        kind = event.type()
        if kind == QEvent.Type.FontChange:
            self._measured.clear()
            self._fonts()
            if self._result is not None:
                anchor = self._first_visible()
                self._tokens = self._prepare(self._result)
                self._relayout(anchor=anchor)
            self.viewport().update()
        elif kind in (QEvent.Type.PaletteChange, QEvent.Type.StyleChange):
            self._apply_theme()
            self.viewport().update()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        self._set_hover(self.index_at(event.position().toPoint()))
        super().mouseMoveEvent(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            index = self.index_at(event.position().toPoint())
            if index >= 0:
                self.set_current(index)
                self.clicked.emit(index)
                event.accept()
                return
        super().mousePressEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        n = 0 if self._tokens is None else self._tokens.n
        moves = {
            Qt.Key.Key_Right.value: self._current + 1,
            Qt.Key.Key_Left.value: self._current - 1 if self._current > 0 else 0,
            Qt.Key.Key_Home.value: 0,
            Qt.Key.Key_End.value: n - 1,
        }
        target = moves.get(int(event.key()))
        if target is None or n == 0:
            super().keyPressEvent(event)
            return
        target = max(0, min(n - 1, target))
        self.set_current(target)
        self.clicked.emit(target)
        event.accept()

    def viewportEvent(self, event: QEvent) -> bool:
        kind = event.type()
        if kind == QEvent.Type.Leave:
            self._set_hover(-1)
        elif kind == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            index = self.index_at(event.pos())
            if index >= 0:
                QToolTip.showText(
                    event.globalPos(),
                    self.tooltip_html(index),
                    self.viewport(),
                    self.chip_rect(index),
                )
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().viewportEvent(event)

    def _set_hover(self, index: int) -> None:
        if index == self._hover:
            return
        old, self._hover = self._hover, index
        for i in (old, index):
            if i >= 0:
                self.viewport().update(self.chip_rect(i).adjusted(-3, -3, 3, 3))
        self.hovered.emit(index)

    def tooltip_html(self, index: int) -> str:
        """What the tooltip of token ``index`` says: id, raw token, bytes, span, explanation."""
        if self._result is None or self._tokens is None or not 0 <= index < self._tokens.n:
            return ""
        typed_note = self.tr("⚠ control token typed in the text (parsed, not read as text)")
        text = tooltip_text(self._result, index, int(self._tokens.flags[index]), typed_note)
        role = role_of_token(self._result, index)
        if role is not None:  # what this special token is for, here
            text += "<br>" + html.escape(role_tooltip(role)).replace("\n", "<br>")
        return text
