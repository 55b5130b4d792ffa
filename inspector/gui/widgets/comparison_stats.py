"""The comparison's stats table: one row per tokenizer, numbers with bars, sortable.

A plain QAbstractTableModel (sorting is its own: rows without stats — still loading, or
broken — always stay at the bottom, whatever the order) and a delegate that draws each
number over a bar scaled to the column's largest value.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    QRect,
    QSize,
    Qt,
)
from PySide6.QtGui import (
    QColor,
    QGuiApplication,
    QKeyEvent,
    QKeySequence,
    QPainter,
    QPalette,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from inspector.core.compare import ComparisonRow
from inspector.gui.i18n import Retranslatable
from inspector.gui.widgets.comparison_layout import LOADING
from inspector.gui.widgets.encoding_models import ALIGN, DISPLAY, FOREGROUND, TOOLTIP
from inspector.gui.widgets.model_updates import PaintTurns, TableInBands

BAR_ROLE = Qt.ItemDataRole.UserRole + 1  # 0…1: length of the cell's bar (None: no bar)
SORT_ROLE = Qt.ItemDataRole.UserRole + 2

_Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class _Column:
    title: str
    field: str | None  # RowStats attribute; None for the name
    bar: bool
    tip: str


COLUMNS: tuple[_Column, ...] = (
    _Column(
        QT_TRANSLATE_NOOP("StatsModel", "Tokenizer"),
        None,
        False,
        QT_TRANSLATE_NOOP("StatsModel", "as requested (catalog id, file or folder)"),
    ),
    _Column(
        QT_TRANSLATE_NOOP("StatsModel", "Tokens"),
        "tokens",
        True,
        QT_TRANSLATE_NOOP("StatsModel", "tokens the model sees (special included, padding not)"),
    ),
    _Column(
        QT_TRANSLATE_NOOP("StatsModel", "Chars/token"),
        "chars_per_token",
        True,
        QT_TRANSLATE_NOOP("StatsModel", "characters per text token: higher = denser"),
    ),
    _Column(
        QT_TRANSLATE_NOOP("StatsModel", "Bytes/token"),
        "bytes_per_token",
        True,
        QT_TRANSLATE_NOOP("StatsModel", "UTF-8 bytes per text token"),
    ),
    _Column(
        QT_TRANSLATE_NOOP("StatsModel", "Words/token"),
        "words_per_token",
        True,
        QT_TRANSLATE_NOOP("StatsModel", "whitespace-separated words per text token"),
    ),
    _Column(
        QT_TRANSLATE_NOOP("StatsModel", "UNK"),
        "unk_count",
        True,
        QT_TRANSLATE_NOOP("StatsModel", "tokens that are the unknown token"),
    ),
    _Column(
        QT_TRANSLATE_NOOP("StatsModel", "UNK rate"),
        "unk_rate",
        True,
        QT_TRANSLATE_NOOP("StatsModel", "unknown tokens / text tokens"),
    ),
    _Column(
        QT_TRANSLATE_NOOP("StatsModel", "Unshared"),
        "unshared_tokens",
        True,
        QT_TRANSLATE_NOOP(
            "StatsModel",
            "text tokens with a start or end that not every other row has as a boundary",
        ),
    ),
    _Column(
        QT_TRANSLATE_NOOP("StatsModel", "Round-trip"),
        "roundtrip_ok",
        False,
        QT_TRANSLATE_NOOP("StatsModel", "decode(encode(text)) == text"),
    ),
    _Column(
        QT_TRANSLATE_NOOP("StatsModel", "Vocab"),
        "vocab_size",
        True,
        QT_TRANSLATE_NOOP("StatsModel", "vocabulary size"),
    ),
    _Column(
        QT_TRANSLATE_NOOP("StatsModel", "Algorithm"),
        "algorithm",
        False,
        QT_TRANSLATE_NOOP("StatsModel", "tokenization algorithm"),
    ),
)


def _format(field: str, value: Any) -> str:
    if field == "roundtrip_ok":
        return "–" if value is None else ("✓" if value else "✗")
    if field == "unk_rate":
        return f"{100 * value:.2f} %"
    if isinstance(value, float):
        return f"{value:.2f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


class StatsModel(QAbstractTableModel):
    """Rows of :class:`ComparisonRow`; ``sort`` keeps rows without stats last."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._lines: list[ComparisonRow] = []
        self._maxima: dict[str, float] = {}
        self._sort: tuple[int, Qt.SortOrder] | None = None
        self._cells: list[list[dict[int, Any]]] = []  # [row][column]: role → value

    def set_lines(self, lines: list[ComparisonRow]) -> None:
        self.beginResetModel()
        self._lines = list(lines)
        self._maxima = {}
        for column in COLUMNS:
            if column.bar and column.field:
                values = [
                    float(getattr(line.stats, column.field))
                    for line in self._lines
                    if line.stats is not None
                ]
                self._maxima[column.field] = max((v for v in values if math.isfinite(v)), default=0)
        if self._sort is not None:
            self._sort_lines(*self._sort)
        self._fill_cells()
        self.endResetModel()

    def line(self, row: int) -> ComparisonRow:
        return self._lines[row]

    def lines(self) -> list[ComparisonRow]:
        return list(self._lines)

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 (Qt's signature)
        return 0 if parent.isValid() else len(self._lines)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(COLUMNS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return QCoreApplication.translate("StatsModel", COLUMNS[section].title)
        if role == Qt.ItemDataRole.ToolTipRole:
            return QCoreApplication.translate("StatsModel", COLUMNS[section].tip)
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        return self._cells[index.row()][index.column()].get(role)

    def _cell(self, line: ComparisonRow, number: int) -> dict[int, Any]:
        """The roles of one cell. Worked out once per set_lines or sort, not on each of the
        ~10 calls a cell gets in every paint (2.5 ms a paint of 2 rows, 8 ms of 6)."""
        column = COLUMNS[number]
        field = column.field
        if field is None:
            tip = line.requested + (f"\n{line.message}" if line.message else "")
            return {DISPLAY: line.requested, SORT_ROLE: line.requested, TOOLTIP: tip}
        if line.stats is None:
            cell: dict[int, Any] = {TOOLTIP: line.message}
            if number == 1:
                cell[DISPLAY] = line.message  # "loading…" or the error, once, next to the name
            if line.message != LOADING:
                cell[FOREGROUND] = QColor("#C62828")
            return cell
        value = getattr(line.stats, field)
        if column.bar:
            align = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        elif field == "roundtrip_ok":
            align = Qt.AlignmentFlag.AlignCenter
        else:
            align = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
        cell = {DISPLAY: _format(field, value), SORT_ROLE: value, ALIGN: int(align)}
        if field == "roundtrip_ok" and value is not None:
            cell[FOREGROUND] = QColor("#2E7D32" if value else "#C62828")
        if column.bar:
            top = self._maxima.get(field, 0.0)
            number_value = float(value)
            cell[BAR_ROLE] = number_value / top if top > 0 and math.isfinite(number_value) else 0.0
        return cell

    def _fill_cells(self) -> None:
        self._cells = [
            [self._cell(line, number) for number in range(len(COLUMNS))] for line in self._lines
        ]

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self.layoutAboutToBeChanged.emit()
        self._sort = (column, order) if 0 <= column < len(COLUMNS) else None
        self._sort_lines(column, order)
        self._fill_cells()
        self.layoutChanged.emit()

    def _sort_lines(self, column: int, order: Qt.SortOrder) -> None:
        if not 0 <= column < len(COLUMNS):
            self._lines.sort(key=lambda line: line.position)  # no sort column: lane order
            return
        field = COLUMNS[column].field
        reverse = order == Qt.SortOrder.DescendingOrder

        def key(line: ComparisonRow) -> Any:
            if field is None:
                return line.requested.lower()
            value = getattr(line.stats, field)
            return (-1 if value is None else int(value)) if field == "roundtrip_ok" else value

        with_stats = [line for line in self._lines if line.stats is not None or field is None]
        without = [line for line in self._lines if line.stats is None and field is not None]
        with_stats.sort(key=key, reverse=reverse)
        self._lines = with_stats + without


class BarDelegate(QStyledItemDelegate):
    """Paints a cell's number over a bar whose length is the model's ``BAR_ROLE``."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: _Index) -> None:
        fraction = index.data(BAR_ROLE)
        if fraction is None:
            super().paint(painter, option, index)
            return
        # Background (selection, alternate rows) first, then the bar, then the text on top.
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        text = opt.text
        opt.text = ""
        widget = opt.widget
        style = widget.style() if widget is not None else None
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)
        rect: QRect = option.rect.adjusted(3, 4, -3, -4)
        bar = QRect(rect.left(), rect.top(), round(rect.width() * float(fraction)), rect.height())
        color = QColor(option.palette.color(QPalette.ColorRole.Highlight))
        color.setAlpha(70)
        painter.save()
        painter.fillRect(bar, color)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        painter.setPen(option.palette.color(role))
        painter.drawText(
            option.rect.adjusted(4, 0, -6, 0),
            int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
            text,
        )
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: _Index) -> QSize:
        size = super().sizeHint(option, index)
        return QSize(max(size.width() + 24, 72), size.height())


class StatsTable(Retranslatable, TableInBands):
    """The table view: sortable by clicking a header, one selected tokenizer at a time."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.stats_model = StatsModel(self)
        self.setModel(self.stats_model)
        self.setItemDelegate(BarDelegate(self))
        # No sort column at first: rows in lane order until a header is clicked.
        self.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.setSortingEnabled(True)
        self.horizontalHeader().setSortIndicatorShown(True)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setAlternatingRowColors(True)
        self.verticalHeader().hide()
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.horizontalHeader().setStretchLastSection(True)
        self.retranslate()
        # A row without stats says why across the number columns.
        self.stats_model.layoutChanged.connect(self._span_messages)

    def retranslate(self) -> None:
        self.setAccessibleName(self.tr("Comparison statistics"))
        self.setToolTip(self.tr("Click a header to sort; Ctrl+C copies the rows as TSV"))
        # The model's headers are translated when asked for: ask again.
        self.stats_model.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(COLUMNS) - 1)

    def reset(self) -> None:
        super().reset()  # clears the spans: set them again for the new rows
        self._span_messages()

    def _span_messages(self) -> None:
        self.clearSpans()
        for row, line in enumerate(self.stats_model.lines()):
            if line.stats is None:
                self.setSpan(row, 1, 1, len(COLUMNS) - 1)

    def set_lines(self, lines: list[ComparisonRow]) -> None:
        # Painted once, a band a turn: with the comparison of 1 MB landing, its paint took
        # 6-10 ms of the turn that showed it, 4-5 ms in a turn of its own.
        PaintTurns.shared().hold(self)
        self.stats_model.set_lines(lines)

    def as_tsv(self) -> str:
        """The selected rows (all rows when none is selected), in table order, as TSV."""
        model = self.stats_model
        picked = sorted({index.row() for index in self.selectionModel().selectedRows()})
        rows = picked or list(range(model.rowCount()))
        lines = ["\t".join(column.title for column in COLUMNS)]
        for row in rows:
            cells = [model.index(row, c).data() or "" for c in range(len(COLUMNS))]
            lines.append("\t".join(str(cell).replace("\t", " ") for cell in cells))
        return "\n".join(lines) + "\n"

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.matches(QKeySequence.StandardKey.Copy):
            QGuiApplication.clipboard().setText(self.as_tsv())
            event.accept()
            return
        super().keyPressEvent(event)

    def selected_rows(self) -> list[int]:
        """Comparison rows (lane order) of the selected table rows."""
        picked = {index.row() for index in self.selectionModel().selectedRows()}
        return sorted(self.stats_model.line(r).position for r in picked)
