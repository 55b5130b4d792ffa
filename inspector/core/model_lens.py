"""Logit lens: each layer's hidden state read through the final norm and the LM head.

Split from ``models`` (which calls :func:`logit_lens` during a causal model's forward).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from inspector.core.encoding import EncodingResult
from inspector.core.errors import Cancelled

if TYPE_CHECKING:
    from inspector.core.models import LoadedModel

CancelCheck = Callable[[], bool]


@dataclass(frozen=True)
class LensOutput:
    """Logit lens: each layer's hidden state read through the final norm and the LM head."""

    top_ids: np.ndarray  # int64 (L+1, T, k)
    top_probs: np.ndarray  # float32 (L+1, T, k)
    top_tokens: tuple[tuple[tuple[str, ...], ...], ...]  # display strings, [layer][pos][k]
    actual_next_prob: np.ndarray  # float32 (L+1, T): p(token t+1) read at t; NaN at the end


def _final_norm(module: Any) -> Any:
    from torch import nn

    base = getattr(module, "base_model", module)
    for name in ("norm", "ln_f", "final_layer_norm", "final_layernorm", "norm_f"):
        candidate = getattr(base, name, None)
        if isinstance(candidate, nn.Module):
            return candidate
    return None


def logit_lens(
    model: LoadedModel,
    hidden_states: Sequence[Any],
    input_ids: Any,
    k: int,
    cancel: CancelCheck | None,
    result: EncodingResult,
) -> LensOutput:
    """Each layer's state through the final norm and the LM head (the last one is normed).

    transformers returns the last hidden state after the final norm, so only the states
    before it go through the norm here; the last layer's lens equals the model's logits.
    """
    import torch

    head = model.module.get_output_embeddings()
    norm = _final_norm(model.module)
    count = len(hidden_states)
    positions = int(input_ids.shape[0])
    k = min(k, int(head.weight.shape[0]))
    top_ids = np.empty((count, positions, k), dtype=np.int64)
    top_probs = np.empty((count, positions, k), dtype=np.float32)
    actual = np.full((count, positions), np.nan, dtype=np.float32)
    following = input_ids[1:]
    for layer, state in enumerate(hidden_states):
        if cancel is not None and cancel():
            raise Cancelled
        h = state[0]
        if layer < count - 1 and norm is not None:
            h = norm(h)
        logits = head(h).float()
        # log-sum-exp instead of a full softmax: only k + 1 probabilities per position are kept
        normalizer = torch.logsumexp(logits, dim=-1)
        values, ids = torch.topk(logits, k, dim=-1)
        top_ids[layer] = ids.cpu().numpy()
        top_probs[layer] = torch.exp(values - normalizer[:, None]).cpu().numpy()
        if positions > 1:
            picked = logits[torch.arange(positions - 1, device=logits.device), following]
            actual[layer, :-1] = torch.exp(picked - normalizer[:-1]).cpu().numpy()
    return LensOutput(top_ids, top_probs, _lens_strings(top_ids, result), actual)


def _lens_strings(
    top_ids: np.ndarray, result: EncodingResult
) -> tuple[tuple[tuple[str, ...], ...], ...]:
    from inspector.core.display import display_token

    source = result._source
    algorithm = result.tokenizer.algorithm
    specials = {
        t.id
        for t in (*result.tokenizer.special_tokens, *result.tokenizer.added_tokens)
        if t.special
    }
    shown: dict[int, str] = {}

    def show(token_id: int) -> str:
        if token_id not in shown:
            token = source.id_to_token(token_id)
            if token is None:
                shown[token_id] = f"[{token_id}]"
            else:
                special = token_id in specials
                raw = None if special else source.token_bytes(token_id)
                shown[token_id] = display_token(token, raw, special, algorithm)
        return shown[token_id]

    return tuple(
        tuple(tuple(show(int(i)) for i in position) for position in layer) for layer in top_ids
    )
