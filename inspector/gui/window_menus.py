"""The main window's menu bar: File, View, Model, Tools, Help — each action in one place —
and what opening a dropped file does (as File would).

The window says what each File action does (its slots) and which docks View toggles; the
menus here only build, order and translate them (again after *View → Language*). The strings
keep the context they were first translated in, the window's ("MainWindow").
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDockWidget, QMainWindow, QMenu, QWidget

from inspector.core.catalog import Catalog
from inspector.core.code_snippet import CodeRequest
from inspector.core.examples import Example
from inspector.core.tokenizer import LoadedTokenizer
from inspector.gui.about import add_help_menu
from inspector.gui.i18n import on_language_change
from inspector.gui.jobs import JobRunner
from inspector.gui.learner_menus import LearnerActions, install_learner_menus

Slot0 = Callable[[], object]
TOKENIZER_SUFFIXES = (".json", ".model", ".tiktoken")


@dataclass(frozen=True)
class FileActions:
    """What File's entries do, in menu order."""

    open_text: Slot0
    open_tokenizer: Slot0
    open_tokenizer_folder: Slot0
    export_report: Slot0
    open_corpus: Slot0
    quit: Slot0


@dataclass(frozen=True)
class LearnerHooks:
    """What the learners' entries read from the window: ``install_learner_menus``'s keyword
    arguments of the same names."""

    current_tokenizer: Callable[[], LoadedTokenizer | None]
    current_code: Callable[[], CodeRequest | None]
    open_example: Callable[[Example], None]
    runner: JobRunner | None = None


def open_corpus_window(parent: QWidget, catalog: Catalog, names: Sequence[str]) -> QWidget:
    """File → Compare on a corpus…: its own window, ``names`` (the compared tokenizers) preset."""
    from inspector.gui.corpus_window import CorpusWindow  # Dask loads only when asked for

    window = CorpusWindow(catalog, [n for n in names if n], parent)
    window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    window.resize(1200, 800)
    window.show()
    return window


def open_dropped(
    paths: Sequence[Path],
    load_tokenizer: Callable[[str], None],
    open_text_file: Callable[[Path], None],
) -> None:
    """A drop on the window opens as File would: a tokenizer file or folder is loaded, any
    other file opened as text (the first dropped only)."""
    for path in paths[:1]:
        if path.is_dir() or path.suffix.lower() in TOKENIZER_SUFFIXES:
            load_tokenizer(str(path))
        elif path.is_file():
            open_text_file(path)


class WindowMenus(QObject):
    """Builds the menu bar of ``window``. ``view_menu`` is public: parts that add View
    entries (Compare, Chat, zoom…) add them there, after the dock toggles."""

    def __init__(
        self,
        window: QMainWindow,
        files: FileActions,
        docks: dict[str, QDockWidget],
        model_menu: QMenu,
        learner: LearnerHooks,
    ) -> None:
        super().__init__(window)
        self._docks = docks
        self.file_menu = window.menuBar().addMenu("")
        self._file_actions: list[QAction] = []
        for shortcut, slot in (
            (QKeySequence.StandardKey.Open, files.open_text),
            (QKeySequence("Ctrl+Shift+O"), files.open_tokenizer),
            (None, files.open_tokenizer_folder),
            (None, None),
            (QKeySequence("Ctrl+E"), files.export_report),
            (None, files.open_corpus),
            (None, None),
            (QKeySequence.StandardKey.Quit, files.quit),
        ):
            if slot is None:
                self.file_menu.addSeparator()
                continue
            action = QAction(window)
            if shortcut is not None:
                action.setShortcut(shortcut)
            action.triggered.connect(slot)
            self.file_menu.addAction(action)
            self._file_actions.append(action)
        self.view_menu: QMenu = window.menuBar().addMenu("")
        for dock in docks.values():
            self.view_menu.addAction(dock.toggleViewAction())
        self.view_menu.addSeparator()
        self.model_menu = model_menu
        window.menuBar().addMenu(model_menu)
        self.help_menu = add_help_menu(window)
        self.learner: LearnerActions = install_learner_menus(
            window, view_menu=self.view_menu, help_menu=self.help_menu, **vars(learner)
        )
        self.retranslate()
        on_language_change(window, self.retranslate)

    def retranslate(self) -> None:
        """The menus' titles, File's entries, Help's own and the dock titles of ``docks``."""
        self.file_menu.setTitle(QCoreApplication.translate("MainWindow", "&File"))
        texts = (
            QCoreApplication.translate("MainWindow", "Open &text file…"),
            QCoreApplication.translate("MainWindow", "Open t&okenizer…"),
            QCoreApplication.translate("MainWindow", "Open tokenizer &folder…"),
            QCoreApplication.translate("MainWindow", "&Export report…"),
            QCoreApplication.translate("MainWindow", "Compare on a &corpus…"),
            QCoreApplication.translate("MainWindow", "&Quit"),
        )
        for action, text in zip(self._file_actions, texts, strict=True):
            action.setText(text)
        self.view_menu.setTitle(QCoreApplication.translate("MainWindow", "&View"))
        self.model_menu.setTitle(QCoreApplication.translate("MainWindow", "&Model"))
        self.help_menu.setTitle(QCoreApplication.translate("MainWindow", "&Help"))
        help_texts = {
            "action-shortcuts": QCoreApplication.translate("MainWindow", "&Keyboard shortcuts"),
            "action-about": QCoreApplication.translate("MainWindow", "&About Token Inspector"),
        }
        for action in self.help_menu.actions():
            if action.objectName() in help_texts:
                action.setText(help_texts[action.objectName()])
        titles = {
            "table": QCoreApplication.translate("MainWindow", "Tokens"),
            "encoding": QCoreApplication.translate("MainWindow", "Encoding"),
            "tokenizer": QCoreApplication.translate("MainWindow", "Tokenizer"),
        }
        for name, title in titles.items():
            if name in self._docks:
                self._docks[name].setWindowTitle(title)
