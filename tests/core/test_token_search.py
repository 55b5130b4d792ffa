"""tokens_covering: the tokens whose spans build an occurrence of a piece of text."""

from __future__ import annotations

import numpy as np

from inspector.core.catalog import Catalog
from inspector.core.encoding import encode
from inspector.core.token_search import tokens_covering


def test_byte_pieces_of_a_character_build_it(catalog: Catalog) -> None:
    text = "naïve 你好 🎶 naïve"
    result = encode(catalog.load("gpt2"), text)
    for needle in ("ï", "你", "🎶", "ve 你"):
        found = np.flatnonzero(tokens_covering(result, needle))
        joined = b"".join(result.token_bytes(int(t)) for t in found)
        assert joined.count(needle.encode()) == text.count(needle), needle
        # nothing else: every token found overlaps an occurrence
        starts = [i for i in range(len(text)) if text.startswith(needle, i)]
        for t in found:
            a, b = int(result.columns.char_start[t]), int(result.columns.char_end[t])
            assert any(a < s + len(needle) and b > s for s in starts)


def test_pair_tokens_are_searched_in_the_pair_text(catalog: Catalog) -> None:
    tok = catalog.load("sentence-transformers/all-MiniLM-L6-v2")
    result = encode(tok, "Héllo", pair="pair é")
    found = np.flatnonzero(tokens_covering(result, "É")).tolist()  # case-insensitive
    assert [result.columns.tokens[i] for i in found] == ["hello", "e"]
    assert result.columns.sequence_ids[found].tolist() == [0, 1]
    assert not tokens_covering(result, "[SEP]").any()  # special tokens have no span in text
    assert not tokens_covering(result, "absent").any()
