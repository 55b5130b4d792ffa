"""A SentencePiece ``.model`` behind the LoadedTokenizer interface, encoded by the
sentencepiece library itself; BOS, truncation, stride windows and padding are applied here."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, fields, replace
from functools import cached_property
from typing import TYPE_CHECKING, Any

import numpy as np

from inspector.core.errors import EncodeError
from inspector.core.offsets import char_to_byte
from inspector.core.settings import EncodeSettings
from inspector.core.tokenizer import (
    _BYTE_FALLBACK,
    WORDS,
    AddedTokenInfo,
    LoadedTokenizer,
    RawEncoding,
    TokenizerFacts,
    TokenStrings,
)
from inspector.core.truncation import check_stride, truncation_plan

if TYPE_CHECKING:
    import sentencepiece


@dataclass(frozen=True)
class _Pieces:
    """One text cut by SentencePiece: ids, exact byte spans, word ids (from ▁)."""

    ids: np.ndarray
    byte_start: np.ndarray
    byte_end: np.ndarray
    word_ids: np.ndarray


class SentencePieceTokenizer(LoadedTokenizer):
    """A SentencePiece ``.model``, encoded by the sentencepiece library itself (the truth).

    Special tokens follow the LLaMA / Mistral convention: BOS before each sequence, no EOS.
    Truncation, stride windows and padding are applied here on the ids sentencepiece returns.
    """

    def __init__(
        self,
        processor: sentencepiece.SentencePieceProcessor,
        facts: TokenizerFacts,
        extra: dict[str, tuple[int, bool]] | None = None,
        *,
        spans_from_lengths: bool = True,
    ) -> None:
        super().__init__(facts)
        self._sp = processor
        self._extra = dict(extra or {})  # what-if tokens: content -> (id, special)
        # False: every span from sentencepiece's proto (the tests compare both paths).
        self._spans_from_lengths = spans_from_lengths

    @staticmethod
    def algorithm_of(processor: sentencepiece.SentencePieceProcessor) -> tuple[str, bool]:
        from sentencepiece import sentencepiece_model_pb2

        proto = sentencepiece_model_pb2.ModelProto()
        proto.ParseFromString(processor.serialized_model_proto())
        kind = {1: "Unigram", 2: "BPE", 3: "Word", 4: "Char"}.get(proto.trainer_spec.model_type)
        fallback = proto.trainer_spec.byte_fallback
        algorithm = f"SentencePiece {kind}" + (" (byte fallback)" if fallback else "")
        return algorithm, fallback

    # -- encoding ---------------------------------------------------------------------
    def _pieces(self, text: str, split_special: bool = False) -> _Pieces:
        ids, starts, ends = self._cut_with_extra(text, split_special)
        # Byte-fallback pieces of one character come back empty but the last: give each its byte.
        table = self._byte_piece_table  # what-if ids lie beyond sentencepiece's table
        is_byte = np.zeros(len(ids), dtype=bool)
        inside = ids < len(table)
        is_byte[inside] = table[ids[inside]]
        if is_byte.any():
            starts, ends = _spread_byte_pieces(starts, ends, is_byte)
        words = np.cumsum(self._starts_word(ids)) - 1
        words[words < 0] = 0
        return _Pieces(ids, starts, ends, words)

    def _cut_with_extra(self, text: str, split_special: bool) -> tuple[np.ndarray, ...]:
        """ids, byte begins, byte ends; what-if added tokens are matched first (special ones
        only when typed special tokens are parsed)."""
        extra = {k: v for k, v in self._extra.items() if not (split_special and v[1])}
        if not extra:
            return self._cut(text, 0)
        pattern = re.compile("|".join(re.escape(t) for t in sorted(extra, key=len)[::-1]))
        parts: list[tuple[np.ndarray, ...]] = []
        char_bytes = char_to_byte(text)
        position = 0
        for match in pattern.finditer(text):
            parts.append(self._cut(text[position : match.start()], int(char_bytes[position])))
            begin, end = int(char_bytes[match.start()]), int(char_bytes[match.end()])
            parts.append(
                tuple(np.array([v], np.int64) for v in (extra[match.group()][0], begin, end))
            )
            position = match.end()
        parts.append(self._cut(text[position:], int(char_bytes[position])))
        return tuple(np.concatenate([p[k] for p in parts]) for k in range(3))

    def _cut(self, text: str, byte_offset: int) -> tuple[np.ndarray, ...]:
        if not text:
            empty = np.zeros(0, dtype=np.int64)
            return empty, empty.copy(), empty.copy()
        cut = self._cut_from_lengths(text)
        if cut is None:
            proto = self._sp.encode(text, return_type="proto")
            flat = np.fromiter(
                itertools.chain.from_iterable((p.id, p.begin, p.end) for p in proto.pieces),
                dtype=np.int64,
                count=3 * len(proto.pieces),
            ).reshape(-1, 3)
            cut = flat[:, 0].copy(), flat[:, 1].copy(), flat[:, 2].copy()
        ids, starts, ends = cut
        return ids, starts + byte_offset, ends + byte_offset

    def _cut_from_lengths(self, text: str) -> tuple[np.ndarray, ...] | None:
        """The fast path: ids from ``sp.encode`` and byte spans from each piece's byte length
        (no per-piece proto objects). Only where the normalizer keeps the text as it is, and
        only when the lengths add up to the text exactly; else None (the proto path)."""
        lengths_table = self._piece_byte_lengths
        if lengths_table is None:
            return None
        ids = np.asarray(self._sp.encode(text), dtype=np.int64)
        lengths = lengths_table[ids]
        if not len(ids) or (lengths < 0).any():
            return None
        if self._dummy_prefix and self._word_start_table[ids[0]]:
            lengths[0] -= 1  # the ▁ sentencepiece put in front of the text
        ends = np.cumsum(lengths)
        if int(ends[-1]) != len(text.encode("utf-8", "surrogatepass")):
            return None
        return ids, ends - lengths, ends

    @cached_property
    def _piece_byte_lengths(self) -> np.ndarray | None:
        """Per id: how many text bytes the piece covers (-1: control, unknown, unused); None
        when the normalizer may change the text (then lengths say nothing about spans)."""
        normalizer = self.facts.normalizer or ""
        if not self._spans_from_lengths or not (
            normalizer.startswith("identity ") and "remove_extra_whitespaces=False" in normalizer
        ):
            return None
        sp = self._sp
        out = np.full(sp.get_piece_size(), -1, dtype=np.int64)
        for i in range(sp.get_piece_size()):
            if sp.is_byte(i):
                out[i] = 1
            elif not (sp.is_control(i) or sp.is_unknown(i) or sp.is_unused(i)):
                out[i] = len(sp.id_to_piece(i).replace("▁", " ").encode("utf-8"))
        return out

    @cached_property
    def _dummy_prefix(self) -> bool:
        return "add_dummy_prefix=True" in (self.facts.normalizer or "")

    def _starts_word(self, ids: np.ndarray) -> np.ndarray:
        table = self._word_start_table
        inside = ids < len(table)
        out = np.ones(len(ids), dtype=bool)
        out[inside] = table[ids[inside]]
        if len(out):
            out[0] = True
        return out

    @cached_property
    def _byte_piece_table(self) -> np.ndarray:
        return np.array([self._sp.is_byte(i) for i in range(self._sp.get_piece_size())], bool)

    @cached_property
    def _word_start_table(self) -> np.ndarray:
        return np.array(
            [self._sp.id_to_piece(i).startswith("▁") for i in range(self._sp.get_piece_size())]
        )

    def encode(
        self, texts: list[str], pairs: list[str] | None, settings: EncodeSettings
    ) -> list[RawEncoding]:
        max_length = settings.effective_max_length(self.facts.model_max_length)
        self.check_max_length(max_length, pairs is not None, settings)
        with self._lock:
            firsts = [self._pieces_of(t, settings) for t in texts]
            seconds = [self._pieces_of(t, settings) for t in pairs] if pairs is not None else None
        out = [
            _assemble(
                firsts[i],
                None if seconds is None else seconds[i],
                settings,
                max_length,
                self._sp.bos_id() if settings.add_special_tokens else -1,
            )
            for i in range(len(texts))
        ]
        if settings.padding != "none":
            out = self._pad(out, settings)
        return [self._with_tokens(r) for r in out]

    def _pieces_of(self, text: str, settings: EncodeSettings) -> _Pieces:
        split = settings.split_special_tokens
        if not settings.pretokenized:
            return self._pieces(text, split)
        parts = []
        char_bytes = char_to_byte(text)
        for number, match in enumerate(WORDS.finditer(text)):
            word = self._pieces(match.group(), split)
            offset = int(char_bytes[match.start()])
            parts.append(
                _Pieces(
                    word.ids,
                    word.byte_start + offset,
                    word.byte_end + offset,
                    np.full(len(word.ids), number, dtype=np.int64),
                )
            )
        if not parts:
            empty = np.zeros(0, dtype=np.int64)
            return _Pieces(empty, empty, empty, empty)
        return _Pieces(
            *(np.concatenate([getattr(p, f.name) for p in parts]) for f in fields(_Pieces))
        )

    def proto_path(self) -> SentencePieceTokenizer:
        """The same tokenizer with every span from sentencepiece's proto (no fast path)."""
        return SentencePieceTokenizer(self._sp, self.facts, self._extra, spans_from_lengths=False)

    def special_tokens_added(self, is_pair: bool) -> int:
        return (2 if is_pair else 1) if self._sp.bos_id() >= 0 else 0

    def _pad(self, encodings: list[RawEncoding], settings: EncodeSettings) -> list[RawEncoding]:
        pad_id = self._sp.pad_id()
        if pad_id < 0:
            raise EncodeError(
                f"{self.facts.id} has no padding token, so it cannot pad "
                "(LLaMA-style models are often padded with their end-of-sequence token)"
            )
        target = (
            settings.max_length
            if settings.padding == "max_length"
            else max((len(e.ids) for e in encodings), default=0)
        )
        return [_pad_raw(e, target or 0, pad_id, settings.padding_side) for e in encodings]

    def _with_tokens(self, raw: RawEncoding) -> RawEncoding:
        tokens = TokenStrings(raw.ids, self.id_to_token)
        return replace(
            raw, tokens=tokens, overflow=tuple(self._with_tokens(o) for o in raw.overflow)
        )

    def decode(self, ids: list[int], skip_special_tokens: bool) -> str:
        """sentencepiece decodes plain pieces; control and what-if tokens are placed between."""
        array = np.asarray(ids, dtype=np.int64)
        table = self._control_table
        outside = array >= len(table)
        stops = outside | table[np.where(outside, 0, array)]
        if not stops.any():
            return self._sp.decode(ids)
        extra_by_id = {v[0]: (k, v[1]) for k, v in self._extra.items()}
        out: list[str] = []
        start = 0
        for index in np.flatnonzero(stops).tolist():
            if index > start:
                out.append(self._sp.decode(ids[start:index]))
            token_id = ids[index]
            if token_id in extra_by_id:
                content, special = extra_by_id[token_id]
            else:
                content, special = self._sp.id_to_piece(token_id), True
            if not (skip_special_tokens and special):
                out.append(content)
            start = index + 1
        if start < len(ids):
            out.append(self._sp.decode(ids[start:]))
        return "".join(out)

    @cached_property
    def _control_table(self) -> np.ndarray:
        return np.array([self._sp.is_control(i) for i in range(self._sp.get_piece_size())], bool)

    def id_to_token(self, token_id: int) -> str | None:
        if 0 <= token_id < self._sp.get_piece_size():
            return self._sp.id_to_piece(token_id)
        for content, (extra_id, _special) in self._extra.items():
            if extra_id == token_id:
                return content
        return None

    def token_to_id(self, token: str) -> int | None:
        if token in self._extra:
            return self._extra[token][0]
        token_id = self._sp.piece_to_id(token)
        return (
            None
            if token_id == self._sp.unk_id() and token != self._sp.id_to_piece(token_id)
            else token_id
        )

    def vocab(self) -> dict[str, int]:
        vocab = {self._sp.id_to_piece(i): i for i in range(self._sp.get_piece_size())}
        vocab.update({k: v[0] for k, v in self._extra.items()})
        return vocab

    def with_added_tokens(self, tokens: list[str], special: bool) -> SentencePieceTokenizer:
        extra = dict(self._extra)
        next_id = self._sp.get_piece_size() + len(extra)
        added = 0
        for token in tokens:
            if token and token not in extra and self._sp.piece_to_id(token) == self._sp.unk_id():
                extra[token] = (next_id, special)
                next_id += 1
                added += 1
        infos = tuple(AddedTokenInfo(k, v[0], v[1]) for k, v in extra.items())
        kind = "special tokens" if special else "tokens"
        facts = replace(
            self.facts,
            id=f"{self.facts.id}+added",
            vocab_size=self.facts.vocab_size + added,
            special_tokens=tuple(
                t for t in self.facts.special_tokens if t.id < self._sp.get_piece_size()
            )
            + tuple(t for t in infos if t.special),
            added_tokens=tuple(t for t in infos if not t.special),
            notes=(*self.facts.notes, f"what-if copy: {added} {kind} added ({', '.join(tokens)})"),
        )
        result = SentencePieceTokenizer(
            self._sp, facts, extra, spans_from_lengths=self._spans_from_lengths
        )
        result.recipe = self.recipe and self.recipe.with_added(tokens, special)
        return result

    def _raw_token_bytes(self, token: str) -> bytes | None:
        if token in self._extra:
            return None
        match = _BYTE_FALLBACK.match(token)
        if match:
            return bytes([int(match.group(1), 16)])
        token_id = self._sp.piece_to_id(token)
        if self._sp.is_control(token_id) or self._sp.is_unknown(token_id):
            return None
        return token.replace("▁", " ").encode()


def _spread_byte_pieces(
    starts: np.ndarray, ends: np.ndarray, is_byte: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Runs of byte pieces share one character's span; each piece is exactly one byte of it.

    sentencepiece gives the first pieces of a run an empty span at the character's start and
    the last one the whole character. A run is consecutive byte pieces with one start, ending
    at its first non-empty piece. Spread only when the run has one piece per byte: a
    normalizer can make more pieces than the text has bytes (NFKC ∰ → ∫∫∫).
    """
    starts, ends = starts.copy(), ends.copy()
    rows = np.flatnonzero(is_byte)
    if not len(rows):
        return starts, ends
    first = np.ones(len(rows), dtype=bool)
    first[1:] = (
        (np.diff(rows) != 1)
        | (starts[rows[1:]] != starts[rows[:-1]])
        | (ends[rows[:-1]] != starts[rows[:-1]])  # the run ended with a non-empty piece
    )
    run = np.cumsum(first) - 1
    run_first = np.flatnonzero(first)
    run_last = np.concatenate([run_first[1:], [len(rows)]]) - 1
    size = run_last - run_first + 1
    begin = starts[rows[run_first]]
    fits = ends[rows[run_last]] - begin == size
    rank = np.arange(len(rows)) - run_first[run]
    spread = fits[run]
    starts[rows[spread]] = begin[run[spread]] + rank[spread]
    ends[rows[spread]] = starts[rows[spread]] + 1
    return starts, ends


def _assemble(
    first: _Pieces,
    second: _Pieces | None,
    settings: EncodeSettings,
    max_length: int | None,
    bos_id: int,
) -> RawEncoding:
    """BOS + pieces (+ BOS + pair pieces), truncated and cut into stride windows as asked.

    Windows and their order follow tokenizers: the first sequence's windows each with the
    pair's first window and then with its other windows, then the first window of the first
    sequence with the pair's other windows (``Encoding.merge_with``).
    """
    specials_per_sequence = 1 if bos_id >= 0 else 0
    n_sequences = 1 if second is None else 2
    n1, n2 = len(first.ids), 0 if second is None else len(second.ids)
    windows_a, windows_b = [slice(0, n1)], [slice(0, n2)]
    if max_length is not None:
        budget = max_length - specials_per_sequence * n_sequences
        if budget < 1:
            raise EncodeError(
                f"max_length {max_length} leaves no room for the text after special tokens"
            )
        keep1, keep2 = truncation_plan(
            n1, None if second is None else n2, budget, settings.truncation
        )
        check_stride(settings.stride, keep1, n1)
        windows_a = _windows(n1, keep1, settings.stride)
        if second is not None:
            check_stride(settings.stride, keep2, n2)
            windows_b = _windows(n2, keep2, settings.stride)
    pairs = [(windows_a[0], windows_b[0])]
    for a in windows_a[1:]:
        pairs += [(a, b) for b in windows_b]
    pairs += [(windows_a[0], b) for b in windows_b[1:]]
    raws = [_window(first, second, a, b, bos_id) for a, b in pairs]
    return replace(raws[0], overflow=tuple(raws[1:]))


def _windows(length: int, size: int, stride: int) -> list[slice]:
    """tokenizers' Encoding.truncate: windows of ``size`` that overlap by ``stride``."""
    if size >= length:
        return [slice(0, length)]
    if size == 0:
        return [slice(0, 0), slice(0, length)]
    step = size - stride  # check_stride made it positive
    out = []
    for start in range(0, length, step):
        stop = min(start + size, length)
        out.append(slice(start, stop))
        if stop == length:
            break
    return out


def _window(first: _Pieces, second: _Pieces | None, a: slice, b: slice, bos_id: int) -> RawEncoding:
    """The window's columns, each written once into its own array (concatenating, then
    converting, copied each 1 M-token column twice: ~20 ms of a 1 MB encode)."""
    parts = [(first, a)] + ([] if second is None else [(second, b)])
    bos = 1 if bos_id >= 0 else 0
    count = sum(bos + len(pieces.ids[cut]) for pieces, cut in parts)
    ids, word_ids, sequence_ids, byte_start, byte_end = (
        np.empty(count, dtype=np.int64) for _ in range(5)
    )
    special = np.zeros(count, dtype=bool)
    type_ids = np.empty(count, dtype=np.int8)
    at = 0
    for seq, (pieces, cut) in enumerate(parts):
        n = len(pieces.ids[cut])
        type_ids[at : at + bos + n] = seq
        if bos:  # BOS: no span, no word, no sequence
            ids[at], byte_start[at], byte_end[at] = bos_id, 0, 0
            word_ids[at] = sequence_ids[at] = -1
            special[at] = True
            at += 1
        ids[at : at + n] = pieces.ids[cut]
        byte_start[at : at + n] = pieces.byte_start[cut]
        byte_end[at : at + n] = pieces.byte_end[cut]
        word_ids[at : at + n] = pieces.word_ids[cut]
        sequence_ids[at : at + n] = seq
        at += n
    return RawEncoding(
        ids=ids,
        tokens=(),
        char_start=np.zeros(count, dtype=np.int64),  # filled from the byte spans later
        char_end=np.zeros(count, dtype=np.int64),
        special=special,
        word_ids=word_ids,
        sequence_ids=sequence_ids,
        attention_mask=np.ones(count, dtype=np.int8),
        type_ids=type_ids,
        byte_start=byte_start,
        byte_end=byte_end,
    )


def _pad_raw(raw: RawEncoding, target: int, pad_id: int, side: str) -> RawEncoding:
    missing = target - len(raw.ids)
    if missing <= 0:
        return raw

    def pad(values: np.ndarray, fill: Any) -> np.ndarray:
        block = np.full(missing, fill, dtype=values.dtype)
        return np.concatenate([values, block] if side == "right" else [block, values])

    assert raw.byte_start is not None and raw.byte_end is not None
    return replace(
        raw,
        ids=pad(raw.ids, pad_id),
        char_start=pad(raw.char_start, 0),
        char_end=pad(raw.char_end, 0),
        special=pad(raw.special, True),
        word_ids=pad(np.asarray(raw.word_ids), -1),  # always an array here
        sequence_ids=pad(raw.sequence_ids, -1),
        attention_mask=pad(raw.attention_mask, 0),
        type_ids=pad(raw.type_ids, 0),
        byte_start=pad(raw.byte_start, 0),
        byte_end=pad(raw.byte_end, 0),
    )
