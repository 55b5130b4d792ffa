"""Encoding very long texts in a child process, so the GUI thread keeps the GIL.

tokenizers holds the GIL inside single calls on a long encoding (``Encoding.offsets`` takes
~0.8 s on 3M characters, ``decode`` more): a worker *thread* then freezes the window for that
long. A child process does the whole ``encode`` instead and hands the columns back through a
memory-mapped file (no pickling of big arrays, no copy on the way in); only the small parts
(stats, round-trip) are pickled.

The child is started on first use, keeps the tokenizers it loaded (by their recipe), and is
killed when a running job is cancelled — a Rust call cannot be interrupted any other way.
"""

from __future__ import annotations

import multiprocessing
import os
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass, fields, replace
from multiprocessing.connection import Connection
from typing import Any

import numpy as np

from inspector.core.encoding import EncodingResult, Stats, TokenColumns, encode
from inspector.core.errors import Cancelled, EncodeError, InspectorError
from inspector.core.roundtrip import RoundTrip
from inspector.core.settings import EncodeSettings
from inspector.core.tokenizer import LoadedTokenizer, TokenizerRecipe, TokenStrings

# Characters: from here a worker thread would hold the GIL long enough to be felt (~20 ms).
PROCESS_THRESHOLD = 200_000
_POLL_SECONDS = 0.02
_PIECE_CHARS = 1 << 18  # the text goes to the child in pieces of this many characters
# Shipped by name; word ids are read through the property (a fast path computes them late).
_ARRAY_FIELDS = tuple(
    "word_ids" if f.name == "word_ids_source" else f.name
    for f in fields(TokenColumns)
    if f.name != "tokens"
)


@dataclass(frozen=True)
class _Shipped:
    """What the child sends back: where the columns are, and the small parts pickled."""

    path: str
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


def can_use_process(tokenizer: LoadedTokenizer, text: str, pair: str | None) -> bool:
    """Worth a child process, and the child can load the same tokenizer."""
    return tokenizer.recipe is not None and len(text) + len(pair or "") >= PROCESS_THRESHOLD


class EncodeProcess:
    """One child process that encodes on request; safe to call from several threads (calls
    take turns)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._process: multiprocessing.process.BaseProcess | None = None
        self._conn: Connection | None = None

    def encode(
        self,
        tokenizer: LoadedTokenizer,
        text: str,
        settings: EncodeSettings,
        pair: str | None = None,
        *,
        cancelled: Callable[[], bool] = lambda: False,
    ) -> EncodingResult:
        """Same result as ``encoding.encode(tokenizer, text, settings, pair)``."""
        if tokenizer.recipe is None:
            raise ValueError("this tokenizer has no recipe to load it in another process")
        with self._lock:
            conn = self._start()
            pieces = range(0, len(text), _PIECE_CHARS)
            conn.send((tokenizer.recipe, settings, pair, len(pieces)))
            for start in pieces:  # short calls: the GUI thread gets Python's lock in between
                conn.send_bytes(text[start : start + _PIECE_CHARS].encode("utf-8", "surrogatepass"))
            while not conn.poll(_POLL_SECONDS):
                if cancelled():
                    self._stop()
                    raise Cancelled
                if self._process is None or not self._process.is_alive():
                    self._stop()
                    raise EncodeError(
                        "the encoding process stopped unexpectedly (out of memory?); "
                        "your text is kept"
                    )
            try:
                reply = conn.recv()
            except (EOFError, OSError):
                self._stop()
                raise EncodeError("the encoding process stopped unexpectedly") from None
        if isinstance(reply, BaseException):
            raise reply
        return _receive(reply, tokenizer, text, settings, pair)

    def close(self) -> None:
        with self._lock:
            self._stop()

    def _start(self) -> Connection:
        if self._conn is not None and self._process is not None and self._process.is_alive():
            return self._conn
        self._stop()
        # spawn: a fork of a process that runs Qt and tokenizers threads is not safe.
        context = multiprocessing.get_context("spawn")
        parent, child = context.Pipe()
        process = context.Process(
            target=_child_main, args=(child,), name="token-inspector-encode", daemon=True
        )
        process.start()
        child.close()
        self._process, self._conn = process, parent
        return parent

    def _stop(self) -> None:
        if self._process is not None:
            self._process.kill()
            self._process.join(5)
            self._process.close()
        if self._conn is not None:
            self._conn.close()
        self._process = self._conn = None


def _receive(
    shipped: _Shipped,
    tokenizer: LoadedTokenizer,
    text: str,
    settings: EncodeSettings,
    pair: str | None,
) -> EncodingResult:
    try:
        empty = os.path.getsize(shipped.path) == 0  # mmap refuses empty files
        mapped = np.zeros(0, np.uint8) if empty else np.memmap(shipped.path, np.uint8, mode="r")
    finally:
        os.unlink(shipped.path)  # the mapping stays valid; the file goes when it is dropped
    windows = []
    for layout in shipped.layout:
        arrays: dict[str, Any] = {
            name: np.frombuffer(mapped, np.dtype(dtype), int(np.prod(shape)), offset).reshape(
                shape
            )
            for name, dtype, shape, offset in layout
        }
        arrays["tokens"] = TokenStrings(arrays["ids"], tokenizer.id_to_token)
        arrays["word_ids_source"] = arrays.pop("word_ids")
        windows.append(TokenColumns(**arrays))
    return EncodingResult(
        tokenizer=tokenizer.facts,
        text=text,
        pair=pair,
        settings=settings,
        columns=windows[0],
        overflow=tuple(windows[1:]),
        stats=shipped.stats,
        roundtrip=_full(shipped.roundtrip, text),
        pair_roundtrip=_full(shipped.pair_roundtrip, pair),
        _source=tokenizer,
    )


# -- the child ---------------------------------------------------------------------------


def _child_main(conn: Connection) -> None:
    loaded: dict[TokenizerRecipe, LoadedTokenizer] = {}
    while True:
        try:
            recipe, settings, pair, pieces = conn.recv()
            data = b"".join(conn.recv_bytes() for _ in range(pieces))
        except (EOFError, OSError):
            return
        text = data.decode("utf-8", "surrogatepass")
        try:
            tokenizer = loaded.get(recipe)
            if tokenizer is None:
                tokenizer = loaded[recipe] = _load(recipe)
            reply: Any = _ship(encode(tokenizer, text, settings, pair))
        except InspectorError as err:
            reply = err
        except MemoryError:
            reply = EncodeError("not enough memory to encode this text")
        except Exception as err:  # a library failure becomes one plain line, as in a thread
            reply = EncodeError(f"{type(err).__name__}: {err}")
        conn.send(reply)


def _load(recipe: TokenizerRecipe) -> LoadedTokenizer:
    from inspector.core.catalog import Catalog

    tokenizer = Catalog().load(recipe.name, trust_remote_code=recipe.trust_remote_code)
    for tokens, special in recipe.added:
        tokenizer = tokenizer.with_added_tokens(list(tokens), special)
    return tokenizer


def _ship(result: EncodingResult) -> _Shipped:
    # /dev/shm keeps the columns in memory; elsewhere the temp dir does.
    folder = "/dev/shm" if os.access("/dev/shm", os.W_OK) else None
    handle, path = tempfile.mkstemp(prefix="token-inspector-", suffix=".columns", dir=folder)
    layout = []
    offset = 0
    with os.fdopen(handle, "wb") as out:
        for columns in (result.columns, *result.overflow):
            window = []
            for name in _ARRAY_FIELDS:
                array = np.ascontiguousarray(getattr(columns, name))
                # Keep every array aligned for its dtype inside the file.
                pad = -offset % 16
                out.write(b"\0" * pad)
                offset += pad
                window.append((name, array.dtype.str, array.shape, offset))
                array.tofile(out)
                offset += array.nbytes
            layout.append(tuple(window))
    return _Shipped(
        path,
        tuple(layout),
        result.stats,
        _slim(result.roundtrip, result.text),
        _slim(result.pair_roundtrip, result.pair),
    )


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
