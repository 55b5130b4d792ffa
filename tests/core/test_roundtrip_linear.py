"""The linear round trip (issue 11 §1, issue 10 §1–2): the same answers as the old whole-text
difflib where that was right, on every default tokenizer, with chunks of any size; normalized
characters explained as exactly that; typed special tokens kept; pairs; long texts;
progress and cancellation."""

from __future__ import annotations

import difflib
import subprocess
import sys
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from inspector.core import roundtrip_align
from inspector.core.catalog import ENTRIES, Catalog
from inspector.core.encoding import EncodingResult, encode
from inspector.core.errors import Cancelled
from inspector.core.roundtrip import (
    MAX_DIFFERENCES,
    Difference,
    RoundTrip,
    classify,
    roundtrip,
)
from inspector.core.sources import resources_dir
from inspector.core.tokenizer import LoadedTokenizer
from tests.core import raw

ENTRY_IDS = [entry.id for entry in ENTRIES]
VAGUE = ("changed", "dropped")  # kinds that explain nothing

SETTINGS = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    derandomize=True,
    database=None,
)


# --------------------------------------------------------------------------- the old algorithm


def old_differences(
    text: str, decoded: str, unk: str | None, unk_starts: np.ndarray, unk_ends: np.ndarray
) -> list[tuple[int, int, str, str, str]]:
    """The round trip's diff before issue 11 (difflib over the whole text), kept here only as
    an oracle on small texts."""

    def overlaps(start: int, end: int) -> bool:
        end = max(end, start + 1)
        hit = (unk_starts < end) & (np.maximum(unk_ends, unk_starts + 1) > start)
        return bool(hit.any())

    if text == decoded:
        return []
    prefix = len(_common_prefix(text, decoded))
    suffix = len(_common_prefix(text[prefix:][::-1], decoded[prefix:][::-1]))
    a, b = text[prefix : len(text) - suffix], decoded[prefix : len(decoded) - suffix]
    out = []
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag != "equal":
            at = prefix + i1
            kind = classify(a[i1:i2], b[j1:j2], unk, unknown=overlaps(at, at + i2 - i1))
            out.append((at, at + i2 - i1, a[i1:i2], b[j1:j2], kind))
    return out


def _common_prefix(a: str, b: str) -> str:
    size = next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), None)
    return a[: min(len(a), len(b)) if size is None else size]


def where(differences: tuple[Difference, ...]) -> list[tuple[int, int, str, str, str]]:
    return [(d.input_start, d.input_end, d.input_text, d.decoded_text, d.kind) for d in differences]


def oracle(result: EncodingResult) -> list[tuple[int, int, str, str, str]]:
    """The old diff of the new decode, with the unknown token where it stands for text."""
    assert result.roundtrip is not None
    cols, text = result.columns, result.text
    unk = result.tokenizer.unk_token
    unk_id = None if unk is None else result._source.token_to_id(unk)
    rows = (cols.ids == unk_id) & (cols.sequence_ids == 0)
    typed = [text[s:e] == unk for s, e in zip(cols.char_start, cols.char_end, strict=True)]
    rows &= ~np.array(typed, dtype=bool)
    return old_differences(
        text, result.roundtrip.decoded, unk, cols.char_start[rows], cols.char_end[rows]
    )


@contextmanager
def tiny_chunks() -> Iterator[None]:
    """Chunks of two tokens and no region diffed whole: every path of the alignment runs
    even on a short text."""
    saved = (
        roundtrip_align.WHOLE_TEXT_DIFF,
        roundtrip_align.TOP_CHUNK,
        roundtrip_align.SMALL_REGION,
    )
    roundtrip_align.WHOLE_TEXT_DIFF, roundtrip_align.TOP_CHUNK = 0, 2
    roundtrip_align.SMALL_REGION = 0
    try:
        yield
    finally:
        (
            roundtrip_align.WHOLE_TEXT_DIFF,
            roundtrip_align.TOP_CHUNK,
            roundtrip_align.SMALL_REGION,
        ) = saved


def both_chunkings(tok: LoadedTokenizer, text: str) -> tuple[RoundTrip, RoundTrip]:
    """The round trip with the default chunks and with chunks of two tokens: each consistent,
    and the same decodes."""
    trip = encode(tok, text).roundtrip
    with tiny_chunks():
        small = encode(tok, text).roundtrip
    assert trip is not None and small is not None
    check_consistent(text, trip)
    check_consistent(text, small)
    assert (small.decoded, small.decoded_with_special) == (trip.decoded, trip.decoded_with_special)
    return trip, small


def check_consistent(text: str, trip: RoundTrip) -> None:
    """The differences, in order, turn the text into the decode (and nothing else differs)."""
    assert trip.equal == (trip.decoded == text) == (trip.difference_count == 0)
    if trip.difference_count > len(trip.differences):  # only the first ones are kept
        assert len(trip.differences) == MAX_DIFFERENCES
        check_differences_prefix(text, trip)
        return
    at, at_decoded = 0, 0
    for d in trip.differences:
        assert text[d.input_start : d.input_end] == d.input_text
        assert trip.decoded[d.decoded_start : d.decoded_end] == d.decoded_text
        assert d.input_start >= at and d.decoded_start >= at_decoded
        assert text[at : d.input_start] == trip.decoded[at_decoded : d.decoded_start]
        assert d.input_text != d.decoded_text
        at, at_decoded = d.input_end, d.decoded_end
    assert text[at:] == trip.decoded[at_decoded:]
    counted = {d.kind for d in trip.differences}
    assert counted == set(trip.kinds)


# --------------------------------------------------------------------------- texts

WORDS = ["the", "token", "inspector", "shows", "text", "model", "naive", "cafe", "a", "sees"]
SPECIAL_STRINGS = ["<|endoftext|>", "<|im_start|>", "[CLS]", "[SEP]", "<s>", "</s>", "[UNK]"]


def _edit(word: str, edit: str) -> str:
    vowel = next((i for i, c in enumerate(word) if c in "aeiou"), 0)
    match edit:
        case "capital":
            return word.capitalize()
        case "upper":
            return word.upper()
        case "accent":  # precomposed
            return (
                word[:vowel]
                + unicodedata.normalize("NFC", word[vowel] + "\u0301")
                + word[vowel + 1 :]
            )
        case "decomposed":
            return word[: vowel + 1] + "\u0301" + word[vowel + 1 :]
        case "capital decomposed":
            return _edit(_edit(word, "capital"), "decomposed")
        case "emoji":
            return "🎶"
        case edit if edit in SPECIAL_STRINGS:
            return edit
    return word


EDITS = ["", "", "", "capital", "upper", "accent", "decomposed", "capital decomposed", "emoji"]
edited_words = st.lists(
    st.tuples(st.sampled_from(WORDS), st.sampled_from(EDITS + SPECIAL_STRINGS)),
    min_size=1,
    max_size=30,
).map(lambda pairs: " ".join(_edit(word, edit) for word, edit in pairs))

PIECES = [
    "hello", "World", "ALLCAPS", "café", "naïve", "e\u0301", "Cafe\u0301", "n\u0303o", "🎶",
    "👨\u200d👩\u200d👧", "鸟语花香", " ", "  ", "\n", "\r\n", "\t", ",", ".", "'s", "ﬁ", "①",
    "Straße", "İ", "\u1100\u1161", "A\u0300\u0302", "\u0308", "x", "a-b", "(", "don't",
    *SPECIAL_STRINGS,
]  # fmt: skip
wild_text = st.lists(
    st.one_of(st.sampled_from(PIECES), st.text(max_size=3)), min_size=1, max_size=40
).map("".join)


# --------------------------------------------------------------------------- the same answers


@pytest.mark.parametrize("entry_id", ENTRY_IDS)
@SETTINGS
@given(text=edited_words)
def test_same_as_the_old_diff_on_edited_words(catalog: Catalog, entry_id: str, text: str) -> None:
    """Words capitalized, accented (composed or not), replaced by an emoji or a typed special
    token: with the default chunks and with chunks of two tokens, the differences are the old
    whole-text difflib's wherever that explained every one of them; where it did not (it
    matched an "e" with the wrong "e" and called the rest changed or dropped), the new ones
    are never vaguer."""
    tok = catalog.load(entry_id)
    result = encode(tok, text)
    assert result.roundtrip is not None
    expected = oracle(result)
    old_vague = any(kind in VAGUE for *_, kind in expected)
    with tiny_chunks():
        small = encode(tok, text).roundtrip
    assert small is not None
    assert small.decoded == result.roundtrip.decoded
    for trip in (result.roundtrip, small):
        check_consistent(text, trip)
        if old_vague:
            assert sum(d.kind in VAGUE for d in trip.differences) <= sum(
                kind in VAGUE for *_, kind in expected
            )
        else:
            assert where(trip.differences) == expected


@pytest.mark.parametrize("entry_id", ENTRY_IDS)
@SETTINGS
@given(text=wild_text)
def test_differences_always_rebuild_the_decode(catalog: Catalog, entry_id: str, text: str) -> None:
    """Any text (emoji, CJK, CRLF, marks with no base, control characters, typed special
    tokens): with any chunk size the differences account for every character of both."""
    both_chunkings(catalog.load(entry_id), text)


# --------------------------------------------------------------------------- normalization

decomposed_words = st.lists(
    st.tuples(st.sampled_from(WORDS), st.sampled_from(["", "decomposed", "accent"])),
    min_size=1,
    max_size=20,
).map(lambda pairs: "".join(_edit(word, edit) for word, edit in pairs))


@pytest.mark.parametrize("entry_id", ["qwen2.5", "qwen3.6"])
@SETTINGS
@given(text=decomposed_words)
def test_nfc_is_told_as_exactly_that(catalog: Catalog, entry_id: str, text: str) -> None:
    """Qwen composes (NFC): each difference is a decomposed character and its composed form,
    even where they touch (no words between, "naíveťoken"); never a change or a drop."""
    for chunks in (False, True):
        with tiny_chunks() if chunks else _nothing():
            trip = encode(catalog.load(entry_id), text).roundtrip
        assert trip is not None
        assert trip.decoded == unicodedata.normalize("NFC", text)
        check_consistent(text, trip)
        for d in trip.differences:
            assert d.kind == "unicode normalization"
            assert unicodedata.normalize("NFC", d.input_text) == d.decoded_text


@SETTINGS
@given(
    text=st.lists(
        st.tuples(
            st.sampled_from(WORDS),
            st.sampled_from(["", "capital", "upper", "accent", "decomposed", "capital decomposed"]),
        ),
        min_size=1,
        max_size=20,
    ).map(lambda pairs: " ".join(_edit(word, edit) for word, edit in pairs))
)
def test_lowercasing_and_accents_are_told_as_exactly_that(catalog: Catalog, text: str) -> None:
    """BERT uncased lowercases and strips accents, composed or decomposed, capital or not."""
    for chunks in (False, True):
        with tiny_chunks() if chunks else _nothing():
            trip = encode(catalog.load(raw.MINILM), text).roundtrip
        assert trip is not None
        check_consistent(text, trip)
        assert set(trip.kinds) <= {"lowercasing", "accents removed"}


@contextmanager
def _nothing() -> Iterator[None]:
    yield


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the combining mark after an unchanged base letter: the accent alone is dropped
        # (old difflib: "◌́ " dropped)
        ("cafe\u0301 ", [(4, 5, "\u0301", "", "accents removed"), (5, 6, " ", "", "whitespace")]),
        # old difflib: "e" matched the later "e", so "" → "e" changed and "◌́e" dropped
        ("Ée\u0301",
         [(0, 1, "É", "e", "accents removed"), (2, 3, "\u0301", "", "accents removed")]),
        (
            "ALLCAPS e\u0301",
            [(0, 7, "ALLCAPS", "allcaps", "lowercasing"), (9, 10, "\u0301", "", "accents removed")],
        ),
    ],
)  # fmt: skip
def test_minilm_marks_are_never_a_spurious_change(
    catalog: Catalog, text: str, expected: list[tuple[int, int, str, str, str]]
) -> None:
    trip = encode(catalog.load(raw.MINILM), text).roundtrip
    assert trip is not None
    assert where(trip.differences) == expected


def test_qwen_neighbouring_decomposed_characters(catalog: Catalog) -> None:
    text = "e\u0301e"  # NFC: "ée"; the old diff matched the first "e" with the last
    trip = encode(catalog.load("qwen2.5"), text).roundtrip
    assert trip is not None
    assert where(trip.differences) == [(0, 2, "e\u0301", "é", "unicode normalization")]


# --------------------------------------------------------------------------- typed special tokens


def _typed_strings(catalog: Catalog, entry_id: str) -> list[str]:
    facts = catalog.load(entry_id).facts
    return sorted({t.content for t in (*facts.special_tokens, *facts.added_tokens) if t.special})[
        :12
    ]


@pytest.mark.parametrize("entry_id", ENTRY_IDS)
def test_typed_special_tokens_come_back(catalog: Catalog, entry_id: str) -> None:
    """Every special-token string of the tokenizer typed in the text: where the tokenizer parses
    it as a control token, the decode keeps it (byte-level BPE gives the text back exactly),
    and no difference is about it."""
    tok = catalog.load(entry_id)
    for special in _typed_strings(catalog, entry_id):
        text = f"a{special}b c {special} d{special}"
        result = encode(tok, text)
        trip = result.roundtrip
        assert trip is not None
        cols = result.columns
        typed = (cols.sequence_ids == 0) & cols.control & ~cols.special
        check_consistent(text, trip)
        if not typed.any():
            continue  # this tokenizer never parses it (SentencePiece): plain text
        assert trip.decoded.count(special) == 3, (special, trip.decoded)
        assert trip.decoded_with_special.count(special) >= 3
        assert not any(special in d.input_text for d in trip.differences)
        if entry_id in raw.BYTE_LEVEL_IDS:
            assert trip.equal, (special, trip.differences)


def test_gpt2_typed_end_of_text_is_exact(catalog: Catalog) -> None:
    text = "one<|endoftext|>two <|endoftext|>"
    result = encode(catalog.load("gpt2"), text)
    trip = result.roundtrip
    assert trip is not None
    assert trip.equal and trip.decoded == trip.decoded_with_special == text
    assert trip.decoded == raw.tiktoken_encoding("gpt2").decode(result.ids)
    assert result.columns.control.sum() == 2 and not result.columns.special.any()


def test_minilm_typed_cls_stays_and_unknown_still_drops(catalog: Catalog) -> None:
    """A typed [CLS] is kept; a real unknown token (an emoji) is still left out of the decode
    as transformers' skip_special_tokens does; a typed [UNK] is text, kept too."""
    text = "hello [CLS] 🎶 [UNK] world"
    trip = encode(catalog.load(raw.MINILM), text).roundtrip
    assert trip is not None
    assert trip.decoded == "hello [CLS] [UNK] world"
    assert trip.decoded_with_special == "[CLS] hello [CLS] [UNK] [UNK] world [SEP]"
    assert where(trip.differences) == [(12, 14, "🎶 ", "", "unknown token")]


def test_pair_decoded_with_special_is_the_whole_input(catalog: Catalog) -> None:
    result = encode(catalog.load(raw.MINILM), "Hello there", pair="Good Bye")
    assert result.roundtrip is not None and result.pair_roundtrip is not None
    whole = "[CLS] hello there [SEP] good bye [SEP]"
    assert whole == raw.minilm_transformers().decode(result.ids)
    assert result.roundtrip.decoded_with_special == whole
    assert result.pair_roundtrip.decoded_with_special == whole
    assert result.roundtrip.decoded == "hello there"
    assert result.pair_roundtrip.decoded == "good bye"


# --------------------------------------------------------------------------- long texts


def _long_text(size: int, insert: str, every: int) -> str:
    line = (resources_dir() / "samples" / "mixed.txt").read_text("utf-8")
    lines = [
        line.replace("\n", f" {insert}\n", 1) if i % every == 0 else line
        for i in range(size // len(line) + 1)
    ]
    return "".join(lines)[:size]  # fmt: skip


@pytest.mark.timeout(600)
@pytest.mark.parametrize(
    ("entry_id", "insert"),
    [("gpt2", "<|endoftext|>"), ("qwen2.5", "<|im_start|>"), (raw.MINILM, "[SEP]")],
)
def test_two_megabytes_with_typed_special_tokens(
    catalog: Catalog, entry_id: str, insert: str
) -> None:
    """2 MB of mixed text with a typed special token on every third line round-trips (the
    old diff took minutes on a tenth of this)."""
    text = _long_text(1_900_000, insert, 3)
    assert len(text.encode()) > 2_000_000
    tok = catalog.load(entry_id)
    result = encode(tok, text, with_roundtrip=False)
    trip = roundtrip(tok, text, result.columns, 0)
    assert trip.decoded.count(insert) == text.count(insert)
    if entry_id in raw.BYTE_LEVEL_IDS:  # the sample is in NFC: Qwen gives it back too
        assert trip.equal
    else:
        assert not trip.equal
        assert trip.difference_count > 1000 and len(trip.differences) == 200
        assert "changed" not in trip.kinds and "dropped" not in trip.kinds
    check_differences_prefix(text, trip)


def check_differences_prefix(text: str, trip: RoundTrip) -> None:
    """The kept differences (the first 200) are consistent up to the last of them."""
    at, at_decoded = 0, 0
    for d in trip.differences:
        assert text[at : d.input_start] == trip.decoded[at_decoded : d.decoded_start]
        assert text[d.input_start : d.input_end] == d.input_text
        at, at_decoded = d.input_end, d.decoded_end


def test_a_long_text_differs_only_where_it_differs(catalog: Catalog) -> None:
    """A long text whose decode differs in a few places: exactly those few places."""
    base = "the token inspector shows text. " * 6_000
    text = base + "Café " + base + "cafe\u0301"
    trip = encode(catalog.load(raw.MINILM), text).roundtrip
    assert trip is not None
    size = len(base)
    assert where(trip.differences) == [
        (size, size + 1, "C", "c", "lowercasing"),
        (size + 3, size + 4, "é", "e", "accents removed"),
        (2 * size + 9, 2 * size + 10, "\u0301", "", "accents removed"),
    ]


@pytest.mark.parametrize("seed", [1, 2])
def test_a_long_text_with_sparse_edits_has_exactly_those_differences(
    catalog: Catalog, seed: int
) -> None:
    """Lowercase words BERT gives back as they are, with "Café ÉCOLE naïve " put in 33
    places: exactly 4 differences in each place (C, é, ÉCOLE, ï), none at a chunk's edge."""
    import random

    rng = random.Random(seed)
    words = [rng.choice(WORDS) + ("." if rng.random() < 0.05 else "") for _ in range(40_000)]
    parts = [" ".join(words[i : i + 1_200]) for i in range(0, len(words), 1_200)]
    text = " Café ÉCOLE naïve ".join(parts)
    trip = encode(catalog.load(raw.MINILM), text).roundtrip
    assert trip is not None
    assert trip.difference_count == 4 * (len(parts) - 1)
    assert set(trip.kinds) == {"lowercasing", "accents removed"}
    check_consistent(text, trip)


def test_truncated_long_text_drops_its_tail_as_one_difference(catalog: Catalog) -> None:
    from inspector.core.settings import EncodeSettings

    text = "one two three " * 50_000
    settings = EncodeSettings(truncation="longest_first", max_length=1_000)
    trip = encode(catalog.load("gpt2"), text, settings).roundtrip
    assert trip is not None
    (difference,) = trip.differences
    assert difference.kind == "dropped" and difference.input_end == len(text)
    assert text.startswith(trip.decoded) and difference.input_start == len(trip.decoded)


# --------------------------------------------------------------------------- progress, cancel


def test_progress_goes_forward_to_the_end(catalog: Catalog) -> None:
    tok = catalog.load(raw.MINILM)
    text = _long_text(300_000, "[SEP]", 2)
    result = encode(tok, text, with_roundtrip=False)
    seen: list[float] = []
    trip = roundtrip(tok, text, result.columns, 0, progress=seen.append)
    assert not trip.equal
    assert len(seen) > 10
    assert seen == sorted(seen) and seen[0] >= 0.0 and seen[-1] == 1.0


def test_cancel_stops_the_work(catalog: Catalog) -> None:
    tok = catalog.load(raw.MINILM)
    text = _long_text(300_000, "[SEP]", 2)
    result = encode(tok, text, with_roundtrip=False)
    asked: list[int] = []

    def cancelled() -> bool:
        asked.append(1)
        return len(asked) > 20  # after some work has been done

    with pytest.raises(Cancelled):
        roundtrip(tok, text, result.columns, 0, cancelled=cancelled)
    assert len(asked) == 21  # it stopped at the first "yes"
    with pytest.raises(Cancelled):
        roundtrip(tok, "short", result.columns, 0, cancelled=lambda: True)


def test_roundtrip_does_not_import_encoding() -> None:
    """encoding imports roundtrip; roundtrip needs encoding's columns only as a shape."""
    code = "import sys, inspector.core.roundtrip; print('inspector.core.encoding' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


# --------------------------------------------------------------------------- other decoders


@pytest.mark.parametrize("kind", ["hf-bpe", "hf-wordpiece", "hf-unigram", "sp-bpe", "sp-unigram"])
def test_trained_tokenizers_of_every_kind(
    trained_hf: dict[str, Any], sp_models: dict[str, Any], corpus: list[str], kind: str
) -> None:
    """Tokenizers trained here, whose decoders mark chunk edges differently (byte-level,
    WordPiece ``##`` and spaces, Metaspace ``▁``, SentencePiece with byte fallback and NFKC):
    long enough for the chunked alignment, and with chunks of two tokens, the differences
    rebuild the decode. (Where an unknown token's text could line up two ways, the two chunk
    sizes may choose differently.)"""
    from inspector.core.catalog import load_sentencepiece, load_tokenizer_json

    family, model = kind.split("-")
    if family == "hf":
        tok = load_tokenizer_json(trained_hf[model].json_path, kind)
    else:
        tok = load_sentencepiece(sp_models[model], kind)
    text = "\n".join(corpus[:60]) + " Ée\u0301 ﬁ ① 🎶 <|endoftext|> [CLS]  \t x"
    assert len(text) > roundtrip_align.WHOLE_TEXT_DIFF
    both_chunkings(tok, text)


def test_encode_passes_progress_and_cancel_to_the_round_trip(catalog: Catalog) -> None:
    """encode(..., progress=, cancelled=) reaches the round trip: the long part on long text."""
    from inspector.core.encoding import encode
    from inspector.core.errors import Cancelled

    tok = catalog.load("gpt2")
    text = "a<|endoftext|>b " * 20_000
    seen: list[float] = []
    result = encode(tok, text, progress=seen.append)
    assert result.roundtrip is not None and result.roundtrip.equal
    assert seen and seen[-1] == pytest.approx(1.0)
    with pytest.raises(Cancelled):
        encode(tok, text, cancelled=lambda: True)
