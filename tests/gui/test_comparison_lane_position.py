"""Lane.position (a binary search) names the same place as a scan of the lane's tokens."""

from __future__ import annotations

import numpy as np

from inspector.core.catalog import Catalog
from inspector.core.compare import compare
from inspector.core.encoding import encode
from inspector.gui.widgets.comparison_layout import Lane, lane_of


def scanned(lane: Lane, token: int) -> int:
    hits = np.flatnonzero(lane.index == token)
    return int(hits[0]) if len(hits) else -1


def test_position_equals_the_scan(catalog: Catalog) -> None:
    text = "Straße 東京 🎶👩‍👩‍👧 [CLS] <|endoftext|> end"
    results = [encode(catalog.load(name), text, pair="pair 東") for name in ("minilm", "gpt2")]
    comparison = compare(results)
    for row in comparison.rows:
        assert row.result is not None
        lane = lane_of(row.result, None, comparison.text_bytes)
        for token in range(-1, len(row.result) + 2):  # specials are not on the axis
            assert lane.position(token) == scanned(lane, token)
    index, flags = np.array([7, 2, 9, 4]), np.zeros(4, dtype=bool)  # out of token order
    shuffled = Lane(index, index, index, index, index, flags, flags)
    assert [shuffled.position(t) for t in (2, 4, 7, 9, 3)] == [1, 3, 0, 2, -1]
