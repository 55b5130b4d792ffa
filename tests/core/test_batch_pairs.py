"""Batches of pairs: ``tokenizer(texts, pairs, padding=…, truncation=…)`` as transformers gives
it, matrix for matrix, on real installed tokenizers (MiniLM's BERT WordPiece with token types,
SmolLM2's byte-level BPE without), and how the panes' lines become a batch."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import numpy as np
import pytest

from inspector.core.batch import (
    NO_TOKEN,
    batch_inputs,
    batch_line_numbers,
    batch_lines,
    batch_tensors,
)
from inspector.core.catalog import Catalog
from inspector.core.encoding import encode, encode_batch
from inspector.core.errors import EncodeError
from inspector.core.settings import EncodeSettings
from tests.core import raw

# The tutorial's batch of pairs, then texts that are hard on spans and bytes.
TEXTS = [
    "Where is the library?",
    "How old are you?",
    "I ❤️ tokenizers 😀👍🏽",
    "鸟语花香 東京タワー",
    "cafe\u0301 n\u0303o Straße",
    "carriage\rreturn",
]
PAIRS = [
    "The library stands next to the old railway station.",
    "Twelve.",
    "family: 👨\u200d👩\u200d👧\u200d👦",
    "שלום עולם مرحبا",
    "Ünïcödé ΑΒΓ абв",
    "tabs\tand  spaces ",
]


def want_truncation(settings: EncodeSettings) -> bool | str:
    return False if settings.truncation == "none" else settings.truncation


def _hf_call(hf: Any, settings: EncodeSettings, **extra: Any) -> dict[str, Any]:
    """transformers' own call for these settings (the learner's ``tokenizer(A, B, …)``)."""
    padding: bool | str = {"none": False, "longest": True}.get(settings.padding, settings.padding)
    out = hf(
        TEXTS,
        PAIRS,
        padding=padding,
        truncation=want_truncation(settings),
        max_length=settings.max_length,
        padding_side=settings.padding_side,
        **extra,
    )
    return dict(out)


MINILM_SETTINGS = [
    EncodeSettings(padding="longest", truncation="longest_first"),  # padding=True, truncation=True
    EncodeSettings(padding="longest", padding_side="left"),
    EncodeSettings(padding="max_length", max_length=40, truncation="only_second"),
    EncodeSettings(padding="max_length", max_length=14, truncation="longest_first"),
    EncodeSettings(),  # no padding: ragged rows, as transformers' lists
]


@pytest.mark.parametrize("settings", MINILM_SETTINGS, ids=lambda s: f"{s.padding}-{s.truncation}")
def test_minilm_batch_of_pairs_equals_transformers(
    catalog: Catalog, settings: EncodeSettings
) -> None:
    hf = raw.minilm_transformers()
    batch = encode_batch(catalog.load(raw.MINILM), TEXTS, settings, pairs=PAIRS)
    want = _hf_call(hf, settings, return_token_type_ids=True)
    assert batch_tensors(batch) == want
    assert list(batch_tensors(batch)) == ["input_ids", "token_type_ids", "attention_mask"]
    assert batch.has_pairs and batch.token_type_ids is not None
    # every row's tokens are that pair encoded alone (spans and bytes held against the library
    # in test_byte_exact), padding apart; the sequences are the library's
    tok = catalog.load(raw.MINILM)
    fast = hf(TEXTS, PAIRS, truncation=want_truncation(settings), max_length=settings.max_length)
    for row, result in enumerate(batch.results):
        cols = result.columns
        assert result.text == TEXTS[row] and result.pair == PAIRS[row]
        alone = encode(tok, TEXTS[row], replace(settings, padding="none"), PAIRS[row]).columns
        real = cols.attention_mask == 1
        for name in ("ids", "char_start", "char_end", "byte_start", "byte_end", "type_ids"):
            np.testing.assert_array_equal(getattr(cols, name)[real], getattr(alone, name))
        sequences = [-1 if s is None else s for s in fast.encodings[row].sequence_ids]
        assert cols.sequence_ids[real].tolist() == sequences


def test_minilm_tutorial_call_shape(catalog: Catalog) -> None:
    """``tokenizer(["A1","A2"], ["B1","B2"], padding=True, truncation=True)``: one rectangle,
    padding with id 0, type 0 and mask 0 where the shorter pair ends."""
    batch = encode_batch(
        catalog.load(raw.MINILM),
        ["Where is it?", "Hi"],
        EncodeSettings(padding="longest", truncation="longest_first"),
        pairs=["Next to the station.", "Hello there, friend"],
    )
    assert batch.input_ids.tolist() == [
        [101, 2073, 2003, 2009, 1029, 102, 2279, 2000, 1996, 2276, 1012, 102],
        [101, 7632, 102, 7592, 2045, 1010, 2767, 102, 0, 0, 0, 0],
    ]
    assert batch.token_type_ids is not None
    assert batch.token_type_ids.tolist() == [
        [0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1],
        [0, 0, 0, 1, 1, 1, 1, 1, 0, 0, 0, 0],
    ]
    assert batch.attention_mask.tolist() == [[1] * 12, [1] * 8 + [0] * 4]


@pytest.mark.parametrize("side", ["right", "left"])
def test_smollm2_batch_of_pairs_has_no_token_types(catalog: Catalog, side: str) -> None:
    """A tokenizer whose model reads no token types: transformers returns no token_type_ids."""
    settings = EncodeSettings(padding="longest", padding_side=side)  # type: ignore[arg-type]
    batch = encode_batch(catalog.load("smollm2"), TEXTS, settings, pairs=PAIRS)
    want = _hf_call(raw.smollm2_transformers(), settings)
    assert "token_type_ids" not in want
    assert batch.token_type_ids is None
    assert batch_tensors(batch) == want


@pytest.mark.parametrize("name", ["gpt2", "qwen2.5", "mistral-v3"])
def test_ragged_batch_of_pairs_rows_are_the_single_pair_encodings(
    catalog: Catalog, name: str
) -> None:
    """Tokenizers with no pad token: each row is exactly that pair encoded alone (whose ids
    are held against the raw library in test_byte_exact), the rest of the row no token."""
    tok = catalog.load(name)
    batch = encode_batch(tok, TEXTS, EncodeSettings(), pairs=PAIRS)
    assert batch.token_type_ids is None
    for row, (text, pair) in enumerate(zip(TEXTS, PAIRS, strict=True)):
        alone = encode(tok, text, EncodeSettings(), pair)
        size = len(alone)
        assert batch.input_ids[row, :size].tolist() == alone.ids
        assert (batch.input_ids[row, size:] == NO_TOKEN).all()
        assert (batch.attention_mask[row, size:] == 0).all()
        np.testing.assert_array_equal(
            batch.results[row].columns.char_start, alone.columns.char_start
        )
    assert batch_tensors(batch)["input_ids"] == [r.ids for r in batch.results]


def test_batch_of_single_texts_is_unchanged(catalog: Catalog) -> None:
    hf = raw.minilm_transformers()
    batch = encode_batch(catalog.load(raw.MINILM), TEXTS, EncodeSettings(padding="longest"))
    assert not batch.has_pairs
    assert batch_tensors(batch) == dict(hf(TEXTS, padding=True, return_token_type_ids=True))


def test_pair_count_must_match(catalog: Catalog) -> None:
    with pytest.raises(EncodeError, match="one pair per text"):
        encode_batch(catalog.load(raw.MINILM), TEXTS, pairs=PAIRS[:2])


# -- the panes' lines --------------------------------------------------------------------------
def test_lines_pair_line_by_line() -> None:
    text = "first\n\n  \nsecond\nthird\n"
    assert batch_lines(text) == ["first", "second", "third"]
    assert batch_line_numbers(text) == [0, 3, 4]
    assert batch_lines("") == [""] and batch_line_numbers("\n \n") == [0]
    assert batch_inputs(text, "") == (["first", "second", "third"], None)
    assert batch_inputs(text, " \n\t") == (["first", "second", "third"], None)
    assert batch_inputs(text, "a\nb\n\nc") == (["first", "second", "third"], ["a", "b", "c"])


def test_a_count_mismatch_is_one_plain_message() -> None:
    with pytest.raises(EncodeError) as caught:
        batch_inputs("one\ntwo\nthree", "only one")
    message = str(caught.value)
    assert "3 lines" in message and "pair text 1" in message
    assert "\n" not in message


def test_one_long_line_among_many_costs_no_rectangle(catalog: Catalog) -> None:
    """Without padding the rows are ragged: a view asks for the block it shows, and the lists
    transformers would return are made row by row, never as texts × longest."""
    texts = ["word " * 20_000] + ["short line"] * 3000
    batch = encode_batch(catalog.load("gpt2"), texts, EncodeSettings())
    assert batch.shape == (3001, len(batch.results[0])) and batch.ragged and not batch.padded
    block = batch.block(1000, 512)
    assert block.input_ids.shape == (1000, 512) and block.token_type_ids is None
    assert block.input_ids[1].tolist()[:3] == [*raw.raw_ids("gpt2", "short line"), NO_TOKEN]
    tensors = batch_tensors(batch)
    assert [len(row) for row in tensors["input_ids"]] == batch.lengths.tolist()
    assert "_whole" not in vars(batch)  # the whole rectangle (60 M cells) is never built
