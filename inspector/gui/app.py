"""QApplication set-up, the main window, and ``--screenshot`` (draw, save a PNG, exit)."""

from __future__ import annotations

import gc
import os
import sys
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication

from inspector.core.background import avoid_huge_pages, keep_freed_memory
from inspector.gui.icons import ICON_SIZES, app_icon
from inspector.gui.jobs import work_left

APP_NAME = "Token Inspector"
ORGANIZATION = "token-inspector"
# Reverse-DNS id: the .desktop file, the AppStream metainfo and the icon are named after it.
APP_ID = "io.github.tokeninspector.TokenInspector"
SCREENSHOT_TIMEOUT_MS = 120_000
# How long a thread running Python keeps the lock when another asks for it (Python's default
# is 5 ms). Every call from Qt into Python on the GUI thread (a model's data(), a paint, a slot)
# takes the lock again, and waits up to this long while a worker runs Python or numpy: one
# paint of the table can wait several times. Measured with bench_gui.py --switch-ms (2026-12-02,
# shared 2-CPU machine, 4 runs each, interleaved), 5 ms → 1 ms: GUI stall while 5 MB is
# tokenized 9-20 → 8-10 ms, keystroke → strip p95 16.6-26.2 → 10.6-18.3 ms; the app's 5 MB
# encode 2.1-2.7 s either way, and encode() of 5 MB on a worker beside a 1 ms timer best
# 0.54 s at 5, 1 and 0.5 ms. bench_freeze (d), with the strip's late start: 1.25 MB 24-25 →
# 15-17 ms, 5 MB 19-20 → 10-21 ms.
SWITCH_INTERVAL_S = 0.001

__all__ = ["APP_ID", "ICON_SIZES", "app_icon", "application", "freeze_start_up_objects", "run_gui"]


def application() -> QApplication:
    sys.setswitchinterval(SWITCH_INTERVAL_S)
    keep_freed_memory()  # a long result's columns reuse mapped pages (core.background)
    avoid_huge_pages()  # no 2 MB page faults or khugepaged copies (core.background)
    app = QApplication.instance()
    if isinstance(app, QApplication):
        return app
    QApplication.setApplicationName(APP_NAME)
    QApplication.setOrganizationName(ORGANIZATION)
    QApplication.setApplicationDisplayName(APP_NAME)
    # Wayland matches the window to the .desktop entry (icon, name in the dock) by this name.
    QGuiApplication.setDesktopFileName(APP_ID)
    app = QApplication(sys.argv[:1])
    app.setWindowIcon(app_icon())
    return app


def freeze_start_up_objects() -> None:
    """Leave what start-up built (modules, classes, Qt wrappers: ~100k objects) out of every
    later full garbage collection.

    A full collection walks every tracked object with Python's lock held, whichever thread
    triggers it: 28-43 ms of CPU over the ~97k objects of a window showing a 5 MB result
    (bench_freeze.py (d), 2026-12-02), one frozen window however little the collection frees.
    Only the young generations are collected first: a full collection here was itself a
    30-40 ms stall of the just-shown window, and freed 0-10 objects (2026-12-03)."""
    gc.collect(1)
    gc.freeze()


def run_gui(
    *,
    tokenizer: str | None = None,
    text: str | None = None,
    screenshot: Path | None = None,
    lang: str | None = None,
) -> int:
    """Open the window; with ``screenshot`` wait until the panels are drawn, save, exit.

    ``lang`` ("zh_CN", "en") is this run's language; None: the saved choice, else the system's.
    """
    app = application()
    from inspector.gui.i18n import install_language

    install_language(lang)
    from inspector.gui import session
    from inspector.gui.theme import install_saved_theme

    install_saved_theme(session.settings())  # read only: View → Theme writes the choice
    from inspector.gui.main_window import MainWindow

    freeze_start_up_objects()  # the imports' ~86k objects, before any window shows
    # A screenshot reads the saved settings and session but never writes them.
    window = MainWindow(tokenizer=tokenizer, text=text, persist=screenshot is None)
    window.show()
    if screenshot is None:
        first_result = window.result_shown
        first_result.connect(freeze_start_up_objects, Qt.ConnectionType.SingleShotConnection)
        code = app.exec()
        if work_left():
            # Only moot work is left (the window saved everything and cancelled every job
            # on close; a Rust encode of a long text for a comparison row cannot be
            # interrupted). Waiting for it would hold the process for seconds: leave now.
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(code)
        return code

    outcome = {"code": 3, "taken": False, "failed": False}

    def capture() -> None:
        if outcome["taken"]:
            return
        outcome["taken"] = True
        app.processEvents()
        window.repaint()
        ok = window.grab().save(str(screenshot))
        outcome["code"] = 0 if ok and not outcome["failed"] else 3
        if not ok:
            print(f"token-inspector: error: cannot write {screenshot}", file=sys.stderr)
        window.close()

    def on_failure(message: str) -> None:
        if window.tokenizer is None:
            print(f"token-inspector: error: {message}", file=sys.stderr)
            outcome["failed"] = True
            QTimer.singleShot(0, capture)  # the window shows the error: capture that

    def give_up() -> None:
        print("token-inspector: error: the window was not ready in time", file=sys.stderr)
        window.close()

    window.result_shown.connect(lambda: QTimer.singleShot(200, capture))
    window.state.tokenizer_failed.connect(on_failure)
    QTimer.singleShot(SCREENSHOT_TIMEOUT_MS, give_up)
    app.exec()
    return outcome["code"]
