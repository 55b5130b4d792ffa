"""Property tests: on any Unicode text (decomposed and compatibility characters, Hangul jamo,
Indic nuktas, typed special-token strings of every default tokenizer, hostile HTML), every
default tokenizer gives the raw library's ids, covers every character of the text with the
tokens built from it, never lets a span go backwards, and reports as each token's bytes what
the token stands for (tiktoken's decode_single_token_bytes, sentencepiece's pieces, the
vocabulary). The fast paths give the same columns as the tokenizers / proto paths."""

from __future__ import annotations

import unicodedata
from dataclasses import fields
from functools import cache

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from inspector.core.catalog import ENTRIES, Catalog
from inspector.core.encoding import EncodingResult, TokenColumns, encode
from inspector.core.normalize import align
from inspector.core.settings import EncodeSettings
from inspector.core.sp_tokenizer import SentencePieceTokenizer
from inspector.core.tiktoken_fast import TiktokenTokenizer
from tests.core import raw

# Every default tokenizer with a raw reference in tests/core/raw.py.
ENTRY_IDS = [raw.MINILM, *raw.OPENAI, *raw.QWEN, *raw.MISTRAL]
PARSE = EncodeSettings()
SPLIT = EncodeSettings(split_special_tokens=True)

TYPED_SPECIALS = [
    "<|endoftext|>",
    "<|endofprompt|>",
    "<|fim_prefix|>",
    "<|im_start|>",
    "<|im_end|>",
    "<|vision_start|>",
    "[CLS]",
    "[SEP]",
    "[UNK]",
    "[MASK]",
    "[PAD]",
    "<s>",
    "</s>",
    "<unk>",
    "[INST]",
]
HOSTILE_HTML = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "&amp;&lt;",
    "\"'><!--",
    "</td></tr>",
]
PIECES = [
    "🎶",
    "👍🏽",
    "👨\u200d👩\u200d👧",
    "🇫🇷",
    "❤️",
    "鸟",
    "語",
    "タ",
    "한",
    "e\u0301",  # decomposed
    "n\u0303",
    "A\u0300\u0302",  # NFC composes the first mark only: À + U+0302
    "\u0308",
    "\u0f78",  # NFC makes two code points
    "\u212b",  # Å as the Ångström sign: NFC changes it
    "é",
    "ß",
    "ﬁ",  # compatibility characters (NFKC changes them)
    "²",
    "Ｆ",
    "①",
    "㎏",
    "\u1100\u1161\u11a8",  # Hangul jamo: NFC composes 각
    "\u1100\u1161",
    "\u0915\u093c",  # Devanagari ka + nukta (U+0958 decomposes to this and NFC keeps it)
    "\u0958",
    "\u09a1\u09bc",  # Bengali
    " ",
    "  ",
    "\t",
    "\n",
    "\r\n",
    "\r",
    "\x00",
    "\u200b",
    "\u200d",
    "\u00a0",
    "\u3000",
    "\u200f",
    "\u202e",
    "\u2028",
    "\ufffd",
    "שלום",
    "مرحبا",
    "2024",
    "'s",
    "ABC",
    "x",
    "##",
    "▁",
    "Ġ",
    *TYPED_SPECIALS,
    *HOSTILE_HTML,
]

mixed_text = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=3)), max_size=30).map(
    "".join
)
any_text = st.one_of(st.text(max_size=60), mixed_text, mixed_text)


def _settings(examples: int) -> settings:
    return settings(
        max_examples=examples,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
        derandomize=True,  # the same examples every run: a failure here is reproducible
        database=None,
    )


# --------------------------------------------------------------------------- the truth


def raw_ids(entry_id: str, text: str, split: bool) -> list[int]:
    if not split:
        return raw.raw_ids(entry_id, text)
    if entry_id in raw.QWEN:
        return raw.tiktoken_encoding(entry_id).encode_ordinary(unicodedata.normalize("NFC", text))
    if entry_id in raw.OPENAI:
        return raw.tiktoken_encoding(entry_id).encode_ordinary(text)
    if entry_id == raw.MINILM:
        out = raw.minilm_transformers()(text, split_special_tokens=True)
        return list(out["input_ids"])
    return raw.raw_ids(entry_id, text)  # sentencepiece never parses special-token strings


@cache
def _byte_decoder() -> dict[str, int]:
    """GPT-2's printable character for each byte, inverted (written out: the oracle must not
    be the code under test)."""
    printable = [*range(ord("!"), ord("~") + 1), *range(0xA1, 0xAC + 1), *range(0xAE, 0xFF + 1)]
    chars, extra = list(printable), 0
    for byte in range(256):
        if byte not in printable:
            printable.append(byte)
            chars.append(256 + extra)
            extra += 1
    return {chr(c): b for b, c in zip(printable, chars, strict=True)}


def stands_for(entry_id: str, result: EncodingResult, row: int) -> bytes:
    """What the library says token ``row`` stands for."""
    cols = result.columns
    token_id = int(cols.ids[row])
    covered = result.text.encode("utf-8")[int(cols.byte_start[row]) : int(cols.byte_end[row])]
    if entry_id in raw.TIKTOKEN_IDS:
        return bytes(raw.tiktoken_encoding(entry_id).decode_single_token_bytes(token_id))
    if entry_id in raw.SENTENCEPIECE_IDS:
        sp = raw.sentencepiece_processor(entry_id)
        piece = sp.id_to_piece(token_id)
        if sp.is_byte(token_id):
            return bytes([int(piece[3:5], 16)])
        return covered if sp.is_unknown(token_id) else piece.replace("▁", " ").encode()
    if entry_id == raw.SMOLLM2:  # byte-level BPE: the vocabulary's characters are bytes
        token = raw.smollm2_transformers().convert_ids_to_tokens(token_id)
        return bytes(_byte_decoder()[c] for c in token)
    library = raw.minilm_tokenizers()
    if token_id == library.token_to_id("[UNK]") and not cols.control[row]:
        return covered  # a word the vocabulary lacks
    return str(library.id_to_token(token_id)).removeprefix("##").encode()


def must_be_covered(entry_id: str, text: str) -> list[int]:
    """Characters some token must cover. BERT's normalizer drops whitespace, control and
    format characters, U+FFFD and marks it strips without a base; every other tokenizer here
    keeps every character."""
    if entry_id != raw.MINILM:
        return list(range(len(text)))
    keep = ("L", "N", "P", "S")
    return [
        i
        for i, c in enumerate(text)
        if c != "\ufffd" and unicodedata.category(c)[0] in keep and not c.isspace()
    ]


def check_properties(catalog: Catalog, entry_id: str, text: str, split: bool) -> None:
    tok = catalog.load(entry_id)
    result = encode(tok, text, SPLIT if split else PARSE, with_roundtrip=False)
    assert result.ids == raw_ids(entry_id, text, split)
    cols = result.columns
    data = text.encode("utf-8")
    c2b = np.concatenate([[0], np.cumsum([len(c.encode()) for c in text], dtype=np.int64)])
    rows = np.flatnonzero((cols.sequence_ids == 0) & ~cols.special)
    starts, ends = cols.char_start[rows], cols.char_end[rows]
    byte_starts, byte_ends = cols.byte_start[rows], cols.byte_end[rows]
    # inside the text, never reversed, never going backwards
    assert ((starts >= 0) & (ends <= len(text)) & (ends >= starts)).all()
    assert ((byte_starts >= 0) & (byte_ends <= len(data)) & (byte_ends >= byte_starts)).all()
    for column in (starts, ends, byte_starts, byte_ends):
        assert (np.diff(column) >= 0).all()
    # the byte span lies within the UTF-8 of the character span
    assert (c2b[starts] <= byte_starts).all()
    assert (byte_ends <= c2b[ends]).all()
    # every character is covered by the tokens built from it
    covered = np.zeros(len(text) + 1, dtype=np.int64)
    np.add.at(covered, starts, 1)
    np.add.at(covered, ends, -1)
    held = np.cumsum(covered)[:-1] > 0
    missing = [i for i in must_be_covered(entry_id, text) if not held[i]]
    assert not missing, [(i, text[i]) for i in missing]
    # bytes: what each token stands for
    views = result.views()
    for row in rows.tolist():
        assert bytes.fromhex(views[row].bytes) == stands_for(entry_id, result, row), row
    if entry_id in raw.BYTE_LEVEL_IDS:
        seen = unicodedata.normalize("NFC", text) if entry_id in raw.NFC_IDS else text
        assert b"".join(bytes.fromhex(views[r].bytes) for r in rows.tolist()) == seen.encode()
    # special tokens added by the tokenizer point nowhere
    specials = np.flatnonzero(cols.special)
    assert (cols.byte_start[specials] == cols.byte_end[specials]).all()
    assert cols.control[specials].all()
    # typed special-token strings: control tokens unless split; counted
    assert result.typed_control_count == int((cols.control & ~cols.special).sum())
    if split or entry_id in raw.SENTENCEPIECE_IDS:
        assert result.typed_control_count == 0
    for row in np.flatnonzero(cols.control & ~cols.special).tolist():
        typed = text[int(cols.char_start[row]) : int(cols.char_end[row])]
        assert typed == cols.tokens[row]


EDGE_TEXTS = [
    "e\u0301",
    " n\u0303",
    "\u0f78",
    "cafe\u0301 ﬁ² 각 \u1100\u1161\u11a8 \u0915\u093c",
    "hi<|endoftext|>there",
    "[CLS] x [SEP][UNK] ☃",
    "<s>a</s><unk>",
    "<|im_start|>user\n<script>alert(1)</script><|im_end|>",
]


@pytest.mark.parametrize("split", [False, True], ids=["parse", "split"])
@pytest.mark.parametrize("text", EDGE_TEXTS, ids=range(len(EDGE_TEXTS)))
@pytest.mark.parametrize("entry_id", ENTRY_IDS)
def test_properties_on_the_issue_texts(
    catalog: Catalog, entry_id: str, text: str, split: bool
) -> None:
    check_properties(catalog, entry_id, text, split)


def test_every_default_tokenizer_has_a_raw_reference() -> None:
    """A catalog entry joins these tests once tests/core/raw.py can encode with its library."""
    assert set(ENTRY_IDS) <= {entry.id for entry in ENTRIES}


@pytest.mark.parametrize("entry_id", ENTRY_IDS)
def test_properties(catalog: Catalog, entry_id: str) -> None:
    @_settings(30)
    @given(text=any_text, split=st.booleans())
    def check(text: str, split: bool) -> None:
        check_properties(catalog, entry_id, text, split)

    check()


# --------------------------------------------------------------------------- fast paths


def assert_columns_equal(got: TokenColumns, want: TokenColumns) -> None:
    for field in fields(TokenColumns):
        name = "word_ids" if field.name == "word_ids_source" else field.name
        a, b = getattr(got, name), getattr(want, name)
        if name == "tokens":
            assert list(a) == list(b)
        else:
            np.testing.assert_array_equal(a, b, err_msg=name)


@pytest.mark.parametrize("entry_id", [*raw.TIKTOKEN_IDS, *raw.SENTENCEPIECE_IDS])
def test_fast_path_columns_equal_the_library_path(catalog: Catalog, entry_id: str) -> None:
    """tiktoken's native encode + numpy spans == the converted tokenizers path; sentencepiece
    ids + piece lengths == the proto path; column for column, word ids included."""
    tok = catalog.load(entry_id)
    if isinstance(tok, TiktokenTokenizer):
        slow = tok.tokenizers_path()
    else:
        assert isinstance(tok, SentencePieceTokenizer)
        slow = tok.proto_path()

    @_settings(40)
    @given(text=any_text, split=st.booleans())
    def check(text: str, split: bool) -> None:
        chosen = SPLIT if split else PARSE
        fast = encode(tok, text, chosen, with_roundtrip=False)
        library = encode(slow, text, chosen, with_roundtrip=False)
        assert_columns_equal(fast.columns, library.columns)

    check()


@_settings(200)
@given(text=any_text)
def test_normalization_segments_rebuild_the_normalized_text(text: str) -> None:
    for form in ("NFC", "NFKC"):
        alignment = align(text, form)
        if alignment is None:
            assert unicodedata.is_normalized(form, text)
            continue
        assert alignment.normalized == unicodedata.normalize(form, text)
        # each normalized character stands for characters of the text, in order, all of them
        assert (np.diff(alignment.start) >= 0).all() and (alignment.end > alignment.start).all()
        assert alignment.start[0] == 0 and alignment.end[-1] == len(text)
        assert set(
            np.concatenate(
                [
                    np.arange(s, e)
                    for s, e in zip(alignment.start.tolist(), alignment.end.tolist(), strict=True)
                ]
            ).tolist()
        ) == set(range(len(text)))


@pytest.mark.parametrize("split", [False, True], ids=["parse", "split"])
@pytest.mark.parametrize("entry_id", raw.TIKTOKEN_IDS)
def test_fast_path_word_ids_on_normalized_text_with_typed_specials(
    catalog: Catalog, entry_id: str, split: bool
) -> None:
    tok = catalog.load(entry_id)
    assert isinstance(tok, TiktokenTokenizer)
    text = "x cafe\u0301 " * 50 + "<|endoftext|> n\u0303 <|im_start|>user\n" + "e\u0301" * 9
    chosen = SPLIT if split else PARSE
    fast = encode(tok, text, chosen, with_roundtrip=False)
    library = encode(tok.tokenizers_path(), text, chosen, with_roundtrip=False)
    assert_columns_equal(fast.columns, library.columns)


# --------------------------------------------------------------------------- SmolLM2 (GGUF)


def _smollm2_has_every_byte(text: str) -> bool:
    """SmolLM2's vocabulary has no token for the bytes 04 06 13 14 16 1D C0 C1 F1 F2 F5–FF:
    the library drops them (a character of planes 4–12 loses its lead byte F1/F2)."""
    missing = {4, 6, 19, 20, 22, 29, 192, 193, 241, 242, *range(245, 256)}
    return not missing.intersection(text.encode("utf-8", "surrogatepass"))


def test_smollm2_properties(catalog: Catalog) -> None:
    @_settings(30)
    @given(text=any_text.filter(_smollm2_has_every_byte), split=st.booleans())
    def check(text: str, split: bool) -> None:
        check_properties(catalog, raw.SMOLLM2, text, split)

    check()


DROPPED_BYTE_TEXTS = [
    "\U00040000¤",  # the library names char 0 for the C2 of ¤
    "\U00040000\U00040000",  # two in a row
    "ab \U00040000",  # at the end
    "\U00040000鸟é",  # followed by characters the vocabulary has
    "\U00040000¤¤!!",  # "!!" has 2 bytes and the library's 2-byte span, one byte early
    "!\U00040000\U00081234é x\U00040000",  # F1 and F2 dropped, twice in one text
]


@pytest.mark.parametrize("text", DROPPED_BYTE_TEXTS, ids=range(len(DROPPED_BYTE_TEXTS)))
def test_smollm2_spans_after_a_dropped_byte(catalog: Catalog, text: str) -> None:
    """Each piece after a byte the vocabulary lacks is placed at the bytes it stands for."""
    check_properties(catalog, raw.SMOLLM2, text, False)
