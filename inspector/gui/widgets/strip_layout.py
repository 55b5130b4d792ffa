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

from inspector.core import array_slices
from inspector.core.display import display_token, visible
from inspector.core.encoding import EncodingResult, typed_control
from inspector.core.offsets import codepoints
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


def line_breaks(result: EncodingResult, special: np.ndarray, first: int = 0) -> np.ndarray:
    """Line ends: after a newline (in a token or in the gap after it), before the pair; of
    tokens ``first…`` (the line ends before ``first`` depend only on the tokens up to it).

    Byte-level tokenizers keep newlines in tokens (Ċ); WordPiece drops them, so the gap
    between two tokens counts too — the strip then wraps where the text does for both.
    Done a slice of tokens at a time (:mod:`inspector.core.array_slices`): it runs on a worker.
    """
    cols = result.columns
    n = len(cols)
    breaks = np.zeros(n - first, dtype=bool)
    if n == first:
        return breaks
    seq, start, end = cols.sequence_ids, cols.char_start, cols.char_end
    # Newlines before each character of a sequence's text, counted when a token needs them.
    newlines: dict[int, np.ndarray | None] = {}
    # The first token of the pair text, looked for from ``first`` on unless one comes before.
    pair_before = first > 0 and array_slices.any_true(lambda s: s == 1, seq[:first])
    first_pair = n if pair_before else -1
    for a, b in array_slices.slices(n - first):
        a, b = a + first, b + first
        ahead = min(n, b + 1)  # one token more: the gap after token b-1 reaches the next start
        seq_s = np.asarray(seq[a:ahead])
        in_text = (seq_s >= 0) & ~special[a:ahead]
        end_s = np.asarray(end[a:b], dtype=np.int64)
        reach = end_s.copy()
        same = in_text[:-1] & in_text[1:] & (seq_s[:-1] == seq_s[1:])
        nxt = np.asarray(start[a + 1 : ahead], dtype=np.int64)
        k = len(nxt)  # b - a, or one less in the last slice
        reach[:k] = np.where(same, np.maximum(end_s[:k], nxt), end_s[:k])
        start_s = np.asarray(start[a:b], dtype=np.int64)
        for sequence in (0, 1):
            rows = in_text[: b - a] & (seq_s[: b - a] == sequence)
            if not rows.any():
                continue
            if sequence not in newlines:
                newlines[sequence] = _newlines_before(result.sequence_text(sequence))
            before = newlines[sequence]
            if before is None:
                continue
            last = len(before) - 1
            lo = np.clip(start_s[rows], 0, last)
            hi = np.clip(reach[rows], 0, last)
            breaks[a - first : b - first][rows] = before[hi] > before[lo]  # a newline in [lo, hi)
        if first_pair < 0:
            pair_here = np.flatnonzero(seq_s[: b - a] == 1)
            first_pair = a + int(pair_here[0]) if len(pair_here) else -1
    if first < first_pair < n:
        breaks[first_pair - 1 - first] = True  # the pair text starts on a line of its own
    return breaks


def _newlines_before(text: str) -> np.ndarray | None:
    """``counts[c]``: how many newlines ``text[:c]`` holds; None if it holds none."""
    if "\n" not in text:
        return None
    counts = np.zeros(len(text) + 1, dtype=np.int32)
    carry = 0
    for a, b in array_slices.slices(len(text)):
        points = codepoints(text[a:b])
        np.cumsum(points == 10, out=counts[a + 1 : b + 1])
        counts[a + 1 : b + 1] += carry
        carry = int(counts[b])
    return counts


def group_of(tokens: StripTokens, index: int) -> tuple[int, int] | None:
    """First and last token of the byte group token ``index`` is in, or None."""
    if not 0 <= index < tokens.n:
        return None
    k = int(np.searchsorted(tokens.group_first, index, side="right")) - 1
    if k < 0 or index > tokens.group_last[k]:
        return None
    return int(tokens.group_first[k]), int(tokens.group_last[k])


def group_text(result: EncodingResult | None, first: int, last: int, glyphs: bool) -> str:
    """The character(s) that tokens ``first…last`` (a byte group) build, as its label shows."""
    assert result is not None
    cols = result.columns
    sequence = int(cols.sequence_ids[first])
    start = int(cols.char_start[first : last + 1].min())
    end = int(cols.char_end[first : last + 1].max())
    return label_text(result.sequence_text(sequence)[start:end], glyphs)


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
    seg_end = array_slices.flatnonzero(ends_line) + 1
    seg_start = np.concatenate(([0], seg_end[:-1]))
    long = cum[seg_end] - cum[seg_start] > limit
    if not long.any():
        return seg_start
    starts = greedy_line_starts(cum, seg_start[long], seg_end[long], limit)
    # Hundreds of thousands of line starts: one conversion held Python's lock ~10 ms.
    wrapped = array_slices.int64_array(starts, len(starts))
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
    start: int = 0,
) -> StripTokens:
    """Per-token arrays of ``result`` for the strip: each distinct token measured once (new
    ones with ``advance``, into ``cache``); ``digit_w`` > 0: chips fit the id under the text.
    Thread-safe against a second call on the same cache (each reads its own width copy).
    ``start`` (the first token of a character group): only tokens ``start…``, which is what
    they are in the whole result's arrays (:mod:`strip_typing` puts the ones before in front).

    Runs on a worker for a long result: every pass over the tokens goes a slice at a time
    (:mod:`inspector.core.array_slices`), so the GUI thread gets Python's lock between slices."""
    cols = result.columns
    n = len(cols) - start
    ids, special = cols.ids[start:], cols.special[start:]
    keys = array_slices.elementwise(
        lambda a, b: np.asarray(ids[a:b], dtype=np.int64) * 2 + special[a:b], n, np.int64
    )
    uniq, rep, inverse = _distinct(keys)
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
            text = show(tokens[start + int(rep[k])], raw, is_special, algorithm)
            cache.text[key] = text
            uniq_width[k] = widths[key] = advance(text)
            if unk is not None and not is_special and tokens[start + int(rep[k])] == unk:
                cache.unk_keys.add(key)
    # Per distinct token: its chip's inner width, and whether it is the [UNK] token.
    uniq_inner = uniq_width
    if digit_w:
        uniq_inner = np.maximum(uniq_width, decimal_digits(uniq >> 1) * digit_w)
    unk_key = np.isin(uniq, np.fromiter(cache.unk_keys, dtype=np.int64))

    text_width = array_slices.take(uniq_width, inverse)
    chip_width = array_slices.elementwise(
        lambda a, b: np.maximum(uniq_inner[inverse[a:b]] + 2 * PAD_X, MIN_CHIP), n, np.int64
    )
    control, sequence = cols.control[start:], cols.sequence_ids[start:]
    mask = cols.attention_mask[start:]

    def flags_of(a: int, b: int) -> np.ndarray:
        typed = typed_control(control[a:b], special[a:b], sequence[a:b])
        flags = special[a:b].astype(np.uint8) * SPECIAL_FLAG
        flags |= typed.astype(np.uint8) * TYPED_FLAG
        flags |= (unk_key[inverse[a:b]] & ~typed).astype(np.uint8) * UNK_FLAG
        flags |= (np.asarray(mask[a:b]) == 0).astype(np.uint8) * FADED_FLAG
        return flags

    flags = array_slices.elementwise(flags_of, n, np.uint8)
    breaks = line_breaks(result, np.asarray(cols.special, dtype=bool), start)
    unit_starts, group_first, group_last = _units(np.asarray(cols.group), start)
    lead = np.zeros(n, dtype=np.int64)
    array_slices.put(lead, group_first - start, GROUP_PAD)
    trail_at = np.zeros(n, dtype=bool)
    array_slices.put(trail_at, group_last - start, True)
    token_advance = array_slices.elementwise(
        lambda a, b: lead[a:b] + chip_width[a:b] + trail_at[a:b] * GROUP_PAD + GAP, n, np.int64
    )
    return StripTokens(
        n=n,
        keys=keys,
        text_width=text_width,
        chip_width=chip_width,
        flags=flags,
        breaks=breaks,
        unit_starts=unit_starts,
        lead=lead,
        advance=token_advance,
        group_first=group_first,
        group_last=group_last,
    )


def _distinct(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Distinct ``keys`` (sorted), a token holding each, and token → distinct position."""
    n = len(keys)
    ranges = [(int(keys[a:b].min()), int(keys[a:b].max())) for a, b in array_slices.slices(n)]
    if not n or min(ranges)[0] < 0 or max(high for _, high in ranges) >= _MAX_DENSE_KEY:
        return cast(
            "tuple[np.ndarray, np.ndarray, np.ndarray]",
            np.unique(keys, return_index=True, return_inverse=True),
        )
    size = max(high for _, high in ranges) + 1
    seen = np.zeros(size, dtype=bool)
    rep_of = np.empty(size, dtype=np.int64)
    for a, b in array_slices.slices(n):
        seen[keys[a:b]] = True
        rep_of[keys[a:b]] = np.arange(a, b)
    uniq = np.flatnonzero(seen)
    position = np.zeros(size, dtype=np.int64)
    position[uniq] = np.arange(len(uniq))
    return uniq, rep_of[uniq], array_slices.take(position, keys)


def _units(group: np.ndarray, start: int = 0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """First token of every character group (groups never wrap), and the first and last token
    of every group of more than one token (a byte group); from token ``start`` (a group's
    first) on."""
    n = len(group)
    starts, firsts, lasts = [], [], []
    for a, b in array_slices.slices(n - start):
        a, b = a + start, b + start
        ahead = min(n, b + 1)
        unit_start = group[a:ahead] == np.arange(a, ahead)
        if a == 0:
            unit_start[0] = True
        here, after = unit_start[: b - a], unit_start[1 : b - a + 1]
        if ahead == b:  # the last token: a group ends after it
            after = np.append(after, True)
        starts.append(np.flatnonzero(here) + a)
        firsts.append(np.flatnonzero(here & ~after) + a)
        lasts.append(np.flatnonzero(~here & after) + a)
    join = array_slices.join
    return join(starts, np.intp), join(firsts, np.intp), join(lasts, np.intp)


def decimal_digits(values: np.ndarray) -> np.ndarray:
    """``len(str(v))`` of every integer in ``values`` (int64), without making the strings."""
    magnitude = np.abs(values.astype(np.int64))
    digits = 1 + (values < 0).astype(np.int64)
    power = 10
    while power <= max(int(magnitude.max(initial=0)), 1):
        digits += magnitude >= power
        power *= 10
    return digits


def wrap_tokens(
    tokens: StripTokens,
    available: int,
    chip_h: int,
    band: int,
    *,
    keep: StripLayout | None = None,
    from_line: int = 0,
) -> StripLayout:
    """Chips on lines of ``available`` pixels; a line with a byte group gets ``band`` above.

    ``keep``: a layout of these tokens' first tokens at the same width, whose lines before
    ``from_line`` hold the same tokens, breaks and groups, and end before the first token
    that differs (see :mod:`strip_typing`): those lines are kept, the tokens from the first
    of ``from_line`` on are wrapped (a line start is where the greedy wrap from there gives
    the same lines as from the segment's start)."""
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
    s0 = 0 if keep is None else int(keep.line_start[from_line])
    m = n - s0  # tokens wrapped here
    chip = np.minimum(tokens.chip_width[s0:], available)
    advance, chip_width, lead = tokens.advance[s0:], tokens.chip_width[s0:], tokens.lead[s0:]
    cum = np.zeros(m + 1, dtype=np.int64)
    array_slices.cumsum_into(
        array_slices.elementwise(
            lambda a, b: advance[a:b] - chip_width[a:b] + chip[a:b], m, np.int64
        ),
        cum[1:],
    )
    starts = tokens.unit_starts
    if s0:
        starts = starts[int(np.searchsorted(starts, s0)) :] - s0
    unit_cum = array_slices.join([array_slices.take(cum, starts), cum[m:]], np.int64)
    unit_break = array_slices.any_in_runs(tokens.breaks[s0:], starts)
    unit_break[-1] = True
    line_units = line_starts(unit_cum, unit_break, available + GAP)
    line_start = np.append(starts[np.asarray(line_units, dtype=np.int64)], m)
    lines = len(line_start) - 1
    line_left = cum[line_start[:-1]]  # the advance before each line's first token

    def line_of(a: int, b: int) -> np.ndarray:
        """Line of tokens a…b-1: the line holding a, plus one at every line that starts after."""
        first = int(np.searchsorted(line_start, a, side="right"))
        later = line_start[first : int(np.searchsorted(line_start, b, side="left"))]
        step = np.zeros(b - a, dtype=np.int64)
        step[later - a] = 1
        return first - 1 + np.cumsum(step)

    line = array_slices.elementwise(line_of, m, np.int64)
    x = array_slices.elementwise(
        lambda a, b: MARGIN + cum[a:b] - line_left[line[a:b]] + lead[a:b], m, np.int64
    )
    grouped = array_slices.elementwise(lambda a, b: lead[a:b] > 0, m, bool)
    has_group = array_slices.any_in_runs(grouped, line_start[:-1])
    chip_dy = has_group.astype(np.int64) * band
    heights = chip_dy + chip_h + LINE_GAP
    line_top = np.empty(lines + 1, dtype=np.int64)
    line_top[0] = MARGIN if keep is None else int(keep.line_top[from_line])
    np.cumsum(heights, out=line_top[1:])
    line_top[1:] += line_top[0]
    if keep is not None:  # the lines kept in front
        x = np.concatenate((keep.x[:s0], x))
        chip = np.concatenate((keep.w[:s0], chip))
        line = np.concatenate((keep.line[:s0], line + from_line))
        line_start = np.concatenate((keep.line_start[:from_line], line_start + s0))
        line_top = np.concatenate((keep.line_top[:from_line], line_top))
        chip_dy = np.concatenate((keep.chip_dy[:from_line], chip_dy))
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
