"""Tools → Decode ids: paste ``[7993, 170, 11303]`` and see tokens and text in this tokenizer.

Decodes as you type (parsing and decoding a pasted list is quick); the window passes its
current tokenizer in, and :meth:`DecodeIdsDialog.set_tokenizer` follows a change.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from inspector.core.decode_ids import DecodedIds, IdsInputError, decode_text
from inspector.core.tokenizer import LoadedTokenizer
from inspector.gui.i18n import Retranslatable

COLUMNS = 5


def _visible(text: str) -> str:
    """Whitespace made visible in a cell (a lone space or newline would look empty)."""
    return text.replace(" ", "␣").replace("\n", "⏎").replace("\t", "⇥")


class DecodeIdsDialog(Retranslatable, QDialog):
    decoded = Signal()  # after every decode attempt (result or message shown)

    def __init__(self, tokenizer: LoadedTokenizer, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("decodeIdsDialog")
        self.resize(760, 560)
        self.tokenizer = tokenizer
        self.decoded_ids: DecodedIds | None = None
        self.error: IdsInputError | None = None
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.input = QPlainTextEdit()
        self.input.setMaximumHeight(64)
        self.input.textChanged.connect(self.decode)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setObjectName("decodeIdsMessage")
        mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        self.joined = QLineEdit()
        self.joined_skipping = QLineEdit()
        for field in (self.joined, self.joined_skipping):
            field.setReadOnly(True)
            field.setFont(mono)
        self.unknown = QLabel()
        self.unknown.setWordWrap(True)
        self.table = QTableWidget(0, COLUMNS)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        for narrow in (0, COLUMNS - 1):  # id and "special" need little room
            header.setSectionResizeMode(narrow, QHeaderView.ResizeMode.ResizeToContents)
        self.table.setFont(mono)
        self.form = QFormLayout()
        self.joined_label = QLabel()
        self.skipping_label = QLabel()
        self.form.addRow(self.joined_label, self.joined)
        self.form.addRow(self.skipping_label, self.joined_skipping)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.input)
        layout.addWidget(self.message)
        layout.addLayout(self.form)
        layout.addWidget(self.unknown)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        self.retranslate()

    def set_tokenizer(self, tokenizer: LoadedTokenizer) -> None:
        self.tokenizer = tokenizer
        self.retranslate()

    def set_ids_text(self, text: str) -> None:
        self.input.setPlainText(text)

    # -- language -----------------------------------------------------------------------
    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Decode ids"))
        self.intro.setText(
            self.tr(
                "Paste ids from a tutorial or a model's output, as a list ([101, 7592, 102]) "
                "or separated by spaces or commas. They are decoded by {tokenizer}."
            ).format(tokenizer=self.tokenizer.facts.id)
        )
        self.input.setPlaceholderText("[101, 7592, 102]")
        self.joined_label.setText(self.tr("decode(ids)"))
        self.skipping_label.setText(self.tr("decode(ids, skip_special_tokens=True)"))
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("id"),
                self.tr("token"),
                self.tr("decode([id])"),
                self.tr("skipping special tokens"),
                self.tr("special"),
            ]
        )
        self.decode()

    # -- decoding -----------------------------------------------------------------------
    def decode(self) -> None:
        pasted = self.input.toPlainText()
        self.decoded_ids, self.error = None, None
        if pasted.strip():
            try:
                self.decoded_ids = decode_text(self.tokenizer, pasted)
            except IdsInputError as err:
                self.error = err
        self._show()
        self.decoded.emit()

    def _message(self) -> str:
        if self.error is not None:
            if self.error.kind == "unexpected":
                return self.tr(
                    "Not a list of ids: unexpected “{snippet}” at character {position}. "
                    "Paste numbers like [101, 7592, 102] or 101 7592 102."
                ).format(snippet=self.error.snippet, position=self.error.position)
            if self.error.kind == "brackets":
                return self.tr("Not a list of ids: the brackets do not match.")
            return self.tr("No ids: paste numbers like [101, 7592, 102] or 101 7592 102.")
        if self.decoded_ids is None:
            return ""
        shown, total = len(self.decoded_ids.rows), len(self.decoded_ids.ids)
        if self.decoded_ids.rows_cut:
            return self.tr("{total} ids; the table shows the first {shown}.").format(
                total=total, shown=shown
            )
        return self.tr("{total} ids.").format(total=total)

    def _show(self) -> None:
        result = self.decoded_ids
        self.message.setText(self._message())
        self.joined.setText("" if result is None else result.text)
        self.joined_skipping.setText("" if result is None else result.text_skipping_special)
        if result is not None and result.unknown:
            listed = ", ".join(str(token_id) for token_id in result.unknown)
            self.unknown.setText(
                self.tr(
                    "Not in this tokenizer's vocabulary (left out of the decode): {ids}"
                ).format(ids=listed)
            )
            self.unknown.show()
        else:
            self.unknown.clear()
            self.unknown.hide()
        rows = () if result is None else result.rows
        self.table.setRowCount(len(rows))
        unknown_text = self.tr("unknown id")
        yes = self.tr("yes")
        for row, item in enumerate(rows):
            cells = (
                str(item.id),
                item.token if item.token is not None else unknown_text,
                _visible(item.text),
                _visible(item.text_skipping_special),
                yes if item.special else "",
            )
            for column, text in enumerate(cells):
                cell = QTableWidgetItem(text)
                if not item.known:
                    font = QFont(cell.font())
                    font.setItalic(True)
                    cell.setFont(font)
                self.table.setItem(row, column, cell)
