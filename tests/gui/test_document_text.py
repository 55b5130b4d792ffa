"""The text the tokenizer sees is exactly the text in the pane, short or long."""

from __future__ import annotations

import threading
from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtWidgets import QPlainTextEdit
from pytestqt.qtbot import QtBot

from inspector.core.catalog import Catalog
from inspector.core.encoding import encode
from inspector.gui.document_text import DocumentReader, exact_text, joined, text_pieces
from inspector.gui.main_window import MainWindow
from inspector.gui.session import SessionText
from inspector.gui.text_panes import LARGE_TEXT

# No-break space, line separator, zero-width space, tab, emoji with ZWJ, CJK, combining
# mark, Arabic (RTL), a bidi mark: all must reach the tokenizer unchanged.
TRICKY = "a\u00a0b\u2028c\u200bd\te 👩‍🔬 鸟语花香 e\u0301 مرحبا \u200f!"


def test_exact_text_keeps_every_character(qtbot: QtBot) -> None:
    edit = QPlainTextEdit()
    qtbot.addWidget(edit)
    edit.setPlainText(TRICKY + "\n" + TRICKY)
    assert exact_text(edit.document()) == TRICKY + "\n" + TRICKY
    assert edit.toPlainText() != TRICKY + "\n" + TRICKY  # what Qt's own call would lose


def test_crlf_becomes_one_newline_as_the_editor_shows_it(qtbot: QtBot) -> None:
    edit = QPlainTextEdit()
    qtbot.addWidget(edit)
    edit.setPlainText("one\r\ntwo\rthree\n")
    assert exact_text(edit.document()) == "one\ntwo\nthree\n"


def test_reader_reads_a_long_document_in_slices(qtbot: QtBot) -> None:
    edit = QPlainTextEdit()
    qtbot.addWidget(edit)
    text = "\n".join(f"{i} {TRICKY}" for i in range(60_000)) + "\n"
    edit.setPlainText(text)
    reader = DocumentReader(edit.document())
    steps = []
    reader._timer.timeout.connect(lambda: steps.append(1))
    with qtbot.waitSignal(reader.finished, timeout=60_000) as got:
        reader.read()
    assert "\n".join(got.args[0]) == text
    assert len(steps) > 1  # it gave the event loop back in between


def test_reader_starts_over_when_the_text_changes(qtbot: QtBot) -> None:
    edit = QPlainTextEdit()
    qtbot.addWidget(edit)
    edit.setPlainText("line\n" * 200_000)
    reader = DocumentReader(edit.document())
    results: list[list[str]] = []
    reader.finished.connect(results.append)
    with qtbot.waitSignal(reader.sliced, timeout=30_000):  # part of it has been read
        reader.read()
    edit.appendPlainText("the end")
    qtbot.waitUntil(lambda: bool(results), timeout=60_000)
    assert results == [["line"] * 200_000 + ["", "the end"]]


def test_window_encodes_the_exact_text(qtbot: QtBot, catalog: Catalog) -> None:
    window = MainWindow(catalog, tokenizer="gpt2", text=TRICKY)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.result is not None, timeout=60_000)
    assert window.result is not None and window.result.text == TRICKY


def test_window_encodes_a_long_text_exactly_in_a_child_process(
    qtbot: QtBot, catalog: Catalog
) -> None:
    long_text = (TRICKY + "\n") * (LARGE_TEXT // len(TRICKY) * 6)
    window = MainWindow(catalog, tokenizer="gpt2", text="short")
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.result is not None, timeout=60_000)
    with qtbot.waitSignal(window.result_shown, timeout=120_000):
        window.text_edit.setPlainText(long_text)
    qtbot.waitUntil(
        lambda: window.result is not None and window.result.text == long_text, timeout=120_000
    )
    assert window.encode_process.running  # it went through the child
    want = encode(catalog.load("gpt2"), long_text, window.encoding_panel.settings())
    np.testing.assert_array_equal(window.result.columns.ids, want.columns.ids)
    np.testing.assert_array_equal(window.result.columns.byte_start, want.columns.byte_start)
    window.close()


@pytest.mark.parametrize("count", [0, 1, 2, 1999, 2000, 2001, 4000, 4001])
def test_pieces_join_to_the_text(count: int) -> None:
    lines = [f"{i} {TRICKY}" if i % 7 else "" for i in range(count)]
    assert "".join(text_pieces(lines, lines_per_piece=2000)) == "\n".join(lines)
    assert joined(lines) == "\n".join(lines)


def test_session_saves_a_text_in_pieces(tmp_path: Path) -> None:
    store = SessionText(tmp_path)
    lines = [TRICKY] * 5000 + [""]
    store.save("text", text_pieces(lines))
    assert store.load("text") == "\n".join(lines)


def _saves_on(store: SessionText) -> list[tuple[str, bool]]:
    """Record each save (pane, made on the GUI thread?) and let it write as it would."""
    made: list[tuple[str, bool]] = []
    save = store.save

    def recording(name: str, text: str | Iterable[str]) -> None:
        made.append((name, threading.current_thread() is threading.main_thread()))
        save(name, text)

    store.save = recording  # type: ignore[method-assign]
    return made


def test_session_saves_what_changed_on_a_worker_and_the_rest_at_quit(
    qtbot: QtBot, catalog: Catalog
) -> None:
    window = MainWindow(catalog, tokenizer="gpt2", text="first")
    qtbot.addWidget(window)
    store = window.session
    made = _saves_on(store)
    window.show()
    saved = store.folder / "session-text.txt"
    qtbot.waitUntil(lambda: saved.is_file() and store.load("text") == "first", timeout=30_000)
    qtbot.waitUntil(lambda: not window.panes._saving, timeout=30_000)  # written and landed
    assert made and all(not on_gui for _name, on_gui in made)
    long_text = "\n".join(f"{i} {TRICKY}" for i in range(LARGE_TEXT // 20)) + "\n"
    window.text_edit.setPlainText(long_text)  # read in slices, then saved from what was read
    qtbot.waitUntil(lambda: store.load("text") == long_text, timeout=60_000)
    assert all(not on_gui for _name, on_gui in made)
    qtbot.waitUntil(lambda: not window.panes._saving, timeout=30_000)
    saved.write_text("changed by someone else", "utf-8")
    made.clear()
    window.close()  # nothing changed since the last save: nothing is written
    assert made == []
    assert store.load("text") == "changed by someone else"


def test_session_text_typed_just_before_quitting_is_saved(qtbot: QtBot, catalog: Catalog) -> None:
    window = MainWindow(catalog, tokenizer="gpt2", text="first")
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.result is not None, timeout=60_000)
    window.text_edit.setPlainText("typed last")
    window.pair_edit.setPlainText("pair typed last")
    window.close()  # before the autosave pause is over
    assert window.session.load("text") == "typed last"
    assert window.session.load("pair") == "pair typed last"


def test_no_session_is_written_when_persist_is_off(qtbot: QtBot, catalog: Catalog) -> None:
    window = MainWindow(catalog, tokenizer="gpt2", text="first", persist=False)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.result is not None, timeout=60_000)
    window.text_edit.setPlainText("x" * (LARGE_TEXT + 10))
    qtbot.waitUntil(lambda: window.result is not None and len(window.result.text) > 10)
    window.close()
    assert not list(window.session.folder.glob("session-*"))
