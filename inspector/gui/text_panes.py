"""The text panes: the text (and the pair text) the user types, given to the session state.

A short text goes to the state at once on each edit; a long one is read in slices (see
:class:`DocumentReader`) after a short pause, so typing stays fluid. The panes light up the
characters of the hovered or selected token, and a text selection highlights the tokens
that cover it. A pane stops wrapping lines while one is longer than ``LONG_LINE`` characters
(Qt's wrapping of a 1,000,000-character line holds the GUI thread for about 20 s) and says so.
They keep the session's text (autosave) unless told not to (``--screenshot``
and tests never write the user's session).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PySide6.QtCore import QLocale, QMimeData, Qt, Signal, Slot
from PySide6.QtGui import QColor, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import (
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)
from superqt.utils import qdebounced

from inspector.core.cancel import CancelToken
from inspector.core.encoding import EncodingResult
from inspector.core.errors import InputError
from inspector.core.textinput import UndecodableTextError, read_text_file
from inspector.gui import session
from inspector.gui.document_text import (
    DocumentReader,
    bad_bytes,
    exact_text,
    longest_line,
    text_pieces,
)
from inspector.gui.state import PAIR_MODES, InspectorState

LARGE_TEXT = 50_000  # characters: above this, typing waits a little before re-encoding
LARGE_TEXT_PAUSE_MS = 250
AUTOSAVE_PAUSE_MS = 800
HOVER_COLOUR = "#ffe08a"
SELECTED_COLOUR = "#ffd24d"
MAX_MARKED = 2000  # tokens lit up at once in the text pane
LONG_LINE = 10_000  # characters in one line: above this a pane does not wrap lines


def utf16_offsets(text: str) -> np.ndarray:
    """Qt positions count UTF-16 units; Python indices count code points. out[i] = Qt pos of i."""
    points = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    out = np.zeros(len(points) + 1, dtype=np.int64)
    np.cumsum(1 + (points >= 0x10000), out=out[1:])
    return out


SAVE_CHANNEL = "autosave-"  # + "text" / "pair": one channel per file, the latest wins


def _save_job(
    store: session.SessionText, name: str, text: str | list[str], *, cancel: CancelToken
) -> None:
    """Write one pane's text on a worker; a newer save of it (which cancels this one) that
    comes while this one waits for the lock is the one that is written (it writes last)."""
    pieces = text if isinstance(text, str) else text_pieces(text)
    with store.lock:
        if not cancel.cancelled:
            store.save(name, pieces)


class TextEdit(QPlainTextEdit):
    """A plain text pane that stops wrapping lines before a very long line comes in.

    Qt lays a changed line out as soon as it changes, before any signal: the check has to
    come first, so a paste or a drop is looked at before it is inserted, and a text set by
    the program goes through :meth:`fit_wrap` before ``setPlainText``.
    """

    wrap_changed = Signal(bool)  # True: lines are not wrapped (a long line is in the text)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.long_lines = False

    def fit_wrap(self, longest: int) -> None:
        """No wrapping while the longest line is over ``LONG_LINE``; wrapping back after."""
        long_lines = longest > LONG_LINE
        if long_lines == self.long_lines:
            return
        self.long_lines = long_lines
        self.setLineWrapMode(
            QPlainTextEdit.LineWrapMode.NoWrap
            if long_lines
            else QPlainTextEdit.LineWrapMode.WidgetWidth
        )
        self.wrap_changed.emit(long_lines)

    def insertFromMimeData(self, source: QMimeData) -> None:
        if source.hasText() and not self.long_lines:
            text = source.text()
            if len(text) > LONG_LINE // 2:  # with the line it lands in, it may be too long
                self.fit_wrap(longest_line(text) + self.textCursor().block().length())
        super().insertFromMimeData(source)


class FileNotice(QFrame):
    """A line above the text about the file just opened, with an optional action button."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.label = QLabel(wordWrap=True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.action = QPushButton()
        self.dismiss = QPushButton(self.tr("Dismiss"))
        self.dismiss.clicked.connect(self.hide)
        row = QHBoxLayout(self)
        row.setContentsMargins(6, 4, 6, 4)
        row.addWidget(self.label, 1)
        row.addWidget(self.action)
        row.addWidget(self.dismiss)
        self.hide()

    def say(self, text: str, action: str | None = None) -> None:
        self.label.setText(text)
        self.action.setText(action or "")
        self.action.setVisible(action is not None)
        self.show()


class TextPanes(QSplitter):
    """``tokens_highlighted`` brings the tokens covering the text selection (empty: none)."""

    tokens_highlighted = Signal(object)  # np.ndarray of token indices
    problem = Signal(str)  # a file that cannot be opened as it is, in plain words

    def __init__(
        self,
        state: InspectorState,
        store: session.SessionText | None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(Qt.Orientation.Horizontal, parent)
        self.state = state
        self.store = store  # None: never write the session (screenshots, tests)
        self.text_edit = TextEdit()
        self.text_edit.setPlaceholderText(self.tr("Type or paste text here, or drop a text file…"))
        self.pair_edit = TextEdit()
        self.pair_edit.setPlaceholderText(self.tr("Second text of the pair"))
        self.pair_edit.setVisible(state.mode in PAIR_MODES)  # batch: one pair per line
        self.long_line_note = QLabel(
            self.tr(
                "A line is longer than {0} characters: lines are not wrapped while it is "
                "(wrapping it would freeze the window)."
            ).format(QLocale().toString(LONG_LINE))
        )
        self.long_line_note.setWordWrap(True)
        self.long_line_note.setVisible(False)
        # A file that is not valid UTF-8: offered with U+FFFD in place of the bad bytes.
        self.file_notice = FileNotice()
        self.file_notice.action.clicked.connect(self._open_with_replacement)
        self._undecodable: tuple[Path, int] | None = None  # (file, its bad bytes) offered
        box = QWidget()
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addWidget(self.file_notice)
        column.addWidget(self.long_line_note)
        column.addWidget(self.text_edit)
        self.addWidget(box)
        self.addWidget(self.pair_edit)
        self.text_edit.wrap_changed.connect(self._on_wrap_changed)
        self.pair_edit.wrap_changed.connect(self._on_wrap_changed)
        self._utf16_of: np.ndarray | None = None  # Qt positions of the result's text, lazily
        self.reader = DocumentReader(self.text_edit.document(), self)
        self.reader.finished.connect(self._on_text_read)
        self._read_later = qdebounced(self._read_large_text, LARGE_TEXT_PAUSE_MS, parent=self)
        # Saving: what changed since the last save, written on a worker after a pause; a long
        # text is saved from what the reader read (the document is never read for a save).
        self._unsaved: dict[str, str | list[str]] = {}  # pane ("text"/"pair") → its text
        self._saving: dict[str, str | list[str]] = {}  # given to a worker, not written yet
        self._text_unread = False  # a long text changed and the reader has not read it yet
        self._autosave = qdebounced(self._save_later, AUTOSAVE_PAUSE_MS, parent=self)

        self.text_edit.textChanged.connect(self._on_text_changed)
        self.text_edit.selectionChanged.connect(self._on_text_selection)
        self.pair_edit.textChanged.connect(self._on_pair_changed)
        state.settings_changed.connect(self._on_settings_changed)
        state.result_changed.connect(self._on_result)
        state.token_hovered.connect(self._on_token_hovered)
        state.token_selected.connect(self._on_token_selected)

    # -- text in ----------------------------------------------------------------------
    def set_texts(self, text: str, pair: str) -> None:
        self.text_edit.fit_wrap(longest_line(text))  # before Qt lays the lines out
        self.text_edit.setPlainText(text)
        self.pair_edit.fit_wrap(longest_line(pair))
        self.pair_edit.setPlainText(pair)

    @property
    def wraps_lines(self) -> bool:
        """False while a pane holds a line too long to wrap (the note says so)."""
        return not (self.text_edit.long_lines or self.pair_edit.long_lines)

    @Slot()
    def _on_wrap_changed(self) -> None:
        self.long_line_note.setVisible(not self.wraps_lines)

    def open_file(self) -> None:
        """File → Open text file…"""
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Open text file"))
        if path:
            self.open_text_file(Path(path))

    def open_text_file(self, path: Path) -> None:
        self.file_notice.hide()
        self._undecodable = None
        try:
            text = read_text_file(path)
        except UndecodableTextError as err:
            self._offer_replacement(path, err.encoding)
            return
        except InputError as err:
            self.problem.emit(str(err))
            return
        self._show_file_text(path, text)

    def _offer_replacement(self, path: Path, encoding: str) -> None:
        try:
            count, first = bad_bytes(path.read_bytes(), encoding)
        except OSError as err:
            self.problem.emit(self.tr("Cannot read {0}: {1}").format(path, err.strerror or err))
            return
        label = encoding.upper().removesuffix("-SIG")
        locale = QLocale()
        if encoding == "utf-8":
            message = self.tr(
                "{name} is not valid UTF-8: {count} bytes cannot be read as text, the first "
                "at byte {offset}. It may be in another encoding (Latin-1, Windows-1252, GBK…)."
            ).format(name=path.name, count=locale.toString(count), offset=locale.toString(first))
        else:
            message = self.tr(
                "{name} starts with a {encoding} byte order mark but {count} of its bytes are "
                "not valid {encoding}."
            ).format(name=path.name, encoding=label, count=locale.toString(count))
        self._undecodable = (path, count)
        self.file_notice.say(message, self.tr("Open with replacement characters"))

    @Slot()
    def _open_with_replacement(self) -> None:
        if self._undecodable is None:
            return
        path, count = self._undecodable
        self._undecodable = None
        try:
            text = read_text_file(path, "replace")
        except InputError as err:
            self.file_notice.hide()
            self.problem.emit(str(err))
            return
        self.file_notice.say(
            self.tr(
                "{name} is open with {count} bytes replaced by U+FFFD (�): the tokens are "
                "those of this text, not of the file's bytes."
            ).format(name=path.name, count=QLocale().toString(count))
        )
        self._show_file_text(path, text)

    def _show_file_text(self, path: Path, text: str) -> None:
        changed = [
            name
            for mark, name in (
                ("\r", self.tr("CR/CRLF line ends")),
                ("\u2029", self.tr("U+2029 paragraph separators")),
            )
            if mark in text
        ]
        if changed:
            # The editor has one line break (a paragraph separator inside Qt's document, read
            # back as LF): these read back as LF, so the tokens would not be the file's own.
            self.problem.emit(
                self.tr(
                    "{0}: the editor shows {1} as LF; use the command line for a byte-exact "
                    "report of this file (U+2028 line separators are kept as they are)"
                ).format(path.name, self.tr(" and ").join(changed))
            )
        self.text_edit.fit_wrap(longest_line(text))
        self.text_edit.setPlainText(text)

    def text_is_large(self) -> bool:
        return self.text_edit.document().characterCount() >= LARGE_TEXT

    @Slot()
    def _on_text_changed(self) -> None:
        if self.text_is_large():  # saved when the reader has it (no second copy)
            self._unsaved.pop("text", None)  # its short text before this edit is moot
            self._text_unread = True
            self.reader.cancel()
            self.state.text_changing()
            self._read_later()
            return
        self._read_later.cancel()
        self.reader.cancel()
        text = exact_text(self.text_edit.document())
        self._text_unread = False
        self._keep("text", text)
        self.text_edit.fit_wrap(longest_line(text))
        self.state.set_text(text)

    @Slot()
    def _read_large_text(self) -> None:
        self.reader.read()  # → _on_text_read, a few ms per turn of the event loop

    @Slot(object)
    def _on_text_read(self, lines: list[str]) -> None:
        self._text_unread = False
        self._keep("text", lines)
        self.text_edit.fit_wrap(longest_line(lines))
        self.state.set_text(lines)

    @Slot()
    def _on_pair_changed(self) -> None:
        pair = exact_text(self.pair_edit.document())
        self._keep("pair", pair)
        self.pair_edit.fit_wrap(longest_line(pair))
        self.state.set_pair(pair)

    @Slot()
    def _on_settings_changed(self) -> None:
        self.pair_edit.setVisible(self.state.mode in PAIR_MODES)  # batch: one pair per line
        batch = self.state.mode == "batch"  # batch: say how its lines pair
        self.pair_edit.setPlaceholderText(
            self.tr("Pair texts, one per line (optional)")
            if batch
            else self.tr("Second text of the pair")
        )

    def _keep(self, name: str, text: str | list[str]) -> None:
        """A pane's new text, to be saved after the pause (never when persist is off)."""
        if self.store is not None:
            self._unsaved[name] = text
            self._autosave()

    @Slot()
    def _save_later(self) -> None:
        """After the pause: write what changed since the last save, each on a worker."""
        store = self.store
        while store is not None and self._unsaved:
            name, text = self._unsaved.popitem()
            self._saving[name] = text
            self.state.runner.submit(
                SAVE_CHANNEL + name,
                _save_job,
                store,
                name,
                text,
                done=lambda _none, name=name: self._saving.pop(name, None),  # latest only
            )

    def save_session(self) -> None:
        """Quitting: write now, on this thread, what is not written yet (nothing if nothing
        changed since the last save); a save queued or running on a worker is cancelled
        and its text written here (after it, if it is already writing)."""
        store = self.store
        if store is None:
            return
        if self._text_unread:
            self._unsaved["text"] = exact_text(self.text_edit.document())
            self._text_unread = False
        unwritten = {**self._saving, **self._unsaved}
        self._saving.clear()
        self._unsaved.clear()
        for name in unwritten:
            self.state.runner.cancel(SAVE_CHANNEL + name)
        with store.lock:
            for name, text in unwritten.items():
                store.save(name, text if isinstance(text, str) else text_pieces(text))

    def stop(self) -> None:
        """Quitting: no more reads or saves from timers."""
        self._read_later.cancel()
        self._autosave.cancel()
        self.reader.cancel()

    # -- tokens shown in the text -------------------------------------------------------
    @Slot(object)
    def _on_result(self, result: EncodingResult | None) -> None:
        self._utf16_of = None  # worked out when first needed: 5 MB takes tens of ms

    @property
    def _utf16(self) -> np.ndarray:
        if self._utf16_of is None:
            result = self.state.result
            text = result.text if result is not None else ""
            self._utf16_of = utf16_offsets(text)
        return self._utf16_of

    def _line_start(self) -> int:
        """Batch mode: the Qt position where the shown text's line starts (else 0)."""
        return self.text_edit.document().findBlockByNumber(self.state.batch_line).position()

    def _mark(self, indices: np.ndarray, colour: str) -> None:
        """Light up the characters of the given tokens in the text pane."""
        result = self.state.result
        selections: list[QTextEdit.ExtraSelection] = []
        if result is not None:
            fmt = QTextCharFormat()
            fmt.setBackground(QColor(colour))
            fmt.setForeground(QColor("#1a1a1a"))  # readable on the light mark in dark themes
            cols = result.columns
            last = len(self._utf16) - 1
            line = self._line_start()  # batch: the shown text is one line of the pane
            for index in indices[:MAX_MARKED]:
                if cols.sequence_ids[index] != 0:
                    continue
                start, end = int(cols.char_start[index]), int(cols.char_end[index])
                if end <= start:
                    continue
                selection = QTextEdit.ExtraSelection()
                cursor = QTextCursor(self.text_edit.document())
                cursor.setPosition(line + int(self._utf16[min(start, last)]))
                cursor.setPosition(
                    line + int(self._utf16[min(end, last)]), QTextCursor.MoveMode.KeepAnchor
                )
                selection.cursor = cursor
                selection.format = fmt
                selections.append(selection)
        self.text_edit.setExtraSelections(selections)

    @Slot(int)
    def _on_token_hovered(self, index: int) -> None:
        indices = np.array([index] if index >= 0 else [], dtype=np.int64)
        self._mark(indices, HOVER_COLOUR)

    @Slot(int)
    def _on_token_selected(self, index: int) -> None:
        self._mark(np.array([index], dtype=np.int64), SELECTED_COLOUR)

    @Slot()
    def _on_text_selection(self) -> None:
        result = self.state.result
        if result is None:
            return
        cursor = self.text_edit.textCursor()
        if not cursor.hasSelection():
            self.tokens_highlighted.emit(np.zeros(0, dtype=np.int64))
            return
        # Qt positions (UTF-16) → Python character indices.
        line = self._line_start()  # batch: the shown text is one line of the pane
        start = int(np.searchsorted(self._utf16, cursor.selectionStart() - line, side="right") - 1)
        end = int(np.searchsorted(self._utf16, cursor.selectionEnd() - line, side="left"))
        self.tokens_highlighted.emit(result.tokens_at(start, end, 0))
