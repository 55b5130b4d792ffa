"""Telling a table model's views which of its items a new result changed, not resetting it.

After a model reset a view repaints its whole viewport (and the table's ~700 ``data()`` calls
and cell paints per key came before the next key's strip while typing). When a new result
keeps the leading tokens of the last one (:func:`inspector.core.result_diff.unchanged_tokens`),
its items from the first changed token are told changed, added or removed: a view repaints
only those in view: a :class:`BandTableView` repaints the band of rows (or columns) a change
covers, where a plain QTableView repaints its whole viewport for any change wider than a cell.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QRect
from PySide6.QtWidgets import QTableView

_Index = QModelIndex | QPersistentModelIndex


def update_in_place(
    model: QAbstractTableModel,
    before: int,
    after: int,
    kept: int,
    switch: Callable[[], None],
    *,
    along_columns: bool = False,
) -> None:
    """``model``'s tokens go from ``before`` to ``after`` items (rows, or columns with
    ``along_columns``), of which the first ``kept`` are unchanged; ``switch()`` makes the model
    show the new result, between the begin and end of the insertion or removal."""
    root = QModelIndex()
    if along_columns:
        begin_insert, end_insert = model.beginInsertColumns, model.endInsertColumns
        begin_remove, end_remove = model.beginRemoveColumns, model.endRemoveColumns
    else:
        begin_insert, end_insert = model.beginInsertRows, model.endInsertRows
        begin_remove, end_remove = model.beginRemoveRows, model.endRemoveRows
    if after > before:
        begin_insert(root, before, after - 1)
    elif after < before:
        begin_remove(root, after, before - 1)
    switch()
    if after > before:
        end_insert()
    elif after < before:
        end_remove()
    last = min(before, after) - 1
    if kept > last:
        return
    if along_columns:
        top_left = model.index(0, kept)
        bottom_right = model.index(model.rowCount() - 1, last)
    else:
        top_left = model.index(kept, 0)
        bottom_right = model.index(last, model.columnCount() - 1)
    model.dataChanged.emit(top_left, bottom_right)


class BandTableView(QTableView):
    """A QTableView that repaints, on a change of its model's data, only the band of rows or
    columns the change covers that is in view (none when it is out of view). The views using
    it edit nothing: no editor needs the change."""

    def dataChanged(
        self,
        top_left: _Index,
        bottom_right: _Index,
        roles: Sequence[int] = (),
    ) -> None:
        band = self._band(top_left, bottom_right)
        if band is None:
            super().dataChanged(top_left, bottom_right, list(roles))
        elif not band.isEmpty():
            self.viewport().update(band)

    def _band(self, top_left: _Index, bottom_right: _Index) -> QRect | None:
        """The viewport's part that shows the changed items; None where that is not simply
        a band (one cell, moved sections, a hidden row or column at an end of the change):
        Qt's own update then."""
        if not (top_left.isValid() and bottom_right.isValid()) or top_left == bottom_right:
            return None
        model, area = self.model(), self.viewport().rect()
        rows = self._extent(
            (top_left.row(), bottom_right.row()),
            model.rowCount(),
            self.isRowHidden,
            self.rowViewportPosition,
            self.rowHeight,
        )
        columns = self._extent(
            (top_left.column(), bottom_right.column()),
            model.columnCount(),
            self.isColumnHidden,
            self.columnViewportPosition,
            self.columnWidth,
        )
        if rows is None or columns is None or self.verticalHeader().sectionsMoved():
            return None
        if self.horizontalHeader().sectionsMoved():
            return None
        top, bottom = rows or (area.top(), area.bottom() + 1)
        left, right = columns or (area.left(), area.right() + 1)
        return QRect(left, top, right - left, bottom - top).intersected(area)

    @staticmethod
    def _extent(
        ends: tuple[int, int],
        count: int,
        hidden: Callable[[int], bool],
        position: Callable[[int], int],
        size: Callable[[int], int],
    ) -> tuple[int, int] | tuple[()] | None:
        """(start, end) in viewport pixels of sections ``ends[0]..ends[1]``; () when they are
        all the sections (the whole viewport); None when an end is hidden."""
        first, last = ends
        if first == 0 and last == count - 1:
            return ()
        if hidden(first) or hidden(last):
            return None
        starts = (position(first), position(last))
        end = max(starts[0] + size(first), starts[1] + size(last))
        return min(starts), end
