"""The tokenizer picker: an editable box of catalog ids (and recent paths) that searches as
you type. The main window and the Compare panel use the same one."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import PurePath

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import QComboBox, QCompleter, QFileDialog, QWidget

from inspector.core.catalog import Catalog

HUB_CACHE_PREFIX = "models--"  # the hub cache keeps "org/name" as models--org--name/snapshots/…


def display_name(name: str) -> str:
    """What the picker shows for a tokenizer name: a hub cache folder as its hub id."""
    for part in PurePath(name).parts:
        if part.startswith(HUB_CACHE_PREFIX):
            return part[len(HUB_CACHE_PREFIX) :].replace("--", "/")
    return name


class CatalogPicker(QComboBox):
    """Emits ``chosen`` with a catalog id (an alias becomes its id), path or hub id."""

    chosen = Signal(str)

    def __init__(
        self, catalog: Catalog, *, placeholder: str = "", parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.catalog = catalog
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.setToolTip(self.tr("Catalog id, alias, HF hub id or path — type to search"))
        completer = self.completer()
        assert completer is not None  # an editable combo box has one
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        line = self.lineEdit()
        assert line is not None
        if placeholder:
            line.setPlaceholderText(placeholder)
        self.activated.connect(self._on_activated)
        line.returnPressed.connect(self._on_entered)
        self.fill()

    def fill(self, recent: Sequence[str] = ()) -> None:
        """The catalog, then the recently used files and folders."""
        self.blockSignals(True)
        self.clear()
        for entry in self.catalog.entries:
            self.addItem(entry.id, entry.id)
            self.setItemData(self.count() - 1, entry.title, Qt.ItemDataRole.ToolTipRole)
        if recent:
            self.insertSeparator(self.count())
            for path in recent:
                self.addItem(display_name(path), path)
                self.setItemData(self.count() - 1, path, Qt.ItemDataRole.ToolTipRole)
        self.blockSignals(False)

    def show_name(self, name: str) -> None:
        """Show ``name`` as the current choice (no ``chosen``)."""
        index = self.findData(name)
        self.blockSignals(True)
        if index >= 0:
            self.setCurrentIndex(index)
        else:
            self.setEditText(display_name(name))
        self.blockSignals(False)

    def open_file(self) -> None:
        """File → Open tokenizer…: a tokenizer.json, SentencePiece .model or .tiktoken file."""
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("Open tokenizer"), "", "Tokenizers (*.json *.model *.tiktoken);;*"
        )
        if path:
            self.chosen.emit(path)

    def open_folder(self) -> None:
        """File → Open tokenizer folder…: a folder written by save_pretrained."""
        path = QFileDialog.getExistingDirectory(self, self.tr("Open tokenizer folder"))
        if path:
            self.chosen.emit(path)

    def clear_choice(self) -> None:
        self.setCurrentIndex(-1)
        self.setEditText("")

    @Slot(int)
    def _on_activated(self, index: int) -> None:
        name = self.itemData(index) or self.itemText(index)
        if name:
            self.chosen.emit(str(name))

    @Slot()
    def _on_entered(self) -> None:
        text = self.currentText().strip()
        index = self.findText(text)
        name = str(self.itemData(index) or text) if index >= 0 else text
        entry = self.catalog.entry(name)
        if name:
            self.chosen.emit(entry.id if entry is not None else name)
