"""The one display-string cache: the same strings as TokenView, one computation per id."""

from __future__ import annotations

import pytest

from inspector.core.catalog import Catalog
from inspector.core.display_strings import DisplayStrings
from inspector.core.encoding import encode
from inspector.core.settings import EncodeSettings

TEXT = "Héllo  wörld!\r\n\t鸟语 🎶 e\u0301 مرحبا <|endoftext|> [SEP] unbelievably"


@pytest.mark.parametrize("name", ["gpt2", "sentence-transformers/all-MiniLM-L6-v2"])
def test_strings_equal_the_token_views(catalog: Catalog, name: str) -> None:
    result = encode(
        catalog.load(name), TEXT, EncodeSettings(truncation="longest_first", max_length=8, stride=2)
    )
    strings = DisplayStrings(result)
    for index in range(len(result)):
        view = result.token(index)
        assert strings.display(index) == view.display
        assert strings.explanation(index) == view.explanation
    for window in result.overflow:  # overflow windows read through the same cache
        assert strings.displays(range(len(window)), window) == [
            result.token(i, columns=window).display for i in range(len(window))
        ]


def test_the_cache_is_kept_for_the_same_tokenizer_only(catalog: Catalog) -> None:
    gpt2 = catalog.load("gpt2")
    first = DisplayStrings(encode(gpt2, "hello world"))
    first.displays(range(2))
    again = DisplayStrings(encode(gpt2, "hello there"), first)
    assert again._displays is first._displays
    assert again._explanations is first._explanations
    other = DisplayStrings(
        encode(catalog.load("sentence-transformers/all-MiniLM-L6-v2"), "hi"), again
    )
    assert other._displays is not first._displays
    translated = DisplayStrings(encode(gpt2, "hello"), again, translate=str.upper)
    assert translated._displays is first._displays  # a display string has no language
    assert translated._explanations is not first._explanations
