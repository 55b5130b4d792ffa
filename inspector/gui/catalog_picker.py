"""The tokenizer picker: an editable box of catalog ids, tokenizers in the local Hugging Face
cache (and recent paths) that searches as you type. The main window and the Compare panel use
the same one. The cache is scanned once per process, on a pool thread, never at start-up on the
GUI thread."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import PurePath

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, Signal, Slot
from PySide6.QtWidgets import QComboBox, QCompleter, QFileDialog, QWidget

from inspector.core.cancel import CancelToken
from inspector.core.catalog import Catalog
from inspector.core.hf_cache import LocalHubTokenizer, local_hub_tokenizers
from inspector.gui.jobs import JobRunner

HUB_CACHE_PREFIX = "models--"  # the hub cache keeps "org/name" as models--org--name/snapshots/…


def display_name(name: str) -> str:
    """What the picker shows for a tokenizer name: a hub cache folder as its hub id."""
    for part in PurePath(name).parts:
        if part.startswith(HUB_CACHE_PREFIX):
            return part[len(HUB_CACHE_PREFIX) :].replace("--", "/")
    return name


def _scan_job(*, cancel: CancelToken) -> list[LocalHubTokenizer]:
    return local_hub_tokenizers()


class HubCacheScan(QObject):
    """The local HF cache's tokenizers, scanned once per process on a pool thread."""

    scanned = Signal(object)  # list[LocalHubTokenizer]
    _instance: HubCacheScan | None = None

    def __init__(self) -> None:
        super().__init__()
        self.found: list[LocalHubTokenizer] | None = None  # None: not scanned yet
        self.runner = JobRunner(self, max_threads=1)

    @classmethod
    def shared(cls) -> HubCacheScan:
        if cls._instance is None:
            cls._instance = cls()
            cls._instance.start()
        return cls._instance

    @classmethod
    def forget(cls) -> None:
        """Scan again on the next use (tests point HF_HUB_CACHE elsewhere)."""
        cls._instance = None

    def start(self) -> None:
        self.runner.submit("scan", _scan_job, done=self._done, failed=lambda _m: self._done([]))

    def _done(self, found: list[LocalHubTokenizer]) -> None:
        self.found = found
        self.scanned.emit(found)


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
        self._recent: tuple[str, ...] = ()
        scan = HubCacheScan.shared()
        self._cached: list[LocalHubTokenizer] = scan.found or []
        if scan.found is None:
            scan.scanned.connect(self._on_scanned)
        self.fill()

    def _entry_tips(self) -> None:
        """Each catalog entry's description (core's English, context CatalogEntry) as its
        tooltip, in the window's language."""
        for entry in self.catalog.entries:
            title = QCoreApplication.translate("CatalogEntry", entry.title)
            self.setItemData(self.findData(entry.id), title, Qt.ItemDataRole.ToolTipRole)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.LanguageChange:
            self._entry_tips()

    def fill(self, recent: Sequence[str] = ()) -> None:
        """The catalog, the local HF cache's tokenizers, then recent files and folders."""
        self._recent = tuple(recent)
        current = self.currentText()
        self.blockSignals(True)
        self.clear()
        for entry in self.catalog.entries:
            self.addItem(entry.id, entry.id)
        self._entry_tips()
        ids = {entry.id for entry in self.catalog.entries}
        cached = [t for t in self._cached if t.repo_id not in ids]
        if cached:
            self.insertSeparator(self.count())
            for tok in cached:
                self.addItem(tok.repo_id, tok.repo_id)
                self.setItemData(self.count() - 1, tok.label, Qt.ItemDataRole.ToolTipRole)
        if recent:
            self.insertSeparator(self.count())
            for path in recent:
                self.addItem(display_name(path), path)
                self.setItemData(self.count() - 1, path, Qt.ItemDataRole.ToolTipRole)
        if current:
            self.show_name(current)
        self.blockSignals(False)

    def cached_hub_ids(self) -> list[str]:
        """Repo ids of the local HF cache's tokenizers the picker lists."""
        return [t.repo_id for t in self._cached]

    @Slot(object)
    def _on_scanned(self, found: list[LocalHubTokenizer]) -> None:
        self._cached = found
        if found:
            self.fill(self._recent)

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
