"""Chat mode: a conversation, the tokenizer's own chat template, and what the model sees.

Left, the messages editor; right, the token strip of the rendered conversation (role bands,
scaffolding as control tokens), the rendered string and a table per message; below, the
total and the template overhead. Hovering a chip lights its characters in the rendered
string and in the message editor; clicking a row of the table lights that message's tokens.

Self-contained: the window hands it the tokenizer (:meth:`set_tokenizer`); it renders and
encodes on the window's job runner (its own ``chat`` channel; a runner of its own when used
alone). When an edit of the conversation fails, the last good result stays on screen (the
message says why); a result of another tokenizer or template never does. Export and Run model
act only on a result of the conversation, tokenizer and template of now.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PySide6.QtCore import QCoreApplication, Qt, Signal, Slot
from PySide6.QtGui import QColor, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)
from superqt.utils import qdebounced

from inspector.core.chat import ChatResult, Conversation, apply_chat
from inspector.core.encode_process import EncodeProcess
from inspector.core.errors import NoChatTemplateError
from inspector.core.tokenizer import LoadedTokenizer
from inspector.gui.jobs import CancelToken, JobRunner
from inspector.gui.widgets.chat_editor import ChatEditor, role_colour
from inspector.gui.widgets.chat_strip import ChatStrip

HOVER = "#ffe08a"


def _chat_job(
    tok: LoadedTokenizer,
    conversation: Conversation,
    generation: bool,
    template: Path | None,
    process: EncodeProcess | None,
    *,
    cancel: CancelToken,
) -> ChatResult:
    try:
        return apply_chat(
            tok,
            conversation,
            add_generation_prompt=generation,
            template_path=template,
            process=process,
        )
    except NoChatTemplateError as err:
        # The core's message names the CLI's --chat-template: the window has a button for it.
        message = QCoreApplication.translate(
            "ChatPanel",
            "{name} has no chat template of its own (none in its files). Choose one with "
            "“Template file…” (a .jinja file): Token Inspector never invents one.",
        ).format(name=tok.facts.id)
        raise NoChatTemplateError(message) from err


def _utf16_positions(text: str) -> np.ndarray:
    """out[i] = the Qt (UTF-16) position of Python character i."""
    wide = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32) > 0xFFFF
    return np.concatenate([[0], np.cumsum(1 + wide)]).astype(np.int64)


EDIT_PAUSE_MS = 150  # typing in a message: render and encode when it pauses
CHAT_CHANNEL = "chat"  # the panel's one job channel on the runner


class ChatPanel(QWidget):
    chat_shown = Signal(object)  # a ChatResult reached the strip, text and table
    failed = Signal(str)  # the conversation or template could not be used (one plain line)
    run_model_requested = Signal(object)  # the EncodingResult of the rendered conversation

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        runner: JobRunner | None = None,
        process: EncodeProcess | None = None,
    ) -> None:
        """``runner``: the window's one runner (channel ``chat``); without it, one of its own.
        ``process``: the window's encode process, where a tiktoken tokenizer's template runs
        (its conversion is never built in the window)."""
        super().__init__(parent)
        self.runner = JobRunner(self, max_threads=1) if runner is None else runner
        self.process = process
        self._tokenizer: LoadedTokenizer | None = None
        self._template: Path | None = None
        self._chat: ChatResult | None = None
        # What the result shown was made with (tokenizer, template), and whether it is the
        # result of what the panel holds now (export and run model act only on that).
        self._made_with: tuple[LoadedTokenizer, Path | None] | None = None
        self._current = False
        self._utf16 = np.zeros(1, dtype=np.int64)
        self._build()
        self._request_later = qdebounced(self.request, EDIT_PAUSE_MS, parent=self)
        self.editor.changed.connect(self._request_later)
        self.editor.error.connect(self._show_error)

    def _build(self) -> None:
        self.editor = ChatEditor(self)
        self.banner = QLabel(self)
        self.banner.setWordWrap(True)
        self.banner.setTextFormat(Qt.TextFormat.PlainText)  # names come from paths and files
        self.banner.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.banner.setStyleSheet(
            "QLabel { background: #fdecea; color: #611a15; border: 1px solid #f5c2c0;"
            " padding: 4px; border-radius: 4px; }"
        )
        self.banner.hide()
        self.source_label = QLabel(self)
        self.source_label.setWordWrap(True)
        self.source_label.setTextFormat(Qt.TextFormat.PlainText)
        self.template_button = QPushButton(self.tr("Template file…"), self)
        self.template_button.setToolTip(
            self.tr("Apply a .jinja chat template instead of the tokenizer's own")
        )
        self.template_button.clicked.connect(self._on_pick_template)
        self.own_button = QPushButton(self.tr("Own template"), self)
        self.own_button.setToolTip(self.tr("Back to the tokenizer's own template"))
        self.own_button.clicked.connect(lambda: self.set_template_path(None))
        self.own_button.setEnabled(False)
        self.model_button = QPushButton(self.tr("Run model on conversation"), self)
        self.model_button.setToolTip(
            self.tr("The model panels run on the rendered conversation (Model menu loads one)")
        )
        self.model_button.clicked.connect(self._on_run_model)
        self.model_button.setEnabled(False)
        self.export_button = QPushButton(self.tr("Export…"), self)
        self.export_button.setToolTip(
            self.tr("The conversation report: JSON, CSV, Markdown, HTML or PDF")
        )
        self.export_button.clicked.connect(self._on_export)
        self.export_button.setEnabled(False)
        self.strip = ChatStrip(self)
        self.strip.hovered.connect(self._on_hovered)
        self.rendered = QPlainTextEdit(self)
        self.rendered.setReadOnly(True)
        self.rendered.setPlaceholderText(self.tr("The conversation as the template renders it"))
        self.table = QTableWidget(0, 5, self)
        self.table.setHorizontalHeaderLabels(
            [self.tr("#"), self.tr("role"), self.tr("content"), self.tr("scaffolding"),
             self.tr("total")]
        )  # fmt: skip
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.table.itemSelectionChanged.connect(self._on_table_selection)
        self.status = QLabel(self)
        self.status.setTextFormat(Qt.TextFormat.PlainText)

        template_row = QHBoxLayout()
        template_row.addWidget(self.source_label, 1)
        template_row.addWidget(self.template_button)
        template_row.addWidget(self.own_button)
        template_row.addWidget(self.model_button)
        template_row.addWidget(self.export_button)
        lower = QSplitter(Qt.Orientation.Horizontal)
        lower.addWidget(self.rendered)
        lower.addWidget(self.table)
        right = QSplitter(Qt.Orientation.Vertical)
        right.addWidget(self.strip)
        right.addWidget(lower)
        right.setStretchFactor(0, 3)
        right.setStretchFactor(1, 2)
        right_box = QWidget(self)
        right_layout = QVBoxLayout(right_box)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addLayout(template_row)
        right_layout.addWidget(right, 1)
        main = QSplitter(Qt.Orientation.Horizontal)
        main.addWidget(self.editor)
        main.addWidget(right_box)
        main.setStretchFactor(0, 2)
        main.setStretchFactor(1, 3)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.banner)
        layout.addWidget(main, 1)
        layout.addWidget(self.status)

    # -- inputs --------------------------------------------------------------------------
    def set_tokenizer(self, tok: LoadedTokenizer | None) -> None:
        if tok is not self._tokenizer:
            self._tokenizer = tok
            self._set_current(False)  # the result shown is another tokenizer's
            if tok is None:
                self._clear()
        self.request()

    def set_template_path(self, path: Path | None) -> None:
        self._template = path
        self.own_button.setEnabled(path is not None)
        self._set_current(False)
        self.request()

    def chat(self) -> ChatResult | None:
        """The result on screen (perhaps of an earlier conversation: ``chat_is_current``)."""
        return self._chat

    @property
    def chat_is_current(self) -> bool:
        """The result shown is that of the conversation, tokenizer and template of now."""
        return self._current and self._chat is not None

    @Slot()
    def request(self) -> None:
        conversation = self.editor.conversation()
        tok, template = self._tokenizer, self._template
        if tok is None or conversation is None:
            self.runner.cancel(CHAT_CHANNEL)
            if conversation is None:
                self._clear()
                self.status.setText(self.tr("Add a message to see what the model sees."))
            return
        if not self.chat_is_current:
            self.status.setText(self.tr("Rendering with {0}…").format(tok.facts.id))
        self.runner.submit(
            CHAT_CHANNEL,
            _chat_job,
            tok,
            conversation,
            self.editor.add_generation_prompt(),
            template,
            self.process,
            done=lambda chat: self._on_finished(chat, (tok, template)),
            failed=self._on_failed,
        )

    def shutdown(self, timeout_ms: int = 5000) -> bool:
        return self.runner.stop_jobs_of(self, CHAT_CHANNEL, timeout_ms)

    # -- results -------------------------------------------------------------------------
    def _on_finished(
        self, chat: ChatResult, made_with: tuple[LoadedTokenizer, Path | None]
    ) -> None:
        self.banner.hide()
        self._chat, self._made_with = chat, made_with
        self._utf16 = _utf16_positions(chat.rendered)
        self.strip.set_chat(chat)
        self.rendered.setPlainText(chat.rendered)
        source = chat.source if len(chat.source) <= 90 else chat.source[:89] + "…"
        self.source_label.setText(self.tr("Template: {0}").format(source))
        self.source_label.setToolTip(chat.source)
        self._fill_table(chat)
        share = 100 * chat.overhead / chat.tokens if chat.tokens else 0.0
        self.status.setText(
            self.tr(
                "{0} tokens · {1} of message content · template overhead {2} ({3:.0f}%)"
            ).format(chat.tokens, chat.content_tokens, chat.overhead, share)
            + "".join(f" · ⚠ {w}" for w in chat.warnings)
        )
        self._set_current(True)
        self.chat_shown.emit(chat)

    def _on_failed(self, message: str) -> None:
        # An edit that failed: the last good result stays to look at, but is not the
        # conversation's of now. Another tokenizer's or template's never stays.
        self._set_current(False)
        if self._made_with != (self._tokenizer, self._template):
            self._clear()
            self.status.setText(self.tr("Nothing rendered: see the message above."))
        self._show_error(message)

    def _set_current(self, current: bool) -> None:
        self._current = current
        self.model_button.setEnabled(self.chat_is_current)
        self.export_button.setEnabled(self.chat_is_current)

    def _clear(self) -> None:
        """No result on screen."""
        self._chat, self._made_with = None, None
        self._set_current(False)
        self._utf16 = np.zeros(1, dtype=np.int64)
        self.strip.set_chat(None)
        self.rendered.clear()
        self.table.setRowCount(0)
        self.source_label.clear()
        self.source_label.setToolTip("")
        self.status.clear()

    @Slot(str)
    def _show_error(self, message: str) -> None:
        self.banner.setText(message)
        self.banner.show()
        self.failed.emit(message)

    def _fill_table(self, chat: ChatResult) -> None:
        rows = [
            (str(r.index + 1), r.role, r.content_tokens, r.scaffolding_tokens, r.tokens)
            for r in chat.rows
        ]
        if chat.trailing_tokens:
            what = (
                self.tr("closing + generation prompt")
                if chat.add_generation_prompt
                else self.tr("closing")
            )
            rows.append(("", what, 0, chat.trailing_tokens, chat.trailing_tokens))
        self.table.setRowCount(len(rows))
        for number, values in enumerate(rows):
            for column, value in enumerate(values):
                item = QTableWidgetItem(str(value))
                if column == 1 and number < len(chat.rows):
                    item.setForeground(QColor(role_colour(str(value))))
                if column != 1:
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                self.table.setItem(number, column, item)

    # -- linking -------------------------------------------------------------------------
    @Slot(int)
    def _on_hovered(self, index: int) -> None:
        chat = self._chat
        if chat is None or not 0 <= index < len(chat.message):
            self._mark_rendered(-1, -1)
            self.editor.mark(-1, 0, 0)
            return
        cols = chat.result.columns
        start, end = int(cols.char_start[index]), int(cols.char_end[index])
        self._mark_rendered(start, end)
        message = int(chat.message[index])
        if message >= 0:
            row = chat.rows[message]
            self.editor.mark(
                message, max(start, row.start) - row.start, min(end, row.end) - row.start
            )
        else:
            self.editor.mark(-1, 0, 0)

    def _mark_rendered(self, start: int, end: int) -> None:
        selections: list[QTextEdit.ExtraSelection] = []
        if 0 <= start < end < len(self._utf16):
            fmt = QTextCharFormat()
            fmt.setBackground(QColor(HOVER))
            fmt.setForeground(QColor("#1a1a1a"))  # readable on the light mark in dark themes
            selection = QTextEdit.ExtraSelection()
            cursor = QTextCursor(self.rendered.document())
            cursor.setPosition(int(self._utf16[start]))
            cursor.setPosition(int(self._utf16[end]), QTextCursor.MoveMode.KeepAnchor)
            selection.cursor = cursor
            selection.format = fmt
            selections.append(selection)
            caret = QTextCursor(self.rendered.document())
            caret.setPosition(int(self._utf16[start]))
            self.rendered.setTextCursor(caret)
            self.rendered.ensureCursorVisible()
        self.rendered.setExtraSelections(selections)

    @Slot()
    def _on_table_selection(self) -> None:
        chat = self._chat
        if chat is None:
            return
        rows = sorted({index.row() for index in self.table.selectedIndexes()})
        messages = [r for r in rows if r < len(chat.rows)]
        indices = np.flatnonzero(np.isin(chat.message, messages))
        self.strip.highlight(indices)

    @Slot()
    def _on_pick_template(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self,
            self.tr("Chat template"),
            "",
            self.tr("Chat templates (*.jinja *.j2 *.json *.gguf);;All files (*)"),
        )
        if name:
            self.set_template_path(Path(name))

    def export_to(self, path: Path, fmt: str | None = None) -> bool:
        """Write the report of the conversation on screen (format from the suffix)."""
        from inspector.core.chat_report import ChatItem, build_chat_report
        from inspector.render.export import export_report, format_for_path

        chat = self._chat if self.chat_is_current else None
        fmt = fmt or format_for_path(path)
        if chat is None:
            self._show_error(self.tr("No conversation to export: nothing is rendered for it."))
            return False
        if fmt is None:
            self._show_error(self.tr("Choose a .json, .csv, .md, .html or .pdf file."))
            return False
        name = chat.result.tokenizer.id
        report = build_chat_report(chat.conversation, [ChatItem(name, chat)])
        try:
            export_report(report, fmt, path)
        except OSError as err:
            self._show_error(self.tr("Cannot write {0}: {1}").format(path, err.strerror or err))
            return False
        return True

    @Slot()
    def _on_export(self) -> None:
        name, _ = QFileDialog.getSaveFileName(
            self,
            self.tr("Export conversation report"),
            "",
            self.tr("Reports (*.json *.csv *.md *.html *.pdf)"),
        )
        if name:
            self.export_to(Path(name))

    @Slot()
    def _on_run_model(self) -> None:
        if self._chat is not None and self.chat_is_current:
            self.run_model_requested.emit(self._chat.result)
