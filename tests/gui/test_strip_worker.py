"""A result over SYNC_TOKENS is laid out on a worker: the same chips as at once, a newer result
supersedes it, a selection made meanwhile is kept; the strip can follow the state itself."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QRect
from pytestqt.qtbot import QtBot

from inspector.core.catalog import Catalog
from inspector.core.encoding import EncodingResult, encode
from inspector.gui.state import InspectorState
from inspector.gui.widgets import token_strip
from inspector.gui.widgets.token_strip import TokenStrip
from tests.gui.conftest import shown

TEXT = "Hello world, <|endoftext|> ünïcödé 😀 and\nmore lines\n" * 40


@pytest.fixture
def result(catalog: Catalog) -> EncodingResult:
    return encode(catalog.load("gpt2"), TEXT, with_roundtrip=False)


def _rects(strip: TokenStrip, n: int) -> list[QRect]:
    """Chips in content coordinates (the two strips may be scrolled apart)."""
    scroll = strip.verticalScrollBar().value()
    return [strip.chip_rect(i).translated(0, scroll) for i in range(n)]


def test_a_worker_lays_out_the_same_chips(
    qtbot: QtBot, result: EncodingResult, monkeypatch: pytest.MonkeyPatch
) -> None:
    at_once = shown(qtbot, TokenStrip(), 500, 300)
    at_once.set_result(result)  # small: in this turn
    assert not at_once.is_laying_out() and at_once.line_count() > 1
    monkeypatch.setattr(token_strip, "SYNC_TOKENS", 10)
    worker = shown(qtbot, TokenStrip(), 500, 300)
    with qtbot.waitSignal(worker.laid_out, timeout=30_000):
        worker.set_result(result)
        assert worker.is_laying_out() and worker.line_count() == 0
        worker.set_current(7)  # selected before the chips landed: kept
        worker.grab()  # paints "Laying out …" without error
    assert not worker.is_laying_out()
    n = len(result)
    assert _rects(worker, n) == _rects(at_once, n)
    assert [worker.chip_text(i) for i in range(n)] == [at_once.chip_text(i) for i in range(n)]
    assert worker.current() == 7
    at_once.resize(300, 300)
    with qtbot.waitSignal(worker.laid_out, timeout=30_000):
        worker.resize(300, 300)  # a narrower strip is wrapped again on the worker
    qtbot.waitUntil(lambda: at_once.content_height() == worker.content_height())
    assert _rects(worker, n) == _rects(at_once, n)


def test_a_newer_result_supersedes_the_layout_under_way(
    qtbot: QtBot, catalog: Catalog, result: EncodingResult, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(token_strip, "SYNC_TOKENS", 100)
    strip = shown(qtbot, TokenStrip(), 500, 300)
    landed: list[int] = []
    strip.laid_out.connect(lambda: landed.append(strip.line_count()))
    small = encode(catalog.load("gpt2"), "just a few words", with_roundtrip=False)
    strip.set_result(result)  # on the worker
    strip.set_result(small)  # at once; the worker's result is dropped when it lands
    assert strip._runner.wait(30_000)
    qtbot.waitUntil(lambda: strip._runner.active() == 0)
    assert strip.result() is small and len(landed) == 1 and strip.line_count() == 1


def test_the_strip_follows_the_state(qtbot: QtBot, catalog: Catalog) -> None:
    state = InspectorState(catalog)
    strip = shown(qtbot, TokenStrip(state=state), 500, 300)
    with qtbot.waitSignal(state.tokenizer_changed, timeout=60_000):
        state.load_tokenizer("gpt2")
    with qtbot.waitSignal(strip.laid_out, timeout=60_000):
        state.set_text("Hello strip and state")
    assert strip.result() is state.result and strip.line_count() == 1
    state.select_token(2)
    assert strip.current() == 2
    hovered: list[int] = []
    strip.hovered.connect(hovered.append)
    state.hover_token(1)  # hovered elsewhere: outlined here, not sent back
    assert strip._hover == 1 and hovered == []
    state.shutdown()


def test_a_big_result_of_the_state_is_laid_out_after_the_panels_have_it(
    qtbot: QtBot, catalog: Catalog, result: EncodingResult, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The state's result waits for result_settled (the panels' turn and first paint) before
    the worker starts; a result given directly starts at once."""
    monkeypatch.setattr(token_strip, "SYNC_TOKENS", 10)
    state = InspectorState(catalog)
    strip = shown(qtbot, TokenStrip(state=state), 500, 300)
    with qtbot.waitSignal(state.tokenizer_changed, timeout=60_000):
        state.load_tokenizer("gpt2")
    layouts_at_settle: list[int] = []
    state.result_settled.connect(lambda _: layouts_at_settle.append(state.runner.active("strip")))
    with qtbot.waitSignal(strip.laid_out, timeout=60_000):
        state.set_text(TEXT)
    assert layouts_at_settle == [0]  # no layout job yet when the panels got the result
    assert strip.result() is state.result and strip.line_count() > 1
    assert not strip.is_laying_out()
    with qtbot.waitSignal(strip.laid_out, timeout=60_000):
        strip.set_result(result)  # not the state's: nothing to wait for
    assert strip.result() is result and strip.line_count() > 1
    state.shutdown()
