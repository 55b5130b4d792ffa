"""Hidden states: a layers × tokens heatmap of one metric, and the vector behind a cell.

Rows are the embeddings and every layer, columns the fed tokens. Metrics: L2 norm, cosine to
the previous layer, cosine to the last layer, or the mean of a chosen dimension range. Colour
levels come from the data (analysis.levels), so the outliers hidden states have stay visible.
Clicking a cell selects that token everywhere and shows its vector at that layer.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt, Signal, Slot
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
from inspector.gui.widgets.heatmap import Heatmap

METRIC_NAMES = {
    "l2": "L2 norm",
    "cos_prev": "cosine to the previous layer (none for the embeddings)",
    "cos_last": "cosine to the last layer",
    "dims": "mean of dimensions…",
}


def layer_labels(count: int) -> list[str]:
    """Row names: the embeddings, then layer 1…N."""
    return ["embeddings"] + [f"layer {i}" for i in range(1, count)]


class HiddenStatePanel(QWidget):
    token_clicked = Signal(int)  # token index (into result.columns)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.run: ModelRun | None = None
        self.layer = 0
        self.position: int | None = None

        self.metric_box = QComboBox()
        for key, name in METRIC_NAMES.items():
            self.metric_box.addItem(name, key)
        self.metric_box.currentIndexChanged.connect(self._on_metric)
        self.dim_from = QSpinBox()
        self.dim_to = QSpinBox()
        for box in (self.dim_from, self.dim_to):
            box.setRange(0, 0)
            box.setEnabled(False)
            box.valueChanged.connect(self._on_dims)
        self.count_box = QSpinBox()
        self.count_box.setRange(1, 100_000)
        self.count_box.setValue(16)
        self.count_box.setToolTip("How many values of the vector to show")
        self.count_box.valueChanged.connect(self._show_vector)
        controls = QHBoxLayout()
        controls.addWidget(QLabel("Metric"))
        controls.addWidget(self.metric_box)
        controls.addWidget(QLabel("dimensions"))
        controls.addWidget(self.dim_from)
        controls.addWidget(QLabel("to"))
        controls.addWidget(self.dim_to)
        controls.addStretch(1)

        self.shapes = QLabel("Run a model to see its hidden states.")
        self.shapes.setWordWrap(True)
        self.shapes.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.heatmap = Heatmap(colormap="viridis", invert_y=True)
        self.heatmap.cell_clicked.connect(self._on_cell)
        self.heatmap.describe = self._describe

        self.vector_title = QLabel("Click a cell to see that token's vector at that layer.")
        self.vector_title.setWordWrap(True)
        self.vector_text = QPlainTextEdit()
        self.vector_text.setReadOnly(True)
        self.vector_text.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.copy_button = QPushButton("Copy")
        self.copy_button.setToolTip("Copy the values shown (tab-separated)")
        self.copy_button.clicked.connect(self.copy_vector)
        self.copy_all_button = QPushButton("Copy all")
        self.copy_all_button.setToolTip("Copy the whole vector (tab-separated)")
        self.copy_all_button.clicked.connect(lambda: self.copy_vector(all_values=True))
        vector_controls = QHBoxLayout()
        vector_controls.addWidget(QLabel("First"))
        vector_controls.addWidget(self.count_box)
        vector_controls.addWidget(QLabel("values"))
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

    # -- data ------------------------------------------------------------------------
    def current_metric(self) -> str:
        return str(self.metric_box.currentData())

    def clear(self, message: str = "Run a model to see its hidden states.") -> None:
        self.run = None
        self.position = None
        self.shapes.setText(message)
        self.heatmap.clear()
        self.vector_text.clear()
        self.vector_title.setText("Click a cell to see that token's vector at that layer.")

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
        pooler = (
            f" · pooler_output {out.pooler_output_shape}"
            if out.pooler_output_shape is not None
            else " · no pooler_output"
        )
        self.shapes.setText(
            f"hidden_states: {layers} × (1, {tokens}, {dims}) (embeddings + {layers - 1} layers)"
            f" · last_hidden_state {out.last_hidden_state_shape}{pooler}"
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
        from inspector.core.analysis import levels

        values = self.values()
        lo, hi = levels(values)
        self.heatmap.plot.setTitle(METRIC_NAMES[self.current_metric()].rstrip("…"), size="9pt")
        self.heatmap.set_data(
            values, (float(lo), float(hi)), layer_labels(values.shape[0]), list(self.run.labels)
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
        return f"{name}, token #{col} {self.run.labels[col]!r}: {value:.4g}"

    @Slot()
    def _on_metric(self) -> None:
        dims = self.current_metric() == "dims"
        self.dim_from.setEnabled(dims)
        self.dim_to.setEnabled(dims)
        self._show_metric()

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
            f"Token #{self.position} {self.run.labels[self.position]!r} at {name}: "
            f"shape ({len(vector)},), L2 norm {float(np.linalg.norm(vector)):.4g}; "
            f"first {count} values:"
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
