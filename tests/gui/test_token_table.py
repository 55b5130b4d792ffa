"""The token table: values straight from the result, numpy sort and filter, TSV copy, linking."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QItemSelectionModel, QPoint, Qt, QTranslator
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from inspector.core.catalog import Catalog
from inspector.core.encoding import EncodingResult, encode
from inspector.gui.widgets.table_rows import AllRows
from inspector.gui.widgets.token_table import (
    COLUMN_KEYS,
    COLUMNS,
    TOKEN_INDEX_ROLE,
    TokenTable,
    TokenTableModel,
)
from tests.gui.conftest import shown

COL = {key: number for number, key in enumerate(COLUMN_KEYS)}


@pytest.fixture(scope="module")
def gpt2_result(catalog: Catalog, mixed_text: str) -> EncodingResult:
    return encode(catalog.load("gpt2"), mixed_text)


@pytest.fixture(scope="module")
def minilm_result(catalog: Catalog, mixed_text: str) -> EncodingResult:
    return encode(catalog.load("sentence-transformers/all-MiniLM-L6-v2"), mixed_text)


@pytest.fixture(scope="module")
def mistral_result(catalog: Catalog, mixed_text: str) -> EncodingResult:
    return encode(catalog.load("mistral-v1"), mixed_text)


@pytest.fixture(scope="module")
def huge_result(catalog: Catalog) -> EncodingResult:
    result = encode(catalog.load("gpt2"), "a " * 200_000, with_roundtrip=False)
    assert len(result) >= 200_000
    return result


@pytest.fixture
def table(qtbot: QtBot) -> TokenTable:
    return shown(qtbot, TokenTable(), 900, 500)


def cell(model: TokenTableModel, row: int, key: str, role: int = Qt.ItemDataRole.DisplayRole):
    return model.data(model.index(row, COL[key]), role)


def expected_row(result: EncodingResult, index: int) -> list[str]:
    """What each column should say for token ``index``, from the result's own views."""
    view = result.token(index)
    return [
        str(view.index),
        str(view.id),
        view.token,
        view.display,
        str(view.start),
        str(view.end),
        view.bytes,
        "yes" if view.special else "",
        "" if view.word_id is None else str(view.word_id),
        "" if view.sequence_id is None else str(view.sequence_id),
        str(view.attention_mask),
        str(view.type_id),
    ]


@pytest.mark.parametrize("which", ["gpt2_result", "minilm_result", "mistral_result"])
def test_rows_are_the_tokens_with_their_values(
    table: TokenTable, which: str, request: pytest.FixtureRequest
) -> None:
    result: EncodingResult = request.getfixturevalue(which)
    table.set_result(result)
    model = table.model
    assert model.rowCount() == len(result)
    assert model.columnCount() == len(COLUMNS) == 12
    for row in range(len(result)):
        shown = [cell(model, row, key) for key in COLUMN_KEYS]
        assert shown == expected_row(result, row), f"row {row}"
        assert model.token_index(row) == row
        assert cell(model, row, "index", TOKEN_INDEX_ROLE) == row
    ids = [int(cell(model, r, "id")) for r in range(model.rowCount())]
    assert ids == result.columns.ids.tolist()
    assert table.count_label.text() == f"{len(result)} tokens"


def test_tooltip_explains_the_token(table: TokenTable, gpt2_result: EncodingResult) -> None:
    table.set_result(gpt2_result)
    row = next(i for i in range(len(gpt2_result)) if gpt2_result.columns.tokens[i] == "Ċ")
    tip = cell(table.model, row, "display", Qt.ItemDataRole.ToolTipRole)
    assert "newline" in tip
    assert "0A" in tip


def test_special_rows_and_empty_result(table: TokenTable, minilm_result: EncodingResult) -> None:
    table.set_result(minilm_result)
    model = table.model
    assert cell(model, 0, "token") == "[CLS]"
    assert cell(model, 0, "special") == "yes"
    assert cell(model, 0, "word") == ""  # no word for [CLS]
    assert cell(model, 0, "token", Qt.ItemDataRole.FontRole).italic()
    table.set_result(None)
    assert model.rowCount() == 0
    assert table.count_label.text() == "no tokens"


def test_sort_by_id_and_back(table: TokenTable, gpt2_result: EncodingResult) -> None:
    table.set_result(gpt2_result)
    model = table.model
    ids = gpt2_result.columns.ids
    header = table.view.horizontalHeader()
    # A click on the "id" header sorts through the model (numpy), ascending first.
    x = header.sectionViewportPosition(COL["id"]) + header.sectionSize(COL["id"]) // 2
    QtBot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))
    assert model.sort_column == COL["id"]
    shown = [int(cell(model, r, "id")) for r in range(model.rowCount())]
    expected = ids[np.argsort(ids, kind="stable")].tolist()
    assert shown == expected
    # Each row still shows its own token: index column and mapping agree.
    for row in range(model.rowCount()):
        token = model.token_index(row)
        assert int(cell(model, row, "index")) == token
        assert int(cell(model, row, "id")) == ids[token]
        assert model.row_of(token) == row
    table.view.sortByColumn(COL["id"], Qt.SortOrder.DescendingOrder)
    shown = [int(cell(model, r, "id")) for r in range(model.rowCount())]
    assert shown == sorted(ids.tolist(), reverse=True)
    table.view.sortByColumn(COL["index"], Qt.SortOrder.AscendingOrder)
    assert [model.token_index(r) for r in range(model.rowCount())] == list(range(len(ids)))
    # Text order again (rows stand in for an arange): the same mapping, copy and TSV.
    every = np.arange(len(ids))
    assert [model.row_of(t) for t in range(len(ids))] == every.tolist()
    np.testing.assert_array_equal(model.visible_tokens(), every)
    assert model.token_index(len(ids)) == -1 and model.row_of(len(ids)) == -1
    assert model.rows_as_tsv([2, 0]).splitlines()[1:] == [
        model.rows_as_tsv([2], header=False).strip("\n"),
        model.rows_as_tsv([0], header=False).strip("\n"),
    ]
    assert model.rows_as_tsv([0], header=False).split("\t")[0] == "0"


def test_all_rows_index_like_an_arange() -> None:
    rows, every = AllRows(5), np.arange(5)
    assert len(rows) == 5 and rows[3] == 3 and rows[np.int64(4)] == 4
    picked = np.array([4, 0, 2])
    np.testing.assert_array_equal(rows[picked], every[picked])
    assert rows[picked].dtype == np.int64 and rows[picked] is not picked
    with pytest.raises(IndexError):
        rows[5]


def test_sort_text_columns(table: TokenTable, gpt2_result: EncodingResult) -> None:
    table.set_result(gpt2_result)
    model = table.model
    for key in ("token", "display", "bytes"):
        table.view.sortByColumn(COL[key], Qt.SortOrder.AscendingOrder)
        shown = [cell(model, r, key) for r in range(model.rowCount())]
        if key == "bytes":  # ordered by the bytes themselves, not their hex text
            raw = [bytes.fromhex(s) for s in shown]
            assert raw == sorted(raw)
        else:
            assert shown == sorted(shown)
        assert sorted(model.visible_tokens().tolist()) == list(range(len(gpt2_result)))


def test_sort_keeps_the_selected_token(table: TokenTable, gpt2_result: EncodingResult) -> None:
    table.set_result(gpt2_result)
    table.select_token(7)
    table.view.sortByColumn(COL["id"], Qt.SortOrder.AscendingOrder)
    current = table.view.currentIndex()
    assert table.model.token_index(current.row()) == 7
    selected = table.view.selectionModel().selectedRows()
    assert [table.model.token_index(i.row()) for i in selected] == [7]


def test_filter_reduces_rows_and_keeps_the_mapping(
    table: TokenTable, gpt2_result: EncodingResult
) -> None:
    table.set_result(gpt2_result)
    model = table.model
    table.view.sortByColumn(COL["id"], Qt.SortOrder.DescendingOrder)
    table.set_filter("case")
    cols = gpt2_result.columns
    expected = [
        i
        for i in range(len(gpt2_result))
        if "case" in cols.tokens[i].casefold() or "case" in gpt2_result.token(i).display.casefold()
    ]
    assert 0 < model.rowCount() < len(gpt2_result)
    shown = [model.token_index(r) for r in range(model.rowCount())]
    assert sorted(shown) == expected
    ids = [int(cell(model, r, "id")) for r in range(model.rowCount())]
    assert ids == sorted(ids, reverse=True)  # the sort still applies
    for row, token in enumerate(shown):
        assert cell(model, row, "display") == gpt2_result.token(token).display
        assert model.row_of(token) == row
    hidden = next(i for i in range(len(gpt2_result)) if i not in expected)
    assert model.row_of(hidden) == -1
    assert table.count_label.text() == f"{len(expected)} of {len(gpt2_result)} tokens"
    table.set_filter("")
    assert model.rowCount() == len(gpt2_result)


def test_filter_by_id_and_by_typing(
    qtbot: QtBot, table: TokenTable, gpt2_result: EncodingResult
) -> None:
    table.set_result(gpt2_result)
    model = table.model
    token_id = int(gpt2_result.columns.ids[0])  # "Token"
    table.set_filter(str(token_id))
    assert model.rowCount() >= 1
    assert {int(cell(model, r, "id")) for r in range(model.rowCount())} == {token_id}
    table.set_filter("⏎")  # the display glyph of newline tokens
    assert model.rowCount() > 0
    assert all(cell(model, r, "display") == "⏎" for r in range(model.rowCount()))
    table.filter_edit.clear()
    qtbot.waitUntil(lambda: model.rowCount() == len(gpt2_result))
    qtbot.keyClicks(table.filter_edit, "CAMEL")  # typed: applied after a short pause
    qtbot.waitUntil(lambda: model.rowCount() < len(gpt2_result))
    assert {cell(model, r, "display") for r in range(model.rowCount())} == {"␣Camel"}


def test_filter_and_sort_survive_a_new_result(
    table: TokenTable, gpt2_result: EncodingResult, minilm_result: EncodingResult
) -> None:
    table.set_result(gpt2_result)
    table.view.sortByColumn(COL["id"], Qt.SortOrder.AscendingOrder)
    table.set_filter("s")
    table.set_result(minilm_result)
    model = table.model
    assert 0 < model.rowCount() < len(minilm_result)
    ids = [int(cell(model, r, "id")) for r in range(model.rowCount())]
    assert ids == sorted(ids)


def test_copy_selected_rows_as_tsv(
    qtbot: QtBot, table: TokenTable, minilm_result: EncodingResult
) -> None:
    table.set_result(minilm_result)
    model = table.model
    selection = table.view.selectionModel()
    flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
    for row in (0, 3, 4):
        selection.select(model.index(row, 0), flags)
    table.view.setFocus()
    qtbot.keyClick(table.view, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    lines = QApplication.clipboard().text().splitlines()
    assert lines[0].split("\t") == [c.name for c in COLUMNS]
    assert lines[0].startswith("index\tid\ttoken\tdisplay\tstart\tend\tbytes\tspecial\tword_id")
    assert [line.split("\t") for line in lines[1:]] == [
        expected_row(minilm_result, i) for i in (0, 3, 4)
    ]
    # The context-menu action does the same, in view order after a sort.
    QApplication.clipboard().clear()
    table.view.sortByColumn(COL["id"], Qt.SortOrder.DescendingOrder)
    table.copy_action.trigger()
    rows = [line.split("\t") for line in QApplication.clipboard().text().splitlines()[1:]]
    assert sorted(int(r[0]) for r in rows) == [0, 3, 4]
    assert [int(r[1]) for r in rows] == sorted((int(r[1]) for r in rows), reverse=True)


def test_tsv_escapes_tabs_and_newlines(table: TokenTable, catalog: Catalog) -> None:
    tok = catalog.load("sentence-transformers/all-MiniLM-L6-v2").with_added_tokens(
        ["a\tb"], special=True
    )
    result = encode(tok, "x a\tb y")
    table.set_result(result)
    tsv = table.model.rows_as_tsv(range(table.model.rowCount()))
    lines = tsv.splitlines()
    assert len(lines) == len(result) + 1
    assert all(len(line.split("\t")) == len(COLUMNS) for line in lines)
    assert "a\\tb" in tsv


def test_select_token_scrolls_without_emitting(
    qtbot: QtBot, table: TokenTable, huge_result: EncodingResult
) -> None:
    table.set_result(huge_result)
    target = 150_000
    with qtbot.assertNotEmitted(table.current_token_changed):
        table.select_token(target)
        QApplication.processEvents()
    current = table.view.currentIndex()
    assert table.model.token_index(current.row()) == target
    rect = table.view.visualRect(current)
    assert table.view.viewport().rect().intersects(rect)  # scrolled into view
    assert table.current_token() == target
    # A click by the user does emit, with the token index of the clicked row.
    row = table.view.rowAt(rect.center().y() + rect.height())
    point = table.view.visualRect(table.model.index(row, 1)).center()
    with qtbot.waitSignal(table.current_token_changed) as signal:
        QtBot.mouseClick(table.view.viewport(), Qt.MouseButton.LeftButton, pos=point)
    assert signal.args == [table.model.token_index(row)]


def test_select_token_hidden_by_the_filter(table: TokenTable, gpt2_result: EncodingResult) -> None:
    table.set_result(gpt2_result)
    table.set_filter("case")
    hidden = next(i for i in range(len(gpt2_result)) if table.model.row_of(i) < 0)
    table.select_token(hidden)
    assert not table.view.selectionModel().hasSelection()


def test_keyboard_moves_emit_token_changes(
    qtbot: QtBot, table: TokenTable, gpt2_result: EncodingResult
) -> None:
    table.set_result(gpt2_result)
    table.view.sortByColumn(COL["id"], Qt.SortOrder.AscendingOrder)
    table.select_token(table.model.token_index(0))
    table.view.setFocus()
    with qtbot.waitSignal(table.current_token_changed) as signal:
        qtbot.keyClick(table.view, Qt.Key.Key_Down)
    assert signal.args == [table.model.token_index(1)]


def test_highlight_tokens_tints_rows(table: TokenTable, gpt2_result: EncodingResult) -> None:
    table.set_result(gpt2_result)
    model = table.model
    table.highlight_tokens(np.array([2, 5]))
    background = Qt.ItemDataRole.BackgroundRole
    tinted = [r for r in range(model.rowCount()) if cell(model, r, "display", background)]
    assert tinted == [2, 5]
    table.view.sortByColumn(COL["id"], Qt.SortOrder.DescendingOrder)
    tinted = [
        model.token_index(r) for r in range(model.rowCount()) if cell(model, r, "id", background)
    ]
    assert sorted(tinted) == [2, 5]
    table.highlight_tokens([])
    assert not any(cell(model, r, "id", background) for r in range(model.rowCount()))
    table.highlight_tokens([10_000, -1])  # out of range: ignored
    assert model.highlighted().size == 0


def test_200k_rows(qtbot: QtBot, table: TokenTable, huge_result: EncodingResult) -> None:
    model = table.model
    table.set_result(huge_result)
    n = len(huge_result)
    assert model.rowCount() == n
    assert cell(model, n - 1, "index") == str(n - 1)
    assert cell(model, n - 1, "id") == str(int(huge_result.columns.ids[-1]))
    table.view.scrollToBottom()
    QApplication.processEvents()
    table.view.sortByColumn(COL["id"], Qt.SortOrder.AscendingOrder)
    ids = np.array([int(cell(model, r, "id")) for r in range(0, n, 997)])
    assert (np.diff(ids) >= 0).all()
    table.set_filter(str(int(huge_result.columns.ids[0])))
    assert 0 < model.rowCount() < n
    table.set_filter("")
    assert model.rowCount() == n


def test_filter_by_a_character_finds_the_byte_pieces_that_build_it(
    table: TokenTable, catalog: Catalog
) -> None:
    """gpt2 splits "é" and "你" into byte pieces ("Ã©", "ä½" + "ł") whose strings never
    contain the character: their spans cover it, so the filter finds them."""
    text = "Héllo 你好 world, café"
    result = encode(catalog.load("gpt2"), text)
    table.set_result(result)
    model = table.model
    for char in ("é", "你", "好"):
        table.set_filter(char)
        shown = [model.token_index(r) for r in range(model.rowCount())]
        assert shown, char
        built = b"".join(result.token_bytes(t) for t in shown)
        occurrences = text.count(char)
        assert built.count(char.encode()) == occurrences, (char, built)
        for token in shown:  # each one covers part of an occurrence
            start, end = int(result.columns.char_start[token]), int(result.columns.char_end[token])
            assert char in text[max(0, start - 1) : end + 1]
    cols = result.columns
    builds = [t for t in range(len(result)) if "é" in text[cols.char_start[t] : cols.char_end[t]]]
    table.set_filter("É")  # case-insensitive, as the token filter
    assert sorted(model.token_index(r) for r in range(model.rowCount())) == builds


def test_the_type_column_only_for_tokenizers_with_token_types(
    table: TokenTable, gpt2_result: EncodingResult, minilm_result: EncodingResult
) -> None:
    """gpt2 has no token types: no column of zeros shown or copied; BERT's are shown."""
    table.set_result(gpt2_result)
    assert table.view.isColumnHidden(COL["type"])
    header = table.model.rows_as_tsv([0]).splitlines()[0].split("\t")
    assert "token_type_id" not in header and len(header) == len(COLUMNS) - 1
    table.set_result(minilm_result)
    assert not table.view.isColumnHidden(COL["type"])
    assert table.model.rows_as_tsv([0]).splitlines()[0].split("\t")[-1] == "token_type_id"


class _Upper(QTranslator):
    """A translator for the table's headers and labels only: upper case shows it was asked."""

    def translate(
        self, context: str, source: str, disambiguation: str | None = None, n: int = -1
    ) -> str:
        return source.upper() if context in ("TokenTableModel", "TokenTable") else ""

    def isEmpty(self) -> bool:  # an empty translator changes nothing: Qt would not tell
        return False


def test_headers_and_labels_go_through_translation(
    qtbot: QtBot, table: TokenTable, gpt2_result: EncodingResult
) -> None:
    table.set_result(gpt2_result)
    translator = _Upper()
    QApplication.installTranslator(translator)
    try:
        model = table.model
        horizontal = Qt.Orientation.Horizontal
        assert model.headerData(COL["id"], horizontal) == "ID"
        assert model.headerData(COL["mask"], horizontal, Qt.ItemDataRole.ToolTipRole) == (
            "ATTENTION MASK (0: PAD)"
        )
        # the language change reaches the widget as an event: it retranslates then
        qtbot.waitUntil(lambda: table.filter_edit.placeholderText() == "FILTER: TEXT, TOKEN OR ID")
        assert table.count_label.text().endswith("TOKENS")
    finally:
        QApplication.removeTranslator(translator)
    qtbot.waitUntil(lambda: table.filter_edit.placeholderText() == "filter: text, token or id")


def test_the_table_follows_the_state(qtbot: QtBot, catalog: Catalog) -> None:
    """Given the session state, the table shows its result (once settled), marks its
    selection and hover, and a row picked in the table selects that token in the state."""
    from inspector.gui.state import InspectorState

    state = InspectorState(catalog)
    table = shown(qtbot, TokenTable(state), 900, 500)
    with qtbot.waitSignal(state.result_settled, timeout=60_000):
        state.set_text("Hello 你好 world")
        state.load_tokenizer("gpt2")
    assert table.model.result is state.result and table.model.rowCount() == len(state.result)
    state.select_token(2)
    assert table.current_token() == 2
    state.hover_token(3)
    assert table.model.highlighted().tolist() == [3]
    state.highlight_tokens(np.array([1, 4]))
    assert table.model.highlighted().tolist() == [1, 4]
    with qtbot.waitSignal(state.token_selected) as picked:
        table.view.selectRow(table.model.row_of(5))
    assert picked.args == [5] and state.selected_token == 5
    assert state.shutdown()
