"""Typing: the token table and the Encoding grid follow a result that keeps the last one's
leading tokens in place (no model reset), show exactly what a fresh table or grid shows of
it, and repaint only what changed in view."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from inspector.core.catalog import Catalog
from inspector.core.encoding import EncodingResult, encode
from inspector.gui.state import InspectorState
from inspector.gui.widgets.encoding_models import Colours, TokenGridModel
from inspector.gui.widgets.encoding_panel import EncodingPanel
from inspector.gui.widgets.token_table import WORD_COLUMN, TokenTable, TokenTableModel
from tests.gui.conftest import on_screen, shown

ROLES = (
    Qt.ItemDataRole.DisplayRole,
    Qt.ItemDataRole.TextAlignmentRole,
    Qt.ItemDataRole.BackgroundRole,
    Qt.ItemDataRole.FontRole,
    Qt.ItemDataRole.ToolTipRole,
)


@pytest.fixture(scope="module")
def typed(catalog: Catalog, mixed_text: str) -> list[EncodingResult]:
    """A text typed at its end key by key, keys deleted, then a word pasted at its start."""
    tok = catalog.load("gpt2")
    text = mixed_text * 3
    keys = [text, text + "a", text + "ab", text + "ab ", text + "ab", text[:-40], "Word " + text]
    return [encode(tok, t) for t in keys]


def cells(model: TokenTableModel | TokenGridModel) -> list[object]:
    out = []
    for row in range(model.rowCount()):
        for column in range(model.columnCount()):
            index = model.index(row, column)
            out += [str(model.data(index, role)) for role in ROLES]
    return out


def test_table_model_follows_typing_as_a_fresh_one_shows_it(typed: list[EncodingResult]) -> None:
    model = TokenTableModel()
    resets: list[int] = []
    model.modelReset.connect(lambda: resets.append(1))
    model.set_result(typed[0])
    resets.clear()
    for result in typed[1:]:
        model.set_result(result)
        fresh = TokenTableModel()
        fresh.set_result(result)
        assert model.rowCount() == len(result)
        assert cells(model) == cells(fresh)
    assert len(resets) == 1  # only the paste at the start started over


def test_grid_model_follows_typing_as_a_fresh_one_shows_it(typed: list[EncodingResult]) -> None:
    colours = Colours.from_palette(QApplication.palette())
    model = TokenGridModel()
    assert model.set_result(typed[0], colours) == 0
    kept = [model.set_result(result, colours) for result in typed[1:]]
    fresh = TokenGridModel()
    fresh.set_result(typed[-2], colours)
    assert kept[-1] == 0  # the paste at the start
    assert all(k > 0 for k in kept[:-1])
    model.set_result(typed[-2], colours)  # back to a result close to the last one typed
    assert cells(model) == cells(fresh)


@pytest.mark.parametrize("at_end", [False, True])
def test_table_shows_each_typed_result_as_a_fresh_table(
    qtbot: QtBot, typed: list[EncodingResult], at_end: bool
) -> None:
    table = shown(qtbot, TokenTable(), 700, 400)
    table.set_result(typed[0])
    for result in typed[1:]:
        if at_end:
            table.view.scrollToBottom()
        table.set_result(result)
        qtbot.wait(30)  # its paints (and Qt's delayed layout) run
        fresh = shown(qtbot, TokenTable(), 700, 400)
        fresh.set_result(result)
        qtbot.wait(30)
        fresh.view.verticalScrollBar().setValue(table.view.verticalScrollBar().value())
        qtbot.wait(30)
        assert on_screen(table.view.viewport()) == on_screen(fresh.view.viewport())
        fresh.close()


def test_typing_out_of_view_reads_no_cell(
    qtbot: QtBot, typed: list[EncodingResult], monkeypatch: pytest.MonkeyPatch
) -> None:
    reads: list[int] = []  # the column of each cell read
    data = TokenTableModel.data

    def counted(self: TokenTableModel, index: QModelIndex, *args: object) -> object:
        reads.append(index.column())
        return data(self, index, *args)

    monkeypatch.setattr(TokenTableModel, "data", counted)
    table = shown(qtbot, TokenTable(), 700, 400)
    table.set_result(typed[0])
    qtbot.wait(30)
    for result in typed[1:6]:  # typed at the end, far below the rows in view
        reads.clear()
        table.set_result(result)
        qtbot.wait(30)
        # Only the word column's cells in view: word ids may be lazy, so not compared
        assert set(reads) <= {WORD_COLUMN}


def test_encoding_grid_shows_each_typed_result_as_a_fresh_grid(
    qtbot: QtBot, catalog: Catalog, typed: list[EncodingResult]
) -> None:
    short = [encode(catalog.load("gpt2"), r.text[:300] + r.text[-3:]) for r in typed]
    states = [InspectorState(catalog), InspectorState(catalog)]
    panel = shown(qtbot, EncodingPanel(states[0]), 900, 300)
    try:
        for result in [*typed, *short]:  # past the grid's column limit, and within it
            panel.show_result(result)
            qtbot.wait(30)
            fresh = shown(qtbot, EncodingPanel(states[1]), 900, 300)
            fresh.show_result(result)
            qtbot.wait(30)
            assert cells(panel.grid_model) == cells(fresh.grid_model)
            assert on_screen(panel.grid.viewport()) == on_screen(fresh.grid.viewport())
            fresh.close()
    finally:
        for state in states:
            state.shutdown()
