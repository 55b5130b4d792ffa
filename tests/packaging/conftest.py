"""Packaging tests: offscreen Qt, private settings and cache folders per test."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ["QT_QPA_PLATFORM"] = "offscreen"


@pytest.fixture(autouse=True)
def private_folders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Each test gets its own settings and cache folder (nothing leaks between tests)."""
    monkeypatch.setenv("TOKEN_INSPECTOR_CONFIG", str(tmp_path / "config"))
    monkeypatch.setenv("TOKEN_INSPECTOR_CACHE", str(tmp_path / "cache"))
    yield tmp_path


@pytest.fixture(autouse=True)
def no_leaked_workers() -> Iterator[None]:
    """Fail any test that leaves a pool thread running (as tests/gui does)."""
    yield
    import sys

    if "inspector.gui.jobs" not in sys.modules:
        return
    import shiboken6
    from PySide6.QtCore import QThreadPool

    from inspector.gui import jobs

    # A closed window's runner may already be deleted on the C++ side: its pool is gone too.
    for runner in [r for r in jobs.RUNNERS if shiboken6.isValid(r)]:
        assert runner.wait(10_000), "a worker job was still running after the test"
    assert QThreadPool.globalInstance().waitForDone(10_000)
