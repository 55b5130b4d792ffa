"""A model run, assembled for the panels: load a model with its tokenizer, run it on an
encoding result, and compute what the panels draw (hidden metrics, attention thumbnails,
sentence embeddings) — plain functions on plain data, called on a worker thread.

torch and transformers are imported only inside the functions (the first time a model is
needed): importing this module costs nothing at start-up.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from inspector.core.cancel import CancelToken
from inspector.core.catalog import Catalog
from inspector.core.display_strings import DisplayStrings
from inspector.core.encoding import EncodingResult

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
    strings = DisplayStrings(result)
    return tuple(strings.display(i) or result.columns.tokens[i] or "∅" for i in indices.tolist())


def _max_pool(maps: np.ndarray, axis: int, block: int) -> np.ndarray:
    """Max over consecutive blocks of ``block`` positions along ``axis`` (-1 or -2); the last
    block may be shorter. Reshaped views, no padded copy."""
    length = maps.shape[axis]
    full = length // block * block
    if axis == -1:
        head = maps[..., :full].reshape(*maps.shape[:-1], full // block, block).max(axis=-1)
        tail = maps[..., full:].max(axis=-1, keepdims=True) if full < length else None
    else:
        head = (
            maps[..., :full, :]
            .reshape(*maps.shape[:-2], full // block, block, maps.shape[-1])
            .max(axis=-2)
        )
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


# -- on a worker thread: plain data in, plain data out ------------------------------------


def load_model_pair(
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
    """Load a model and the tokenizer it was trained with; Cancel stops it at the next step
    that reports progress (a conversion or a download checks between chunks)."""
    from inspector.core.devices import available_devices
    from inspector.core.models import load_model

    def report(what: str, fraction: float) -> None:
        cancel.check()
        progress(what, fraction)

    model = load_model(
        name,
        device=device,
        dtype=dtype,
        trust_remote_code=trust_remote_code,
        allow_pickle=allow_pickle,
        progress=report,
    )
    cancel.check()
    tokenizer = catalog.load(model.tokenizer_name, trust_remote_code=trust_remote_code)
    return LoadedPair(model, tokenizer, tuple(available_devices()))


def probe_devices(*, cancel: CancelToken) -> tuple[str, ...]:
    from inspector.core.devices import available_devices

    return tuple(available_devices())


def _call(fn: Callable[..., Any], *args: Any) -> None:
    """Call and return None: a forward hook that returns a value replaces the layer's output
    (and Signal.emit returns a bool)."""
    fn(*args)


def assemble_run(
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
