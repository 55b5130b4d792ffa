"""Background work yields the CPUs to the window: the job runner's worker threads and the
encode children run at a lower scheduling priority (a higher nice value) than the GUI thread;
the window's process keeps the memory it frees (``keep_freed_memory``); and neither it nor its
children ask the kernel for huge pages (``avoid_huge_pages``).

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


# glibc's mallopt parameters (malloc.h)
_M_TRIM_THRESHOLD, _M_TOP_PAD, _M_MMAP_THRESHOLD = -1, -2, -3
KEEP_FREED_BYTES = 512 << 20  # free memory the heap keeps before it gives any back
MMAP_THRESHOLD_BYTES = 32 << 20  # glibc's largest: a 5 MB text's 2.7M-token columns fit under


def keep_freed_memory() -> bool:
    """The window's process keeps the memory its arrays free and reuses it (glibc only; False
    elsewhere): a column of a long result is then written into pages already mapped.

    On a virtual machine whose host backs memory lazily, the first write to a page costs
    20-30 µs instead of ~0.7 (measured here: 200 MB filled in 1.0-1.6 s, then 37 ms). A worker's
    slice of 2 MB written into fresh pages, in a numpy call that holds Python's lock, then held
    it 10-15 ms while the window waited. glibc, by default, gives freed heap memory back and
    maps each block over its (adaptive) threshold afresh. bench_freeze (d) at 5 MB, six runs
    each, alternating, in such a spell: over 16 ms in 4 of 6 (24-36 ms, 4-5 ms of GUI CPU)
    by default, in 0 of 6 (6-9 ms) with memory kept."""
    import ctypes
    import platform

    if platform.system() != "Linux" or platform.libc_ver()[0] != "glibc":
        return False
    try:
        libc = ctypes.CDLL("libc.so.6")
    except OSError:
        return False
    settings = (
        (_M_TRIM_THRESHOLD, KEEP_FREED_BYTES),
        (_M_TOP_PAD, 64 << 20),  # grow the heap in steps that later blocks reuse
        (_M_MMAP_THRESHOLD, MMAP_THRESHOLD_BYTES),
    )
    return all(libc.mallopt(option, value) == 1 for option, value in settings)


def avoid_huge_pages() -> bool:
    """numpy stops asking the kernel for transparent huge pages for this process's big arrays
    (it asks by default on Linux); True where it asked until now.

    With the advice, the first write to each 2 MB of a new array is one fault that clears all
    of it (compacting memory first where THP defrag is "madvise", the usual default), and the
    kernel's khugepaged thread later copies small pages into huge ones. On the project's 2-CPU
    virtual test machine, whose host backs memory lazily and whose kernel does not preempt
    kernel work, a trace caught khugepaged holding the CPU the GUI thread was queued on for
    32 ms, and a worker 26 ms in the kernel (bench/README). A bench_freeze (c)+(d) run made
    218-228 huge-page faults with the advice and none without. The window reads its arrays a
    slice at a time: huge pages buy it nothing a user would see."""
    try:
        from numpy._core import multiarray
    except ImportError:  # numpy 1.x
        from numpy.core import multiarray  # type: ignore[no-redef]
    set_advice = getattr(multiarray, "_set_madvise_hugepage", None)
    return bool(set_advice(False)) if set_advice is not None else False
