"""The main window's Chat dock: Chat mode (a conversation under the tokenizer's own template)
beside single / pair / batch. It follows the session's tokenizer and hands the rendered
conversation to the session's model."""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, Slot
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDockWidget, QMainWindow

from inspector.core.encoding import EncodingResult
from inspector.core.sources import resources_dir
from inspector.gui.i18n import on_language_change
from inspector.gui.model_docks import ModelDocks
from inspector.gui.state import InspectorState
from inspector.gui.widgets.chat_panel import ChatPanel


class ChatDock(QObject):
    """The main window's "Chat" dock (View → Chat): Chat mode beside single/pair/batch.

    The window creates it and shuts it down on close. It follows the window's tokenizer
    (``tokenizer_loaded``), starts on the sample conversation, and hands the rendered
    conversation to the window's model service when asked.
    """

    def __init__(self, state: InspectorState, model_docks: ModelDocks, window: QMainWindow) -> None:
        super().__init__(window)
        self.state = state
        self.model_docks = model_docks
        self.panel = ChatPanel(runner=state.runner, process=state.encode_process)
        self.dock = QDockWidget(window)
        self.dock.setObjectName("dock-chat")
        self.dock.setWidget(self.panel)
        window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.dock)
        self.dock.hide()
        self._shown_once = False
        self._model_result: EncodingResult | None = None  # the conversation a model ran on
        # The window puts this in its View menu and connects the Encoding dock's "chat…".
        self.action = QAction(window)
        self.action.setShortcut(QKeySequence("Ctrl+Shift+H"))
        self.action.triggered.connect(self.show_panel)
        self.retranslate()
        on_language_change(window, self.retranslate)
        sample = resources_dir() / "samples" / "chat.json"
        if sample.is_file():
            self.panel.editor.open_file(sample)
        state.tokenizer_changed.connect(self._follow)
        self.dock.visibilityChanged.connect(self._on_visible)
        self.panel.run_model_requested.connect(self._run_model)
        state.model.run_finished.connect(self._on_model_run)
        self.panel.strip.clicked.connect(self._on_chat_token)

    def retranslate(self) -> None:
        self.dock.setWindowTitle(self.tr("Chat"))
        self.action.setText(self.tr("C&hat (conversation with a template)"))
        self.action.setToolTip(self.tr("A conversation under the tokenizer's own chat template"))

    @Slot()
    def show_panel(self) -> None:
        first = not self._shown_once
        self._shown_once = True
        if first:  # Chat mode needs room: it opens as a window of its own, dockable after
            self.dock.setFloating(True)
            self.dock.resize(1300, 760)
        self.dock.show()
        self.dock.raise_()

    @Slot(bool)
    def _on_visible(self, visible: bool) -> None:
        if visible:
            self._follow()

    @Slot()
    def _follow(self, _tokenizer: object = None) -> None:
        if self.dock.isVisible():  # hidden, it does no work
            self.panel.set_tokenizer(self.state.tokenizer)

    @Slot(object)
    def _run_model(self, result: EncodingResult) -> None:
        if self.state.model.run(result) < 0:
            self.panel.banner.setText(
                self.tr("Load a model first (Model menu): SmolLM2 for its next-token lens.")
            )
            self.panel.banner.show()
            return
        self._model_result = result

    @Slot(object)
    def _on_model_run(self, run: object) -> None:
        """A run on the conversation: the panels show its last token, the generation prompt
        (the next-token lens there is the model's first word of the answer)."""
        result = getattr(run, "result", None)
        if result is not None and result is self._model_result and len(result):
            self._on_chat_token(len(result) - 1)
            self.panel.strip.set_current(len(result) - 1)

    @Slot(int)
    def _on_chat_token(self, index: int) -> None:
        run = self.model_docks.run
        if run is not None and self._model_result is not None and run.result is self._model_result:
            self.model_docks.set_selected_token(index)

    def shutdown(self, timeout_ms: int = 5000) -> bool:
        return self.panel.shutdown(timeout_ms)
