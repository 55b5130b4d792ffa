"""Where a decode differs from its text, found in time linear in the text.

A diff of two whole texts (difflib) is quadratic; here the tokens say where each part of the
decode came from. The tokens are cut into chunks at clean boundaries (a word start that is
also a character start, with no earlier token reaching past it), each chunk's text span is
compared with the decode at the position the chunks before it end, and only a chunk that
differs is decoded on its own and placed in the decode. Unequal chunks are refined with
smaller chunks until the regions that differ are small; characters are diffed only inside
those (see ``roundtrip._region_differences``).

Every region boundary pairs a text position with a decode position, both only ever moving
forward, and the last region ends at the ends of both: whatever the decoder does at a chunk's
edge (a stripped leading space, a ``##`` prefix), the regions always cover both strings
exactly, so the differences found in them always turn the text into the decode.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

# A region is (text_start, text_end, decoded_start, decoded_end).
Region = tuple[int, int, int, int]

WHOLE_TEXT_DIFF = 2_000  # text + decode at most this long: one region, diffed as a whole
TOP_CHUNK = 512  # tokens per chunk at the first level
SHRINK = 8  # each refinement cuts chunks this many times smaller
SMALL_REGION = 64  # characters (text + decode): small enough to diff directly
_SLACK = 8  # characters a decoder may add or drop where a chunk starts (a space, "##")
_WIDE_SLACK = 64  # the same, where the chunk's own decode could not be found
_PROBE = 16  # characters of the next chunk's text used to find where it starts
# Unequal single tokens joined across unsure edges stop at this much text: a region stays
# small enough to diff (a decoder that leaves every edge unsure costs precision, not time).
_LONGEST_RUN = 256


@dataclass
class Aligner:
    """Finds the regions where ``decoded`` differs from ``text``.

    ``ids``/``starts``: the tokens that were decoded and where each starts in the text.
    ``clean``: a chunk may start at this token; ``preferred``: the clean tokens that also start
    a word (a decoder adds nothing odd in front of those). ``decode`` decodes a list of ids the
    way ``decoded`` was made; ``check`` is called with a text position before each piece of
    work (progress, and a cancellation that raises).
    """

    text: str
    decoded: str
    ids: np.ndarray
    starts: np.ndarray
    clean: np.ndarray
    preferred: np.ndarray
    decode: Callable[[list[int]], str]
    check: Callable[[int], None]
    regions: list[Region] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._clean_at = np.flatnonzero(self.clean)
        self._preferred_at = np.flatnonzero(self.preferred)

    def run(self) -> list[Region]:
        text, decoded = self.text, self.decoded
        if len(text) + len(decoded) <= WHOLE_TEXT_DIFF or len(self.ids) < 2:
            if text != decoded:
                self.regions.append((0, len(text), 0, len(decoded)))
            return self.regions
        self._walk(0, len(self.ids), 0, len(text), 0, len(decoded), TOP_CHUNK, top=True)
        return self.regions

    # -- the walk ---------------------------------------------------------------------------
    def _walk(
        self, a: int, b: int, t0: int, t1: int, d0: int, d1: int, size: int, top: bool = False
    ) -> None:
        """Tokens [a, b) came from text[t0:t1] and decoded to decoded[d0:d1]."""
        text, decoded = self.text, self.decoded
        if not top and text[t0:t1] == decoded[d0:d1]:
            return
        size = min(size, max(1, (b - a) // SHRINK))
        if size < 1 or b - a < 2 or (t1 - t0) + (d1 - d0) <= SMALL_REGION:
            self.regions.append((t0, t1, d0, d1))
            return
        cuts = self._cuts(a, b, t0, t1, size)
        if not len(cuts):
            self.regions.append((t0, t1, d0, d1))
            return
        token_at = [a, *cuts.tolist(), b]
        text_at = [t0, *self.starts[cuts].tolist(), t1]
        decoded_at = [d0]
        # A chunk edge is sure where the next chunk's text was found there in the decode; a
        # run of unequal chunks is refined as one only across edges that are not sure (and
        # only so far).
        run_from = -1  # first chunk of the current run of unequal chunks, -1: none
        sure = True  # the edge where chunk k starts
        last = len(token_at) - 2
        for k in range(last + 1):
            ta, tb, d = text_at[k], text_at[k + 1], decoded_at[k]
            if top:
                self.check(ta)
            if k == last:
                end, same = d1, text[ta:tb] == decoded[d:d1]
                found = True
            elif d + (tb - ta) <= d1 and decoded.startswith(text[ta:tb], d):
                end, same, found = d + tb - ta, True, True
            else:
                # Where the next chunk's text is found near where it would be if this one kept
                # its length (lowercasing, accents, a space more or less), no decode is needed.
                probe = text[tb : min(tb + _PROBE, t1)]
                end = self._find(probe, d + tb - ta, d, d1, _SLACK) if len(probe) >= 4 else -1
                found = end >= 0
                if not found:
                    end, found = self._end_of(
                        token_at[k], token_at[k + 1], d, d1, tb, text_at[k + 2]
                    )
                same = text[ta:tb] == decoded[d:end]
            decoded_at.append(end)
            too_long = size == 1 and ta - text_at[run_from] >= _LONGEST_RUN  # diffed as is
            if run_from >= 0 and (same or sure or too_long):
                self._refine(token_at, text_at, decoded_at, run_from, k, size)
                run_from = -1
            if not same and run_from < 0:
                run_from = k
            sure = found
        if run_from >= 0:
            self._refine(token_at, text_at, decoded_at, run_from, last + 1, size)

    def _refine(
        self,
        token_at: list[int],
        text_at: list[int],
        decoded_at: list[int],
        first: int,
        stop: int,
        size: int,
    ) -> None:
        """Adjacent unequal chunks [first, stop) are refined together: where one chunk's edge
        was placed a character off (a space the decoder put on the other side), the two
        together still compare as they should."""
        self._walk(
            token_at[first],
            token_at[stop],
            text_at[first],
            text_at[stop],
            decoded_at[first],
            decoded_at[stop],
            size // SHRINK,
        )

    # -- placing a chunk in the decode --------------------------------------------------------
    def _end_of(self, a: int, b: int, d: int, d1: int, tb: int, next_tb: int) -> tuple[int, bool]:
        """Where, in the decode, the chunk of tokens [a, b) that starts at ``d`` ends, and
        whether that is sure.

        Its own decode says about where; the text of the next chunk (``text[tb:next_tb]``),
        found just there, says exactly where (sure) when that chunk starts unchanged."""
        self.check(-1)
        piece = self.decode(self.ids[a:b].tolist())
        end = self._locate_end(piece, d, d1)
        guess = min(d + len(piece), d1) if end is None else end
        probe = self.text[tb : min(tb + _PROBE, next_tb)]
        if end is None:
            found = self._find(probe, guess, d, d1, _WIDE_SLACK)
        else:  # what the decoder adds between chunks comes after the piece, never inside it
            found = self._find(probe, guess, guess, d1, _SLACK)
            if found < 0 and b + 1 < len(self.starts):
                # The next token's own text alone: a decoder that puts spaces between all
                # tokens (BERT on Chinese) never gives back several tokens' text as it was.
                first = self.text[tb : min(int(self.starts[b + 1]), next_tb)]
                if 0 < len(first) < len(probe):
                    found = self._find(first, guess, guess, d1, _SLACK)
        return (guess, False) if found < 0 else (found, True)

    def _find(self, probe: str, guess: int, d: int, d1: int, slack: int) -> int:
        """The position nearest ``guess`` (within ``slack``, inside [d, d1]) where the decode
        goes on with ``probe``; -1 if none."""
        decoded = self.decoded
        if d <= guess <= d1 and decoded.startswith(probe, guess):
            return guess
        low, high = max(d, guess - slack), min(d1, guess + slack)
        if low > high or decoded.find(probe, low, high + len(probe)) < 0:
            return -1  # not in the window at all: one search in C instead of 2 × slack
        for step in range(1, slack + 1):
            if d <= guess + step <= d1 and decoded.startswith(probe, guess + step):
                return guess + step
            if d <= guess - step <= d1 and decoded.startswith(probe, guess - step):
                return guess - step
        return -1

    def _locate_end(self, piece: str, d: int, d1: int) -> int | None:
        decoded, size = self.decoded, len(piece)
        if d + size <= d1 and decoded.startswith(piece, d):
            return d + size
        at = decoded.find(piece, d, min(d1, d + size + _SLACK))
        if at >= 0:
            return at + size
        # A decoder that marks a chunk's first token (WordPiece "##", a leading "▁") when it
        # is decoded alone: the rest of the piece is where the chunk is.
        for skip in range(1, min(_SLACK, size)):
            if d + size - skip <= d1 and decoded.startswith(piece[skip:], d):
                return d + size - skip
        return None

    # -- where chunks may start ---------------------------------------------------------------
    def _cuts(self, a: int, b: int, t0: int, t1: int, size: int) -> np.ndarray:
        """Token indices in (a, b), about ``size`` apart, where chunks start: a word start
        within half a chunk of each target if there is one, else the next clean token."""
        targets = np.arange(a + size, b, size, dtype=np.int64)
        if not len(targets):
            return targets
        cuts = _first_at_or_after(self._clean_at, targets, b)
        preferred = _first_at_or_after(self._preferred_at, targets, b)
        near = (preferred >= 0) & (preferred < targets + max(size // 2, 1))
        cuts = np.unique(np.where(near, preferred, cuts))
        cuts = cuts[cuts > a]
        starts = self.starts[cuts]
        inside = (starts > t0) & (starts < t1)
        cuts, starts = cuts[inside], starts[inside]
        if len(cuts) > 1:  # chunks of no text: one cut per text position
            keep = np.concatenate([[True], np.diff(starts) > 0])
            cuts, starts = cuts[keep], starts[keep]
        # Never between a character and the combining marks after it (the text's own edge).
        text = self.text
        marks = [i for i, s in enumerate(starts.tolist()) if joins_previous(text[s])]
        return np.delete(cuts, marks) if marks else cuts


def joins_previous(char: str) -> bool:
    """Does this character belong with the one before it, as far as normalization goes?
    Combining marks (NFC composes them, accent stripping drops them) and the vowel and final
    jamo of a Hangul syllable (NFC composes L V T)."""
    return unicodedata.category(char)[0] == "M" or (
        "\u1160" <= char <= "\u11ff" or "\ud7b0" <= char <= "\ud7ff"
    )


def _first_at_or_after(sorted_at: np.ndarray, targets: np.ndarray, stop: int) -> np.ndarray:
    """Per target: the first value of ``sorted_at`` at or after it and before ``stop``, or -1."""
    index = np.searchsorted(sorted_at, targets)
    found = np.full(len(targets), -1, dtype=np.int64)
    ok = index < len(sorted_at)
    values = sorted_at[index[ok]]
    found[ok] = np.where(values < stop, values, -1)
    return found


def cut_masks(
    starts: np.ndarray, ends: np.ndarray, own_group: np.ndarray, word_ids: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """(clean, preferred) for tokens in decode order: see :class:`Aligner`.

    Clean: the token starts a character (its own group) and no token before it reaches past
    its start. Preferred: clean and the first token of a word (or of no word)."""
    n = len(starts)
    clean = own_group.copy()
    if n:
        reach = np.maximum.accumulate(ends)
        clean[1:] &= starts[1:] >= reach[:-1]
        clean[0] = False  # the first chunk always starts at the text's start
    word_start = np.ones(n, dtype=bool)
    if n > 1:
        word_start[1:] = (word_ids[1:] != word_ids[:-1]) | (word_ids[1:] < 0)
    return clean, clean & word_start
