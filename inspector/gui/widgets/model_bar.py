"""The model bar: which model, on which device and precision; Run / Cancel, progress, messages.

It subscribes to the :class:`ModelService` it is given and shows, in plain words, what the
service is doing: loading (with its steps), "layer i of N", notices (truncation, CPU
fallback, a tokenizer that is not the model's own) and errors (mismatch, too little memory).
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, QEvent, Qt, Signal, Slot
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from inspector.core.devices import DTYPE_CHOICES
from inspector.core.models import DEFAULT_MODEL, model_entry, model_names
from inspector.gui.catalog_picker import display_name
from inspector.gui.i18n import Retranslatable
from inspector.gui.model_service import LoadedPair, ModelRun, ModelService
from inspector.gui.theme import message_style

OPEN_FOLDER = "open-folder"  # the item data of "Open model folder…"
INFO_STYLE = "QLabel { padding: 3px; }"  # the palette's text colour: readable in both themes


class DeviceBox(QComboBox):
    """The device choice; asks for the real list the first time it opens (torch is imported
    then, on a worker, not at start-up)."""

    opening = Signal()

    def showPopup(self) -> None:
        self.opening.emit()
        super().showPopup()


@dataclass(frozen=True)
class ModelChoice:
    """What the user asked for; a loaded model is reused while this stays the same."""

    name: str
    device: str
    dtype: str
    trust_remote_code: bool
    allow_pickle: bool


class ModelBar(Retranslatable, QWidget):
    run_requested = Signal()  # Run pressed (the owner knows the current encoding)
    auto_run_changed = Signal(bool)
    use_model_tokenizer = Signal()  # the user chose the model's own tokenizer for the window

    def __init__(self, service: ModelService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.service = service
        self.model_box = QComboBox()
        self.model_box.setEditable(True)
        self.model_box.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.model_box.setMinimumContentsLength(22)
        for name in model_names():
            self.model_box.addItem(name, name)  # its description: retranslate()
        self.model_box.insertSeparator(self.model_box.count())
        self.model_box.addItem("", OPEN_FOLDER)
        self.model_box.activated.connect(self._on_model_activated)
        editor = self.model_box.lineEdit()
        if editor is not None:  # Enter on a typed id or path runs it
            editor.returnPressed.connect(self.run_requested)
        self.model_box.setCurrentText(DEFAULT_MODEL)

        self.device_box = DeviceBox()
        self.device_box.opening.connect(service.probe_devices)
        self._fill_devices(service.devices)
        self.dtype_box = QComboBox()
        self.dtype_box.addItems(list(DTYPE_CHOICES))

        self.run_button = QPushButton()
        self.run_button.clicked.connect(self.run_requested)
        self.cancel_button = QPushButton()
        self.cancel_button.setEnabled(False)
        self.cancel_button.clicked.connect(self._on_cancel)
        self.auto_box = QCheckBox()
        self.auto_box.toggled.connect(self.auto_run_changed)
        self.progress = QProgressBar()
        self.progress.setMaximumWidth(260)
        self.progress.setMinimumWidth(200)  # room for "reading the weights 40%"
        self.progress.setTextVisible(True)
        self.progress.hide()

        self.allow_code = QAction(self)
        self.allow_code.setCheckable(True)
        self.allow_pickle = QAction(self)
        self.allow_pickle.setCheckable(True)

        self.message_kind = ""  # "error", "notice" or "" (plain): restyled on a palette change
        self.info = QLabel()
        self.info.setTextFormat(Qt.TextFormat.PlainText)  # a model path is never markup
        self.info.setStyleSheet(INFO_STYLE)
        self.info.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message = QLabel()
        self.message.setTextFormat(Qt.TextFormat.PlainText)  # errors quote paths and names
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message.hide()
        self.tokenizer_button = QPushButton()
        self.tokenizer_button.clicked.connect(self._on_use_model_tokenizer)
        self.tokenizer_button.hide()

        self.captions = {name: QLabel() for name in ("model", "device", "dtype")}
        top = QHBoxLayout()
        top.addWidget(self.captions["model"])
        top.addWidget(self.model_box, 1)
        top.addWidget(self.captions["device"])
        top.addWidget(self.device_box)
        top.addWidget(self.captions["dtype"])
        top.addWidget(self.dtype_box)
        top.addWidget(self.run_button)
        top.addWidget(self.cancel_button)
        top.addWidget(self.auto_box)
        top.addWidget(self.progress)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 2, 4, 2)
        layout.setSpacing(2)
        layout.addLayout(top)
        layout.addWidget(self.info)
        message_row = QHBoxLayout()
        message_row.addWidget(self.message, 1)
        message_row.addWidget(self.tokenizer_button)
        layout.addLayout(message_row)

        service.devices_found.connect(self._fill_devices)
        service.loading.connect(self._on_loading)
        service.load_progress.connect(self._on_load_progress)
        service.loaded.connect(self._on_loaded)
        service.load_failed.connect(self._on_load_failed)
        service.run_started.connect(self._on_run_started)
        service.progress.connect(self._on_progress)
        service.run_finished.connect(self._on_run_finished)
        service.run_failed.connect(self._on_run_failed)
        service.run_cancelled.connect(self._on_run_cancelled)
        service.load_cancelled.connect(self._on_load_cancelled)
        self.retranslate()

    def retranslate(self) -> None:
        """Every string again in the current language (View → Language)."""
        self.captions["model"].setText(self.tr("Model:"))
        self.captions["device"].setText(self.tr("Device:"))
        self.captions["dtype"].setText(self.tr("dtype:"))
        self.model_box.setToolTip(
            self.tr("A catalog model, a model folder (save_pretrained) or an HF id")
        )
        self.model_box.setItemText(
            self.model_box.findData(OPEN_FOLDER), self.tr("Open model folder…")
        )
        for name in model_names():
            entry = model_entry(name)
            if entry is not None:  # core's English description, marked in context ModelEntry
                title = QCoreApplication.translate("ModelEntry", entry.title)
                tip = Qt.ItemDataRole.ToolTipRole
                self.model_box.setItemData(self.model_box.findData(name), title, tip)
        self.device_box.setToolTip(self.tr("auto = CUDA GPU, else Apple MPS, else the CPU"))
        self.dtype_box.setToolTip(self.tr("auto = bfloat16/float16 on a GPU, float32 on the CPU"))
        self.run_button.setText(self.tr("Run"))
        self.run_button.setToolTip(self.tr("Run the model on the current text (loads it first)"))
        self.cancel_button.setText(self.tr("Cancel"))
        self.auto_box.setText(self.tr("Run after each edit"))
        self.allow_code.setText(self.tr("Allow the model's own Python code (remote code)"))
        self.allow_pickle.setText(self.tr("Allow PyTorch pickle weights (.bin, tensors only)"))
        self.tokenizer_button.setText(self.tr("Use the model's tokenizer"))
        self.tokenizer_button.setToolTip(
            self.tr("Encode the window's text with the tokenizer this model was trained with")
        )
        if self.service.pair is not None:
            self._describe_model(self.service.pair)
        elif self.run_button.isEnabled():  # not loading: nothing loaded yet
            self.info.setText(self.tr("No model loaded: press Run to load one."))

    # -- choice ----------------------------------------------------------------------
    def choice(self) -> ModelChoice:
        name = self.model_box.currentText().strip()
        entry = model_entry(name)
        return ModelChoice(
            name=entry.name if entry is not None else name,
            device=self.device_box.currentText() or "auto",
            dtype=self.dtype_box.currentText() or "auto",
            trust_remote_code=self.allow_code.isChecked(),
            allow_pickle=self.allow_pickle.isChecked(),
        )

    def set_choice(self, name: str, device: str = "auto", dtype: str = "auto") -> None:
        self.model_box.setCurrentText(name)
        if self.device_box.findText(device) < 0:
            self.device_box.addItem(device)  # e.g. "cuda" remembered before torch was asked
        self.device_box.setCurrentText(device)
        if self.dtype_box.findText(dtype) >= 0:
            self.dtype_box.setCurrentText(dtype)

    @Slot(tuple)
    def _fill_devices(self, devices: tuple[str, ...] | list[str]) -> None:
        current = self.device_box.currentText() or "auto"
        self.device_box.clear()
        self.device_box.addItems(list(devices))
        if self.device_box.findText(current) >= 0:
            self.device_box.setCurrentText(current)

    @Slot(int)
    def _on_model_activated(self, index: int) -> None:
        if self.model_box.itemData(index) == OPEN_FOLDER:
            previous = self.service.model.info.name if self.service.model else DEFAULT_MODEL
            self.model_box.setCurrentText(previous)
            self.open_model_folder()

    @Slot()
    def open_model_folder(self) -> None:
        """Ask for a save_pretrained folder, then load and run it."""
        folder = QFileDialog.getExistingDirectory(
            self, self.tr("Open model folder (save_pretrained)")
        )
        if folder:
            self.model_box.setCurrentText(folder)
            self.run_requested.emit()

    @Slot()
    def _on_cancel(self) -> None:
        self.service.cancel()

    @Slot()
    def _on_use_model_tokenizer(self) -> None:
        self.tokenizer_button.hide()
        self.message.hide()
        self.use_model_tokenizer.emit()

    def ask_for_model_tokenizer(self, model_tokenizer: str, window_tokenizer: str) -> None:
        """The model reads text with another tokenizer than the window's: say so, offer it."""
        self._style_message("notice")
        self.message.setText(
            self.tr(
                "⚠ This model was trained with its own tokenizer ({0}); the window uses {1}. "
                "Its ids mean other tokens to the model."
            ).format(
                display_name(model_tokenizer), display_name(window_tokenizer) or self.tr("none")
            )
        )
        self.message.show()
        self.tokenizer_button.show()

    # -- messages --------------------------------------------------------------------
    def _style_message(self, kind: str) -> None:
        """An error or notice box in colours that read in the current palette."""
        self.message_kind = kind
        if kind:
            self.message.setStyleSheet(message_style(kind, self.palette()))
        else:
            self.message.setStyleSheet(INFO_STYLE)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self._style_message(self.message_kind)

    def show_error(self, text: str) -> None:
        self.tokenizer_button.hide()
        self._style_message("error")
        self.message.setText(text)
        self.message.show()

    def show_notices(self, notices: tuple[str, ...] | list[str]) -> None:
        self.tokenizer_button.hide()
        if not notices:
            self.message.hide()
            return
        self._style_message("notice")
        self.message.setText("\n".join(f"⚠ {n}" for n in notices))
        self.message.show()

    def _busy(self, busy: bool) -> None:
        self.cancel_button.setEnabled(busy)
        self.progress.setVisible(busy)

    @Slot(str)
    def _on_loading(self, name: str) -> None:
        self.message.hide()
        self.info.setText(
            self.tr("Loading {0}… (the first model load imports torch: a few seconds)").format(name)
        )
        self.progress.setRange(0, 100)
        self.progress.setValue(0)
        self.progress.setFormat(self.tr("loading %p%"))
        self.progress.show()
        self.run_button.setEnabled(False)
        self.cancel_button.setEnabled(True)

    @Slot(str, float)
    def _on_load_progress(self, what: str, fraction: float) -> None:
        self.progress.setValue(round(fraction * 100))
        self.progress.setFormat(f"{what} %p%")

    @Slot(object)
    def _on_loaded(self, pair: LoadedPair) -> None:
        self.run_button.setEnabled(True)
        self.cancel_button.setEnabled(False)
        self.progress.hide()
        self._describe_model(pair)
        self.show_notices(pair.model.notices)

    def _describe_model(self, pair: LoadedPair) -> None:
        """The info line: what is loaded, where, and its tokenizer."""
        info = pair.model.info
        if info.max_positions:
            positions = self.tr(", up to {0} positions").format(info.max_positions)
        else:
            positions = ""
        kinds = {"encoder": self.tr("encoder"), "causal": self.tr("causal")}
        self.info.setText(
            self.tr(
                "{name} · {kind} ({architecture}) · {layers} layers × {heads} heads · hidden "
                "{hidden}{positions} · {device} {dtype} · tokenizer {tokenizer}"
            ).format(
                name=info.name,
                kind=kinds.get(info.kind, info.kind),
                architecture=info.architecture,
                layers=info.n_layers,
                heads=info.n_heads,
                hidden=info.hidden_size,
                positions=positions,
                device=info.device,
                dtype=info.dtype,
                tokenizer=display_name(pair.model.tokenizer_name),
            )
        )
        self.info.setToolTip(info.source)

    @Slot(str)
    def _on_load_failed(self, message: str) -> None:
        self.run_button.setEnabled(True)
        self.cancel_button.setEnabled(False)
        self.progress.hide()
        if self.service.model is None:
            self.info.setText(self.tr("No model loaded."))
        self.show_error(self.tr("Could not load the model: {0}").format(message))

    @Slot(int)
    def _on_run_started(self, _run_id: int) -> None:
        self.message.hide()  # "cancelled" or the last run's notices: they come again if so
        total = self.service.model.info.n_layers if self.service.model else 0
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(0)
        self.progress.setFormat(self.tr("layer %v of %m"))
        self._busy(True)

    @Slot(int, int)
    def _on_progress(self, index: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(index)

    @Slot(object)
    def _on_run_finished(self, run: ModelRun) -> None:
        self._busy(False)
        self.show_notices(run.output.notices)

    @Slot(str)
    def _on_run_failed(self, message: str) -> None:
        self._busy(False)
        self.show_error(message)

    @Slot()
    def _on_run_cancelled(self) -> None:
        self._busy(False)
        self._say(self.tr("Run cancelled."))

    @Slot()
    def _on_load_cancelled(self) -> None:
        self.run_button.setEnabled(True)
        self._busy(False)
        if self.service.model is None:
            self.info.setText(self.tr("No model loaded: press Run to load one."))
        self._say(self.tr("Loading cancelled."))

    def _say(self, text: str) -> None:
        self.tokenizer_button.hide()
        self._style_message("")
        self.message.setText(text)
        self.message.show()
