"""Token strip: first paint of a 200k-token result, and one scroll step.

Run offscreen::

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/bench_strip.py [--tokens 200000]

Prints milliseconds and the target (first paint ≤ 200 ms), plus a baseline: QFontMetrics
measuring as many strings as there are tokens, which is what a naive strip would do before
it could draw anything.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import string
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("HF_HUB_OFFLINE", "1")

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

TARGET_FIRST_PAINT_MS = 200.0
RATIO = 1.71  # characters per gpt2 token in generated_text


def generated_text(approx_chars: int, seed: int = 0) -> str:
    """Prose-like text with many distinct words, code, numbers, CJK and emoji."""
    rng = random.Random(seed)
    syllables = "ka to ren mi sha lo ver qu in tion al ex pre de ing ly ment or un str ph ea ou th"
    words = ["".join(rng.choices(syllables.split(), k=rng.randint(1, 4))) for _ in range(6000)]
    # Random letters too, so that the text has thousands of distinct tokens, like real prose.
    words += ["".join(rng.choices(string.ascii_letters, k=rng.randint(2, 9))) for _ in range(20000)]
    extras = ["鸟语花香", "東京", "naïve", "café", "Straße", "🎶", "😀", "2048", "3.14159", "x_1"]
    parts: list[str] = []
    size = 0
    while size < approx_chars:
        line_words = [
            rng.choice(extras) if rng.random() < 0.04 else rng.choice(words)
            for _ in range(rng.randint(4, 18))
        ]
        if rng.random() < 0.3:
            line_words[0] = line_words[0].capitalize()
        line = " ".join(line_words) + rng.choice([".", ",", ";", ":", "", "()"])
        if rng.random() < 0.1:
            line = "\t" + line
        parts.append(line)
        size += len(line) + 1
    return "\n".join(parts)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tokens", type=int, default=200_000, help="about this many tokens")
    parser.add_argument("--tokenizer", default="gpt2")
    parser.add_argument("--steps", type=int, default=50, help="scroll steps to time")
    args = parser.parse_args()

    import numpy as np
    from PySide6.QtCore import QEventLoop
    from PySide6.QtGui import QFontMetrics
    from PySide6.QtWidgets import QApplication

    from inspector.core.catalog import Catalog
    from inspector.core.encoding import encode
    from inspector.gui.widgets.token_strip import TokenStrip

    app = QApplication.instance() or QApplication(sys.argv[:1])
    tokenizer = Catalog().load(args.tokenizer)
    text = generated_text(int(args.tokens * RATIO))
    started = time.perf_counter()
    result = encode(tokenizer, text, with_roundtrip=False)
    encode_s = time.perf_counter() - started
    print(
        f"text: {len(text):,} chars → {len(result):,} tokens ({args.tokenizer}), "
        f"encode {encode_s * 1000:.0f} ms (core, not part of the strip)"
    )

    def first_paint(strip: TokenStrip) -> tuple[float, float, float]:
        """set_result, then a synchronous paint: (set_result ms, total ms, total CPU ms).
        Above SYNC_TOKENS the chips are laid out on a worker: set_result is the GUI thread's
        part, the total waits for them to land."""
        wall, cpu = time.perf_counter(), time.process_time()
        strip.set_result(result)
        middle = time.perf_counter()
        while strip.is_laying_out():
            app.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents)
        strip.viewport().repaint()
        done_wall, done_cpu = time.perf_counter(), time.process_time()
        return (middle - wall) * 1000, (done_wall - wall) * 1000, (done_cpu - cpu) * 1000

    def new_strip() -> TokenStrip:
        strip = TokenStrip()
        strip.resize(1200, 800)
        strip.show()
        app.processEvents()
        return strip

    # Cold: a new strip has measured nothing (first result of a tokenizer).
    cold = []
    for _ in range(3):
        fresh = new_strip()
        cold.append(first_paint(fresh))
        fresh.close()
        fresh.deleteLater()
        app.processEvents()
    # Warm: widths cached (the next keystroke with the same tokenizer).
    strip = new_strip()
    first_paint(strip)
    warm = []
    for _ in range(5):
        strip.set_result(None)
        app.processEvents()
        warm.append(first_paint(strip))
    cold_set, cold_total, cold_cpu = (statistics.median(c[k] for c in cold) for k in range(3))
    warm_set, warm_total, warm_cpu = (statistics.median(w[k] for w in warm) for k in range(3))
    lines = strip.line_count()
    distinct = len(np.unique(result.columns.ids))

    bar = strip.verticalScrollBar()
    bar.setValue(bar.maximum() // 2)
    app.processEvents()
    step_ms: list[float] = []
    page_ms: list[float] = []
    full_ms: list[float] = []
    for _ in range(args.steps):
        t0 = time.perf_counter()
        bar.setValue(bar.value() + bar.singleStep())
        app.processEvents()
        step_ms.append((time.perf_counter() - t0) * 1000)
    for _ in range(args.steps):
        t0 = time.perf_counter()
        bar.setValue(bar.value() + bar.pageStep())
        app.processEvents()
        page_ms.append((time.perf_counter() - t0) * 1000)
    for _ in range(args.steps):
        t0 = time.perf_counter()
        strip.viewport().repaint()
        full_ms.append((time.perf_counter() - t0) * 1000)
    bar.setValue(bar.maximum())
    app.processEvents()
    end_index = strip.index_at(strip.chip_rect(len(result) - 1).center())

    # Baseline: what measuring every token's string costs (a non-virtualized, uncached strip).
    cols = result.columns
    strings = [cols.tokens[i] for i in range(len(cols))]
    metrics = QFontMetrics(strip.font())
    t0 = time.perf_counter()
    for s in strings:
        metrics.horizontalAdvance(s)
    baseline_ms = (time.perf_counter() - t0) * 1000

    def p95(values: list[float]) -> float:
        return sorted(values)[int(0.95 * (len(values) - 1))]

    verdict = "OK" if cold_total <= TARGET_FIRST_PAINT_MS else "OVER"
    load = os.getloadavg()[0]
    print(f"viewport 1200×800, {lines:,} lines, content {strip.content_height():,} px")
    print(f"{distinct:,} distinct ids; machine load average {load:.1f} on {os.cpu_count()} CPUs")
    print(
        f"first paint, cold width cache : {cold_total:7.1f} ms wall, {cold_cpu:7.1f} ms CPU "
        f"(set_result {cold_set:.1f} + paint {cold_total - cold_set:.1f})"
        f"   target ≤ {TARGET_FIRST_PAINT_MS:.0f} ms  [{verdict}]"
    )
    print(
        f"first paint, warm width cache : {warm_total:7.1f} ms wall, {warm_cpu:7.1f} ms CPU "
        f"(set_result {warm_set:.1f} + paint {warm_total - warm_set:.1f})"
    )
    print(f"scroll one line   p50 {statistics.median(step_ms):6.2f} ms  p95 {p95(step_ms):6.2f} ms")
    print(f"scroll one page   p50 {statistics.median(page_ms):6.2f} ms  p95 {p95(page_ms):6.2f} ms")
    print(f"full viewport repaint p50 {statistics.median(full_ms):6.2f} ms")
    ratio = cold_total / baseline_ms
    print(
        f"baseline: QFontMetrics.horizontalAdvance × {len(strings):,} strings = "
        f"{baseline_ms:.1f} ms → first paint (cold) / baseline = {ratio:.2f}"
    )
    print(f"scrolled to the end: last chip hit-tests as {end_index} (expected {len(result) - 1})")
    strip.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
