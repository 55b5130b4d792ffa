"""File → Export report…: the current view or the comparison, in any report format.

The dialog only gathers choices; the report is built and written by the same core code the
command line uses (``inspector.core.report``; PDF/PNG/SVG by ``inspector.render``), on a
worker, atomically: a failure is one plain line here and leaves no partial file behind.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, Signal, Slot
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

# Translated where shown (ExportDialog's context); marked here for lupdate.
FORMAT_TITLES: dict[str, str] = {
    "json": QT_TRANSLATE_NOOP("ExportDialog", "JSON — every token, the versioned schema"),
    "csv": QT_TRANSLATE_NOOP("ExportDialog", "CSV — one row per token per tokenizer"),
    "md": QT_TRANSLATE_NOOP("ExportDialog", "Markdown — summary and token tables"),
    "html": QT_TRANSLATE_NOOP("ExportDialog", "HTML — self-contained report with coloured strips"),
    "pdf": QT_TRANSLATE_NOOP("ExportDialog", "PDF — the report for printing"),
    "png": QT_TRANSLATE_NOOP("ExportDialog", "PNG — picture of the token strip(s)"),
    "svg": QT_TRANSLATE_NOOP("ExportDialog", "SVG — picture of the token strip(s)"),
}


EXPORT_CHANNEL = "export"


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

    def __init__(
        self,
        sources: list[ExportSource],
        parent: QWidget | None = None,
        *,
        runner: JobRunner | None = None,
    ) -> None:
        """``runner``: the window's one runner; without it the dialog has its own."""
        super().__init__(parent)
        self.setWindowTitle(self.tr("Export report"))
        self.setModal(True)
        self.sources = sources
        self.runner = JobRunner(self, max_threads=1) if runner is None else runner
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
            title = FORMAT_TITLES.get(fmt)
            self.format_box.addItem(self.tr(title) if title else fmt.upper(), fmt)
        saved = str(self._store.value("export_format", "html"))
        self.format_box.setCurrentIndex(max(0, self.format_box.findData(saved)))
        self.format_box.currentIndexChanged.connect(self._on_format_changed)

        self.path_edit = QLineEdit()
        self.path_edit.setPlaceholderText(self.tr("where to save the report"))
        self.path_edit.setMinimumWidth(380)
        browse = QPushButton(self.tr("Browse…"))
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
        self.export_button.setText(self.tr("Export"))
        self.buttons.accepted.connect(self.export)
        self.buttons.rejected.connect(self.reject)

        form = QFormLayout()
        if len(sources) > 1:
            form.addRow(self.tr("Export:"), scope_box)
        elif sources:
            form.addRow(self.tr("Export:"), QLabel(sources[0].title))
        form.addRow(self.tr("Format:"), self.format_box)
        form.addRow(self.tr("File:"), path_row)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        if not sources:
            self._say(self.tr("Nothing to export yet: wait for the tokens to appear."), error=True)
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
            self.tr("Export report"),
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
            self._say(self.tr("Choose a file to export to."), error=True)
            return
        try:
            is_dir, folder_ok, exists = path.is_dir(), path.parent.is_dir(), path.exists()
        except OSError as err:  # e.g. a name longer than the file system allows
            self._fail(
                self.tr("could not use {0}: {1}").format(path.name[:60], err.strerror or err)
            )
            return
        if is_dir:
            self._say(self.tr("{0} is a folder: add a file name.").format(path), error=True)
            return
        if not folder_ok:
            self._say(self.tr("The folder {0} does not exist.").format(path.parent), error=True)
            return
        if exists:
            answer = QMessageBox.question(
                self,
                self.tr("Replace file?"),
                self.tr("{0} already exists in {1}.\nReplace it?").format(path.name, path.parent),
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.No,
            )
            if answer != QMessageBox.StandardButton.Yes:
                self._say(self.tr("Not exported: the existing file is kept."))
                return
        self._store.setValue("export_format", fmt)
        self._store.setValue("export_dir", str(path.parent))
        self._busy(True)
        self._say(self.tr("Exporting {0}…").format(fmt.upper()))
        self.runner.submit(
            EXPORT_CHANNEL,
            _export_job,
            ExportRequest(source, fmt, path),
            done=self._on_done,
            failed=self._on_failed,
        )

    def is_busy(self) -> bool:
        return self.runner.active(EXPORT_CHANNEL) > 0

    def _on_done(self, path: object) -> None:
        self._busy(False)
        self._say(self.tr("Saved {0}").format(path))
        self.exported.emit(path)
        self.accept()

    def _on_failed(self, message: str) -> None:
        self._busy(False)
        self._fail(message)

    def _fail(self, message: str) -> None:
        self._say(self.tr("Export failed: {0}").format(message), error=True)
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
        # Closing mid-export waits for the write (bounded): a report is never cut off; what
        # it returns after that is not for this dialog any more.
        self.runner.wait_for(EXPORT_CHANNEL, timeout_ms=30_000)
        self.runner.cancel(EXPORT_CHANNEL)
        super().done(result)


def current_view_source(
    name: str, result: object, *, model_run: ModelRun | None = None
) -> ExportSource | None:
    """The window's current result as an export source (None when there is none), with the
    model section when ``model_run`` ran on this very result."""
    if not isinstance(result, EncodingResult):
        return None
    title = QCoreApplication.translate("ExportDialog", "Current view — {0} ({1} tokens)").format(
        name or result.tokenizer.id, f"{len(result):,}"
    )
    if model_run is not None and model_run.result is result:
        title = QCoreApplication.translate(
            "ExportDialog", "Current view — {0} ({1} tokens) and model {2}"
        ).format(name or result.tokenizer.id, f"{len(result):,}", model_run.output.info.name)
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
        title=QCoreApplication.translate("ExportDialog", "Comparison — {0} tokenizers").format(
            len(items)
        ),
        text=text,
        pair=pair,
        settings=settings,
        items=tuple(items),
        comparison=True,
    )


def open_export_dialog(
    sources: list[ExportSource | None], runner: JobRunner, parent: QWidget
) -> ExportDialog:
    """File → Export report…: the dialog, open (window-modal), on the sources there are."""
    dialog = ExportDialog(
        [source for source in sources if source is not None], parent, runner=runner
    )
    dialog.open()
    return dialog
