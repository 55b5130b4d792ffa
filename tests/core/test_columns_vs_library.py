"""Every per-token column equals the tokenizers library's Encoding, including the columns the
core derives instead of reading (sequence ids and type ids of a single text)."""

from __future__ import annotations

import pytest

from inspector.core.catalog import Catalog
from inspector.core.encoding import encode
from inspector.core.settings import EncodeSettings
from inspector.core.tokenizer import HFTokenizer

TEXT = "Hello <|endoftext|> world 😀 鸟, [CLS] again\n\tend"
PAIR = "second 鸟 text [SEP]"


def none_as(values: list[int | None]) -> list[int]:
    return [-1 if v is None else v for v in values]


@pytest.mark.parametrize(
    "entry_id", ["gpt2", "cl100k_base", "sentence-transformers/all-MiniLM-L6-v2"]
)
@pytest.mark.parametrize("pair", [None, PAIR], ids=["single", "pair"])
@pytest.mark.parametrize("padding", ["none", "max_length"])
def test_columns_equal_tokenizers_encoding(
    catalog: Catalog, entry_id: str, pair: str | None, padding: str
) -> None:
    tok = catalog.load(entry_id)
    assert isinstance(tok, HFTokenizer)
    if padding != "none" and tok.facts.pad_token is None:
        pytest.skip("no padding token")
    settings = EncodeSettings(padding=padding, max_length=64 if padding != "none" else None)
    result = encode(tok, TEXT, settings, pair)
    library = tok.backend  # the same Rust tokenizer, configured by hand
    if padding != "none":
        library.enable_padding(
            pad_id=library.token_to_id(tok.facts.pad_token),
            pad_token=tok.facts.pad_token,
            length=64,
        )
    try:
        enc = library.encode(TEXT, pair)
    finally:
        library.no_padding()
    cols = result.columns
    assert cols.ids.tolist() == enc.ids
    assert cols.sequence_ids.tolist() == none_as(enc.sequence_ids)
    assert cols.type_ids.tolist() == enc.type_ids
    assert cols.attention_mask.tolist() == enc.attention_mask
    assert cols.special.astype(int).tolist() == enc.special_tokens_mask
    assert cols.word_ids.tolist() == none_as(enc.word_ids)
    assert list(cols.tokens) == enc.tokens
