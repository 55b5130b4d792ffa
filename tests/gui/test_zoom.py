"""View → Zoom (Ctrl + / − / 0) of the strip and text panes, Ctrl+L to the tokenizer picker,
a name on every row of Help → Keyboard shortcuts, ⟨U+XXXX⟩ for characters no font draws."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from inspector.core.catalog import Catalog
from inspector.core.char_labels import drawable_check, set_drawable_check, visible
from inspector.core.encoding import encode
from inspector.gui.about import ShortcutsDialog, window_shortcuts
from inspector.gui.font_coverage import FontCoverage, install_font_coverage
from inspector.gui.main_window import MainWindow
from inspector.gui.widgets.token_strip import TokenStrip
from inspector.gui.zoom import SETTINGS_KEY, ViewZoom
from tests.gui.conftest import shown

FAMILY = "\U0001f468\u200d\U0001f469\u200d\U0001f467"
# Scripts rarely in a desktop's fonts: one of them is missing here, found by asking Qt.
RARE = "\U00010900\ua000\U00013000\U0001e900\U00011400\U00016a40\u2c80\U0001d800"


def open_window(qtbot: QtBot, catalog: Catalog, text: str) -> MainWindow:
    window = MainWindow(catalog, tokenizer="cl100k_base", text=text)
    shown(qtbot, window, 1100, 760)
    window.activateWindow()
    qtbot.waitUntil(lambda: window.result is not None, timeout=60_000)
    return window


KEYS = {"+": Qt.Key.Key_Plus, "=": Qt.Key.Key_Equal, "-": Qt.Key.Key_Minus}


def press(qtbot: QtBot, window: MainWindow, keys: str) -> None:
    """``"Ctrl+<key>"`` typed in the text pane, as a user would."""
    key = keys.removeprefix("Ctrl+")
    code = KEYS.get(key) or Qt.Key(ord(key.upper()))
    qtbot.keyClick(window.text_edit, code, Qt.KeyboardModifier.ControlModifier)


def test_zoom_keys_scale_the_strip_and_the_text(qtbot: QtBot, catalog: Catalog) -> None:
    window = open_window(qtbot, catalog, "Hello zoom")
    window.text_edit.setFocus()
    size = window.strip.font().pointSizeF()
    chip = window.strip.chip_rect(0).height()
    press(qtbot, window, "Ctrl++")
    assert window.strip.font().pointSizeF() == pytest.approx(size * 1.1)
    assert window.text_edit.font().pointSizeF() == pytest.approx(size * 1.1)
    assert window.pair_edit.font().pointSizeF() == pytest.approx(size * 1.1)
    qtbot.waitUntil(lambda: window.strip.chip_rect(0).height() > chip)  # laid out again
    press(qtbot, window, "Ctrl+=")  # the + key without Shift
    assert window.view_keys.zoom.level == 2
    assert window.text_edit.font().family() == QGuiApplication.font().family()
    press(qtbot, window, "Ctrl+0")
    assert window.strip.font().pointSizeF() == pytest.approx(size)
    # Actual size sets no font of its own: the widgets follow the application's font again.
    assert not window.strip.testAttribute(Qt.WidgetAttribute.WA_SetFont)
    qtbot.waitUntil(lambda: window.strip.chip_rect(0).height() == chip)
    press(qtbot, window, "Ctrl+-")
    assert window.text_edit.font().pointSizeF() == pytest.approx(size * 0.9)
    for _ in range(20):  # bounded at the smallest step
        window.view_keys.zoom.zoom_out()
    assert window.view_keys.zoom.factor == 0.5


def test_ctrl_l_goes_to_the_tokenizer_picker(qtbot: QtBot, catalog: Catalog) -> None:
    window = open_window(qtbot, catalog, "Hello")
    window.text_edit.setFocus()
    press(qtbot, window, "Ctrl+L")
    focused = QApplication.focusWidget()
    assert focused is window.picker or focused is window.picker.lineEdit()
    line = window.picker.lineEdit()
    assert line is not None and line.selectedText() == window.picker.currentText()


def test_every_shortcut_row_has_a_name(qtbot: QtBot, catalog: Catalog) -> None:
    window = open_window(qtbot, catalog, "Hello")
    entries = window_shortcuts(window)
    names = {e.action for e in entries}
    assert {"Zoom in", "Zoom out", "Actual size", "Go to tokenizer"} <= names
    assert all(e.action.strip() and e.action != "Shortcut" for e in entries)
    keys = [e.keys for e in entries]
    assert len(keys) == len(set(keys)), "two rows share a key"
    dialog = ShortcutsDialog(window)
    qtbot.addWidget(dialog)
    for row in range(dialog.table.rowCount()):
        item = dialog.table.item(row, 0)
        assert item is not None and item.text().strip()


def test_zoom_is_remembered_only_where_settings_may_be_written(
    qtbot: QtBot, tmp_path: Path
) -> None:
    strip = shown(qtbot, TokenStrip(), 300, 100)
    store = QSettings(str(tmp_path / "zoom.ini"), QSettings.Format.IniFormat)
    ViewZoom([strip], store=store, writable=False).zoom_in()
    assert store.value(SETTINGS_KEY) is None
    zoom = ViewZoom([strip], store=store, writable=True)
    zoom.zoom_in()
    zoom.zoom_in()
    store.sync()
    again = ViewZoom([shown(qtbot, TokenStrip(), 300, 100)], store=store)
    assert again.level == 2


def test_strip_chips_of_invisible_and_undrawable_characters(qtbot: QtBot, catalog: Catalog) -> None:
    coverage = FontCoverage(QGuiApplication.font())
    assert all(coverage(c) for c in "a鸟好\U0001f468❤")  # fallbacks count (CJK, emoji)
    missing = next((c for c in RARE if not coverage(c)), None)
    if missing is None:
        pytest.skip("every font of the test list is installed here")
    assert unicodedata.category(missing).startswith("L")
    previous = drawable_check()
    install_font_coverage()
    try:
        text = f"{FAMILY} ❤\ufe0f 你\u3000好 {missing}"
        strip = shown(qtbot, TokenStrip(), 900, 200)
        result = encode(catalog.load("cl100k_base"), text)
        strip.set_result(result)
        chips = [strip.chip_text(i) for i in range(len(result))]
        labels = {strip.group_label(i) for i in range(len(result))}
        assert "⟨VS16⟩" in chips and "⟨ZWJ⟩" in labels
        assert any("⟨IDSP⟩" in c for c in chips)
        code = f"⟨U+{ord(missing):04X}⟩"
        assert code in labels | set(chips)
        assert all(c.strip() for c in chips)
        assert visible(missing) == code
    finally:
        set_drawable_check(previous)
    assert visible(missing) == missing


def test_the_window_installs_the_check_and_takes_it_away(qtbot: QtBot, catalog: Catalog) -> None:
    window = MainWindow(catalog, tokenizer="gpt2", text="x")  # not held: deleted here
    window.show()
    qtbot.waitUntil(lambda: window.result is not None, timeout=60_000)
    assert isinstance(drawable_check(), FontCoverage)
    window.close()
    window.deleteLater()
    qtbot.waitUntil(lambda: drawable_check() is None)
