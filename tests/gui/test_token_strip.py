"""The token strip: order, wrapping, hover/click, 200k tokens, byte groups, options, palette."""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable

import numpy as np
import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QColor, QImage
from pytestqt.qtbot import QtBot

from inspector.core.catalog import Catalog
from inspector.core.encoding import EncodingResult, encode
from inspector.core.settings import EncodeSettings
from inspector.gui.palette import (
    OKABE_ITO,
    chip_color,
    chip_colors,
    chip_theme,
    contrast_ratio,
    is_dark,
)
from inspector.gui.widgets import strip_paint
from inspector.gui.widgets.token_strip import MARGIN, PAD_Y, TokenStrip

MINILM = "sentence-transformers/all-MiniLM-L6-v2"

MakeStrip = Callable[..., TokenStrip]


@pytest.fixture
def make_strip(qtbot: QtBot) -> MakeStrip:
    def make(
        result: EncodingResult | None = None, width: int = 700, height: int = 300
    ) -> TokenStrip:
        strip = TokenStrip()
        qtbot.addWidget(strip)
        strip.resize(width, height)
        strip.show()
        qtbot.waitExposed(strip)
        if result is not None:
            strip.set_result(result)
        return strip

    return make


def _rects(strip: TokenStrip, count: int) -> list[QRect]:
    return [strip.chip_rect(i) for i in range(count)]


def _pixel(image: QImage, point: QPoint) -> QColor:
    ratio = image.devicePixelRatio()
    return image.pixelColor(round(point.x() * ratio), round(point.y() * ratio))


def _fill_probe(strip: TokenStrip, index: int) -> QPoint:
    """A point inside the chip's padding, where only its fill is painted."""
    rect = strip.chip_rect(index)
    return QPoint(rect.left() + 2, rect.top() + PAD_Y // 2 + 1)


def _close(a: QColor, b: QColor, tolerance: int = 3) -> bool:
    pairs = ((a.red(), b.red()), (a.green(), b.green()), (a.blue(), b.blue()))
    return all(abs(x - y) <= tolerance for x, y in pairs)


# ---------------------------------------------------------------------------- layout


def test_chips_in_text_order_without_overlap(
    catalog: Catalog, mixed_text: str, make_strip: MakeStrip
) -> None:
    result = encode(catalog.load("gpt2"), mixed_text)
    strip = make_strip(result, height=600)
    rects = _rects(strip, len(result))
    assert all(r.isValid() and r.width() > 0 for r in rects)
    for a, b in itertools.pairwise(rects):
        if a.top() == b.top():  # same line: left to right, apart
            assert a.right() < b.left()
        else:  # next line: strictly below
            assert b.top() > a.bottom()
    assert all(r.left() >= MARGIN and r.right() < strip.viewport().width() for r in rects)
    # every chip is found again at its own centre
    assert [strip.index_at(r.center()) for r in rects] == list(range(len(result)))
    assert strip.index_at(QPoint(1, 1)) == -1


def test_display_strings_are_the_tokens(catalog: Catalog, make_strip: MakeStrip) -> None:
    result = encode(catalog.load("gpt2"), "Hello world\tdone")
    strip = make_strip(result)
    assert [strip.chip_text(i) for i in range(len(result))] == [v.display for v in result.views()]
    assert strip.chip_text(1) == "␣world"


def test_newline_ends_the_line(catalog: Catalog, make_strip: MakeStrip) -> None:
    result = encode(catalog.load("gpt2"), "ab cd\nef gh\n\nij")
    strip = make_strip(result, width=900)
    tokens = [v.token for v in result.views()]
    rects = _rects(strip, len(result))
    for i, view in enumerate(result.views()[:-1]):
        if "\n" in result.text[view.start : view.end]:
            assert rects[i + 1].top() > rects[i].bottom(), tokens
            assert rects[i + 1].left() == MARGIN
        else:
            assert rects[i + 1].top() == rects[i].top(), tokens
    newline_tokens = sum("\n" in result.text[v.start : v.end] for v in result.views())
    assert newline_tokens >= 2
    assert strip.line_count() == newline_tokens + 1


def test_wordpiece_wraps_where_the_text_does(catalog: Catalog, make_strip: MakeStrip) -> None:
    """WordPiece drops newlines; the strip still breaks the line where the text has one."""
    result = encode(catalog.load(MINILM), "hello world\nnext line")
    strip = make_strip(result, width=900)
    views = result.views()
    first_of_second = next(v.index for v in views if v.token == "next")
    assert strip.chip_rect(first_of_second).left() == MARGIN
    assert strip.chip_rect(first_of_second).top() > strip.chip_rect(first_of_second - 1).top()
    assert strip.line_count() == 2


def test_width_change_rewraps_height_change_does_not(
    catalog: Catalog, mixed_text: str, make_strip: MakeStrip, monkeypatch: pytest.MonkeyPatch
) -> None:
    result = encode(catalog.load("gpt2"), mixed_text)
    strip = make_strip(result, width=900, height=300)
    wide_lines = strip.line_count()
    calls: list[int] = []
    original = strip._wrap

    def counting(*args: object) -> object:
        calls.append(1)
        return original(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(strip, "_wrap", counting)
    strip.resize(900, 420)
    assert calls == []
    strip.resize(360, 420)
    assert len(calls) == 1
    assert strip.line_count() > wide_lines
    rects = _rects(strip, len(result))
    assert all(r.right() < strip.viewport().width() for r in rects)


def test_long_token_is_elided_not_overflowing(catalog: Catalog, make_strip: MakeStrip) -> None:
    result = encode(catalog.load("gpt2"), " " * 60 + "x")  # one long run of spaces
    strip = make_strip(result, width=140)
    for i in range(len(result)):
        assert strip.chip_rect(i).right() < strip.viewport().width()
    strip.grab()


# ---------------------------------------------------------------------------- interaction


def test_hover_reports_the_token_and_leaving(
    catalog: Catalog, mixed_text: str, make_strip: MakeStrip, qtbot: QtBot
) -> None:
    result = encode(catalog.load("gpt2"), mixed_text)
    strip = make_strip(result, height=500)
    viewport = strip.viewport()
    for index in (0, 7, len(result) - 1):
        with qtbot.waitSignal(strip.hovered, timeout=2000) as blocker:
            qtbot.mouseMove(viewport, strip.chip_rect(index).center())
        assert blocker.args == [index]
    with qtbot.waitSignal(strip.hovered, timeout=2000) as blocker:
        qtbot.mouseMove(viewport, QPoint(viewport.width() - 2, viewport.height() - 2))
    assert blocker.args == [-1]


def test_click_reports_and_marks_current(
    catalog: Catalog, mixed_text: str, make_strip: MakeStrip, qtbot: QtBot
) -> None:
    result = encode(catalog.load("gpt2"), mixed_text)
    strip = make_strip(result, height=500)
    with qtbot.waitSignal(strip.clicked, timeout=2000) as blocker:
        qtbot.mouseClick(
            strip.viewport(), Qt.MouseButton.LeftButton, pos=strip.chip_rect(5).center()
        )
    assert blocker.args == [5]
    assert strip.current() == 5
    current = QColor(strip.theme().current)
    assert _close(_pixel(strip.viewport().grab().toImage(), _fill_probe(strip, 5)), current)
    with qtbot.waitSignal(strip.clicked, timeout=2000) as blocker:
        qtbot.keyClick(strip, Qt.Key.Key_Right)
    assert blocker.args == [6]
    strip.set_current(-1)
    assert strip.current() == -1


def test_tooltip_says_id_raw_bytes_span_and_explanation(
    catalog: Catalog, make_strip: MakeStrip
) -> None:
    result = encode(catalog.load("gpt2"), "a😀 world")
    strip = make_strip(result)
    view = result.token(1)
    tip = strip.tooltip_html(1)
    assert f"id <b>{view.id}</b>" in tip
    assert view.bytes in tip  # F0 9F 98
    assert "part of a character" in tip
    assert f"characters {view.start}–{view.end}" in tip
    assert re.search(r"bytes \d+–\d+", tip)


def test_highlight_and_set_current_scrolls_into_view(
    catalog: Catalog, mixed_text: str, make_strip: MakeStrip
) -> None:
    result = encode(catalog.load("gpt2"), mixed_text * 40)
    strip = make_strip(result, height=200)
    assert strip.verticalScrollBar().maximum() > 0
    last = len(result) - 1
    strip.set_current(last)
    rect = strip.chip_rect(last)
    assert strip.viewport().rect().contains(rect)
    strip.highlight(np.arange(last - 3, last + 1))
    image = strip.viewport().grab().toImage()
    selection = QColor(strip.theme().selection)
    outline = QPoint(rect.left() - 1, rect.center().y())  # the outline sits just outside
    assert _close(_pixel(image, outline), selection, tolerance=60)
    strip.highlight([])
    strip.set_current(0)
    assert strip.verticalScrollBar().value() == 0


# ---------------------------------------------------------------------------- 200k tokens


@pytest.fixture(scope="module")
def big_result(catalog: Catalog) -> EncodingResult:
    words = [f"w{n % 997}x{n % 31}" for n in range(2000)]
    lines = [" ".join(words[i % 1900 : i % 1900 + 9]) + f" {i}." for i in range(16_000)]
    text = "\n".join(lines)  # ~800 KB
    result = encode(catalog.load("gpt2"), text, with_roundtrip=False)
    assert len(result) >= 200_000
    return result


def test_200k_tokens_paint_and_scroll_to_the_end(
    big_result: EncodingResult, make_strip: MakeStrip, qtbot: QtBot
) -> None:
    strip = make_strip(width=900, height=500)
    with qtbot.waitSignal(strip.laid_out, timeout=60_000):  # above SYNC_TOKENS: on a worker
        strip.set_result(big_result)
    strip.grab()  # paints the visible lines only
    n = len(big_result)
    assert strip.index_at(strip.chip_rect(0).center()) == 0
    bar = strip.verticalScrollBar()
    assert bar.maximum() > 100_000
    bar.setValue(bar.maximum())
    strip.grab()
    viewport = strip.viewport()
    bottom = QPoint(MARGIN + 2, viewport.height() - MARGIN - 12)
    index = -1
    for dy in range(0, 40):  # the first chip found above the bottom margin
        index = strip.index_at(bottom - QPoint(0, dy))
        if index >= 0:
            break
    assert n - 200 <= index < n
    last = strip.chip_rect(n - 1)
    assert viewport.rect().contains(last)
    assert strip.index_at(last.center()) == n - 1
    # a step up repaints without error and shows earlier tokens
    bar.setValue(bar.value() - bar.pageStep())
    strip.grab()
    assert strip.index_at(bottom) < index or strip.index_at(bottom) == -1


# ---------------------------------------------------------------------------- byte groups


def test_partial_bytes_of_one_emoji_share_a_frame(catalog: Catalog, make_strip: MakeStrip) -> None:
    result = encode(catalog.load("gpt2"), "a😀b")
    strip = make_strip(result)
    pieces = [v.index for v in result.views() if v.partial]
    assert len(pieces) >= 2
    assert [strip.chip_text(i) for i in pieces] == [result.token(i).display for i in pieces]
    assert all(strip.chip_text(i).startswith("⟨") for i in pieces)
    frame = strip.group_frame(pieces[0])
    assert frame.isValid()
    for i in pieces:
        assert strip.group_frame(i) == frame
        assert frame.contains(strip.chip_rect(i))
        assert strip.group_label(i) == "😀"
    others = [v.index for v in result.views() if not v.partial]
    for i in others:
        assert not strip.group_frame(i).isValid()
        assert not frame.intersects(strip.chip_rect(i))
    # the frame is drawn in the group colour (left edge, beside the label row)
    image = strip.viewport().grab().toImage()
    edge = QPoint(frame.left(), frame.center().y())
    assert _close(_pixel(image, edge), QColor(strip.theme().group), tolerance=90)


def test_chinese_groups_are_labelled_with_their_characters(
    catalog: Catalog, make_strip: MakeStrip
) -> None:
    text = "鸟语花香"
    result = encode(catalog.load("gpt2"), text)
    strip = make_strip(result)
    labels = {strip.group_label(v.index) for v in result.views() if v.partial}
    assert labels and all(label and set(label) <= set(text) for label in labels)


# ---------------------------------------------------------------------------- styles, options


def test_special_unknown_and_padding_are_distinct(catalog: Catalog, make_strip: MakeStrip) -> None:
    tokenizer = catalog.load(MINILM)
    settings = EncodeSettings(padding="max_length", max_length=12)
    result = encode(tokenizer, "hello ☃ world", settings)
    strip = make_strip(result)
    views = result.views()
    cls = views[0].index
    unk = next(v.index for v in views if v.token == "[UNK]")
    pad = next(v.index for v in views if v.attention_mask == 0)
    ordinary = next(v.index for v in views if v.token == "hello")
    theme = strip.theme()
    image = strip.viewport().grab().toImage()
    assert _close(_pixel(image, _fill_probe(strip, cls)), QColor(theme.special_fill))
    assert _close(_pixel(image, _fill_probe(strip, ordinary)), QColor(chip_color(ordinary, False)))
    unk_edge = strip.chip_rect(unk)
    assert _close(
        _pixel(image, QPoint(unk_edge.left(), unk_edge.center().y())),
        QColor(theme.unk_border),
        tolerance=70,
    )
    faded = _pixel(image, _fill_probe(strip, pad))
    assert not _close(faded, QColor(theme.special_fill))  # padding is special *and* faded
    assert faded.lightness() > QColor(theme.special_fill).lightness()
    assert "unknown" in strip.tooltip_html(unk)
    assert "padding" in strip.tooltip_html(pad)


def test_options_glyphs_ids_and_colorblind(catalog: Catalog, make_strip: MakeStrip) -> None:
    result = encode(catalog.load("gpt2"), "one two\tthree\nfour")
    strip = make_strip(result)
    texts_on = [strip.chip_text(i) for i in range(len(result))]
    assert "␣two" in texts_on and "⏎" in texts_on
    lines = strip.line_count()
    height = strip.chip_rect(0).height()

    strip.set_options(glyphs=False)
    texts_off = [strip.chip_text(i) for i in range(len(result))]
    assert " two" in texts_off
    assert not any(g in "".join(texts_off) for g in "␣⏎⇥")
    assert strip.line_count() == lines  # the newline still wraps
    assert strip.chip_rect(0).height() == height

    strip.set_options(glyphs=True, show_ids=True)
    assert strip.chip_rect(0).height() > height
    assert strip.chip_rect(0).width() >= strip.chip_rect(0).height() // 2
    strip.grab()

    image = strip.viewport().grab().toImage()
    plain = _pixel(image, _fill_probe(strip, 1))
    assert _close(plain, QColor(chip_color(1, False, colorblind=False)))
    strip.set_options(colorblind=True)
    assert strip.theme() == chip_theme(False, colorblind=True)
    image = strip.viewport().grab().toImage()
    assert _close(_pixel(image, _fill_probe(strip, 1)), QColor(chip_color(1, False, True)))
    assert not _close(_pixel(image, _fill_probe(strip, 1)), plain)
    assert strip.chip_rect(0).height() == height  # show_ids went back to its default


def test_cjk_and_emoji_render(catalog: Catalog, make_strip: MakeStrip) -> None:
    result = encode(catalog.load("o200k_base"), "東京 🎶 鸟语花香")
    strip = make_strip(result)
    texts = [strip.chip_text(i) for i in range(len(result))]
    assert any("東" in t or "京" in t for t in texts)
    image = strip.viewport().grab().toImage()
    index = next(i for i, t in enumerate(texts) if "京" in t)
    rect = strip.chip_rect(index)
    fill = _pixel(image, _fill_probe(strip, index))
    inked = [
        _pixel(image, QPoint(x, y))
        for x in range(rect.left() + 3, rect.right() - 2)
        for y in range(rect.top() + 3, rect.bottom() - 2)
    ]
    assert any(not _close(c, fill, tolerance=40) for c in inked)  # glyphs drawn, not tofu-free


def test_empty_and_cleared(make_strip: MakeStrip, catalog: Catalog) -> None:
    strip = make_strip()
    strip.grab()
    assert strip.index_at(QPoint(10, 10)) == -1
    assert not strip.chip_rect(0).isValid()
    strip.set_result(encode(catalog.load("gpt2"), ""))
    strip.grab()
    strip.set_result(encode(catalog.load("gpt2"), "x"))
    assert strip.index_at(strip.chip_rect(0).center()) == 0
    strip.set_result(None)
    assert strip.line_count() == 0
    strip.grab()


# ---------------------------------------------------------------------------- palette


@pytest.mark.parametrize("dark", [False, True])
@pytest.mark.parametrize("colorblind", [False, True])
def test_palette_readable_and_neighbours_differ(dark: bool, colorblind: bool) -> None:
    theme = chip_theme(dark, colorblind)
    assert len(theme.fills) >= 6
    assert all(re.fullmatch(r"#[0-9A-F]{6}", c) for c in theme.fills)
    for fill in theme.fills:
        assert contrast_ratio(fill, theme.text) >= 4.5
    assert contrast_ratio(theme.special_fill, theme.special_text) >= 4.5
    assert contrast_ratio(theme.current, theme.current_text) >= 4.5
    colors = chip_colors(50, dark, colorblind)
    assert all(a != b for a, b in itertools.pairwise(colors))
    assert colors[7] == chip_color(7, dark, colorblind)


def test_colorblind_palette_is_okabe_ito_based() -> None:
    okabe = {QColor(c).hue() for c in OKABE_ITO.values()}
    for dark in (False, True):
        for fill in chip_theme(dark, colorblind=True).fills:
            hue = QColor(fill).hue()
            assert min(min(abs(hue - h), 360 - abs(hue - h)) for h in okabe) <= 12


def test_dark_detection() -> None:
    assert is_dark(0.1) and not is_dark(0.9)


def test_what_if_tokenizer_gets_its_own_display_cache(
    catalog: Catalog, make_strip: MakeStrip
) -> None:
    base = catalog.load("gpt2")
    strip = make_strip(encode(base, "zzqx here"))
    before = [strip.chip_text(i) for i in range(3)]
    assert "zzqx" not in before
    what_if = base.with_added_tokens(["zzqx"], special=False)
    result = encode(what_if, "zzqx here")
    strip.set_result(result)
    assert strip.chip_text(0) == result.token(0).display == "zzqx"


def test_pair_text_starts_a_new_line(catalog: Catalog, make_strip: MakeStrip) -> None:
    result = encode(catalog.load(MINILM), "hello there", pair="general kenobi")
    strip = make_strip(result, width=900)
    first_pair = int(np.flatnonzero(result.columns.sequence_ids == 1)[0])
    assert strip.chip_rect(first_pair).left() == MARGIN
    assert strip.line_count() == 2
    assert "(pair text)" in strip.tooltip_html(first_pair)


# ---------------------------------------------------------------------------- typed control, NFC


def test_typed_special_token_is_a_control_chip_with_a_warning(
    catalog: Catalog, make_strip: MakeStrip
) -> None:
    """<|endoftext|> typed in the text: drawn like a control token, plus the warning frame and
    corner; split special tokens: ordinary chips again."""
    text = "hi<|endoftext|>there"
    result = encode(catalog.load("gpt2"), text)
    assert result.typed_control_count == 1
    strip = make_strip(result)
    typed = next(v.index for v in result.views() if v.control)
    ordinary = next(v.index for v in result.views() if not v.control)
    image = strip.viewport().grab().toImage()
    rect = strip.chip_rect(typed)
    warning = QColor(strip_paint.WARNING_LIGHT)
    corner = QPoint(rect.right() - 1, rect.top() + 3)  # the "!" badge
    assert _close(_pixel(image, corner), warning, tolerance=60)
    assert _close(_pixel(image, _fill_probe(strip, typed)), QColor(strip.theme().special_fill))
    assert not _close(_pixel(image, strip.chip_rect(ordinary).topRight()), warning, tolerance=60)
    assert "typed in the text" in strip.tooltip_html(typed)
    split = encode(catalog.load("gpt2"), text, EncodeSettings(split_special_tokens=True))
    strip.set_result(split)
    assert split.typed_control_count == 0
    assert all("typed in the text" not in strip.tooltip_html(i) for i in range(len(split)))


def test_byte_pieces_of_a_composed_character_are_one_labelled_group(
    catalog: Catalog, make_strip: MakeStrip
) -> None:
    """Qwen NFC-composes " n + U+0303" into " ñ" and cuts it into byte pieces: one frame over
    them, labelled with the characters of the text they come from."""
    text = "se n\u0303or"
    result = encode(catalog.load("qwen2.5"), text)
    strip = make_strip(result)
    pieces = [v.index for v in result.views() if v.partial]
    assert len(pieces) >= 2
    frame = strip.group_frame(pieces[0])
    assert frame.isValid()
    assert all(strip.group_frame(i) == frame for i in pieces)
    assert strip.group_label(pieces[0]) == "␣n\u0303"  # the text it comes from, as typed
    assert all(strip.chip_text(i).startswith("⟨") for i in pieces)
