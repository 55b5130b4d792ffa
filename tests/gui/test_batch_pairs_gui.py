"""Batches of pairs in the window: the Batch tab's three matrices as transformers returns them,
the switch that says which text the strip shows, position_ids in the token grid, and the
Encoding panel following the session state (issue 12)."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette, QTextCursor
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from inspector.core.catalog import Catalog
from inspector.core.encoding import encode, encode_batch
from inspector.core.settings import EncodeSettings
from inspector.gui import theme
from inspector.gui.glossary_dialog import GlossaryDialog
from inspector.gui.main_window import MainWindow
from inspector.gui.state import InspectorState
from inspector.gui.widgets.batch_switch import BatchSwitch
from inspector.gui.widgets.encoding_models import Colours
from inspector.gui.widgets.encoding_panel import EncodingPanel
from tests.core import raw

TEXTS = ["Where is the library?", "How old are you?", "I ❤️ tokenizers 鸟"]
PAIRS = ["Next to the station.", "Twelve.", "Me too."]
TUTORIAL = EncodeSettings(padding="longest", truncation="longest_first")  # padding=True, …


@pytest.fixture
def state(qtbot: QtBot, catalog: Catalog) -> Iterator[InspectorState]:
    """A session state on MiniLM (BERT WordPiece, token types) in batch mode with pairs."""
    state = InspectorState(catalog)
    with qtbot.waitSignal(state.tokenizer_changed, timeout=60_000):
        state.load_tokenizer(raw.MINILM)
    yield state
    state.shutdown()


def _encode(qtbot: QtBot, state: InspectorState, action: object = None) -> None:
    """Run ``action`` (default: a new encode) and wait until its result has landed."""
    with qtbot.waitSignal(state.result_changed, timeout=60_000):
        if callable(action):
            action()
        else:
            state.request_encode()


def _batch_of_pairs(qtbot: QtBot, state: InspectorState) -> None:
    state.text, state.pair = "\n".join(TEXTS), "\n\n".join(PAIRS)  # blank lines do not count
    _encode(qtbot, state, lambda: state.set_settings(TUTORIAL, "batch"))


def test_batch_tab_shows_what_transformers_returns(qtbot: QtBot, state: InspectorState) -> None:
    panel = EncodingPanel(state)
    qtbot.addWidget(panel)
    _batch_of_pairs(qtbot, state)
    batch = state.batch
    assert batch is not None and batch.has_pairs
    want = dict(raw.minilm_transformers()(TEXTS, PAIRS, padding=True, truncation=True))
    page = panel.batch_page
    assert panel.tabs.currentIndex() == 1
    shown = {
        kind: [
            [int(model.data(model.index(r, c))) for c in range(model.columnCount())]
            for r in range(model.rowCount())
        ]
        for kind, model in page.models.items()
    }
    assert shown == want  # the three matrices, cell for cell
    assert json.loads(page.copy_json()) == want
    assert json.loads(QGuiApplication.clipboard().text()) == want
    for view in page.views.values():
        assert view.isVisibleTo(panel)
    # Row names carry text and pair; pad cells are faded; pair tokens and specials tinted.
    ids = page.models["input_ids"]
    assert "‖" in ids.headerData(1, Qt.Orientation.Vertical)
    row, last = 1, ids.columnCount() - 1
    assert want["attention_mask"][row][last] == 0
    colours = ids.colours
    brush = ids.data(ids.index(row, last), Qt.ItemDataRole.BackgroundRole)
    assert brush.textureImage() == colours.pad_brush.textureImage()  # hatched
    assert ids.data(ids.index(0, 0), Qt.ItemDataRole.BackgroundRole).color() == colours.special
    first_pair = want["token_type_ids"][0].index(1)
    tint = ids.data(ids.index(0, first_pair + 1), Qt.ItemDataRole.BackgroundRole)
    assert tint.color() == colours.second
    note = page.note.text()
    assert "3 pairs" in note and "padded longest" in note and "pair text" in note
    # Each title links to its glossary entry, in the palette's Link colour.
    assert 'href="glossary:token-type-ids"' in page.titles["token_type_ids"].text()
    link = panel.palette().color(QPalette.ColorRole.Link).name()
    assert link in page.titles["input_ids"].text()


def test_a_tokenizer_without_token_types_has_no_token_type_matrix(
    qtbot: QtBot, catalog: Catalog, state: InspectorState
) -> None:
    panel = EncodingPanel(state)
    qtbot.addWidget(panel)
    settings = EncodeSettings(padding="longest")
    batch = encode_batch(catalog.load("smollm2"), TEXTS, settings, pairs=PAIRS)
    want = dict(raw.smollm2_transformers()(TEXTS, PAIRS, padding=True))
    assert "token_type_ids" not in want and batch.token_type_ids is None
    panel.show_batch(batch)
    page = panel.batch_page
    assert page.models["token_type_ids"].rowCount() == 0
    assert not page.views["token_type_ids"].isVisibleTo(panel)
    assert not page.types_check.isVisibleTo(panel)
    assert "no token_type_ids" in page.note.text()
    assert json.loads(page.copy_json()) == want


def test_switch_says_which_text_the_strip_shows_and_switches(
    qtbot: QtBot, state: InspectorState
) -> None:
    holder = QWidget()  # as in the window: a child that hides itself outside batch mode
    switch = BatchSwitch(state, holder)
    panel = EncodingPanel(state)
    for widget in (holder, panel):
        qtbot.addWidget(widget)
    holder.show()
    assert not switch.isVisible()  # single mode: no batch
    _batch_of_pairs(qtbot, state)
    batch = state.batch
    assert batch is not None
    assert switch.isVisible()
    assert switch.counter.text() == "Text 1 of 3"
    assert not switch.previous_button.isEnabled() and switch.next_button.isEnabled()
    assert "Next to the station." in switch.preview.text()

    with qtbot.waitSignal(state.result_settled, timeout=1000) as landed:  # panels: settled
        switch.next_button.click()
    assert landed.args == [batch.results[1]] and state.result is batch.results[1]
    assert switch.counter.text() == "Text 2 of 3"
    assert panel.grid_model.row_texts("id") == [str(i) for i in batch.results[1].ids]
    ids = panel.batch_page.models["input_ids"]
    assert ids.headerData(1, Qt.Orientation.Vertical).startswith("▸")
    assert ids.headerData(1, Qt.Orientation.Vertical, Qt.ItemDataRole.FontRole).bold()
    switch.step(1)
    assert switch.counter.text() == "Text 3 of 3" and not switch.next_button.isEnabled()
    switch.step(1)  # the end stops it
    assert state.batch_row == 2

    # Clicking a row's name in the Batch tab shows that text.
    view = panel.batch_page.views["attention_mask"]
    view.verticalHeader().sectionClicked.emit(0)
    assert state.batch_row == 0 and switch.counter.text() == "Text 1 of 3"

    # A new batch (the text edited) stays on the text shown.
    state.show_batch_row(2)
    _encode(qtbot, state, lambda: state.set_text("\n".join([*TEXTS[:2], "Changed."])))
    assert state.batch_row == 2 and state.result is not None and state.result.text == "Changed."
    assert switch.counter.text() == "Text 3 of 3"

    _encode(qtbot, state, lambda: state.set_settings(TUTORIAL, "single"))
    assert not switch.isVisible() and state.batch is None and state.batch_row == 0


def test_a_line_count_mismatch_is_one_plain_message(qtbot: QtBot, state: InspectorState) -> None:
    state.text, state.pair = "\n".join(TEXTS), "only one pair line"
    with qtbot.waitSignal(state.encode_failed, timeout=60_000) as failed:
        state.set_settings(TUTORIAL, "batch")
    message = failed.args[0]
    assert "3 lines" in message and "pair text 1" in message and "\n" not in message


def test_position_ids_row_and_its_glossary(
    qtbot: QtBot, catalog: Catalog, state: InspectorState
) -> None:
    panel = EncodingPanel(state)
    qtbot.addWidget(panel)
    settings = EncodeSettings(padding="max_length", max_length=16, padding_side="left")
    result = encode(catalog.load(raw.MINILM), TEXTS[0], settings, PAIRS[0])
    panel.show_result(result)
    model = panel.grid_model
    assert model.row_texts("position_ids") == [str(i) for i in range(len(result))]
    section = model.row_names.index("position_ids")
    tip = model.headerData(section, Qt.Orientation.Vertical, Qt.ItemDataRole.ToolTipRole)
    assert "position_ids" in tip and "Glossary" in tip
    panel.grid.verticalHeader().sectionDoubleClicked.emit(section)
    dialog = panel.window().findChild(GlossaryDialog)
    assert dialog is not None and dialog.current_entry_id() == "position-ids"
    dialog.close()


def test_panel_and_state_share_the_settings(qtbot: QtBot, state: InspectorState) -> None:
    panel = EncodingPanel(state)
    qtbot.addWidget(panel)
    panel.padding_combo.setCurrentText("longest")  # a control → the state
    assert state.settings.padding == "longest"
    panel.max_length_spin.setValue(0)
    panel.padding_combo.setCurrentText("max_length")  # invalid: the state keeps the valid one
    assert not panel.is_valid() and state.settings.padding == "longest"
    state.set_settings(EncodeSettings(truncation="only_second", max_length=9), "pair")
    assert panel.mode_buttons["pair"].isChecked()  # the state → the controls
    assert panel.truncation_combo.currentText() == "only_second" and panel.is_valid()
    assert panel.max_length_spin.value() == 9


def test_colours_follow_the_palette(qtbot: QtBot, state: InspectorState) -> None:
    dark = QPalette()
    for role, colour in (
        (QPalette.ColorRole.Window, "#202124"),
        (QPalette.ColorRole.Base, "#17181a"),
        (QPalette.ColorRole.Text, "#e8eaed"),
        (QPalette.ColorRole.WindowText, "#e8eaed"),
        (QPalette.ColorRole.Link, "#8ab4f8"),
    ):
        dark.setColor(role, QColor(colour))
    light, night = Colours.from_palette(QPalette()), Colours.from_palette(dark)
    assert night.warning.lightness() > light.warning.lightness()
    panel = EncodingPanel(state)
    qtbot.addWidget(panel)
    panel.padding_combo.setCurrentText("max_length")  # needs a max_length: the message shows
    panel.setPalette(dark)  # a theme switch: the panel takes its colours again
    label = panel.message_label.palette().color(QPalette.ColorRole.WindowText)
    assert label == night.warning
    assert panel.grid_model.colours.base == dark.color(QPalette.ColorRole.Base)
    title = panel.batch_page.titles["input_ids"]
    title.adjustSize()
    image = title.grab().toImage()
    drawn = {
        image.pixelColor(x, y).name() for x in range(image.width()) for y in range(image.height())
    }
    assert "#8ab4f8" in drawn  # the link in the dark palette's Link colour


def test_window_batch_of_pairs(qtbot: QtBot, catalog: Catalog) -> None:
    """The pair pane shows in batch mode, its lines pair with the text's, the switch sits
    above the strip and Show code writes the pairs."""
    window = MainWindow(catalog, tokenizer=raw.MINILM, text="\n".join(TEXTS), persist=False)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.result is not None, timeout=60_000)
    window.pair_edit.setPlainText("\n".join(PAIRS))
    with qtbot.waitSignal(window.state.batch_changed, timeout=60_000):
        window.encoding_panel.set_settings(TUTORIAL, "batch")
    qtbot.waitUntil(lambda: window.state.batch is not None and window.state.batch.has_pairs)
    assert window.pair_edit.isVisible() and "one per line" in window.pair_edit.placeholderText()
    assert window.batch_switch.isVisible()
    assert window.strip.isVisible()
    window.batch_switch.step(1)
    qtbot.waitUntil(lambda: window.strip._result is window.state.batch.results[1])
    # Hovering a chip lights its characters on that text's line of the pane.
    shown = window.state.batch.results[1]
    window.state.hover_token(2)  # "old"
    marks = window.text_edit.extraSelections()
    assert [m.cursor.selectedText() for m in marks] == ["old"] == [shown.token(2).display]
    assert marks[0].cursor.blockNumber() == 1
    # …and selecting characters on that line lights their tokens.
    line = window.text_edit.document().findBlockByNumber(1).position()
    cursor = window.text_edit.textCursor()
    cursor.setPosition(line + 12)
    cursor.setPosition(line + 15, QTextCursor.MoveMode.KeepAnchor)  # "you"
    with qtbot.waitSignal(window.panes.tokens_highlighted, timeout=1000) as hit:
        window.text_edit.setTextCursor(cursor)
    assert hit.args[0].tolist() == [4]
    request = window.code_request()
    assert request is not None and request.texts == tuple(TEXTS)
    assert request.pairs == tuple(PAIRS)


def test_the_batch_tab_builds_only_the_block_it_shows(
    qtbot: QtBot, catalog: Catalog, state: InspectorState
) -> None:
    panel = EncodingPanel(state)
    qtbot.addWidget(panel)
    texts = ["word " * 5000] + ["short line"] * 1500
    batch = encode_batch(catalog.load("gpt2"), texts, EncodeSettings())
    panel.show_batch(batch)
    ids = panel.batch_page.models["input_ids"]
    assert (ids.rowCount(), ids.columnCount()) == (1000, 512)
    assert "first 1000 of 1501 texts" in panel.batch_page.note.text()
    assert "ragged" in panel.batch_page.note.text()
    assert "_whole" not in vars(batch)


def test_a_language_change_sets_every_text_again(qtbot: QtBot, state: InspectorState) -> None:
    """View → Language sends LanguageChange: the panel, Batch tab and switch set their texts
    again through tr() (with no translation installed, the English ones)."""
    holder = QWidget()
    switch = BatchSwitch(state, holder)
    panel = EncodingPanel(state)
    for widget in (holder, panel):
        qtbot.addWidget(widget)
    _batch_of_pairs(qtbot, state)
    texts = [
        panel.mode_buttons["batch"],
        panel.batch_page.copy_button,
        panel.batch_page.types_check,
        switch.counter,
    ]
    before = [widget.text() for widget in texts]
    for widget in texts:
        widget.setText("stale")
    for widget in (panel, panel.batch_page, switch):
        QCoreApplication.sendEvent(widget, QEvent(QEvent.Type.LanguageChange))
    assert [widget.text() for widget in texts] == before
    assert before[0] == "batch" and before[3] == "Text 1 of 3"


def test_view_theme_switch_redraws_the_batch_tab(
    qtbot: QtBot, qapp: QApplication, state: InspectorState
) -> None:
    """View → Theme → Dark at run time: the tints, hatch and glossary links are made again
    from the dark palette (and back)."""
    panel = EncodingPanel(state)
    qtbot.addWidget(panel)
    _batch_of_pairs(qtbot, state)
    page = panel.batch_page
    try:
        theme.apply_theme(theme.DARK)
        dark = QApplication.palette()
        qtbot.waitUntil(lambda: page.colours.base == dark.color(QPalette.ColorRole.Base))
        assert panel.grid_model.colours.base == dark.color(QPalette.ColorRole.Base)
        assert dark.color(QPalette.ColorRole.Link).name() in page.titles["input_ids"].text()
        assert page.models["input_ids"].colours == page.colours
    finally:
        theme.apply_theme(theme.SYSTEM)
    light = QApplication.palette()
    qtbot.waitUntil(lambda: page.colours.base == light.color(QPalette.ColorRole.Base))


def test_round_trip_link_follows_a_theme_switch(qtbot: QtBot, catalog: Catalog) -> None:
    """Qt colours a rich-text link from the application palette of when the text was set: the
    round-trip ✗ link takes the label's Link colour and sets it again on a theme switch."""
    window = MainWindow(catalog, tokenizer=raw.MINILM, text="Hello World", persist=False)
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: window.result is not None, timeout=60_000)
    trip = window.status.trip
    assert "round-trip ✗" in trip.text()  # MiniLM lowercases
    try:
        theme.apply_theme(theme.DARK)
        link = QApplication.palette().color(QPalette.ColorRole.Link).name()
        qtbot.waitUntil(lambda: f"color:{link}" in trip.text())
    finally:
        theme.apply_theme(theme.SYSTEM)
    link = QApplication.palette().color(QPalette.ColorRole.Link).name()
    qtbot.waitUntil(lambda: f"color:{link}" in trip.text())
