"""The exact text of a text pane, and reading a long one without freezing the window.

``QTextDocument.toPlainText()`` is lossy: it turns no-break spaces into spaces and U+2028 into
newlines, so the tokenizer would see another text than the user's. ``toRawText()`` keeps
every character; only the block separator U+2029 stands for a newline (a U+2029 typed by the
user is a paragraph break for Qt too, so it reads back as a newline).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from PySide6.QtCore import QElapsedTimer, QObject, QTimer, Signal, Slot
from PySide6.QtGui import QTextBlock, QTextDocument

BLOCK_SEPARATOR = "\u2029"
SLICE_MS = 4  # reading time per turn of the event loop: input and paint stay fluid


def bad_bytes(data: bytes, encoding: str) -> tuple[int, int]:
    """(how many bytes of ``data`` are not valid ``encoding``, offset of the first; -1: none).

    ``errors="replace"`` puts one U+FFFD per bad sequence, so the count of U+FFFD is not the
    count of bytes lost: what survives ``errors="ignore"`` and encodes back is the rest.
    """
    try:
        data.decode(encoding)
    except UnicodeDecodeError as err:
        kept = len(data.decode(encoding, "ignore").encode(encoding))
        return len(data) - kept, err.start
    return 0, -1


# What a QTextDocument makes of a text set or pasted into it: CR LF, CR, U+2029 and Qt's two
# frame marks each start a new block (read back as LF); a lone surrogate does not survive
# the trip into a QString.
_EDITOR_BREAK = re.compile("\r\n?|[\u2029\ufdd0\ufdd1]")
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


# Characters a call on a long text: on a worker the lock changes hands between calls (each
# whole-text scan of 5 MB held it 5-20 ms).
EDITOR_SLICE = 1_000_000


def editor_text(text: str) -> str:
    """The text an editor pane would hold (and ``exact_text`` read back) after
    ``setPlainText(text)`` or a paste of it: a pane that shows a text without the editor
    gives the tokenizer the same text as the editor would. ``text`` itself if unchanged."""
    pieces = [text] if len(text) <= EDITOR_SLICE else list(text_slices(text))
    changed = False
    if any(mark in piece for piece in pieces for mark in "\r\u2029\ufdd0\ufdd1"):  # fast scans
        pieces = [_EDITOR_BREAK.sub("\n", piece) for piece in pieces]
        changed = True
    if not text.isascii():
        try:  # ~2 ms a million characters; a regex scan takes 2–6
            for piece in pieces:
                piece.encode("utf-8")
        except UnicodeEncodeError:
            pieces = [_LONE_SURROGATE.sub("", piece) for piece in pieces]
            changed = True
    if not changed:
        return text
    return pieces[0] if len(pieces) == 1 else "".join(pieces)


def exact_text(document: QTextDocument) -> str:
    return document.toRawText().replace(BLOCK_SEPARATOR, "\n")


def text_slices(text: str) -> Iterator[str]:
    """``text`` in slices of about ``EDITOR_SLICE`` characters, each worked on by its own call
    (``editor_text``; a writer's UTF-8 encode: one of 5 MB on the autosave's worker held
    Python's lock 10-30 ms). Never cut after a CR: a CR LF stays whole."""
    start = 0
    while start < len(text):
        stop = min(len(text), start + EDITOR_SLICE)
        while stop < len(text) and text[stop - 1] == "\r":
            stop += 1
        yield text[start:stop]
        start = stop


def text_pieces(lines: list[str], lines_per_piece: int = 2000) -> Iterator[str]:
    """``"\n".join(lines)`` in pieces: each a short call, so another thread (the GUI) gets
    Python's lock between them; joining 5 MB at once holds it for 7–18 ms."""
    last = len(lines) - 1
    for start in range(0, len(lines), lines_per_piece):
        stop = start + lines_per_piece
        yield "\n".join(lines[start:stop]) + ("\n" if stop <= last else "")


def longest_line(text: str | list[str]) -> int:
    """Characters in the longest line of a text (or of a document read as its lines)."""
    if isinstance(text, str):
        if len(text) <= 1 or "\n" not in text:
            return len(text)
        text = text.split("\n")
    return max(map(len, text), default=0)


def joined(text: str | list[str]) -> str:
    """The text of a document read as lines (or a text as it is)."""
    return text if isinstance(text, str) else "".join(text_pieces(text))


class DocumentReader(QObject):
    """Reads a long document block by block over several turns of the event loop.

    Copying 5 MB out of a QTextDocument takes 20–40 ms in one call; slices of a few ms keep
    the window answering. A change to the document while reading starts over. ``finished``
    brings the list of lines (``"\n".join(lines)`` is the same as ``exact_text``).
    """

    # The text as its lines, to be joined with "\n" by whoever needs it, off the GUI thread:
    # joining 5 MB takes 7–18 ms, and a str signal would copy it through QString twice more.
    finished = Signal(object)
    sliced = Signal()  # one slice read, more to come (tests wait on it: part has been read)

    def __init__(self, document: QTextDocument, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._document = document
        self._timer = QTimer(self, interval=0)
        self._timer.timeout.connect(self._step)
        self._clock = QElapsedTimer()
        self._block: QTextBlock | None = None
        self._parts: list[str] = []
        document.contentsChanged.connect(self._on_changed)

    @property
    def reading(self) -> bool:
        return self._timer.isActive()

    def read(self) -> None:
        """Start (or restart) reading; ``finished`` comes with the whole text."""
        self._block = self._document.firstBlock()
        self._parts = []
        self._timer.start()

    def cancel(self) -> None:
        self._timer.stop()
        self._block, self._parts = None, []

    @Slot()
    def _on_changed(self) -> None:
        if self.reading:
            self.read()

    @Slot()
    def _step(self) -> None:
        block = self._block
        parts = self._parts
        self._clock.start()
        while block is not None and block.isValid():
            parts.append(block.text())
            block = block.next()
            if self._clock.elapsed() >= SLICE_MS:
                self._block = block
                self.sliced.emit()
                return
        self.cancel()
        self.finished.emit(parts)
