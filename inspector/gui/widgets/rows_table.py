"""A small read-only table of plain values (str or int) without a QTableWidgetItem per cell.

``RowsModel`` holds the values as columns and answers the view's questions from them;
``RowsTable`` is a QTableView over it that sorts, selects rows and copies. Filling a
QTableWidget builds (and sorts) a C++ item per cell on the GUI thread: mistral-v3's ~1,000
special tokens took ~29 ms of a tokenizer change; a model reset of the same rows is ~1 ms.

Behaves as the item tables did: ints are right-aligned and sort as numbers, strings sort as
Qt sorts them (UTF-16 code units) and show their whole text as the tooltip; a sort is
stable and starts from the order shown, as QTableWidget's is.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPoint,
    Qt,
    Slot,
)
from PySide6.QtGui import QAction, QFont, QGuiApplication, QKeyEvent, QKeySequence
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QMenu, QTableView, QWidget

from inspector.gui.i18n import Retranslatable

Cell = str | int
Index = QModelIndex | QPersistentModelIndex
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_ROOT = QModelIndex()


def _sort_key(value: Cell) -> Any:
    """Numbers as numbers; text as Qt compares QStrings (UTF-16 code units, not code points:
    an emoji sorts before U+E000..U+FFFF there)."""
    if isinstance(value, int):
        return value
    return value.encode("utf-16-be", "surrogatepass")


class RowsModel(QAbstractTableModel):
    """Columns of values shown as rows; ``order`` maps a shown row to a stored one."""

    def __init__(self, headers: Sequence[str], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._headers = list(headers)
        self._columns: list[Sequence[Cell]] = [() for _ in self._headers]
        self._order: list[int] = []
        self._italic: Sequence[bool] | None = None
        self._sorted_by: tuple[int, Qt.SortOrder] | None = None
        self.italic_font = QFont()  # the view's font, italic: set by RowsTable

    # -- contents --------------------------------------------------------------------------
    def set_columns(
        self, columns: Sequence[Sequence[Cell]], italic: Sequence[bool] | None = None
    ) -> None:
        """New contents, one sequence per column (all as long); ``italic``: per row."""
        if len(columns) != len(self._headers):
            raise ValueError(f"{len(self._headers)} columns expected, got {len(columns)}")
        count = len(columns[0]) if columns else 0
        self.beginResetModel()
        self._columns = list(columns)
        self._italic = italic
        self._order = list(range(count))
        if self._sorted_by is not None:
            self._order = self._sorted_order(*self._sorted_by)
        self.endResetModel()

    def set_rows(
        self, rows: Sequence[Sequence[Cell]], italic: Sequence[bool] | None = None
    ) -> None:
        """New contents as row tuples."""
        columns = list(zip(*rows, strict=True)) if rows else [() for _ in self._headers]
        self.set_columns(columns, italic)

    def set_headers(self, headers: Sequence[str]) -> None:
        self._headers = list(headers)
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(self._headers) - 1)

    def value(self, row: int, column: int) -> Cell:
        """The value in shown row ``row``."""
        return self._columns[column][self._order[row]]

    def rows_text(self, rows: Sequence[int]) -> str:
        """Shown rows as tab-separated lines (what Copy puts on the clipboard)."""
        return "\n".join(
            "\t".join(str(column[self._order[row]]) for column in self._columns) for row in rows
        )

    # -- QAbstractTableModel ---------------------------------------------------------------
    def rowCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._order)

    def columnCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._headers)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self._columns[index.column()][self._order[index.row()]]
        if role == Qt.ItemDataRole.ToolTipRole:
            value = self._columns[index.column()][self._order[index.row()]]
            return None if isinstance(value, int) else value
        if role == Qt.ItemDataRole.TextAlignmentRole:
            value = self._columns[index.column()][self._order[index.row()]]
            return _RIGHT if isinstance(value, int) else None
        if role == Qt.ItemDataRole.FontRole and self._italic is not None:
            return self.italic_font if self._italic[self._order[index.row()]] else None
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            role == Qt.ItemDataRole.DisplayRole
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < len(self._headers)
        ):
            return self._headers[section]
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Stable, from the order shown now; selection and current row follow their rows."""
        if not 0 <= column < len(self._headers):
            return
        self._sorted_by = (column, order)
        self.layoutAboutToBeChanged.emit()
        new_order = self._sorted_order(column, order)
        row_of = {stored: row for row, stored in enumerate(new_order)}
        old = self.persistentIndexList()
        moved = [
            self.index(row_of[self._order[i.row()]], i.column()) if i.isValid() else i for i in old
        ]
        self._order = new_order
        self.changePersistentIndexList(old, moved)
        self.layoutChanged.emit()

    def _sorted_order(self, column: int, order: Qt.SortOrder) -> list[int]:
        values = self._columns[column]
        if not all(isinstance(value, int) for value in values):  # ints are their own keys
            values = [_sort_key(value) for value in values]
        descending = order == Qt.SortOrder.DescendingOrder
        return sorted(self._order, key=values.__getitem__, reverse=descending)


class CopyKey:
    """Mixin for an item view: the Copy key calls ``copy_key_pressed`` (the whole selection,
    not Qt's current cell), claimed before a window-wide shortcut can take it."""

    def copy_key_pressed(self) -> None:
        raise NotImplementedError

    def event(self, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.ShortcutOverride
            and isinstance(event, QKeyEvent)
            and event.matches(QKeySequence.StandardKey.Copy)
        ):
            event.accept()
            return True
        return super().event(event)  # type: ignore[misc]

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.matches(QKeySequence.StandardKey.Copy):
            self.copy_key_pressed()
            event.accept()
            return
        super().keyPressEvent(event)  # type: ignore[misc]


class RowsTable(CopyKey, Retranslatable, QTableView):
    """A compact read-only table of rows: whole rows selected, Copy (key or menu) copies the
    current cell when one row is selected, else the selected rows as tab-separated lines."""

    def __init__(
        self, headers: Sequence[str], *, sortable: bool = False, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.rows_model = RowsModel(headers, self)
        self.setModel(self.rows_model)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setWordWrap(False)
        self.setAlternatingRowColors(True)
        self.verticalHeader().setVisible(False)
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.setSortingEnabled(sortable)
        self._update_italic_font()
        self.copy_action = QAction(self)
        self.copy_action.triggered.connect(self.copy_selection)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.customContextMenuRequested.connect(self._show_menu)
        self.retranslate()

    def retranslate(self) -> None:
        self.copy_action.setText(self.tr("Copy"))

    # -- contents --------------------------------------------------------------------------
    def set_rows(
        self, rows: Sequence[Sequence[Cell]], italic: Sequence[bool] | None = None
    ) -> None:
        self.rows_model.set_rows(rows, italic)

    def set_columns(
        self, columns: Sequence[Sequence[Cell]], italic: Sequence[bool] | None = None
    ) -> None:
        self.rows_model.set_columns(columns, italic)

    def set_headers(self, headers: Sequence[str]) -> None:
        self.rows_model.set_headers(headers)

    def rowCount(self) -> int:
        return self.rows_model.rowCount()

    def columnCount(self) -> int:
        return self.rows_model.columnCount()

    def text(self, row: int, column: int) -> str:
        """The shown text of a cell."""
        return str(self.rows_model.value(row, column))

    # -- copy ------------------------------------------------------------------------------
    def selected_rows(self) -> list[int]:
        return sorted({index.row() for index in self.selectionModel().selectedRows()})

    def copy_text(self) -> str:
        """What Copy puts on the clipboard (empty when nothing is selected or current)."""
        rows = self.selected_rows()
        current = self.currentIndex()
        if len(rows) <= 1 and current.isValid():
            return str(self.rows_model.value(current.row(), current.column()))
        return self.rows_model.rows_text(rows)

    @Slot()
    def copy_selection(self) -> None:
        text = self.copy_text()
        if text:
            QGuiApplication.clipboard().setText(text)

    def copy_key_pressed(self) -> None:
        self.copy_selection()

    @Slot(QPoint)
    def _show_menu(self, position: QPoint) -> None:
        menu = QMenu(self)
        self.copy_action.setEnabled(bool(self.copy_text()))
        menu.addAction(self.copy_action)
        menu.exec(self.viewport().mapToGlobal(position))

    # -- font ------------------------------------------------------------------------------
    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.FontChange:
            self._update_italic_font()
        super().changeEvent(event)

    def _update_italic_font(self) -> None:
        font = QFont(self.font())
        font.setItalic(True)
        self.rows_model.italic_font = font
