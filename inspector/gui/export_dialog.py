"""File → Export report…: the current view or the comparison, in any report format.

The dialog only gathers choices; the report is built and written by the same core code the
command line uses (``inspector.core.report``; PDF/PNG/SVG by ``inspector.render``), on a
worker, atomically: a failure is one plain line here and leaves no partial file behind.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from inspector.core.cancel import CancelToken
from inspector.core.encoding import EncodingResult
from inspector.core.errors import InspectorError
from inspector.core.report import FORMATS, ReportItem, build_report
from inspector.core.settings import EncodeSettings
from inspector.gui import session
from inspector.gui.jobs import JobRunner
from inspector.gui.theme import error_text_colour

if TYPE_CHECKING:
    from inspector.core.model_run import ModelRun

FORMAT_TITLES: dict[str, str] = {
    "json": "JSON — every token, the versioned schema",
    "csv": "CSV — one row per token per tokenizer",
    "md": "Markdown — summary and token tables",
    "html": "HTML — self-contained report with coloured strips",
    "pdf": "PDF — the report for printing",
    "png": "PNG — picture of the token strip(s)",
    "svg": "SVG — picture of the token strip(s)",
}


@dataclass(frozen=True)
class ExportSource:
    """Something that can be exported: a title for the dialog and what the report needs."""

    title: str
    text: str
    pair: str | None
    settings: EncodeSettings
    items: tuple[ReportItem, ...]
    comparison: bool  # write the comparison section (two or more tokenizers)
    # The window's model run on this result: its section is built on the worker (the
    # attention maps of a long text take a moment to turn into lists).
    model_run: ModelRun | None = None


@dataclass(frozen=True)
class ExportRequest:
    source: ExportSource
    fmt: str
    path: Path


def write_report(request: ExportRequest) -> Path:
    """Build the report and write it in ``request.fmt`` — the command line's own two calls."""
    from inspector.render.export import export_report

    source = request.source
    items = list(source.items)
    run = source.model_run
    if run is not None and items:
        from inspector.core.analysis import run_section  # the CLI's builder too

        embeddings = None
        if run.embedding is not None:
            embeddings = {"text": run.embedding, "pair": run.pair_embedding}
        name = items[0].requested
        section = run_section(run.output, run.result, name, embeddings=embeddings)
        items[0] = replace(items[0], model=section)
    report = build_report(
        source.text, source.pair, source.settings, items, comparison=source.comparison
    )
    export_report(report, request.fmt, request.path)
    return request.path


def _export_job(request: ExportRequest, *, cancel: CancelToken) -> Path:
    try:
        return write_report(request)
    except OSError as err:
        # One plain line: what failed and where (no traceback, no errno soup).
        reason = err.strerror or str(err)
        raise InspectorError(f"could not write {request.path.name[:60]}: {reason}") from None


class ExportDialog(QDialog):
    """Pick what (current view / comparison), the format and the file; Export writes it."""

    exported = Signal(object)  # the Path written
    failed = Signal(str)  # a plain message

    def __init__(self, sources: list[ExportSource], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Export report")
        self.setModal(True)
        self.sources = sources
        self.runner = JobRunner(self, max_threads=1)
        self.runner.finished.connect(self._on_done)
        self.runner.failed.connect(self._on_failed)
        self._store = session.settings()

        self.scope_buttons: list[QRadioButton] = []
        scope_box = QVBoxLayout()
        for source in sources:
            button = QRadioButton(source.title)
            scope_box.addWidget(button)
            self.scope_buttons.append(button)
        if self.scope_buttons:
            self.scope_buttons[-1 if len(sources) > 1 else 0].setChecked(True)

        self.format_box = QComboBox()
        for fmt in FORMATS:
            self.format_box.addItem(FORMAT_TITLES.get(fmt, fmt.upper()), fmt)
        saved = str(self._store.value("export_format", "html"))
        self.format_box.setCurrentIndex(max(0, self.format_box.findData(saved)))
        self.format_box.currentIndexChanged.connect(self._on_format_changed)

        self.path_edit = QLineEdit()
        self.path_edit.setPlaceholderText("where to save the report")
        self.path_edit.setMinimumWidth(380)
        browse = QPushButton("Browse…")
        browse.clicked.connect(self._browse)
        path_row = QHBoxLayout()
        path_row.addWidget(self.path_edit, 1)
        path_row.addWidget(browse)
        folder = Path(str(self._store.value("export_dir", str(Path.home()))))
        self.path_edit.setText(str(folder / f"token-report.{self.format()}"))

        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.export_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.export_button.setText("Export")
        self.buttons.accepted.connect(self.export)
        self.buttons.rejected.connect(self.reject)

        form = QFormLayout()
        if len(sources) > 1:
            form.addRow("Export:", scope_box)
        elif sources:
            form.addRow("Export:", QLabel(sources[0].title))
        form.addRow("Format:", self.format_box)
        form.addRow("File:", path_row)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        if not sources:
            self._say("Nothing to export yet: wait for the tokens to appear.", error=True)
            self.export_button.setEnabled(False)

    # -------------------------------------------------------------- choices
    def source(self) -> ExportSource | None:
        for button, source in zip(self.scope_buttons, self.sources, strict=True):
            if button.isChecked():
                return source
        return self.sources[0] if self.sources else None

    def set_source(self, index: int) -> None:
        self.scope_buttons[index].setChecked(True)

    def format(self) -> str:
        return str(self.format_box.currentData())

    def set_format(self, fmt: str) -> None:
        self.format_box.setCurrentIndex(self.format_box.findData(fmt))

    def path(self) -> Path | None:
        text = self.path_edit.text().strip()
        return Path(text).expanduser() if text else None

    def set_path(self, path: Path | str) -> None:
        self.path_edit.setText(str(path))

    @Slot()
    def _on_format_changed(self) -> None:
        path = self.path()
        if path is not None and path.suffix.lstrip(".") in FORMATS:
            self.path_edit.setText(str(path.with_suffix(f".{self.format()}")))

    @Slot()
    def _browse(self) -> None:
        fmt = self.format()
        chosen, _ = QFileDialog.getSaveFileName(
            self,
            "Export report",
            str(self.path() or ""),
            f"{fmt.upper()} (*.{fmt});;All files (*)",
            options=QFileDialog.Option.DontConfirmOverwrite,  # we ask ourselves, once
        )
        if chosen:
            path = Path(chosen)
            self.set_path(path if path.suffix else path.with_suffix(f".{fmt}"))

    # -------------------------------------------------------------- export
    @Slot()
    def export(self) -> None:
        """Check the choices, ask before replacing a file, then write on a worker."""
        source, path, fmt = self.source(), self.path(), self.format()
        if source is None:
            return
        if path is None:
            self._say("Choose a file to export to.", error=True)
            return
        try:
            is_dir, folder_ok, exists = path.is_dir(), path.parent.is_dir(), path.exists()
        except OSError as err:  # e.g. a name longer than the file system allows
            self._fail(f"could not use {path.name[:60]}: {err.strerror or err}")
            return
        if is_dir:
            self._say(f"{path} is a folder: add a file name.", error=True)
            return
        if not folder_ok:
            self._say(f"The folder {path.parent} does not exist.", error=True)
            return
        if exists:
            answer = QMessageBox.question(
                self,
                "Replace file?",
                f"{path.name} already exists in {path.parent}.\nReplace it?",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.No,
            )
            if answer != QMessageBox.StandardButton.Yes:
                self._say("Not exported: the existing file is kept.")
                return
        self._store.setValue("export_format", fmt)
        self._store.setValue("export_dir", str(path.parent))
        self._busy(True)
        self._say(f"Exporting {fmt.upper()}…")
        self.runner.submit("export", _export_job, ExportRequest(source, fmt, path))

    def is_busy(self) -> bool:
        return self.runner.active() > 0

    @Slot(str, int, object)
    def _on_done(self, _channel: str, _job_id: int, path: object) -> None:
        self._busy(False)
        self._say(f"Saved {path}")
        self.exported.emit(path)
        self.accept()

    @Slot(str, int, str)
    def _on_failed(self, _channel: str, _job_id: int, message: str) -> None:
        self._busy(False)
        self._fail(message)

    def _fail(self, message: str) -> None:
        self._say(f"Export failed: {message}", error=True)
        self.failed.emit(message)

    def _busy(self, busy: bool) -> None:
        self.export_button.setEnabled(not busy)
        self.format_box.setEnabled(not busy)
        self.path_edit.setEnabled(not busy)

    def _say(self, message: str, *, error: bool = False) -> None:
        red = error_text_colour(self.palette())  # theme: readable in light and dark
        self.message.setStyleSheet(f"QLabel {{ color: {red}; }}" if error else "")
        self.message.setText(message)

    def done(self, result: int) -> None:
        # Closing mid-export waits for the write (bounded): a report is never cut off.
        self.runner.shutdown(timeout_ms=30_000)
        super().done(result)


def current_view_source(
    name: str, result: object, *, model_run: ModelRun | None = None
) -> ExportSource | None:
    """The window's current result as an export source (None when there is none), with the
    model section when ``model_run`` ran on this very result."""
    if not isinstance(result, EncodingResult):
        return None
    title = f"Current view — {name or result.tokenizer.id} ({len(result):,} tokens)"
    if model_run is not None and model_run.result is result:
        title += f" and model {model_run.output.info.name}"
    else:
        model_run = None
    return ExportSource(
        title=title,
        text=result.text,
        pair=result.pair,
        settings=result.settings,
        items=(ReportItem(name or result.tokenizer.id, result),),
        comparison=False,
        model_run=model_run,
    )


def comparison_source(
    text: str, pair: str | None, settings: EncodeSettings, items: list[ReportItem]
) -> ExportSource | None:
    """The comparison's finished rows as an export source (None with fewer than two)."""
    if len(items) < 2 or not any(item.result is not None for item in items):
        return None
    return ExportSource(
        title=f"Comparison — {len(items)} tokenizers",
        text=text,
        pair=pair,
        settings=settings,
        items=tuple(items),
        comparison=True,
    )
