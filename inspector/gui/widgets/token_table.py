"""The token table: one row per token of an EncodingResult, sortable, filterable, copyable.

The model reads the result's numpy columns directly. Sorting and filtering never go through
``data()``: the model keeps a row-order array (view row → token index) that ``numpy.argsort``
and boolean masks rebuild, so a 200k-token result sets, sorts and filters without a Python
loop over rows. Text cells (token, display, bytes) are made only for the rows a view asks
for; display strings depend only on the token id, so they are cached per id.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    QPoint,
    Qt,
    Signal,
    Slot,
)
from PySide6.QtGui import QAction, QBrush, QColor, QFont, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QMenu,
    QVBoxLayout,
    QWidget,
)
from superqt.utils import qdebounced

from inspector.core.display import hex_bytes
from inspector.core.display_strings import DisplayStrings
from inspector.core.encoding import EncodingResult
from inspector.core.result_diff import unchanged_tokens
from inspector.core.token_roles import role_of_token
from inspector.core.token_search import tokens_covering
from inspector.gui.glossary_dialog import role_tooltip
from inspector.gui.i18n import Retranslatable, translate_explanation
from inspector.gui.steady_label import SteadyLabel
from inspector.gui.widgets.model_updates import (
    BandTableView,
    PaintTurns,
    changes_much_of_view,
    update_in_place,
)
from inspector.gui.widgets.rows_table import CopyKey
from inspector.gui.widgets.table_rows import AllRows
from inspector.gui.widgets.token_columns import COLUMN_KEYS, COLUMNS, Column

if TYPE_CHECKING:
    from inspector.gui.state import InspectorState

TOKEN_INDEX_ROLE = int(Qt.ItemDataRole.UserRole) + 1
"""``data(index, TOKEN_INDEX_ROLE)`` → the token index (position in the result) of that row."""

_Index = QModelIndex | QPersistentModelIndex


TYPE_COLUMN = COLUMN_KEYS.index("type")  # shown only for tokenizers that use token types
WORD_COLUMN = COLUMN_KEYS.index("word")
_NONE_WHEN_NEGATIVE = frozenset({"word", "sequence"})
_HORIZONTAL = Qt.Orientation.Horizontal
_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
_ALIGNMENT = int(Qt.ItemDataRole.TextAlignmentRole)
_BACKGROUND = int(Qt.ItemDataRole.BackgroundRole)
_FONT = int(Qt.ItemDataRole.FontRole)
_ROLES = frozenset({_DISPLAY, _TOOLTIP, _ALIGNMENT, _BACKGROUND, _FONT, TOKEN_INDEX_ROLE})
_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
_NO_FLAGS = Qt.ItemFlag.NoItemFlags
_ALIGNMENTS = tuple(
    int(
        (
            Qt.AlignmentFlag.AlignRight
            if c.numeric and c.key != "special"
            else Qt.AlignmentFlag.AlignLeft
        )
        | Qt.AlignmentFlag.AlignVCenter
    )
    for c in COLUMNS
)
_TSV_ESCAPES = str.maketrans({"\t": "\\t", "\n": "\\n", "\r": "\\r"})


class TokenTableModel(QAbstractTableModel):
    """A table over one :class:`EncodingResult`; view rows map to token indices via an array."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._result: EncodingResult | None = None
        self._rows: np.ndarray | AllRows = AllRows(0)  # view row → token index
        self._positions: np.ndarray | None = None  # token index → view row (-1 hidden), lazy
        self._order: np.ndarray | None = None  # full sort permutation (None: text order)
        self._mask: np.ndarray | None = None  # filter mask over token indices (None: all)
        self._highlight: np.ndarray | None = None
        self._sort_column = 0
        self._sort_order = Qt.SortOrder.AscendingOrder
        self._filter = ""
        self._token_types = True  # the tokenizer uses token_type_ids: the "type" column counts
        self._strings: DisplayStrings | None = None
        self._unique: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None
        self._utf8: tuple[bytes, bytes] | None = None
        self.highlight_brush = QBrush(QColor(255, 196, 0, 110))
        self._special_font = QFont()
        self._special_font.setItalic(True)

    # -- data in -----------------------------------------------------------------------
    @property
    def result(self) -> EncodingResult | None:
        return self._result

    def forget_explanations(self) -> None:
        """After a language change: explanations are made again in the new language."""
        if self._result is not None:
            self._strings = DisplayStrings(self._result, translate=translate_explanation)

    def set_result(self, result: EncodingResult | None) -> None:
        """Show another result; the current sort and filter are applied to it."""
        if self._follows_in_place(result):
            return
        self.beginResetModel()
        # display strings depend only on the tokenizer and the id: kept while it stays
        self._strings = (
            DisplayStrings(result, self._strings, translate=translate_explanation)
            if result is not None
            else None
        )
        self._result = result
        self._token_types = result is None or bool(result.tokenizer.uses_token_type_ids)
        self._unique = None
        self._utf8 = None
        self._highlight = None
        self._order = None
        self._mask = None
        if result is not None and (self._sort_column != 0 or self._descending):
            self._order = self._sorted_order(self._sort_column, self._descending)
        if result is not None and self._filter:
            self._mask = self._filter_mask(self._filter)
        self._rebuild_rows()
        self.endResetModel()

    def _follows_in_place(self, result: EncodingResult | None) -> bool:
        """A result that keeps the last one's leading tokens (typing), shown in text order
        without a filter or tint: the rows from the first changed token are told changed,
        added or removed, so the view repaints only those in view, not every row (a model
        reset repaints the whole viewport). False (nothing done) when that does not apply."""
        old = self._result
        kept = self.kept_rows(result)
        if kept == 0:
            return False
        assert old is not None and result is not None

        def switch() -> None:
            self._strings = DisplayStrings(result, self._strings, translate=translate_explanation)
            self._result = result
            self._unique = None
            self._utf8 = None
            self._rows = AllRows(len(result))
            self._positions = None

        update_in_place(self, len(old), len(result), kept, switch)
        # Word ids may be lazy (a pass of the split pattern over the text): not compared, so
        # the kept rows' word cells are read again, only those in view.
        self.dataChanged.emit(self.index(0, WORD_COLUMN), self.index(kept - 1, WORD_COLUMN))
        return True

    def kept_rows(self, result: EncodingResult | None) -> int:
        """The leading rows that ``result`` shows as the last one did, told apart from the
        rest when it is shown (typing); 0 when the model starts over (sorted, filtered or
        tinted rows, another tokenizer, a long text)."""
        old = self._result
        if (
            old is None
            or result is None
            or not isinstance(self._rows, AllRows)
            or self._filter
            or self._highlight is not None
        ):
            return 0
        return unchanged_tokens(old, result)

    @property
    def has_token_types(self) -> bool:
        """The tokenizer uses token_type_ids (else the "type" column is all 0: not shown)."""
        return self._token_types

    def shown_columns(self) -> list[int]:
        """The columns worth showing and copying: all but "type" without token types."""
        return [c for c in range(len(COLUMNS)) if c != TYPE_COLUMN or self._token_types]

    @property
    def _descending(self) -> bool:
        return self._sort_order == Qt.SortOrder.DescendingOrder

    def token_count(self) -> int:
        """Tokens in the result (shown or filtered out)."""
        return 0 if self._result is None else len(self._result)

    def _rebuild_rows(self) -> None:
        n = self.token_count()
        if self._order is None and self._mask is None:
            self._rows = AllRows(n)  # no arange of millions of rows on the GUI thread
        else:
            order = np.arange(n, dtype=np.int64) if self._order is None else self._order
            self._rows = order if self._mask is None else order[self._mask[order]]
        self._positions = None

    # -- mapping -----------------------------------------------------------------------
    def token_index(self, row: int) -> int:
        """The token index shown in view row ``row`` (-1 when out of range)."""
        return int(self._rows[row]) if 0 <= row < len(self._rows) else -1

    def row_of(self, token_index: int) -> int:
        """The view row that shows token ``token_index`` (-1 when filtered out or unknown)."""
        if not 0 <= token_index < self.token_count():
            return -1
        if isinstance(self._rows, AllRows):
            return token_index
        if self._positions is None:
            positions = np.full(self.token_count(), -1, dtype=np.int64)
            positions[self._rows] = np.arange(len(self._rows), dtype=np.int64)
            self._positions = positions
        return int(self._positions[token_index])

    def visible_tokens(self) -> np.ndarray:
        """Token indices in view order (a copy)."""
        rows = self._rows
        return np.arange(len(rows), dtype=np.int64) if isinstance(rows, AllRows) else rows.copy()

    # -- Qt model API ------------------------------------------------------------------
    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(COLUMNS):
            if role == Qt.ItemDataRole.DisplayRole:
                return QCoreApplication.translate("TokenTableModel", COLUMNS[section].title)
            if role == Qt.ItemDataRole.ToolTipRole:
                return QCoreApplication.translate("TokenTableModel", COLUMNS[section].tip)
        if orientation == Qt.Orientation.Vertical and role == Qt.ItemDataRole.DisplayRole:
            return str(section + 1)
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        return _FLAGS if index.isValid() else _NO_FLAGS

    def data(self, index: _Index, role: int = _DISPLAY) -> Any:
        # Called for every visible cell and role on each paint: keep it to plain int checks
        # (comparing with Qt enum members costs microseconds each).
        if role not in _ROLES or self._result is None:
            return None
        row = index.row()
        rows = self._rows
        if not 0 <= row < len(rows):
            return None
        token = int(rows[row])
        if role == _DISPLAY:
            return self.cell_text(token, index.column())
        if role == _ALIGNMENT:
            return _ALIGNMENTS[index.column()]
        if role == _BACKGROUND:
            highlight = self._highlight
            return self.highlight_brush if highlight is not None and highlight[token] else None
        if role == _FONT:
            return self._special_font if self._result.columns.special[token] else None
        if role == _TOOLTIP:
            return self.tooltip(token)
        return token  # TOKEN_INDEX_ROLE

    # -- cell text ---------------------------------------------------------------------
    def cell_text(self, token: int, column: int) -> str:
        """The text of one cell, by token index (not view row) and column."""
        assert self._result is not None
        cols = self._result.columns
        key = COLUMNS[column].key
        if key == "index":
            return str(token)
        if key == "token":
            return cols.tokens[token]
        if key == "display":
            return self._display_of(token)
        if key == "bytes":
            return hex_bytes(self._bytes_of(token))
        if key == "special":
            return self.tr("yes") if cols.special[token] else ""
        field = COLUMNS[column].field
        assert field is not None
        value = int(getattr(cols, field)[token])
        if key in _NONE_WHEN_NEGATIVE and value < 0:
            return ""
        return str(value)

    def tooltip(self, token: int) -> str:
        assert self._result is not None
        cols = self._result.columns
        display, explanation = self._texts_of(token)
        lines = [f"#{token} · id {int(cols.ids[token])} · {cols.tokens[token]!r} → {display}"]
        data = self._bytes_of(token)
        if data:
            lines.append(self.tr("bytes {0}").format(hex_bytes(data)))
        if explanation:
            lines.append(explanation)
        if cols.partial[token]:
            lines.append(self.tr("covers only part of a character's bytes"))
        role = role_of_token(self._result, token)
        if role is not None:  # what this special token is for, here
            lines.append(role_tooltip(role))
        return "\n".join(lines)

    def _display_of(self, token: int) -> str:
        strings = self._strings
        assert strings is not None  # a result is shown
        return strings.display(token)

    def _texts_of(self, token: int) -> tuple[str, str]:
        strings = self._strings
        assert strings is not None  # a result is shown
        return strings.display(token), strings.explanation(token)

    def _bytes_of(self, token: int) -> bytes:
        """What the token stands for (as TokenView.bytes: nothing for special tokens)."""
        result = self._result
        assert result is not None
        return result.token_bytes(token)  # encode engineer (issue 10 §1): not the text's bytes

    def _text_bytes(self) -> tuple[bytes, bytes]:
        if self._utf8 is None:
            result = self._result
            assert result is not None
            self._utf8 = (
                result.text.encode("utf-8", "surrogatepass"),
                (result.pair or "").encode("utf-8", "surrogatepass"),
            )
        return self._utf8

    def _all_bytes(self) -> list[bytes]:
        """_bytes_of for every token at once (columns read as lists, one slice per token)."""
        cols = self._result.columns  # type: ignore[union-attr]
        text, pair = self._text_bytes()
        source = np.where(cols.sequence_ids == 1, 1, 0)
        source[(cols.sequence_ids < 0) | cols.special] = 2
        sources = (text, pair, b"")
        return [
            sources[k][a:b]
            for k, a, b in zip(
                source.tolist(), cols.byte_start.tolist(), cols.byte_end.tolist(), strict=True
            )
        ]

    def _unique_keys(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(unique keys, first token index of each, inverse map token → unique position)."""
        if self._unique is None:
            cols = self._result.columns  # type: ignore[union-attr]
            keys = cols.ids.astype(np.int64) * 2 + cols.special.astype(np.int64)
            unique, first, inverse = np.unique(keys, return_index=True, return_inverse=True)
            self._unique = (unique, first, inverse.reshape(-1))
        return self._unique

    # -- sorting -----------------------------------------------------------------------
    @property
    def sort_column(self) -> int:
        return self._sort_column

    @property
    def sort_order(self) -> Qt.SortOrder:
        return self._sort_order

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Reorder rows by a column (numpy argsort; ties keep text order). Keeps selection."""
        if not 0 <= column < len(COLUMNS):
            return
        self._sort_column, self._sort_order = column, order
        if self._result is None:
            return
        self.layoutAboutToBeChanged.emit()
        persistent = self.persistentIndexList()
        old_rows = np.fromiter((i.row() for i in persistent), np.int64, len(persistent))
        tokens = self._rows[old_rows] if len(old_rows) else old_rows
        natural = column == 0 and order == Qt.SortOrder.AscendingOrder
        self._order = None if natural else self._sorted_order(column, self._descending)
        self._rebuild_rows()
        if persistent:
            new_rows = [self.row_of(token) for token in tokens.tolist()]
            moved = [
                self.index(row, old.column()) if row >= 0 else QModelIndex()
                for old, row in zip(persistent, new_rows, strict=True)
            ]
            self.changePersistentIndexList(persistent, moved)
        self.layoutChanged.emit()

    def _sorted_order(self, column: int, descending: bool) -> np.ndarray:
        ranks = self._sort_values(COLUMNS[column])
        if descending:
            ranks = -ranks
        return np.argsort(ranks, kind="stable").astype(np.int64)

    def _sort_values(self, column: Column) -> np.ndarray:
        """Per token: a number that orders it (int64, so it can be negated)."""
        result = self._result
        assert result is not None
        cols = result.columns
        n = len(cols)
        if column.key == "index":
            return np.arange(n, dtype=np.int64)
        if column.field is not None:
            return np.asarray(getattr(cols, column.field)).astype(np.int64)
        if column.key in ("token", "display"):
            _unique, first, inverse = self._unique_keys()
            if column.key == "token":
                texts = [cols.tokens[int(i)] for i in first]
            else:
                texts = [self._display_of(int(i)) for i in first]
            return _ranks(texts)[inverse]
        return _ranks(self._all_bytes())  # bytes: one slice per token, only when asked

    # -- filtering ---------------------------------------------------------------------
    @property
    def filter_text(self) -> str:
        return self._filter

    def set_filter(self, text: str) -> None:
        """Keep only tokens whose display or raw token contains ``text`` (case-insensitive),
        whose character span covers an occurrence of ``text`` in the text (the byte-level
        pieces of "é" build it, so they are found), or whose id equals it when it is a
        number. An empty text shows every token."""
        text = text.strip()
        if text == self._filter:
            return
        self.beginResetModel()
        self._filter = text
        self._mask = self._filter_mask(text) if text and self._result is not None else None
        self._rebuild_rows()
        self.endResetModel()

    def _filter_mask(self, text: str) -> np.ndarray:
        result = self._result
        assert result is not None
        cols = result.columns
        _unique, first, inverse = self._unique_keys()
        needle = text.casefold()
        hits = np.fromiter(
            (
                needle in cols.tokens[int(i)].casefold()
                or needle in self._display_of(int(i)).casefold()
                for i in first
            ),
            dtype=bool,
            count=len(first),
        )
        mask = hits[inverse] if len(inverse) else np.zeros(0, dtype=bool)
        mask = mask | tokens_covering(result, text)
        number = text.lstrip("#")
        if number.isdigit():
            mask = mask | (cols.ids == int(number))
        return mask

    # -- highlight ---------------------------------------------------------------------
    def set_highlight(self, tokens: Sequence[int] | np.ndarray) -> None:
        """Tint the rows of these token indices (an empty list clears the tint)."""
        n = self.token_count()
        indices = np.asarray(tokens, dtype=np.int64).reshape(-1)
        indices = indices[(indices >= 0) & (indices < n)]
        if len(indices) == 0 and self._highlight is None:
            return
        if len(indices):
            mask = np.zeros(n, dtype=bool)
            mask[indices] = True
            self._highlight = mask
        else:
            self._highlight = None
        if len(self._rows):
            self.dataChanged.emit(
                self.index(0, 0),
                self.index(len(self._rows) - 1, len(COLUMNS) - 1),
                [Qt.ItemDataRole.BackgroundRole],
            )

    def highlighted(self) -> np.ndarray:
        return np.zeros(0, np.int64) if self._highlight is None else np.flatnonzero(self._highlight)

    # -- export ------------------------------------------------------------------------
    def rows_as_tsv(self, rows: Sequence[int] | np.ndarray, *, header: bool = True) -> str:
        """View rows as tab-separated text (header line + one line per row, in view order).

        Built column by column from the arrays, so copying 200k rows takes about a second,
        not a Python call per cell. Tabs and newlines inside a cell are written as \\t, \\n."""
        shown = self.shown_columns()
        lines = ["\t".join(COLUMNS[c].name for c in shown)] if header else []
        view_rows = np.asarray(rows, dtype=np.int64).reshape(-1)
        view_rows = view_rows[(view_rows >= 0) & (view_rows < len(self._rows))]
        if self._result is None or len(view_rows) == 0:
            return "\n".join(lines) + "\n"
        tokens = self._rows[view_rows]
        columns = [self.column_texts(tokens, c) for c in shown]
        lines += ["\t".join(cells) for cells in zip(*columns, strict=True)]
        return "\n".join(lines) + "\n"

    def column_texts(self, tokens: np.ndarray, column: int) -> list[str]:
        """cell_text(t, column) for many token indices at once."""
        result = self._result
        assert result is not None
        cols = result.columns
        spec = COLUMNS[column]
        if spec.key == "index":
            return [str(t) for t in tokens.tolist()]
        if spec.key == "token":
            return [cols.tokens[t].translate(_TSV_ESCAPES) for t in tokens.tolist()]
        if spec.key == "special":
            yes = self.tr("yes")
            return [yes if v else "" for v in cols.special[tokens].tolist()]
        if spec.key == "display":
            keys = cols.ids[tokens].astype(np.int64) * 2 + cols.special[tokens].astype(np.int64)
            _unique, first, inverse = np.unique(keys, return_index=True, return_inverse=True)
            texts = [
                self._display_of(int(tokens[i])).translate(_TSV_ESCAPES) for i in first.tolist()
            ]
            return [texts[i] for i in inverse.reshape(-1).tolist()]
        if spec.key == "bytes":  # encode engineer (issue 10 §1): what each token stands for
            return [hex_bytes(self._bytes_of(int(t))) for t in tokens.tolist()]
        assert spec.field is not None
        values = getattr(cols, spec.field)[tokens].tolist()
        if spec.key in _NONE_WHEN_NEGATIVE:
            return ["" if v < 0 else str(v) for v in values]
        return [str(v) for v in values]


def _ranks(values: Sequence[Any]) -> np.ndarray:
    """Dense ranks of sortable values (equal values share a rank)."""
    order = sorted(set(values))
    rank = {v: i for i, v in enumerate(order)}
    return np.fromiter((rank[v] for v in values), dtype=np.int64, count=len(values))


class _TableView(CopyKey, BandTableView):
    """A QTableView whose Copy key copies whole rows as TSV (not just the current cell)."""

    copy_requested = Signal()

    def copy_key_pressed(self) -> None:
        self.copy_requested.emit()


class TokenTable(Retranslatable, QWidget):
    """Filter box + table of every token; reports the token the user selects.

    With ``state`` it follows the session: the result (once the strip has painted), the
    selected token, the hovered and highlighted ones; selecting a row selects that token in
    the state. Without it, it is driven through ``set_result`` and its signal.
    """

    current_token_changed = Signal(int)

    FILTER_DELAY_MS = 150

    def __init__(self, state: InspectorState | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = TokenTableModel(self)
        self._quiet = False
        self._current = -1

        self.filter_edit = QLineEdit(self)
        self.filter_edit.setClearButtonEnabled(True)
        self.count_label = SteadyLabel(parent=self)  # its count changes with keys
        self.count_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._filter_later = qdebounced(self._apply_filter, self.FILTER_DELAY_MS, parent=self)
        self.filter_edit.textChanged.connect(lambda _text: self._filter_later())
        self.filter_edit.returnPressed.connect(self._apply_filter)

        self.view = _TableView(self)
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.setWordWrap(False)
        self.view.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.view.setAlternatingRowColors(True)
        self.view.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.customContextMenuRequested.connect(self._show_menu)
        self.view.copy_requested.connect(self.copy_selection)
        vertical = self.view.verticalHeader()
        vertical.setVisible(False)
        vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vertical.setDefaultSectionSize(self.fontMetrics().height() + 8)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        header.setHighlightSections(False)
        header.setSortIndicator(0, Qt.SortOrder.AscendingOrder)
        self.view.setSortingEnabled(True)  # header clicks call model.sort (numpy)
        self._size_columns()
        self.view.selectionModel().currentRowChanged.connect(self._on_current_row)

        self.copy_action = QAction(self)
        self.copy_action.setShortcut(QKeySequence.StandardKey.Copy)
        self.copy_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.copy_action.triggered.connect(self.copy_selection)
        self.select_all_action = QAction(self)
        self.select_all_action.triggered.connect(self.view.selectAll)

        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self.filter_edit, 1)
        top.addWidget(self.count_label)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.setSpacing(4)
        layout.addLayout(top)
        layout.addWidget(self.view, 1)
        self.retranslate()
        if state is not None:
            self._follow(state)

    def _follow(self, state: InspectorState) -> None:
        state.result_settled.connect(self._on_result_settled)
        state.token_selected.connect(self.select_token)
        state.token_hovered.connect(lambda index: index >= 0 and self.highlight_tokens([index]))
        state.tokens_highlighted.connect(self.highlight_tokens)
        self.current_token_changed.connect(state.select_token)

    def retranslate(self) -> None:
        self.filter_edit.setPlaceholderText(self.tr("filter: text, token or id"))
        self.filter_edit.setToolTip(
            self.tr(
                "Tokens whose text contains this, the tokens that build it in the text "
                "(byte-level pieces of a character included), or the token with this id"
            )
        )
        self.copy_action.setText(self.tr("Copy as TSV"))
        self.select_all_action.setText(self.tr("Select all"))
        self.model.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(COLUMNS) - 1)
        self.model.forget_explanations()  # they were cached in the previous language
        self._update_count()

    def _size_columns(self) -> None:
        metrics = self.view.fontMetrics()
        header_metrics = self.view.horizontalHeader().fontMetrics()
        samples = {
            "index": "0000000",
            "id": "0000000",
            "token": "M" * 9,
            "display": "M" * 9,
            "start": "0000000",
            "end": "0000000",
            "bytes": "F0 9F 8E B6 E2",
            "special": "yes",
            "word": "000000",
            "sequence": "0",
            "mask": "0",
            "type": "0",
        }
        for section, column in enumerate(COLUMNS):
            width = max(
                metrics.horizontalAdvance(samples[column.key]),
                # room for the sort arrow
                header_metrics.horizontalAdvance(self.model.headerData(section, _HORIZONTAL)) + 18,
            )
            self.view.setColumnWidth(section, width + 14)

    # -- slots -------------------------------------------------------------------------
    @Slot(object)
    def _on_result_settled(self, result: EncodingResult | None) -> None:
        """The state's result; when it changes a third or more of the rows in view, the table
        paints it in a turn of its own (the Encoding grid's paint has the next)."""
        view = self.view
        first, last = view.rowAt(0), view.rowAt(view.viewport().height() - 1)
        if (
            result is not None
            and view.isVisible()
            and changes_much_of_view(self.model.kept_rows(result), len(result), first, last)
        ):
            PaintTurns.shared().hold(view)
        self.set_result(result)

    @Slot(object)
    def set_result(self, result: EncodingResult | None) -> None:
        self._current = -1
        self.view.selectionModel().clear()  # as a reset would (kept rows keep no selection)
        self.model.set_result(result)
        self.view.setColumnHidden(TYPE_COLUMN, not self.model.has_token_types)
        self._update_count()

    @Slot(int)
    def select_token(self, index: int) -> None:
        """Select token ``index`` and scroll to it, without emitting current_token_changed.

        A token hidden by the filter clears the selection."""
        row = self.model.row_of(index)
        self._current = index
        self._quiet = True
        try:
            selection = self.view.selectionModel()
            flag = QItemSelectionModel.SelectionFlag
            if row < 0:
                selection.clearSelection()
                selection.setCurrentIndex(QModelIndex(), flag.NoUpdate)
                return
            cell = self.model.index(row, 0)
            flags = flag.ClearAndSelect | flag.Rows | flag.Current
            selection.setCurrentIndex(cell, flags)
            self.view.scrollTo(cell, QAbstractItemView.ScrollHint.EnsureVisible)
        finally:
            self._quiet = False

    @Slot(object)
    def highlight_tokens(self, indices: Sequence[int] | np.ndarray) -> None:
        """Tint the rows of these tokens (e.g. the tokens under a text selection)."""
        self.model.set_highlight(indices)

    @Slot(str)
    def set_filter(self, text: str) -> None:
        """Set the filter text and apply it now (the line edit otherwise waits a moment)."""
        self.filter_edit.setText(text)
        self._apply_filter()

    @Slot()
    def copy_selection(self) -> None:
        """Copy the selected rows (header + rows, view order) to the clipboard as TSV."""
        rows = self.selected_rows()
        if len(rows) == 0:
            current = self.view.currentIndex()
            if not current.isValid():
                return
            rows = np.array([current.row()], dtype=np.int64)
        QGuiApplication.clipboard().setText(self.model.rows_as_tsv(rows))

    def selected_rows(self) -> np.ndarray:
        """Selected view rows, ascending (from the selection ranges: cheap for select-all)."""
        selection = self.view.selectionModel().selection()
        ranges = [
            np.arange(r.top(), r.bottom() + 1, dtype=np.int64)
            for r in (selection.at(i) for i in range(selection.size()))
        ]
        return np.unique(np.concatenate(ranges)) if ranges else np.zeros(0, dtype=np.int64)

    def current_token(self) -> int:
        """The selected token index, -1 when none."""
        return self._current

    # -- internals ---------------------------------------------------------------------
    @Slot()
    def _apply_filter(self) -> None:
        self._filter_later.cancel()
        self.model.set_filter(self.filter_edit.text())
        self._update_count()
        if self._current >= 0 and self.model.row_of(self._current) >= 0:
            self.select_token(self._current)

    @Slot(QModelIndex, QModelIndex)
    def _on_current_row(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if self._quiet or not current.isValid():
            return
        token = self.model.token_index(current.row())
        if token >= 0 and token != self._current:
            self._current = token
            self.current_token_changed.emit(token)

    @Slot(QPoint)
    def _show_menu(self, position: QPoint) -> None:
        menu = QMenu(self)
        self.copy_action.setEnabled(self.model.rowCount() > 0)
        menu.addAction(self.copy_action)
        menu.addAction(self.select_all_action)
        menu.exec(self.view.viewport().mapToGlobal(position))

    def _update_count(self) -> None:
        total = self.model.token_count()
        shown = self.model.rowCount()
        if total == 0:
            self.count_label.setText(self.tr("no tokens"))
        elif shown == total:
            self.count_label.setText(self.tr("{0} tokens").format(f"{total:,}"))
        else:
            self.count_label.setText(
                self.tr("{0} of {1} tokens").format(f"{shown:,}", f"{total:,}")
            )
