"""The longest GUI-thread stall (issue 11 §4) while (a) a tokenizer loads, (b) a long line is
shown, (c) a comparison runs on 1 MB, (d) a 5 MB result is tokenized and presented.

A heartbeat QTimer (1 ms) runs on the GUI thread; the largest gap between two beats is the
longest time the window could not answer. Run offscreen:

    QT_QPA_PLATFORM=offscreen HF_HUB_OFFLINE=1 .venv/bin/python bench/bench_freeze.py
    ... bench_freeze.py --only b --only a      # some of the cases

Target: ≤ 16 ms in every case (one frame). Each line prints the figure beside the target and
the three worst gaps (where in the run they fell) for the reader to place them.
"""

from __future__ import annotations

import argparse
import itertools
import os
import sys
import tempfile
from collections.abc import Callable

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKEN_INSPECTOR_CONFIG", tempfile.mkdtemp(prefix="ti-bench-"))

from PySide6.QtCore import QElapsedTimer, QEventLoop, QTimer

from inspector.core.catalog import Catalog
from inspector.core.tiktoken_fast import TiktokenTokenizer
from inspector.gui.app import application
from inspector.gui.main_window import MainWindow
from inspector.gui.widgets.comparison_view import ComparisonPanel

sys.path.insert(0, os.path.dirname(__file__))
from bench_gui import text_of

TARGET_MS = 16


def watch(start: Callable[[], None], until: Callable[[], bool], limit_ms: int = 300_000) -> str:
    """Beat every 1 ms; call ``start`` from the event loop; run until ``until()`` holds (then
    200 ms more for paints and deferred work). Returns a line: longest gap and the worst three."""
    beats: list[int] = []
    clock = QElapsedTimer()
    heart = QTimer()
    heart.setInterval(1)
    loop = QEventLoop()
    done_at: dict[str, int] = {}

    def beat() -> None:
        now = clock.elapsed()
        beats.append(now)
        if "at" not in done_at and until():
            done_at["at"] = now
        if ("at" in done_at and now - done_at["at"] > 200) or now > limit_ms:
            loop.quit()

    heart.timeout.connect(beat)
    clock.start()
    heart.start()
    QTimer.singleShot(5, start)
    loop.exec()
    heart.stop()
    gaps = sorted(((b - a, a) for a, b in itertools.pairwise(beats)), reverse=True)
    worst = gaps[0][0] if gaps else 0
    mark = "met" if worst <= TARGET_MS else "OVER"
    where = ", ".join(f"{gap} ms at {at} ms" for gap, at in gaps[:3])
    finished = done_at.get("at", -1)
    return (
        f"longest stall {worst} ms (target ≤ {TARGET_MS} ms: {mark}); worst: {where}; "
        f"done at {finished} ms"
    )


def case_load(window: MainWindow, name: str) -> str:
    state = window.state
    state.catalog = Catalog()  # nothing cached: a first load, as a user meets it
    before = state.tokenizer
    return watch(
        lambda: state.load_tokenizer(name),
        lambda: state.tokenizer is not before and window.result is not None,
    )


def case_long_line(window: MainWindow, length: int) -> str:
    word = "a" * length
    state = window.state
    return watch(
        lambda: window.panes.set_texts(word, ""),
        lambda: state.result is not None and len(state.result.text) == length,
    )


def case_compare(catalog: Catalog, size: int, names: list[str]) -> str:
    for name in names:  # loaded first: (a) measures loading, this the comparison itself
        tok = catalog.load(name)
        if isinstance(tok, TiktokenTokenizer):
            tok.prepare()
    panel = ComparisonPanel(catalog)
    panel.resize(1200, 700)
    panel.show()
    text = text_of(size)
    settled = {"done": False}
    panel.rows_settled.connect(lambda: settled.update(done=True))

    def start() -> None:
        panel.set_text(text)
        panel.set_rows(names)

    line = watch(start, lambda: bool(settled["done"]) and not panel.canvas.is_laying_out())
    panel.shutdown()
    panel.close()
    return line


def case_big_result(window: MainWindow, size: int) -> str:
    text = text_of(size)
    edit = window.text_edit
    edit.blockSignals(True)
    edit.setPlainText(text)  # Qt's setPlainText: measured on its own in bench_gui
    edit.blockSignals(False)
    state = window.state
    strip = window.strip
    return watch(
        lambda: state.set_text(text),
        lambda: (
            state.result is not None
            and len(state.result.text) == len(text)
            and strip.result() is state.result
            and not strip.is_laying_out()
        ),
    )


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--only", action="append", default=[], help="a, b, c or d")
    parser.add_argument("--load", default="o200k_base", help="tokenizer loaded in (a)")
    parser.add_argument("--line", type=int, default=1_000_000, help="characters in (b)")
    parser.add_argument("--compare-mb", type=float, default=1.0)
    parser.add_argument("--big-mb", type=float, default=5.0)
    args = parser.parse_args()
    only = set(",".join(args.only).split(",")) - {""} or {"a", "b", "c", "d"}
    application()
    catalog = Catalog()
    window = MainWindow(catalog, tokenizer="gpt2", text="Hello world")
    window.resize(1400, 900)
    window.show()
    watch(lambda: None, lambda: window.result is not None)
    if "b" in only:
        print(f"(b) a {args.line:,}-character word shown: {case_long_line(window, args.line)}")
        print(f"    pane wraps lines: {window.text_edit.lineWrapMode().name}")
        window.panes.set_texts("Hello world", "")
        watch(lambda: None, lambda: window.result is not None and len(window.result.text) < 20)
    if "a" in only:
        print(f"(a) loading {args.load}: {case_load(window, args.load)}")
    if "c" in only:
        line = case_compare(catalog, int(args.compare_mb * 1e6), ["gpt2", "cl100k_base"])
        print(f"(c) compare gpt2 + cl100k_base on {args.compare_mb} MB: {line}")
    if "d" in only:
        print(f"(d) {args.big_mb} MB tokenized and presented: "
              f"{case_big_result(window, int(args.big_mb * 1e6))}")  # fmt: skip
    window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
