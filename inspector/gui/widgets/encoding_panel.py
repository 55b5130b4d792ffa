"""The encoding panel: the knobs of a tokenizer call, and what they do to the ids.

Top: controls that map one to one onto :class:`~inspector.core.settings.EncodeSettings`
(plus the mode: single text, text + pair text, or a batch of one text per line). Invalid
combinations are explained in a plain inline message; :meth:`EncodingPanel.settings` then keeps
returning the last valid settings, so nothing ever raises into Qt.

Bottom, two tabs:

* **Tokens** — one column per token: display string, id, attention_mask, token_type_ids
  (only for tokenizers that use them), sequence (pair mode) and the special flag, aligned in
  columns; then the overflow windows that truncation with a stride produced, one pair of rows
  (tokens, ids) per window with the character span each window covers.
* **Batch** — the padded ``input_ids`` matrix and its ``attention_mask``, as in the
  Hugging Face tutorials' padded batch; padding cells are faded.

The models read the result's numpy columns; text cells are made only for the cells a view
asks for, and only the first :data:`MAX_COLUMNS` positions are shown.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

import numpy as np
from PySide6.QtCore import (
    QAbstractTableModel,
    QMargins,
    QModelIndex,
    QPersistentModelIndex,
    QSize,
    Qt,
    Signal,
    Slot,
)
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetrics, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QAbstractScrollArea,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QRadioButton,
    QScrollArea,
    QSpinBox,
    QTableView,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from inspector.core.display import visible
from inspector.core.encoding import BatchResult, EncodingResult, TokenColumns
from inspector.core.errors import EncodeError
from inspector.core.settings import PADDING_CHOICES, TRUNCATION_CHOICES, EncodeSettings

MODES: tuple[str, ...] = ("single", "pair", "batch")
SIDES: tuple[str, ...] = ("right", "left")
MAX_COLUMNS = 512
"""Positions drawn per grid; longer results show a note "first 512 of N tokens"."""
MAX_WINDOWS = 200
"""Overflow windows listed at most."""
MAX_BATCH_ROWS = 1000
"""Texts drawn in the batch matrices at most."""
WIDTH_SAMPLE = 8
"""Overflow windows measured for column widths; wider cells of later windows are elided."""
SPIN_MAX = 1_000_000

_Index = QModelIndex | QPersistentModelIndex
_CENTER = int(Qt.AlignmentFlag.AlignCenter)
_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole)
_BACKGROUND = int(Qt.ItemDataRole.BackgroundRole)
_FONT = int(Qt.ItemDataRole.FontRole)
_ALIGN = int(Qt.ItemDataRole.TextAlignmentRole)

ROW_TIPS: dict[str, str] = {
    "token": "the token as shown: whitespace made visible, byte-level pieces decoded",
    "id": "input_ids: the token's number in the vocabulary",
    "attention_mask": "attention_mask: 1 = the model attends to this token, 0 = padding",
    "token_type_ids": "token_type_ids (segment ids): 0 for the text, 1 for the pair text",
    "sequence": "sequence id: 0 = text, 1 = pair text, – = added by the tokenizer",
    "special": "✓ = added by the tokenizer (CLS, SEP, BOS, padding…), not part of your text",
}


# -- colours ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class Colours:
    """Cell colours, made from the widget's palette so light and dark themes both read well."""

    faded: QColor  # text of padding cells
    pad: QColor  # background of padding cells
    special: QColor  # background of special tokens
    second: QColor  # background of the pair text's tokens (sequence 1)
    overlap: QColor  # background of tokens an overflow window repeats (the stride)

    @classmethod
    def from_palette(cls, palette: QPalette) -> Colours:
        text = palette.color(QPalette.ColorRole.Text)
        base = palette.color(QPalette.ColorRole.Base)
        faded = QColor(
            (text.red() * 2 + base.red() * 3) // 5,
            (text.green() * 2 + base.green() * 3) // 5,
            (text.blue() * 2 + base.blue() * 3) // 5,
        )
        pad = QColor(text)
        pad.setAlpha(28)
        special = QColor(palette.color(QPalette.ColorRole.Highlight))
        special.setAlpha(45)
        return cls(
            faded=faded,
            pad=pad,
            special=special,
            second=QColor(230, 140, 0, 50),
            overlap=QColor(0, 150, 136, 60),
        )


def _opaque(colour: QColor, base: QColor) -> QColor:
    """``colour`` (with alpha) painted over ``base``: rich-text labels want opaque colours."""
    alpha = colour.alphaF()
    return QColor(
        round(colour.red() * alpha + base.red() * (1 - alpha)),
        round(colour.green() * alpha + base.green() * (1 - alpha)),
        round(colour.blue() * alpha + base.blue() * (1 - alpha)),
    )


def _italic(font: QFont | None = None) -> QFont:
    out = QFont(font) if font is not None else QFont()
    out.setItalic(True)
    return out


def _elide(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


# -- overflow windows ------------------------------------------------------------------------
def window_spans(columns: TokenColumns) -> dict[int, tuple[int, int]]:
    """Sequence id → (min char_start, max char_end) of the window's non-special tokens."""
    out: dict[int, tuple[int, int]] = {}
    text = ~columns.special.astype(bool) & (columns.sequence_ids >= 0)
    for sequence in (0, 1):
        rows = text & (columns.sequence_ids == sequence)
        if rows.any():
            out[sequence] = (int(columns.char_start[rows].min()), int(columns.char_end[rows].max()))
    return out


def overlap_mask(previous: TokenColumns, current: TokenColumns) -> np.ndarray:
    """Tokens of ``current`` that repeat text the previous window already covered (the stride).

    Only the sequence that is being windowed counts: a sequence whose span is the same in both
    windows (the untouched text under only_second truncation) is not an overlap.
    """
    before, now = window_spans(previous), window_spans(current)
    out = np.zeros(len(current), dtype=bool)
    text = ~current.special.astype(bool)
    for sequence, span in now.items():
        old = before.get(sequence)
        if old is None or old == span:
            continue
        rows = text & (current.sequence_ids == sequence) & (current.char_start < old[1])
        out |= rows
    return out


def combination_problem(
    padding: str, truncation: str, max_length: int | None, stride: int, mode: str
) -> str:
    """Why these settings cannot be encoded together, in plain words; "" when they can."""
    if padding == "max_length" and max_length is None:
        return "Padding to max_length needs a max_length: set max_length above 0."
    if stride and truncation == "none":
        return (
            "A stride only works with truncation (it is the overlap of the overflow windows): "
            "choose a truncation strategy or set stride to 0."
        )
    if max_length is not None and stride >= max_length:
        return f"stride ({stride}) must be smaller than max_length ({max_length})."
    if truncation == "only_second" and mode != "pair":
        return "only_second truncation needs a pair text: switch to pair mode."
    return ""


# -- models ----------------------------------------------------------------------------------
class TokenGridModel(QAbstractTableModel):
    """Rows = fields (token, id, attention_mask, …), columns = token positions."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.result: EncodingResult | None = None
        self.row_names: tuple[str, ...] = ()
        self.colours = Colours.from_palette(QPalette())
        self._display: list[str] = []
        self._count = 0

    def set_result(self, result: EncodingResult | None, colours: Colours) -> None:
        self.beginResetModel()
        self.result = result
        self.colours = colours
        if result is None:
            self.row_names, self._display, self._count = (), [], 0
        else:
            names = ["token", "id", "attention_mask"]
            if result.tokenizer.uses_token_type_ids:
                names.append("token_type_ids")
            if result.pair is not None:
                names.append("sequence")
            names.append("special")
            self.row_names = tuple(names)
            self._count = min(len(result), MAX_COLUMNS)
            cache: dict[tuple[int, bool], str] = {}
            self._display = [
                _cached_display(cache, result, result.columns, i) for i in range(self._count)
            ]
        self.endResetModel()

    @property
    def displays(self) -> list[str]:
        return list(self._display)

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.row_names)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._count

    def cell_text(self, row: str, column: int) -> str:
        result = self.result
        assert result is not None
        cols = result.columns
        if row == "token":
            return self._display[column]
        if row == "id":
            return str(int(cols.ids[column]))
        if row == "attention_mask":
            return str(int(cols.attention_mask[column]))
        if row == "token_type_ids":
            return str(int(cols.type_ids[column]))
        if row == "sequence":
            sequence = int(cols.sequence_ids[column])
            return "–" if sequence < 0 else str(sequence)
        return "✓" if cols.special[column] else ""

    def row_texts(self, row: str) -> list[str]:
        return [self.cell_text(row, c) for c in range(self._count)]

    def data(self, index: _Index, role: int = _DISPLAY) -> Any:
        result = self.result
        if result is None or not index.isValid():
            return None
        row, column = self.row_names[index.row()], index.column()
        cols = result.columns
        if role == _DISPLAY:
            return self.cell_text(row, column)
        if role == _ALIGN:
            return _CENTER
        padding = not cols.attention_mask[column]
        if role == _FOREGROUND:
            return QBrush(self.colours.faded) if padding else None
        if role == _BACKGROUND:
            if padding:
                return QBrush(self.colours.pad)
            if cols.special[column]:
                return QBrush(self.colours.special)
            if cols.sequence_ids[column] == 1:
                return QBrush(self.colours.second)
            return None
        if role == _FONT and row == "token" and cols.special[column]:
            return _italic()
        if role == _TOOLTIP:
            return _token_tip(result, column, result.columns)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = _DISPLAY) -> Any:
        if orientation == Qt.Orientation.Horizontal:
            if role == _DISPLAY:
                return str(section)
            if role == _TOOLTIP:
                return f"position {section}"
            return None
        if role == _DISPLAY:
            return self.row_names[section]
        if role == _TOOLTIP:
            return ROW_TIPS.get(self.row_names[section])
        return None


def _cached_display(
    cache: dict[tuple[int, bool], str], result: EncodingResult, columns: TokenColumns, index: int
) -> str:
    """A token's display string; it depends only on its id and special flag, so cache by those."""
    key = (int(columns.ids[index]), bool(columns.special[index]))
    text = cache.get(key)
    if text is None:
        text = cache[key] = result.token(index, columns=columns).display
    return text


def _token_tip(result: EncodingResult, index: int, columns: TokenColumns) -> str:
    view = result.token(index, columns=columns)
    where = "" if view.special else f"\ncharacters {view.start}–{view.end}"
    if view.sequence_id is not None and result.pair is not None:
        where += " of the pair text" if view.sequence_id == 1 else " of the text"
    return f"{view.display}  (id {view.id}, raw {view.token!r}){where}\n{view.explanation}"


class OverflowModel(QAbstractTableModel):
    """Every window of a truncated encoding: two rows (tokens, ids) per window.

    Column 0 is the window's span of the text (spanning both rows); columns 1… are positions.
    Window 0 is the main encoding, windows 1… are ``result.overflow``.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.result: EncodingResult | None = None
        self.windows: tuple[TokenColumns, ...] = ()
        self.overlaps: list[np.ndarray] = []
        self.spans: list[dict[int, tuple[int, int]]] = []
        self.colours = Colours.from_palette(QPalette())
        self._width = 0
        self._display: dict[tuple[int, bool], str] = {}

    def set_result(self, result: EncodingResult | None, colours: Colours) -> None:
        self.beginResetModel()
        self.result = result
        self.colours = colours
        self._display = {}
        if result is None or not result.overflow:
            self.windows, self.overlaps, self.spans, self._width = (), [], [], 0
        else:
            self.windows = ((result.columns, *result.overflow))[:MAX_WINDOWS]
            self.overlaps = [np.zeros(len(self.windows[0]), dtype=bool)] + [
                overlap_mask(a, b) for a, b in itertools.pairwise(self.windows)
            ]
            self.spans = [window_spans(w) for w in self.windows]
            self._width = min(max(len(w) for w in self.windows), MAX_COLUMNS)
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 2 * len(self.windows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() or not self.windows else 1 + self._width

    def display(self, window: int, position: int) -> str:
        assert self.result is not None
        return _cached_display(self._display, self.result, self.windows[window], position)

    def span_text(self, window: int) -> str:
        spans = self.spans[window]
        if not spans:
            return "no text"
        names = {0: "text", 1: "pair"} if self.result and self.result.pair is not None else {0: ""}
        lines = [f"{names.get(s, '')} {a}–{b}".strip() for s, (a, b) in sorted(spans.items())]
        return "\n".join(lines)

    def span_tip(self, window: int) -> str:
        result = self.result
        assert result is not None
        parts = []
        for sequence, (start, end) in sorted(self.spans[window].items()):
            name = "pair text" if sequence == 1 else "text"
            piece = _elide(result.sequence_text(sequence)[start:end], 160)
            snippet = "".join(" " if char == " " else visible(char) for char in piece)
            parts.append(f"{name} characters {start}–{end}: “{snippet}”")
        return "\n".join(parts) or "this window holds no text tokens"

    def data(self, index: _Index, role: int = _DISPLAY) -> Any:
        if self.result is None or not index.isValid():
            return None
        window, kind = divmod(index.row(), 2)
        column = index.column()
        if column == 0:
            if role == _DISPLAY:
                return self.span_text(window) if kind == 0 else None
            if role == _TOOLTIP:
                return self.span_tip(window)
            if role == _ALIGN:
                return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
            return None
        cols = self.windows[window]
        position = column - 1
        if position >= len(cols):
            return None
        if role == _DISPLAY:
            return self.display(window, position) if kind == 0 else str(int(cols.ids[position]))
        if role == _ALIGN:
            return _CENTER
        if role == _BACKGROUND:
            if not cols.attention_mask[position]:
                return QBrush(self.colours.pad)
            if cols.special[position]:
                return QBrush(self.colours.special)
            if self.overlaps[window][position]:
                return QBrush(self.colours.overlap)
            return None
        if role == _FOREGROUND:
            return None if cols.attention_mask[position] else QBrush(self.colours.faded)
        if role == _FONT and kind == 0 and cols.special[position]:
            return _italic()
        if role == _TOOLTIP:
            tip = _token_tip(self.result, position, cols)
            if self.overlaps[window][position]:
                tip += "\nrepeated from the previous window (stride)"
            return tip
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = _DISPLAY) -> Any:
        if role != _DISPLAY:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return "span" if section == 0 else str(section - 1)
        window, kind = divmod(section, 2)
        label = "main" if window == 0 else f"window {window}"
        return f"{label} · token" if kind == 0 else "id"


class BatchMatrixModel(QAbstractTableModel):
    """One matrix of a batch: ``input_ids`` (or its tokens) or ``attention_mask``.

    Rows = texts, columns = positions. Cells whose attention_mask is 0 are faded; cells with no
    token at all (ragged rows when padding is off, input_ids -1) are empty.
    """

    def __init__(self, kind: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kind = kind  # "ids" | "mask"
        self.batch: BatchResult | None = None
        self.show_tokens = False
        self.colours = Colours.from_palette(QPalette())
        self._rows = 0
        self._columns = 0
        self._display: dict[tuple[int, bool], str] = {}

    def set_batch(self, batch: BatchResult | None, colours: Colours) -> None:
        self.beginResetModel()
        self.batch = batch
        self.colours = colours
        self._display = {}
        if batch is None:
            self._rows = self._columns = 0
        else:
            self._rows = min(batch.input_ids.shape[0], MAX_BATCH_ROWS)
            self._columns = min(batch.input_ids.shape[1], MAX_COLUMNS)
        self.endResetModel()

    def set_show_tokens(self, show: bool) -> None:
        if show != self.show_tokens:
            self.beginResetModel()
            self.show_tokens = show
            self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._rows

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._columns

    def is_faded(self, row: int, column: int) -> bool:
        """A padding cell: a token is there but its attention_mask is 0."""
        batch = self.batch
        assert batch is not None
        return bool(batch.input_ids[row, column] >= 0 and batch.attention_mask[row, column] == 0)

    def display(self, row: int, column: int) -> str:
        assert self.batch is not None
        result = self.batch.results[row]
        return _cached_display(self._display, result, result.columns, column)

    def cell_text(self, row: int, column: int) -> str:
        batch = self.batch
        assert batch is not None
        token_id = int(batch.input_ids[row, column])
        if token_id < 0:
            return ""
        if self.kind == "mask":
            return str(int(batch.attention_mask[row, column]))
        return self.display(row, column) if self.show_tokens else str(token_id)

    def data(self, index: _Index, role: int = _DISPLAY) -> Any:
        batch = self.batch
        if batch is None or not index.isValid():
            return None
        row, column = index.row(), index.column()
        if role == _DISPLAY:
            return self.cell_text(row, column)
        if role == _ALIGN:
            return _CENTER
        if batch.input_ids[row, column] < 0:
            if role == _TOOLTIP:
                return "no token here: this text is shorter and padding is off"
            return None
        faded = self.is_faded(row, column)
        if role == _FOREGROUND:
            return QBrush(self.colours.faded) if faded else None
        if role == _BACKGROUND:
            return QBrush(self.colours.pad) if faded else None
        if role == _TOOLTIP:
            view = batch.results[row].token(column)
            state = (
                "padding (attention_mask 0)" if faded else f"attention_mask {view.attention_mask}"
            )
            return f"text {row}, position {column}: {view.display} (id {view.id}) · {state}"
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = _DISPLAY) -> Any:
        batch = self.batch
        if batch is None:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return str(section) if role == _DISPLAY else None
        text = batch.results[section].text
        if role == _DISPLAY:
            return f"{section}  {_elide(' '.join(text.split()), 24)}"
        if role == _TOOLTIP:
            return f"text {section}: {_elide(text, 300)}"
        return None


# -- views -----------------------------------------------------------------------------------
class _Measure:
    """Text widths for column sizing, each distinct string measured once."""

    def __init__(self, font: QFont) -> None:
        self._metrics = (QFontMetrics(font), QFontMetrics(_italic(font)))
        self._cache: dict[tuple[str, bool], int] = {}

    def __call__(self, text: str, italic: bool = False) -> int:
        key = (text, italic)
        width = self._cache.get(key)
        if width is None:
            width = self._cache[key] = self._metrics[italic].horizontalAdvance(text)
        return width

    def numbers(self, values: np.ndarray) -> np.ndarray:
        """Widths of many non-negative integers (by digit count)."""
        digits = np.char.str_len(values.astype(str))
        table = np.array([self("0" * n) for n in range(int(digits.max(initial=0)) + 1)])
        return table[digits]

    def number(self, value: int) -> int:
        """Width of a number: digits are equally wide in the fonts Qt picks for tables."""
        return self("0" * len(str(value)))


def _grid_view(parent: QWidget) -> QTableView:
    view = QTableView(parent)
    view.setWordWrap(False)
    view.setTextElideMode(Qt.TextElideMode.ElideMiddle)
    view.setSelectionMode(QAbstractItemView.SelectionMode.ContiguousSelection)
    view.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
    view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
    view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
    view.setSizeAdjustPolicy(QAbstractScrollArea.SizeAdjustPolicy.AdjustIgnored)
    font_height = QFontMetrics(view.font()).height()
    vertical = view.verticalHeader()
    vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    vertical.setDefaultSectionSize(font_height + 8)
    vertical.setDefaultAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    horizontal = view.horizontalHeader()
    horizontal.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    horizontal.setMinimumSectionSize(24)
    return view


def _rows_height(view: QTableView, rows: int) -> int:
    """Height of a view showing ``rows`` rows, its header and the horizontal scroll bar."""
    return (
        view.horizontalHeader().sizeHint().height()
        + rows * view.verticalHeader().defaultSectionSize()
        + view.horizontalScrollBar().sizeHint().height()
        + 2 * view.frameWidth()
        + 2
    )


def _fit_height(view: QTableView, rows: int, most: int) -> None:
    """As tall as its rows up to ``most`` rows (then it scrolls); never under 3 rows."""
    height = _rows_height(view, min(rows, most))
    view.setMaximumHeight(height)
    view.setMinimumHeight(min(height, _rows_height(view, 3)))


def _set_widths(view: QTableView, widths: list[int]) -> None:
    header = view.horizontalHeader()
    for column, width in enumerate(widths):
        header.resizeSection(column, width)


class EncodingPanel(QWidget):
    """Encoding settings and their effect: aligned token grid, overflow windows, padded batch.

    ``settings_changed`` is emitted on any change of a control; the window debounces and
    re-encodes with :meth:`settings` and :meth:`mode`.
    """

    settings_changed = Signal()
    chat_requested = Signal()  # chat hook: the chat mode lives in the Chat dock (chat_panel.py)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._settings = EncodeSettings()
        self._mode = "single"
        self._restoring = False
        self._problem = ""
        self._colours = Colours.from_palette(self.palette())
        self._result: EncodingResult | None = None
        self._batch: BatchResult | None = None
        self._build_controls()
        self._build_display()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.setSpacing(6)
        layout.addWidget(self._controls)
        layout.addWidget(self.message_label)
        layout.addWidget(self.tabs, 1)
        self._apply_controls(self._settings, self._mode)
        self.show_result(None)
        self.show_batch(None)

    # -- controls --------------------------------------------------------------------------
    def _build_controls(self) -> None:
        self._controls = QFrame(self)
        grid = QGridLayout(self._controls)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(8)
        grid.setVerticalSpacing(4)

        self.mode_group = QButtonGroup(self)
        self.mode_buttons: dict[str, QRadioButton] = {}
        modes = QHBoxLayout()
        modes.setSpacing(10)
        tips = {
            "single": "encode the text pane as one text",
            "pair": "encode the text with a second (pair) text, like tokenizer(text, pair)",
            "batch": "each line of the text pane is one text: the padded id matrix",
        }
        for number, mode in enumerate(MODES):
            button = QRadioButton(mode, self._controls)
            button.setToolTip(tips[mode])
            self.mode_group.addButton(button, number)
            self.mode_buttons[mode] = button
            modes.addWidget(button)
        chat = QToolButton(self._controls)  # chat hook: Chat mode beside single / pair / batch
        chat.setText(self.tr("chat…"))
        chat.setToolTip(self.tr("a conversation under the tokenizer's own chat template"))
        chat.clicked.connect(self.chat_requested)
        modes.addWidget(chat)
        modes.addStretch(1)

        self.add_special_check = QCheckBox("add special tokens", self._controls)
        self.add_special_check.setToolTip(
            "add_special_tokens: add the markers the model expects ([CLS] … [SEP], <s>, BOS…)"
        )
        self.pretokenized_check = QCheckBox("pre-tokenized", self._controls)
        self.pretokenized_check.setToolTip(
            "split the text on whitespace first and pass the words (is_split_into_words=True)"
        )
        options = QHBoxLayout()
        options.setSpacing(10)
        options.addWidget(self.add_special_check)
        options.addWidget(self.pretokenized_check)
        options.addStretch(1)

        self.padding_combo = QComboBox(self._controls)
        self.padding_combo.addItems(list(PADDING_CHOICES))
        self.padding_combo.setToolTip(
            "padding: none · longest (pad to the longest text of the batch) · "
            "max_length (pad to max_length)"
        )
        self.side_combo = QComboBox(self._controls)
        self.side_combo.addItems(list(SIDES))
        self.side_combo.setToolTip("padding_side: add the padding after (right) or before (left)")
        padding = QHBoxLayout()
        padding.setSpacing(6)
        padding.addWidget(self.padding_combo)
        self._side_label = QLabel("side", self._controls)
        padding.addWidget(self._side_label)
        padding.addWidget(self.side_combo)
        padding.addStretch(1)

        self.truncation_combo = QComboBox(self._controls)
        self.truncation_combo.addItems(list(TRUNCATION_CHOICES))
        self.truncation_combo.setToolTip(
            "truncation: cut to max_length (or the model's limit). longest_first trims the "
            "longer of text and pair token by token; only_first / only_second trim one of them"
        )

        self.max_length_spin = QSpinBox(self._controls)
        self.max_length_spin.setRange(0, SPIN_MAX)
        self.max_length_spin.setSpecialValueText("none")
        self.max_length_spin.setToolTip(
            "max_length: the length truncation cuts to and max_length padding fills to; "
            "none = the model's own limit for truncation"
        )
        self.stride_spin = QSpinBox(self._controls)
        self.stride_spin.setRange(0, SPIN_MAX)
        self.stride_spin.setToolTip(
            "stride: with truncation, the tokens cut off go to overflow windows; each window "
            "repeats this many tokens of the previous one"
        )
        for spin in (self.max_length_spin, self.stride_spin):
            spin.setAccelerated(True)
            spin.setMinimumWidth(QFontMetrics(spin.font()).horizontalAdvance("0000000") + 30)

        def label(text: str) -> QLabel:
            out = QLabel(text, self._controls)
            out.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            return out

        grid.addWidget(label("Mode"), 0, 0)
        grid.addLayout(modes, 0, 1)
        grid.addWidget(label("Padding"), 0, 2)
        grid.addLayout(padding, 0, 3)
        grid.addWidget(label("max_length"), 0, 4)
        grid.addWidget(self.max_length_spin, 0, 5)
        grid.addWidget(label("Options"), 1, 0)
        grid.addLayout(options, 1, 1)
        grid.addWidget(label("Truncation"), 1, 2)
        grid.addWidget(self.truncation_combo, 1, 3, Qt.AlignmentFlag.AlignLeft)
        grid.addWidget(label("stride"), 1, 4)
        grid.addWidget(self.stride_spin, 1, 5)
        grid.setColumnStretch(6, 1)

        self.message_label = QLabel(self)
        self.message_label.setWordWrap(True)
        self.message_label.setTextFormat(Qt.TextFormat.PlainText)
        self.message_label.setObjectName("encodingMessage")
        warn = QColor(190, 90, 0)
        self.message_label.setStyleSheet(f"QLabel#encodingMessage {{ color: {warn.name()}; }}")
        self.message_label.hide()

        self.mode_group.idToggled.connect(self._on_mode_toggled)
        self.add_special_check.toggled.connect(self._on_control_changed)
        self.pretokenized_check.toggled.connect(self._on_control_changed)
        self.padding_combo.currentIndexChanged.connect(self._on_control_changed)
        self.side_combo.currentIndexChanged.connect(self._on_control_changed)
        self.truncation_combo.currentIndexChanged.connect(self._on_control_changed)
        self.max_length_spin.valueChanged.connect(self._on_control_changed)
        self.stride_spin.valueChanged.connect(self._on_control_changed)

    def _build_display(self) -> None:
        self.tabs = QTabWidget(self)
        self.tabs.setDocumentMode(True)

        tokens_page = QWidget(self.tabs)
        tokens = QVBoxLayout(tokens_page)
        tokens.setContentsMargins(0, 4, 0, 0)
        tokens.setSpacing(4)
        self.note_label = QLabel(tokens_page)
        self.note_label.setWordWrap(True)
        self.grid_model = TokenGridModel(self)
        self.grid = _grid_view(tokens_page)
        self.grid.setModel(self.grid_model)
        self.grid.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.overflow_label = QLabel(tokens_page)
        self.overflow_label.setWordWrap(True)
        self.overflow_model = OverflowModel(self)
        self.overflow_view = _grid_view(tokens_page)
        self.overflow_view.setModel(self.overflow_model)
        self.overflow_view.setMinimumHeight(
            4 * self.overflow_view.verticalHeader().defaultSectionSize()
        )
        tokens.addWidget(self.note_label)
        tokens.addWidget(self.grid)
        tokens.addWidget(self.overflow_label)
        tokens.addWidget(self.overflow_view, 1)
        tokens.addStretch(0)  # takes what the views (height-capped) leave

        batch_page = QWidget(self.tabs)
        batch = QVBoxLayout(batch_page)
        batch.setContentsMargins(0, 4, 0, 0)
        batch.setSpacing(4)
        self.batch_note = QLabel(batch_page)
        self.batch_note.setWordWrap(True)
        self.batch_tokens_check = QCheckBox("show tokens instead of ids", batch_page)
        self.batch_mask_check = QCheckBox("attention_mask matrix", batch_page)
        self.batch_mask_check.setChecked(True)
        toggles = QHBoxLayout()
        toggles.addWidget(self.batch_tokens_check)
        toggles.addWidget(self.batch_mask_check)
        toggles.addStretch(1)
        self.batch_ids_model = BatchMatrixModel("ids", self)
        self.batch_mask_model = BatchMatrixModel("mask", self)
        self.batch_ids_label = QLabel("input_ids", batch_page)
        self.batch_mask_label = QLabel("attention_mask", batch_page)
        bold = QFont(self.batch_ids_label.font())
        bold.setBold(True)
        for title in (self.batch_ids_label, self.batch_mask_label):
            title.setFont(bold)
        self.batch_ids_view = _grid_view(batch_page)
        self.batch_ids_view.setModel(self.batch_ids_model)
        self.batch_mask_view = _grid_view(batch_page)
        self.batch_mask_view.setModel(self.batch_mask_model)
        # One scroll position for both matrices: the same column is the same position.
        self.batch_ids_view.horizontalScrollBar().valueChanged.connect(
            self.batch_mask_view.horizontalScrollBar().setValue
        )
        self.batch_mask_view.horizontalScrollBar().valueChanged.connect(
            self.batch_ids_view.horizontalScrollBar().setValue
        )
        batch.addWidget(self.batch_note)
        batch.addLayout(toggles)
        batch.addWidget(self.batch_ids_label)
        batch.addWidget(self.batch_ids_view, 1)
        batch.addWidget(self.batch_mask_label)
        batch.addWidget(self.batch_mask_view, 1)
        batch.addStretch(0)  # takes what the views (height-capped) leave
        self.batch_tokens_check.toggled.connect(self._on_batch_tokens_toggled)
        self.batch_mask_check.toggled.connect(self._on_batch_mask_toggled)

        self.tabs.addTab(_scrolling(tokens_page, self.tabs), "Tokens")
        self.tabs.addTab(_scrolling(batch_page, self.tabs), "Batch")

    def sizeHint(self) -> QSize:
        """Tall enough for the controls and a whole token grid (the pages scroll when smaller)."""
        layout = self.layout()
        margins = layout.contentsMargins() if layout is not None else QMargins()
        line = QFontMetrics(self.font()).height()
        grid = (
            self.grid.horizontalHeader().sizeHint().height()
            + len(ROW_TIPS) * self.grid.verticalHeader().defaultSectionSize()
            + self.grid.horizontalScrollBar().sizeHint().height()
            + 2 * self.grid.frameWidth()
        )
        height = (
            margins.top()
            + margins.bottom()
            + self._controls.sizeHint().height()
            + self.tabs.tabBar().sizeHint().height()
            + 2 * line  # the note above the grid, the overflow line below it
            + grid
            + 24  # spacing
        )
        return QSize(max(super().sizeHint().width(), 760), height)

    # -- settings --------------------------------------------------------------------------
    def settings(self) -> EncodeSettings:
        """The last valid settings (the controls may show an invalid combination)."""
        return self._settings

    def mode(self) -> str:
        """The mode ("single", "pair" or "batch") of the last valid combination, as settings()."""
        return self._mode

    def message(self) -> str:
        """Why the controls' combination is invalid; "" when it is valid."""
        return self._problem

    def is_valid(self) -> bool:
        return not self._problem

    def set_settings(self, settings: EncodeSettings, mode: str) -> None:
        """Show saved settings and mode without emitting ``settings_changed``.

        An unknown mode becomes "single". A combination that cannot be encoded (say only_second
        truncation outside pair mode) is shown with its message, and settings() / mode() keep
        the previous valid combination.
        """
        mode = mode if mode in MODES else "single"
        self._apply_controls(settings, mode)

    def _apply_controls(self, settings: EncodeSettings, mode: str) -> None:
        self._restoring = True
        try:
            self.mode_buttons[mode].setChecked(True)
            self.add_special_check.setChecked(settings.add_special_tokens)
            self.pretokenized_check.setChecked(settings.pretokenized)
            self.padding_combo.setCurrentText(settings.padding)
            self.side_combo.setCurrentText(settings.padding_side)
            self.truncation_combo.setCurrentText(settings.truncation)
            self.max_length_spin.setValue(settings.max_length or 0)
            self.stride_spin.setValue(settings.stride)
        finally:
            self._restoring = False
        self._revalidate()

    def _control_mode(self) -> str:
        number = self.mode_group.checkedId()
        return MODES[number] if 0 <= number < len(MODES) else "single"

    def _read_controls(self) -> tuple[EncodeSettings | None, str, str]:
        """(settings or None, mode, problem) from what the controls show now."""
        mode = self._control_mode()
        padding = self.padding_combo.currentText()
        truncation = self.truncation_combo.currentText()
        max_length = self.max_length_spin.value() or None
        stride = self.stride_spin.value()
        problem = combination_problem(padding, truncation, max_length, stride, mode)
        if problem:
            return None, mode, problem
        try:
            settings = EncodeSettings(
                add_special_tokens=self.add_special_check.isChecked(),
                truncation=truncation,  # type: ignore[arg-type]
                max_length=max_length,
                stride=stride,
                padding=padding,  # type: ignore[arg-type]
                padding_side=self.side_combo.currentText(),  # type: ignore[arg-type]
                pretokenized=self.pretokenized_check.isChecked(),
            )
        except (EncodeError, ValueError) as err:
            return None, mode, str(err)
        return settings, mode, ""

    def _revalidate(self) -> None:
        settings, mode, problem = self._read_controls()
        if settings is not None:
            self._settings, self._mode = settings, mode
        self._problem = problem
        self.message_label.setText(
            f"⚠ {problem} Still using the last valid settings." if problem else ""
        )
        self.message_label.setVisible(bool(problem))
        self.side_combo.setEnabled(self.padding_combo.currentText() != "none")
        self._side_label.setEnabled(self.side_combo.isEnabled())

    @Slot()
    def _on_control_changed(self) -> None:
        if self._restoring:
            return
        self._revalidate()
        self.settings_changed.emit()

    @Slot(int, bool)
    def _on_mode_toggled(self, _number: int, checked: bool) -> None:
        if checked:
            self._on_control_changed()

    # -- display: one encoding --------------------------------------------------------------
    def _base(self) -> QColor:
        return self.palette().color(QPalette.ColorRole.Base)

    def show_result(self, result: EncodingResult | None) -> None:
        """Draw ``result`` as aligned columns, one per token, and list its overflow windows."""
        self._result = result
        self._colours = Colours.from_palette(self.palette())
        self.grid_model.set_result(result, self._colours)
        self.overflow_model.set_result(result, self._colours)
        self.grid.clearSpans()
        if result is None:
            self.note_label.setText("No encoding yet.")
            self.grid.hide()
            self.overflow_label.hide()
            self.overflow_view.hide()
            return
        self.grid.show()
        self._size_grid()
        self.note_label.setText(self._note(result))
        self.note_label.setTextFormat(Qt.TextFormat.RichText)
        self._show_overflow(result)

    def _note(self, result: EncodingResult) -> str:
        count = len(result)
        if count > MAX_COLUMNS:
            head = f"first {MAX_COLUMNS:,} of {count:,} tokens"
        else:
            head = f"{count:,} token{'s' if count != 1 else ''}"
        legend = [f"{_swatch(self._colours.special, self._base())} special"]
        if result.pair is not None:
            legend.append(f"{_swatch(self._colours.second, self._base())} pair text")
        if not result.columns.attention_mask.all():
            legend.append(f"{_pad_swatch(self._colours, self._base())} padding")
        return f"{head} &nbsp;·&nbsp; " + " &nbsp; ".join(legend)

    def _size_grid(self) -> None:
        model, result = self.grid_model, self._result
        measure = _Measure(self.grid.font())
        special = result.columns.special if result is not None else np.zeros(0, dtype=bool)
        ids = result.columns.ids if result is not None else np.zeros(0, dtype=np.int64)
        widths = [
            min(
                max(
                    measure(display, bool(special[column])),
                    measure.number(int(ids[column])),
                    measure.number(column),
                )
                + 14,
                240,
            )
            for column, display in enumerate(model.displays)
        ]
        _set_widths(self.grid, widths)
        self.grid.setFixedHeight(_rows_height(self.grid, model.rowCount()))

    def _show_overflow(self, result: EncodingResult) -> None:
        windows = len(result.overflow)
        self.overflow_view.setVisible(bool(windows))
        self.overflow_label.setVisible(True)
        self.overflow_label.setTextFormat(Qt.TextFormat.RichText)
        settings = result.settings
        if not windows:
            if settings.truncation == "none":
                why = "no truncation"
            else:
                why = "everything fits" + (
                    " (a stride makes windows only when text is cut)" if settings.stride else ""
                )
            self.overflow_label.setText(f"Overflow windows: none — {why}.")
            return
        shown = len(self.overflow_model.windows)
        total = windows + 1
        head = f"Overflow: {windows} more window{'s' if windows != 1 else ''}"
        detail = f"truncation {settings.truncation}"
        if settings.max_length is not None:
            detail += f", max_length {settings.max_length}"
        detail += f", stride {settings.stride}"
        if shown < total:
            detail += f"; first {shown} of {total} windows listed"
        swatch = _swatch(self._colours.overlap, self._base())
        legend = f"{swatch} repeated from the previous window (stride)"
        self.overflow_label.setText(f"<b>{head}</b> ({detail}) &nbsp;·&nbsp; {legend}")
        self._size_overflow()

    def _size_overflow(self) -> None:
        model, view = self.overflow_model, self.overflow_view
        view.clearSpans()
        measure = _Measure(view.font())
        span_width = 0
        for window in range(len(model.windows)):
            view.setSpan(2 * window, 0, 2, 1)
            lines = model.span_text(window).split("\n")
            span_width = max(span_width, *(measure(line) for line in lines))
        widths = [span_width + 16]
        count = model.columnCount() - 1
        width = np.array([measure.number(p) for p in range(count)], dtype=np.int64)
        for window, cols in enumerate(model.windows[:WIDTH_SAMPLE]):
            size = min(len(cols), count)
            special = cols.special[:size].tolist()
            texts = [measure(model.display(window, i), special[i]) for i in range(size)]
            width[:size] = np.maximum(width[:size], texts)
            width[:size] = np.maximum(width[:size], measure.numbers(cols.ids[:size]))
        widths += np.minimum(width + 14, 240).tolist()
        _set_widths(view, widths)
        _fit_height(view, model.rowCount(), 12)

    # -- display: a batch -------------------------------------------------------------------
    def show_batch(self, batch: BatchResult | None) -> None:
        """Draw the padded id matrix and its attention mask; None hides the Batch tab."""
        had_batch = self._batch is not None
        self._batch = batch
        self._colours = Colours.from_palette(self.palette())
        self.batch_ids_model.set_batch(batch, self._colours)
        self.batch_mask_model.set_batch(batch, self._colours)
        self.tabs.setTabEnabled(1, batch is not None)
        if batch is None:
            self.batch_note.setText(
                "Batch mode is off: choose “batch” to encode each line as one text."
            )
            if had_batch or self.tabs.currentIndex() == 1:
                self.tabs.setCurrentIndex(0)
            return
        self.batch_note.setTextFormat(Qt.TextFormat.RichText)
        self.batch_note.setText(self._batch_note(batch))
        self._size_batch()
        if not had_batch:
            self.tabs.setCurrentIndex(1)

    def _batch_note(self, batch: BatchResult) -> str:
        rows, width = batch.input_ids.shape
        head = f"{rows:,} text{'s' if rows != 1 else ''} × {width:,} positions"
        limits = []
        if rows > MAX_BATCH_ROWS:
            limits.append(f"first {MAX_BATCH_ROWS:,} of {rows:,} texts")
        if width > MAX_COLUMNS:
            limits.append(f"first {MAX_COLUMNS:,} of {width:,} positions")
        if limits:
            head += " (" + ", ".join(limits) + " shown)"
        settings = batch.results[0].settings if batch.results else None
        if (batch.input_ids < 0).any():
            how = (
                "padding is off, so the rows are ragged (empty cells: no token) — "
                "choose padding “longest” for a rectangular tensor"
            )
        elif settings is not None and settings.padding != "none":
            how = f"padded {settings.padding} on the {settings.padding_side}"
        else:
            how = "all texts have the same length"
        note = f"{head} &nbsp;·&nbsp; {how}"
        if ((batch.input_ids >= 0) & (batch.attention_mask == 0)).any():
            swatch = _pad_swatch(self._colours, self._base())
            note += f" &nbsp;·&nbsp; {swatch} padding (attention_mask 0)"
        return note

    def _size_batch(self) -> None:
        ids, batch = self.batch_ids_model, self._batch
        measure = _Measure(self.batch_ids_view.font())
        columns, rows = ids.columnCount(), ids.rowCount()
        largest = int(batch.input_ids.max()) if batch is not None and batch.input_ids.size else 0
        digits = max(measure.number(largest), measure.number(max(columns - 1, 0)))
        if ids.show_tokens and rows * columns <= 20_000:
            widths = [
                min(max(max(measure(ids.cell_text(r, c)) for r in range(rows)), digits) + 14, 200)
                for c in range(columns)
            ]
        elif ids.show_tokens:  # too many cells to measure: one width, long tokens elided
            widths = [max(digits, measure("0" * 8)) + 14] * columns
        else:
            widths = [digits + 14] * columns
        _set_widths(self.batch_ids_view, widths)
        _set_widths(self.batch_mask_view, widths)
        # Both matrices get the same row-header width, so their columns line up.
        header = max(
            self.batch_ids_view.verticalHeader().sizeHint().width(),
            self.batch_mask_view.verticalHeader().sizeHint().width(),
        )
        for view in (self.batch_ids_view, self.batch_mask_view):
            view.verticalHeader().setFixedWidth(header)
            view.verticalHeader().setDefaultAlignment(
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
            )
            _fit_height(view, rows, 16)

    @Slot(bool)
    def _on_batch_tokens_toggled(self, checked: bool) -> None:
        self.batch_ids_model.set_show_tokens(checked)
        self.batch_ids_label.setText("input_ids (as tokens)" if checked else "input_ids")
        if self._batch is not None:
            self._size_batch()

    @Slot(bool)
    def _on_batch_mask_toggled(self, checked: bool) -> None:
        self.batch_mask_label.setVisible(checked)
        self.batch_mask_view.setVisible(checked)


def _swatch(background: QColor, base: QColor) -> str:
    """A small coloured box for a legend in a rich-text label."""
    return (
        f'<span style="background-color:{_opaque(background, base).name()};">'
        "&nbsp;&nbsp;&nbsp;&nbsp;</span>"
    )


def _pad_swatch(colours: Colours, base: QColor) -> str:
    """The legend for padding: a faded 0 on the padding background, as the cells show it."""
    return (
        f'<span style="background-color:{_opaque(colours.pad, base).name()};'
        f'color:{colours.faded.name()};">&nbsp;0&nbsp;</span>'
    )


def _scrolling(page: QWidget, parent: QWidget) -> QScrollArea:
    """A tab page that scrolls when the dock is too small, instead of squeezing the grids."""
    area = QScrollArea(parent)
    area.setWidget(page)
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    return area
