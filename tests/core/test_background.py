"""Background work runs below the window's priority: a lowered thread (the job runner's
workers) and the encode children have a higher nice value than the thread that started
them, and a thread is lowered once however many jobs it runs."""

from __future__ import annotations

import os
import platform
import subprocess
import sys
import threading

import pytest

from inspector.core import background
from inspector.core.catalog import Catalog
from inspector.core.encode_process import EncodeProcess
from inspector.core.settings import EncodeSettings
from inspector.core.tiktoken_host import TiktokenHost

pytestmark = pytest.mark.skipif(
    not hasattr(os, "setpriority"), reason="thread priorities are POSIX"
)


def _niceness(native_id: int) -> int:
    return os.getpriority(os.PRIO_PROCESS, native_id)


def test_a_lowered_thread_runs_below_the_others_once() -> None:
    here = _niceness(threading.get_native_id())
    seen: list[int] = []

    def worker() -> None:
        background.lower_this_thread()
        background.lower_this_thread()  # again (a second job on the same thread): no lower
        seen.append(_niceness(threading.get_native_id()))

    thread = threading.Thread(target=worker)
    thread.start()
    thread.join()
    assert seen == [min(here + background.NICENESS, 19)]
    assert _niceness(threading.get_native_id()) == here  # the caller's own is unchanged


def test_the_encode_children_run_below_the_window(catalog: Catalog) -> None:
    host = TiktokenHost()
    try:
        tok = catalog.load("gpt2")
        assert tok.recipe is not None
        host.warm(tok.recipe, tok.facts.fingerprint)
        assert host.pid is not None
        here = os.getpriority(os.PRIO_PROCESS, 0)
        assert os.getpriority(os.PRIO_PROCESS, host.pid) == min(here + background.NICENESS, 19)
    finally:
        host.close()


KEEP_CHILD = """
import ctypes, sys
import numpy as np
from inspector.core.background import keep_freed_memory

class MallInfo2(ctypes.Structure):
    _fields_ = [(name, ctypes.c_size_t) for name in (
        "arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks", "uordblks",
        "fordblks", "keepcost")]

libc = ctypes.CDLL("libc.so.6")
libc.mallinfo2.restype = MallInfo2
kept = sys.argv[1] == "keep" and keep_freed_memory()
column = np.ones(20 << 17)  # a 20 MB column (a 5 MB text's tokens), then freed
del column
print(kept, libc.mallinfo2().fordblks >> 20)
"""


@pytest.mark.skipif(
    platform.system() != "Linux" or platform.libc_ver()[0] != "glibc", reason="glibc only"
)
def test_the_window_process_keeps_freed_memory_for_the_next_column() -> None:
    """With the app's malloc settings a freed 20 MB column stays in the heap, free for the
    next one; by default glibc gave it back (mapped apart, unmapped on free)."""

    def free_mb(mode: str) -> tuple[str, int]:
        out = subprocess.run(
            [sys.executable, "-c", KEEP_CHILD, mode], capture_output=True, text=True, check=True
        ).stdout.split()
        return out[0], int(out[1])

    kept, kept_mb = free_mb("keep")
    default, default_mb = free_mb("default")
    assert kept == "True" and kept_mb >= 20
    assert default == "False" and default_mb < 20


def huge_advised(pid: int) -> int:
    """Mappings of a process that carry the huge-page advice ("hg" in its smaps' VmFlags)."""
    with open(f"/proc/{pid}/smaps", encoding="ascii", errors="replace") as smaps:
        return sum("hg" in line.split()[1:] for line in smaps if line.startswith("VmFlags:"))


HUGE_CHILD = """
import sys
import numpy as np
from inspector.core.background import avoid_huge_pages

if sys.argv[1] == "avoid":
    avoid_huge_pages()
column = np.ones(20 << 17)  # a 20 MB column: over numpy's 4 MB threshold for the advice
print("ready", flush=True)
sys.stdin.read()  # kept alive until the test has read its mappings
"""

needs_smaps = pytest.mark.skipif(
    not os.path.exists("/proc/self/smaps"), reason="Linux says which mappings are advised"
)


@needs_smaps
def test_the_window_process_asks_for_no_huge_pages() -> None:
    """numpy advises huge pages for its big arrays by default; not after avoid_huge_pages."""

    def advised(mode: str) -> int:
        with subprocess.Popen(
            [sys.executable, "-c", HUGE_CHILD, mode],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        ) as child:
            assert child.stdout is not None and child.stdin is not None
            assert child.stdout.readline().strip() == "ready"
            count = huge_advised(child.pid)
            child.stdin.close()
        return count

    assert advised("avoid") == 0
    if os.path.exists("/sys/kernel/mm/transparent_hugepage/enabled"):  # a kernel with THP
        assert advised("default") >= 1  # the count sees the advice where numpy gives it


@needs_smaps
def test_the_encode_child_asks_for_no_huge_pages(catalog: Catalog) -> None:
    """The encode child's columns of a 2 MB text (arrays of several MB) carry no advice."""
    process = EncodeProcess()
    try:
        tok = catalog.load("minilm")
        result = process.encode(tok, "a few words, " * 160_000, EncodeSettings())
        assert len(result) > 400_000 and process.pid is not None
        assert huge_advised(process.pid) == 0
    finally:
        process.close()
