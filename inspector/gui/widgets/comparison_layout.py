"""The comparison's character axis: cells, visual lines and each row's lane, laid out once
per text (and per width), independent of painting.

The text (then the pair text, on a line of its own) is wrapped into visual lines *by
character*. Every character gets one cell width, shared by all lanes, so a token's chip
spans exactly the cells of the characters it covers and boundaries line up across rows.
A character that some row splits into byte pieces is widened and its width divided by
bytes, so a piece covering bytes 0–2 of 🎶 sits under the same pixels in every row.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import numpy as np
from PySide6.QtGui import QFont, QFontMetrics

from inspector.core import array_slices
from inspector.core.cancel import CancelToken
from inspector.core.compare import Comparison, ComparisonRow
from inspector.core.display import display_token, visible
from inspector.core.encoding import EncodingResult
from inspector.core.offsets import char_to_byte, codepoints
from inspector.gui.widgets.strip_layout import greedy_line_starts

LOADING = "loading…"

# Up to this many characters (text + pair) the canvas lays out at once; beyond, on a worker
# (1 MB: measuring, lanes and wrapping took ~0.3 s of the GUI thread).
SYNC_CHARS = 50_000

# Geometry, in pixels.
MARGIN = 6
GUTTER_PAD = 6  # left and right of the row names
MAX_GUTTER = 150
CHAR_PAD = 3  # added to every character's advance: room for chip insets
MIN_CHAR = 7  # zero-width and combining characters stay hoverable
BYTE_W = 20  # per byte of a character that some row cuts into byte pieces
PAD_Y = 2  # inside a chip, above and below the text
LANE_GAP = 2
LINE_GAP = 9  # between visual lines (a rule is drawn in the middle)
MARK_H = 3  # the bar under a token whose boundary other rows do not share
MIN_ZERO_W = 4  # chip of a token with an empty span

# The "unshared boundary" mark: orange, readable on every fill of both themes.
MARK_LIGHT, MARK_DARK = "#E65100", "#FFB74D"


def short_name(name: str) -> str:
    """What a row is called in the gutter: a catalog id as is, a path by its last parts."""
    path = Path(name)
    if len(path.parts) > 1:
        tail = path.name if path.name not in ("tokenizer.json", "tokenizer.model") else ""
        return tail or "/".join(path.parts[-2:])
    return name


# ------------------------------------------------------------------------------ axis


@dataclass
class CharAxis:
    """The characters of text (+ pair), independent of the widget's width."""

    text: str  # text + pair, as drawn
    pair_start: int  # first character of the pair text (== len(text) without a pair)
    points: np.ndarray  # code points
    nbytes: np.ndarray  # UTF-8 length of each character, plus 1 for the end sentinel
    byte_of_char: np.ndarray  # (n + 1) global byte offset of each character
    char_of_byte: np.ndarray  # (bytes + 1) character of each byte; n for the end
    width: np.ndarray  # cell width of each character
    ends_line: np.ndarray  # bool: a line must end after this character
    last_space: np.ndarray  # index of the last whitespace at or before each character

    @property
    def n(self) -> int:
        return len(self.points)


@dataclass
class VisualLines:
    """The wrap of the characters for one available width."""

    width: int
    x0: int  # left of the first cell (after the gutter)
    start: np.ndarray  # first character of each line, plus n
    char_x: np.ndarray  # (n + 1) left of each cell; the sentinel is the last line's end
    char_line: np.ndarray  # line of each character
    end_x: np.ndarray  # right end of each line

    @property
    def count(self) -> int:
        return len(self.start) - 1


def char_cells(text: str, pair: str | None, fm: QFontMetrics) -> CharAxis:
    full = text + (pair or "")
    n = len(full)
    # Whole-array steps a slice at a time (array_slices): on a worker, none holds Python's
    # lock long (a cumsum, a scatter or a gather over 1 MB held it 2-4 ms each; the UTF-32
    # copy of the whole text too).
    points = array_slices.elementwise(lambda a, b: codepoints(full[a:b]), n, np.uint32)
    byte_of_char = char_to_byte(full)
    nbytes = np.ones(n + 1, dtype=np.int64)  # and 1 for the end sentinel
    for a, b in array_slices.slices(n):
        nbytes[a:b] = np.diff(byte_of_char[a : b + 1])
    char_of_byte = np.empty(int(byte_of_char[-1]) + 1, dtype=np.int64)
    char_of_byte[-1] = n
    char_of_byte[:-1] = array_slices.repeat(np.arange(n, dtype=np.int64), nbytes[:-1])
    # Each distinct code point measured once; a table by code point, not np.unique's sort
    # (O(n), a few ms on 1 MB instead of ~60 ms on the GUI thread).
    present = np.zeros(0x110000, dtype=bool)
    array_slices.put(present, points, True)
    uniq = array_slices.flatnonzero(present)
    advance_of = np.zeros(0x110000, dtype=np.int64)
    advance_of[uniq] = [fm.horizontalAdvance(visible(chr(p))) for p in uniq.tolist()]
    width = array_slices.elementwise(
        lambda a, b: np.maximum(advance_of[points[a:b]] + CHAR_PAD, MIN_CHAR), n, np.int64
    )
    ends_line = array_slices.elementwise(lambda a, b: points[a:b] == 10, n, bool)
    if pair is not None and text and n:
        ends_line[len(text) - 1] = True  # the pair text starts on a line of its own
    spaces = array_slices.elementwise(
        lambda a, b: np.where(np.isin(points[a:b], (9, 32, 0x3000)), np.arange(a, b), -1),
        n,
        np.int64,
    )
    return CharAxis(
        text=full,
        pair_start=len(text),
        points=points,
        nbytes=nbytes,
        byte_of_char=byte_of_char,
        char_of_byte=char_of_byte,
        width=width,
        ends_line=ends_line,
        last_space=running_max(spaces),
    )


def running_max(values: np.ndarray) -> np.ndarray:
    """``np.maximum.accumulate(values)`` of 1-D integer ``values``, a slice at a time."""
    out = np.empty_like(values)
    for a, b in array_slices.slices(len(values)):
        np.maximum.accumulate(values[a:b], out=out[a:b])
        if a:
            np.maximum(out[a:b], out[a - 1], out=out[a:b])
    return out


def wrap_lines(chars: CharAxis, x0: int, available: int) -> VisualLines:
    """Greedy wrap by character cells, breaking after a space when a line has one."""
    n = chars.n
    if n == 0:
        empty = np.zeros(0, dtype=np.int64)
        return VisualLines(available, x0, np.zeros(1, np.int64), np.full(1, x0), empty, empty)
    cum = np.zeros(n + 1, dtype=np.int64)
    array_slices.cumsum_into(chars.width, cum[1:])
    seg_end = np.unique(np.append(np.flatnonzero(chars.ends_line) + 1, n))
    seg_start = np.concatenate(([0], seg_end[:-1])).astype(np.int64)
    long = cum[seg_end] - cum[seg_start] > available
    if long.any():
        starts = _wrap_long_segments(
            cum, chars.last_space, seg_start[long], seg_end[long], available
        )
        line_start = np.sort(np.concatenate((seg_start[~long], np.asarray(starts, np.int64))))
    else:
        line_start = seg_start
    line_start = np.append(line_start, n).astype(np.int64)
    # The line of each character: +1 where a line starts (every line holds a character), summed
    # a slice at a time (np.repeat of the line numbers over 1 MB held the lock ~3-7 ms).
    starts_here = np.zeros(n, dtype=np.int64)
    array_slices.put(starts_here, line_start[1:-1], 1)
    char_line = array_slices.cumsum_into(starts_here, starts_here)
    line_left = cum[line_start[:-1]]
    char_x = np.empty(n + 1, dtype=np.int64)
    for a, b in array_slices.slices(n):  # a gather over 1 MB held the lock ~3 ms
        char_x[a:b] = x0 + cum[a:b] - line_left[char_line[a:b]]
    end_x = x0 + cum[line_start[1:]] - cum[line_start[:-1]]
    char_x[n] = end_x[-1]
    return VisualLines(available, x0, line_start, char_x, char_line, end_x)


def _wrap_long_segments(
    cum: np.ndarray, last_space: np.ndarray, seg_start: np.ndarray, seg_end: np.ndarray, limit: int
) -> list[int]:
    def after_last_space(s: int, e: int, _end: int) -> int:
        space = int(last_space[e - 1]) if e > s else -1
        return space + 1 if space >= s and space + 1 < e else e  # keep words whole

    return greedy_line_starts(cum, seg_start, seg_end, limit, after_last_space)


@dataclass
class Lane:
    """One row's text tokens in axis order (specials are not on the axis)."""

    index: np.ndarray  # token index in result.columns
    b0: np.ndarray  # global byte span (pair bytes come after the text's)
    b1: np.ndarray
    reach: np.ndarray  # running maximum of b1 (binary search for a line's first token)
    keys: np.ndarray  # token id
    unshared: np.ndarray  # bool
    unk: np.ndarray  # bool
    labels: dict[int, str] = field(default_factory=dict)

    @cached_property
    def _by_token(self) -> tuple[np.ndarray, np.ndarray]:
        """The lane's token indices sorted, and where each stands in the lane."""
        order = np.argsort(self.index, kind="stable")  # in order already, mostly: quick
        return self.index[order], order

    def position(self, token: int) -> int:
        """Where token ``token`` stands in the lane, -1 if it is not on the axis (a binary
        search: a hover asks this for every row at each mouse move)."""
        tokens, positions = self._by_token
        at = int(np.searchsorted(tokens, token))
        return int(positions[at]) if at < len(tokens) and tokens[at] == token else -1


def lane_of(result: EncodingResult, unshared: np.ndarray | None, text_bytes: int) -> Lane:
    """Each step a slice of the tokens at a time (array_slices): 1 MB has ~0.6 M tokens, and
    a whole-column gather or mask held Python's lock 1-3 ms on the layout's worker."""
    cols = result.columns
    seq, special = cols.sequence_ids, cols.special
    on_axis = array_slices.elementwise(
        lambda a, b: (np.asarray(seq[a:b], np.int64) >= 0) & ~np.asarray(special[a:b], bool),
        len(cols),
        bool,
    )
    index = array_slices.flatnonzero(on_axis)

    def span(column: np.ndarray) -> np.ndarray:
        def part(a: int, b: int) -> np.ndarray:
            k = index[a:b]
            offset = np.where(np.asarray(seq[k], np.int64) == 1, text_bytes, 0)
            return np.asarray(column[k], np.int64) + offset

        return array_slices.elementwise(part, len(index), np.int64)

    b0, b1 = span(cols.byte_start), span(cols.byte_end)
    if not _ascending(b0):  # mostly in order already:
        order = np.argsort(b0, kind="stable")  # a stable sort would give them back as they are
        index, b0, b1 = index[order], b0[order], b1[order]
    ids = array_slices.elementwise(
        lambda a, b: np.asarray(cols.ids[index[a:b]], np.int64), len(index), np.int64
    )
    unk_token = result.tokenizer.unk_token
    unk_id = None
    if unk_token is not None and result.stats.unk_count:
        unk_id = result._source.token_to_id(unk_token)
    if unk_id is not None:
        unk = array_slices.elementwise(lambda a, b: ids[a:b] == unk_id, len(index), bool)
    else:
        unk = np.zeros(len(index), dtype=bool)
    if unshared is not None and len(unshared) == len(cols):
        marks = array_slices.elementwise(
            lambda a, b: np.asarray(unshared[index[a:b]], bool), len(index), bool
        )
    else:
        marks = np.zeros(len(index), dtype=bool)
    return Lane(index, b0, b1, running_max(b1), ids, marks, unk)


def _ascending(values: np.ndarray) -> bool:
    """``np.all(values[1:] >= values[:-1])``, a slice at a time."""
    return not any(
        bool((values[a + 1 : b + 1] < values[a:b]).any())
        for a, b in array_slices.slices(len(values) - 1)
    )


def lane_label(lane: Lane, key: int, token: int, result: EncodingResult) -> str:
    """The text of a chip (token ``token`` of ``result``, id ``key``), kept in the lane."""
    text = lane.labels.get(key)
    if text is None:
        raw = result._source.token_bytes(key)  # the strip reads a vocabulary the same way
        if raw is not None and bool(result.columns.partial[token]):
            text = piece_label(raw)
        else:
            token_str = result.columns.tokens[token]
            text = display_token(token_str, raw, False, result.tokenizer.algorithm)
        lane.labels[key] = text
    return text


def piece_label(raw: bytes) -> str:
    """A byte piece as its whole characters, and hex for the bytes of cut characters:
    b" \\xe9\\xb8" → "␣E9B8"."""
    out: list[str] = []
    i = 0
    while i < len(raw):
        for j in range(min(len(raw), i + 4), i, -1):
            try:
                out.append(visible(raw[i:j].decode("utf-8")))
            except UnicodeDecodeError:
                continue
            i = j
            break
        else:
            out.append(f"{raw[i]:02X}")
            i += 1
    return "".join(out)


def lanes_of(
    rows: Sequence[ComparisonRow], comparison: Comparison | None, text_bytes: int
) -> list[Lane | None]:
    """Each row's lane; the comparison's unshared marks where it compared that very result."""
    lanes: list[Lane | None] = []
    for r, row in enumerate(rows):
        unshared = None
        if comparison is not None and r < len(comparison.rows):
            compared = comparison.rows[r]
            if compared.result is row.result:
                unshared = compared.unshared
        lanes.append(None if row.result is None else lane_of(row.result, unshared, text_bytes))
    return lanes


def widen_split_characters(chars: CharAxis, lanes: Sequence[Lane | None]) -> None:
    """Characters some row cuts into byte pieces get room for each byte (in place); a slice
    of the spans at a time (gathers over 0.6 M spans held Python's lock for milliseconds)."""
    if chars.n == 0:
        return
    split = np.zeros(chars.n, dtype=bool)
    for lane in lanes:
        if lane is None:
            continue
        for bounds in (lane.b0, lane.b1):
            for a, b in array_slices.slices(len(bounds)):
                part = bounds[a:b]
                cut = part[chars.byte_of_char[chars.char_of_byte[part]] != part]
                split[chars.char_of_byte[cut]] = True
    widened = array_slices.flatnonzero(split)
    for a, b in array_slices.slices(len(widened)):
        k = widened[a:b]
        chars.width[k] = np.maximum(chars.width[k], chars.nbytes[k] * BYTE_W)


@dataclass
class CanvasGeometry:
    """Everything the canvas draws from, for one text, set of rows and width."""

    cells: CharAxis  # as measured: reused while the text stays
    chars: CharAxis  # cells widened for the rows' byte pieces
    lanes: list[Lane | None]
    lines: VisualLines
    cell_w: np.ndarray  # chars.width with an end sentinel (0)


def canvas_geometry(
    text: str,
    pair: str | None,
    rows: Sequence[ComparisonRow],
    comparison: Comparison | None,
    cells: CharAxis | None,
    fm: QFontMetrics,
    x0: int,
    available: int,
    previous: tuple[np.ndarray, VisualLines] | None = None,
    check: Callable[[], None] = lambda: None,
) -> CanvasGeometry:
    """Lanes, cells (measured with ``fm`` unless ``cells`` are this text's) and lines
    (``previous`` lines are kept when the widths they were wrapped from did not change).
    Touches no widget: the canvas runs it on a worker for a long text. ``check`` raises
    between the steps when the result is no longer wanted (a newer set_rows)."""
    if cells is None:
        cells = char_cells(text, pair, fm)
        check()
    text_bytes = int(cells.byte_of_char[len(text)])  # not an encode of 1 MB at once
    lanes = lanes_of(rows, comparison, text_bytes)
    check()
    chars = dataclasses.replace(cells, width=cells.width.copy())
    widen_split_characters(chars, lanes)
    check()
    if (
        previous is not None
        and (previous[1].x0, previous[1].width) == (x0, available)
        and np.array_equal(previous[0], chars.width)
    ):  # a row or the comparison landing on the same text: the same lines
        lines = previous[1]
    else:
        lines = wrap_lines(chars, x0, available)
    return CanvasGeometry(cells, chars, lanes, lines, np.append(chars.width, 0))


def span_x(
    chars: CharAxis,
    lines: VisualLines,
    cell_w: np.ndarray,
    b0: np.ndarray,
    b1: np.ndarray,
    ba: int,
    bb: int,
    line: int,
) -> tuple[np.ndarray, np.ndarray]:
    """Chip left/right on ``line`` (bytes ba…bb) for spans b0…b1 (1 px inset each side);
    ``cell_w``: the cells' widths with an end sentinel."""

    def byte_x(b: np.ndarray) -> np.ndarray:
        c = chars.char_of_byte[b]
        inside = b - chars.byte_of_char[c]
        return lines.char_x[c] + inside * cell_w[c] // chars.nbytes[c]

    x0 = byte_x(np.maximum(b0, ba))
    inner = np.minimum(b1, bb)
    x1 = np.where(b1 >= bb, lines.end_x[line], byte_x(np.minimum(inner, bb)))
    x1 = np.where(b1 <= b0, x0 + MIN_ZERO_W + 2, x1)
    return x0 + 1, x1 - 1


def geometry_job(
    font: QFont,
    text: str,
    pair: str | None,
    rows: list[ComparisonRow],
    comparison: Comparison | None,
    cells: CharAxis | None,
    x0: int,
    available: int,
    previous: tuple[np.ndarray, VisualLines] | None,
    *,
    cancel: CancelToken,
) -> CanvasGeometry:
    """The canvas's job for a long text, on a worker: its own font metrics (a QFont copy),
    no widget calls."""
    fm = QFontMetrics(font)
    return canvas_geometry(
        text, pair, rows, comparison, cells, fm, x0, available, previous, cancel.check
    )


def wrap_job(chars: CharAxis, x0: int, available: int, *, cancel: CancelToken) -> VisualLines:
    return wrap_lines(chars, x0, available)
