"""Decode round-trip: does decode(encode(text)) give the text back, and exactly where not?"""

from __future__ import annotations

import difflib
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from inspector.core.encoding import TokenColumns
    from inspector.core.tokenizer import LoadedTokenizer

MAX_DIFFERENCES = 200
_CHAR_DIFF_LIMIT = 20_000  # character-level diff only inside blocks this small


@dataclass(frozen=True)
class Difference:
    """Input characters [input_start, input_end) came back as decoded[decoded_start:decoded_end]."""

    input_start: int
    input_end: int
    decoded_start: int
    decoded_end: int
    input_text: str
    decoded_text: str
    kind: str  # lowercasing | accents removed | unicode normalization | unknown token | …

    def to_dict(self) -> dict[str, Any]:
        return dict(vars(self))


@dataclass(frozen=True)
class RoundTrip:
    decoded: str  # decode(ids, skip_special_tokens=True)
    decoded_with_special: str  # decode(ids, skip_special_tokens=False)
    equal: bool
    differences: tuple[Difference, ...]  # the first MAX_DIFFERENCES
    difference_count: int
    kinds: tuple[str, ...]  # distinct kinds, most frequent first

    def to_dict(self) -> dict[str, Any]:
        return {
            "equal": self.equal,
            "decoded": self.decoded,
            "decoded_with_special": self.decoded_with_special,
            "difference_count": self.difference_count,
            "kinds": list(self.kinds),
            "differences": [d.to_dict() for d in self.differences],
        }


def roundtrip(
    tokenizer: LoadedTokenizer, text: str, columns: TokenColumns, sequence_id: int
) -> RoundTrip:
    """Decode the tokens of one sequence and compare with its text."""
    rows = (columns.sequence_ids == sequence_id) & columns.attention_mask.astype(bool)
    with_special = rows | (columns.special & columns.attention_mask.astype(bool))
    ids = columns.ids[rows].tolist()
    decoded = tokenizer.decode(ids, skip_special_tokens=True)
    # Decoding twice is wasted on a text with no special tokens (most byte-level BPE).
    if (with_special != rows).any() or columns.special[rows].any():
        decoded_with_special = tokenizer.decode(
            columns.ids[with_special].tolist(), skip_special_tokens=False
        )
    else:
        decoded_with_special = decoded
    unk = tokenizer.facts.unk_token
    unk_id = None if unk is None else tokenizer.token_to_id(unk)
    # Where the unknown token stands in the text: decoding with skip_special_tokens drops it
    # (BERT's [UNK] is special), so the decoded text alone cannot tell it from a deletion.
    unk_rows = rows & (columns.ids == unk_id) if unk_id is not None else np.zeros_like(rows)
    unk_spans = _Spans(columns.char_start[unk_rows], columns.char_end[unk_rows])
    differences = list(_differences(text, decoded, unk, unk_spans))
    kinds: dict[str, int] = {}
    for difference in differences:
        kinds[difference.kind] = kinds.get(difference.kind, 0) + 1
    ordered = tuple(sorted(kinds, key=lambda k: -kinds[k]))
    return RoundTrip(
        decoded=decoded,
        decoded_with_special=decoded_with_special,
        equal=decoded == text,
        differences=tuple(differences[:MAX_DIFFERENCES]),
        difference_count=len(differences),
        kinds=ordered,
    )


class _Spans:
    """Character spans of the unknown tokens of one sequence, for overlap questions."""

    def __init__(self, starts: np.ndarray, ends: np.ndarray) -> None:
        order = np.argsort(starts, kind="stable")
        self.starts = np.asarray(starts, dtype=np.int64)[order]
        self.ends = np.asarray(ends, dtype=np.int64)[order]

    def overlaps(self, start: int, end: int) -> bool:
        """Does [start, end) (an insertion point when empty) touch any of the spans?"""
        if not len(self.starts):
            return False
        end = max(end, start + 1)
        hit = (self.starts < end) & (np.maximum(self.ends, self.starts + 1) > start)
        return bool(hit.any())


_NO_SPANS = _Spans(np.zeros(0, np.int64), np.zeros(0, np.int64))


def _differences(
    text: str, decoded: str, unk: str | None, unk_spans: _Spans = _NO_SPANS
) -> list[Difference]:
    if text == decoded:
        return []
    # Trim the common prefix and suffix first: most texts differ in a few places only.
    prefix = _common_prefix(text, decoded)
    suffix = _common_prefix(text[prefix:][::-1], decoded[prefix:][::-1])
    a, b = text[prefix : len(text) - suffix], decoded[prefix : len(decoded) - suffix]
    out: list[Difference] = []
    if len(a) + len(b) <= _CHAR_DIFF_LIMIT:
        _char_diff(a, b, prefix, prefix, unk, unk_spans, out)
        return out
    # Large: diff lines first, then characters inside each small changed block.
    lines_a, lines_b = a.splitlines(keepends=True), b.splitlines(keepends=True)
    starts_a = np.concatenate([[0], np.cumsum([len(x) for x in lines_a])]).astype(int)
    starts_b = np.concatenate([[0], np.cumsum([len(x) for x in lines_b])]).astype(int)
    matcher = difflib.SequenceMatcher(None, lines_a, lines_b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        block_a = a[starts_a[i1] : starts_a[i2]]
        block_b = b[starts_b[j1] : starts_b[j2]]
        offset_a, offset_b = prefix + int(starts_a[i1]), prefix + int(starts_b[j1])
        if len(block_a) + len(block_b) <= _CHAR_DIFF_LIMIT:
            _char_diff(block_a, block_b, offset_a, offset_b, unk, unk_spans, out)
        else:
            out.append(_difference(block_a, block_b, offset_a, offset_b, unk, unk_spans))
    return out


def _char_diff(
    a: str,
    b: str,
    offset_a: int,
    offset_b: int,
    unk: str | None,
    unk_spans: _Spans,
    out: list[Difference],
) -> None:
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag != "equal":
            out.append(
                _difference(a[i1:i2], b[j1:j2], offset_a + i1, offset_b + j1, unk, unk_spans)
            )


def _difference(
    a: str, b: str, at_a: int, at_b: int, unk: str | None, unk_spans: _Spans = _NO_SPANS
) -> Difference:
    unknown = unk_spans.overlaps(at_a, at_a + len(a))
    kind = classify(a, b, unk, unknown=unknown)
    return Difference(at_a, at_a + len(a), at_b, at_b + len(b), a, b, kind)


def classify(original: str, decoded: str, unk: str | None, *, unknown: bool = False) -> str:
    """Name the likely reason a piece of text did not come back as it was.

    ``unknown``: the piece overlaps a token the tokenizer encoded as its unknown token.
    """
    if unknown or (unk and unk in decoded):
        return "unknown token"
    if original.lower() == decoded:
        return "lowercasing"
    stripped = "".join(
        c for c in unicodedata.normalize("NFD", original) if unicodedata.category(c) != "Mn"
    )
    if stripped == decoded or stripped.lower() == decoded:
        return "accents removed"
    for form in ("NFC", "NFKC", "NFD", "NFKD"):
        normal = unicodedata.normalize(form, original)
        if normal in (decoded, decoded.lower()) or normal.lower() == decoded:
            return "unicode normalization"
    if not original.strip() and not decoded.strip():
        return "whitespace"
    if not decoded:
        return "dropped"
    if "\ufffd" in decoded:
        return "invalid bytes"
    return "changed"


def _common_prefix(a: str, b: str) -> int:
    limit = min(len(a), len(b))
    low, high = 0, limit
    # Binary search on equal prefixes: fast on long, mostly equal texts.
    while low < high:
        mid = (low + high + 1) // 2
        if a[:mid] == b[:mid]:
            low = mid
        else:
            high = mid - 1
    return low
