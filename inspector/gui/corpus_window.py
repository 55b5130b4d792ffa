"""File → Compare on a corpus…: tokenizers compared over files and folders, counted on Dask.

The window is independent of the main window: it gets the catalog and the current tokenizer
ids through its constructor. The Dask client runs on a JobRunner pool thread (never the GUI
thread); progress comes back through a signal. Exports go through the same code as the
``token-inspector corpus`` command (``inspector.core.corpus.exports``).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, QSortFilterProxyModel, Qt, Signal, Slot
from PySide6.QtGui import (
    QGuiApplication,
    QKeySequence,
    QShortcut,
    QStandardItem,
    QStandardItemModel,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from inspector.core.catalog import DEFAULT_TOKENIZER, Catalog
from inspector.core.corpus import MAX_TOKENIZERS, CountJob, Progress, ReadOptions, analyze_corpus
from inspector.core.corpus.engine import usable_cores
from inspector.core.corpus.exports import CSV_FIELDS, FORMATS, chart_series, render, rows
from inspector.core.corpus.results import ALL_GROUPS
from inspector.core.report import write_atomic
from inspector.gui.i18n import Retranslatable
from inspector.gui.jobs import CancelToken, JobRunner
from inspector.gui.widgets.corpus_plots import CorpusPlots

CHANNEL = "corpus"
TABLE_COLUMNS = tuple(c for c in CSV_FIELDS if c not in ("characters", "words"))
GROUP_FIELDS = ("dir", "file", "lang")  # the group-by choices offered (any field may be typed)


class _ProgressRelay(QObject):
    """Emitted on the pool thread, delivered on the GUI thread (a queued connection)."""

    progress = Signal(object)


def _corpus_job(
    paths: list[Path],
    job: CountJob,
    options: dict[str, Any],
    catalog: Catalog,
    relay_progress: Any,
    *,
    cancel: CancelToken,
) -> dict[str, Any]:
    return analyze_corpus(
        paths,
        job,
        catalog=catalog,
        progress=relay_progress.emit,
        cancelled=lambda: cancel.cancelled,
        **options,
    )


class CorpusWindow(Retranslatable, QWidget):
    """Pick inputs and 1–8 tokenizers, run, then read the table and plots, copy or export."""

    finished = Signal(dict)  # the report
    failed = Signal(str)
    progressed = Signal(object)  # Progress

    def __init__(
        self,
        catalog: Catalog,
        tokenizer_ids: Sequence[str] = (),
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.catalog = catalog
        self.report: dict[str, Any] | None = None
        self.runner = JobRunner(self, max_threads=1)
        self.runner.finished.connect(self._on_finished)
        self.runner.failed.connect(self._on_failed)
        self.runner.busy_changed.connect(self._on_busy_changed)
        self._cancelling = False  # cancelled, the run still stopping its cluster
        self._closing = False  # closed mid-run: hidden, closed for good once the run ended
        app = QCoreApplication.instance()
        if app is not None:  # quitting waits for a run that still stops its cluster
            app.aboutToQuit.connect(self._stop_before_quit)
        self._relay = _ProgressRelay(self)
        self._relay.progress.connect(self._on_progress)
        # Opened before the first tokenizer loaded, the caller may know none: the default.
        self._build([name for name in tokenizer_ids if name] or [DEFAULT_TOKENIZER])
        self.retranslate()

    # -- layout ---------------------------------------------------------------------------
    def _build(self, tokenizer_ids: list[str]) -> None:
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        layout.addLayout(top)

        self.inputs_box = QGroupBox()
        inputs_layout = QVBoxLayout(self.inputs_box)
        self.inputs = QListWidget()
        self.inputs.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        inputs_layout.addWidget(self.inputs)
        buttons = QHBoxLayout()
        self.add_files_button = QPushButton()
        self.add_files_button.clicked.connect(self._pick_files)
        self.add_folder_button = QPushButton()
        self.add_folder_button.clicked.connect(self._pick_folder)
        self.remove_button = QPushButton()
        self.remove_button.clicked.connect(self._remove_selected)
        for button in (self.add_files_button, self.add_folder_button, self.remove_button):
            buttons.addWidget(button)
        inputs_layout.addLayout(buttons)
        top.addWidget(self.inputs_box, 3)

        self.tokenizers_box = QGroupBox()
        tokenizers_layout = QVBoxLayout(self.tokenizers_box)
        self.tokenizers = QListWidget()
        names = list(dict.fromkeys([*tokenizer_ids, *(e.id for e in self.catalog.entries)]))
        for name in names:
            item = QListWidgetItem(name)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            checked = name in tokenizer_ids
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
            self.tokenizers.addItem(item)
        tokenizers_layout.addWidget(self.tokenizers)
        self.extra_tokenizer = QLineEdit()
        self.extra_tokenizer.returnPressed.connect(self._add_typed_tokenizer)
        tokenizers_layout.addWidget(self.extra_tokenizer)
        top.addWidget(self.tokenizers_box, 2)

        self.options_box = QGroupBox()
        form = QFormLayout(self.options_box)
        self.glob = QLineEdit()
        self.text_field = QLineEdit("text")
        self.group_by = QComboBox()
        self.group_by.setEditable(True)
        for field in GROUP_FIELDS:  # labelled in retranslate(); a typed field name is kept
            self.group_by.addItem(field, field)
        self.reference_group = QLineEdit()
        self.split_special = QCheckBox()
        self.replace_errors = QCheckBox()
        self.workers = QSpinBox()
        self.workers.setRange(1, 256)
        self.workers.setValue(usable_cores())
        self.scheduler = QLineEdit()
        self.form_labels = [QLabel() for _ in range(6)]
        fields = (self.glob, self.text_field, self.group_by, self.reference_group)
        for label, field in zip(self.form_labels[:4], fields, strict=True):
            form.addRow(label, field)
        form.addRow(self.split_special)
        form.addRow(self.replace_errors)
        form.addRow(self.form_labels[4], self.workers)
        form.addRow(self.form_labels[5], self.scheduler)
        top.addWidget(self.options_box, 3)

        controls = QHBoxLayout()
        self.run_button = QPushButton()
        self.run_button.setDefault(True)
        self.run_button.clicked.connect(self.start)
        self.cancel_button = QPushButton()
        self.cancel_button.setEnabled(False)
        self.cancel_button.clicked.connect(self.cancel)
        self.progress = QProgressBar()
        self.progress.setRange(0, 1000)
        self.progress.setValue(0)
        self.status = QLabel()
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        controls.addWidget(self.run_button)
        controls.addWidget(self.cancel_button)
        controls.addWidget(self.progress, 1)
        layout.addLayout(controls)
        layout.addWidget(self.status)

        self.tabs = QTabWidget()
        self.model = QStandardItemModel(0, len(TABLE_COLUMNS), self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(Qt.ItemDataRole.UserRole)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.verticalHeader().hide()
        QShortcut(QKeySequence.StandardKey.Copy, self.table, self.copy_table)
        table_page = QWidget()
        table_layout = QVBoxLayout(table_page)
        table_layout.setContentsMargins(0, 0, 0, 0)
        table_layout.addWidget(self.table)
        table_buttons = QHBoxLayout()
        self.copy_button = QPushButton()
        self.copy_button.clicked.connect(self.copy_table)
        self.export_button = QPushButton()
        self.export_button.clicked.connect(self._pick_export)
        for button in (self.copy_button, self.export_button):
            button.setEnabled(False)
            table_buttons.addWidget(button)
        table_buttons.addStretch(1)
        table_layout.addLayout(table_buttons)
        self.plots = CorpusPlots()
        self.tabs.addTab(table_page, "")
        self.tabs.addTab(self.plots, "")
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.tabs)
        layout.addWidget(splitter, 1)

    def retranslate(self) -> None:
        """Every fixed string; called at start and again when the language changes."""
        self.setWindowTitle(self.tr("Compare on a corpus — Token Inspector"))
        self.inputs_box.setTitle(self.tr("Files and folders"))
        self.add_files_button.setText(self.tr("Add files…"))
        self.add_folder_button.setText(self.tr("Add folder…"))
        self.remove_button.setText(self.tr("Remove"))
        self.tokenizers_box.setTitle(self.tr("Tokenizers (1 to {n})").format(n=MAX_TOKENIZERS))
        self.extra_tokenizer.setPlaceholderText(self.tr("another id, folder or file, then Enter"))
        self.options_box.setTitle(self.tr("Options"))
        self.glob.setPlaceholderText(self.tr("all files, e.g. *.txt"))
        self.reference_group.setPlaceholderText(self.tr("none"))
        self.split_special.setText(self.tr("Typed special tokens as plain text"))
        self.replace_errors.setText(self.tr("Read bytes that are not UTF-8 as U+FFFD"))
        self.scheduler.setPlaceholderText(self.tr("local cluster (or tcp://host:8786)"))
        labels = (
            self.tr("Only files matching"),
            self.tr("JSONL / Parquet text field"),
            self.tr("Group by"),
            self.tr("Reference group"),
            self.tr("Local worker processes"),
            self.tr("Dask scheduler"),
        )
        for label, text in zip(self.form_labels, labels, strict=True):
            label.setText(text)
        self.run_button.setText(self.tr("Run"))
        self.cancel_button.setText(self.tr("Cancel"))
        self.copy_button.setText(self.tr("Copy table"))
        self.export_button.setText(self.tr("Export…"))
        self.tabs.setTabText(0, self.tr("Table"))
        self.tabs.setTabText(1, self.tr("Plots"))
        group_labels = (self.tr("by folder"), self.tr("by file"), "lang")  # lang: a field name
        group_tips = (
            self.tr("Each folder is a group"),
            self.tr("Each file is a group"),
            self.tr("A JSONL / Parquet field (type its name)"),
        )
        for index, (label, tip) in enumerate(zip(group_labels, group_tips, strict=True)):
            self.group_by.setItemText(index, label)
            self.group_by.setItemData(index, tip, Qt.ItemDataRole.ToolTipRole)
        self._set_headers()
        if self.report is not None:
            self.show_report(self.report)
        if self.report is None and not self.is_running():
            self._say(self.tr("Add files or folders, pick tokenizers, then Run."))

    # -- inputs ---------------------------------------------------------------------------
    def add_paths(self, paths: Sequence[Path | str]) -> None:
        present = set(self.paths())
        for path in paths:
            if Path(path) not in present:
                self.inputs.addItem(str(path))

    def paths(self) -> list[Path]:
        return [Path(self.inputs.item(i).text()) for i in range(self.inputs.count())]

    def checked_tokenizers(self) -> list[str]:
        items = (self.tokenizers.item(i) for i in range(self.tokenizers.count()))
        return [i.text() for i in items if i.checkState() == Qt.CheckState.Checked]

    def set_checked_tokenizers(self, names: Sequence[str]) -> None:
        for i in range(self.tokenizers.count()):
            item = self.tokenizers.item(i)
            on = item.text() in names
            item.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)

    def add_tokenizer(self, name: str) -> None:
        """A tokenizer beyond the catalog (a path, an HF id), listed checked."""
        name = name.strip()
        if not name:
            return
        found = self.tokenizers.findItems(name, Qt.MatchFlag.MatchExactly)
        item = found[0] if found else QListWidgetItem(name)
        if not found:
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            self.tokenizers.addItem(item)
        item.setCheckState(Qt.CheckState.Checked)

    def _add_typed_tokenizer(self) -> None:
        self.add_tokenizer(self.extra_tokenizer.text())
        self.extra_tokenizer.clear()

    def _pick_files(self) -> None:
        files, _ = QFileDialog.getOpenFileNames(self, self.tr("Add corpus files"))
        self.add_paths(files)

    def _pick_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("Add a corpus folder"))
        if folder:
            self.add_paths([folder])

    def _remove_selected(self) -> None:
        for item in self.inputs.selectedItems():
            self.inputs.takeItem(self.inputs.row(item))

    # -- running --------------------------------------------------------------------------
    def start(self) -> bool:
        """Start a run with the current choices; False (and a message) when they cannot run."""
        names = self.checked_tokenizers()
        if not self.paths():
            self._say(self.tr("Add at least one file or folder."))
            return False
        if not 1 <= len(names) <= MAX_TOKENIZERS:
            self._say(self.tr("Pick 1 to {n} tokenizers.").format(n=MAX_TOKENIZERS))
            return False
        job = CountJob(
            tuple(names),
            ReadOptions(
                self.text_field.text().strip() or "text",
                self.group_field(),
                "replace" if self.replace_errors.isChecked() else "strict",
            ),
            split_special_tokens=self.split_special.isChecked(),
        )
        scheduler = self.scheduler.text().strip() or None
        options = {
            "glob": self.glob.text().strip() or None,
            "scheduler": scheduler,
            "workers": None if scheduler else self.workers.value(),
            "reference_group": self.reference_group.text().strip() or None,
        }
        self.report = None
        self.progress.setRange(0, 0)  # busy until the first partition is counted
        self._set_running(True)
        self._say(self.tr("Starting the Dask cluster and loading tokenizers…"))
        self.runner.submit(
            CHANNEL, _corpus_job, self.paths(), job, options, self.catalog, self._relay.progress
        )
        return True

    def cancel(self) -> None:
        self.runner.cancel(CHANNEL)
        if self.runner.active(CHANNEL):  # it stops its cluster on its thread: a second or two
            self._cancelling = True
            self.cancel_button.setEnabled(False)
            self._say(self.tr("Cancelling…"))
            return
        self._cancelled()

    def _cancelled(self) -> None:
        self._cancelling = False
        self._set_running(False)
        self.progress.setRange(0, 1000)
        self.progress.setValue(0)
        self._say(self.tr("Cancelled: the workers are stopped."))

    @Slot(bool)
    def _on_busy_changed(self, busy: bool) -> None:
        if busy:
            return
        if self._cancelling:  # the cancelled run has ended: its workers are stopped now
            self._cancelled()
        if self._closing:
            self.close()

    def is_running(self) -> bool:
        return not self.run_button.isEnabled()

    def _set_running(self, running: bool) -> None:
        self.run_button.setEnabled(not running)
        self.cancel_button.setEnabled(running)

    def _say(self, message: str) -> None:
        self.status.setText(message)

    @Slot(object)
    def _on_progress(self, progress: Progress) -> None:
        if not self.is_running() or self._cancelling:
            return  # a late update from a run that was cancelled
        self.progress.setRange(0, 1000)
        share = progress.input_bytes / progress.total_bytes if progress.total_bytes else 1
        self.progress.setValue(round(1000 * share))
        eta = progress.eta_s
        numbers = {
            "documents": f"{progress.documents:,}",
            "done": f"{progress.input_bytes / 1e6:.1f}",
            "total": f"{progress.total_bytes / 1e6:.1f}",
            "rate": f"{progress.rate / 1e6:.2f}",
        }
        if eta is None:
            text = self.tr("{documents} documents · {done} MB of {total} MB · {rate} MB/s")
        else:
            numbers["eta"] = f"{eta:.0f}"
            text = self.tr(
                "{documents} documents · {done} MB of {total} MB · {rate} MB/s · about {eta} s left"
            )
        self._say(text.format(**numbers))
        self.progressed.emit(progress)

    @Slot(str, int, object)
    def _on_finished(self, channel: str, _job_id: int, report: object) -> None:
        if channel != CHANNEL or not isinstance(report, dict):
            return
        self._set_running(False)
        self.progress.setRange(0, 1000)
        self.progress.setValue(1000)
        self.show_report(report)
        corpus, engine = report["corpus"], report["engine"]
        self._say(
            self.tr(
                "{documents} documents in {files} files ({skipped} skipped), counted on "
                "{workers} workers in {seconds} s."
            ).format(
                documents=f"{corpus['documents']:,}",
                files=corpus["files"],
                skipped=corpus["skipped"],
                workers=engine["workers"],
                seconds=f"{engine['seconds']:.1f}",
            )
        )
        self.finished.emit(report)

    @Slot(str, int, str)
    def _on_failed(self, channel: str, _job_id: int, message: str) -> None:
        if channel != CHANNEL:
            return
        self._set_running(False)
        self.progress.setRange(0, 1000)
        self.progress.setValue(0)
        self._say(message)
        self.failed.emit(message)

    # -- results --------------------------------------------------------------------------
    def show_report(self, report: dict[str, Any]) -> None:
        self.report = report
        self.table.setSortingEnabled(False)
        self.model.removeRows(0, self.model.rowCount())
        for row in rows(report):
            items = []
            for column in TABLE_COLUMNS:
                value = row.get(column)
                shown = (
                    "" if value is None else f"{value:,}" if isinstance(value, int) else str(value)
                )
                if column == "group" and value == ALL_GROUPS:
                    shown = self.tr("(all)")  # the copied value stays the report's
                item = QStandardItem(shown)
                item.setData(value if value is not None else -1, Qt.ItemDataRole.UserRole)
                item.setEditable(False)
                if isinstance(value, (int, float)):
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                items.append(item)
            self.model.appendRow(items)
        self.table.setSortingEnabled(True)
        self.table.resizeColumnsToContents()
        self.plots.set_charts(self._translated_charts(report))
        self.copy_button.setEnabled(True)
        self.export_button.setEnabled(True)

    def group_field(self) -> str:
        """What to group by: the field of the item shown (its label is translated), or the
        field name typed."""
        text = self.group_by.currentText().strip()
        index = self.group_by.findText(text)
        return str(self.group_by.itemData(index)) if index >= 0 else text or "dir"

    def _set_headers(self) -> None:
        """Readable, translated column titles; the tooltip names the CSV field (the export and
        Copy table keep the field names)."""
        titles = {
            "tokenizer": self.tr("Tokenizer"),
            "group": self.tr("Group"),
            "documents": self.tr("Documents"),
            "bytes": self.tr("Bytes"),
            "tokens": self.tr("Tokens"),
            "tokens_per_1k_characters": self.tr("Tokens / 1k chars"),
            "tokens_per_1k_bytes": self.tr("Tokens / 1k bytes"),
            "tokens_per_word": self.tr("Tokens / word"),
            "unknown_tokens": self.tr("Unknown tokens"),
            "unknown_rate": self.tr("Unknown rate"),
            "byte_fallback_tokens": self.tr("Byte-fallback tokens"),
            "byte_fallback_rate": self.tr("Byte-fallback rate"),
            "distinct_ids": self.tr("Distinct ids"),
            "vocabulary_share": self.tr("Vocabulary used"),
            "tokens_per_document_mean": self.tr("Mean tokens / doc"),
            "tokens_per_document_max": self.tr("Max tokens / doc"),
            "token_premium": self.tr("Token premium"),
        }
        for column, field in enumerate(TABLE_COLUMNS):
            over = field.removeprefix("documents_over_")
            title = titles.get(field) or self.tr("Docs > {0} tokens").format(over)
            item = QStandardItem(title)
            item.setToolTip(self.tr("CSV column: {0}").format(field))
            self.model.setHorizontalHeaderItem(column, item)

    def _translated_charts(self, report: dict[str, Any]) -> list[dict[str, Any]]:
        """``chart_series`` with its words (exports.CHART_WORDS) in the window's language."""

        def words(text: str) -> str:
            return QCoreApplication.translate("CorpusChart", text)

        def category(chart: dict[str, Any], name: str) -> str:
            if name == ALL_GROUPS:
                return self.tr("(all)")
            return words(name) if chart["key"] == "vocabulary" else name

        return [
            {
                **chart,
                "title": words(chart["title"]),
                "unit": words(chart["unit"]),
                "categories": [category(chart, str(c)) for c in chart["categories"]],
            }
            for chart in chart_series(report)
        ]

    def table_text(self, selected_only: bool = False) -> str:
        """The table as tab-separated text, in the order shown (sorted), with its header."""
        chosen = (
            {i.row() for i in self.table.selectionModel().selectedRows()} if selected_only else None
        )
        lines = ["\t".join(TABLE_COLUMNS)]
        for r in range(self.proxy.rowCount()):
            if chosen is not None and r not in chosen:
                continue
            cells = (
                self.proxy.index(r, c).data(Qt.ItemDataRole.UserRole)
                for c in range(len(TABLE_COLUMNS))
            )
            lines.append("\t".join("" if v is None or v == -1 else str(v) for v in cells))
        return "\n".join(lines) + "\n"

    def copy_table(self) -> None:
        selected = bool(self.table.selectionModel().selectedRows())
        QGuiApplication.clipboard().setText(self.table_text(selected_only=selected))

    def export_to(self, path: Path, fmt: str | None = None) -> None:
        """Write the report as the command line would (same renderers, atomic write)."""
        if self.report is None:
            raise ValueError("no corpus report to export yet")
        fmt = fmt or path.suffix.lower().lstrip(".")
        write_atomic(path, render(self.report, fmt if fmt in FORMATS else "json"))

    def _pick_export(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self,
            self.tr("Export corpus report"),
            "corpus-report.html",
            self.tr("HTML (*.html);;JSON (*.json);;CSV (*.csv);;Markdown (*.md)"),
        )
        if not path:
            return
        try:
            self.export_to(Path(path))
        except OSError as err:
            QMessageBox.warning(self, self.tr("Export failed"), str(err))

    def closeEvent(self, event: Any) -> None:
        """Closes at once: a run still under way is cancelled and the window only hidden
        until it has stopped its cluster (deleting it now would wait for that)."""
        self.runner.cancel(CHANNEL)
        if self.runner.active(CHANNEL):
            self._closing = True
            self.hide()
            event.ignore()
            return
        self.runner.shutdown(timeout_ms=0)
        super().closeEvent(event)

    @Slot()
    def _stop_before_quit(self) -> None:
        self.runner.shutdown(timeout_ms=30_000)  # the run stops its cluster before returning
