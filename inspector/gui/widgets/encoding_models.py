"""The table models behind the Encoding panel: one encoding as aligned columns, its overflow
windows, and a batch as a matrix — plus the colours and overflow helpers they share."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

import numpy as np
from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QBrush, QColor, QFont, QPalette
from PySide6.QtWidgets import (
    QWidget,
)

from inspector.core.display import visible
from inspector.core.display_strings import DisplayStrings
from inspector.core.encoding import BatchResult, EncodingResult, TokenColumns

MAX_COLUMNS = 512
"""Positions drawn per grid; longer results show a note "first 512 of N tokens"."""
MAX_WINDOWS = 200
"""Overflow windows listed at most."""
MAX_BATCH_ROWS = 1000
"""Texts drawn in the batch matrices at most."""
WIDTH_SAMPLE = 8
"""Overflow windows measured for column widths; wider cells of later windows are elided."""

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


def opaque(colour: QColor, base: QColor) -> QColor:
    """``colour`` (with alpha) painted over ``base``: rich-text labels want opaque colours."""
    alpha = colour.alphaF()
    return QColor(
        round(colour.red() * alpha + base.red() * (1 - alpha)),
        round(colour.green() * alpha + base.green() * (1 - alpha)),
        round(colour.blue() * alpha + base.blue() * (1 - alpha)),
    )


def italic(font: QFont | None = None) -> QFont:
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
            self._display = DisplayStrings(result).displays(range(self._count))
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
            return italic()
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
        self._strings: DisplayStrings | None = None

    def set_result(self, result: EncodingResult | None, colours: Colours) -> None:
        self.beginResetModel()
        self.result = result
        self.colours = colours
        self._strings = DisplayStrings(result) if result is not None else None
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
        assert self._strings is not None
        return self._strings.display(position, self.windows[window])

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
            return italic()
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
        self._strings: dict[int, DisplayStrings] = {}  # per text, made when first shown

    def set_batch(self, batch: BatchResult | None, colours: Colours) -> None:
        self.beginResetModel()
        self.batch = batch
        self.colours = colours
        self._strings = {}
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
        strings = self._strings.get(row)
        if strings is None:  # one tokenizer for the batch: the texts share one cache
            previous = next(iter(self._strings.values()), None)
            strings = self._strings[row] = DisplayStrings(self.batch.results[row], previous)
        return strings.display(column)

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


