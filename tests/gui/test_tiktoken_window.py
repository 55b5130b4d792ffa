"""The window never builds a tiktoken tokenizer's converted ``tokenizers.Tokenizer`` (reading
it holds Python's lock for most of a second): facts, panels, tokens and the round trip come
from the ranks, and a path that needs it (truncation, pairs) goes to the encode process.
Its own catalog's tokenizers never build tiktoken's encoding either (0.1–0.5 s with the lock
held for o200k): the window's tiktoken host holds it."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from inspector.core.batch import batch_inputs
from inspector.core.catalog import Catalog
from inspector.core.chat import _HF_COPIES, conversation_from_value
from inspector.core.remote_copy import WhatIfCopy
from inspector.core.settings import EncodeSettings
from inspector.core.tiktoken_fast import TiktokenTokenizer
from inspector.gui.main_window import MainWindow
from tests.core import raw
from tests.gui.conftest import shown
from tests.gui.test_comparison_view import settle


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
    truncated = EncodeSettings(truncation="longest_first", max_length=3)
    with qtbot.waitSignal(state.result_changed, timeout=120_000):
        state.set_settings(truncated, state.mode)
    # The encode process did it: this process has still not built the conversion.
    assert not tok.converted_is_built and len(window.result or []) == 3
    assert window.state.encode_process.running


TEXT = "Hello <|endoftext|> wörld 😀, 自然语言处理\r\nand <|endoftext|>more " + "z" * 3000


def _library_ids(name: str, text: str, split: bool = False) -> list[int]:
    encoding = raw.tiktoken_encoding(name)
    if split:
        return list(encoding.encode_ordinary(text))
    return list(encoding.encode(text, allowed_special="all"))


def _untouched(tok: object) -> bool:
    """Neither tiktoken's encoding nor the conversion was built in this process."""
    assert isinstance(tok, TiktokenTokenizer)
    return "_encoding" not in tok.__dict__ and not tok.converted_is_built


def test_the_window_encodes_tiktoken_in_its_host_and_builds_nothing_here(qtbot: QtBot) -> None:
    window = shown(qtbot, MainWindow(tokenizer="o200k_base", text="Hi"), 1000, 700)
    qtbot.waitUntil(lambda: window.result is not None, timeout=120_000)
    state = window.state
    tok = state.tokenizer
    assert isinstance(tok, TiktokenTokenizer) and tok.encoding_host is state.tiktoken_host
    with qtbot.waitSignal(state.result_changed, timeout=60_000):
        state.set_text(TEXT)
    result = window.result
    assert result is not None and result.roundtrip is not None and result.roundtrip.equal
    assert result.columns.ids.tolist() == _library_ids("o200k_base", TEXT)
    split = EncodeSettings(split_special_tokens=True)
    with qtbot.waitSignal(state.result_changed, timeout=60_000):
        state.set_settings(split, state.mode)
    assert (window.result or result).columns.ids.tolist() == _library_ids("o200k_base", TEXT, True)
    assert _untouched(tok) and state.tiktoken_host.running

    # Settings that need the conversion: the encode process, not this one.
    truncated = EncodeSettings(truncation="longest_first", max_length=5)
    with qtbot.waitSignal(state.result_changed, timeout=120_000):
        state.set_settings(truncated, state.mode)
    assert (window.result or result).columns.ids.tolist() == _library_ids("o200k_base", TEXT)[:5]
    assert _untouched(tok) and state.encode_process.running

    # Batch mode (one text per line), truncated: the encode process too.
    with qtbot.waitSignal(state.batch_changed, timeout=120_000):
        state.set_settings(truncated, "batch")
    texts, _ = batch_inputs(TEXT, "")
    assert state.batch is not None and len(texts) == 2
    got = [r.columns.ids.tolist() for r in state.batch.results]
    assert got == [_library_ids("o200k_base", t)[:5] for t in texts]
    assert _untouched(tok)

    # The Compare dock's rows come from the same catalog: the same holds for them.
    with qtbot.waitSignal(state.result_changed, timeout=60_000):
        state.set_settings(EncodeSettings(), "single")
    window.comparison.show_panel()
    panel = window.comparison.panel
    panel.set_rows(["o200k_base", "cl100k_base"])
    comparison = settle(qtbot, panel)
    for name, row in zip(["o200k_base", "cl100k_base"], comparison.rows, strict=True):
        assert row.result is not None and row.result.columns.ids.tolist() == _library_ids(
            name, TEXT
        )
        assert _untouched(state.catalog.load(name))
    state.set_settings(truncated, "single")  # the rows follow: to the encode process too

    def rows_truncated() -> bool:
        shown_now = panel.comparison()
        rows = [] if shown_now is None else shown_now.rows
        return len(rows) == 2 and all(r.result is not None and len(r.result) == 5 for r in rows)

    qtbot.waitUntil(rows_truncated, timeout=120_000)
    assert all(_untouched(state.catalog.load(name)) for name in ["o200k_base", "cl100k_base"])
    window.close()
    assert not state.tiktoken_host.running  # closed with the window


CHATML = (
    "{% for message in messages %}{{ '<|im_start|>' + message['role'] + '\\n' + "
    "message['content'] + '<|im_end|>' + '\\n' }}{% endfor %}"
)


def test_a_what_if_copy_and_a_chat_template_build_no_conversion_here(
    qtbot: QtBot, tmp_path: Path
) -> None:
    """ "What if" tokens on o200k: the encode process makes the copy, the window holds a light
    one (WhatIfCopy) whose encodes go there; a Jinja template on qwen2.5 (tiktoken) runs there
    too. Neither builds a ``tokenizers.Tokenizer`` in this process."""
    window = shown(qtbot, MainWindow(tokenizer="o200k_base", text="Hi"), 1000, 700)
    qtbot.waitUntil(lambda: window.result is not None, timeout=120_000)
    state = window.state
    base = state.tokenizer
    with qtbot.waitSignal(state.result_changed, timeout=60_000):
        state.set_text("Hello <|mine|> wörld, wörlds")
    state.add_tokens(["<|mine|>", "wörld"], True)

    def copy_shown() -> bool:
        result = window.result
        return state.is_modified and result is not None and result.tokenizer.id.endswith("+added")

    qtbot.waitUntil(copy_shown, timeout=120_000)
    copy = state.tokenizer
    assert isinstance(copy, WhatIfCopy) and "_built_real" not in copy.__dict__
    assert _untouched(base) and state.encode_process.running
    result = window.result
    assert result is not None
    mine, world = copy.token_to_id("<|mine|>"), copy.token_to_id("wörld")
    assert base is not None and mine == base.facts.vocab_size and world == base.facts.vocab_size + 1
    assert result.columns.ids.tolist().count(world) == 2 and mine in result.columns.ids
    assert "<|mine|>" in [result.token(i).token for i in range(len(result))]
    # The child's round trip is the library's (an added "wörld" decodes through the byte
    # alphabet: ö is a byte there, so "w�rld"); the light copy decodes the same here.
    assert result.roundtrip is not None
    assert result.roundtrip.decoded == copy.decode(result.columns.ids.tolist(), False)

    # Typing on: each keystroke supersedes the encode before it, which never kills the child
    # for a short text (it would load the copy again, seconds): the same child answers.
    child = state.encode_process.pid
    for typed in ("Hello <|mine|> w", "Hello <|mine|> wö", "Hello <|mine|> wörld!"):
        state.set_text(typed)
    qtbot.waitUntil(lambda: window.result is not None and window.result.text.endswith("!"))
    assert state.encode_process.pid == child and world in window.result.columns.ids
    assert "_built_real" not in copy.__dict__

    # Chat mode on a tiktoken tokenizer with a given Jinja template.
    template = tmp_path / "chatml.jinja"
    template.write_text(CHATML, "utf-8")
    with qtbot.waitSignal(state.tokenizer_changed, timeout=120_000):
        state.load_tokenizer("qwen2.5")
    qwen = state.tokenizer
    panel = window.chat.panel
    panel.editor.set_conversation(conversation_from_value([{"role": "user", "content": "你好 👋"}]))
    panel._template = template  # the "Template file…" button's choice, without its dialog
    with qtbot.waitSignal(panel.chat_shown, timeout=120_000) as blocker:
        window.chat.show_panel()
    chat = blocker.args[0]
    assert chat.rendered == "<|im_start|>user\n你好 👋<|im_end|>\n"
    assert chat.result.tokenizer.id == "qwen2.5" and chat.rows[0].content_tokens > 0
    assert _untouched(qwen) and qwen not in _HF_COPIES
    window.close()
