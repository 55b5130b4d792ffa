"""A text file that is not valid UTF-8, opened in the window: an offer to open it with
replacement characters (saying how many bytes), never a pointer to a command-line flag."""

from __future__ import annotations

import codecs
from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from inspector.core.catalog import Catalog
from inspector.gui.main_window import MainWindow
from tests.gui.conftest import shown

LATIN1 = "Café crème, naïve façade — déjà vu.\nZürich 1€\n"


def open_window(qtbot: QtBot, catalog: Catalog) -> tuple[MainWindow, list[str]]:
    window = shown(qtbot, MainWindow(catalog, tokenizer="gpt2", text="start"), 1000, 700)
    qtbot.waitUntil(lambda: window.result is not None, timeout=60_000)
    problems: list[str] = []
    window.panes.problem.connect(problems.append)
    return window, problems


def test_latin1_file_is_offered_with_replacement_characters(
    qtbot: QtBot, catalog: Catalog, tmp_path: Path
) -> None:
    data = LATIN1.encode("cp1252")  # é è ï ç — é à ü € : one byte each, none UTF-8
    bad = sum(1 for char in LATIN1 if not char.isascii())
    assert bad == 9
    path = tmp_path / "latin1.txt"
    path.write_bytes(data)
    window, problems = open_window(qtbot, catalog)
    notice = window.panes.file_notice
    window.open_text_file(path)
    assert notice.isVisible() and notice.action.isVisible()
    assert "latin1.txt is not valid UTF-8: 9 bytes" in notice.label.text()
    assert "first at byte 3" in notice.label.text()
    assert "--errors" not in notice.label.text() and not problems
    assert window.text_edit.toPlainText() == "start"  # nothing opened until asked

    with qtbot.waitSignal(window.state.result_changed, timeout=60_000):
        qtbot.mouseClick(notice.action, Qt.MouseButton.LeftButton)
    expected = data.decode("utf-8", "replace")  # what the CLI's --errors replace reads
    assert window.text_edit.toPlainText() == expected
    qtbot.waitUntil(lambda: window.result is not None and window.result.text == expected)
    assert "9 bytes replaced by U+FFFD" in notice.label.text()
    assert notice.isVisible() and not notice.action.isVisible()
    qtbot.mouseClick(notice.dismiss, Qt.MouseButton.LeftButton)
    assert not notice.isVisible()


def test_broken_utf16_file_is_offered_too(qtbot: QtBot, catalog: Catalog, tmp_path: Path) -> None:
    path = tmp_path / "broken16.txt"
    path.write_bytes(codecs.BOM_UTF16_LE + "hello".encode("utf-16-le") + b"\x00\xd8")
    window, problems = open_window(qtbot, catalog)
    window.open_text_file(path)
    text = window.panes.file_notice.label.text()
    assert "UTF-16 byte order mark but 2 of its bytes" in text and not problems
    window.panes.file_notice.action.click()
    assert window.text_edit.toPlainText() == "hello\ufffd"


def test_binary_and_good_files_get_no_offer(qtbot: QtBot, catalog: Catalog, tmp_path: Path) -> None:
    window, problems = open_window(qtbot, catalog)
    binary = tmp_path / "image.bin"
    binary.write_bytes(bytes(range(256)) * 8)
    window.open_text_file(binary)
    assert not window.panes.file_notice.isVisible()
    assert problems and "binary" in problems[0]
    good = tmp_path / "good.txt"
    good.write_text("naïve 鸟", "utf-8")
    window.open_text_file(good)
    assert window.text_edit.toPlainText() == "naïve 鸟"
    assert not window.panes.file_notice.isVisible()
