"""Background work runs below the window's priority: a lowered thread (the job runner's
workers) and the encode children have a higher nice value than the thread that started
them, and a thread is lowered once however many jobs it runs."""

from __future__ import annotations

import os
import threading

import pytest

from inspector.core import background
from inspector.core.catalog import Catalog
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
