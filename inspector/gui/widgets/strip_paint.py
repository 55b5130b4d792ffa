"""Painting the token strip: its theme's brushes and pens, the chips and byte-group frames of
the lines a paint exposes (only the chips that meet the exposed columns), the ids under them
and the warning marks of typed control tokens."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import cast

import numpy as np
from PySide6.QtCore import QPointF, QRect, QRectF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetrics,
    QPainter,
    QPen,
    QPixmap,
    QRegion,
    QStaticText,
    QTransform,
)
from PySide6.QtWidgets import QWidget

from inspector.gui.palette import ChipTheme
from inspector.gui.widgets.strip_layout import (
    FADED,
    FADED_FLAG,
    GROUP_PAD,
    PAD_X,
    PAD_Y,
    SPECIAL_FLAG,
    TYPED_FLAG,
    UNK_FLAG,
    MeasuredTexts,
    StripLayout,
    StripTokens,
)

# The warning marker on typed control tokens (an injected "<|endoftext|>" must be loud).
WARNING_LIGHT = "#c2410c"
WARNING_DARK = "#fb923c"

_THEME_COLORS = (
    "text",
    "muted",
    "border",
    "special_fill",
    "special_text",
    "special_border",
    "unk_border",
    "selection",
    "current",
    "current_text",
    "hover",
    "group",
)


def theme_brushes(
    theme: ChipTheme, dark: bool
) -> tuple[list[QBrush], dict[str, QColor], dict[str, QPen], QBrush]:
    """Chip fills, named colours, named pens and the [UNK] hatch of one theme."""
    fills = [QBrush(QColor(c)) for c in theme.fills]
    colors = {name: QColor(getattr(theme, name)) for name in _THEME_COLORS}
    colors["warning"] = QColor(WARNING_DARK if dark else WARNING_LIGHT)
    pens = {
        "border": QPen(colors["border"], 1.0),
        "special": QPen(colors["special_border"], 1.0, Qt.PenStyle.DashLine),
        "unk": QPen(colors["unk_border"], 2.0),
        "current": QPen(colors["current"], 2.0),
        "selection": QPen(colors["selection"], 2.0),
        "hover": QPen(colors["hover"], 1.5),
        "group": QPen(colors["group"], 1.2),
        "warning": QPen(colors["warning"], 2.0),
    }
    hatch = QColor(colors["unk_border"])
    hatch.setAlpha(110)
    return fills, colors, pens, QBrush(hatch, Qt.BrushStyle.BDiagPattern)


def paint_typed_marks(
    painter: QPainter, rects: list[QRectF], colors: dict[str, QColor], chip_h: int, small: QFont
) -> None:
    """A control token typed in the text: a warning-coloured frame and a "!" badge on its
    top-right corner (chips leave a gap between them; the badge may overlap it)."""
    warning = colors["warning"]
    painter.setPen(QPen(warning, 2.0))
    painter.setBrush(Qt.BrushStyle.NoBrush)
    for rect in rects:
        painter.drawRoundedRect(rect, 3, 3)
    radius = max(4.5, chip_h * 0.3)
    font = QFont(small)
    font.setBold(True)
    painter.setFont(font)
    center = int(Qt.AlignmentFlag.AlignCenter)
    for rect in rects:
        badge = QRectF(
            rect.right() - 1.6 * radius, rect.top() - 0.4 * radius, 2 * radius, 2 * radius
        )
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(warning)
        painter.drawEllipse(badge)
        painter.setPen(QColor("white"))
        painter.drawText(badge, center, "!")


def static_text(font: QFont, text: str) -> QStaticText:
    """``text`` laid out once in ``font``, to be drawn many times (plain text, never markup)."""
    static = QStaticText(text)
    static.setTextFormat(Qt.TextFormat.PlainText)  # "<s>" is a token, not markup
    static.prepare(QTransform(), font)
    return static


def paint_ids(
    painter: QPainter,
    ids: list[int],
    places: tuple[list[int], list[int], list[int], int, int],
    flags: list[int],
    current: int,
    font: QFont,
    colors: dict[str, QColor],
) -> None:
    """The id under each chip's text, small; grouped so pen and opacity change rarely.
    ``places``: chips' x, top and width, the ids' offset below the top and their height;
    ``current``: the position of the current token among them (or out of range)."""
    xs, ys, ws, top, height = places
    buckets: dict[tuple[bool, bool], list[tuple[QRectF, str]]] = {}
    for j, token_id in enumerate(ids):
        key = (bool(flags[j] & FADED_FLAG), j == current)
        rect = QRectF(xs[j], ys[j] + top, ws[j], height)
        buckets.setdefault(key, []).append((rect, str(token_id)))
    painter.setFont(font)
    center = int(Qt.AlignmentFlag.AlignCenter)
    for (faded, is_current), items in buckets.items():
        painter.setOpacity(FADED if faded else 1.0)
        painter.setPen(colors["current_text" if is_current else "muted"])
        for rect, text in items:
            painter.drawText(rect, center, text)
    painter.setOpacity(1.0)


@dataclass(frozen=True)
class ChipStyle:
    """How the strip draws: its fonts and sizes, and its theme's brushes, pens and colours."""

    font: QFont
    small: QFont  # ids and the typed-control badge
    metrics: QFontMetrics  # of ``font``
    chip_h: int
    text_h: int
    id_h: int  # 0 when ids are not shown
    band: int  # room for byte-group labels above a line that has a group
    fills: list[QBrush]
    colors: dict[str, QColor]
    pens: dict[str, QPen]
    unk_hatch: QBrush


@dataclass(frozen=True)
class PaintedViewport:
    """One paint of the strip's viewport: content y is viewport y + ``scroll``; ``left`` and
    ``right`` bound (viewport x) the exposed region; ``current``, ``hover`` and the sorted
    ``highlight`` are the marked tokens."""

    scroll: int
    left: int
    right: int
    current: int
    hover: int
    highlight: np.ndarray

    def chips(self, layout: StripLayout, a: int, b: int, reach: int) -> np.ndarray:
        """Tokens among ``a…b-1`` whose chip, and ``reach`` pixels around it (outlines, the
        badge), meets the exposed columns: a hovered chip repaints itself, not its line."""
        x, w = layout.x[a:b], layout.w[a:b]
        return np.flatnonzero((x + w + reach > self.left) & (x - reach <= self.right)) + a


class ViewportCache:
    """The strip's viewport as it was last painted, and the part of it that is still right.

    Qt paints what it is asked to: the whole viewport after an expose or a ``repaint()``,
    chips and all, even where nothing changed. A part still right is copied from here; only
    the rest is drawn (into the cache, then copied). Whatever changes what the strip shows
    says where (:meth:`invalidate`); a scroll moves the cache's pixels as Qt moves the
    viewport's (:meth:`scroll`); a new size or pixel ratio starts over."""

    def __init__(self) -> None:
        self.pixmap = QPixmap()
        self.valid = QRegion()

    def invalidate(self, rect: QRect | None = None) -> None:
        """``rect`` (viewport coordinates; None: all of it) must be drawn again."""
        self.valid = QRegion() if rect is None else self.valid.subtracted(QRegion(rect))

    def scroll(self, dx: int, dy: int) -> None:
        ratio = self.pixmap.devicePixelRatio()
        if self.valid.isEmpty() or ratio != round(ratio):
            self.valid = QRegion()
            return
        step = round(ratio)
        self.pixmap.scroll(dx * step, dy * step, self.pixmap.rect())
        area = QRect(0, 0, self.pixmap.width() // step, self.pixmap.height() // step)
        self.valid = self.valid.translated(dx, dy).intersected(QRegion(area))

    def paint(
        self,
        painter: QPainter,
        viewport: QWidget,
        region: QRegion,
        draw: Callable[[QPainter, QRegion], None],
    ) -> None:
        """Copy ``region`` of the viewport from the cache onto ``painter``, having drawn the
        part of it that is not right with ``draw(cache_painter, part)``."""
        ratio = viewport.devicePixelRatioF()
        size = viewport.size() * ratio
        if self.pixmap.size() != size or self.pixmap.devicePixelRatio() != ratio:
            self.pixmap = QPixmap(size)
            self.pixmap.setDevicePixelRatio(ratio)
            self.valid = QRegion()
        missing = region.subtracted(self.valid)
        if not missing.isEmpty():
            inner = QPainter(self.pixmap)
            inner.setClipRegion(missing)
            draw(inner, missing)
            inner.end()
            self.valid = self.valid.united(missing)
        for rect in cast("Iterable[QRect]", region):
            source = QRectF(
                rect.x() * ratio, rect.y() * ratio, rect.width() * ratio, rect.height() * ratio
            )
            painter.drawPixmap(QRectF(rect), self.pixmap, source)


def group_frame(layout: StripLayout, first: int, last: int, scroll: int, chip_h: int) -> QRect:
    """The frame over tokens ``first…last`` (a byte group), in viewport coordinates."""
    line = int(layout.line[first])
    top = int(layout.line_top[line]) - scroll
    left = int(layout.x[first]) - GROUP_PAD + 1
    right = int(layout.x[last] + layout.w[last]) + GROUP_PAD - 1
    height = int(layout.chip_dy[line]) + chip_h + 2
    return QRect(left, top, right - left, height)


def paint_groups(
    painter: QPainter,
    view: PaintedViewport,
    style: ChipStyle,
    layout: StripLayout,
    tokens: StripTokens,
    span: tuple[int, int],
    label: Callable[[int, int], QStaticText],
) -> None:
    """Frames over the byte groups among tokens ``span`` (pieces of one character), each
    labelled with ``label(first, last)``: the character(s) they build."""
    a, b = span
    lo = int(np.searchsorted(tokens.group_first, a, side="left"))
    hi = int(np.searchsorted(tokens.group_first, b, side="left"))
    if lo >= hi:
        return
    painter.setFont(style.font)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.setPen(style.pens["group"])
    labels: list[tuple[QRect, QStaticText]] = []
    for first, last in zip(
        tokens.group_first[lo:hi].tolist(), tokens.group_last[lo:hi].tolist(), strict=True
    ):
        frame = group_frame(layout, first, last, view.scroll, style.chip_h)
        painter.drawRoundedRect(QRectF(frame).adjusted(0.5, 0.5, -0.5, -0.5), 4, 4)
        labels.append((frame, label(first, last)))
    painter.setPen(style.colors["group"])
    for frame, static in labels:  # centred over the frame, at the bottom of its band
        size = static.size()
        x = frame.left() + (frame.width() - size.width()) / 2
        y = frame.top() + style.band - size.height()
        painter.drawStaticText(QPointF(x, y), static)


def paint_chips(
    painter: QPainter,
    view: PaintedViewport,
    style: ChipStyle,
    chips: tuple[StripLayout, StripTokens, MeasuredTexts],
    span: tuple[int, int],
) -> None:
    """The chips among tokens ``span`` that meet the exposed columns: shapes batched per
    style, texts from the cache of laid-out labels."""
    layout, tokens, cache = chips
    chip_h, fm, font = style.chip_h, style.metrics, style.font
    shown = view.chips(layout, *span, reach=4 + chip_h // 2)
    if not len(shown):
        return
    lines = layout.line[shown]
    indices = shown.tolist()
    xs = layout.x[shown].tolist()
    ws = layout.w[shown].tolist()
    ys = (layout.line_top[lines] + layout.chip_dy[lines] - view.scroll).tolist()
    keys = tokens.keys[shown].tolist()
    flags = tokens.flags[shown].tolist()
    text_ws = tokens.text_width[shown].tolist()
    highlight = view.highlight
    lo = int(np.searchsorted(highlight, indices[0], side="left"))
    hi = int(np.searchsorted(highlight, indices[-1], side="right"))
    selected = set(highlight[lo:hi].tolist())
    nfills = len(style.fills)
    current, hover = view.current, view.hover
    statics = cache.static
    text_top = PAD_Y + (style.text_h - fm.height()) // 2
    # style: 0…nfills-1 a fill, then special, current; faded chips go to their own batch.
    special_style, current_style = nfills, nfills + 1
    shapes: dict[tuple[int, bool], list[QRectF]] = {}
    unk_shapes: list[tuple[QRectF, bool]] = []
    typed_shapes: list[QRectF] = []
    texts: dict[tuple[int, bool], list[tuple[QPointF, QStaticText]]] = {}
    outlines: list[tuple[QRectF, str]] = []
    for j, i in enumerate(indices):
        flag = flags[j]
        faded = bool(flag & FADED_FLAG)
        x, y, w = xs[j], ys[j], ws[j]
        rect = QRectF(x + 0.5, y + 0.5, w - 1, chip_h - 1)
        if flag & TYPED_FLAG:
            typed_shapes.append(rect)
        if i == current:
            kind = current_style
        elif flag & (SPECIAL_FLAG | TYPED_FLAG):
            kind = special_style
        else:
            kind = i % nfills
            if flag & UNK_FLAG:
                unk_shapes.append((rect, faded))
        bucket_rects = shapes.get((kind, faded))
        if bucket_rects is None:
            bucket_rects = shapes[(kind, faded)] = []
        bucket_rects.append(rect)
        key = keys[j]
        inner = w - 2 * PAD_X
        if text_ws[j] > inner:
            elided = fm.elidedText(cache.text.get(key, ""), Qt.TextElideMode.ElideRight, inner)
            static = static_text(font, elided)
            left = x + PAD_X
        else:
            cached = statics.get(key)
            if cached is None:
                cached = statics[key] = static_text(font, cache.text.get(key, ""))
            static = cached
            left = x + (w - text_ws[j]) // 2
        pen_kind = 2 if kind == current_style else 1 if kind == special_style else 0
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
    pens, colors = style.pens, style.colors
    draw = painter.drawRoundedRect
    for (kind, faded), rects in shapes.items():
        painter.setOpacity(FADED if faded else 1.0)
        if kind == current_style:
            painter.setPen(pens["current"])
            painter.setBrush(colors["current"])
        elif kind == special_style:
            painter.setPen(pens["special"])
            painter.setBrush(colors["special_fill"])
        else:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(style.fills[kind])
        for rect in rects:
            draw(rect, 3, 3)
    if unk_shapes:
        painter.setPen(pens["unk"])
        painter.setBrush(style.unk_hatch)
        for rect, faded in unk_shapes:
            painter.setOpacity(FADED if faded else 1.0)
            draw(rect, 3, 3)
    if typed_shapes:
        painter.setOpacity(1.0)
        paint_typed_marks(painter, typed_shapes, colors, chip_h, style.small)
    painter.setFont(font)
    text_colors = (colors["text"], colors["special_text"], colors["current_text"])
    for (pen_kind, faded), bucket in texts.items():
        painter.setOpacity(FADED if faded else 1.0)
        painter.setPen(text_colors[pen_kind])
        for point, static in bucket:
            painter.drawStaticText(point, static)
    painter.setOpacity(1.0)
    if outlines:
        painter.setBrush(Qt.BrushStyle.NoBrush)
        for rect, outline in outlines:
            painter.setPen(pens[outline])
            painter.drawRoundedRect(rect, 4, 4)
    if style.id_h:
        ids = (tokens.keys[shown] >> 1).tolist()
        places = (xs, ys, ws, PAD_Y + style.text_h, style.id_h)
        at = int(np.searchsorted(shown, current))
        marked = at if at < len(shown) and shown[at] == current else -1
        paint_ids(painter, ids, places, flags, marked, style.small, colors)
