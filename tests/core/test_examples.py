"""Help → Examples: each example opens on real tokenizers and shows the concept it names."""

from __future__ import annotations

from inspector.core.catalog import Catalog
from inspector.core.encoding import EncodingResult, encode, encode_batch
from inspector.core.examples import Example, example, load_examples


def _open(catalog: Catalog, chosen: Example, name: str | None = None) -> EncodingResult:
    tok = catalog.load(name or chosen.tokenizers[0])
    if chosen.added_tokens is not None:
        tok = tok.with_added_tokens(list(chosen.added_tokens.tokens), chosen.added_tokens.special)
    return encode(tok, chosen.text, chosen.settings, pair=chosen.pair)


def _tokens(result: EncodingResult) -> list[str]:
    return list(result.columns.tokens)


def test_every_example_loads_in_both_languages(catalog: Catalog) -> None:
    examples = load_examples()
    assert [e.id for e in examples] == [
        "subwords", "unknown", "padding", "pair", "entity-marker", "chinese", "byte-fallback",
    ]  # fmt: skip
    for chosen in examples:
        assert chosen.title("en") != chosen.title("zh_CN")
        assert chosen.explanation("zh_CN") and chosen.explanation("en")
        for name in chosen.tokenizers:
            assert catalog.entry(name) is not None, name


def test_subwords(catalog: Catalog) -> None:
    tokens = _tokens(_open(catalog, example("subwords")))  # type: ignore[arg-type]
    assert "##ization" in tokens and "of" in tokens


def test_unknown_characters(catalog: Catalog) -> None:
    result = _open(catalog, example("unknown"))  # type: ignore[arg-type]
    assert result.stats.unk_count == 3


def test_padding_a_batch(catalog: Catalog) -> None:
    chosen = example("padding")
    assert chosen is not None and chosen.mode == "batch"
    batch = encode_batch(catalog.load("minilm"), list(chosen.texts), chosen.settings)
    assert (batch.input_ids == 0).sum() > 0  # [PAD] is id 0
    assert batch.attention_mask.shape == batch.input_ids.shape
    assert batch.attention_mask[0].sum() < batch.attention_mask[1].sum()


def test_pair(catalog: Catalog) -> None:
    result = _open(catalog, example("pair"))  # type: ignore[arg-type]
    assert _tokens(result).count("[SEP]") == 2
    assert set(result.columns.type_ids.tolist()) == {0, 1}


def test_entity_marker_stays_one_token(catalog: Catalog) -> None:
    chosen = example("entity-marker")
    assert chosen is not None
    before = encode(catalog.load("minilm"), chosen.text)
    assert "[E1]" not in _tokens(before)
    after = _tokens(_open(catalog, chosen))
    assert after.count("[E1]") == 1 and after.count("[/E2]") == 1


def test_chinese_under_each_algorithm(catalog: Catalog) -> None:
    chosen = example("chinese")
    assert chosen is not None and chosen.mode == "compare"
    counts = {name: _open(catalog, chosen, name) for name in chosen.tokenizers}
    assert counts["minilm"].stats.unk_count > 0
    assert counts["gpt2"].columns.partial.any()  # byte pieces of characters
    assert "自然" in _tokens(counts["qwen2.5"]) or "èĩªçĦ¶" in _tokens(counts["qwen2.5"])
    assert len(counts["qwen2.5"]) < len(counts["gpt2"])


def test_byte_fallback(catalog: Catalog) -> None:
    chosen = example("byte-fallback")
    assert chosen is not None
    result = _open(catalog, chosen)
    assert "<0xE9>" in _tokens(result) and result.stats.unk_count == 0
    assert catalog.load("mistral-v1").decode(result.ids, True) == chosen.text  # nothing lost
