"""A tiktoken tokenizer loads without its converted ``tokenizers.Tokenizer`` (reading it holds
Python's lock for most of a second): facts, token strings, the vocabulary and decoding come
from the ranks and equal the conversion's; the paths only the conversion has build it."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from inspector.core.catalog import Catalog
from inspector.core.encoding import encode
from inspector.core.settings import EncodeSettings
from inspector.core.tiktoken_fast import TiktokenTokenizer
from inspector.core.tokenizer import HFTokenizer
from tests.core import raw
from tests.core.test_properties import _settings, any_text, assert_columns_equal


def _fresh(entry_id: str) -> TiktokenTokenizer:
    tok = Catalog().load(entry_id)
    assert isinstance(tok, TiktokenTokenizer)
    return tok


@pytest.mark.parametrize("entry_id", raw.TIKTOKEN_IDS)
def test_facts_and_vocabulary_equal_the_conversion_without_building_it(entry_id: str) -> None:
    tok = _fresh(entry_id)
    tok.prepare()
    text = "Hello <|endoftext|> wörld 😀 e\u0301 <|im_start|>"
    result = encode(tok, text, EncodeSettings())  # round trip included
    assert result.columns.tokens[0] == tok.id_to_token(int(result.columns.ids[0]))
    vocab = tok.vocab()
    assert not tok.converted_is_built
    slow = tok.tokenizers_path()
    assert tok.converted_is_built
    facts = tok.facts
    described = HFTokenizer.describe(
        slow.backend,
        id=facts.id,
        source=facts.source,
        fingerprint=facts.fingerprint,
        algorithm=facts.algorithm,
        uses_token_type_ids=facts.uses_token_type_ids,
        notes=facts.notes,
    )
    assert described == facts
    assert vocab == slow.vocab()
    top = facts.vocab_size + 2
    assert [tok.id_to_token(i) for i in range(top)] == [slow.id_to_token(i) for i in range(top)]
    for token in [*list(vocab)[::97], "not a token", "Ġ\u4e00", "<|endoftext|>"]:
        assert tok.token_to_id(token) == slow.token_to_id(token)
    for is_pair in (False, True):
        assert tok.special_tokens_added(is_pair) == slow.special_tokens_added(is_pair)
    assert encode(slow, text, EncodeSettings()).roundtrip == result.roundtrip


@pytest.mark.parametrize("entry_id", ["gpt2", "qwen3.6"])
def test_decode_equals_the_conversion_on_any_ids(entry_id: str) -> None:
    """Any ids (invalid UTF-8 joins, special tokens, unknown ids) decode as tokenizers does."""
    tok = _fresh(entry_id)
    slow = tok.tokenizers_path()
    size = tok.facts.vocab_size
    specials = sorted(tok.control_ids.tolist())
    one_id = st.one_of(st.integers(0, 300), st.integers(0, size + 5), st.sampled_from(specials))

    @_settings(200)
    @given(ids=st.lists(one_id, max_size=12), skip=st.booleans())
    def check(ids: list[int], skip: bool) -> None:
        assert tok.decode(ids, skip) == slow.decode(ids, skip)

    check()


def test_the_paths_only_the_conversion_has_build_it_and_agree() -> None:
    tok = _fresh("cl100k_base")
    slow = tok.tokenizers_path()
    chosen = EncodeSettings(truncation="longest_first", max_length=7)
    got = encode(_fresh("cl100k_base"), "one two three four five six seven eight", chosen)
    want = encode(slow, "one two three four five six seven eight", chosen)
    assert_columns_equal(got.columns, want.columns)
    copy = _fresh("gpt2")
    assert not copy.converted_is_built
    added = copy.with_added_tokens(["hello world"], special=False)
    assert copy.converted_is_built
    assert encode(added, "say hello world", EncodeSettings()).columns.tokens[-1] == "hello world"


@_settings(40)
@given(text=any_text)
def test_plain_encodes_never_build_the_conversion(text: str) -> None:
    tok = _fresh_shared()
    encode(tok, text, EncodeSettings())
    encode(tok, text, EncodeSettings(split_special_tokens=True))
    assert not tok.converted_is_built


_SHARED: list[TiktokenTokenizer] = []


def _fresh_shared() -> TiktokenTokenizer:
    if not _SHARED:
        _SHARED.append(_fresh("o200k_base"))
    return _SHARED[0]


def test_a_non_ascii_special_token_decodes_as_the_conversion_does() -> None:
    """ByteLevel maps "ñ" (in its byte alphabet) to byte F1, not to ñ's UTF-8: the piecewise
    decode does the same."""
    from inspector.core import sources
    from inspector.core.catalog import _tiktoken_tokenizer

    path = sources.vendored_tiktoken_path("r50k_base")
    gpt2 = sources.openai_tiktoken_spec("r50k_base", path)
    spec = sources.TiktokenSpec(
        "odd", lambda: gpt2.table, gpt2.pattern, {"<|endoftext|>": 50256, "<ñ>": 50257}
    )
    tok = _tiktoken_tokenizer(spec, "odd", "test", [path])
    assert isinstance(tok, TiktokenTokenizer)
    slow = tok.tokenizers_path()
    hello = tok.encode(["Hello"], None, EncodeSettings())[0].ids.tolist()
    for ids in ([50257], [*hello, 50257, 50256, *hello], [50257, 50257, 9999999]):
        for skip in (False, True):
            assert tok.decode(ids, skip) == slow.decode(ids, skip)
