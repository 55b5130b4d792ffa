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


def _common_prefix(a: bytes, b: bytes) -> int:
    """Length of the longest common prefix of two byte strings (numpy, no Python loop)."""
    n = min(len(a), len(b))
    left = np.frombuffer(a, np.uint8, n)
    right = np.frombuffer(b, np.uint8, n)
    differ = left != right
    return int(np.argmax(differ)) if differ.any() else n


def unchanged_tokens(
    old: EncodingResult, new: EncodingResult, fields: tuple[str, ...] = SHOWN_FIELDS
) -> int:
    """The number of leading tokens of ``new`` equal to ``old``'s in every one of ``fields``
    (``word_ids`` may be one) and, for tokens of the text, in the bytes of the text they
    cover; 0 when the two were made with other tokenizers, pair texts or settings, or are
    longer than :data:`MAX_COMPARED`."""
    if (
        old._source is not new._source
        or old.pair != new.pair
        or old.settings != new.settings
        or old.overflow
        or new.overflow
    ):
        return 0
    before, after = old.columns, new.columns
    n = min(len(before), len(after))
    if n == 0 or max(len(before), len(after)) > MAX_COMPARED:
        return 0
    same = np.ones(n, dtype=bool)
    for name in fields:
        same &= getattr(before, name)[:n] == getattr(after, name)[:n]
    # A token may stand for the text it covers (an unknown token): that text must be equal.
    text_prefix = _common_prefix(old._utf8[0], new._utf8[0])
    same &= (after.sequence_ids[:n] != 0) | (after.byte_end[:n] <= text_prefix)
    return n if same.all() else int(np.argmin(same))
