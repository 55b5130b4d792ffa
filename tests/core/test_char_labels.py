"""Invisible, blank and undrawable characters get a readable label in every display string."""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Iterator

import pytest
import tiktoken

from inspector.core import char_labels
from inspector.core.catalog import Catalog
from inspector.core.char_labels import (
    label_meanings,
    set_drawable_check,
    undrawable_labelled,
    visible,
)
from inspector.core.encoding import encode
from inspector.core.report import ReportItem, build_report, render
from inspector.core.settings import EncodeSettings
from inspector.core.sources import openai_tiktoken_spec, vendored_tiktoken_path

FAMILY = "\U0001f468\u200d\U0001f469\u200d\U0001f467"  # 👨‍👩‍👧
TEXT = f"A family {FAMILY}, a heart ❤️, 你\u3000好, private \ue000, yi \ua000."
SEEN = ("L", "N", "P", "S")  # categories that draw something by themselves


@pytest.fixture
def no_font_check() -> Iterator[None]:
    set_drawable_check(None)
    yield
    set_drawable_check(None)


def test_labels_name_the_character(no_font_check: None) -> None:
    assert visible("\u200d") == "⟨ZWJ⟩"
    assert visible("\ufe0f") == "⟨VS16⟩" and visible("\ufe0e") == "⟨VS15⟩"
    assert visible("\U000e0100") == "⟨VS17⟩"
    assert visible("你\u3000好") == "你⟨IDSP⟩好"
    assert visible("a b\u00a0c\td\n") == "a␣b⍽c⇥d⏎"
    assert visible("\u200b\u2060\ufeff\u00ad") == "⟨ZWSP⟩⟨WJ⟩⟨ZWNBSP⟩⟨SHY⟩"
    assert visible("\u202e\u2067") == "⟨RLO⟩⟨RLI⟩"
    assert visible("\x01\x7f\x85") == "␁␡⟨NEL⟩"
    assert visible("\ue000") == "⟨U+E000⟩"  # private use: no standard glyph
    assert visible("\U000e0067\U000e007f") == "⟨TAG g⟩⟨CANCEL TAG⟩"
    unassigned = next(
        chr(p) for p in range(0x0870, 0x10000) if unicodedata.category(chr(p)) == "Cn"
    )
    assert visible(unassigned) == f"⟨U+{ord(unassigned):04X}⟩"


def test_every_invisible_character_gets_a_label(no_font_check: None) -> None:
    """Every code point in a category that draws nothing comes out as something seen."""
    for point in range(0x110000):
        char = chr(point)
        if unicodedata.category(char) in ("Cc", "Cf", "Zs", "Zl", "Zp", "Mn", "Me", "Co", "Cn"):
            shown = visible(char)
            if unicodedata.category(char) in ("Mn", "Me") and char not in char_labels.ABBREVIATIONS:
                assert shown == char  # a combining mark draws on the character before it
                continue
            assert any(unicodedata.category(c)[0] in SEEN for c in shown), hex(point)


def test_meanings_say_what_each_label_stands_for(no_font_check: None) -> None:
    assert label_meanings(f"❤\ufe0f{FAMILY}\ue000") == [
        "⟨VS16⟩ is U+FE0F VARIATION SELECTOR-16",
        "⟨ZWJ⟩ is U+200D ZERO WIDTH JOINER",
        "U+E000 (private use: no standard meaning)",
    ]


def test_a_character_the_fonts_cannot_draw_gets_its_code_point(no_font_check: None) -> None:
    set_drawable_check(lambda char: char != "\ua000")
    assert visible("yi \ua000 ok 你") == "yi␣⟨U+A000⟩␣ok␣你"
    assert label_meanings("\ua000") == ["U+A000 YI SYLLABLE IT (no font here draws it)"]
    set_drawable_check(None)
    assert visible("\ua000") == "\ua000"  # without a window: the character itself


@pytest.mark.parametrize(("name", "encoding"), [("gpt2", "r50k_base"), ("cl100k_base", None)])
def test_real_tokenizers_show_no_blank_chip(
    catalog: Catalog, no_font_check: None, name: str, encoding: str | None
) -> None:
    result = encode(catalog.load(name), TEXT)
    spec = openai_tiktoken_spec(encoding or name, vendored_tiktoken_path(encoding or name))
    library = tiktoken.Encoding(
        spec.name, pat_str=spec.pattern, mergeable_ranks=spec.ranks, special_tokens={}
    )
    assert list(result.columns.ids) == library.encode(TEXT)  # labels never touch the ids
    displays = [result.token(i).display for i in range(len(result))]
    for shown in displays:
        assert any(unicodedata.category(c)[0] in SEEN for c in shown), repr(shown)
    assert "⟨U+200D⟩" not in "".join(displays)
    if name == "cl100k_base":  # its vocabulary has U+FE0F and U+3000 as whole tokens
        assert "⟨VS16⟩" in displays and "⟨IDSP⟩" in "".join(displays)
        vs16 = displays.index("⟨VS16⟩")
        assert "⟨VS16⟩ is U+FE0F VARIATION SELECTOR-16" in result.token(vs16).explanation


def test_exports_share_the_labels_and_keep_ids_and_bytes(
    catalog: Catalog, no_font_check: None
) -> None:
    result = encode(catalog.load("cl100k_base"), TEXT)
    items = [ReportItem("cl100k_base", result)]
    report = json.loads(render(build_report(TEXT, None, EncodeSettings(), items), "json"))
    tokens = report["tokenizers"][0]["tokens"]
    assert [t["display"] for t in tokens] == [result.token(i).display for i in range(len(result))]
    assert [t["id"] for t in tokens] == list(result.columns.ids)
    joined = bytes.fromhex(" ".join(t["bytes"] for t in tokens if t["bytes"]))
    assert joined == TEXT.encode("utf-8")


# Controls, format characters, tags, private use and unassigned: none draws anything visible.
UNSEEN = "a\x07b\x1bc\u200bd\U000e0041e\ue000f g\u200dh x\u0378y\x85z\u2060w"
SEQUENCES = f"{FAMILY} 🏴\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f ❤\ufe0f"


def no_control_pictures(char: str) -> bool:
    """A font check as this machine's fonts answer it: no font has the control pictures."""
    return not "\u2400" <= char <= "\u2426" and char not in "\ue000\u0378"


def test_controls_whose_picture_no_font_has_get_their_code_point(no_font_check: None) -> None:
    assert visible("\x07\x1b\x00\r") == "␇␛␀␍"  # no window: the control pictures
    set_drawable_check(no_control_pictures)
    assert visible("\x07\x1b\x00\r\t\n") == "⟨U+0007⟩⟨U+001B⟩⟨U+0000⟩⟨U+000D⟩⇥⏎"
    assert "U+0007 (a control character)" in label_meanings("\x07")


def test_text_as_typed_labels_what_draws_nothing(no_font_check: None) -> None:
    text = f"{UNSEEN}\tq\n{SEQUENCES}"
    assert undrawable_labelled(text) == text  # no font check (HTML, text): byte-exact
    set_drawable_check(no_control_pictures)
    assert undrawable_labelled(UNSEEN) == (
        "a⟨U+0007⟩b⟨U+001B⟩c⟨ZWSP⟩d⟨TAG A⟩e⟨U+E000⟩f g⟨ZWJ⟩h x⟨U+0378⟩y⟨NEL⟩z⟨WJ⟩w"
    )
    # Tab and newline lay the text out; a ZWJ inside an emoji, a flag's tags and VS16 are
    # shaped by the font with their neighbours: all kept.
    assert undrawable_labelled(f"\tq\n{SEQUENCES}") == f"\tq\n{SEQUENCES}"
    assert undrawable_labelled("\u200d👩 👩\u200d") == "⟨ZWJ⟩👩 👩⟨ZWJ⟩"  # alone at an end
    assert undrawable_labelled("x\U000e0041\U000e007f") == "x⟨TAG A⟩⟨CANCEL TAG⟩"  # no flag
    assert undrawable_labelled("ok\x7f") == "ok⟨U+007F⟩"
    assert undrawable_labelled("plain ascii\n") == "plain ascii\n"
