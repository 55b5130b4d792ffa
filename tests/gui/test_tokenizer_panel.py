"""The tokenizer panel: facts, vocabulary lookup both ways, "what if" added tokens."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTabWidget, QWidget
from pytestqt.qtbot import QtBot

from inspector.core.catalog import Catalog
from inspector.core.encoding import encode
from inspector.core.tokenizer import LoadedTokenizer
from inspector.gui.widgets.rows_table import RowsTable
from inspector.gui.widgets.tokenizer_panel import MAX_MATCHES, TokenizerPanel, parse_token_list
from tests.gui.conftest import shown

MINILM = "sentence-transformers/all-MiniLM-L6-v2"


@pytest.fixture
def panel(qtbot: QtBot) -> TokenizerPanel:
    return shown(qtbot, TokenizerPanel(), 520, 800)


def fact(panel: TokenizerPanel, key: str) -> str:
    return panel.fields[key].text()


def cells(table: RowsTable) -> list[list[str]]:
    columns = range(table.columnCount())
    return [[table.text(row, column) for column in columns] for row in range(table.rowCount())]


def table_rows(panel: TokenizerPanel) -> list[tuple[int, str, str]]:
    return [(int(i), token, display) for i, token, display in cells(panel.lookup_table)]


def added_rows(panel: TokenizerPanel) -> list[tuple[str, int, str]]:
    return [(token, int(i), kind) for token, i, kind in cells(panel.added_table)]


def test_shows_the_facts_of_minilm(panel: TokenizerPanel, catalog: Catalog) -> None:
    tok = catalog.load(MINILM)
    panel.set_tokenizer(tok)
    facts = tok.facts
    assert fact(panel, "id") == MINILM
    assert fact(panel, "algorithm") == "WordPiece"
    assert fact(panel, "vocab_size") == "30,522 tokens"
    assert fact(panel, "model_max_length") == "512"
    assert fact(panel, "lowercases") == "yes"
    assert fact(panel, "byte_level") == "no"
    assert fact(panel, "uses_token_type_ids") == "yes"
    assert fact(panel, "unk_token") == "[UNK]  (id 100)"
    assert fact(panel, "pad_token") == "[PAD]  (id 0)"
    assert fact(panel, "normalizer") == facts.normalizer
    assert fact(panel, "pre_tokenizer") == facts.pre_tokenizer
    assert fact(panel, "source") == facts.source
    assert fact(panel, "fingerprint") == facts.fingerprint
    assert panel.fields["normalizer"].toolTip()  # long values: full text on hover
    assert ("[CLS]", 101, "special") in added_rows(panel)
    assert len(added_rows(panel)) == len(facts.special_tokens) + len(facts.added_tokens)
    assert panel.added_label.text() == "5 special, 0 added"


def test_shows_the_facts_of_gpt2(panel: TokenizerPanel, catalog: Catalog) -> None:
    tok = catalog.load("gpt2")
    panel.set_tokenizer(tok)
    assert fact(panel, "id") == "gpt2"
    assert fact(panel, "byte_level") == "yes"
    assert fact(panel, "model_max_length") == "not declared"
    assert fact(panel, "unk_token") == "none"
    assert added_rows(panel) == [("<|endoftext|>", 50256, "special")]
    assert "TikTokenConverter" in panel.notes_label.text()
    assert panel.fields["pre_tokenizer"].text().startswith("Sequence(")


def test_no_tokenizer_clears_and_disables(panel: TokenizerPanel, catalog: Catalog) -> None:
    panel.set_tokenizer(catalog.load("gpt2"))
    panel.set_tokenizer(None)
    assert fact(panel, "id") == "no tokenizer loaded"
    assert fact(panel, "algorithm") == ""
    assert added_rows(panel) == []
    assert not panel.lookup_edit.isEnabled()
    assert not panel.apply_button.isEnabled()
    assert not panel.reset_button.isEnabled()
    assert panel.lookup("the") == []


def test_id_to_token(panel: TokenizerPanel, catalog: Catalog) -> None:
    panel.set_tokenizer(catalog.load("gpt2"))
    rows = panel.lookup("50256")
    assert rows[0] == (50256, "<|endoftext|>", "<|endoftext|>")
    rows = panel.lookup("198")
    assert rows[0] == (198, "Ċ", "⏎")  # the newline byte, shown as a glyph
    assert "id 198" in panel.lookup_status.text()
    # The number's text is looked up too: tokens that contain "198".
    assert any(token == "198" for _, token, _ in rows[1:])
    panel.lookup("99999999")
    assert "no token has id 99999999" in panel.lookup_status.text()


def test_substring_to_tokens(panel: TokenizerPanel, catalog: Catalog) -> None:
    tok = catalog.load("gpt2")
    panel.set_tokenizer(tok)
    rows = panel.lookup(" the")  # a space is Ġ in a byte-level vocabulary
    assert rows[0] == (262, "Ġthe", "␣the")
    assert all("Ġthe" in token for _, token, _ in rows)
    assert len(rows) == sum("Ġthe" in t for t in tok.vocab())
    assert table_rows(panel) == rows
    for token_id, token, _ in rows:
        assert tok.id_to_token(token_id) == token
    many = panel.lookup("e")
    assert len(many) == MAX_MATCHES
    assert f"showing the first {MAX_MATCHES}" in panel.lookup_status.text()
    assert many[0][1] == "e"  # the exact match first
    panel.lookup("\u2603\u2603\u2603")
    assert panel.lookup_table.rowCount() == 0
    assert panel.lookup_status.text() == "no token contains it"


def test_substring_in_sentencepiece_and_wordpiece(panel: TokenizerPanel, catalog: Catalog) -> None:
    panel.set_tokenizer(catalog.load("mistral-v1"))
    rows = panel.lookup(" the")
    assert rows[0][1] == "▁the"
    assert rows[0][2] == "␣the"
    panel.set_tokenizer(catalog.load(MINILM))
    rows = panel.lookup("Straße")  # lowercased vocabulary: the query is lowercased too
    assert rows and all("straße" in token for _, token, _ in rows)
    rows = panel.lookup("##ing")
    assert rows[0][1] == "##ing"


def test_lookup_by_typing(qtbot: QtBot, panel: TokenizerPanel, catalog: Catalog) -> None:
    panel.set_tokenizer(catalog.load("gpt2"))
    qtbot.keyClicks(panel.lookup_edit, "2048")
    qtbot.waitUntil(lambda: panel.lookup_table.rowCount() > 0)
    assert table_rows(panel)[0][0] == 2048
    # A new tokenizer repeats the lookup in its own vocabulary (on a worker): the old
    # vocabulary's rows go at once.
    with qtbot.waitSignal(panel.looked_up):
        panel.set_tokenizer(catalog.load("mistral-v1"))
        assert panel.lookup_table.rowCount() == 0
    assert table_rows(panel)[0][0] == 2048
    assert table_rows(panel)[0][1] == catalog.load("mistral-v1").id_to_token(2048)


def test_a_superseded_lookup_is_dropped(
    qtbot: QtBot, panel: TokenizerPanel, catalog: Catalog
) -> None:
    """A typed query looked up in gpt2, then the tokenizer changes before the answer lands:
    only the new tokenizer's matches are shown."""
    panel.set_tokenizer(catalog.load("gpt2"))
    panel.lookup_edit.setText(" the")
    shown_answers: list[list[tuple[int, str, str]]] = []
    panel.looked_up.connect(lambda: shown_answers.append(table_rows(panel)))
    panel._lookup_now()  # gpt2's lookup, on the panel's one worker: it lands first if at all
    with qtbot.waitSignal(panel.looked_up):
        panel.set_tokenizer(catalog.load("mistral-v1"))
    assert len(shown_answers) == 1 and shown_answers[0][0][1] == "▁the"
    assert table_rows(panel) == panel.lookup(" the")  # the same as found on the GUI thread


def test_parse_token_list() -> None:
    assert parse_token_list("<tag>, foo bar ,<tag>,") == ["<tag>", "foo bar"]
    assert parse_token_list("  alpha beta\talpha ") == ["alpha", "beta"]
    assert parse_token_list(" , ") == []


def test_what_if_emits_and_reset(qtbot: QtBot, panel: TokenizerPanel, catalog: Catalog) -> None:
    panel.set_tokenizer(catalog.load("gpt2"))
    assert not panel.apply_button.isEnabled()  # nothing typed yet
    qtbot.keyClicks(panel.what_if_edit, "<tag>, foo bar")
    assert panel.apply_button.isEnabled()
    panel.special_check.setChecked(True)
    with qtbot.waitSignal(panel.what_if_requested) as signal:
        qtbot.mouseClick(panel.apply_button, Qt.MouseButton.LeftButton)
    assert signal.args == [["<tag>", "foo bar"], True]
    panel.special_check.setChecked(False)
    with qtbot.waitSignal(panel.what_if_requested) as signal:
        qtbot.keyClick(panel.what_if_edit, Qt.Key.Key_Return)
    assert signal.args == [["<tag>", "foo bar"], False]
    with qtbot.waitSignal(panel.what_if_reset):
        qtbot.mouseClick(panel.reset_button, Qt.MouseButton.LeftButton)


@pytest.mark.parametrize("name", ["gpt2", "mistral-v1"])
def test_what_if_copy_is_shown(panel: TokenizerPanel, catalog: Catalog, name: str) -> None:
    """What the main window does with the signal: a copy with the tokens, shown here."""
    base = catalog.load(name)
    panel.set_tokenizer(base)
    requests: list[tuple[list[str], bool]] = []
    panel.what_if_requested.connect(lambda tokens, special: requests.append((tokens, special)))
    panel.what_if_edit.setText("<tag>")
    panel.special_check.setChecked(True)
    panel.apply_what_if()
    tokens, special = requests[-1]
    copy: LoadedTokenizer = base.with_added_tokens(tokens, special)
    panel.set_tokenizer(copy)
    assert fact(panel, "id") == f"{name}+added"
    assert panel.what_if_state.isVisibleTo(panel)
    new_id = copy.token_to_id("<tag>")
    assert new_id is not None
    assert ("<tag>", new_id, "special") in added_rows(panel)
    assert panel.lookup(str(new_id))[0][:2] == (new_id, "<tag>")
    panel.set_tokenizer(base)
    assert not panel.what_if_state.isVisibleTo(panel)
    assert all(row[0] != "<tag>" for row in added_rows(panel))


@pytest.mark.parametrize(
    "name",
    [
        "gpt2",
        "mistral-v1",
    ],
)
def test_what_if_copy_encodes(catalog: Catalog, name: str) -> None:
    copy = catalog.load(name).with_added_tokens(parse_token_list("<tag>"), True)
    new_id = copy.token_to_id("<tag>")
    assert encode(copy, "a <tag> b").columns.ids.tolist().count(new_id) == 1


def test_switching_back_keeps_the_vocabulary_read(
    qtbot: QtBot, panel: TokenizerPanel, catalog: Catalog
) -> None:
    gpt2, mistral = catalog.load("gpt2"), catalog.load("mistral-v1")
    panel.lookup_edit.setText("2048")
    with qtbot.waitSignal(panel.looked_up):
        panel.set_tokenizer(gpt2)  # gpt2's vocabulary read on the worker
    read = panel.vocabulary()
    with qtbot.waitSignal(panel.looked_up):
        panel.set_tokenizer(mistral)
    assert panel.vocabulary() is not read
    with qtbot.waitSignal(panel.looked_up):
        panel.set_tokenizer(gpt2)
        assert panel.vocabulary() is read  # not read again
    assert table_rows(panel)[0] == (2048, gpt2.id_to_token(2048), panel.lookup("2048")[0][2])


def test_a_panel_out_of_view_shows_the_last_tokenizer_once_in_view(
    qtbot: QtBot, catalog: Catalog
) -> None:
    """Behind another tab the panel fills nothing (a "what if" copy arriving paid for it in
    the window's pass); brought to the front it shows the tokenizer it was given last."""
    tabs = shown(qtbot, QTabWidget(), 520, 800)
    panel = TokenizerPanel()
    tabs.addTab(QWidget(), "in front")
    tabs.addTab(panel, "behind")
    for name in ("gpt2", MINILM):
        panel.set_tokenizer(catalog.load(name))
    assert not panel.isVisible() and panel.tokenizer is catalog.load(MINILM)
    assert fact(panel, "id") == ""  # not filled while out of view
    tabs.setCurrentWidget(panel)
    assert panel.isVisible()
    assert fact(panel, "id") == MINILM and fact(panel, "algorithm") == "WordPiece"
    assert ("[CLS]", 101, "special") in added_rows(panel)
    panel.set_tokenizer(catalog.load("gpt2"))  # in view: at once
    assert fact(panel, "id") == "gpt2"
