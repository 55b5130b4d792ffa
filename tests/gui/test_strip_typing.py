"""Typing into the token strip: a result that keeps the last one's leading tokens keeps their
chips and is laid out and painted from the first changed line only — and the strip then holds
and shows exactly what a fresh strip given that result holds and shows."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

import numpy as np
import pytest
from PySide6.QtCore import QEvent, QObject, QPoint, QRect
from PySide6.QtGui import QColor, QImage, QPainter, QRegion
from pytestqt.qtbot import QtBot

from inspector.core.catalog import Catalog
from inspector.core.chat import apply_chat, conversation_from_value
from inspector.core.encoding import encode
from inspector.core.sources import resources_dir
from inspector.gui.widgets import token_strip
from inspector.gui.widgets.chat_strip import ChatStrip
from inspector.gui.widgets.strip_layout import StripLayout, StripTokens, wrap_tokens
from inspector.gui.widgets.strip_paint import PaintedViewport
from inspector.gui.widgets.strip_typing import TypedLayout
from inspector.gui.widgets.token_strip import TokenStrip
from tests.gui.conftest import on_screen, shown

MINILM = "sentence-transformers/all-MiniLM-L6-v2"
CHINESE = (resources_dir() / "samples" / "chinese.txt").read_text("utf-8")


def typed_texts(text: str) -> list[str]:
    """Keys at the end (letters, a space, a newline, CJK and an emoji in byte pieces, a typed
    control token), deletions, keys in the middle, and a word pasted at the start."""
    keys = ["a", "ab", "ab ", "ab\n", "ab\n中", "ab\n中文", "ab\n中文 👍🏽", " <|endoftext|>"]
    middle = len(text) // 2
    return [
        text,
        *(text + key for key in keys),
        text[:-40],
        text[:middle] + "x" + text[middle:],
        text[:middle] + "\n\n" + text[middle:],
        text[:middle] + "字" + text[middle:],
        "Word " + text,
        text,
    ]


@pytest.fixture
def typed_layouts(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[TypedLayout | None]]:
    """What each set_result's typed path gave (None: laid out from scratch)."""
    seen: list[TypedLayout | None] = []
    real = token_strip.typed_layout

    def spy(*args: object, **kwargs: object) -> TypedLayout | None:
        seen.append(real(*args, **kwargs))  # type: ignore[arg-type]
        return seen[-1]

    monkeypatch.setattr(token_strip, "typed_layout", spy)
    yield seen


def assert_as_fresh(qtbot: QtBot, strip: TokenStrip, fresh: TokenStrip) -> None:
    """``strip`` holds and shows what ``fresh``, a new strip given the same, does."""
    assert_same_chips(strip, fresh)
    assert painted(qtbot, strip) == painted(qtbot, fresh)
    fresh.close()


def assert_same_chips(strip: TokenStrip, fresh: TokenStrip) -> None:
    for mine, theirs in ((strip._tokens, fresh._tokens), (strip._layout, fresh._layout)):
        assert mine is not None and theirs is not None
        for field in dataclasses.fields(mine):
            a, b = getattr(mine, field.name), getattr(theirs, field.name)
            assert np.array_equal(a, b), field.name
            assert np.asarray(a).dtype == np.asarray(b).dtype, field.name


def painted(qtbot: QtBot, strip: TokenStrip) -> QImage:
    qtbot.wait(20)  # the update it asked for is painted
    return on_screen(strip.viewport())


@pytest.mark.parametrize(
    ("name", "pair", "size"),
    [
        ("gpt2", None, 3000),
        ("gpt2", None, 300),  # the changes in view
        ("gpt2", "a pair text\nof two lines", 300),
        (MINILM, None, 300),  # newlines between tokens, not in them
        ("mistral-v3", None, 300),  # byte-fallback pieces
    ],
)
def test_typed_results_hold_and_show_what_a_fresh_strip_does(
    qtbot: QtBot,
    catalog: Catalog,
    mixed_text: str,
    typed_layouts: list[TypedLayout | None],
    name: str,
    pair: str | None,
    size: int,
) -> None:
    tok = catalog.load(name)
    text = (mixed_text + CHINESE)[:size]
    strip = shown(qtbot, TokenStrip(), 600, 260)
    for typed in typed_texts(text):
        result = encode(tok, typed, pair=pair)
        strip.set_result(result)
        fresh = shown(qtbot, TokenStrip(), 600, 260)
        fresh.set_result(result)
        assert_as_fresh(qtbot, strip, fresh)
    kept = [layout for layout in typed_layouts if layout is not None]
    assert len(kept) >= len(typed_layouts) - 2  # all but the paste at the start (and back)


def test_typing_below_the_view_paints_nothing(
    qtbot: QtBot, catalog: Catalog, mixed_text: str
) -> None:
    tok = catalog.load("gpt2")
    text = mixed_text * 4
    strip = shown(qtbot, TokenStrip(), 600, 200)
    strip.set_result(encode(tok, text))
    qtbot.wait(20)
    regions: list[QRect] = []

    class Paints(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint:
                regions.append(event.region().boundingRect())  # type: ignore[attr-defined]
            return False

    paints = Paints()
    strip.viewport().installEventFilter(paints)
    for key in ("a", "ab", "ab\n", "ab\ncd"):
        strip.set_result(encode(tok, text + key))
        qtbot.wait(20)
    assert regions == []
    # Typed in view: only from the changed line's neighbour down is painted again.
    short = text[:120]
    strip.set_result(encode(tok, short))
    qtbot.wait(20)
    regions.clear()
    strip.set_result(encode(tok, short + "x"))
    qtbot.wait(20)
    assert regions and min(r.top() for r in regions) > 0


def test_wrapping_from_any_line_keeps_the_lines_before(
    qtbot: QtBot, catalog: Catalog, mixed_text: str
) -> None:
    strip = shown(qtbot, TokenStrip(), 500, 200)
    strip.set_result(encode(catalog.load("gpt2"), mixed_text + CHINESE))
    tokens, full = strip._tokens, strip._layout
    assert tokens is not None and full is not None
    lines = len(full.line_start) - 1
    assert lines > 20
    for line in range(lines):
        again = wrap_tokens(
            tokens, full.width, strip._chip_h, strip._band, keep=full, from_line=line
        )
        for field in dataclasses.fields(StripLayout):
            assert np.array_equal(getattr(again, field.name), getattr(full, field.name))


def test_tokens_prepared_from_a_group_are_the_whole_arrays_from_there(
    qtbot: QtBot, catalog: Catalog, mixed_text: str
) -> None:
    strip = shown(qtbot, TokenStrip(), 500, 200)
    result = encode(catalog.load("gpt2"), mixed_text + CHINESE, pair="pair\ntext")
    whole = strip._prepare(result)
    starts = whole.unit_starts
    for start in starts[:: max(1, len(starts) // 60)].tolist():
        tail = strip._prepare(result, start)
        for field in dataclasses.fields(StripTokens):
            value = getattr(whole, field.name)
            if field.name == "n":
                assert tail.n == whole.n - start
            elif field.name in ("unit_starts", "group_first", "group_last"):
                assert np.array_equal(getattr(tail, field.name), value[value >= start])
            else:
                assert np.array_equal(getattr(tail, field.name), value[start:]), field.name


def test_a_paint_draws_only_the_chips_it_exposes_and_the_same_pixels(
    qtbot: QtBot, catalog: Catalog, mixed_text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    strip = shown(qtbot, TokenStrip(), 600, 300)
    strip.set_result(encode(catalog.load("gpt2"), mixed_text + CHINESE + " <|endoftext|>"))
    strip.set_current(3)
    strip.highlight([5, 6, 40])
    strip.set_options(show_ids=True)
    viewport = strip.viewport()
    drawn: list[int] = []
    chips_of = PaintedViewport.chips

    def render(rect: QRect) -> QImage:
        """What a paint of ``rect`` alone draws there (Qt's own clipping aside, text pixels
        differ by one level from a whole paint's: compare paints of the same rect)."""
        image = QImage(rect.size(), QImage.Format.Format_ARGB32)
        image.fill(QColor("magenta"))
        painter = QPainter(image)
        viewport.render(painter, QPoint(), QRegion(rect))
        painter.end()
        return image

    def counted(view: PaintedViewport, layout: StripLayout, a: int, b: int, reach: int) -> object:
        shown = chips_of(view, layout, a, b, reach)
        drawn.append(len(shown))
        return shown

    def every(view: PaintedViewport, layout: StripLayout, a: int, b: int, reach: int) -> object:
        return np.arange(a, b)

    chips = [strip.chip_rect(i).adjusted(-3, -3, 3, 3) for i in (3, 6, 30, 41, 77)]
    for rect in [*chips, QRect(150, 0, 60, 300), QRect(0, 40, 600, 30)]:
        monkeypatch.setattr(PaintedViewport, "chips", counted)
        drawn.clear()
        strip._painted.invalidate()  # drawn, not copied from what was painted before
        part = render(rect)
        if rect in chips:
            assert 0 < sum(drawn) <= 4  # the chip and its neighbours, not the line
        monkeypatch.setattr(PaintedViewport, "chips", every)
        strip._painted.invalidate()
        assert part == render(rect), rect


def test_what_a_repaint_copies_is_what_a_fresh_strip_paints(
    qtbot: QtBot, catalog: Catalog, mixed_text: str
) -> None:
    result = encode(catalog.load("gpt2"), (mixed_text + CHINESE) * 2)
    strip = shown(qtbot, TokenStrip(), 600, 260)
    strip.set_result(result)
    qtbot.wait(20)
    steps = [
        lambda s: s.verticalScrollBar().setValue(170),
        lambda s: s._set_hover(s.index_at(QPoint(40, 30))),
        lambda s: s.set_current(s.index_at(QPoint(200, 60))),
        lambda s: s.highlight(np.arange(s.index_at(QPoint(10, 100)), s.index_at(QPoint(90, 100)))),
        lambda s: s.verticalScrollBar().setValue(95),
        lambda s: s.set_options(colorblind=True),
        lambda s: s.verticalScrollBar().setValue(130),
    ]
    for step in steps:
        step(strip)
        qtbot.wait(20)
    fresh = shown(qtbot, TokenStrip(), 600, 260)
    fresh.set_result(result)
    fresh.set_options(colorblind=True)
    fresh.verticalScrollBar().setValue(130)
    fresh._set_hover(strip._hover)
    fresh.set_current(strip.current())
    fresh.highlight(strip._highlight)
    fresh.verticalScrollBar().setValue(130)
    qtbot.wait(20)
    strip.viewport().repaint()  # all of it: copied from the cache
    assert on_screen(strip.viewport()) == painted(qtbot, fresh)


def test_chat_strip_follows_edits_as_a_fresh_one(
    qtbot: QtBot, catalog: Catalog, typed_layouts: list[TypedLayout | None]
) -> None:
    tok = catalog.load("smollm2")
    messages = [
        {"role": "user", "content": "Where is the station? 车站在哪里？"},
        {"role": "assistant", "content": "Two blocks north, then left."},
    ]
    strip = shown(qtbot, ChatStrip(), 500, 200)
    for tail in ("", " A", " And", " And the museum?", " And"):
        edited = [*messages[:-1], {**messages[-1], "content": messages[-1]["content"] + tail}]
        chat = apply_chat(tok, conversation_from_value(edited), add_generation_prompt=True)
        strip.set_chat(chat)
        fresh = shown(qtbot, ChatStrip(), 500, 200)
        fresh.set_chat(chat)
        assert_as_fresh(qtbot, strip, fresh)
    assert any(layout is not None for layout in typed_layouts)
