"""The longest GUI-thread stall (issue 11 §4) while (a) a tokenizer loads, (b) a long line is
shown, (c) a comparison runs on 1 MB, (d) a 5 MB text is opened, tokenized and presented, (e) "what
if" tokens are added to a tokenizer (o200k_base unless --what-if) and the copy's result is shown.

A heartbeat QTimer (1 ms) runs on the GUI thread; the largest gap between two beats is the
longest time the window could not answer. Run offscreen:

    QT_QPA_PLATFORM=offscreen HF_HUB_OFFLINE=1 .venv/bin/python bench/bench_freeze.py
    ... bench_freeze.py --only b --only a      # some of the cases
    ... bench_freeze.py --only c,d --scales 4  # (c), (d) at full size only (default 1,2,4)
    ... bench_freeze.py --only d --stacks      # + where the threads were while the beat was late
    ... bench_freeze.py --only d --trace       # + who held the CPUs in each gap (Linux, root)
    ... bench_freeze.py --only d --switch-ms 5 # Python's switch interval (the app's is 1 ms)
    ... bench_freeze.py --only d --no-freeze   # start-up objects left to the garbage collector
    ... bench_freeze.py --only e --what-if o200k_base  # (e) on another tiktoken tokenizer

Target: ≤ 16 ms in every case (one frame). Each line prints the figure beside the target and
the three worst gaps (where in the run they fell) for the reader to place them, and the most
CPU the GUI thread used between two beats (on a loaded machine a gap is mostly other work).
Each worst gap says where the GUI thread's time went (its CPU, its wait on the run queue) and
whose the machine's CPUs were meanwhile (/proc/stat in 10 ms ticks: "nice" is the window's
workers and children, "user" programs at nice 0, the GUI thread among them, "steal" the
hypervisor's); the longest gap with no steal in it is beside the line: a gap with steal is
time the machine took from every program on it.
"""

from __future__ import annotations

import argparse
import faulthandler
import itertools
import os
import re
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKEN_INSPECTOR_CONFIG", tempfile.mkdtemp(prefix="ti-bench-"))

# The window's child processes (the encode process, the tiktoken host) run this file again as
# __mp_main__ when they start: only the bench itself imports the GUI, as in the app, whose
# children import only the light inspector.cli (Qt imported in each child would add ~0.5 s
# of CPU to every start, beside the heartbeat, on a 2-CPU machine). Another bench may import
# this one (bench_tokenizer_change.py: ``watch``) from its own main.
if __name__ != "__mp_main__":
    from PySide6.QtCore import QElapsedTimer, QEventLoop, QTimer

    from inspector.core.catalog import Catalog
    from inspector.core.tiktoken_fast import TiktokenTokenizer
    from inspector.gui.app import application, freeze_start_up_objects
    from inspector.gui.main_window import MainWindow
    from inspector.gui.widgets.comparison_view import ComparisonPanel

    sys.path.insert(0, os.path.dirname(__file__))
    from bench_gui import add_switch_option, apply_switch_option, text_of
    from sched_trace import SchedTrace, TraceUnavailable, report

TARGET_MS = 16


class StallSampler:
    """``--stacks``: a thread that, while the heartbeat is late, samples every thread's stack
    (the innermost frames of this project), to say where a stall goes. A C call holding
    Python's lock shows as the frame that made it, sampled when the lock comes back."""

    def __init__(self, late_ms: float = 8.0, every_ms: float = 2.0) -> None:
        self.late_s = late_ms / 1000
        self.every_s = every_ms / 1000
        self.last_beat = time.perf_counter()
        self.samples: Counter[tuple[str, str]] = Counter()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="stall-sampler", daemon=True)

    def beat(self) -> None:
        self.last_beat = time.perf_counter()

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        own = threading.get_ident()
        names: dict[int, str] = {}
        with tempfile.TemporaryFile("w+") as dump:
            while not self._stop.wait(self.every_s):
                if time.perf_counter() - self.last_beat < self.late_s:
                    continue
                dump.seek(0)
                dump.truncate()
                # faulthandler walks the threads' frames in C without making frame objects:
                # reading another thread's ``f_back`` can crash CPython 3.11 (gh-111363).
                faulthandler.dump_traceback(dump, all_threads=True)
                dump.seek(0)
                for ident, stack in _stacks(dump.read()).items():
                    if ident == own:
                        continue
                    if ident not in names:
                        names = {t.ident or 0: t.name for t in threading.enumerate()}
                    where = _where(stack)
                    if where:
                        self.samples[(names.get(ident, hex(ident)), where)] += 1

    def report(self, top: int = 12) -> str:
        lines = [f"    {count:5d} × [{thread}] {where}" for (thread, where), count in
                 self.samples.most_common(top)]  # fmt: skip
        self.samples.clear()
        return "\n".join(lines)


_THREAD = re.compile(r"^(?:Current thread|Thread) (0x[0-9a-f]+)")
_FRAME = re.compile(r'^  File "(.*)", line (\d+) in (.*)$')


def _stacks(dump: str) -> dict[int, list[tuple[str, int, str]]]:
    """faulthandler's dump read back: each thread's frames (path, line, function), innermost
    first."""
    stacks: dict[int, list[tuple[str, int, str]]] = {}
    frames: list[tuple[str, int, str]] = []
    for line in dump.splitlines():
        if thread := _THREAD.match(line):
            frames = stacks.setdefault(int(thread[1], 16), [])
        elif frame := _FRAME.match(line):
            frames.append((frame[1], int(frame[2]), frame[3]))
    return stacks


def _where(stack: list[tuple[str, int, str]], depth: int = 4) -> str:
    """The innermost ``depth`` frames under inspector/ (innermost first) and the very
    innermost frame, whatever it is."""
    if not stack:
        return ""
    ours = [
        f"{os.path.basename(path)}:{function}:{line}"
        for path, line, function in stack
        if "/inspector/" in path
    ][:depth]
    return f"{stack[0][2]} ← " + " ← ".join(ours) if ours else ""


SAMPLER: StallSampler | None = None
TRACE: SchedTrace | None = None  # --trace


class MachineClock:
    """Where the machine's CPUs went so far (/proc/stat's first line, all CPUs, in ms; 10 ms
    ticks), read at each beat (~3 µs): ``user`` (programs at nice 0, the GUI thread among
    them), ``nice`` (niced ones: the window's workers and children), ``system``, ``idle``
    and the hypervisor's ``steal``. A gap with steal in it is, in part or whole, the
    machine's and not the window's: no program can answer while its CPU is taken away. None
    where there is no /proc/stat."""

    COLUMNS = ("user", "nice", "system", "idle", "iowait", "irq", "softirq", "steal")

    def __init__(self) -> None:
        try:
            self._fd: int | None = os.open("/proc/stat", os.O_RDONLY)
        except OSError:
            self._fd = None
        self._tick_ms = 1000 / os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 10.0

    def read(self) -> tuple[float, ...] | None:
        if self._fd is None:
            return None
        first = os.pread(self._fd, 256, 0).split(b"\n", 1)[0].split()[1:]
        if len(first) < len(self.COLUMNS):
            return None
        return tuple(int(ticks) * self._tick_ms for ticks in first[: len(self.COLUMNS)])

    @classmethod
    def steal(cls, spent: tuple[float, ...]) -> float:
        return spent[cls.COLUMNS.index("steal")]

    @classmethod
    def describe(cls, spent: tuple[float, ...]) -> str:
        """The CPUs' time in a gap, by column (those with any), e.g. "nice 20, idle 10"."""
        shown = {"iowait": "io", "system": "sys"}
        return ", ".join(
            f"{shown.get(name, name)} {ms:.0f}"
            for name, ms in zip(cls.COLUMNS, spent, strict=True)
            if ms
        )


MACHINE = MachineClock()


class QueueClock:
    """The GUI thread's time waiting on the kernel's run queue, runnable but given no CPU
    (/proc/thread-self/schedstat, second field, ns → ms), read at each beat. A gap that is
    neither the thread's CPU nor its queueing was spent asleep: waiting for Python's lock, a
    page, or another lock. Opened on the GUI thread; None where Linux does not say."""

    def __init__(self) -> None:
        try:
            self._fd: int | None = os.open("/proc/thread-self/schedstat", os.O_RDONLY)
        except OSError:
            self._fd = None

    def read(self) -> float | None:
        if self._fd is None:
            return None
        fields = os.pread(self._fd, 128, 0).split()
        return int(fields[1]) / 1e6 if len(fields) > 1 else None


QUEUE = QueueClock()


def watch(start: Callable[[], None], until: Callable[[], bool], limit_ms: int = 300_000) -> str:
    """Beat every 1 ms; call ``start`` from the event loop; run until ``until()`` holds (then
    200 ms more for paints and deferred work). Returns a line: longest gap and the worst three."""
    beats: list[int] = []
    cpu: list[float] = []  # the GUI thread's CPU time at each beat (ms)
    machine: list[tuple[float, ...] | None] = []  # where the CPUs went so far, each beat (ms)
    queued: list[float | None] = []  # the GUI thread's run-queue wait so far (ms)
    clock = QElapsedTimer()
    heart = QTimer()
    heart.setInterval(1)
    loop = QEventLoop()
    done_at: dict[str, int] = {}

    def beat() -> None:
        if SAMPLER is not None:
            SAMPLER.beat()
        now = clock.elapsed()
        if TRACE is not None and beats and now - beats[-1] > TARGET_MS:
            TRACE.mark(now - beats[-1], threading.get_native_id())
        beats.append(now)
        cpu.append(time.thread_time() * 1000)
        machine.append(MACHINE.read())
        queued.append(QUEUE.read())
        if "at" not in done_at and until():
            done_at["at"] = now
        if ("at" in done_at and now - done_at["at"] > 200) or now > limit_ms:
            loop.quit()

    heart.timeout.connect(beat)
    if SAMPLER is not None:
        SAMPLER.beat()
        SAMPLER.samples.clear()
    if TRACE is not None:
        TRACE.start()
    clock.start()
    heart.start()
    QTimer.singleShot(5, start)
    loop.exec()
    heart.stop()
    holders = (
        f"\n  who held the CPUs in each gap over {TARGET_MS} ms:\n{report(TRACE.stop())}"
        if TRACE
        else ""
    )
    cpus = [  # where the machine's CPUs went during each gap
        None if a is None or b is None else tuple(y - x for x, y in zip(a, b, strict=True))
        for a, b in itertools.pairwise(machine)
    ]
    stolen = [None if spent is None else MachineClock.steal(spent) for spent in cpus]
    gaps = sorted(
        (
            (b - a, a, taken, index)
            for index, ((a, b), taken) in enumerate(
                zip(itertools.pairwise(beats), stolen, strict=True)
            )
        ),
        key=lambda gap: gap[:2],
        reverse=True,
    )
    worst = gaps[0][0] if gaps else 0
    unstolen = max((gap for gap, _at, taken, _index in gaps if not taken), default=0)
    # The GUI thread's own CPU between two beats: what it did, apart from the time the machine
    # gave other processes (on a loaded machine the wall-clock gaps are mostly that).
    busiest = max((b - a for a, b in itertools.pairwise(cpu)), default=0.0)
    mark = "met" if worst <= TARGET_MS else "OVER"

    def spent(index: int) -> str:
        """Where the GUI thread's time went in the gap that starts at beat ``index``."""
        own = cpu[index + 1] - cpu[index]
        wait = queued[index + 1], queued[index]
        line = f"cpu {own:.0f}"
        if wait[0] is not None and wait[1] is not None:
            line += f", queued {wait[0] - wait[1]:.0f}"
        machine_cpus = cpus[index]
        if machine_cpus is not None:  # whose the machine's CPUs were meanwhile (10 ms ticks)
            line += f"; CPUs: {MachineClock.describe(machine_cpus) or 'no tick'}"
        return line

    where = ", ".join(
        f"{gap} ms at {at} ms ({spent(index)})" for gap, at, _taken, index in gaps[:3]
    )
    machine_known = MACHINE.read() is not None  # /proc/stat: steal is counted
    steal_note = f"; longest with no steal in it {unstolen} ms" if machine_known else ""
    finished = done_at.get("at", -1)
    stacks = f"\n  sampled while the heartbeat was late:\n{SAMPLER.report()}" if SAMPLER else ""
    return (
        f"longest stall {worst} ms (target ≤ {TARGET_MS} ms: {mark}); worst: {where}; "
        f"done at {finished} ms; most GUI-thread CPU between two beats {busiest:.1f} ms"
        f"{steal_note}{stacks}{holders}"
    )


def case_load(window: MainWindow, name: str) -> str:
    state = window.state
    # Nothing cached: a first load, as a user meets it (the window's tiktoken host is not
    # started yet, gpt2 being a tokenizers file: it starts with this load). A tokenizer of
    # another library loads in the encode process, as in the window's own catalog.
    state.catalog = Catalog(encoding_host=state.tiktoken_host, load_process=state.encode_process)
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
    """``catalog``: the window's own, as the Compare tab has (tiktoken through the host)."""
    for name in names:  # loaded first: (a) measures loading, this the comparison itself
        tok = catalog.load(name)
        if isinstance(tok, TiktokenTokenizer):
            tok.prepare()
    panel = ComparisonPanel(catalog)
    panel.resize(1200, 700)
    panel.show()
    # Its first appearance is not the comparison (in the window the Compare tab is there
    # already): shown and painted before the watch.
    watch(
        lambda: None, lambda: panel.windowHandle() is not None and panel.windowHandle().isExposed()
    )
    text = text_of(size)
    settled = {"done": False}
    panel.rows_settled.connect(lambda: settled.update(done=True))

    def start() -> None:
        panel.set_text(text)
        panel.set_rows(names)

    line = watch(start, lambda: bool(settled["done"]) and not panel.canvas.is_laying_out())
    panel.shutdown()
    panel.close()
    return line  # the panel goes with this frame (no cycle holds it: no collection needed)


def case_big_result(window: MainWindow, size: int) -> str:
    """(d): the text given to the window's text pane, as a file opened or a session restored
    gives it (Qt's own setPlainText is part of the watch: a text this long goes to the long
    view), until the result is presented and the strip has laid it out."""
    text = text_of(size)
    state = window.state
    strip = window.strip
    return watch(
        lambda: window.panes.set_texts(text, ""),
        lambda: (
            state.result is not None
            and len(state.result.text) == len(text)
            and strip.result() is state.result
            and not strip.is_laying_out()
        ),
    )


def case_what_if(window: MainWindow, name: str) -> str:
    """(e): the base tokenizer is loaded first (its load is (a)); then the copy is asked for
    and watched until its result is shown."""
    state = window.state
    state.load_tokenizer(name)
    watch(lambda: None, lambda: state.tokenizer_name == name and window.result is not None)
    state.set_text("Hello <|mine|> wörld, wörlds 自然语言")
    watch(lambda: None, lambda: window.result is not None and "<|mine|>" in window.result.text)
    return watch(
        lambda: state.add_tokens(["<|mine|>", "wörld"], True),
        lambda: (
            state.is_modified
            and window.result is not None
            and window.result.tokenizer.id.endswith("+added")
        ),
    )


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--only", action="append", default=[], help="a, b, c, d or e")
    parser.add_argument("--load", default="o200k_base", help="tokenizer loaded in (a)")
    parser.add_argument("--what-if", default="o200k_base", help="tokenizer copied in (e)")
    parser.add_argument("--line", type=int, default=1_000_000, help="characters in (b)")
    parser.add_argument("--compare-mb", type=float, default=1.0)
    parser.add_argument("--big-mb", type=float, default=5.0)
    parser.add_argument(
        "--scales",
        default="1,2,4",
        help="(c) and (d) at these multiples of a base; the largest is --compare-mb / --big-mb",
    )
    parser.add_argument(
        "--stacks", action="store_true", help="sample the threads' stacks while the beat is late"
    )
    parser.add_argument(
        "--trace",
        action="store_true",
        help="trace the scheduler (ftrace; Linux, root): who held the CPUs in each gap",
    )
    add_switch_option(parser)
    parser.add_argument(
        "--no-freeze",
        action="store_true",
        help="leave start-up objects in the garbage collector's reach (the app freezes them)",
    )
    args = parser.parse_args()
    if args.stacks:
        global SAMPLER
        SAMPLER = StallSampler()
        SAMPLER.start()
    if args.trace:
        global TRACE
        TRACE = SchedTrace()
        try:
            TRACE.start()
            TRACE.stop()
        except (TraceUnavailable, OSError) as err:
            print(f"--trace: no scheduler trace here ({err}); running without it")
            TRACE = None
    only = set(",".join(args.only).split(",")) - {""} or {"a", "b", "c", "d", "e"}
    application()  # sets the app's switch interval: --switch-ms after it
    apply_switch_option(args)
    # The window's own catalog, as the app's: tiktoken encodes go to its tiktoken host.
    window = MainWindow(tokenizer="gpt2", text="Hello world")
    window.resize(1400, 900)
    window.show()
    watch(lambda: None, lambda: window.result is not None)
    if not args.no_freeze:
        freeze_start_up_objects()  # as run_gui does after the first result
    if "b" in only:
        print(f"(b) a {args.line:,}-character word shown: {case_long_line(window, args.line)}")
        print(f"    pane wraps lines: {window.text_edit.lineWrapMode().name}")
        window.panes.set_texts("Hello world", "")
        watch(lambda: None, lambda: window.result is not None and len(window.result.text) < 20)
    if "a" in only:
        print(f"(a) loading {args.load}: {case_load(window, args.load)}")
    scales = [int(x) for x in args.scales.split(",")]
    if "c" in only:
        for scale in scales:  # a stall that grows with the text is a call that is not short
            mb = args.compare_mb * scale / max(scales)
            line = case_compare(window.state.catalog, int(mb * 1e6), ["gpt2", "cl100k_base"])
            print(f"(c) {scale}x: compare gpt2 + cl100k_base on {mb:g} MB: {line}")
    if "d" in only:
        for scale in scales:
            mb = args.big_mb * scale / max(scales)
            line = case_big_result(window, int(mb * 1e6))
            print(f"(d) {scale}x: {mb:g} MB tokenized and presented: {line}")
    if "e" in only:
        print(f"(e) what-if tokens added to {args.what_if}: {case_what_if(window, args.what_if)}")
    window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
