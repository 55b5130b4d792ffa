"""An encode that stops before it lands — the user's Cancel, or the encode process killed —
leaves the window consistent: never one tokenizer's tokens under another's name, never a
status stuck on "loading …", and a Retry wherever the tokens shown are not those of the text
and tokenizer of now. Real window, real catalog tokenizers, a real child process killed."""

from __future__ import annotations

import os
import signal
import threading
from typing import Any

import pytest
from PySide6.QtCore import QCoreApplication, Qt
from pytestqt.qtbot import QtBot

from inspector.core.cancel import CancelToken
from inspector.core.catalog import Catalog
from inspector.gui import state as state_module
from inspector.gui.main_window import MainWindow
from tests.gui.conftest import shown

MINILM = "sentence-transformers/all-MiniLM-L6-v2"
LINE = "Hello world, numbers 12345 and émoji 😀 wörld.\n"
LONG = LINE * 45_000  # 2.3 MB, as reported (MiniLM takes many seconds: still under way)
# Over the encode process's threshold; MiniLM encodes it in seconds, not a minute.
MID = LINE * 10_000


def _window(qtbot: QtBot, catalog: Catalog, name: str, text: str) -> MainWindow:
    """``name`` showing the tokens of ``text`` (a long text is read in slices first)."""
    window = shown(qtbot, MainWindow(catalog, tokenizer=name, text=text), 1200, 800)
    qtbot.waitUntil(lambda: _shows(window, text), timeout=120_000)
    return window


def _shows(window: MainWindow, text: str) -> bool:
    result = window.result
    return result is not None and len(result.text) == len(text) and not window.state.encoding


def _switch_to_minilm(qtbot: QtBot, window: MainWindow) -> None:
    """The user picks MiniLM; its encode is under way (the progress and Cancel shown)."""
    window.picker.show_name(MINILM)
    window.picker.chosen.emit(MINILM)
    qtbot.waitUntil(lambda: window.state.tokenizer_name == MINILM, timeout=60_000)
    qtbot.waitUntil(window.status.progress_shown, timeout=60_000)
    assert window.state.encoding and window.status.cancel.isVisible()


def _retry(qtbot: QtBot, window: MainWindow, text: str) -> None:
    qtbot.mouseClick(window.status.retry, Qt.MouseButton.LeftButton)
    assert window.state.encoding
    qtbot.waitUntil(lambda: _shows(window, text), timeout=180_000)


def test_cancel_after_a_switch_goes_back_to_the_tokenizer_of_the_tokens_shown(
    qtbot: QtBot, catalog: Catalog
) -> None:
    window = _window(qtbot, catalog, "cl100k_base", LONG)
    state, status = window.state, window.status
    cl100k, tokens_before = state.tokenizer, window.result
    assert tokens_before is not None
    _switch_to_minilm(qtbot, window)
    qtbot.mouseClick(status.cancel, Qt.MouseButton.LeftButton)
    assert state.runner.wait(120_000)
    QCoreApplication.processEvents()  # a result already on its way arrives (and is dropped)

    # Everything names the tokenizer whose tokens are shown.
    assert window.result is tokens_before and tokens_before.tokenizer.id == "cl100k_base"
    assert state.tokenizer is cl100k and state.tokenizer_name == "cl100k_base"
    assert window.picker.currentText() == "cl100k_base"
    assert window.windowTitle().endswith("cl100k_base")
    assert window.tokenizer_panel._tok is cl100k  # the Tokenizer dock too
    # The status shows those tokens and says what happened; nothing to retry: they are current.
    assert status.tokens.text().startswith(f"{len(tokens_before):,} tokens")
    assert status.stopped.isVisible() and status.stopped.text() == "Cancelled: back to cl100k_base"
    assert state.result_is_current and not status.retry.isVisible()
    assert not status.progress_shown() and not state.encoding

    # Typing goes on with cl100k_base, and the note goes with the next encode.
    with qtbot.waitSignal(window.result_shown, timeout=60_000):
        window.text_edit.setPlainText("Hello again")
    assert window.result is not None and window.result.tokenizer.id == "cl100k_base"
    assert not status.stopped.isVisible()


def test_cancel_while_the_new_tokenizer_loads_stops_the_switch(
    qtbot: QtBot, catalog: Catalog, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An edit's long encode under way, MiniLM picked and still loading: Cancel stops both —
    the load never lands later to start another long encode, and the picker and status say
    cl100k_base again (not "loading …"), with a Retry for the edited text."""
    window = _window(qtbot, catalog, "cl100k_base", MID)
    state, status = window.state, window.status
    loading, release = threading.Event(), threading.Event()
    load = state_module._load_job

    def held_load(*args: Any, cancel: CancelToken) -> Any:
        loading.set()
        assert release.wait(60), "never released"
        return load(*args, cancel=cancel)

    monkeypatch.setattr(state_module, "_load_job", held_load)
    state.set_text(LONG * 2)  # cl100k_base takes seconds: the progress shows
    qtbot.waitUntil(status.progress_shown, timeout=60_000)
    window.picker.show_name(MINILM)
    window.picker.chosen.emit(MINILM)
    qtbot.waitUntil(loading.is_set, timeout=10_000)
    assert status.tokens.text().startswith("loading")
    qtbot.mouseClick(status.cancel, Qt.MouseButton.LeftButton)
    release.set()
    assert state.runner.wait(120_000)
    QCoreApplication.processEvents()  # the load's result arrives, and is dropped
    assert state.tokenizer_name == "cl100k_base" and not state.pending_name
    assert window.picker.currentText() == "cl100k_base" and not state.encoding
    assert window.result is not None and len(window.result.text) == len(MID)
    assert status.tokens.text().startswith(f"{len(window.result):,} tokens")
    assert status.stopped.text() == "Cancelled" and status.retry.isVisible()


def test_cancel_of_the_first_long_encode_offers_retry(qtbot: QtBot, catalog: Catalog) -> None:
    """The window's first encode of the long text cancelled: no tokens of another tokenizer
    to go back to, so MiniLM stays, and a Retry encodes the text."""
    window = shown(qtbot, MainWindow(catalog, tokenizer=MINILM, text=MID), 1200, 800)
    state, status = window.state, window.status
    qtbot.waitUntil(lambda: len(state.text) > 1, timeout=60_000)  # read: its lines are there
    qtbot.waitUntil(status.progress_shown, timeout=60_000)
    qtbot.mouseClick(status.cancel, Qt.MouseButton.LeftButton)
    assert state.runner.wait(120_000)
    QCoreApplication.processEvents()
    shown_now = window.result  # none, or MiniLM's of the empty pane before the text was read
    assert shown_now is None or (shown_now.tokenizer.id == MINILM and not shown_now.text)
    assert state.tokenizer_name == MINILM and not state.result_is_current
    assert window.picker.currentText() == MINILM
    assert not status.tokens.text().startswith("loading")
    assert status.stopped.text() == "Cancelled" and status.retry.isVisible()
    _retry(qtbot, window, MID)
    assert window.result is not None and window.result.tokenizer.id == MINILM
    assert not status.retry.isVisible() and not status.stopped.isVisible()


def _kill_the_encoder(qtbot: QtBot, window: MainWindow) -> int:
    """SIGKILL the encode process while it encodes (its pipe's lock is held by the encode
    under way, which has lasted long enough for the progress to show)."""
    process = window.state.encode_process
    qtbot.waitUntil(lambda: process._child.lock.locked() and process.running, timeout=60_000)
    qtbot.waitUntil(window.status.progress_shown, timeout=60_000)
    pid = process.pid
    assert pid is not None
    with qtbot.waitSignal(window.state.encode_failed, timeout=60_000):
        os.kill(pid, signal.SIGKILL)
    return pid


def test_an_encoder_killed_after_a_switch_shows_no_stale_tokens_and_retry_encodes_again(
    qtbot: QtBot, catalog: Catalog
) -> None:
    window = _window(qtbot, catalog, "cl100k_base", MID)
    state, status = window.state, window.status
    _switch_to_minilm(qtbot, window)
    killed = _kill_the_encoder(qtbot, window)

    # MiniLM was wanted: no cl100k_base tokens under its name; the message and a Retry.
    assert state.tokenizer_name == MINILM and window.picker.currentText() == MINILM
    assert window.result is None and window.strip.result() is None
    assert window.banner.isVisible() and "stopped unexpectedly" in window.banner.text()
    assert status.stopped.text() == "Tokenization failed" and status.retry.isVisible()
    assert not status.tokens.text().startswith("loading")

    _retry(qtbot, window, MID)  # a new child encodes
    assert state.encode_process.pid not in (None, killed)
    assert window.result is not None and window.result.tokenizer.id == MINILM
    assert not status.retry.isVisible() and not window.banner.isVisible()


def test_an_encoder_killed_after_an_edit_keeps_the_tokens_and_offers_retry(
    qtbot: QtBot, catalog: Catalog
) -> None:
    window = _window(qtbot, catalog, MINILM, MID)
    state, status = window.state, window.status
    tokens_before = window.result
    assert tokens_before is not None
    edited = MID + "One line more.\n"
    state.set_text(edited)
    killed = _kill_the_encoder(qtbot, window)
    assert window.result is tokens_before and state.tokenizer_name == MINILM
    assert status.stopped.text() == "Tokenization failed" and status.retry.isVisible()
    assert status.tokens.text().startswith(f"{len(tokens_before):,} tokens")
    _retry(qtbot, window, edited)
    assert state.encode_process.pid not in (None, killed)
    assert window.result is not None and window.result.text == edited
    assert not status.retry.isVisible()
