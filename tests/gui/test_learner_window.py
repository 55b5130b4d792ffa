"""The learners' features wired into the real main window: menus, examples, the language
option, tokenizers from the local Hugging Face cache, and special-token roles in tooltips."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtGui import QKeySequence
from pytestqt.qtbot import QtBot

from inspector.core.catalog import Catalog
from inspector.core.examples import load_examples
from inspector.gui.catalog_picker import CatalogPicker, HubCacheScan
from inspector.gui.code_dialog import ShowCodeDialog
from inspector.gui.decode_ids_dialog import DecodeIdsDialog
from inspector.gui.main_window import MainWindow
from tests.core.test_hf_cache import cache_repo
from tests.gui.conftest import run_app
from tests.gui.language import english_after  # noqa: F401 (autouse fixture)

MINILM = "sentence-transformers/all-MiniLM-L6-v2"


def open_window(qtbot: QtBot, catalog: Catalog, **kwargs: object) -> MainWindow:
    window = MainWindow(catalog, persist=False, **kwargs)  # type: ignore[arg-type]
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.result is not None, timeout=60_000)
    return window


def _titles(window: MainWindow) -> list[str]:
    return [action.text() for action in window.menuBar().actions()]


def test_the_window_has_the_learner_menus(qtbot: QtBot, catalog: Catalog) -> None:
    window = open_window(qtbot, catalog)
    learner = window.learner
    assert _titles(window) == ["&File", "&View", "&Model", "&Tools", "&Help"]
    help_texts = [a.text() for a in window.help_menu.actions()]
    assert help_texts[:2] == ["&Glossary", "&Examples"]
    assert learner.glossary.shortcut() == QKeySequence(QKeySequence.StandardKey.HelpContents)
    assert len(learner.examples_menu.actions()) == len(load_examples())
    view = [a.menu() for a in window.view_menu.actions() if a.menu() is not None]
    assert learner.language_menu in view
    assert window.chat.action in window.view_menu.actions()  # the Chat dock still comes after

    learner.decode_ids.trigger()
    dialog = window.findChild(DecodeIdsDialog)
    assert dialog is not None and dialog.tokenizer is window.tokenizer
    learner.show_code.trigger()
    code = window.findChild(ShowCodeDialog)
    assert code is not None and MINILM in code.code.toPlainText()
    request = window.code_request()
    assert request is not None and request.texts == (window.text_edit.toPlainText(),)


def test_view_language_retranslates_the_window_at_run_time(qtbot: QtBot, catalog: Catalog) -> None:
    window = open_window(qtbot, catalog)
    chinese = next(a for a in window.learner.language_menu.actions() if a.data() == "zh_CN")
    chinese.trigger()  # remembered in the private settings folder (conftest)
    qtbot.waitUntil(lambda: _titles(window)[0] == "文件(&F)")
    assert _titles(window) == ["文件(&F)", "视图(&V)", "模型(&M)", "工具(&T)", "帮助(&H)"]
    assert window.docks["table"].windowTitle() == "词元"
    # Built once, named again on a switch: the tokenizer bar, the Compare and Chat docks.
    bar = window.bar
    named = (bar.caption.text(), bar.boxes["show_ids"].text(), window.comparison.dock.windowTitle(),
             window.chat.dock.windowTitle(), window.comparison.action.text())  # fmt: skip
    assert all(not text.isascii() for text in named), named
    english = next(a for a in window.learner.language_menu.actions() if a.data() == "en")
    english.trigger()
    qtbot.waitUntil(lambda: _titles(window)[0] == "&File")
    assert bar.caption.text() == "Tokenizer:" and window.comparison.dock.windowTitle() == "Compare"
    assert window.chat.dock.windowTitle() == "Chat"


def test_an_example_sets_tokenizer_text_and_mode(qtbot: QtBot, catalog: Catalog) -> None:
    window = open_window(qtbot, catalog, tokenizer="gpt2", text="hello")
    examples = {e.id: e for e in load_examples()}
    pair = examples["pair"]
    window.open_example(pair)
    expected = catalog.entry(pair.tokenizers[0])
    name = expected.id if expected is not None else pair.tokenizers[0]
    qtbot.waitUntil(
        lambda: (
            window.tokenizer_name == name
            and window.result is not None
            and window.result.pair == pair.pair
        ),
        timeout=60_000,
    )
    assert window.state.mode == "pair" and window.encoding_panel.mode() == "pair"
    assert window.text_edit.toPlainText() == pair.text
    assert window.pair_edit.toPlainText() == pair.pair
    request = window.code_request()
    assert request is not None and request.mode == "pair" and request.pairs == (pair.pair,)

    batch = examples["padding"]
    assert batch.mode == "batch"
    window.open_example(batch)
    qtbot.waitUntil(
        lambda: (
            window.state.batch is not None and len(window.state.batch.results) == len(batch.texts)
        ),
        timeout=60_000,
    )
    assert window.state.mode == "batch"

    compare = examples["chinese"]
    assert compare.mode == "compare"
    window.open_example(compare)
    ids = [(catalog.entry(n) or n) for n in compare.tokenizers]
    assert window.comparison.panel.row_names() == [getattr(e, "id", e) for e in ids]
    assert window.comparison.dock.isVisible() and window.state.mode == "single"
    qtbot.waitUntil(lambda: window.comparison.panel.is_settled(), timeout=60_000)


def test_an_example_with_added_tokens_makes_the_modified_copy(
    qtbot: QtBot, catalog: Catalog
) -> None:
    window = open_window(qtbot, catalog, tokenizer="gpt2", text="hello")
    example = next(e for e in load_examples() if e.added_tokens is not None)
    assert example.added_tokens is not None
    window.open_example(example)
    marker = example.added_tokens.tokens[0]
    qtbot.waitUntil(
        lambda: (
            window.state.is_modified
            and window.result is not None
            and marker in window.result.columns.tokens
        ),
        timeout=60_000,
    )
    assert window.state.added_tokens == example.added_tokens.tokens
    assert "modified copy" in window.windowTitle()


def test_a_special_token_chip_and_row_say_their_role(qtbot: QtBot, catalog: Catalog) -> None:
    window = open_window(qtbot, catalog, tokenizer="minilm", text="hello world")
    result = window.result
    assert result is not None
    tokens = list(result.columns.tokens)
    cls, sep = tokens.index("[CLS]"), tokens.index("[SEP]")
    qtbot.waitUntil(lambda: window.table.model.rowCount() > 0)
    chip = window.strip.tooltip_html(sep)
    assert "[SEP]" in chip and "Help → Glossary" in chip
    assert "Help → Glossary" in window.strip.tooltip_html(cls)
    plain = tokens.index("hello")
    assert "Help → Glossary" not in window.strip.tooltip_html(plain)
    assert "Help → Glossary" in window.table.model.tooltip(sep)
    assert "Help → Glossary" not in window.table.model.tooltip(plain)


def test_lang_option_gives_a_chinese_menu_bar(tmp_path: Path) -> None:
    """``--lang zh_CN --screenshot``: the window is drawn in Chinese (menu titles printed)."""
    out = tmp_path / "zh.png"
    config = tmp_path / "config"
    config.mkdir()
    code = (
        "import sys\n"
        "from inspector.gui import main_window\n"
        "close = main_window.MainWindow.closeEvent\n"
        "def spy(self, event):\n"
        "    print('MENUS', [a.text() for a in self.menuBar().actions()], flush=True)\n"
        "    close(self, event)\n"
        "main_window.MainWindow.closeEvent = spy\n"
        "from inspector.cli import main\n"
        "sys.exit(main(sys.argv[1:]))\n"
    )
    args = ["-c", code, "--lang", "zh_CN", "--screenshot", str(out), "-t", "gpt2", "--text", "你好"]
    done = run_app(args, config)
    assert done.returncode == 0, done.stderr[-3000:]
    assert out.read_bytes().startswith(b"\x89PNG")
    line = next(x for x in done.stdout.splitlines() if x.startswith("MENUS"))
    for title in ("文件(&F)", "视图(&V)", "工具(&T)", "帮助(&H)"):
        assert title in line, line
    assert list(config.iterdir()) == []  # --lang is for this run: nothing remembered


# -- the local Hugging Face cache ------------------------------------------------------------


def _tiny_tokenizer_json(path: Path) -> Path:
    from tokenizers import Tokenizer, models, pre_tokenizers

    vocab = {"[UNK]": 0, "hello": 1, "world": 2, "你": 3, "好": 4}
    tok = Tokenizer(models.WordLevel(vocab, unk_token="[UNK]"))
    tok.pre_tokenizer = pre_tokenizers.Whitespace()
    tok.save(str(path))
    return path


@pytest.fixture
def hub_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    cache = tmp_path / "hub"
    tokenizer = _tiny_tokenizer_json(tmp_path / "tokenizer.json")
    cache_repo(cache, "someone/cached-words", {"tokenizer.json": tokenizer})  # no config.json
    monkeypatch.setenv("HF_HUB_CACHE", str(cache))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    HubCacheScan.forget()
    yield cache
    HubCacheScan.forget()


def test_the_picker_lists_and_loads_a_cached_tokenizer(
    qtbot: QtBot, catalog: Catalog, hub_cache: Path
) -> None:
    picker = CatalogPicker(catalog)
    qtbot.addWidget(picker)
    qtbot.waitUntil(lambda: "someone/cached-words" in picker.cached_hub_ids(), timeout=20_000)
    index = picker.findText("someone/cached-words")
    assert index > len(catalog.entries)  # after the catalog entries (and a separator)
    tooltip = picker.itemData(index, 3)  # Qt.ItemDataRole.ToolTipRole
    assert "Hugging Face cache" in tooltip
    with qtbot.waitSignal(picker.chosen) as chosen:
        picker.activated.emit(index)
    assert chosen.args == ["someone/cached-words"]
    # Loading by repo id offline: a repo without config.json falls back to its snapshot.
    tok = Catalog().load("someone/cached-words")
    assert tok.facts.id == "someone/cached-words"
    assert "Hugging Face cache" in tok.facts.source


def test_the_cache_scan_of_an_empty_cache_finds_nothing_off_the_gui_thread(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A missing or empty cache lists nothing, and the picker's scan never runs on the GUI
    thread (whatever the cache holds, typing never waits for it)."""
    import threading

    from inspector.core.hf_cache import local_hub_tokenizers
    from inspector.gui import catalog_picker

    empty = tmp_path / "empty-hub"
    empty.mkdir()
    for folder in (empty, tmp_path / "missing"):
        monkeypatch.setenv("HF_HUB_CACHE", str(folder))
        assert local_hub_tokenizers() == []
    threads: list[threading.Thread] = []

    def recording() -> list[object]:
        threads.append(threading.current_thread())
        return []

    monkeypatch.setattr(catalog_picker, "local_hub_tokenizers", recording)
    HubCacheScan.forget()
    scan = HubCacheScan.shared()
    qtbot.waitUntil(lambda: scan.found is not None, timeout=20_000)
    assert scan.found == [] and threads and threads[0] is not threading.main_thread()
    HubCacheScan.forget()
