"""unchanged_tokens: the leading tokens two results show the same, checked against a plain
token-by-token comparison on real tokenizers."""

from __future__ import annotations

import random

import numpy as np
import pytest

from inspector.core.catalog import Catalog
from inspector.core.encoding import EncodingResult, encode
from inspector.core.result_diff import SHOWN_FIELDS, _common_prefix, unchanged_tokens
from inspector.core.settings import EncodeSettings


def plain_unchanged(old: EncodingResult, new: EncodingResult) -> int:
    """Token by token: every shown field equal, and the text it covers equal."""
    a, b = old.columns, new.columns
    text_a, text_b = old._utf8[0], new._utf8[0]
    for i in range(min(len(a), len(b))):
        if any(getattr(a, f)[i] != getattr(b, f)[i] for f in SHOWN_FIELDS):
            return i
        start, end = int(b.byte_start[i]), int(b.byte_end[i])
        if b.sequence_ids[i] == 0 and text_a[start:end] != text_b[start:end]:
            return i
        if b.sequence_ids[i] == 0 and end > min(len(text_a), len(text_b)):
            return i
    return min(len(a), len(b))


@pytest.mark.parametrize("name", ["gpt2", "sentence-transformers/all-MiniLM-L6-v2"])
@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("Hello world", "Hello worlds"),  # typed at the end
        ("Hello world", "Hello worl"),  # deleted at the end
        ("Hello world  ", "Hello world  x"),  # the split pattern's look-ahead moves a cut
        ("naïve café 東京", "naïve café 東京タワー"),
        ("abc def", "xabc def"),  # typed at the start: nothing kept
        ("same text", "same text"),
    ],
)
def test_matches_a_token_by_token_comparison(
    catalog: Catalog, name: str, before: str, after: str
) -> None:
    tok = catalog.load(name)
    old, new = encode(tok, before), encode(tok, after)
    assert unchanged_tokens(old, new) == plain_unchanged(old, new)


def test_typing_keeps_all_but_the_last_tokens(catalog: Catalog, mixed_text: str) -> None:
    tok = catalog.load("gpt2")
    old, new = encode(tok, mixed_text), encode(tok, mixed_text + "ab")
    kept = unchanged_tokens(old, new)
    assert len(old) - 2 <= kept <= len(old)
    assert np.array_equal(old.columns.ids[:kept], new.columns.ids[:kept])


def test_other_tokenizer_or_settings_start_over(catalog: Catalog) -> None:
    gpt2, cl100k = catalog.load("gpt2"), catalog.load("cl100k_base")
    text = "Hello world, hello again"
    assert unchanged_tokens(encode(gpt2, text), encode(cl100k, text)) == 0
    split = EncodeSettings(split_special_tokens=True)
    assert unchanged_tokens(encode(gpt2, text), encode(gpt2, text, split)) == 0
    assert unchanged_tokens(encode(gpt2, text), encode(gpt2, text)) == len(encode(gpt2, text))


def test_common_prefix_of_texts_matches_a_character_loop() -> None:
    rng = random.Random(1)
    for _ in range(2000):
        a = "".join(rng.choice("ab東🙂") for _ in range(rng.randint(0, 30)))
        b = a[: rng.randint(0, len(a))] + "".join(rng.choice("ab東") for _ in range(3))
        limit = rng.randint(0, 40)
        n = min(len(a), len(b), limit)
        expected = next((i for i in range(n) if a[i] != b[i]), n)
        assert _common_prefix(a, b, limit) == expected
