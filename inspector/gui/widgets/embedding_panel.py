"""Embeddings: the sentence embedding of the text (and pair text), their cosine, what each
token contributes to the pooled vector, and a token's static vs contextual embedding.

The static embedding is the token's row of the input-embedding table (no position, no
context); the contextual one is its last hidden state. Their cosine says how much the context
changed the token.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSplitter, QVBoxLayout, QWidget

from inspector.core.model_run import ModelRun
from inspector.gui.i18n import Retranslatable
from inspector.gui.widgets.heatmap import (
    ExportButton,
    LabelAxis,
    export_numbers,
    export_plot_image,
    redraw_run,
    style_plot,
)

BAR = pg.mkBrush("#5b8def")
BAR_SPECIAL = pg.mkBrush("#b0b0b0")
BAR_SELECTED = pg.mkBrush("#f5a623")
PREVIEW = 6  # values of a vector shown inline


def preview(vector: np.ndarray) -> str:
    head = ", ".join(f"{float(v):.3f}" for v in vector[:PREVIEW])
    return f"[{head}, …]" if len(vector) > PREVIEW else f"[{head}]"


def _plot(title: str, bottom: pg.AxisItem | None = None) -> tuple[pg.GraphicsLayoutWidget, Any]:
    """A plot styled later by :func:`style_plot` (the panel follows the palette)."""
    view = pg.GraphicsLayoutWidget()
    plot = view.addPlot(axisItems={"bottom": bottom} if bottom is not None else None)
    plot.setMenuEnabled(False)
    plot.hideButtons()
    plot.setTitle(title, size="9pt")
    return view, plot


class EmbeddingPanel(Retranslatable, QWidget):
    token_clicked = Signal(int)  # token index (into result.columns)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.run: ModelRun | None = None
        self.position: int | None = None

        self.summary = QLabel(self._idle_text())
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.token_axis = LabelAxis("bottom")
        self.bars_view, self.bars_plot = _plot("", self.token_axis)
        self.bars_plot.getViewBox().setMouseEnabled(y=False)
        self.bars = pg.BarGraphItem(x=[], height=[], width=0.8)
        self.bars_plot.addItem(self.bars)
        self.bars_plot.scene().sigMouseClicked.connect(self._on_bar_click)
        bars_export = ExportButton(self.export_contributions_image, self.export_contributions)

        self.static_view, self.static_plot = _plot("")
        self.static_plot.addLegend(offset=(10, 10))
        self.static_curve = self.static_plot.plot(pen=pg.mkPen("#888", width=1), name="static")
        self.context_curve = self.static_plot.plot(
            pen=pg.mkPen("#d62728", width=1), name="contextual"
        )
        self.static_text = QLabel(self._static_hint())
        self.static_text.setWordWrap(True)
        self.static_text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        static_export = ExportButton(self.export_static_image, self.export_static)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.bars_view, 1)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(bars_export)
        left_layout.addLayout(row)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.static_view, 1)
        row = QHBoxLayout()
        row.addWidget(self.static_text, 1)
        row.addWidget(static_export)
        right_layout.addLayout(row)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(splitter, 1)
        self.retranslate()

    def retranslate(self) -> None:
        """Every string again in the current language (View → Language), the data kept."""
        self.bars_plot.setTitle(
            self.tr("contribution of each token to the pooled vector"), size="9pt"
        )
        self.static_plot.setTitle(self.tr("static (input) vs contextual (last layer)"), size="9pt")
        legend = self.static_plot.legend
        names = (self.tr("static"), self.tr("contextual"))
        for (_sample, label), name in zip(legend.items, names, strict=True):
            label.setText(name)
        self.apply_palette()  # the axis caption, in the palette's colour
        redraw_run(self)

    def _idle_text(self) -> str:
        return self.tr("Run a model to see sentence embeddings.")

    def _static_hint(self) -> str:
        return self.tr("Select a token to compare its static and contextual vectors.")

    def apply_palette(self) -> None:
        """Follow the window's palette: background, axes, titles, legend."""
        palette = self.palette()
        for view, plot in ((self.bars_view, self.bars_plot), (self.static_view, self.static_plot)):
            colours = style_plot(view, plot, palette)
        self.static_plot.getAxis("bottom").setLabel(self.tr("dimension"), color=colours.text)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self.apply_palette()

    def clear(self, message: str | None = None) -> None:
        self.run = None
        self.position = None
        self.summary.setText(message or self._idle_text())
        self.static_text.setText(self._static_hint())
        self.bars.setOpts(x=[], height=[])
        self.token_axis.set_labels([])
        self.static_curve.setData([], [])
        self.context_curve.setData([], [])

    def set_run(self, run: ModelRun) -> None:
        self.run = run
        if run.embedding is None:
            self.summary.setTextFormat(Qt.TextFormat.PlainText)
            if run.embedding_note:
                self.summary.setText(
                    self.tr("No sentence embedding for this model: {0}").format(run.embedding_note)
                )
            else:
                self.summary.setText(self.tr("No sentence embedding for this model."))
        else:
            self.summary.setTextFormat(Qt.TextFormat.RichText)
            lines = [
                self.tr("<b>Text</b>: {dims} dimensions, norm {norm} {values}").format(
                    dims=len(run.embedding),
                    norm=f"{float(np.linalg.norm(run.embedding)):.4f}",
                    values=preview(run.embedding),
                )
            ]
            if run.pair_embedding is not None:
                lines.append(
                    self.tr("<b>Pair text</b>: norm {norm} {values}").format(
                        norm=f"{float(np.linalg.norm(run.pair_embedding)):.4f}",
                        values=preview(run.pair_embedding),
                    )
                )
                lines.append(
                    self.tr("<b>Cosine similarity text ↔ pair</b>: {0}").format(
                        f"{run.pair_cosine:.4f}"
                    )
                )
            else:
                lines.append(
                    self.tr("Pair mode (Encoding panel) adds the pair text and its cosine.")
                )
            self.summary.setText("<br>".join(lines))
        if self.position is not None and self.position >= len(run.labels):
            self.position = None
        self._show_bars()
        self._show_static()

    def _show_bars(self) -> None:
        run = self.run
        if run is None or run.contributions is None:
            self.bars.setOpts(x=[], height=[])
            self.token_axis.set_labels([])
            return
        n = len(run.contributions)
        brushes = [BAR_SPECIAL if s else BAR for s in run.special[:n]]
        if self.position is not None and self.position < n:
            brushes[self.position] = BAR_SELECTED
        self.bars.setOpts(
            x=np.arange(n) + 0.5, height=run.contributions, width=0.8, brushes=brushes, pen=None
        )
        self.token_axis.set_labels(list(run.labels[:n]))
        if run.result.pair is not None:
            title = self.tr(
                "each token's share of the mean-pooled last hidden state "
                "(text + pair, as fed together)"
            )
        else:
            title = self.tr("each token's share of the mean-pooled last hidden state (the text)")
        self.bars_plot.setTitle(title, size="9pt")
        self.bars_plot.setXRange(0, n, padding=0.01)
        self.bars_plot.getViewBox().setLimits(xMin=0, xMax=max(n, 1))

    def _show_static(self) -> None:
        run = self.run
        if run is None or self.position is None:
            self.static_curve.setData([], [])
            self.context_curve.setData([], [])
            self.static_text.setText(self._static_hint())
            return
        from inspector.core.analysis import static_vs_contextual

        token = int(run.positions[self.position])
        static, contextual, cosine = static_vs_contextual(run.output, token)
        self.static_curve.setData(np.asarray(static, np.float32))
        self.context_curve.setData(np.asarray(contextual, np.float32))
        self.static_text.setText(
            self.tr(
                "Token #{index} {token}: cosine(static, contextual) = {cosine} · static norm "
                "{static}, contextual norm {contextual}"
            ).format(
                index=self.position,
                token=repr(run.labels[self.position]),
                cosine=f"{float(cosine):.4f}",
                static=f"{float(np.linalg.norm(static)):.3f}",
                contextual=f"{float(np.linalg.norm(contextual)):.3f}",
            )
        )

    # -- linking ---------------------------------------------------------------------
    def set_selected_token(self, token_index: int) -> None:
        self.position = self.run.position_of(token_index) if self.run is not None else None
        self._show_bars()
        self._show_static()

    def _on_bar_click(self, event: Any) -> None:
        run = self.run
        if run is None or run.contributions is None:
            return
        if event.button() != Qt.MouseButton.LeftButton:
            return
        if not self.bars_plot.sceneBoundingRect().contains(event.scenePos()):
            return
        x = self.bars_plot.getViewBox().mapSceneToView(event.scenePos()).x()
        position = int(np.floor(x))
        if 0 <= position < len(run.contributions):
            self.token_clicked.emit(int(run.positions[position]))

    # -- export ----------------------------------------------------------------------
    def export_contributions_image(self, path: Path) -> None:
        export_plot_image(self.bars_view, Path(path))

    def export_contributions(self, path: Path) -> None:
        run = self.run
        if run is None or run.contributions is None:
            raise ValueError(self.tr("nothing to export yet"))
        export_numbers(
            run.contributions[None, :], Path(path), [self.tr("contribution")], run.labels
        )

    def export_static_image(self, path: Path) -> None:
        export_plot_image(self.static_view, Path(path))

    def export_static(self, path: Path) -> None:
        """The selected token's static and contextual vectors (2 × D)."""
        run = self.run
        if run is None or self.position is None:
            raise ValueError(self.tr("select a token first"))
        from inspector.core.analysis import static_vs_contextual

        token = int(run.positions[self.position])
        static, contextual, _cosine = static_vs_contextual(run.output, token)
        labels = [self.tr("static"), self.tr("contextual")]
        export_numbers(np.vstack([static, contextual]), Path(path), labels)
