"""Shared by the language tests: each test leaves the application in English."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QCoreApplication

from inspector.gui import i18n


@pytest.fixture(autouse=True)
def english_after(qapp: object) -> Iterator[None]:
    """Tests switch languages; the next test (and any other module) expects English."""
    yield
    i18n.translations().install(i18n.ENGLISH)
    QCoreApplication.processEvents()
