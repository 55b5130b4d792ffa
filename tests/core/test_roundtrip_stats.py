"""Decode round-trip (equal or not, and exactly where not) and the encoding statistics."""

from __future__ import annotations

import re

import pytest

from inspector.core.catalog import Catalog
from inspector.core.encoding import encode
from inspector.core.roundtrip import Difference, classify
from inspector.core.settings import EncodeSettings
from tests.core import raw


def _where(differences: tuple[Difference, ...]) -> list[tuple[int, int, str, str, str]]:
    return [(d.input_start, d.input_end, d.input_text, d.decoded_text, d.kind) for d in differences]


# --------------------------------------------------------------------------- round-trip


@pytest.mark.parametrize("entry_id", ["gpt2", "cl100k_base", "o200k_base", "mistral-v1"])
def test_lossless_tokenizers_round_trip_the_mixed_text(
    catalog: Catalog, entry_id: str, mixed_text: str
) -> None:
    result = encode(catalog.load(entry_id), mixed_text)
    trip = result.roundtrip
    assert trip is not None
    assert trip.equal
    assert trip.decoded == mixed_text
    assert trip.differences == ()
    assert trip.difference_count == 0
    assert trip.kinds == ()


@pytest.mark.parametrize("entry_id", ["gpt2", "cl100k_base"])
def test_round_trip_decodes_as_tiktoken_does(
    catalog: Catalog, entry_id: str, mixed_text: str
) -> None:
    result = encode(catalog.load(entry_id), mixed_text)
    assert result.roundtrip is not None
    assert result.roundtrip.decoded == raw.tiktoken_encoding(entry_id).decode(result.ids)


def test_minilm_hello_is_lowercased_at_the_first_character(catalog: Catalog) -> None:
    trip = encode(catalog.load(raw.MINILM), "Hello").roundtrip
    assert trip is not None
    assert not trip.equal
    assert trip.decoded == "hello"
    assert trip.decoded_with_special == "[CLS] hello [SEP]"
    assert _where(trip.differences) == [(0, 1, "H", "h", "lowercasing")]
    assert (trip.differences[0].decoded_start, trip.differences[0].decoded_end) == (0, 1)
    assert trip.kinds == ("lowercasing",)


def test_minilm_accents_are_removed_where_they_are(catalog: Catalog) -> None:
    trip = encode(catalog.load(raw.MINILM), "café naïve").roundtrip
    assert trip is not None
    assert trip.decoded == "cafe naive"
    assert _where(trip.differences) == [
        (3, 4, "é", "e", "accents removed"),
        (7, 8, "ï", "i", "accents removed"),
    ]
    # a decomposed accent: the combining mark alone is dropped
    trip = encode(catalog.load(raw.MINILM), "e\u0301").roundtrip
    assert trip is not None
    assert _where(trip.differences) == [(1, 2, "\u0301", "", "accents removed")]


def test_minilm_unknown_token_is_named_where_it_stands(catalog: Catalog) -> None:
    """[UNK] is a special token: decode(skip_special_tokens=True) drops it, as transformers
    does. The difference is still an unknown token, not a plain deletion."""
    tok = catalog.load(raw.MINILM)
    text = "a 🎶 b"
    result = encode(tok, text)
    trip = result.roundtrip
    assert trip is not None
    assert trip.decoded == raw.minilm_transformers().decode(result.ids, skip_special_tokens=True)
    assert trip.decoded == "a b"
    assert trip.decoded_with_special == "[CLS] a [UNK] b [SEP]"
    assert trip.kinds == ("unknown token",)
    (difference,) = trip.differences
    assert difference.kind == "unknown token"
    assert difference.input_start <= 2 < difference.input_end  # the emoji, character 2
    assert "🎶" in difference.input_text


def test_minilm_mixed_text_kinds(catalog: Catalog, mixed_text: str) -> None:
    result = encode(catalog.load(raw.MINILM), mixed_text)
    trip = result.roundtrip
    assert trip is not None
    assert not trip.equal
    assert {"lowercasing", "accents removed", "unknown token"} <= set(trip.kinds)
    assert trip.difference_count == len(trip.differences)
    for difference in trip.differences:
        assert mixed_text[difference.input_start : difference.input_end] == difference.input_text
        decoded = trip.decoded[difference.decoded_start : difference.decoded_end]
        assert decoded == difference.decoded_text
    by_text = {d.input_text: d.kind for d in trip.differences}
    assert by_text["T"] == "lowercasing"
    assert by_text["ALLCAPS"] == "lowercasing"
    assert by_text["ï"] == "accents removed"
    assert by_text["é"] == "accents removed"
    unknown = [d for d in trip.differences if d.kind == "unknown token"]
    assert any("🎶" in d.input_text for d in unknown)
    # every [UNK] of the encoding lies in an "unknown token" difference
    cols = result.columns
    for index in (cols.ids == 100).nonzero()[0]:
        start = int(cols.char_start[index])
        assert any(d.input_start <= start < d.input_end for d in unknown)


def test_minilm_pair_round_trips_each_text(catalog: Catalog) -> None:
    result = encode(catalog.load(raw.MINILM), "Hello there", pair="Good Bye")
    assert result.roundtrip is not None and result.pair_roundtrip is not None
    assert result.roundtrip.decoded == "hello there"
    assert result.pair_roundtrip.decoded == "good bye"
    assert _where(result.pair_roundtrip.differences) == [
        (0, 1, "G", "g", "lowercasing"),
        (5, 6, "B", "b", "lowercasing"),
    ]


def test_qwen_round_trip_reports_nfc(catalog: Catalog) -> None:
    trip = encode(catalog.load("qwen2.5"), "cafe\u0301").roundtrip
    assert trip is not None
    assert (
        trip.decoded
        == "café"
        == raw.qwen_tokenizer("qwen2.5").decode(raw.raw_ids("qwen2.5", "cafe\u0301"))
    )
    assert _where(trip.differences) == [(3, 5, "e\u0301", "é", "unicode normalization")]


def test_round_trip_of_a_truncated_text_shows_the_dropped_tail(catalog: Catalog) -> None:
    settings = EncodeSettings(truncation="longest_first", max_length=4)
    trip = encode(catalog.load("gpt2"), "one two three four five six", settings).roundtrip
    assert trip is not None
    assert trip.decoded == "one two three four"
    assert _where(trip.differences) == [(18, 27, " five six", "", "dropped")]


@pytest.mark.parametrize(
    ("original", "decoded", "kind"),
    [
        ("H", "h", "lowercasing"),
        ("é", "e", "accents removed"),
        ("É", "e", "accents removed"),
        ("ﬁ", "fi", "unicode normalization"),
        ("\u00a0", " ", "unicode normalization"),
        ("  ", " ", "whitespace"),
        ("x", "", "dropped"),
        ("€", "\ufffd", "invalid bytes"),
        ("x", "y", "changed"),
        ("🎶", "[UNK]", "unknown token"),
    ],
)
def test_classify(original: str, decoded: str, kind: str) -> None:
    assert classify(original, decoded, "[UNK]") == kind


# --------------------------------------------------------------------------- stats


def test_minilm_stats_with_an_emoji(catalog: Catalog) -> None:
    text = "Hello wonderful 🎶 world"
    tok = catalog.load(raw.MINILM)
    result = encode(tok, text)
    stats = result.stats
    hf_ids = raw.minilm_transformers()(text)["input_ids"]
    assert result.ids == hf_ids
    assert stats.tokens == len(hf_ids) == 6  # [CLS] hello wonderful [UNK] world [SEP]
    assert stats.text_tokens == 4
    assert stats.special_tokens == 2
    assert stats.characters == len(text) == 23
    assert stats.bytes == len(text.encode()) == 26
    assert stats.words == 4
    assert stats.chars_per_token == round(23 / 4, 4)
    assert stats.bytes_per_token == round(26 / 4, 4)
    assert stats.words_per_token == 1.0
    assert stats.unk_count == 1 == hf_ids.count(100)
    assert stats.unk_rate == 0.25
    assert stats.windows == 1


@pytest.mark.parametrize("entry_id", ["gpt2", "cl100k_base", "mistral-v1", "qwen3.6"])
def test_stats_on_the_mixed_text(catalog: Catalog, entry_id: str, mixed_text: str) -> None:
    result = encode(catalog.load(entry_id), mixed_text)
    stats = result.stats
    n_text = len(raw.raw_ids(entry_id, mixed_text, add_special_tokens=False))
    assert stats.text_tokens == n_text
    assert stats.tokens == len(result.ids) == n_text + stats.special_tokens
    assert stats.special_tokens == (1 if entry_id == "mistral-v1" else 0)
    assert stats.characters == len(mixed_text)
    assert stats.bytes == len(mixed_text.encode())
    assert stats.words == len(re.findall(r"\S+", mixed_text))
    assert stats.chars_per_token == round(len(mixed_text) / n_text, 4)
    assert stats.words_per_token == round(stats.words / n_text, 4)
    assert stats.unk_count == 0


def test_stats_of_a_pair_and_of_padding(catalog: Catalog) -> None:
    tok = catalog.load(raw.MINILM)
    result = encode(tok, "Hello there", pair="Good bye")
    assert result.stats.tokens == 7  # [CLS] hello there [SEP] good bye [SEP]
    assert result.stats.text_tokens == 4
    assert result.stats.characters == len("Hello there") + len("Good bye")
    assert result.stats.words == 4
    padded = encode(tok, "Hello", EncodeSettings(padding="max_length", max_length=8))
    assert len(padded) == 8
    assert padded.stats.tokens == 3  # padding is not counted
    assert padded.stats.text_tokens == 1


def test_stats_of_an_empty_text(catalog: Catalog) -> None:
    stats = encode(catalog.load("gpt2"), "").stats
    assert (stats.tokens, stats.text_tokens, stats.characters, stats.words) == (0, 0, 0, 0)
    assert stats.chars_per_token == 0.0 and stats.unk_rate == 0.0


def test_stats_count_windows(catalog: Catalog) -> None:
    settings = EncodeSettings(truncation="longest_first", max_length=6, stride=2)
    result = encode(catalog.load(raw.MINILM), "one two three four five six seven", settings)
    assert result.stats.windows == len(result.overflow) + 1 == 3
    assert result.stats.tokens == 6
