"""The learners' menu entries on a real main window frame, with a real tokenizer."""

from __future__ import annotations

from PySide6.QtWidgets import QMainWindow
from pytestqt.qtbot import QtBot

from inspector.core.catalog import Catalog
from inspector.core.code_snippet import CodeRequest
from inspector.core.examples import Example
from inspector.gui import i18n
from inspector.gui.code_dialog import ShowCodeDialog
from inspector.gui.decode_ids_dialog import DecodeIdsDialog
from inspector.gui.glossary_dialog import GlossaryDialog
from inspector.gui.learner_menus import install_learner_menus
from tests.gui.language import english_after  # noqa: F401 (autouse fixture)


def test_menus_open_the_dialogs_on_the_window_state(qtbot: QtBot, catalog: Catalog) -> None:
    window = QMainWindow()
    qtbot.addWidget(window)
    view = window.menuBar().addMenu("&View")
    help_menu = window.menuBar().addMenu("&Help")
    about = help_menu.addAction("&About")
    state = {"tokenizer": catalog.load("minilm")}
    opened: list[Example] = []
    actions = install_learner_menus(
        window,
        view_menu=view,
        help_menu=help_menu,
        current_tokenizer=lambda: state["tokenizer"],
        current_code=lambda: CodeRequest(state["tokenizer"].facts.id, "single", ("hi",)),
        open_example=opened.append,
    )
    assert [a.text() for a in help_menu.actions()][:2] == ["&Glossary", "&Examples"]
    assert help_menu.actions()[-1] is about  # About stays last
    assert view.actions()[-1].menu() is actions.language_menu
    bar = [a.text() for a in window.menuBar().actions()]
    assert bar == ["&View", "&Tools", "&Help"]  # Tools made, just before Help

    actions.decode_ids.trigger()
    dialog = window.findChild(DecodeIdsDialog)
    assert dialog is not None and dialog.tokenizer is state["tokenizer"]
    state["tokenizer"] = catalog.load("gpt2")
    actions.decode_ids.trigger()
    assert window.findChildren(DecodeIdsDialog) == [dialog] and dialog.tokenizer.facts.id == "gpt2"

    actions.show_code.trigger()
    code = window.findChild(ShowCodeDialog)
    assert code is not None and "openai-community/gpt2" in code.code.toPlainText()
    actions.glossary.trigger()
    assert window.findChild(GlossaryDialog).isVisible()
    actions.examples_menu.actions()[0].trigger()
    assert [e.id for e in opened] == ["subwords"]

    i18n.translations().install("zh_CN")
    qtbot.waitUntil(lambda: actions.glossary.text() == "术语表(&G)")
    assert actions.decode_ids.text() == "解码 id(&D)…"
    assert actions.examples_menu.title() == "示例(&E)"
    assert actions.tools_menu.title() == "工具(&T)"
