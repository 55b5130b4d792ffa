"""Help → Examples menu: one entry per example, titled in the window's language."""

from __future__ import annotations

from PySide6.QtWidgets import QMenu
from pytestqt.qtbot import QtBot

from inspector.core.examples import Example, load_examples
from inspector.gui import i18n
from inspector.gui.examples_menu import build_examples_menu
from tests.gui.language import english_after  # noqa: F401 (autouse fixture)


def test_menu_opens_examples_and_follows_the_language(qtbot: QtBot) -> None:
    menu = QMenu()
    qtbot.addWidget(menu)
    opened: list[Example] = []
    actions = build_examples_menu(menu, opened.append)
    assert len(actions) == len(load_examples())
    assert menu.title() == "&Examples"
    assert actions[3].text().startswith("A pair")
    actions[3].trigger()
    assert [e.id for e in opened] == ["pair"]
    i18n.translations().install("zh_CN")
    qtbot.waitUntil(lambda: actions[3].text().startswith("句子对"))
    assert menu.title() == "示例(&E)"
    assert "token_type_ids" in actions[3].toolTip()
