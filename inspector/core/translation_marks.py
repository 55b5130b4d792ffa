"""Core's own ``QT_TRANSLATE_NOOP`` (core imports no Qt).

lupdate finds the English strings a core module marks with ``QT_TRANSLATE_NOOP("Context",
"…")`` (packaging/update_translations.py reads every core file that uses it); the window
translates them where it shows them, the CLI and the reports keep the English.
"""

from __future__ import annotations


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:
    """Marks ``text`` for translation in ``context``; returns it unchanged."""
    return text
