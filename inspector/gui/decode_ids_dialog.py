"""Tools → Decode ids: paste ``[7993, 170, 11303]`` and see tokens and text in this tokenizer.

Decodes as you type, on a worker of the window's job runner (channel ``decode-ids``): a
tokenizer held in another process decodes there, and a long paste is thousands of ids, so
the GUI thread only shows the answer; a newer paste or tokenizer supersedes an older answer.
The window passes its current tokenizer in, and :meth:`DecodeIdsDialog.set_tokenizer`
follows a change.
"""

from __future__ import annotations

from PySide6.QtCore import Signal, Slot
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from inspector.core.cancel import CancelToken
from inspector.core.decode_ids import DecodedIds, IdsInputError, decode_text
from inspector.core.tokenizer import LoadedTokenizer
from inspector.gui.i18n import Retranslatable
from inspector.gui.jobs import JobRunner
from inspector.gui.widgets.rows_table import RowsTable

COLUMNS = 5
DECODE_CHANNEL = "decode-ids"


def _decode_job(
    tokenizer: LoadedTokenizer, pasted: str, *, cancel: CancelToken
) -> DecodedIds | IdsInputError:
    """The decode, or why the paste is not a list of ids (an answer, not a failure)."""
    try:
        return decode_text(tokenizer, pasted)
    except IdsInputError as err:
        return err.with_traceback(None)  # its frames stay on the worker


def _visible(text: str) -> str:
    """Whitespace made visible in a cell (a lone space or newline would look empty)."""
    return text.replace(" ", "␣").replace("\n", "⏎").replace("\t", "⇥")


class DecodeIdsDialog(Retranslatable, QDialog):
    decoded = Signal()  # after every decode attempt (result or message shown)

    def __init__(
        self,
        tokenizer: LoadedTokenizer,
        parent: QWidget | None = None,
        runner: JobRunner | None = None,
    ) -> None:
        """``runner``: the window's (the dialog makes its own without one)."""
        super().__init__(parent)
        self.setObjectName("decodeIdsDialog")
        self.resize(760, 560)
        self.tokenizer = tokenizer
        self.runner = JobRunner(self, max_threads=1) if runner is None else runner
        self.decoded_ids: DecodedIds | None = None
        self.error: IdsInputError | None = None
        self.failure = ""  # a decode that failed (not the paste's fault), in the UI's language
        self.decoding = False  # a decode is under way on the runner
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
        self.table = RowsTable([""] * COLUMNS)
        self.table.setAlternatingRowColors(False)
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
        self._say_tokenizer()
        self.decode()

    def set_ids_text(self, text: str) -> None:
        self.input.setPlainText(text)

    # -- language -----------------------------------------------------------------------
    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Decode ids"))
        self._say_tokenizer()
        self.input.setPlaceholderText("[101, 7592, 102]")
        self.joined_label.setText(self.tr("decode(ids)"))
        self.skipping_label.setText(self.tr("decode(ids, skip_special_tokens=True)"))
        self.table.set_headers(
            [
                self.tr("id"),
                self.tr("token"),
                self.tr("decode([id])"),
                self.tr("skipping special tokens"),
                self.tr("special"),
            ]
        )
        self._show()  # the answer shown, in the new language

    def _say_tokenizer(self) -> None:
        self.intro.setText(
            self.tr(
                "Paste ids from a tutorial or a model's output, as a list ([101, 7592, 102]) "
                "or separated by spaces or commas. They are decoded by {tokenizer}."
            ).format(tokenizer=self.tokenizer.facts.id)
        )

    # -- decoding -----------------------------------------------------------------------
    @Slot()
    def decode(self) -> None:
        """Decode the paste on the runner; an empty paste is answered at once."""
        pasted = self.input.toPlainText()
        if not pasted.strip():
            self.runner.cancel(DECODE_CHANNEL)  # an answer to an older paste is moot
            self._answer(None)
            return
        self.decoding = True
        self.message.setText(self.tr("Decoding…"))
        self.runner.submit(
            DECODE_CHANNEL,
            _decode_job,
            self.tokenizer,
            pasted,
            done=self._answer,
            failed=self._failed,
        )

    def _answer(self, answer: DecodedIds | IdsInputError | None, failure: str = "") -> None:
        self.decoding = False
        self.error = answer if isinstance(answer, IdsInputError) else None
        self.decoded_ids = answer if isinstance(answer, DecodedIds) else None
        self.failure = failure
        self._show()
        self.decoded.emit()

    def _failed(self, message: str) -> None:
        self._answer(None, message)

    def _message(self) -> str:
        if self.decoding:
            return self.tr("Decoding…")
        if self.failure:
            return self.failure
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
        unknown_text = self.tr("unknown id")
        yes = self.tr("yes")
        self.table.set_columns(
            [
                [str(item.id) for item in rows],
                [item.token if item.token is not None else unknown_text for item in rows],
                [_visible(item.text) for item in rows],
                [_visible(item.text_skipping_special) for item in rows],
                [yes if item.special else "" for item in rows],
            ],
            italic=[not item.known for item in rows],
        )
