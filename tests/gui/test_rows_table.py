"""RowsTable against the QTableWidget it replaced in the tokenizer panel: the same cells,
tooltips, alignment and sort orders on real tokenizers' rows; copy; selection kept by a sort."""

from __future__ import annotations

from collections.abc import Sequence

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QTableWidget, QTableWidgetItem
from pytestqt.qtbot import QtBot

from inspector.core.catalog import Catalog
from inspector.gui.widgets.rows_table import Cell, RowsTable
from inspector.gui.widgets.tokenizer_panel import TokenizerPanel
from tests.gui.conftest import shown

Role = Qt.ItemDataRole
ASCENDING, DESCENDING = Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder


def item_table(rows: Sequence[Sequence[Cell]]) -> QTableWidget:
    """The panel's table as it was: one QTableWidgetItem per cell."""
    table = QTableWidget(len(rows), len(rows[0]) if rows else 3)
    for row, values in enumerate(rows):
        for column, value in enumerate(values):
            item = QTableWidgetItem()
            if isinstance(value, int):
                item.setData(Role.DisplayRole, value)
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            else:
                item.setText(str(value))
                item.setToolTip(str(value))
            table.setItem(row, column, item)
    return table


def shown_cells(table: QTableWidget | RowsTable) -> list[list[tuple[object, ...]]]:
    """Every cell as the view sees it: display, tooltip, alignment."""
    model = table.model()
    out = []
    for row in range(model.rowCount()):
        cells = []
        for column in range(model.columnCount()):
            index = model.index(row, column)
            alignment = index.data(Role.TextAlignmentRole)
            cells.append(
                (
                    index.data(Role.DisplayRole),
                    index.data(Role.ToolTipRole) or None,
                    None if alignment is None else Qt.AlignmentFlag(alignment),
                )
            )
        out.append(cells)
    return out


def added_rows(catalog: Catalog, name: str) -> list[tuple[str, int, str]]:
    facts = catalog.load(name).facts
    entries = [*facts.special_tokens, *facts.added_tokens]
    return [(t.content, t.id, "special" if t.special else "added") for t in entries]


@pytest.mark.parametrize("name", ["gpt2", "minilm", "mistral-v3", "qwen2.5"])
def test_the_panel_shows_what_the_item_table_showed(
    qtbot: QtBot, catalog: Catalog, name: str
) -> None:
    panel = shown(qtbot, TokenizerPanel(), 520, 800)
    panel.set_tokenizer(catalog.load(name))
    old = item_table(added_rows(catalog, name))
    qtbot.addWidget(old)
    old.setSortingEnabled(True)
    old.sortByColumn(1, ASCENDING)  # as the panel filled it
    assert shown_cells(panel.added_table) == shown_cells(old)
    lookup_rows = panel.lookup("a")  # up to 500 rows: ints, byte-level and ▁ strings
    assert shown_cells(panel.lookup_table) == shown_cells(item_table(lookup_rows))


@pytest.mark.parametrize("name", ["gpt2", "mistral-v3"])
def test_sorting_equals_the_item_tables(qtbot: QtBot, catalog: Catalog, name: str) -> None:
    """Every column both ways, one sort after another (a stable sort starts from the order
    shown): the same rows in the same order as QTableWidget's."""
    panel = TokenizerPanel()
    qtbot.addWidget(panel)
    panel.set_tokenizer(catalog.load(name))
    rows = panel.lookup("e")  # 500 rows: ties in the display column, emoji, CJK, bytes
    rows += [(9, "😀", "😀"), (10, "\uff5e", "\uff5e"), (11, "a\u0301", "á")]  # UTF-16 order
    new = RowsTable(["id", "token", "display"], sortable=True)
    old = item_table(rows)
    for table in (new, old):
        qtbot.addWidget(table)
        table.setSortingEnabled(True)
    new.set_rows(rows)
    for column, order in [(2, ASCENDING), (1, DESCENDING), (2, DESCENDING), (0, DESCENDING),
                          (1, ASCENDING), (2, ASCENDING), (0, ASCENDING)]:  # fmt: skip
        new.sortByColumn(column, order)
        old.sortByColumn(column, order)
        assert shown_cells(new) == shown_cells(old), (column, order)
        assert new.horizontalHeader().sortIndicatorSection() == column


def test_a_sort_keeps_the_selection_on_its_rows(qtbot: QtBot) -> None:
    table = shown(qtbot, RowsTable(["token", "id"], sortable=True), 300, 300)
    table.set_rows([("c", 3), ("a", 1), ("b", 2)])
    table.selectRow(0)
    assert table.selected_rows() == [0]
    table.sortByColumn(1, ASCENDING)
    assert table.selected_rows() == [2] and table.text(2, 0) == "c"
    assert table.currentIndex().row() == 2
    table.set_rows([("x", 9)])  # new contents: sorted as shown, nothing selected
    assert table.selected_rows() == [] and table.text(0, 0) == "x"


def test_copy_the_cell_or_the_selected_rows(qtbot: QtBot) -> None:
    table = shown(qtbot, RowsTable(["token", "id", "kind"]), 400, 300)
    table.set_rows([("Ġthe", 262, "special"), ("<|endoftext|>", 50256, "special"), ("b", 1, "")])
    clipboard = QGuiApplication.clipboard()
    clipboard.setText("")
    table.setFocus()
    table.setCurrentIndex(table.model().index(1, 0))
    qtbot.keyClick(table, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)  # Copy here
    assert clipboard.text() == "<|endoftext|>"  # one row: the cell, as Qt's own Copy did
    selection = table.selectionModel()
    flag = QItemSelectionModel.SelectionFlag
    selection.setCurrentIndex(table.model().index(0, 1), flag.ClearAndSelect | flag.Rows)
    table.copy_selection()
    assert clipboard.text() == "262"
    selection.select(table.model().index(2, 0), flag.Select | flag.Rows)
    table.copy_selection()  # several rows: tab-separated lines, in the order shown
    assert clipboard.text() == "Ġthe\t262\tspecial\nb\t1\t"
    table.sortByColumn(1, DESCENDING)
    table.copy_selection()
    assert clipboard.text() == "Ġthe\t262\tspecial\nb\t1\t"
    table.clearSelection()
    table.setCurrentIndex(table.model().index(-1, -1))
    assert table.copy_text() == ""


def test_headers_follow_set_headers_and_the_panel_translates_them(qtbot: QtBot) -> None:
    panel = TokenizerPanel()
    qtbot.addWidget(panel)
    model = panel.added_table.model()
    assert [model.headerData(c, Qt.Orientation.Horizontal) for c in range(3)] == [
        "token", "id", "kind",
    ]  # fmt: skip
    panel.added_table.set_headers(["a", "b", "c"])
    assert model.headerData(2, Qt.Orientation.Horizontal) == "c"
    panel.retranslate()
    assert model.headerData(2, Qt.Orientation.Horizontal) == "kind"
    assert panel.added_table.alternatingRowColors()  # drawn from the palette, light or dark
    assert not panel.added_table.styleSheet()
