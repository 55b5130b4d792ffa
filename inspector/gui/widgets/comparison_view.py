"""The comparison panel: 2 to 8 tokenizers on one text — row picker, the aligned lanes
(:mod:`comparison_canvas`) and the stats table — and the window's Compare dock.

Rows load and encode on the window's job runner (or the panel's own, standalone), one
channel per row under ``compare:``, so one slow or broken tokenizer shows its own message and
never holds up the others; each result lands through its own submit's callback, and only
while its row is still there.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import (
    QObject,
    Qt,
    QTimer,
    Signal,
    Slot,
)
from PySide6.QtGui import (
    QAction,
    QKeySequence,
    QPalette,
    QShortcut,
    QShowEvent,
)
from PySide6.QtWidgets import (
    QDockWidget,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)
from superqt.utils import qdebounced

from inspector.core.cancel import CancelToken
from inspector.core.catalog import Catalog
from inspector.core.compare import (
    MAX_ROWS,
    PRESET_CLASSIC,
    PRESET_CLASSIC_SAMPLE,
    Comparison,
    ComparisonRow,
    compare,
    preset_sample_text,
)
from inspector.core.encode_process import EncodeProcess, converts_here
from inspector.core.encoding import EncodingResult, encode
from inspector.core.report import ReportItem
from inspector.core.settings import EncodeSettings
from inspector.gui.catalog_picker import CatalogPicker
from inspector.gui.export_dialog import ExportSource, comparison_source
from inspector.gui.i18n import on_language_change
from inspector.gui.jobs import JobRunner
from inspector.gui.palette import is_dark
from inspector.gui.state import InspectorState
from inspector.gui.steady_label import SteadyLabel
from inspector.gui.widgets.comparison_canvas import ComparisonCanvas
from inspector.gui.widgets.comparison_layout import (
    LOADING,
    MARK_DARK,
    MARK_LIGHT,
    short_name,
)
from inspector.gui.widgets.comparison_stats import StatsTable
from inspector.gui.widgets.model_updates import PaintTurns

# ------------------------------------------------------------------------------ jobs


def _row_job(
    catalog: Catalog,
    name: str,
    text: str,
    pair: str | None,
    settings: EncodeSettings,
    process: EncodeProcess | None,
    *,
    cancel: CancelToken,
) -> EncodingResult:
    tokenizer = catalog.load(name)
    cancel.check()
    if process is not None and converts_here(tokenizer, text, pair, settings):
        # The window's process never builds a tiktoken conversion: it would freeze.
        return process.encode(tokenizer, text, settings, pair, cancelled=lambda: cancel.cancelled)
    return encode(tokenizer, text, settings, pair)


def _compare_job(items: list[ReportItem], *, cancel: CancelToken) -> Comparison:
    return compare(items)


# set_rows: the rows' jobs start in a later turn than the one that shows them loading, after
# its paint (a 1 MB encode beside that turn held it 15-30 ms for its 6 ms of work), and after
# the paint turns already waiting (started beside one, a turn held the window 17 ms), waiting
# for them at most this many times
JOB_START_MS = 2
JOB_START_WAITS = 10
ENCODE_PAUSE_MS = 150  # typing in the window: encode the rows when it pauses
CHANNELS = "compare:"  # every job of the panel: "compare:row-<uid>" and "compare:diff"
DIFF_CHANNEL = CHANNELS + "diff"


@dataclass
class _Row:
    uid: int
    name: str
    result: EncodingResult | None = None
    error: str | None = None
    pending: bool = True
    started: bool = False  # its job was submitted

    def item(self) -> ReportItem:
        if self.pending:
            return ReportItem(self.name, None, LOADING)
        return ReportItem(self.name, self.result, self.error)


# ------------------------------------------------------------------------------ panel


class ComparisonPanel(QWidget):
    """Row picker, aligned lanes and stats table; follows the window's text (``set_text``)
    unless the classic preset put its sample text in."""

    comparison_changed = Signal(object)  # the Comparison now shown (None: no rows)
    rows_settled = Signal()  # shown, and every row has its result or its error

    def __init__(
        self,
        catalog: Catalog | None = None,
        parent: QWidget | None = None,
        *,
        runner: JobRunner | None = None,
        encode_process: EncodeProcess | None = None,
    ) -> None:
        """``runner``: the window's one runner; without it the panel has its own.
        ``encode_process``: the window's; rows that would build a tiktoken conversion are
        encoded there."""
        super().__init__(parent)
        self.catalog = catalog or Catalog()
        self._process = encode_process
        # Rows load side by side, one channel each; comparing has a thread of its own too.
        self.runner = JobRunner(self, max_threads=MAX_ROWS + 2) if runner is None else runner
        self._uids = itertools.count(1)
        self._rows: list[_Row] = []
        self._window_text = ""
        self._window_pair: str | None = None
        self._settings = EncodeSettings()
        self._sample: str | None = None  # the preset's sample text, instead of the window's
        self._stale = False  # the text changed while hidden: encode when shown
        self._comparison: Comparison | None = None
        self._diff_job = -1  # the comparison job whose result will be shown
        self._build()
        self._encode_later = qdebounced(self._encode_all, ENCODE_PAUSE_MS, parent=self)
        # After a text change, the old lanes stay up this long (or until every row is
        # back), so typing does not flash "loading…" in every row.
        self._grace = QTimer(self, singleShot=True, interval=400)
        self._grace.timeout.connect(self._recompare)
        self._start_jobs = QTimer(self, singleShot=True, interval=JOB_START_MS)
        self._start_jobs.timeout.connect(self._submit_unstarted)
        self._start_waits = 0

    def _build(self) -> None:
        self.picker = CatalogPicker(self.catalog, placeholder=self.tr("add a tokenizer…"))
        self.picker.setMinimumContentsLength(18)
        self.picker.setCurrentIndex(-1)
        self.picker.chosen.connect(self._add_from_picker)
        self.add_file_button = QPushButton(self.tr("Add file…"))
        self.add_file_button.setToolTip(
            self.tr("A tokenizer.json, SentencePiece .model or .tiktoken file")
        )
        self.add_file_button.clicked.connect(self._add_file)
        self.add_folder_button = QPushButton(self.tr("Add folder…"))
        self.add_folder_button.setToolTip(self.tr("A folder written by save_pretrained"))
        self.add_folder_button.clicked.connect(self._add_folder)
        self.remove_button = QPushButton(self.tr("Remove"))
        self.remove_button.setToolTip(self.tr("Remove the rows selected in the table (Delete)"))
        self.remove_button.clicked.connect(self.remove_selected)
        self.preset_button = QPushButton(self.tr("Classic comparison"))
        self.preset_button.setToolTip(
            self.tr(
                "BERT WordPiece (MiniLM), GPT-2, cl100k, o200k, Mistral SentencePiece and "
                "Qwen2.5 on the mixed sample text"
            )
        )
        self.preset_button.clicked.connect(self.apply_classic_preset)
        top = QHBoxLayout()
        top.addWidget(self.picker, 1)
        for button in (self.add_file_button, self.add_folder_button, self.remove_button):
            top.addWidget(button)
        top.addSpacing(12)
        top.addWidget(self.preset_button)

        self.source_label = SteadyLabel()  # its count changes with every key
        self.source_label.setTextFormat(Qt.TextFormat.RichText)
        self.source_label.linkActivated.connect(self._on_source_link)
        self.message = QLabel()
        self.message.setStyleSheet("QLabel { color: #B71C1C; }")
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.PlainText)  # names and paths stay text
        dark = is_dark(self.palette().color(QPalette.ColorRole.Window).lightnessF())
        mark = f'<span style="color:{MARK_DARK if dark else MARK_LIGHT}">▬</span>'
        legend = QLabel(
            self.tr(
                "{0} a boundary not every row has · hover a character: its token lights up in "
                "every row"
            ).format(mark)
        )
        legend.setTextFormat(Qt.TextFormat.RichText)
        info = QHBoxLayout()
        info.addWidget(self.source_label)
        info.addStretch(1)  # the label's size is fixed: the legend stays at the right
        info.addWidget(legend)

        self.canvas = ComparisonCanvas(runner=self.runner)
        self.table = StatsTable()
        delete = QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), self.table)
        delete.activated.connect(self.remove_selected)
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(self.canvas)
        self.splitter.addWidget(self.table)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 1)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        layout.addLayout(info)
        layout.addWidget(self.message)
        layout.addWidget(self.splitter, 1)
        self.message.hide()
        self._update_source_label()

    # -------------------------------------------------------------- public API
    def set_text(
        self, text: str, pair: str | None = None, settings: EncodeSettings | None = None
    ) -> None:
        """The window's text, pair text (None: single text) and encoding settings."""
        settings = settings or EncodeSettings()
        if (text, pair, settings) == (self._window_text, self._window_pair, self._settings):
            return
        affects = self._sample is None or settings != self._settings
        self._window_text, self._window_pair, self._settings = text, pair, settings
        self._update_source_label()
        if affects:
            self._text_changed()

    def text(self) -> str:
        return self._window_text if self._sample is None else self._sample

    def pair(self) -> str | None:
        return self._window_pair if self._sample is None else None

    def settings(self) -> EncodeSettings:
        return self._settings

    def row_names(self) -> list[str]:
        return [row.name for row in self._rows]

    def add_row(self, name: str) -> bool:
        """Add a tokenizer (catalog id or alias, file, folder, hub id); False if refused."""
        added = self._add_row(name)
        if added:
            self._recompare()
            self._submit(self._rows[-1])
        return added

    def _add_row(self, name: str) -> bool:
        """``add_row`` without showing the row or starting its job: ``set_rows`` shows
        the rows once, after the last (each show of a long text lays the canvas out again on
        a worker), then starts their jobs."""
        name = name.strip()
        if not name:
            return False
        entry = self.catalog.entry(name)
        name = entry.id if entry is not None else name
        if name in self.row_names():
            self._say(self.tr("{0} is already in the comparison").format(short_name(name)))
            return False
        if len(self._rows) >= MAX_ROWS:
            self._say(
                self.tr("at most {0} tokenizers side by side: remove one first").format(MAX_ROWS)
            )
            return False
        self._say("")
        self._rows.append(_Row(next(self._uids), name))
        return True

    def remove_row(self, index: int) -> None:
        if not 0 <= index < len(self._rows):
            return
        row = self._rows.pop(index)
        self.runner.cancel(self._channel(row))
        self._say("")
        self._recompare()

    @Slot()
    def remove_selected(self) -> None:
        for index in reversed(self.table.selected_rows()):
            self.remove_row(index)

    def set_rows(self, names: Sequence[str]) -> None:
        for row in self._rows:
            self.runner.cancel(self._channel(row))
        self._rows = []
        self._say("")
        for name in list(names)[:MAX_ROWS]:
            self._add_row(name)
        # Shown loading before the jobs start: once a row's encode of 1 MB runs, each call of
        # this turn into Python waited for the lock (the turn's 6 ms took 15-30).
        self._recompare()
        self._start_jobs.start()

    @Slot()
    def _submit_unstarted(self) -> None:
        if PaintTurns.shared().busy() and self._start_waits < JOB_START_WAITS:
            self._start_waits += 1
            self._start_jobs.start()
            return
        self._start_waits = 0
        for row in self._rows:
            if not row.started:
                self._submit(row)

    @Slot()
    def apply_classic_preset(self) -> None:
        """The tutorials' classic comparison on the mixed sample text."""
        try:
            self._sample = preset_sample_text()
        except OSError as err:
            self._say(self.tr("could not read the sample text: {0}").format(err.strerror or err))
            return
        self._update_source_label()
        self.set_rows(PRESET_CLASSIC)

    def use_window_text(self) -> None:
        if self._sample is None:
            return
        self._sample = None
        self._update_source_label()
        self._text_changed()

    def comparison(self) -> Comparison | None:
        """The comparison shown (rows still loading have ``error == LOADING``)."""
        return self._comparison

    def report_items(self) -> list[ReportItem]:
        """The rows that are done, for a report (broken rows keep their error)."""
        return [row.item() for row in self._rows if not row.pending]

    def export_source(self) -> ExportSource | None:
        """The comparison as File → Export report… offers it (None: nothing to compare)."""
        compared = self._comparison
        if compared is None:
            return None
        items = self.report_items()
        return comparison_source(compared.text, compared.pair, self._settings, items)

    def is_settled(self) -> bool:
        """Every row has its result or error, and the comparison of them is the one shown."""
        # A superseded comparison still running is moot: only the latest one counts (counting
        # every running one, a newer result that landed first was never called settled).
        return (
            bool(self._rows)
            and not any(row.pending for row in self._rows)
            and not self.runner.is_current(DIFF_CHANNEL, self._diff_job)
        )

    def is_busy(self) -> bool:
        """A row or the comparison is being worked on."""
        return self.runner.active(CHANNELS) > 0

    def shutdown(self, timeout_ms: int = 5000) -> bool:
        """Stop every job of the panel. ``timeout_ms=0``: quitting — their results are moot,
        never waited for (a row's Rust encode of a long text cannot be interrupted)."""
        self._encode_later.cancel()
        self._grace.stop()
        self._start_jobs.stop()
        if timeout_ms <= 0:
            self.runner.abandon(CHANNELS)
            return self.runner.active(CHANNELS) == 0
        return self.runner.stop_jobs_of(self, CHANNELS, timeout_ms)

    # -------------------------------------------------------------- jobs
    @staticmethod
    def _channel(row: _Row) -> str:
        return f"{CHANNELS}row-{row.uid}"

    def _text_changed(self) -> None:
        if not self._rows:
            return
        if not self.isVisible():
            self._stale = True
            return
        self.runner.cancel(DIFF_CHANNEL)  # a comparison of the old text is moot
        for row in self._rows:
            row.pending = True
        self._grace.start()
        self._encode_later()

    @Slot()
    def _encode_all(self) -> None:
        self._stale = False
        for row in self._rows:
            self._submit(row)

    def _submit(self, row: _Row) -> None:
        row.pending, row.started = True, True
        self.runner.submit(
            self._channel(row),
            _row_job,
            self.catalog,
            row.name,
            self.text(),
            self.pair(),
            self._settings,
            self._process,
            done=lambda result: self._row_landed(row, result, None),
            failed=lambda message: self._row_landed(row, None, message),
        )

    def _row_landed(self, row: _Row, result: EncodingResult | None, error: str | None) -> None:
        if not any(r is row for r in self._rows):
            return  # removed while it ran (its channel was cancelled too)
        row.result, row.error, row.pending = result, error, False
        self._row_done()

    def _row_done(self) -> None:
        if self._grace.isActive() and any(row.pending for row in self._rows):
            return  # the old lanes stay up a moment longer
        self._grace.stop()
        self._recompare()

    def _recompare(self) -> None:
        """Compare what has arrived (rows still loading stay rows) and show it when done."""
        items = [row.item() for row in self._rows]
        if not any(item.result is not None for item in items):
            self.runner.cancel(DIFF_CHANNEL)
            self._show(None)
            return
        self._diff_job = self.runner.submit(
            DIFF_CHANNEL,
            _compare_job,
            items,
            done=self._show,
            failed=lambda message: self._say(self.tr("could not compare: {0}").format(message)),
        )

    # -------------------------------------------------------------- showing
    def _show(self, comparison: Comparison | None) -> None:
        self._comparison = comparison
        if comparison is not None:
            text, pair = comparison.text, comparison.pair
            views = list(comparison.rows)
        else:
            text, pair = self.text(), self.pair()
            views = [
                ComparisonRow(row.name, None, row.item().error, None, None, position=i)
                for i, row in enumerate(self._rows)
            ]
        self.table.set_lines(views)
        self.canvas.set_rows(text, pair, views, comparison)  # a long text: a worker starts
        self.comparison_changed.emit(comparison)
        if self.is_settled():
            self.rows_settled.emit()

    def _update_source_label(self) -> None:
        if self._sample is not None:
            self.source_label.setText(
                self.tr(
                    'Text: the sample <b>{0}</b> · <a href="window">use the window\'s text</a>'
                ).format(PRESET_CLASSIC_SAMPLE)
            )
        elif self._window_pair is None:
            size = f"{len(self._window_text):,}"
            self.source_label.setText(
                self.tr("Text: the window's text ({0} characters)").format(size)
            )
        else:
            size, pair = f"{len(self._window_text):,}", f"{len(self._window_pair):,}"
            self.source_label.setText(
                self.tr("Text: the window's text ({0} characters) + pair text ({1})").format(
                    size, pair
                )
            )

    @Slot(str)
    def _on_source_link(self, _link: str) -> None:
        self.use_window_text()

    def _say(self, message: str) -> None:
        self.message.setText(message)
        self.message.setVisible(bool(message))

    # -------------------------------------------------------------- user actions
    @Slot(str)
    def _add_from_picker(self, name: str) -> None:
        if self.add_row(name):
            self.picker.clear_choice()

    @Slot()
    def _add_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self,
            self.tr("Add tokenizer"),
            "",
            self.tr("Tokenizers (*.json *.model *.tiktoken);;All files (*)"),
        )
        if path:
            self.add_row(path)

    @Slot()
    def _add_folder(self) -> None:
        path = QFileDialog.getExistingDirectory(
            self, self.tr("Add tokenizer folder (save_pretrained)")
        )
        if path:
            self.add_row(path)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self._stale = False
            self._text_changed()


# ------------------------------------------------------------------------------ window dock


class ComparisonDock(QObject):
    """The main window's "Compare" dock: the panel, following the session's text.

    The window places the dock and the action, and shuts the panel down on close; the panel
    takes the text, pair text and settings of each result the state shows, and encodes only
    while it is visible.
    """

    def __init__(self, state: InspectorState, parent: QWidget) -> None:
        super().__init__(parent)
        self.panel = ComparisonPanel(
            state.catalog, runner=state.runner, encode_process=state.encode_process
        )
        self.dock = QDockWidget(parent)
        self.dock.setObjectName("dock-compare")
        self.dock.setWidget(self.panel)
        self.action = QAction(parent, shortcut=QKeySequence("Ctrl+K"))
        self.action.triggered.connect(self.show_panel)
        state.result_changed.connect(self._follow)
        self.retranslate()
        on_language_change(parent, self.retranslate)

    def retranslate(self) -> None:
        self.dock.setWindowTitle(self.tr("Compare"))
        self.action.setText(self.tr("&Compare tokenizers"))
        self.action.setToolTip(self.tr("Several tokenizers side by side on the window's text"))

    @Slot()
    def show_panel(self) -> None:
        self.dock.show()
        self.dock.raise_()
        if self.dock.isFloating():
            self.dock.activateWindow()

    @Slot(object)
    def _follow(self, result: EncodingResult | None) -> None:
        if result is not None:
            self.panel.set_text(result.text, result.pair, result.settings)

    def shutdown(self, timeout_ms: int = 5000) -> bool:
        return self.panel.shutdown(timeout_ms)
