"""The comparison's whole-text steps are done a slice at a time (so a worker never holds
Python's lock long): with slices of a few elements, so that every boundary falls somewhere,
they give exactly what one slice over everything (the whole-array calls) gives — the axis
cells, the lines, the lanes, the comparison's marks and the stats' word count."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from PySide6.QtGui import QFont, QFontMetrics
from pytestqt.qtbot import QtBot

from inspector.core import array_slices, encoding
from inspector.core.catalog import Catalog
from inspector.core.compare import Comparison, compare
from inspector.core.encoding import encode
from inspector.gui.widgets.comparison_layout import (
    CanvasGeometry,
    canvas_geometry,
)

TEXT = "Hello wörld 🎶🇫🇷 naïve café\n東京 12345 tokens,\u3000and  more\twords \u0301x\n" * 9
PAIR = "A pair\ntext 漢字 and 🎶\n"
WHOLE = 1 << 40  # one slice: every helper makes the whole-array call


def _lay_out(catalog: Catalog, pair: str | None) -> tuple[Comparison, CanvasGeometry, list[int]]:
    results = [encode(catalog.load(name), TEXT, pair=pair) for name in ("gpt2", "cl100k_base")]
    comparison = compare(results)
    fm = QFontMetrics(QFont())
    geometry = canvas_geometry(TEXT, pair, list(comparison.rows), comparison, None, fm, 150, 400)
    return comparison, geometry, [r.stats.words for r in results]


def _arrays(obj: object) -> dict[str, object]:
    return {k: v for k, v in vars(obj).items() if isinstance(v, np.ndarray | int | str)}


def _same(a: object, b: object) -> None:
    left, right = _arrays(a), _arrays(b)
    assert left.keys() == right.keys()
    for key, value in left.items():
        if isinstance(value, np.ndarray):
            other = right[key]
            assert isinstance(other, np.ndarray)
            assert value.dtype == other.dtype and np.array_equal(value, other), key
        else:
            assert value == right[key], key


@pytest.mark.parametrize("pair", [None, PAIR])
def test_slices_give_what_the_whole_arrays_give(
    qtbot: QtBot, catalog: Catalog, monkeypatch: pytest.MonkeyPatch, pair: str | None
) -> None:
    monkeypatch.setattr(array_slices, "SLICE", WHOLE)
    monkeypatch.setattr(encoding, "WORD_SLICE", WHOLE)
    whole = _lay_out(catalog, pair)
    monkeypatch.setattr(array_slices, "SLICE", 5)
    monkeypatch.setattr(encoding, "WORD_SLICE", 3)
    sliced = _lay_out(catalog, pair)
    for row_whole, row_sliced in zip(whole[0].rows, sliced[0].rows, strict=True):
        for name in ("unshared", "unshared_boundaries", "unshared_pair_boundaries"):
            a, b = getattr(row_whole, name), getattr(row_sliced, name)
            assert (a is None) == (b is None)
            if a is not None:
                assert a.dtype == b.dtype and np.array_equal(a, b), name
        assert row_whole.stats == row_sliced.stats
    geometry_whole, geometry_sliced = whole[1], sliced[1]
    for field in dataclasses.fields(CanvasGeometry):
        a, b = getattr(geometry_whole, field.name), getattr(geometry_sliced, field.name)
        if isinstance(a, list):
            for lane_a, lane_b in zip(a, b, strict=True):
                _same(lane_a, lane_b)
        elif isinstance(a, np.ndarray):
            assert a.dtype == b.dtype and np.array_equal(a, b)
        else:
            _same(a, b)
    full = TEXT + (pair or "")
    assert geometry_sliced.chars.n == len(full)
    lines = geometry_sliced.lines
    assert lines.count > 20  # wrapped, and cut at the newlines
    every_line = np.arange(lines.count, dtype=np.int64)
    assert np.array_equal(lines.char_line, np.repeat(every_line, np.diff(lines.start)))
    assert whole[2] == sliced[2] == [len(TEXT.split()) + len((pair or "").split())] * 2
