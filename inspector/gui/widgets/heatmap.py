"""A heatmap shared by the model panels: pyqtgraph ImageItem + ColorBarItem, labelled axes.

Rows and columns are cells of size 1 (or ``cell`` for mosaics); axis labels are the token
strings, thinned to what fits at the current zoom. The widget emits ``cell_clicked(row, col)``
and highlights a chosen row and/or column (the selected token). Images export to PNG/SVG
(pyqtgraph exporters) and numbers to CSV/.npy, each written beside the target and renamed
over it, so a failed export leaves no partial file.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QCoreApplication, QEvent, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import (
    QAction,
    QColor,
    QFont,
    QFontMetrics,
    QPainter,
    QPalette,
    QPen,
)
from PySide6.QtSvg import QSvgGenerator
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QGraphicsRectItem,
    QGraphicsView,
    QGraphicsWidget,
    QHBoxLayout,
    QLabel,
    QMenu,
    QMessageBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from inspector.core.files import write_atomic, write_atomic_with
from inspector.gui.i18n import Retranslatable
from inspector.gui.theme import PlotColours, plot_colours

MAX_LABEL = 12  # characters of a token label on an axis
LABEL_GAP = 6  # pixels between two labels on the bottom axis
GREEDY_LIMIT = 4096  # visible labels up to which each is placed where it fits (else every k-th)
# Colour scales: the full range of the data; clipped (outliers take the end colours); or
# log10 (positive data only). Hover and exports always show the real values.
LINEAR, CLIPPED, LOG = "linear", "clipped", "log"
SCALES: tuple[str, ...] = (LOG, CLIPPED, LINEAR)
CLIP_PERCENTILES = (1.0, 99.0)
# Clipping at the 1st–99th percentile alone fails when the outliers are more than 1% of the
# cells (SmolLM2's first token: a whole column of norms near 22,000 among norms near 50), so
# the range also stops at Tukey's far-out fences, 3 interquartile ranges beyond the quartiles.
FENCE_IQR = 3.0


def scale_levels(values: np.ndarray, scale: str) -> tuple[float, float]:
    """The colour levels of ``values`` under ``scale``, in the units the image shows
    (log10 for LOG). Every finite value counts (no subsampling: outliers matter)."""
    finite = values[np.isfinite(values)]
    if scale == LOG:
        finite = np.log10(finite[finite > 0])
    if finite.size == 0:
        return 0.0, 1.0
    low, high = float(finite.min()), float(finite.max())
    if scale == CLIPPED:
        low_pct, high_pct = CLIP_PERCENTILES
        p_low, q1, q3, p_high = np.percentile(finite, (low_pct, 25.0, 75.0, high_pct))
        spread = FENCE_IQR * (q3 - q1)
        clip_low, clip_high = max(p_low, q1 - spread), min(p_high, q3 + spread)
        if clip_high > clip_low:
            low, high = float(clip_low), float(clip_high)
    if not high > low:
        return low - 0.5, high + 0.5
    return low, high


def shown_values(values: np.ndarray, scale: str, lowest: float) -> np.ndarray:
    """What the image draws: log10 of the values for LOG, else the values; undefined (NaN)
    and, for LOG, non-positive cells at ``lowest`` (pyqtgraph has no NaN path)."""
    shown = np.asarray(values, dtype=np.float32)
    if scale == LOG:
        with np.errstate(divide="ignore", invalid="ignore"):
            shown = np.where(shown > 0, np.log10(shown), np.float32(lowest)).astype(np.float32)
    if np.isnan(shown).any():
        shown = np.where(np.isnan(shown), np.float32(lowest), shown)
    return np.ascontiguousarray(shown, dtype=np.float32)


def scale_caption(scale: str) -> str:
    """How the colour bar's numbers are to be read, for its label."""
    if scale == LOG:
        return QCoreApplication.translate("Heatmap", "log scale")
    if scale == CLIPPED:
        return QCoreApplication.translate("Heatmap", "outliers clipped")
    return QCoreApplication.translate("Heatmap", "full range")


def short_label(text: str) -> str:
    return text if len(text) <= MAX_LABEL else text[: MAX_LABEL - 1] + "…"


class LabelAxis(pg.AxisItem):
    """An axis whose ticks are the centres of cells, labelled with strings.

    Only as many labels as fit are drawn (every k-th), so 512 token labels stay readable
    whatever the zoom; zooming in shows them all.
    """

    def __init__(self, orientation: str, **kwargs: Any) -> None:
        super().__init__(orientation, **kwargs)
        self._labels: list[str] = []
        self._widths = np.zeros(0, dtype=np.int32)  # pixels of each label in the tick font
        self._cell = 1.0
        self._offset = 0.0
        if orientation in ("top", "bottom"):
            # The first and last labels may reach past the axis ends (a token wider than
            # its cell); pyqtgraph would drop them.
            self.setStyle(hideOverlappingLabels=40)

    def tick_font(self) -> QFont:
        font = self.style.get("tickFont")
        return QFont(font) if font is not None else QApplication.font()

    def set_labels(self, labels: Sequence[str], cell: float = 1.0, offset: float = 0.0) -> None:
        self._labels = [short_label(s) for s in labels]
        self._cell, self._offset = cell, offset
        font = self.tick_font()
        self.setStyle(tickFont=font)  # measured and drawn with the same font
        metrics = QFontMetrics(font)
        self._widths = np.fromiter(
            (metrics.horizontalAdvance(s) for s in self._labels), np.int32, len(self._labels)
        )
        if self.orientation in ("left", "right"):
            # pyqtgraph skips labels wider than the axis; size it to the longest label.
            widest = int(self._widths.max()) if len(self._widths) else 20
            self.setWidth(widest + 14)
        self.picture = None  # drop pyqtgraph's cached drawing
        self.update()

    def fitting_labels(self, first: int, last: int, pixels_per_cell: float) -> list[int]:
        """Left to right, every label that does not overlap the one placed before it."""
        placed: list[int] = []
        right = -math.inf
        for offset, width in enumerate(self._widths[first : last + 1].tolist()):
            centre = offset * pixels_per_cell
            if centre - width / 2 >= right + LABEL_GAP:
                placed.append(first + offset)
                right = centre + width / 2
        return placed

    def label_step(self, first: int, last: int, pixels_per_cell: float) -> int:
        """Label every k-th cell, k as small as lets no two shown labels overlap (1: every
        token labelled). Vertical labels need their line height; horizontal ones half of
        each neighbour's width, so short tokens beside a long one still all fit."""
        if self.orientation in ("left", "right"):
            per_label = QFontMetrics(self.tick_font()).height() + 1.0
            return max(1, math.ceil(per_label / pixels_per_cell))
        widths = self._widths[first : last + 1].astype(np.float64)
        widest = float(widths.max()) + LABEL_GAP
        most = max(1, math.ceil(widest / pixels_per_cell))  # always enough
        for step in range(1, most):
            shown = widths[(-first) % step :: step]  # the labels tickValues will draw
            needed = (shown[:-1] + shown[1:]) / 2 + LABEL_GAP
            if len(needed) == 0 or float(needed.max()) <= step * pixels_per_cell:
                return step
        return most

    def tickValues(self, minVal: float, maxVal: float, size: float) -> list[Any]:
        n = len(self._labels)
        if n == 0 or size <= 0:
            return []
        minVal, maxVal = sorted((minVal, maxVal))  # an inverted view gives them reversed
        first = max(0, math.floor((minVal - self._offset) / self._cell))
        last = min(n - 1, math.ceil((maxVal - self._offset) / self._cell))
        if last < first:
            return []
        pixels_per_cell = size * self._cell / max(maxVal - minVal, 1e-9)
        step = self.label_step(first, last, pixels_per_cell)
        if step > 1 and self.orientation in ("top", "bottom") and last - first < GREEDY_LIMIT:
            # One wide pair ([UNK] [UNK]) must not hide every other label: place each label
            # that has room after the last one placed.
            shown = self.fitting_labels(first, last, pixels_per_cell)
            return [(self._cell, [self._offset + (i + 0.5) * self._cell for i in shown])]
        start = (first + step - 1) // step * step
        values = [self._offset + (i + 0.5) * self._cell for i in range(start, last + 1, step)]
        return [(self._cell * step, values)]

    def tickStrings(self, values: list[float], scale: float, spacing: float) -> list[str]:
        out = []
        for v in values:
            i = int((v - self._offset) / self._cell)
            out.append(self._labels[i] if 0 <= i < len(self._labels) else "")
        return out


_replace_into = write_atomic_with  # the project's one atomic write (inspector.core.files)


def export_plot_image(view: QGraphicsView, path: Path) -> None:
    """PNG (pyqtgraph's ImageExporter, twice the size on screen) or SVG of a plot view.

    SVG is drawn with QSvgGenerator: pyqtgraph's SVGExporter fails on the path data that
    Qt 6.11 writes. Images in the plot are embedded in the SVG as bitmaps, text stays text.
    """
    suffix = path.suffix.lower()
    _lay_out_now(view)
    if suffix == ".png":
        from pyqtgraph import exporters

        exporter = exporters.ImageExporter(view.scene())
        exporter.parameters()["width"] = max(800, view.viewport().width() * 2)
        _replace_into(path, lambda tmp: _check(exporter.export(str(tmp)), path))
    elif suffix == ".svg":
        _replace_into(path, lambda tmp: _render_svg(view, tmp))
    else:
        raise ValueError(
            QCoreApplication.translate("Heatmap", "{name}: choose a .png or .svg file name").format(
                name=path.name
            )
        )


def _lay_out_now(view: QGraphicsView) -> None:
    """Apply pending layout changes (an axis resized for new labels) before rendering."""
    for item in view.scene().items():
        if isinstance(item, QGraphicsWidget):
            layout = QGraphicsWidget.layout(item)  # pyqtgraph shadows .layout with an attribute
            if layout is not None:
                layout.activate()


def _check(ok: object, path: Path) -> None:
    if ok is False:
        raise OSError(
            QCoreApplication.translate("Heatmap", "cannot write {name}").format(name=path.name)
        )


def _render_svg(view: QGraphicsView, target: Path) -> None:
    area = view.viewport().rect()
    generator = QSvgGenerator()
    generator.setFileName(str(target))
    generator.setSize(area.size())
    generator.setViewBox(area)
    generator.setTitle("Token Inspector")
    painter = QPainter(generator)
    try:
        view.render(painter, QRectF(area), area)
    finally:
        painter.end()


def export_numbers(
    values: np.ndarray,
    path: Path,
    row_labels: Sequence[str] | None = None,
    col_labels: Sequence[str] | None = None,
) -> None:
    """A 2-D array as CSV (labelled rows/columns when given) or the array itself as .npy."""
    suffix = path.suffix.lower()
    if suffix == ".npy":
        _replace_into(path, lambda tmp: np.save(tmp, values))
        return
    if suffix != ".csv":
        raise ValueError(
            QCoreApplication.translate("Heatmap", "{name}: choose a .csv or .npy file name").format(
                name=path.name
            )
        )
    table = np.atleast_2d(values)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    cols = list(col_labels) if col_labels is not None else [str(i) for i in range(table.shape[1])]
    writer.writerow(["", *cols])
    for r, row in enumerate(table):
        label = row_labels[r] if row_labels is not None and r < len(row_labels) else str(r)
        writer.writerow([label, *(f"{float(v):.6g}" for v in row)])
    write_atomic(path, buffer.getvalue())


class ExportButton(Retranslatable, QToolButton):
    """ "Export ▾": image (PNG/SVG) and numbers (CSV/.npy) through file dialogs."""

    def __init__(
        self,
        save_image: Callable[[Path], None],
        save_numbers: Callable[[Path], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self._save_image, self._save_numbers = save_image, save_numbers
        menu = QMenu(self)
        self.image_action = QAction(self)
        self.image_action.triggered.connect(self._ask_image)
        self.numbers_action = QAction(self)
        self.numbers_action.triggered.connect(self._ask_numbers)
        menu.addAction(self.image_action)
        menu.addAction(self.numbers_action)
        self.setMenu(menu)
        self.retranslate()

    def retranslate(self) -> None:
        self.setText(self.tr("Export"))
        self.image_action.setText(self.tr("Image (PNG or SVG)…"))
        self.numbers_action.setText(self.tr("Numbers (CSV or .npy)…"))

    def _ask(self, title: str, filters: str, save: Callable[[Path], None]) -> None:
        name, chosen = QFileDialog.getSaveFileName(self, title, "", filters)
        if not name:
            return
        path = Path(name)
        if not path.suffix:  # take the suffix of the filter the user picked
            path = path.with_suffix(chosen.split("*")[-1].rstrip(")"))
        try:
            save(path)
        except (OSError, ValueError) as err:
            message = self.tr("Could not save {name}: {error}").format(name=path.name, error=err)
            QMessageBox.warning(self, title, message)

    def _ask_image(self) -> None:
        filters = self.tr("PNG image (*.png);;SVG image (*.svg)")
        self._ask(self.tr("Save image"), filters, self._save_image)

    def _ask_numbers(self) -> None:
        filters = self.tr("CSV table (*.csv);;NumPy array (*.npy)")
        self._ask(self.tr("Save numbers"), filters, self._save_numbers)


def redraw_run(panel: Any) -> None:
    """A model panel's run drawn again (after a language change), or its idle message."""
    if panel.run is not None:
        panel.set_run(panel.run)
    else:
        panel.clear()


def style_plot(view: pg.GraphicsView, plot: pg.PlotItem, palette: QPalette) -> PlotColours:
    """Background, axes, title and legend of one plot in the palette's colours."""
    colours = plot_colours(palette)
    view.setBackground(colours.background)
    for name in ("left", "bottom", "right", "top"):
        axis = plot.getAxis(name)
        axis.setPen(colours.axis)
        axis.setTextPen(colours.text)
    title = plot.titleLabel
    title.setAttr("color", colours.text)
    if title.text:
        title.setText(title.text)
    if plot.legend is not None:
        plot.legend.setLabelTextColor(colours.text)
        for _sample, label in plot.legend.items:
            label.setText(label.text)  # setAttr alone does not redraw the text
    return colours


class OutlineMark(QGraphicsRectItem):
    """A frame around the selected row or column: a dark line with a light one inside, so it
    shows on every colour of the map, and nothing inside it is tinted."""

    def __init__(self) -> None:
        super().__init__()
        self.inner = QGraphicsRectItem(self)
        for item, width in ((self, 3), (self.inner, 1)):
            pen = QPen(QColor("#000000"), width)
            pen.setCosmetic(True)  # pixels wide whatever the zoom
            item.setPen(pen)
            item.setBrush(Qt.BrushStyle.NoBrush)
        self.setZValue(10)
        self.hide()

    def set_colours(self, outer: str, inner: str) -> None:
        for item, colour in ((self, outer), (self.inner, inner)):
            pen = item.pen()
            pen.setColor(QColor(colour))
            item.setPen(pen)

    def place(self, rect: QRectF) -> None:
        self.setRect(rect)
        self.inner.setRect(rect)
        self.show()


class Heatmap(Retranslatable, QWidget):
    """Rows × columns of numbers as an image with a colour bar and labelled axes."""

    cell_clicked = Signal(int, int)  # row, column

    def __init__(
        self,
        *,
        title: str = "",
        colormap: str = "viridis",
        bar_label: str = "",
        invert_y: bool = True,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.values = np.zeros((0, 0), dtype=np.float32)
        self.row_labels: list[str] = []
        self.col_labels: list[str] = []
        self.scale = LINEAR
        self.levels = (0.0, 1.0)  # the colour range, in the units the image shows
        self.bar_label = bar_label
        self.describe: Callable[[int, int, float], str] | None = None  # hover text

        self.bottom_axis = LabelAxis("bottom")
        self.left_axis = LabelAxis("left")
        self.view = pg.GraphicsLayoutWidget()
        self.plot = self.view.addPlot(
            axisItems={"bottom": self.bottom_axis, "left": self.left_axis}
        )
        self.plot.setMenuEnabled(False)
        self.plot.hideButtons()
        self.plot.getViewBox().invertY(invert_y)
        self.plot.getViewBox().setDefaultPadding(0.0)
        if title:
            self.plot.setTitle(title, size="10pt")
        self.image = pg.ImageItem(axisOrder="row-major")
        self.plot.addItem(self.image)
        self.bar = pg.ColorBarItem(
            values=(0.0, 1.0),
            colorMap=pg.colormap.get(colormap),
            interactive=False,
            width=14,
        )
        self.bar.setImageItem(self.image, insert_in=self.plot)
        self.bar.axis.enableAutoSIPrefix(False)  # 0.25 is 0.25, not "250 (x0.001)"
        self.bar.axis.setWidth(None)  # wide enough for "20000" and the caption beside it
        self.caption_scale = False  # say how colours map to numbers even on the full range
        self._label_bar()

        self._row_mark = OutlineMark()
        self._col_mark = OutlineMark()
        for mark in (self._row_mark, self._col_mark):
            self.plot.addItem(mark)
        self.plot.scene().sigMouseClicked.connect(self._on_click)
        self.plot.scene().sigMouseMoved.connect(self._on_move)

        self.hover = QLabel(" ")
        self.hover.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.export_button = ExportButton(self.export_image, self.export_numbers)
        footer = QHBoxLayout()
        footer.setContentsMargins(4, 0, 4, 0)
        footer.addWidget(self.hover, 1)
        footer.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.view, 1)
        layout.addLayout(footer)
        self.apply_palette()

    def retranslate(self) -> None:
        """The colour bar's caption (the owner sets its own strings again)."""
        self._label_bar()

    def apply_palette(self) -> None:
        """Follow the window's palette (light or dark): background, axes, text."""
        colours = style_plot(self.view, self.plot, self.palette())
        for name in ("left", "right", "top", "bottom"):  # the bar's frame and its scale
            self.bar.getAxis(name).setPen(colours.axis)
            self.bar.getAxis(name).setTextPen(colours.text)
        for mark in (self._row_mark, self._col_mark):
            mark.set_colours(colours.outline_outer, colours.outline_inner)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self.apply_palette()

    # -- data ------------------------------------------------------------------------
    def set_data(
        self,
        values: np.ndarray,
        levels: tuple[float, float] | None,
        row_labels: Sequence[str],
        col_labels: Sequence[str],
        *,
        scale: str = LINEAR,
    ) -> None:
        """Show ``values`` (rows × columns) in explicit colour ``levels`` (no auto-levels);
        ``levels=None`` takes them from the data under ``scale`` (linear, clipped, log)."""
        self.values = np.ascontiguousarray(values, dtype=np.float32)
        self.row_labels, self.col_labels = list(row_labels), list(col_labels)
        self.scale = scale
        if levels is None:
            levels = scale_levels(self.values, scale)
        elif scale == LOG:
            levels = tuple(math.log10(v) if v > 0 else 0.0 for v in levels)  # type: ignore[assignment]
        lo, hi = float(levels[0]), float(levels[1])
        if not hi > lo:
            hi = lo + 1e-6
        self.levels = (lo, hi)
        if self.values.size:
            shown = shown_values(self.values, scale, lo)
            self.image.setImage(shown, levels=(lo, hi), autoLevels=False)
            self.image.setRect(QRectF(0, 0, self.values.shape[1], self.values.shape[0]))
            self.image.show()
        else:
            self.image.clear()
        self.bar.axis.setLogMode(scale == LOG)  # log10 units, ticks read as the values
        self.bar.setLevels((lo, hi))
        self._label_bar()
        self.left_axis.set_labels(self.row_labels)
        self.bottom_axis.set_labels(self.col_labels)
        rows, cols = self.values.shape if self.values.ndim == 2 else (0, 0)
        self.plot.getViewBox().setLimits(
            xMin=0,
            xMax=max(cols, 1),
            yMin=0,
            yMax=max(rows, 1),
            minXRange=min(4, max(cols, 1)),
            minYRange=min(4, max(rows, 1)),
        )
        self.plot.getViewBox().setRange(
            xRange=(0, max(cols, 1)), yRange=(0, max(rows, 1)), padding=0
        )
        self.set_highlight(None, None)

    def set_bar_label(self, label: str) -> None:
        self.bar_label = label
        self._label_bar()

    def _label_bar(self) -> None:
        """The colour bar says what it measures and how its colours map to numbers."""
        if self.scale == LINEAR and not self.caption_scale:
            self.bar.axis.setLabel(self.bar_label)
            return
        caption = scale_caption(self.scale)
        if self.bar_label:
            caption = self.tr("{name} ({scale})").format(name=self.bar_label, scale=caption)
        self.bar.axis.setLabel(caption)

    def clear(self) -> None:
        self.set_data(np.zeros((0, 0), np.float32), (0.0, 1.0), [], [])

    def set_highlight(self, row: int | None, col: int | None) -> None:
        """Frame one row and/or column (the selected token); None hides that frame."""
        rows, cols = self.values.shape if self.values.ndim == 2 else (0, 0)
        if row is not None and 0 <= row < rows:
            self._row_mark.place(QRectF(0, row, cols, 1))
        else:
            self._row_mark.hide()
        if col is not None and 0 <= col < cols:
            self._col_mark.place(QRectF(col, 0, 1, rows))
        else:
            self._col_mark.hide()

    def cell_at(self, scene_pos: QPointF) -> tuple[int, int] | None:
        if not self.plot.sceneBoundingRect().contains(scene_pos) or self.values.ndim != 2:
            return None
        point = self.plot.getViewBox().mapSceneToView(scene_pos)
        row, col = math.floor(point.y()), math.floor(point.x())
        rows, cols = self.values.shape
        if 0 <= row < rows and 0 <= col < cols:
            return row, col
        return None

    def _on_click(self, event: Any) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            return
        cell = self.cell_at(event.scenePos())
        if cell is not None:
            self.cell_clicked.emit(*cell)

    def _on_move(self, scene_pos: QPointF) -> None:
        cell = self.cell_at(scene_pos)
        if cell is None:
            self.hover.setText(" ")
            return
        row, col = cell
        value = float(self.values[row, col])
        if math.isnan(value):
            self.hover.setText(self.tr("undefined here"))
            return
        if self.describe is not None:
            self.hover.setText(self.describe(row, col, value))
            return
        row_name = self.row_labels[row] if row < len(self.row_labels) else str(row)
        col_name = self.col_labels[col] if col < len(self.col_labels) else str(col)
        self.hover.setText(f"{row_name} × {col_name}: {value:.4g}")

    # -- export ----------------------------------------------------------------------
    def export_image(self, path: Path) -> None:
        export_plot_image(self.view, Path(path))

    def export_numbers(self, path: Path) -> None:
        export_numbers(self.values, Path(path), self.row_labels, self.col_labels)
