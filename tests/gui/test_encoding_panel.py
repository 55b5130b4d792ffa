"""The encoding panel: controls → EncodeSettings, invalid combinations, the drawn grids."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from inspector.core.catalog import Catalog
from inspector.core.encoding import encode, encode_batch
from inspector.core.settings import EncodeSettings
from inspector.core.tokenizer import LoadedTokenizer
from inspector.gui.state import InspectorState
from inspector.gui.widgets.batch_page import MATRICES, padding_cells
from inspector.gui.widgets.encoding_panel import (
    MAX_COLUMNS,
    UNSIZED_WIDTH,
    EncodingPanel,
    overlap_mask,
    window_spans,
)

MINILM = "sentence-transformers/all-MiniLM-L6-v2"
QUESTION = "Where is the library?"
ANSWER = "The library stands next to the old railway station."


@pytest.fixture
def make_panel(qtbot: QtBot, catalog: Catalog) -> Iterator[Callable[[], EncodingPanel]]:
    """Panels, each on its own session state (no tokenizer loaded: nothing encodes)."""
    states: list[InspectorState] = []

    def make() -> EncodingPanel:
        states.append(InspectorState(catalog))
        widget = EncodingPanel(states[-1])
        qtbot.addWidget(widget)
        return widget

    yield make
    for state in states:
        state.shutdown()


@pytest.fixture
def panel(make_panel: Callable[[], EncodingPanel]) -> EncodingPanel:
    return make_panel()


@pytest.fixture(scope="module")
def minilm(catalog: Catalog) -> LoadedTokenizer:
    return catalog.load(MINILM)


def test_defaults(panel: EncodingPanel) -> None:
    assert panel.settings() == EncodeSettings()
    assert panel.mode() == "single"
    assert panel.is_valid()
    assert not panel.message_label.isVisibleTo(panel)
    assert panel.max_length_spin.text() == "none"
    assert not panel.tabs.isTabEnabled(1)


def test_every_control_maps_to_its_field(qtbot: QtBot, panel: EncodingPanel) -> None:
    def change(action: Callable[[], object]) -> EncodeSettings:
        with qtbot.waitSignal(panel.settings_changed, timeout=1000):
            action()
        assert panel.is_valid(), panel.message()
        return panel.settings()

    assert change(lambda: panel.add_special_check.setChecked(False)).add_special_tokens is False
    assert change(lambda: panel.pretokenized_check.setChecked(True)).pretokenized is True
    assert change(lambda: panel.padding_combo.setCurrentText("longest")).padding == "longest"
    assert change(lambda: panel.side_combo.setCurrentText("left")).padding_side == "left"
    assert panel.side_combo.isEnabled()
    truncation = change(lambda: panel.truncation_combo.setCurrentText("longest_first"))
    assert truncation.truncation == "longest_first"
    assert change(lambda: panel.max_length_spin.setValue(16)).max_length == 16
    assert change(lambda: panel.stride_spin.setValue(4)).stride == 4
    assert change(lambda: panel.padding_combo.setCurrentText("max_length")).padding == "max_length"

    with qtbot.waitSignal(panel.settings_changed, timeout=1000):
        panel.mode_buttons["pair"].click()
    assert panel.mode() == "pair"
    assert change(lambda: panel.truncation_combo.setCurrentText("only_second")).truncation == (
        "only_second"
    )
    assert change(lambda: panel.truncation_combo.setCurrentText("only_first")).truncation == (
        "only_first"
    )
    with qtbot.waitSignal(panel.settings_changed, timeout=1000):
        panel.mode_buttons["batch"].click()
    assert panel.mode() == "batch"

    assert panel.settings() == EncodeSettings(
        add_special_tokens=False,
        truncation="only_first",
        max_length=16,
        stride=4,
        padding="max_length",
        padding_side="left",
        pretokenized=True,
    )
    # max_length 0 is "none": back to no limit.
    change(lambda: panel.padding_combo.setCurrentText("longest"))
    change(lambda: panel.stride_spin.setValue(0))
    assert change(lambda: panel.max_length_spin.setValue(0)).max_length is None
    assert panel.max_length_spin.text() == "none"
    change(lambda: panel.padding_combo.setCurrentText("none"))
    assert not panel.side_combo.isEnabled()


@pytest.mark.parametrize(
    ("controls", "words"),
    [
        ({"padding": "max_length"}, "needs a max_length"),
        ({"stride": 3}, "only works with truncation"),
        ({"truncation": "longest_first", "max_length": 4, "stride": 4}, "smaller than max_length"),
        ({"truncation": "longest_first", "max_length": 4, "stride": 9}, "smaller than max_length"),
        ({"truncation": "only_second"}, "needs a pair text"),
    ],
)
def test_invalid_combination_shows_message_and_keeps_last_valid(
    qtbot: QtBot, panel: EncodingPanel, controls: dict[str, object], words: str
) -> None:
    panel.pretokenized_check.setChecked(True)  # a valid change first
    setters = {
        "padding": panel.padding_combo.setCurrentText,
        "truncation": panel.truncation_combo.setCurrentText,
        "max_length": panel.max_length_spin.setValue,
        "stride": panel.stride_spin.setValue,
    }
    *first, last = controls.items()
    for name, value in first:
        setters[name](value)  # type: ignore[operator]
    assert panel.is_valid(), panel.message()
    valid = panel.settings()  # the last valid combination
    with qtbot.waitSignal(panel.settings_changed, timeout=1000):
        setters[last[0]](last[1])  # type: ignore[operator]
    assert not panel.is_valid()
    assert words in panel.message()
    assert panel.message_label.isVisibleTo(panel)
    assert words in panel.message_label.text()
    assert panel.settings() == valid
    assert panel.mode() == "single"


def test_invalid_then_fixed(qtbot: QtBot, panel: EncodingPanel) -> None:
    panel.padding_combo.setCurrentText("max_length")
    assert not panel.is_valid()
    assert panel.settings().padding == "none"
    with qtbot.waitSignal(panel.settings_changed, timeout=1000):
        panel.max_length_spin.setValue(8)
    assert panel.is_valid()
    assert panel.message() == ""
    assert not panel.message_label.isVisibleTo(panel)
    assert panel.settings() == EncodeSettings(padding="max_length", max_length=8)


def test_leaving_pair_mode_with_only_second_keeps_the_valid_pair(
    qtbot: QtBot, panel: EncodingPanel
) -> None:
    panel.set_settings(EncodeSettings(truncation="only_second", max_length=12), "pair")
    with qtbot.waitSignal(panel.settings_changed, timeout=1000):
        panel.mode_buttons["single"].click()
    assert "pair mode" in panel.message()
    assert panel.mode() == "pair"  # settings and mode stay the last valid combination
    assert panel.settings().truncation == "only_second"


def test_set_settings_round_trip_without_signal(
    qtbot: QtBot, panel: EncodingPanel, make_panel: Callable[[], EncodingPanel]
) -> None:
    saved = EncodeSettings(
        add_special_tokens=False,
        truncation="only_second",
        max_length=12,
        stride=2,
        padding="max_length",
        padding_side="left",
        pretokenized=True,
    )
    with qtbot.assertNotEmitted(panel.settings_changed):
        panel.set_settings(saved, "pair")
    assert panel.settings() == saved
    assert panel.mode() == "pair"
    assert panel.is_valid()
    assert panel.mode_buttons["pair"].isChecked()
    assert panel.truncation_combo.currentText() == "only_second"
    assert panel.max_length_spin.value() == 12
    assert panel.side_combo.currentText() == "left"
    assert (panel.state.settings, panel.state.mode) == (saved, "pair")  # valid: to the state
    other = make_panel()
    other.set_settings(panel.settings(), panel.mode())
    assert (other.settings(), other.mode()) == (saved, "pair")
    with qtbot.assertNotEmitted(panel.settings_changed):
        panel.set_settings(EncodeSettings(), "batch")
    assert (panel.settings(), panel.mode()) == (EncodeSettings(), "batch")
    panel.set_settings(EncodeSettings(), "nonsense")
    assert panel.mode() == "single"


def test_show_result_pair_has_token_type_rows(
    panel: EncodingPanel, minilm: LoadedTokenizer
) -> None:
    result = encode(minilm, QUESTION, EncodeSettings(), pair=ANSWER)
    panel.show_result(result)
    model = panel.grid_model
    assert model.row_names == (
        "token",
        "id",
        "attention_mask",
        "token_type_ids",
        "position_ids",
        "sequence",
        "special",
    )
    assert model.columnCount() == len(result)
    assert model.row_texts("token") == [v.display for v in result.views()]
    assert model.row_texts("id") == [str(i) for i in result.ids]
    types = model.row_texts("token_type_ids")
    assert types == [str(t) for t in result.columns.type_ids]
    assert set(types) == {"0", "1"}
    assert model.row_texts("attention_mask") == ["1"] * len(result)
    special = model.row_texts("special")
    assert [s == "✓" for s in special] == result.columns.special.tolist()
    # Headers name the rows; cells sit in one column per token.
    assert model.headerData(3, Qt.Orientation.Vertical) == "token_type_ids"
    assert model.headerData(0, Qt.Orientation.Horizontal) == "0"
    assert panel.grid.isVisibleTo(panel)
    assert f"{len(result)} tokens" in panel.note_label.text()
    assert not panel.overflow_view.isVisibleTo(panel)


def test_show_result_without_token_types(panel: EncodingPanel, catalog: Catalog) -> None:
    result = encode(catalog.load("gpt2"), "Hello world", EncodeSettings())
    assert not result.tokenizer.uses_token_type_ids
    panel.show_result(result)
    assert panel.grid_model.row_names == (
        "token",
        "id",
        "attention_mask",
        "position_ids",
        "special",
    )


def test_show_result_lists_overflow_windows(panel: EncodingPanel, minilm: LoadedTokenizer) -> None:
    settings = EncodeSettings(truncation="only_second", max_length=12, stride=2)
    panel.set_settings(settings, "pair")
    result = encode(minilm, QUESTION, settings, pair=ANSWER)
    assert result.overflow, "the pair text must overflow at max_length 12"
    panel.show_result(result)
    windows = (result.columns, *result.overflow)
    model = panel.overflow_model
    assert panel.overflow_view.isVisibleTo(panel)
    assert model.rowCount() == 2 * len(windows)
    assert f"{len(result.overflow)} more window" in panel.overflow_label.text()
    for number, cols in enumerate(windows):
        tokens = [model.data(model.index(2 * number, 1 + i)) for i in range(len(cols))]
        ids = [model.data(model.index(2 * number + 1, 1 + i)) for i in range(len(cols))]
        assert tokens == [result.token(i, columns=cols).display for i in range(len(cols))]
        assert ids == [str(i) for i in cols.ids.tolist()]
        # The span: min start .. max end of the window's non-special tokens, per text.
        text = ~cols.special & (cols.sequence_ids == 1)
        start, end = int(cols.char_start[text].min()), int(cols.char_end[text].max())
        assert window_spans(cols)[1] == (start, end)
        assert f"pair {start}–{end}" in model.data(model.index(2 * number, 0))
        assert ANSWER[start:end] in model.span_tip(number)
    # Each later window repeats `stride` tokens of the pair text, never the untouched question.
    for before, after in itertools.pairwise(windows):
        repeated = overlap_mask(before, after)
        assert repeated.sum() == settings.stride
        assert set(after.sequence_ids[repeated].tolist()) == {1}
    assert panel.overflow_view.rowSpan(0, 0) == 2


def test_long_result_shows_first_columns(panel: EncodingPanel, minilm: LoadedTokenizer) -> None:
    result = encode(minilm, "word " * 700, EncodeSettings())
    assert len(result) > MAX_COLUMNS
    panel.show_result(result)
    assert panel.grid_model.columnCount() == MAX_COLUMNS
    assert f"first {MAX_COLUMNS} of {len(result)} tokens" in panel.note_label.text()


def test_grid_columns_are_sized_as_they_come_into_view(
    qtbot: QtBot, panel: EncodingPanel, minilm: LoadedTokenizer
) -> None:
    result = encode(minilm, "a " + "internationalization word " * 300, EncodeSettings())
    panel.resize(700, 500)
    panel.show()
    qtbot.waitExposed(panel)
    panel.show_result(result)
    header = panel.grid.horizontalHeader()
    last = MAX_COLUMNS - 1
    widths = [header.sectionSize(c) for c in range(MAX_COLUMNS)]
    long_word = result.columns.tokens.index("international")  # wider than "a" or "word"
    assert widths[long_word] > widths[1]  # in view: sized to its text
    assert widths[last] == UNSIZED_WIDTH  # far out of view: not measured yet
    panel.grid.horizontalScrollBar().setValue(panel.grid.horizontalScrollBar().maximum())
    qtbot.waitUntil(lambda: header.sectionSize(last) != UNSIZED_WIDTH)
    short = encode(minilm, "a word", EncodeSettings())
    panel.show_result(short)  # scrolled far right: the reset moves the scroll bar back
    assert panel.grid_model.columnCount() == len(short)
    again = encode(minilm, "a " + "internationalization word " * 300, EncodeSettings())
    panel.grid.horizontalScrollBar().setValue(0)
    panel.show_result(again)  # a new result: measured again from what is in view
    assert header.sectionSize(long_word) == widths[long_word]


def test_show_result_none_and_padding_faded(panel: EncodingPanel, minilm: LoadedTokenizer) -> None:
    panel.show_result(None)
    assert panel.grid_model.columnCount() == 0
    assert "No encoding" in panel.note_label.text()
    settings = EncodeSettings(padding="max_length", max_length=8, padding_side="left")
    result = encode(minilm, "hi", settings)
    panel.show_result(result)
    model = panel.grid_model
    faded = panel.grid_model.colours.faded
    for column, mask in enumerate(result.columns.attention_mask.tolist()):
        brush = model.data(model.index(1, column), Qt.ItemDataRole.ForegroundRole)
        assert (brush is not None and brush.color() == faded) == (mask == 0)
    assert "padding" in panel.note_label.text()


def test_show_batch_padded_longest(
    qtbot: QtBot, panel: EncodingPanel, minilm: LoadedTokenizer, samples: Path
) -> None:
    lines = (samples / "batch.txt").read_text("utf-8").splitlines()
    batch = encode_batch(minilm, lines, EncodeSettings(padding="longest"))
    assert not batch.attention_mask.all(), "the sample lines must need padding"
    panel.show_batch(batch)
    page = panel.batch_page
    assert panel.tabs.isTabEnabled(1)
    assert panel.tabs.currentIndex() == 1
    ids, types, mask = (page.models[kind] for kind in MATRICES)
    assert batch.token_type_ids is not None
    for model, matrix in ((ids, batch.input_ids), (types, batch.token_type_ids)):
        assert (model.rowCount(), model.columnCount()) == matrix.shape
    assert (mask.rowCount(), mask.columnCount()) == batch.attention_mask.shape
    faded_colour = ids.colours.faded
    rows, columns = batch.input_ids.shape
    faded = np.zeros((rows, columns), dtype=bool)
    for row in range(rows):
        for column in range(columns):
            index = ids.index(row, column)
            assert ids.data(index) == str(int(batch.input_ids[row, column]))
            assert mask.data(mask.index(row, column)) == str(int(batch.attention_mask[row, column]))
            assert types.data(types.index(row, column)) == str(
                int(batch.token_type_ids[row, column])
            )
            brush = ids.data(index, Qt.ItemDataRole.ForegroundRole)
            faded[row, column] = brush is not None and brush.color() == faded_colour
            for other in (mask, types):
                other_brush = other.data(other.index(row, column), Qt.ItemDataRole.ForegroundRole)
                assert (other_brush is not None) == faded[row, column]
    np.testing.assert_array_equal(faded, batch.attention_mask == 0)
    np.testing.assert_array_equal(faded, padding_cells(batch.block()))
    assert "padded longest" in page.note.text()
    assert lines[0] in ids.headerData(0, Qt.Orientation.Vertical)

    page.tokens_check.setChecked(True)
    assert ids.data(ids.index(0, 0)) == "[CLS]"
    assert ids.data(ids.index(0, columns - 1)) == "[PAD]"
    page.mask_check.setChecked(False)
    assert not page.views["attention_mask"].isVisibleTo(panel)
    assert page.views["token_type_ids"].isVisibleTo(panel)

    panel.show_batch(None)
    assert not panel.tabs.isTabEnabled(1)
    assert panel.tabs.currentIndex() == 0
    assert ids.rowCount() == 0


def test_show_batch_ragged_without_padding(
    panel: EncodingPanel, minilm: LoadedTokenizer, samples: Path
) -> None:
    lines = (samples / "batch.txt").read_text("utf-8").splitlines()
    batch = encode_batch(minilm, lines, EncodeSettings())
    panel.show_batch(batch)
    ids = panel.batch_page.models["input_ids"]
    ragged = batch.input_ids < 0
    assert ragged.any()
    for row, column in zip(*np.nonzero(ragged), strict=True):
        assert ids.data(ids.index(int(row), int(column))) == ""
        assert ids.data(ids.index(int(row), int(column)), Qt.ItemDataRole.BackgroundRole) is None
    assert "ragged" in panel.batch_page.note.text()
