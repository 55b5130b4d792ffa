"""Which tokens build a piece of text: the ones whose character span covers an occurrence of it.

A byte-level tokenizer splits "é" or "你" into pieces whose own strings (``Ã©``, ``ä½``) never
contain the character; their spans do cover it, so searching the text and mapping the hits
back through the spans finds them (the token table's filter).
"""

from __future__ import annotations

import re

import numpy as np

from inspector.core.encoding import EncodingResult


def tokens_covering(result: EncodingResult, needle: str) -> np.ndarray:
    """Per token: its character span covers a character of an occurrence of ``needle``
    (case-insensitive) in the text of its sequence. Linear: a prefix sum per text."""
    cols = result.columns
    mask = np.zeros(len(cols), dtype=bool)
    pattern = re.compile(re.escape(needle), re.IGNORECASE)
    for sequence, text in ((0, result.text), (1, result.pair)):
        if not text:
            continue
        found = [(m.start(), m.end()) for m in pattern.finditer(text)]
        if not found:
            continue
        spans = np.asarray(found, dtype=np.int64)
        depth = np.zeros(len(text) + 1, dtype=np.int64)  # +1 where an occurrence starts …
        np.add.at(depth, spans[:, 0], 1)
        np.add.at(depth, spans[:, 1], -1)  # … -1 after it ends
        covered = np.cumsum(depth[:-1]) > 0  # per character: inside an occurrence
        before = np.concatenate(([0], np.cumsum(covered)))  # covered characters before i
        rows = np.flatnonzero((cols.sequence_ids == sequence) & ~cols.special)
        start = np.clip(cols.char_start[rows], 0, len(text))
        end = np.clip(cols.char_end[rows], 0, len(text))
        mask[rows] = before[end] > before[start]
    return mask
