"""tiktoken files encoded by tiktoken itself, with spans computed in numpy.

The file is also converted to a ``tokenizers.Tokenizer`` (catalog.tiktoken_to_hf): that path
stays for pairs, truncation, padding, overflow windows, pre-tokenized input and added "what if"
tokens, and it is built only when one of them first asks for it (reading the converted o200k
holds Python's lock for most of a second: a window would freeze while a tokenizer loads). A
plain text goes to tiktoken's native ``encode`` (it releases Python's lock), and its spans
follow from the ids alone: byte spans are a cumulative sum of each token's byte length; the
character spans are derived from them by the core (a UTF-8 byte → character index). Word ids,
which only the split pattern knows, are computed when first read. Token strings, the
vocabulary and decoding come from the ranks themselves, equal to the converted tokenizer's.

A window's catalog gives its tiktoken tokenizers an ``encoding_host`` (tiktoken_host): the
native encode runs in that child process, decodes are joined here from the ranks' bytes, and
the window's process never builds the ``tiktoken.Encoding`` (its Rust constructor holds
Python's lock 0.1–0.5 s for o200k).
"""

from __future__ import annotations

import threading
import unicodedata
from collections.abc import Callable
from functools import cached_property
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np

from inspector.core.array_slices import any_true, int64_array, slices
from inspector.core.offsets import boundary_mask, char_to_byte
from inspector.core.settings import EncodeSettings
from inspector.core.tokenizer import (
    HFTokenizer,
    LoadedTokenizer,
    RawEncoding,
    TokenizerFacts,
    TokenizerRecipe,
    TokenStrings,
)
from inspector.core.vocab_index import VocabIndex, index_of_tokens

JOIN_IDS = 1 << 13  # token byte strings copied or joined per call: well under a millisecond

if TYPE_CHECKING:
    import tiktoken
    import tokenizers

    from inspector.core.sources import TiktokenSpec


class HostCannotLoad(Exception):
    """The encoding host could not load this tokenizer as it is here: encode locally."""


class EncodingHost(Protocol):
    """Another process that holds the tiktoken encoding (tiktoken_host.TiktokenHost): a GUI
    never builds it, since building it holds Python's lock for 0.1–0.5 s (o200k). Each call
    names the tokenizer by its recipe and fingerprint; HostCannotLoad when the other process
    cannot load the same thing."""

    def warm(self, recipe: TokenizerRecipe, fingerprint: str) -> None: ...

    def encode_to_numpy(
        self, recipe: TokenizerRecipe, fingerprint: str, text: str, split_special: bool
    ) -> np.ndarray: ...


class TiktokenTokenizer(HFTokenizer):
    """A tiktoken encoding: tiktoken for plain texts, its ``tokenizers`` conversion otherwise.

    ``skeleton``: the conversion without its ranks (pre-tokenizer, decoder, post-processor,
    special tokens: what ``facts`` describe); ``convert``: builds the whole conversion, called
    the first time a path needs it (on the thread that asks: a window asks on a worker).
    ``encoding_host`` (set by a catalog that has one): plain encodes run in that process,
    decodes are joined here, and this one never builds the tiktoken encoding.
    """

    def __init__(
        self,
        skeleton: tokenizers.Tokenizer,
        facts: TokenizerFacts,
        spec: TiktokenSpec,
        convert: Callable[[], tokenizers.Tokenizer],
    ) -> None:
        LoadedTokenizer.__init__(self, facts)  # HFTokenizer's would need the conversion now
        skeleton.no_truncation()
        skeleton.no_padding()
        self._skeleton = skeleton
        self._spec = spec
        self._convert = convert
        self._build_lock = threading.RLock()
        self.encoding_host: EncodingHost | None = None
        self._host_refused = False  # the host could not load this tokenizer as it is here

    @property
    def _tok(self) -> tokenizers.Tokenizer:  # type: ignore[override]
        """The converted tokenizer, built on first use (the HF path reads it as ``_tok``)."""
        with self._build_lock:
            return self._converted

    @cached_property
    def _converted(self) -> tokenizers.Tokenizer:
        tok = self._convert()
        tok.no_truncation()
        tok.no_padding()
        return tok

    @property
    def converted_is_built(self) -> bool:
        return "_converted" in self.__dict__

    @property
    def encoding(self) -> tiktoken.Encoding:
        with self._build_lock:  # built once, on the first plain encode
            return self._encoding

    @cached_property
    def _encoding(self) -> tiktoken.Encoding:
        import tiktoken

        spec = self._spec
        return tiktoken.Encoding(
            f"token-inspector-{spec.name}",
            pat_str=spec.pattern,
            mergeable_ranks=spec.ranks,
            special_tokens=spec.special_tokens,
        )

    def prepare(self) -> None:
        """Build now what the first plain encode would build (the tiktoken encoding holds
        Python's lock for about 0.45 s while it is built for o200k; with a host, the host
        builds it and this waits without the lock): a load job calls this on its worker
        thread, so the first encode after it is quick."""
        host = self._host()
        if host is not None:
            try:
                host.warm(self._recipe, self.facts.fingerprint)
            except HostCannotLoad:
                self._host_refused = True
        if self._host() is None:
            self.encoding  # noqa: B018 (built and kept)
        self._byte_lengths32  # noqa: B018
        self._bytes_by_id  # noqa: B018
        if self._host() is not None:  # decodes are joined here
            self._flat_token_bytes  # noqa: B018

    @property
    def _recipe(self) -> TokenizerRecipe:
        assert self.recipe is not None  # _host() says so
        return self.recipe

    def _host(self) -> EncodingHost | None:
        """The encoding host to use: None without one, or when this tokenizer cannot be loaded
        again there (no recipe: built some other way)."""
        if self.encoding_host is None or self.recipe is None or self._host_refused:
            return None
        return self.encoding_host

    def fast_path_applies(self, pairs: list[str] | None, settings: EncodeSettings) -> bool:
        """One text each, nothing tokenizers would add, cut or pad."""
        return (
            pairs is None
            and settings.truncation == "none"
            and settings.padding == "none"
            and not settings.pretokenized
            and not (settings.add_special_tokens and self.special_tokens_added(False))
        )

    def would_convert(self, text: str, pair: str | None, settings: EncodeSettings) -> bool:
        """Encoding this would build the conversion now (it is not built yet)."""
        pairs = None if pair is None else [pair]
        fast = self.fast_path_applies(pairs, settings) and _encodable(text)
        return not fast and not self.converted_is_built

    def encode(
        self, texts: list[str], pairs: list[str] | None, settings: EncodeSettings
    ) -> list[RawEncoding]:
        if not self.fast_path_applies(pairs, settings) or not all(map(_encodable, texts)):
            return super().encode(texts, pairs, settings)
        return [self._encode_fast(text, settings.split_special_tokens) for text in texts]

    def _encode_fast(self, text: str, split_special: bool) -> RawEncoding:
        form = self.normalization_form
        if form is not None and not unicodedata.is_normalized(form, text):
            text = unicodedata.normalize(form, text)
        native = self._native_ids(text, split_special)
        ids = native.astype(np.int64)
        del native
        lengths = self._byte_lengths32[ids]
        ends = np.cumsum(lengths, dtype=np.int32)  # a 64 MB text has fewer than 2**31 bytes
        starts = ends - lengths
        del lengths
        count = len(ids)
        zeros = np.zeros(count, dtype=np.int32)
        typed = None if split_special else self.is_control(ids)
        pattern = self._split_pattern

        table = self._byte_lengths32

        def word_ids() -> np.ndarray:
            # Spans again from the ids: the core maps the returned spans in place.
            own_ends = np.cumsum(table[ids], dtype=np.int32)
            own_starts = own_ends - table[ids]
            return _word_ids(pattern, text, own_starts, own_ends, typed)

        return RawEncoding(
            ids=ids,
            tokens=TokenStrings(ids, self.id_to_token),
            char_start=zeros,  # derived from the byte spans by the core
            char_end=zeros.copy(),
            special=np.zeros(count, dtype=bool),
            word_ids=word_ids,
            sequence_ids=np.zeros(count, dtype=np.int64),
            attention_mask=np.ones(count, dtype=np.int8),
            type_ids=np.zeros(count, dtype=np.int8),
            byte_start=starts,
            byte_end=ends,
        )

    def _native_ids(self, text: str, split_special: bool) -> np.ndarray:
        """tiktoken's ids (uint32): in the host when there is one, else here."""
        host = self._host()
        if host is not None:
            try:
                return host.encode_to_numpy(
                    self._recipe, self.facts.fingerprint, text, split_special
                )
            except HostCannotLoad:
                self._host_refused = True
        return native_ids(self.encoding, text, split_special)

    def tokenizers_path(self) -> HFTokenizer:
        """The same tokenizer without the fast path (the tests and benchmarks compare them)."""
        with self._build_lock:
            return self._tokenizers_path

    @cached_property
    def _tokenizers_path(self) -> HFTokenizer:
        twin = HFTokenizer(self._tok, self.facts)
        twin.__dict__["token_byte_lengths"] = self.token_byte_lengths  # the same table, once
        return twin

    # -- the vocabulary, from the ranks (the converted tokenizer's, without building it) ------
    def special_tokens_added(self, is_pair: bool) -> int:
        processor = self._skeleton.post_processor
        return 0 if processor is None else int(processor.num_special_tokens_to_add(is_pair))

    def id_to_token(self, token_id: int) -> str | None:
        special = self._special_by_id.get(token_id)
        if special is not None:
            return special
        raw = self._rank_bytes(token_id)
        return None if raw is None else raw.decode("latin-1").translate(self._byte_level_chars)

    def token_to_id(self, token: str) -> int | None:
        special = self._spec.special_tokens.get(token)
        return special if special is not None else self._rank_of(token)

    def vocab(self) -> dict[str, int]:
        chars = self._byte_level_chars
        table = self._spec.table
        vocab = {
            raw.decode("latin-1").translate(chars): i
            for raw, i in zip(table.tokens, table.ranks.tolist(), strict=True)
        }
        vocab.update(self._spec.special_tokens)
        return vocab

    def vocab_index(self) -> VocabIndex:
        return self._vocab_index

    @cached_property
    def _vocab_index(self) -> VocabIndex:
        """``vocab()`` from the ranks' bytes joined, each byte → its alphabet's character in
        numpy: no string per token (``vocab()`` builds 200k for o200k, ~0.5 s)."""
        table, specials = self._spec.table, self._spec.special_tokens
        chars = self._byte_level_chars
        alphabet = np.array([ord(chars[byte]) for byte in range(256)], dtype=np.uint32)
        index = index_of_tokens(
            table.tokens,
            table.ranks,
            lambda raws: alphabet[np.frombuffer(b"".join(raws), dtype=np.uint8)],
        )
        if any(index.id_of(content) is not None for content in specials):
            return index.updated(specials.items())  # a special token spelled as a rank
        return index.appended(specials.items())

    def _rank_of(self, token: str) -> int | None:
        """The rank whose bytes ``token`` spells in the byte-level alphabet, from the
        vocabulary's index (the window's process keeps no dict of the ranks: RankTable); a
        special token spelled as a rank has its special id there, as in ``vocab()``."""
        return self._vocab_index.id_of(token)

    def decode_array(self, ids: np.ndarray, skip_special_tokens: bool) -> str:
        """``decode`` without a list of the ids, where the window joins decodes itself (a host
        is attached): the special ids are found with a table, a slice at a time."""
        return self.decoded_bytes(ids, skip_special_tokens).decode("utf-8", "replace")

    def decoded_bytes(self, ids: np.ndarray, skip_special_tokens: bool) -> bytes:
        """The bytes ``decode_array`` turns into text (UTF-8 with U+FFFD)."""
        if self._host() is None:  # tiktoken's own decode takes a list
            return self._decoded_list_bytes(ids.tolist(), skip_special_tokens)
        wanted = np.asarray(ids, dtype=np.int64)
        odd = self._odd_specials
        plain = not (len(odd) and np.isin(wanted, odd).any()) and not (
            skip_special_tokens and any_true(self.is_control, wanted)
        )
        if plain:
            try:
                return self._joined_bytes(wanted)
            except (KeyError, OverflowError):
                pass  # an id tiktoken does not know: picked out by decode
        return self._decoded_list_bytes(wanted.tolist(), skip_special_tokens)

    def decode(self, ids: list[int], skip_special_tokens: bool) -> str:
        """As the converted tokenizer's ByteLevel decoder: every token's bytes joined, then
        UTF-8 with U+FFFD for each invalid sequence; ids it does not know are left out.
        tiktoken joins the bytes (without Python's lock), numpy picks the ids."""
        return self._decoded_list_bytes(ids, skip_special_tokens).decode("utf-8", "replace")

    def _decoded_list_bytes(self, ids: list[int], skip_special_tokens: bool) -> bytes:
        plain = self._odd_specials_set.isdisjoint(ids) and (
            not skip_special_tokens or self._special_by_id.keys().isdisjoint(ids)
        )
        if plain:  # ids of an encode: straight to tiktoken, no copy of a million ids
            try:
                return self._decode_bytes(ids)
            except (KeyError, OverflowError, TypeError, ValueError):
                pass  # an id tiktoken does not know: picked out below
        wanted = np.asarray(ids, dtype=np.int64)
        if (wanted < 0).any():
            raise OverflowError("can't convert negative int to unsigned")
        lengths = self._byte_lengths32
        inside = wanted < len(lengths)
        known = np.zeros(len(wanted), dtype=bool)
        known[inside] = lengths[wanted[inside]] >= 0
        if skip_special_tokens:
            known &= ~self.is_control(wanted)
        kept = wanted[known]
        if len(self._odd_specials) and np.isin(kept, self._odd_specials).any():
            return self._piecewise_bytes(kept.tolist())
        return self._decode_bytes(kept)

    def _decode_bytes(self, ids: list[int] | np.ndarray) -> bytes:
        """tiktoken's ``decode_bytes`` (KeyError for an id it does not know, OverflowError for
        a negative one, as tiktoken): tiktoken's own without a host, else joined here."""
        if self._host() is None:
            return self.encoding.decode_bytes(ids if isinstance(ids, list) else ids.tolist())
        return self._joined_bytes(ids)

    def _joined_bytes(self, ids: list[int] | np.ndarray) -> bytes:
        """What tiktoken's ``decode_bytes`` gives, gathered in numpy from every token's bytes
        laid end to end: no pipe to the host (a keystroke's round trip would wait on it), and
        a slice of ids at a time (the GUI thread gets Python's lock in between)."""
        wanted = ids if isinstance(ids, np.ndarray) else int64_array(ids, len(ids))
        if not len(wanted):
            return b""
        if wanted.min() < 0:
            raise OverflowError("can't convert negative int to unsigned")
        lengths = self._byte_lengths32
        if wanted.max() >= len(lengths):
            raise KeyError(int(wanted.max()))
        flat, starts = self._flat_token_bytes
        parts = []
        for a, b in slices(len(wanted)):
            part = wanted[a:b]
            sizes = lengths[part].astype(np.int64)
            if (sizes < 0).any():
                raise KeyError(int(part[np.argmax(sizes < 0)]))
            ends = np.cumsum(sizes)
            # output byte k of token t comes from flat[starts[t] + k - (where t's bytes begin)]
            shift = np.repeat(starts[part] - (ends - sizes), sizes)
            parts.append(flat[shift + np.arange(len(shift), dtype=np.int64)].tobytes())
        return b"".join(parts)

    @cached_property
    def _flat_token_bytes(self) -> tuple[np.ndarray, np.ndarray]:
        """Every id's bytes (``token_bytes``) end to end, and where each id's begin."""
        lengths = np.maximum(self.token_byte_lengths, 0)
        starts = np.zeros(len(lengths), dtype=np.int64)
        np.cumsum(lengths[:-1], out=starts[1:])
        # token_bytes(i) or b"" for every id, without a Python call per id (200k for o200k)
        pieces: list[bytes | None] = list(self._bytes_by_id)
        for token_id, content in self._special_by_id.items():
            pieces[token_id] = content.encode("utf-8")
        for token_id in np.flatnonzero(self.token_byte_lengths < 0).tolist():
            pieces[token_id] = b""  # an id with no bytes: a hole in the ranks
        parts = [  # a few thousand ids a call: the lock changes hands between two
            b"".join(pieces[at : min(b, at + JOIN_IDS)])  # type: ignore[arg-type]
            for a, b in slices(len(pieces))
            for at in range(a, b, JOIN_IDS)
        ]
        joined = b"".join(parts)
        return np.frombuffer(joined, dtype=np.uint8), starts

    def _piecewise_bytes(self, ids: list[int]) -> bytes:
        """Known ids, one at a time: for special tokens whose ByteLevel bytes are not their
        UTF-8 (a non-ASCII special token; none of the catalog's has one)."""
        specials = self._special_decoded
        return b"".join(specials.get(i) or self._rank_bytes(i) or b"" for i in ids)

    @cached_property
    def _odd_specials_set(self) -> frozenset[int]:
        return frozenset(self._odd_specials.tolist())

    @cached_property
    def _odd_specials(self) -> np.ndarray:
        odd = [
            i
            for content, i in self._spec.special_tokens.items()
            if self._special_decoded[i] != content.encode("utf-8")
        ]
        return np.array(odd, dtype=np.int64)

    def token_bytes(self, token_id: int) -> bytes | None:
        """What the token stands for: its own bytes, a special token's text as UTF-8."""
        content = self._special_by_id.get(token_id)
        if content is not None:
            return content.encode("utf-8")
        return self._rank_bytes(token_id)

    @cached_property
    def _byte_level_chars(self) -> dict[int, str]:
        """Byte → its character of the byte-level alphabet (str.translate of a latin-1 decoded
        token gives the converted vocabulary's string)."""
        return {byte: char for char, byte in self._byte_decoder.items()}

    def _rank_bytes(self, token_id: int) -> bytes | None:
        table = self._bytes_by_id
        return table[token_id] if 0 <= token_id < len(table) else None

    @cached_property
    def _bytes_by_id(self) -> list[bytes | None]:
        """Each rank's bytes by id (the ranks' own bytes objects: a list of references)."""
        ranks = self._spec.table
        tokens, ids = ranks.tokens, ranks.ranks
        table: list[bytes | None] = [None] * len(self.token_byte_lengths)
        if np.array_equal(ids, np.arange(len(ids))):  # ranks 0, 1, 2, … in order: copied
            for a in range(0, len(tokens), JOIN_IDS):  # a slice a call (the lock changes hands)
                b = min(len(tokens), a + JOIN_IDS)
                table[a:b] = tokens[a:b]
        else:
            for raw, token_id in zip(tokens, ids.tolist(), strict=True):
                table[token_id] = raw
        for token_id in self._spec.special_tokens.values():
            table[token_id] = None
        return table

    @cached_property
    def _special_decoded(self) -> dict[int, bytes]:
        """A special token's bytes as the ByteLevel decoder makes them: each character through
        the byte alphabet, or the content's UTF-8 when one character is not in it."""
        decoder = self._byte_decoder
        out: dict[int, bytes] = {}
        for content, token_id in self._spec.special_tokens.items():
            try:
                out[token_id] = bytes(decoder[char] for char in content)
            except KeyError:
                out[token_id] = content.encode("utf-8")
        return out

    @cached_property
    def token_byte_lengths(self) -> np.ndarray:
        """From the ranks and the special tokens directly (no pass over the vocabulary)."""
        table = self._spec.table
        specials = self._spec.special_tokens
        size = max(table.size, max(specials.values(), default=-1) + 1, self.facts.vocab_size)
        lengths = np.full(size, -1, dtype=np.int64)
        lengths[table.ranks] = table.lengths
        for content, token_id in specials.items():
            lengths[token_id] = len(content.encode("utf-8"))
        return lengths

    @cached_property
    def _byte_lengths32(self) -> np.ndarray:
        return self.token_byte_lengths.astype(np.int32)

    @cached_property
    def _special_by_id(self) -> dict[int, str]:
        return {v: k for k, v in self._spec.special_tokens.items()}

    @cached_property
    def _split_pattern(self) -> Any:
        import regex

        # tiktoken's $ means the end of the text (fancy-regex); \Z says so in `regex`.
        return regex.compile(self._spec.pattern.replace("$", r"\Z"))


def native_ids(encoding: tiktoken.Encoding, text: str, split_special: bool) -> np.ndarray:
    """tiktoken's ids of ``text`` as tokenizers parses it (uint32)."""
    if split_special:  # == encode_ordinary: special-token strings stay text
        return encoding.encode_to_numpy(text, allowed_special=set(), disallowed_special=())
    # as tokenizers does: special-token strings typed in the text are parsed
    return encoding.encode_to_numpy(text, allowed_special="all")


def _encodable(text: str) -> bool:
    """tiktoken replaces lone surrogates with U+FFFD: leave such text to tokenizers."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _word_ids(
    pattern: Any,
    text: str,
    starts: np.ndarray,
    ends: np.ndarray,
    typed: np.ndarray | None,
) -> np.ndarray:
    """Word ids as tokenizers numbers them: every special token typed in the text is a word,
    and the split pattern cuts the text between them into words."""
    if not len(starts):
        return np.zeros(0, dtype=np.int64)
    c2b = char_to_byte(text)
    char_of_byte = np.cumsum(boundary_mask(c2b)) - 1
    rows = np.flatnonzero(typed) if typed is not None else np.zeros(0, dtype=np.int64)
    boundaries: list[np.ndarray] = []
    position = 0  # character where the current stretch of plain text starts
    for row in [*rows.tolist(), None]:
        stop = len(text) if row is None else int(char_of_byte[starts[row]])
        if stop > position:
            cuts = np.fromiter(
                (at for match in pattern.finditer(text[position:stop]) for at in match.span()),
                dtype=np.int64,
            )
            cuts = np.unique(np.append(cuts[cuts < stop - position], 0)) + position
            boundaries.append(c2b[cuts])
        if row is not None:
            boundaries.append(np.array([starts[row]], dtype=np.int64))
            position = int(char_of_byte[ends[row]])
    words = np.concatenate(boundaries) if boundaries else np.zeros(1, dtype=np.int64)
    return np.searchsorted(words, starts, side="right") - 1
