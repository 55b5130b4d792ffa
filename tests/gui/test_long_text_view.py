"""A text with a very long line is shown read-only in the long view (issue 11 §4b): the window
never lays the line out, the tokenizer sees the text the editor would have held, and the view
does what the editor does with the rest of the window (marks, selection, copy, zoom)."""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QLocale, QMimeData, QPoint, Qt
from PySide6.QtGui import QColor, QGuiApplication
from PySide6.QtWidgets import QPlainTextEdit
from pytestqt.qtbot import QtBot

from inspector.core.catalog import Catalog
from inspector.gui import document_text
from inspector.gui.document_text import editor_text, exact_text
from inspector.gui.main_window import MainWindow
from inspector.gui.session import SessionText
from inspector.gui.state import InspectorState
from inspector.gui.text_panes import (
    LONG_VIEW_LINE,
    LONG_VIEW_TEXT,
    ROWS_CHANNEL,
    ROWS_ON_WORKER,
    TextPanes,
)
from inspector.gui.widgets.long_text_view import MARGIN, LongTextView, TextRows, cells_of
from tests.gui.conftest import shown
from tests.gui.language import english_after  # noqa: F401 (autouse fixture)

NO_WRAP = QPlainTextEdit.LineWrapMode.NoWrap
LONG = LONG_VIEW_LINE + 1
# Tricky characters: CRLF, emoji (a ZWJ sequence, a flag), CJK, a combining accent, Arabic,
# a tab, a no-break space, a line separator, a typed special token.
PIECES = ["a", " ", "\r\n", "👩‍🔬", "🇫🇷", "鸟语花香", "e\u0301", "مرحبا", "\t", "\u00a0", "\u2028"]
PIECES += ["<|endoftext|>", "word", "\n"]


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return Catalog()


def _tricky(length: int, seed: int = 1) -> str:
    pick = random.Random(seed).choice
    parts: list[str] = []
    size = 0
    while size < length:
        parts.append(pick(PIECES))
        size += len(parts[-1])
    return "".join(parts)


def _window(qtbot: QtBot, catalog: Catalog, text: str | None) -> MainWindow:
    window = shown(qtbot, MainWindow(catalog, tokenizer="gpt2", text=text), 1000, 700)
    qtbot.waitUntil(lambda: window.result is not None, timeout=60_000)
    return window


def _result_text(window: MainWindow) -> str | None:
    return window.result.text if window.result is not None else None


@pytest.mark.parametrize("width", [2, 3, 7, 40])
def test_rows_rebuild_the_lines_and_never_split_a_character(width: int) -> None:
    text = _tricky(3000, seed=width).replace("\r", "")
    rows = TextRows(text)
    rows.fit(width)
    line_of = np.searchsorted(rows.line_starts, rows.starts, side="right") - 1
    lines: dict[int, str] = {}
    cells = cells_of(np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32))
    for line, start, end in zip(line_of, rows.starts, rows.ends, strict=True):
        lines[int(line)] = lines.get(int(line), "") + text[start:end]
        assert int(cells[start:end].sum()) <= width + 1  # a wide one may start in the last cell
        if start < end and start > rows.line_starts[line]:
            assert cells[start] > 0  # a joining mark (accent, ZWJ'd emoji) stays with its letter
    assert [lines[i] for i in range(len(lines))] == text.split("\n")


def test_rows_of_an_ascii_text_are_cut_every_width() -> None:
    rows = TextRows("abcdefg\n\nxy\n")
    rows.fit(3)
    pieces = ["abcdefg\n\nxy\n"[a:b] for a, b in zip(rows.starts, rows.ends, strict=True)]
    assert pieces == ["abc", "def", "g", "", "xy", ""]
    assert rows.longest_line() == (0, 7)


@pytest.mark.parametrize("line", ["abcdefg", "a中bcé\u0301😀d" * 3, "", "x"])
def test_a_text_of_one_line_is_cut_as_the_same_line_among_others(line: str) -> None:
    alone, among = TextRows(line), TextRows(f"{line}\n{line}")
    alone.fit(4)
    among.fit(4)
    assert alone.longest_line() == (0, len(line))
    assert list(alone.line_starts) == [0] and list(alone.line_ends) == [len(line)]
    count = alone.count
    assert list(alone.starts) == list(among.starts[:count])
    assert list(alone.ends) == list(among.ends[:count])
    assert among.starts[count] == len(line) + 1  # the second line starts a row of its own


@pytest.mark.parametrize("piece", [3, 7, document_text.EDITOR_SLICE])
def test_editor_text_is_what_the_editor_holds(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, piece: int
) -> None:
    """Also when a long text is worked on in pieces (CR LF and CR CR LF across their edges)."""
    monkeypatch.setattr(document_text, "EDITOR_SLICE", piece)
    edit = QPlainTextEdit()
    qtbot.addWidget(edit)
    texts = [_tricky(500), "a\r\r\nb\rc\u2029d\ufdd0e\ufdd1f", "x\ud800y", "plain", "ab\r\r\r\nc\r"]
    for text in texts:
        edit.setPlainText(text)
        assert editor_text(text) == exact_text(edit.document())
    same = "plain text, long enough 東京"
    assert editor_text(same) is same  # unchanged: the same object (callers skip a scan)


def test_a_million_character_line_is_shown_in_the_long_view(qtbot: QtBot, catalog: Catalog) -> None:
    window = _window(qtbot, catalog, "short")
    panes = window.panes
    word = "a" * 1_000_000
    panes.set_texts(word, "")
    qtbot.waitUntil(lambda: panes.text_body.long, timeout=30_000)  # its rows cut on a worker
    assert panes.text_view.isVisible() and not window.text_edit.isVisible()
    assert window.text_edit.document().characterCount() == 1  # Qt never holds the line
    notice = panes.text_body.notice
    assert notice.isVisible() and "Line 1 has 1" in notice.label.text()
    assert notice.action.isVisible() and notice.action.text() == "Edit anyway"
    assert not notice.dismiss.isVisible()  # the way out of the view stays
    assert window.state.text == word
    qtbot.waitUntil(lambda: _result_text(window) == word, timeout=120_000)
    panes.text_view.viewport().repaint()  # it paints
    # A text with short lines afterwards goes back to the editor.
    panes.set_texts("short again\nand again", "")
    assert not panes.text_body.long and window.text_edit.isVisible()
    assert not notice.isVisible()
    qtbot.waitUntil(lambda: _result_text(window) == "short again\nand again", timeout=60_000)


@pytest.mark.parametrize("seed", [1, 2])
def test_the_tokenizer_sees_the_text_the_editor_would_have_held(
    qtbot: QtBot, catalog: Catalog, seed: int
) -> None:
    line = _tricky(3 * LONG, seed).replace("\n", "").replace("\r", "")
    text = line + "\r\n" + _tricky(200, seed + 5)
    window = _window(qtbot, catalog, "short")
    window.panes.set_texts(text, "")
    assert window.panes.text_body.long
    window.panes.set_texts(_tricky(3 * LONG, seed), "")  # its CRs cut it into short lines
    assert not window.panes.text_body.long
    window.panes.set_texts(text, "")
    editor = QPlainTextEdit()
    qtbot.addWidget(editor)
    editor.setPlainText(text)
    expected = exact_text(editor.document())  # what the state got before the long view
    assert window.state.text == expected
    assert "\r" not in expected and "<|endoftext|>" in expected and "鸟" in expected
    qtbot.waitUntil(lambda: _result_text(window) == expected, timeout=120_000)
    # "Edit anyway" puts the same text in the editor, unwrapped, with a wait cursor meanwhile.
    window.panes.text_body.notice.action.click()
    assert QGuiApplication.overrideCursor() is not None
    qtbot.waitUntil(lambda: window.text_edit.isVisible(), timeout=10_000)
    assert exact_text(window.text_edit.document()) == expected
    assert window.text_edit.lineWrapMode() == NO_WRAP
    assert not window.panes.text_body.notice.isVisible()
    qtbot.waitUntil(lambda: QGuiApplication.overrideCursor() is None, timeout=10_000)
    qtbot.waitUntil(lambda: _result_text(window) == expected, timeout=120_000)


def test_token_selection_and_the_view_light_each_other_up(qtbot: QtBot, catalog: Catalog) -> None:
    text = "Hello world, " * 2000  # one line of 26,000 characters
    window = _window(qtbot, catalog, text)
    panes, view, state = window.panes, window.panes.text_view, window.state
    assert panes.text_body.long
    qtbot.waitUntil(lambda: _result_text(window) == text, timeout=60_000)
    result = window.result
    assert result is not None
    # A token selected elsewhere (strip, table) is lit up, and scrolled to.
    index = len(result) - 3
    state.select_token(index)
    start, end = int(result.columns.char_start[index]), int(result.columns.char_end[index])
    assert list(view._mark_starts) == [start] and list(view._mark_ends) == [end]
    assert view._mark_colour == QColor("#ffd24d")
    row = view.rows().row_of(start)
    bar = view.verticalScrollBar()
    assert bar.value() <= row < bar.value() + bar.pageStep()
    state.hover_token(2)
    assert list(view._mark_starts) == [int(result.columns.char_start[2])]
    # A selection in the view highlights the tokens under it.
    highlighted: list[np.ndarray] = []
    state.tokens_highlighted.connect(highlighted.append)
    view.select(0, 12)  # "Hello world,"
    assert list(highlighted[-1]) == list(result.tokens_at(0, 12, 0))
    view.copy()
    assert QGuiApplication.clipboard().text() == "Hello world,"
    # A click selects the token under it (its first character on the first row).
    bar.setValue(0)
    first_character = QPoint(MARGIN + 2, view._row_height // 2)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=first_character)
    assert state.selected_token == 0


def test_a_huge_paste_lands_in_the_long_view(qtbot: QtBot) -> None:
    state = InspectorState(Catalog())
    panes = shown(qtbot, TextPanes(state, None), 800, 400)
    edit = panes.text_edit
    edit.setPlainText("typed before, then ")
    edit.moveCursor(edit.textCursor().MoveOperation.End)
    changes: list[int] = []
    edit.document().contentsChange.connect(lambda *args: changes.append(args[2]))
    data = QMimeData()
    pasted = "👩‍🔬鸟" * (LONG // 2) + "\r\nnext"
    data.setText(pasted)
    edit.insertFromMimeData(data)
    assert max(changes) < 100  # never inserted into the editor (emptied instead)
    assert panes.text_body.long
    assert state.text == "typed before, then " + pasted.replace("\r\n", "\n")
    # A paste replaces the selection as it would in the editor.
    panes.set_texts("keep [this] keep", "")
    cursor = edit.textCursor()
    cursor.setPosition(5)
    cursor.setPosition(11, cursor.MoveMode.KeepAnchor)
    edit.setTextCursor(cursor)
    data.setText("z" * LONG)
    edit.insertFromMimeData(data)
    assert state.text == "keep " + "z" * LONG + " keep"
    state.shutdown()


def test_after_edit_anyway_a_paste_stays_in_the_editor_unwrapped(qtbot: QtBot) -> None:
    state = InspectorState(Catalog())
    panes = shown(qtbot, TextPanes(state, None), 800, 400)
    panes.set_texts("y" * LONG, "")
    panes.text_body.notice.action.click()
    qtbot.waitUntil(lambda: panes.text_edit.isVisible(), timeout=10_000)
    edit = panes.text_edit
    edit.moveCursor(edit.textCursor().MoveOperation.End)
    data = QMimeData()
    data.setText("w" * LONG)
    edit.insertFromMimeData(data)
    assert not panes.text_body.long and exact_text(edit.document()).endswith("w" * LONG)
    assert edit.lineWrapMode() == NO_WRAP and panes.long_line_note.isVisible()
    state.shutdown()


def test_a_long_pair_line_is_shown_in_the_pair_long_view(qtbot: QtBot) -> None:
    state = InspectorState(Catalog())
    state.mode = "pair"
    panes = shown(qtbot, TextPanes(state, None), 800, 400)
    pair = "b" * (LONG + 5) + "\r\nend"
    panes.set_texts("short", pair)
    assert panes.pair_body.long and not panes.text_body.long
    assert panes.pair_view.isVisible() and panes.pair_body.notice.isVisible()
    assert state.pair == pair.replace("\r\n", "\n")
    panes.pair_body.notice.action.click()
    qtbot.waitUntil(lambda: panes.pair_edit.isVisible(), timeout=10_000)
    assert state.pair == pair.replace("\r\n", "\n")
    panes.set_texts("short", "short pair")
    assert not panes.pair_body.long and state.pair == "short pair"
    state.shutdown()


def test_the_session_keeps_a_long_text_and_restores_it_in_the_long_view(
    qtbot: QtBot, catalog: Catalog
) -> None:
    text = "x" * LONG + "\n" + "鸟语花香 " * 10
    window = _window(qtbot, catalog, text)
    store = window.session
    qtbot.waitUntil(lambda: store.load("text") == text, timeout=30_000)  # autosave
    window.close()
    again = _window(qtbot, catalog, None)  # no text given: the session's
    assert again.panes.text_body.long
    assert again.state.text == text and again.panes.text_view.text() == text


def test_the_view_follows_the_zoom(qtbot: QtBot, catalog: Catalog) -> None:
    window = _window(qtbot, catalog, "q" * LONG)
    view: LongTextView = window.panes.text_view
    before = view.font().pointSizeF()
    rows_before = view.rows().count
    window.view_keys.zoom.zoom_in()
    window.view_keys.zoom.zoom_in()
    assert view.font().pointSizeF() > before
    assert view.rows().count > rows_before  # fewer characters fit in a row
    window.view_keys.zoom.reset()
    assert view.font().pointSizeF() == before


def test_cells_of_every_kind_of_character() -> None:
    codes = np.array(
        [ord(c) for c in "a\n中😀\u0301\u200b\U0001f3fb\U00020000\U0001f650é"], dtype=np.uint32
    )
    assert list(cells_of(codes)) == [1, 0, 2, 2, 0, 0, 0, 2, 1, 1]
    zwj = np.array([ord(c) for c in "👩\u200d🔬x"], dtype=np.uint32)
    assert list(cells_of(zwj)) == [2, 0, 0, 1]  # the ZWJ'd emoji stays on the row


def test_batch_mode_marks_the_token_on_its_line_of_the_long_view(
    qtbot: QtBot, catalog: Catalog
) -> None:
    window = _window(qtbot, catalog, "short")
    state = window.state
    window.encoding_panel.mode_buttons["batch"].click()
    qtbot.waitUntil(lambda: state.mode == "batch", timeout=10_000)
    text = "first line\n" + "long " * (LONG // 5 + 1) + "\nthird"
    window.panes.set_texts(text, "")
    assert window.panes.text_body.long
    qtbot.waitUntil(
        lambda: state.batch is not None and len(state.batch.results) == 3, timeout=60_000
    )
    state.show_batch_row(1)
    result = state.result
    assert result is not None
    state.select_token(1)
    view = window.panes.text_view
    start = len("first line\n") + int(result.columns.char_start[1])
    assert list(view._mark_starts) == [start]
    assert (
        text[start : int(view._mark_ends[0])]
        == result.text[int(result.columns.char_start[1]) : int(result.columns.char_end[1])]
    )


def test_keys_scroll_the_view_and_setting_the_editor_leaves_it(
    qtbot: QtBot, catalog: Catalog
) -> None:
    window = _window(qtbot, catalog, "k" * 200_000)
    view = window.panes.text_view
    view.setFocus()
    bar = view.verticalScrollBar()
    qtbot.keyClick(view, Qt.Key.Key_PageDown)
    assert bar.value() == bar.pageStep()
    qtbot.keyClick(view, Qt.Key.Key_End)
    assert bar.value() == bar.maximum() > 0
    qtbot.keyClick(view, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    assert view.selection() == (0, 200_000)
    window.text_edit.setPlainText("typed")  # the program set the editor: that is the text now
    assert not window.panes.text_body.long and window.text_edit.isVisible()
    qtbot.waitUntil(lambda: _result_text(window) == "typed", timeout=60_000)


def test_every_row_takes_its_lines_direction(qtbot: QtBot) -> None:
    """Laid out alone, a row of a left-to-right line that starts with an Arabic word would be
    right to left, its runs shown in another order than the editor shows the line."""
    ltr = "Start " + "مرحبا abc بالعالم def " * 60
    rtl = "مرحبا abc " * 60
    view = shown(qtbot, LongTextView(), 300, 400)
    view.set_text(f"{ltr}\n{rtl}\n12345 ")
    rows = view.rows()
    second_line = view.line_start(1)
    arabic_first = [r for r in range(rows.count) if ltr[rows.starts[r] : rows.starts[r] + 1] == "م"]
    assert arabic_first and rows.starts[arabic_first[0]] < second_line  # such a row exists
    for row in range(rows.count):
        laid = view._row(row)
        in_rtl_line = second_line <= rows.starts[row] < view.line_start(2)
        expected = Qt.LayoutDirection.RightToLeft if in_rtl_line else Qt.LayoutDirection.LeftToRight
        assert laid.layout.textOption().textDirection() == expected, row
    row = arabic_first[0]
    start = int(rows.starts[row])
    latin = ltr.index("abc", start) - start  # "abc" follows the Arabic word: to its right
    laid = view._row(row)
    assert laid.line.cursorToX(laid.qt_pos(latin))[0] > laid.line.cursorToX(0)[0]


def test_the_notice_and_menu_follow_a_language_switch(qtbot: QtBot, catalog: Catalog) -> None:
    from inspector.gui import i18n

    panes = shown(qtbot, TextPanes(InspectorState(catalog), None), 700, 300)
    panes.set_texts("x" * (LONG_VIEW_LINE + 5) + "\nabc", "")
    body = panes.text_body
    assert body.notice.action.text() == "Edit anyway"
    assert i18n.translations().install("zh_CN")
    qtbot.waitUntil(lambda: body.notice.action.text() == "仍要编辑")
    assert "第 1 行" in body.notice.label.text()
    assert body.view.copy_action.text() == "复制"
    assert i18n.translations().install("en")
    qtbot.waitUntil(lambda: body.notice.action.text() == "Edit anyway")
    assert body.view.copy_action.text() == "Copy"


def test_a_long_text_of_short_lines_is_shown_in_the_long_view(qtbot: QtBot) -> None:
    """Qt's setPlainText costs ~30 ms a MB: a text over LONG_VIEW_TEXT characters (here with
    CRLF lines, which the editor would have made "\\n") is shown read-only, the notice says
    how long it is, and "Edit anyway" puts it in the editor."""
    state = InspectorState(Catalog())
    panes = shown(qtbot, TextPanes(state, None), 800, 400)
    line = "Tokens, 東京 and 👩‍🔬 on a short line.\r\n"
    text = line * (LONG_VIEW_TEXT // (len(line) - 1) + 1)  # over it with "\n" lines too
    assert LONG_VIEW_TEXT < len(text) <= ROWS_ON_WORKER  # cut here, at once
    panes.set_texts(text, "")
    body = panes.text_body
    assert body.long and panes.text_view.isVisible() and not panes.text_edit.isVisible()
    assert panes.text_edit.document().characterCount() == 1  # Qt never holds the text
    shown_text = text.replace("\r\n", "\n")
    assert state.text == shown_text and panes.text_view.text() == shown_text
    count = QLocale().toString(len(shown_text))
    assert body.notice.label.text().startswith(f"The text has {count} characters")
    body.notice.action.click()  # "Edit anyway"
    qtbot.waitUntil(lambda: panes.text_edit.isVisible(), timeout=10_000)
    assert exact_text(panes.text_edit.document()) == shown_text and not body.long
    # A paste that makes the editor's text that long goes to the long view as well.
    panes.set_texts("short", "")
    edit = panes.text_edit
    edit.moveCursor(edit.textCursor().MoveOperation.End)
    data = QMimeData()
    data.setText(text)
    edit.insertFromMimeData(data)
    assert body.long and state.text == "short" + data.text().replace("\r\n", "\n")


def test_a_text_over_rows_on_worker_is_cut_on_a_worker_and_the_latest_wins(
    qtbot: QtBot,
) -> None:
    state = InspectorState(Catalog())
    panes = shown(qtbot, TextPanes(state, None), 800, 400)
    text = "Tokens, 東京 and 👩‍🔬 on a short line.\n" * (ROWS_ON_WORKER // 30)
    assert len(text) > ROWS_ON_WORKER
    panes.set_texts(text, "")
    assert not panes.text_body.long  # not yet: the rows are cut on a worker
    qtbot.waitUntil(lambda: panes.text_body.long, timeout=30_000)
    assert state.text == text and panes.text_view.text() == text
    rows = panes.text_view.rows()
    assert rows.length == len(text) and rows.count >= text.count("\n")
    assert rows.width == panes.text_view.cells_per_row()  # fitted on the worker already
    # A text given while the rows of a longer one are being cut is the one that stays.
    panes.set_texts(text + "more", "")
    panes.set_texts("short again", "")
    assert not panes.text_body.long and exact_text(panes.text_edit.document()) == "short again"
    qtbot.waitUntil(lambda: not state.runner.active(ROWS_CHANNEL), timeout=30_000)
    qtbot.wait(50)
    assert not panes.text_body.long and state.text == "short again"


def test_a_long_text_is_saved_in_slices_that_join_back(monkeypatch: pytest.MonkeyPatch) -> None:
    """The autosave encodes a long text a slice at a time (one UTF-8 encode of 5 MB held
    Python's lock 10-30 ms on its worker); the slices join back to the text."""
    monkeypatch.setattr(document_text, "EDITOR_SLICE", 3)
    text = "héllo wörld 東京👩‍🔬\r\n" * 3
    slices = list(document_text.text_slices(text))
    assert len(slices) > 5 and "".join(slices) == text
    assert all(len(piece) == 3 or piece.endswith("\r\n") for piece in slices[:-1])
    assert not any(piece.endswith("\r") for piece in slices[:-1])  # a CR LF stays whole
    assert list(document_text.text_slices("")) == []


def test_a_quit_before_a_long_texts_rows_are_cut_saves_the_text(
    qtbot: QtBot, tmp_path: Path
) -> None:
    """Nothing is lost: a long text given to the pane (a paste, a file) is the session's text
    from the moment it is given, not only once its rows are cut on the worker."""
    store = SessionText(tmp_path)
    state = InspectorState(Catalog())
    panes = shown(qtbot, TextPanes(state, store), 800, 400)
    text = "Tokens, 東京 and 👩‍🔬 on a short line.\n" * (ROWS_ON_WORKER // 30)
    panes.set_texts(text, "")
    panes.save_session()  # quitting at once
    assert store.load("text") == text
    qtbot.waitUntil(lambda: panes.text_body.long, timeout=30_000)
