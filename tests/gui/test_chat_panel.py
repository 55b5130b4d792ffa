"""Chat mode: the messages editor, and the panel on real tokenizers (pytest-qt, offscreen)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtGui import QTextCursor
from pytestqt.qtbot import QtBot

from inspector.core.catalog import Catalog
from inspector.core.chat import apply_chat, conversation_from_value
from inspector.gui.widgets.chat_editor import ChatEditor, role_colour
from inspector.gui.widgets.chat_panel import ChatPanel
from inspector.gui.widgets.strip_layout import SPECIAL_FLAG as _SPECIAL
from tests.gui.conftest import shown

MESSAGES = [
    {"role": "user", "content": "Where is the station? 车站在哪里？ 🚉"},
    {"role": "assistant", "content": "Two blocks north,\tthen left 👉."},
    {"role": "user", "content": "Thanks!  And the    museum?"},
]


# --------------------------------------------------------------------------- the editor


def test_editor_builds_edits_reorders_and_removes(qtbot: QtBot) -> None:
    editor = shown(qtbot, ChatEditor(), 400, 500)
    assert editor.conversation() is None  # nothing to encode yet
    with qtbot.waitSignal(editor.changed):
        editor.add_button.click()
    first = editor.rows[0]
    assert first.role() == "user"
    qtbot.keyClicks(first.editor, "Hello ")
    first.editor.insertPlainText("🎶")  # QTest cannot type a character outside the BMP
    editor.add_button.click()  # after a user message comes the assistant
    assert editor.rows[1].role() == "assistant"
    qtbot.keyClicks(editor.rows[1].editor, "Hi")
    conversation = editor.conversation()
    assert conversation is not None
    assert [dict(m) for m in conversation.messages] == [
        {"role": "user", "content": "Hello 🎶"},
        {"role": "assistant", "content": "Hi"},
    ]
    with qtbot.waitSignal(editor.changed):
        editor.rows[1].up.click()
    assert [editor.conversation().role(i) for i in range(2)] == ["assistant", "user"]  # type: ignore[union-attr]
    editor.rows[0].up.click()  # already first: nothing moves
    assert editor.rows[0].content() == "Hi"
    editor.rows[0].role_box.setCurrentText("system")
    assert editor.conversation().role(0) == "system"  # type: ignore[union-attr]
    with qtbot.waitSignal(editor.changed):
        editor.rows[0].remove.click()
    assert len(editor.rows) == 1 and editor.conversation().role(0) == "user"  # type: ignore[union-attr]
    with qtbot.waitSignal(editor.changed):
        editor.generation_box.setChecked(False)
    assert not editor.add_generation_prompt()


def test_editor_open_save_round_trip_and_bad_files(qtbot: QtBot, tmp_path: Path) -> None:
    editor = shown(qtbot, ChatEditor(), 400, 500)
    tools = [{"type": "function", "function": {"name": "where", "parameters": {}}}]
    source = tmp_path / "in.json"
    source.write_text(json.dumps({"messages": MESSAGES, "tools": tools}), "utf-8")
    assert editor.open_file(source)
    assert [r.role() for r in editor.rows] == ["user", "assistant", "user"]
    assert editor.rows[1].content() == MESSAGES[1]["content"]
    saved = tmp_path / "out.json"
    assert editor.save_file(saved)
    assert json.loads(saved.read_text("utf-8")) == {"messages": MESSAGES, "tools": tools}
    broken = tmp_path / "broken.json"
    broken.write_text('[{"role": "user",\n "content": }]', "utf-8")
    with qtbot.waitSignal(editor.error) as blocker:
        assert not editor.open_file(broken)
    assert "line 2, column 13" in blocker.args[0]
    assert len(editor.rows) == 3  # the conversation on screen stays


def test_editor_marks_characters_of_a_message(qtbot: QtBot) -> None:
    editor = shown(qtbot, ChatEditor(), 400, 500)
    editor.set_conversation(conversation_from_value(MESSAGES))
    editor.mark(0, 22, 26)  # 车站在哪
    selections = editor.rows[0].editor.extraSelections()
    assert len(selections) == 1 and selections[0].cursor.selectedText() == "车站在哪"
    assert editor.rows[1].editor.extraSelections() == []
    editor.mark(0, 29, 30)  # 🚉: two UTF-16 units in Qt
    selections = editor.rows[0].editor.extraSelections()
    assert selections[0].cursor.selectedText() == "🚉"


# --------------------------------------------------------------------------- the panel


@pytest.fixture
def panel(qtbot: QtBot) -> ChatPanel:
    widget = shown(qtbot, ChatPanel(), 1200, 700)
    widget.editor.set_conversation(conversation_from_value(MESSAGES))
    yield widget
    widget.shutdown()


def _show_chat(qtbot: QtBot, panel: ChatPanel, catalog: Catalog, name: str) -> object:
    with qtbot.waitSignal(panel.chat_shown, timeout=60_000) as blocker:
        panel.set_tokenizer(catalog.load(name))
    return blocker.args[0]


def test_panel_shows_the_smollm2_conversation(
    qtbot: QtBot, panel: ChatPanel, catalog: Catalog
) -> None:
    chat = _show_chat(qtbot, panel, catalog, "smollm2")
    truth = apply_chat(
        catalog.load("smollm2"), conversation_from_value(MESSAGES), add_generation_prompt=True
    )
    assert chat.result.ids == truth.result.ids  # type: ignore[attr-defined]
    assert panel.rendered.toPlainText() == truth.rendered
    assert panel.table.rowCount() == 4  # three messages + closing and generation prompt
    assert [panel.table.item(r, 1).text() for r in range(3)] == ["user", "assistant", "user"]
    assert panel.table.item(0, 2).text() == str(truth.rows[0].content_tokens)
    assert f"template overhead {truth.overhead}" in panel.status.text()
    # scaffolding is drawn as control tokens, content tokens carry their role's band
    strip = panel.strip
    flags = strip._tokens.flags  # type: ignore[union-attr]
    scaffolding = truth.message < 0
    assert ((flags & _SPECIAL) > 0).tolist() == scaffolding.tolist()
    content = int(np.flatnonzero(truth.message == 1)[0])
    assert strip.band_colour(content).name() == role_colour("assistant").lower()  # type: ignore[union-attr]
    assert strip.band_colour(0) is None
    strip.grab()  # paints the bands without error


def test_hover_links_strip_rendered_text_and_editor(
    qtbot: QtBot, panel: ChatPanel, catalog: Catalog
) -> None:
    chat = _show_chat(qtbot, panel, catalog, "mistral-v3")
    index = int(np.flatnonzero(chat.message == 0)[2])  # type: ignore[attr-defined]
    cols = chat.result.columns  # type: ignore[attr-defined]
    start, end = int(cols.char_start[index]), int(cols.char_end[index])
    panel.strip.hovered.emit(index)
    rendered = panel.rendered.extraSelections()
    assert rendered[0].cursor.selectedText() == chat.rendered[start:end]  # type: ignore[attr-defined]
    row = chat.rows[0]  # type: ignore[attr-defined]
    text = MESSAGES[0]["content"]
    selections = panel.editor.rows[0].editor.extraSelections()
    marked = selections[0].cursor.selectedText()
    assert marked == text[max(start, row.start) - row.start : min(end, row.end) - row.start]
    panel.strip.hovered.emit(-1)
    assert panel.rendered.extraSelections() == []
    panel.table.selectRow(1)  # the assistant's tokens light up in the strip
    assert panel.strip._highlight.tolist() == np.flatnonzero(chat.message == 1).tolist()  # type: ignore[attr-defined]


def test_another_tokenizer_without_a_template_leaves_nothing_to_export(
    qtbot: QtBot, panel: ChatPanel, catalog: Catalog, tmp_path: Path
) -> None:
    """smollm2's conversation never stays under gpt2 (which has no template): nothing shown,
    export and Run model off; a template file renders it again."""
    _show_chat(qtbot, panel, catalog, "smollm2")
    assert panel.export_button.isEnabled() and panel.model_button.isEnabled()
    with qtbot.waitSignal(panel.failed, timeout=60_000) as blocker:
        panel.set_tokenizer(catalog.load("gpt2"))
    assert "no chat template" in blocker.args[0] and panel.banner.isVisible()
    _assert_nothing_shown(panel, tmp_path)
    template = tmp_path / "t.jinja"
    template.write_text("{% for m in messages %}[{{ m.role }}] {{ m.content }}\n{% endfor %}")
    with qtbot.waitSignal(panel.chat_shown, timeout=60_000) as shown_chat:
        panel.set_template_path(template)
    assert shown_chat.args[0].rendered.startswith("[user] Where is")
    assert not panel.banner.isVisible() and panel.own_button.isEnabled()
    assert panel.chat_is_current and panel.export_button.isEnabled()


def _assert_nothing_shown(panel: ChatPanel, tmp_path: Path) -> None:
    assert panel.chat() is None and panel.strip.result() is None
    assert panel.rendered.toPlainText() == "" and panel.table.rowCount() == 0
    assert "tokens" not in panel.status.text()  # no count of the conversation before
    assert not panel.export_button.isEnabled() and not panel.model_button.isEnabled()
    asked: list[object] = []
    panel.run_model_requested.connect(asked.append)
    panel.model_button.click()
    panel._on_run_model()  # even called directly: nothing to run
    assert asked == []
    assert not panel.export_to(tmp_path / "stale.json")
    assert not (tmp_path / "stale.json").exists()


def test_an_edit_the_template_refuses_keeps_the_last_result_to_look_at(
    qtbot: QtBot, panel: ChatPanel, catalog: Catalog, tmp_path: Path
) -> None:
    """Same tokenizer and template, a conversation the template refuses: the last good
    result stays on screen, but export and Run model are off (it is not this conversation's)."""
    template = tmp_path / "three.jinja"
    template.write_text(
        "{% if messages|length > 3 %}{{ raise_exception('at most three messages') }}{% endif %}"
        "{% for m in messages %}[{{ m.role }}] {{ m.content }}\n{% endfor %}"
    )
    panel.set_template_path(template)
    chat = _show_chat(qtbot, panel, catalog, "gpt2")
    with qtbot.waitSignal(panel.failed, timeout=60_000) as blocker:
        panel.editor.add_message("user", "a fourth")
    assert "at most three messages" in blocker.args[0]
    assert panel.chat() is chat and panel.strip.result() is chat.result  # type: ignore[attr-defined]
    assert not panel.chat_is_current and not panel.export_button.isEnabled()
    assert not panel.export_to(tmp_path / "old.json")


def test_window_chat_drops_the_conversation_of_the_tokenizer_before(
    qtbot: QtBot, catalog: Catalog, tmp_path: Path
) -> None:
    """The window on smollm2, Chat open; the user picks qwen2.5 (no chat template): the
    panel says so and shows, exports and runs nothing of smollm2's conversation."""
    from inspector.gui.main_window import MainWindow

    window = shown(qtbot, MainWindow(catalog, tokenizer="smollm2", text="Hi"), 1200, 800)
    qtbot.waitUntil(lambda: window.tokenizer is not None, timeout=60_000)
    panel = window.chat.panel
    with qtbot.waitSignal(panel.chat_shown, timeout=60_000):
        window.chat.show_panel()
    with qtbot.waitSignal(panel.failed, timeout=60_000) as failed:
        window.picker.chosen.emit("qwen2.5")
    assert window.state.tokenizer_name == "qwen2.5"
    assert failed.args[0].startswith("qwen2.5 has no chat template")
    assert panel.banner.isVisible() and panel.banner.text() == failed.args[0]
    _assert_nothing_shown(panel, tmp_path)
    with qtbot.waitSignal(panel.chat_shown, timeout=60_000) as again:
        window.picker.chosen.emit("smollm2")
    assert again.args[0].result.tokenizer.id == "smollm2" and panel.export_button.isEnabled()
    window.close()


def test_editing_re_renders(qtbot: QtBot, panel: ChatPanel, catalog: Catalog) -> None:
    _show_chat(qtbot, panel, catalog, "smollm2")
    with qtbot.waitSignal(panel.chat_shown, timeout=60_000) as blocker:
        panel.editor.generation_box.setChecked(False)
    assert not blocker.args[0].rendered.endswith("<|im_start|>assistant\n")
    with qtbot.waitSignal(panel.chat_shown, timeout=60_000) as blocker:
        editor = panel.editor.rows[2].editor
        editor.moveCursor(QTextCursor.MoveOperation.End)
        editor.insertPlainText(" 鸟")  # QTest types Latin-1 only
    assert "museum? 鸟<|im_end|>" in blocker.args[0].rendered


def test_window_chat_mode_follows_the_tokenizer(qtbot: QtBot, catalog: Catalog) -> None:
    from PySide6.QtWidgets import QToolButton

    from inspector.gui.main_window import MainWindow

    window = shown(qtbot, MainWindow(catalog, tokenizer="smollm2", text="Hi"), 1200, 800)
    qtbot.waitUntil(lambda: window.tokenizer is not None, timeout=60_000)
    chat_dock = window.chat
    assert not chat_dock.dock.isVisible()  # hidden, it does no work
    button = next(b for b in window.encoding_panel.findChildren(QToolButton) if b.text() == "chat…")
    with qtbot.waitSignal(chat_dock.panel.chat_shown, timeout=60_000) as blocker:
        button.click()  # "chat…" beside single / pair / batch opens Chat mode
    assert chat_dock.dock.isVisible()
    assert blocker.args[0].result.tokenizer.id == "smollm2"
    assert blocker.args[0].rendered.startswith("<|im_start|>system\n")  # the sample, own template
    with qtbot.waitSignal(chat_dock.panel.failed, timeout=60_000) as failed:
        window.load_tokenizer("gpt2")
    assert "no chat template" in failed.args[0]
    window.close()


def test_model_panels_run_on_the_conversation(
    qtbot: QtBot, catalog: Catalog, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A tiny random Llama (built here) beside a tokenizer saved with a chat template: Run
    model on conversation feeds the rendered conversation to the model panels, which then
    show its last token, the generation prompt."""
    from PySide6.QtWidgets import QFileDialog

    from inspector.gui.main_window import MainWindow
    from tests.core.test_chat import save_chat_tokenizer
    from tests.core.tiny_models import build_tiny

    folder = build_tiny("llama", save_chat_tokenizer(tmp_path / "tok"), tmp_path / "model").folder
    window = shown(qtbot, MainWindow(catalog, tokenizer="gpt2", text="Hi"), 1200, 800)
    qtbot.waitUntil(lambda: window.tokenizer is not None, timeout=60_000)
    docks = window.model_docks
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *_a, **_k: str(folder))
    with qtbot.waitSignal(docks.service.loaded, timeout=180_000):
        docks.actions["folder"].trigger()  # loads the model
    assert docks.bar.tokenizer_button.isVisible()  # the window's tokenizer stays till asked
    with qtbot.waitSignal(docks.service.run_finished, timeout=180_000):
        docks.bar.tokenizer_button.click()  # "use the model's tokenizer": the user's choice
    chat_dock = window.chat
    short = [{"role": "user", "content": "Où est la gare ?"}]  # within the 64 positions
    chat_dock.panel.editor.set_conversation(conversation_from_value(short))
    with qtbot.waitSignal(chat_dock.panel.chat_shown, timeout=60_000) as shown_chat:
        chat_dock.show_panel()
    chat = shown_chat.args[0]
    assert chat.rendered.endswith("<|end|><|bot|>")
    with qtbot.waitSignal(docks.service.run_finished, timeout=180_000) as done:
        chat_dock.panel.model_button.click()
    run = done.args[0]
    assert run.result is chat.result and run.labels[-1] == "<|bot|>"
    assert docks.selected_token == len(chat.result) - 1  # the lens at the generation prompt
    chat_dock.panel.strip.clicked.emit(1)
    assert docks.selected_token == 1
    window.close()


def test_export_the_conversation_report(
    qtbot: QtBot, panel: ChatPanel, catalog: Catalog, tmp_path: Path
) -> None:
    chat = _show_chat(qtbot, panel, catalog, "mistral-v3")
    assert panel.export_to(tmp_path / "c.json")
    report = json.loads((tmp_path / "c.json").read_text("utf-8"))
    section = report["tokenizers"][0]
    assert section["ids"] == chat.result.ids  # type: ignore[attr-defined]
    assert [m["role"] for m in section["chat"]["messages"]] == ["user", "assistant", "user"]
    assert panel.export_to(tmp_path / "c.pdf")
    assert (tmp_path / "c.pdf").read_bytes().startswith(b"%PDF")
    with qtbot.waitSignal(panel.failed):
        assert not panel.export_to(tmp_path / "c.txt")
