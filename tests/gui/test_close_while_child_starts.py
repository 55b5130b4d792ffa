"""Closing the window while its child processes are still starting (Compare rows just added)
is a shutdown, not a failed start: no warning, no encoding in the window's process instead
(which imported transformers and made the close take seconds), and the children are gone."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.gui.conftest import run_app

CLOSE_WHILE_STARTING = """
import sys, time
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from inspector.gui import app
from inspector.gui.main_window import MainWindow

def close_while_starting():
    window = next(w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow))
    state = window.state
    QApplication.instance().setQuitOnLastWindowClosed(False)  # to look after the close
    def close_once_spawned():
        if state.encode_process.pid is None:  # the rows' loads start it on a worker
            return
        ticker.stop()
        started = time.monotonic()
        window.close()
        print("close seconds:", time.monotonic() - started, flush=True)
        print("children left:", state.encode_process.running or state.tiktoken_host.running)
        # Time for a fallback in this process to show, were there one.
        QTimer.singleShot(1000, report_and_quit)
    def report_and_quit():
        print("transformers imported:", "transformers" in sys.modules, flush=True)
        QApplication.quit()
    ticker = QTimer(window, interval=2)
    ticker.timeout.connect(close_once_spawned)
    window.comparison.show_panel()
    window.comparison.panel.add_row("gpt2")
    window.comparison.panel.add_row("all-MiniLM-L6-v2")
    ticker.start()

QTimer.singleShot(0, close_while_starting)
sys.exit(app.run_gui(tokenizer="gpt2", text="Hello world"))
"""


@pytest.mark.timeout(300)
def test_closing_while_the_children_start_is_a_shutdown(tmp_path: Path) -> None:
    done = run_app(["-c", CLOSE_WHILE_STARTING], tmp_path / "config")
    assert done.returncode == 0, done.stderr
    assert "did not start" not in done.stderr  # no false warning
    assert "warning" not in done.stderr, done.stderr
    assert "transformers imported: False" in done.stdout, done.stdout  # no in-process load
    assert "children left: False" in done.stdout, done.stdout
    seconds = float(done.stdout.split("close seconds:")[1].split()[0])
    assert seconds < 2.0, done.stdout  # generous: a behaviour check, not a bench
