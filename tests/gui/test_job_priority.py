"""The window's jobs run below the GUI thread's priority (the kernel gives the window the
CPU first when the machine has more busy threads than cores)."""

from __future__ import annotations

import os
import threading

import pytest
from pytestqt.qtbot import QtBot

from inspector.core import background
from inspector.core.cancel import CancelToken
from inspector.gui.jobs import JobRunner


@pytest.mark.skipif(not hasattr(os, "setpriority"), reason="thread priorities are POSIX")
def test_jobs_run_below_the_gui_thread(qtbot: QtBot) -> None:
    def niceness(*, cancel: CancelToken) -> int:
        return os.getpriority(os.PRIO_PROCESS, threading.get_native_id())

    runner = JobRunner(max_threads=1)
    got: list[int] = []
    for _ in range(2):  # the same pool thread again: lowered once
        with qtbot.waitSignal(runner.finished, timeout=10_000):
            runner.submit("niceness", niceness, done=got.append)
    gui = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())
    assert got == [min(gui + background.NICENESS, 19)] * 2
    runner.shutdown()
