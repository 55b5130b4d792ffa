"""The Decode ids dialog on the window's real tokenizer."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from pytestqt.qtbot import QtBot

from inspector.core.catalog import Catalog
from inspector.gui.decode_ids_dialog import DecodeIdsDialog
from tests.gui.conftest import shown


def test_decodes_as_you_paste(qtbot: QtBot, catalog: Catalog) -> None:
    dialog = DecodeIdsDialog(catalog.load("minilm"))
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.decoded):
        dialog.set_ids_text("[101, 7592, 2088, 102]")
    assert dialog.joined.text() == "[CLS] hello world [SEP]"
    assert dialog.joined_skipping.text() == "hello world"
    assert dialog.table.rowCount() == 4
    assert [dialog.table.text(r, 1) for r in range(4)] == ["[CLS]", "hello", "world", "[SEP]"]
    assert dialog.table.text(0, 4) == "yes" and dialog.table.text(1, 4) == ""
    assert dialog.message.text() == "4 ids."
    assert not dialog.unknown.isVisibleTo(dialog)


def test_unknown_ids_and_bad_input(qtbot: QtBot, catalog: Catalog) -> None:
    dialog = DecodeIdsDialog(catalog.load("minilm"))
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.decoded):
        dialog.set_ids_text("7592 99999")
    assert "99999" in dialog.unknown.text() and dialog.unknown.isVisibleTo(dialog)
    assert dialog.table.text(1, 1) == "unknown id"
    font = dialog.table.model().index(1, 1).data(Qt.ItemDataRole.FontRole)
    assert font.italic() and font.family() == dialog.table.font().family()  # the table's font
    assert dialog.table.model().index(0, 1).data(Qt.ItemDataRole.FontRole) is None
    assert dialog.joined.text() == "hello"
    with qtbot.waitSignal(dialog.decoded):
        dialog.set_ids_text("[7592, hello]")
    assert dialog.message.text().startswith("Not a list of ids: unexpected “hello]”")
    assert dialog.table.rowCount() == 0 and dialog.joined.text() == ""


def test_follows_the_window_tokenizer(qtbot: QtBot, catalog: Catalog) -> None:
    dialog = DecodeIdsDialog(catalog.load("minilm"))
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.decoded):
        dialog.set_ids_text("15496 995")
    assert dialog.joined.text() != "Hello world"
    with qtbot.waitSignal(dialog.decoded):
        dialog.set_tokenizer(catalog.load("gpt2"))
    assert dialog.joined.text() == "Hello world"
    assert "gpt2" in dialog.intro.text()
    assert dialog.table.text(1, 2) == "␣world"  # whitespace made visible in cells


def test_the_open_dialog_follows_the_window(qtbot: QtBot, catalog: Catalog) -> None:
    """Open on minilm, the window switched to gpt2: the same ids decode in gpt2."""
    from inspector.gui.main_window import MainWindow

    window = shown(qtbot, MainWindow(catalog, tokenizer="minilm", text="Hi"), 1000, 700)
    qtbot.waitUntil(lambda: window.tokenizer is not None, timeout=60_000)
    window.findChild(QAction, "action-decode-ids").trigger()
    dialog = window.findChild(DecodeIdsDialog)
    assert dialog is not None and dialog.tokenizer is window.tokenizer
    with qtbot.waitSignal(dialog.decoded, timeout=60_000):
        dialog.set_ids_text("15496 995")
    assert dialog.joined.text() != "Hello world"
    with qtbot.waitSignal(dialog.decoded, timeout=60_000):
        window.picker.chosen.emit("gpt2")
    assert dialog.tokenizer is window.tokenizer and "gpt2" in dialog.intro.text()
    assert dialog.joined.text() == "Hello world"
    window.close()
