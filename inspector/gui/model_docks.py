"""The model part of the window: the model bar, the four panels as docks, the Model menu.

It follows the session state it is given: the result shown (auto-run), edits (a running
forward is for an old text: stop it), the selected token (marked in every panel); a click in
a panel selects that token in the state. The window only places the docks and the menu.
Runs start when Run is pressed, or (when "Run after each edit" is on) a moment after each
new encoding.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QObject, Qt, Slot
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDockWidget, QMenu, QVBoxLayout, QWidget
from superqt.utils import qdebounced

from inspector.core.encoding import EncodingResult
from inspector.core.model_run import LoadedPair, ModelRun
from inspector.gui.i18n import on_language_change
from inspector.gui.state import InspectorState
from inspector.gui.widgets.model_bar import ModelBar, ModelChoice

if TYPE_CHECKING:
    from inspector.gui.widgets.attention_panel import AttentionPanel
    from inspector.gui.widgets.embedding_panel import EmbeddingPanel
    from inspector.gui.widgets.hidden_state_panel import HiddenStatePanel
    from inspector.gui.widgets.lens_panel import LensPanel

AUTO_RUN_DELAY_MS = 300  # after the last edit's encoding is shown
# Translated where shown (ModelDocks' context); marked here for lupdate.
PANEL_TITLES = {
    "model": QT_TRANSLATE_NOOP("ModelDocks", "Model"),
    "attention": QT_TRANSLATE_NOOP("ModelDocks", "Attention"),
    "hidden": QT_TRANSLATE_NOOP("ModelDocks", "Hidden states"),
    "embedding": QT_TRANSLATE_NOOP("ModelDocks", "Embeddings"),
    "lens": QT_TRANSLATE_NOOP("ModelDocks", "Next-token lens"),
}
PANEL_AREA = Qt.DockWidgetArea.BottomDockWidgetArea


class ModelDocks(QObject):
    def __init__(self, state: InspectorState, parent: QWidget) -> None:
        super().__init__(parent)
        self.state = state
        self.service = state.model
        self.bar = ModelBar(self.service)
        self._panels: dict[str, QWidget] = {}  # built when first shown (pyqtgraph loads then)
        self.run: ModelRun | None = None
        self._loaded_choice: ModelChoice | None = None  # what the loaded model was asked as
        self._pending_choice: ModelChoice | None = None  # what is being loaded
        self._run_when_loaded = False
        self.selected_token: int | None = None  # last token marked in the panels
        self._run_on_next_result = False
        self._auto = qdebounced(self.run_now, AUTO_RUN_DELAY_MS, parent=self)

        self.docks: dict[str, QDockWidget] = {}
        bar_dock = self._dock("model", self.bar, parent)
        bar_dock.setFeatures(
            QDockWidget.DockWidgetFeature.DockWidgetMovable
            | QDockWidget.DockWidgetFeature.DockWidgetClosable
        )
        for name in PANEL_TITLES:
            if name != "model":
                dock = self._dock(name, QWidget(), parent)
                dock.visibilityChanged.connect(
                    lambda visible, name=name: visible and self._panel(name)
                )
        self.menu = self._build_menu(parent)
        self.retranslate()
        on_language_change(parent, self.retranslate)

        self.bar.run_requested.connect(self.request_run)
        self.bar.auto_run_changed.connect(self._on_auto_changed)
        self.bar.use_model_tokenizer.connect(self._use_model_tokenizer)
        self.service.loaded.connect(self._on_loaded)
        self.service.load_failed.connect(lambda _m: self._forget_pending())
        self.service.load_cancelled.connect(self._forget_pending)
        self.service.run_finished.connect(self._on_run_finished)
        state.result_changed.connect(self._on_result_changed)
        state.edited.connect(self._on_edit)
        state.token_selected.connect(self._on_token_selected)

    def _dock(self, name: str, widget: QWidget, parent: QWidget) -> QDockWidget:
        dock = QDockWidget(parent)
        dock.setObjectName(f"dock-{name}")
        holder = QWidget()  # a margin-free holder: the panel goes in when it is built
        layout = QVBoxLayout(holder)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(widget)
        dock.setWidget(holder)
        self.docks[name] = dock
        return dock

    # -- panels, built on first use ------------------------------------------------------
    def _panel(self, name: str) -> Any:
        """The panel of a dock, built the first time it is shown or asked for.

        The panels use pyqtgraph (about half a second to import): a window whose model
        docks stay closed or in a background tab never pays for it at start-up.
        """
        panel = self._panels.get(name)
        if panel is not None:
            return panel
        if name == "attention":
            from inspector.gui.widgets.attention_panel import AttentionPanel

            panel = AttentionPanel()
        elif name == "hidden":
            from inspector.gui.widgets.hidden_state_panel import HiddenStatePanel

            panel = HiddenStatePanel()
        elif name == "embedding":
            from inspector.gui.widgets.embedding_panel import EmbeddingPanel

            panel = EmbeddingPanel()
        else:
            from inspector.gui.widgets.lens_panel import LensPanel

            panel = LensPanel()
        self._panels[name] = panel
        layout = self.docks[name].widget().layout()
        assert layout is not None  # made in _dock
        placeholder = layout.takeAt(0)
        empty = placeholder.widget() if placeholder is not None else None
        if empty is not None:
            empty.deleteLater()
        layout.addWidget(panel)
        panel.token_clicked.connect(self.state.select_token)
        if self.run is not None:
            panel.set_run(self.run)
            if self.state.selected_token is not None:
                panel.set_selected_token(self.state.selected_token)
        return panel

    @property
    def panels(self) -> tuple[Any, ...]:
        """The panels built so far (the others are filled when they are built)."""
        return tuple(self._panels.values())

    @property
    def attention(self) -> AttentionPanel:
        panel: AttentionPanel = self._panel("attention")
        return panel

    @property
    def hidden(self) -> HiddenStatePanel:
        panel: HiddenStatePanel = self._panel("hidden")
        return panel

    @property
    def embedding(self) -> EmbeddingPanel:
        panel: EmbeddingPanel = self._panel("embedding")
        return panel

    @property
    def lens(self) -> LensPanel:
        panel: LensPanel = self._panel("lens")
        return panel

    def retranslate(self) -> None:
        """Dock titles and the Model menu, again after *View → Language*."""
        for name, title in PANEL_TITLES.items():
            self.docks[name].setWindowTitle(self.tr(title))
        self.menu.setTitle(self.tr("&Model"))
        self.actions["run"].setText(self.tr("&Run model"))
        self.actions["cancel"].setText(self.tr("&Cancel model run"))
        self.actions["auto"].setText(self.tr("Run after each &edit"))
        self.actions["folder"].setText(self.tr("Open model &folder…"))

    def _build_menu(self, parent: QWidget) -> QMenu:
        menu = QMenu(parent)
        run = QAction(parent, shortcut=QKeySequence("Ctrl+R"))
        run.triggered.connect(self.request_run)
        cancel = QAction(parent, shortcut=QKeySequence("Ctrl+."))
        cancel.triggered.connect(self.service.cancel)
        auto = QAction(parent, checkable=True)
        auto.toggled.connect(self.bar.auto_box.setChecked)
        self.bar.auto_box.toggled.connect(auto.setChecked)
        folder = QAction(parent)
        folder.triggered.connect(self.bar.open_model_folder)
        for action in (run, cancel, auto, folder):
            menu.addAction(action)
        menu.addSeparator()
        menu.addAction(self.bar.allow_code)
        menu.addAction(self.bar.allow_pickle)
        menu.addSeparator()
        for dock in self.docks.values():
            menu.addAction(dock.toggleViewAction())
        self.actions = {"run": run, "cancel": cancel, "auto": auto, "folder": folder}
        return menu

    def shutdown(self, timeout_ms: int = 5000) -> bool:
        """Quit: stop the timer, cancel the forward (it stops at the next layer), wait."""
        self._auto.cancel()
        return self.service.shutdown(timeout_ms)

    # -- running -----------------------------------------------------------------------
    @Slot()
    def request_run(self) -> None:
        """Run pressed: load the chosen model first when it is not the loaded one."""
        choice = self.bar.choice()
        if not choice.name:
            return
        if self.service.pair is None or choice != self._loaded_choice:
            self._run_when_loaded = True
            self._loaded_choice = None
            self._pending_choice = choice
            self.service.load(
                choice.name,
                device=choice.device,
                dtype=choice.dtype,
                trust_remote_code=choice.trust_remote_code,
                allow_pickle=choice.allow_pickle,
            )
            return
        self.run_now()

    @Slot()
    def run_now(self) -> None:
        result = self.state.result
        if result is None or self.service.pair is None:
            return
        self.service.run(result)

    def _forget_pending(self) -> None:
        self._run_when_loaded = False
        self._run_on_next_result = False

    @Slot(object)
    def _on_loaded(self, pair: LoadedPair) -> None:
        self._loaded_choice = self._pending_choice
        run = self._run_when_loaded or self.bar.auto_box.isChecked()
        self._run_when_loaded = False
        if self.state.tokenizer_name != pair.model.tokenizer_name:
            # Never switch the window's tokenizer behind the user's back: say so, offer it.
            self._run_on_next_result = False
            self.bar.ask_for_model_tokenizer(pair.model.tokenizer_name, self.state.tokenizer_name)
        elif run:
            self.run_now()

    @Slot()
    def _use_model_tokenizer(self) -> None:
        model = self.service.model
        if model is not None:
            self._run_on_next_result = True  # run when the text is encoded with it
            self.state.load_tokenizer(model.tokenizer_name)

    @Slot(object)
    def _on_result_changed(self, result: EncodingResult | None) -> None:
        if result is None:
            return
        if self._run_on_next_result:
            self._run_on_next_result = False
            self.run_now()
        elif self.bar.auto_box.isChecked():
            if self.service.pair is None:
                if not self.service.is_loading():
                    self.request_run()
            else:
                self._auto()

    @Slot()
    def _on_edit(self) -> None:
        """Typing or new settings: the running forward is for an old text, stop it now."""
        self._auto.cancel()
        self.service.cancel_run()

    @Slot(bool)
    def _on_auto_changed(self, on: bool) -> None:
        if on and self.state.result is not None:
            if self.service.pair is None:
                self.request_run()
            else:
                self._auto()

    @Slot(object)
    def _on_run_finished(self, run: ModelRun) -> None:
        self.run = run
        selected = self.state.selected_token
        for panel in self.panels:
            panel.set_run(run)
            if selected is not None:
                panel.set_selected_token(selected)

    @Slot(int)
    def _on_token_selected(self, index: int) -> None:
        self.set_selected_token(index)

    def set_selected_token(self, index: int) -> None:
        """Mark token ``index`` of the last run in every panel (the state's selection, or a
        token of a run on another text, as the Chat dock's conversation)."""
        self.selected_token = index
        for panel in self.panels:
            panel.set_selected_token(index)
