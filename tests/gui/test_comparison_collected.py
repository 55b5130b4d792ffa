"""A parentless ComparisonPanel, dropped after a comparison, is freed at once by its last
reference (on the GUI thread), not left in a cycle for a garbage collection: a collection may
run on any thread (a pool thread that allocates), and a QWidget deleted there crashed the
process (PySide's thread pool keeps every job it ran, and the jobs held the panel's callbacks).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = """
import gc, sys, threading, weakref
from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QApplication
from inspector.core.catalog import Catalog
from inspector.gui.widgets.comparison_view import ComparisonPanel

app = QApplication(sys.argv)
catalog = Catalog()


def compared() -> weakref.ref:
    panel = ComparisonPanel(catalog)
    panel.show()
    loop = QEventLoop()
    panel.rows_settled.connect(loop.quit)
    panel.set_text("Hello world, 東京 🎶 " * 100)
    panel.set_rows(["gpt2", "minilm"])
    QTimer.singleShot(60_000, loop.quit)
    loop.exec()
    while panel.canvas.is_laying_out():
        app.processEvents()
    panel.shutdown()
    panel.close()
    return weakref.ref(panel)


gc.disable()  # collections only where this script makes them
panels = [compared() for _ in range(3)]
print("left for a collection:", sum(p() is not None for p in panels), flush=True)
collector = threading.Thread(target=gc.collect)  # as a pool thread's allocation would
collector.start()
collector.join()
for _ in range(20):
    app.processEvents()
print("done", flush=True)
"""


def test_dropped_panel_is_freed_without_a_collection() -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "HF_HUB_OFFLINE": "1"}
    env["QT_QPA_PLATFORM"] = "offscreen"
    done = subprocess.run(
        [sys.executable, "-X", "faulthandler", "-c", SCRIPT],
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.splitlines() == ["left for a collection: 0", "done"]
