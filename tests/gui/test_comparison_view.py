"""The comparison view: shared character axis, unshared marks, hover linking, broken and slow
rows, the classic preset, the stats table, virtualised drawing — with real tokenizers."""

from __future__ import annotations

import itertools
import threading
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QColor, QGuiApplication, QImage, QKeySequence, QPalette
from pytestqt.qtbot import QtBot

from inspector.core.catalog import ENTRIES, Catalog, CatalogEntry
from inspector.core.compare import PRESET_CLASSIC, Comparison, preset_sample_text
from inspector.core.tokenizer import LoadedTokenizer
from inspector.gui.widgets.comparison_stats import BAR_ROLE, COLUMNS, SORT_ROLE
from inspector.gui.widgets.comparison_view import (
    LOADING,
    MARK_LIGHT,
    ComparisonCanvas,
    ComparisonPanel,
)
from inspector.gui.widgets.model_updates import PaintTurns
from tests.gui.conftest import shown

CHINESE = Path(__file__).resolve().parents[2] / "resources" / "samples" / "chinese.txt"


@pytest.fixture
def panel(qtbot: QtBot, catalog: Catalog) -> Iterator[ComparisonPanel]:
    widget = shown(qtbot, ComparisonPanel(catalog), 1400, 900)
    yield widget
    assert widget.shutdown(10_000)


def settle(qtbot: QtBot, panel: ComparisonPanel, timeout: int = 120_000) -> Comparison:
    """Wait until every row has its result or error and the comparison of them is shown
    (painted: a long text's first paint goes a band a turn)."""

    def done() -> bool:
        comparison = panel.comparison()
        canvas = panel.canvas
        return (
            panel.is_settled()
            and comparison is not None
            and len(comparison.rows) == len(panel.row_names())
            and all(row.error != LOADING for row in comparison.rows)
            and canvas.comparison() is comparison
            and not canvas.is_laying_out()
            and canvas.updatesEnabled()
            and not PaintTurns.shared().waiting(canvas)
        )

    qtbot.waitUntil(done, timeout=timeout)
    comparison = panel.comparison()
    assert comparison is not None
    return comparison


def axis_tokens(comparison: Comparison, row: int, sequence: int = 0) -> np.ndarray:
    result = comparison.rows[row].result
    assert result is not None
    cols = result.columns
    return np.flatnonzero((cols.sequence_ids == sequence) & ~cols.special)


def viewport_image(canvas: ComparisonCanvas) -> QImage:
    image = canvas.viewport().grab().toImage()
    assert image.devicePixelRatio() == 1
    return image


def base_color(canvas: ComparisonCanvas) -> QColor:
    return canvas.palette().color(QPalette.ColorRole.Base)


# ------------------------------------------------------------------ preset and alignment


def test_classic_preset_fills_rows_with_the_sample_text(
    qtbot: QtBot, panel: ComparisonPanel
) -> None:
    panel.set_text("the window's own text")
    panel.preset_button.click()
    comparison = settle(qtbot, panel)
    assert panel.row_names() == list(PRESET_CLASSIC)
    assert comparison.text == preset_sample_text()
    assert all(row.result is not None for row in comparison.rows)
    assert "mixed.txt" in panel.source_label.text()
    assert panel.table.stats_model.rowCount() == len(PRESET_CLASSIC)
    assert panel.canvas.line_count() == len(preset_sample_text().splitlines())
    # The link goes back to the window's text; the same rows encode it.
    panel.use_window_text()
    comparison = settle(qtbot, panel)
    assert comparison.text == "the window's own text"


@pytest.mark.parametrize("sample", ["mixed", "chinese"])
def test_boundaries_line_up_across_rows(qtbot: QtBot, panel: ComparisonPanel, sample: str) -> None:
    """Chips that start at the same byte start at the same x in every row, on screen."""
    if sample == "mixed":
        panel.apply_classic_preset()
    else:
        panel.set_text(CHINESE.read_text("utf-8"))
        panel.set_rows(["minilm", "gpt2", "qwen2.5", "mistral-v1"])
    comparison = settle(qtbot, panel)
    canvas = panel.canvas
    image = viewport_image(canvas)
    base = base_color(canvas)
    starts: dict[int, dict[int, int]] = {}  # byte → row → x
    checked_gaps = 0
    for row in range(len(comparison.rows)):
        result = comparison.rows[row].result
        assert result is not None
        for token in axis_tokens(comparison, row).tolist():
            rects = canvas.chip_rects(row, token)
            assert rects, f"row {row} token {token} has no chip"
            byte = int(result.columns.byte_start[token])
            starts.setdefault(byte, {})[row] = rects[0].left()
            char = int(result.columns.char_start[token])
            if not result.columns.partial[token]:
                # A whole-character token starts at its first character's cell.
                assert rects[0].left() == canvas.char_rect(char).left() + 1
            # On screen: the 2 px gap left of the chip is background in every row.
            left, mid = rects[0].left(), rects[0].center().y()
            if 0 <= mid < image.height() and left > canvas.char_rect(0).left() + 1:
                for x in (left - 2, left - 1):
                    assert image.pixelColor(x, mid) == base, (row, token, x)
                checked_gaps += 1
    shared = [xs for xs in starts.values() if len(xs) > 1]
    assert len(shared) > 20
    for xs in shared:
        assert len(set(xs.values())) == 1, xs
    assert checked_gaps > 50


def test_byte_pieces_subdivide_their_character(qtbot: QtBot, panel: ComparisonPanel) -> None:
    """GPT-2 cuts 🎶 into byte pieces: they tile the character's cell, in byte order."""
    text = "a 🎶 鸟"
    panel.set_text(text)
    panel.set_rows(["gpt2", "minilm"])
    comparison = settle(qtbot, panel)
    canvas = panel.canvas
    result = comparison.rows[0].result
    assert result is not None
    for char in (2, 4):  # 🎶, 鸟
        pieces = np.flatnonzero(
            (result.columns.char_start <= char) & (result.columns.char_end > char)
        )
        pieces = pieces[result.columns.partial[pieces]]
        assert len(pieces) >= 2, "gpt2 should split this character"
        cell = canvas.char_rect(char)
        first_byte = len(text[:char].encode())
        size = len(text[char].encode())
        assert cell.width() >= size * 16  # widened: room for each byte

        def x_of(byte: int, cell: QRect = cell, first: int = first_byte, size: int = size) -> int:
            return cell.left() + (byte - first) * cell.width() // size

        rects = [canvas.chip_rects(0, int(t))[0] for t in pieces]
        for token, rect in zip(pieces.tolist(), rects, strict=True):
            start, end = (
                int(result.columns.byte_start[token]),
                int(result.columns.byte_end[token]),
            )
            if start > first_byte:  # a cut inside the character: at its byte's share of the cell
                assert rect.left() == x_of(start) + 1
            if end <= first_byte + size:
                assert rect.right() + 1 == x_of(end) - 1
        for a, b in itertools.pairwise(rects):
            assert a.right() + 1 + 2 == b.left()  # adjacent, 2 px apart, in byte order
        # The row that keeps the character whole spans the same cell.
        whole = comparison.token_at(1, char)
        whole_rect = canvas.chip_rects(1, whole)[0]
        assert whole_rect.left() <= cell.left() + 1 and whole_rect.right() >= cell.right() - 1


def test_unshared_tokens_are_marked(qtbot: QtBot, panel: ComparisonPanel) -> None:
    panel.apply_classic_preset()
    comparison = settle(qtbot, panel)
    canvas = panel.canvas
    image = viewport_image(canvas)
    mark = QColor(MARK_LIGHT)
    seen = {True: 0, False: 0}
    for row, compared in enumerate(comparison.rows):
        assert compared.unshared is not None
        for token in axis_tokens(comparison, row).tolist():
            rect = canvas.chip_rects(row, token)[0]
            if rect.width() < 8 or rect.bottom() >= image.height():
                continue
            marked = bool(compared.unshared[token])
            bar = image.pixelColor(rect.center().x(), rect.bottom() - 1)
            assert (bar == mark) == marked, (row, token, marked)
            seen[marked] += 1
    assert seen[True] > 10 and seen[False] > 10


# ------------------------------------------------------------------ hover


def test_hovering_a_character_lights_its_token_in_every_row(
    qtbot: QtBot, panel: ComparisonPanel
) -> None:
    panel.apply_classic_preset()
    comparison = settle(qtbot, panel)
    canvas = panel.canvas
    text = comparison.text
    for char in (text.index("鸟"), text.index("Camel") + 2, text.index("🎶")):
        with qtbot.waitSignal(canvas.hovered) as signal:
            qtbot.mouseMove(canvas.viewport(), canvas.char_rect(char).center())
        assert signal.args == [char]
        lit = canvas.highlighted()
        for row in range(len(comparison.rows)):
            cols = comparison.rows[row].result.columns  # type: ignore[union-attr]
            covering = axis_tokens(comparison, row)
            covering = covering[
                (cols.char_start[covering] <= char) & (cols.char_end[covering] > char)
            ]
            assert lit[row].tolist() == covering.tolist(), (row, char)
            assert comparison.token_at(row, char) == covering[0]
        # Every lit chip is painted in the "current" colour.
        image = viewport_image(canvas)
        current = QColor(canvas._theme.current)
        for row in range(len(comparison.rows)):
            for token in lit[row].tolist():
                rect = canvas.chip_rects(row, token)[0]
                area = [
                    image.pixelColor(x, y) == current
                    for x in range(rect.left() + 1, rect.right())
                    for y in range(rect.top() + 1, rect.bottom())
                ]
                assert sum(area) >= len(area) // 3, (row, token)
    # A chip's tooltip names its row, id, bytes and whether its boundaries are shared.
    gpt2 = PRESET_CLASSIC.index("gpt2")
    piece = int(canvas.highlighted()[gpt2][0])
    tip = canvas.tooltip_html(gpt2, piece)
    assert "gpt2" in tip and f"id <b>{comparison.rows[gpt2].result.columns.ids[piece]}</b>" in tip  # type: ignore[union-attr]
    assert "F0 9F" in tip and "not a boundary in every other row" in tip
    assert canvas.token_under(canvas.chip_rects(gpt2, piece)[0].center()) == (gpt2, piece)
    # Moving over a lane works too (same column → same character); leaving clears.
    char = text.index("Straße")
    lane_point = canvas.chip_rects(2, comparison.token_at(2, char))[0].center()
    lane_point.setX(canvas.char_rect(char).center().x())
    qtbot.mouseMove(canvas.viewport(), lane_point)
    qtbot.waitUntil(lambda: canvas.hovered_char() == char)
    canvas.hover_char(-1)
    assert all(len(tokens) == 0 for tokens in canvas.highlighted())


def test_pair_text_has_its_own_lines_and_links(qtbot: QtBot, panel: ComparisonPanel) -> None:
    panel.set_text("Where is the station?", "Next to the café.")
    panel.set_rows(["minilm", "gpt2"])
    comparison = settle(qtbot, panel)
    assert comparison.pair == "Next to the café."
    canvas = panel.canvas
    pair_start = len(comparison.text)
    assert canvas.char_rect(pair_start).top() > canvas.char_rect(pair_start - 1).top()
    char = pair_start + comparison.pair.index("café") + 3  # é
    canvas.hover_char(char)
    for row, lit in enumerate(canvas.highlighted()):
        result = comparison.rows[row].result
        assert result is not None
        assert len(lit) >= 1
        assert set(result.columns.sequence_ids[lit].tolist()) == {1}
        assert comparison.token_at(row, char - pair_start, 1) == lit[0]


# ------------------------------------------------------------------ rows


def test_a_broken_row_shows_its_error_and_the_others_work(
    qtbot: QtBot, panel: ComparisonPanel, tmp_path: Path
) -> None:
    missing = tmp_path / "nowhere" / "tokenizer.json"
    panel.set_text("Tokenizers see text differently 🎶")
    panel.set_rows(["minilm", str(missing), "gpt2"])
    comparison = settle(qtbot, panel)
    broken = comparison.rows[1]
    assert broken.result is None and broken.error and "no such file" in broken.error
    assert comparison.rows[0].result is not None and comparison.rows[2].result is not None
    assert panel.canvas.rows()[1].message == broken.error
    # The table says why, after the tokenizer's name; rows with stats are compared.
    model = panel.table.stats_model
    row = next(r for r in range(model.rowCount()) if model.line(r).position == 1)
    assert "no such file" in model.index(row, 1).data()
    assert comparison.rows[0].unshared is not None
    assert panel.table.columnSpan(row, 1) == len(COLUMNS) - 1


def test_a_slow_row_never_holds_up_the_others(qtbot: QtBot, catalog: Catalog) -> None:
    release = threading.Event()

    def slow(entry_id: str) -> LoadedTokenizer:
        release.wait(60)
        # A tokenizer object of its own: the catalog stamps what it loads with its recipe.
        gpt2 = catalog.entry("gpt2")
        assert gpt2 is not None and gpt2.loader is not None
        return gpt2.loader(gpt2.id)

    slow_catalog = Catalog((*ENTRIES, CatalogEntry("slow", "slow", "BPE", "a test", (), slow)))
    panel = shown(qtbot, ComparisonPanel(slow_catalog), 1200, 700)
    try:
        panel.set_text("one two three")
        panel.set_rows(["slow", "minilm", "o200k_base"])

        def others_shown() -> bool:
            comparison = panel.comparison()
            return comparison is not None and all(
                comparison.rows[r].result is not None for r in (1, 2)
            )

        qtbot.waitUntil(others_shown, timeout=60_000)
        comparison = panel.comparison()
        assert comparison is not None
        assert comparison.rows[0].error == LOADING
        assert panel.canvas.rows()[0].message == LOADING
        assert not panel.is_settled()
        release.set()
        comparison = settle(qtbot, panel)
        assert comparison.rows[0].result is not None
    finally:
        release.set()
        assert panel.shutdown(10_000)


def test_add_and_remove_rows(qtbot: QtBot, panel: ComparisonPanel) -> None:
    panel.set_text("add and remove")
    panel.picker.setEditText("gpt-4")  # an alias: stored as its catalog id
    qtbot.keyClick(panel.picker, Qt.Key.Key_Return)
    assert panel.row_names() == ["cl100k_base"]
    assert not panel.add_row("cl100k_base")
    assert "already" in panel.message.text()
    for name in ("gpt2", "minilm", "o200k_base", "mistral-v1", "mistral-v3", "qwen2.5", "qwen3.6"):
        assert panel.add_row(name)
    assert len(panel.row_names()) == 8
    assert not panel.add_row("/some/other/tokenizer.json")
    assert "at most 8" in panel.message.text()
    settle(qtbot, panel)
    # Remove the rows selected in the table (the table may be sorted: lanes keep order).
    panel.table.sortByColumn(1, Qt.SortOrder.DescendingOrder)
    model = panel.table.stats_model
    gpt2_row = next(r for r in range(model.rowCount()) if model.line(r).requested == "gpt2")
    panel.table.selectRow(gpt2_row)
    panel.remove_button.click()
    assert "gpt2" not in panel.row_names() and len(panel.row_names()) == 7
    comparison = settle(qtbot, panel)
    assert [row.requested for row in comparison.rows] == panel.row_names()
    assert len(panel.canvas.rows()) == 7


# ------------------------------------------------------------------ stats table


def test_stats_table_sorts_with_bars(qtbot: QtBot, panel: ComparisonPanel, tmp_path: Path) -> None:
    panel.set_text(preset_sample_text())
    panel.set_rows([*PRESET_CLASSIC[:4], str(tmp_path / "missing.model")])
    comparison = settle(qtbot, panel)
    table, model = panel.table, panel.table.stats_model
    tokens_column = [c.field for c in COLUMNS].index("tokens")
    for order in (Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder):
        table.sortByColumn(tokens_column, order)
        lines = model.lines()
        counts = [line.stats.tokens for line in lines if line.stats is not None]
        assert counts == sorted(counts, reverse=order == Qt.SortOrder.DescendingOrder)
        assert lines[-1].stats is None  # the broken row stays last either way
    expected = {row.requested: row.stats for row in comparison.rows if row.stats is not None}
    bars = []
    for r in range(model.rowCount()):
        line = model.line(r)
        if line.stats is None:
            continue
        assert line.stats == expected[line.requested]
        shown_count = model.index(r, tokens_column).data()
        assert shown_count == f"{line.stats.tokens:,}"
        bars.append(model.index(r, tokens_column).data(BAR_ROLE))
        unshared_column = [c.field for c in COLUMNS].index("unshared_tokens")
        compared = next(row for row in comparison.rows if row.requested == line.requested)
        assert compared.unshared is not None
        assert model.index(r, unshared_column).data() == f"{int(compared.unshared.sum()):,}"
        trip = model.index(r, [c.field for c in COLUMNS].index("roundtrip_ok")).data()
        assert trip == ("✓" if line.stats.roundtrip_ok else "✗")
    assert max(bars) == 1.0 and all(0 < b <= 1 for b in bars)
    # MiniLM lowercases: its round trip fails and the table says so.
    minilm = next(r for r in range(model.rowCount()) if "MiniLM" in model.line(r).requested)
    assert model.line(minilm).stats.roundtrip_ok is False  # type: ignore[union-attr]
    # The other roles, each cell worked out once per sort (here, after the last one).
    trip_column = [c.field for c in COLUMNS].index("roundtrip_ok")
    assert model.index(minilm, trip_column).data(Qt.ItemDataRole.ForegroundRole) == QColor(
        "#C62828"
    )
    assert model.index(minilm, trip_column).data(Qt.ItemDataRole.TextAlignmentRole) == int(
        Qt.AlignmentFlag.AlignCenter
    )
    tokens_at = model.index(minilm, tokens_column)
    assert tokens_at.data(SORT_ROLE) == model.line(minilm).stats.tokens  # type: ignore[union-attr]
    assert tokens_at.data(Qt.ItemDataRole.TextAlignmentRole) == int(
        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
    )
    assert model.index(minilm, 0).data(Qt.ItemDataRole.ToolTipRole) == model.line(minilm).requested
    broken = model.rowCount() - 1
    assert model.index(broken, 1).data(Qt.ItemDataRole.ForegroundRole) == QColor("#C62828")
    assert model.index(broken, 2).data() is None and model.index(broken, 2).data(BAR_ROLE) is None
    # Ctrl+C copies the rows as TSV, in the table's order.
    table.setFocus()
    qtbot.keySequence(table, QKeySequence.StandardKey.Copy)
    copied = QGuiApplication.clipboard().text().splitlines()
    assert copied[0].split("\t") == [c.title for c in COLUMNS]
    names = [line.requested for line in model.lines()]
    assert [line.split("\t")[0] for line in copied[1:]] == names
    # Sorting by name, then back to no sort column restores lane order.
    table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
    names = [line.requested.lower() for line in model.lines() if line.stats is not None]
    assert names == sorted(names)
    model.sort(-1)
    assert [line.position for line in model.lines()] == list(range(5))


# ------------------------------------------------------------------ size


@pytest.mark.slow
def test_large_text_draws_only_visible_lines(
    qtbot: QtBot, panel: ComparisonPanel, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = (preset_sample_text() + "\n") * 700  # ~100 KB
    assert len(text.encode()) > 90_000
    panel.set_text(text)
    panel.set_rows(["gpt2", "o200k_base"])
    settle(qtbot, panel)
    canvas = panel.canvas
    assert canvas.line_count() > 3000
    painted: list[int] = []
    original = ComparisonCanvas._paint_lane

    def counting(self: ComparisonCanvas, painter: object, line: int, row: int, top: int) -> None:
        painted.append(line)
        original(self, painter, line, row, top)  # type: ignore[arg-type]

    monkeypatch.setattr(ComparisonCanvas, "_paint_lane", counting)
    bar = canvas.verticalScrollBar()
    bar.setValue(bar.maximum() // 2)
    canvas.viewport().repaint()
    visible_lines = canvas.viewport().height() // canvas.line_height() + 2
    assert painted and len(set(painted)) <= visible_lines
    line_h = canvas.line_height()
    next_line_top = 6 + (bar.value() // line_h + 1) * line_h - bar.value()  # 6: the margin
    middle = canvas.char_at(QPoint(canvas.char_rect(0).left() + 1, next_line_top + 2))
    assert middle > len(text) // 3  # the middle of the text is what is drawn


def test_empty_text_and_no_rows(qtbot: QtBot, panel: ComparisonPanel) -> None:
    canvas = panel.canvas
    assert canvas.line_count() == 0
    canvas.viewport().repaint()  # the hint, no rows
    panel.set_text("")
    panel.set_rows(["minilm", "gpt2"])
    comparison = settle(qtbot, panel)
    assert comparison.text == "" and all(row.result is not None for row in comparison.rows)
    assert canvas.line_count() == 0 and canvas.char_at(QPoint(50, 20)) == -1
    canvas.viewport().repaint()  # "The text is empty."
    panel.set_rows([])
    qtbot.waitUntil(lambda: panel.comparison() is None and not canvas.rows())


def test_a_hidden_panel_waits_to_encode_until_shown(qtbot: QtBot, panel: ComparisonPanel) -> None:
    """Typing in the window re-encodes the comparison only while it can be seen."""
    panel.set_text("first text")
    panel.set_rows(["gpt2", "minilm"])
    assert settle(qtbot, panel).text == "first text"
    # A superseded job (an earlier comparison, a layout) may still be finishing: let it,
    # so the count below is of what the hidden panel starts.
    qtbot.waitUntil(lambda: panel.runner.active() == 0)
    panel.hide()
    panel.set_text("second text")
    assert panel.runner.active() == 0 and panel.is_settled()
    assert panel.comparison().text == "first text"  # type: ignore[union-attr]
    panel.show()
    qtbot.waitUntil(lambda: not panel.is_settled())
    assert settle(qtbot, panel).text == "second text"


def test_set_rows_shows_the_rows_once(qtbot: QtBot, panel: ComparisonPanel) -> None:
    """Each show of a long text lays the canvas out again on a worker: the rows of one
    set_rows are shown together, not one show per row added."""
    shows: list[object] = []
    panel.comparison_changed.connect(shows.append)
    panel.set_rows(["gpt2", "cl100k_base"])
    assert len(shows) == 1 and panel.canvas.rows()[0].message == LOADING
    settle(qtbot, panel)


def test_row_jobs_start_after_the_paint_turns_waiting(
    qtbot: QtBot, panel: ComparisonPanel, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A row's encode started beside a paint turn held the window 17 ms: set_rows starts the
    jobs once no view waits for its turn (a bounded number of waits, then anyway)."""
    turns = PaintTurns.shared()
    busy_at_submit: list[bool] = []
    submit = ComparisonPanel._submit

    def logged(self: ComparisonPanel, row: object) -> None:
        busy_at_submit.append(turns.busy())
        submit(self, row)  # type: ignore[arg-type]

    monkeypatch.setattr(ComparisonPanel, "_submit", logged)
    panel.set_text("Hello wörld, naïve café 東京 12345\n" * 200)
    panel.set_rows(["gpt2", "cl100k_base"])
    assert turns.busy()  # the loading rows' paint waits for its turn
    settle(qtbot, panel)
    assert busy_at_submit == [False, False]
    # Turns that never end (another view painting on and on) do not keep the rows waiting.
    busy_at_submit.clear()
    monkeypatch.setattr(PaintTurns, "busy", lambda self: True)
    panel.set_rows(["o200k_base"])
    settle(qtbot, panel)
    assert busy_at_submit == [True]
