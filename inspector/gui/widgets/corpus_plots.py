"""The corpus window's three pyqtgraph plots, drawn from the same chart data as the HTML page.

``inspector.core.corpus.exports.charts`` gives categories, series and colours; here they
become grouped BarGraphItems, so the window and the report always show the same numbers.
"""

from __future__ import annotations

import html
import math
from typing import Any

import pyqtgraph as pg
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from inspector.core.corpus.exports import SERIES_COLORS
from inspector.gui.widgets.heatmap import style_plot

LABEL_PX = 64  # room one category label needs under its bars ("128k–256k" at the axis font)


class CorpusPlots(QWidget):
    """Tokens per 1k characters by tokenizer × group, tokens-per-document histogram, vocab use.

    The three plots show the same tokenizers in the same colours: one legend above them all,
    outside every plot, so it never covers a bar.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.legend = QLabel()
        self.legend.setTextFormat(Qt.TextFormat.RichText)  # names escaped: no live markup
        self.legend.setWordWrap(True)
        self.legend.setContentsMargins(8, 4, 8, 0)
        layout.addWidget(self.legend)
        self.views: list[pg.PlotWidget] = []
        for _ in range(3):
            view = pg.PlotWidget()
            view.setMenuEnabled(False)
            view.setMouseEnabled(x=False, y=False)
            view.hideButtons()
            # "%", "documents": plain numbers on the axis, never "(x0.001)" (as heatmap.py)
            view.getPlotItem().getAxis("left").enableAutoSIPrefix(False)
            layout.addWidget(view, 1)
            self.views.append(view)
        self._charts: list[dict[str, Any]] = []
        self._apply_theme()

    def set_charts(self, charts: list[dict[str, Any]]) -> None:
        """``charts``: the categories/series of ``exports.chart_series`` for each plot."""
        self._charts = charts
        series = charts[0]["series"] if charts else []
        self.legend.setText(
            "&emsp;".join(
                f'<span style="color:{SERIES_COLORS[i % len(SERIES_COLORS)]}">■</span>'
                f"&nbsp;{html.escape(str(name))}"
                for i, (name, _values) in enumerate(series)
            )
        )
        for view, chart in zip(self.views, charts, strict=True):
            self._draw(view, chart)

    def bar_count(self, plot: int) -> int:
        return sum(
            len(item.opts["height"])
            for item in self.views[plot].getPlotItem().items
            if isinstance(item, pg.BarGraphItem)
        )

    def tick_labels(self, plot: int) -> list[str]:
        """The category labels shown under a plot now (thinned out to fit its width)."""
        ticks = self.views[plot].getPlotItem().getAxis("bottom")._tickLevels
        return [label for _x, label in ticks[0]] if ticks else []

    def _draw(self, view: pg.PlotWidget, chart: dict[str, Any]) -> None:
        plot = view.getPlotItem()
        plot.clear()
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
        self._set_ticks(view, categories)
        plot.setLabel("left", chart["unit"], color=self._text)
        plot.setXRange(-0.6, max(len(categories), 1) - 0.4, padding=0)
        peak = max((v for _, values in series for v in values), default=0) or 1
        plot.setYRange(0, peak * 1.05, padding=0)

    @staticmethod
    def _set_ticks(view: pg.PlotWidget, categories: list[str]) -> None:
        """One label every so many categories, so that neighbours never overlap."""
        fits = max(int(view.width() // LABEL_PX), 1)
        step = max(math.ceil(len(categories) / fits), 1)
        labels = [(i, str(c)[:18]) for i, c in enumerate(categories) if i % step == 0]
        view.getPlotItem().getAxis("bottom").setTicks([labels])

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        for view, chart in zip(self.views, self._charts, strict=False):
            self._set_ticks(view, chart["categories"])

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
