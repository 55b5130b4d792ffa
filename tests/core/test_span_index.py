"""tokens_at / token_at by binary search give exactly the answers of the per-token scan."""

from __future__ import annotations

import numpy as np
import pytest

from inspector.core.catalog import Catalog
from inspector.core.encoding import EncodingResult, encode
from inspector.core.errors import EncodeError
from inspector.core.settings import EncodeSettings
from inspector.core.span_index import SpanIndex

KINDS = ["minilm", "gpt2", "cl100k_base", "o200k_base", "mistral-v1", "qwen2.5"]
TEXT = (
    "ﬁne Straße 東京タワー 🎶👩‍👩‍👧 <|endoftext|> [CLS] [SEP] <s> </s>  two  spaces\ntab\tend ①②  x"
)


def linear_tokens_at(result: EncodingResult, start: int, end: int, sequence: int) -> list[int]:
    """The per-token scan tokens_at used to be (the definition)."""
    cols = result.columns
    hit = (
        (cols.sequence_ids == sequence)
        & (cols.char_start < max(end, start + 1))
        & (cols.char_end > start)
    )
    return np.flatnonzero(hit).tolist()


def _probes(length: int) -> list[tuple[int, int]]:
    points = [-2, -1, *range(length + 3)]
    return [(s, e) for s in points for e in (s - 1, s, s + 1, s + 3, length, length + 2)]


SETTINGS = [
    EncodeSettings(),
    EncodeSettings(truncation="only_first", max_length=16, stride=4),  # overflow windows
    EncodeSettings(padding="max_length", max_length=80),
]


@pytest.mark.parametrize("entry_id", KINDS)
@pytest.mark.parametrize("settings", SETTINGS, ids=["plain", "overflow", "padded"])
def test_tokens_at_equals_the_linear_scan(
    catalog: Catalog, entry_id: str, settings: EncodeSettings
) -> None:
    tokenizer = catalog.load(entry_id)
    for pair in (None, "pair 東京 🎶"):
        try:
            result = encode(tokenizer, TEXT, settings, pair=pair)
        except EncodeError:  # padding, where the tokenizer has no padding token
            pytest.skip(f"{entry_id} cannot encode with {settings}")
        length = max(len(TEXT), len(pair or ""))
        for sequence in (0, 1, -1):
            for start, end in _probes(length):
                found = result.tokens_at(start, end, sequence)
                assert found.tolist() == linear_tokens_at(result, start, end, sequence), (
                    entry_id,
                    pair,
                    sequence,
                    start,
                    end,
                )


def test_span_index_with_overlapping_and_empty_spans() -> None:
    """Spans out of token order, nested, empty and repeated, as no tokenizer may promise."""
    rng = np.random.default_rng(7)
    for _ in range(200):
        n = int(rng.integers(0, 30))
        starts = rng.integers(0, 20, n)
        ends = starts + rng.integers(0, 6, n) * rng.integers(0, 2, n)  # many empty spans
        rows = np.flatnonzero(rng.random(n) < 0.8)
        index = SpanIndex.of(rows, starts, ends)
        chosen = np.zeros(n, dtype=bool)
        chosen[rows] = True
        for start in range(-1, 23):
            for end in range(start, 24):
                expected = np.flatnonzero(chosen & (starts < end) & (ends > start))
                assert index.overlapping(start, end).tolist() == expected.tolist()
            covering = [
                i for i in rows[np.lexsort((rows, starts[rows]))] if starts[i] <= start < ends[i]
            ]
            assert int(index.first_covering(np.array([start]))[0]) == (
                covering[0] if covering else -1
            )
