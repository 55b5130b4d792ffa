"""Exact bytes behind every token, and the call options (pairs, truncation, stride, padding,
pre-tokenized input) compared with the libraries that define them."""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np
import pytest

from inspector.core.catalog import Catalog
from inspector.core.encoding import EncodingResult, TokenColumns, encode, encode_batch
from inspector.core.errors import EncodeError
from inspector.core.settings import EncodeSettings
from inspector.core.tokenizer import LoadedTokenizer
from tests.core import raw

TEXTS = {**raw.HARD_TEXTS, **raw.sample_texts()}
TEXT_NAMES = list(TEXTS)


def char_to_byte(text: str) -> np.ndarray:
    """c2b[i] = UTF-8 offset of character i; c2b[len(text)] = total bytes."""
    widths = [len(c.encode("utf-8")) for c in text]
    return np.concatenate([[0], np.cumsum(widths, dtype=np.int64)]).astype(np.int64)


def text_rows(cols: TokenColumns, sequence: int = 0) -> np.ndarray:
    return np.flatnonzero((cols.sequence_ids == sequence) & ~cols.special)


def rebuilt(cols: TokenColumns, data: bytes, sequence: int = 0) -> bytes:
    return b"".join(
        data[int(cols.byte_start[i]) : int(cols.byte_end[i])] for i in text_rows(cols, sequence)
    )


def check_exact_bytes(
    tok: LoadedTokenizer,
    result: EncodingResult,
    text: str,
    sequence: int = 0,
    dummy_prefix: bool = False,
) -> None:
    """Byte spans tile the text and each holds exactly the token's own bytes."""
    cols = result.columns
    data = text.encode("utf-8")
    assert rebuilt(cols, data, sequence) == data
    rows = text_rows(cols, sequence)
    c2b = char_to_byte(text)
    boundaries = set(c2b.tolist())
    for i in rows:
        start, end = int(cols.byte_start[i]), int(cols.byte_end[i])
        own = tok.token_bytes(int(cols.ids[i]))
        assert own is not None, cols.tokens[i]
        if dummy_prefix and i == rows[0]:
            # SentencePiece's dummy prefix: the first piece's ▁ is a space not in the text.
            assert own.startswith(b" "), cols.tokens[i]
            own = own[1:]
        assert data[start:end] == own, (i, cols.tokens[i])
        mid = start not in boundaries or end not in boundaries
        assert bool(cols.partial[i]) == mid, (i, cols.tokens[i])
        # The character span is the smallest that holds the bytes.
        char_start, char_end = int(cols.char_start[i]), int(cols.char_end[i])
        assert c2b[char_start] <= start and end <= c2b[char_end]
        if end > start:
            assert c2b[char_start + 1] > start and c2b[char_end - 1] < end
    check_groups(cols, c2b, rows)


def check_groups(cols: TokenColumns, c2b: np.ndarray, rows: np.ndarray) -> None:
    """A token that starts inside a character joins the group of the token before it."""
    boundaries = set(c2b.tolist())
    for i in rows:
        starts_mid = int(cols.byte_start[i]) not in boundaries
        if starts_mid:
            assert cols.group[i] == cols.group[i - 1], (i, cols.tokens[i])
            assert cols.partial[i] and cols.partial[i - 1]
        else:
            assert cols.group[i] == i, (i, cols.tokens[i])


# --------------------------------------------------------------------------- byte-level


def byte_level_cases() -> list[Any]:
    cases = []
    for entry_id in raw.BYTE_LEVEL_IDS:
        for name in TEXT_NAMES:
            if entry_id in raw.NFC_IDS and not raw.nfc_stable(TEXTS[name]):
                # Qwen NFC-normalizes: tokens of "é" cannot hold the bytes of "e" + U+0301.
                # test_qwen_on_text_that_nfc_changes_keeps_to_the_library covers that case.
                continue
            cases.append(pytest.param(entry_id, name, id=f"{entry_id}-{name}"))
    return cases


@pytest.mark.parametrize(("entry_id", "name"), byte_level_cases())
def test_byte_level_spans_rebuild_text_exactly(catalog: Catalog, entry_id: str, name: str) -> None:
    tok = catalog.load(entry_id)
    text = TEXTS[name]
    result = encode(tok, text, with_roundtrip=False)
    assert result.ids == raw.raw_ids(entry_id, text)
    check_exact_bytes(tok, result, text)


@pytest.mark.parametrize("entry_id", raw.NFC_IDS)
def test_qwen_on_text_that_nfc_changes_covers_the_mark_with_its_base(
    catalog: Catalog, entry_id: str
) -> None:
    """e + U+0301 becomes "é" for Qwen: the token of "é" spans both characters of the text
    (the mark belongs to its base), its bytes are what it stands for (C3 A9 in "Ġcafé"), and
    the rest of the text keeps its exact bytes."""
    tok = catalog.load(entry_id)
    text = "ab cafe\u0301 x"
    result = encode(tok, text, with_roundtrip=False)
    assert result.ids == raw.raw_ids(entry_id, text)
    views = [v for v in result.views() if not v.special]
    encoding = raw.tiktoken_encoding(entry_id)
    assert [bytes.fromhex(v.bytes) for v in views] == [
        encoding.decode_single_token_bytes(i) for i in result.ids
    ]
    covered = {c for v in views for c in range(v.start, v.end)}
    assert covered == set(range(len(text)))
    cafe = next(v for v in views if "caf" in v.display)
    assert (cafe.start, cafe.end) == (2, 8)
    assert (cafe.byte_start, cafe.byte_end) == (2, 9)
    assert text.encode()[cafe.byte_start : cafe.byte_end] == " cafe\u0301".encode()
    assert views[-1].display == "␣x" and (views[-1].start, views[-1].end) == (8, 10)
    assert not result.columns.partial.any()


@pytest.mark.parametrize("entry_id", raw.NFC_IDS)
def test_qwen_tokens_of_one_normalized_cluster_are_one_group(
    catalog: Catalog, entry_id: str
) -> None:
    """NFC turns A + U+0300 + U+0302 into À + U+0302: the tokens built from that cluster all
    span it (0..3, bytes 0..5), keep their own bytes, and form one group."""
    tok = catalog.load(entry_id)
    text = "A\u0300\u0302"
    result = encode(tok, text, with_roundtrip=False)
    assert result.ids == raw.raw_ids(entry_id, text)
    views = result.views()
    encoding = raw.tiktoken_encoding(entry_id)
    assert [bytes.fromhex(v.bytes) for v in views] == [
        encoding.decode_single_token_bytes(i) for i in result.ids
    ]
    assert {(v.start, v.end) for v in views} == {(0, 3)}
    assert {(v.byte_start, v.byte_end) for v in views} == {(0, 5)}
    assert {v.group for v in views} == {0}
    assert all(v.partial for v in views) == (len(views) > 1)


@pytest.mark.parametrize("entry_id", ["gpt2", "cl100k_base", "qwen2.5"])
def test_emoji_split_into_byte_tokens(catalog: Catalog, entry_id: str) -> None:
    """🎶 (F0 9F 8E B6) after a space: three tokens, ' F0 9F' | 8E | B6, one group."""
    tok = catalog.load(entry_id)
    text = "Hello 🎶"
    result = encode(tok, text, with_roundtrip=False)
    views = result.views()
    assert [v.byte_start for v in views] == [0, 5, 8, 9]
    assert [v.byte_end for v in views] == [5, 8, 9, 10]
    assert [v.bytes for v in views[1:]] == ["20 F0 9F", "8E", "B6"]
    assert [v.partial for v in views] == [False, True, True, True]
    assert [v.group for v in views] == [0, 1, 1, 1]
    # Each piece's characters cover the emoji (char 6); the first also the space.
    assert [(v.start, v.end) for v in views] == [(0, 5), (5, 7), (6, 7), (6, 7)]
    assert [v.display for v in views[1:]] == ["⟨20 F0 9F⟩", "⟨8E⟩", "⟨B6⟩"]


def test_o200k_cjk_split_shares_one_group(catalog: Catalog) -> None:
    tok = catalog.load("o200k_base")
    text = "Hello 🎶 鸟"
    result = encode(tok, text, with_roundtrip=False)
    check_exact_bytes(tok, result, text)
    cols = result.columns
    partial = np.flatnonzero(cols.partial)
    assert len(partial) >= 4
    emoji = [i for i in partial if cols.char_start[i] <= 6 < cols.char_end[i]]
    bird = [i for i in partial if cols.char_start[i] <= 8 < cols.char_end[i]]
    assert len({int(cols.group[i]) for i in emoji}) == 1
    assert len({int(cols.group[i]) for i in bird}) == 1
    assert cols.group[emoji[0]] != cols.group[bird[0]]


# --------------------------------------------------------------------------- byte fallback


@pytest.mark.parametrize("name", TEXT_NAMES)
@pytest.mark.parametrize("entry_id", raw.SENTENCEPIECE_IDS)
def test_sentencepiece_spans_hold_the_pieces_bytes(
    catalog: Catalog, entry_id: str, name: str
) -> None:
    """SentencePiece (identity normalizer here) also tiles the text, ▁ standing for spaces."""
    tok = catalog.load(entry_id)
    text = TEXTS[name]
    result = encode(tok, text, with_roundtrip=False)
    assert result.ids == raw.raw_ids(entry_id, text)
    check_exact_bytes(tok, result, text, dummy_prefix=True)


@pytest.mark.parametrize("entry_id", raw.SENTENCEPIECE_IDS)
def test_byte_fallback_pieces(catalog: Catalog, entry_id: str) -> None:
    tok = catalog.load(entry_id)
    text = "a 🎶 b\x00c"
    result = encode(tok, text, with_roundtrip=False)
    views = [v for v in result.views() if v.token.startswith("<0x")]
    assert [v.token for v in views] == ["<0xF0>", "<0x9F>", "<0x8E>", "<0xB6>", "<0x00>"]
    assert [(v.byte_start, v.byte_end) for v in views] == [(2, 3), (3, 4), (4, 5), (5, 6), (8, 9)]
    assert [v.bytes for v in views] == ["F0", "9F", "8E", "B6", "00"]
    assert [v.partial for v in views] == [True, True, True, True, False]
    assert len({v.group for v in views[:4]}) == 1
    assert views[0].group == views[0].index
    assert all((v.start, v.end) == (2, 3) for v in views[:4])
    assert (views[4].start, views[4].end) == (5, 6)  # the NUL is character 5


# --------------------------------------------------------------------------- pairs

PAIR_A = "Where is the library located, café 🎶?"
PAIR_B = "It stands next to the old railway station."


def test_minilm_pair_equals_transformers(catalog: Catalog) -> None:
    tok = catalog.load(raw.MINILM)
    result = encode(tok, PAIR_A, pair=PAIR_B)
    hf = raw.minilm_transformers()(
        PAIR_A, PAIR_B, return_offsets_mapping=True, return_token_type_ids=True
    )
    cols = result.columns
    assert result.ids == hf["input_ids"]
    assert result.token_type_ids == hf["token_type_ids"]
    spans = list(zip(cols.char_start.tolist(), cols.char_end.tolist(), strict=True))
    assert spans == [tuple(o) for o in hf["offset_mapping"]]
    assert cols.sequence_ids.tolist() == [-1 if s is None else s for s in hf.sequence_ids()]
    assert set(cols.sequence_ids.tolist()) == {-1, 0, 1}
    # spans count from the start of their own text
    for view in result.views():
        if view.sequence_id == 1:
            assert PAIR_B[view.start : view.end].lower() == view.token.removeprefix("##")


@pytest.mark.parametrize("entry_id", ["gpt2", "qwen3.6", "mistral-v1"])
def test_pair_spans_are_relative_to_each_text(catalog: Catalog, entry_id: str) -> None:
    tok = catalog.load(entry_id)
    result = encode(tok, PAIR_A, pair=PAIR_B, with_roundtrip=False)
    cols = result.columns
    assert set(cols.sequence_ids[~cols.special].tolist()) == {0, 1}
    first, second = text_rows(cols, 0), text_rows(cols, 1)
    assert first.max() < second.min()
    assert rebuilt(cols, PAIR_A.encode(), 0) == PAIR_A.encode()
    assert rebuilt(cols, PAIR_B.encode(), 1) == PAIR_B.encode()
    assert cols.char_start[second].min() == 0
    expected = raw.raw_ids(entry_id, PAIR_A, False) + raw.raw_ids(entry_id, PAIR_B, False)
    assert cols.ids[~cols.special].tolist() == expected
    if entry_id.startswith("mistral"):
        bos = raw.sentencepiece_processor(entry_id).bos_id()
        first_ids = raw.raw_ids(entry_id, PAIR_A, False)
        second_ids = raw.raw_ids(entry_id, PAIR_B, False)
        assert result.ids == [bos, *first_ids, bos, *second_ids]
        assert cols.type_ids.tolist() == [0] * (len(first) + 1) + [1] * (len(second) + 1)


# --------------------------------------------------------------------------- truncation


LONG_A = "Where is the library located? It is a long question with many words in it, isn't it."
SHORT_A = "Where is it?"
LONG_B = "The library stands next to the old railway station, near the café 🎶 and the park."

TRUNCATION_CASES = [
    # (first, pair, strategy, max_length, stride)
    (LONG_A, None, "longest_first", 8, 0),
    (LONG_A, None, "longest_first", 8, 3),
    (LONG_A, None, "only_first", 10, 2),
    (LONG_A, LONG_B, "longest_first", 16, 0),
    (LONG_A, LONG_B, "longest_first", 16, 4),
    (LONG_A, LONG_B, "longest_first", 12, 3),
    (LONG_A, SHORT_A, "only_first", 20, 2),
    (LONG_A, SHORT_A, "only_first", 24, 0),
    (SHORT_A, LONG_B, "only_second", 16, 0),
    (SHORT_A, LONG_B, "only_second", 16, 5),
    (LONG_A, None, "only_second", 10, 0),  # error in both: no second sequence
    (LONG_A, LONG_B, "only_first", 12, 0),  # error in both: the pair alone is too long
]


def _windows(result: EncodingResult) -> list[TokenColumns]:
    return [result.columns, *result.overflow]


@pytest.mark.parametrize(("first", "pair", "strategy", "max_length", "stride"), TRUNCATION_CASES)
def test_minilm_truncation_and_stride_equal_transformers(
    catalog: Catalog, first: str, pair: str | None, strategy: str, max_length: int, stride: int
) -> None:
    tok = catalog.load(raw.MINILM)
    settings = EncodeSettings(
        truncation=strategy,  # type: ignore[arg-type]
        max_length=max_length,
        stride=stride,
    )
    args = (first,) if pair is None else (first, pair)
    call = {
        "truncation": strategy,
        "max_length": max_length,
        "stride": stride,
        "return_overflowing_tokens": True,
        "return_offsets_mapping": True,
        "return_token_type_ids": True,
    }
    try:
        hf = raw.minilm_transformers()(*args, **call)
    except Exception:
        with pytest.raises(EncodeError):
            encode(tok, first, settings, pair=pair)
        return
    result = encode(tok, first, settings, pair=pair)
    windows = _windows(result)
    assert len(windows) == len(hf["input_ids"]) > 1
    assert result.stats.windows == len(windows)
    for number, window in enumerate(windows):
        assert window.ids.tolist() == hf["input_ids"][number]
        assert window.type_ids.tolist() == hf["token_type_ids"][number]
        spans = list(zip(window.char_start.tolist(), window.char_end.tolist(), strict=True))
        assert spans == [tuple(o) for o in hf["offset_mapping"][number]]
        assert len(window) <= max_length
        # byte spans follow the same characters, in the right text
        for i in np.flatnonzero(~window.special):
            text = first if window.sequence_ids[i] == 0 else pair
            assert text is not None
            c2b = char_to_byte(text)
            assert window.byte_start[i] == c2b[window.char_start[i]]
            assert window.byte_end[i] == c2b[window.char_end[i]]


STRIDE_GRID = [
    (first, second, max_length, stride)
    for first, second in [(3, None), (9, None), (5, 3), (3, 5), (7, 9), (9, 7), (12, 4), (6, 6)]
    for max_length in (4, 6, 9, 12)
    for stride in (0, 1, 2, 3)
]
WORDS = ["one", "two", "three", "four", "five", "six"]
WORDS += ["seven", "eight", "nine", "ten", "eleven", "twelve"]


def _library_windows(
    first: list[int],
    second: list[int] | None,
    bos: int,
    strategy: str,
    max_length: int,
    stride: int,
    add_special_tokens: bool,
) -> tuple[list[list[int]], list[list[int]]] | None:
    """tokenizers' own truncation, stride and overflow order, run on SentencePiece's ids.

    A WordLevel tokenizer whose words are the piece ids, with the LLaMA-style template the
    app uses (BOS before each sequence), gives the windows transformers would give. None
    where tokenizers refuses (an error or a Rust panic).
    """
    from tokenizers import Tokenizer, models, processors

    vocab = {f"p{i}": i for i in {*first, *(second or [])}}
    oracle = Tokenizer(models.WordLevel({**vocab, "[UNK]": 0}, unk_token="[UNK]"))
    oracle.post_processor = processors.TemplateProcessing(
        single="<s> $A", pair="<s>:0 $A:0 <s>:1 $B:1", special_tokens=[("<s>", bos)]
    )
    oracle.enable_truncation(max_length, stride=stride, strategy=strategy)
    words_b = None if second is None else [f"p{i}" for i in second]
    try:
        encoding = oracle.encode(
            [f"p{i}" for i in first],
            words_b,
            is_pretokenized=True,
            add_special_tokens=add_special_tokens,
        )
    except BaseException as err:  # pyo3's PanicException is a BaseException
        if isinstance(err, (KeyboardInterrupt, SystemExit)):
            raise
        return None
    windows = [encoding, *encoding.overflowing]
    return [w.ids for w in windows], [w.type_ids for w in windows]


@pytest.mark.parametrize("add_special_tokens", [True, False], ids=["specials", "no-specials"])
@pytest.mark.parametrize("strategy", ["longest_first", "only_first", "only_second"])
def test_sentencepiece_truncation_follows_tokenizers(
    catalog: Catalog, strategy: str, add_special_tokens: bool
) -> None:
    """SentencePiece has no truncation of its own: the app's must be transformers' (that is,
    tokenizers'): the same lengths kept, the same windows, in the same order, the same errors."""
    entry_id = "mistral-v1"
    tok = catalog.load(entry_id)
    bos = raw.sentencepiece_processor(entry_id).bos_id()
    for n1, n2, max_length, stride in STRIDE_GRID:
        text = " ".join(WORDS[:n1])
        pair = None if n2 is None else " ".join(WORDS[:n2])
        first = raw.raw_ids(entry_id, text, False)
        second = None if pair is None else raw.raw_ids(entry_id, pair, False)
        expected = _library_windows(
            first, second, bos, strategy, max_length, stride, add_special_tokens
        )
        settings = EncodeSettings(
            add_special_tokens=add_special_tokens,
            truncation=strategy,  # type: ignore[arg-type]
            max_length=max_length,
            stride=stride,
        )
        case = (n1, n2, max_length, stride)
        if expected is None:
            with pytest.raises(EncodeError):
                encode(tok, text, settings, pair=pair, with_roundtrip=False)
            continue
        result = encode(tok, text, settings, pair=pair, with_roundtrip=False)
        windows = _windows(result)
        assert [w.ids.tolist() for w in windows] == expected[0], case
        assert [w.type_ids.tolist() for w in windows] == expected[1], case


@pytest.mark.parametrize("strategy", ["longest_first", "only_first", "only_second"])
def test_minilm_stride_errors_are_encode_errors(catalog: Catalog, strategy: str) -> None:
    """Where transformers panics in Rust (stride not below what a window keeps), or raises,
    the app raises a plain EncodeError; elsewhere the windows are transformers'."""
    tok = catalog.load(raw.MINILM)
    hf_tokenizer = raw.minilm_transformers()
    for n1, n2, max_length, stride in STRIDE_GRID:
        if stride >= max_length:
            continue  # EncodeSettings refuses these itself
        text = " ".join(WORDS[:n1])
        pair = None if n2 is None else " ".join(WORDS[:n2])
        settings = EncodeSettings(
            truncation=strategy,  # type: ignore[arg-type]
            max_length=max_length,
            stride=stride,
        )
        args = (text,) if pair is None else (text, pair)
        try:
            hf = hf_tokenizer(
                *args,
                truncation=strategy,
                max_length=max_length,
                stride=stride,
                return_overflowing_tokens=True,
            )
        except BaseException as err:
            if isinstance(err, (KeyboardInterrupt, SystemExit)):
                raise
            with pytest.raises(EncodeError):
                encode(tok, text, settings, pair=pair, with_roundtrip=False)
            continue
        result = encode(tok, text, settings, pair=pair, with_roundtrip=False)
        assert [w.ids.tolist() for w in _windows(result)] == hf["input_ids"]


@pytest.mark.parametrize("entry_id", ["gpt2", "mistral-v3"])
def test_truncation_with_stride_windows_overlap_by_stride(catalog: Catalog, entry_id: str) -> None:
    tok = catalog.load(entry_id)
    settings = EncodeSettings(truncation="longest_first", max_length=10, stride=3)
    result = encode(tok, LONG_A, settings)
    full = raw.raw_ids(entry_id, LONG_A, False)
    windows = _windows(result)
    assert len(windows) > 1
    texts = [w.ids[~w.special].tolist() for w in windows]
    assert all(len(w) <= 10 for w in windows)
    assert texts[0] == full[: len(texts[0])]
    for before, after in itertools.pairwise(texts):
        assert before[-3:] == after[:3]
    # the windows together hold every token, in order
    joined = texts[0] + [t for w in texts[1:] for t in w[3:]]
    assert joined == full


# --------------------------------------------------------------------------- padding

BATCH = raw.sample_texts()["batch.txt"].splitlines()


@pytest.mark.parametrize("side", ["right", "left"])
@pytest.mark.parametrize(("padding", "max_length"), [("longest", None), ("max_length", 24)])
def test_minilm_batch_padding_equals_transformers(
    catalog: Catalog, padding: str, max_length: int | None, side: str
) -> None:
    tok = catalog.load(raw.MINILM)
    settings = EncodeSettings(
        padding=padding,  # type: ignore[arg-type]
        max_length=max_length,
        padding_side=side,  # type: ignore[arg-type]
    )
    batch = encode_batch(tok, BATCH, settings)
    hf = raw.minilm_transformers()(
        BATCH,
        padding=padding,
        max_length=max_length,
        padding_side=side,
        return_offsets_mapping=True,
        return_token_type_ids=True,
    )
    assert batch.input_ids.tolist() == hf["input_ids"]
    assert batch.attention_mask.tolist() == hf["attention_mask"]
    for number, result in enumerate(batch.results):
        cols = result.columns
        spans = list(zip(cols.char_start.tolist(), cols.char_end.tolist(), strict=True))
        assert spans == [tuple(o) for o in hf["offset_mapping"][number]]
        assert cols.type_ids.tolist() == hf["token_type_ids"][number]
        # padding is special and outside the text; stats and round-trip ignore it
        pad = cols.attention_mask == 0
        assert cols.special[pad].all()
        assert (cols.sequence_ids[pad] == -1).all()
        assert result.stats.tokens == int((cols.attention_mask == 1).sum())
        assert result.roundtrip is not None
        assert result.roundtrip.decoded == raw.minilm_transformers().decode(
            hf["input_ids"][number], skip_special_tokens=True
        )
    if padding == "max_length":
        assert batch.input_ids.shape == (len(BATCH), 24)


def test_minilm_padding_with_truncation_equals_transformers(catalog: Catalog) -> None:
    tok = catalog.load(raw.MINILM)
    settings = EncodeSettings(truncation="longest_first", max_length=9, padding="max_length")
    batch = encode_batch(tok, BATCH, settings)
    hf = raw.minilm_transformers()(BATCH, padding="max_length", truncation=True, max_length=9)
    assert batch.input_ids.tolist() == hf["input_ids"]
    assert batch.attention_mask.tolist() == hf["attention_mask"]


@pytest.mark.parametrize("padding", ["longest", "max_length"])
def test_padding_gpt2_is_a_clear_error(catalog: Catalog, padding: str) -> None:
    tok = catalog.load("gpt2")
    settings = EncodeSettings(padding=padding, max_length=16)  # type: ignore[arg-type]
    with pytest.raises(EncodeError, match="no padding token"):
        encode_batch(tok, BATCH, settings)


def test_ragged_batch_without_padding(catalog: Catalog) -> None:
    tok = catalog.load("gpt2")
    batch = encode_batch(tok, BATCH)
    lengths = [len(r) for r in batch.results]
    assert len(set(lengths)) > 1
    for row, result in enumerate(batch.results):
        assert batch.input_ids[row, : len(result)].tolist() == raw.raw_ids("gpt2", BATCH[row])
        assert (batch.input_ids[row, len(result) :] == -1).all()
        assert (batch.attention_mask[row, len(result) :] == 0).all()


# --------------------------------------------------------------------------- pre-tokenized

PRETOKENIZED = [
    "Hello  wonderful\tworld café",
    "  lead and trail  ",
    "unbelievable tokenization, Straße!",
    "a 🎶 b 鸟语",
    "",
]


@pytest.mark.parametrize("text", PRETOKENIZED)
def test_minilm_pretokenized_equals_transformers(catalog: Catalog, text: str) -> None:
    import re

    tok = catalog.load(raw.MINILM)
    result = encode(tok, text, EncodeSettings(pretokenized=True))
    matches = list(re.finditer(r"\S+", text))
    words = [m.group() for m in matches]
    hf = raw.minilm_transformers()(words, is_split_into_words=True, return_offsets_mapping=True)
    cols = result.columns
    assert result.ids == hf["input_ids"]
    assert cols.word_ids.tolist() == [-1 if w is None else w for w in hf.word_ids()]
    for i, (start, end) in enumerate(hf["offset_mapping"]):
        word = hf.word_ids()[i]
        if word is None:
            assert cols.special[i]
            continue
        # transformers counts from the start of each word; the app from the start of the text
        shift = matches[word].start()
        assert (int(cols.char_start[i]), int(cols.char_end[i])) == (start + shift, end + shift)
    for view in result.views():
        if view.special or view.token == "[UNK]":
            continue
        piece = text[view.start : view.end].lower()
        assert piece.replace("é", "e") == view.token.removeprefix("##")


def test_pretokenized_byte_level_spans_point_into_the_text(catalog: Catalog) -> None:
    tok = catalog.load("gpt2")
    text = "  Hello  wonderful\tworld 🎶"
    result = encode(tok, text, EncodeSettings(pretokenized=True), with_roundtrip=False)
    cols = result.columns
    data = text.encode()
    words = text.split()
    assert cols.word_ids.max() == len(words) - 1
    for number, word in enumerate(words):
        rows = np.flatnonzero(cols.word_ids == number)
        got = b"".join(data[int(cols.byte_start[i]) : int(cols.byte_end[i])] for i in rows)
        assert got == word.encode()
