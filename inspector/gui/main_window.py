"""The main window: text panes, tokenizer picker, token strip, docked panels, status line.

One EncodingResult flows from a worker to every panel; the window only routes it and keeps
the panels linked (hover / click / text selection).
"""

from __future__ import annotations

import html
import json
from pathlib import Path
from typing import Any

import numpy as np
from PySide6.QtCore import QByteArray, Qt, QTimer, Signal, Slot
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QColor,
    QDragEnterEvent,
    QDropEvent,
    QKeySequence,
    QTextCharFormat,
    QTextCursor,
)
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QDockWidget,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMessageBox,
    QPlainTextEdit,
    QSplitter,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from inspector.core.catalog import DEFAULT_TOKENIZER, Catalog
from inspector.core.encode_process import EncodeProcess, can_use_process
from inspector.core.encoding import BatchResult, EncodingResult, encode, encode_batch
from inspector.core.errors import InspectorError
from inspector.core.settings import EncodeSettings
from inspector.core.tokenizer import LoadedTokenizer
from inspector.gui import session
from inspector.gui.about import add_help_menu
from inspector.gui.document_text import DocumentReader, exact_text, joined, text_pieces
from inspector.gui.export_dialog import ExportDialog, comparison_source, current_view_source
from inspector.gui.jobs import CancelToken, JobRunner
from inspector.gui.model_docks import ModelDocks
from inspector.gui.widgets.chat_panel import ChatDock
from inspector.gui.widgets.comparison_view import ComparisonDock
from inspector.gui.widgets.encoding_panel import EncodingPanel
from inspector.gui.widgets.token_strip import TokenStrip
from inspector.gui.widgets.token_table import TokenTable
from inspector.gui.widgets.tokenizer_panel import TokenizerPanel

MAX_RECENT = 8
LARGE_TEXT = 50_000  # characters: above this, typing waits a little before re-encoding
TOKENIZER_SUFFIXES = (".json", ".model", ".tiktoken")


def _utf16_offsets(text: str) -> np.ndarray:
    """Qt positions count UTF-16 units; Python indices count code points. out[i] = Qt pos of i."""
    points = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    out = np.zeros(len(points) + 1, dtype=np.int64)
    np.cumsum(1 + (points >= 0x10000), out=out[1:])
    return out


# -- jobs (run on pool threads; plain data in, plain data out) ------------------------------


def _load_job(catalog: Catalog, name: str, *, cancel: CancelToken) -> LoadedTokenizer:
    return catalog.load(name)


def _encode_job(
    tok: LoadedTokenizer,
    text: str | list[str],
    pair: str | None,
    settings: EncodeSettings,
    mode: str,
    process: EncodeProcess,
    *,
    cancel: CancelToken,
) -> EncodingResult | BatchResult:
    text = joined(text)  # lines from the document reader are joined here, on a pool thread
    if mode == "batch":
        lines = [line for line in text.split("\n") if line.strip()] or [""]
        return encode_batch(tok, lines, settings)
    pair = pair if mode == "pair" else None
    if can_use_process(tok, text, pair):  # a thread would hold the GIL: the window freezes
        return process.encode(tok, text, settings, pair, cancelled=lambda: cancel.cancelled)
    return encode(tok, text, settings, pair)


def _save_job(store: session.SessionText, lines: list[str], *, cancel: CancelToken) -> None:
    store.save("text", text_pieces(lines))


def _what_if_job(
    tok: LoadedTokenizer, tokens: list[str], special: bool, *, cancel: CancelToken
) -> LoadedTokenizer:
    return tok.with_added_tokens(tokens, special)


class MainWindow(QMainWindow):
    """Emits ``result_shown`` each time a new result reaches the panels (tests, screenshots)."""

    result_shown = Signal()  # the strip and every panel show the new result
    strip_updated = Signal()  # the strip alone (comes first)
    tokenizer_loaded = Signal(str)
    token_selected = Signal(int)  # strip, table or a model panel selected a token

    def __init__(
        self,
        catalog: Catalog | None = None,
        *,
        tokenizer: str | None = None,
        text: str | None = None,
    ) -> None:
        super().__init__()
        self.setWindowTitle("Token Inspector")
        self.setAcceptDrops(True)
        self.catalog = catalog or Catalog()
        self.runner = JobRunner(self)
        self.encode_process = EncodeProcess()  # long texts; started on first use
        self.runner.finished.connect(self._on_job_finished)
        self.runner.failed.connect(self._on_job_failed)
        self.settings_store = session.settings()
        self.session = session.SessionText()
        self.tokenizer: LoadedTokenizer | None = None
        self._base_tokenizer: LoadedTokenizer | None = None  # before "what if" tokens
        self.tokenizer_name = ""
        self.result: EncodingResult | None = None
        self._utf16: np.ndarray = np.zeros(1, dtype=np.int64)
        self._pending_name = ""

        self._build_central()
        self._build_docks()
        self._build_menus()
        self.model_docks = ModelDocks(self)  # model bar + panels; torch loads on first run
        self.comparison = ComparisonDock(self, self.result_shown)  # the Compare dock
        self.chat = ChatDock(self)  # chat hook: Chat mode (View → Chat), its own dock
        self._debounce = QTimer(self, singleShot=True)
        self._debounce.timeout.connect(self.request_encode)
        self._autosave = QTimer(self, singleShot=True, interval=800)
        self._autosave.timeout.connect(self._save_session)

        self.reader = DocumentReader(self.text_edit.document(), self)
        self.reader.finished.connect(self._on_text_read)

        self._restore(text)
        self.text_edit.textChanged.connect(self._on_text_changed)
        self.pair_edit.textChanged.connect(self._on_text_changed)
        self.load_tokenizer(
            tokenizer or str(self.settings_store.value("tokenizer", DEFAULT_TOKENIZER))
        )
        add_help_menu(self)  # last, so that Help stays the last menu

    # -- construction ------------------------------------------------------------------
    def _build_central(self) -> None:
        self.picker = QComboBox()
        self.picker.setEditable(True)
        self.picker.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.picker.setMinimumContentsLength(28)
        self.picker.setToolTip("Catalog id, alias, HF hub id or path — type to search")
        completer = self.picker.completer()
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.picker.activated.connect(self._on_picker_activated)
        self.picker.lineEdit().returnPressed.connect(self._on_picker_entered)
        self._fill_picker()

        self.glyphs_box = QCheckBox("Whitespace glyphs")
        self.glyphs_box.setChecked(True)
        self.ids_box = QCheckBox("Show ids")
        self.colorblind_box = QCheckBox("Colour-blind palette")
        for box in (self.glyphs_box, self.ids_box, self.colorblind_box):
            box.toggled.connect(self._apply_strip_options)

        top = QHBoxLayout()
        top.addWidget(QLabel("Tokenizer:"))
        top.addWidget(self.picker, 1)
        for box in (self.glyphs_box, self.ids_box, self.colorblind_box):
            top.addWidget(box)

        self.banner = QLabel()
        self.banner.setWordWrap(True)
        self.banner.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.banner.setStyleSheet(
            "QLabel { background: #fdecea; color: #611a15; border: 1px solid #f5c2c0;"
            " padding: 6px; border-radius: 4px; }"
        )
        self.banner.hide()

        self.text_edit = QPlainTextEdit()
        self.text_edit.setPlaceholderText("Type or paste text here, or drop a text file…")
        self.text_edit.selectionChanged.connect(self._on_text_selection)
        self.pair_edit = QPlainTextEdit()
        self.pair_edit.setPlaceholderText("Second text of the pair")
        self.pair_edit.hide()
        texts = QSplitter(Qt.Orientation.Horizontal)
        texts.addWidget(self.text_edit)
        texts.addWidget(self.pair_edit)

        self.strip = TokenStrip()
        self.strip.hovered.connect(self._on_token_hovered)
        self.strip.clicked.connect(self._on_token_clicked)
        self.details = QLabel("Click a token to see its details.")
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.details.setWordWrap(True)

        lower = QWidget()
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        lower_layout.addWidget(self.strip, 1)
        lower_layout.addWidget(self.details)

        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(texts)
        self.splitter.addWidget(lower)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 3)

        central = QWidget()
        layout = QVBoxLayout(central)
        layout.addLayout(top)
        layout.addWidget(self.banner)
        layout.addWidget(self.splitter, 1)
        self.setCentralWidget(central)

        self.status_tokens = QLabel()
        self.status_trip = QLabel()
        self.status_trip.setTextFormat(Qt.TextFormat.RichText)
        self.status_trip.linkActivated.connect(self._show_roundtrip)
        self.status_busy = QLabel()
        self.statusBar().addWidget(self.status_tokens)
        self.statusBar().addWidget(self.status_trip)
        self.statusBar().addPermanentWidget(self.status_busy)
        self.runner.busy_changed.connect(
            lambda busy: self.status_busy.setText("working…" if busy else "")
        )

    def _build_docks(self) -> None:
        self.table = TokenTable()
        self.table.current_token_changed.connect(self._on_table_token)
        self.encoding_panel = EncodingPanel()
        self.encoding_panel.settings_changed.connect(self._on_settings_changed)
        self.tokenizer_panel = TokenizerPanel()
        self.tokenizer_panel.what_if_requested.connect(self._on_what_if)
        self.tokenizer_panel.what_if_reset.connect(self._on_what_if_reset)
        self.docks: dict[str, QDockWidget] = {}
        for name, title, widget, area in (
            ("table", "Tokens", self.table, Qt.DockWidgetArea.RightDockWidgetArea),
            ("encoding", "Encoding", self.encoding_panel, Qt.DockWidgetArea.BottomDockWidgetArea),
            ("tokenizer", "Tokenizer", self.tokenizer_panel, Qt.DockWidgetArea.RightDockWidgetArea),
        ):
            dock = QDockWidget(title, self)
            dock.setObjectName(f"dock-{name}")
            dock.setWidget(widget)
            self.addDockWidget(area, dock)
            self.docks[name] = dock
        self.tabifyDockWidget(self.docks["table"], self.docks["tokenizer"])
        self.docks["table"].raise_()

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
        file_menu = self.menuBar().addMenu("&File")
        open_text = QAction("Open &text file…", self, shortcut=QKeySequence.StandardKey.Open)
        open_text.triggered.connect(self._open_text_file)
        open_tok = QAction("Open t&okenizer…", self, shortcut=QKeySequence("Ctrl+Shift+O"))
        open_tok.triggered.connect(self._open_tokenizer_file)
        open_folder = QAction("Open tokenizer &folder…", self)
        open_folder.triggered.connect(self._open_tokenizer_folder)
        quit_action = QAction("&Quit", self, shortcut=QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        for action in (open_text, open_tok, open_folder):
            file_menu.addAction(action)
        file_menu.addSeparator()
        export = QAction("&Export report…", self, shortcut=QKeySequence("Ctrl+E"))
        export.triggered.connect(self.export_report)
        file_menu.addAction(export)
        corpus = QAction("Compare on a &corpus…", self)  # issue 14: opens CorpusWindow
        corpus.triggered.connect(self.open_corpus_window)
        file_menu.addAction(corpus)
        file_menu.addSeparator()
        file_menu.addAction(quit_action)
        view_menu = self.menuBar().addMenu("&View")
        for dock in self.docks.values():
            view_menu.addAction(dock.toggleViewAction())

    def _fill_picker(self) -> None:
        self.picker.blockSignals(True)
        self.picker.clear()
        for entry in self.catalog.entries:
            self.picker.addItem(f"{entry.id}", entry.id)
            self.picker.setItemData(
                self.picker.count() - 1, entry.title, Qt.ItemDataRole.ToolTipRole
            )
        recent = self._recent()
        if recent:
            self.picker.insertSeparator(self.picker.count())
            for path in recent:
                self.picker.addItem(path, path)
        self.picker.blockSignals(False)

    # -- settings and session ---------------------------------------------------------
    def _recent(self) -> list[str]:
        value = self.settings_store.value("recent", [])
        if isinstance(value, str):
            value = [value]
        return [str(v) for v in (value or [])][:MAX_RECENT]

    def _remember(self, name: str) -> None:
        if self.catalog.entry(name) is not None:
            return
        recent = [name] + [r for r in self._recent() if r != name]
        self.settings_store.setValue("recent", recent[:MAX_RECENT])
        self._fill_picker()

    def _restore(self, text: str | None) -> None:
        geometry = self.settings_store.value("geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        else:
            self.resize(1280, 820)
        state = self.settings_store.value("window_state")
        if isinstance(state, QByteArray):
            self.restoreState(state)
        else:  # first run: most room for the text and the strip
            self.resizeDocks(
                [self.docks["encoding"]],
                [self.encoding_panel.sizeHint().height()],
                Qt.Orientation.Vertical,
            )
            self.resizeDocks([self.docks["table"]], [440], Qt.Orientation.Horizontal)
        for box, key in (
            (self.glyphs_box, "glyphs"),
            (self.ids_box, "show_ids"),
            (self.colorblind_box, "colorblind"),
        ):
            value = self.settings_store.value(key)
            if value is not None:
                box.setChecked(str(value).lower() == "true")
        self._restore_encoding_settings()
        saved_text = self.session.load("text")
        if text is not None:
            self.text_edit.setPlainText(text)
        elif saved_text is not None:
            self.text_edit.setPlainText(saved_text)
        else:
            from inspector.core.sources import resources_dir

            sample = resources_dir() / "samples" / "mixed.txt"
            self.text_edit.setPlainText(sample.read_text("utf-8") if sample.is_file() else "")
        self.pair_edit.setPlainText(self.session.load("pair") or "")
        self._apply_strip_options()

    def _restore_encoding_settings(self) -> None:
        saved = self.settings_store.value("encoding")
        if not isinstance(saved, str):
            return
        try:
            values = json.loads(saved)
            settings = EncodeSettings(**values.get("settings", {}))
        except (ValueError, TypeError, InspectorError):
            return  # settings from another version: keep the defaults
        self.encoding_panel.set_settings(settings, str(values.get("mode", "single")))
        self.pair_edit.setVisible(self.encoding_panel.mode() == "pair")

    @Slot()
    def _save_session(self) -> None:
        self.session.save("text", exact_text(self.text_edit.document()))
        self.session.save("pair", exact_text(self.pair_edit.document()))

    def _save_settings(self) -> None:
        store = self.settings_store
        store.setValue("geometry", self.saveGeometry())
        store.setValue("window_state", self.saveState())
        if self.tokenizer_name:
            store.setValue("tokenizer", self.tokenizer_name)
        store.setValue(
            "encoding",
            json.dumps(
                {
                    "settings": self.encoding_panel.settings().to_dict(),
                    "mode": self.encoding_panel.mode(),
                }
            ),
        )
        store.setValue("glyphs", self.glyphs_box.isChecked())
        store.setValue("show_ids", self.ids_box.isChecked())
        store.setValue("colorblind", self.colorblind_box.isChecked())
        store.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        self._debounce.stop()
        self._autosave.stop()
        self._save_session()
        self._save_settings()
        self.model_docks.shutdown(timeout_ms=5000)
        self.comparison.shutdown(timeout_ms=5000)
        self.chat.shutdown(timeout_ms=5000)  # chat hook
        self.runner.shutdown(timeout_ms=5000)
        self.encode_process.close()
        super().closeEvent(event)

    @Slot()
    def export_report(self) -> ExportDialog:
        """File → Export report…: the current view or the comparison."""
        panel = self.comparison.panel
        run = self.model_docks.run  # its model section goes with the view it ran on
        sources = [current_view_source(self.tokenizer_name, self.result, model_run=run)]
        compared = panel.comparison()
        if compared is not None:
            items = panel.report_items()
            sources.append(comparison_source(compared.text, compared.pair, panel.settings(), items))
        dialog = ExportDialog([source for source in sources if source is not None], self)
        dialog.open()
        return dialog

    # -- loading -----------------------------------------------------------------------
    def load_tokenizer(self, name: str) -> None:
        name = name.strip()
        if not name:
            return
        self._pending_name = name
        self.status_tokens.setText(f"loading {name}…")
        self.runner.submit("load", _load_job, self.catalog, name)

    @Slot(int)
    def _on_picker_activated(self, index: int) -> None:
        name = self.picker.itemData(index) or self.picker.itemText(index)
        if name and name != self.tokenizer_name:
            self.load_tokenizer(str(name))

    @Slot()
    def _on_picker_entered(self) -> None:
        name = self.picker.currentText().strip()
        entry = self.catalog.entry(name)
        self.load_tokenizer(entry.id if entry else name)

    def _open_tokenizer_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "Open tokenizer", "", "Tokenizers (*.json *.model *.tiktoken);;All files (*)"
        )
        if path:
            self.load_tokenizer(path)

    def _open_tokenizer_folder(self) -> None:
        path = QFileDialog.getExistingDirectory(self, "Open tokenizer folder (save_pretrained)")
        if path:
            self.load_tokenizer(path)

    def _open_text_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Open text file")
        if path:
            self.open_text_file(Path(path))

    def open_text_file(self, path: Path) -> None:
        from inspector.core.errors import InputError
        from inspector.core.textinput import read_text_file

        try:
            text = read_text_file(path)
        except InputError as err:
            self.show_error(str(err))
            return
        if "\r" in text:
            self.show_error(
                f"{path.name}: the editor shows CR/CRLF line ends as LF; use the command line "
                "for a byte-exact report of this file"
            )
        self.text_edit.setPlainText(text)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        for url in event.mimeData().urls():
            path = Path(url.toLocalFile())
            if path.is_dir() or path.suffix.lower() in TOKENIZER_SUFFIXES:
                self.load_tokenizer(str(path))
            elif path.is_file():
                self.open_text_file(path)
            break
        event.acceptProposedAction()

    # -- errors ------------------------------------------------------------------------
    def show_error(self, message: str) -> None:
        self.banner.setText(message)
        self.banner.show()

    def clear_error(self) -> None:
        self.banner.hide()

    # -- encoding ----------------------------------------------------------------------
    def _text_is_large(self) -> bool:
        return self.text_edit.document().characterCount() >= LARGE_TEXT

    @Slot()
    def _on_text_changed(self) -> None:
        large = self._text_is_large()
        if not large:  # a large text is saved when the reader has it (no second copy)
            self._autosave.start()
        self._debounce.start(250 if large else 0)

    @Slot()
    def _on_settings_changed(self) -> None:
        mode = self.encoding_panel.mode()
        self.pair_edit.setVisible(mode == "pair")
        self._debounce.start(0)

    @Slot()
    def request_encode(self) -> None:
        if self.tokenizer is None:
            return
        if self._text_is_large():
            self.reader.read()  # → _on_text_read, a few ms per turn of the event loop
        else:
            self.reader.cancel()
            self._encode(exact_text(self.text_edit.document()))

    @Slot(object)
    def _on_text_read(self, lines: list[str]) -> None:
        self.runner.submit("autosave", _save_job, self.session, lines)
        self._encode(lines)

    def _encode(self, text: str | list[str]) -> None:
        if self.tokenizer is None:
            return
        mode = self.encoding_panel.mode()
        pair = exact_text(self.pair_edit.document()) if mode == "pair" else None
        self.runner.submit(
            "encode",
            _encode_job,
            self.tokenizer,
            text,
            pair,
            self.encoding_panel.settings(),
            mode,
            self.encode_process,
        )

    @Slot(str, int, object)
    def _on_job_finished(self, channel: str, _job_id: int, result: Any) -> None:
        if channel == "load":
            self._on_loaded(result)
        elif channel == "what-if":
            self.tokenizer = result
            self.tokenizer_panel.set_tokenizer(result)
            self.request_encode()
        elif channel == "encode":
            self.clear_error()
            if isinstance(result, BatchResult):
                self.encoding_panel.show_batch(result)
                self._show_result(result.results[0] if result.results else None)
            else:
                self.encoding_panel.show_batch(None)
                self._show_result(result)

    @Slot(str, int, str)
    def _on_job_failed(self, channel: str, _job_id: int, message: str) -> None:
        if channel == "load":
            self.show_error(f"Could not load that tokenizer: {message}")
            self._select_in_picker(self.tokenizer_name)
            if self.tokenizer is None:
                self.status_tokens.setText("no tokenizer loaded")
            else:
                self._update_status()
        else:
            self.show_error(message)

    def _on_loaded(self, tok: LoadedTokenizer) -> None:
        self.clear_error()
        self.tokenizer = self._base_tokenizer = tok
        self.tokenizer_name = self._pending_name
        self._remember(self.tokenizer_name)
        self._select_in_picker(self.tokenizer_name)
        self.tokenizer_panel.set_tokenizer(tok)
        self.setWindowTitle(f"Token Inspector — {tok.facts.id}")
        self.tokenizer_loaded.emit(self.tokenizer_name)
        self.request_encode()

    def _select_in_picker(self, name: str) -> None:
        index = self.picker.findData(name)
        self.picker.blockSignals(True)
        if index >= 0:
            self.picker.setCurrentIndex(index)
        else:
            self.picker.setEditText(name)
        self.picker.blockSignals(False)

    @Slot(list, bool)
    def _on_what_if(self, tokens: list[str], special: bool) -> None:
        if self._base_tokenizer is not None and tokens:
            self.runner.submit("what-if", _what_if_job, self._base_tokenizer, tokens, special)

    @Slot()
    def _on_what_if_reset(self) -> None:
        if self._base_tokenizer is not None:
            self.tokenizer = self._base_tokenizer
            self.tokenizer_panel.set_tokenizer(self._base_tokenizer)
            self.request_encode()

    def _show_result(self, result: EncodingResult | None) -> None:
        self.result = result
        self.details.setText("Click a token to see its details.")
        self._utf16 = _utf16_offsets(result.text) if result is not None else np.zeros(1, np.int64)
        self.strip.set_result(result)
        self._update_status()
        self.strip_updated.emit()
        # The strip is what the user watches while typing: let it paint first, then fill
        # the docked panels in the next turn of the event loop (skipped if a newer result
        # has arrived by then).
        QTimer.singleShot(0, lambda: self._show_in_panels(result))

    def _show_in_panels(self, result: EncodingResult | None) -> None:
        if result is not self.result:
            return
        self.table.set_result(result)
        self.encoding_panel.show_result(result)
        self.result_shown.emit()

    def _update_status(self) -> None:
        result = self.result
        if result is None:
            self.status_tokens.setText("")
            self.status_trip.setText("")
            return
        stats = result.stats
        self.status_tokens.setText(
            f"{stats.tokens:,} tokens · {stats.chars_per_token:.2f} chars/token · "
            f"{stats.bytes_per_token:.2f} bytes/token"
            + (f" · {stats.unk_count} unknown" if stats.unk_count else "")
            + (f" · {stats.windows} windows" if stats.windows > 1 else "")
        )
        trip = result.roundtrip
        if trip is None:
            self.status_trip.setText("")
        elif trip.equal:
            self.status_trip.setText("round-trip ✓")
        else:
            kinds = ", ".join(trip.kinds[:3])
            self.status_trip.setText(f'<a href="roundtrip">round-trip ✗</a> ({kinds})')

    @Slot()
    def _show_roundtrip(self, _link: str = "") -> None:
        result = self.result
        if result is None or result.roundtrip is None:
            return
        trip = result.roundtrip
        lines = [f"decode(encode(text)) differs in {trip.difference_count} places:", ""]
        for d in trip.differences[:40]:
            lines.append(
                f"chars {d.input_start}–{d.input_end}: {d.input_text!r} → {d.decoded_text!r}"
                f"  ({d.kind})"
            )
        box = QMessageBox(QMessageBox.Icon.Information, "Round-trip", "\n".join(lines), parent=self)
        box.setDetailedText(trip.decoded)
        box.open()

    # -- linking -----------------------------------------------------------------------
    @Slot()
    def _apply_strip_options(self) -> None:
        self.strip.set_options(
            glyphs=self.glyphs_box.isChecked(),
            show_ids=self.ids_box.isChecked(),
            colorblind=self.colorblind_box.isChecked(),
        )

    def _mark_text(self, indices: np.ndarray, color: str) -> None:
        """Light up the characters of the given tokens in the text pane(s)."""
        result = self.result
        selections: list[QTextEdit.ExtraSelection] = []
        if result is not None:
            fmt = QTextCharFormat()
            fmt.setBackground(QColor(color))
            cols = result.columns
            for index in indices[:2000]:
                if cols.sequence_ids[index] != 0:
                    continue
                start, end = int(cols.char_start[index]), int(cols.char_end[index])
                if end <= start:
                    continue
                selection = QTextEdit.ExtraSelection()
                cursor = QTextCursor(self.text_edit.document())
                cursor.setPosition(int(self._utf16[min(start, len(self._utf16) - 1)]))
                cursor.setPosition(
                    int(self._utf16[min(end, len(self._utf16) - 1)]),
                    QTextCursor.MoveMode.KeepAnchor,
                )
                selection.cursor = cursor
                selection.format = fmt
                selections.append(selection)
        self.text_edit.setExtraSelections(selections)

    @Slot(int)
    def _on_token_hovered(self, index: int) -> None:
        if index < 0:
            self._mark_text(np.zeros(0, dtype=np.int64), "#ffe08a")
            return
        self._mark_text(np.array([index]), "#ffe08a")
        self.table.highlight_tokens(np.array([index]))

    @Slot(int)
    def _on_token_clicked(self, index: int) -> None:
        self._select_token(index)
        self.table.select_token(index)

    @Slot(int)
    def _on_table_token(self, index: int) -> None:
        self._select_token(index)

    def _select_token(self, index: int) -> None:
        result = self.result
        if result is None or not 0 <= index < len(result):
            return
        self.strip.set_current(index)
        self.token_selected.emit(index)
        self._mark_text(np.array([index]), "#ffd24d")
        view = result.token(index)
        parts = [
            f"<b>#{view.index}</b> id <b>{view.id}</b>",
            f"token <code>{html.escape(view.token)}</code>",
            f"shown as <code>{html.escape(view.display)}</code>",
            f"chars {view.start}–{view.end}",
            f"bytes {view.byte_start}–{view.byte_end} [{view.bytes}]",
            f"word {view.word_id}",
            f"sequence {view.sequence_id}",
        ]
        if view.special:
            parts.append("special")
        if view.explanation:
            parts.append(html.escape(view.explanation))
        self.details.setText(" · ".join(parts))

    @Slot()
    def _on_text_selection(self) -> None:
        result = self.result
        if result is None:
            return
        cursor = self.text_edit.textCursor()
        if not cursor.hasSelection():
            self.strip.highlight(np.zeros(0, dtype=np.int64))
            self.table.highlight_tokens(np.zeros(0, dtype=np.int64))
            return
        # Qt positions (UTF-16) → Python character indices.
        start = int(np.searchsorted(self._utf16, cursor.selectionStart(), side="right") - 1)
        end = int(np.searchsorted(self._utf16, cursor.selectionEnd(), side="left"))
        indices = result.tokens_at(start, end, 0)
        self.strip.highlight(indices)
        self.table.highlight_tokens(indices)
