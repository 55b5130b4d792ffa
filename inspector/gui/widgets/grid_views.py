"""Table views of the Encoding panel (token grid, overflow windows, batch matrices): how they
are made, measured and sized, and the legend swatches of their notes."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QBuffer, QByteArray, QEvent, QIODevice, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QImage, QPainter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QAbstractScrollArea,
    QFrame,
    QHeaderView,
    QScrollArea,
    QTableView,
    QWidget,
)

from inspector.gui.widgets.encoding_models import Colours, italic, opaque
from inspector.gui.widgets.model_updates import BandTableView


class Measure:
    """Text widths for column sizing, each distinct string measured once."""

    def __init__(self, font: QFont) -> None:
        self._metrics = (QFontMetrics(font), QFontMetrics(italic(font)))
        self._cache: dict[tuple[str, bool], int] = {}

    def __call__(self, text: str, italic: bool = False) -> int:
        key = (text, italic)
        width = self._cache.get(key)
        if width is None:
            width = self._cache[key] = self._metrics[italic].horizontalAdvance(text)
        return width

    def numbers(self, values: np.ndarray) -> np.ndarray:
        """Widths of many non-negative integers (by digit count)."""
        digits = np.char.str_len(values.astype(str))
        table = np.array([self("0" * n) for n in range(int(digits.max(initial=0)) + 1)])
        return table[digits]

    def number(self, value: int) -> int:
        """Width of a number: digits are equally wide in the fonts Qt picks for tables."""
        return self("0" * len(str(value)))


class NumberHeader(QHeaderView):
    """A horizontal header of numbered columns: its size hint is measured once per font and
    style. Qt measures it again from up to 200 sections (four ``headerData`` calls each, in
    Python) after every column added, removed or resized, for a height that cannot change."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(Qt.Orientation.Horizontal, parent)
        self.setSectionsClickable(True)  # as QTableView's own header
        self.setHighlightSections(True)
        self._height = 0  # 0: not measured (no section yet, or the font or style changed)

    def sizeHint(self) -> QSize:
        if not self._height:
            self._height = super().sizeHint().height() if self.count() else 0
        return QSize(self.length(), self._height)

    def event(self, event: QEvent) -> bool:
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._height = 0
        return super().event(event)


def grid_view(parent: QWidget) -> BandTableView:
    view = BandTableView(parent)
    view.setHorizontalHeader(NumberHeader(view))
    view.setWordWrap(False)
    view.setTextElideMode(Qt.TextElideMode.ElideMiddle)
    view.setSelectionMode(QAbstractItemView.SelectionMode.ContiguousSelection)
    view.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
    view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
    view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
    view.setSizeAdjustPolicy(QAbstractScrollArea.SizeAdjustPolicy.AdjustIgnored)
    font_height = QFontMetrics(view.font()).height()
    vertical = view.verticalHeader()
    vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    vertical.setDefaultSectionSize(font_height + 8)
    vertical.setDefaultAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    horizontal = view.horizontalHeader()
    horizontal.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    horizontal.setMinimumSectionSize(24)
    return view


def rows_height(view: QTableView, rows: int) -> int:
    """Height of a view showing ``rows`` rows, its header and the horizontal scroll bar."""
    return (
        view.horizontalHeader().sizeHint().height()
        + rows * view.verticalHeader().defaultSectionSize()
        + view.horizontalScrollBar().sizeHint().height()
        + 2 * view.frameWidth()
        + 2
    )


def fit_height(view: QTableView, rows: int, most: int) -> None:
    """As tall as its rows up to ``most`` rows (then it scrolls); never under 3 rows."""
    height = rows_height(view, min(rows, most))
    view.setMaximumHeight(height)
    view.setMinimumHeight(min(height, rows_height(view, 3)))


def set_widths(view: QTableView, widths: list[int]) -> None:
    header = view.horizontalHeader()
    for column, width in enumerate(widths):
        header.resizeSection(column, width)


def swatch(background: QColor, base: QColor) -> str:
    """A small coloured box for a legend in a rich-text label."""
    return (
        f'<span style="background-color:{opaque(background, base).name()};">'
        "&nbsp;&nbsp;&nbsp;&nbsp;</span>"
    )


def pad_swatch(colours: Colours, base: QColor) -> str:
    """The legend for padding: a faded 0 on the hatched padding ground, as the cells show it
    (an inline PNG: rich text has no hatching)."""
    metrics = QFontMetrics(QFont())
    image = QImage(
        metrics.horizontalAdvance("0") + 12, metrics.height(), QImage.Format.Format_RGB32
    )
    image.fill(base)
    painter = QPainter(image)
    painter.fillRect(image.rect(), colours.pad_brush)
    painter.setPen(colours.faded)
    painter.drawText(image.rect(), int(Qt.AlignmentFlag.AlignCenter), "0")
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    encoded = bytes(data.toBase64().data()).decode("ascii")
    return f'<img src="data:image/png;base64,{encoded}" style="vertical-align:middle;">'


def scrolling(page: QWidget, parent: QWidget) -> QScrollArea:
    """A tab page that scrolls when the dock is too small, instead of squeezing the grids."""
    area = QScrollArea(parent)
    area.setWidget(page)
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    return area
