"""A long text's new comparison layout is painted a band of the canvas a turn of the event
loop (PaintTurns): stripes between visual lines, top to bottom, never two in one turn, and
together the same pixels as one paint of the whole. The stats table paints in a later turn
than the one that gave it its rows."""

from __future__ import annotations

import itertools
import time
from dataclasses import replace

import pytest
from PySide6.QtCore import QCoreApplication, QRect
from pytestqt.qtbot import QtBot

from inspector.core.catalog import Catalog
from inspector.core.compare import compare
from inspector.core.encoding import encode
from inspector.gui.widgets import comparison_canvas
from inspector.gui.widgets.comparison_canvas import ComparisonCanvas
from inspector.gui.widgets.comparison_layout import LOADING
from inspector.gui.widgets.comparison_stats import StatsTable
from inspector.gui.widgets.model_updates import PaintTurns
from tests.gui.conftest import Paints, on_screen, shown

TEXT = "Hello wörld 🎶🇫🇷 naïve café 東京 12345 tokens, and more words\n" * 40


def test_a_new_layout_is_painted_a_band_a_turn(
    qtbot: QtBot, catalog: Catalog, monkeypatch: pytest.MonkeyPatch
) -> None:
    comparison = compare([encode(catalog.load(name), TEXT) for name in ("gpt2", "cl100k_base")])
    monkeypatch.setattr(comparison_canvas, "SYNC_CHARS", 10)  # laid out on a worker
    canvas = shown(qtbot, ComparisonCanvas(), 700, 500)
    painted: list[QRect] = []
    original = ComparisonCanvas._paint

    def logged(self: ComparisonCanvas, area: QRect) -> None:
        if self.line_count():  # the new layout, not the loading message
            painted.append(QRect(area))
        original(self, area)

    monkeypatch.setattr(ComparisonCanvas, "_paint", logged)
    with qtbot.waitSignal(canvas.laid_out, timeout=30_000):
        canvas.set_rows(TEXT, None, list(comparison.rows), comparison)
    assert canvas.comparison() is comparison and canvas.line_count() > 40
    per_turn: list[int] = []
    deadline = time.monotonic() + 10
    turns = PaintTurns.shared()
    while (turns.waiting(canvas) or not canvas.updatesEnabled()) and time.monotonic() < deadline:
        before = len(painted)
        QCoreApplication.processEvents()  # one pass of the event loop
        per_turn.append(len(painted) - before)
        time.sleep(0.004)  # the next turn's 3 ms timer is due
    assert not turns.waiting(canvas)
    area = canvas.viewport().rect()
    assert len(painted) > 1 and max(per_turn) <= 1  # a band a turn
    tops = [band.top() for band in painted]
    assert tops == sorted(tops) and tops[0] == area.top()
    for above, below in itertools.pairwise(painted):
        assert above.bottom() + 1 == below.top()  # stripes, edge to edge
        cut = below.top() + canvas.verticalScrollBar().value() - 6  # 6: the margin
        assert cut % canvas.line_height() == 0  # between two visual lines
    assert painted[-1].bottom() == area.bottom()
    assert all(band.width() == area.width() for band in painted)
    # The bands together: what one paint of all of it gives.
    assert on_screen(canvas.viewport()) == canvas.viewport().grab().toImage()


def test_the_stats_table_paints_in_a_later_turn(qtbot: QtBot, catalog: Catalog) -> None:
    comparison = compare([encode(catalog.load(name), TEXT) for name in ("gpt2", "cl100k_base")])
    table = shown(qtbot, StatsTable(), 1200, 170)
    loading = [replace(row, result=None, stats=None, error=LOADING) for row in comparison.rows]
    table.set_lines(loading)
    qtbot.wait(100)
    painted: list[str] = []
    Paints(table.viewport(), "table", painted)
    for lines in (list(comparison.rows), loading, list(comparison.rows)):
        painted.clear()
        table.set_lines(lines)
        assert not table.updatesEnabled()  # its paint waits for a turn of its own
        qtbot.waitUntil(lambda: len(painted) > 0, timeout=5_000)
        assert table.updatesEnabled()
