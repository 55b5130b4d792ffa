"""The window stays usable while long things happen (issue 11 §4): a very long line is shown
read-only in the long view (tests/gui/test_long_text_view.py), and unwrapped when the user
edits it anyway (Qt's wrapping of it would hold the window for seconds); a tokenizer that is
being loaded leaves the one before working until it lands. Behaviour only: the stalls
themselves are measured by bench/bench_freeze.py."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QCoreApplication, QMimeData
from PySide6.QtWidgets import QPlainTextEdit
from pytestqt.qtbot import QtBot

from inspector.core.catalog import Catalog
from inspector.core.tiktoken_fast import TiktokenTokenizer
from inspector.gui.document_text import longest_line
from inspector.gui.main_window import MainWindow
from inspector.gui.state import InspectorState, _load_job
from inspector.gui.text_panes import LONG_LINE, TextPanes
from tests.gui.conftest import shown

NO_WRAP = QPlainTextEdit.LineWrapMode.NoWrap
WRAP = QPlainTextEdit.LineWrapMode.WidgetWidth


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return Catalog()


def test_longest_line_of_a_text_and_of_its_lines() -> None:
    assert longest_line("") == 0
    assert longest_line("abc") == 3
    assert longest_line("ab\nabcde\n") == 5
    assert longest_line(["ab", "abcdef", ""]) == 6
    assert longest_line([]) == 0


def test_a_million_character_word_is_edited_unwrapped_and_the_window_stays_usable(
    qtbot: QtBot, catalog: Catalog
) -> None:
    window = shown(qtbot, MainWindow(catalog, tokenizer="gpt2", text="short"), 1000, 700)
    qtbot.waitUntil(lambda: window.result is not None, timeout=60_000)
    panes = window.panes
    assert window.text_edit.lineWrapMode() == WRAP
    assert not panes.long_line_note.isVisible()
    word = "a" * 1_000_000
    panes.set_texts(word, "")
    qtbot.waitUntil(lambda: panes.text_body.long, timeout=30_000)  # shown read-only first
    seen: list[QPlainTextEdit.LineWrapMode] = []
    edit = window.text_edit
    edit.document().contentsChange.connect(lambda *_: seen.append(edit.lineWrapMode()))
    panes.text_body.notice.action.click()  # "Edit anyway"
    qtbot.waitUntil(lambda: edit.isVisible(), timeout=10_000)
    assert seen and seen[-1] == NO_WRAP  # already unwrapped when Qt got the line
    assert panes.long_line_note.isVisible()
    assert "10" in panes.long_line_note.text()  # it says how long a line may be
    qtbot.waitUntil(
        lambda: window.result is not None and len(window.result.text) == len(word),
        timeout=120_000,
    )
    edit.viewport().repaint()  # it paints
    # Usable: typing goes on and reaches the tokenizer.
    edit.moveCursor(edit.textCursor().MoveOperation.End)
    edit.insertPlainText(" end")
    qtbot.waitUntil(
        lambda: window.result is not None and window.result.text.endswith(" end"),
        timeout=120_000,
    )
    # The long line gone: lines wrap again and the note goes away.
    panes.set_texts("short again\nand again", "")
    qtbot.waitUntil(
        lambda: window.result is not None and window.result.text == "short again\nand again",
        timeout=60_000,
    )
    assert window.text_edit.lineWrapMode() == WRAP
    assert not panes.long_line_note.isVisible()


def test_a_pasted_long_line_stops_wrapping_before_it_lands(qtbot: QtBot) -> None:
    state = InspectorState(Catalog())
    panes = shown(qtbot, TextPanes(state, None), 800, 400)
    edit = panes.text_edit
    edit.setPlainText("x" * 100)
    edit.keeps_long_lines = True  # as "Edit anyway" leaves it; else it goes to the long view
    seen: list[QPlainTextEdit.LineWrapMode] = []
    edit.document().contentsChange.connect(lambda *_: seen.append(edit.lineWrapMode()))
    data = QMimeData()
    data.setText("y" * (LONG_LINE + 1))
    edit.moveCursor(edit.textCursor().MoveOperation.End)
    edit.insertFromMimeData(data)
    assert seen and seen[0] == NO_WRAP  # already unwrapped when the document changed
    assert panes.long_line_note.isVisible()
    # A paste of short lines leaves wrapping alone.
    other = shown(qtbot, TextPanes(state, None), 800, 400)
    data.setText("short\n" * 2000)
    other.text_edit.insertFromMimeData(data)
    assert other.text_edit.lineWrapMode() == WRAP
    assert not other.text_body.long
    state.shutdown()


def test_a_long_pair_line_is_unwrapped_too(qtbot: QtBot) -> None:
    state = InspectorState(Catalog())
    panes = shown(qtbot, TextPanes(state, None), 800, 400)
    panes.set_texts("short", "b" * (LONG_LINE + 5))
    assert panes.pair_body.long and not panes.text_body.long
    panes.pair_body.notice.action.click()  # "Edit anyway"
    qtbot.waitUntil(lambda: not panes.pair_body.long, timeout=10_000)
    assert panes.pair_edit.lineWrapMode() == NO_WRAP
    assert panes.text_edit.lineWrapMode() == WRAP
    assert not panes.wraps_lines
    panes.pair_edit.setPlainText("short pair")
    assert panes.pair_edit.lineWrapMode() == WRAP
    assert panes.wraps_lines
    state.shutdown()


def test_load_job_builds_the_tiktoken_encoding_on_the_worker(catalog: Catalog) -> None:
    from inspector.core.cancel import CancelToken

    tok = _load_job(Catalog(), "gpt2", cancel=CancelToken())
    assert isinstance(tok, TiktokenTokenizer)
    assert "_encoding" in tok.__dict__  # built: the first encode does not build it


def test_loading_leaves_the_previous_tokenizer_working_until_it_lands(
    qtbot: QtBot, catalog: Catalog
) -> None:
    window = shown(qtbot, MainWindow(catalog, tokenizer="gpt2", text="Hello world"), 1000, 700)
    qtbot.waitUntil(lambda: window.result is not None, timeout=60_000)
    state = window.state
    gpt2 = state.tokenizer
    landed: list[tuple[str, str]] = []  # (text, tokenizer id) of each result shown
    state.result_changed.connect(
        lambda result: landed.append((result.text, result.tokenizer.id)) if result else None
    )
    state.catalog = Catalog()  # o200k not loaded yet in this catalog
    state.load_tokenizer("o200k_base")
    assert state.tokenizer is gpt2  # until the load lands
    window.text_edit.setPlainText("Hello again")  # typing meanwhile is encoded at once
    qtbot.waitUntil(lambda: ("Hello again", "o200k_base") in landed, timeout=120_000)
    names = [name for _, name in landed]
    first = names.index("o200k_base")
    assert set(names[:first]) <= {"gpt2"}  # before it landed, the old one answered
    assert set(names[first:]) == {"o200k_base"}  # after, no stale gpt2 result
    assert state.tokenizer_name == "o200k_base"
    assert window.result is not None and window.result.tokenizer.id == "o200k_base"


def _state_with(qtbot: QtBot, catalog: Catalog, name: str) -> InspectorState:
    state = InspectorState(catalog)
    with qtbot.waitSignal(state.tokenizer_changed, timeout=60_000):
        state.load_tokenizer(name)
    qtbot.waitUntil(lambda: not state.encoding, timeout=60_000)
    return state


def test_an_encode_says_it_is_busy_and_how_far_it_is(qtbot: QtBot, catalog: Catalog) -> None:
    state = _state_with(qtbot, catalog, "gpt2")
    busy: list[bool] = []
    shares: list[float] = []
    state.encoding_busy.connect(busy.append)
    state.encode_progress.connect(shares.append)
    with qtbot.waitSignal(state.result_changed, timeout=60_000):
        state.set_text("Hello <|endoftext|> world")
    assert busy == [True, False]
    assert shares and shares[-1] == 1.0 and shares == sorted(shares)
    state.shutdown()


def test_cancel_stops_an_encode_and_keeps_the_result_shown(qtbot: QtBot, catalog: Catalog) -> None:
    state = _state_with(qtbot, catalog, "gpt2")
    with qtbot.waitSignal(state.result_changed, timeout=60_000):
        state.set_text("first text")
    shown_before = state.result
    landed: list[object] = []
    state.result_changed.connect(landed.append)
    busy: list[bool] = []
    state.encoding_busy.connect(busy.append)
    state.set_text("second text " * 1000)
    state.cancel_encode()
    assert busy == [True, False] and not state.encoding
    assert state.runner.wait(60_000)
    QCoreApplication.processEvents()  # a result already on its way arrives (and is dropped)
    assert landed == [] and state.result is shown_before
    state.shutdown()
