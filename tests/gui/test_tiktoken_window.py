"""The window never builds a tiktoken tokenizer's converted ``tokenizers.Tokenizer`` (reading
it holds Python's lock for most of a second) to show a plain text: facts, panels, tokens and
the round trip come from the ranks. A path that needs it (truncation) builds it on a worker."""

from __future__ import annotations

import threading

from pytestqt.qtbot import QtBot

from inspector.core.catalog import Catalog
from inspector.core.settings import EncodeSettings
from inspector.core.tiktoken_fast import TiktokenTokenizer
from inspector.gui.main_window import MainWindow
from tests.gui.conftest import shown


def test_showing_a_tiktoken_tokenizer_does_not_build_its_conversion(qtbot: QtBot) -> None:
    window = shown(qtbot, MainWindow(Catalog(), tokenizer="o200k_base", text="Hi"), 1000, 700)
    qtbot.waitUntil(lambda: window.result is not None, timeout=120_000)
    state = window.state
    tok = state.tokenizer
    assert isinstance(tok, TiktokenTokenizer)
    with qtbot.waitSignal(state.result_changed, timeout=60_000):
        state.set_text("Hello <|endoftext|> wörld 😀, and more")
    assert window.result is not None and window.result.roundtrip is not None
    assert not tok.converted_is_built
    built_on: list[int] = []
    convert = tok._convert

    def record() -> object:
        built_on.append(threading.get_ident())
        return convert()

    tok._convert = record  # type: ignore[method-assign]
    truncated = EncodeSettings(truncation="longest_first", max_length=3)
    with qtbot.waitSignal(state.result_changed, timeout=120_000):
        state.set_settings(truncated, state.mode)
    assert tok.converted_is_built and len(window.result or []) == 3
    assert built_on and built_on[0] != threading.get_ident()  # on a worker, not here
