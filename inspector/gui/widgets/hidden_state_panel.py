"""Hidden states: a layers × tokens heatmap of one metric, and the vector behind a cell.

Rows are the embeddings and every layer, columns the fed tokens. Metrics: L2 norm, cosine to
the previous layer, cosine to the last layer, or the mean of a chosen dimension range. Colour
levels come from all the data, on a scale the user picks: log (the default, for positive
metrics: SmolLM2's first-token norm of about 22,000 would otherwise flatten the rest into one
colour), clipped (outliers take the end colours; the default where log cannot apply) or the
full range.
Clicking a cell selects that token everywhere and shows its vector at that layer.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QCoreApplication, Qt, Signal, Slot
from PySide6.QtGui import QFontDatabase, QGuiApplication
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from inspector.core.model_run import ModelRun
from inspector.gui.i18n import Retranslatable
from inspector.gui.widgets.heatmap import CLIPPED, LINEAR, LOG, SCALES, Heatmap, redraw_run

METRICS: tuple[str, ...] = ("l2", "cos_prev", "cos_last", "dims")
POSITIVE_METRICS = frozenset({"l2"})  # the metrics a log scale can show


def metric_name(key: str) -> str:
    names = {
        "l2": QCoreApplication.translate("HiddenStatePanel", "L2 norm"),
        "cos_prev": QCoreApplication.translate(
            "HiddenStatePanel", "cosine to the previous layer (none for the embeddings)"
        ),
        "cos_last": QCoreApplication.translate("HiddenStatePanel", "cosine to the last layer"),
        "dims": QCoreApplication.translate("HiddenStatePanel", "mean of dimensions…"),
    }
    return names[key]


def scale_name(scale: str) -> str:
    names = {
        CLIPPED: QCoreApplication.translate("HiddenStatePanel", "clipped (outliers)"),
        LOG: QCoreApplication.translate("HiddenStatePanel", "log"),
        LINEAR: QCoreApplication.translate("HiddenStatePanel", "full range"),
    }
    return names[scale]


def layer_labels(count: int) -> list[str]:
    """Row names: the embeddings, then layer 1…N."""
    first = QCoreApplication.translate("HiddenStatePanel", "embeddings")
    layer = QCoreApplication.translate("HiddenStatePanel", "layer {0}")
    return [first] + [layer.format(i) for i in range(1, count)]


class HiddenStatePanel(Retranslatable, QWidget):
    token_clicked = Signal(int)  # token index (into result.columns)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.run: ModelRun | None = None
        self.layer = 0
        self.position: int | None = None
        # The user's choice; log (the default: norms span 1 to 22,000 in SmolLM2) falls back
        # to clipped for metrics that can be zero or negative.
        self.wanted_scale = LOG

        self.metric_box = QComboBox()
        for key in METRICS:
            self.metric_box.addItem(metric_name(key), key)
        self.metric_box.currentIndexChanged.connect(self._on_metric)
        self.scale_box = QComboBox()
        for scale in SCALES:
            self.scale_box.addItem(scale_name(scale), scale)
        self.scale_box.activated.connect(self._on_scale_chosen)
        self.dim_from = QSpinBox()
        self.dim_to = QSpinBox()
        for box in (self.dim_from, self.dim_to):
            box.setRange(0, 0)
            box.setEnabled(False)
            box.valueChanged.connect(self._on_dims)
        self.count_box = QSpinBox()
        self.count_box.setRange(1, 100_000)
        self.count_box.setValue(16)
        self.count_box.valueChanged.connect(self._show_vector)
        # Static captions, their text set in retranslate().
        self.captions = {
            name: QLabel() for name in ("metric", "dimensions", "to", "scale", "first", "values")
        }
        controls = QHBoxLayout()
        controls.addWidget(self.captions["metric"])
        controls.addWidget(self.metric_box)
        controls.addWidget(self.captions["dimensions"])
        controls.addWidget(self.dim_from)
        controls.addWidget(self.captions["to"])
        controls.addWidget(self.dim_to)
        controls.addSpacing(12)
        controls.addWidget(self.captions["scale"])
        controls.addWidget(self.scale_box)
        controls.addStretch(1)

        self.shapes = QLabel()
        self.shapes.setWordWrap(True)
        self.shapes.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.heatmap = Heatmap(colormap="viridis", invert_y=True)
        self.heatmap.caption_scale = True  # the scale is the user's choice: always named
        self.heatmap.cell_clicked.connect(self._on_cell)
        self.heatmap.describe = self._describe

        self.vector_title = QLabel(self._vector_hint())
        self.vector_title.setWordWrap(True)
        self.vector_text = QPlainTextEdit()
        self.vector_text.setReadOnly(True)
        self.vector_text.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.copy_button = QPushButton()
        self.copy_button.clicked.connect(self.copy_vector)
        self.copy_all_button = QPushButton()
        self.copy_all_button.clicked.connect(lambda: self.copy_vector(all_values=True))
        vector_controls = QHBoxLayout()
        vector_controls.addWidget(self.captions["first"])
        vector_controls.addWidget(self.count_box)
        vector_controls.addWidget(self.captions["values"])
        vector_controls.addStretch(1)
        vector_controls.addWidget(self.copy_button)
        vector_controls.addWidget(self.copy_all_button)
        side = QWidget()
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 0, 0)
        side_layout.addWidget(self.vector_title)
        side_layout.addLayout(vector_controls)
        side_layout.addWidget(self.vector_text, 1)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.heatmap)
        splitter.addWidget(side)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(controls)
        layout.addWidget(self.shapes)
        layout.addWidget(splitter, 1)
        self.retranslate()

    def retranslate(self) -> None:
        """Every string again in the current language (View → Language), the data kept."""
        texts = {
            "metric": self.tr("Metric"),
            "dimensions": self.tr("dimensions"),
            "to": self.tr("to"),
            "scale": self.tr("Colour scale"),
            "first": self.tr("First"),
            "values": self.tr("values"),
        }
        for name, text in texts.items():
            self.captions[name].setText(text)
        for index in range(self.metric_box.count()):
            self.metric_box.setItemText(index, metric_name(str(self.metric_box.itemData(index))))
        for index in range(self.scale_box.count()):
            self.scale_box.setItemText(index, scale_name(str(self.scale_box.itemData(index))))
        self.scale_box.setToolTip(
            self.tr(
                "How values map to colours. Log: for positive values such as norms. Clipped: "
                "values below the 1st or above the 99th percentile, or more than 3 interquartile "
                "ranges beyond the middle half, take the end colours. Full range: from the "
                "smallest to the largest value. The hover text and exports give the real values."
            )
        )
        self.count_box.setToolTip(self.tr("How many values of the vector to show"))
        self.copy_button.setText(self.tr("Copy"))
        self.copy_button.setToolTip(self.tr("Copy the values shown (tab-separated)"))
        self.copy_all_button.setText(self.tr("Copy all"))
        self.copy_all_button.setToolTip(self.tr("Copy the whole vector (tab-separated)"))
        self._sync_scale_box()
        self.vector_title.setText(self._vector_hint())  # until a vector is shown again
        redraw_run(self)

    def _vector_hint(self) -> str:
        return self.tr("Click a cell to see that token's vector at that layer.")

    # -- data ------------------------------------------------------------------------
    def current_metric(self) -> str:
        return str(self.metric_box.currentData())

    def current_scale(self) -> str:
        """The scale shown: the user's choice, clipped where log cannot show the metric."""
        if self.wanted_scale == LOG and self.current_metric() not in POSITIVE_METRICS:
            return CLIPPED
        return self.wanted_scale

    def set_scale(self, scale: str) -> None:
        self.wanted_scale = scale if scale in SCALES else LOG
        self._sync_scale_box()
        self._show_metric()

    def _sync_scale_box(self) -> None:
        """Log is offered for positive metrics only; the box shows the scale in use."""
        model = self.scale_box.model()
        log_item = model.item(self.scale_box.findData(LOG))  # type: ignore[attr-defined]
        log_item.setEnabled(self.current_metric() in POSITIVE_METRICS)
        self.scale_box.setCurrentIndex(self.scale_box.findData(self.current_scale()))

    def clear(self, message: str | None = None) -> None:
        self.run = None
        self.position = None
        self.shapes.setText(message or self.tr("Run a model to see its hidden states."))
        self.heatmap.clear()
        self.vector_text.clear()
        self.vector_title.setText(self._vector_hint())

    def set_run(self, run: ModelRun) -> None:
        self.run = run
        out = run.output
        layers, tokens, dims = out.hidden_states.shape
        for box in (self.dim_from, self.dim_to):
            box.blockSignals(True)
            box.setRange(0, dims - 1)
            box.blockSignals(False)
        if self.dim_to.value() == 0 and self.dim_from.value() == 0:
            self.dim_to.setValue(min(dims - 1, 31))
        if out.pooler_output_shape is not None:
            pooler = self.tr(" · pooler_output {0}").format(out.pooler_output_shape)
        else:
            pooler = self.tr(" · no pooler_output")
        self.shapes.setText(
            self.tr(
                "hidden_states: {layers} × (1, {tokens}, {dims}) (embeddings + {n} layers)"
                " · last_hidden_state {last}{pooler}"
            ).format(
                layers=layers,
                tokens=tokens,
                dims=dims,
                n=layers - 1,
                last=out.last_hidden_state_shape,
                pooler=pooler,
            )
        )
        if self.position is not None and self.position >= tokens:
            self.position = None
        self.layer = min(self.layer, layers - 1)
        self._show_metric()
        self._show_vector()

    def values(self) -> np.ndarray:
        """The (L+1, T) numbers of the current metric."""
        assert self.run is not None
        metric = self.current_metric()
        if metric == "dims":
            from inspector.core.analysis import hidden_metric

            lo, hi = sorted((self.dim_from.value(), self.dim_to.value()))
            return np.asarray(
                hidden_metric(self.run.output.hidden_states, "dims", (lo, hi + 1)), np.float32
            )
        return self.run.metrics[metric]

    def _show_metric(self) -> None:
        if self.run is None:
            return
        values = self.values()
        name = metric_name(self.current_metric()).rstrip("…")
        self.heatmap.plot.setTitle(name, size="9pt")
        self.heatmap.set_bar_label(name if self.current_metric() != "dims" else "")
        self.heatmap.set_data(
            values,
            None,
            layer_labels(values.shape[0]),
            list(self.run.labels),
            scale=self.current_scale(),
        )
        self.heatmap.set_highlight(None, self.position)

    # -- linking ---------------------------------------------------------------------
    def set_selected_token(self, token_index: int) -> None:
        self.position = self.run.position_of(token_index) if self.run is not None else None
        self.heatmap.set_highlight(None, self.position)
        self._show_vector()

    @Slot(int, int)
    def _on_cell(self, row: int, col: int) -> None:
        if self.run is None:
            return
        self.layer, self.position = row, col
        self._show_vector()
        self.token_clicked.emit(int(self.run.positions[col]))

    def _describe(self, row: int, col: int, value: float) -> str:
        if self.run is None:
            return ""
        name = layer_labels(self.run.output.hidden_states.shape[0])[row]
        return self.tr("{layer}, token #{index} {token}: {value}").format(
            layer=name, index=col, token=repr(self.run.labels[col]), value=f"{value:.4g}"
        )

    @Slot()
    def _on_metric(self) -> None:
        dims = self.current_metric() == "dims"
        self.dim_from.setEnabled(dims)
        self.dim_to.setEnabled(dims)
        self._sync_scale_box()
        self._show_metric()

    @Slot(int)
    def _on_scale_chosen(self, index: int) -> None:
        self.set_scale(str(self.scale_box.itemData(index)))

    @Slot()
    def _on_dims(self) -> None:
        if self.current_metric() == "dims":
            self._show_metric()

    # -- the vector of one cell --------------------------------------------------------
    def vector(self) -> np.ndarray | None:
        if self.run is None or self.position is None:
            return None
        return self.run.output.hidden_states[self.layer, self.position]

    @Slot()
    def _show_vector(self) -> None:
        vector = self.vector()
        if vector is None or self.run is None or self.position is None:
            self.vector_text.clear()
            return
        name = layer_labels(self.run.output.hidden_states.shape[0])[self.layer]
        count = min(self.count_box.value(), len(vector))
        self.vector_title.setText(
            self.tr(
                "Token #{index} {token} at {layer}: shape ({size},), L2 norm {norm}; "
                "first {count} values:"
            ).format(
                index=self.position,
                token=repr(self.run.labels[self.position]),
                layer=name,
                size=len(vector),
                norm=f"{float(np.linalg.norm(vector)):.4g}",
                count=count,
            )
        )
        self.vector_text.setPlainText(
            "\n".join(f"[{i}]\t{float(v): .6f}" for i, v in enumerate(vector[:count]))
        )

    def copy_vector(self, all_values: bool = False) -> str:
        vector = self.vector()
        if vector is None:
            return ""
        shown = vector if all_values else vector[: self.count_box.value()]
        text = "\t".join(f"{float(v):.6g}" for v in shown)
        QGuiApplication.clipboard().setText(text)
        return text
