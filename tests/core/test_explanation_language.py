"""Token explanations in the window's language: every template goes through ``translate``,
placeholders are filled after it, and without ``translate`` the words stay English."""

from __future__ import annotations

import re

from inspector.core.catalog import Catalog
from inspector.core.display import explain_token
from inspector.core.display_strings import DisplayStrings
from inspector.core.encoding import encode
from inspector.core.settings import EncodeSettings

TEXT = "Héllo\n\twörld 鸟 e\u200dx unbelievably"


def bracketed(template: str) -> str:
    """A stand-in language: the template marked, so that an untranslated note shows."""
    return f"«{template}»"


def test_each_note_is_translated_then_filled() -> None:
    assert explain_token("Ġ", b" ", False, "byte-level BPE", translate=bracketed) == (
        "«Ġ is the space byte 0x20 in byte-level BPE's printable alphabet»"
    )
    assert explain_token("<0xE9>", b"\xe9", False, "BPE", translate=bracketed) == (
        "«one raw byte 0xE9 (byte fallback: the character is not in the vocab)»; "
        "«bytes E9 are only part of a character»"
    )
    assert explain_token("\u200d", "\u200d".encode(), False, "BPE", translate=bracketed) == (
        "«⟨ZWJ⟩ is U+200D ZERO WIDTH JOINER»"
    )
    assert explain_token("<|x|>", None, False, "BPE", control=True, translate=bracketed).startswith(
        "«control token: the text holds the string '<|x|>',"
    )


def test_every_explanation_of_a_real_text_is_translated(catalog: Catalog) -> None:
    for name in ("gpt2", "sentence-transformers/all-MiniLM-L6-v2", "mistral-v1"):
        result = encode(catalog.load(name), TEXT, EncodeSettings())
        english = DisplayStrings(result)
        translated = DisplayStrings(result, english, translate=bracketed)
        for index in range(len(result)):
            plain = english.explanation(index)
            marked = translated.explanation(index)
            assert result.token(index).explanation == plain  # English by default
            assert result.token(index, translate=bracketed).explanation == marked
            notes = marked.split("; ") if marked else []
            assert all(re.fullmatch(r"«.*»", note) for note in notes), marked
            assert marked.replace("«", "").replace("»", "") == plain
