"""The main window: composition only. The session state (:mod:`inspector.gui.state`) holds
the tokenizer, text, settings, result and selection; each part below gets the state, changes
it through its methods and follows its signals. The window builds the parts, places them
(central area, docks, menus) and routes a new result to the strip first, the docked panels
in the next turn of the event loop.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PySide6.QtCore import Qt, QTimer, Signal, Slot
from PySide6.QtGui import QAction, QCloseEvent, QDragEnterEvent, QDropEvent, QKeySequence
from PySide6.QtWidgets import (
    QDockWidget,
    QLabel,
    QMainWindow,
    QMenu,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from inspector.core.catalog import Catalog
from inspector.core.code_snippet import CodeRequest
from inspector.core.encoding import EncodingResult
from inspector.core.examples import Example
from inspector.core.tokenizer import LoadedTokenizer
from inspector.gui import session
from inspector.gui.about import add_help_menu
from inspector.gui.chat_dock import ChatDock
from inspector.gui.document_text import joined
from inspector.gui.export_dialog import ExportDialog, comparison_source, current_view_source
from inspector.gui.i18n import on_language_change
from inspector.gui.learner_menus import LearnerActions, install_learner_menus
from inspector.gui.model_docks import ModelDocks
from inspector.gui.persistence import WindowSettings
from inspector.gui.state import InspectorState
from inspector.gui.status_line import StatusLine
from inspector.gui.text_panes import TextPanes
from inspector.gui.theme import install_theme_menu
from inspector.gui.tokenizer_bar import TokenizerBar
from inspector.gui.widgets.batch_switch import BatchSwitch  # batch: "Text 1 of 3" ◀ ▶
from inspector.gui.widgets.comparison_view import ComparisonDock
from inspector.gui.widgets.encoding_panel import EncodingPanel
from inspector.gui.widgets.token_details import TokenDetails
from inspector.gui.widgets.token_strip import TokenStrip
from inspector.gui.widgets.token_table import TokenTable
from inspector.gui.widgets.tokenizer_panel import TokenizerPanel
from inspector.gui.zoom import install_zoom

TOKENIZER_SUFFIXES = (".json", ".model", ".tiktoken")
BANNER_STYLE = (
    "QLabel { background: #fdecea; color: #611a15; border: 1px solid #f5c2c0;"
    " padding: 6px; border-radius: 4px; }"
)
BOTTOM, RIGHT = Qt.DockWidgetArea.BottomDockWidgetArea, Qt.DockWidgetArea.RightDockWidgetArea


class MainWindow(QMainWindow):
    """``persist=False``: read the saved settings and session, never write them."""

    result_shown = Signal()  # the strip and every panel show the new result
    strip_updated = Signal()  # the strip alone (comes first)
    tokenizer_loaded = Signal(str)

    def __init__(
        self,
        catalog: Catalog | None = None,
        *,
        tokenizer: str | None = None,
        text: str | None = None,
        persist: bool = True,
    ) -> None:
        super().__init__()
        self.setWindowTitle("Token Inspector")
        self.setAcceptDrops(True)
        self.state = state = InspectorState(catalog, self)
        self.strip = TokenStrip()
        # The strip is what the user watches while typing: it hears of a result first.
        state.result_changed.connect(self._on_result)
        self.batch_switch = BatchSwitch(state)  # batch: which text of the batch the strip shows
        self.prefs = WindowSettings(session.settings(), writable=persist)
        self.session = session.SessionText()
        self.panes = TextPanes(state, self.session if persist else None)
        self.details = TokenDetails(state)
        self.table = TokenTable()
        self.encoding_panel = EncodingPanel(state)
        self.tokenizer_panel = TokenizerPanel()
        self.status = StatusLine(state, self.statusBar(), self)
        self._build_central()
        self.docks: dict[str, QDockWidget] = {}
        self._add_dock("table", self.tr("Tokens"), self.table, RIGHT)
        self._add_dock("encoding", self.tr("Encoding"), self.encoding_panel, BOTTOM)
        self._add_dock("tokenizer", self.tr("Tokenizer"), self.tokenizer_panel, RIGHT)
        self.tabifyDockWidget(self.docks["table"], self.docks["tokenizer"])
        self.docks["table"].raise_()
        self.model_docks = ModelDocks(state, self)  # torch loads on the first run
        self.addDockWidget(Qt.DockWidgetArea.TopDockWidgetArea, self.model_docks.docks["model"])
        self.comparison = ComparisonDock(state, self)
        self._tab_below_encoding(
            [d for n, d in self.model_docks.docks.items() if n != "model"] + [self.comparison.dock]
        )
        self._build_menus()
        self.chat = ChatDock(state, self.model_docks, self)  # Chat mode, its own dock
        self.view_menu.addAction(self.chat.action)
        self.view_keys = install_zoom(self)  # zoom Ctrl +/−/0, Ctrl+L picker (gui/zoom.py)
        self.encoding_panel.chat_requested.connect(self.chat.show_panel)
        self._connect()
        self._restore(text)
        state.load_tokenizer(tokenizer or self.prefs.tokenizer())

    # -- what the old window exposed, read from the state ----------------------------------
    catalog = property(lambda self: self.state.catalog)
    runner = property(lambda self: self.state.runner)
    encode_process = property(lambda self: self.state.encode_process)
    tokenizer = property(lambda self: self.state.tokenizer)
    tokenizer_name = property(lambda self: self.state.tokenizer_name)
    result = property(lambda self: self.state.result)
    text_edit = property(lambda self: self.panes.text_edit)
    pair_edit = property(lambda self: self.panes.pair_edit)
    status_tokens = property(lambda self: self.status.tokens)

    def load_tokenizer(self, name: str) -> None:
        self.state.load_tokenizer(name)

    def open_text_file(self, path: Path) -> None:
        self.panes.open_text_file(path)

    def request_encode(self) -> None:
        """Encode the pane's text now (a long one is read in slices first)."""
        if self.panes.text_is_large():
            self.panes.reader.read()
        else:
            self.state.request_encode()

    # -- construction ------------------------------------------------------------------
    def _build_central(self) -> None:
        self.bar = TokenizerBar(self.state, self.prefs)
        self.bar.options_changed.connect(self._apply_strip_options)
        self.bar.reset_requested.connect(self.tokenizer_panel.reset_what_if)
        self.picker, self.modified = self.bar.picker, self.bar.modified
        self.banner = QLabel(wordWrap=True)
        self.banner.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.banner.setStyleSheet(BANNER_STYLE)
        self.banner.hide()
        lower = QWidget()
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        lower_layout.addWidget(self.batch_switch)  # batch
        lower_layout.addWidget(self.strip, 1)
        lower_layout.addWidget(self.details)
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(self.panes)
        self.splitter.addWidget(lower)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 3)
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.addWidget(self.bar)
        layout.addWidget(self.banner)
        layout.addWidget(self.splitter, 1)
        self.setCentralWidget(central)

    def _add_dock(self, name: str, title: str, widget: QWidget, area: Qt.DockWidgetArea) -> None:
        dock = QDockWidget(title, self)
        dock.setObjectName(f"dock-{name}")
        dock.setWidget(widget)
        self.addDockWidget(area, dock)
        self.docks[name] = dock

    def _tab_below_encoding(self, docks: list[QDockWidget]) -> None:
        previous = self.docks["encoding"]
        for dock in docks:
            self.addDockWidget(BOTTOM, dock)
            self.tabifyDockWidget(previous, dock)
            previous = dock
        self.docks["encoding"].raise_()

    def open_corpus_window(self) -> QWidget:
        """File → Compare on a corpus…: the compared tokenizers (else the current one) preset."""
        from inspector.gui.corpus_window import CorpusWindow

        names = self.comparison.panel.row_names() or [self.tokenizer_name]
        window = CorpusWindow(self.catalog, [n for n in names if n], self)
        window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        window.resize(1200, 800)
        window.show()
        return window

    def _build_menus(self) -> None:
        """File, View, Model, Tools, Help: each action in one place, Help last."""
        self.file_menu = self.menuBar().addMenu("")
        self._file_actions: list[QAction] = []
        for shortcut, slot in (
            (QKeySequence.StandardKey.Open, self.panes.open_file),
            (QKeySequence("Ctrl+Shift+O"), self.picker.open_file),
            (None, self.picker.open_folder),
            (None, None),
            (QKeySequence("Ctrl+E"), self.export_report),
            (None, self.open_corpus_window),
            (None, None),
            (QKeySequence.StandardKey.Quit, self.close),
        ):
            if slot is None:
                self.file_menu.addSeparator()
                continue
            action = QAction(self)
            if shortcut is not None:
                action.setShortcut(shortcut)
            action.triggered.connect(slot)
            self.file_menu.addAction(action)
            self._file_actions.append(action)
        self.view_menu: QMenu = self.menuBar().addMenu("")
        for dock in self.docks.values():
            self.view_menu.addAction(dock.toggleViewAction())
        self.view_menu.addSeparator()
        self.view_menu.addAction(self.comparison.action)
        self.menuBar().addMenu(self.model_docks.menu)
        self.help_menu = add_help_menu(self)
        self.learner: LearnerActions = install_learner_menus(
            self,
            view_menu=self.view_menu,
            help_menu=self.help_menu,
            current_tokenizer=lambda: self.state.tokenizer,
            current_code=self.code_request,
            open_example=self.open_example,
        )
        install_theme_menu(self.view_menu, self.prefs.store, writable=self.prefs.writable)  # theme
        self._retranslate_menus()
        on_language_change(self, self._retranslate_menus)

    def _retranslate_menus(self) -> None:
        """The window's own menu and dock titles, again after View → Language."""
        self.file_menu.setTitle(self.tr("&File"))
        texts = (
            self.tr("Open &text file…"),
            self.tr("Open t&okenizer…"),
            self.tr("Open tokenizer &folder…"),
            self.tr("&Export report…"),
            self.tr("Compare on a &corpus…"),
            self.tr("&Quit"),
        )
        for action, text in zip(self._file_actions, texts, strict=True):
            action.setText(text)
        self.view_menu.setTitle(self.tr("&View"))
        self.model_docks.menu.setTitle(self.tr("&Model"))
        self.help_menu.setTitle(self.tr("&Help"))
        help_texts = {
            "action-shortcuts": self.tr("&Keyboard shortcuts"),
            "action-about": self.tr("&About Token Inspector"),
        }
        for action in self.help_menu.actions():
            if action.objectName() in help_texts:
                action.setText(help_texts[action.objectName()])
        titles = {"table": self.tr("Tokens"), "encoding": self.tr("Encoding")}
        titles["tokenizer"] = self.tr("Tokenizer")
        for name, title in titles.items():
            self.docks[name].setWindowTitle(title)

    def _connect(self) -> None:
        state = self.state
        self.strip.hovered.connect(state.hover_token)
        self.strip.clicked.connect(state.select_token)
        self.table.current_token_changed.connect(state.select_token)
        self.panes.tokens_highlighted.connect(self._highlight_tokens)
        self.panes.problem.connect(self.show_error)
        self.encoding_panel.settings_changed.connect(
            lambda: state.set_settings(self.encoding_panel.settings(), self.encoding_panel.mode())
        )
        self.tokenizer_panel.what_if_requested.connect(state.add_tokens)
        self.tokenizer_panel.what_if_reset.connect(state.reset_tokens)
        state.tokenizer_changed.connect(self._on_tokenizer_changed)
        state.tokenizer_failed.connect(self.show_error)
        state.encode_failed.connect(self.show_error)
        state.token_hovered.connect(
            lambda index: index >= 0 and self.table.highlight_tokens(np.array([index]))
        )
        state.token_selected.connect(self.strip.set_current)
        state.token_selected.connect(self.table.select_token)

    def _restore(self, text: str | None) -> None:
        if not self.prefs.restore_layout(self):  # first run: room for the text and strip
            height = self.encoding_panel.sizeHint().height()
            self.resizeDocks([self.docks["encoding"]], [height], Qt.Orientation.Vertical)
            self.resizeDocks([self.docks["table"]], [440], Qt.Orientation.Horizontal)
        self.prefs.restore_boxes(self.bar.boxes)
        self.prefs.restore_model(self.model_docks.bar)
        saved = self.prefs.encoding()
        if saved is not None:
            self.encoding_panel.set_settings(*saved)
            self.state.set_settings(self.encoding_panel.settings(), self.encoding_panel.mode())
        if text is None:
            text = self.session.load("text")
        if text is None:
            from inspector.core.sources import resources_dir

            sample = resources_dir() / "samples" / "mixed.txt"
            text = sample.read_text("utf-8") if sample.is_file() else ""
        self.panes.set_texts(text, self.session.load("pair") or "")
        self._apply_strip_options()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.panes.stop()
        self.panes.save_session()
        self.prefs.save(
            self,
            tokenizer=self.state.tokenizer_name,
            settings=self.encoding_panel.settings(),
            mode=self.encoding_panel.mode(),
            boxes=self.bar.boxes,
            model_bar=self.model_docks.bar,
        )
        self.model_docks.shutdown(timeout_ms=5000)
        self.comparison.shutdown(timeout_ms=0)  # its jobs are moot: do not wait for them
        self.chat.shutdown(timeout_ms=5000)  # chat hook
        self.state.shutdown(timeout_ms=5000)
        super().closeEvent(event)

    # -- tokenizer ---------------------------------------------------------------------
    @Slot(object)
    def _on_tokenizer_changed(self, tok: LoadedTokenizer) -> None:
        self.clear_error()
        self.tokenizer_panel.set_tokenizer(tok)
        suffix = self.tr(" (modified copy)") if self.state.added_tokens else ""
        self.setWindowTitle(f"Token Inspector — {tok.facts.id}{suffix}")
        self.tokenizer_loaded.emit(self.state.tokenizer_name)

    # -- learners: Show code, Help → Examples ----------------------------------------
    def code_request(self) -> CodeRequest | None:
        """What the window shows, as Show code writes it; None before a tokenizer is loaded."""
        state = self.state
        if state.tokenizer is None or not state.tokenizer_name:
            return None
        text = joined(state.text)
        mode = state.mode if state.mode in ("single", "pair", "batch") else "single"
        texts: tuple[str, ...] = (text,)
        pairs: tuple[str, ...] | None = None
        if mode == "batch":  # batch: line i of the pair pane pairs with line i, if any
            listed, paired = state.batch_inputs()
            texts, pairs = tuple(listed), None if paired is None else tuple(paired)
        elif mode == "pair":
            pairs = (state.pair,)
        run = self.model_docks.run
        info = run.output.info if run is not None else None
        return CodeRequest(
            state.tokenizer_name,
            mode,
            texts,
            state.settings,
            pairs,
            model=info.name if info is not None else None,
            causal=info is not None and info.kind == "causal",
        )

    def open_example(self, example: Example) -> None:
        """Help → Examples: the example's mode, tokenizer(s), settings, text(s), added tokens."""
        mode = "single" if example.mode == "compare" else example.mode
        self.encoding_panel.set_settings(example.settings, mode)
        self.state.set_settings(self.encoding_panel.settings(), self.encoding_panel.mode())
        text = "\n".join(example.texts) if example.mode == "batch" else example.text
        self.panes.set_texts(text, example.pair or "")
        name = example.tokenizers[0]
        entry = self.catalog.entry(name)
        name = entry.id if entry is not None else name
        added = example.added_tokens
        if added is not None:

            def add_once(_tok: object) -> None:  # the load landed (or failed): once only
                self.state.tokenizer_changed.disconnect(add_once)
                self.state.tokenizer_failed.disconnect(add_once)
                if isinstance(_tok, LoadedTokenizer) and self.state.tokenizer_name == name:
                    self.state.add_tokens(list(added.tokens), added.special)

            if self.state.tokenizer_name == name and self.state.base_tokenizer is not None:
                self.state.add_tokens(list(added.tokens), added.special)
            else:
                self.state.tokenizer_changed.connect(add_once)
                self.state.tokenizer_failed.connect(add_once)
                self.state.load_tokenizer(name)
        elif self.state.tokenizer_name != name or self.state.is_modified:
            self.state.load_tokenizer(name)
        if example.mode == "compare":
            self.comparison.panel.use_window_text()
            self.comparison.panel.set_rows(example.tokenizers)
            self.comparison.show_panel()

    # -- files -----------------------------------------------------------------------
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        for url in event.mimeData().urls():
            path = Path(url.toLocalFile())
            if path.is_dir() or path.suffix.lower() in TOKENIZER_SUFFIXES:
                self.state.load_tokenizer(str(path))
            elif path.is_file():
                self.panes.open_text_file(path)
            break
        event.acceptProposedAction()

    @Slot()
    def export_report(self) -> ExportDialog:
        """File → Export report…: the current view or the comparison."""
        panel = self.comparison.panel
        run = self.model_docks.run  # its model section goes with the view it ran on
        view = current_view_source(self.state.tokenizer_name, self.state.result, model_run=run)
        sources = [view]
        compared = panel.comparison()
        if compared is not None:
            items = panel.report_items()
            sources.append(comparison_source(compared.text, compared.pair, panel.settings(), items))
        dialog = ExportDialog([source for source in sources if source is not None], self)
        dialog.open()
        return dialog

    # -- errors ------------------------------------------------------------------------
    def show_error(self, message: str) -> None:
        self.banner.setText(message)
        self.banner.show()

    def clear_error(self) -> None:
        self.banner.hide()

    # -- results and linking -----------------------------------------------------------
    @Slot(object)
    def _on_result(self, result: EncodingResult | None) -> None:
        self.clear_error()
        self.strip.set_result(result)
        self.strip_updated.emit()
        # The strip is what the user watches while typing: let it paint first, then fill
        # the docked panels in the next turn of the event loop (skipped if a newer result
        # has arrived by then).
        QTimer.singleShot(0, lambda: self._show_in_panels(result))

    def _show_in_panels(self, result: EncodingResult | None) -> None:
        if result is not self.state.result:
            return
        self.table.set_result(result)
        self.result_shown.emit()

    @Slot(object)
    def _highlight_tokens(self, indices: np.ndarray) -> None:
        self.strip.highlight(indices)
        self.table.highlight_tokens(indices)

    @Slot()
    def _apply_strip_options(self) -> None:
        option = self.bar.option
        self.strip.set_options(
            glyphs=option("glyphs"), show_ids=option("show_ids"), colorblind=option("colorblind")
        )
