"""A result presented in the window is painted once by the token table and once by the
Encoding grid. Qt lays a reset view out in a later turn, shows the scroll bar a long result
needs in another, and repaints a resized column in a third, each painting every cell in view
again; the grid's paint of a new text comes in a turn after the table's."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QHBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from inspector.core.catalog import Catalog
from inspector.core.encoding import EncodingResult, encode
from inspector.gui.state import InspectorState
from inspector.gui.widgets.encoding_panel import MAX_COLUMNS, EncodingPanel
from inspector.gui.widgets.token_table import TokenTable
from tests.gui.conftest import shown


class Paints(QObject):
    """The paint events ``widget`` gets, by name, into ``log``."""

    def __init__(self, widget: QWidget, name: str, log: list[str]) -> None:
        super().__init__(widget)
        self.name, self.log = name, log
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.log.append(self.name)
        return False


@pytest.fixture(scope="module")
def texts(mixed_text: str) -> tuple[str, str]:
    return "Hello world", mixed_text * 12  # the long one: a scroll bar, > 512 grid columns


@pytest.fixture
def state(catalog: Catalog) -> Iterator[InspectorState]:
    out = InspectorState(catalog)
    yield out
    assert out.shutdown()


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
    window = QWidget()
    table, panel = TokenTable(state, window), EncodingPanel(state, window)
    row = QHBoxLayout(window)
    row.addWidget(table)
    row.addWidget(panel)
    shown(qtbot, window, 1400, 400)
    with qtbot.waitSignal(state.result_settled, timeout=60_000):
        state.set_text(texts[0])
        state.load_tokenizer("gpt2")
    qtbot.wait(100)
    log: list[str] = []
    Paints(table.view.viewport(), "table", log)
    Paints(panel.grid.viewport(), "grid", log)
    beat = QTimer(window, interval=1)  # the window's heartbeat in bench_freeze
    beat.timeout.connect(lambda: log[-1:] != ["turn"] and log.append("turn"))
    beat.start()
    for text in (texts[1], texts[0]):
        log.clear()
        with qtbot.waitSignal(state.result_settled, timeout=60_000) as settled:
            state.set_text(text)
        assert panel.grid_model.result is settled.args[0]
        qtbot.waitUntil(lambda: "grid" in log)
        qtbot.wait(100)
        assert [name for name in log if name != "turn"] == ["table", "grid"]
        assert log.index("table") < log.index("turn", log.index("table")) < log.index("grid")
