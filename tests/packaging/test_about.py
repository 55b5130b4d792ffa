"""Help menu: About shows real versions, device and folders; the shortcuts list is the window's."""

from __future__ import annotations

import os
import subprocess
import sys
from importlib import metadata
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
from PySide6.QtWidgets import QApplication, QDialog
from pytestqt.qtbot import QtBot

from inspector import __version__
from inspector.core.catalog import Catalog
from inspector.gui.about import AboutDialog, ShortcutsDialog, about_info, window_shortcuts
from inspector.gui.main_window import MainWindow


def open_window(qtbot: QtBot, catalog: Catalog) -> MainWindow:
    window = MainWindow(catalog, tokenizer="gpt2", text="Hi 鸟")
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.result is not None, timeout=60_000)
    return window


def native(keys: QKeySequence | QKeySequence.StandardKey | str) -> str:
    return QKeySequence(keys).toString(QKeySequence.SequenceFormat.NativeText)


def test_about_lists_versions_and_folders(qtbot: QtBot, private_folders: Path) -> None:
    dialog = AboutDialog()
    qtbot.addWidget(dialog)
    info = dialog.info
    assert info.version.startswith(__version__)
    for name in ("tokenizers", "transformers", "numpy", "PySide6-Essentials"):
        assert info.libraries[name] == metadata.version(name)
        assert metadata.version(name) in dialog.details.text()
    assert info.locations["Settings"] == private_folders / "config" / "settings.ini"
    assert info.locations["Cache"] == private_folders / "cache"
    assert (info.locations["Resources"] / "icons" / "token-inspector.svg").is_file()
    assert str(private_folders / "cache") in dialog.details.text()

    dialog.copy_details()
    copied = QGuiApplication.clipboard().text()
    assert copied.startswith(f"Token Inspector {__version__}")
    assert f"transformers {metadata.version('transformers')}" in copied


def test_about_does_not_load_torch() -> None:
    """Opening About stays instant: it names the device only once torch is loaded anyway."""
    code = (
        "import sys\n"
        "from PySide6.QtWidgets import QApplication\n"
        "app = QApplication([])\n"
        "from inspector.gui.about import AboutDialog\n"
        "dialog = AboutDialog()\n"
        "assert 'torch' not in sys.modules, 'About imported torch'\n"
        "print(dialog.info.device)\n"
    )
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert "not checked yet" in done.stdout


def test_about_names_the_device_once_torch_is_loaded() -> None:
    pytest.importorskip("torch")
    from inspector.core import devices

    expected = devices.choose_device("auto")
    assert about_info().device.startswith(f"{expected.device} ({expected.dtype})")


def test_help_menu_is_last_and_opens_both_dialogs(qtbot: QtBot, catalog: Catalog) -> None:
    window = open_window(qtbot, catalog)
    menus = [a.menu() for a in window.menuBar().actions() if a.menu() is not None]
    help_menu = menus[-1]
    assert help_menu.title() == "&Help"
    actions = {a.objectName(): a for a in help_menu.actions()}
    opened: list[type] = []

    def close_dialog() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, QDialog)
        opened.append(type(dialog))
        dialog.reject()

    for name in ("action-about", "action-shortcuts"):
        QTimer.singleShot(0, close_dialog)
        actions[name].trigger()
    assert opened == [AboutDialog, ShortcutsDialog]


def test_shortcuts_list_the_window_actions(qtbot: QtBot, catalog: Catalog) -> None:
    window = open_window(qtbot, catalog)
    entries = window_shortcuts(window)
    listed = {(e.action, e.keys) for e in entries}
    assert ("Open tokenizer…", native("Ctrl+Shift+O")) in listed
    assert ("Keyboard shortcuts", native("Ctrl+/")) in listed
    assert next(e for e in entries if e.action == "Open tokenizer…").where == "File"
    # Standard keys (Quit…) are the platform's: listed with its keys where it has any.
    quit_keys = native(QKeySequence.StandardKey.Quit)
    assert (("Quit", quit_keys) in listed) == bool(quit_keys)
    # Every action of the window that has a shortcut is listed (none made up, none missed).
    real = {
        a.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        for a in window.findChildren(QAction)
        if not a.shortcut().isEmpty()
    }
    assert real <= {e.keys.split(", ")[0] for e in entries}

    dialog = ShortcutsDialog(window)
    qtbot.addWidget(dialog)
    assert dialog.table.rowCount() == len(entries)
    cells = {dialog.table.item(r, 1).text() for r in range(dialog.table.rowCount())}
    assert native("Ctrl+Shift+O") in cells
