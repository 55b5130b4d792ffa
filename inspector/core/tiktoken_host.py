"""tiktoken's encoding held in a child process, so a window never builds it.

Building a ``tiktoken.Encoding`` (Rust ``CoreBPE::new``) holds Python's lock for 0.1–0.5 s on
o200k's 200k ranks, and no thread can help: the Rust call never lets the lock go. The GUI
attaches a ``TiktokenHost`` to the tiktoken tokenizers of its catalog (``Catalog(encoding_host=
…)``): their plain encodes run here, in a child that loads each tokenizer by its recipe and
keeps its encoding (decodes are joined in the window's process from the ranks' bytes). The
text goes as UTF-8 bytes and the ids come back as raw bytes (never a pickle of the ranks or
of the ids); waiting on the pipe releases the lock.

The CLI, corpus workers and the core's own tests have no host: they encode in-process.
"""

from __future__ import annotations

from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import TYPE_CHECKING, Any

import numpy as np

from inspector.core.child_process import (
    STOPPED,
    ChildProcess,
    ChildService,
    load_recipe,
    piece_count,
    receive_text,
    send_text,
)
from inspector.core.errors import Cancelled, EncodeError, InspectorError
from inspector.core.tiktoken_fast import HostCannotLoad, TiktokenTokenizer, native_ids
from inspector.core.tokenizer import TokenizerRecipe

if TYPE_CHECKING:
    import tiktoken

_OK, _NOT_SAME, _FAILED = "ok", "not-same", "failed"


class TiktokenHost(ChildService):
    """One child process holding tiktoken encodings; started on first use and again after it
    died; safe to call from several threads (calls take turns)."""

    def __init__(self) -> None:
        self._child = ChildProcess(_child_main, "token-inspector-tiktoken")
        self._answered = False  # a child has answered once: a later death is an error
        self._unusable = ""  # why no child can run here (tokenizers then encode locally)

    def warm(
        self,
        recipe: TokenizerRecipe,
        fingerprint: str,
        *,
        cancelled: Callable[[], bool] = lambda: False,
    ) -> None:
        """Load the tokenizer's encoding in the child (if it is not there yet) and wait."""
        self._ask(("warm", recipe, fingerprint), cancelled=cancelled)

    def encode_to_numpy(
        self,
        recipe: TokenizerRecipe,
        fingerprint: str,
        text: str,
        split_special: bool,
        *,
        cancelled: Callable[[], bool] = lambda: False,
    ) -> np.ndarray:
        """tiktoken's ids (uint32) of ``text``, special-token strings parsed unless
        ``split_special``: as ``tiktoken_fast.native_ids`` gives them in-process."""
        data = self._ask(
            ("encode", recipe, fingerprint, split_special, piece_count(text)),
            text=text,
            cancelled=cancelled,
        )
        return np.frombuffer(data, dtype=np.uint32)

    def _stopped(self) -> Exception:
        """The child is gone: an error, unless no child ever answered here (its interpreter
        cannot run: a sandbox, a broken install), when this process encodes instead; Cancelled
        once the host is shut down (the window quits)."""
        if self._child.shut:
            return Cancelled()
        if self._answered:
            return EncodeError(STOPPED)
        self._unusable = "the encoding process stopped before its first answer"
        return HostCannotLoad(self._unusable)

    def _ask(
        self,
        request: tuple[Any, ...],
        *,
        text: str | None = None,
        cancelled: Callable[[], bool] = lambda: False,
    ) -> bytes:
        child = self._child
        with child.lock:
            if self._unusable:
                raise HostCannotLoad(self._unusable)
            try:
                conn = child.connection(cancelled)
            except OSError as err:  # no child process here (a sandbox, no fork/exec, a child
                # that did not come up): stay local
                self._unusable = f"no encoding process could be started: {err}"
                raise HostCannotLoad(self._unusable) from None
            try:
                conn.send(request)
                if text is not None:
                    send_text(conn, text)
            except (BrokenPipeError, EOFError, OSError):  # it died before it read them all
                child.stop()
                raise self._stopped() from None
            try:
                status, detail = child.receive(cancelled)
            except EncodeError:
                raise self._stopped() from None
            self._answered = True
            data = child.receive_bytes() if status == _OK else b""
        if status == _NOT_SAME:
            raise HostCannotLoad(detail)
        if status == _FAILED:
            raise detail
        return data


# -- the child ---------------------------------------------------------------------------


def _child_main(conn: Connection) -> None:
    # recipe → (the fingerprint of the files it was loaded from, its encoding)
    encodings: dict[TokenizerRecipe, tuple[str, tiktoken.Encoding]] = {}
    while True:
        try:
            request = conn.recv()
            kind, recipe, fingerprint = request[:3]
            text = receive_text(conn, request[4]) if kind == "encode" else ""
        except (EOFError, OSError):
            return
        data = b""
        try:
            loaded, encoding = encodings.get(recipe, ("", None))
            if encoding is None or loaded != fingerprint:  # new, or its files changed since
                encodings.pop(recipe, None)
                encoding = _encoding_of(recipe, fingerprint)
                encodings[recipe] = (fingerprint, encoding)
            if kind == "encode":
                data = native_ids(encoding, text, request[3]).tobytes()
            reply: tuple[str, Any] = (_OK, None)
        except HostCannotLoad as err:
            reply = (_NOT_SAME, str(err))
        except InspectorError as err:
            reply = (_FAILED, err)
        except MemoryError:
            reply = (_FAILED, EncodeError("not enough memory to encode this text"))
        except Exception as err:  # a library failure becomes one plain line, as in a thread
            reply = (_FAILED, EncodeError(f"{type(err).__name__}: {err}"))
        conn.send(reply)
        if reply[0] == _OK:
            conn.send_bytes(data)


def _encoding_of(recipe: TokenizerRecipe, fingerprint: str) -> tiktoken.Encoding:
    """The recipe's tiktoken encoding, if it loads here as the same tiktoken tokenizer."""
    try:
        tokenizer = load_recipe(recipe)
    except Exception as err:  # the parent loaded it: it encodes there instead
        raise HostCannotLoad(f"{type(err).__name__}: {err}") from None
    if not isinstance(tokenizer, TiktokenTokenizer):
        raise HostCannotLoad(f"{recipe.name} is not a tiktoken tokenizer here")
    if tokenizer.facts.fingerprint != fingerprint:
        raise HostCannotLoad(f"{recipe.name} has other files here (changed since it was loaded?)")
    return tokenizer.encoding
