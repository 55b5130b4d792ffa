"""How many leading tokens two results show the same: what a view need not show again.

Typing makes a new result per key, and most of its tokens are the previous result's: a table
or grid that tells its view only which rows changed repaints those in view, not the whole
viewport (the table's and the grid's full repaint after a model reset came before the next
key's strip while typing).
"""

from __future__ import annotations

import numpy as np

from inspector.core.encoding import EncodingResult

# Above this many tokens a view starts over: the comparison is a pass over every column on
# the GUI thread (about 0.2 ms at 10k tokens), and long texts are not typed key by key.
MAX_COMPARED = 200_000

# The columns a token's row shows (word ids only where a view reads them: they may be lazy).
SHOWN_FIELDS = (
    "ids",
    "char_start",
    "char_end",
    "byte_start",
    "byte_end",
    "special",
    "control",
    "sequence_ids",
    "attention_mask",
    "type_ids",
    "partial",
    "group",
)


def _common_prefix(a: str, b: str, limit: int) -> int:
    """Length of the longest common prefix of two texts, looked for in their first ``limit``
    characters: slices compared as wholes, the window halved around the first difference
    (linear, no Python loop over characters; the texts are never encoded)."""
    n = min(len(a), len(b), limit)
    low, high = 0, n  # a[:low] == b[:low]; the first difference, if any, is before high
    if a[:n] == b[:n]:
        return n
    while high - low > 1:
        middle = (low + high) // 2
        if a[low:middle] == b[low:middle]:
            low = middle
        else:
            high = middle
    return low


def unchanged_tokens(
    old: EncodingResult,
    new: EncodingResult,
    fields: tuple[str, ...] = SHOWN_FIELDS,
    *,
    shown: int | None = None,
) -> int:
    """The number of leading tokens of ``new`` equal to ``old``'s in every one of ``fields``
    and, for tokens of the text, in the bytes of the text they cover, among the first
    ``shown`` (a view that shows no more; None: all); 0 when the two were made with other
    tokenizers, pair texts or settings, or when more than :data:`MAX_COMPARED` are."""
    if (
        old._source is not new._source
        or old.pair != new.pair
        or old.settings != new.settings
        or old.overflow
        or new.overflow
    ):
        return 0
    before, after = old.columns, new.columns
    longest = max(len(before), len(after)) if shown is None else shown
    n = min(len(before), len(after), longest)
    if n == 0 or longest > MAX_COMPARED:
        return 0
    same = np.ones(n, dtype=bool)
    for name in fields:
        same &= getattr(before, name)[:n] == getattr(after, name)[:n]
    # A token may stand for the text it covers (an unknown token): that text must be equal.
    covered = int(after.char_end[:n].max())  # the text the compared tokens cover, no more
    text_prefix = _common_prefix(old.text, new.text, covered)
    same &= (after.sequence_ids[:n] != 0) | (after.char_end[:n] <= text_prefix)
    return n if same.all() else int(np.argmin(same))
