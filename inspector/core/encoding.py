"""encode(tokenizer, text, settings) → one immutable result that every panel and export reads.

The result is columnar (numpy arrays per field) so that 200k tokens stay cheap; per-token
views (:class:`TokenView`) are made on demand.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np

from inspector.core import array_slices
from inspector.core.batch import BatchResult
from inspector.core.display import Translate, display_token, explain_token, hex_bytes
from inspector.core.errors import EncodeError
from inspector.core.normalize import Alignment, align, map_spans, normalizer_form
from inspector.core.offsets import char_to_byte, utf8_starts
from inspector.core.roundtrip import RoundTrip, roundtrip
from inspector.core.settings import EncodeSettings
from inspector.core.span_index import SpanIndex
from inspector.core.tokenizer import LoadedTokenizer, RawEncoding, TokenizerFacts


def typed_control(control: np.ndarray, special: np.ndarray, sequence_ids: np.ndarray) -> np.ndarray:
    """bool per token: a control token that stands in the text (a special-token string typed
    there and parsed), not one the tokenizer added. Any slice of the three columns."""
    return control & ~special & (sequence_ids >= 0)


@dataclass(frozen=True)
class TokenColumns:
    """Per-token columns of one token sequence (the main one, or an overflow window)."""

    ids: np.ndarray  # int64
    tokens: Sequence[str]  # raw vocabulary strings (looked up lazily)
    char_start: np.ndarray  # [start, end) in the text of the token's sequence
    char_end: np.ndarray
    byte_start: np.ndarray  # exact UTF-8 byte span in that text
    byte_end: np.ndarray
    special: np.ndarray  # bool: added by the tokenizer (CLS, BOS, padding…)
    # bool: the id is one of the tokenizer's special/control tokens, wherever it came from
    # (added by the tokenizer, or a special-token string typed in the text)
    control: np.ndarray
    # Word ids (-1 where none), or a function that computes them when first read: a fast
    # path leaves them for later (the first paint does not need them). Read ``word_ids``.
    word_ids_source: np.ndarray | Callable[[], np.ndarray]
    sequence_ids: np.ndarray  # 0 text, 1 pair text, -1 special
    attention_mask: np.ndarray
    type_ids: np.ndarray
    partial: np.ndarray  # bool: covers only part of a character's bytes
    group: np.ndarray  # index of the first token of the character group it belongs to

    def __len__(self) -> int:
        return len(self.ids)

    @cached_property
    def word_ids(self) -> np.ndarray:
        source = self.word_ids_source
        return source if isinstance(source, np.ndarray) else np.asarray(source(), np.int64)

    @property
    def typed_control(self) -> np.ndarray:
        """bool: a control token parsed from a special-token string typed in the text."""
        return typed_control(self.control, self.special, self.sequence_ids)


@dataclass(frozen=True)
class TokenView:
    """One token, as the table, tooltips and reports see it."""

    index: int
    id: int
    token: str
    display: str
    explanation: str
    start: int
    end: int
    byte_start: int
    byte_end: int
    # What the token stands for, in hex ("F0 9F"): its own bytes (byte-level BPE), the byte
    # of a byte-fallback piece, else the UTF-8 of its piece or word; spans stay in the text.
    bytes: str
    special: bool
    control: bool
    partial: bool
    group: int
    word_id: int | None
    sequence_id: int | None
    attention_mask: int
    type_id: int

    def to_dict(self) -> dict[str, Any]:
        return dict(vars(self))


@dataclass(frozen=True)
class Stats:
    tokens: int  # all tokens the model would see (special included, padding excluded)
    text_tokens: int  # tokens that come from the text
    special_tokens: int
    characters: int
    bytes: int
    words: int
    chars_per_token: float
    bytes_per_token: float
    words_per_token: float
    unk_count: int
    unk_rate: float
    windows: int  # 1 + overflow windows

    def to_dict(self) -> dict[str, Any]:
        return dict(vars(self))


@dataclass(frozen=True)
class EncodingResult:
    """Everything about one (tokenizer, text[, pair], settings)."""

    tokenizer: TokenizerFacts
    text: str
    pair: str | None
    settings: EncodeSettings
    columns: TokenColumns
    overflow: tuple[TokenColumns, ...]
    stats: Stats
    roundtrip: RoundTrip | None
    pair_roundtrip: RoundTrip | None
    _source: LoadedTokenizer = field(repr=False, compare=False)

    def __len__(self) -> int:
        return len(self.columns)

    @property
    def ids(self) -> list[int]:
        return self.columns.ids.tolist()

    @property
    def token_type_ids(self) -> list[int] | None:
        return self.columns.type_ids.tolist() if self.tokenizer.uses_token_type_ids else None

    @property
    def typed_control_count(self) -> int:
        """How many special-token strings typed in the text were parsed as control tokens."""
        return int(self.columns.typed_control.sum())

    @cached_property
    def _utf8(self) -> tuple[bytes, bytes]:
        return _encode_utf8(self.text), _encode_utf8(self.pair or "")

    def token_bytes(self, index: int, columns: TokenColumns | None = None) -> bytes:
        """What one token stands for (see TokenView.bytes); b"" for tokens the tokenizer added."""
        cols = self.columns if columns is None else columns
        if cols.special[index]:
            return b""
        token_id = int(cols.ids[index])
        sequence = int(cols.sequence_ids[index])
        text = self._utf8[sequence] if sequence >= 0 else b""
        unk = self.tokenizer.unk_token
        unk_id = None if unk is None else self._source.token_to_id(unk)
        if token_id == unk_id and not cols.control[index]:
            # An unknown token stands for the text it replaced.
            return text[int(cols.byte_start[index]) : int(cols.byte_end[index])]
        own = self._source.token_bytes(token_id)
        if own is not None:
            return own
        token = cols.tokens[index]
        if "WordPiece" in self.tokenizer.algorithm and token.startswith("##"):
            token = token[2:]  # ## only says the piece continues a word
        return token.encode("utf-8", "surrogatepass")

    def sequence_text(self, sequence_id: int) -> str:
        return self.pair if sequence_id == 1 and self.pair is not None else self.text

    def token(
        self,
        index: int,
        columns: TokenColumns | None = None,
        *,
        translate: Translate | None = None,
    ) -> TokenView:
        """Token ``index``; ``translate``: its explanation in the window's language."""
        cols = self.columns if columns is None else columns
        token_id = int(cols.ids[index])
        token = cols.tokens[index]
        special = bool(cols.special[index])
        sequence = int(cols.sequence_ids[index])
        start, end = int(cols.byte_start[index]), int(cols.byte_end[index])
        raw = None if special else self._source.token_bytes(token_id)
        word = int(cols.word_ids[index])
        algorithm = self.tokenizer.algorithm
        control = bool(cols.control[index])
        return TokenView(
            index=index,
            id=token_id,
            token=token,
            display=display_token(token, raw, special, algorithm),
            explanation=explain_token(
                token, raw, special, algorithm, control=control, translate=translate
            ),
            start=int(cols.char_start[index]),
            end=int(cols.char_end[index]),
            byte_start=start,
            byte_end=end,
            bytes=hex_bytes(self.token_bytes(index, cols)),
            special=special,
            control=control,
            partial=bool(cols.partial[index]),
            group=int(cols.group[index]),
            word_id=None if word < 0 else word,
            sequence_id=None if sequence < 0 else sequence,
            attention_mask=int(cols.attention_mask[index]),
            type_id=int(cols.type_ids[index]),
        )

    def views(self, columns: TokenColumns | None = None) -> list[TokenView]:
        cols = self.columns if columns is None else columns
        return [self.token(i, cols) for i in range(len(cols))]

    def tokens_at(self, char_start: int, char_end: int, sequence_id: int = 0) -> np.ndarray:
        """Indices of the tokens that overlap the characters [char_start, char_end): their
        span starts before max(char_end, char_start + 1) and ends after char_start (binary
        search: a drag over millions of tokens asks this at every mouse move)."""
        index = self._span_indices.get(sequence_id)
        if index is None:
            cols = self.columns
            rows = np.flatnonzero(cols.sequence_ids == sequence_id)
            index = SpanIndex.of(rows, cols.char_start, cols.char_end)
            self._span_indices[sequence_id] = index
        return index.overlapping(char_start, max(char_end, char_start + 1))

    @cached_property
    def _span_indices(self) -> dict[int, SpanIndex]:
        return {}


def encode(
    tokenizer: LoadedTokenizer,
    text: str,
    settings: EncodeSettings | None = None,
    pair: str | None = None,
    *,
    with_roundtrip: bool = True,
    progress: Callable[[float], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> EncodingResult:
    """Encode one text (and optional pair text) exactly as the tokenizer library does.

    ``progress`` hears the round trip's share done (0..1) and ``cancelled`` stops it
    (``errors.Cancelled``): on a long text it is the part that takes seconds."""
    settings = settings or EncodeSettings()
    alignments = _align(tokenizer, (text, pair))
    first, second = _seen(text, alignments[0]), _seen(pair, alignments[1])
    raw = tokenizer.encode([first or ""], None if second is None else [second], settings)[0]
    hooks = _RoundTripHooks(progress, cancelled)
    return _result(tokenizer, text, pair, settings, raw, with_roundtrip, alignments, hooks)


@dataclass(frozen=True)
class _RoundTripHooks:
    progress: Callable[[float], None] | None = None
    cancelled: Callable[[], bool] | None = None


def encode_batch(
    tokenizer: LoadedTokenizer,
    texts: list[str],
    settings: EncodeSettings | None = None,
    *,
    pairs: list[str] | None = None,
    with_roundtrip: bool = True,
) -> BatchResult:
    """Encode several texts (each with its pair text, when ``pairs`` is given) at once, so that
    padding applies across them: ``tokenizer(texts, pairs, padding=…)``."""
    settings = settings or EncodeSettings()
    if not texts:
        raise EncodeError("batch mode needs at least one text")
    if pairs is not None and len(pairs) != len(texts):
        raise EncodeError(f"{len(texts)} texts but {len(pairs)} pair texts: one pair per text")
    seconds: list[str | None] = list(pairs) if pairs is not None else [None] * len(texts)
    alignments = [_align(tokenizer, (t, p)) for t, p in zip(texts, seconds, strict=True)]
    prepared = [_seen(t, a[0]) or "" for t, a in zip(texts, alignments, strict=True)]
    prepared_pairs = None
    if pairs is not None:
        prepared_pairs = [_seen(p, a[1]) or "" for p, a in zip(pairs, alignments, strict=True)]
    raws = tokenizer.encode(prepared, prepared_pairs, settings)
    results = tuple(
        _result(tokenizer, t, p, settings, r, with_roundtrip, a)
        for t, p, r, a in zip(texts, seconds, raws, alignments, strict=True)
    )
    return BatchResult(results, tokenizer.facts.uses_token_type_ids)


_Alignments = tuple[Alignment | None, Alignment | None]


def _align(tokenizer: LoadedTokenizer, texts: tuple[str | None, str | None]) -> _Alignments:
    """Where the tokenizer normalizes with NFC/NFKC, the core encodes the normalized text
    (the same ids: the forms are idempotent) and maps its exact spans back to the text."""
    form = tokenizer.normalization_form
    first, second = (None if t is None or form is None else align(t, form) for t in texts)
    return first, second


def _seen(text: str | None, alignment: Alignment | None) -> str | None:
    """The text as the tokenizer sees it."""
    return text if alignment is None else alignment.normalized


@dataclass(frozen=True)
class _Texts:
    """The texts a result's spans are computed on: as encoded (normalized) and as typed."""

    originals: tuple[str, str]
    seen: tuple[str, str]  # as the tokenizer saw them (normalized where aligned)
    alignments: _Alignments

    @cached_property
    def encoded(self) -> tuple[bytes, bytes]:
        """The UTF-8 of the texts the tokenizer saw."""
        return _encode_utf8(self.seen[0]), _encode_utf8(self.seen[1])

    @cached_property
    def offsets(self) -> tuple[np.ndarray, np.ndarray]:
        """Their character → byte tables: only backends without byte spans need them."""
        return char_to_byte(self.seen[0]), char_to_byte(self.seen[1])

    def typed_size(self) -> int:
        """UTF-8 bytes of the texts as typed: the seen texts' own where not normalized."""
        return sum(
            len(self.encoded[s] if self.alignments[s] is None else _encode_utf8(typed))
            for s, typed in enumerate(self.originals)
        )

    def starts_char(self, sequence: int) -> np.ndarray:
        """mask[b]: byte offset b of a seen text starts a character (or is its end)."""
        return utf8_starts(self.encoded[sequence])


def _result(
    tokenizer: LoadedTokenizer,
    text: str,
    pair: str | None,
    settings: EncodeSettings,
    raw: RawEncoding,
    with_roundtrip: bool,
    alignments: _Alignments = (None, None),
    hooks: _RoundTripHooks | None = None,
) -> EncodingResult:
    seen = (_seen(text, alignments[0]) or "", _seen(pair, alignments[1]) or "")
    texts = _Texts((text, pair or ""), seen, alignments)
    # Once per result, not per overflow window: may partial bytes be placed run by run?
    contiguous = tokenizer.facts.byte_level and _normalizer_keeps(
        tokenizer.facts.normalizer, (seen[0], None if pair is None else seen[1])
    )
    columns = _columns(raw, tokenizer, texts, contiguous)
    overflow = tuple(_columns(o, tokenizer, texts, contiguous) for o in raw.overflow)
    facts = tokenizer.facts
    trip = pair_trip = None
    if with_roundtrip:
        hooks = hooks or _RoundTripHooks()
        trip = roundtrip(
            tokenizer, text, columns, 0, progress=hooks.progress, cancelled=hooks.cancelled
        )
        if pair is not None:
            pair_trip = roundtrip(
                tokenizer, pair, columns, 1, progress=hooks.progress, cancelled=hooks.cancelled
            )
    return EncodingResult(
        tokenizer=facts,
        text=text,
        pair=pair,
        settings=settings,
        columns=columns,
        overflow=overflow,
        stats=_stats(tokenizer, texts, columns, len(overflow) + 1),
        roundtrip=trip,
        pair_roundtrip=pair_trip,
        _source=tokenizer,
    )


def _encode_utf8(text: str) -> bytes:
    return text.encode("utf-8", "surrogatepass")


def _columns(
    raw: RawEncoding, tokenizer: LoadedTokenizer, texts: _Texts, contiguous: bool
) -> TokenColumns:
    n = len(raw.ids)
    seq = raw.sequence_ids
    in_text = (seq >= 0) & ~raw.special
    rows_of = [_rows(in_text & (seq == s)) for s in (0, 1)]
    masks = [texts.starts_char(s) if _count(rows_of[s]) else None for s in (0, 1)]
    # The raw columns are this result's own: filled in place, kept as int32 (a 64 MB text has
    # fewer than 2**31 bytes) so that millions of tokens stay small.
    char_start, char_end = _span(raw.char_start), _span(raw.char_end)
    if raw.byte_start is not None and raw.byte_end is not None:
        # The backend knows exact bytes (SentencePiece, tiktoken): derive the characters.
        byte_start, byte_end = _span(raw.byte_start), _span(raw.byte_end)
        for s, rows in enumerate(rows_of):
            mask = masks[s]
            if mask is not None:
                # A slice at a time: one cumsum over 1 MB held Python's lock ~3 ms.
                char_of_byte = np.empty(len(mask), dtype=np.int32)
                array_slices.cumsum_into(mask, char_of_byte)
                char_of_byte -= 1
                char_start[rows] = char_of_byte[byte_start[rows]]
                # The character that holds the last byte, + 1 (an empty span stays empty).
                last = char_of_byte[np.maximum(byte_end[rows] - 1, byte_start[rows])] + 1
                char_end[rows] = np.where(byte_end[rows] > byte_start[rows], last, char_start[rows])
    else:
        c2b = texts.offsets
        byte_start = np.zeros(n, dtype=SPAN_DTYPE)
        byte_end = np.zeros(n, dtype=SPAN_DTYPE)
        for s, rows in enumerate(rows_of):
            if _count(rows):
                table = c2b[s]
                byte_start[rows] = table[np.clip(char_start[rows], 0, len(table) - 1)]
                byte_end[rows] = table[np.clip(char_end[rows], 0, len(table) - 1)]
        _refine_partial_bytes(
            raw, tokenizer, list(texts.encoded), in_text, byte_start, byte_end, contiguous
        )
        if contiguous:
            walked = _follow_dropped_bytes(
                tokenizer, raw, in_text, list(texts.encoded), byte_start, byte_end
            )
            if len(walked):
                _chars_of_bytes(walked, seq, c2b, char_start, char_end, byte_start, byte_end)
    partial = np.zeros(n, dtype=bool)
    starts_mid = np.zeros(n, dtype=bool)
    for s, rows in enumerate(rows_of):
        starts_char = masks[s]
        if starts_char is None:
            continue
        alignment = texts.alignments[s]
        if alignment is not None:
            # Spans so far are exact in the normalized text: map them to the typed text.
            mapped = map_spans(alignment, texts.originals[s], byte_start[rows], byte_end[rows])
            char_start[rows], char_end[rows] = mapped.char_start, mapped.char_end
            byte_start[rows], byte_end[rows] = mapped.byte_start, mapped.byte_end
            partial[rows] = mapped.starts_mid | mapped.ends_mid
            starts_mid[rows] = mapped.starts_mid
            continue
        # Spans lie inside the text (the backends and the placement above keep them there).
        start_mid = ~starts_char[byte_start[rows]]
        end_mid = ~starts_char[byte_end[rows]]
        partial[rows] = start_mid | end_mid
        starts_mid[rows] = start_mid
        # Accent stripping and the like (not NFC/NFKC, which are mapped exactly above).
        if (
            raw.byte_start is None
            and tokenizer.facts.normalizer is not None
            and (tokenizer.normalization_form is None)
        ):
            index = np.arange(n)[rows]
            _attach_marks(texts.originals[s], index, char_start, char_end, byte_start, byte_end)
    # A token that starts inside a character joins the group of the token before it.
    new_group = ~starts_mid
    if n:
        new_group[0] = True
    first_of = np.flatnonzero(new_group).astype(SPAN_DTYPE)
    group = first_of[np.cumsum(new_group, dtype=SPAN_DTYPE) - 1] if n else first_of
    return TokenColumns(
        ids=raw.ids,
        tokens=raw.tokens,
        char_start=char_start,
        char_end=char_end,
        byte_start=byte_start,
        byte_end=byte_end,
        special=raw.special,
        control=_control(raw, tokenizer, texts.originals, char_start, char_end),
        word_ids_source=raw.word_ids,
        sequence_ids=seq,
        attention_mask=raw.attention_mask,
        type_ids=raw.type_ids,
        partial=partial,
        group=group,
    )


SPAN_DTYPE = np.int32  # character and byte spans, group: a 64 MB text fits


def _rows(mask: np.ndarray) -> np.ndarray | slice:
    """The rows a mask selects; a slice when they are one run (all of them, or all but a
    BOS): each column read or written through it is then a view, not a gathered copy."""
    if mask.all():
        return slice(None)
    rows = np.flatnonzero(mask)
    if len(rows) and rows[-1] - rows[0] + 1 == len(rows):
        return slice(int(rows[0]), int(rows[-1]) + 1)
    return rows


def _count(rows: np.ndarray | slice) -> int:
    """Whether any row is selected (a slice from ``_rows`` never selects none)."""
    return 1 if isinstance(rows, slice) else len(rows)


def _span(values: np.ndarray) -> np.ndarray:
    return values.astype(SPAN_DTYPE, copy=False)


def _control(
    raw: RawEncoding,
    tokenizer: LoadedTokenizer,
    originals: tuple[str, str],
    char_start: np.ndarray,
    char_end: np.ndarray,
) -> np.ndarray:
    """Special/control ids, added or typed; an unknown token is control only where the text
    itself says "[UNK]" (a word the vocabulary lacks is no typed special token)."""
    control = raw.special | tokenizer.is_control(raw.ids)
    unk = tokenizer.facts.unk_token
    unk_id = None if unk is None else tokenizer.token_to_id(unk)
    if unk_id is None:
        return control
    rows = np.flatnonzero(control & ~raw.special & (raw.ids == unk_id))
    # Only a span as long as the unknown token's string can spell it: the rest (an emoji, a
    # word the vocabulary lacks; thousands in a long text) is no typed special token.
    spelled = (char_end[rows] - char_start[rows]) == len(unk)
    control[rows[~spelled]] = False
    for row in rows[spelled].tolist():
        typed = originals[int(raw.sequence_ids[row])][char_start[row] : char_end[row]]
        control[row] = typed == unk
    return control


def _attach_marks(
    text: str,
    rows: np.ndarray,
    char_start: np.ndarray,
    char_end: np.ndarray,
    byte_start: np.ndarray,
    byte_end: np.ndarray,
) -> None:
    """A combining mark the normalizer dropped (accent stripping) belongs to its base's token:
    tokenizers leaves it in no token's span. Runs of such marks join the token that ends just
    before them, else the one that starts just after them."""
    if not len(rows) or text.isascii():
        return
    size = len(text) + 1
    cover = np.bincount(char_start[rows], minlength=size) - np.bincount(
        char_end[rows], minlength=size
    )
    uncovered = np.flatnonzero(np.cumsum(cover)[:-1] == 0)
    codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    uncovered = uncovered[codes[uncovered] >= 0x300]  # every combining mark is at U+0300 or above
    marks = [i for i in uncovered.tolist() if unicodedata.category(text[i]).startswith("M")]
    if not marks:
        return
    c2b = char_to_byte(text)
    at = np.array(marks, dtype=np.int64)
    run_first = np.flatnonzero(np.diff(at, prepend=-2) != 1)
    run_last = np.append(run_first[1:], len(at)) - 1
    for first, last in zip(at[run_first].tolist(), (at[run_last] + 1).tolist(), strict=True):
        before = rows[char_end[rows] == first]
        after = rows[char_start[rows] == last]
        if len(before):
            char_end[before] = last
            byte_end[before] = c2b[last]
        elif len(after):
            char_start[after] = first
            byte_start[after] = c2b[first]


def _refine_partial_bytes(
    raw: RawEncoding,
    tokenizer: LoadedTokenizer,
    encoded: list[bytes],
    in_text: np.ndarray,
    byte_start: np.ndarray,
    byte_end: np.ndarray,
    contiguous: bool,
) -> None:
    """Exact byte spans for tokens that stand for part of a character (emoji under GPT-2).

    The tokenizer reports such tokens with the whole character's span. Where a token's own
    bytes are known and do not fill that span, walk the text bytes from the end of the
    previous token and place the token where its bytes really are.
    """
    ids = raw.ids
    lengths = tokenizer.token_byte_lengths
    known = np.where(ids < len(lengths), lengths[np.clip(ids, 0, max(len(lengths) - 1, 0))], -1)
    odd = in_text & (known >= 0) & (known != byte_end - byte_start)
    seq = raw.sequence_ids
    odd_rows = np.flatnonzero(odd)
    if not len(odd_rows):
        return
    if contiguous:
        odd_rows = _place_byte_runs(odd_rows, known, seq, in_text, byte_start, byte_end)
    for i in odd_rows:
        data = tokenizer.token_bytes(int(ids[i]))
        if not data:
            continue
        text = encoded[int(seq[i])]
        # Only inside the bytes of the token's own characters: where a normalizer (NFC) has
        # dropped characters from the offsets, the same byte can also occur just before.
        low, high = int(byte_start[i]), int(byte_end[i])
        at = low
        if i > 0 and seq[i - 1] == seq[i] and in_text[i - 1] and low <= byte_end[i - 1] <= high:
            at = int(byte_end[i - 1])
        size = len(data)
        if text[at : at + size] == data and at + size <= high:
            found = at
        else:
            found = text.find(data, low, high)
        if found >= 0:
            byte_start[i], byte_end[i] = found, found + len(data)


def _normalizer_keeps(normalizer: str | None, texts: tuple[str | None, ...]) -> bool:
    """True when the normalizer leaves these texts as they are (none, or NFC/NFKC on text
    already in that form): then the tokens' bytes, in order, are exactly the text's bytes."""
    if normalizer is None:
        return True
    form = normalizer_form(normalizer)
    return form is not None and all(
        unicodedata.is_normalized(form, t) for t in texts if t is not None
    )


def _place_byte_runs(
    rows: np.ndarray,
    known: np.ndarray,
    seq: np.ndarray,
    in_text: np.ndarray,
    byte_start: np.ndarray,
    byte_end: np.ndarray,
) -> np.ndarray:
    """Vectorized placement for byte-level BPE with no normalizer (GPT-2 on Chinese: most
    tokens are partial). There, consecutive tokens' bytes are consecutive text bytes, so a
    run of partial tokens starts where the token before it ends and each token takes its own
    byte length. A run is accepted only if it ends exactly where its last character ends and
    every token stays inside its own characters; the rows of other runs are returned for the
    careful per-token search.
    """
    breaks = np.flatnonzero((np.diff(rows) != 1) | (seq[rows][1:] != seq[rows][:-1])) + 1
    run_first = np.concatenate([[0], breaks])
    run_stop = np.concatenate([breaks, [len(rows)]])
    sizes = known[rows]
    offsets = np.concatenate([[0], np.cumsum(sizes)])
    first_row = rows[run_first]
    before = np.maximum(first_row - 1, 0)
    chained = (first_row > 0) & (seq[before] == seq[first_row]) & in_text[before]
    anchor = np.where(chained, byte_end[before], byte_start[first_row])
    run_of = np.repeat(np.arange(len(run_first)), run_stop - run_first)
    starts = anchor[run_of] + offsets[:-1] - offsets[run_first][run_of]
    ends = starts + sizes
    inside = (starts >= byte_start[rows]) & (ends <= byte_end[rows])
    run_inside = np.logical_and.reduceat(inside, run_first)
    run_closes = ends[run_stop - 1] == byte_end[rows[run_stop - 1]]
    good = (run_inside & run_closes)[run_of]
    byte_start[rows[good]] = starts[good]
    byte_end[rows[good]] = ends[good]
    return rows[~good]


def _follow_dropped_bytes(
    tokenizer: LoadedTokenizer,
    raw: RawEncoding,
    in_text: np.ndarray,
    encoded: list[bytes],
    byte_start: np.ndarray,
    byte_end: np.ndarray,
) -> np.ndarray:
    """Byte-level BPE on a text its normalizer keeps, where a token does not start where the
    one before it ends: the library dropped bytes its vocabulary lacks (SmolLM2 has no token
    for F1, the lead byte of U+40000) and gave the pieces after them, up to the end of the
    pre-token, spans one byte too early. The tokens' bytes are still the text's bytes in
    order less the dropped ones, and no token carries a dropped byte, so walking the text
    from the previous token's end, each token byte is at the first equal text byte. The walk
    stops where a token is found where the library put it. A loop, but only over these rare
    runs. Returns the rows it moved."""
    seq = raw.sequence_ids
    follows = in_text[1:] & in_text[:-1] & (seq[1:] == seq[:-1])
    breaks = np.flatnonzero(follows & (byte_start[1:] != byte_end[:-1])) + 1
    moved: list[int] = []
    row, n = 0, len(raw.ids)
    for first in breaks.tolist():
        if first < row:
            continue  # already walked
        sequence = int(seq[first])
        text, cursor = encoded[sequence], int(byte_end[first - 1])
        placed: list[tuple[int, int, int]] = []
        row = first
        while row < n and in_text[row] and seq[row] == sequence:
            span = _next_bytes(tokenizer.token_bytes(int(raw.ids[row])), text, cursor)
            if span is None:
                placed = []  # not the text's bytes in order: leave these spans as they were
                break
            if span == (int(byte_start[row]), int(byte_end[row])):
                break
            placed.append((row, *span))
            cursor = span[1]
            row += 1
        for at, start, end in placed:
            byte_start[at], byte_end[at] = start, end
            moved.append(at)
    return np.array(moved, dtype=np.int64)


# Dropped bytes are lead bytes and a few control characters: far fewer than this in a row.
# The bound keeps a walk that finds no such byte (so no drop) from scanning a long text.
_MOST_SKIPPED = 1 << 16


def _next_bytes(data: bytes | None, text: bytes, cursor: int) -> tuple[int, int] | None:
    """Where ``data`` comes next in ``text`` from ``cursor``, each byte at the first equal
    byte (the bytes skipped are ones no token carries); None when some byte is not there."""
    if not data:
        return None
    start = -1
    for value in data:
        found = text.find(value, cursor, cursor + 1 + _MOST_SKIPPED)
        if found < 0:
            return None
        if start < 0:
            start = found
        cursor = found + 1
    return start, cursor


def _chars_of_bytes(
    rows: np.ndarray,
    seq: np.ndarray,
    c2b: tuple[np.ndarray, np.ndarray],
    char_start: np.ndarray,
    char_end: np.ndarray,
    byte_start: np.ndarray,
    byte_end: np.ndarray,
) -> None:
    """The characters that hold these rows' bytes (the library named the ones before)."""
    for s in (0, 1):
        at = rows[seq[rows] == s]
        if not len(at):
            continue
        table = c2b[s]
        first = np.searchsorted(table, byte_start[at], side="right") - 1
        last = np.searchsorted(table, np.maximum(byte_end[at] - 1, byte_start[at]), side="right")
        char_start[at] = first
        char_end[at] = np.where(byte_end[at] > byte_start[at], last, first)


WORD_SLICE = 1 << 16  # characters split at once: 1 MB split in one call held the lock ~4 ms


def _word_count(text: str) -> int:
    """``len(text.split())`` (runs of non-whitespace), a slice of the text at a time: a word
    cut by a slice boundary counts once."""
    step = WORD_SLICE  # read at call time: the tests make it small
    words = 0
    for a in range(0, len(text), step):
        words += len(text[a : a + step].split())
        if a and not text[a - 1].isspace() and not text[a].isspace():
            words -= 1  # the word across the boundary was counted on both sides
    return words


def _stats(tokenizer: LoadedTokenizer, texts: _Texts, columns: TokenColumns, windows: int) -> Stats:
    real = columns.attention_mask.astype(bool)
    text_tokens = int((real & ~columns.special).sum())
    special = int((real & columns.special).sum())
    chars = sum(map(len, texts.originals))
    size = texts.typed_size()
    # Each text on its own: "there" + "Good" are two words, not "thereGood".
    words = sum(_word_count(t) for t in texts.originals if t)
    unk = tokenizer.facts.unk_token
    unk_id = None if unk is None else tokenizer.token_to_id(unk)
    unk_count = int(((columns.ids == unk_id) & real).sum()) if unk_id is not None else 0
    per = max(text_tokens, 1)
    return Stats(
        tokens=text_tokens + special,
        text_tokens=text_tokens,
        special_tokens=special,
        characters=chars,
        bytes=size,
        words=words,
        chars_per_token=round(chars / per, 4) if text_tokens else 0.0,
        bytes_per_token=round(size / per, 4) if text_tokens else 0.0,
        words_per_token=round(words / per, 4) if text_tokens else 0.0,
        unk_count=unk_count,
        unk_rate=round(unk_count / per, 6) if text_tokens else 0.0,
        windows=windows,
    )
