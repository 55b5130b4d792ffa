"""Help menu: the About dialog (versions, device, where files live) and the shortcuts list.

Opening About must stay instant and must not start torch (seconds): library versions come
from package metadata, and the device is asked only when torch is already loaded.
"""

from __future__ import annotations

import html
import os
import platform
import re
import sys
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt, QUrl, qVersion
from PySide6.QtGui import QAction, QDesktopServices, QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMainWindow,
    QMenu,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from inspector import __version__
from inspector.core import sources
from inspector.gui import session
from inspector.gui.icons import app_icon

# Distribution names as pip knows them, in the order the dialog lists them.
LIBRARIES: tuple[str, ...] = (
    "tokenizers",
    "transformers",
    "tiktoken",
    "sentencepiece",
    "numpy",
    "torch",
    "safetensors",
    "PySide6-Essentials",
    "pyqtgraph",
)


@dataclass(frozen=True)
class AboutInfo:
    version: str
    python: str
    qt: str
    platform: str
    libraries: dict[str, str]  # distribution name → version, or "not installed"
    device: str
    locations: dict[str, Path]  # what → folder or file

    def as_text(self) -> str:
        """Plain text for bug reports (the dialog's Copy button)."""
        lines = [
            f"Token Inspector {self.version}",
            f"Python {self.python}, Qt {self.qt}, {self.platform}",
            f"Device: {self.device}",
        ]
        lines += [f"{name} {version}" for name, version in self.libraries.items()]
        lines += [f"{what}: {path}" for what, path in self.locations.items()]
        return "\n".join(lines)


def library_version(distribution: str) -> str:
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return "not installed"


def device_summary() -> str:
    """The device a model would run on — without importing torch if nothing needed it yet."""
    if "torch" not in sys.modules:
        return "not checked yet (torch loads with the first model run)"
    try:
        from inspector.core import devices

        choice = devices.choose_device("auto")
        found = ", ".join(devices.available_devices())
        return f"{choice.device} ({choice.dtype}); available: {found}"
    except Exception as err:  # a broken CUDA set-up must not stop About from opening
        return f"unknown ({type(err).__name__}: {err})"


def hf_hub_cache() -> Path:
    """Where the Hugging Face hub caches downloads (its own rules, without importing it)."""
    for variable in ("HF_HUB_CACHE", "HUGGINGFACE_HUB_CACHE"):
        if os.environ.get(variable):
            return Path(os.environ[variable])
    if os.environ.get("HF_HOME"):
        return Path(os.environ["HF_HOME"]) / "hub"
    cache = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(cache) / "huggingface" / "hub"


def about_info() -> AboutInfo:
    config = session.config_dir()
    locations = {
        "Settings": config / "settings.ini",
        "Saved text": config,
        "Cache": sources.user_cache_dir(),  # converted tokenizers and models
        "Hugging Face hub cache": hf_hub_cache(),
        "Resources": sources.resources_dir(),
    }
    frozen = " (bundled)" if getattr(sys, "frozen", False) else ""
    return AboutInfo(
        version=__version__ + frozen,
        python=platform.python_version(),
        qt=qVersion(),
        platform=platform.platform(terse=True),
        libraries={name: library_version(name) for name in LIBRARIES},
        device=device_summary(),
        locations=locations,
    )


class AboutDialog(QDialog):
    def __init__(self, parent: QWidget | None = None, info: AboutInfo | None = None) -> None:
        super().__init__(parent)
        self.info = info or about_info()
        self.setWindowTitle(self.tr("About Token Inspector"))
        layout = QVBoxLayout(self)

        header = QHBoxLayout()
        icon = QLabel()
        icon.setPixmap(app_icon().pixmap(64, 64))
        header.addWidget(icon)
        title = QLabel(
            f"<h2 style='margin:0'>Token Inspector {html.escape(self.info.version)}</h2>"
            + html.escape(
                self.tr(
                    "See exactly what a tokenizer and a transformer do to your text. Offline first."
                )
            )
        )
        title.setWordWrap(True)
        header.addWidget(title, 1)
        layout.addLayout(header)

        self.details = QLabel(self._details_html())
        self.details.setTextFormat(Qt.TextFormat.RichText)
        self.details.setOpenExternalLinks(False)
        self.details.linkActivated.connect(self._open_location)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        layout.addWidget(self.details)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        copy = QPushButton(self.tr("&Copy details"))
        copy.setToolTip(
            self.tr("Copy versions, device and folders as plain text (for a bug report)")
        )
        copy.clicked.connect(self.copy_details)
        buttons.addButton(copy, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def _details_html(self) -> str:
        info = self.info

        def row(name: str, value: str) -> str:
            return f"<tr><td style='padding-right:16px'>{name}</td><td>{value}</td></tr>"

        # The copied text stays English (bug reports); the dialog speaks the user's language.
        values = {
            "not installed": self.tr("not installed"),
            "not checked yet (torch loads with the first model run)": self.tr(
                "not checked yet (torch loads with the first model run)"
            ),
        }
        places_named = {
            "Settings": self.tr("Settings"),
            "Saved text": self.tr("Saved text"),
            "Cache": self.tr("Cache"),
            "Hugging Face hub cache": self.tr("Hugging Face hub cache"),
            "Resources": self.tr("Resources"),
        }
        rows = [
            row("Python", html.escape(info.python)),
            row("Qt", html.escape(info.qt)),
            row(self.tr("System"), html.escape(info.platform)),
            row(self.tr("Device"), html.escape(values.get(info.device, info.device))),
        ]
        libraries = [
            row(html.escape(n), html.escape(values.get(v, v))) for n, v in info.libraries.items()
        ]
        # A link opens the folder (a file's folder) in the desktop's file manager.
        places = [
            row(
                html.escape(places_named.get(what, what)),
                f"<a href='{html.escape(str(path))}'>{html.escape(str(path))}</a>",
            )
            for what, path in info.locations.items()
        ]

        def heading(title: str) -> str:
            return f"<tr><td colspan='2' style='padding-top:10px'><b>{title}</b></td></tr>"

        # Outside the f-string: lupdate does not read a tr() inside one.
        libraries_title = html.escape(self.tr("Libraries"))
        places_title = html.escape(self.tr("Where things live"))
        # One table, so that the values of all three parts line up.
        return (
            f"<table>{''.join(rows)}{heading(libraries_title)}"
            f"{''.join(libraries)}{heading(places_title)}"
            f"{''.join(places)}</table>"
        )

    def _open_location(self, target: str) -> None:
        path = Path(target)
        folder = path if path.is_dir() else path.parent
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))

    def copy_details(self) -> None:
        QGuiApplication.clipboard().setText(self.info.as_text())


@dataclass(frozen=True)
class ShortcutEntry:
    action: str
    keys: str  # in the platform's own notation (Ctrl+O, ⌘O)
    where: str  # the menu holding the action, or the panel holding the shortcut


_CJK_MNEMONIC = re.compile(r"\(&[^&\s]\)")  # 打开(&O)… — Chinese menus put the key after the text


def _plain(text: str) -> str:
    """A menu text without its mnemonic marker (``&Open``, ``打开(&O)``), for a list."""
    text = _CJK_MNEMONIC.sub("", text)
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&").strip()


def window_shortcuts(window: QMainWindow) -> list[ShortcutEntry]:
    """Every shortcut the window really has: its actions (in menu order) and QShortcuts."""
    menus: dict[QAction, str] = {}

    def walk(menu: QMenu, path: str) -> None:
        for action in menu.actions():
            submenu = action.menu()
            if isinstance(submenu, QMenu):
                walk(submenu, f"{path} → {_plain(submenu.title())}")
            elif not action.isSeparator():
                menus.setdefault(action, path)

    for top in window.menuBar().actions():
        menu = top.menu()
        if isinstance(menu, QMenu):
            walk(menu, _plain(menu.title()))

    entries: list[ShortcutEntry] = []
    seen: set[tuple[str, str]] = set()

    def add(name: str, sequences: list[QKeySequence], where: str) -> None:
        keys = ", ".join(
            s.toString(QKeySequence.SequenceFormat.NativeText) for s in sequences if not s.isEmpty()
        )
        if keys and (name, keys) not in seen:
            seen.add((name, keys))
            entries.append(ShortcutEntry(name, keys, where))

    in_menus = list(menus)
    others = [a for a in window.findChildren(QAction) if a not in menus]
    for action in in_menus + others:
        where = menus.get(action) or _owner_name(action.parent())
        sequences = action.shortcuts()
        name = _plain(action.text()) or action.toolTip() or _key_name(sequences)
        add(name, sequences, where)
    for shortcut in window.findChildren(QShortcut):
        sequences = [shortcut.key()]
        add(shortcut.whatsThis() or _key_name(sequences), sequences, _owner_name(shortcut.parent()))
    return entries


def _standard_key_names() -> dict[QKeySequence.StandardKey, str]:
    """What the platform's standard keys do, for a shortcut given without a name."""
    key = QKeySequence.StandardKey
    translate = QCoreApplication.translate
    return {
        key.Delete: translate("ShortcutsDialog", "Delete the selected rows"),
        key.Copy: translate("ShortcutsDialog", "Copy the selection"),
        key.Cut: translate("ShortcutsDialog", "Cut the selection"),
        key.Paste: translate("ShortcutsDialog", "Paste"),
        key.SelectAll: translate("ShortcutsDialog", "Select all"),
        key.Find: translate("ShortcutsDialog", "Find"),
        key.Undo: translate("ShortcutsDialog", "Undo"),
        key.Redo: translate("ShortcutsDialog", "Redo"),
        key.Refresh: translate("ShortcutsDialog", "Refresh"),
        key.Cancel: translate("ShortcutsDialog", "Cancel"),
    }


def _key_name(sequences: list[QKeySequence]) -> str:
    """A name for a shortcut that has none of its own: what its standard key does, else the
    keys themselves (a row is never blank)."""
    for standard, name in _standard_key_names().items():
        bindings = QKeySequence.keyBindings(standard)
        if any(sequence in bindings for sequence in sequences):
            return name
    keys = ", ".join(s.toString(QKeySequence.SequenceFormat.NativeText) for s in sequences)
    return QCoreApplication.translate("ShortcutsDialog", "Key {0}").format(keys)


def _owner_name(owner: object) -> str:
    """A readable name for the widget that holds a shortcut (its dock title if it is docked)."""
    while isinstance(owner, QWidget):
        if owner.windowTitle():
            return owner.windowTitle()
        owner = owner.parentWidget()
    return QCoreApplication.translate("ShortcutsDialog", "Window")


class ShortcutsDialog(QDialog):
    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self.setWindowTitle(self.tr("Keyboard shortcuts"))
        self.entries = window_shortcuts(window)
        layout = QVBoxLayout(self)
        self.table = QTableWidget(len(self.entries), 3, self)
        self.table.setHorizontalHeaderLabels(
            [self.tr("Action"), self.tr("Shortcut"), self.tr("Where")]
        )
        for row, entry in enumerate(self.entries):
            for column, value in enumerate((entry.action, entry.keys, entry.where)):
                self.table.setItem(row, column, QTableWidgetItem(value))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        layout.addWidget(self.table)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(640, 480)


def add_help_menu(window: QMainWindow) -> QMenu:
    """Help → Keyboard shortcuts, About; call it last so that Help is the last menu."""
    translate = QCoreApplication.translate  # the window's own context: it retranslates them
    menu = window.menuBar().addMenu(translate("MainWindow", "&Help"))
    shortcuts = QAction(
        translate("MainWindow", "&Keyboard shortcuts"), window, shortcut=QKeySequence("Ctrl+/")
    )
    shortcuts.setObjectName("action-shortcuts")
    shortcuts.triggered.connect(lambda: ShortcutsDialog(window).exec())
    about = QAction(translate("MainWindow", "&About Token Inspector"), window)
    about.setObjectName("action-about")
    about.setMenuRole(QAction.MenuRole.AboutRole)  # macOS puts it in the application menu
    about.triggered.connect(lambda: AboutDialog(window).exec())
    menu.addAction(shortcuts)
    menu.addSeparator()
    menu.addAction(about)
    return menu
