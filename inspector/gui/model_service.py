"""Model jobs for the GUI: load a model (and its tokenizer), run it on a result, cancel, progress.

Built on the window's :class:`inspector.gui.jobs.JobRunner` (the state's) with ONE channel for
every model job, whatever the device: a load or run supersedes the one before (a running
forward stops at the next layer, a load at its next progress step, and whatever either returns
later is dropped). Each request has an id, checked again where its result lands; progress of
an older request is dropped too. The work itself (loading, assembling a ModelRun) is in
:mod:`inspector.core.model_run`.

What crosses threads: the LoadedModel handle (used only by jobs, never touched by widgets),
frozen dataclasses and numpy arrays.
"""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal, Slot

from inspector.core.catalog import Catalog
from inspector.core.encoding import EncodingResult
from inspector.core.model_run import (
    LoadedPair,
    ModelRun,
    assemble_run,
    attention_thumbnails,
    load_model_pair,
    position_labels,
    probe_devices,
)
from inspector.gui.jobs import JobRunner

if TYPE_CHECKING:
    from inspector.core.models import LoadedModel

__all__ = [
    "LoadedPair",
    "ModelRun",
    "ModelService",
    "attention_thumbnails",
    "position_labels",
]

MODEL_CHANNEL = "model"  # loads and runs, every device: one model at a time
DEVICES_CHANNEL = "model:devices"  # asking torch which devices there are


class _ProgressRelay(QObject):
    """Owned by the GUI thread; workers get only its bound signals' ``emit``."""

    layer = Signal(int, int, int)  # run id, layer i, of n
    loading = Signal(int, str, float)  # load id, what, fraction


class ModelService(QObject):
    """Loads one model at a time and runs it on encoding results, off the GUI thread."""

    loading = Signal(str)  # name being loaded
    load_progress = Signal(str, float)
    loaded = Signal(object)  # LoadedPair
    load_failed = Signal(str)
    load_cancelled = Signal()
    run_started = Signal(int)  # run id
    progress = Signal(int, int)  # layer i, of n — current run only
    run_finished = Signal(object)  # ModelRun
    run_failed = Signal(str)
    run_cancelled = Signal()
    devices_found = Signal(tuple)  # device choices, once torch has been asked

    def __init__(
        self, catalog: Catalog, parent: QObject | None = None, *, runner: JobRunner | None = None
    ) -> None:
        """``runner``: the window's one runner; without it the service has its own."""
        super().__init__(parent)
        self.catalog = catalog
        self.runner = JobRunner(self, max_threads=2) if runner is None else runner
        self._relay = _ProgressRelay(self)
        self._relay.layer.connect(self._on_layer)
        self._relay.loading.connect(self._on_loading)
        self._ids = itertools.count(1)
        self.pair: LoadedPair | None = None
        self.devices: tuple[str, ...] = ("auto", "cpu")  # until torch has been asked
        self._load_id = 0  # the load asked for last (0: none under way)
        self._run_id = 0  # the run asked for last (0: none under way)
        self._probed = False

    @property
    def model(self) -> LoadedModel | None:
        return self.pair.model if self.pair is not None else None

    # -- requests --------------------------------------------------------------------
    def load(
        self,
        name: str,
        *,
        device: str = "auto",
        dtype: str = "auto",
        trust_remote_code: bool = False,
        allow_pickle: bool = False,
    ) -> int:
        """Load ``name`` (a catalog model, folder or hub id) and its tokenizer."""
        self.cancel_run()
        load_id = self._load_id = next(self._ids)
        emit = self._relay.loading.emit
        self.runner.submit(
            MODEL_CHANNEL,
            load_model_pair,
            self.catalog,
            name,
            device,
            dtype,
            trust_remote_code,
            allow_pickle,
            lambda what, fraction: emit(load_id, what, fraction),
            done=lambda pair: self._on_loaded(load_id, pair),
            failed=lambda message: self._on_load_failed(load_id, message),
        )
        self.loading.emit(name)
        return load_id

    def run(self, result: EncodingResult) -> int:
        """Run the loaded model on ``result``; supersedes the run before.

        Returns the run id, or -1 when there is no model or one is being loaded.
        """
        model = self.model
        if model is None or self.is_loading():
            return -1
        self.cancel_run()
        run_id = self._run_id = next(self._ids)
        self.runner.submit(
            MODEL_CHANNEL,
            assemble_run,
            model,
            result,
            run_id,
            self._relay.layer.emit,
            done=lambda run: self._on_run_done(run_id, run),
            failed=lambda message: self._on_run_failed(run_id, message),
        )
        self.run_started.emit(run_id)
        return run_id

    def cancel_run(self) -> None:
        """Stop the running forward at its next layer (typing, switching, Cancel)."""
        if self._run_id:
            self._run_id = 0
            self.runner.cancel(MODEL_CHANNEL)
            self.run_cancelled.emit()

    def cancel_load(self) -> None:
        """Stop the load under way at its next step; the model loaded before stays."""
        if self._load_id:
            self._load_id = 0
            self.runner.cancel(MODEL_CHANNEL)
            self.load_cancelled.emit()

    def cancel(self) -> None:
        """The Cancel button: whatever model job is under way."""
        self.cancel_load()
        self.cancel_run()

    def is_running(self) -> bool:
        return self._run_id != 0

    def is_loading(self) -> bool:
        return self._load_id != 0

    def probe_devices(self) -> None:
        """Ask torch (imported on a worker, the first time) which devices this machine has."""
        if not self._probed:
            self._probed = True
            self.runner.submit(DEVICES_CHANNEL, probe_devices, done=self._on_devices)

    def shutdown(self, timeout_ms: int = 5000) -> bool:
        """Cancel all model work and wait (bounded) for the pool; for quitting."""
        self._run_id = 0
        self._load_id = 0
        return self.runner.stop_jobs_of(self, MODEL_CHANNEL, timeout_ms)  # also model:devices

    # -- results (GUI thread; each checks that it is the request asked for last) -------
    @Slot(int, int, int)
    def _on_layer(self, run_id: int, index: int, total: int) -> None:
        if run_id == self._run_id:
            self.progress.emit(index, total)

    @Slot(int, str, float)
    def _on_loading(self, load_id: int, what: str, fraction: float) -> None:
        if load_id == self._load_id:
            self.load_progress.emit(what, fraction)

    def _on_devices(self, devices: tuple[str, ...]) -> None:
        self.devices = devices
        self.devices_found.emit(devices)

    def _on_loaded(self, load_id: int, pair: LoadedPair) -> None:
        if load_id != self._load_id:
            return
        self._load_id = 0
        self.pair = pair
        self._probed = True
        self._on_devices(pair.devices)
        self.loaded.emit(pair)

    def _on_load_failed(self, load_id: int, message: str) -> None:
        if load_id == self._load_id:
            self._load_id = 0
            self.load_failed.emit(message)

    def _on_run_done(self, run_id: int, run: ModelRun) -> None:
        if run_id == self._run_id and run.run_id == run_id:
            self._run_id = 0
            self.run_finished.emit(run)

    def _on_run_failed(self, run_id: int, message: str) -> None:
        if run_id == self._run_id:
            self._run_id = 0
            self.run_failed.emit(message)
