"""Who held the CPUs while the GUI thread was late, from the kernel's scheduler trace (ftrace).

``bench_freeze.py --trace`` records the scheduler's switches and wake-ups while it runs and
marks each heartbeat gap over the target in the trace; after the run, each marked gap is
listed with the tasks that ran on each CPU meanwhile (task, its nice value, milliseconds).
A gap whose CPU time went to a niced worker of ours, a child, a kernel thread (khugepaged,
kworker) or to nothing (idle: the GUI thread was waiting for Python's lock, or the hypervisor
took the CPU) then says what to look at. Linux only, as root (tracefs); the bench says so
and runs without it elsewhere.
"""

from __future__ import annotations

import bisect
import os
import re
import subprocess
from collections import defaultdict
from dataclasses import dataclass
from typing import NamedTuple

TRACEFS = "/sys/kernel/tracing"
EVENTS = ("sched:sched_switch", "sched:sched_wakeup")
BUFFER_KB = 65536  # per CPU: a few minutes of a busy two-CPU run
MARK = "GAP"
LOOKBACK_S = 1.0

# "  comm-pid  [cpu] flags  seconds: event: fields" (comm may hold spaces and dashes)
_LINE = re.compile(r"^\s*(.+)-(\d+)\s+\[(\d+)\]\s+\S+\s+(\d+\.\d+): (\w+): (.*)$")
_NEXT = re.compile(r"next_comm=(.*) next_pid=(\d+) next_prio=(\d+)")
_PREV = re.compile(r"prev_comm=(.*) prev_pid=(\d+) prev_prio=(\d+)")


class TraceUnavailable(Exception):
    """No scheduler trace here (not Linux, not root, or no tracefs)."""


class SchedTrace:
    """The scheduler's trace while a bench runs: ``start``, ``mark`` each gap, ``stop``."""

    def __init__(self, root: str = TRACEFS) -> None:
        self.root = root
        self._marker: int | None = None

    def _write(self, name: str, value: str) -> None:
        with open(os.path.join(self.root, name), "w", encoding="ascii") as setting:
            setting.write(value)

    def start(self) -> None:
        if not os.path.isdir(self.root):
            raise TraceUnavailable("no /sys/kernel/tracing (not Linux)")
        if not os.path.exists(os.path.join(self.root, "trace_marker")):
            mounted = subprocess.run(
                ["mount", "-t", "tracefs", "nodev", self.root], capture_output=True, text=True
            )
            if mounted.returncode:
                raise TraceUnavailable(f"cannot mount tracefs: {mounted.stderr.strip()}")
        try:
            self._write("tracing_on", "0")
            self._write("trace", "")
            self._write("buffer_size_kb", str(BUFFER_KB))
            self._write("trace_clock", "mono")
            self._write("set_event", " ".join(EVENTS))
            self._marker = os.open(os.path.join(self.root, "trace_marker"), os.O_WRONLY)
            self._write("tracing_on", "1")
        except OSError as err:
            raise TraceUnavailable(f"cannot set up the trace: {err}") from None

    def mark(self, gap_ms: int, thread_id: int) -> None:
        """A gap of ``gap_ms`` that ended now on the thread ``thread_id``."""
        if self._marker is not None:
            os.write(self._marker, f"{MARK} {gap_ms} {thread_id}\n".encode())

    def stop(self) -> str:
        """Stop tracing; the trace's text."""
        self._write("tracing_on", "0")
        if self._marker is not None:
            os.close(self._marker)
            self._marker = None
        with open(os.path.join(self.root, "trace"), encoding="utf-8", errors="replace") as trace:
            text = trace.read()
        self._write("set_event", "")
        self._write("trace", "")
        return text


class _Event(NamedTuple):
    at: float  # trace seconds
    cpu: int
    kind: str  # sched_switch, sched_wakeup, tracing_mark_write
    fields: str
    task: str  # comm/pid of the task the line was written on (running on ``cpu``)


@dataclass(frozen=True)
class Holder:
    """A task that ran on a CPU during a gap, and for how long."""

    task: str  # comm/pid
    nice: int | None
    cpu: int
    ms: float


def holders(trace: str) -> list[tuple[int, float, list[Holder]]]:
    """For each marked gap: (its length in ms, when it ended in trace seconds, the tasks that
    ran on each CPU during it, longest first). Each stretch between two events of a CPU goes
    to the task running there: the one the event line names, or the last switch's next."""
    events = []
    for line in trace.splitlines():
        if match := _LINE.match(line):
            comm, pid, cpu, at, kind, fields = match.groups()
            events.append(_Event(float(at), int(cpu), kind, fields, _task(comm, pid)))
    nice: dict[str, int] = {}
    for event in events:
        if event.kind == "sched_switch":
            for pattern in (_PREV, _NEXT):
                if found := pattern.search(event.fields):
                    nice[_task(found[1], found[2])] = int(found[3]) - 120
    times = [event.at for event in events]
    out = []
    for index, event in enumerate(events):
        if event.kind != "tracing_mark_write" or not event.fields.startswith(MARK):
            continue
        at, gap_ms = event.at, int(event.fields.split()[1])
        start = at - gap_ms / 1000
        # from a second before the gap: each CPU's task at its start is known by then
        first = bisect.bisect_left(times, start - LOOKBACK_S, hi=index)
        out.append((gap_ms, at, _tasks_during(events[first:index], start, at, nice)))
    return out


def _tasks_during(
    events: list[_Event], start: float, end: float, nice: dict[str, int]
) -> list[Holder]:
    running: dict[int, str] = {}
    since: dict[int, float] = {}
    spent: dict[tuple[str, int], float] = defaultdict(float)
    for at, cpu, kind, fields, task in events:
        if cpu in running and at > start:
            spent[(running[cpu], cpu)] += at - max(since[cpu], start)
        running[cpu], since[cpu] = task, at
        if kind == "sched_switch" and (found := _NEXT.search(fields)):
            running[cpu] = _task(found[1], found[2])
    for cpu, task in running.items():
        spent[(task, cpu)] += end - max(since[cpu], start)
    ranked = sorted(spent.items(), key=lambda item: -item[1])
    return [
        Holder(task, nice.get(task), cpu, seconds * 1000)
        for (task, cpu), seconds in ranked
        if seconds * 1000 >= 0.5
    ]


def report(trace: str, top: int = 4) -> str:
    """One line per marked gap: who ran on the CPUs meanwhile."""
    lines = []
    for gap_ms, at, tasks in holders(trace):
        shown = ", ".join(
            f"{_name(holder)} {holder.ms:.1f} ms on CPU {holder.cpu}" for holder in tasks[:top]
        )
        lines.append(f"    gap {gap_ms} ms ending at {at:.3f} s: {shown}")
    return "\n".join(lines) or "    no gap over the target"


def _task(comm: str, pid: str) -> str:
    """comm/pid; "idle" for a CPU's idle task (pid 0: "<idle>" on a line, "swapper/N" in a
    switch)."""
    return "idle" if pid == "0" else f"{comm}/{pid}"


def _name(holder: Holder) -> str:
    return holder.task + ("" if holder.nice in (None, 0) else f" (nice {holder.nice})")
