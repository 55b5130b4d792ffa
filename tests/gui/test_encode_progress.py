"""A long tokenization shows a progress bar and a Cancel in the status bar once it has lasted a
moment; Cancel stops it and keeps the tokens shown; the bar goes when the encode is over."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QCoreApplication, Qt
from pytestqt.qtbot import QtBot

from inspector.core.catalog import Catalog
from inspector.gui import state as state_module
from inspector.gui.main_window import MainWindow
from tests.gui.conftest import shown

# Several MB with typed special tokens: long enough that it is still under way after the
# status line's delay, on any machine.
LONG = "Hello <|endoftext|> wörld, numbers 12345 and émoji 😀.\n" * 60_000


@pytest.fixture
def window(qtbot: QtBot, catalog: Catalog) -> MainWindow:
    window = shown(qtbot, MainWindow(catalog, tokenizer="gpt2", text="Hello"), 1000, 700)
    qtbot.waitUntil(lambda: window.result is not None, timeout=60_000)
    return window


def test_cancel_in_the_status_bar_stops_a_long_encode(qtbot: QtBot, window: MainWindow) -> None:
    state, status = window.state, window.status
    shown_before = state.result
    assert not status.progress_shown()
    with qtbot.waitSignal(state.encoding_busy, timeout=10_000):
        state.set_text(LONG)
    qtbot.waitUntil(status.progress_shown, timeout=60_000)
    assert status.cancel.isVisible()
    with qtbot.waitSignal(state.encoding_busy, timeout=10_000) as busy:
        qtbot.mouseClick(status.cancel, Qt.MouseButton.LeftButton)
    assert busy.args == [False]
    assert not status.progress_shown() and not status.cancel.isVisible()
    assert state.runner.wait(120_000)
    QCoreApplication.processEvents()  # a result already on its way arrives (and is dropped)
    assert state.result is shown_before


def test_a_thread_encode_feeds_the_bar_and_it_goes_when_done(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(state_module, "can_use_process", lambda *_: False)  # progress: a thread's
    state, status = window.state, window.status
    values: list[int] = []
    state.encode_progress.connect(lambda _share: values.append(status.progress.value()))
    with qtbot.waitSignal(state.result_changed, timeout=300_000):
        state.set_text(LONG)
        qtbot.waitUntil(status.progress_shown, timeout=60_000)
    assert values and values[-1] == 100 and values == sorted(values)
    assert status.progress.maximum() == 100
    assert not status.progress_shown() and not status.cancel.isVisible()
    assert state.result is not None and len(state.result.text) == len(LONG)
    qtbot.waitUntil(lambda: not window.strip.is_laying_out(), timeout=60_000)
