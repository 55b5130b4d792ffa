"""Brushes and pens of the token strip's theme, and the warning marks of typed control tokens."""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QPainter, QPen

from inspector.gui.palette import ChipTheme

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
