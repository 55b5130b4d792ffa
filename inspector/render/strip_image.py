"""PNG / SVG of the token strip(s) of a report: the app's chips, palette and glyphs.

Drawn from the report dict (what the JSON holds), so the CLI and the GUI export draw the same
picture. One strip per tokenizer, stacked, each under its id; byte pieces of one character
framed under the character, specials dashed, [UNK] hatched, unshared tokens underlined red.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontDatabase,
    QFontInfo,
    QFontMetricsF,
    QImage,
    QPainter,
    QPen,
)
from PySide6.QtSvg import QSvgGenerator

from inspector.core.palette import chip_theme
from inspector.core.report import unshared_flags
from inspector.core.report_html import Unit, strip_units
from inspector.render.font_coverage import drawable_in
from inspector.render.qt import ensure_gui_application

WIDTH = 1200  # picture width in pixels (the strip wraps inside it)
TOKEN_LIMIT = 6000  # tokens drawn per tokenizer; a note says how many more there are
LINE_LIMIT = 240  # lines in the whole picture (a PNG that viewers open: ≲ 10k pixels tall)
SHARP_HEIGHT = 5000  # up to this height a PNG is drawn at twice the size (high-DPI)
MARGIN, PAD_X, GAP, LINE_GAP, GROUP_PAD = 16, 5, 3, 4, 3


@dataclass
class _Placed:
    unit: Unit
    x: float
    line: int
    widths: list[float]


class _Painter:
    def __init__(self, dark: bool = False) -> None:
        ensure_gui_application()
        self.theme = chip_theme(dark)
        families = QFontDatabase.families()
        fallbacks = [f for f in ("Noto Sans Mono CJK SC", "Noto Color Emoji") if f in families]
        # Real family names (not "monospace"): an SVG viewer must find the same fonts.
        fixed = QFontInfo(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)).family()
        general = QFontInfo(QFontDatabase.systemFont(QFontDatabase.SystemFont.GeneralFont))
        mono = QFont()
        mono.setFamilies([fixed, *fallbacks])
        mono.setPixelSize(14)
        self.font = mono
        self.small = QFont(mono)
        self.small.setPixelSize(12)
        self.title_font = QFont()
        self.title_font.setFamilies([general.family(), *fallbacks])
        self.title_font.setPixelSize(15)
        self.title_font.setBold(True)
        self.fm = QFontMetricsF(self.font)
        self.small_fm = QFontMetricsF(self.small)
        self.chip_h = self.fm.height() + 4
        self.band = self.small_fm.height()  # room above chips for group labels
        self.line_h = self.band + self.chip_h + LINE_GAP

    def layout(self, units: list[Unit], width: float) -> tuple[list[_Placed], int]:
        placed: list[_Placed] = []
        x, line = float(MARGIN), 0
        right = width - MARGIN
        for unit in units:
            widths = [max(self.fm.horizontalAdvance(c.label) + 2 * PAD_X, 14) for c in unit.chips]
            grouped = unit.character is not None
            total = sum(widths) + GAP * max(len(widths) - 1, 0)
            if grouped:
                label = self.small_fm.horizontalAdvance(unit.character or "")
                total = max(total, label) + 2 * GROUP_PAD
            if widths and x + total > right and x > MARGIN:
                x, line = float(MARGIN), line + 1
            if widths:
                placed.append(_Placed(unit, x, line, widths))
                x += total + GAP + (2 if grouped else 0)
            if unit.line_break:
                x, line = float(MARGIN), line + 1
        lines = (placed[-1].line + 1) if placed else 0
        return placed, lines

    def paint_strip(self, painter: QPainter, placed: list[_Placed], top: float) -> None:
        theme = self.theme
        fills = [QColor(c) for c in theme.fills]
        hatch = QColor(theme.unk_border)
        hatch.setAlpha(110)
        special_pen = QPen(QColor(theme.special_border), 1, Qt.PenStyle.DashLine)
        for item in placed:
            y = top + item.line * self.line_h + self.band
            x = item.x
            if item.unit.character is not None:
                total = sum(item.widths) + GAP * (len(item.widths) - 1)
                label_w = self.small_fm.horizontalAdvance(item.unit.character)
                frame_w = max(total, label_w) + 2 * GROUP_PAD
                frame = QRectF(x, y - self.band, frame_w, self.band + self.chip_h + 2)
                painter.setPen(QPen(QColor(theme.group), 1.5))
                painter.setBrush(Qt.BrushStyle.NoBrush)
                painter.drawRoundedRect(frame, 4, 4)
                painter.setFont(self.small)
                painter.drawText(
                    QRectF(x, y - self.band, frame_w, self.band),
                    int(Qt.AlignmentFlag.AlignCenter),
                    item.unit.character,
                )
                x += GROUP_PAD + (frame_w - 2 * GROUP_PAD - total) / 2
            painter.setFont(self.font)
            for chip, w in zip(item.unit.chips, item.widths, strict=True):
                classes = chip.css.split()
                rect = QRectF(x + 0.5, y + 0.5, w - 1, self.chip_h - 1)
                painter.setOpacity(0.35 if "pad" in classes else 1.0)
                if "sp" in classes:
                    painter.setPen(special_pen)
                    painter.setBrush(QColor(theme.special_fill))
                    text_color = theme.special_text
                else:
                    fill = next((c for c in classes if c[0] == "c" and c[1:].isdigit()), "c0")
                    painter.setPen(Qt.PenStyle.NoPen)
                    painter.setBrush(fills[int(fill[1:]) % len(fills)])
                    text_color = theme.text
                painter.drawRoundedRect(rect, 3, 3)
                if "unk" in classes:
                    painter.setPen(QPen(QColor(theme.unk_border), 2))
                    painter.setBrush(QBrush(hatch, Qt.BrushStyle.BDiagPattern))
                    painter.drawRoundedRect(rect, 3, 3)
                if "u" in classes:
                    painter.setPen(Qt.PenStyle.NoPen)
                    painter.setBrush(QColor("#C62828"))
                    painter.drawRect(QRectF(rect.left(), rect.bottom() - 2.5, rect.width(), 2.5))
                painter.setPen(QColor(text_color))
                painter.drawText(rect, int(Qt.AlignmentFlag.AlignCenter), chip.label)
                painter.setOpacity(1.0)
                x += w + GAP


@dataclass
class _Block:
    title: str
    note: str
    placed: list[_Placed]
    lines: int


def _blocks(painter: _Painter, report: dict[str, Any], width: int) -> list[_Block]:
    unshared = unshared_flags(report)
    blocks = []
    line_cap = max(4, LINE_LIMIT // max(len(report["tokenizers"]), 1))
    for position, section in enumerate(report["tokenizers"]):
        if "error" in section:
            blocks.append(_Block(f"{section['id']} — could not be used", section["error"], [], 0))
            continue
        tokens = section["tokens"]
        shown = {**section, "tokens": tokens[:TOKEN_LIMIT]}
        units = strip_units(report, shown, unshared.get(position, set()))
        placed, lines = painter.layout(units, width)
        if lines > line_cap:
            placed, lines = [p for p in placed if p.line < line_cap], line_cap
        drawn = sum(len(p.unit.chips) for p in placed)
        marked = len(unshared.get(position, ()))
        title = f"{section['id']} — {section['stats']['tokens']} tokens"
        if "comparison" in report:
            title += f", {marked} unshared"
        note = f"… {len(tokens) - drawn} more tokens" if len(tokens) > drawn else ""
        blocks.append(_Block(title, note, placed, lines))
    return blocks


def _render(report: dict[str, Any], width: int, make_device: Any) -> None:
    painter_kit = _Painter()
    with drawable_in(painter_kit.font):  # a character no font has: its code point, not a box
        blocks = _blocks(painter_kit, report, width)
    title_h = QFontMetricsF(painter_kit.title_font).height() + 6
    note_h = painter_kit.small_fm.height() + 4
    height = float(MARGIN)
    for block in blocks:
        height += title_h + block.lines * painter_kit.line_h + (note_h if block.note else 0) + 10
    height = int(height + MARGIN)
    device = make_device(QSize(width, max(height, 2 * MARGIN)))
    painter = QPainter(device)
    try:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        painter.fillRect(QRectF(0, 0, width, height), QColor(painter_kit.theme.background))
        y = float(MARGIN)
        for block in blocks:
            painter.setFont(painter_kit.title_font)
            painter.setPen(QColor(painter_kit.theme.text))
            painter.drawText(QPointF(MARGIN, y + title_h - 8), block.title)
            y += title_h
            painter_kit.paint_strip(painter, block.placed, y)
            y += block.lines * painter_kit.line_h
            if block.note:
                painter.setFont(painter_kit.small)
                painter.setPen(QColor(painter_kit.theme.muted))
                painter.drawText(QPointF(MARGIN, y + note_h - 4), block.note)
                y += note_h
            y += 10
    finally:
        painter.end()


def strip_png(report: dict[str, Any], width: int = WIDTH, scale: float = 2.0) -> bytes:
    """The strips as a PNG (``scale`` 2 = sharp on high-DPI screens and in documents; 1 for
    pictures taller than SHARP_HEIGHT)."""
    images: list[QImage] = []

    def make(size: QSize) -> QImage:
        ratio = scale if size.height() <= SHARP_HEIGHT else 1.0
        image = QImage(
            int(size.width() * ratio), int(size.height() * ratio), QImage.Format.Format_RGB32
        )
        image.setDevicePixelRatio(ratio)
        images.append(image)
        return image

    _render(report, width, make)
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    saved = images[0].save(buffer, "PNG")  # type: ignore[call-overload]  # the stub wants bytes
    if not saved:
        raise OSError("the PNG could not be encoded")
    buffer.close()
    return bytes(data.data())


def strip_svg(report: dict[str, Any], width: int = WIDTH) -> bytes:
    """The strips as an SVG (text stays text)."""
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    generators: list[QSvgGenerator] = []

    def make(size: QSize) -> QSvgGenerator:
        generator = QSvgGenerator()
        generator.setOutputDevice(buffer)
        generator.setResolution(96)  # CSS pixels: the SVG's width is WIDTH px, not 4/3 of it
        generator.setSize(size)
        generator.setViewBox(QRectF(0, 0, size.width(), size.height()))
        generator.setTitle("Token Inspector — token strips")
        generators.append(generator)
        return generator

    _render(report, width, make)
    buffer.close()
    return bytes(data.data())
