"""Tokenizers a window holds without their library object, which lives in its encode process:
a tiktoken tokenizer's "what if" copy (``WhatIfCopy``, without its ``tokenizers`` conversion),
and every other library's tokenizer and its copies (``RemoteTokenizer``).

The real copy (``HFTokenizer.with_added_tokens``) reads the whole conversion and then
``Tokenizer.from_str`` of it: two Rust calls that hold Python's lock ~0.8 s each for o200k, so
a window that made it would freeze twice. Its child process makes it instead (loading the
what-if recipe, kept there for the encodes that follow) and sends back only the copy's facts.
Everything else the window asks of a tokenizer follows from those facts and the base:

- the copy's added vocabulary is exactly ``facts.special_tokens`` + ``facts.added_tokens``
  (``HFTokenizer.describe`` lists ``get_added_tokens_decoder``); ``tokenizers`` looks a token
  up there first, then in the model — the base's ranks, unchanged by adding tokens;
- ``decode`` is tokenizers' own rule (its ByteLevel decoder over every token, added ones
  included), computed here from the ranks' bytes and the added contents;
- every encode goes to the encode process (``encodes_elsewhere``: the window's encode job, the
  chat's). An encode asked here anyway (the core API given this object) builds the real copy
  first, once: a stall of its own, so only a worker thread may ask.

A window's other tokenizers (tokenizer.json, AutoTokenizer folders, sentencepiece: everything
but tiktoken) are held the same way from the start (``load_elsewhere``): loading one here holds
the lock in Rust/C calls (``from_file``, ``get_vocab``, the transformers import) for up to
300 ms. The child loads it and sends its vocabulary as tables (``VocabularyTables``: a few
flat strings and arrays, quick to unpickle); ``RemoteTokenizer`` answers from them, decodes in
the child, and encodes there. Their what-if copies are loaded there too (``recipe.with_added``).
"""

from __future__ import annotations

import threading
from abc import abstractmethod
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

import numpy as np

from inspector.core.errors import ChildCannotStart
from inspector.core.normalize import Form
from inspector.core.settings import EncodeSettings
from inspector.core.tiktoken_fast import TiktokenTokenizer
from inspector.core.tokenizer import (
    LoadedTokenizer,
    RawEncoding,
    TokenizerFacts,
    TokenizerRecipe,
    hf_token_bytes,
)
from inspector.core.vocab_index import VocabIndex, index_of_vocab

if TYPE_CHECKING:
    from inspector.core.encode_process import EncodeProcess


def makes_copy_elsewhere(base: LoadedTokenizer) -> bool:
    """A what-if copy of ``base`` would build its tokenizers conversion here (tiktoken) or
    load a library object here (a tokenizer held elsewhere), and a child can load it from its
    recipe instead."""
    held = isinstance(base, (TiktokenTokenizer, RemoteTokenizer))
    return held and base.recipe is not None


def what_if_copy(
    base: TiktokenTokenizer | RemoteTokenizer,
    tokens: list[str],
    special: bool,
    process: EncodeProcess,
    *,
    cancelled: Callable[[], bool] = lambda: False,
) -> LoadedTokenizer:
    """``base.with_added_tokens(tokens, special)`` made in ``process``; a cancelled caller
    kills the child (EncodeProcess's rule), so it is never left busy with it."""
    assert base.recipe is not None
    recipe = base.recipe.with_added(tokens, special)
    if isinstance(base, RemoteTokenizer):  # the child loads the copy, as it loaded the base
        try:
            return load_elsewhere(recipe, process, cancelled=cancelled)
        except ChildCannotStart:
            return base.with_added_tokens(tokens, special)
    try:
        facts = process.copy_facts(recipe, cancelled=cancelled)
    except ChildCannotStart:  # no child comes up: the real copy, made here
        return base.with_added_tokens(tokens, special)
    copy = WhatIfCopy(base, facts, tokens, special)
    copy.recipe = recipe
    return copy


class HeldElsewhere(LoadedTokenizer):
    """A tokenizer whose library object lives in an encode process: every encode goes there
    (``encodes_elsewhere``). An encode asked here anyway (the core API given this object)
    builds the real object first, once: a stall of its own, so only a worker thread may ask."""

    def __init__(self, facts: TokenizerFacts) -> None:
        super().__init__(facts)
        self._real_lock = threading.Lock()

    @property
    def encodes_elsewhere(self) -> bool:
        return True

    def encode(
        self, texts: list[str], pairs: list[str] | None, settings: EncodeSettings
    ) -> list[RawEncoding]:
        """The real object's encode (the window routes every encode to its encode process and
        never gets here)."""
        return self._real.encode(texts, pairs, settings)

    def with_added_tokens(self, tokens: list[str], special: bool) -> LoadedTokenizer:
        """The real object's copy (the window makes its copies with ``what_if_copy``)."""
        return self._real.with_added_tokens(tokens, special)

    @property
    def _real(self) -> LoadedTokenizer:
        with self._real_lock:
            return self._built_real

    @cached_property
    def _built_real(self) -> LoadedTokenizer:
        return self._build_real()

    @abstractmethod
    def _build_real(self) -> LoadedTokenizer:
        """The library object this one stands for, built here."""


class WhatIfCopy(HeldElsewhere):
    """What the window needs of a what-if copy, answered here exactly as the real copy would
    (tests/core/test_remote_copy.py compares them); encodes run in an encode process."""

    def __init__(
        self,
        base: TiktokenTokenizer,
        facts: TokenizerFacts,
        tokens: list[str],
        special: bool,
    ) -> None:
        super().__init__(facts)
        self._base = base
        self._tokens = list(tokens)
        self._special = special
        added = (*self.facts.special_tokens, *self.facts.added_tokens)
        self._added_by_id = {info.id: info for info in added}
        self._added_by_content = {info.content: info.id for info in added}

    # -- the vocabulary -------------------------------------------------------------------
    def id_to_token(self, token_id: int) -> str | None:
        info = self._added_by_id.get(token_id)
        return info.content if info is not None else self._base.id_to_token(token_id)

    def token_to_id(self, token: str) -> int | None:
        found = self._added_by_content.get(token)
        return found if found is not None else self._base.token_to_id(token)

    def vocab(self) -> dict[str, int]:
        vocab = self._base.vocab()
        vocab.update(self._added_by_content)
        return vocab

    def vocab_index(self) -> VocabIndex:
        return self._vocab_index

    @cached_property
    def _vocab_index(self) -> VocabIndex:
        return self._base.vocab_index().updated(self._added_by_content.items())

    def special_tokens_added(self, is_pair: bool) -> int:
        return self._base.special_tokens_added(is_pair)  # adding tokens keeps the template

    def _raw_token_bytes(self, token: str) -> bytes | None:
        return hf_token_bytes(self.facts, self._byte_decoder, token)

    def token_bytes(self, token_id: int) -> bytes | None:
        if token_id in self._added_by_id:
            return self._raw_token_bytes(self._added_by_id[token_id].content)
        return self._base.token_bytes(token_id)

    @property
    def _byte_decoder(self) -> dict[str, int]:
        return self._base._byte_decoder

    @cached_property
    def token_byte_lengths(self) -> np.ndarray:
        """The base's table (the model's ranks), with the added vocabulary's entries as the
        real copy computes them (from their content)."""
        base = self._base.token_byte_lengths
        size = max(self.facts.vocab_size, max(self._added_by_id, default=-1) + 1)
        lengths = np.full(size, -1, dtype=np.int64)
        kept = min(size, len(base))
        lengths[:kept] = base[:kept]
        for token_id, info in self._added_by_id.items():
            raw = self._raw_token_bytes(info.content)
            lengths[token_id] = -1 if raw is None else len(raw)
        return lengths

    # -- decoding -------------------------------------------------------------------------
    def decode(self, ids: list[int], skip_special_tokens: bool) -> str:
        return self.decode_array(np.asarray(ids, dtype=np.int64), skip_special_tokens)

    def decode_array(self, ids: np.ndarray, skip_special_tokens: bool) -> str:
        """tokenizers' rule: every token's bytes (an added token's through the byte alphabet,
        else its UTF-8; an unknown id none; a special one none when skipped) joined, then
        UTF-8 with U+FFFD. Ids of the base alone: the base's own (vectorized) decode."""
        wanted = np.asarray(ids, dtype=np.int64)
        added_at = np.flatnonzero(np.isin(wanted, self._new_ids))
        if not len(added_at):
            return self._base.decode_array(wanted, skip_special_tokens)
        # The base's ids between two added ones go to its (vectorized) bytes a run at a time.
        pieces, start = [], 0
        for at in [*added_at.tolist(), len(wanted)]:
            if at > start:
                pieces.append(self._base.decoded_bytes(wanted[start:at], skip_special_tokens))
            if at < len(wanted):
                pieces.append(self._decoded_bytes(int(wanted[at]), skip_special_tokens))
            start = at + 1
        return b"".join(pieces).decode("utf-8", "replace")

    def _decoded_bytes(self, token_id: int, skip_special_tokens: bool) -> bytes:
        info = self._added_by_id.get(token_id)
        if info is None:
            return self._base.token_bytes(token_id) or b""
        if skip_special_tokens and info.special:
            return b""
        raw = self._raw_token_bytes(info.content)
        return info.content.encode("utf-8") if raw is None else raw

    @cached_property
    def _new_ids(self) -> np.ndarray:
        """The added vocabulary's ids the base does not have as they are here."""
        base = self._base.facts
        kept = {(t.id, t.content, t.special) for t in (*base.special_tokens, *base.added_tokens)}
        new = [i for i, t in self._added_by_id.items() if (i, t.content, t.special) not in kept]
        return np.array(sorted(new), dtype=np.int64)

    def _build_real(self) -> LoadedTokenizer:
        return self._base.with_added_tokens(self._tokens, self._special)


# -- tokenizers loaded in the encode process ----------------------------------------------


@dataclass(frozen=True)
class VocabularyTables:
    """What a window reads of a tokenizer's vocabulary, as its child's real object answers it:
    per id (up to ``size``) its token string and its bytes, each kind joined into one string
    (or bytes) with the ends of every entry, and ``vocab()`` as a ``VocabIndex``, so that
    unpickling is a few big copies and nothing here makes a Python object per token."""

    facts: TokenizerFacts
    strings: str
    string_ends: np.ndarray  # int64 per id; an id's string starts where the id before ends
    has_string: np.ndarray  # bool per id: id_to_token is not None
    token_bytes: bytes
    bytes_ends: np.ndarray
    has_bytes: np.ndarray
    byte_lengths: np.ndarray  # token_byte_lengths
    control_ids: np.ndarray
    vocab: VocabIndex
    lookup_changes: dict[str, int | None]  # token_to_id where it is not vocab's
    specials_added: tuple[int, int]  # special_tokens_added(False), (True)
    normalization_form: Form | None

    @property
    def size(self) -> int:
        return len(self.has_string)


def vocabulary_tables(tok: LoadedTokenizer) -> VocabularyTables:
    """In the child: the tables of ``tok`` (its own answers, one per id)."""
    vocab = tok.vocab()
    size = max(tok.facts.vocab_size, max(vocab.values(), default=-1) + 1)
    strings = [tok.id_to_token(i) for i in range(size)]
    raw = [tok.token_bytes(i) for i in range(size)]
    vocab_index = index_of_vocab(vocab)
    vocab_index.entry_of("")  # its hash table made here, and sent: token_to_id reads it
    lookup_changes = {s: tok.token_to_id(s) for s in vocab}
    lookup_changes = {s: i for s, i in lookup_changes.items() if i != vocab[s]}
    return VocabularyTables(
        facts=tok.facts,
        strings="".join(s or "" for s in strings),
        string_ends=np.cumsum([len(s or "") for s in strings], dtype=np.int64),
        has_string=np.array([s is not None for s in strings], dtype=bool),
        token_bytes=b"".join(r or b"" for r in raw),
        bytes_ends=np.cumsum([len(r or b"") for r in raw], dtype=np.int64),
        has_bytes=np.array([r is not None for r in raw], dtype=bool),
        byte_lengths=np.asarray(tok.token_byte_lengths),
        control_ids=np.asarray(tok.control_ids),
        vocab=vocab_index,
        lookup_changes=lookup_changes,
        specials_added=(tok.special_tokens_added(False), tok.special_tokens_added(True)),
        normalization_form=tok.normalization_form,
    )


def load_elsewhere(
    recipe: TokenizerRecipe,
    process: EncodeProcess,
    *,
    cancelled: Callable[[], bool] = lambda: False,
) -> RemoteTokenizer:
    """The tokenizer ``recipe`` loads, loaded in ``process`` (kept there for the encodes that
    follow) and held here by its tables. ChildCannotStart when no child comes up."""
    tokenizer = RemoteTokenizer(process.vocabulary(recipe, cancelled=cancelled), process)
    tokenizer.recipe = recipe
    return tokenizer


def load_elsewhere_or_none(
    recipe: TokenizerRecipe, process: EncodeProcess
) -> RemoteTokenizer | None:
    """``load_elsewhere``, or None when no child comes up (the caller loads here)."""
    try:
        return load_elsewhere(recipe, process)
    except ChildCannotStart:
        return None


class RemoteTokenizer(HeldElsewhere):
    """A tokenizer loaded in an encode process, answering here what its real object answers
    (tests/core/test_remote_tokenizer.py compares them over every id); decodes and encodes
    run in the process."""

    def __init__(self, tables: VocabularyTables, process: EncodeProcess) -> None:
        super().__init__(tables.facts)
        self._tables = tables
        self._process = process
        # Lists of ints (one C call each, for quick answers per id) but no Python string per
        # token: building 50k–200k of them and a dict held Python's lock beside the GUI thread.
        self._string_ends = tables.string_ends.tolist()
        self._has_string = tables.has_string.tolist()
        self._bytes_ends = tables.bytes_ends.tolist()
        self._has_bytes = tables.has_bytes.tolist()

    # -- the vocabulary -------------------------------------------------------------------
    def id_to_token(self, token_id: int) -> str | None:
        if not 0 <= token_id < len(self._has_string) or not self._has_string[token_id]:
            return None
        start = self._string_ends[token_id - 1] if token_id else 0
        return self._tables.strings[start : self._string_ends[token_id]]

    def token_to_id(self, token: str) -> int | None:
        changes = self._tables.lookup_changes
        return changes[token] if token in changes else self._tables.vocab.id_of(token)

    def vocab(self) -> dict[str, int]:
        return self._tables.vocab.to_dict()

    def vocab_index(self) -> VocabIndex:
        return self._tables.vocab

    def token_bytes(self, token_id: int) -> bytes | None:
        if not 0 <= token_id < len(self._has_bytes) or not self._has_bytes[token_id]:
            return None
        start = self._bytes_ends[token_id - 1] if token_id else 0
        return self._tables.token_bytes[start : self._bytes_ends[token_id]]

    def _raw_token_bytes(self, token: str) -> bytes | None:
        token_id = self._tables.vocab.id_of(token)
        return None if token_id is None else self.token_bytes(token_id)

    @cached_property
    def token_byte_lengths(self) -> np.ndarray:
        return self._tables.byte_lengths

    @cached_property
    def control_ids(self) -> np.ndarray:
        return self._tables.control_ids

    @property
    def normalization_form(self) -> Form | None:
        return self._tables.normalization_form

    def special_tokens_added(self, is_pair: bool) -> int:
        return self._tables.specials_added[is_pair]

    # -- what the child does ----------------------------------------------------------------
    def decode(self, ids: list[int], skip_special_tokens: bool) -> str:
        return self.decode_many([(ids, skip_special_tokens)])[0]

    def decode_many(self, requests: list[tuple[list[int], bool]]) -> list[str]:
        """The child's decodes, in one short request (the real object's where no child comes
        up). A caller on the GUI thread waits while the child finishes an encode under way."""
        try:
            return self._process.decode_many(self, requests)
        except ChildCannotStart:
            return self._real.decode_many(requests)

    def _build_real(self) -> LoadedTokenizer:
        from inspector.core.child_process import load_recipe

        assert self.recipe is not None
        return load_recipe(self.recipe)
