"""Special-token strings typed in the text: the ``control`` column for every kind of tokenizer,
``typed_control_count``, ``split_special_tokens`` (transformers' flag, tiktoken's
encode_ordinary, SentencePiece's never-parsed note), and a max_length too small for the
special tokens (one plain error for every tokenizer)."""

from __future__ import annotations

import numpy as np
import pytest

from inspector.core.catalog import Catalog
from inspector.core.encoding import encode
from inspector.core.errors import EncodeError
from inspector.core.settings import EncodeSettings
from tests.core import raw

SPLIT = EncodeSettings(split_special_tokens=True)


def _typed(result: object) -> list[str]:
    cols = result.columns  # type: ignore[attr-defined]
    return [cols.tokens[i] for i in np.flatnonzero(cols.typed_control)]


def test_minilm_typed_specials_are_control_and_an_unknown_word_is_not(catalog: Catalog) -> None:
    tok = catalog.load(raw.MINILM)
    result = encode(tok, "[CLS] hi [UNK] ☃ [SEP]")
    cols = result.columns
    assert _typed(result) == ["[CLS]", "[UNK]", "[SEP]"]
    assert result.typed_control_count == 3
    unknown_word = [
        i for i in range(len(cols)) if cols.tokens[i] == "[UNK]" and not cols.control[i]
    ]
    assert len(unknown_word) == 1  # ☃: a word the vocabulary lacks, not a typed token
    # the tokens the tokenizer added stay special and control
    assert cols.special[[0, -1]].all() and cols.control[[0, -1]].all()
    assert not cols.special[1:-1].any()
    view = result.token(int(np.flatnonzero(cols.typed_control)[0]))
    assert view.control and not view.special and "parsed" in view.explanation


def test_minilm_split_special_tokens_equals_transformers(catalog: Catalog) -> None:
    tok = catalog.load(raw.MINILM)
    text = "[CLS] hi [UNK] [MASK]"
    result = encode(tok, text, SPLIT)
    truth = raw.minilm_transformers()(text, split_special_tokens=True)["input_ids"]
    assert result.ids == list(truth)
    assert result.typed_control_count == 0
    assert result.columns.control.tolist() == result.columns.special.tolist()


@pytest.mark.parametrize("entry_id", raw.TIKTOKEN_IDS)
def test_tiktoken_typed_special_and_encode_ordinary(catalog: Catalog, entry_id: str) -> None:
    tok = catalog.load(entry_id)
    text = "a<|endoftext|>b <|endoftext|>"
    result = encode(tok, text)
    assert _typed(result) == ["<|endoftext|>", "<|endoftext|>"]
    assert result.typed_control_count == 2
    typed = [v for v in result.views() if v.control]
    assert all(text[v.start : v.end] == "<|endoftext|>" for v in typed)
    assert all(bytes.fromhex(v.bytes) == b"<|endoftext|>" for v in typed)
    split = encode(tok, text, SPLIT)
    assert split.ids == raw.tiktoken_encoding(entry_id).encode_ordinary(text)
    assert split.typed_control_count == 0 and not split.columns.control.any()


def test_split_special_tokens_also_on_the_tokenizers_path(catalog: Catalog) -> None:
    """A pair goes through the converted tokenizer: the flag reaches it too."""
    tok = catalog.load("gpt2")
    text, pair = "x<|endoftext|>", "<|endoftext|>y"
    result = encode(tok, text, SPLIT, pair)
    ordinary = raw.tiktoken_encoding("gpt2").encode_ordinary
    assert result.ids == ordinary(text) + ordinary(pair)
    assert encode(tok, text, EncodeSettings(), pair).typed_control_count == 2


@pytest.mark.parametrize("entry_id", raw.SENTENCEPIECE_IDS)
def test_sentencepiece_never_parses_typed_special_tokens(catalog: Catalog, entry_id: str) -> None:
    tok = catalog.load(entry_id)
    assert tok.facts.parses_special_tokens is False
    assert any("never parsed" in note for note in tok.facts.notes)
    assert tok.facts.to_dict()["parses_special_tokens"] is False
    text = "<s>[INST] hi [/INST]</s>"
    result = encode(tok, text)
    assert result.typed_control_count == 0
    assert result.ids == encode(tok, text, SPLIT).ids == raw.raw_ids(entry_id, text)


def test_default_tokenizers_say_they_parse_typed_special_tokens(catalog: Catalog) -> None:
    for entry_id in (raw.MINILM, *raw.TIKTOKEN_IDS):
        assert catalog.load(entry_id).facts.parses_special_tokens is True


@pytest.mark.parametrize("entry_id", ["gpt2", "mistral-v1", raw.MINILM])
def test_what_if_special_tokens_are_control_unless_split(catalog: Catalog, entry_id: str) -> None:
    base = catalog.load(entry_id)
    tok = base.with_added_tokens(["<|mine|>"], special=True)
    added = tok.token_to_id("<|mine|>")
    text = "a <|mine|> b"
    result = encode(tok, text)
    assert added in result.ids
    assert result.typed_control_count == 1
    split = encode(tok, text, SPLIT)
    assert added not in split.ids
    assert split.typed_control_count == 0
    plain = base.with_added_tokens(["zzqq"], special=False)
    assert encode(plain, "a zzqq b").typed_control_count == 0
    assert plain.token_to_id("zzqq") in encode(plain, "a zzqq b", SPLIT).ids


# --------------------------------------------------------------------------- max_length


@pytest.mark.parametrize(
    ("entry_id", "added", "pair_added"),
    [(raw.MINILM, 2, 3), ("mistral-v1", 1, 2), ("mistral-v3", 1, 2)],
)
def test_max_length_too_small_for_the_special_tokens_is_refused(
    catalog: Catalog, entry_id: str, added: int, pair_added: int
) -> None:
    tok = catalog.load(entry_id)
    for length in range(1, added + 1):
        chosen = EncodeSettings(truncation="longest_first", max_length=length)
        with pytest.raises(EncodeError, match=f"max_length {length} is too small"):
            encode(tok, "hello world", chosen)
    fits = encode(
        tok, "hello world", EncodeSettings(truncation="longest_first", max_length=added + 1)
    )
    assert len(fits) == added + 1
    with pytest.raises(EncodeError, match=f"must be at least {pair_added + 1}"):
        encode(tok, "a", EncodeSettings(truncation="longest_first", max_length=pair_added), "b")
    # without special tokens any max_length holds text
    no_specials = EncodeSettings(truncation="longest_first", max_length=1, add_special_tokens=False)
    assert len(encode(tok, "hello world", no_specials)) == 1


def test_max_length_one_is_fine_where_nothing_is_added(catalog: Catalog) -> None:
    result = encode(
        catalog.load("gpt2"),
        "hello world",
        EncodeSettings(truncation="longest_first", max_length=1),
    )
    assert len(result) == 1
