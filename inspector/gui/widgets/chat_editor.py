"""The messages editor of Chat mode: one row per message (role picker and a text editor), add,
remove and reorder, "add generation prompt", open/save as JSON.

Self-contained: it knows nothing of tokenizers. ``changed`` fires on every edit; read the
conversation with :meth:`conversation` (None while every message is empty).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QSignalBlocker, Signal, Slot
from PySide6.QtGui import QColor, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QTextEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from inspector.core.chat import ROLES, Conversation, conversation_from_value, read_conversation
from inspector.core.errors import ChatInputError
from inspector.core.report import write_atomic

ROLE_COLOURS = {  # the role bands of the strip and the table use the same colours
    "system": "#8E6BBF",
    "user": "#2E7D32",
    "assistant": "#1565C0",
    "tool": "#B26A00",
}
OTHER_ROLE_COLOUR = "#6D6D6D"


def role_colour(role: str) -> str:
    return ROLE_COLOURS.get(role, OTHER_ROLE_COLOUR)


class MessageRow(QFrame):
    """One message: role picker, move up/down, remove, and its text."""

    changed = Signal()
    move_requested = Signal(object, int)  # row, -1 up / +1 down
    remove_requested = Signal(object)

    def __init__(self, role: str, content: str, extra: dict[str, Any], parent: QWidget) -> None:
        super().__init__(parent)
        self.extra = extra  # keys other than role/content (tool_calls, name…), kept as given
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.role_box = QComboBox(self)
        self.role_box.setEditable(True)  # a file may hold other roles; the template decides
        self.role_box.addItems(list(ROLES))
        self.role_box.setCurrentText(role)
        self.role_box.setToolTip(self.tr("Role of this message"))
        self.editor = QPlainTextEdit(self)
        self.editor.setPlainText(content)
        self.editor.setPlaceholderText(self.tr("Message text"))
        self.editor.setTabChangesFocus(False)
        self.editor.setMinimumHeight(48)
        self.editor.setMaximumHeight(140)
        self.up = self._tool("↑", self.tr("Move up"))
        self.down = self._tool("↓", self.tr("Move down"))
        self.remove = self._tool("✕", self.tr("Remove this message"))
        self.band = QLabel(self)
        self.band.setFixedWidth(4)
        head = QHBoxLayout()
        head.setContentsMargins(0, 0, 0, 0)
        head.addWidget(self.role_box, 1)
        for button in (self.up, self.down, self.remove):
            head.addWidget(button)
        column = QVBoxLayout()
        column.setContentsMargins(0, 0, 0, 0)
        column.addLayout(head)
        column.addWidget(self.editor)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.band)
        layout.addLayout(column, 1)
        self.role_box.currentTextChanged.connect(self._on_role)
        self.editor.textChanged.connect(self.changed)
        self.up.clicked.connect(lambda: self.move_requested.emit(self, -1))
        self.down.clicked.connect(lambda: self.move_requested.emit(self, 1))
        self.remove.clicked.connect(lambda: self.remove_requested.emit(self))
        self._paint_band()

    def _tool(self, text: str, tip: str) -> QToolButton:
        button = QToolButton(self)
        button.setText(text)
        button.setToolTip(tip)
        button.setAutoRaise(True)
        return button

    @Slot(str)
    def _on_role(self, _role: str) -> None:
        self._paint_band()
        self.changed.emit()

    def _paint_band(self) -> None:
        self.band.setStyleSheet(f"background: {role_colour(self.role())}; border-radius: 2px;")

    def role(self) -> str:
        return self.role_box.currentText().strip()

    def content(self) -> str:
        return self.editor.toPlainText()

    def message(self) -> dict[str, Any]:
        return {**self.extra, "role": self.role(), "content": self.content()}


class ChatEditor(QWidget):
    """The conversation being edited: rows of messages plus the generation-prompt toggle."""

    changed = Signal()  # any edit: messages, roles, order, the toggle
    error = Signal(str)  # a file could not be opened or saved (one plain line)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: list[MessageRow] = []
        self._tools: list[dict[str, Any]] | None = None
        self._directory = ""
        self.rows_box = QWidget()
        self.rows_layout = QVBoxLayout(self.rows_box)
        self.rows_layout.setContentsMargins(0, 0, 0, 0)
        self.rows_layout.addStretch(1)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.rows_box)
        self.add_button = QPushButton(self.tr("Add message"), self)
        self.add_button.clicked.connect(self._on_add)
        self.generation_box = QCheckBox(self.tr("Add generation prompt"), self)
        self.generation_box.setToolTip(
            self.tr("End with the template's prompt for the assistant's answer")
        )
        self.generation_box.setChecked(True)
        self.generation_box.toggled.connect(self.changed)
        self.open_button = QPushButton(self.tr("Open…"), self)
        self.open_button.clicked.connect(self._on_open)
        self.save_button = QPushButton(self.tr("Save…"), self)
        self.save_button.clicked.connect(self._on_save)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addStretch(1)
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.generation_box)
        layout.addLayout(buttons)

    # -- the conversation ----------------------------------------------------------------
    def conversation(self) -> Conversation | None:
        """The messages as edited, or None when there are none or all are empty."""
        messages = [row.message() for row in self.rows]
        if not messages or not any(m["content"] or len(m) > 2 for m in messages):
            return None
        value: dict[str, Any] = {"messages": messages}
        if self._tools is not None:
            value["tools"] = self._tools
        try:
            return conversation_from_value(value)
        except ChatInputError:
            return None  # a blank role: the row shows it; nothing to encode yet

    def set_conversation(self, conversation: Conversation) -> None:
        with QSignalBlocker(self):
            for row in list(self.rows):
                self._remove(row)
            self._tools = None if conversation.tools is None else list(conversation.tools)
            for message in conversation.messages:
                extra = {k: v for k, v in message.items() if k not in ("role", "content")}
                content = message.get("content")
                if not isinstance(content, str):
                    text = conversation.content_text(len(self.rows))
                    if content is not None:
                        extra["content"] = content  # parts: kept, shown as their text
                    content = text
                self.add_message(str(message["role"]), content, extra)
        self.changed.emit()

    def add_generation_prompt(self) -> bool:
        return self.generation_box.isChecked()

    def set_add_generation_prompt(self, on: bool) -> None:
        self.generation_box.setChecked(on)

    def add_message(
        self, role: str = "user", content: str = "", extra: dict[str, Any] | None = None
    ) -> MessageRow:
        row = MessageRow(role, content, extra or {}, self.rows_box)
        row.changed.connect(self.changed)
        row.move_requested.connect(self._on_move)
        row.remove_requested.connect(self._on_remove)
        self.rows.append(row)
        self.rows_layout.insertWidget(len(self.rows) - 1, row)
        self.changed.emit()
        return row

    def editor(self, index: int) -> QPlainTextEdit | None:
        return self.rows[index].editor if 0 <= index < len(self.rows) else None

    def mark(self, index: int, start: int, end: int, colour: str = "#ffe08a") -> None:
        """Light up characters [start, end) of message ``index``'s text; others are cleared."""
        for number, row in enumerate(self.rows):
            selections: list[QTextEdit.ExtraSelection] = []
            text = row.content()
            if number == index and 0 <= start < end <= len(text):
                fmt = QTextCharFormat()
                fmt.setBackground(QColor(colour))
                fmt.setForeground(QColor("#1a1a1a"))  # readable on the light mark in dark themes
                selection = QTextEdit.ExtraSelection()
                cursor = QTextCursor(row.editor.document())
                cursor.setPosition(_utf16(text, start))
                cursor.setPosition(_utf16(text, end), QTextCursor.MoveMode.KeepAnchor)
                selection.cursor = cursor
                selection.format = fmt
                selections.append(selection)
                caret = QTextCursor(row.editor.document())
                caret.setPosition(_utf16(text, start))
                row.editor.setTextCursor(caret)  # scrolls the span into view
                row.editor.ensureCursorVisible()
            row.editor.setExtraSelections(selections)

    # -- files ---------------------------------------------------------------------------
    def open_file(self, path: Path) -> bool:
        try:
            conversation = read_conversation(path)
        except ChatInputError as err:
            self.error.emit(str(err))
            return False
        self.set_conversation(conversation)
        return True

    def save_file(self, path: Path) -> bool:
        conversation = self.conversation()
        if conversation is None:
            self.error.emit(self.tr("There is nothing to save: every message is empty."))
            return False
        try:
            write_atomic(path, conversation.to_json())
        except OSError as err:
            self.error.emit(self.tr("Cannot save {0}: {1}").format(path, err.strerror or err))
            return False
        return True

    @Slot()
    def _on_open(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self, self.tr("Open conversation"), self._directory, self.tr("JSON (*.json)")
        )
        if name:
            self._directory = str(Path(name).parent)
            self.open_file(Path(name))

    @Slot()
    def _on_save(self) -> None:
        name, _ = QFileDialog.getSaveFileName(
            self, self.tr("Save conversation"), self._directory, self.tr("JSON (*.json)")
        )
        if name:
            self._directory = str(Path(name).parent)
            self.save_file(Path(name))

    # -- rows ----------------------------------------------------------------------------
    @Slot()
    def _on_add(self) -> None:
        last = self.rows[-1].role() if self.rows else "assistant"
        row = self.add_message("assistant" if last == "user" else "user")
        row.editor.setFocus()

    @Slot(object, int)
    def _on_move(self, row: MessageRow, step: int) -> None:
        index = self.rows.index(row)
        target = index + step
        if not 0 <= target < len(self.rows):
            return
        self.rows.insert(target, self.rows.pop(index))
        self.rows_layout.removeWidget(row)
        self.rows_layout.insertWidget(target, row)
        self.changed.emit()

    @Slot(object)
    def _on_remove(self, row: MessageRow) -> None:
        self._remove(row)
        self.changed.emit()

    def _remove(self, row: MessageRow) -> None:
        self.rows.remove(row)
        self.rows_layout.removeWidget(row)
        row.hide()
        row.deleteLater()


def _utf16(text: str, index: int) -> int:
    """Qt counts UTF-16 units; Python counts code points."""
    return index + sum(1 for ch in text[:index] if ord(ch) > 0xFFFF)
