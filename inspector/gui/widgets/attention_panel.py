"""Attention: a layer × head grid of thumbnails and a large view of the chosen head.

The grid has one row per layer and one column per head, plus "mean" and "max" over the
heads; clicking a thumbnail shows it large (queries down, keys across, token labels on both
axes, a colour bar with levels from the data). Padding is left out; a toggle hides attention
*to* special tokens ([CLS]/[SEP] often take most of it and wash out the rest).
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, QRectF, Qt, Signal, Slot
from PySide6.QtGui import QColor, QImage, QPen, QPixmap
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGraphicsPixmapItem,
    QGraphicsRectItem,
    QHBoxLayout,
    QLabel,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from inspector.core.model_run import THUMBNAIL, ModelRun, attention_thumbnails
from inspector.gui.i18n import Retranslatable
from inspector.gui.widgets.heatmap import (
    ExportButton,
    Heatmap,
    LabelAxis,
    export_numbers,
    export_plot_image,
    redraw_run,
    style_plot,
)

MEAN, MAX = "mean", "max"
GRID_LUT = pg.colormap.get("inferno").getLookupTable(nPts=256, alpha=True).astype(np.uint8)


def data_levels(values: np.ndarray) -> tuple[float, float]:
    """Colour levels from the data (analysis.levels: outliers stay visible)."""
    from inspector.core.analysis import levels

    lo, hi = levels(values)
    return float(lo), float(hi)


class AttentionPanel(Retranslatable, QWidget):
    token_clicked = Signal(int)  # token index (into result.columns) of a clicked key

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.run: ModelRun | None = None
        self.layer = 0
        self.head: int | str = MEAN
        self.selected_position: int | None = None
        self._keep = np.zeros(0, dtype=bool)  # fed positions that are shown (not padding)
        self._shown = np.zeros(0, dtype=np.int64)  # fed position of each shown row/column
        self._matrix = np.zeros((0, 0), dtype=np.float32)

        self.message = QLabel(self._idle_text())
        self.message.setWordWrap(True)
        self.layer_box = QComboBox()
        self.head_box = QComboBox()
        self.head_box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.hide_special = QCheckBox()
        self.layer_box.activated.connect(self._on_boxes)
        self.head_box.activated.connect(self._on_boxes)
        self.hide_special.toggled.connect(self._on_hide_special)
        controls = QHBoxLayout()
        self.layer_caption, self.head_caption = QLabel(), QLabel()
        controls.addWidget(self.layer_caption)
        controls.addWidget(self.layer_box)
        controls.addWidget(self.head_caption)
        controls.addWidget(self.head_box)
        controls.addWidget(self.hide_special)
        controls.addStretch(1)

        # The grid: one mosaic image, thumbnails THUMBNAIL + 2 pixels apart.
        self.grid_bottom = LabelAxis("bottom")
        self.grid_left = LabelAxis("left")
        self.grid_view = pg.GraphicsLayoutWidget()
        self.grid_plot = self.grid_view.addPlot(
            axisItems={"bottom": self.grid_bottom, "left": self.grid_left}
        )
        self.grid_plot.setMenuEnabled(False)
        self.grid_plot.hideButtons()
        self.grid_plot.getViewBox().invertY(True)
        self.grid_plot.getViewBox().setMouseEnabled(x=False, y=False)
        # The mosaic is coloured here (gaps in the background colour): a plain pixmap item.
        self.grid_image = QGraphicsPixmapItem()
        self.grid_image.setTransformationMode(Qt.TransformationMode.FastTransformation)
        self.grid_plot.addItem(self.grid_image)
        self.grid_mark = QGraphicsRectItem()
        self.grid_mark.setPen(QPen(QColor("#1e88e5"), 0))
        self.grid_mark.setZValue(10)
        self.grid_plot.addItem(self.grid_mark)
        self.grid_plot.scene().sigMouseClicked.connect(self._on_grid_click)
        grid_export = ExportButton(self.export_grid_image, self.export_grid_numbers)
        grid_box = QWidget()
        grid_layout = QVBoxLayout(grid_box)
        grid_layout.setContentsMargins(0, 0, 0, 0)
        grid_layout.addWidget(self.grid_view, 1)
        grid_footer = QHBoxLayout()
        grid_footer.addStretch(1)
        grid_footer.addWidget(grid_export)
        grid_layout.addLayout(grid_footer)

        self._gap_colour = QColor("#ffffff")
        self._mosaic_shown: np.ndarray | None = None
        self.large = Heatmap(colormap="inferno")
        self.large.cell_clicked.connect(self._on_cell)
        self.large.describe = self._describe

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(grid_box)
        splitter.addWidget(self.large)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        layout = QVBoxLayout(self)
        layout.addLayout(controls)
        layout.addWidget(self.message)
        layout.addWidget(splitter, 1)
        self._set_enabled(False)
        self.apply_palette()
        self.retranslate()

    def retranslate(self) -> None:
        """Every string again in the current language (View → Language), the data kept."""
        self.hide_special.setText(self.tr("Hide attention to special tokens"))
        self.hide_special.setToolTip(
            self.tr(
                "Zero the columns of [CLS], [SEP], BOS… so the attention between text tokens shows"
            )
        )
        self.layer_caption.setText(self.tr("Layer"))
        self.head_caption.setText(self.tr("Head"))
        self.grid_plot.setTitle(self.tr("layers × heads (each scaled to its own peak)"), size="9pt")
        self.large.set_bar_label(self.tr("attention"))
        redraw_run(self)

    def _idle_text(self) -> str:
        return self.tr("Run a model to see its attention.")

    def apply_palette(self) -> None:
        """Follow the window's palette; the mosaic's gaps take the new background."""
        colours = style_plot(self.grid_view, self.grid_plot, self.palette())
        self._gap_colour = QColor(colours.background)
        if self._mosaic_shown is not None:
            self._show_mosaic(self._mosaic_shown)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self.apply_palette()

    def _set_enabled(self, enabled: bool) -> None:
        for widget in (self.layer_box, self.head_box, self.hide_special):
            widget.setEnabled(enabled)

    # -- data ------------------------------------------------------------------------
    def clear(self, message: str | None = None) -> None:
        self.run = None
        self._mosaic_shown = None
        self.message.setText(message or self._idle_text())
        self.message.show()
        self.grid_image.setPixmap(QPixmap())
        self.grid_mark.hide()
        self.large.clear()
        self._set_enabled(False)

    def set_run(self, run: ModelRun) -> None:
        shape = run.output.attention_shape
        if shape is None:
            self.clear(self.tr("This run has no attention maps."))
            return
        self.run = run
        layers, heads = shape[:2]
        self._keep = ~run.padding
        self._shown = np.flatnonzero(self._keep)
        notes = []
        if run.padding.any():
            notes.append(self.tr("{0} padding positions left out").format(int(run.padding.sum())))
        self.message.setText(" · ".join(notes))
        self.message.setVisible(bool(notes))
        self.layer_box.clear()
        self.layer_box.addItems([str(i + 1) for i in range(layers)])
        self.head_box.clear()
        head = self.tr("head {0}")
        self.head_box.addItems(
            [head.format(h + 1) for h in range(heads)]
            + [self.tr("mean over heads"), self.tr("max over heads")]
        )
        self.layer = min(self.layer, layers - 1)
        if isinstance(self.head, int) and self.head >= heads:
            self.head = MEAN
        # Square thumbnails while they stay large enough; deep models fill the area instead.
        self.grid_plot.getViewBox().setAspectLocked(layers <= 12)
        cell = THUMBNAIL + 2
        self.grid_bottom.set_labels(
            [str(h + 1) for h in range(heads)] + [self.tr("mean"), self.tr("max")], cell=cell
        )
        self.grid_left.set_labels([f"L{i + 1}" for i in range(layers)], cell=cell)
        self._show_mosaic(self._mosaic())
        self._set_enabled(True)
        self._show_large()

    def _mosaic(self) -> np.ndarray:
        """The worker's thumbnails for the current toggle (computed here only if missing)."""
        run = self.run
        assert run is not None and run.output.attentions is not None
        hide = self.hide_special.isChecked()
        ready = run.thumbnails_text if hide else run.thumbnails
        if ready is not None:
            return ready
        return attention_thumbnails(
            run.output.attentions, self._keep, run.special if hide else None
        )

    def _show_mosaic(self, mosaic: np.ndarray) -> None:
        self._mosaic_shown = mosaic
        gaps = np.isnan(mosaic)
        index = np.clip(np.nan_to_num(mosaic, nan=0.0) * 255.0, 0, 255).astype(np.uint8)
        rgba = GRID_LUT[index]
        gap = self._gap_colour
        rgba[gaps] = (gap.red(), gap.green(), gap.blue(), 255)
        h, w = mosaic.shape
        pixels = np.ascontiguousarray(rgba)
        image = QImage(pixels.data, w, h, 4 * w, QImage.Format.Format_RGBA8888).copy()
        self.grid_image.setPixmap(QPixmap.fromImage(image))  # one pixel per data unit
        self.grid_plot.getViewBox().setRange(xRange=(0, w), yRange=(0, h), padding=0.01)

    def _column(self) -> int:
        assert self.run is not None
        shape = self.run.output.attention_shape
        assert shape is not None
        heads = shape[1]
        if self.head == MEAN:
            return heads
        if self.head == MAX:
            return heads + 1
        return int(self.head)

    def _show_large(self) -> None:
        run = self.run
        if run is None or run.output.attentions is None:
            return
        att = run.output.attentions[self.layer]
        if self.head == MEAN:
            matrix = att.mean(axis=0)
            name = self.tr("mean over heads")
        elif self.head == MAX:
            matrix = att.max(axis=0)
            name = self.tr("max over heads")
        else:
            matrix = att[int(self.head)]
            name = self.tr("head {0}").format(int(self.head) + 1)
        matrix = matrix[np.ix_(self._keep, self._keep)]
        if self.hide_special.isChecked():
            matrix = matrix.copy()
            matrix[:, run.special[self._keep]] = 0.0
        self._matrix = np.ascontiguousarray(matrix, dtype=np.float32)
        labels = [run.labels[p] for p in self._shown]
        self.large.plot.setTitle(
            self.tr("layer {layer}, {head}: query ↓ key →").format(layer=self.layer + 1, head=name),
            size="9pt",
        )
        self.large.set_data(self._matrix, data_levels(self._matrix), labels, labels)
        self.layer_box.setCurrentIndex(self.layer)
        self.head_box.setCurrentIndex(self._column())
        cell = THUMBNAIL + 2
        self.grid_mark.setRect(QRectF(self._column() * cell, self.layer * cell, cell, cell))
        self.grid_mark.show()
        self._highlight()

    # -- linking ---------------------------------------------------------------------
    def set_selected_token(self, token_index: int) -> None:
        """Highlight the row and column of a token (its index into result.columns)."""
        self.selected_position = None
        if self.run is not None:
            self.selected_position = self.run.position_of(token_index)
        self._highlight()

    def _highlight(self) -> None:
        position = self.selected_position
        shown = None
        if position is not None and len(self._shown):
            hits = np.flatnonzero(self._shown == position)
            shown = int(hits[0]) if len(hits) else None
        self.large.set_highlight(shown, shown)

    def _describe(self, row: int, col: int, value: float) -> str:
        if self.run is None:
            return ""
        q, k = self.run.labels[self._shown[row]], self.run.labels[self._shown[col]]
        return self.tr("query #{q} {query} → key #{k} {key}: {value}").format(
            q=self._shown[row], query=repr(q), k=self._shown[col], key=repr(k), value=f"{value:.4f}"
        )

    @Slot(int, int)
    def _on_cell(self, _row: int, col: int) -> None:
        if self.run is None:
            return
        self.token_clicked.emit(int(self.run.positions[self._shown[col]]))

    def _on_grid_click(self, event: Any) -> None:
        if self.run is None or event.button() != Qt.MouseButton.LeftButton:
            return
        if not self.grid_plot.sceneBoundingRect().contains(event.scenePos()):
            return
        point = self.grid_plot.getViewBox().mapSceneToView(event.scenePos())
        cell = THUMBNAIL + 2
        layer, column = math.floor(point.y() / cell), math.floor(point.x() / cell)
        self.select_thumbnail(layer, column)

    def select_thumbnail(self, layer: int, column: int) -> None:
        """Show one thumbnail large: column = head, or heads / heads + 1 for mean / max."""
        shape = self.run.output.attention_shape if self.run is not None else None
        if shape is None:
            return
        layers, heads = shape[:2]
        if not (0 <= layer < layers and 0 <= column < heads + 2):
            return
        self.layer = layer
        self.head = MEAN if column == heads else MAX if column == heads + 1 else column
        self._show_large()

    @Slot()
    def _on_boxes(self) -> None:
        if self.run is not None:
            self.select_thumbnail(self.layer_box.currentIndex(), self.head_box.currentIndex())

    @Slot(bool)
    def _on_hide_special(self, _checked: bool) -> None:
        if self.run is not None:
            self._show_mosaic(self._mosaic())
            self._show_large()

    # -- export ----------------------------------------------------------------------
    def export_grid_image(self, path: Path) -> None:
        export_plot_image(self.grid_view, Path(path))

    def export_grid_numbers(self, path: Path) -> None:
        """The attention tensor shown (layers × heads × queries × keys) as .npy, or as CSV
        the mean over heads per layer (one row per layer and query)."""
        run = self.run
        if run is None or run.output.attentions is None:
            raise ValueError(self.tr("nothing to export yet"))
        att = np.stack([layer[:, self._keep][:, :, self._keep] for layer in run.output.attentions])
        path = Path(path)
        if path.suffix.lower() == ".npy":
            export_numbers(np.ascontiguousarray(att), path)
            return
        mean = att.mean(axis=1)
        labels = [run.labels[p] for p in self._shown]
        rows = [f"L{li + 1} {q}" for li in range(mean.shape[0]) for q in labels]
        export_numbers(mean.reshape(-1, mean.shape[-1]), path, rows, labels)
