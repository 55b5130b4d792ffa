"""Next-token lens (causal LMs): what each layer would predict next, at every position.

The heatmap shows, per layer (rows) and position (columns), the probability the layer gives to
the token that actually comes next (the logit lens: the layer's state through the final norm
and the LM head). The table lists the top-k next tokens of each layer at the selected position.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QHeaderView,
    QLabel,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from inspector.core.model_run import ModelRun
from inspector.gui.widgets.heatmap import Heatmap
from inspector.gui.widgets.hidden_state_panel import layer_labels

NO_LENS = (
    "The next-token lens needs a causal language model (for example smollm2-135m); "
    "{name} is an encoder."
)


class LensPanel(QWidget):
    token_clicked = Signal(int)  # token index (into result.columns)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.run: ModelRun | None = None
        self.position: int | None = None

        self.message = QLabel("Run a causal language model to see the next-token lens.")
        self.message.setWordWrap(True)
        self.heatmap = Heatmap(colormap="viridis", bar_label="p(actual next token)")
        self.heatmap.cell_clicked.connect(self._on_cell)
        self.heatmap.describe = self._describe
        self.position_label = QLabel("Click a position to see each layer's top next tokens.")
        self.position_label.setWordWrap(True)
        self.table = QTableWidget()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        side = QWidget()
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 0, 0)
        side_layout.addWidget(self.position_label)
        side_layout.addWidget(self.table, 1)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.heatmap)
        splitter.addWidget(side)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.message)
        layout.addWidget(splitter, 1)

    def clear(
        self, message: str = "Run a causal language model to see the next-token lens."
    ) -> None:
        self.run = None
        self.position = None
        self.message.setText(message)
        self.message.show()
        self.heatmap.clear()
        self.table.clear()
        self.table.setRowCount(0)
        self.table.setColumnCount(0)

    def set_run(self, run: ModelRun) -> None:
        lens = run.output.lens
        if lens is None:
            self.clear(NO_LENS.format(name=run.output.info.name))
            return
        self.run = run
        self.message.setText(
            "Probability that each layer's prediction gives to the token that actually comes "
            "next (the last position has no next token)."
        )
        values = np.nan_to_num(lens.actual_next_prob, nan=0.0).astype(np.float32)
        self.heatmap.set_data(values, (0.0, 1.0), layer_labels(values.shape[0]), list(run.labels))
        if self.position is None or self.position >= len(run.labels):
            self.position = max(0, len(run.labels) - 1)
        self.heatmap.set_highlight(None, self.position)
        self._show_position()

    def _show_position(self) -> None:
        run = self.run
        if run is None or run.output.lens is None or self.position is None:
            return
        lens = run.output.lens
        p = self.position
        layers, _positions, k = lens.top_probs.shape
        nxt = run.labels[p + 1] if p + 1 < len(run.labels) else None
        actual = lens.actual_next_prob[-1, p]
        self.position_label.setText(
            f"Position #{p} {run.labels[p]!r} → actually next: "
            + (f"{nxt!r}, p = {float(actual):.3f} at the last layer" if nxt is not None else "—")
        )
        names = layer_labels(layers)
        self.table.setRowCount(layers)
        self.table.setColumnCount(k + 1)
        self.table.setHorizontalHeaderLabels([f"top {i + 1}" for i in range(k)] + ["p(next)"])
        self.table.setVerticalHeaderLabels(names)
        for layer in range(layers):
            for rank in range(k):
                token = lens.top_tokens[layer][p][rank]
                item = QTableWidgetItem(f"{token}\n{float(lens.top_probs[layer, p, rank]):.3f}")
                item.setToolTip(f"{token!r}: p = {float(lens.top_probs[layer, p, rank]):.4f}")
                if nxt is not None and token == nxt:
                    item.setBackground(Qt.GlobalColor.yellow)
                self.table.setItem(layer, rank, item)
            prob = lens.actual_next_prob[layer, p]
            text = "—" if np.isnan(prob) else f"{float(prob):.3f}"
            self.table.setItem(layer, k, QTableWidgetItem(text))

    # -- linking ---------------------------------------------------------------------
    def set_selected_token(self, token_index: int) -> None:
        if self.run is None:
            return
        position = self.run.position_of(token_index)
        if position is None:
            return
        self.position = position
        self.heatmap.set_highlight(None, position)
        self._show_position()

    @Slot(int, int)
    def _on_cell(self, _row: int, col: int) -> None:
        if self.run is None:
            return
        self.position = col
        self.heatmap.set_highlight(None, col)
        self._show_position()
        self.token_clicked.emit(int(self.run.positions[col]))

    def _describe(self, row: int, col: int, value: float) -> str:
        run = self.run
        if run is None or run.output.lens is None:
            return ""
        lens = run.output.lens
        best = lens.top_tokens[row][col][0]
        return (
            f"{layer_labels(lens.top_probs.shape[0])[row]}, #{col} {run.labels[col]!r}: "
            f"p(next) {value:.3f}; top guess {best!r} ({float(lens.top_probs[row, col, 0]):.3f})"
        )
