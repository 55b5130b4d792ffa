"""Model jobs for the GUI: load a model (and its tokenizer), run it on a result, cancel, progress.

Built on :class:`inspector.gui.jobs.JobRunner`: one channel per device, so a device runs one
model job at a time and a new job on it supersedes the last (a running forward stops at the
next layer, whatever it returns later is dropped). Each request has an id; progress and
results of an older request are dropped here too.

torch and transformers are imported only inside the jobs (on a pool thread, the first time a
model is needed): importing this module costs nothing at start-up.

What crosses threads: the LoadedModel handle (used only by jobs, never touched by widgets),
frozen dataclasses and numpy arrays.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
from PySide6.QtCore import QObject, Signal, Slot

from inspector.core.catalog import Catalog
from inspector.core.encoding import EncodingResult
from inspector.gui.jobs import CancelToken, JobRunner

if TYPE_CHECKING:
    from inspector.core.models import LoadedModel, ModelOutput
    from inspector.core.tokenizer import LoadedTokenizer

HIDDEN_METRICS = ("l2", "cos_prev", "cos_last")  # computed in the worker; "dims" on demand
THUMBNAIL = 48  # pixels per side of one attention thumbnail
LENS_TOP_K = 5


@dataclass(frozen=True)
class LoadedPair:
    """A model and the tokenizer it was trained with (loaded together, off the GUI thread)."""

    model: LoadedModel
    tokenizer: LoadedTokenizer
    devices: tuple[str, ...]  # device choices this machine offers (torch is imported now)


@dataclass(frozen=True)
class ModelRun:
    """One model run on one encoding result, with what the panels draw, ready to show."""

    run_id: int
    result: EncodingResult
    output: ModelOutput
    labels: tuple[str, ...]  # display string of each fed position
    special: np.ndarray  # bool (T,): special token at each fed position
    padding: np.ndarray  # bool (T,): padding (attention mask 0) at each fed position
    metrics: dict[str, np.ndarray]  # hidden metric name → (L+1, T) float32
    thumbnails: np.ndarray | None  # float32 mosaic: layers × (heads + mean + max) thumbnails
    thumbnails_text: np.ndarray | None  # the same with attention to special tokens hidden
    embedding: np.ndarray | None  # sentence embedding of the text
    pair_embedding: np.ndarray | None  # … and of the pair text
    pair_cosine: float | None
    contributions: np.ndarray | None  # (T,) share of each position in the pooled vector
    embedding_note: str  # why there is no embedding, in words ("" when there is one)

    @property
    def positions(self) -> np.ndarray:
        """Token index (into result.columns) of each fed position."""
        return self.output.token_indices

    def position_of(self, token_index: int) -> int | None:
        hits = np.flatnonzero(self.output.token_indices == token_index)
        return int(hits[0]) if len(hits) else None


def position_labels(result: EncodingResult, indices: np.ndarray) -> tuple[str, ...]:
    """What each fed token is called on an axis: its display string (␣ for spaces)."""
    labels = []
    for index in indices.tolist():
        view = result.token(int(index))
        labels.append(view.display or view.token or "∅")
    return tuple(labels)


def _max_pool(maps: np.ndarray, axis: int, block: int) -> np.ndarray:
    """Max over consecutive blocks of ``block`` positions along ``axis`` (-1 or -2); the last
    block may be shorter. Reshaped views, no padded copy."""
    length = maps.shape[axis]
    full = length // block * block
    if axis == -1:
        head = maps[..., :full].reshape(*maps.shape[:-1], full // block, block).max(axis=-1)
        tail = maps[..., full:].max(axis=-1, keepdims=True) if full < length else None
    else:
        head = maps[..., :full, :].reshape(
            *maps.shape[:-2], full // block, block, maps.shape[-1]
        ).max(axis=-2)
        tail = maps[..., full:, :].max(axis=-2, keepdims=True) if full < length else None
    return head if tail is None else np.concatenate([head, tail], axis=axis)


def attention_thumbnails(
    attentions: Sequence[np.ndarray], keep: np.ndarray, hide_columns: np.ndarray | None = None
) -> np.ndarray:
    """Layers × (heads + mean + max) thumbnails of the attention maps, in one mosaic image.

    ``keep`` drops positions (padding) from both axes; ``hide_columns`` zeroes attention *to*
    those positions (special tokens). Each thumbnail is max-pooled (peaks survive) down to at
    most THUMBNAIL pixels a side and scaled to its own maximum, so a head that spreads its
    attention thin is still visible. Cells are THUMBNAIL + 2 pixels apart; the gaps are NaN
    (drawn transparent). Pooled through reshaped views (no padded copy): about 0.1 s for
    12 × 12 heads at 512 tokens, on the worker.
    """
    layers, heads, t = len(attentions), attentions[0].shape[0], int(keep.sum())
    hidden = hide_columns[keep] if hide_columns is not None else None
    block = max(1, -(-t // THUMBNAIL))

    def pool(maps: np.ndarray) -> np.ndarray:
        rows = _max_pool(maps, -2, block)  # queries first: the columns stay exact
        if hidden is not None and hidden.any():
            rows[..., hidden] = 0.0
        return _max_pool(rows, -1, block)

    def pooled_layer(att: np.ndarray) -> np.ndarray:  # (H, T, T) → (H + 2, size, size)
        if not keep.all():
            att = att[:, keep][:, :, keep]
        mean = att.mean(axis=0, keepdims=True, dtype=np.float32)
        return np.concatenate([pool(att), pool(mean), pool(att.max(axis=0, keepdims=True))])

    pooled = np.stack([pooled_layer(att) for att in attentions])
    size = pooled.shape[-1]
    peak = pooled.max(axis=(2, 3), keepdims=True)
    pooled = pooled / np.where(peak > 0, peak, 1.0)
    if size * 2 <= THUMBNAIL:  # short texts: repeat pixels so a thumbnail fills its cell
        scale = THUMBNAIL // size
        pooled = pooled.repeat(scale, axis=2).repeat(scale, axis=3)
        size *= scale
    cell = THUMBNAIL + 2
    mosaic = np.full((layers * cell, (heads + 2) * cell), np.nan, dtype=np.float32)
    for layer in range(layers):
        for column in range(heads + 2):
            y, x = layer * cell + 1, column * cell + 1
            mosaic[y : y + size, x : x + size] = pooled[layer, column]
    return mosaic


# -- jobs (pool threads: plain data in, plain data out) ------------------------------------


def _load_job(
    catalog: Catalog,
    name: str,
    device: str,
    dtype: str,
    trust_remote_code: bool,
    allow_pickle: bool,
    progress: Callable[[str, float], None],
    *,
    cancel: CancelToken,
) -> LoadedPair:
    from inspector.core.devices import available_devices
    from inspector.core.models import load_model

    model = load_model(
        name,
        device=device,
        dtype=dtype,
        trust_remote_code=trust_remote_code,
        allow_pickle=allow_pickle,
        progress=progress,
    )
    cancel.check()
    tokenizer = catalog.load(model.tokenizer_name, trust_remote_code=trust_remote_code)
    return LoadedPair(model, tokenizer, tuple(available_devices()))


def _devices_job(*, cancel: CancelToken) -> tuple[str, ...]:
    from inspector.core.devices import available_devices

    return tuple(available_devices())


def _call(fn: Callable[..., Any], *args: Any) -> None:
    """Call and return None: a forward hook that returns a value replaces the layer's output
    (and Signal.emit returns a bool)."""
    fn(*args)


def _run_job(
    model: LoadedModel,
    result: EncodingResult,
    run_id: int,
    progress: Callable[[int, int, int], None],
    *,
    cancel: CancelToken,
) -> ModelRun:
    from inspector.core import analysis
    from inspector.core.models import run_model

    # run_model checks the pairing and the memory estimate first (plain-words errors).
    output = run_model(
        model,
        result,
        cancel=lambda: cancel.cancelled,
        progress=lambda i, n: _call(progress, run_id, i, n),
        attentions=True,
        lens_top_k=LENS_TOP_K,
    )
    cancel.check()
    indices = output.token_indices
    cols = result.columns
    special = cols.special[indices].astype(bool)
    padding = cols.attention_mask[indices] == 0
    metrics = {
        name: np.ascontiguousarray(analysis.hidden_metric(output.hidden_states, name), np.float32)
        for name in HIDDEN_METRICS
    }
    thumbnails = thumbnails_text = None
    if output.attentions is not None:  # both variants here: the toggle then costs nothing
        thumbnails = attention_thumbnails(output.attentions, ~padding)
        cancel.check()
        thumbnails_text = attention_thumbnails(output.attentions, ~padding, special)
    cancel.check()
    embedding = pair_embedding = contributions = None
    pair_cosine: float | None = None
    note = ""
    try:
        texts = [result.text] + ([result.pair] if result.pair is not None else [])
        vectors = analysis.sentence_embeddings(model, texts)
        embedding = np.asarray(vectors[0], dtype=np.float32)
        if len(vectors) > 1:
            pair_embedding = np.asarray(vectors[1], dtype=np.float32)
            pair_cosine = float(analysis.cosine(embedding, pair_embedding))
        contributions = np.asarray(analysis.token_contributions(output, result), np.float32)
    except (ValueError, NotImplementedError) as err:
        note = str(err)
    return ModelRun(
        run_id=run_id,
        result=result,
        output=output,
        labels=position_labels(result, indices),
        special=special,
        padding=padding,
        metrics=metrics,
        thumbnails=thumbnails,
        thumbnails_text=thumbnails_text,
        embedding=embedding,
        pair_embedding=pair_embedding,
        pair_cosine=pair_cosine,
        contributions=contributions,
        embedding_note=note,
    )


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
    run_started = Signal(int)  # run id
    progress = Signal(int, int)  # layer i, of n — current run only
    run_finished = Signal(object)  # ModelRun
    run_failed = Signal(str)
    run_cancelled = Signal()
    busy_changed = Signal(bool)
    devices_found = Signal(tuple)  # device choices, once torch has been asked

    def __init__(self, catalog: Catalog, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.catalog = catalog
        self.runner = JobRunner(self, max_threads=2)
        self.runner.finished.connect(self._on_finished)
        self.runner.failed.connect(self._on_failed)
        self.runner.busy_changed.connect(self.busy_changed)
        self._relay = _ProgressRelay(self)
        self._relay.layer.connect(self._on_layer)
        self._relay.loading.connect(self._on_loading)
        self._ids = itertools.count(1)
        self.pair: LoadedPair | None = None
        self.devices: tuple[str, ...] = ("auto", "cpu")  # until torch has been asked
        self._auto_device = ""  # what "auto" resolved to, once a model told us
        self._load_id = 0
        self._load_channel = ""
        self._run_id = 0
        self._run_channel = ""
        self._run_job = -1
        self._load_job = -1
        self._probed = False

    @property
    def model(self) -> LoadedModel | None:
        return self.pair.model if self.pair is not None else None

    def _channel(self, device: str) -> str:
        if device == "auto" and self._auto_device:
            device = self._auto_device
        return f"model:{device}"

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
        self._load_id = next(self._ids)
        self._load_channel = self._channel(device)
        load_id = self._load_id
        emit = self._relay.loading.emit
        self._load_job = self.runner.submit(
            self._load_channel,
            _load_job,
            self.catalog,
            name,
            device,
            dtype,
            trust_remote_code,
            allow_pickle,
            lambda what, fraction: emit(load_id, what, fraction),
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
        self._run_id = next(self._ids)
        self._run_channel = self._channel(model.info.device)
        self._run_job = self.runner.submit(
            self._run_channel, _run_job, model, result, self._run_id, self._relay.layer.emit
        )
        self.run_started.emit(self._run_id)
        return self._run_id

    def cancel_run(self) -> None:
        """Stop the running forward at its next layer (typing, switching, Cancel)."""
        if self.is_running():
            self.runner.cancel(self._run_channel)
            self.run_cancelled.emit()
        self._run_id = 0

    def is_running(self) -> bool:
        return self._run_id != 0 and self.runner.is_current(self._run_channel, self._run_job)

    def is_loading(self) -> bool:
        return self._load_id != 0 and self.runner.is_current(self._load_channel, self._load_job)

    def probe_devices(self) -> None:
        """Ask torch (imported on a worker, the first time) which devices this machine has."""
        if not self._probed:
            self._probed = True
            self.runner.submit("devices", _devices_job)

    def shutdown(self, timeout_ms: int = 5000) -> bool:
        """Cancel all model work and wait (bounded) for the pool; for quitting."""
        self._run_id = 0
        self._load_id = 0
        return self.runner.shutdown(timeout_ms)

    # -- results (GUI thread) --------------------------------------------------------
    @Slot(int, int, int)
    def _on_layer(self, run_id: int, index: int, total: int) -> None:
        if run_id == self._run_id:
            self.progress.emit(index, total)

    @Slot(int, str, float)
    def _on_loading(self, load_id: int, what: str, fraction: float) -> None:
        if load_id == self._load_id:
            self.load_progress.emit(what, fraction)

    @Slot(str, int, object)
    def _on_finished(self, channel: str, _job: int, value: Any) -> None:
        if channel == "devices":
            self.devices = value
            self.devices_found.emit(value)
        elif isinstance(value, LoadedPair):
            if self._load_id == 0:
                return
            self._load_id = 0
            self.pair = value
            self.devices = value.devices
            self._probed = True
            self.devices_found.emit(value.devices)
            if not self._auto_device:
                self._auto_device = value.model.info.device
            self.loaded.emit(value)
        elif isinstance(value, ModelRun):
            if value.run_id != self._run_id:
                return  # stale: a newer run was asked for
            self._run_id = 0
            self.run_finished.emit(value)

    @Slot(str, int, str)
    def _on_failed(self, channel: str, _job: int, message: str) -> None:
        if self._load_id and channel == self._load_channel:
            self._load_id = 0
            self.load_failed.emit(message)
        elif self._run_id and channel == self._run_channel:
            self._run_id = 0
            self.run_failed.emit(message)
