"""GUI test fixtures: offscreen Qt, a private settings folder per test, no leaked workers."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TypeVar

import pytest
from PySide6.QtCore import QEvent, QObject, QRect
from PySide6.QtGui import QImage, QPaintEvent, QRegion
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

os.environ["QT_QPA_PLATFORM"] = "offscreen"

W = TypeVar("W", bound=QWidget)


@pytest.fixture(autouse=True)
def private_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Each test gets its own QSettings and session folder (nothing leaks between tests)."""
    folder = tmp_path / "settings"
    folder.mkdir()
    monkeypatch.setenv("TOKEN_INSPECTOR_CONFIG", str(folder))
    yield folder


@pytest.fixture(autouse=True)
def no_leaked_workers() -> Iterator[None]:
    """Fail any test that leaves a pool thread running."""
    import shiboken6
    from PySide6.QtCore import QCoreApplication, QThreadPool

    yield
    from inspector.gui import jobs

    for runner in list(jobs.RUNNERS):
        if not shiboken6.isValid(runner):
            continue  # deleted with its window: QThreadPool's destructor waited for its threads
        assert runner.wait(10_000), "a worker job was still running after the test"
        QCoreApplication.processEvents()  # a finished job's result, queued, is delivered
        assert runner.active() == 0, f"{runner.active()} jobs never delivered"
    assert QThreadPool.globalInstance().waitForDone(10_000)


def shown(qtbot: QtBot, widget: W, width: int, height: int) -> W:
    """Register a top-level widget with qtbot, size it and wait until it is on screen."""
    qtbot.addWidget(widget)
    widget.resize(width, height)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def on_screen(widget: QWidget) -> QImage:
    """What the window's backing store holds for ``widget`` (what was painted, not a new
    rendering as ``grab`` makes)."""
    top = widget.mapTo(widget.window(), widget.rect().topLeft())
    screen = widget.window().screen()
    pixmap = screen.grabWindow(
        widget.window().winId(), top.x(), top.y(), widget.width(), widget.height()
    )
    return pixmap.toImage()


def run_app(code: list[str], config: Path, timeout: int = 240) -> subprocess.CompletedProcess[str]:
    """Run ``python <code…>`` as the app would run: offscreen, offline, its own settings."""
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "HF_HUB_OFFLINE": "1",
        "TOKEN_INSPECTOR_CONFIG": str(config),
    }
    return subprocess.run(
        [sys.executable, *code], env=env, capture_output=True, text=True, timeout=timeout
    )


class Paints(QObject):
    """The paint events ``widget`` gets, by name, into ``log``; their rectangles into
    ``rects``."""

    def __init__(self, widget: QWidget, name: str, log: list[str]) -> None:
        super().__init__(widget)
        self.name, self.log = name, log
        self.rects: list[QRect] = []
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            assert isinstance(event, QPaintEvent)
            self.log.append(self.name)
            self.rects.extend(event.region())
        return False

    def covered(self, area: QRect) -> bool:
        """The paints since the last check covered ``area`` (the first band's event is the
        whole viewport: the view paints only the band of it)."""
        rects, self.rects = self.rects, []
        union = QRegion()
        for rect in rects:
            union = union.united(rect)
        return union == QRegion(area)
