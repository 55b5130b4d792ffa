"""Shared fixtures: one catalog per test session, so each real tokenizer loads once."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from inspector.core.catalog import ENTRIES, Catalog
from inspector.core.sources import resources_dir

SAMPLES = resources_dir() / "samples"
DEFAULT_IDS = [entry.id for entry in ENTRIES]


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    return Catalog()


@pytest.fixture(scope="session")
def samples() -> Path:
    return SAMPLES


@pytest.fixture(scope="session")
def mixed_text() -> str:
    return (SAMPLES / "mixed.txt").read_text("utf-8")


@pytest.fixture(autouse=True)
def widgets_live_until_teardown(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Hold every widget given to ``qtbot.addWidget`` until the test is over, then delete it.

    pytest-qt keeps only weak references. A top-level widget whose wrapper sits in a reference
    cycle (a signal connected to a lambda over ``self`` makes one) is then freed whenever the
    garbage collector runs — also inside that widget's own paint event, right after the test
    returns and pytest-qt processes events: the window and its backing store are deleted
    under the painter (a segfault in ``QPainter::drawImage``, seen in full runs). Held here,
    the widgets are deleted at a safe point, after pytest-qt has closed them.
    """
    from PySide6.QtCore import QCoreApplication, QEvent
    from PySide6.QtWidgets import QWidget
    from pytestqt.qtbot import QtBot
    from shiboken6 import isValid

    held: list[QWidget] = []
    add_widget = QtBot.addWidget

    def add_and_hold(self: QtBot, widget: QWidget, **kwargs: Any) -> None:
        held.append(widget)
        add_widget(self, widget, **kwargs)

    monkeypatch.setattr(QtBot, "addWidget", add_and_hold)
    yield
    for widget in held:
        if isValid(widget):
            widget.close()
            widget.deleteLater()
    held.clear()
    if QCoreApplication.instance() is not None:
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
