"""Encoding very long texts in a child process, so the GUI thread keeps the GIL.

tokenizers holds the GIL inside single calls on a long encoding (``Encoding.offsets`` takes
~0.8 s on 3M characters, ``decode`` more): a worker *thread* then freezes the window for that
long. A child process does the whole ``encode`` instead and hands the columns back through a
memory-mapped file (no pickling of big arrays, no copy on the way in); only the small parts
(stats, round-trip) are pickled. A tiktoken tokenizer whose settings need its converted
``tokenizers.Tokenizer`` (pairs, truncation, padding…) goes there too while the window has not
built the conversion: building it holds the GIL for most of a second (``converts_here``).
The same child makes a tiktoken tokenizer's "what if" copy (``copy_facts``: the window keeps a
light ``remote_copy.WhatIfCopy`` whose encodes all come here) and runs a chat template on it
(``chat_parts``): both need the conversion. A window's other tokenizers are loaded here
too (``vocabulary``: the window keeps a light ``remote_copy.RemoteTokenizer``, which decodes
here with ``decode``): loading one in the window holds its lock in Rust/C calls.

The child is started on first use, keeps the tokenizers it loaded (by their recipe), and is
killed when a running job is cancelled — a Rust call cannot be interrupted any other way.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, fields, replace
from multiprocessing.connection import Connection
from typing import TYPE_CHECKING, Any

import numpy as np

from inspector.core.batch import BatchResult, batch_inputs
from inspector.core.child_process import (
    ChildCannotStart,
    ChildProcess,
    ChildService,
    load_recipe,
    piece_count,
    receive_text,
    send_text,
)
from inspector.core.encoding import EncodingResult, Stats, TokenColumns, encode, encode_batch
from inspector.core.errors import EncodeError, InspectorError
from inspector.core.roundtrip import RoundTrip
from inspector.core.settings import EncodeSettings
from inspector.core.tiktoken_fast import TiktokenTokenizer
from inspector.core.tokenizer import (
    LoadedTokenizer,
    TokenizerFacts,
    TokenizerRecipe,
    TokenStrings,
)

if TYPE_CHECKING:
    from inspector.core.chat import Conversation, JinjaParts
    from inspector.core.chat_templates import TemplateSource
    from inspector.core.remote_copy import VocabularyTables

# Characters: from here a worker thread would hold the GIL long enough to be felt (~20 ms).
PROCESS_THRESHOLD = 200_000
_TOKEN_TEXT, _TOKEN_ENDS = "token_text", "token_ends"  # the library's own token strings
# Shipped by name; word ids are read through the property (a fast path computes them late).
_ARRAY_FIELDS = tuple(
    "word_ids" if f.name == "word_ids_source" else f.name
    for f in fields(TokenColumns)
    if f.name != "tokens"
)


@dataclass(frozen=True)
class _Shipped:
    """What the child sends back: where the columns are (one file), and per result (one, or
    one per text of a batch) the small parts pickled."""

    path: str
    results: tuple[_ShippedResult, ...]
    token_types: bool  # a batch's BatchResult.token_types


@dataclass(frozen=True)
class _ShippedResult:
    layout: tuple[tuple[tuple[str, str, tuple[int, ...], int], ...], ...]  # per window
    stats: Stats
    roundtrip: _SlimTrip | None
    pair_roundtrip: _SlimTrip | None


@dataclass(frozen=True)
class _SlimTrip:
    """A RoundTrip whose decoded strings are left out when the parent has them already:
    unpickling 5 MB of decoded text would hold the parent's GIL for ~10 ms."""

    trip: RoundTrip  # with empty decoded strings
    decoded: str | None  # None: equal to the text
    decoded_with_special: str | None  # None: equal to decoded


def can_use_process(
    tokenizer: LoadedTokenizer,
    text: str,
    pair: str | None,
    settings: EncodeSettings | None = None,
) -> bool:
    """Worth a child process, and the child can load the same tokenizer: a long text (a thread
    would hold Python's lock), or a tiktoken tokenizer whose conversion this process has not
    built and these settings need (building it holds the lock for most of a second)."""
    if tokenizer.recipe is None:
        return False
    if len(text) + len(pair or "") >= PROCESS_THRESHOLD:
        return True
    return settings is not None and converts_here(tokenizer, text, pair, settings)


def converts_here(
    tokenizer: LoadedTokenizer, text: str, pair: str | None, settings: EncodeSettings
) -> bool:
    """Encoding this in-process would build a tiktoken tokenizer's conversion (pairs,
    truncation, padding… need it), and a child can load the tokenizer instead."""
    if tokenizer.recipe is None:
        return False
    if tokenizer.encodes_elsewhere:
        return True
    return isinstance(tokenizer, TiktokenTokenizer) and tokenizer.would_convert(
        text, pair, settings
    )


class EncodeProcess(ChildService):
    """One child process that encodes on request; safe to call from several threads (calls
    take turns)."""

    def __init__(self) -> None:
        self._child = ChildProcess(_child_main, "token-inspector-encode")

    def encode(
        self,
        tokenizer: LoadedTokenizer,
        text: str,
        settings: EncodeSettings,
        pair: str | None = None,
        *,
        cancelled: Callable[[], bool] = lambda: False,
        with_roundtrip: bool = True,
    ) -> EncodingResult:
        """Same result as ``encoding.encode(tokenizer, text, settings, pair, with_roundtrip)``
        (made in this process where no child comes up)."""
        try:
            shipped = self._ask(tokenizer, text, settings, pair, False, cancelled, with_roundtrip)
        except ChildCannotStart:
            return encode(
                tokenizer, text, settings, pair, cancelled=cancelled, with_roundtrip=with_roundtrip
            )
        return _receive(shipped, tokenizer, [(text, pair)], settings)[0]

    def encode_batch(
        self,
        tokenizer: LoadedTokenizer,
        text: str,
        pair: str,
        settings: EncodeSettings,
        *,
        cancelled: Callable[[], bool] = lambda: False,
    ) -> BatchResult:
        """Batch mode, one text per line of ``text`` (and of ``pair``, when it has lines):
        the same result as ``encode_batch`` of ``batch_inputs(text, pair)``."""
        texts, pairs = batch_inputs(text, pair)
        try:
            shipped = self._ask(tokenizer, text, settings, pair, True, cancelled, True)
        except ChildCannotStart:
            return encode_batch(tokenizer, texts, settings, pairs=pairs)
        inputs = list(zip(texts, pairs or [None] * len(texts), strict=True))
        return BatchResult(_receive(shipped, tokenizer, inputs, settings), shipped.token_types)

    def _ask(
        self,
        tokenizer: LoadedTokenizer,
        text: str,
        settings: EncodeSettings,
        pair: str | None,
        batch: bool,
        cancelled: Callable[[], bool],
        with_roundtrip: bool,
    ) -> _Shipped:
        request = (settings, pair, piece_count(text), batch, with_roundtrip)
        return self._request(_ENCODE, tokenizer.recipe, request, text, cancelled)

    def copy_facts(
        self, recipe: TokenizerRecipe, *, cancelled: Callable[[], bool] = lambda: False
    ) -> TokenizerFacts:
        """The facts of the tokenizer ``recipe`` loads (a "what if" copy: the child builds it,
        keeps it for the encodes that follow, and sends back only what it is)."""
        return self._request(_FACTS, recipe, None, "", cancelled)

    def vocabulary(
        self, recipe: TokenizerRecipe, *, cancelled: Callable[[], bool] = lambda: False
    ) -> VocabularyTables:
        """The tables of the tokenizer ``recipe`` loads (the child loads it and keeps it for
        the encodes that follow)."""
        return self._request(_TABLES, recipe, None, "", cancelled)

    def decode_many(
        self, tokenizer: LoadedTokenizer, requests: list[tuple[list[int], bool]]
    ) -> list[str]:
        """``tokenizer.decode`` of each (ids, skip_special_tokens) in the child (the same
        tokenizer, loaded by its recipe), in one request."""
        request = [(np.asarray(ids, dtype=np.int64), skip) for ids, skip in requests]
        return self._request(_DECODE, tokenizer.recipe, request, "", lambda: False)

    def load_elsewhere(self, recipe: TokenizerRecipe) -> LoadedTokenizer | None:
        """``recipe`` loaded in the child and held here by its tables (the catalog's hook;
        remote_copy.RemoteTokenizer), or None when no child comes up: the caller loads it."""
        from inspector.core.remote_copy import load_elsewhere_or_none

        return load_elsewhere_or_none(recipe, self)

    def chat_parts(
        self,
        tokenizer: LoadedTokenizer,
        conversation: Conversation,
        source: TemplateSource,
        generation: bool,
    ) -> JinjaParts:
        """``chat.jinja_parts`` of the same tokenizer, run in the child (its errors as they
        are). Not cancelled: the child's copy of the template is worth keeping."""
        request = (conversation, source, generation)
        return self._request(_CHAT, tokenizer.recipe, request, "", lambda: False)

    def _request(
        self,
        kind: str,
        recipe: TokenizerRecipe | None,
        request: Any,
        text: str,
        cancelled: Callable[[], bool],
    ) -> Any:
        if recipe is None:
            raise ValueError("this tokenizer has no recipe to load it in another process")
        child = self._child
        with child.lock:
            conn = child.connection(cancelled)
            conn.send((kind, recipe, request))
            send_text(conn, text)
            reply = child.receive(cancelled)
        if isinstance(reply, BaseException):
            raise reply
        return reply


def _receive(
    shipped: _Shipped,
    tokenizer: LoadedTokenizer,
    inputs: list[tuple[str, str | None]],
    settings: EncodeSettings,
) -> tuple[EncodingResult, ...]:
    """One result per (text, pair) of ``inputs``, their columns mapped from the one file."""
    try:
        empty = os.path.getsize(shipped.path) == 0  # mmap refuses empty files
        mapped = np.zeros(0, np.uint8) if empty else np.memmap(shipped.path, np.uint8, mode="r")
    finally:
        os.unlink(shipped.path)  # the mapping stays valid; the file goes when it is dropped
    results = []
    for item, (text, pair) in zip(shipped.results, inputs, strict=True):
        windows = []
        for layout in item.layout:
            arrays: dict[str, Any] = {
                name: np.frombuffer(mapped, np.dtype(dtype), int(np.prod(shape)), offset).reshape(
                    shape
                )
                for name, dtype, shape, offset in layout
            }
            arrays["tokens"] = _tokens(arrays, tokenizer)
            arrays["word_ids_source"] = arrays.pop("word_ids")
            windows.append(TokenColumns(**arrays))
        results.append(
            EncodingResult(
                tokenizer=tokenizer.facts,
                text=text,
                pair=pair,
                settings=settings,
                columns=windows[0],
                overflow=tuple(windows[1:]),
                stats=item.stats,
                roundtrip=_full(item.roundtrip, text),
                pair_roundtrip=_full(item.pair_roundtrip, pair),
                _source=tokenizer,
            )
        )
    return tuple(results)


# -- the child ---------------------------------------------------------------------------


# What the child is asked.
_ENCODE, _FACTS, _CHAT, _TABLES, _DECODE = "encode", "facts", "chat", "tables", "decode"


def _child_main(conn: Connection) -> None:
    loaded: dict[TokenizerRecipe, LoadedTokenizer] = {}
    while True:
        try:
            kind, recipe, request = conn.recv()
            text = receive_text(conn, request[2]) if kind == _ENCODE else ""
        except (EOFError, OSError):
            return
        try:
            tokenizer = loaded.get(recipe)
            if tokenizer is None:
                tokenizer = loaded[recipe] = _load(recipe, loaded)
            reply: Any = _answer(tokenizer, kind, request, text)
        except InspectorError as err:
            reply = err
        except MemoryError:
            reply = EncodeError("not enough memory to encode this text")
        except Exception as err:  # a library failure becomes one plain line, as in a thread
            reply = EncodeError(f"{type(err).__name__}: {err}")
        conn.send(reply)


def _load(
    recipe: TokenizerRecipe, loaded: dict[TokenizerRecipe, LoadedTokenizer]
) -> LoadedTokenizer:
    """A what-if copy on top of the tokenizer it copies, when that is loaded already (as
    ``load_recipe`` would make it, without loading the base again)."""
    base = replace(recipe, added=recipe.added[:-1])
    if recipe.added and base in loaded:
        tokens, special = recipe.added[-1]
        return loaded[base].with_added_tokens(list(tokens), special)
    return load_recipe(recipe)


def _answer(tokenizer: LoadedTokenizer, kind: str, request: Any, text: str) -> Any:
    if kind == _FACTS:
        return tokenizer.facts
    if kind == _TABLES:
        from inspector.core.remote_copy import vocabulary_tables

        return vocabulary_tables(tokenizer)
    if kind == _DECODE:
        return [tokenizer.decode_array(ids, skip) for ids, skip in request]
    if kind == _CHAT:
        from inspector.core.chat import jinja_parts

        conversation, source, generation = request
        return jinja_parts(tokenizer, conversation, source, generation)
    settings, pair, _pieces, batch, with_roundtrip = request
    if batch:
        texts, pairs = batch_inputs(text, pair or "")
        many = encode_batch(tokenizer, texts, settings, pairs=pairs)
        return _ship(many.results, many.token_types)
    return _ship((encode(tokenizer, text, settings, pair, with_roundtrip=with_roundtrip),), False)


def _ship(results: tuple[EncodingResult, ...], token_types: bool) -> _Shipped:
    # /dev/shm keeps the columns in memory; elsewhere the temp dir does.
    folder = "/dev/shm" if os.access("/dev/shm", os.W_OK) else None
    handle, path = tempfile.mkstemp(prefix="token-inspector-", suffix=".columns", dir=folder)
    shipped = []
    offset = 0
    with os.fdopen(handle, "wb") as out:
        for result in results:
            layout = []
            for columns in (result.columns, *result.overflow):
                window = []
                for name, value in _shipped_arrays(columns):
                    array = np.ascontiguousarray(value)
                    # Keep every array aligned for its dtype inside the file.
                    pad = -offset % 16
                    out.write(b"\0" * pad)
                    offset += pad
                    window.append((name, array.dtype.str, array.shape, offset))
                    array.tofile(out)
                    offset += array.nbytes
                layout.append(tuple(window))
            shipped.append(
                _ShippedResult(
                    tuple(layout),
                    result.stats,
                    _slim(result.roundtrip, result.text),
                    _slim(result.pair_roundtrip, result.pair),
                )
            )
    return _Shipped(path, tuple(shipped), token_types)


def _shipped_arrays(columns: TokenColumns) -> Iterator[tuple[str, np.ndarray]]:
    """The columns' arrays; and their token strings where the library named them (Unigram
    names an unknown piece by its text), as one UTF-8 array and the strings' ends."""
    for name in _ARRAY_FIELDS:
        yield name, getattr(columns, name)
    tokens = columns.tokens
    if not isinstance(tokens, TokenStrings):
        text = "".join(tokens).encode("utf-8", "surrogatepass")
        yield _TOKEN_TEXT, np.frombuffer(text, np.uint8)
        yield _TOKEN_ENDS, np.cumsum([len(t) for t in tokens], dtype=np.int64)


def _tokens(arrays: dict[str, Any], tokenizer: LoadedTokenizer) -> Sequence[str]:
    """The token strings ``_shipped_arrays`` sent, else looked up when read."""
    if _TOKEN_TEXT not in arrays:
        return TokenStrings(arrays["ids"], tokenizer.id_to_token)
    text = arrays.pop(_TOKEN_TEXT).tobytes().decode("utf-8", "surrogatepass")
    ends = arrays.pop(_TOKEN_ENDS).tolist()
    return tuple(text[start:end] for start, end in zip([0, *ends], ends, strict=False))


def _slim(trip: RoundTrip | None, text: str | None) -> _SlimTrip | None:
    if trip is None:
        return None
    decoded = None if trip.decoded == text else trip.decoded
    with_special = None if trip.decoded_with_special == trip.decoded else trip.decoded_with_special
    return _SlimTrip(replace(trip, decoded="", decoded_with_special=""), decoded, with_special)


def _full(slim: _SlimTrip | None, text: str | None) -> RoundTrip | None:
    if slim is None:
        return None
    decoded = text or "" if slim.decoded is None else slim.decoded
    with_special = decoded if slim.decoded_with_special is None else slim.decoded_with_special
    return replace(slim.trip, decoded=decoded, decoded_with_special=with_special)
