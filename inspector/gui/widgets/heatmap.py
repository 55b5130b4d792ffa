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
import os
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import (
    QAction,
    QBrush,
    QColor,
    QFont,
    QFontMetrics,
    QPainter,
    QPen,
)
from PySide6.QtSvg import QSvgGenerator
from PySide6.QtWidgets import (
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

from inspector.core.report import write_atomic

IMAGE_FILTER = "PNG image (*.png);;SVG image (*.svg)"
NUMBERS_FILTER = "CSV table (*.csv);;NumPy array (*.npy)"
HIGHLIGHT = QColor(255, 210, 77, 90)  # the strip's selection yellow, see-through
MAX_LABEL = 12  # characters of a token label on an axis


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
        self._cell = 1.0
        self._offset = 0.0

    def set_labels(self, labels: Sequence[str], cell: float = 1.0, offset: float = 0.0) -> None:
        self._labels = [short_label(s) for s in labels]
        self._cell, self._offset = cell, offset
        if self.orientation in ("left", "right"):
            # pyqtgraph skips labels wider than the axis; size it to the longest label.
            font = self.style.get("tickFont") or QFont()
            metrics = QFontMetrics(font)
            widest = max((metrics.horizontalAdvance(s) for s in self._labels), default=20)
            self.setWidth(widest + 14)
        self.picture = None  # drop pyqtgraph's cached drawing
        self.update()

    def tickValues(self, minVal: float, maxVal: float, size: float) -> list[Any]:
        n = len(self._labels)
        if n == 0 or size <= 0:
            return []
        minVal, maxVal = sorted((minVal, maxVal))  # an inverted view gives them reversed
        first = max(0, math.floor((minVal - self._offset) / self._cell))
        last = min(n - 1, math.ceil((maxVal - self._offset) / self._cell))
        if last < first:
            return []
        if self.orientation in ("left", "right"):
            per_label = 15.0
        else:
            width = max(len(s) for s in self._labels[first : last + 1])
            per_label = 7.0 * min(width, MAX_LABEL) + 8.0
        pixels_per_cell = size * self._cell / max(maxVal - minVal, 1e-9)
        step = max(1, math.ceil(per_label / pixels_per_cell))
        start = (first + step - 1) // step * step
        values = [self._offset + (i + 0.5) * self._cell for i in range(start, last + 1, step)]
        return [(self._cell * step, values)]

    def tickStrings(self, values: list[float], scale: float, spacing: float) -> list[str]:
        out = []
        for v in values:
            i = int((v - self._offset) / self._cell)
            out.append(self._labels[i] if 0 <= i < len(self._labels) else "")
        return out


def _replace_into(path: Path, write: Callable[[Path], None]) -> None:
    """Write through a temporary file beside ``path``, then rename it into place."""
    path = path.expanduser()
    handle, temporary = tempfile.mkstemp(
        prefix=f".{path.stem}.", suffix=path.suffix, dir=path.parent or "."
    )
    os.close(handle)
    try:
        write(Path(temporary))
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


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
        raise ValueError(f"{path.name}: choose a .png or .svg file name")


def _lay_out_now(view: QGraphicsView) -> None:
    """Apply pending layout changes (an axis resized for new labels) before rendering."""
    for item in view.scene().items():
        if isinstance(item, QGraphicsWidget):
            layout = QGraphicsWidget.layout(item)  # pyqtgraph shadows .layout with an attribute
            if layout is not None:
                layout.activate()


def _check(ok: object, path: Path) -> None:
    if ok is False:
        raise OSError(f"cannot write {path.name}")


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
        raise ValueError(f"{path.name}: choose a .csv or .npy file name")
    table = np.atleast_2d(values)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    cols = list(col_labels) if col_labels is not None else [str(i) for i in range(table.shape[1])]
    writer.writerow(["", *cols])
    for r, row in enumerate(table):
        label = row_labels[r] if row_labels is not None and r < len(row_labels) else str(r)
        writer.writerow([label, *(f"{float(v):.6g}" for v in row)])
    write_atomic(path, buffer.getvalue())


class ExportButton(QToolButton):
    """"Export ▾": image (PNG/SVG) and numbers (CSV/.npy) through file dialogs."""

    def __init__(
        self,
        save_image: Callable[[Path], None],
        save_numbers: Callable[[Path], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setText("Export")
        self.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self._save_image, self._save_numbers = save_image, save_numbers
        menu = QMenu(self)
        image = QAction("Image (PNG or SVG)…", self)
        image.triggered.connect(self._ask_image)
        numbers = QAction("Numbers (CSV or .npy)…", self)
        numbers.triggered.connect(self._ask_numbers)
        menu.addAction(image)
        menu.addAction(numbers)
        self.setMenu(menu)

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
            QMessageBox.warning(self, title, f"Could not save {path.name}: {err}")

    def _ask_image(self) -> None:
        self._ask("Save image", IMAGE_FILTER, self._save_image)

    def _ask_numbers(self) -> None:
        self._ask("Save numbers", NUMBERS_FILTER, self._save_numbers)


class Heatmap(QWidget):
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
        self.describe: Callable[[int, int, float], str] | None = None  # hover text

        self.bottom_axis = LabelAxis("bottom")
        self.left_axis = LabelAxis("left")
        self.view = pg.GraphicsLayoutWidget()
        self.view.setBackground("w")
        self.plot = self.view.addPlot(
            axisItems={"bottom": self.bottom_axis, "left": self.left_axis}
        )
        self.plot.setMenuEnabled(False)
        self.plot.hideButtons()
        self.plot.getViewBox().invertY(invert_y)
        self.plot.getViewBox().setDefaultPadding(0.0)
        for axis in (self.bottom_axis, self.left_axis):
            axis.setPen(pg.mkPen("#444"))
            axis.setTextPen(pg.mkPen("#222"))
        if title:
            self.plot.setTitle(title, color="#222", size="10pt")
        self.image = pg.ImageItem(axisOrder="row-major")
        self.plot.addItem(self.image)
        self.bar = pg.ColorBarItem(
            values=(0.0, 1.0),
            colorMap=pg.colormap.get(colormap),
            interactive=False,
            label=bar_label,
            width=14,
        )
        self.bar.setImageItem(self.image, insert_in=self.plot)
        self.bar.axis.setTextPen(pg.mkPen("#222"))

        brush, pen = QBrush(HIGHLIGHT), QPen(QColor(200, 140, 0), 0)
        self._row_mark = QGraphicsRectItem()
        self._col_mark = QGraphicsRectItem()
        for mark in (self._row_mark, self._col_mark):
            mark.setBrush(brush)
            mark.setPen(pen)
            mark.setZValue(10)
            mark.hide()
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

    # -- data ------------------------------------------------------------------------
    def set_data(
        self,
        values: np.ndarray,
        levels: tuple[float, float],
        row_labels: Sequence[str],
        col_labels: Sequence[str],
    ) -> None:
        """Show ``values`` (rows × columns); ``levels`` fix the colour range (no auto-levels)."""
        self.values = np.ascontiguousarray(values, dtype=np.float32)
        self.row_labels, self.col_labels = list(row_labels), list(col_labels)
        lo, hi = float(levels[0]), float(levels[1])
        if not hi > lo:
            hi = lo + 1e-6
        if self.values.size:
            shown = self.values
            if np.isnan(shown).any():  # undefined cells drawn at the lowest colour (no NaN
                shown = np.where(np.isnan(shown), np.float32(lo), shown)  # path in pyqtgraph)
            self.image.setImage(shown, levels=(lo, hi), autoLevels=False)
            self.image.setRect(QRectF(0, 0, self.values.shape[1], self.values.shape[0]))
            self.image.show()
        else:
            self.image.clear()
        self.bar.setLevels((lo, hi))
        self.left_axis.set_labels(self.row_labels)
        self.bottom_axis.set_labels(self.col_labels)
        rows, cols = self.values.shape if self.values.ndim == 2 else (0, 0)
        self.plot.getViewBox().setLimits(
            xMin=0, xMax=max(cols, 1), yMin=0, yMax=max(rows, 1),
            minXRange=min(4, max(cols, 1)), minYRange=min(4, max(rows, 1)),
        )
        self.plot.getViewBox().setRange(
            xRange=(0, max(cols, 1)), yRange=(0, max(rows, 1)), padding=0
        )
        self.set_highlight(None, None)

    def clear(self) -> None:
        self.set_data(np.zeros((0, 0), np.float32), (0.0, 1.0), [], [])

    def set_highlight(self, row: int | None, col: int | None) -> None:
        """Mark one row and/or column (the selected token); None hides that mark."""
        rows, cols = self.values.shape if self.values.ndim == 2 else (0, 0)
        if row is not None and 0 <= row < rows:
            self._row_mark.setRect(QRectF(0, row, cols, 1))
            self._row_mark.show()
        else:
            self._row_mark.hide()
        if col is not None and 0 <= col < cols:
            self._col_mark.setRect(QRectF(col, 0, 1, rows))
            self._col_mark.show()
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
            self.hover.setText("undefined here")
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
