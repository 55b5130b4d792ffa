"""Help → Glossary: the terms a learner meets ([CLS], Ġ, attention_mask, pooler_output …).

Searchable, in the window's language, with one anchor per entry: ``open_glossary("[SEP]")``
opens it on that entry, and a label's ``linkActivated`` can pass ``glossary:<id>`` links to
:func:`open_glossary_link`. :func:`role_tooltip` gives a special token's translated purpose
(from ``inspector.core.token_roles``) for the strip's and table's tooltips.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QSize, Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from inspector.core.glossary import LINK_SCHEME, Glossary, entry_html, load_glossary
from inspector.core.token_roles import CONTEXT as ROLE_CONTEXT
from inspector.core.token_roles import TokenRole
from inspector.gui.i18n import Retranslatable, current_language

ID_ROLE = Qt.ItemDataRole.UserRole
SHORT_TERM = 2
ROW_PADDING = 8


class GlossaryDialog(Retranslatable, QDialog):
    """A search box, the list of terms and the entries; follows the language at run time."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("glossaryDialog")
        self.resize(860, 600)
        self.glossary: Glossary = load_glossary(current_language())
        self.search = QLineEdit()
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._refresh)
        self.terms = QListWidget()
        self.terms.currentItemChanged.connect(self._on_term_chosen)
        self.browser = QTextBrowser()
        # "See also" links go through show_entry: it clears a search that hides their target.
        self.browser.setOpenLinks(False)
        self.browser.anchorClicked.connect(lambda url: self.show_entry(url.fragment()))
        self.empty = QLabel()
        self.empty.hide()
        splitter = QSplitter()
        splitter.addWidget(self.terms)
        splitter.addWidget(self.browser)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([220, 640])
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.search)
        layout.addWidget(self.empty)
        layout.addWidget(splitter, 1)
        layout.addWidget(buttons)
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Glossary"))
        self.search.setPlaceholderText(self.tr("Search terms, e.g. attention_mask or [SEP]"))
        self.empty.setText(self.tr("No term matches the search."))
        shown = self.current_entry_id()
        self.glossary = load_glossary(current_language())
        self._refresh()
        if shown is not None:
            self.show_entry(shown)

    # -- content ------------------------------------------------------------------------
    def _refresh(self) -> None:
        entries = self.glossary.search(self.search.text())
        see_also = self.tr("See also:")
        self.browser.setHtml("\n".join(entry_html(e, self.glossary, see_also) for e in entries))
        self.terms.blockSignals(True)
        self.terms.clear()
        row_height = self.terms.fontMetrics().height() + ROW_PADDING
        for entry in entries:
            # A lone symbol (Ġ, ▁, ##) says little in a list: its title goes beside it.
            short = len(entry.term) <= SHORT_TERM
            item = QListWidgetItem(f"{entry.term}   {entry.title}" if short else entry.term)
            item.setData(ID_ROLE, entry.id)
            # Taller rows: DejaVu's dot of Ġ rises above the font's ascent and was clipped.
            item.setSizeHint(QSize(0, row_height))
            item.setToolTip(entry.title)
            self.terms.addItem(item)
        self.terms.blockSignals(False)
        self.empty.setVisible(not entries)

    def _on_term_chosen(self, item: QListWidgetItem | None) -> None:
        if item is not None:
            self.browser.scrollToAnchor(str(item.data(ID_ROLE)))

    def current_entry_id(self) -> str | None:
        item = self.terms.currentItem()
        return None if item is None else str(item.data(ID_ROLE))

    def shown_entry_ids(self) -> list[str]:
        return [str(self.terms.item(i).data(ID_ROLE)) for i in range(self.terms.count())]

    def show_entry(self, term: str) -> bool:
        """Select and scroll to the entry for an id, term or alias; False when none."""
        entry = self.glossary.find(term)
        if entry is None:
            return False
        if entry.id not in self.shown_entry_ids():
            self.search.clear()  # the search hid it
        for row in range(self.terms.count()):
            if self.terms.item(row).data(ID_ROLE) == entry.id:
                self.terms.setCurrentRow(row)
                self.browser.scrollToAnchor(entry.id)
                return True
        return False


def open_glossary(term: str | None = None, parent: QWidget | None = None) -> GlossaryDialog:
    """Show the glossary (one per parent window), on ``term``'s entry when given."""
    dialog = parent.findChild(GlossaryDialog) if parent is not None else _ORPHAN.get("dialog")
    if dialog is None:
        dialog = GlossaryDialog(parent)
        if parent is None:
            _ORPHAN["dialog"] = dialog
    dialog.show()
    dialog.raise_()
    dialog.activateWindow()
    if term:
        dialog.show_entry(term)
    return dialog


_ORPHAN: dict[str, GlossaryDialog] = {}


def open_glossary_link(link: str, parent: QWidget | None = None) -> bool:
    """For ``linkActivated``: open a ``glossary:<id>`` link; False for any other link."""
    if not link.startswith(f"{LINK_SCHEME}:"):
        return False
    open_glossary(link[len(LINK_SCHEME) + 1 :], parent)
    return True


def role_tooltip(role: TokenRole) -> str:
    """A special token's purpose (and notes) in the window's language, plain text."""
    purpose = QCoreApplication.translate(ROLE_CONTEXT, role.template).format(token=role.token)
    notes = [QCoreApplication.translate(ROLE_CONTEXT, note) for note in role.note_templates]
    entry = load_glossary(current_language()).entry(role.glossary_term)
    term = entry.term if entry is not None else role.glossary_term
    hint = QCoreApplication.translate("GlossaryDialog", "Help → Glossary: {term}").format(term=term)
    return " ".join([purpose, *notes]) + "\n" + hint
