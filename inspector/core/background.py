"""Background work yields the CPUs to the window: the job runner's worker threads and the
encode children run at a lower scheduling priority (a higher nice value) than the GUI thread.

On a machine with fewer cores than busy threads (two CPUs, a 1 MB comparison: two encodes on
workers, tiktoken in its child and the window), the window's thread waited for a CPU as long
as it worked: a 7-12 ms pass became a 17-21 ms stall. The kernel now gives it the CPU first;
the background work still gets all the time the window does not use. POSIX only (a no-op
elsewhere, and where the system refuses)."""

from __future__ import annotations

import contextlib
import os
import threading

NICENESS = 10  # added to the main thread's: about a ninth of the window's share of a CPU


def lower_this_thread() -> None:
    """Put the calling thread (not the main one) ``NICENESS`` below the main thread, however
    often it is called (Linux sets a priority per thread; a pool thread's Python state, and
    anything kept in it, may not outlive one job)."""
    thread, main = threading.get_native_id(), os.getpid()
    if thread == main or not hasattr(os, "setpriority"):
        return
    with contextlib.suppress(OSError):
        target = min(os.getpriority(os.PRIO_PROCESS, main) + NICENESS, 19)
        if os.getpriority(os.PRIO_PROCESS, thread) < target:
            os.setpriority(os.PRIO_PROCESS, thread, target)


def lower_this_process() -> None:
    """Lower the calling process's priority (a child, before it serves)."""
    if hasattr(os, "nice"):
        with contextlib.suppress(OSError):
            os.nice(NICENESS)
