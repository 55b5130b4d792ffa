"""Next-token lens (causal LMs): what each layer would predict next, at every position.

The heatmap shows, per layer (rows) and position (columns), the probability the layer gives to
the token that actually comes next (the logit lens: the layer's state through the final norm
and the LM head). The table lists the top-k next tokens of each layer at the selected position.

The last layer is the model's real prediction: it comes first, in the table's top row and the
heatmap's top row, so it is in view without scrolling whatever the depth of the model.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QCoreApplication, Qt, Signal, Slot
from PySide6.QtGui import QPalette
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
from inspector.gui.i18n import Retranslatable
from inspector.gui.widgets.heatmap import Heatmap, redraw_run
from inspector.gui.widgets.hidden_state_panel import layer_labels


def lens_layer_labels(count: int) -> list[str]:
    """Row names, the last one marked as the model's own prediction."""
    names = layer_labels(count)
    if count > 1:
        names[-1] = QCoreApplication.translate("LensPanel", "{layer} (output)").format(
            layer=names[-1]
        )
    return names


class LensPanel(Retranslatable, QWidget):
    token_clicked = Signal(int)  # token index (into result.columns)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.run: ModelRun | None = None
        self.position: int | None = None

        self.message = QLabel()
        self.message.setWordWrap(True)
        # Embeddings at the bottom, the output layer on top, as the table reads.
        self.heatmap = Heatmap(colormap="viridis", invert_y=False)
        self.heatmap.cell_clicked.connect(self._on_cell)
        self.heatmap.describe = self._describe
        self.position_label = QLabel()
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
        self.retranslate()

    def retranslate(self) -> None:
        """Every string again in the current language (View → Language), the data kept."""
        self.heatmap.set_bar_label(self.tr("p(actual next token)"))
        self.position_label.setText(self._position_hint())
        redraw_run(self)

    def _position_hint(self) -> str:
        return self.tr("Click a position to see each layer's top next tokens.")

    def _idle_text(self) -> str:
        return self.tr("Run a causal language model to see the next-token lens.")

    def clear(self, message: str | None = None) -> None:
        self.run = None
        self.position = None
        self.message.setText(message or self._idle_text())
        self.message.show()
        self.position_label.setText(self._position_hint())
        self.heatmap.clear()
        self.table.clear()
        self.table.setRowCount(0)
        self.table.setColumnCount(0)

    def set_run(self, run: ModelRun) -> None:
        lens = run.output.lens
        if lens is None:
            self.clear(
                self.tr(
                    "The next-token lens needs a causal language model (for example "
                    "smollm2-135m); {name} is an encoder."
                ).format(name=run.output.info.name)
            )
            return
        self.run = run
        self.message.setText(
            self.tr(
                "Probability that each layer's prediction gives to the token that actually "
                "comes next (the last position has no next token). The top row, the last "
                "layer, is the model's own prediction."
            )
        )
        values = np.nan_to_num(lens.actual_next_prob, nan=0.0).astype(np.float32)
        self.heatmap.set_data(values, (0.0, 1.0), layer_labels(values.shape[0]), list(run.labels))
        if self.position is None or self.position >= len(run.labels):
            self.position = max(0, len(run.labels) - 1)
        self.heatmap.set_highlight(None, self.position)
        self._show_position()

    def table_row(self, layer: int) -> int:
        """The table's row of a layer: the last layer on top."""
        assert self.run is not None and self.run.output.lens is not None
        return self.run.output.lens.top_probs.shape[0] - 1 - layer

    def _show_position(self) -> None:
        run = self.run
        if run is None or run.output.lens is None or self.position is None:
            return
        lens = run.output.lens
        p = self.position
        layers, _positions, k = lens.top_probs.shape
        nxt = run.labels[p + 1] if p + 1 < len(run.labels) else None
        actual = lens.actual_next_prob[-1, p]
        if nxt is not None:
            self.position_label.setText(
                self.tr(
                    "Position #{index} {token} → actually next: {next}, p = {p} at the last layer"
                ).format(index=p, token=repr(run.labels[p]), next=repr(nxt), p=f"{actual:.3f}")
            )
        else:
            self.position_label.setText(
                self.tr("Position #{index} {token} → actually next: —").format(
                    index=p, token=repr(run.labels[p])
                )
            )
        names = lens_layer_labels(layers)
        self.table.setRowCount(layers)
        self.table.setColumnCount(k + 1)
        top = self.tr("top {0}")
        self.table.setHorizontalHeaderLabels(
            [top.format(i + 1) for i in range(k)] + [self.tr("p(next)")]
        )
        self.table.setVerticalHeaderLabels([names[layer] for layer in reversed(range(layers))])
        palette = self.palette()
        hit_background = palette.color(QPalette.ColorRole.Highlight)
        hit_text = palette.color(QPalette.ColorRole.HighlightedText)
        for layer in range(layers):
            row = self.table_row(layer)
            for rank in range(k):
                token = lens.top_tokens[layer][p][rank]
                prob = float(lens.top_probs[layer, p, rank])
                item = QTableWidgetItem(f"{token}\n{prob:.3f}")
                item.setToolTip(f"{token!r}: p = {prob:.4f}")
                if nxt is not None and token == nxt:  # the guess that is right
                    item.setBackground(hit_background)
                    item.setForeground(hit_text)
                self.table.setItem(row, rank, item)
            prob_next = lens.actual_next_prob[layer, p]
            text = "—" if np.isnan(prob_next) else f"{float(prob_next):.3f}"
            self.table.setItem(row, k, QTableWidgetItem(text))
        self.table.scrollToTop()

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
        hover = self.tr("{layer}, #{index} {token}: p(next) {p}; top guess {best} ({best_p})")
        return hover.format(
            layer=lens_layer_labels(lens.top_probs.shape[0])[row],
            index=col,
            token=repr(run.labels[col]),
            p=f"{value:.3f}",
            best=repr(best),
            best_p=f"{float(lens.top_probs[row, col, 0]):.3f}",
        )
