"""The token strip: every token of a result as a coloured chip, in text order, wrapped like text.

Virtualized: the layout is a handful of numpy arrays (chip x, width, line of each token, line
tops), computed once per result and again only when the width changes. A paint binary-searches
the first visible line and draws only the chips of the visible lines, so its cost does not
depend on the number of tokens.

Widths are measured once per distinct token (``display`` depends only on the id), cached per
tokenizer, and the greedy wrap runs one step per *line* (a bisection over cumulative widths),
not per token.

A result of up to ``SYNC_TOKENS`` tokens (a paragraph, a page: what typing meets) is laid out
in the same event-loop turn. A larger one (5 MB of text is about 2.8 M tokens: a second of
numpy and wrapping) is prepared and wrapped on a worker thread, so the window keeps answering;
the strip says what it is doing meanwhile and ``laid_out`` tells when the chips are there.
A newer result, option or width supersedes the job under way (the runner's latest-job check).
"""

from __future__ import annotations

import html
import threading
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import QEvent, QPoint, QRect, QSize, Qt, QTimer, Signal, Slot
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
    QRegion,
    QResizeEvent,
    QStaticText,
)
from PySide6.QtWidgets import QAbstractScrollArea, QStyle, QToolTip, QWidget

from inspector.core.array_slices import release_arrays, workers_wait
from inspector.core.cancel import CancelToken
from inspector.core.encoding import EncodingResult
from inspector.core.result_diff import unchanged_tokens
from inspector.core.token_roles import role_of_token
from inspector.core.tokenizer import TokenizerFacts
from inspector.gui.glossary_dialog import role_tooltip
from inspector.gui.jobs import JobRunner
from inspector.gui.palette import ChipTheme, chip_theme, is_dark
from inspector.gui.widgets.model_updates import PaintsInBands, PaintTurns
from inspector.gui.widgets.strip_layout import (
    LINE_GAP,
    MARGIN,
    MIN_AVAILABLE,
    PAD_Y,
    SYNC_TOKENS,
    MeasuredTexts,
    StripLayout,
    StripTokens,
    group_of,
    group_text,
    line_ranges,
    prepare_tokens,
    scaled_font,
    strip_words,
    tooltip_text,
    wrap_tokens,
)
from inspector.gui.widgets.strip_paint import (
    ChipStyle,
    PaintedViewport,
    ViewportCache,
    group_frame,
    paint_chips,
    paint_groups,
    static_text,
    theme_brushes,
)
from inspector.gui.widgets.strip_typing import TypedLayout, typed_layout

if TYPE_CHECKING:
    from inspector.gui.state import InspectorState


_LAYOUT_CHANNEL = "strip:layout"
# Changes that may change the palette's colours in use (an inactive or disabled window has
# its own colour group): painted again, not copied from what was painted before.
_LOOK_CHANGES = (
    QEvent.Type.PaletteChange,
    QEvent.Type.StyleChange,
    QEvent.Type.ActivationChange,
    QEvent.Type.EnabledChange,
)


class TokenStrip(PaintsInBands, QAbstractScrollArea):
    """Chips for every token of an :class:`EncodingResult`; hover and click report indices."""

    hovered = Signal(int)  # token index under the mouse, -1 when it leaves the chips
    clicked = Signal(int)  # token index clicked (or moved to with the arrow keys)
    laid_out = Signal()  # the chips of the result shown are laid out (at once, or by a worker)

    def __init__(
        self, parent: QWidget | None = None, *, state: InspectorState | None = None
    ) -> None:
        """``state``: the strip follows its result, selected, hovered and highlighted tokens,
        sends clicks and hovers to it and lays out on its runner (without a state the owner
        calls ``set_result`` / ``set_current`` and listens to ``hovered`` / ``clicked``)."""
        super().__init__(parent)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.viewport().setMouseTracking(True)
        self.viewport().setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAccessibleName(strip_words("name"))
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
        self._label_statics: dict[str, QStaticText] = {}  # byte groups' labels
        self._painted = ViewportCache()
        self._theme: ChipTheme | None = None
        self._colors: dict[str, QColor] = {}
        self._fills: list[QBrush] = []
        self._runner = state.runner if state is not None else JobRunner(self, max_threads=1)
        self._pending = False  # a worker is laying out the result shown
        self._pending_current = -1  # asked for while the layout was pending
        self._pending_highlight = np.zeros(0, dtype=np.int64)
        self._state = state
        # A layout that starts once the window has presented its result (see set_result).
        self._after_settle: tuple[EncodingResult, Callable[[], None]] | None = None
        self._worker_metrics = threading.local()  # a worker's own font metrics
        self._gui_thread = threading.get_ident()
        self._fonts()
        self._apply_theme()
        if state is not None:
            state.result_changed.connect(self.set_result)
            state.result_settled.connect(self._start_after_settle)
            state.token_selected.connect(self.set_current)
            state.token_hovered.connect(self._show_hover)
            state.tokens_highlighted.connect(self.highlight)
            self.clicked.connect(state.select_token)
            self.hovered.connect(state.hover_token)

    # ------------------------------------------------------------------ public API
    @Slot(object)
    def set_result(self, result: EncodingResult | None) -> None:
        """Show ``result`` (``None`` clears). Selection and current token are reset."""
        old, marked = self._result, self._current >= 0 or len(self._highlight) > 0
        self._result = result
        self._highlight = np.zeros(0, dtype=np.int64)
        self._pending_highlight = self._highlight
        self._current = self._pending_current = -1
        self._set_hover(-1)
        if result is not None and len(result.columns) > SYNC_TOKENS:
            # The state's: its panels present it first (slots, first paint), the worker after.
            # Beside them, on Python's lock and the CPUs, it stretched that to 25-45 ms (5 MB).
            after_settle = self._state is not None and self._state.result is result
            self._lay_out_on_worker(result, prepare=True, anchor=None, after_settle=after_settle)
            return
        self._runner.cancel(_LAYOUT_CHANNEL)
        # Typing: the chips of the tokens kept stay, and only what may differ is painted
        # (a mark cleared may be anywhere: then all of it).
        typed = None if marked or self._pending else self._typed_layout(old, result)
        self._pending = False
        if typed is None:
            self._tokens = None if result is None else self._prepare(result)
            self._layout = None
            self._relayout(anchor=None)
            self.verticalScrollBar().setValue(0)
            self._dirty()
        else:
            self._tokens, self._layout = typed.tokens, typed.layout
            self._update_scrollbar()
            self.verticalScrollBar().setValue(0)
            self._update_below(typed.top)
        self.laid_out.emit()

    def _typed_layout(
        self, old: EncodingResult | None, result: EncodingResult | None
    ) -> TypedLayout | None:
        """The chips of ``result`` from those of ``old`` (shown) for the tokens it keeps."""
        tokens, layout = self._tokens, self._layout
        if old is None or result is None or tokens is None or layout is None:
            return None
        if layout.width != self._available():
            return None

        def wrap(tokens: StripTokens, keep: StripLayout, line: int) -> StripLayout:
            return wrap_tokens(
                tokens, keep.width, self._chip_h, self._band, keep=keep, from_line=line
            )

        return typed_layout(
            (tokens, layout), result, self._unchanged(old, result), self._prepare, wrap
        )

    def _unchanged(self, old: EncodingResult, new: EncodingResult) -> int:
        """How many leading tokens of ``new`` are ``old``'s, chips and all."""
        return unchanged_tokens(old, new)

    def _update_below(self, top: int) -> None:
        """Paint again from content y ``top`` down (nothing if that is below the view)."""
        area = self.viewport().rect()
        y = top - self.verticalScrollBar().value()
        band = QRect(area.left(), y, area.width(), area.bottom() + 1 - y).intersected(area)
        if not band.isEmpty():
            self._dirty(band)

    def is_laying_out(self) -> bool:
        """A worker is preparing or wrapping the chips of the result shown."""
        return self._pending

    def _lay_out_on_worker(
        self,
        result: EncodingResult,
        *,
        prepare: bool,
        anchor: int | None,
        after_settle: bool = False,
    ) -> None:
        """Prepare (``prepare``) and wrap ``result`` on a worker; until it lands the strip
        shows what it is doing (a wrap only: the chips as they were). ``after_settle``: the
        worker starts once the state's ``result_settled`` has been presented."""
        self._pending, self._after_settle = True, None  # this layout supersedes one waiting
        retired: list[object] = []  # the chips of the result shown before: freed on the worker
        if prepare:
            retired = [old for old in (self._tokens, self._layout) if old is not None]
            self._tokens, self._layout = None, None
            self._update_scrollbar()
            self._dirty()
        tokens = None if prepare else self._tokens
        job = (self._layout_job, result, tokens, self._available(), retired)

        def submit() -> None:
            if result is self._result and self._pending:  # still the one to lay out
                done = lambda landed: self._on_laid_out(result, landed, anchor)  # noqa: E731
                self._runner.submit(_LAYOUT_CHANNEL, *job, done=done)

        if after_settle:
            self._runner.cancel(_LAYOUT_CHANNEL)  # the last result's layout: moot now
            self._after_settle = (result, submit)
        else:
            submit()

    @Slot(object)
    def _start_after_settle(self, result: EncodingResult | None) -> None:
        """The panels' slots have just run and asked for the window's repaint: a call posted
        from here would run before that paint, one posted from that call runs after it."""
        waiting = self._after_settle
        if waiting is None or waiting[0] is not result:
            return
        self._after_settle = None
        start = waiting[1]
        QTimer.singleShot(0, self, lambda: QTimer.singleShot(0, self, start))

    def _layout_job(
        self,
        result: EncodingResult,
        tokens: StripTokens | None,
        width: int,
        retired: list[object],
        *,
        cancel: CancelToken,
    ) -> tuple[StripTokens, StripLayout]:
        """On a worker thread: numpy, the worker's own font metrics, no widget calls."""
        release_arrays(retired)
        if tokens is None:
            tokens = self._prepare(result)
        cancel.check()
        return tokens, self._wrap(tokens, width)

    def _on_laid_out(
        self,
        result: EncodingResult,
        landed: tuple[StripTokens, StripLayout],
        anchor: int | None,
    ) -> None:
        if result is not self._result:
            return
        if self._tokens is None:  # every chip in view is new: painted a band a turn
            PaintTurns.shared().hold(self)
        self._pending = False
        self._tokens, self._layout = landed
        if self._layout.width != self._available():  # resized meanwhile: wrap again
            self._lay_out_on_worker(result, prepare=False, anchor=anchor)
        self._update_scrollbar()
        self._scroll_to(anchor)
        highlight, current = self._pending_highlight, self._pending_current
        self._pending_highlight, self._pending_current = self._highlight, -1
        self.highlight(highlight)  # what was asked for while the chips were on their way
        self.set_current(current)
        self.laid_out.emit()

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
                self._prepare_again()
        if recolor:
            self._apply_theme()
        if relayout or recolor:
            self._dirty()

    @Slot(object)
    def highlight(self, indices: np.ndarray | Sequence[int]) -> None:
        """Outline the chips covering the text selection; an empty sequence clears."""
        values = np.unique(np.asarray(indices, dtype=np.int64).ravel())
        if self._pending and self._tokens is None:
            self._pending_highlight = values  # applied when the chips land
            return
        n = 0 if self._tokens is None else self._tokens.n
        values = values[(values >= 0) & (values < n)]
        if np.array_equal(values, self._highlight):
            return
        self._highlight = values
        self._dirty()

    @Slot(int)
    def set_current(self, index: int) -> None:
        """Mark the selected token (filled accent) and scroll it into view; -1 clears."""
        if self._pending and self._tokens is None:
            self._pending_current = index  # selected before the chips landed
            return
        n = 0 if self._tokens is None else self._tokens.n
        index = index if 0 <= index < n else -1
        self._current = index
        if index >= 0:
            self._ensure_visible(index)
        self._dirty()

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
        return "" if group is None else group_text(self._result, *group, self._glyphs)

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
        self._font_for_workers = QFont(font)  # copied here, measured there
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

    def _prepare(self, result: EncodingResult, start: int = 0) -> StripTokens:
        """The strip's arrays of ``result``'s tokens (from ``start``, a character group's first)."""
        digit_w = self._digit_w if self._show_ids else 0
        cache = self._measure_cache(result)
        advance = self._advance()
        return prepare_tokens(
            result, cache, advance, glyphs=self._glyphs, digit_w=digit_w, start=start
        )

    def _advance(self) -> Callable[[str], int]:
        """Text width in the strip's font: the GUI thread's metrics, or a worker's own."""
        if threading.get_ident() == self._gui_thread:
            return self._fm.horizontalAdvance
        local = self._worker_metrics
        font = self._font_for_workers
        if getattr(local, "font", None) != font:
            local.font, local.metrics = font, QFontMetrics(font)
        return local.metrics.horizontalAdvance  # type: ignore[no-any-return]

    def _prepare_again(self) -> None:
        """The options or the font changed: measure and wrap the result shown again."""
        result = self._result
        if result is None:
            return
        anchor = self._first_visible()
        if len(result.columns) > SYNC_TOKENS:
            self._lay_out_on_worker(result, prepare=True, anchor=anchor)
            return
        self._tokens = self._prepare(result)
        self._layout = None
        self._relayout(anchor=anchor)

    # ------------------------------------------------------------------ layout
    def _available(self) -> int:
        """Line width for chips: independent of whether the scroll bar is showing."""
        extent = self.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent, None, self)
        width = self.contentsRect().width() - extent - 2 * MARGIN
        return max(MIN_AVAILABLE, width)

    def _relayout(self, anchor: int | None) -> None:
        tokens = self._tokens
        self._layout = None if tokens is None else self._wrap(tokens, self._available())
        self._update_scrollbar()
        self._scroll_to(anchor)

    def _scroll_to(self, anchor: int | None) -> None:
        """Scroll the line of token ``anchor`` to the top (None: stay)."""
        layout = self._layout
        if anchor is not None and layout is not None and 0 <= anchor < len(layout.x):
            line = int(layout.line[anchor])
            self.verticalScrollBar().setValue(int(layout.line_top[line]) - MARGIN)

    def _wrap(self, tokens: StripTokens, available: int) -> StripLayout:
        return wrap_tokens(tokens, available, self._chip_h, self._band)

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
    def _dirty(self, rect: QRect | None = None) -> None:
        """What the strip shows changed in ``rect`` (None: anywhere): paint it again."""
        self._painted.invalidate(rect)
        if rect is None:
            self.viewport().update()
        else:
            self.viewport().update(rect)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self.viewport())
        layout, tokens, result = self._layout, self._tokens, self._result
        if layout is None or tokens is None or result is None or tokens.n == 0:
            self._painted.invalidate()
            painter.fillRect(event.rect(), self.palette().color(QPalette.ColorRole.Base))
            if result is None:
                note = ""
            elif self._pending:
                note = strip_words("laying out").format(len(result.columns))
            else:
                note = strip_words("empty")
            painter.setPen(self.palette().color(QPalette.ColorRole.PlaceholderText))
            painter.drawText(
                self.viewport().rect().adjusted(MARGIN, MARGIN, -MARGIN, -MARGIN),
                int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop),
                note,
            )
            painter.end()
            return
        region = self.band_of(event.region())
        with workers_wait():
            self._painted.paint(painter, self.viewport(), region, self._paint_lines)
        painter.end()

    def _paint_lines(self, painter: QPainter, region: QRegion) -> None:
        """The chips and byte groups of the lines that meet ``region`` (viewport coordinates)."""
        layout, tokens = self._layout, self._tokens
        assert layout is not None and tokens is not None
        painter.fillRect(region.boundingRect(), self.palette().color(QPalette.ColorRole.Base))
        scroll = self.verticalScrollBar().value()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        cache, style = self._measured_for_paint(), self._style()
        bounds = region.boundingRect()
        marks = (self._current, self._hover, self._highlight)
        view = PaintedViewport(scroll, bounds.left(), bounds.right(), *marks)
        # The region may be a scrolled-in band plus a hovered chip far away: paint the lines
        # each of its rectangles touches, not everything between them.
        for first, last in line_ranges(layout, region, scroll):
            span = (int(layout.line_start[first]), int(layout.line_start[last]))
            if span[0] < span[1]:
                paint_groups(painter, view, style, layout, tokens, span, self._group_label)
                if cache is not None:
                    paint_chips(painter, view, style, (layout, tokens, cache), span)

    def _group_label(self, first: int, last: int) -> QStaticText:
        """The label over a byte group: the character(s) it builds, laid out once (drawText
        would lay it out on every paint)."""
        text = group_text(self._result, first, last, self._glyphs)
        statics = self._label_statics
        static = statics.get(text)
        if static is None:
            if len(statics) > 4096:
                statics.clear()
            static = statics[text] = static_text(self.font(), text)
        return static

    def _group_frame(self, first: int, last: int, scroll: int) -> QRect:
        assert self._layout is not None
        return group_frame(self._layout, first, last, scroll, self._chip_h)

    def _group_of(self, index: int) -> tuple[int, int] | None:
        return None if self._tokens is None else group_of(self._tokens, index)

    def _style(self) -> ChipStyle:
        return ChipStyle(
            self.font(),
            self._small,
            self._fm,
            self._chip_h,
            self._text_h,
            self._id_h,
            self._band,
            self._fills,
            self._colors,
            self._pens,
            self._unk_hatch,
        )

    def _measured_for_paint(self) -> MeasuredTexts | None:
        result = self._result
        if result is None:
            return None
        return self._measured.get((result.tokenizer, self._glyphs))

    # ------------------------------------------------------------------ events
    def scrollContentsBy(self, dx: int, dy: int) -> None:
        self.viewport().scroll(dx, dy)  # moves the pixels; only the uncovered band is painted
        self._painted.scroll(dx, dy)
        self.scrolled_between_bands()
        viewport = self.viewport()
        if viewport.underMouse():  # the content moved under a still mouse
            self._set_hover(self.index_at(viewport.mapFromGlobal(QCursor.pos())))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        tokens, result = self._tokens, self._result
        if self._layout is not None and self._available() != self._layout.width:
            if tokens is not None and result is not None and tokens.n > SYNC_TOKENS:
                if not self._pending:  # one landing wraps again if the width moved on
                    self._lay_out_on_worker(result, prepare=False, anchor=self._first_visible())
                self._update_scrollbar()
                return
            self._relayout(anchor=self._first_visible())
            self._dirty()
        else:
            self._update_scrollbar()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        kind = event.type()
        if kind == QEvent.Type.FontChange:
            self._measured.clear()
            self._label_statics.clear()
            self._fonts()
            self._prepare_again()
            self._dirty()
        elif kind in _LOOK_CHANGES:  # the colours in use may be others now
            self._apply_theme()
            self._dirty()
        elif kind == QEvent.Type.LanguageChange:
            self.setAccessibleName(strip_words("name"))
            self._dirty()  # "No tokens" is painted

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

    @Slot(int)
    def _show_hover(self, index: int) -> None:
        """A token hovered elsewhere (the state's ``token_hovered``): outline it, quietly."""
        n = 0 if self._tokens is None else self._tokens.n
        self._move_hover(index if 0 <= index < n else -1)

    def _set_hover(self, index: int) -> None:
        if self._move_hover(index):
            self.hovered.emit(index)

    def _move_hover(self, index: int) -> bool:
        if index == self._hover:
            return False
        old, self._hover = self._hover, index
        for i in (old, index):
            if i >= 0:
                self._dirty(self.chip_rect(i).adjusted(-3, -3, 3, 3))
        return True

    def tooltip_html(self, index: int) -> str:
        """What the tooltip of token ``index`` says: id, raw token, bytes, span, explanation."""
        if self._result is None or self._tokens is None or not 0 <= index < self._tokens.n:
            return ""
        typed_note = strip_words("typed")
        text = tooltip_text(self._result, index, int(self._tokens.flags[index]), typed_note)
        role = role_of_token(self._result, index)
        if role is not None:  # what this special token is for, here
            text += "<br>" + html.escape(role_tooltip(role)).replace("\n", "<br>")
        return text
