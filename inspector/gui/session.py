"""Where the app keeps its settings and the user's text between runs (and after a crash)."""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Iterable
from pathlib import Path

from PySide6.QtCore import QSettings, QStandardPaths

from inspector.core.files import write_atomic


def config_dir() -> Path:
    """TOKEN_INSPECTOR_CONFIG wins (tests give each test its own); else Qt's app config dir."""
    override = os.environ.get("TOKEN_INSPECTOR_CONFIG")
    if override:
        folder = Path(override)
    else:
        location = QStandardPaths.StandardLocation.AppConfigLocation
        folder = Path(QStandardPaths.writableLocation(location) or Path.home() / ".token-inspector")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def settings() -> QSettings:
    return QSettings(str(config_dir() / "settings.ini"), QSettings.Format.IniFormat)


class SessionText:
    """The text panes' contents, saved atomically so a crash loses at most a second of typing."""

    def __init__(self, folder: Path | None = None) -> None:
        self.folder = folder or config_dir()
        # Held while a save writes: saves from workers and the last one at quit never overlap.
        self.lock = threading.Lock()

    def _path(self, name: str) -> Path:
        return self.folder / f"session-{name}.txt"

    def load(self, name: str) -> str | None:
        try:
            return self._path(name).read_text("utf-8")
        except (OSError, UnicodeDecodeError):
            return None

    def save(self, name: str, text: str | Iterable[str]) -> None:
        """``text`` whole, or in pieces (written one by one: see write_atomic)."""
        # A read-only config folder must not stop the user from working.
        with contextlib.suppress(OSError):
            write_atomic(self._path(name), text)
