"""A spawned child process that answers requests on a pipe, one at a time: what the encode
process (long texts, the tokenizers path) and the tiktoken host (tiktoken's native encode)
share.

Waiting on the pipe releases Python's lock, so a worker thread that waits on the child never
holds up the GUI thread; the text goes in pieces, each a short call (the GUI thread gets the
lock in between).
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import sys
import threading
import time
from collections.abc import Callable, Iterator
from multiprocessing.connection import Connection
from typing import Any

from inspector.core.background import avoid_huge_pages, lower_this_process
from inspector.core.errors import Cancelled, ChildCannotStart, EncodeError
from inspector.core.tokenizer import LoadedTokenizer, TokenizerRecipe

POLL_SECONDS = 0.02
PIECE_CHARS = 1 << 18  # the text goes to the child in pieces of this many characters
STOPPED = "the encoding process stopped unexpectedly (out of memory?); your text is kept"
HELLO = "hello"  # a child's first message: it is up and runs its target
HELLO_SECONDS = 30.0  # a child that has not said hello by then never will
NOT_STARTED = (
    "the {name} process did not start (a script that starts it runs again in it: put the"
    ' script\'s code under `if __name__ == "__main__":`); encoding in this process instead'
)
_SERVICE_NAMES: set[str] = set()  # the children's process names


class ChildProcess:
    """One child running ``target(conn)``, started on first use and again after it died.

    A caller holds ``lock`` for one request and its reply (calls from several threads take
    turns); ``kill`` may come from any thread without it: the caller waiting on the child
    then gets an EncodeError at its next poll.
    """

    def __init__(self, target: Callable[[Connection], None], name: str) -> None:
        self.lock = threading.Lock()
        self._target = target
        self._name = name
        self._process: multiprocessing.process.BaseProcess | None = None
        self._conn: Connection | None = None
        self._cannot_start = ""  # why no child comes up here (said once, then not tried)
        # The child ``kill`` stopped on purpose: its death is not a failed start.
        self._killed: multiprocessing.process.BaseProcess | None = None
        self._shut = False  # ``shut_down``: no child starts again (the window quits)
        _SERVICE_NAMES.add(name)

    @property
    def running(self) -> bool:
        process = self._process
        return process is not None and process.is_alive()

    @property
    def shut(self) -> bool:
        """``shut_down`` was called: no child starts again."""
        return self._shut

    @property
    def pid(self) -> int | None:
        process = self._process
        return None if process is None else process.pid

    def connection(self, cancelled: Callable[[], bool] = lambda: False) -> Connection:
        """The pipe to a live child (started now if there is none); call with ``lock`` held.
        ChildCannotStart when the child does not come up (and at every call after that)."""
        if self._conn is not None and self.running:
            return self._conn
        self.stop()
        if self._shut:
            raise Cancelled
        if self._cannot_start:
            raise ChildCannotStart(self._cannot_start)
        if multiprocessing.current_process().name in _SERVICE_NAMES:
            # This is such a child, and it runs the parent's script again while it starts
            # (spawn imports the main module; the script has no ``__main__`` guard): the
            # script must not go on here (it could wait forever). The parent encodes itself.
            os._exit(3)
        # spawn: a fork of a process that runs Qt and tokenizers threads is not safe.
        context = multiprocessing.get_context("spawn")
        parent, child = context.Pipe()
        process = context.Process(
            target=_serve, args=(self._target, child), name=self._name, daemon=True
        )
        process.start()
        child.close()
        self._process, self._conn = process, parent
        if not self._said_hello(parent, cancelled):
            killed = self._shut or self._killed is process
            process.join(timeout=0.5)  # one that just closed its pipe in dying: reaped
            signalled = (process.exitcode or 0) < 0
            self.stop()
            if killed:  # closed while it started (the window quits): not a failed start
                raise Cancelled
            if signalled:  # killed from outside while it started (a user, the OOM killer):
                raise self._gone()  # the next call starts another
            self._cannot_start = NOT_STARTED.format(name=self._name)
            print(f"token-inspector: warning: {self._cannot_start}", file=sys.stderr, flush=True)
            raise ChildCannotStart(self._cannot_start)
        return parent

    def _said_hello(self, conn: Connection, cancelled: Callable[[], bool]) -> bool:
        """The new child says hello before HELLO_SECONDS (False: it died or hangs first)."""
        deadline = time.monotonic() + HELLO_SECONDS
        while not conn.poll(POLL_SECONDS):
            if cancelled() or self._shut:
                self.stop()
                raise Cancelled
            if (not self.running and not _has_data(conn)) or time.monotonic() > deadline:
                return False
        try:
            return conn.recv() == HELLO and not self._shut
        except (EOFError, OSError):
            return False

    def wait(self, cancelled: Callable[[], bool] = lambda: False) -> Connection:
        """Until the child's reply is there (call with ``lock`` held). A cancelled caller kills
        the child (a Rust call cannot be stopped any other way): the next call starts one."""
        conn = self._conn
        while conn is not None and not conn.poll(POLL_SECONDS):
            if cancelled():
                self.stop()
                raise Cancelled
            if not self.running:
                break
        if conn is None or (not self.running and not _has_data(conn)):
            self.stop()
            raise self._gone()
        return conn

    def receive(self, cancelled: Callable[[], bool] = lambda: False) -> Any:
        conn = self.wait(cancelled)
        try:
            return conn.recv()
        except (EOFError, OSError):
            self.stop()
            raise self._gone() from None

    def receive_bytes(self) -> bytes:
        conn = self.wait()
        try:
            return conn.recv_bytes()
        except (EOFError, OSError):
            self.stop()
            raise self._gone() from None

    def _gone(self) -> Exception:
        """What a caller whose child went away gets: Cancelled once the service is shut down
        (the window quits: nothing to say, nothing to redo here), else an error to show."""
        return Cancelled() if self._shut else EncodeError(STOPPED)

    def kill(self) -> None:
        """Kill the child now, from any thread (a caller waiting on it returns)."""
        process = self._process
        if process is not None:
            self._killed = process
            with contextlib.suppress(ValueError):  # closed meanwhile by the lock's holder
                process.kill()

    def stop(self) -> None:
        """Kill the child and forget it; call with ``lock`` held."""
        process, conn = self._process, self._conn
        self._process = self._conn = self._killed = None
        if process is not None:
            process.kill()
            process.join(5)
            process.close()
        if conn is not None:
            conn.close()

    def close(self) -> None:
        self.kill()  # first: a caller waiting on the child lets the lock go at its next poll
        with self.lock:
            self.stop()

    def shut_down(self) -> None:
        """``close`` for good: a call after this (or one waiting for a child to start) raises
        Cancelled, and no child starts again."""
        self._shut = True
        self.close()


class ChildService:
    """A service whose work runs in one ``ChildProcess`` (``_child``): the encode process, the
    tiktoken host."""

    _child: ChildProcess

    @property
    def running(self) -> bool:
        """A child is started (and nothing has stopped it since)."""
        return self._child.running

    @property
    def pid(self) -> int | None:
        """The child's process id while one is started."""
        return self._child.pid

    def close(self) -> None:
        """Stop the child (a call waiting on it gets an EncodeError); a later call starts
        another."""
        self._child.close()

    def shut_down(self) -> None:
        """Stop the child for good (the window quits): a call waiting for it to start, and
        every call after this, raises Cancelled: never a warning, never a fallback here."""
        self._child.shut_down()


def _serve(target: Callable[[Connection], None], conn: Connection) -> None:
    """In the child: hello, then the service (below the window's priority, and without
    huge pages, as the window's own process)."""
    lower_this_process()
    avoid_huge_pages()
    conn.send(HELLO)
    target(conn)


def _has_data(conn: Connection) -> bool:
    try:
        return conn.poll(0)
    except (EOFError, OSError):
        return False


def send_text(conn: Connection, text: str) -> None:
    """The text as UTF-8 pieces (after a message that said ``piece_count(text)``)."""
    for piece in text_pieces(text):
        conn.send_bytes(piece)


def piece_count(text: str) -> int:
    return len(range(0, len(text), PIECE_CHARS))


def text_pieces(text: str) -> Iterator[bytes]:
    for start in range(0, len(text), PIECE_CHARS):  # short calls: the lock is free between
        yield text[start : start + PIECE_CHARS].encode("utf-8", "surrogatepass")


def receive_text(conn: Connection, pieces: int) -> str:
    """In the child: the text ``send_text`` sent."""
    return b"".join(conn.recv_bytes() for _ in range(pieces)).decode("utf-8", "surrogatepass")


def load_recipe(recipe: TokenizerRecipe) -> LoadedTokenizer:
    """In the child: the tokenizer the parent loaded, loaded the same way."""
    from inspector.core.catalog import Catalog

    tokenizer = Catalog().load(recipe.name, trust_remote_code=recipe.trust_remote_code)
    for tokens, special in recipe.added:
        tokenizer = tokenizer.with_added_tokens(list(tokens), special)
    return tokenizer
