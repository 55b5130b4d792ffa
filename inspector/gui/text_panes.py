"""The text panes: the text (and the pair text) the user types, given to the session state.

A short text goes to the state at once on each edit; a long one is read in slices (see
:class:`DocumentReader`) after a short pause, so typing stays fluid. The panes light up the
characters of the hovered or selected token, and a text selection highlights the tokens
that cover it. A text given to a pane (session, file, example, a paste) with a line longer
than ``LONG_VIEW_LINE`` characters, or longer than ``LONG_VIEW_TEXT`` in all, is shown read-only
in a :class:`LongTextView` instead of the editor (Qt lays a block out whole: a
1,000,000-character line held the window ~0.4 s; its setPlainText of 5 MB ~0.2 s), with a
notice and "Edit anyway"; the state keeps the text the editor would have held. An editor stops
wrapping lines while one is longer than ``LONG_LINE`` characters (Qt's wrapping of a
1,000,000-character line holds the GUI thread for about 20 s) and says so. They keep the
session's text (autosave) unless told not to (``--screenshot`` and tests never write the
user's session).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
from PySide6.QtCore import QEvent, QLocale, QMimeData, QObject, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QColor, QGuiApplication, QTextCharFormat, QTextCursor
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
from inspector.core.offsets import utf16_offsets
from inspector.core.textinput import UndecodableTextError, read_text_file
from inspector.gui import session
from inspector.gui.document_text import (
    DocumentReader,
    bad_bytes,
    editor_text,
    exact_text,
    longest_line,
    text_pieces,
    text_slices,
)
from inspector.gui.i18n import Retranslatable
from inspector.gui.state import PAIR_MODES, InspectorState
from inspector.gui.widgets.long_text_view import LongTextView, TextRows

LARGE_TEXT = 50_000  # characters: above this, typing waits a little before re-encoding
LARGE_TEXT_PAUSE_MS = 250
AUTOSAVE_PAUSE_MS = 800
HOVER_COLOUR = "#ffe08a"
SELECTED_COLOUR = "#ffd24d"
MAX_MARKED = 2000  # tokens lit up at once in the text pane
LONG_LINE = 10_000  # characters in one line: above this a pane does not wrap lines
# Characters in one line: above this a text given to a pane is shown in the long view. Qt's
# layout of one unwrapped block (setPlainText and first paint, offscreen, this machine) passes
# ~10 ms at ~25,000 characters of Latin words, ~11,000 of CJK and ~5,000 of mixed scripts
# (CJK + Arabic + emoji: font fallback); 10,000 keeps ordinary text in the editor.
LONG_VIEW_LINE = 10_000
# Characters in a whole text: above this a text given to a pane is shown in the long view too.
# Qt's setPlainText costs ~30 ms a MB of mixed text (offscreen, this machine: 14 ms at 0.5 MB,
# 63 ms at 2 MB, ~200 ms at 5 MB, before its first paint).
LONG_VIEW_TEXT = 400_000
# Characters: above this the text's lines are scanned and cut into the long view's rows on a
# worker before it is shown (5 MB of mixed text: 33-99 ms of the GUI thread; 0.5 MB: ~3 ms).
ROWS_ON_WORKER = 500_000
ROWS_CHANNEL = "long-rows-"  # + "text" / "pair": the latest text given to a pane wins


SAVE_CHANNEL = "autosave-"  # + "text" / "pair": one channel per file, the latest wins


def _save_job(
    store: session.SessionText, name: str, text: str | list[str], *, cancel: CancelToken
) -> None:
    """Write one pane's text on a worker; a newer save of it (which cancels this one) that
    comes while this one waits for the lock is the one that is written (it writes last)."""
    pieces = _writable(text)
    with store.lock:
        if not cancel.cancelled:
            store.save(name, pieces)


def _writable(text: str | list[str]) -> Iterator[str]:
    """A pane's text (or a long one's lines) in pieces to write, each encoded by its own call."""
    return text_pieces(text) if isinstance(text, list) else text_slices(text)


def _long_view_rows(text: str, cells: int, *, cancel: CancelToken) -> tuple[str, TextRows]:
    """A text too long for the editor as the editor would hold it, and its rows of ``cells``
    cells (a worker: 5 MB of mixed text is 33-99 ms of CPU, their fit ~7 ms)."""
    shown = editor_text(text)
    rows = TextRows(shown)
    rows.fit(cells)
    return shown, rows


class TextEdit(QPlainTextEdit):
    """A plain text pane that stops wrapping lines before a very long line comes in.

    Qt lays a changed line out as soon as it changes, before any signal: the check has to
    come first, so a paste or a drop is looked at before it is inserted, and a text set by
    the program goes through :meth:`fit_wrap` before ``setPlainText``. A paste that would make
    a line longer than ``LONG_VIEW_LINE`` (or a text longer than ``LONG_VIEW_TEXT``) is not
    inserted: ``long_text_pasted`` brings the whole text it would have made (unless
    ``keeps_long_lines``: the user chose to edit).
    """

    wrap_changed = Signal(bool)  # True: lines are not wrapped (a long line is in the text)
    long_text_pasted = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.long_lines = False
        self.keeps_long_lines = False

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
        if source.hasText():
            text = source.text()
            if len(text) > min(LONG_LINE, LONG_VIEW_LINE) // 2:  # with its line, maybe too long
                longest = longest_line(text) + self.textCursor().block().length()
                big = len(text) + self.document().characterCount() > LONG_VIEW_TEXT
                if (longest > LONG_VIEW_LINE or big) and not self.keeps_long_lines:
                    whole = self._text_with(text)
                    if longest_line(whole) > LONG_VIEW_LINE or len(whole) > LONG_VIEW_TEXT:
                        self.long_text_pasted.emit(whole)
                        return
                if not self.long_lines:
                    self.fit_wrap(longest)
        super().insertFromMimeData(source)

    def _text_with(self, pasted: str) -> str:
        """The pane's text with the selection replaced by ``pasted``, as Qt would make it."""
        text = exact_text(self.document())
        cursor = self.textCursor()
        qt_pos = utf16_offsets(text)  # Qt positions count UTF-16 units
        start = int(np.searchsorted(qt_pos, cursor.selectionStart(), side="left"))
        end = int(np.searchsorted(qt_pos, cursor.selectionEnd(), side="left"))
        return text[:start] + editor_text(pasted) + text[end:]


class FileNotice(Retranslatable, QFrame):
    """A line above the text about the file just opened, with an optional action button."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.label = QLabel(wordWrap=True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.action = QPushButton()
        self.dismiss = QPushButton()
        self.dismiss.clicked.connect(self.hide)
        row = QHBoxLayout(self)
        row.setContentsMargins(6, 4, 6, 4)
        row.addWidget(self.label, 1)
        row.addWidget(self.action)
        row.addWidget(self.dismiss)
        self.hide()
        self.retranslate()

    def retranslate(self) -> None:
        self.dismiss.setText(self.tr("Dismiss"))

    def say(self, text: str, action: str | None = None) -> None:
        self.label.setText(text)
        self.action.setText(action or "")
        self.action.setVisible(action is not None)
        self.show()


class PaneBody(Retranslatable, QWidget):
    """One text pane: its editor, or, while its text is too long to lay out without a freeze
    (a line, or the whole), the read-only long view, with a notice that says why and offers
    to edit."""

    edit_requested = Signal()

    def __init__(self, editor: TextEdit, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.editor = editor
        self.view = LongTextView()
        self.view.hide()
        self.notice = FileNotice()
        self.notice.action.clicked.connect(self.edit_requested)
        self.notice.dismiss.hide()  # it stays while the view does: "Edit anyway" is the way out
        self.long = False  # the long view is shown (the editor holds nothing)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addWidget(self.notice)
        column.addWidget(editor, 1)
        column.addWidget(self.view, 1)
        self.view.set_base_font(editor.font())
        editor.installEventFilter(self)  # the zoom sets the editor's font: the view follows
        self.retranslate()

    def retranslate(self) -> None:
        self.notice.action.setToolTip(
            self.tr("Put the text in the editor: the window may stop answering for a while")
        )
        if self.long:
            self._say_why()

    def _say_why(self) -> None:
        rows = self.view.rows()
        line, length = rows.longest_line()
        locale = QLocale()
        if length > LONG_VIEW_LINE:
            why = self.tr(
                "Line {line} has {count} characters: shown read-only so the window stays "
                "responsive."
            ).format(line=locale.toString(line + 1), count=locale.toString(length))
        else:
            why = self.tr(
                "The text has {count} characters: shown read-only so the window stays responsive."
            ).format(count=locale.toString(rows.length))
        self.notice.say(why, self.tr("Edit anyway"))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.editor and event.type() == QEvent.Type.FontChange:
            self.view.set_base_font(self.editor.font())
        return False

    def show_long(self, text: str, rows: TextRows | None = None) -> None:
        """Show ``text`` in the long view (``rows``: its rows, cut already); the editor is
        emptied (its signals blocked) so that Qt never lays the text out."""
        focused = self.editor.hasFocus()
        self.editor.blockSignals(True)
        self.editor.clear()
        self.editor.blockSignals(False)
        self.editor.fit_wrap(0)
        self.long = True
        self.editor.hide()
        self.view.show()
        # Its width now, not when Qt lays the pane out in a later turn: the text's rows are
        # fitted to it once (5 MB: ~7 ms a fit), here or on the worker that cut them.
        layout = self.layout()
        if layout is not None:
            layout.activate()
        self.view.set_text(text, rows)
        self._say_why()
        if focused:
            self.view.setFocus()

    def long_view_cells(self) -> int:
        """Cells a row of the long view holds (once it takes the editor's place: its width
        less the frame and the scroll bar, which the view always shows)."""
        view = self.view
        if view.isVisible():
            return view.cells_per_row()
        scroll_bar = view.verticalScrollBar().sizeHint().width()
        return view.cells_per_row(self.editor.width() - 2 * view.frameWidth() - scroll_bar)

    def show_editor(self) -> str:
        """Back to the (empty) editor; the text the long view showed, for the caller to set."""
        text = self.view.text()
        self.long = False
        self.notice.hide()
        self.view.hide()
        self.view.set_text("")
        self.editor.show()
        return text


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
        self.text_body = PaneBody(self.text_edit)
        self.pair_body = PaneBody(self.pair_edit)
        self.pair_body.setVisible(state.mode in PAIR_MODES)  # batch: one pair per line
        self._bodies = {"text": self.text_body, "pair": self.pair_body}
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
        column.addWidget(self.text_body)
        self.addWidget(box)
        self.addWidget(self.pair_body)
        for name, pane in self._bodies.items():
            pane.edit_requested.connect(lambda pane=pane: self._edit_anyway(pane))
            pane.editor.long_text_pasted.connect(
                lambda text, name=name: self._set_pane_text(name, text)
            )
        self.text_view.selection_changed.connect(self._on_view_selection)
        self.text_view.clicked.connect(self._on_view_clicked)
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
        self._set_pane_text("text", text)
        self._set_pane_text("pair", pair)

    @property
    def text_view(self) -> LongTextView:
        """The text pane's long view (shown instead of the editor for a very long line)."""
        return self.text_body.view

    @property
    def pair_view(self) -> LongTextView:
        return self.pair_body.view

    def _set_pane_text(self, name: str, text: str) -> None:
        """A text given by the program (session, file, example) or a paste the editor
        refused: the editor, or the long view when a line or the whole text is too long to lay
        out at once (over ``ROWS_ON_WORKER`` characters it shows when its rows are cut)."""
        pane = self._bodies[name]
        pane.editor.keeps_long_lines = False  # "Edit anyway" was said of the text before
        self.state.runner.cancel(ROWS_CHANNEL + name)  # a text given before, still being cut
        if len(text) > ROWS_ON_WORKER:  # the long view, its rows cut on a worker first
            self._keep(name, text)  # the session's from now: a quit meanwhile loses nothing
            self.state.runner.submit(
                ROWS_CHANNEL + name,
                _long_view_rows,
                text,
                pane.long_view_cells(),
                done=lambda found: self._show_long(name, *found),
                failed=lambda message: self.problem.emit(
                    self.tr("Cannot show the text: {0}").format(message)
                ),
            )
            return
        longest = longest_line(text)
        if longest > LONG_VIEW_LINE or len(text) > LONG_VIEW_TEXT:
            shown = editor_text(text)  # its lines as the editor would cut them (CR, U+2029)
            if (  # no second scan if the same
                shown is text or longest_line(shown) > LONG_VIEW_LINE or len(shown) > LONG_VIEW_TEXT
            ):
                self._show_long(name, shown)
                return
        if pane.long:
            pane.show_editor()
        pane.editor.fit_wrap(longest)  # before Qt lays the lines out
        pane.editor.setPlainText(text)

    def _show_long(self, name: str, text: str, rows: TextRows | None = None) -> None:
        """``text`` (as the editor would hold it) in pane ``name``'s long view, and to the
        state as if typed."""
        if name == "text":
            self._read_later.cancel()
            self.reader.cancel()
            self._text_unread = False
        self._bodies[name].show_long(text, rows)
        self._keep(name, text)
        if name == "text":
            self.state.set_text(text)
        else:
            self.state.set_pair(text)

    def _edit_anyway(self, pane: PaneBody) -> None:
        """The notice's "Edit anyway": the text goes to the editor, the freeze is the user's
        choice; the wait cursor is up before Qt lays the line out, and down after it paints."""
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        QTimer.singleShot(0, self, lambda: self._into_editor(pane))

    def _into_editor(self, pane: PaneBody) -> None:
        try:
            if pane.long:
                text = pane.show_editor()
                pane.editor.keeps_long_lines = True
                pane.editor.fit_wrap(longest_line(text))
                pane.editor.setPlainText(text)  # → _on_text_changed as an edit would
                pane.editor.setFocus()
        finally:
            QTimer.singleShot(0, self, QGuiApplication.restoreOverrideCursor)

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
        self._set_pane_text("text", text)

    def text_is_large(self) -> bool:
        """The editor's text is read in slices (the long view's text is the state's)."""
        return not self.text_body.long and self.text_edit.document().characterCount() >= LARGE_TEXT

    @Slot()
    def _on_text_changed(self) -> None:
        if self.text_body.long:  # the program set the hidden editor's text: it is the text
            self.text_body.show_editor()
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
        if self.pair_body.long:
            self.pair_body.show_editor()
        pair = exact_text(self.pair_edit.document())
        self._keep("pair", pair)
        self.pair_edit.fit_wrap(longest_line(pair))
        self.state.set_pair(pair)

    @Slot()
    def _on_settings_changed(self) -> None:
        self.pair_body.setVisible(self.state.mode in PAIR_MODES)  # batch: one pair per line
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
                store.save(name, _writable(text))

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

    def _token_spans(self, indices: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """[start, end) in the shown text of the given tokens of the first text (not more
        than ``MAX_MARKED``; tokens with no characters left out)."""
        result = self.state.result
        if result is None:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        cols = result.columns
        picked = np.asarray(indices[:MAX_MARKED], dtype=np.int64)
        starts = cols.char_start[picked].astype(np.int64)
        ends = cols.char_end[picked].astype(np.int64)
        keep = (cols.sequence_ids[picked] == 0) & (ends > starts)
        return starts[keep], ends[keep]

    def _mark(self, indices: np.ndarray, colour: str) -> np.ndarray:
        """Light up the characters of the given tokens in the text pane; their starts."""
        starts, ends = self._token_spans(indices)
        if self.text_body.long:
            line = self.text_view.line_start(self.state.batch_line)  # batch: one line of it
            self.text_view.set_marks(starts + line, ends + line, QColor(colour))
            return starts + line
        selections: list[QTextEdit.ExtraSelection] = []
        if len(starts):
            fmt = QTextCharFormat()
            fmt.setBackground(QColor(colour))
            fmt.setForeground(QColor("#1a1a1a"))  # readable on the light mark in dark themes
            last = len(self._utf16) - 1
            line = self._line_start()  # batch: the shown text is one line of the pane
            for start, end in zip(starts.tolist(), ends.tolist(), strict=True):
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
        return starts

    @Slot(int)
    def _on_token_hovered(self, index: int) -> None:
        indices = np.array([index] if index >= 0 else [], dtype=np.int64)
        self._mark(indices, HOVER_COLOUR)

    @Slot(int)
    def _on_token_selected(self, index: int) -> None:
        starts = self._mark(np.array([index], dtype=np.int64), SELECTED_COLOUR)
        if self.text_body.long and len(starts):
            self.text_view.reveal(int(starts[0]))  # the editor would not scroll either way

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

    @Slot()
    def _on_view_selection(self) -> None:
        """The long view's selection (Python indices already) highlights its tokens."""
        result = self.state.result
        if result is None:
            return
        view = self.text_view
        if not view.has_selection():
            self.tokens_highlighted.emit(np.zeros(0, dtype=np.int64))
            return
        line = view.line_start(self.state.batch_line)
        start, end = view.selection()
        self.tokens_highlighted.emit(result.tokens_at(max(0, start - line), end - line, 0))

    @Slot(int)
    def _on_view_clicked(self, index: int) -> None:
        """A click (no drag) in the long view selects the token under it."""
        result = self.state.result
        if result is None:
            return
        hit = result.tokens_at(index - self.text_view.line_start(self.state.batch_line), 0, 0)
        if len(hit):
            self.state.select_token(int(hit[0]))
