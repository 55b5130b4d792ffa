"""Numbers the model panels and reports show, computed from a ModelOutput: numpy in, numpy out.

Shapes: hidden states (L+1, T, D) with the embeddings first; attentions L layers of (H, T, T),
rows attend to columns. Values that are undefined (cosine to a previous layer at the embeddings)
are NaN; :func:`levels` ignores them.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from inspector.core.encoding import EncodingResult
from inspector.core.models import LoadedModel, ModelOutput
from inspector.core.settings import EncodeSettings

HIDDEN_METRICS: tuple[str, ...] = ("l2", "cos_prev", "cos_last", "dims")
HIDDEN_METRIC_TITLES: dict[str, str] = {
    "l2": "L2 norm",
    "cos_prev": "cosine to the previous layer",
    "cos_last": "cosine to the last layer",
    "dims": "mean of a dimension range",
}
HEAD_AGGREGATIONS: tuple[str, ...] = ("mean", "max")


def _cosine_rows(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Cosine along the last axis; 0 where a vector is all zeros."""
    dot = np.einsum("...d,...d->...", a, b, dtype=np.float64)
    norms = np.linalg.norm(a, axis=-1).astype(np.float64) * np.linalg.norm(b, axis=-1)
    out = np.zeros_like(dot)
    np.divide(dot, norms, out=out, where=norms > 0)
    return out


def hidden_metric(
    hidden: np.ndarray, metric: str, dims: tuple[int, int] | None = None
) -> np.ndarray:
    """One number per (layer, token): shape (L+1, T), float32, C-contiguous.

    l2: the vector's L2 norm. cos_prev: cosine with the same token one layer down (NaN for
    the embeddings row, which has none). cos_last: cosine with the same token at the last
    layer (1 on the last row). dims: the mean of dimensions [start, end) — one dimension's
    value when end = start + 1.
    """
    if hidden.ndim != 3:
        raise ValueError(f"hidden states must be (layers, tokens, dims), not {hidden.shape}")
    if metric == "l2":
        out = np.linalg.norm(hidden, axis=-1)
    elif metric == "cos_prev":
        out = np.full(hidden.shape[:2], np.nan)
        out[1:] = _cosine_rows(hidden[1:], hidden[:-1])
    elif metric == "cos_last":
        out = _cosine_rows(hidden, hidden[-1:])
    elif metric == "dims":
        size = hidden.shape[-1]
        start, end = dims if dims is not None else (0, size)
        if not 0 <= start < end <= size:
            raise ValueError(f"dimension range [{start}, {end}) is outside 0–{size}")
        out = hidden[..., start:end].mean(axis=-1, dtype=np.float64)
    else:
        raise ValueError(f"unknown metric '{metric}': choose one of {', '.join(HIDDEN_METRICS)}")
    return np.ascontiguousarray(out, dtype=np.float32)


def levels(values: np.ndarray) -> tuple[float, float]:
    """Colour levels from all the data: min and max of the finite values (outliers included).

    Not subsampled (hidden states have a few huge dimensions that sampling misses). A
    constant or empty array gets a unit-wide range around its value so a colour map works.
    """
    finite = values[np.isfinite(values)]
    if finite.size == 0:
        return 0.0, 1.0
    low, high = float(finite.min()), float(finite.max())
    if low == high:
        return low - 0.5, high + 0.5
    return low, high


def aggregate_heads(att: np.ndarray | Sequence[np.ndarray], how: str) -> np.ndarray:
    """(L, H, T, T), or L layers of (H, T, T) → (L, T, T): the mean or the max over heads,
    float32 C-contiguous."""
    if how not in ("mean", "max"):
        raise ValueError(f"unknown aggregation '{how}': choose mean or max")
    layers = list(att)
    if not layers or any(np.ndim(layer) != 3 for layer in layers):
        shapes = [np.shape(layer) for layer in layers]
        raise ValueError(f"attentions must be layers of (heads, tokens, tokens), not {shapes}")
    if how == "mean":
        out = [layer.mean(axis=0, dtype=np.float64) for layer in layers]
    else:
        out = [layer.max(axis=0) for layer in layers]
    return np.ascontiguousarray(np.stack(out), dtype=np.float32)


def mask_attention(
    att: np.ndarray, keep: np.ndarray, *, renormalize: bool = False, fill: float = 0.0
) -> np.ndarray:
    """Hide tokens from attention maps (…, T, T): rows and columns not in ``keep`` get ``fill``.

    With ``renormalize``, each kept row is rescaled to sum to 1 over the kept columns (what
    the attention would look like if the hidden tokens took no share). ``fill=np.nan`` draws
    hidden cells transparent. Returns a new float32 array.
    """
    keep = np.asarray(keep, dtype=bool)
    if keep.shape != att.shape[-1:] or att.shape[-1] != att.shape[-2]:
        raise ValueError(f"keep has {keep.shape} entries for attention maps of {att.shape}")
    out = np.array(att, dtype=np.float32, copy=True)
    if renormalize:
        kept = np.where(keep, out, 0.0)
        sums = kept.sum(axis=-1, keepdims=True)
        out = np.divide(kept, sums, out=np.zeros_like(kept), where=sums > 0).astype(np.float32)
    out[..., ~keep, :] = fill
    out[..., :, ~keep] = fill
    return out


def keep_tokens(output: ModelOutput, result: EncodingResult, *, hide_special: bool) -> np.ndarray:
    """(T,) bool over the tokens that were fed: False for special tokens when hiding them.

    Padding is never fed (see run_model), so it needs no mask here.
    """
    columns = result.overflow[output.window - 1] if output.window else result.columns
    special = np.asarray(columns.special, dtype=bool)[output.token_indices]
    return ~special if hide_special else np.ones(len(output.token_indices), dtype=bool)


def cosine(a: np.ndarray, b: np.ndarray) -> float:
    """Cosine similarity of two vectors (0 when either is all zeros, NaN if sizes differ)."""
    a, b = np.ravel(a).astype(np.float64), np.ravel(b).astype(np.float64)
    if a.shape != b.shape:
        return math.nan
    norms = float(np.linalg.norm(a) * np.linalg.norm(b))
    return float(a @ b / norms) if norms > 0 else 0.0


# --------------------------------------------------------------------------- embeddings


def sentence_embeddings(model: LoadedModel, texts: Sequence[str]) -> np.ndarray:
    """(N, D) float32: one embedding per text.

    A sentence-transformers folder (modules.json, as MiniLM) is encoded by
    sentence-transformers itself, with its own pooling and normalisation. Any other model:
    the mean of the last hidden state over all tokens of the text (its own tokenizer,
    special tokens included, truncated to the model's positions).
    """
    if not texts:
        return np.zeros((0, model.info.hidden_size), dtype=np.float32)
    if model.folder is not None and (model.folder / "modules.json").is_file():
        encoder = _sentence_transformer(model)
        with model.lock:
            vectors = encoder.encode(list(texts), convert_to_numpy=True, show_progress_bar=False)
        return np.ascontiguousarray(vectors, dtype=np.float32)
    return np.stack([_mean_pooled(model, text) for text in texts]).astype(np.float32)


def _sentence_transformer(model: LoadedModel) -> Any:
    if model._sentence_model is None:
        from sentence_transformers import SentenceTransformer

        model._sentence_model = SentenceTransformer(
            str(model.folder),
            device=model.info.device,
            local_files_only=True,
            trust_remote_code=False,
        )
    return model._sentence_model


def _mean_pooled(model: LoadedModel, text: str) -> np.ndarray:
    from inspector.core.encoding import encode
    from inspector.core.models import paired_tokenizer, run_model

    result = encode(paired_tokenizer(model), text, with_roundtrip=False)
    output = run_model(model, result, attentions=False, lens_top_k=0)
    last: np.ndarray = output.hidden_states[-1].mean(axis=0)
    return last


def token_contributions(output: ModelOutput, result: EncodingResult) -> np.ndarray:
    """(T,) float32: each fed token's share of the mean-pooled last hidden state; sums to 1.

    With p = mean_t h_t (the pooled vector, before any normalisation), token t's share is
    the length of its projection on p's direction, relative to |p|: (h_t · p) / (T · |p|²).
    Shares add up to 1; a negative share pulls the pooled vector away from where it points.
    Special tokens count, as in sentence-transformers' mean pooling. ``result`` is the
    encoding the output came from (kept for symmetry with the other panels' calls).
    """
    del result
    last = output.hidden_states[-1].astype(np.float64)
    pooled = last.mean(axis=0)
    squared = float(pooled @ pooled)
    if squared == 0.0 or len(last) == 0:
        return np.full(len(last), 1.0 / max(len(last), 1), dtype=np.float32)
    return ((last @ pooled) / (len(last) * squared)).astype(np.float32)


def static_vs_contextual(output: ModelOutput, token: int) -> tuple[np.ndarray, np.ndarray, float]:
    """(static, contextual, cosine) for a token, given by its index in the result's columns.

    static: the row of the model's input-embedding table for its id (no position, no
    context); contextual: its last hidden state. Raises ValueError for a token that was not
    fed (padding, or cut off by truncation).
    """
    where = np.flatnonzero(output.token_indices == token)
    if where.size == 0:
        raise ValueError(f"token {token} was not run through the model (padding or cut off)")
    position = int(where[0])
    static = (
        output.static_embeddings[position]
        if output.static_embeddings is not None
        else output.hidden_states[0][position]
    )
    contextual = output.hidden_states[-1][position]
    return static.copy(), contextual.copy(), cosine(static, contextual)


# --------------------------------------------------------------------------- reports


def _json_floats(values: np.ndarray, digits: int = 6) -> Any:
    """Nested lists of rounded floats; NaN and infinities become None (valid JSON)."""
    rounded = np.round(values.astype(np.float64), digits)
    as_objects = rounded.astype(object)
    as_objects[~np.isfinite(rounded)] = None
    return as_objects.tolist()


def sentence_section(model: LoadedModel, text: str, pair: str | None = None) -> dict[str, Any]:
    """The ``embeddings`` argument of :func:`model_section`: text (and pair) embeddings."""
    texts = [text] if pair is None else [text, pair]
    vectors = sentence_embeddings(model, texts)
    return {"text": vectors[0], "pair": vectors[1] if pair is not None else None}


def model_section(
    output: ModelOutput, *, attention: str = "mean", embeddings: dict[str, Any] | None = None
) -> dict[str, Any]:
    """The model section of a JSON report (only lists, numbers, strings and None).

    attention: "mean" (per layer, mean over heads: layers × T × T), "full" (every head:
    layers × heads × T × T) or "none". embeddings: {"text": vector, "pair": vector | None},
    e.g. from :func:`sentence_section`; the cosine of the two is added when both are given.
    """
    if attention not in ("mean", "full", "none"):
        raise ValueError(f"attention must be mean, full or none, not '{attention}'")
    info = output.info
    section: dict[str, Any] = {
        "model": info.name,
        "source": info.source,
        "architecture": info.architecture,
        "kind": info.kind,
        "device": info.device,
        "dtype": info.dtype,
        "layers": info.n_layers,
        "heads": info.n_heads,
        "hidden_size": info.hidden_size,
        "max_positions": info.max_positions,
        "vocab_size": info.vocab_size,
        "window": output.window,
        "tokens": len(output.token_indices),
        "token_indices": output.token_indices.tolist(),
        "notices": list(output.notices),
        "last_hidden_state_shape": list(output.last_hidden_state_shape),
        "pooler_output_shape": (
            list(output.pooler_output_shape) if output.pooler_output_shape is not None else None
        ),
        "hidden_state_l2": {
            "rows": "embeddings, then layer 1…L",
            "values": _json_floats(hidden_metric(output.hidden_states, "l2")),
        },
    }
    if attention != "none" and output.attentions is not None:
        if attention == "full":
            section["attention"] = {
                "heads": "all",
                "values": [_json_floats(layer) for layer in output.attentions],
            }
        else:
            mean = aggregate_heads(output.attentions, "mean")
            section["attention"] = {"heads": "mean", "values": _json_floats(mean)}
    if output.lens is not None:
        lens = output.lens
        section["lens"] = {
            "top_ids": lens.top_ids.tolist(),
            "top_tokens": [[list(p) for p in layer] for layer in lens.top_tokens],
            "top_probs": _json_floats(lens.top_probs),
            "actual_next_prob": _json_floats(lens.actual_next_prob),
        }
    if embeddings:
        text_vector = embeddings.get("text")
        pair_vector = embeddings.get("pair")
        block: dict[str, Any] = {}
        if text_vector is not None:
            block["text"] = _json_floats(np.asarray(text_vector))
        if pair_vector is not None:
            block["pair"] = _json_floats(np.asarray(pair_vector))
            if text_vector is not None:
                block["cosine"] = round(cosine(text_vector, pair_vector), 6)
        section["sentence_embedding"] = block
    return section


def model_report(
    model: LoadedModel,
    text: str,
    pair: str | None = None,
    *,
    settings: EncodeSettings | None = None,
    attention: str = "mean",
    catalog: Any = None,
    cancel: Any = None,
) -> dict[str, Any]:
    """What ``report --model`` adds, in one call: the text (and pair) encoded with the model's
    own tokenizer (``settings`` as the report's), run, embedded, and turned into
    :func:`model_section` plus the tokenizer name and the fed tokens' display strings.

    Raises the InspectorError subclasses of load/run (one plain line) or Cancelled.
    """
    from inspector.core.encoding import encode
    from inspector.core.models import paired_tokenizer, run_model

    tokenizer = paired_tokenizer(model, catalog)
    result = encode(tokenizer, text, settings, pair=pair, with_roundtrip=False)
    output = run_model(model, result, cancel=cancel, attentions=attention != "none")
    embeddings = sentence_section(model, text, pair)
    name = model.tokenizer_name
    return run_section(output, result, name, attention=attention, embeddings=embeddings)


def run_section(
    output: ModelOutput,
    result: EncodingResult,
    tokenizer_name: str,
    *,
    attention: str = "mean",
    embeddings: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The model section of a report for a run on ``result`` — the one builder of the CLI
    (``report --model``) and the GUI's export: :func:`model_section` plus the tokenizer the
    model read the text with and the display strings of the fed tokens."""
    section = model_section(output, attention=attention, embeddings=embeddings)
    section["tokenizer"] = tokenizer_name
    section["token_strings"] = [result.token(int(i)).display for i in output.token_indices]
    return section
