"""Where a tokenizer's Unicode normalizer (NFC, NFKC) moves characters, mapped back to the text.

A normalizer works on clusters: ``e`` + U+0301 becomes ``é``, U+0F78 becomes two code points,
Hangul jamo compose into a syllable. Tokens are cut from the normalized text; their spans must
point into the text the user typed. The text is cut into segments at characters that start a
new cluster for sure (their decomposition starts with a character of combining class 0 that is
never the second half of a composition: UAX #15's "boundary before"). The normalizer acts on
each segment alone, so a segment it leaves as it is maps character by character, and a segment
it changes maps as one piece: every normalized character of it stands for the whole segment.

Linear in the text: numpy over the code points, a Python call only per segment that holds a
character that may change (combining marks, compatibility characters, jamo).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import cache
from typing import Literal

import numpy as np

from inspector.core.offsets import char_to_byte

Form = Literal["NFC", "NFKC"]
FORMS: tuple[Form, ...] = ("NFC", "NFKC")


@dataclass(frozen=True)
class Alignment:
    """One text and its normalized form; per normalized character, the original span."""

    normalized: str
    start: np.ndarray  # original character where the normalized character's segment starts
    end: np.ndarray  # original character after it
    changed: np.ndarray  # bool: inside a segment the normalizer changed
    head: np.ndarray  # bool: first normalized character of its segment
    tail: np.ndarray  # bool: last normalized character of its segment


@cache
def _composition_seconds() -> frozenset[int]:
    """Code points that can be the second half of a canonical composition (once, ~0.2 s)."""
    seconds = set(range(0x1161, 0x1176)) | set(range(0x11A8, 0x11C3))  # Hangul V and T jamo
    for code in range(0x110000):
        decomposition = unicodedata.decomposition(chr(code))
        if decomposition and not decomposition.startswith("<"):
            parts = decomposition.split()
            if len(parts) == 2:
                seconds.add(int(parts[1], 16))
    return frozenset(seconds)


def _starts_segment(code: int, form: Form) -> bool:
    char = chr(code)
    if 0xD800 <= code < 0xE000:
        return True  # a lone surrogate: no normalizer touches it
    # UAX #15 "has boundary before": the decomposition starts with a starter that never
    # combines with what comes before it (x² → x | ²; e + U+0301 stays one segment).
    decomposed = unicodedata.normalize("NFD" if form == "NFC" else "NFKD", char)
    first = decomposed[:1] or char
    return unicodedata.combining(first) == 0 and ord(first) not in _composition_seconds()


def align(text: str, form: Form) -> Alignment | None:
    """The alignment of ``text`` with its ``form`` normalization; None if it is unchanged."""
    if form not in FORMS:
        raise ValueError(f"unknown normalization form {form!r}")
    if unicodedata.is_normalized(form, text):
        return None
    codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    unique, inverse = np.unique(codes, return_inverse=True)
    starts_u = np.array([_starts_segment(int(c), form) for c in unique.tolist()], dtype=bool)
    stable_u = np.array(
        [unicodedata.normalize(form, chr(c)) == chr(c) for c in unique.tolist()], dtype=bool
    )
    boundary = starts_u[inverse]
    boundary[0] = True
    seg_start = np.flatnonzero(boundary)
    seg_end = np.append(seg_start[1:], len(text))
    # Only a segment of several characters, or one unstable character, can change.
    maybe = np.flatnonzero((seg_end - seg_start > 1) | ~stable_u[inverse][seg_start])
    changed_seg = np.zeros(len(seg_start), dtype=bool)
    norm_len = seg_end - seg_start
    pieces: list[str] = []
    done = 0
    for index in maybe.tolist():
        a, b = int(seg_start[index]), int(seg_end[index])
        original = text[a:b]
        normal = unicodedata.normalize(form, original)
        if normal != original:
            changed_seg[index] = True
            norm_len[index] = len(normal)
            pieces += [text[done:a], normal]
            done = b
    pieces.append(text[done:])
    normalized = "".join(pieces)
    if normalized != unicodedata.normalize(form, text):
        # Never expected (the segments follow UAX #15); if a Unicode version disagrees,
        # the whole text is one segment: coarse, but every span still holds.
        return _one_segment(text, unicodedata.normalize(form, text))
    seg_of = np.repeat(np.arange(len(seg_start)), norm_len)
    first = np.concatenate([[0], np.cumsum(norm_len)[:-1]])
    rank = np.arange(len(normalized)) - first[seg_of]
    changed = changed_seg[seg_of]
    start = np.where(changed, seg_start[seg_of], seg_start[seg_of] + rank)
    end = np.where(changed, seg_end[seg_of], start + 1)
    return Alignment(
        normalized=normalized,
        start=start,
        end=end,
        changed=changed,
        head=~changed | (rank == 0),
        tail=~changed | (rank == norm_len[seg_of] - 1),
    )


def _one_segment(text: str, normalized: str) -> Alignment:
    size = len(normalized)
    first = np.zeros(size, dtype=bool)
    last = np.zeros(size, dtype=bool)
    if size:
        first[0] = last[-1] = True
    return Alignment(
        normalized=normalized,
        start=np.zeros(size, dtype=np.int64),
        end=np.full(size, len(text), dtype=np.int64),
        changed=np.ones(size, dtype=bool),
        head=first,
        tail=last,
    )


@dataclass(frozen=True)
class MappedSpans:
    char_start: np.ndarray
    char_end: np.ndarray
    byte_start: np.ndarray
    byte_end: np.ndarray
    starts_mid: np.ndarray  # starts inside an original character or cluster
    ends_mid: np.ndarray  # ends inside one


def map_spans(
    alignment: Alignment,
    original: str,
    byte_start: np.ndarray,
    byte_end: np.ndarray,
) -> MappedSpans:
    """Exact byte spans in the normalized text → spans in the original text.

    A token inside an unchanged stretch keeps its exact bytes; one that touches a changed
    segment covers the whole segment (its bytes do not exist in the original).
    """
    c2b_norm = char_to_byte(alignment.normalized)
    c2b_orig = char_to_byte(original)
    count = len(alignment.normalized)
    if not count:
        zero = np.zeros(len(byte_start), dtype=np.int64)
        false = np.zeros(len(byte_start), dtype=bool)
        return MappedSpans(zero, zero, zero, zero, false, false)
    first = np.clip(np.searchsorted(c2b_norm, byte_start, side="right") - 1, 0, count - 1)
    last = np.clip(np.searchsorted(c2b_norm, byte_end, side="left") - 1, first, count - 1)
    start, end, changed = alignment.start, alignment.end, alignment.changed
    char_start = start[first]
    char_end = end[last]
    out_start = np.where(
        changed[first], c2b_orig[char_start], c2b_orig[char_start] + byte_start - c2b_norm[first]
    )
    out_end = np.where(
        changed[last], c2b_orig[char_end], c2b_orig[start[last]] + byte_end - c2b_norm[last]
    )
    empty = byte_end <= byte_start
    out_end = np.where(empty, out_start, out_end)
    char_end = np.where(empty, char_start, char_end)
    starts_mid = (byte_start != c2b_norm[first]) | ~alignment.head[first]
    ends_mid = ~empty & ((byte_end != c2b_norm[last + 1]) | ~alignment.tail[last])
    return MappedSpans(char_start, char_end, out_start, out_end, starts_mid, ends_mid)


def normalizer_form(normalizer: str | None) -> Form | None:
    """The form of a ``tokenizers`` normalizer that is exactly NFC() or NFKC(), else None."""
    if normalizer == "NFC()":
        return "NFC"
    return "NFKC" if normalizer == "NFKC()" else None
