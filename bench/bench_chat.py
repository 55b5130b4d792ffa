"""Chat templates: ``apply_chat`` against transformers' own ``apply_chat_template``.

    HF_HUB_OFFLINE=1 .venv/bin/python bench/bench_chat.py [--messages 200] [--check]

A conversation of ``--messages`` turns (the sample's three messages repeated, Chinese, emoji,
tabs, runs of spaces), at 1×, 2× and 4× that many, under SmolLM2's own template. Timed in
one process, side by side:

- raw: ``apply_chat_template(messages, tokenize=True, add_generation_prompt=True)`` on
  transformers' tokenizer read from the GGUF file (what a user of the library calls);
- core: ``inspector.core.chat.apply_chat`` (renders, checks the ids against that same call,
  encodes with spans and byte groups, finds each message's content, attributes every token).

core does the raw call itself (the check) plus a second render and its own encoding, so the
target is core/raw ≤ 4×, and the ratio must not grow with the size (linear: 4× the messages,
about 4× the time on both sides).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time

os.environ.setdefault("HF_HUB_OFFLINE", "1")

TARGET = 4.0


def best(call: object, rounds: int) -> float:
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        call()  # type: ignore[operator]
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--check", action="store_true", help="exit 1 when over the target")
    args = parser.parse_args()

    from transformers import AutoTokenizer

    from inspector.core.catalog import Catalog
    from inspector.core.chat import apply_chat, conversation_from_value
    from inspector.core.smollm import gguf_path
    from inspector.core.sources import resources_dir

    sample = json.loads((resources_dir() / "samples" / "chat.json").read_text("utf-8"))
    path = gguf_path()
    print("reading SmolLM2's tokenizer from the GGUF file…", file=sys.stderr)
    raw = AutoTokenizer.from_pretrained(str(path.parent), gguf_file=path.name)
    tok = Catalog().load("smollm2")
    over = False
    ratios = []
    print(f"{'messages':>9} {'tokens':>8} {'raw s':>8} {'core s':>8} {'core/raw':>9}")
    for scale in (1, 2, 4):
        count = args.messages * scale
        messages = [dict(sample[i % len(sample)]) for i in range(count)]
        conversation = conversation_from_value(messages)

        def raw_call(messages: list[dict[str, str]] = messages) -> object:
            return raw.apply_chat_template(messages, tokenize=True, add_generation_prompt=True)

        def core_call(conversation: object = conversation) -> object:
            return apply_chat(tok, conversation, add_generation_prompt=True)  # type: ignore[arg-type]

        raw_call(), core_call()  # warm-up
        raw_s = best(raw_call, args.rounds)
        core_s = best(core_call, args.rounds)
        tokens = len(raw_call()["input_ids"])  # type: ignore[index]
        ratio = core_s / raw_s
        ratios.append(ratio)
        over |= ratio > TARGET
        print(f"{count:>9} {tokens:>8} {raw_s:>8.4f} {core_s:>8.4f} {ratio:>8.2f}×")
    spread = max(ratios) / min(ratios)
    print(f"target core/raw ≤ {TARGET}× at every size; ratio spread 1×→4×: {spread:.2f} "
          f"(median {statistics.median(ratios):.2f}×)")  # fmt: skip
    return 1 if args.check and over else 0


if __name__ == "__main__":
    raise SystemExit(main())
