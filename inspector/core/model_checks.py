"""Is a loaded model what it claims? Missing checkpoint weights, said in one plain line.

transformers fills weights a checkpoint lacks with random numbers and prints a colour-coded
table about it; here such a model is refused unless the missing weights are not shown.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import Any

from inspector.core.errors import ModelLoadError

# Weights that may be missing without changing what is shown, with their names in words:
# the pooler (only its output shape is reported), buffers rebuilt from the config.
HARMLESS_MISSING: dict[str, re.Pattern[str]] = {
    "the pooler": re.compile(r"(^|\.)pooler\."),
    "position ids": re.compile(r"(^|\.)position_ids$"),
    "rotary frequencies": re.compile(r"(^|\.)inv_freq$"),
    "the causal mask": re.compile(r"(^|\.)attn\.(masked_)?bias$"),
}


def _harmless(key: str) -> str | None:
    return next((name for name, rule in HARMLESS_MISSING.items() if rule.search(key)), None)


def missing_weights_notices(module: Any, missing: set[str], folder: Path) -> tuple[str, ...]:
    """Refuse (ModelLoadError) when weights that are shown are missing; the plain notices
    for harmless ones. An LM head tied to the embeddings is not missing (transformers ties
    it and does not list it)."""
    if not missing:
        return ()
    harmful = sorted(key for key in missing if _harmless(key) is None)
    if harmful:
        total = len(module.state_dict())
        raise ModelLoadError(
            f"{folder.name}: {len(harmful)} of the model's {total} weights are missing from its "
            f"checkpoint (for example {harmful[0]}); they would be random numbers, so what is "
            "shown would not be this model. Use a complete checkpoint"
        )
    names = sorted({str(_harmless(key)) for key in missing})
    return (
        f"the checkpoint has no weights for {' and '.join(names)} ({len(missing)} tensors): "
        "not used for what is shown",
    )


class _DropLoadReport(logging.Filter):
    """transformers logs a colour-coded LOAD REPORT table; the check above says it plainly."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "LOAD REPORT" not in str(record.msg)


_REPORT_FILTER = _DropLoadReport()


def quiet_load_report() -> None:
    for name in ("transformers.modeling_utils", "transformers.utils.loading_report"):
        target = logging.getLogger(name)
        if _REPORT_FILTER not in target.filters:
            target.addFilter(_REPORT_FILTER)
