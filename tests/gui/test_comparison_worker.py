"""A comparison over SYNC_CHARS is measured, laned and wrapped on a worker: the same cells,
lines and chips as laid out at once, after set_rows and after a resize."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QRect
from pytestqt.qtbot import QtBot

from inspector.core.catalog import Catalog
from inspector.core.compare import ComparisonRow, compare
from inspector.core.encoding import encode
from inspector.gui.widgets import comparison_canvas
from inspector.gui.widgets.comparison_canvas import ComparisonCanvas
from tests.gui.conftest import shown

TEXT = "Hello wörld 🎶🇫🇷 naïve café 東京 12345 tokens, and more words\n" * 12


def _geometry(canvas: ComparisonCanvas, rows: list[ComparisonRow]) -> list[object]:
    scroll = canvas.verticalScrollBar().value()
    cells = [canvas.char_rect(i).translated(0, scroll) for i in range(len(TEXT))]
    chips: list[QRect] = []
    for r, row in enumerate(rows):
        assert row.result is not None
        for token in range(0, len(row.result), 7):
            chips += [rect.translated(0, scroll) for rect in canvas.chip_rects(r, token)]
    return [canvas.line_count(), cells, chips]


def test_a_worker_lays_out_the_same_comparison(
    qtbot: QtBot, catalog: Catalog, monkeypatch: pytest.MonkeyPatch
) -> None:
    results = [encode(catalog.load(name), TEXT) for name in ("gpt2", "cl100k_base")]
    comparison = compare(results)
    rows = [
        ComparisonRow(r.tokenizer.id, r, None, None, None, position=i)
        for i, r in enumerate(results)
    ]
    at_once = shown(qtbot, ComparisonCanvas(), 700, 500)
    at_once.set_rows(TEXT, None, rows, comparison)
    assert not at_once.is_laying_out() and at_once.line_count() > 12
    monkeypatch.setattr(comparison_canvas, "SYNC_CHARS", 10)
    worker = shown(qtbot, ComparisonCanvas(), 700, 500)
    with qtbot.waitSignal(worker.laid_out, timeout=30_000):
        worker.set_rows(TEXT, None, rows, comparison)
        assert worker.is_laying_out() and worker.line_count() == 0
        worker.grab()  # "Laying out the comparison…"
    assert worker.comparison() is comparison
    assert _geometry(worker, rows) == _geometry(at_once, rows)
    at_once.resize(420, 500)
    worker.resize(420, 500)  # wrapped again on the worker
    qtbot.waitUntil(
        lambda: at_once.line_count() == worker.line_count() > 0 and worker._runner.active() == 0,
        timeout=30_000,
    )
    assert _geometry(worker, rows) == _geometry(at_once, rows)


def test_the_text_in_view_is_prepared_before_a_worker_layout_is_shown(
    qtbot: QtBot, catalog: Catalog, monkeypatch: pytest.MonkeyPatch
) -> None:
    results = [encode(catalog.load(name), TEXT) for name in ("gpt2", "cl100k_base")]
    comparison = compare(results)
    rows = list(comparison.rows)
    monkeypatch.setattr(comparison_canvas, "SYNC_CHARS", 10)
    canvas = shown(qtbot, ComparisonCanvas(), 700, 500)
    shown_rows: list[int] = []
    canvas.laid_out.connect(lambda: shown_rows.append(len(canvas.rows())))
    with qtbot.waitSignal(canvas.laid_out, timeout=30_000):
        canvas.set_rows(TEXT, None, rows[:1], None)
        canvas.set_rows(TEXT, None, rows, comparison)  # while the first is laid out: it wins
    qtbot.wait(50)
    assert shown_rows == [2] and not canvas.is_laying_out()
    assert canvas.comparison() is comparison
    # Every character in view was prepared before the paint.
    last = canvas.viewport().height() // canvas.line_height() + 1
    in_view = TEXT[: int(canvas._lines.start[min(last, canvas.line_count())])]
    assert {ord(c) for c in in_view} <= canvas._char_statics.keys()
