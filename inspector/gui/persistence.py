"""What the window remembers between runs (QSettings): layout, strip options, encoding
settings and mode, the tokenizer and its "what if" tokens, recent files, the model choice.

Read always; written only when ``writable`` (``--screenshot`` and tests open the window
without writing the user's settings).
"""

from __future__ import annotations

import json

from PySide6.QtCore import QByteArray, QSettings
from PySide6.QtWidgets import QCheckBox, QMainWindow

from inspector.core.catalog import DEFAULT_TOKENIZER
from inspector.core.errors import InspectorError
from inspector.core.examples import AddedTokens
from inspector.core.settings import EncodeSettings
from inspector.core.sources import resources_dir
from inspector.gui.session import SessionText
from inspector.gui.widgets.model_bar import ModelBar

MAX_RECENT = 8
SAMPLE_TEXT = "mixed.txt"  # in resources/samples: what a first run opens with


def first_texts(session: SessionText, text: str | None) -> tuple[str, str]:
    """The text and pair text to open with: ``text`` if given, else the saved draft, else
    the mixed sample."""
    if text is None:
        text = session.load("text")
    if text is None:
        sample = resources_dir() / "samples" / SAMPLE_TEXT
        text = sample.read_text("utf-8") if sample.is_file() else ""
    return text, session.load("pair") or ""


class WindowSettings:
    def __init__(self, store: QSettings, *, writable: bool = True) -> None:
        self.store = store
        self.writable = writable

    # -- reading ----------------------------------------------------------------------
    def tokenizer(self) -> str:
        return str(self.store.value("tokenizer", DEFAULT_TOKENIZER))

    def what_if(self, tokenizer: str) -> AddedTokens | None:
        """The "what if" tokens saved with ``tokenizer`` (None: none, or saved with another)."""
        saved = self.store.value("what_if")
        if not isinstance(saved, str):
            return None
        try:
            values = json.loads(saved)
            tokens = tuple(str(token) for token in values["tokens"])
            if values["tokenizer"] != tokenizer or not tokens:
                return None
            return AddedTokens(tokens, bool(values["special"]))
        except (ValueError, TypeError, KeyError):
            return None

    def recent(self) -> list[str]:
        value = self.store.value("recent", [])
        if isinstance(value, str):
            value = [value]
        return [str(v) for v in (value or [])][:MAX_RECENT]

    def encoding(self) -> tuple[EncodeSettings, str] | None:
        """The saved settings and mode; None when there are none (or from another version)."""
        saved = self.store.value("encoding")
        if not isinstance(saved, str):
            return None
        try:
            values = json.loads(saved)
            return EncodeSettings(**values.get("settings", {})), str(values.get("mode", "single"))
        except (ValueError, TypeError, AttributeError, InspectorError):
            return None

    def restore_layout(self, window: QMainWindow) -> bool:
        """Geometry and dock layout; False on a first run (the caller sizes the docks)."""
        geometry = self.store.value("geometry")
        if isinstance(geometry, QByteArray):
            window.restoreGeometry(geometry)
        else:
            window.resize(1280, 820)
        state = self.store.value("window_state")
        return isinstance(state, QByteArray) and window.restoreState(state)

    def restore_boxes(self, boxes: dict[str, QCheckBox]) -> None:
        for key, box in boxes.items():
            value = self.store.value(key)
            if value is not None:
                box.setChecked(str(value).lower() == "true")

    def restore_model(self, bar: ModelBar) -> None:
        name = self.store.value("model/name")
        device = self.store.value("model/device")
        dtype = self.store.value("model/dtype")
        if name:
            bar.set_choice(str(name), str(device or "auto"), str(dtype or "auto"))
        bar.auto_box.setChecked(str(self.store.value("model/auto_run", "false")).lower() == "true")

    # -- writing ----------------------------------------------------------------------
    def remember_recent(self, name: str) -> list[str]:
        """Put a file or folder first in the recent list; returns the list."""
        recent = [name] + [r for r in self.recent() if r != name]
        if self.writable:
            self.store.setValue("recent", recent[:MAX_RECENT])
        return recent[:MAX_RECENT]

    def save(
        self,
        window: QMainWindow,
        *,
        tokenizer: str,
        added: AddedTokens | None,
        settings: EncodeSettings,
        mode: str,
        boxes: dict[str, QCheckBox],
        model_bar: ModelBar,
    ) -> None:
        if not self.writable:
            return
        store = self.store
        store.setValue("geometry", window.saveGeometry())
        store.setValue("window_state", window.saveState())
        if tokenizer:
            store.setValue("tokenizer", tokenizer)
            if added is None:
                store.remove("what_if")
            else:
                what_if = {"tokenizer": tokenizer, "tokens": added.tokens, "special": added.special}
                store.setValue("what_if", json.dumps(what_if))
        store.setValue("encoding", json.dumps({"settings": settings.to_dict(), "mode": mode}))
        for key, box in boxes.items():
            store.setValue(key, box.isChecked())
        choice = model_bar.choice()
        store.setValue("model/name", choice.name)
        store.setValue("model/device", choice.device)
        store.setValue("model/dtype", choice.dtype)
        store.setValue("model/auto_run", model_bar.auto_box.isChecked())
        store.sync()
