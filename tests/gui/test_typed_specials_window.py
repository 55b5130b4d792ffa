"""Issue 10 in the window: special-token strings typed in the text are loud (status line,
control chips) and can be read as text; line separators a file holds are said plainly."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from pytestqt.qtbot import QtBot

from inspector.core.catalog import Catalog
from inspector.gui.document_text import exact_text
from inspector.gui.main_window import MainWindow

TEXT = "hi<|endoftext|>there <|endoftext|>"


def open_window(qtbot: QtBot, catalog: Catalog, **kwargs: object) -> MainWindow:
    window = MainWindow(catalog, persist=False, **kwargs)  # type: ignore[arg-type]
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(
        lambda: window.result is not None and window.tokenizer_name == kwargs.get("tokenizer"),
        timeout=60_000,
    )
    return window


def test_typed_special_tokens_are_loud_and_can_be_read_as_text(
    qtbot: QtBot, catalog: Catalog
) -> None:
    window = open_window(qtbot, catalog, tokenizer="gpt2", text=TEXT)
    result = window.result
    assert result is not None and result.typed_control_count == 2
    cols = result.columns
    assert (cols.control & ~cols.special).sum() == 2  # drawn as control chips, not added ones
    status = window.status
    assert status.typed.isVisibleTo(window) and "2 special-token" in status.typed.text()

    panel = window.encoding_panel
    with qtbot.waitSignal(window.state.result_changed, timeout=60_000):
        panel.split_special_check.setChecked(True)  # "special tokens as text"
    split = window.result
    assert split is not None and split.settings.split_special_tokens
    assert split.typed_control_count == 0 and 50256 not in split.columns.ids.tolist()
    assert not status.typed.isVisibleTo(window)
    # the round trip is exact either way: the typed strings came from the text
    assert split.roundtrip is not None and split.roundtrip.equal
    assert result.roundtrip is not None and result.roundtrip.equal
    assert np.array_equal(split.columns.control, split.columns.special)


def test_a_file_with_line_separators_says_how_they_are_shown(
    qtbot: QtBot, catalog: Catalog, tmp_path: Path
) -> None:
    window = open_window(qtbot, catalog, tokenizer="gpt2", text="x")
    path = tmp_path / "separators.txt"
    path.write_bytes("one\r\ntwo\u2029three\u2028four".encode())
    messages: list[str] = []
    window.panes.problem.connect(messages.append)
    window.open_text_file(path)
    assert messages and "CR/CRLF" in messages[0] and "U+2029" in messages[0]
    assert "U+2028" in messages[0]  # kept, and said so
    shown = exact_text(window.text_edit.document())
    assert shown == "one\ntwo\nthree\u2028four"  # what the tokenizer is given
