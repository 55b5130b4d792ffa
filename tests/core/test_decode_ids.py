"""Decode ids: what a learner pastes → tokens and text, equal to the libraries' own decode."""

from __future__ import annotations

import pytest

from inspector.core.catalog import Catalog
from inspector.core.decode_ids import (
    MAX_ROWS,
    IdsInputError,
    decode_ids,
    decode_text,
    parse_ids,
)
from tests.core import raw


@pytest.mark.parametrize(
    ("pasted", "ids"),
    [
        ("[7993, 170, 11303]", [7993, 170, 11303]),
        ("7993 170 11303", [7993, 170, 11303]),
        ("7993,170,11303\n", [7993, 170, 11303]),
        ("101; 102", [101, 102]),
        ("tensor([[ 101, 7592,  102]])", [101, 7592, 102]),
        ("tensor([[101, 7592, 102]], dtype=torch.int64)", [101, 7592, 102]),
        ("array([101, 102])", [101, 102]),
        ("[[101, 1], [101, 2]]", [101, 1, 101, 2]),
        ("(5, -1)", [5, -1]),
    ],
)
def test_parse_what_learners_paste(pasted: str, ids: list[int]) -> None:
    assert parse_ids(pasted) == ids


@pytest.mark.parametrize(
    ("pasted", "kind", "words"),
    [
        ("hello", "unexpected", "unexpected 'hello' at character 1"),
        ("[1, 2.5]", "unexpected", "'.5]' at character 6"),
        ("[1, 2", "brackets", "brackets do not match"),
        ("  ", "empty", "no ids"),
        ("[]", "empty", "no ids"),
    ],
)
def test_bad_input_is_one_plain_message(pasted: str, kind: str, words: str) -> None:
    with pytest.raises(IdsInputError) as caught:
        parse_ids(pasted)
    assert caught.value.kind == kind and words in str(caught.value)
    assert "\n" not in str(caught.value)


def test_minilm_tokens_and_decodes_equal_the_library(catalog: Catalog) -> None:
    tok = catalog.load("minilm")
    library = raw.minilm_tokenizers()
    ids = library.encode("Tokenization of naïve text!").ids
    decoded = decode_ids(tok, ids)
    assert decoded.text == library.decode(ids, skip_special_tokens=False)
    assert decoded.text_skipping_special == library.decode(ids, skip_special_tokens=True)
    assert [r.token for r in decoded.rows] == [library.id_to_token(i) for i in ids]
    assert [r.text for r in decoded.rows] == [library.decode([i], False) for i in ids]
    assert decoded.rows[0].special and decoded.rows[0].text_skipping_special == ""
    assert decoded.unknown == ()


def test_unknown_ids_are_named_and_left_out(catalog: Catalog) -> None:
    tok = catalog.load("minilm")
    decoded = decode_text(tok, "[101, 7592, 30522, -4, 99999999999, 30522, 102]")
    assert decoded.unknown == (30522, -4, 99999999999)
    assert decoded.text == "[CLS] hello [SEP]"
    assert [r.known for r in decoded.rows] == [True, True, False, False, False, False, True]


def test_gpt2_byte_pieces_decode_like_tiktoken(catalog: Catalog) -> None:
    encoding = raw.tiktoken_encoding("gpt2")
    ids = encoding.encode("鸟 sings<|endoftext|>", allowed_special="all")
    decoded = decode_ids(catalog.load("gpt2"), ids)
    assert decoded.text == encoding.decode(ids)
    assert decoded.text_skipping_special == encoding.decode(ids[:-1])
    assert [r.text for r in decoded.rows] == [encoding.decode([i]) for i in ids]
    assert decoded.rows[0].text == "\N{REPLACEMENT CHARACTER}"  # a third of 鸟
    assert decoded.rows[-1].special and decoded.rows[-1].token == "<|endoftext|>"


def test_sentencepiece_byte_fallback_like_sentencepiece(catalog: Catalog) -> None:
    processor = raw.sentencepiece_processor("mistral-v1")
    ids = [1, *processor.encode("Hi 🎶")]
    decoded = decode_ids(catalog.load("mistral-v1"), ids)
    assert decoded.text_skipping_special == processor.decode(ids)
    assert decoded.text == "<s>" + processor.decode(ids[1:])
    assert [r.token for r in decoded.rows] == [processor.id_to_piece(i) for i in ids]


def test_long_lists_cut_the_table_not_the_decode(catalog: Catalog) -> None:
    tok = catalog.load("minilm")
    ids = [7592] * (MAX_ROWS + 10)
    decoded = decode_ids(tok, ids)
    assert len(decoded.rows) == MAX_ROWS and decoded.rows_cut
    assert decoded.text.count("hello") == MAX_ROWS + 10
