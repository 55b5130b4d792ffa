"""The strip's per-token arrays and layout are built a slice of tokens at a time (so a worker
never holds Python's lock long): they equal, array for array and dtype for dtype, what the
whole-array formulation below (the strip's code before slicing) gives — with slices of a few
tokens, so that every boundary falls somewhere, and on a long result with the real slice."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtGui import QFont, QFontMetrics

from inspector.core import array_slices
from inspector.core.catalog import Catalog
from inspector.core.display import display_token
from inspector.core.encoding import EncodingResult, encode
from inspector.gui.widgets import strip_layout
from inspector.gui.widgets.strip_layout import (
    GAP,
    GROUP_PAD,
    LINE_GAP,
    MARGIN,
    MIN_CHIP,
    PAD_X,
    MeasuredTexts,
    StripLayout,
    StripTokens,
    line_starts,
    plain_display,
)

TEXT = "Hello world, <|endoftext|> ünïcödé 😀 and\n\nmore lines\n中文字符 👨‍👩‍👧 \u0301x\n" * 7
PAIR = "A pair\ntext 漢字\n"


def whole_line_breaks(result: EncodingResult, special: np.ndarray) -> np.ndarray:
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
        newlines_before = np.zeros(len(points) + 1, dtype=np.int32)
        np.cumsum(points == 10, out=newlines_before[1:])
        last = len(points)
        lo = np.clip(start[rows], 0, last)
        hi = np.clip(reach[rows], 0, last)
        breaks[rows] = newlines_before[hi] > newlines_before[lo]
    pair = np.flatnonzero(seq == 1)
    if len(pair) and pair[0] > 0:
        breaks[pair[0] - 1] = True
    return breaks


def whole_prepare(
    result: EncodingResult, font: QFont, *, glyphs: bool, digit_w: int
) -> StripTokens:
    cols = result.columns
    n = len(cols)
    ids = np.asarray(cols.ids, dtype=np.int64)
    special = np.asarray(cols.special, dtype=bool)
    keys = ids * 2 + special
    uniq, rep, inverse = np.unique(keys, return_index=True, return_inverse=True)
    metrics = QFontMetrics(font)
    show = display_token if glyphs else plain_display
    unk = result.tokenizer.unk_token
    uniq_width = np.zeros(len(uniq), dtype=np.int64)
    unk_keys = []
    for k, key in enumerate(uniq.tolist()):
        token_id, is_special = key >> 1, bool(key & 1)
        raw = None if is_special else result._source.token_bytes(token_id)
        token = cols.tokens[int(rep[k])]
        uniq_width[k] = metrics.horizontalAdvance(
            show(token, raw, is_special, result.tokenizer.algorithm)
        )
        if unk is not None and not is_special and token == unk:
            unk_keys.append(key)
    text_width = uniq_width[inverse]
    inner = text_width
    if digit_w:
        digits = np.char.str_len((uniq >> 1).astype(str)).astype(np.int64)
        inner = np.maximum(inner, (digits * digit_w)[inverse])
    chip_width = np.maximum(inner + 2 * PAD_X, MIN_CHIP)
    unk_key = np.isin(uniq, np.asarray(unk_keys, dtype=np.int64))
    flags = special.astype(np.uint8) * strip_layout.SPECIAL_FLAG
    flags |= cols.typed_control.astype(np.uint8) * strip_layout.TYPED_FLAG
    flags |= (unk_key[inverse] & ~cols.typed_control).astype(np.uint8) * strip_layout.UNK_FLAG
    flags |= (np.asarray(cols.attention_mask) == 0).astype(np.uint8) * strip_layout.FADED_FLAG
    breaks = whole_line_breaks(result, special)
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


def whole_wrap(tokens: StripTokens, available: int, chip_h: int, band: int) -> StripLayout:
    n = tokens.n
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
    height = int(line_top[-1]) - LINE_GAP + MARGIN
    return StripLayout(available, x, chip, line, line_start, line_top, chip_dy, height)


def assert_same(sliced: object, whole: object) -> None:
    for name, expected in vars(whole).items():
        got = getattr(sliced, name)
        if isinstance(expected, np.ndarray):
            assert got.dtype == expected.dtype, name
            assert np.array_equal(got, expected), name
        else:
            assert got == expected, name


def check(result: EncodingResult, *, glyphs: bool = True, digit_w: int = 0) -> None:
    font = QFont("DejaVu Sans", 11)
    metrics = QFontMetrics(font)
    tokens = strip_layout.prepare_tokens(
        result, MeasuredTexts(), metrics.horizontalAdvance, glyphs=glyphs, digit_w=digit_w
    )
    whole = whole_prepare(result, font, glyphs=glyphs, digit_w=digit_w)
    assert_same(tokens, whole)
    for available in (60, 400, 100_000):
        layout = strip_layout.wrap_tokens(tokens, available, 20, 15)
        assert_same(layout, whole_wrap(whole, available, 20, 15))


@pytest.mark.parametrize("step", [1, 2, 3, 7, 64])
@pytest.mark.parametrize("name", ["gpt2", "minilm", "mistral-v1"])
def test_slices_of_a_few_tokens_give_the_whole_array_result(
    qapp: object, catalog: Catalog, monkeypatch: pytest.MonkeyPatch, name: str, step: int
) -> None:
    monkeypatch.setattr(array_slices, "SLICE", step)
    tok = catalog.load(name)
    check(encode(tok, TEXT, with_roundtrip=False))
    check(encode(tok, TEXT, pair=PAIR, with_roundtrip=False), glyphs=False, digit_w=7)


def test_a_long_result_across_real_slices(qapp: object, catalog: Catalog) -> None:
    line = "Tokens, 中文, ünïcödé 😀 <|endoftext|> and more words.\n"
    text = line * (3 * array_slices.SLICE // 20)
    result = encode(catalog.load("gpt2"), text, with_roundtrip=False)
    assert len(result) > 2 * array_slices.SLICE
    check(result, digit_w=6)
