"""The window says plainly that a JSON file picked as a tokenizer is not a tokenizer.json."""

from __future__ import annotations

import json
from pathlib import Path

from pytestqt.qtbot import QtBot

from inspector.core.catalog import Catalog
from inspector.gui.main_window import MainWindow
from tests.gui.conftest import shown


def test_config_json_picked_as_tokenizer(qtbot: QtBot, catalog: Catalog, tmp_path: Path) -> None:
    window = shown(qtbot, MainWindow(catalog, tokenizer="gpt2", text="hello"), 1000, 700)
    qtbot.waitUntil(lambda: window.result is not None, timeout=60_000)
    config = tmp_path / "config.json"
    config.write_text(json.dumps({"architectures": ["GPT2LMHeadModel"], "model_type": "gpt2"}))
    with qtbot.waitSignal(window.state.tokenizer_failed, timeout=60_000) as failed:
        window.load_tokenizer(str(config))
    message = failed.args[0]
    assert "config.json is JSON but not a tokenizer.json" in message
    assert window.banner.isVisible() and window.banner.text() == message
    assert window.tokenizer_name == "gpt2"  # the tokenizer shown before stays
