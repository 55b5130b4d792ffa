"""Model forward through the core against a plain transformers forward, measured in one run.

On all-MiniLM-L6-v2 (the offline default) and a text of exactly ``--tokens`` tokens (512, its
limit), this times in the same process, interleaved round by round, best of N:

* raw  — ``AutoModel(..., attn_implementation="eager")`` called with
  ``output_hidden_states=True, output_attentions=True`` under ``torch.inference_mode``;
* raw+numpy — the same, then hidden states and attentions stacked into float32 numpy
  (printed for reference; the core hands attentions on per layer, unstacked);
* core — ``run_model(model, result, cancel=…, progress=…)``, the call the model service makes
  on its worker: pairing check, memory estimate, per-layer cancel and progress hooks, forward,
  hidden states stacked, CPU float32 numpy, static embeddings.

Target: core/raw ≤ 1.15 (see bench/README.md).

    HF_HUB_OFFLINE=1 .venv/bin/python bench/bench_model.py [--tokens N] [--rounds N] [--check]

Exits 0 (it is a report) unless ``--check`` is given and core/raw is over target.
"""

from __future__ import annotations

import argparse
import gc
import math
import os
import platform
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from inspector.core.encoding import encode
from inspector.core.models import DEFAULT_MODEL, load_model, paired_tokenizer, run_model
from inspector.core.settings import EncodeSettings

TARGET = 1.15  # core / raw
SAMPLES = Path(__file__).resolve().parent.parent / "resources" / "samples"


def best_of(calls: dict[str, Callable[[], object]], rounds: int) -> dict[str, float]:
    """Best wall time of each call over ``rounds``, calls interleaved within a round."""
    best = {name: math.inf for name in calls}
    for _ in range(rounds):
        for name, call in calls.items():
            gc.collect()
            start = time.perf_counter()
            call()
            best[name] = min(best[name], time.perf_counter() - start)
    return best


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tokens", type=int, default=512, help="tokens fed (default 512)")
    parser.add_argument("--rounds", type=int, default=7, help="rounds, best kept (default 7)")
    parser.add_argument("--check", action="store_true", help="exit 1 when over target")
    args = parser.parse_args(argv)

    import torch
    from transformers import AutoModel

    print(f"loading {DEFAULT_MODEL}…", file=sys.stderr)
    model = load_model(DEFAULT_MODEL, device="cpu")
    tokenizer = paired_tokenizer(model)
    text = (SAMPLES / "mixed.txt").read_text("utf-8")
    while len(encode(tokenizer, text, with_roundtrip=False)) < args.tokens:
        text += " " + text
    settings = EncodeSettings(truncation="longest_first", max_length=args.tokens)
    result = encode(tokenizer, text, settings, with_roundtrip=False)
    assert len(result) == args.tokens, len(result)

    raw_model = AutoModel.from_pretrained(str(model.folder), attn_implementation="eager").eval()
    ids = torch.tensor(result.columns.ids, dtype=torch.long)[None]
    inputs = {
        "input_ids": ids,
        "attention_mask": torch.ones_like(ids),
        "token_type_ids": torch.tensor(result.columns.type_ids, dtype=torch.long)[None],
    }

    def raw() -> object:
        with torch.inference_mode():
            return raw_model(**inputs, output_hidden_states=True, output_attentions=True)

    def raw_numpy() -> object:
        out = raw()
        hidden = torch.stack([h[0] for h in out.hidden_states]).float().numpy()  # type: ignore[attr-defined]
        attentions = torch.stack([a[0] for a in out.attentions]).float().numpy()  # type: ignore[attr-defined]
        return np.ascontiguousarray(hidden), np.ascontiguousarray(attentions)

    def core() -> object:  # with a cancel check and progress per layer, as the model service
        return run_model(model, result, cancel=lambda: False, progress=lambda _i, _n: None)

    # Same numbers first: a fast wrong answer is not a result.
    ours = run_model(model, result)
    theirs_hidden, theirs_attentions = raw_numpy()  # type: ignore[misc]
    np.testing.assert_allclose(ours.hidden_states, theirs_hidden, atol=1e-5)
    np.testing.assert_allclose(ours.attentions, theirs_attentions, atol=1e-5)  # type: ignore[arg-type]

    print(
        f"{platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, "
        f"torch {torch.__version__} ({torch.get_num_threads()} threads); "
        f"{DEFAULT_MODEL}, {args.tokens} tokens, best of {args.rounds}",
    )
    best = best_of({"raw": raw, "raw+numpy": raw_numpy, "core": core}, args.rounds)
    ratio = best["core"] / best["raw"]
    for name, seconds in best.items():
        print(f"  {name:<10} {seconds * 1000:8.1f} ms   ×{seconds / best['raw']:.3f}")
    verdict = "ok" if ratio <= TARGET else "OVER TARGET"
    print(f"core/raw = {ratio:.3f} (target ≤ {TARGET}) {verdict}")
    return 1 if args.check and ratio > TARGET else 0


if __name__ == "__main__":
    sys.exit(main())
