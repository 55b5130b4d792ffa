"""The main window: composition only. The session state (:mod:`inspector.gui.state`) holds
the tokenizer, text, settings, result and selection; each part below gets the state, changes
it through its methods and follows its signals. The window builds the parts and places them
(central area, docks, menus: :mod:`window_menus`); a new result goes to the strip first, and
to the docked panels with ``state.result_settled`` in the next turn of the event loop.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, Qt, Signal, Slot
from PySide6.QtGui import QCloseEvent, QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QDockWidget, QMainWindow, QSplitter, QVBoxLayout, QWidget

from inspector.core.array_slices import workers_wait
from inspector.core.catalog import Catalog
from inspector.core.code_snippet import CodeRequest
from inspector.core.encoding import EncodingResult
from inspector.core.examples import Example
from inspector.core.tokenizer import LoadedTokenizer
from inspector.gui import learner_menus, session, window_menus
from inspector.gui.chat_dock import ChatDock
from inspector.gui.decode_ids_dialog import DecodeIdsDialog
from inspector.gui.export_dialog import ExportDialog, current_view_source, open_export_dialog
from inspector.gui.model_docks import ModelDocks
from inspector.gui.persistence import WindowSettings, first_texts
from inspector.gui.state import InspectorState
from inspector.gui.status_line import StatusLine
from inspector.gui.text_panes import TextPanes
from inspector.gui.theme import install_theme_menu
from inspector.gui.tokenizer_bar import ErrorBanner, TokenizerBar
from inspector.gui.widgets.batch_switch import BatchSwitch  # batch: "Text 1 of 3" ◀ ▶
from inspector.gui.widgets.comparison_view import ComparisonDock
from inspector.gui.widgets.encoding_panel import EncodingPanel
from inspector.gui.widgets.token_details import TokenDetails
from inspector.gui.widgets.token_strip import TokenStrip
from inspector.gui.widgets.token_table import TokenTable
from inspector.gui.widgets.tokenizer_panel import TokenizerPanel
from inspector.gui.window_menus import FileActions, LearnerHooks, WindowMenus
from inspector.gui.zoom import install_zoom

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
        # The strip is what the user watches while typing: it hears of a result first.
        self.strip = TokenStrip(state=state)
        state.result_changed.connect(self.strip_updated)
        self.batch_switch = BatchSwitch(state)  # batch: which text of the batch the strip shows
        self.prefs = WindowSettings(session.settings(), writable=persist)
        self.session = session.SessionText()
        self.panes = TextPanes(state, self.session if persist else None)
        self.details = TokenDetails(state)
        self.table = TokenTable(state)
        self.encoding_panel = EncodingPanel(state)
        self.tokenizer_panel = TokenizerPanel(state)
        self.status = StatusLine(state, self.statusBar(), self)
        self._build_central()
        self.docks = {  # their titles are the menus' to set (and translate)
            "table": self._add_dock("table", self.table, RIGHT),
            "encoding": self._add_dock("encoding", self.encoding_panel, BOTTOM),
            "tokenizer": self._add_dock("tokenizer", self.tokenizer_panel, RIGHT),
        }
        self.tabifyDockWidget(self.docks["table"], self.docks["tokenizer"])
        self.docks["table"].raise_()
        self.model_docks = ModelDocks(state, self)  # torch loads on the first run
        self.addDockWidget(Qt.DockWidgetArea.TopDockWidgetArea, self.model_docks.docks["model"])
        self.comparison = ComparisonDock(state, self)
        self._tab_below_encoding(
            [d for n, d in self.model_docks.docks.items() if n != "model"] + [self.comparison.dock]
        )
        self.menus = self._build_menus()
        self.chat = ChatDock(state, self.model_docks, self)  # Chat mode, its own dock
        # -- View menu: the docks' toggles are in; the parts' own entries follow here.
        view_menu = self.menus.view_menu
        view_menu.addAction(self.comparison.action)
        view_menu.addAction(self.chat.action)
        self.view_keys = install_zoom(self)  # zoom Ctrl +/−/0, Ctrl+L picker (gui/zoom.py)
        install_theme_menu(view_menu, self.prefs.store, writable=self.prefs.writable)
        self._connect()
        self._restore(text)
        if tokenizer is None:  # the session's tokenizer, with its "what if" tokens
            saved = self.prefs.tokenizer()
            state.load_tokenizer(saved, then_add=self.prefs.what_if(saved))
        else:
            state.load_tokenizer(tokenizer)

    # -- what the old window exposed, read from the state and the parts -------------------
    catalog = property(lambda self: self.state.catalog)
    runner = property(lambda self: self.state.runner)
    encode_process = property(lambda self: self.state.encode_process)
    tokenizer = property(lambda self: self.state.tokenizer)
    tokenizer_name = property(lambda self: self.state.tokenizer_name)
    result = property(lambda self: self.state.result)
    text_edit = property(lambda self: self.panes.text_edit)
    pair_edit = property(lambda self: self.panes.pair_edit)
    status_tokens = property(lambda self: self.status.tokens)
    view_menu = property(lambda self: self.menus.view_menu)
    help_menu = property(lambda self: self.menus.help_menu)
    learner = property(lambda self: self.menus.learner)

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
        self.picker, self.modified = self.bar.picker, self.bar.modified
        self.banner = ErrorBanner(self.state)
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

    def _add_dock(self, name: str, widget: QWidget, area: Qt.DockWidgetArea) -> QDockWidget:
        dock = QDockWidget(self)
        dock.setObjectName(f"dock-{name}")
        dock.setWidget(widget)
        self.addDockWidget(area, dock)
        return dock

    def _tab_below_encoding(self, docks: list[QDockWidget]) -> None:
        previous = self.docks["encoding"]
        for dock in docks:
            self.addDockWidget(BOTTOM, dock)
            self.tabifyDockWidget(previous, dock)
            previous = dock
        self.docks["encoding"].raise_()

    def _build_menus(self) -> WindowMenus:
        files = FileActions(
            open_text=self.panes.open_file,
            open_tokenizer=self.picker.open_file,
            open_tokenizer_folder=self.picker.open_folder,
            export_report=self.export_report,
            open_corpus=self.open_corpus_window,
            quit=self.close,
        )
        learner = LearnerHooks(
            lambda: self.state.tokenizer, self.code_request, self.open_example, self.state.runner
        )
        return WindowMenus(self, files, self.docks, self.model_docks.menu, learner)

    def _connect(self) -> None:
        state = self.state
        self.panes.tokens_highlighted.connect(state.highlight_tokens)
        self.panes.problem.connect(self.banner.show_message)
        self.encoding_panel.settings_changed.connect(
            lambda: state.set_settings(self.encoding_panel.settings(), self.encoding_panel.mode())
        )
        self.encoding_panel.chat_requested.connect(self.chat.show_panel)
        state.tokenizer_changed.connect(self._on_tokenizer_changed)
        # A cancelled change: the picker names the tokenizer of the tokens shown again.
        state.encode_cancelled.connect(lambda _name: self.picker.show_name(state.tokenizer_name))
        state.result_settled.connect(self._on_result_settled)  # after the table's own

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
        self.panes.set_texts(*first_texts(self.session, text))
        self._apply_strip_options()

    def event(self, event: QEvent) -> bool:
        # The window's paint and layout passes call into Python for each cell, chip and size
        # hint; each call would wait up to the switch interval for Python's lock from a
        # worker's slice loop: those loops wait for the pass instead.
        if event.type() in (QEvent.Type.UpdateRequest, QEvent.Type.LayoutRequest):
            with workers_wait():
                return super().event(event)
        return super().event(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.panes.stop()
        self.panes.save_session()
        self.prefs.save(
            self,
            tokenizer=self.state.tokenizer_name,
            added=None if self.state.in_use is None else self.state.in_use.added,
            settings=self.encoding_panel.settings(),
            mode=self.encoding_panel.mode(),
            boxes=self.bar.boxes,
            model_bar=self.model_docks.bar,
        )
        self.model_docks.shutdown(timeout_ms=5000)
        self.comparison.shutdown(timeout_ms=0)  # its jobs are moot: never waited for
        self.chat.shutdown(timeout_ms=5000)  # chat hook
        self.state.shutdown(timeout_ms=5000)
        super().closeEvent(event)

    # -- what the menus do ---------------------------------------------------------------
    def code_request(self) -> CodeRequest | None:
        """What the window shows, as Show code writes it; None before a tokenizer is loaded."""
        return learner_menus.code_request(self.state, self.model_docks.run)

    def open_example(self, example: Example) -> None:
        """Help → Examples: the example's mode, tokenizer(s), settings, text(s), added tokens."""
        learner_menus.open_example(
            example,
            state=self.state,
            encoding_panel=self.encoding_panel,
            panes=self.panes,
            comparison=self.comparison,
        )

    @Slot()
    def export_report(self) -> ExportDialog:
        """File → Export report…: the current view (with its model run) or the comparison."""
        state, run = self.state, self.model_docks.run
        view = current_view_source(state.tokenizer_name, state.result, model_run=run)
        sources = [view, self.comparison.panel.export_source()]
        return open_export_dialog(sources, state.runner, self)

    def open_corpus_window(self) -> QWidget:
        """File → Compare on a corpus…: the compared tokenizers (else the current one) preset."""
        loading = self.tokenizer_name or self.state.pending_name  # before the first load: that
        names = self.comparison.panel.row_names() or [loading]
        return window_menus.open_corpus_window(self, self.catalog, names)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [Path(url.toLocalFile()) for url in event.mimeData().urls()]
        window_menus.open_dropped(paths, self.state.load_tokenizer, self.panes.open_text_file)
        event.acceptProposedAction()

    # -- following the state ---------------------------------------------------------------
    @Slot(object)
    def _on_tokenizer_changed(self, tok: LoadedTokenizer) -> None:
        suffix = self.tr(" (modified copy)") if self.state.added_tokens else ""
        self.setWindowTitle(f"Token Inspector — {tok.facts.id}{suffix}")
        decode_ids = self.findChild(DecodeIdsDialog)  # an open one decodes in the new one
        if decode_ids is not None and decode_ids.tokenizer is not tok:
            decode_ids.set_tokenizer(tok)
        self.tokenizer_loaded.emit(self.state.tokenizer_name)

    @Slot(object)
    def _on_result_settled(self, result: EncodingResult | None) -> None:
        self.result_shown.emit()  # the Encoding panel follows result_settled itself

    @Slot()
    def _apply_strip_options(self) -> None:
        option = self.bar.option
        self.strip.set_options(
            glyphs=option("glyphs"), show_ids=option("show_ids"), colorblind=option("colorblind")
        )
