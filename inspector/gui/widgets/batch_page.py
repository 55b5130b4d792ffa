"""The Encoding panel's Batch tab: the padded matrices of a batch (of texts, or of pairs) as
transformers returns them — ``input_ids``, ``token_type_ids`` (tokenizers that have them) and
``attention_mask`` — one row per text, one column per position, aligned and scrolled together.

Padding cells are faded on a grey ground, special tokens tinted like the token grid, the pair
text's tokens orange; a ragged row (padding off) has empty cells past its end. The row of the
text the strip shows is marked; clicking a row's name shows that text. *Copy as JSON* copies
the dict ``tokenizer(texts, pairs, …)`` returns, made by the same builder as the matrices
(:func:`inspector.core.batch.batch_tensors`).
"""

from __future__ import annotations

import json
from typing import Any

import numpy as np
from PySide6.QtCore import (
    QAbstractTableModel,
    QEvent,
    QModelIndex,
    Qt,
    Signal,
    Slot,
)
from PySide6.QtGui import QBrush, QFont, QGuiApplication, QPalette
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from inspector.core.batch import NO_TOKEN, BatchMatrices, BatchResult, batch_tensors
from inspector.core.display_strings import DisplayStrings
from inspector.gui.glossary_dialog import open_glossary_link
from inspector.gui.i18n import Retranslatable, translate_explanation
from inspector.gui.widgets.encoding_models import (
    ALIGN,
    BACKGROUND,
    CENTER,
    DISPLAY,
    FONT,
    FOREGROUND,
    GLOSSARY_ENTRIES,
    MAX_COLUMNS,
    TOOLTIP,
    Colours,
    Index,
    elide,
    italic,
)
from inspector.gui.widgets.grid_views import (
    Measure,
    fit_height,
    grid_view,
    pad_swatch,
    set_widths,
    swatch,
)

MAX_BATCH_ROWS = 1000
"""Texts drawn in the batch matrices at most."""
MATRICES = ("input_ids", "token_type_ids", "attention_mask")  # transformers' order
MOST_ROWS_SHOWN = 16  # a matrix is as tall as its rows up to this many, then it scrolls


class BatchMatrixModel(QAbstractTableModel):
    """One matrix of a batch (``kind`` one of :data:`MATRICES`); rows = texts, columns =
    positions. ``input_ids`` can show the tokens instead of the ids."""

    def __init__(self, kind: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kind = kind
        self.batch: BatchResult | None = None
        self.block = BatchMatrices(np.zeros((0, 0), np.int64), np.zeros((0, 0), np.int8), None)
        self.show_tokens = False
        self.current_row = 0  # the text the strip shows
        self.colours = Colours.from_palette(QPalette())
        self._rows = 0
        self._columns = 0
        self._strings: dict[int, DisplayStrings] = {}  # per text, made when first shown

    def set_batch(
        self,
        batch: BatchResult | None,
        block: BatchMatrices | None,
        colours: Colours,
        current_row: int,
    ) -> None:
        """``block``: the batch's matrices as far as they are shown (rows × positions)."""
        self.beginResetModel()
        self.batch, self.colours, self.current_row = batch, colours, current_row
        self._strings = {}
        if (
            batch is None
            or block is None
            or (self.kind == "token_type_ids" and not batch.token_types)
        ):
            self._rows = self._columns = 0
        else:
            self.block = block
            self._rows, self._columns = block.input_ids.shape
        self.endResetModel()

    def set_current_row(self, row: int) -> None:
        if row != self.current_row:
            self.current_row = row
            self.headerDataChanged.emit(Qt.Orientation.Vertical, 0, max(self._rows - 1, 0))

    def set_show_tokens(self, show: bool) -> None:
        if show != self.show_tokens:
            self.beginResetModel()
            self.show_tokens = show
            self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._rows

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._columns

    def is_faded(self, row: int, column: int) -> bool:
        """A padding cell: a token is there but its attention_mask is 0."""
        block = self.block
        return bool(block.input_ids[row, column] >= 0 and block.attention_mask[row, column] == 0)

    def display(self, row: int, column: int) -> str:
        assert self.batch is not None
        strings = self._strings.get(row)
        if strings is None:  # one tokenizer for the batch: the texts share one cache
            previous = next(iter(self._strings.values()), None)
            strings = self._strings[row] = DisplayStrings(self.batch.results[row], previous)
        return strings.display(column)

    def cell_text(self, row: int, column: int) -> str:
        block = self.block
        token_id = int(block.input_ids[row, column])
        if token_id == NO_TOKEN:
            return ""
        if self.kind == "attention_mask":
            return str(int(block.attention_mask[row, column]))
        if self.kind == "token_type_ids":
            assert block.token_type_ids is not None
            return str(int(block.token_type_ids[row, column]))
        return self.display(row, column) if self.show_tokens else str(token_id)

    def data(self, index: Index, role: int = DISPLAY) -> Any:
        batch = self.batch
        if batch is None or not index.isValid():
            return None
        row, column = index.row(), index.column()
        if role == DISPLAY:
            return self.cell_text(row, column)
        if role == ALIGN:
            return CENTER
        if self.block.input_ids[row, column] == NO_TOKEN:
            if role == TOOLTIP:
                return self.tr("no token here: this text is shorter and padding is off")
            return None
        faded = self.is_faded(row, column)
        if role == FOREGROUND:
            return QBrush(self.colours.faded) if faded else None
        if role == BACKGROUND:
            return self._background(row, column, faded)
        if role == FONT and self.show_tokens and self.kind == "input_ids":
            return italic() if batch.results[row].columns.special[column] else None
        if role == TOOLTIP:
            return self._tip(row, column, faded)
        return None

    def _background(self, row: int, column: int, faded: bool) -> QBrush | None:
        if faded:
            return self.colours.pad_brush
        if self.kind == "attention_mask":
            return None  # its point is 1 against 0: no other tint
        assert self.batch is not None
        cols = self.batch.results[row].columns
        if cols.special[column]:
            return QBrush(self.colours.special)
        if cols.sequence_ids[column] == 1:
            return QBrush(self.colours.second)
        return None

    def _tip(self, row: int, column: int, faded: bool) -> str:
        assert self.batch is not None
        result = self.batch.results[row]
        view = result.token(column, translate=translate_explanation)
        if faded:
            where = self.tr("padding (attention_mask 0)")
        elif view.special:
            where = self.tr("added by the tokenizer")
        elif view.sequence_id == 1:
            where = self.tr("pair text, characters {0}–{1}").format(view.start, view.end)
        else:
            where = self.tr("text, characters {0}–{1}").format(view.start, view.end)
        head = self.tr("text {row}, position {position}: {token} (id {id})").format(
            row=row, position=column, token=view.display, id=view.id
        )
        values = f"attention_mask {view.attention_mask}"
        if self.batch.token_types:
            values = f"token_type_ids {view.type_id} · " + values
        return f"{head}\n{where}\n{values}"

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = DISPLAY) -> Any:
        batch = self.batch
        if batch is None:
            return None
        if orientation == Qt.Orientation.Horizontal:
            if role == TOOLTIP:
                return self.tr("position {0}").format(section)
            return str(section) if role == DISPLAY else None
        if not 0 <= section < len(batch.results):
            return None
        result = batch.results[section]
        current = section == self.current_row
        if role == DISPLAY:
            text = elide(" ".join(result.text.split()), 24)
            if result.pair is not None:
                text += " ‖ " + elide(" ".join(result.pair.split()), 16)
            return f"{'▸' if current else ' '} {section}  {text}"
        if role == FONT and current:
            font = QFont()
            font.setBold(True)
            return font
        if role == TOOLTIP:
            tip = self.tr("text {0}: {1}").format(section, elide(result.text, 300))
            if result.pair is not None:
                tip += "\n" + self.tr("pair text: {0}").format(elide(result.pair, 300))
            shown = (
                self.tr("the strip shows this text")
                if current
                else self.tr("click to show this text in the strip")
            )
            return f"{tip}\n{shown}"
        return None


class BatchPage(Retranslatable, QWidget):
    """The Batch tab. ``row_chosen`` is emitted when the user clicks a text's row."""

    row_chosen = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        self._built = False  # palette changes before the views exist have nothing to redo
        super().__init__(parent)
        self.batch: BatchResult | None = None
        self.block: BatchMatrices | None = None  # what the matrices show of the batch
        self.colours = Colours.from_palette(self.palette())
        self.current_row = 0
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.setSpacing(4)
        self.note = QLabel(self)
        self.note.setWordWrap(True)
        self.note.setTextFormat(Qt.TextFormat.RichText)
        self.tokens_check = QCheckBox(self)
        self.types_check = QCheckBox(self)
        self.mask_check = QCheckBox(self)
        self.copy_button = QPushButton(self)
        for check in (self.types_check, self.mask_check):
            check.setChecked(True)
        toggles = QHBoxLayout()
        for widget in (self.tokens_check, self.types_check, self.mask_check):
            toggles.addWidget(widget)
        toggles.addStretch(1)
        toggles.addWidget(self.copy_button)
        layout.addWidget(self.note)
        layout.addLayout(toggles)
        self.models: dict[str, BatchMatrixModel] = {}
        self.views: dict[str, QTableView] = {}
        self.titles: dict[str, QLabel] = {}
        bold = QFont(self.font())
        bold.setBold(True)
        for kind in MATRICES:
            title = QLabel(self)
            title.setFont(bold)
            title.setTextFormat(Qt.TextFormat.RichText)
            title.linkActivated.connect(lambda link: open_glossary_link(link, self.window()))
            model = BatchMatrixModel(kind, self)
            view = grid_view(self)
            view.setModel(model)
            view.verticalHeader().setDefaultAlignment(
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
            )
            view.verticalHeader().sectionClicked.connect(self.row_chosen)
            self.titles[kind], self.models[kind], self.views[kind] = title, model, view
            layout.addWidget(title)
            layout.addWidget(view, 1)
        layout.addStretch(0)  # takes what the views (height-capped) leave
        # One scroll position for every matrix: the same column is the same position.
        bars = [view.horizontalScrollBar() for view in self.views.values()]
        for bar in bars:
            for other in bars:
                if other is not bar:
                    bar.valueChanged.connect(other.setValue)
        self.tokens_check.toggled.connect(self._on_tokens_toggled)
        self.types_check.toggled.connect(self._show_views)
        self.mask_check.toggled.connect(self._show_views)
        self.copy_button.clicked.connect(self.copy_json)
        self.retranslate()
        self.set_batch(None)
        self._built = True

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)  # Retranslatable: a language change
        if event.type() == QEvent.Type.PaletteChange and self._built:  # a theme switch
            self.set_batch(self.batch, self.current_row)

    def retranslate(self) -> None:
        self.tokens_check.setText(self.tr("show tokens instead of ids"))
        self.types_check.setText(self.tr("token_type_ids matrix"))
        self.mask_check.setText(self.tr("attention_mask matrix"))
        self.copy_button.setText(self.tr("Copy as JSON"))
        self.copy_button.setToolTip(
            self.tr(
                "copy the matrices as tokenizer(texts, pairs, …) returns them: "
                "input_ids, token_type_ids (if any) and attention_mask"
            )
        )
        self._set_titles()
        if self.batch is not None:
            self.note.setText(self._note(self.batch))

    def _set_titles(self) -> None:
        """Each matrix's name, a link to its glossary entry, in this palette's Link colour (Qt
        colours links from the application palette when the text is set: a dark panel in a
        light application would get dark blue)."""
        link = self.palette().color(QPalette.ColorGroup.Active, QPalette.ColorRole.Link).name()
        for kind, title in self.titles.items():
            name = kind + (
                self.tr(" (as tokens)")
                if kind == "input_ids" and self.tokens_check.isChecked()
                else ""
            )
            entry = GLOSSARY_ENTRIES[kind]
            title.setText(f'<a href="glossary:{entry}" style="color:{link};">{name}</a>')
            title.setToolTip(self.tr("open the glossary at {0}").format(kind))

    # -- content ------------------------------------------------------------------------
    def set_batch(self, batch: BatchResult | None, current_row: int = 0) -> None:
        self.batch, self.current_row = batch, current_row
        self.block = None if batch is None else batch.block(MAX_BATCH_ROWS, MAX_COLUMNS)
        self.colours = Colours.from_palette(self.palette())
        for model in self.models.values():
            model.set_batch(batch, self.block, self.colours, current_row)
        self._set_titles()
        self.copy_button.setEnabled(batch is not None)
        if batch is None:
            self.note.setText("")
            return
        self.note.setText(self._note(batch))
        self._show_views()
        self._size()

    def set_current_row(self, row: int) -> None:
        self.current_row = row
        for model in self.models.values():
            model.set_current_row(row)

    def _note(self, batch: BatchResult) -> str:
        rows, width = batch.shape
        if batch.has_pairs:
            head = self.tr("{0} pairs × {1} positions").format(rows, width)
        else:
            head = self.tr("{0} texts × {1} positions").format(rows, width)
        limits = []
        if rows > MAX_BATCH_ROWS:
            limits.append(self.tr("first {0} of {1} texts").format(MAX_BATCH_ROWS, rows))
        if width > MAX_COLUMNS:
            limits.append(self.tr("first {0} of {1} positions").format(MAX_COLUMNS, width))
        if limits:
            head += self.tr(" ({0} shown)").format(", ".join(limits))
        settings = batch.results[0].settings if batch.results else None
        if batch.ragged:
            how = self.tr(
                "padding is off, so the rows are ragged (empty cells: no token) — "
                "choose padding “longest” for a rectangular tensor"
            )
        elif settings is not None and settings.padding != "none":
            # One whole sentence per side: "left"/"right" glued into a sentence stays English.
            if settings.padding_side == "left":
                how = self.tr("padded {0} on the left").format(settings.padding)
            else:
                how = self.tr("padded {0} on the right").format(settings.padding)
        else:
            how = self.tr("all texts have the same length")
        base = self.palette().color(QPalette.ColorRole.Base)
        legend = [f"{swatch(self.colours.special, base)} " + self.tr("special")]
        if batch.has_pairs:
            legend.append(f"{swatch(self.colours.second, base)} " + self.tr("pair text"))
        if batch.padded:
            legend.append(
                f"{pad_swatch(self.colours, base)} " + self.tr("padding (attention_mask 0)")
            )
        parts = [head, how, " &nbsp; ".join(legend)]
        if not batch.token_types:
            parts.append(self.tr("no token_type_ids: this tokenizer's model reads none"))
        if not batch.has_pairs:
            parts.append(self.tr("a batch of pairs: one pair text per line in the pair pane"))
        return " &nbsp;·&nbsp; ".join(parts)

    @Slot()
    def _show_views(self) -> None:
        has_types = self.batch is not None and self.batch.token_types
        self.types_check.setVisible(has_types)
        shown = {
            "input_ids": True,
            "token_type_ids": has_types and self.types_check.isChecked(),
            "attention_mask": self.mask_check.isChecked(),
        }
        for kind, visible in shown.items():
            self.titles[kind].setVisible(visible)
            self.views[kind].setVisible(visible)

    def _size(self) -> None:
        ids, block = self.models["input_ids"], self.block
        assert block is not None
        measure = Measure(self.views["input_ids"].font())
        columns, rows = ids.columnCount(), ids.rowCount()
        largest = int(block.input_ids.max()) if block.input_ids.size else 0
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
        # Every matrix gets the same widths and row-header width, so their columns line up.
        header = max(view.verticalHeader().sizeHint().width() for view in self.views.values())
        for view in self.views.values():
            set_widths(view, widths)
            view.verticalHeader().setFixedWidth(header)
            fit_height(view, rows, MOST_ROWS_SHOWN)

    @Slot(bool)
    def _on_tokens_toggled(self, checked: bool) -> None:
        self.models["input_ids"].set_show_tokens(checked)
        self._set_titles()
        if self.batch is not None:
            self._size()

    @Slot()
    def copy_json(self) -> str:
        """Copy the batch as transformers' dict of lists (one row per line); returns it."""
        if self.batch is None:
            return ""
        tensors = batch_tensors(self.batch)
        blocks = []
        for name, matrix in tensors.items():
            rows = ",\n    ".join(json.dumps(row) for row in matrix)
            blocks.append(f'  "{name}": [\n    {rows}\n  ]')
        text = "{\n" + ",\n".join(blocks) + "\n}\n"
        QGuiApplication.clipboard().setText(text)
        return text


def padding_cells(matrices: BatchMatrices) -> np.ndarray:
    """bool (texts, positions): cells that hold a padding token (attention_mask 0)."""
    return (matrices.input_ids != NO_TOKEN) & (matrices.attention_mask == 0)
