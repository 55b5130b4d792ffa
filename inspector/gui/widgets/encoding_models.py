"""The table models behind the Encoding panel: one encoding as aligned columns and its
overflow windows — plus the colours and overflow helpers they share with the Batch tab
(:mod:`inspector.gui.widgets.batch_page`)."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QBrush, QColor, QFont, QImage, QPalette
from PySide6.QtWidgets import (
    QWidget,
)

from inspector.core.display import visible
from inspector.core.display_strings import DisplayStrings
from inspector.core.encoding import EncodingResult, TokenColumns
from inspector.core.glossary import load_glossary
from inspector.core.palette import is_dark
from inspector.core.result_diff import unchanged_tokens
from inspector.gui.i18n import current_language, translate_explanation
from inspector.gui.widgets.model_updates import update_in_place

MAX_COLUMNS = 512
"""Positions drawn per grid; longer results show a note "first 512 of N tokens"."""
MAX_WINDOWS = 200
"""Overflow windows listed at most."""
MAX_BATCH_ROWS = 1000
"""Texts drawn in the batch matrices at most."""
WIDTH_SAMPLE = 8
"""Overflow windows measured for column widths; wider cells of later windows are elided."""

Index = QModelIndex | QPersistentModelIndex  # the model index types Qt passes
CENTER = int(Qt.AlignmentFlag.AlignCenter)
DISPLAY = int(Qt.ItemDataRole.DisplayRole)
TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
FOREGROUND = int(Qt.ItemDataRole.ForegroundRole)
BACKGROUND = int(Qt.ItemDataRole.BackgroundRole)
FONT = int(Qt.ItemDataRole.FontRole)
ALIGN = int(Qt.ItemDataRole.TextAlignmentRole)

CONTEXT = "EncodingModels"  # translation context of the strings below
ROW_TIPS: dict[str, str] = {
    "token": QT_TRANSLATE_NOOP(
        "EncodingModels", "the token as shown: whitespace made visible, byte-level pieces decoded"
    ),
    "id": QT_TRANSLATE_NOOP("EncodingModels", "input_ids: the token's number in the vocabulary"),
    "attention_mask": QT_TRANSLATE_NOOP(
        "EncodingModels", "attention_mask: 1 = the model attends to this token, 0 = padding"
    ),
    "token_type_ids": QT_TRANSLATE_NOOP(
        "EncodingModels", "token_type_ids (segment ids): 0 for the text, 1 for the pair text"
    ),
    "position_ids": QT_TRANSLATE_NOOP(
        "EncodingModels",
        "position_ids: each token's position, 0 … n−1, as the model gets them. The tokenizer "
        "does not return them: BERT, GPT-2, Llama and most models number the positions "
        "themselves (arange) unless position_ids are passed; padding counts too. With left "
        "padding, generate() counts from the first real token instead.",
    ),
    "sequence": QT_TRANSLATE_NOOP(
        "EncodingModels", "sequence id: 0 = text, 1 = pair text, – = added by the tokenizer"
    ),
    "special": QT_TRANSLATE_NOOP(
        "EncodingModels",
        "✓ = added by the tokenizer (CLS, SEP, BOS, padding…), not part of your text",
    ),
}
GLOSSARY_ENTRIES: dict[str, str] = {  # a row or matrix name → its Help → Glossary entry
    "id": "input-ids",
    "input_ids": "input-ids",
    "attention_mask": "attention-mask",
    "token_type_ids": "token-type-ids",
    "position_ids": "position-ids",
    "special": "special-tokens",
}


def glossary_hint(name: str) -> str:
    """ "Help → Glossary: <term>" for a row or matrix name that has an entry, else ""."""
    entry_id = GLOSSARY_ENTRIES.get(name)
    entry = load_glossary(current_language()).entry(entry_id) if entry_id else None
    if entry is None:
        return ""
    hint = QCoreApplication.translate("GlossaryDialog", "Help → Glossary: {term}")
    return hint.format(term=entry.term)


def row_tip(name: str) -> str:
    """The translated tooltip of a grid row, with its glossary entry."""
    tip = QCoreApplication.translate(CONTEXT, ROW_TIPS[name]) if name in ROW_TIPS else ""
    hint = glossary_hint(name)
    if hint:
        hint += QCoreApplication.translate("EncodingModels", " (double-click the row name)")
    return "\n".join(part for part in (tip, hint) if part)


# -- colours ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class Colours:
    """Cell colours, made from the widget's palette so light and dark themes both read well."""

    faded: QColor  # text of padding cells
    pad: QColor  # background of padding cells
    special: QColor  # background of special tokens
    second: QColor  # background of the pair text's tokens (sequence 1)
    overlap: QColor  # background of tokens an overflow window repeats (the stride)
    warning: QColor  # text of the message about an invalid combination
    base: QColor  # the palette's Base, under every cell

    @property
    def pad_brush(self) -> QBrush:
        """Padding cells: the padding grey hatched with thin diagonals, so that they read as
        "no text here" apart from any tint (special, pair text) at a glance."""
        line = QColor(self.faded)
        line.setAlpha(110)  # lighter than the faded text drawn over it
        return QBrush(
            _pad_texture(opaque(self.pad, self.base).rgb(), opaque(line, self.base).rgb())
        )

    @classmethod
    def from_palette(cls, palette: QPalette) -> Colours:
        active = QPalette.ColorGroup.Active  # an unfocused window's highlight is grey
        text = palette.color(active, QPalette.ColorRole.Text)
        base = palette.color(active, QPalette.ColorRole.Base)
        dark = is_dark(base.lightnessF())
        tint = 90 if dark else 50  # the tints are drawn over the base: stronger on dark
        faded = QColor(
            (text.red() * 2 + base.red() * 3) // 5,
            (text.green() * 2 + base.green() * 3) // 5,
            (text.blue() * 2 + base.blue() * 3) // 5,
        )
        pad = QColor(text)
        pad.setAlpha(28)
        special = QColor(palette.color(active, QPalette.ColorRole.Highlight))
        special.setAlpha(80 if dark else 60)
        return cls(
            faded=faded,
            pad=pad,
            special=special,
            second=QColor(230, 140, 0, tint),
            overlap=QColor(0, 150, 136, tint + 10),
            warning=QColor(255, 170, 80) if dark else QColor(190, 90, 0),
            base=base,
        )


PAD_TILE = 6  # pixels: one diagonal per tile


@lru_cache(maxsize=8)
def _pad_texture(fill: int, line: int) -> QImage:
    """A tile of the padding hatch (a QImage: needs no display, safe in a cache)."""
    image = QImage(PAD_TILE, PAD_TILE, QImage.Format.Format_RGB32)
    image.fill(QColor.fromRgb(fill))
    for step in range(PAD_TILE):  # one pixel a row, bottom-left to top-right
        image.setPixelColor(step, PAD_TILE - 1 - step, QColor.fromRgb(line))
    return image


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


def elide(text: str, limit: int) -> str:
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
# What the grid's cells show of a token (its text and tip follow from the id and span).
GRID_FIELDS = ("ids", "special", "attention_mask", "type_ids", "sequence_ids")


class TokenGridModel(QAbstractTableModel):
    """Rows = fields (token, id, attention_mask, …), columns = token positions."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.result: EncodingResult | None = None
        self.row_names: tuple[str, ...] = ()
        self.colours = Colours.from_palette(QPalette())
        self._strings: DisplayStrings | None = None  # token texts, made when a cell asks
        self._count = 0

    def set_result(self, result: EncodingResult | None, colours: Colours) -> int:
        """Show ``result``; the number of leading columns kept as they were (0: all anew).

        A result with the rows and colours of the last one updates the columns in place
        (the leading ones it shows as the last did are told apart): a reset would lay out
        the header's 512 sections again and ask each for its size, and the view repaints
        the cells in view either way."""
        names = self._row_names(result)
        same_rows = names == self.row_names and colours == self.colours
        if self.result is not None and result is not None and same_rows:
            kept = self.kept_columns(result, colours)

            def switch() -> None:
                self.result = result
                self._count = min(len(result), MAX_COLUMNS)
                self._strings = DisplayStrings(result, self._strings)

            count = min(len(result), MAX_COLUMNS)
            update_in_place(self, self._count, count, kept, switch, along_columns=True)
            return kept
        self.beginResetModel()
        self.result = result
        self.colours = colours
        self.row_names = names
        self._count = 0 if result is None else min(len(result), MAX_COLUMNS)
        # Kept across results of one tokenizer (typing); a string is made when shown.
        self._strings = None if result is None else DisplayStrings(result, self._strings)
        self.endResetModel()
        return 0

    @staticmethod
    def _row_names(result: EncodingResult | None) -> tuple[str, ...]:
        if result is None:
            return ()
        names = ["token", "id", "attention_mask"]
        if result.tokenizer.uses_token_type_ids:
            names.append("token_type_ids")
        names.append("position_ids")
        if result.pair is not None:
            names.append("sequence")
        names.append("special")
        return tuple(names)

    def kept_columns(self, result: EncodingResult | None, colours: Colours) -> int:
        """The leading columns that ``result`` shows as the last one did (same rows, colours
        and cells): set_result tells them apart from the rest, so that the view repaints only
        what changed in view (typing). 0 when all are new."""
        old = self.result
        if old is None or result is None or colours != self.colours:
            return 0
        if self._row_names(result) != self.row_names:
            return 0
        return min(unchanged_tokens(old, result, GRID_FIELDS, shown=MAX_COLUMNS), self._count)

    def display(self, column: int) -> str:
        """The token's display string at position ``column`` (< columnCount)."""
        assert self._strings is not None
        return self._strings.display(column)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.row_names)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._count

    def cell_text(self, row: str, column: int) -> str:
        result = self.result
        assert result is not None
        cols = result.columns
        if row == "token":
            return self.display(column)
        if row == "id":
            return str(int(cols.ids[column]))
        if row == "attention_mask":
            return str(int(cols.attention_mask[column]))
        if row == "token_type_ids":
            return str(int(cols.type_ids[column]))
        if row == "position_ids":
            return str(column)  # arange(n): what the model uses when it is given none
        if row == "sequence":
            sequence = int(cols.sequence_ids[column])
            return "–" if sequence < 0 else str(sequence)
        return "✓" if cols.special[column] else ""

    def row_texts(self, row: str) -> list[str]:
        return [self.cell_text(row, c) for c in range(self._count)]

    def data(self, index: Index, role: int = DISPLAY) -> Any:
        result = self.result
        if result is None or not index.isValid():
            return None
        row, column = self.row_names[index.row()], index.column()
        cols = result.columns
        if role == DISPLAY:
            return self.cell_text(row, column)
        if role == ALIGN:
            return CENTER
        padding = not cols.attention_mask[column]
        if role == FOREGROUND:
            return QBrush(self.colours.faded) if padding else None
        if role == BACKGROUND:
            if padding:
                return self.colours.pad_brush
            if cols.special[column]:
                return QBrush(self.colours.special)
            if cols.sequence_ids[column] == 1:
                return QBrush(self.colours.second)
            return None
        if role == FONT and row == "token" and cols.special[column]:
            return italic()
        if role == TOOLTIP:
            return token_tip(result, column, result.columns)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = DISPLAY) -> Any:
        if orientation == Qt.Orientation.Horizontal:
            if role == DISPLAY:
                return str(section)
            if role == TOOLTIP:
                return self.tr("position {0}").format(section)
            return None
        if role == DISPLAY:
            name = self.row_names[section]  # the library's field names stay as they are
            words = {
                "token": self.tr("token"),
                "sequence": self.tr("sequence"),
                "special": self.tr("special"),
            }
            return words.get(name, name)
        if role == TOOLTIP:
            return row_tip(self.row_names[section]) or None
        return None


def token_tip(result: EncodingResult, index: int, columns: TokenColumns) -> str:
    """A token's tooltip: display, id, raw string, where it comes from, what it is."""
    view = result.token(index, columns=columns, translate=translate_explanation)
    head = QCoreApplication.translate("EncodingModels", "{display}  (id {id}, raw {raw})").format(
        display=view.display, id=view.id, raw=repr(view.token)
    )
    lines = [head]
    if not view.special:
        if view.sequence_id == 1 and result.pair is not None:
            where = QCoreApplication.translate(
                "EncodingModels", "characters {0}–{1} of the pair text"
            )
        elif result.pair is not None:
            where = QCoreApplication.translate("EncodingModels", "characters {0}–{1} of the text")
        else:
            where = QCoreApplication.translate("EncodingModels", "characters {0}–{1}")
        lines.append(where.format(view.start, view.end))
    lines.append(view.explanation)
    return "\n".join(lines)


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

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 2 * len(self.windows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() or not self.windows else 1 + self._width

    def display(self, window: int, position: int) -> str:
        assert self._strings is not None
        return self._strings.display(position, self.windows[window])

    def span_text(self, window: int) -> str:
        spans = self.spans[window]
        if not spans:
            return self.tr("no text")
        paired = self.result is not None and self.result.pair is not None
        names = {0: self.tr("text {0}–{1}"), 1: self.tr("pair {0}–{1}")} if paired else {}
        lines = [names.get(s, "{0}–{1}").format(a, b) for s, (a, b) in sorted(spans.items())]
        return "\n".join(lines)

    def span_tip(self, window: int) -> str:
        result = self.result
        assert result is not None
        parts = []
        for sequence, (start, end) in sorted(self.spans[window].items()):
            if sequence == 1:
                line = self.tr("pair text characters {0}–{1}: “{2}”")
            else:
                line = self.tr("text characters {0}–{1}: “{2}”")
            piece = elide(result.sequence_text(sequence)[start:end], 160)
            snippet = "".join(" " if char == " " else visible(char) for char in piece)
            parts.append(line.format(start, end, snippet))
        return "\n".join(parts) or self.tr("this window holds no text tokens")

    def data(self, index: Index, role: int = DISPLAY) -> Any:
        if self.result is None or not index.isValid():
            return None
        window, kind = divmod(index.row(), 2)
        column = index.column()
        if column == 0:
            if role == DISPLAY:
                return self.span_text(window) if kind == 0 else None
            if role == TOOLTIP:
                return self.span_tip(window)
            if role == ALIGN:
                return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
            return None
        cols = self.windows[window]
        position = column - 1
        if position >= len(cols):
            return None
        if role == DISPLAY:
            return self.display(window, position) if kind == 0 else str(int(cols.ids[position]))
        if role == ALIGN:
            return CENTER
        if role == BACKGROUND:
            if not cols.attention_mask[position]:
                return self.colours.pad_brush
            if cols.special[position]:
                return QBrush(self.colours.special)
            if self.overlaps[window][position]:
                return QBrush(self.colours.overlap)
            return None
        if role == FOREGROUND:
            return None if cols.attention_mask[position] else QBrush(self.colours.faded)
        if role == FONT and kind == 0 and cols.special[position]:
            return italic()
        if role == TOOLTIP:
            tip = token_tip(self.result, position, cols)
            if self.overlaps[window][position]:
                tip += "\n" + self.tr("repeated from the previous window (stride)")
            return tip
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = DISPLAY) -> Any:
        if role != DISPLAY:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self.tr("span") if section == 0 else str(section - 1)
        window, kind = divmod(section, 2)
        if kind == 1:
            return "id"
        return (
            self.tr("main · token") if window == 0 else self.tr("window {0} · token").format(window)
        )
