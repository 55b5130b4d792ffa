"""Show code: the Python that gives what the window shows, read-only and copyable.

The window builds a :class:`~inspector.core.code_snippet.CodeRequest` from its tokenizer,
mode, texts, settings and model, and calls :meth:`ShowCodeDialog.set_request` when they change.
"""

from __future__ import annotations

from PySide6.QtGui import QFontDatabase, QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from inspector.core.code_snippet import CodeRequest, python_code
from inspector.gui.i18n import Retranslatable


class ShowCodeDialog(Retranslatable, QDialog):
    def __init__(self, request: CodeRequest, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("showCodeDialog")
        self.resize(820, 520)
        self.request = request
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.code = QPlainTextEdit()
        self.code.setReadOnly(True)
        self.code.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.code.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.copy_button = QPushButton()
        self.buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.copy_button.clicked.connect(self.copy)
        self.buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.code, 1)
        layout.addWidget(self.buttons)
        self.set_request(request)
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Show code"))
        self.intro.setText(
            self.tr(
                "The transformers code that gives what the window shows: run it to get the "
                "same ids (the tokenizer is loaded from the Hugging Face hub or its folder)."
            )
        )
        self.copy_button.setText(self.tr("Copy"))

    def set_request(self, request: CodeRequest) -> None:
        self.request = request
        self.code.setPlainText(python_code(request))

    def copy(self) -> None:
        QGuiApplication.clipboard().setText(self.code.toPlainText())
