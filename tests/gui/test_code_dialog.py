"""The Show code dialog: the generated code, copyable."""

from __future__ import annotations

from pytestqt.qtbot import QtBot


def test_show_code_dialog_copies_the_code(qtbot: QtBot) -> None:
    from PySide6.QtGui import QGuiApplication

    from inspector.core.code_snippet import CodeRequest, python_code
    from inspector.core.settings import EncodeSettings
    from inspector.gui.code_dialog import ShowCodeDialog

    request = CodeRequest("minilm", "pair", ("Where?",), EncodeSettings(), pairs=("Here.",))
    dialog = ShowCodeDialog(request)
    qtbot.addWidget(dialog)
    assert dialog.code.toPlainText() == python_code(request)
    assert "tokenizer(text, text_pair)" in dialog.code.toPlainText()
    dialog.copy_button.click()
    assert QGuiApplication.clipboard().text() == python_code(request)
    batch = CodeRequest("gpt2", "batch", ("a", "b"), EncodeSettings(padding="longest"))
    dialog.set_request(batch)
    assert "tokenizer(texts, padding=True)" in dialog.code.toPlainText()
