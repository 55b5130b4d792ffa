"""What the window replaces is freed by its last reference, not left in a reference cycle for
the garbage collector (issue 11 §4). A cycle that holds a result, a comparison or its labels
is freed by whichever collection finds it, at a moment nobody chose and with Python's lock
held: a comparison's canvas left that way cost the GUI thread 8-18 ms in a young collection
while a later 1.25 MB result was presented (bench_freeze.py (d)).

Each scenario runs with automatic collection off; one collection with ``DEBUG_SAVEALL``
afterwards must find no object of this project (nor a function, generator or cell of its
code) among the unreachable ones."""

from __future__ import annotations

import gc
import types
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from pytestqt.qtbot import QtBot

from inspector.core.catalog import Catalog
from inspector.gui.main_window import MainWindow
from inspector.gui.widgets import comparison_canvas
from inspector.gui.widgets.comparison_view import ComparisonPanel
from tests.gui.conftest import shown

TEXT = "Hello wörld 🎶🇫🇷 naïve café 東京 12345 tokens, and <|endoftext|> more\r\n" * 60


def ours(thing: object) -> str | None:
    """A description of ``thing`` when it is this project's: an instance of one of its
    classes, or a function, generator or cell of its code."""
    kind = type(thing)
    if kind.__module__.startswith("inspector"):
        return kind.__qualname__
    code = None
    if isinstance(thing, types.FunctionType):
        code = thing.__code__
    elif isinstance(thing, types.GeneratorType):
        code = thing.gi_code
    elif isinstance(thing, types.CellType):
        try:
            return ours(thing.cell_contents)
        except ValueError:  # an empty cell
            return None
    if code is not None and "/inspector/" in code.co_filename:
        return code.co_qualname
    return None


@contextmanager
def no_cyclic_garbage() -> Iterator[None]:
    gc.collect()
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.set_debug(gc.DEBUG_SAVEALL)
        gc.collect()
        found = sorted({name for thing in gc.garbage if (name := ours(thing))})
        gc.set_debug(0)
        gc.garbage.clear()
        gc.collect()
        if was_enabled:
            gc.enable()
    assert found == [], f"left in reference cycles: {found}"


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return Catalog()


def test_a_replaced_comparison_is_freed_without_a_collection(
    qtbot: QtBot, catalog: Catalog, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(comparison_canvas, "SYNC_CHARS", 10)  # laid out on a worker
    panel = shown(qtbot, ComparisonPanel(catalog), 1000, 600)
    with no_cyclic_garbage():
        for text in (TEXT, TEXT.upper(), TEXT[::-1]):
            with qtbot.waitSignal(panel.rows_settled, timeout=120_000):
                panel.set_text(text)
                panel.set_rows(["gpt2", "cl100k_base"])
            qtbot.waitUntil(lambda: not panel.canvas.is_laying_out(), timeout=60_000)
            qtbot.wait(50)  # the canvas's preparing turns and its banded first paint
        panel.shutdown()


def test_the_window_frees_what_it_replaces_without_a_collection(
    qtbot: QtBot, catalog: Catalog
) -> None:
    window = shown(qtbot, MainWindow(catalog, tokenizer="gpt2", text="short"), 1100, 700)
    qtbot.waitUntil(lambda: window.result is not None, timeout=60_000)
    state = window.state
    with no_cyclic_garbage():
        for text in (TEXT, TEXT * 3, "Hello"):
            state.set_text(text)
            qtbot.waitUntil(
                lambda text=text: window.result is not None and window.result.text == text,
                timeout=60_000,
            )
            qtbot.waitUntil(lambda: not window.strip.is_laying_out(), timeout=60_000)
        for name in ("minilm", "gpt2"):
            before = window.result
            state.load_tokenizer(name)
            qtbot.waitUntil(
                lambda before=before: window.result not in (None, before), timeout=60_000
            )
        state.add_tokens(["<|mine|>", "wörld"], True)  # a "what if" copy of gpt2
        qtbot.waitUntil(
            lambda: window.result is not None and window.result.tokenizer.id.endswith("+added"),
            timeout=60_000,
        )
        qtbot.wait(50)
