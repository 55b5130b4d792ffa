"""Help → Examples: one action per example, titled in the window's language.

``build_examples_menu(menu, on_open)`` fills ``menu``; choosing an entry calls
``on_open(example)``, and the window sets its mode, tokenizer(s), settings and text from it.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu

from inspector.core.examples import Example, load_examples
from inspector.gui.i18n import current_language, on_language_change


def build_examples_menu(menu: QMenu, on_open: Callable[[Example], None]) -> list[QAction]:
    """Add one action per example to ``menu`` (titled *Examples*); returns the actions."""
    actions: list[tuple[Example, QAction]] = []
    for example in load_examples():
        action = QAction(menu)
        action.setData(example.id)
        action.triggered.connect(lambda _checked=False, chosen=example: on_open(chosen))
        menu.addAction(action)
        actions.append((example, action))
    menu.setToolTipsVisible(True)

    def retranslate() -> None:
        menu.setTitle(QCoreApplication.translate("ExamplesMenu", "&Examples"))
        language = current_language()
        for example, action in actions:
            action.setText(example.title(language).replace("&", "&&"))  # no accelerator
            action.setToolTip(example.explanation(language))
            action.setStatusTip(example.explanation(language))

    retranslate()
    on_language_change(menu, retranslate)
    return [action for _example, action in actions]
