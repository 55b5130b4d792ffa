"""The token strip's model, free of painting: display strings, per-token arrays, the layout
and the greedy wrap (one bisection per line, never one step per token)."""

from __future__ import annotations

import html
from bisect import bisect_right
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import cast

import numpy as np
from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QRect
from PySide6.QtGui import QFont, QRegion, QStaticText

from inspector.core.display import display_token, visible
from inspector.core.encoding import EncodingResult
from inspector.gui.i18n import translate_explanation

# Geometry, in pixels.
MARGIN = 6  # around the whole strip
PAD_X = 4  # inside a chip, left and right of the text
PAD_Y = 2  # inside a chip, above and below the text
GAP = 3  # between chips on a line
LINE_GAP = 4  # between lines
GROUP_PAD = 3  # extra room left and right of a byte group's frame
MIN_CHIP = 10  # narrowest chip (a blank or zero-width token stays clickable)
MIN_AVAILABLE = 48  # the layout never wraps narrower than this
FADED = 0.35  # opacity of padding (attention mask 0)

# Flags per token, packed in one uint8 column.


_MAX_DENSE_KEY = 8_000_000  # above this, distinct ids are found with np.unique instead

# Up to this many tokens the strip lays a result out at once (about 40 ms at most); beyond,
# on a worker thread. Typing into a page of text (10k tokens) stays in one turn.
SYNC_TOKENS = 100_000

_WRAP_WINDOW = 32_768  # units converted to a list at a time by line_starts

# The strip's own words, in context "TokenStrip" whatever the widget's class: a ChatStrip's
# self.tr would look under "ChatStrip" and find nothing.
STRIP_WORDS = {
    "name": QT_TRANSLATE_NOOP("TokenStrip", "Token strip"),
    "laying out": QT_TRANSLATE_NOOP("TokenStrip", "Laying out {0:,} tokens…"),
    "empty": QT_TRANSLATE_NOOP("TokenStrip", "No tokens"),
    "typed": QT_TRANSLATE_NOOP(
        "TokenStrip", "⚠ control token typed in the text (parsed, not read as text)"
    ),
}


def strip_words(key: str) -> str:
    """One of :data:`STRIP_WORDS` in the window's language (thread-safe)."""
    return QCoreApplication.translate("TokenStrip", STRIP_WORDS[key])


# Flags per token, packed in one uint8 column.
SPECIAL_FLAG = 1
UNK_FLAG = 2
FADED_FLAG = 4
TYPED_FLAG = 8  # a control token parsed from a special-token string typed in the text


def plain_display(token: str, raw: bytes | None, special: bool, algorithm: str) -> str:
    """Like ``display_token`` but with whitespace left blank (the "glyphs off" option)."""
    if special:
        return token
    if raw is not None:
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            return display_token(token, raw, special, algorithm)
    elif "WordPiece" in algorithm:
        text = token
    else:
        text = token.replace("▁", " ")
    return "".join(" " if ch.isspace() else visible(ch) for ch in text)


def scaled_font(font: QFont, factor: float) -> QFont:
    """A smaller copy of ``font`` (for ids and labels), in points or pixels as ``font`` is."""
    small = QFont(font)
    size = font.pointSizeF()
    if size > 0:
        small.setPointSizeF(max(6.0, size * factor))
    else:
        small.setPixelSize(max(8, round(font.pixelSize() * factor)))
    return small


def label_text(text: str, glyphs: bool) -> str:
    if glyphs:
        return visible(text)
    return "".join(" " if ch.isspace() else visible(ch) for ch in text)


class MeasuredTexts:
    """Display strings and their widths for every distinct (id, special) key seen so far."""

    def __init__(self) -> None:
        self.text: dict[int, str] = {}
        self.width = np.full(0, -1, dtype=np.int32)
        self.static: dict[int, QStaticText] = {}  # laid out once, drawn many times
        self.unk_keys: set[int] = set()  # the [UNK] token's key

    def grow(self, size: int) -> None:
        if size > len(self.width):
            wider = np.full(max(size, 2 * len(self.width)), -1, dtype=np.int32)
            wider[: len(self.width)] = self.width
            self.width = wider


@dataclass
class StripTokens:
    """What the strip needs from one result, per token, independent of the widget's width."""

    n: int
    keys: np.ndarray  # id * 2 + special
    text_width: np.ndarray  # advance of the display string
    chip_width: np.ndarray  # chip width before capping at the line width
    flags: np.ndarray  # uint8: _SPECIAL | _UNK | _FADED
    breaks: np.ndarray  # bool: a line ends after this token (its text reaches a newline)
    unit_starts: np.ndarray  # first token of every character group (groups never wrap)
    lead: np.ndarray  # extra space before a token (first of a multi-token group)
    advance: np.ndarray  # lead + chip + trail + GAP
    group_first: np.ndarray  # first / last token of every multi-token (byte) group
    group_last: np.ndarray


@dataclass
class StripLayout:
    """Chip positions in content coordinates for one available width."""

    width: int
    x: np.ndarray  # int64, chip left
    w: np.ndarray  # int64, chip width (capped at the line width)
    line: np.ndarray  # int64, line of every token
    line_start: np.ndarray  # first token of each line, plus n at the end
    line_top: np.ndarray  # top of each line, plus the bottom of the last one
    chip_dy: np.ndarray  # chip top below its line top (room for group labels)
    height: int


def line_breaks(result: EncodingResult, special: np.ndarray) -> np.ndarray:
    """Line ends: after a newline (in a token or in the gap after it), before the pair.

    Byte-level tokenizers keep newlines in tokens (Ċ); WordPiece drops them, so the gap
    between two tokens counts too — the strip then wraps where the text does for both.
    """
    cols = result.columns
    n = len(cols)
    breaks = np.zeros(n, dtype=bool)
    if n == 0:
        return breaks
    seq = np.asarray(cols.sequence_ids)
    start = np.asarray(cols.char_start, dtype=np.int64)
    end = np.asarray(cols.char_end, dtype=np.int64)
    in_text = (seq >= 0) & ~special
    reach = end.copy()
    same = in_text[:-1] & in_text[1:] & (seq[:-1] == seq[1:])
    reach[:-1] = np.where(same, np.maximum(end[:-1], start[1:]), end[:-1])
    for sequence in (0, 1):
        rows = in_text & (seq == sequence)
        if not rows.any():
            continue
        text = result.sequence_text(sequence)
        if "\n" not in text:
            continue
        points = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
        # newlines_before[c]: how many newlines text[:c] holds.
        newlines_before = np.zeros(len(points) + 1, dtype=np.int32)
        np.cumsum(points == 10, out=newlines_before[1:])
        last = len(points)
        lo = np.clip(start[rows], 0, last)
        hi = np.clip(reach[rows], 0, last)
        breaks[rows] = newlines_before[hi] > newlines_before[lo]
    pair = np.flatnonzero(seq == 1)
    if len(pair) and pair[0] > 0:
        breaks[pair[0] - 1] = True  # the pair text starts on a line of its own
    return breaks


def group_of(tokens: StripTokens, index: int) -> tuple[int, int] | None:
    """First and last token of the byte group token ``index`` is in, or None."""
    if not 0 <= index < tokens.n:
        return None
    k = int(np.searchsorted(tokens.group_first, index, side="right")) - 1
    if k < 0 or index > tokens.group_last[k]:
        return None
    return int(tokens.group_first[k]), int(tokens.group_last[k])


def line_ranges(layout: StripLayout, region: QRegion, scroll: int) -> list[tuple[int, int]]:
    """Merged [first, last) line ranges that meet the rectangles of ``region``."""
    lines = len(layout.line_start) - 1
    ranges: list[tuple[int, int]] = []
    for rect in sorted(cast("Iterable[QRect]", region), key=QRect.top):
        top, bottom = rect.top() + scroll, rect.bottom() + 1 + scroll
        first = int(np.searchsorted(layout.line_top[1:], top, side="right"))
        last = int(np.searchsorted(layout.line_top[:-1], bottom, side="left"))
        first, last = min(first, lines), min(max(last, first), lines)
        if first >= last:
            continue
        if ranges and first <= ranges[-1][1]:
            ranges[-1] = (ranges[-1][0], max(last, ranges[-1][1]))
        else:
            ranges.append((first, last))
    return ranges


def line_starts(cum: np.ndarray, ends_line: np.ndarray, limit: int) -> np.ndarray:
    """Greedy wrap over units: the first unit of every line.

    ``cum[u]`` is the advance of all units before ``u``; ``ends_line[u]`` marks a unit after
    which the line must end (a newline; the last unit too). A line holds units ``s…e-1``
    while ``cum[e] - cum[s] <= limit``. Paragraphs (runs between forced ends) that fit on one
    line, the common case, are found in one vectorized step; only longer ones are wrapped,
    with one bisection per line, never one step per token.
    """
    seg_end = np.flatnonzero(ends_line) + 1
    seg_start = np.concatenate(([0], seg_end[:-1]))
    long = cum[seg_end] - cum[seg_start] > limit
    if not long.any():
        return seg_start
    starts = greedy_line_starts(cum, seg_start[long], seg_end[long], limit)
    wrapped = np.asarray(starts, dtype=np.int64)
    return np.sort(np.concatenate((seg_start[~long], wrapped)))


def greedy_line_starts(
    cum: np.ndarray,
    seg_start: np.ndarray,
    seg_end: np.ndarray,
    limit: int,
    shorten: Callable[[int, int, int], int] | None = None,
) -> list[int]:
    """The first unit of every line of the segments ``seg_start…seg_end`` (each too long for
    one line): a line ``s…e-1`` holds while ``cum[e] - cum[s] <= limit``, one bisection per
    line; ``shorten(s, e, end)`` may end a line earlier (at a word boundary).

    ``cum`` becomes a list a window at a time: bisect is quick on a list, and no single C
    call converts millions of values while holding Python's lock (wraps run on workers)."""
    starts: list[int] = []
    window = _WRAP_WINDOW
    for s, end in zip(seg_start.tolist(), seg_end.tolist(), strict=True):
        while s < end:
            base, top = s, min(end, s + window)
            values = cum[base : top + 1].tolist()
            while s < top:
                e = bisect_right(values, values[s - base] + limit, s - base + 1, top - base + 1)
                e += base - 1
                if e == top < end:  # the line may go on past the window: refill from s
                    window *= 2 if s == base else 1
                    break
                starts.append(s)
                if shorten is not None and e < end:
                    e = shorten(s, e, end)
                s = e if e > s else s + 1
    return starts


def tooltip_text(result: EncodingResult, index: int, flags: int, typed_note: str) -> str:
    """What the tooltip of token ``index`` says: id, raw token, bytes, span, explanation."""
    view = result.token(index, translate=translate_explanation)
    translate = QCoreApplication.translate
    kinds = []
    if flags & SPECIAL_FLAG:
        kinds.append(translate("TokenStrip", "special"))
    if flags & TYPED_FLAG:
        kinds.append(typed_note)
    if flags & UNK_FLAG:
        kinds.append(translate("TokenStrip", "unknown ([UNK])"))
    if flags & FADED_FLAG:
        kinds.append(translate("TokenStrip", "padding (attention mask 0)"))
    if view.partial:
        kinds.append(translate("TokenStrip", "part of a character"))
    esc = html.escape
    rows = [
        f"<b>#{view.index}</b> · id <b>{view.id}</b>"
        + (f" · {esc(', '.join(kinds))}" if kinds else ""),
        translate("TokenStrip", "token: {0}").format(f"<code>{esc(repr(view.token))}</code>"),
        translate("TokenStrip", "shown: {0}").format(f"<code>{esc(view.display)}</code>"),
    ]
    if view.bytes:
        rows.append(translate("TokenStrip", "bytes: {0}").format(f"<code>{esc(view.bytes)}</code>"))
    if view.sequence_id is not None:
        rows.append(
            translate("TokenStrip", "span: characters {0}–{1}, bytes {2}–{3}").format(
                view.start, view.end, view.byte_start, view.byte_end
            )
            + (translate("TokenStrip", " (pair text)") if view.sequence_id == 1 else "")
        )
    if view.explanation:
        rows.append(f"<i>{esc(view.explanation)}</i>")
    return "<br>".join(rows)


def prepare_tokens(
    result: EncodingResult,
    cache: MeasuredTexts,
    advance: Callable[[str], int],
    *,
    glyphs: bool,
    digit_w: int,
) -> StripTokens:
    """Per-token arrays of ``result`` for the strip: each distinct token measured once (new
    ones with ``advance``, into ``cache``); ``digit_w`` > 0: chips fit the id under the text.
    Thread-safe against a second call on the same cache (each reads its own width copy)."""
    cols = result.columns
    n = len(cols)
    ids = np.asarray(cols.ids, dtype=np.int64)
    special = np.asarray(cols.special, dtype=bool)
    keys = ids * 2 + special
    # Distinct keys, one representative token each, and token → distinct position.
    if n and keys.min() >= 0 and keys.max() < _MAX_DENSE_KEY:
        size = int(keys.max()) + 1
        seen = np.zeros(size, dtype=bool)
        seen[keys] = True
        uniq = np.flatnonzero(seen)
        rep_of = np.empty(size, dtype=np.int64)
        rep_of[keys] = np.arange(n)
        rep = rep_of[uniq]
        position = np.zeros(size, dtype=np.int64)
        position[uniq] = np.arange(len(uniq))
        inverse = position[keys]
    else:
        uniq, rep, inverse = np.unique(keys, return_index=True, return_inverse=True)
    if len(uniq):
        cache.grow(int(uniq.max()) + 1)
    # This call's own copy: a worker and the GUI thread may both be measuring.
    uniq_width = cache.width[uniq].astype(np.int64)
    missing = np.flatnonzero(uniq_width < 0)
    unk = result.tokenizer.unk_token
    if len(missing):
        source = result._source  # LoadedTokenizer: bytes of a vocabulary id
        algorithm = result.tokenizer.algorithm
        show = display_token if glyphs else plain_display
        tokens = cols.tokens
        widths = cache.width
        for k in missing.tolist():
            key = int(uniq[k])
            token_id, is_special = key >> 1, bool(key & 1)
            raw = None if is_special else source.token_bytes(token_id)
            text = show(tokens[int(rep[k])], raw, is_special, algorithm)
            cache.text[key] = text
            uniq_width[k] = widths[key] = advance(text)
            if unk is not None and not is_special and tokens[int(rep[k])] == unk:
                cache.unk_keys.add(key)
    text_width = uniq_width[inverse]
    inner = text_width
    if digit_w:
        digits = np.char.str_len((uniq >> 1).astype(str)).astype(np.int64)
        inner = np.maximum(inner, (digits * digit_w)[inverse])
    chip_width = np.maximum(inner + 2 * PAD_X, MIN_CHIP)

    unk_key = np.isin(uniq, np.fromiter(cache.unk_keys, dtype=np.int64))
    flags = special.astype(np.uint8) * SPECIAL_FLAG
    flags |= cols.typed_control.astype(np.uint8) * TYPED_FLAG
    flags |= (unk_key[inverse] & ~cols.typed_control).astype(np.uint8) * UNK_FLAG
    flags |= (np.asarray(cols.attention_mask) == 0).astype(np.uint8) * FADED_FLAG

    breaks = line_breaks(result, special)
    group = np.asarray(cols.group, dtype=np.int64)
    unit_start_mask = group == np.arange(n)
    if n:
        unit_start_mask[0] = True
    unit_starts = np.flatnonzero(unit_start_mask)
    sizes = np.diff(np.append(unit_starts, n))
    group_first = unit_starts[sizes > 1]
    group_last = group_first + sizes[sizes > 1] - 1
    lead = np.zeros(n, dtype=np.int64)
    lead[group_first] = GROUP_PAD
    trail = np.zeros(n, dtype=np.int64)
    trail[group_last] = GROUP_PAD
    return StripTokens(
        n=n,
        keys=keys,
        text_width=text_width,
        chip_width=chip_width,
        flags=flags,
        breaks=breaks,
        unit_starts=unit_starts,
        lead=lead,
        advance=lead + chip_width + trail + GAP,
        group_first=group_first,
        group_last=group_last,
    )


def wrap_tokens(tokens: StripTokens, available: int, chip_h: int, band: int) -> StripLayout:
    """Chips on lines of ``available`` pixels; a line with a byte group gets ``band`` above."""
    n = tokens.n
    if n == 0:
        empty = np.zeros(0, dtype=np.int64)
        return StripLayout(
            available,
            empty,
            empty,
            empty,
            np.zeros(1, np.int64),
            np.full(1, MARGIN, np.int64),
            empty,
            2 * MARGIN,
        )
    chip = np.minimum(tokens.chip_width, available)
    advance = tokens.advance - tokens.chip_width + chip
    cum = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(advance, out=cum[1:])
    starts = tokens.unit_starts
    unit_cum = cum[np.append(starts, n)]
    unit_break = np.logical_or.reduceat(tokens.breaks, starts)
    unit_break[-1] = True
    line_units = line_starts(unit_cum, unit_break, available + GAP)
    line_start = np.append(starts[np.asarray(line_units, dtype=np.int64)], n)
    counts = np.diff(line_start)
    lines = len(counts)
    line = np.repeat(np.arange(lines, dtype=np.int64), counts)
    x = MARGIN + cum[:-1] - cum[line_start[:-1]][line] + tokens.lead
    has_group = np.logical_or.reduceat(tokens.lead > 0, line_start[:-1])
    chip_dy = has_group.astype(np.int64) * band
    heights = chip_dy + chip_h + LINE_GAP
    line_top = np.empty(lines + 1, dtype=np.int64)
    line_top[0] = MARGIN
    np.cumsum(heights, out=line_top[1:])
    line_top[1:] += MARGIN
    return StripLayout(
        width=available,
        x=x,
        w=chip,
        line=line,
        line_start=line_start,
        line_top=line_top,
        chip_dy=chip_dy,
        height=int(line_top[-1]) - LINE_GAP + MARGIN,
    )
