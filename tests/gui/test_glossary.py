"""Help → Glossary: every term the learners meet, searchable, in both languages, by anchor."""

from __future__ import annotations

from PySide6.QtCore import QUrl
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from inspector.core.glossary import glossary_languages, load_glossary
from inspector.core.token_roles import token_role
from inspector.gui import i18n
from inspector.gui.glossary_dialog import (
    GlossaryDialog,
    open_glossary,
    open_glossary_link,
    role_tooltip,
)
from tests.gui.language import english_after  # noqa: F401 (autouse fixture)

# The list, each as a learner would look it up.
TERMS = (
    "[CLS]", "[SEP]", "[PAD]", "[UNK]", "[MASK]", "<s>", "</s>", "<|endoftext|>", "##", "Ġ",
    "▁", "byte fallback", "input_ids", "attention_mask", "token_type_ids", "position_ids",
    "hidden_states", "last_hidden_state", "pooler_output", "mean pooling", "cosine similarity",
)  # fmt: skip


def test_both_languages_have_the_same_entries_and_every_term() -> None:
    assert glossary_languages() == ["en", "zh_CN"]
    english, chinese = load_glossary("en"), load_glossary("zh_CN")
    assert [e.id for e in english.entries] == [e.id for e in chinese.entries]
    for term in TERMS:
        assert english.find(term) is not None, term
        entry = english.find(term)
        assert entry is not None and chinese.entry(entry.id) is not None
    for glossary in (english, chinese):
        for entry in glossary.entries:
            assert entry.body and entry.title
            assert all(glossary.entry(other) is not None for other in entry.see), entry.id
    assert chinese.find("注意力掩码") == chinese.entry("attention-mask")


def test_search_filters_the_list_and_the_page(qtbot: QtBot) -> None:
    dialog = GlossaryDialog()
    qtbot.addWidget(dialog)
    assert len(dialog.shown_entry_ids()) == len(load_glossary("en").entries)
    dialog.search.setText("padding")
    shown = dialog.shown_entry_ids()
    assert "pad" in shown and "attention-mask" in shown and "cosine-similarity" not in shown
    assert "how alike two vectors point" not in dialog.browser.toPlainText().lower()
    dialog.browser.anchorClicked.emit(QUrl("#cosine-similarity"))  # a "see also" link
    assert dialog.current_entry_id() == "cosine-similarity" and dialog.search.text() == ""
    dialog.search.setText("no such term at all")
    assert dialog.shown_entry_ids() == [] and dialog.empty.isVisibleTo(dialog)


def test_open_glossary_on_a_term_and_by_link(qtbot: QtBot) -> None:
    window = QWidget()
    qtbot.addWidget(window)
    dialog = open_glossary("[SEP]", window)
    assert dialog.current_entry_id() == "sep" and dialog.isVisible()
    dialog.search.setText("cosine")
    assert open_glossary_link("glossary:attention-mask", window)
    assert window.findChildren(GlossaryDialog) == [dialog]  # one per window, reused
    assert dialog.current_entry_id() == "attention-mask"  # the search was cleared for it
    assert not open_glossary_link("https://example.com", window)


def test_content_is_escaped_not_markup(qtbot: QtBot) -> None:
    dialog = GlossaryDialog()
    qtbot.addWidget(dialog)
    html = dialog.browser.toHtml()
    assert "&lt;|endoftext|&gt;" in html and "<|endoftext|>" not in html
    assert "<|endoftext|>" in dialog.browser.toPlainText()


def test_glossary_in_chinese(qtbot: QtBot, catalog: object) -> None:
    i18n.translations().install("zh_CN")
    dialog = open_glossary("pooler_output")
    qtbot.addWidget(dialog)
    assert dialog.windowTitle() == "术语表"
    assert "池化层" in dialog.browser.toPlainText()
    assert dialog.current_entry_id() == "pooler-output"
    facts = catalog.load("minilm").facts  # type: ignore[attr-defined]
    role = token_role("[SEP]", facts, in_pair=True, at_end=False)
    assert role is not None
    assert role_tooltip(role).startswith("[SEP]（分隔词元）把句子对的第一段文本与第二段分开")
    assert role_tooltip(role).endswith("帮助 → 术语表：[SEP]")
