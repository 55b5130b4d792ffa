"""A tiktoken tokenizer's "what if" copy made in the encode process, held here without its
``tokenizers`` conversion.

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
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from functools import cached_property
from typing import TYPE_CHECKING

import numpy as np

from inspector.core.child_process import ChildCannotStart
from inspector.core.settings import EncodeSettings
from inspector.core.tiktoken_fast import TiktokenTokenizer
from inspector.core.tokenizer import (
    LoadedTokenizer,
    RawEncoding,
    TokenizerFacts,
    hf_token_bytes,
)

if TYPE_CHECKING:
    from inspector.core.encode_process import EncodeProcess


def makes_copy_elsewhere(base: LoadedTokenizer) -> bool:
    """A what-if copy of ``base`` would build its tokenizers conversion here (tiktoken), and a
    child can load it from its recipe instead."""
    return isinstance(base, TiktokenTokenizer) and base.recipe is not None


def what_if_copy(
    base: TiktokenTokenizer,
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
    try:
        facts = process.copy_facts(recipe, cancelled=cancelled)
    except ChildCannotStart:  # no child comes up: the real copy, made here
        return base.with_added_tokens(tokens, special)
    copy = WhatIfCopy(base, facts, tokens, special)
    copy.recipe = recipe
    return copy


class WhatIfCopy(LoadedTokenizer):
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
        self._real_lock = threading.Lock()
        added = (*self.facts.special_tokens, *self.facts.added_tokens)
        self._added_by_id = {info.id: info for info in added}
        self._added_by_content = {info.content: info.id for info in added}

    @property
    def encodes_elsewhere(self) -> bool:
        return True

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

    # -- what only the real copy can do ------------------------------------------------------
    def encode(
        self, texts: list[str], pairs: list[str] | None, settings: EncodeSettings
    ) -> list[RawEncoding]:
        """The real copy's encode: the window routes every encode to its encode process and
        never gets here; the core API given this object builds the real copy once (a worker
        thread only: it holds Python's lock for most of a second)."""
        return self._real.encode(texts, pairs, settings)

    def with_added_tokens(self, tokens: list[str], special: bool) -> LoadedTokenizer:
        """More tokens on top: the real copy's (the window adds to the base tokenizer)."""
        return self._real.with_added_tokens(tokens, special)

    @property
    def _real(self) -> LoadedTokenizer:
        with self._real_lock:
            return self._built_real

    @cached_property
    def _built_real(self) -> LoadedTokenizer:
        return self._base.with_added_tokens(self._tokens, self._special)
