"""A result presented in the window is painted once by the token table and once by the
Encoding grid. Qt lays a reset view out in a later turn, shows the scroll bar a long result
needs in another, and repaints a resized column in a third, each painting every cell in view
again; the grid's paint of a new text comes in a turn after the table's, and each paints a band
of its viewport a turn."""

from __future__ import annotations

import itertools
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtGui import QStandardItemModel
from PySide6.QtWidgets import QHBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from inspector.core.catalog import Catalog
from inspector.core.encoding import EncodingResult, encode
from inspector.gui.state import InspectorState
from inspector.gui.widgets import token_strip
from inspector.gui.widgets.encoding_panel import MAX_COLUMNS, EncodingPanel
from inspector.gui.widgets.model_updates import BandTableView, PaintTurns, changes_much_of_view
from inspector.gui.widgets.token_strip import TokenStrip
from inspector.gui.widgets.token_table import TokenTable
from tests.gui.conftest import Paints, on_screen, shown


@pytest.fixture(scope="module")
def texts(mixed_text: str) -> tuple[str, str]:
    return "Hello world", mixed_text * 12  # the long one: a scroll bar, > 512 grid columns


@pytest.fixture
def state(catalog: Catalog) -> Iterator[InspectorState]:
    out = InspectorState(catalog)
    yield out
    assert out.shutdown()


def table_and_grid(
    qtbot: QtBot, state: InspectorState, text: str
) -> tuple[QWidget, TokenTable, EncodingPanel]:
    """The token table and the Encoding panel side by side, following ``state``, which shows
    ``text`` under gpt2."""
    window = QWidget()
    table, panel = TokenTable(state, window), EncodingPanel(state, window)
    row = QHBoxLayout(window)
    row.addWidget(table)
    row.addWidget(panel)
    shown(qtbot, window, 1400, 400)
    with qtbot.waitSignal(state.result_settled, timeout=60_000):
        state.set_text(text)
        state.load_tokenizer("gpt2")
    return window, table, panel


def test_a_long_result_in_a_table_is_painted_once(
    qtbot: QtBot, catalog: Catalog, texts: tuple[str, str]
) -> None:
    tok = catalog.load("gpt2")
    short, long = (encode(tok, text) for text in texts)
    table = shown(qtbot, TokenTable(), 700, 400)
    table.set_result(short)
    qtbot.wait(50)
    log: list[str] = []
    Paints(table.view.viewport(), "table", log)
    for result, scroll_bar in ((long, True), (short, False), (long, True)):
        log.clear()
        table.set_result(result)
        qtbot.waitUntil(lambda: bool(log))
        qtbot.wait(100)  # what Qt did later (layout, scroll bar, resized columns) painted too
        assert log == ["table"]
        assert table.view.verticalScrollBar().isVisible() == scroll_bar


def test_the_encoding_grid_is_painted_once_per_result(
    qtbot: QtBot, catalog: Catalog, texts: tuple[str, str], state: InspectorState
) -> None:
    results: list[EncodingResult] = [encode(catalog.load("gpt2"), text) for text in texts]
    panel = shown(qtbot, EncodingPanel(state), 900, 300)
    panel.show_result(results[0])
    qtbot.wait(50)
    log: list[str] = []
    Paints(panel.grid.viewport(), "grid", log)
    for result in (results[1], results[0], results[1]):
        log.clear()
        panel.show_result(result)
        qtbot.waitUntil(lambda: bool(log))
        qtbot.wait(100)
        assert log == ["grid"]
    assert panel.grid_model.columnCount() == MAX_COLUMNS


def test_a_settled_result_paints_the_table_then_the_grid(
    qtbot: QtBot, texts: tuple[str, str], state: InspectorState
) -> None:
    """In the window the table and the grid follow the state; a new text changes every cell
    of both in view, and the grid is painted in a turn after the table's (one turn held the
    window for both). The grid's model has the result when the state says it settled."""
    window, table, panel = table_and_grid(qtbot, state, texts[0])
    qtbot.wait(100)
    log: list[str] = []
    table_paints = Paints(table.view.viewport(), "table", log)
    grid_paints = Paints(panel.grid.viewport(), "grid", log)
    beat = QTimer(window, interval=1)  # the window's heartbeat in bench_freeze
    beat.timeout.connect(lambda: log[-1:] != ["turn"] and log.append("turn"))
    beat.start()
    for text in (texts[1], texts[0]):
        log.clear()
        table_paints.rects.clear()
        grid_paints.rects.clear()
        with qtbot.waitSignal(state.result_settled, timeout=60_000) as settled:
            state.set_text(text)
        assert panel.grid_model.result is settled.args[0]
        qtbot.waitUntil(lambda: "grid" in log)
        qtbot.wait(100)
        paints = [name for name in log if name != "turn"]
        # The table's bands, then the grid's, more than one each, a turn between any two.
        assert paints == ["table"] * paints.count("table") + ["grid"] * paints.count("grid")
        assert paints.count("table") == len(table.view.paint_bands()) > 1
        assert paints.count("grid") == len(panel.grid.paint_bands()) > 1
        assert all("turn" in pair for pair in itertools.pairwise(log))
        assert table_paints.covered(table.view.viewport().rect())
        assert grid_paints.covered(panel.grid.viewport().rect())
        # What is on the screen is what one whole paint of the viewports gives.
        banded = on_screen(window)
        table.view.viewport().repaint()
        panel.grid.viewport().repaint()
        assert on_screen(window) == banded


def test_which_new_results_get_a_turn_of_their_own() -> None:
    # kept, count, first and last in view (-1: the view reaches past the last item)
    assert changes_much_of_view(0, 50, 0, 20)  # a new text: all of it
    assert changes_much_of_view(10, 50, 12, 30)  # changes from above the view
    assert changes_much_of_view(1, 12, 0, -1)  # another tokenizer on a short text
    assert changes_much_of_view(20, 30, 0, 29)  # the last third in view
    assert not changes_much_of_view(28, 30, 0, 29)  # typing: the last token or two
    assert not changes_much_of_view(28, 30, 0, -1)
    assert not changes_much_of_view(40, 50, 0, 20)  # all of the change below the view
    assert not changes_much_of_view(12, 12, 0, -1)  # nothing changed


def test_a_result_that_keeps_only_the_first_token_gets_its_own_turns(
    qtbot: QtBot, catalog: Catalog, state: InspectorState
) -> None:
    """A short text whose first token stays and the rest change (another tokenizer, words
    typed before the end): the table and the grid are held for turns of their own, not
    repainted whole in the pass that settled the result."""
    _, table, panel = table_and_grid(
        qtbot, state, "Hello world, and a few more words to fill a row or two of the grid"
    )
    qtbot.wait(100)
    held: list[object] = []
    turns = PaintTurns.shared()
    state.result_settled.connect(
        lambda _result: held.extend(v for v in (table.view, panel.grid) if turns.waiting(v))
    )
    with qtbot.waitSignal(state.result_settled, timeout=60_000):
        state.set_text("Hello there: other words now, every one of them after the first")
    assert held == [table.view, panel.grid]
    qtbot.waitUntil(lambda: not turns.waiting(table.view) and not turns.waiting(panel.grid))
    held.clear()
    with qtbot.waitSignal(state.result_settled, timeout=60_000):
        state.set_text("Hello there: other words now, every one of them after the first!")
    assert held == []  # typing at the end: repainted with the rest of the window


def test_a_scroll_between_bands_leaves_no_stale_rows(qtbot: QtBot) -> None:
    """Scrolled after its first band, before the others: the rows the last result left in
    the bands not painted yet move with the scroll, and the view paints all of it again."""
    model = QStandardItemModel(400, 3)
    view = shown(qtbot, BandTableView(), 500, 420)
    view.setModel(model)
    for row in range(400):
        for column in range(3):
            model.setData(model.index(row, column), f"old {row}.{column}")
    qtbot.wait(50)
    turns = PaintTurns()
    turns.hold(view)
    for row in range(400):
        for column in range(3):
            model.setData(model.index(row, column), f"new {row}.{column}")
    turns._timer.stop()
    turns._paint_next()  # the first band only
    turns._timer.stop()
    assert len(view.paint_bands()) > 1
    view.verticalScrollBar().setValue(7)
    qtbot.wait(50)
    shown_now = on_screen(view)
    view.viewport().repaint()
    assert on_screen(view) == shown_now
    while turns._views:  # the bands left paint what is already there
        turns._paint_next()
    assert on_screen(view) == shown_now


def test_a_laid_out_strip_paints_a_band_a_turn(
    qtbot: QtBot, catalog: Catalog, texts: tuple[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A result laid out on a worker: the strip shows its chips a band of the viewport a
    turn, and then shows what one whole paint gives."""
    monkeypatch.setattr(token_strip, "SYNC_TOKENS", 10)  # the worker's path, as for 5 MB
    tok = catalog.load("gpt2")
    short, long = (encode(tok, text) for text in texts)
    strip = shown(qtbot, TokenStrip(), 700, 400)
    strip.set_result(short)
    qtbot.waitUntil(lambda: not strip.is_laying_out())
    qtbot.wait(50)
    log: list[str] = []
    paints = Paints(strip.viewport(), "strip", log)
    beat = QTimer(strip, interval=1)
    beat.timeout.connect(lambda: log[-1:] != ["turn"] and log.append("turn"))
    beat.start()
    strip.laid_out.connect(lambda: (log.clear(), paints.rects.clear()))  # chips in hand
    with qtbot.waitSignal(strip.laid_out, timeout=60_000):
        strip.set_result(long)
    qtbot.wait(100)
    assert log.count("strip") == len(strip.paint_bands()) > 1
    assert all("turn" in pair for pair in itertools.pairwise(log))
    assert paints.covered(strip.viewport().rect())
    banded = on_screen(strip)
    strip.viewport().repaint()
    assert on_screen(strip) == banded
