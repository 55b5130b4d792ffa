"""Tokens' character spans sorted by start, for binary-search lookups (no per-token scan).

A mouse move over a text of millions of tokens asks which tokens cover a character or a
selection; scanning every token each time costs milliseconds, a binary search microseconds.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np


@dataclass(frozen=True)
class SpanIndex:
    """Some tokens' [start, end) character spans, sorted by (start, token index)."""

    order: np.ndarray  # token indices, sorted by (char_start, index)
    starts: np.ndarray
    ends: np.ndarray
    reach: np.ndarray  # running maximum of ends: sorted, unlike ends themselves
    ascending: bool  # order is already ascending (spans start in token order)

    @classmethod
    def of(cls, rows: np.ndarray, char_start: np.ndarray, char_end: np.ndarray) -> SpanIndex:
        """The index of tokens ``rows`` (ascending token indices) of those span columns."""
        rows = np.asarray(rows, dtype=np.int64)
        starts, ends = char_start[rows], char_end[rows]
        ascending = bool(np.all(starts[1:] >= starts[:-1]))
        if not ascending:
            sort = np.lexsort((rows, starts))
            starts, ends, rows = starts[sort], ends[sort], rows[sort]
        reach = np.maximum.accumulate(ends) if len(ends) else ends
        return cls(rows, starts, ends, reach, ascending)

    def first_covering(self, chars: np.ndarray) -> np.ndarray:
        """Per character, the first token (in start order) whose span holds it; -1 if none."""
        chars = np.asarray(chars, dtype=np.int64)
        out = np.full(chars.shape, -1, dtype=np.int64)
        if not len(self.order):
            return out
        last_starting = np.searchsorted(self.starts, self._as_spans(chars), side="right") - 1
        # the first token (in start order) that ends after the character
        first_ending = np.searchsorted(self.reach, self._as_spans(chars), side="right")
        hit = (first_ending <= last_starting) & (last_starting >= 0)
        out[hit] = self.order[first_ending[hit]]
        return out

    def overlapping(self, start: int, end: int) -> np.ndarray:
        """Ascending indices of the tokens with ``span start < end`` and ``span end > start``."""
        # Tokens before ``low`` all end at or before ``start`` (their reach does); from
        # ``high`` on they start at or after ``end``. Between, only overlapping spans can
        # end too early: the filter drops them.
        low = int(np.searchsorted(self.reach, self._as_spans(start), side="right"))
        high = int(np.searchsorted(self.starts, self._as_spans(end), side="left"))
        if high <= low:
            return np.zeros(0, dtype=np.int64)
        found = self.order[low:high][self.ends[low:high] > start]
        return found if self.ascending else np.sort(found)

    def _as_spans(self, values: Any) -> np.ndarray:
        """``values`` in the spans' own dtype (clipped to it): searchsorted with any other
        would convert the whole column at every call, milliseconds on millions of tokens."""
        kind = np.iinfo(self.starts.dtype)
        return np.clip(np.asarray(values, dtype=np.int64), kind.min, kind.max).astype(kind.dtype)
