"""How much memory a model run needs: the arithmetic behind ``models.estimate_memory``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from inspector.core.models import ModelInfo


@dataclass(frozen=True)
class MemoryEstimate:
    needed_bytes: int
    available_bytes: int | None  # None: the device cannot tell
    fits: bool
    advice: str | None  # plain words when it does not fit: what would


_BYTES = {"float32": 4, "bfloat16": 2, "float16": 2}


def needed_bytes(info: ModelInfo, n_tokens: int, attentions: bool, dtype: str) -> int:
    t, e = n_tokens, _BYTES.get(dtype, 4)
    layers, heads, hidden = max(info.n_layers, 1), max(info.n_heads, 1), max(info.hidden_size, 1)
    kept = (layers + 1) * t * hidden * e  # hidden states returned
    if attentions:
        kept += layers * heads * t * t * e  # attention maps returned
    working = 3 * heads * t * t * e + 8 * t * hidden * e  # one layer's scores, softmax, MLP
    if info.kind == "causal":
        working += t * info.vocab_size * (e + 3 * 4)  # logits, and the lens in float32
    if info.device == "cpu":  # the float32 numpy copies share the same memory
        kept += (layers + 1) * t * hidden * 4 + (layers * heads * t * t * 4 if attentions else 0)
    return int(kept + working)


def tokens_that_fit(info: ModelInfo, attentions: bool, budget: int) -> int:
    low, high = 0, 1
    while needed_bytes(info, high, attentions, info.dtype) <= budget and high < 1 << 24:
        high *= 2
    while low < high - 1:
        middle = (low + high) // 2
        if needed_bytes(info, middle, attentions, info.dtype) <= budget:
            low = middle
        else:
            high = middle
    return low


def device_words(device: str) -> str:
    return {"cpu": "CPU", "cuda": "GPU", "mps": "Apple GPU"}.get(device, device)


def size_words(n: int) -> str:
    value = float(n)
    for unit in ("B", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{value:.0f} {unit}" if unit in ("B", "KB") else f"{value:.1f} {unit}"
        value /= 1024
    return f"{value:.1f} TB"
