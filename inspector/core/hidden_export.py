"""Export a model run's hidden states whole: last_hidden_state or every layer, .npy or .safetensors.

Shapes are transformers' own, batch of one included, so a learner's code reads the file the
way it reads ``outputs``:

- ``last_hidden_state``: (1, tokens, hidden) — ``outputs.last_hidden_state``
- every hidden state: (layers + 1, 1, tokens, hidden) — ``torch.stack(outputs.hidden_states)``,
  embeddings first.

A ``.npy`` file holds that one array. A ``.safetensors`` file holds named tensors —
``last_hidden_state``, ``hidden_states.0`` (embeddings) … ``hidden_states.L`` (with
``which="all"``), ``input_ids`` (1, tokens) and ``pooler_output`` (1, hidden) when the run
has it — and metadata (model, layer count, the tokens as JSON). Written atomically.
"""

from __future__ import annotations

import io
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Literal

import numpy as np

from inspector.core.errors import InputError
from inspector.core.models import ModelOutput
from inspector.core.report import write_atomic

Which = Literal["last", "all"]
FORMATS: tuple[str, ...] = (".npy", ".safetensors")


def pooler_output(output: ModelOutput) -> np.ndarray | None:
    """The pooler's vector (hidden,) when the run kept it; None for models without a pooler.

    ``ModelOutput`` keeps only its shape today (``pooler_output_shape``); the values come
    with a ``pooler_output`` field (see the issue-15 report).
    """
    values = getattr(output, "pooler_output", None)
    return None if values is None else np.asarray(values, dtype=np.float32).reshape(-1)


def last_hidden_state(output: ModelOutput) -> np.ndarray:
    """(1, tokens, hidden), float32: the last layer, as ``outputs.last_hidden_state``."""
    return np.ascontiguousarray(output.hidden_states[-1][np.newaxis], dtype=np.float32)


def all_hidden_states(output: ModelOutput) -> np.ndarray:
    """(layers + 1, 1, tokens, hidden), float32: ``torch.stack(outputs.hidden_states)``."""
    return np.ascontiguousarray(output.hidden_states[:, np.newaxis], dtype=np.float32)


def hidden_state_tensors(output: ModelOutput, which: Which = "all") -> dict[str, np.ndarray]:
    """The named tensors of a .safetensors export."""
    tensors: dict[str, np.ndarray] = {
        "last_hidden_state": last_hidden_state(output),
        "input_ids": np.ascontiguousarray(output.input_ids[np.newaxis], dtype=np.int64),
    }
    if which == "all":
        for layer in range(output.hidden_states.shape[0]):
            tensors[f"hidden_states.{layer}"] = np.ascontiguousarray(
                output.hidden_states[layer][np.newaxis], dtype=np.float32
            )
    pooled = pooler_output(output)
    if pooled is not None:
        tensors["pooler_output"] = pooled[np.newaxis]
    return tensors


def _metadata(output: ModelOutput, tokens: Sequence[str] | None) -> dict[str, str]:
    info = output.info
    meta = {
        "format": "token-inspector hidden states",
        "model": info.name,
        "architecture": info.architecture,
        "layers": str(info.n_layers),
        "hidden_size": str(info.hidden_size),
        "hidden_states.0": "embeddings output; hidden_states.i: output of layer i",
        "window": str(output.window),
    }
    if tokens is not None:
        meta["tokens"] = json.dumps(list(tokens), ensure_ascii=False)
    return meta


def export_hidden_states(
    output: ModelOutput,
    path: Path,
    *,
    which: Which = "all",
    tokens: Sequence[str] | None = None,
) -> Path:
    """Write ``last_hidden_state`` (``which="last"``) or every hidden state to ``path``.

    The format follows the suffix (.npy or .safetensors); anything else is a plain
    :class:`InputError`. ``tokens`` (the fed tokens' strings) go into safetensors metadata.
    """
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise InputError(f"{path.name}: hidden states export as .npy or .safetensors")
    if which not in ("last", "all"):
        raise InputError(f"unknown choice '{which}': last or all")
    if tokens is not None and len(tokens) != output.hidden_states.shape[1]:
        raise InputError("the token strings do not match the run's tokens")
    if suffix == ".npy":
        array = last_hidden_state(output) if which == "last" else all_hidden_states(output)
        buffer = io.BytesIO()
        np.save(buffer, array, allow_pickle=False)
        write_atomic(path, buffer.getvalue())
        return path
    from safetensors.numpy import save

    write_atomic(path, save(hidden_state_tensors(output, which), _metadata(output, tokens)))
    return path
