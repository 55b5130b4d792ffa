"""The model part of the main window: the model bar, the four panels as docks, the Model menu,
and the links between them and the rest of the window.

Kept apart from main_window.py so that the window only creates it, tells it the selected
token and shuts it down on close. Runs start when Run is pressed, or (when "Run after each
edit" is on) a moment after each new encoding; any edit cancels the running forward at once.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, QTimer, Slot
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDockWidget, QVBoxLayout, QWidget

from inspector.gui.model_service import LoadedPair, ModelRun, ModelService
from inspector.gui.widgets.model_bar import ModelBar, ModelChoice

if TYPE_CHECKING:
    from inspector.gui.main_window import MainWindow
    from inspector.gui.widgets.attention_panel import AttentionPanel
    from inspector.gui.widgets.embedding_panel import EmbeddingPanel
    from inspector.gui.widgets.hidden_state_panel import HiddenStatePanel
    from inspector.gui.widgets.lens_panel import LensPanel

AUTO_RUN_DELAY_MS = 300  # after the last edit's encoding is shown
PANEL_TITLES = {
    "attention": "Attention",
    "hidden": "Hidden states",
    "embedding": "Embeddings",
    "lens": "Next-token lens",
}


class ModelDocks(QObject):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.service = ModelService(window.catalog, self)
        self.bar = ModelBar(self.service)
        self._panels: dict[str, QWidget] = {}  # built when first shown (pyqtgraph loads then)
        self.run: ModelRun | None = None
        self.selected_token: int | None = None
        self._loaded_choice: ModelChoice | None = None  # what the loaded model was asked as
        self._pending_choice: ModelChoice | None = None  # what is being loaded
        self._run_when_loaded = False
        self._run_on_next_result = False
        self._auto = QTimer(self, singleShot=True, interval=AUTO_RUN_DELAY_MS)
        self._auto.timeout.connect(self.run_now)

        self.docks: dict[str, QDockWidget] = {}
        bar_dock = self._dock("model", "Model", self.bar, Qt.DockWidgetArea.TopDockWidgetArea)
        bar_dock.setFeatures(
            QDockWidget.DockWidgetFeature.DockWidgetMovable
            | QDockWidget.DockWidgetFeature.DockWidgetClosable
        )
        for name, title in PANEL_TITLES.items():
            dock = self._dock(name, title, QWidget(), Qt.DockWidgetArea.BottomDockWidgetArea)
            dock.visibilityChanged.connect(
                lambda visible, name=name: visible and self._panel(name)
            )
        previous = window.docks.get("encoding")
        for name in ("attention", "hidden", "embedding", "lens"):
            if previous is not None:
                window.tabifyDockWidget(previous, self.docks[name])
            previous = self.docks[name]
        if "encoding" in window.docks:
            window.docks["encoding"].raise_()
        self._build_menu()
        self._restore()

        self.bar.run_requested.connect(self.request_run)
        self.bar.auto_run_changed.connect(self._on_auto_changed)
        self.service.loaded.connect(self._on_loaded)
        self.service.load_failed.connect(lambda _m: self._forget_pending())
        self.service.run_finished.connect(self._on_run_finished)
        window.result_shown.connect(self._on_result_shown)
        window.text_edit.textChanged.connect(self._on_edit)
        window.pair_edit.textChanged.connect(self._on_edit)
        window.encoding_panel.settings_changed.connect(self._on_edit)
        window.token_selected.connect(self.set_selected_token)

    def _dock(self, name: str, title: str, widget: QWidget, area: Qt.DockWidgetArea) -> QDockWidget:
        dock = QDockWidget(title, self.window)
        dock.setObjectName(f"dock-{name}")
        holder = QWidget()  # a margin-free holder: the panel goes in when it is built
        layout = QVBoxLayout(holder)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(widget)
        dock.setWidget(holder)
        self.window.addDockWidget(area, dock)
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
        panel.token_clicked.connect(self._on_panel_token)
        if self.run is not None:
            panel.set_run(self.run)
            if self.selected_token is not None:
                panel.set_selected_token(self.selected_token)
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

    def _build_menu(self) -> None:
        menu = self.window.menuBar().addMenu("&Model")
        run = QAction("&Run model", self.window, shortcut=QKeySequence("Ctrl+R"))
        run.triggered.connect(self.request_run)
        cancel = QAction("&Cancel model run", self.window, shortcut=QKeySequence("Ctrl+."))
        cancel.triggered.connect(self.service.cancel_run)
        auto = QAction("Run after each &edit", self.window, checkable=True)
        auto.toggled.connect(self.bar.auto_box.setChecked)
        self.bar.auto_box.toggled.connect(auto.setChecked)
        folder = QAction("Open model &folder…", self.window)
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

    # -- settings ----------------------------------------------------------------------
    def _restore(self) -> None:
        store = self.window.settings_store
        name = store.value("model/name")
        device = store.value("model/device")
        dtype = store.value("model/dtype")
        if name:
            self.bar.set_choice(str(name), str(device or "auto"), str(dtype or "auto"))
        self.bar.auto_box.setChecked(str(store.value("model/auto_run", "false")).lower() == "true")

    def save_settings(self) -> None:
        store = self.window.settings_store
        choice = self.bar.choice()
        store.setValue("model/name", choice.name)
        store.setValue("model/device", choice.device)
        store.setValue("model/dtype", choice.dtype)
        store.setValue("model/auto_run", self.bar.auto_box.isChecked())

    def shutdown(self, timeout_ms: int = 5000) -> bool:
        """Quit: stop the timer, cancel the forward (it stops at the next layer), wait."""
        self._auto.stop()
        self.save_settings()
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
        result = self.window.result
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
        if self.window.tokenizer_name != pair.model.tokenizer_name:
            # A model is shown with its own tokenizer: switch the window to it, run when the
            # text has been encoded with it.
            self._run_on_next_result = run
            self.window.load_tokenizer(pair.model.tokenizer_name)
        elif run:
            self.run_now()

    @Slot()
    def _on_result_shown(self) -> None:
        if self._run_on_next_result:
            self._run_on_next_result = False
            self.run_now()
        elif self.bar.auto_box.isChecked():
            if self.service.pair is None:
                if not self.service.is_loading():
                    self.request_run()
            else:
                self._auto.start()

    @Slot()
    def _on_edit(self) -> None:
        """Typing or new settings: the running forward is for an old text, stop it now."""
        self._auto.stop()
        self.service.cancel_run()

    @Slot(bool)
    def _on_auto_changed(self, on: bool) -> None:
        if on and self.window.result is not None:
            if self.service.pair is None:
                self.request_run()
            else:
                self._auto.start()

    @Slot(object)
    def _on_run_finished(self, run: ModelRun) -> None:
        self.run = run
        for panel in self.panels:
            panel.set_run(run)
        if self.selected_token is not None:
            for panel in self.panels:
                panel.set_selected_token(self.selected_token)

    # -- linking -----------------------------------------------------------------------
    @Slot(int)
    def set_selected_token(self, index: int) -> None:
        """The window selected a token (strip, table, or a panel): mark it in every panel."""
        self.selected_token = index
        for panel in self.panels:
            panel.set_selected_token(index)

    @Slot(int)
    def _on_panel_token(self, index: int) -> None:
        self.window._on_token_clicked(index)  # as a click on its chip
