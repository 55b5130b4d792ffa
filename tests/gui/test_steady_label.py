"""A SteadyLabel changes its text without asking its parent (and the window) to lay out again,
grows when a text needs more room, and starts over with a new font; the main window's status
line and the Compare dock's text label no longer lay the window out on every key."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication, QHBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from inspector.core.catalog import Catalog
from inspector.gui.main_window import MainWindow
from inspector.gui.steady_label import SteadyLabel
from tests.gui.conftest import shown


class LayoutRequests(QObject):
    """Counts the layout requests each watched widget gets."""

    def __init__(self, *widgets: QWidget) -> None:
        super().__init__()
        self.counts = {id(widget): 0 for widget in widgets}
        for widget in widgets:
            widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.LayoutRequest and id(watched) in self.counts:
            self.counts[id(watched)] += 1
        return False

    def total(self) -> int:
        return sum(self.counts.values())


def test_a_narrower_or_equal_text_lays_nothing_out(qtbot: QtBot) -> None:
    parent = QWidget()
    row = QHBoxLayout(parent)
    label = SteadyLabel("12,345 tokens · 4.10 chars/token")
    row.addWidget(label)
    shown(qtbot, parent, 500, 40)
    QApplication.processEvents()
    requests = LayoutRequests(parent)
    size = label.size()
    for text in ("12,346 tokens · 4.10 chars/token", "9 tokens", "", "working…"):
        label.setText(text)
        QApplication.processEvents()
        assert label.text() == text
    assert requests.total() == 0
    assert label.size() == size


def test_a_wider_text_grows_the_label_and_keeps_it(qtbot: QtBot) -> None:
    parent = QWidget()
    row = QHBoxLayout(parent)
    label = SteadyLabel("short")
    row.addWidget(label)
    row.addStretch(1)
    shown(qtbot, parent, 600, 40)
    narrow = label.width()
    label.setText("a much longer text than the first one")
    QApplication.processEvents()
    wide = label.width()
    assert wide > narrow
    assert wide >= label.fontMetrics().horizontalAdvance(label.text())
    label.setText("short")
    QApplication.processEvents()
    assert label.width() == wide  # only grows


def test_a_new_font_measures_again(qtbot: QtBot) -> None:
    label = shown(qtbot, SteadyLabel("some words"), 200, 40)
    small = label.minimumSize()
    font = QFont(label.font())
    font.setPointSizeF(font.pointSizeF() * 2)
    label.setFont(font)
    assert label.minimumWidth() > small.width()
    assert label.minimumHeight() > small.height()
    font.setPointSizeF(font.pointSizeF() / 4)
    label.setFont(font)
    assert label.minimumWidth() < small.width()  # started over, not only grown


def test_typing_does_not_lay_the_window_out_again(qtbot: QtBot, catalog: Catalog) -> None:
    window = MainWindow(catalog, tokenizer="gpt2", text="Some text to type after. " * 40)
    qtbot.addWidget(window)
    window.resize(1200, 800)
    window.show()
    qtbot.waitUntil(lambda: window.result is not None, timeout=60_000)
    status = window.statusBar()
    compare = window.comparison.panel

    def type_keys(keys: str) -> None:
        for key in keys:
            text = window.text_edit.toPlainText() + key
            window.text_edit.moveCursor(window.text_edit.textCursor().MoveOperation.End)
            window.text_edit.insertPlainText(key)

            def landed(text: str = text) -> bool:
                return window.result is not None and window.result.text == text

            qtbot.waitUntil(landed)
            qtbot.wait(5)  # the layout requests posted meanwhile are delivered

    type_keys("wxyz  ")  # the labels reach the widest texts they show while typing
    requests = LayoutRequests(window, status, compare)
    type_keys("abcdefgh")
    assert requests.counts[id(status)] == 0
    assert requests.counts[id(compare)] == 0
    assert requests.counts[id(window)] == 0
