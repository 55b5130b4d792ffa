"""Loaded tokenizers behind one interface: a Hugging Face ``tokenizers.Tokenizer`` or SentencePiece.

Each backend returns :class:`RawEncoding` columns (ids, character spans, flags) for one sequence
or a pair; ``inspector.core.encoding`` turns them into the result every panel reads.
"""

from __future__ import annotations

import itertools
import json
import re
import threading
from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, fields, replace
from functools import cached_property
from typing import TYPE_CHECKING, Any, overload

import numpy as np

from inspector.core.errors import EncodeError, TokenizerLoadError
from inspector.core.offsets import char_to_byte
from inspector.core.settings import EncodeSettings

if TYPE_CHECKING:
    import sentencepiece
    import tokenizers

WORDS = re.compile(r"\S+")


@dataclass(frozen=True)
class AddedTokenInfo:
    content: str
    id: int
    special: bool


@dataclass(frozen=True)
class TokenizerFacts:
    """What a tokenizer is, for the properties panel and every report."""

    id: str
    algorithm: str
    vocab_size: int
    source: str
    fingerprint: str
    model_max_length: int | None = None
    special_tokens: tuple[AddedTokenInfo, ...] = ()
    added_tokens: tuple[AddedTokenInfo, ...] = ()
    normalizer: str | None = None
    pre_tokenizer: str | None = None
    lowercases: bool = False
    byte_level: bool = False
    uses_token_type_ids: bool = False
    unk_token: str | None = None
    pad_token: str | None = None
    notes: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "algorithm": self.algorithm,
            "vocab_size": self.vocab_size,
            "source": self.source,
            "fingerprint": self.fingerprint,
            "model_max_length": self.model_max_length,
            "special_tokens": [vars(t) for t in self.special_tokens],
            "added_tokens": [vars(t) for t in self.added_tokens],
            "normalizer": self.normalizer,
            "pre_tokenizer": self.pre_tokenizer,
            "lowercases": self.lowercases,
            "byte_level": self.byte_level,
            "uses_token_type_ids": self.uses_token_type_ids,
            "unk_token": self.unk_token,
            "pad_token": self.pad_token,
            "notes": list(self.notes),
        }


class TokenStrings(Sequence[str]):
    """The vocabulary strings of a row of ids, looked up when read.

    A 1 MB text has ~300k tokens: building all their strings up front costs more than the
    encoding itself, and most are never shown.
    """

    __slots__ = ("_ids", "_lookup")

    def __init__(self, ids: np.ndarray, lookup: Callable[[int], str | None]) -> None:
        self._ids = ids
        self._lookup = lookup

    def __len__(self) -> int:
        return len(self._ids)

    @overload
    def __getitem__(self, index: int) -> str: ...
    @overload
    def __getitem__(self, index: slice) -> list[str]: ...
    def __getitem__(self, index: int | slice) -> str | list[str]:
        if isinstance(index, slice):
            return [self._lookup(int(i)) or "" for i in self._ids[index]]
        return self._lookup(int(self._ids[index])) or ""

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence):
            return NotImplemented
        return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"TokenStrings({list(self[:8])}{'…' if len(self) > 8 else ''})"


@dataclass(frozen=True)
class RawEncoding:
    """One encoded sequence (or pair) as the backend returns it; spans are per sequence text."""

    ids: np.ndarray
    tokens: Sequence[str]
    char_start: np.ndarray
    char_end: np.ndarray
    special: np.ndarray
    word_ids: np.ndarray
    sequence_ids: np.ndarray
    attention_mask: np.ndarray
    type_ids: np.ndarray
    # Exact UTF-8 byte spans where the backend knows them (SentencePiece does); else None.
    byte_start: np.ndarray | None = None
    byte_end: np.ndarray | None = None
    overflow: tuple[RawEncoding, ...] = field(default=())


@dataclass(frozen=True)
class TokenizerRecipe:
    """What ``Catalog.load`` was given, plus any what-if tokens added on top, in order."""

    name: str
    trust_remote_code: bool = False
    added: tuple[tuple[tuple[str, ...], bool], ...] = ()

    def with_added(self, tokens: list[str], special: bool) -> TokenizerRecipe:
        return replace(self, added=(*self.added, (tuple(tokens), special)))


class LoadedTokenizer(ABC):
    """A tokenizer loaded once and shared; encoding calls are serialized by a lock."""

    def __init__(self, facts: TokenizerFacts) -> None:
        self.facts = facts
        self._lock = threading.Lock()
        # How to load this tokenizer again in another process (set by Catalog.load and kept
        # by what-if copies); None when it was built some other way.
        self.recipe: TokenizerRecipe | None = None

    @abstractmethod
    def encode(
        self, texts: list[str], pairs: list[str] | None, settings: EncodeSettings
    ) -> list[RawEncoding]:
        """Encode a batch (one text, or several for batch mode), padded as settings ask."""

    @abstractmethod
    def decode(self, ids: list[int], skip_special_tokens: bool) -> str: ...

    @abstractmethod
    def id_to_token(self, token_id: int) -> str | None: ...

    @abstractmethod
    def token_to_id(self, token: str) -> int | None: ...

    @abstractmethod
    def vocab(self) -> dict[str, int]: ...

    @abstractmethod
    def with_added_tokens(self, tokens: list[str], special: bool) -> LoadedTokenizer:
        """A copy with extra tokens; this tokenizer is left as it was."""

    @abstractmethod
    def _raw_token_bytes(self, token: str) -> bytes | None:
        """The exact bytes a vocabulary token stands for, when that is knowable."""

    @cached_property
    def token_byte_lengths(self) -> np.ndarray:
        """Per id: the byte length of what the token stands for, -1 when unknown (WordPiece)."""
        vocab = self.vocab()
        size = max(vocab.values(), default=-1) + 1
        lengths = np.full(size, -1, dtype=np.int64)
        for token, token_id in vocab.items():
            raw = self._raw_token_bytes(token)
            if raw is not None:
                lengths[token_id] = len(raw)
        return lengths

    @cached_property
    def control_ids(self) -> np.ndarray:
        """Sorted ids of the tokenizer's special/control tokens (and added special tokens)."""
        infos = (*self.facts.special_tokens, *self.facts.added_tokens)
        return np.unique(np.array([t.id for t in infos if t.special], dtype=np.int64))

    def is_control(self, ids: np.ndarray) -> np.ndarray:
        """Per id: is it one of the tokenizer's special/control tokens?"""
        return np.isin(ids, self.control_ids)

    def token_bytes(self, token_id: int) -> bytes | None:
        token = self.id_to_token(token_id)
        return None if token is None else self._raw_token_bytes(token)


# --------------------------------------------------------------------------- Hugging Face


def _bytes_to_unicode_inverse() -> dict[str, int]:
    """Byte-level BPE's printable alphabet (GPT-2's bytes_to_unicode), character → byte.

    Written out here because importing it from transformers imports torch (seconds).
    tests/core check it equals transformers' table.
    """
    printable = [*range(0x21, 0x7F), *range(0xA1, 0xAD), *range(0xAE, 0x100)]
    mapping = {byte: chr(byte) for byte in printable}
    extra = 0
    for byte in range(256):
        if byte not in mapping:
            mapping[byte] = chr(256 + extra)
            extra += 1
    return {char: byte for byte, char in mapping.items()}


_BYTE_FALLBACK = re.compile(r"^<0x([0-9A-Fa-f]{2})>$")


def _describe(component: object) -> str | None:
    return None if component is None else repr(component)


class HFTokenizer(LoadedTokenizer):
    """A Rust ``tokenizers.Tokenizer`` (from tokenizer.json, transformers, or tiktoken ranks)."""

    def __init__(
        self,
        tokenizer: tokenizers.Tokenizer,
        facts: TokenizerFacts,
    ) -> None:
        tokenizer.no_truncation()
        tokenizer.no_padding()
        super().__init__(facts)
        self._tok = tokenizer

    @property
    def backend(self) -> tokenizers.Tokenizer:
        return self._tok

    # -- facts ------------------------------------------------------------------------
    @staticmethod
    def describe(
        tokenizer: tokenizers.Tokenizer,
        *,
        id: str,
        source: str,
        fingerprint: str,
        model_max_length: int | None = None,
        algorithm: str | None = None,
        uses_token_type_ids: bool | None = None,
        notes: tuple[str, ...] = (),
    ) -> TokenizerFacts:
        tokenizer.no_truncation()
        tokenizer.no_padding()
        model = tokenizer.model
        model_name = type(model).__name__
        normalizer = _describe(tokenizer.normalizer)
        pre_tokenizer = _describe(tokenizer.pre_tokenizer)
        byte_level = "ByteLevel" in (pre_tokenizer or "") or "ByteLevel" in repr(tokenizer.decoder)
        if algorithm is None:
            if model_name == "BPE" and byte_level:
                algorithm = "byte-level BPE"
            elif model_name == "BPE" and getattr(model, "byte_fallback", False):
                algorithm = "BPE (byte fallback)"
            else:
                algorithm = model_name
        added = tokenizer.get_added_tokens_decoder()
        specials = tuple(
            AddedTokenInfo(t.content, i, True) for i, t in sorted(added.items()) if t.special
        )
        plain_added = tuple(
            AddedTokenInfo(t.content, i, False) for i, t in sorted(added.items()) if not t.special
        )
        if uses_token_type_ids is None:
            # tokenizers gives a pair's second text type id 1 by default; only a template that
            # says so (BERT-style) means the model reads token_type_ids.
            processor = repr(tokenizer.post_processor)
            uses_token_type_ids = processor.startswith("BertProcessing") or (
                processor.startswith("TemplateProcessing") and "type_id=1" in processor
            )
        unk = getattr(model, "unk_token", None)
        if unk is None and model_name == "Unigram":
            unk = _unigram_unk(model)
        lowercases = "lowercase=True" in (normalizer or "") or "Lowercase" in (normalizer or "")
        pad = next((t.content for t in specials if t.content in ("[PAD]", "<pad>")), None)
        vocab_size = max(tokenizer.get_vocab(with_added_tokens=True).values(), default=-1) + 1
        return TokenizerFacts(
            id=id,
            algorithm=algorithm,
            vocab_size=vocab_size,
            source=source,
            fingerprint=fingerprint,
            model_max_length=model_max_length,
            special_tokens=specials,
            added_tokens=plain_added,
            normalizer=normalizer,
            pre_tokenizer=pre_tokenizer,
            lowercases=lowercases,
            byte_level=byte_level,
            uses_token_type_ids=bool(uses_token_type_ids),
            unk_token=unk or None,
            pad_token=pad,
            notes=notes,
        )

    # -- encoding ---------------------------------------------------------------------
    def encode(
        self, texts: list[str], pairs: list[str] | None, settings: EncodeSettings
    ) -> list[RawEncoding]:
        from tokenizers import Encoding

        max_length = settings.effective_max_length(self.facts.model_max_length)
        first: list[Any] = texts
        word_starts: list[list[np.ndarray]] = []
        if settings.pretokenized:
            split_a = [_split_words(t) for t in texts]
            first = [words for words, _ in split_a]
            word_starts = [[starts] for _, starts in split_a]
            if pairs is not None:
                split_b = [_split_words(t) for t in pairs]
                pairs = [words for words, _ in split_b]  # type: ignore[misc]
                for row, (_, starts) in zip(word_starts, split_b, strict=True):
                    row.append(starts)
        inputs: list[Any] = first if pairs is None else list(zip(first, pairs, strict=True))
        with self._lock:
            try:
                if max_length is not None and settings.stride > 0:
                    self._check_stride(inputs, pairs is not None, settings, max_length)
                if max_length is not None:
                    self._tok.enable_truncation(
                        max_length, stride=settings.stride, strategy=settings.truncation
                    )
                if settings.padding != "none":
                    self._enable_padding(settings)
                encodings: list[Encoding] = self._tok.encode_batch(
                    inputs,
                    add_special_tokens=settings.add_special_tokens,
                    is_pretokenized=settings.pretokenized,
                )
            except EncodeError:
                raise
            except Exception as err:  # tokenizers raises plain Exceptions with good messages
                raise EncodeError(f"{self.facts.id}: {err}") from None
            except BaseException as err:  # a Rust panic (pyo3 PanicException) is no Exception
                if type(err).__name__ != "PanicException":
                    raise
                message = str(err).strip().splitlines()[0] if str(err).strip() else "panic"
                raise EncodeError(f"{self.facts.id}: {message}") from None
            finally:
                self._tok.no_truncation()
                self._tok.no_padding()
        lookup = None if "Unigram" in self.facts.algorithm else self._tok.id_to_token
        return [
            _raw_from_hf(
                enc,
                word_starts[i] if word_starts else None,
                lookup,
                padded=settings.padding != "none",
                paired=pairs is not None,
            )
            for i, enc in enumerate(encodings)
        ]

    def _check_stride(
        self, inputs: list[Any], is_pair: bool, settings: EncodeSettings, max_length: int
    ) -> None:
        """tokenizers panics (and prints a Rust backtrace) when the stride is not smaller than
        the length a truncated sequence keeps: say so plainly before it gets there."""
        processor = self._tok.post_processor
        added = 0
        if settings.add_special_tokens and processor is not None:
            added = processor.num_special_tokens_to_add(is_pair)
        budget = max_length - added
        if budget <= 0:
            return  # tokenizers' own behaviour (and messages) apply
        encodings = self._tok.encode_batch(
            inputs, add_special_tokens=False, is_pretokenized=settings.pretokenized
        )
        for encoding in encodings:
            n1 = len(encoding.ids) if not is_pair else len(encoding.ids) - _pair_length(encoding)
            n2 = _pair_length(encoding) if is_pair else None
            try:
                keep1, keep2 = truncation_plan(n1, n2, budget, settings.truncation)
            except EncodeError:
                continue  # tokenizers raises its own error for this one
            check_stride(settings.stride, keep1, n1)
            if n2 is not None:
                check_stride(settings.stride, keep2, n2)

    def _enable_padding(self, settings: EncodeSettings) -> None:
        pad = self.facts.pad_token
        pad_id = None if pad is None else self._tok.token_to_id(pad)
        if pad is None or pad_id is None:
            raise EncodeError(
                f"{self.facts.id} has no padding token, so it cannot pad "
                "(models like GPT-2 are often padded with their end-of-text token)"
            )
        length = settings.max_length if settings.padding == "max_length" else None
        self._tok.enable_padding(
            direction=settings.padding_side, pad_id=pad_id, pad_token=pad, length=length
        )

    def decode(self, ids: list[int], skip_special_tokens: bool) -> str:
        with self._lock:
            return self._tok.decode(ids, skip_special_tokens=skip_special_tokens)

    def id_to_token(self, token_id: int) -> str | None:
        return self._tok.id_to_token(token_id)

    def token_to_id(self, token: str) -> int | None:
        return self._tok.token_to_id(token)

    def vocab(self) -> dict[str, int]:
        return self._tok.get_vocab(with_added_tokens=True)

    def with_added_tokens(self, tokens: list[str], special: bool) -> HFTokenizer:
        from tokenizers import AddedToken, Tokenizer

        with self._lock:
            copy = Tokenizer.from_str(self._tok.to_str())
        added = [AddedToken(t, special=special, normalized=not special) for t in tokens]
        count = copy.add_special_tokens(added) if special else copy.add_tokens(added)
        kind = "special tokens" if special else "tokens"
        note = f"what-if copy: {count} {kind} added ({', '.join(tokens)})"
        facts = HFTokenizer.describe(
            copy,
            id=f"{self.facts.id}+added",
            source=self.facts.source,
            fingerprint=self.facts.fingerprint,
            model_max_length=self.facts.model_max_length,
            uses_token_type_ids=self.facts.uses_token_type_ids,
            algorithm=self.facts.algorithm,
            notes=(*self.facts.notes, note),
        )
        result = HFTokenizer(copy, facts)
        result.recipe = self.recipe and self.recipe.with_added(tokens, special)
        return result

    @cached_property
    def _byte_decoder(self) -> dict[str, int]:
        return _bytes_to_unicode_inverse()

    def _raw_token_bytes(self, token: str) -> bytes | None:
        if self.facts.byte_level:
            try:
                return bytes(self._byte_decoder[char] for char in token)
            except KeyError:
                return None
        match = _BYTE_FALLBACK.match(token)
        if match:
            return bytes([int(match.group(1), 16)])
        if "WordPiece" in self.facts.algorithm or self.facts.lowercases:
            return None
        if "▁" in token or "Metaspace" in (self.facts.pre_tokenizer or ""):
            return token.replace("▁", " ").encode()
        return None


def _pair_length(encoding: Any) -> int:
    return sum(1 for sequence in encoding.sequence_ids if sequence == 1)


def _unigram_unk(model: Any) -> str | None:
    """A Unigram model keeps its unknown token as an id in its serialized state only."""
    try:
        state = json.loads(model.__getstate__())
        unk_id = state.get("unk_id")
        return None if unk_id is None else str(state["vocab"][unk_id][0])
    except (ValueError, KeyError, IndexError, TypeError, AttributeError):
        return None


def _split_words(text: str) -> tuple[list[str], np.ndarray]:
    """Whitespace words and their start characters (for pre-tokenized input)."""
    matches = list(WORDS.finditer(text))
    return [m.group() for m in matches], np.array([m.start() for m in matches], dtype=np.int64)


def _int_column(values: list[int | None]) -> np.ndarray:
    """A list with None → int64 array with -1, without a Python loop per item."""
    array = np.array(values, dtype=object)
    array[array == None] = -1  # noqa: E711 (element-wise comparison on purpose)
    return array.astype(np.int64)


def _raw_from_hf(
    enc: Any,
    word_starts: list[np.ndarray] | None,
    lookup: Callable[[int], str | None] | None,
    padded: bool,
    paired: bool,
) -> RawEncoding:
    """``lookup`` None: take the encoding's own token strings (Unigram names an unknown piece
    by its text, not by the vocabulary's unk string)."""
    ids = np.array(enc.ids, dtype=np.int64)
    offsets = np.fromiter(
        itertools.chain.from_iterable(enc.offsets), dtype=np.int64, count=2 * len(ids)
    ).reshape(-1, 2)
    words = _int_column(enc.word_ids)
    special = np.array(enc.special_tokens_mask, dtype=bool)
    start, end = offsets[:, 0].copy(), offsets[:, 1].copy()
    if paired:
        sequences = _int_column(enc.sequence_ids)
        type_ids = np.array(enc.type_ids, dtype=np.int8)
    else:
        # One text: tokens the template added (and padding) have no sequence and an empty
        # (0, 0) span; special tokens typed in the text keep theirs. Type ids are all 0.
        sequences = np.where(special & (start == end), -1, 0).astype(np.int64)
        type_ids = np.zeros(len(ids), dtype=np.int8)
    if word_starts is not None:
        # Pre-tokenized offsets count from the start of each word: shift them into the text.
        for seq, starts in enumerate(word_starts):
            rows = (sequences == seq) & (words >= 0) & ~special
            shift = starts[words[rows]] if len(starts) else 0
            start[rows] += shift
            end[rows] += shift
    return RawEncoding(
        ids=ids,
        tokens=tuple(enc.tokens) if lookup is None else TokenStrings(ids, lookup),
        char_start=start,
        char_end=end,
        special=special,
        word_ids=words,
        sequence_ids=sequences,
        attention_mask=(
            np.array(enc.attention_mask, dtype=np.int8)
            if padded
            else np.ones(len(ids), dtype=np.int8)  # no padding: every token is attended
        ),
        type_ids=type_ids,
        overflow=tuple(
            _raw_from_hf(o, word_starts, lookup, padded, paired) for o in enc.overflowing
        ),
    )


# --------------------------------------------------------------------------- SentencePiece


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
    ) -> None:
        super().__init__(facts)
        self._sp = processor
        self._extra = dict(extra or {})  # what-if tokens: content -> (id, special)

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
    def _pieces(self, text: str) -> _Pieces:
        cut = self._cut_with_extra(text)
        pieces = np.fromiter(
            itertools.chain.from_iterable(cut), dtype=np.int64, count=3 * len(cut)
        ).reshape(-1, 3)
        ids, starts, ends = pieces[:, 0].copy(), pieces[:, 1].copy(), pieces[:, 2].copy()
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

    def _cut_with_extra(self, text: str) -> list[tuple[int, int, int]]:
        """(id, byte begin, byte end) per piece; what-if added tokens are matched first."""
        if not self._extra:
            return self._cut(text, 0)
        pattern = re.compile("|".join(re.escape(t) for t in sorted(self._extra, key=len)[::-1]))
        out: list[tuple[int, int, int]] = []
        char_bytes = char_to_byte(text)
        position = 0
        for match in pattern.finditer(text):
            out += self._cut(text[position : match.start()], int(char_bytes[position]))
            begin, end = int(char_bytes[match.start()]), int(char_bytes[match.end()])
            out.append((self._extra[match.group()][0], begin, end))
            position = match.end()
        out += self._cut(text[position:], int(char_bytes[position]))
        return out

    def _cut(self, text: str, byte_offset: int) -> list[tuple[int, int, int]]:
        if not text:
            return []
        proto = self._sp.encode(text, return_type="proto")
        if not byte_offset:
            return [(p.id, p.begin, p.end) for p in proto.pieces]
        return [(p.id, p.begin + byte_offset, p.end + byte_offset) for p in proto.pieces]

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
        if not settings.pretokenized:
            return self._pieces(text)
        parts = []
        char_bytes = char_to_byte(text)
        for number, match in enumerate(WORDS.finditer(text)):
            word = self._pieces(match.group())
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
        result = SentencePieceTokenizer(self._sp, facts, extra)
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


def truncation_plan(n1: int, n2: int | None, budget: int, strategy: str) -> tuple[int, int]:
    """How many tokens of each sequence the first window keeps, as ``tokenizers`` decides.

    ``budget`` is max_length less the special tokens the template adds. This is the algorithm
    of tokenizers' ``truncate_encodings`` (utils/truncation.rs), so that SentencePiece
    tokenizers truncate exactly as transformers' fast tokenizers do.
    """
    second = 0 if n2 is None else n2
    if n1 + second <= budget:
        return n1, second
    to_remove = n1 + second - budget
    if strategy == "longest_first":
        if n2 is None:
            return budget, 0
        short = min(n1, n2)
        keep_long = short if short > budget else max(short, budget - short)
        keep_short = short
        if keep_short + keep_long > budget:
            keep_short = budget // 2
            keep_long = keep_short + budget % 2
        return (keep_long, keep_short) if n1 > n2 else (keep_short, keep_long)
    if strategy == "only_second" and n2 is None:
        raise EncodeError("only_second truncation needs a pair text (second sequence not provided)")
    target = n1 if strategy == "only_first" else second
    if target <= to_remove:
        which = "first" if strategy == "only_first" else "pair"
        raise EncodeError(
            f"the {which} text is too short to truncate to max_length: the other text and the "
            "special tokens alone take up the room"
        )
    if strategy == "only_first":
        return n1 - to_remove, second
    return n1, second - to_remove


def check_stride(stride: int, keep: int, length: int) -> None:
    """tokenizers cuts a sequence into windows only when stride < the length it keeps."""
    if 0 < keep < length and stride >= keep:
        raise EncodeError(
            f"stride ({stride}) must be smaller than the {keep} tokens a window keeps of the "
            "text once special tokens (and the other text) are counted"
        )


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
    parts = [(first, a, 0)] + ([] if second is None else [(second, b, 1)])
    cols: dict[str, list[np.ndarray]] = {k: [] for k in ("ids", "bs", "be", "w", "seq", "sp", "tt")}
    for pieces, cut, seq in parts:
        n = len(pieces.ids[cut])
        if bos_id >= 0:
            for key, value in (("ids", bos_id), ("bs", 0), ("be", 0), ("w", -1), ("seq", -1)):
                cols[key].append(np.array([value], dtype=np.int64))
            cols["sp"].append(np.array([True]))
            cols["tt"].append(np.array([seq], dtype=np.int8))
        cols["ids"].append(pieces.ids[cut])
        cols["bs"].append(pieces.byte_start[cut])
        cols["be"].append(pieces.byte_end[cut])
        cols["w"].append(pieces.word_ids[cut])
        cols["seq"].append(np.full(n, seq, dtype=np.int64))
        cols["sp"].append(np.zeros(n, dtype=bool))
        cols["tt"].append(np.full(n, seq, dtype=np.int8))
    c = {k: np.concatenate(v) if v else np.zeros(0) for k, v in cols.items()}
    count = len(c["ids"])
    return RawEncoding(
        ids=c["ids"].astype(np.int64),
        tokens=(),
        char_start=np.zeros(count, dtype=np.int64),  # filled from the byte spans later
        char_end=np.zeros(count, dtype=np.int64),
        special=c["sp"].astype(bool),
        word_ids=c["w"].astype(np.int64),
        sequence_ids=c["seq"].astype(np.int64),
        attention_mask=np.ones(count, dtype=np.int8),
        type_ids=c["tt"].astype(np.int8),
        byte_start=c["bs"].astype(np.int64),
        byte_end=c["be"].astype(np.int64),
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
        word_ids=pad(raw.word_ids, -1),
        sequence_ids=pad(raw.sequence_ids, -1),
        attention_mask=pad(raw.attention_mask, 0),
        type_ids=pad(raw.type_ids, 0),
        byte_start=pad(raw.byte_start, 0),
        byte_end=pad(raw.byte_end, 0),
    )


def load_error(what: str, err: BaseException) -> TokenizerLoadError:
    """One line from whatever a library raised while loading ``what``."""
    message = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
    return TokenizerLoadError(f"cannot load {what}: {message}")
