"""Property tests: on any Unicode text, every default tokenizer gives the raw library's ids and
spans that are inside the text, ordered, and consistent between characters and bytes."""

from __future__ import annotations

import unicodedata

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from inspector.core.catalog import ENTRIES, Catalog
from inspector.core.encoding import encode
from tests.core import raw

ENTRY_IDS = [entry.id for entry in ENTRIES]

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
    "e\u0301",
    "A\u0300\u0302",  # NFC composes the first mark only: À + U+0302
    "\u0308",
    "é",
    "ß",
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
    "שלום",
    "مرحبا",
    "2024",
    "'s",
    "ABC",
    "x",
    "##",
    "▁",
    "Ġ",
]

mixed_text = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=3)), max_size=40).map(
    "".join
)
any_text = st.one_of(st.text(max_size=80), mixed_text)

PROPERTY_SETTINGS = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    derandomize=True,  # the same examples every run: a failure here is reproducible
    database=None,
)


def char_to_byte(text: str) -> np.ndarray:
    widths = [len(c.encode("utf-8")) for c in text]
    return np.concatenate([[0], np.cumsum(widths, dtype=np.int64)]).astype(np.int64)


def check_properties(catalog: Catalog, entry_id: str, text: str) -> None:
    tok = catalog.load(entry_id)
    result = encode(tok, text, with_roundtrip=False)
    assert result.ids == raw.raw_ids(entry_id, text)
    cols = result.columns
    data = text.encode("utf-8")
    c2b = char_to_byte(text)
    rows = np.flatnonzero((cols.sequence_ids == 0) & ~cols.special)
    starts, ends = cols.char_start[rows], cols.char_end[rows]
    byte_starts, byte_ends = cols.byte_start[rows], cols.byte_end[rows]
    # inside the text, never reversed, never going backwards
    assert ((starts >= 0) & (ends <= len(text)) & (ends >= starts)).all()
    assert ((byte_starts >= 0) & (byte_ends <= len(data)) & (byte_ends >= byte_starts)).all()
    assert (np.diff(starts) >= 0).all()
    assert (np.diff(byte_starts) >= 0).all()
    # the byte span lies within the UTF-8 of the character span
    assert (c2b[starts] <= byte_starts).all()
    assert (byte_ends <= c2b[ends]).all()
    # special tokens added by the tokenizer point nowhere
    specials = np.flatnonzero(cols.special)
    assert (cols.byte_start[specials] == cols.byte_end[specials]).all()
    if entry_id in raw.BYTE_LEVEL_IDS:
        expected = data
        if entry_id in raw.NFC_IDS and not raw.nfc_stable(text):
            # Qwen encodes NFC(text): its tokens' bytes are not the text's; test NFC(text).
            return check_properties(catalog, entry_id, unicodedata.normalize("NFC", text))
        pieces = [data[s:e] for s, e in zip(byte_starts.tolist(), byte_ends.tolist(), strict=True)]
        assert b"".join(pieces) == expected
        for index, piece in zip(rows.tolist(), pieces, strict=True):
            assert piece == tok.token_bytes(int(cols.ids[index]))
    if entry_id in raw.SENTENCEPIECE_IDS:
        # pieces tile the text's bytes too (SentencePiece's normalizer here is the identity)
        pieces = [data[s:e] for s, e in zip(byte_starts.tolist(), byte_ends.tolist(), strict=True)]
        assert b"".join(pieces) == data
    return None


@PROPERTY_SETTINGS
@given(text=any_text)
def test_minilm_properties(catalog: Catalog, text: str) -> None:
    check_properties(catalog, raw.MINILM, text)


@PROPERTY_SETTINGS
@given(text=any_text)
def test_gpt2_properties(catalog: Catalog, text: str) -> None:
    check_properties(catalog, "gpt2", text)


@PROPERTY_SETTINGS
@given(text=any_text)
def test_cl100k_properties(catalog: Catalog, text: str) -> None:
    check_properties(catalog, "cl100k_base", text)


@PROPERTY_SETTINGS
@given(text=any_text)
def test_o200k_properties(catalog: Catalog, text: str) -> None:
    check_properties(catalog, "o200k_base", text)


@PROPERTY_SETTINGS
@given(text=any_text)
def test_mistral_v1_properties(catalog: Catalog, text: str) -> None:
    check_properties(catalog, "mistral-v1", text)


@PROPERTY_SETTINGS
@given(text=any_text)
def test_mistral_v3_properties(catalog: Catalog, text: str) -> None:
    check_properties(catalog, "mistral-v3", text)


@PROPERTY_SETTINGS
@given(text=any_text)
def test_qwen25_properties(catalog: Catalog, text: str) -> None:
    check_properties(catalog, "qwen2.5", text)


@PROPERTY_SETTINGS
@given(text=any_text)
def test_qwen36_properties(catalog: Catalog, text: str) -> None:
    check_properties(catalog, "qwen3.6", text)


def _smollm2_has_every_byte(text: str) -> bool:
    """SmolLM2's vocabulary has no token for the bytes 04 06 13 14 16 1D C0 C1 F1 F2 F5–FF:
    the library drops them (a character of planes 4–12 loses its lead byte F1/F2)."""
    missing = {4, 6, 19, 20, 22, 29, 192, 193, 241, 242, *range(245, 256)}
    return not missing.intersection(text.encode("utf-8", "surrogatepass"))


@PROPERTY_SETTINGS
@given(text=any_text.filter(_smollm2_has_every_byte))
def test_smollm2_properties(catalog: Catalog, text: str) -> None:
    check_properties(catalog, "smollm2", text)


@pytest.mark.xfail(
    strict=True,
    reason="encoding.py: after a byte the vocabulary lacks (dropped by the library), the next "
    "partial token of the same character run keeps the whole character's span",
)
def test_smollm2_span_after_a_dropped_byte(catalog: Catalog) -> None:
    check_properties(catalog, "smollm2", "\U00040000¤")


def test_every_catalog_entry_has_a_property_test() -> None:
    tested = {raw.MINILM, "gpt2", "cl100k_base", "o200k_base", "mistral-v1", "mistral-v3"}
    tested |= {"qwen2.5", "qwen3.6", "smollm2"}
    assert tested == set(ENTRY_IDS)
