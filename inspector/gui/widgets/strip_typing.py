"""Typing into the token strip: a result that keeps the last one's leading tokens keeps their
chips.

Each key makes a new result whose tokens, up to where the text changed, are the last result's
(:func:`inspector.core.result_diff.unchanged_tokens`). Their chips need no new measuring,
flags or places: the strip prepares only the tokens from the first of the character group
before the first changed token, wraps only from the line that holds that group, and repaints
only from the line above it down (nothing when that is below the view: typing at the end of a
page while the strip shows its start). Everything else is exactly what a fresh layout gives
(``tests/gui/test_strip_typing.py`` compares the arrays and the painted image).

Why these bounds: a token's line end looks at the next token's start, and a byte group's
frame at whether the next token starts a group, so the tokens before the group that holds
the last kept token are settled; a line is settled when the unit after it (the first of the
next line, whose advance decided where it ends) is settled too.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from inspector.core.encoding import EncodingResult
from inspector.gui.widgets.strip_layout import StripLayout, StripTokens


@dataclass(frozen=True)
class TypedLayout:
    """The chips of a typed result, and where the strip must paint again."""

    tokens: StripTokens
    layout: StripLayout
    top: int  # content y from which what is painted may differ (the rest is as it was)


def restart_token(result: EncodingResult, kept: int) -> int:
    """The first token to prepare again when ``result``'s first ``kept`` tokens are the last
    result's: the first of the character group that holds token ``kept - 1``. 0: nothing is
    kept (no token kept, or the group column does not name a group's first token)."""
    if kept <= 0:
        return 0
    group = result.columns.group
    start = int(group[kept - 1])
    return start if 0 < start < kept and int(group[start]) == start else 0


def join_tokens(front: StripTokens, tail: StripTokens, start: int) -> StripTokens:
    """``front``'s tokens before ``start`` (the first token of a character group) followed by
    ``tail``, the tokens from ``start`` on (``prepare_tokens(..., start=start)``)."""

    def before(indices: np.ndarray) -> np.ndarray:
        return indices[: int(np.searchsorted(indices, start))]

    def per_token(name: str) -> np.ndarray:
        return np.concatenate((getattr(front, name)[:start], getattr(tail, name)))

    return StripTokens(
        n=start + tail.n,
        keys=per_token("keys"),
        text_width=per_token("text_width"),
        chip_width=per_token("chip_width"),
        flags=per_token("flags"),
        breaks=per_token("breaks"),
        unit_starts=np.concatenate((before(front.unit_starts), tail.unit_starts)),
        lead=per_token("lead"),
        advance=per_token("advance"),
        group_first=np.concatenate((before(front.group_first), tail.group_first)),
        group_last=np.concatenate((before(front.group_last), tail.group_last)),
    )


def typed_layout(
    shown: tuple[StripTokens, StripLayout],
    result: EncodingResult,
    kept: int,
    prepare: Callable[[EncodingResult, int], StripTokens],
    wrap: Callable[[StripTokens, StripLayout, int], StripLayout],
) -> TypedLayout | None:
    """The chips of ``result`` from ``shown`` (the chips of a result whose first ``kept``
    tokens ``result`` keeps, laid out at the width ``wrap`` wraps at): ``prepare(result,
    start)`` makes tokens ``start…``, ``wrap(tokens, shown_layout, line)`` wraps from ``line``
    on, keeping the lines before. None when nothing is kept."""
    old_tokens, old_layout = shown
    start = restart_token(result, min(kept, old_tokens.n))
    if start == 0:
        return None
    tokens = join_tokens(old_tokens, prepare(result, start), start)
    line = int(old_layout.line[start - 1])  # its end was decided by tokens from start on
    layout = wrap(tokens, old_layout, line)
    # From the line above: a typed-control badge reaches a little above its own line.
    top = int(old_layout.line_top[max(line - 1, 0)])
    return TypedLayout(tokens, layout, top)
