"""Telling a table model's views which of its items a new result changed, not resetting it.

After a model reset a view repaints its whole viewport (and the table's ~700 ``data()`` calls
and cell paints per key came before the next key's strip while typing). When a new result
keeps the leading tokens of the last one (:func:`inspector.core.result_diff.unchanged_tokens`),
its items from the first changed token are told changed, added or removed: a view repaints
only those in view: a :class:`BandTableView` repaints the band of rows (or columns) a change
covers, where a plain QTableView repaints its whole viewport for any change wider than a cell.

A new result that changes everything in view is painted over several turns of the event loop
instead (:class:`PaintTurns`): a view a turn, and a :class:`PaintsInBands` view (the tables,
the strip, the comparison canvas) a band of its viewport a turn.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any, cast

import shiboken6
from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractTableModel,
    QCoreApplication,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRect,
    Qt,
    QTimer,
    SignalInstance,
)
from PySide6.QtGui import QPainter, QPaintEvent, QRegion
from PySide6.QtWidgets import QAbstractScrollArea, QTableView, QWidget

from inspector.core.array_slices import workers_wait

_Index = QModelIndex | QPersistentModelIndex
_NONE = 1 << 62  # no row (or column) added or removed
PAINT_BANDS = 4  # a view's first paint of a new result: at most this many turns
MIN_BAND_PX = 80  # nor bands lower than this


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


def changes_much_of_view(kept: int, count: int, first: int, last: int) -> bool:
    """Whether a new result of ``count`` items that keeps the first ``kept`` changes at least
    a third of those in view (``first``..``last``; ``last`` -1: the view reaches past the last
    item): its paint then gets a turn of its own (:class:`PaintTurns`). Typing changes the
    last token or two, repainted with the rest of the window; a result that keeps only the
    first token or two (another tokenizer on a short text) repainted a whole grid in the
    settle's pass."""
    first = max(first, 0)
    if kept <= first:
        return True
    end = count if last < 0 else min(last + 1, count)  # past the last item in view
    changed = end - kept
    return changed > 0 and 3 * changed >= end - first


class PaintsInBands:
    """A scroll area whose first paint of a new result :class:`PaintTurns` spreads over turns,
    a band of its viewport a turn. Its viewport must be opaque (``WA_OpaquePaintEvent``), so
    that what a band's paint leaves out keeps the last result's pixels, and its paint must
    paint just :meth:`band_of` the region it is asked to."""

    # The band being painted (None: no band, all that is asked), and what of the viewport
    # still shows the last result.
    _painting_band: QRect | None = None
    _unpainted: QRegion | None = None

    def _viewport(self) -> QWidget:
        return cast("QAbstractScrollArea", self).viewport()

    def paint_bands(self) -> list[QRect]:
        """The viewport cut across its longer side into the bands :class:`PaintTurns` paints
        one a turn (rows of the token table and the strip, columns of the Encoding grid)."""
        area = self._viewport().rect()
        across = area.width() > area.height()
        length = area.width() if across else area.height()
        count = max(1, min(PAINT_BANDS, length // MIN_BAND_PX))
        step = -(-length // count)
        if across:
            return [
                QRect(x, area.top(), min(step, length - x), area.height())
                for x in range(0, length, step)
            ]
        return [
            QRect(area.left(), y, area.width(), min(step, length - y))
            for y in range(0, length, step)
        ]

    def paint_band(self, band: QRect, *, whole_view: bool = False) -> None:
        """Paint ``band`` of the viewport now, and nothing else of it; ``whole_view``: the
        view's frame, headers and scroll bars too (its first band)."""
        self._painting_band = band
        try:
            if whole_view:
                cast("QWidget", self).repaint()
            elif self._unpainted is not None and self._unpainted.intersects(band):
                self._viewport().repaint(band)
        finally:
            self._painting_band = None

    def band_of(self, region: QRegion) -> QRegion:
        """What of ``region`` (a paint's) to paint: the band being painted's part of it, or
        all of it; the rest is left showing the last result."""
        unpainted = self._unpainted or QRegion()
        if self._painting_band is not None:
            unpainted = unpainted.united(region.subtracted(QRegion(self._painting_band)))
            region = region.intersected(self._painting_band)
        self._unpainted = unpainted.subtracted(region)
        return region

    def scrolled_between_bands(self) -> None:
        """Call after a scroll: the last result's pixels moved with it, so all of it now."""
        if self._unpainted is not None and not self._unpainted.isEmpty():
            self._viewport().update()


class TableInBands(PaintsInBands, QTableView):
    """A QTableView whose first paint of a new result can go a band a turn (its cells' paints
    run while workers wait: each cell calls back into Python)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.viewport().setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent, True)

    def paintEvent(self, event: QPaintEvent) -> None:
        region = self.band_of(event.region())
        if region != event.region():
            event = QPaintEvent(region)
        viewport = self.viewport()
        painter = QPainter(viewport)  # the opaque viewport: Qt no longer fills it
        painter.fillRect(region.boundingRect(), viewport.palette().brush(viewport.backgroundRole()))
        painter.end()
        with workers_wait():
            super().paintEvent(event)

    def scrollContentsBy(self, dx: int, dy: int) -> None:
        super().scrollContentsBy(dx, dy)
        self.scrolled_between_bands()


class BandTableView(TableInBands):
    """A QTableView that repaints, on a change of its model's data, only the band of rows or
    columns the change covers that is in view (none when it is out of view), and on rows or
    columns added or removed only those from the first one added or removed (Qt lays the
    items out again and repaints the whole viewport). The views using it edit nothing: no
    editor needs the change."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # Since the last layout: the first row and column added or removed (None: none), and
        # whether anything else asked for a layout (a reset, a sort, a font): all of it then.
        self._counts_from: tuple[int, int] | None = None
        self._whole_layout = True

    def setModel(self, model: QAbstractItemModel | None) -> None:
        old = self.model()
        if old is not None:
            for signal, slot in self._count_slots(old):
                signal.disconnect(slot)
        self._whole_layout = True
        super().setModel(model)
        if model is not None:
            for signal, slot in self._count_slots(model):
                signal.connect(slot)

    def _count_slots(self, model: QAbstractItemModel) -> list[tuple[SignalInstance, Any]]:
        return [
            (model.rowsInserted, self._on_rows_counted),
            (model.rowsRemoved, self._on_rows_counted),
            (model.columnsInserted, self._on_columns_counted),
            (model.columnsRemoved, self._on_columns_counted),
            (model.modelAboutToBeReset, self._on_relayout),
            (model.layoutAboutToBeChanged, self._on_relayout),
            # After the view's own reset slot (connected first, by QAbstractItemView).
            (model.modelReset, self._lay_out_now),
        ]

    def _on_rows_counted(self, _parent: _Index, first: int, _last: int) -> None:
        self._counted(first, _NONE)

    def _on_columns_counted(self, _parent: _Index, first: int, _last: int) -> None:
        self._counted(_NONE, first)

    def _counted(self, row: int, column: int) -> None:
        rows, columns = self._counts_from or (_NONE, _NONE)
        self._counts_from = (min(rows, row), min(columns, column))

    def _on_relayout(self, *_args: object) -> None:
        self._whole_layout = True

    def _lay_out_now(self) -> None:
        """A reset: the items are laid out and the scroll bars shown or hidden now, in the
        turn that asked for the reset's repaint. Qt does both later (a zero timer, a queued
        call), each after that repaint, and each repaints the whole viewport again: a second
        paint of every cell in view (the scroll bar that appears resizes the viewport)."""
        self.executeDelayedItemsLayout()
        QCoreApplication.sendPostedEvents(self, QEvent.Type.MetaCall)  # show/hide scroll bars

    def resize_columns(self, widths: Iterable[tuple[int, int]]) -> None:
        """Set the widths of these ``(column, width)`` and repaint the viewport from the
        first column that changed, in this turn. Qt's own resize of a column repaints from it
        in a later turn (a zero timer): after a reset, a second paint of the cells in view."""
        header = self.horizontalHeader()
        first = _NONE
        blocked = header.blockSignals(True)  # sectionResized: the view's deferred repaint
        try:
            for column, width in widths:
                if header.sectionSize(column) != width:
                    header.resizeSection(column, width)  # the header repaints itself
                    first = min(first, column)
        finally:
            header.blockSignals(blocked)
        if first == _NONE:
            return
        self.updateGeometries()  # the scroll range follows the new widths
        area = self.viewport().rect()
        left = 0 if self.isRightToLeft() else max(self.columnViewportPosition(first), 0)
        band = QRect(left, area.top(), area.width() - left, area.height()).intersected(area)
        if not band.isEmpty():
            self.viewport().update(band)

    def event(self, event: QEvent) -> bool:
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._whole_layout = True  # the items' sizes change: Qt lays them out again
        return super().event(event)

    def doItemsLayout(self) -> None:
        counts_from, whole = self._counts_from, self._whole_layout
        self._counts_from, self._whole_layout = None, False
        if whole or counts_from is None:
            super().doItemsLayout()
            return
        # Rows or columns were only added or removed: the scroll bars follow the new counts,
        # and the items from the first one added or removed are painted again.
        offsets = (self.horizontalOffset(), self.verticalOffset())
        self.updateGeometries()
        header = self.verticalHeader()
        if not header.updatesEnabled():  # QTableView holds its updates while rows go
            header.setUpdatesEnabled(True)
        area = self.viewport().rect()
        if offsets != (self.horizontalOffset(), self.verticalOffset()):
            # The new range moved the items in view (at the end of the scroll range the last
            # row is aligned to the bottom) without a scroll: all of them are painted again.
            self.viewport().update()
            return
        row, column = counts_from
        top = area.top() if row == _NONE else self._start(row, True)
        left = area.left() if column == _NONE else self._start(column, False)
        band = QRect(max(left, area.left()), max(top, area.top()), area.width(), area.height())
        band = band.intersected(area)
        if not band.isEmpty():
            self.viewport().update(band)

    def _start(self, section: int, row: bool) -> int:
        """Where ``section`` (the first added or removed row or column) starts in the
        viewport: past the last one when it was removed from the end; the top or left edge
        where that is not simply known (hidden, right to left)."""
        model = self.model()
        count = model.rowCount() if row else model.columnCount()
        hidden = self.isRowHidden if row else self.isColumnHidden
        position = self.rowViewportPosition if row else self.columnViewportPosition
        size = self.rowHeight if row else self.columnWidth
        if (not row and self.isRightToLeft()) or count == 0:
            return 0
        if section < count:
            return 0 if hidden(section) else position(section)
        return 0 if hidden(count - 1) else position(count - 1) + size(count - 1)

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


class PaintTurns(QObject):
    """Views whose paint of a new result waits for a turn of the event loop of its own, one
    view a turn, in the order they asked, and a :class:`PaintsInBands` view a band of its
    viewport a turn: the token table's and the Encoding grid's paints of a 5 MB result in the
    turn that settled it held the window 40-54 ms (GUI-thread CPU), a whole table's 8-15 ms.

    A timer, not a posted call: posted calls run back to back (the state's settle, the
    window's paint, the strip's next steps). A zero timer still ran in the loop's pass that
    had just run the settle (one 25-30 ms stall); 3 ms run it in a later pass. The next
    turn's timer starts after this one's paint, so two never share a turn; workers' slice
    loops wait while it paints (:func:`workers_wait`)."""

    _shared: PaintTurns | None = None

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        # Each view waiting, with the bands of a PaintsInBands view still to paint (None: its
        # first turn, updates still held).
        self._views: list[tuple[QWidget, list[QRect] | None]] = []
        self._timer = QTimer(self, singleShot=True, interval=3, timeout=self._paint_next)

    @classmethod
    def shared(cls) -> PaintTurns:
        """The application's one sequence (its parent is the application)."""
        if cls._shared is None or not shiboken6.isValid(cls._shared):
            cls._shared = cls(QCoreApplication.instance())
        return cls._shared

    def hold(self, view: QWidget) -> None:
        """Call before ``view``'s model changes: what it would paint now waits for its turn;
        a :class:`PaintsInBands` view then paints a band of its viewport a turn."""
        if (view, None) in self._views:
            return
        self._views = [waiting for waiting in self._views if waiting[0] is not view]
        view.setUpdatesEnabled(False)
        self._views.append((view, None))
        if not self._timer.isActive():
            self._timer.start()

    def busy(self) -> bool:
        """Whether any view's turn is still to come."""
        return bool(self._views)

    def waiting(self, view: QWidget) -> bool:
        """Whether a turn of ``view``'s is still to come."""
        return any(waiting is view for waiting, _ in self._views)

    def _paint_next(self) -> None:
        while self._views:
            view, bands = self._views.pop(0)
            if not shiboken6.isValid(view) or (bands is None and view.updatesEnabled()):
                continue  # gone, or painted meanwhile
            banded = isinstance(view, PaintsInBands)
            with workers_wait():
                if bands is None:
                    view.setUpdatesEnabled(True)
                    if banded:
                        bands = view.paint_bands()
                        view.paint_band(bands[0], whole_view=True)
                    else:
                        view.repaint()  # now, in this turn
                else:
                    view.paint_band(bands[0])
            if banded and bands and len(bands) > 1:
                self._views.insert(0, (view, bands[1:]))
            break
        if self._views:
            self._timer.start()
