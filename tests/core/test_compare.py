"""Comparison on one byte axis, against real tokenizers and a plain-Python reference."""

from __future__ import annotations

import numpy as np
import pytest

from inspector.core.catalog import Catalog
from inspector.core.compare import (
    PRESET_CLASSIC,
    Comparison,
    compare,
    comparison_section,
    preset_sample_text,
)
from inspector.core.encoding import EncodingResult, encode
from inspector.core.errors import EncodeError
from inspector.core.offsets import is_space
from inspector.core.report import ReportItem
from inspector.core.settings import EncodeSettings

ALL_KINDS = ["minilm", "gpt2", "cl100k_base", "o200k_base", "mistral-v1", "qwen2.5"]


def results(catalog: Catalog, text: str, ids: list[str], pair: str | None = None) -> list:
    return [encode(catalog.load(t), text, pair=pair) for t in ids]


def row_of(comparison: Comparison, requested: str) -> int:
    return [r.requested for r in comparison.rows].index(requested)


def spans(result: EncodingResult) -> list[tuple[int, int]]:
    cols = result.columns
    return list(zip(cols.byte_start.tolist(), cols.byte_end.tolist(), strict=True))


def _text_tokens(r: EncodingResult, seq: int) -> list[tuple[int, int, int]]:
    cols = r.columns
    return [
        (i, int(cols.byte_start[i]), int(cols.byte_end[i]))
        for i in range(len(r))
        if cols.sequence_ids[i] == seq and not cols.special[i]
    ]


def _places(text: str, neutral: bool) -> list[int]:
    """place[p] for each byte position: itself, or the start of the whitespace run it touches."""
    space: list[bool] = []
    for char in text:
        space += [char.isspace()] * len(char.encode("utf-8"))
    place = list(range(len(space) + 1))
    if neutral:
        for p in range(1, len(place)):
            if space[p - 1]:
                place[p] = place[p - 1]
    return place


def reference(
    texts: dict[int, str], rows: list[EncodingResult], neutral: bool
) -> list[tuple[list[bool], list[int]]]:
    """The definition in compare.py's docstring, written the slow, obvious way."""
    out: list[tuple[list[bool], list[int]]] = [([False] * len(r), []) for r in rows]
    for seq, text in texts.items():
        place = _places(text, neutral)
        size = len(place) - 1
        tokens = [_text_tokens(r, seq) for r in rows]

        def has_boundary(
            row_tokens: list[tuple[int, int, int]], p: int, place: list[int] = place
        ) -> bool:
            same = [q for q in range(len(place)) if place[q] == place[p]]
            return any(all(not (s < q < e) for _, s, e in row_tokens) for q in same)

        for k in range(len(rows)):
            flags, cuts = out[k]
            unshared: dict[int, bool] = {}
            for i, s, e in tokens[k]:
                for p in (s, e):
                    if p not in unshared:
                        others = (j for j in range(len(rows)) if j != k)
                        unshared[p] = any(not has_boundary(tokens[j], p) for j in others)
                flags[i] = flags[i] or unshared[s] or unshared[e]
            if seq == 0:
                cuts.extend(sorted(p for p, u in unshared.items() if u and 0 < p < size))
    return out


def test_emoji_split_by_byte_level_tokenizers(catalog: Catalog) -> None:
    # 🎶 = F0 9F 8E B6: gpt2 and cl100k cut after 2 and 3 bytes, o200k after 3 only.
    comparison = compare(results(catalog, "🎶", ["gpt2", "o200k_base", "cl100k_base"]))
    gpt2, o200k, cl100k = comparison.rows
    assert gpt2.result is not None and o200k.result is not None and cl100k.result is not None
    assert spans(gpt2.result) == [(0, 2), (2, 3), (3, 4)]
    assert spans(o200k.result) == [(0, 3), (3, 4)]
    assert gpt2.unshared is not None and o200k.unshared is not None
    assert gpt2.unshared.tolist() == [True, True, False]
    assert o200k.unshared.tolist() == [False, False]
    assert gpt2.unshared_boundaries is not None and o200k.unshared_boundaries is not None
    assert gpt2.unshared_boundaries.tolist() == [2]
    assert o200k.unshared_boundaries.tolist() == []
    section = comparison_section(comparison)
    assert section["rows"][0]["unshared_boundaries"] == [
        {"byte": 2, "char": 0, "inside_char": True}
    ]


def test_cjk_bytes_against_whole_characters(catalog: Catalog) -> None:
    comparison = compare(results(catalog, "鸟语花香", ["gpt2", "qwen2.5", "mistral-v1"]))
    gpt2, qwen, mistral = comparison.rows
    assert qwen.unshared is not None and not qwen.unshared.any()  # one token per character
    assert gpt2.unshared_boundaries is not None and mistral.unshared_boundaries is not None
    # gpt2 cuts 鸟 (0-3) after bytes 1 and 2, 语 (3-6) at 5, 花 (6-9) at 7, 香 (9-12) at 10, 11
    assert gpt2.unshared_boundaries.tolist() == [1, 2, 5, 7, 10, 11]
    # mistral has 鸟 as three byte-fallback pieces, the rest as characters
    assert mistral.unshared_boundaries.tolist() == [1, 2]


def test_wordpiece_pieces_and_sentencepiece_words(catalog: Catalog) -> None:
    comparison = compare(results(catalog, "tokenizers", ["minilm", "gpt2"]))
    bert, gpt2 = comparison.rows
    assert bert.result is not None and bert.unshared is not None
    assert [bert.result.token(i).token for i in range(len(bert.result))] == [
        "[CLS]", "token", "##izer", "##s", "[SEP]",
    ]  # fmt: skip
    assert bert.unshared.tolist() == [False, False, True, True, False]  # specials never
    assert bert.unshared_boundaries is not None and bert.unshared_boundaries.tolist() == [9]
    assert gpt2.unshared is not None and not gpt2.unshared.any()

    comparison = compare(results(catalog, "hello world", ["minilm", "gpt2", "mistral-v1"]))
    bert, gpt2, mistral = comparison.rows
    assert mistral.result is not None and mistral.unshared is not None
    shown = [mistral.result.token(i).display for i in range(len(mistral.result))]
    assert shown == ["<s>", "␣hell", "o", "␣world"]
    assert mistral.unshared.tolist() == [False, True, True, False]
    # WordPiece leaves the space out, GPT-2 and ▁ put it in front of the word: the same place
    assert bert.unshared is not None and not bert.unshared.any()
    assert gpt2.unshared is not None and not gpt2.unshared.any()


def test_whitespace_strict_mode(catalog: Catalog) -> None:
    comparison = compare(
        results(catalog, "hello world", ["minilm", "gpt2"]), whitespace_neutral=False
    )
    bert, gpt2 = comparison.rows
    assert bert.unshared is not None and bert.unshared.tolist() == [False, False, True, False]
    assert bert.unshared_boundaries is not None and bert.unshared_boundaries.tolist() == [6]
    assert gpt2.unshared is not None and not gpt2.unshared.any()


def test_pieces_another_row_joins_are_marked(catalog: Catalog) -> None:
    # o200k has "(radius" and "):⏎" as single tokens; WordPiece cuts at every bracket.
    text = "def area(radius):\n\treturn 3"
    comparison = compare(results(catalog, text, ["o200k_base", "minilm"]))
    o200k, bert = comparison.rows
    assert o200k.result is not None and bert.result is not None
    assert o200k.unshared is not None and bert.unshared is not None
    assert not o200k.unshared.any()  # each o200k cut is also a WordPiece cut
    marked = [bert.result.token(i).token for i in np.flatnonzero(bert.unshared)]
    assert marked == ["(", "radius", ")", ":"]


def test_empty_text(catalog: Catalog) -> None:
    comparison = compare(results(catalog, "", ["minilm", "gpt2", "mistral-v1"]))
    for row in comparison.rows:
        assert row.unshared is not None and not row.unshared.any()
        assert row.unshared_boundaries is not None and len(row.unshared_boundaries) == 0
        assert row.stats is not None and row.stats.text_tokens == 0
    assert comparison.token_at(0, 0) == -1
    assert comparison.tokens_at(1, np.arange(3)).tolist() == [-1, -1, -1]
    assert comparison_section(comparison)["text_bytes"] == 0


def assert_matches_reference(catalog: Catalog, text: str, neutral: bool) -> None:
    rows = results(catalog, text, ALL_KINDS)
    comparison = compare(rows, whitespace_neutral=neutral)
    expected = reference({0: text}, rows, neutral)
    for row, (flags, cuts) in zip(comparison.rows, expected, strict=True):
        assert row.unshared is not None and row.unshared_boundaries is not None
        assert row.unshared.tolist() == flags, row.requested
        assert row.unshared_boundaries.tolist() == cuts, row.requested


# Every kind of whitespace str.isspace knows (tab, CR LF, U+0085, NBSP, U+1680, U+2028/9,
# U+3000, the FS/GS/RS/US controls), runs of them, and characters of 1 to 4 UTF-8 bytes.
WHITESPACE_TEXT = (
    "a\tb\r\nc\x85d\xa0e\u1680f  \u2028\u2029g\u3000\u3000鸟\x1c\x1d\x1e\x1fh "
    "\u200bi\u2003j 🎶 \u205f\ufeffk\n\n\n l\u00e9 e\u0301 \u180e.  "
)


@pytest.mark.parametrize("neutral", [True, False])
def test_matches_reference_on_mixed_text(catalog: Catalog, neutral: bool) -> None:
    assert_matches_reference(catalog, preset_sample_text(), neutral)


@pytest.mark.parametrize("neutral", [True, False])
def test_matches_reference_on_every_kind_of_whitespace(catalog: Catalog, neutral: bool) -> None:
    assert_matches_reference(catalog, WHITESPACE_TEXT * 3, neutral)


def test_is_space_is_str_isspace_on_every_code_point() -> None:
    every = "".join(map(chr, range(0x110000)))  # lone surrogates included
    want = np.fromiter((char.isspace() for char in every), dtype=bool, count=len(every))
    np.testing.assert_array_equal(is_space(every), want)
    assert is_space("").shape == (0,)


def test_pair_text_on_its_own_axis(catalog: Catalog) -> None:
    text, pair = "Where is 東京?", "Next to the 🎶 station."
    rows = results(catalog, text, ["minilm", "gpt2", "mistral-v1"], pair=pair)
    comparison = compare(rows)
    expected = reference({0: text, 1: pair}, rows, True)
    for row, (flags, _) in zip(comparison.rows, expected, strict=True):
        assert row.unshared is not None and row.unshared.tolist() == flags
    gpt2 = comparison.rows[1]
    assert gpt2.unshared_pair_boundaries is not None and len(gpt2.unshared_pair_boundaries)
    assert "unshared_pair_boundaries" in comparison_section(comparison)["rows"][1]
    assert comparison.token_at(1, pair.index("🎶"), sequence_id=1) >= 0


def test_token_at_matches_brute_force(catalog: Catalog) -> None:
    text = preset_sample_text() * 3
    comparison = compare(results(catalog, text, ALL_KINDS))
    chars = np.arange(-1, len(text) + 2)
    for index, row in enumerate(comparison.rows):
        assert row.result is not None
        cols = row.result.columns
        expected = []
        for c in chars.tolist():
            hit = [
                i
                for i in range(len(cols))
                if cols.sequence_ids[i] == 0
                and not cols.special[i]
                and cols.char_start[i] <= c < cols.char_end[i]
            ]
            expected.append(hit[0] if hit else -1)
        assert comparison.tokens_at(index, chars).tolist() == expected, row.requested
        assert comparison.token_at(index, int(chars[5])) == expected[5]


def test_large_text_token_at(catalog: Catalog) -> None:
    text = preset_sample_text() * 400  # ~100k characters, tens of thousands of tokens
    comparison = compare(results(catalog, text, ["gpt2", "minilm"]))
    row = comparison.rows[0]
    assert row.result is not None and len(row.result) > 30_000
    cols = row.result.columns
    probes = np.linspace(0, len(text) - 1, 997).astype(np.int64)
    found = comparison.tokens_at(0, probes)
    assert (found >= 0).all()
    assert (cols.char_start[found] <= probes).all() and (cols.char_end[found] > probes).all()
    # the first piece of a split character: the token before it does not cover it
    before = np.maximum(found - 1, 0)
    assert ((found == 0) | (cols.char_end[before] <= probes)).all()


def test_errors_stay_rows_and_stats(catalog: Catalog) -> None:
    text = "Straße naïve 🎶"
    good = encode(catalog.load("gpt2"), text)
    items = [
        ReportItem("gpt2", good),
        ReportItem("nope", error="no tokenizer named 'nope'"),
        encode(catalog.load("minilm"), text),
    ]
    comparison = compare(items)
    assert [r.requested for r in comparison.rows] == [
        "gpt2",
        "nope",
        "sentence-transformers/all-MiniLM-L6-v2",
    ]
    failed = comparison.rows[1]
    assert failed.error == "no tokenizer named 'nope'" and failed.result is None
    assert failed.unshared is None and failed.stats is None
    assert comparison.ok_rows == [0, 2]
    stats = comparison.rows[0].stats
    assert stats is not None
    assert stats.tokens == good.stats.tokens and stats.vocab_size == good.tokenizer.vocab_size
    assert stats.roundtrip_ok is True and stats.algorithm == good.tokenizer.algorithm
    bert = comparison.rows[2].stats
    assert bert is not None and bert.roundtrip_ok is False  # lowercasing, accents
    assert bert.unk_count == 1 and bert.unk_rate == pytest.approx(1 / bert.text_tokens, abs=1e-6)
    section = comparison_section(comparison)
    assert section["rows"][1] == {"id": "nope", "requested": "nope", "error": failed.error}


def test_single_row_and_mismatched_texts(catalog: Catalog) -> None:
    only = compare(results(catalog, "a b", ["gpt2"]))
    assert only.rows[0].unshared is not None and not only.rows[0].unshared.any()
    a = encode(catalog.load("gpt2"), "one")
    b = encode(catalog.load("gpt2"), "two")
    with pytest.raises(EncodeError):
        compare([a, b])
    with pytest.raises(EncodeError):
        compare([a] * 9)


def test_truncated_row_marks_nothing_past_its_end(catalog: Catalog) -> None:
    text = "alpha beta gamma delta epsilon"
    settings = EncodeSettings(truncation="longest_first", max_length=4)
    short = encode(catalog.load("minilm"), text, settings)
    full = encode(catalog.load("gpt2"), text)
    comparison = compare([short, full])
    assert comparison.rows[1].unshared is not None and not comparison.rows[1].unshared.any()


def test_preset_is_in_the_catalog(catalog: Catalog) -> None:
    assert len(PRESET_CLASSIC) == 6
    for name in PRESET_CLASSIC:
        assert catalog.load(name).facts.id == name
    assert "🎶" in preset_sample_text()


def test_token_at_on_a_failed_row(catalog: Catalog) -> None:
    good = encode(catalog.load("gpt2"), "abc")
    comparison = compare([ReportItem("broken", error="no such tokenizer"), good])
    assert comparison.token_at(0, 1) == -1
    assert comparison.token_at(1, 1) == 0
