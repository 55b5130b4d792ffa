"""Decode round-trip: does decode(encode(text)) give the text back, and exactly where not?

Linear in the text: the decode is aligned with the tokens' own spans, chunk by chunk, and
characters are diffed only inside the small regions that differ (``roundtrip_align``).
"""

from __future__ import annotations

import bisect
import difflib
import functools
import itertools
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np

from inspector.core.errors import Cancelled
from inspector.core.roundtrip_align import WHOLE_TEXT_DIFF, Aligner, cut_masks, joins_previous
from inspector.core.translation_marks import QT_TRANSLATE_NOOP

if TYPE_CHECKING:
    from inspector.core.tokenizer import LoadedTokenizer

MAX_DIFFERENCES = 200
# A region larger than this (text + decode) is one difference: no quadratic diff. The same as
# the aligner's whole-text limit, so a short text is diffed by character as a whole.
_CHAR_DIFF_LIMIT = WHOLE_TEXT_DIFF
# The kinds of difference: English in exports and the CLI, translated where the window shows
# them (context "RoundTripKind").
UNKNOWN_TOKEN = QT_TRANSLATE_NOOP("RoundTripKind", "unknown token")
LOWERCASING = QT_TRANSLATE_NOOP("RoundTripKind", "lowercasing")
ACCENTS_REMOVED = QT_TRANSLATE_NOOP("RoundTripKind", "accents removed")
UNICODE_NORMALIZATION = QT_TRANSLATE_NOOP("RoundTripKind", "unicode normalization")
WHITESPACE = QT_TRANSLATE_NOOP("RoundTripKind", "whitespace")
DROPPED = QT_TRANSLATE_NOOP("RoundTripKind", "dropped")
INVALID_BYTES = QT_TRANSLATE_NOOP("RoundTripKind", "invalid bytes")
CHANGED = QT_TRANSLATE_NOOP("RoundTripKind", "changed")
_VAGUE = (CHANGED, DROPPED)  # kinds that explain nothing


class SequenceColumns(Protocol):
    """The token columns a round trip reads (``encoding.TokenColumns`` has them)."""

    @property
    def ids(self) -> np.ndarray: ...
    @property
    def char_start(self) -> np.ndarray: ...
    @property
    def char_end(self) -> np.ndarray: ...
    @property
    def special(self) -> np.ndarray: ...
    @property
    def control(self) -> np.ndarray: ...
    @property
    def word_ids(self) -> np.ndarray: ...
    @property
    def sequence_ids(self) -> np.ndarray: ...
    @property
    def attention_mask(self) -> np.ndarray: ...
    @property
    def group(self) -> np.ndarray: ...


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
    # decode of the tokens that came from this text: special tokens the tokenizer added are
    # left out, special-token strings typed in the text are kept (as they were typed)
    decoded: str
    # decode(ids, skip_special_tokens=False) of every token the model sees: special tokens
    # and, for a pair, both texts ([CLS] A [SEP] B [SEP]); the same in both texts' RoundTrip
    decoded_with_special: str
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
    tokenizer: LoadedTokenizer,
    text: str,
    columns: SequenceColumns,
    sequence_id: int,
    *,
    progress: Callable[[float], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> RoundTrip:
    """Decode the tokens of one sequence and compare with its text.

    ``progress`` is called with the fraction done (0…1) now and then; ``cancelled`` is asked
    before each piece of work, and when it says yes :class:`Cancelled` is raised.
    """
    watch = _Watch(len(text), progress, cancelled)
    watch(0)
    real = columns.attention_mask.astype(bool)
    rows = (columns.sequence_ids == sequence_id) & real & ~columns.special.astype(bool)
    unk = tokenizer.facts.unk_token
    unk_id = None if unk is None else tokenizer.token_to_id(unk)
    unknown = _unknown_rows(text, columns, rows, unk, unk_id)
    # Special-token strings typed in the text are parsed as control tokens: decoding with
    # skip_special_tokens would drop them, so the decode keeps them and drops only what that
    # flag drops for another reason (an unknown token standing for text it could not read).
    typed = rows & columns.control.astype(bool) & ~unknown
    skip = not typed.any()
    kept = rows
    if (
        not skip
        and unknown.any()
        and unk_id is not None
        and tokenizer.decode([unk_id], skip_special_tokens=True) == ""
    ):
        kept = rows & ~unknown
    ids = columns.ids[kept]
    decoded = tokenizer.decode_array(ids, skip_special_tokens=skip)
    watch(0)
    decoded_with_special = decoded
    same_tokens = int(kept.sum()) == int(real.sum())  # kept ⊂ real
    if not same_tokens or (skip and columns.control[real].any()):
        decoded_with_special = tokenizer.decode_array(columns.ids[real], skip_special_tokens=False)
        watch(0)
    found = _Found(unk, _Spans(columns.char_start[unknown], columns.char_end[unknown]))
    if decoded != text:
        index = np.flatnonzero(kept)
        starts = columns.char_start[index].astype(np.int64)
        clean, preferred = cut_masks(
            starts,
            columns.char_end[index].astype(np.int64),
            columns.group[index] == index,
            columns.word_ids[index],
        )
        aligner = Aligner(
            text,
            decoded,
            ids,
            starts,
            clean,
            preferred,
            lambda chunk: tokenizer.decode(chunk, skip_special_tokens=skip),
            watch,
        )
        for t0, t1, d0, d1 in aligner.run():
            _region_differences(text, decoded, t0, t1, d0, d1, found)
    if progress is not None:
        progress(1.0)
    return RoundTrip(
        decoded=decoded,
        decoded_with_special=decoded_with_special,
        equal=decoded == text,
        differences=tuple(found.first),
        difference_count=found.count,
        kinds=tuple(sorted(found.kinds, key=lambda k: -found.kinds[k])),
    )


class _Watch:
    """Progress (by text position) and cancellation, for the aligner's ``check``."""

    def __init__(
        self,
        length: int,
        progress: Callable[[float], None] | None,
        cancelled: Callable[[], bool] | None,
    ) -> None:
        self.length = max(length, 1)
        self.progress = progress
        self.cancelled = cancelled
        self.reported = -1.0

    def __call__(self, position: int) -> None:
        if self.cancelled is not None and self.cancelled():
            raise Cancelled
        if self.progress is not None and position >= 0:
            fraction = min(position / self.length, 1.0)
            if fraction - self.reported >= 0.01:  # about a hundred calls for a long text
                self.reported = fraction
                self.progress(fraction)


def _unknown_rows(
    text: str, columns: SequenceColumns, rows: np.ndarray, unk: str | None, unk_id: int | None
) -> np.ndarray:
    """The rows of the unknown token that stand for text the tokenizer could not read (not
    the unknown token's own string typed in the text)."""
    if unk is None or unk_id is None:
        return np.zeros_like(rows)
    unknown = rows & (columns.ids == unk_id)
    starts, ends = columns.char_start, columns.char_end
    for row in np.flatnonzero(unknown & (ends - starts == len(unk))).tolist():
        if text[int(starts[row]) : int(ends[row])] == unk:
            unknown[row] = False
    return unknown


class _Spans:
    """Character spans of the unknown tokens of one sequence, for overlap questions."""

    def __init__(self, starts: np.ndarray, ends: np.ndarray) -> None:
        starts = np.asarray(starts, dtype=np.int64)
        order = np.argsort(starts, kind="stable")
        # An empty span still marks the place it stands: it counts as one character.
        reach = np.maximum(np.asarray(ends, dtype=np.int64), starts + 1)[order]
        # Plain lists: bisect on them is much cheaper than numpy for one question at a time.
        self.starts: list[int] = starts[order].tolist()
        self.reach: list[int] = np.maximum.accumulate(reach).tolist() if len(reach) else []

    def overlaps(self, start: int, end: int) -> bool:
        """Does [start, end) (an insertion point when empty) touch any of the spans?"""
        before = bisect.bisect_left(self.starts, max(end, start + 1))  # spans starting before
        return before > 0 and self.reach[before - 1] > start


_NO_SPANS = _Spans(np.zeros(0, np.int64), np.zeros(0, np.int64))


class _Found:
    """The differences found so far: the first MAX_DIFFERENCES kept, every kind counted."""

    def __init__(self, unk: str | None, unk_spans: _Spans = _NO_SPANS) -> None:
        self.unk = unk
        self.unk_spans = unk_spans
        self.first: list[Difference] = []
        self.count = 0
        self.kinds: dict[str, int] = {}

    def kind(self, original: str, decoded: str, at: int) -> str:
        unknown = self.unk_spans.overlaps(at, at + len(original))
        return _classify_cached(original, decoded, self.unk, unknown)

    def add(self, original: str, decoded: str, at: int, at_decoded: int, kind: str = "") -> None:
        kind = kind or self.kind(original, decoded, at)
        self.count += 1
        self.kinds[kind] = self.kinds.get(kind, 0) + 1
        if len(self.first) < MAX_DIFFERENCES:
            end, end_decoded = at + len(original), at_decoded + len(decoded)
            self.first.append(Difference(at, end, at_decoded, end_decoded, original, decoded, kind))


def _region_differences(
    text: str, decoded: str, t0: int, t1: int, d0: int, d1: int, found: _Found
) -> None:
    """The differences inside one region: its common ends trimmed, then a diff of what is
    left, by character — or by character with its combining marks, where there are some, so
    that a decomposed character and its composed form are one difference."""
    a, b = text[t0:t1], decoded[d0:d1]
    if a == b:
        return
    head = _common_prefix(a, b)
    # Not between a character and its marks: "e◌́" → "é" differs from the "e" on.
    while head and (_mark_at(a, head) or _mark_at(b, head)):
        head -= 1
    tail = _common_prefix(a[head:][::-1], b[head:][::-1])
    while tail and _mark_at(a, len(a) - tail):
        tail -= 1
    a, b = a[head : len(a) - tail], b[head : len(b) - tail]
    at_a, at_b = t0 + head, d0 + head
    if not a or not b or len(a) + len(b) > _CHAR_DIFF_LIMIT:
        found.add(a, b, at_a, at_b)
        return
    # Matched loosely (case, accents and composition aside), so that a normalized character
    # lines up with its original and is told as exactly that; then told apart exactly.
    offsets_a, units_a, keys_a = _units(a)
    offsets_b, units_b, keys_b = _units(b)
    matcher = difflib.SequenceMatcher(None, keys_a, keys_b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        pa, pb = offsets_a[i1], offsets_b[j1]
        if tag != "equal":
            _add_trimmed(a[pa : offsets_a[i2]], b[pb : offsets_b[j2]], at_a + pa, at_b + pb, found)
        elif a[pa : offsets_a[i2]] != b[pb : offsets_b[j2]]:
            _add_loose_matches(units_a[i1:i2], units_b[j1:j2], at_a + pa, at_b + pb, found)


def _add_loose_matches(
    units_a: list[str], units_b: list[str], at_a: int, at_b: int, found: _Found
) -> None:
    """Characters that match loosely, one for one: each run of neighbours that differ is one
    difference ("ALLCAPS" → "allcaps") when that explains it and it holds no combining
    marks; else each character is its own (an accent dropped here, a case changed there)."""
    run: list[int] = []
    pos_a, pos_b = at_a, at_b
    starts: list[tuple[int, int]] = []
    for i, (ua, ub) in enumerate(zip(units_a, units_b, strict=True)):
        starts.append((pos_a, pos_b))
        pos_a, pos_b = pos_a + len(ua), pos_b + len(ub)
        if ua != ub:
            run.append(i)
        if run and (ua == ub or i == len(units_a) - 1):
            _add_run([units_a[k] for k in run], [units_b[k] for k in run], *starts[run[0]], found)
            run = []


def _add_run(units_a: list[str], units_b: list[str], at_a: int, at_b: int, found: _Found) -> None:
    """Neighbouring characters that differ: plain ones together where one kind explains them
    all, a character with marks on its own."""
    first = 0
    for i in range(len(units_a) + 1):
        plain = i < len(units_a) and len(units_a[i]) == len(units_b[i]) == 1
        if plain:
            continue
        if first < i:  # plain characters first..i
            whole_a, whole_b = "".join(units_a[first:i]), "".join(units_b[first:i])
            if i - first == 1 or found.kind(whole_a, whole_b, at_a) not in _VAGUE:
                found.add(whole_a, whole_b, at_a, at_b)
                at_a, at_b = at_a + len(whole_a), at_b + len(whole_b)
            else:
                for ua, ub in zip(units_a[first:i], units_b[first:i], strict=True):
                    found.add(ua, ub, at_a, at_b)
                    at_a, at_b = at_a + 1, at_b + 1
        if i < len(units_a):
            _add_trimmed(units_a[i], units_b[i], at_a, at_b, found)
            at_a, at_b = at_a + len(units_a[i]), at_b + len(units_b[i])
        first = i + 1


def _add_trimmed(a: str, b: str, at_a: int, at_b: int, found: _Found) -> None:
    """``e◌́`` → ``e`` is the accent dropped (the base letter came back); but trimmed ends
    that leave only a vague kind are kept whole."""
    kind = found.kind(a, b, at_a)
    head = _common_prefix(a, b)
    tail = _common_prefix(a[head:][::-1], b[head:][::-1])
    if head or tail:
        trim_a, trim_b = a[head : len(a) - tail], b[head : len(b) - tail]
        trimmed = found.kind(trim_a, trim_b, at_a + head)
        if (trim_a or trim_b) and (trimmed == kind or trimmed not in _VAGUE):
            found.add(trim_a, trim_b, at_a + head, at_b + head, trimmed)
            return
    found.add(a, b, at_a, at_b, kind)


def _mark_at(text: str, index: int) -> bool:
    return index < len(text) and joins_previous(text[index])


def _units(text: str) -> tuple[list[int] | range, list[str], list[str]]:
    """The characters of ``text``, each with the combining marks that follow it: where each
    starts (and the end), the characters, and their loose keys (:func:`_loose`)."""
    if text.isascii():
        return range(len(text) + 1), list(text), list(text.lower())
    # Nothing below U+0300 joins the character before it.
    starts = [i for i, c in enumerate(text) if not i or c < "\u0300" or not joins_previous(c)]
    starts.append(len(text))
    units = [text[i:j] for i, j in itertools.pairwise(starts)]
    return starts, units, [_loose(u) for u in units]


@functools.lru_cache(maxsize=8192)
def _loose(unit: str) -> str:
    """A character with its marks, compared loosely: compatibility forms, accents and case
    aside ("É", "e◌́", "é" and "e" are one; "ﬁ" is "fi")."""
    decomposed = unicodedata.normalize("NFKD", unit)
    return "".join(c for c in decomposed if unicodedata.category(c)[0] != "M").lower() or unit


@functools.lru_cache(maxsize=4096)
def _classify_cached(original: str, decoded: str, unk: str | None, unknown: bool) -> str:
    # Long texts repeat their differences ("T" → "t" at every sentence).
    return classify(original, decoded, unk, unknown=unknown)


def classify(original: str, decoded: str, unk: str | None, *, unknown: bool = False) -> str:
    """Name the likely reason a piece of text did not come back as it was.

    ``unknown``: the piece overlaps a token the tokenizer encoded as its unknown token.
    """
    if unknown or (unk and unk in decoded):
        return UNKNOWN_TOKEN
    if original.lower() == decoded:
        return LOWERCASING
    stripped = "".join(
        c for c in unicodedata.normalize("NFD", original) if unicodedata.category(c) != "Mn"
    )
    if stripped == decoded or stripped.lower() == decoded:
        return ACCENTS_REMOVED
    for form in ("NFC", "NFKC", "NFD", "NFKD"):
        normal = unicodedata.normalize(form, original)
        if normal in (decoded, decoded.lower()) or normal.lower() == decoded:
            return UNICODE_NORMALIZATION
    if not original.strip() and not decoded.strip():
        return WHITESPACE
    if not decoded:
        return DROPPED
    if "\ufffd" in decoded:
        return INVALID_BYTES
    return CHANGED


def _common_prefix(a: str, b: str) -> int:
    if not a or not b or a[0] != b[0]:
        return 0  # most regions differ at their first character
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
