"""The corpus window's three pyqtgraph plots, drawn from the same chart data as the HTML page.

``inspector.core.corpus.exports.charts`` gives categories, series and colours; here they
become grouped BarGraphItems, so the window and the report always show the same numbers.
"""

from __future__ import annotations

from typing import Any

import pyqtgraph as pg
from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QVBoxLayout, QWidget

from inspector.core.corpus.exports import SERIES_COLORS
from inspector.gui.widgets.heatmap import style_plot


class CorpusPlots(QWidget):
    """Tokens per 1k characters by tokenizer × group, tokens-per-document histogram, vocab use."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.views: list[pg.PlotWidget] = []
        for _ in range(3):
            view = pg.PlotWidget()
            view.setMenuEnabled(False)
            view.setMouseEnabled(x=False, y=False)
            view.hideButtons()
            layout.addWidget(view, 1)
            self.views.append(view)
        self._charts: list[dict[str, Any]] = []
        self._apply_theme()

    def set_charts(self, charts: list[dict[str, Any]]) -> None:
        """``charts``: the categories/series of ``exports.chart_series`` for each plot."""
        self._charts = charts
        for view, chart in zip(self.views, charts, strict=True):
            self._draw(view, chart)

    def bar_count(self, plot: int) -> int:
        return sum(
            len(item.opts["height"])
            for item in self.views[plot].getPlotItem().items
            if isinstance(item, pg.BarGraphItem)
        )

    def _draw(self, view: pg.PlotWidget, chart: dict[str, Any]) -> None:
        plot = view.getPlotItem()
        plot.clear()
        if plot.legend is not None:
            plot.legend.clear()
        else:  # one row across the top; the y range leaves room for it
            plot.addLegend(offset=(8, 4), colCount=len(SERIES_COLORS))
        plot.legend.setLabelTextColor(self._text)
        plot.setTitle(chart["title"], color=self._text)
        categories, series = chart["categories"], chart["series"]
        width = 0.8 / max(len(series), 1)
        for index, (name, values) in enumerate(series):
            color = SERIES_COLORS[index % len(SERIES_COLORS)]
            x = [c - 0.4 + width * (index + 0.5) for c in range(len(categories))]
            bars = pg.BarGraphItem(
                x=x, height=values, width=width * 0.9, brush=color, pen=color, name=name
            )
            plot.addItem(bars)
        axis = plot.getAxis("bottom")
        axis.setTicks([[(i, str(c)[:18]) for i, c in enumerate(categories)]])
        plot.setLabel("left", chart["unit"], color=self._text)
        plot.setXRange(-0.6, max(len(categories), 1) - 0.4, padding=0)
        peak = max((v for _, values in series for v in values), default=0) or 1
        plot.setYRange(0, peak * 1.3, padding=0)

    def _apply_theme(self) -> None:
        """Background, axes and text in the palette's colours (the shared plot style)."""
        for view in self.views:
            self._text = style_plot(view, view.getPlotItem(), self.palette()).text

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self._apply_theme()
            if self._charts:
                self.set_charts(self._charts)
