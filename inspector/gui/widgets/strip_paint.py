"""Brushes and pens of the token strip's theme, and the warning marks of typed control tokens."""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QPainter, QPen, QStaticText, QTransform

from inspector.gui.palette import ChipTheme
from inspector.gui.widgets.strip_layout import FADED, FADED_FLAG

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
