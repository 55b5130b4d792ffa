"""The main window with real tokenizers: loading, linking both ways, modes, errors, quitting."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PySide6.QtGui import QTextCursor
from pytestqt.qtbot import QtBot

from inspector.core.catalog import Catalog
from inspector.gui.main_window import MainWindow
from tests.gui.conftest import run_app

MINILM = "sentence-transformers/all-MiniLM-L6-v2"


def open_window(qtbot: QtBot, catalog: Catalog, **kwargs: object) -> MainWindow:
    window = MainWindow(catalog, **kwargs)  # type: ignore[arg-type]
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.result is not None, timeout=60_000)
    return window


def test_opens_on_default_tokenizer_with_sample_text(qtbot: QtBot, catalog: Catalog) -> None:
    window = open_window(qtbot, catalog)
    assert window.tokenizer_name == MINILM
    assert window.result is not None
    assert window.result.text == window.text_edit.toPlainText()
    assert "tokens" in window.status_tokens.text()
    assert window.table.findChild(object) is not None


def test_typing_reencodes_and_drops_stale_results(qtbot: QtBot, catalog: Catalog) -> None:
    window = open_window(qtbot, catalog, tokenizer="gpt2", text="")
    for char in "Hello world":
        window.text_edit.insertPlainText(char)
    qtbot.waitUntil(
        lambda: window.result is not None and window.result.text == "Hello world", timeout=30_000
    )
    assert window.result is not None
    assert window.result.ids == [15496, 995]


def test_hover_and_click_light_up_characters(qtbot: QtBot, catalog: Catalog) -> None:
    window = open_window(qtbot, catalog, tokenizer="gpt2", text="abc 😀 鸟 def")
    result = window.result
    assert result is not None
    last = len(result) - 1  # "def", after an emoji (two UTF-16 units)
    window.strip.hovered.emit(last)
    selections = window.text_edit.extraSelections()
    assert len(selections) == 1
    cursor = selections[0].cursor
    assert cursor.selectedText() == " def"
    window.strip.clicked.emit(last)
    assert "id <b>" in window.details.text()


def test_selecting_text_highlights_covering_tokens(qtbot: QtBot, catalog: Catalog) -> None:
    window = open_window(qtbot, catalog, tokenizer="gpt2", text="Hello world again")
    seen: list[np.ndarray] = []
    original = window.strip.highlight

    def record(indices: np.ndarray) -> None:
        seen.append(np.asarray(indices))
        original(indices)

    window.strip.highlight = record  # type: ignore[method-assign]
    cursor = window.text_edit.textCursor()
    cursor.setPosition(7)  # inside "world"
    cursor.setPosition(13, QTextCursor.MoveMode.KeepAnchor)  # into "again"
    window.text_edit.setTextCursor(cursor)
    assert seen and seen[-1].tolist() == [1, 2]


def test_broken_tokenizer_shows_message_and_keeps_previous(
    qtbot: QtBot, catalog: Catalog, tmp_path: Path
) -> None:
    window = open_window(qtbot, catalog, tokenizer="gpt2", text="hello")
    broken = tmp_path / "tokenizer.json"
    broken.write_text("{ not json", "utf-8")
    with qtbot.waitSignal(window.runner.failed, timeout=30_000):
        window.load_tokenizer(str(broken))
    assert window.banner.isVisible()
    assert "tokenizer.json" in window.banner.text()
    assert window.tokenizer_name == "gpt2"
    window.text_edit.setPlainText("hello there")
    qtbot.waitUntil(lambda: window.result is not None and window.result.text == "hello there")


def test_pair_and_batch_modes(qtbot: QtBot, catalog: Catalog, samples: Path) -> None:
    window = open_window(qtbot, catalog, tokenizer=MINILM, text="Where is the library?")
    window.pair_edit.setPlainText("Next to the station.")
    panel = window.encoding_panel
    panel.set_settings(panel.settings(), "pair")
    panel.settings_changed.emit()
    qtbot.waitUntil(lambda: window.result is not None and window.result.pair is not None)
    assert window.pair_edit.isVisible()
    assert 1 in window.result.columns.type_ids.tolist()
    window.pair_edit.setPlainText("")  # batch: a pair pane line would pair with line 1 only
    window.text_edit.setPlainText((samples / "batch.txt").read_text("utf-8"))
    panel.set_settings(panel.settings(), "batch")
    panel.settings_changed.emit()
    qtbot.waitUntil(lambda: window.result is not None and window.result.text == "A short line.")


def test_text_survives_restart(qtbot: QtBot, catalog: Catalog) -> None:
    window = open_window(qtbot, catalog, tokenizer="gpt2", text="")
    window.text_edit.setPlainText("keep me 鸟")
    window.close()
    again = open_window(qtbot, catalog, tokenizer="gpt2")
    assert again.text_edit.toPlainText() == "keep me 鸟"
    assert again.tokenizer_name == "gpt2"


def test_quit_while_a_job_runs_is_clean(qtbot: QtBot, catalog: Catalog) -> None:
    window = open_window(qtbot, catalog, tokenizer="gpt2", text="x")
    window.text_edit.setPlainText("Tokenizers see text differently 鸟语花香 🎶\n" * 40_000)
    window.request_encode()  # a large text: read in slices, then encoded in a child process
    qtbot.waitUntil(lambda: window.runner.active() >= 1)
    process = window.encode_process
    window.close()
    assert not process.running  # the child was stopped, not left running
    assert window.runner.active() == 0 or window.runner.wait(30_000)


@pytest.mark.timeout(300)
def test_screenshot_command_writes_png_and_never_the_session(tmp_path: Path) -> None:
    """--screenshot reads the saved draft and settings but leaves them as they were."""
    out = tmp_path / "shot.png"
    config = tmp_path / "config"
    config.mkdir()
    (config / "session-text.txt").write_text("my saved draft", "utf-8")
    (config / "settings.ini").write_text("[General]\ntokenizer=minilm\n", "utf-8")
    before = {path.name: path.read_bytes() for path in config.iterdir()}
    done = run_app(
        ["-m", "inspector", "--screenshot", str(out), "-t", "gpt2", "--text", "Hi 鸟"], config
    )
    assert done.returncode == 0, done.stderr
    data = out.read_bytes()
    assert data.startswith(b"\x89PNG") and len(data) > 10_000
    assert {path.name: path.read_bytes() for path in config.iterdir()} == before


def test_encoding_settings_survive_restart(qtbot: QtBot, catalog: Catalog) -> None:
    from inspector.core.settings import EncodeSettings

    window = open_window(qtbot, catalog, tokenizer=MINILM, text="hello")
    chosen = EncodeSettings(truncation="longest_first", max_length=8, stride=2)
    window.encoding_panel.set_settings(chosen, "pair")
    window.close()
    again = open_window(qtbot, catalog, tokenizer=MINILM)
    assert again.encoding_panel.settings() == chosen
    assert again.encoding_panel.mode() == "pair"
    assert again.pair_edit.isVisibleTo(again)


def test_what_if_tokens_survive_restart(
    qtbot: QtBot, catalog: Catalog, private_settings: Path
) -> None:
    """The session comes back with its "what if" copy (tokens and special-ness); a tokenizer
    asked for by name, or a reset, starts plain. Settings live in the test's own folder."""
    window = open_window(qtbot, catalog, tokenizer="gpt2", text="hi <|mine|> and <|yours|>")
    window.state.add_tokens(["<|mine|>", "<|yours|>"], True)
    qtbot.waitUntil(lambda: _shown_with(window, "gpt2+added"), timeout=60_000)
    window.close()
    assert "what_if" in (private_settings / "settings.ini").read_text("utf-8")

    again = open_window(qtbot, catalog)  # the saved session: gpt2 and its added tokens
    qtbot.waitUntil(lambda: _shown_with(again, "gpt2+added"), timeout=60_000)
    state = again.state
    assert state.tokenizer_name == "gpt2" and state.is_modified
    assert state.added_tokens == ("<|mine|>", "<|yours|>") and state.added_special
    assert again.modified.isVisible() and "modified copy" in again.windowTitle()
    result = again.result
    assert result is not None and result.columns.control[-1]  # "<|yours|>" a special token
    again.modified.linkActivated.emit("reset")
    qtbot.waitUntil(lambda: _shown_with(again, "gpt2"), timeout=60_000)
    again.close()

    plain = open_window(qtbot, catalog)  # reset before closing: nothing added
    qtbot.waitUntil(lambda: _shown_with(plain, "gpt2"), timeout=60_000)
    assert not plain.state.is_modified
    plain.state.add_tokens(["<|mine|>"], False)
    qtbot.waitUntil(lambda: _shown_with(plain, "gpt2+added"), timeout=60_000)
    plain.close()
    named = open_window(qtbot, catalog, tokenizer="gpt2")  # asked for by name: plain gpt2
    qtbot.waitUntil(lambda: _shown_with(named, "gpt2") and not named.runner.active())
    assert not named.state.is_modified


def _shown_with(window: MainWindow, tokenizer_id: str) -> bool:
    return window.result is not None and window.result.tokenizer.id == tokenizer_id


QUIT_DURING_COMPARISON = """
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from inspector.gui import app, jobs
from inspector.gui.main_window import MainWindow

def close_mid_comparison():
    window = next(w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow))
    panel = window.comparison.panel
    def close_when_rows_run():
        if not panel.is_busy():  # its rows, on the window's one runner
            return
        ticker.stop()
        window.close()  # must return at once, the rows still running
        print("closed; work left:", jobs.work_left(), flush=True)
    ticker = QTimer(window, interval=5)
    ticker.timeout.connect(close_when_rows_run)
    window.comparison.show_panel()
    panel.set_rows(["gpt2", "sentence-transformers/all-MiniLM-L6-v2"])
    ticker.start()

QTimer.singleShot(0, close_mid_comparison)
sys.exit(app.run_gui(tokenizer="gpt2", text="Tokenizers see text 鸟语花香 🎶.\\n" * 60_000))
"""


@pytest.mark.timeout(300)
def test_quitting_during_a_comparison_does_not_wait_for_its_rows(tmp_path: Path) -> None:
    """The comparison's row encodes (uninterruptible Rust calls on a long text) are moot
    once the window closes: close returns with them still running and the process leaves
    without waiting for them (it used to hang for seconds, then burn CPU)."""
    done = run_app(["-c", QUIT_DURING_COMPARISON], tmp_path / "config")
    assert done.returncode == 0, done.stderr
    assert "closed; work left: True" in done.stdout


def test_a_dropped_tokenizer_loads_and_a_dropped_text_opens(tmp_path: Path) -> None:
    """As File would: a tokenizer file or folder is loaded, any other file opened as text."""
    from inspector.gui.window_menus import open_dropped

    folder = tmp_path / "saved"
    folder.mkdir()
    (tmp_path / "tokenizer.json").write_text("{}", "utf-8")
    (tmp_path / "notes.txt").write_text("hello", "utf-8")
    loaded: list[str] = []
    opened: list[Path] = []
    for name in ("tokenizer.json", "saved", "notes.txt", "missing.txt"):
        open_dropped([tmp_path / name, tmp_path / "notes.txt"], loaded.append, opened.append)
    assert loaded == [str(tmp_path / "tokenizer.json"), str(folder)]
    assert opened == [tmp_path / "notes.txt"]  # the first dropped only; a missing one: nothing
