"""Switching the window between catalog tokenizers (issue 11 §4): the longest GUI-thread stall
(1 ms heartbeat, as in ``bench_freeze.py``) and the GUI-thread time of ``tokenizer_changed``,
slot by slot (the tokenizer panel refills its facts and special/added table, the bar, …).

Run offscreen:

    QT_QPA_PLATFORM=offscreen HF_HUB_OFFLINE=1 .venv/bin/python bench/bench_tokenizer_change.py
    ... bench_tokenizer_change.py --against /tmp/main-tree   # main's figures beside (its tree)
    ... bench_tokenizer_change.py --only gpt2,mistral-v3 --rounds 5
    ... bench_tokenizer_change.py --stacks   # + where the threads were while the beat was late
    ... bench_tokenizer_change.py --lookup " the"   # with a query typed in the lookup box

Round 1 loads each tokenizer (a first switch, as a user meets it); later rounds switch to
tokenizers already in the catalog, where the stall is the change itself (the panels' slots,
their layout and paint, the encode of the window's text). The tokenizer dock is raised, so
its paint counts too. Per slot: each receiver of ``tokenizer_changed`` called directly with
each tokenizer, the median over ``--repeat`` calls, then the whole ``emit``.

Target: ≤ 16 ms stall (one frame). A report, not a gate: exits 0 whatever it measures.
``--against DIR`` runs this same file again with ``PYTHONPATH=DIR`` (another checkout, e.g.
``git archive main | tar -x -C DIR``) and prints its lines after these, marked.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKEN_INSPECTOR_CONFIG", tempfile.mkdtemp(prefix="ti-bench-"))

# Child processes (the encode process, the tiktoken host) run this file as __mp_main__: only
# the bench itself imports the GUI (see bench_freeze.py).
if __name__ == "__main__":
    from PySide6.QtCore import SIGNAL, QCoreApplication

    from inspector.core.tokenizer import LoadedTokenizer
    from inspector.gui.app import application, freeze_start_up_objects
    from inspector.gui.main_window import MainWindow

    sys.path.insert(0, os.path.dirname(__file__))
    import bench_freeze
    from bench_freeze import StallSampler, watch

NAMES = ("gpt2", "o200k_base", "minilm", "smollm2", "mistral-v3")
TEXT = "Hello world, the tokenizer changed: 自然语言 and <s> tokens."


def switch(window: MainWindow, name: str) -> str:
    """Switch the window to ``name``; the heartbeat's line until its result is shown."""
    state = window.state
    entry = state.catalog.entry(name)
    wanted = entry.id if entry is not None else name
    before = window.result  # the same text: the new tokenizer's result is a new one
    return watch(
        lambda: state.load_tokenizer(name),
        lambda: state.tokenizer_name == wanted and window.result is not before,
    )


def slot_times(window: MainWindow, toks: dict[str, LoadedTokenizer], repeat: int) -> list[str]:
    """Median GUI-thread ms of each ``tokenizer_changed`` receiver, per tokenizer."""
    state = window.state
    slots: dict[str, Callable[[LoadedTokenizer], object]] = {
        "tokenizer panel": window.tokenizer_panel.set_tokenizer,
        "tokenizer bar": window.bar._on_tokenizer_changed,
        "window title": window._on_tokenizer_changed,
        "chat dock": window.chat._follow,
        "error banner": lambda _tok: window.banner.hide(),
        "the whole emit": state.tokenizer_changed.emit,
    }
    receivers = state.receivers(SIGNAL("tokenizer_changed(PyObject)"))
    lines = [f"  tokenizer_changed has {receivers} receivers; timed: {len(slots) - 1}"]
    names = list(toks)
    for name in names:
        previous = toks[names[names.index(name) - 1]]  # each call is a change of tokenizer
        cells = []
        for label, slot in slots.items():
            samples = []
            for _ in range(repeat):
                slot(previous)
                QCoreApplication.processEvents()
                start = time.perf_counter()
                slot(toks[name])
                samples.append((time.perf_counter() - start) * 1000)
                QCoreApplication.processEvents()
            cells.append(f"{label} {statistics.median(samples):.2f}")
        lines.append(f"  → {name:<12} ms: " + ", ".join(cells))
    state.tokenizer_changed.emit(state.tokenizer)  # the panels show the state's again
    return lines


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--only", action="append", default=[], help="catalog ids or aliases")
    parser.add_argument("--rounds", type=int, default=3, help="switches through the list")
    parser.add_argument("--repeat", type=int, default=5, help="calls per slot (median)")
    parser.add_argument("--against", default="", help="another checkout: its figures after")
    parser.add_argument("--lookup", default="", help="a query typed in the vocabulary lookup")
    parser.add_argument(
        "--stacks", action="store_true", help="sample the threads' stacks while the beat is late"
    )
    args = parser.parse_args()
    if args.stacks:
        bench_freeze.SAMPLER = StallSampler()
        bench_freeze.SAMPLER.start()
    names = [n for n in ",".join(args.only).split(",") if n] or list(NAMES)
    application()
    window = MainWindow(tokenizer=names[-1], text=TEXT)
    window.resize(1400, 900)
    window.show()
    window.docks["tokenizer"].raise_()  # its paint is part of the change
    window.tokenizer_panel.lookup_edit.setText(args.lookup)  # looked up again on each change
    watch(lambda: None, lambda: window.result is not None)
    freeze_start_up_objects()  # as run_gui does after the first result
    worst: list[int] = []
    for round_number in range(1, args.rounds + 1):
        for name in names:
            line = switch(window, name)
            worst.append(int(line.split("longest stall ")[1].split(" ms")[0]))
            kind = "first load" if round_number == 1 else "loaded"
            print(f"round {round_number} → {name} ({kind}): {line}", flush=True)
    later = worst[len(names) :]
    if later:
        print(f"switches after round 1: longest stall median {statistics.median(later)} ms, "
              f"max {max(later)} ms over {len(later)} switches")  # fmt: skip
    toks = {name: window.state.catalog.load(name) for name in names}
    print(f"slots (GUI-thread ms, median of {args.repeat}):")
    for line in slot_times(window, toks, args.repeat):
        print(line, flush=True)
    window.close()
    if args.against:
        own, skip = [], False
        for arg in sys.argv[1:]:  # this run's arguments but --against
            if not skip and not arg.startswith("--against"):
                own.append(arg)
            skip = arg == "--against"
        env = {**os.environ, "PYTHONPATH": args.against}
        print(f"\n--- the same with PYTHONPATH={args.against} ---", flush=True)
        subprocess.run([sys.executable, __file__, *own], env=env, check=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
