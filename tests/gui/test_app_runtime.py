"""What the app sets for the whole process once its window shows a result: start-up objects
out of the garbage collector's full passes, and a short thread switch interval."""

from __future__ import annotations

from pathlib import Path

from tests.gui.conftest import run_app

CHECK_AFTER_FIRST_RESULT = """
import gc, sys
from PySide6.QtCore import QTimer
from inspector.gui import app
from inspector.gui.main_window import MainWindow

shown = MainWindow.show

def show_and_check(window):
    shown(window)
    def check():
        print("frozen", gc.get_freeze_count(), "switch", sys.getswitchinterval())
        window.close()
    window.result_shown.connect(lambda: QTimer.singleShot(0, check))

MainWindow.show = show_and_check
sys.exit(app.run_gui(tokenizer="gpt2", text="Hello world"))
"""


def test_start_up_objects_are_frozen_and_threads_switch_often(tmp_path: Path) -> None:
    done = run_app(["-c", CHECK_AFTER_FIRST_RESULT], tmp_path / "config")
    assert done.returncode == 0, done.stderr
    words = done.stdout.split()
    assert words[0] == "frozen" and int(words[1]) > 10_000  # modules, classes, functions
    assert words[2] == "switch" and float(words[3]) == 0.001
