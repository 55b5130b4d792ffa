"""CancelToken: how a caller tells long work (an encode, a model load or forward) to stop.

Plain threading, no Qt: the GUI's job runner hands one to every job, and core functions that
take a token check it between steps.
"""

from __future__ import annotations

import threading

from inspector.core.errors import Cancelled


class CancelToken:
    """Handed to every job function: check it between steps of long work."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def check(self) -> None:
        if self._event.is_set():
            raise Cancelled
