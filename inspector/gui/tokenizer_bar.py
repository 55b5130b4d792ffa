"""The bar above the text: the tokenizer picker, "modified copy" when "what if" tokens are
added (with a reset link), and the strip's display options; under it, the error banner."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QWidget

from inspector.core.tokenizer import LoadedTokenizer
from inspector.gui.catalog_picker import CatalogPicker
from inspector.gui.i18n import Retranslatable
from inspector.gui.persistence import WindowSettings
from inspector.gui.state import InspectorState

BANNER_STYLE = (
    "QLabel { background: #fdecea; color: #611a15; border: 1px solid #f5c2c0;"
    " padding: 6px; border-radius: 4px; }"
)
MODIFIED_STYLE = (
    "QLabel { background: #fff4d6; color: #5c4400; padding: 2px 6px; border-radius: 3px; }"
)


class TokenizerBar(Retranslatable, QWidget):
    options_changed = Signal()  # a strip option box was toggled

    def __init__(
        self, state: InspectorState, prefs: WindowSettings, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.state = state
        self.prefs = prefs
        self.picker = CatalogPicker(state.catalog)
        self.picker.setMinimumContentsLength(28)
        self.picker.fill(prefs.recent())
        self.modified = QLabel()  # "modified copy": the tokenizer has "what if" tokens
        self.modified.setStyleSheet(MODIFIED_STYLE)
        self.modified.linkActivated.connect(lambda _link: state.reset_tokens())
        self.modified.hide()
        self.boxes = {
            "glyphs": QCheckBox(checked=True),
            "show_ids": QCheckBox(),
            "colorblind": QCheckBox(),
        }
        self.caption = QLabel()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.caption)
        layout.addWidget(self.picker, 1)
        layout.addWidget(self.modified)
        for box in self.boxes.values():
            box.toggled.connect(self.options_changed)
            layout.addWidget(box)
        self.picker.chosen.connect(self._on_chosen)
        state.tokenizer_changed.connect(self._on_tokenizer_changed)
        state.tokenizer_failed.connect(lambda _m: self.picker.show_name(state.tokenizer_name))
        self.retranslate()

    def retranslate(self) -> None:
        self.caption.setText(self.tr("Tokenizer:"))
        self.boxes["glyphs"].setText(self.tr("Whitespace glyphs"))
        self.boxes["show_ids"].setText(self.tr("Show ids"))
        self.boxes["colorblind"].setText(self.tr("Colour-blind palette"))
        self._name_modified()

    def option(self, key: str) -> bool:
        return self.boxes[key].isChecked()

    @Slot(str)
    def _on_chosen(self, name: str) -> None:
        if name != self.state.tokenizer_name or self.state.tokenizer is None:
            self.state.load_tokenizer(name)

    @Slot(object)
    def _on_tokenizer_changed(self, _tok: LoadedTokenizer) -> None:
        name = self.state.tokenizer_name
        if self.state.catalog.entry(name) is None:  # a file, folder or hub id: recent list
            self.picker.fill(self.prefs.remember_recent(name))
        self.picker.show_name(name)
        self._name_modified()

    def _name_modified(self) -> None:
        added = self.state.added_tokens
        if self.modified.isHidden() == bool(added):  # setVisible lays the bar out again
            self.modified.setVisible(bool(added))
        self.modified.setText(
            self.tr('modified copy: {0} added · <a href="reset">reset</a>').format(len(added))
        )
        self.modified.setToolTip(", ".join(added))


class ErrorBanner(QLabel):
    """The last plain error (a tokenizer that did not load, an encode that failed, a file
    that could not be opened), until the next tokenizer or result."""

    def __init__(self, state: InspectorState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.PlainText)  # messages quote paths and file contents
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.setStyleSheet(BANNER_STYLE)
        self.hide()
        state.tokenizer_failed.connect(self.show_message)
        state.encode_failed.connect(self.show_message)
        state.tokenizer_changed.connect(self.hide)
        state.result_changed.connect(self.hide)

    @Slot(str)
    def show_message(self, message: str) -> None:
        """``message``: already in the window's language (jobs translate core errors with
        ``i18n.error_text``)."""
        self.setText(message)
        self.show()
