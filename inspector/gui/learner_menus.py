"""The learners' menu entries in one call, so the main window needs only a few lines.

``install_learner_menus`` adds *View → Language*, *Tools → Decode ids… / Show code…* and
*Help → Glossary / Examples*; each dialog is one per window and follows the window's current
tokenizer and view through the callables it is given. ``code_request`` (what Show code
writes) and ``open_example`` (what an example does to the window) are those callables' work.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu

from inspector.core.code_snippet import CodeRequest
from inspector.core.examples import Example
from inspector.core.tokenizer import LoadedTokenizer
from inspector.gui.code_dialog import ShowCodeDialog
from inspector.gui.decode_ids_dialog import DecodeIdsDialog
from inspector.gui.document_text import joined
from inspector.gui.examples_menu import build_examples_menu
from inspector.gui.glossary_dialog import open_glossary
from inspector.gui.i18n import build_language_menu, on_language_change
from inspector.gui.jobs import JobRunner

if TYPE_CHECKING:
    from inspector.core.model_run import ModelRun
    from inspector.gui.state import InspectorState
    from inspector.gui.text_panes import TextPanes
    from inspector.gui.widgets.comparison_view import ComparisonDock
    from inspector.gui.widgets.encoding_panel import EncodingPanel


@dataclass(frozen=True)
class LearnerActions:
    language_menu: QMenu
    tools_menu: QMenu
    decode_ids: QAction
    show_code: QAction
    glossary: QAction
    examples_menu: QMenu


def open_decode_ids(
    window: QMainWindow, tokenizer: LoadedTokenizer, runner: JobRunner | None = None
) -> DecodeIdsDialog:
    """The window's Decode ids dialog (one per window), on its current tokenizer; it decodes
    on ``runner`` (the window's), else on its own."""
    dialog = window.findChild(DecodeIdsDialog)
    if dialog is None:
        dialog = DecodeIdsDialog(tokenizer, window, runner)
    elif dialog.tokenizer is not tokenizer:
        dialog.set_tokenizer(tokenizer)
    dialog.show()
    dialog.raise_()
    return dialog


def open_show_code(window: QMainWindow, request: CodeRequest) -> ShowCodeDialog:
    """The window's Show code dialog (one per window), on what the window shows now."""
    dialog = window.findChild(ShowCodeDialog)
    if dialog is None:
        dialog = ShowCodeDialog(request, window)
    else:
        dialog.set_request(request)
    dialog.show()
    dialog.raise_()
    return dialog


def install_learner_menus(
    window: QMainWindow,
    *,
    view_menu: QMenu,
    help_menu: QMenu,
    tools_menu: QMenu | None = None,
    current_tokenizer: Callable[[], LoadedTokenizer | None],
    current_code: Callable[[], CodeRequest | None],
    open_example: Callable[[Example], None],
    runner: JobRunner | None = None,
) -> LearnerActions:
    """Add the entries; an action whose source is missing (no tokenizer yet) does nothing.
    ``runner``: the window's job runner, where Decode ids decodes.

    Without ``tools_menu`` a *Tools* menu is made, just before *Help* in the menu bar.
    """
    own_tools = tools_menu is None
    if tools_menu is None:
        tools_menu = QMenu(window)
        window.menuBar().insertMenu(help_menu.menuAction(), tools_menu)
    language_menu = build_language_menu(window)
    view_menu.addSeparator()
    view_menu.addMenu(language_menu)

    decode_ids = QAction(window, shortcut=QKeySequence("Ctrl+Shift+D"))
    decode_ids.setObjectName("action-decode-ids")

    def decode() -> None:
        tokenizer = current_tokenizer()
        if tokenizer is not None:
            open_decode_ids(window, tokenizer, runner)

    decode_ids.triggered.connect(decode)
    show_code = QAction(window, shortcut=QKeySequence("Ctrl+Shift+C"))
    show_code.setObjectName("action-show-code")

    def code() -> None:
        request = current_code()
        if request is not None:
            open_show_code(window, request)

    show_code.triggered.connect(code)
    tools_menu.addAction(decode_ids)
    tools_menu.addAction(show_code)

    glossary = QAction(window, shortcut=QKeySequence(QKeySequence.StandardKey.HelpContents))
    glossary.setObjectName("action-glossary")
    glossary.triggered.connect(lambda: open_glossary(None, window))
    examples_menu = QMenu(window)
    build_examples_menu(examples_menu, open_example)
    first = help_menu.actions()[0] if help_menu.actions() else None
    if first is None:
        help_menu.addAction(glossary)
        help_menu.addMenu(examples_menu)
    else:
        help_menu.insertAction(first, glossary)
        help_menu.insertMenu(first, examples_menu)
        help_menu.insertSeparator(first)

    def retranslate() -> None:
        if own_tools:
            tools_menu.setTitle(QCoreApplication.translate("LearnerMenus", "&Tools"))
        decode_ids.setText(QCoreApplication.translate("LearnerMenus", "&Decode ids…"))
        decode_ids.setStatusTip(
            QCoreApplication.translate(
                "LearnerMenus", "Paste ids and see their tokens and decoded text"
            )
        )
        show_code.setText(QCoreApplication.translate("LearnerMenus", "Show &code…"))
        show_code.setStatusTip(
            QCoreApplication.translate(
                "LearnerMenus", "The transformers code that gives what the window shows"
            )
        )
        glossary.setText(QCoreApplication.translate("LearnerMenus", "&Glossary"))

    retranslate()
    on_language_change(window, retranslate)
    return LearnerActions(language_menu, tools_menu, decode_ids, show_code, glossary, examples_menu)


def code_request(state: InspectorState, run: ModelRun | None) -> CodeRequest | None:
    """What the window shows, as Show code writes it (``run``: the model's last run, if any);
    None before a tokenizer is loaded."""
    if state.tokenizer is None or not state.tokenizer_name:
        return None
    text = joined(state.text)
    mode = state.mode if state.mode in ("single", "pair", "batch") else "single"
    texts: tuple[str, ...] = (text,)
    pairs: tuple[str, ...] | None = None
    if mode == "batch":  # batch: line i of the pair pane pairs with line i, if any
        listed, paired = state.batch_inputs()
        texts, pairs = tuple(listed), None if paired is None else tuple(paired)
    elif mode == "pair":
        pairs = (state.pair,)
    info = run.output.info if run is not None else None
    return CodeRequest(
        state.tokenizer_name,
        mode,
        texts,
        state.settings,
        pairs,
        model=info.name if info is not None else None,
        causal=info is not None and info.kind == "causal",
    )


def open_example(
    example: Example,
    *,
    state: InspectorState,
    encoding_panel: EncodingPanel,
    panes: TextPanes,
    comparison: ComparisonDock,
) -> None:
    """Help → Examples: the example's mode, tokenizer(s), settings, text(s), added tokens."""
    mode = "single" if example.mode == "compare" else example.mode
    encoding_panel.set_settings(example.settings, mode)
    state.set_settings(encoding_panel.settings(), encoding_panel.mode())
    text = "\n".join(example.texts) if example.mode == "batch" else example.text
    panes.set_texts(text, example.pair or "")
    name = example.tokenizers[0]
    entry = state.catalog.entry(name)
    name = entry.id if entry is not None else name
    added = example.added_tokens
    if added is not None:
        if state.tokenizer_name == name and state.base_tokenizer is not None:
            state.add_tokens(list(added.tokens), added.special)
        else:
            state.load_tokenizer(name, then_add=added)  # added once it lands
    elif state.tokenizer_name != name or state.is_modified:
        state.load_tokenizer(name)
    if example.mode == "compare":
        comparison.panel.use_window_text()
        comparison.panel.set_rows(example.tokenizers)
        comparison.show_panel()
