"""Where a keystroke's GUI-thread time goes (issue 11: keystroke → strip p95 ≤ 16 ms).

The keys of ``bench_gui.py`` (a 10k-token text, gpt2, one character typed at its end, back to
back or ``--gap-ms`` apart), and per key:

- the GUI thread's CPU time (``time.thread_time``) from the key to the strip's repaint and to
  every panel showing the result, beside the wall time of the same spans: CPU well under wall
  is time the GUI thread waited (for Python's lock, for a CPU);
- a cProfile of the GUI thread over the key → strip span, summed over the keys (cProfile
  follows only the thread that enables it: the workers are not in it);
- ``--events``: how many layout requests, resizes and paints each kind of widget got per key
  (an application event filter; it costs time itself, so take the timings from a run without).

    PYTHONPATH=. QT_QPA_PLATFORM=offscreen HF_HUB_OFFLINE=1 .venv/bin/python bench/profile_keys.py
    ... profile_keys.py --keys 60 --gap-ms 100 --top 30 --events
    ... profile_keys.py --cpu-only            # the CPU times without cProfile's own cost
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import sys
import tempfile
import time
from collections import Counter

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKEN_INSPECTOR_CONFIG", tempfile.mkdtemp(prefix="ti-bench-"))

# The window's child processes run this file again as __mp_main__: only the bench imports Qt.
if __name__ == "__main__":
    from PySide6.QtCore import QEvent, QObject
    from PySide6.QtWidgets import QApplication

    from inspector.gui.app import application

    sys.path.insert(0, os.path.dirname(__file__))
    from bench_gui import (
        add_switch_option,
        apply_switch_option,
        keystrokes,
        open_window,
        percentiles,
    )


class GuiThreadWatch:
    """bench_gui's key hooks: the GUI thread's CPU and a cProfile of it, per key."""

    def __init__(self, profile: bool = True) -> None:
        self.profile = cProfile.Profile(time.thread_time)  # CPU: waiting is not work
        self.profiling = profile
        self.cpu_strip: list[float] = []
        self.cpu_done: list[float] = []
        self._start = 0.0

    def key(self) -> None:
        self._start = time.thread_time()
        if self.profiling:
            self.profile.enable()

    def strip(self) -> None:
        self.profile.disable()
        self.cpu_strip.append((time.thread_time() - self._start) * 1000)

    def done(self) -> None:
        self.profile.disable()  # no-op when the strip was seen
        self.cpu_done.append((time.thread_time() - self._start) * 1000)


def event_counter() -> tuple[QObject, Counter[tuple[str, str]]]:
    """An application event filter and what it counts: per receiver class, the events that
    say a window is laid out or painted again (a class made here: the children that run this
    file never import Qt)."""
    kinds = {
        QEvent.Type.LayoutRequest: "layout request",
        QEvent.Type.Resize: "resize",
        QEvent.Type.Paint: "paint",
    }
    counts: Counter[tuple[str, str]] = Counter()

    class EventCounter(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            kind = kinds.get(event.type())
            if kind is not None:
                name = type(watched).__name__
                parent = watched.parent()
                if name == "QWidget" and parent is not None:  # a viewport: say whose
                    name = f"{type(parent).__name__}.viewport"
                counts[(kind, name)] += 1
            return False

    return EventCounter(), counts


def report_profile(profile: cProfile.Profile, keys: int, top: int) -> str:
    """Own and cumulative time per key of the busiest functions."""
    out = io.StringIO()
    stats = pstats.Stats(profile, stream=out)
    for order in ("tottime", "cumulative"):
        out.write(f"\n--- GUI thread, key → strip repainted, sorted by {order} (all {keys} keys)\n")
        stats.sort_stats(order).print_stats(top)
    return out.getvalue()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("-t", "--tokenizer", default="gpt2")
    parser.add_argument("--keys", type=int, default=40)
    parser.add_argument("--gap-ms", type=int, default=0, help="event-loop time between keys")
    parser.add_argument("--top", type=int, default=25, help="functions listed per ordering")
    parser.add_argument("--events", action="store_true", help="count layouts, resizes, paints")
    parser.add_argument(
        "--cpu-only", action="store_true", help="no cProfile: the CPU times without its cost"
    )
    parser.add_argument("--local", action="store_true", help="tiktoken in this process")
    add_switch_option(parser)
    args = parser.parse_args()
    application()
    apply_switch_option(args)
    window, _tok = open_window(args.tokenizer, local=args.local)
    keystrokes(window, 3, args.gap_ms)  # warm: first-key caches are not what typing costs
    counter, counts = event_counter() if args.events else (None, Counter())
    app = QApplication.instance()
    assert app is not None
    if counter is not None:
        app.installEventFilter(counter)
    watch = GuiThreadWatch(profile=not args.cpu_only)
    wall_strip, wall_done = keystrokes(window, args.keys, args.gap_ms, watch)
    if counter is not None:
        app.removeEventFilter(counter)
    tokens = len(window.result or [])
    print(f"{args.keys} keys, {tokens} tokens ({args.tokenizer}), {args.gap_ms} ms apart:")
    rows = (
        ("key → strip repainted", wall_strip, watch.cpu_strip),
        ("key → every panel shows it", wall_done, watch.cpu_done),
    )
    for name, wall, cpu in rows:
        (wall50, wall95), (cpu50, cpu95) = percentiles(wall), percentiles(cpu)
        print(
            f"  {name}: wall p50 {wall50:.1f} / p95 {wall95:.1f} ms; "
            f"GUI-thread CPU p50 {cpu50:.1f} / p95 {cpu95:.1f} ms"
        )
    if counter is not None:
        print("\nevents per key (receiver class):")
        for (kind, name), count in sorted(counts.items()):
            print(f"  {kind:15} {name:40} {count / args.keys:6.2f}")
    if not args.cpu_only:
        print(report_profile(watch.profile, args.keys, args.top))
    window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
