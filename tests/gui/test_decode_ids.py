"""The Decode ids dialog on the window's real tokenizer."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from inspector.core.catalog import Catalog
from inspector.gui.decode_ids_dialog import DecodeIdsDialog


def test_decodes_as_you_paste(qtbot: QtBot, catalog: Catalog) -> None:
    dialog = DecodeIdsDialog(catalog.load("minilm"))
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.decoded):
        dialog.set_ids_text("[101, 7592, 2088, 102]")
    assert dialog.joined.text() == "[CLS] hello world [SEP]"
    assert dialog.joined_skipping.text() == "hello world"
    assert dialog.table.rowCount() == 4
    assert [dialog.table.item(r, 1).text() for r in range(4)] == [
        "[CLS]", "hello", "world", "[SEP]",
    ]  # fmt: skip
    assert dialog.table.item(0, 4).text() == "yes" and dialog.table.item(1, 4).text() == ""
    assert dialog.message.text() == "4 ids."
    assert not dialog.unknown.isVisibleTo(dialog)


def test_unknown_ids_and_bad_input(qtbot: QtBot, catalog: Catalog) -> None:
    dialog = DecodeIdsDialog(catalog.load("minilm"))
    qtbot.addWidget(dialog)
    dialog.set_ids_text("7592 99999")
    assert "99999" in dialog.unknown.text() and dialog.unknown.isVisibleTo(dialog)
    assert dialog.table.item(1, 1).text() == "unknown id"
    assert dialog.joined.text() == "hello"
    dialog.set_ids_text("[7592, hello]")
    assert dialog.message.text().startswith("Not a list of ids: unexpected “hello]”")
    assert dialog.table.rowCount() == 0 and dialog.joined.text() == ""


def test_follows_the_window_tokenizer(qtbot: QtBot, catalog: Catalog) -> None:
    dialog = DecodeIdsDialog(catalog.load("minilm"))
    qtbot.addWidget(dialog)
    dialog.set_ids_text("15496 995")
    assert dialog.joined.text() != "Hello world"
    dialog.set_tokenizer(catalog.load("gpt2"))
    assert dialog.joined.text() == "Hello world"
    assert "gpt2" in dialog.intro.text()
    assert dialog.table.item(1, 2).text() == "␣world"  # whitespace made visible in cells
