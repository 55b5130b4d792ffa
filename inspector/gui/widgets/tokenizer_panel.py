"""The tokenizer panel: what the tokenizer is, vocabulary lookup both ways, "what if" tokens.

The panel only reads a :class:`LoadedTokenizer` (its facts and vocabulary). With the session
``state`` it follows the state's tokenizer, and "what if" asks the state for a copy with extra
tokens (made off the GUI thread); it also says so through ``what_if_requested``.
"""

from __future__ import annotations

import html
import re
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QFont, QFontDatabase, QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)
from superqt.utils import qdebounced

from inspector.core.cancel import CancelToken
from inspector.core.tokenizer import LoadedTokenizer, TokenizerFacts
from inspector.core.vocab_index import VocabIndex, index_of_vocab
from inspector.core.vocab_lookup import MAX_MATCHES, VocabMatches, find_tokens
from inspector.gui.i18n import Retranslatable
from inspector.gui.jobs import JobRunner
from inspector.gui.widgets.rows_table import RowsTable

if TYPE_CHECKING:
    from inspector.gui.state import InspectorState

__all__ = ["MAX_MATCHES", "TokenizerPanel", "parse_token_list"]

LOOKUP_CHANNEL = "tokenizer-lookup"
VOCABS_KEPT = 2  # o200k's is ~8 MB
FACT_KEYS = (
    "id",
    "algorithm",
    "vocab_size",
    "model_max_length",
    "lowercases",
    "byte_level",
    "uses_token_type_ids",
    "unk_token",
    "pad_token",
    "normalizer",
    "pre_tokenizer",
    "source",
    "fingerprint",
)
_SPLIT = re.compile(r"[\s,]+")
_BREAK_AFTER = re.compile(r"([,|(\[/])")


def parse_token_list(text: str) -> list[str]:
    """Tokens typed for "what if": comma separated when there is a comma (so a token may
    hold inner spaces), else space separated; blanks and repeats dropped, order kept."""
    parts = text.split(",") if "," in text else _SPLIT.split(text)
    out: list[str] = []
    for part in parts:
        token = part.strip()
        if token and token not in out:
            out.append(token)
    return out


def _lookup_job(
    tok: LoadedTokenizer,
    vocab: VocabIndex | None,
    query: str,
    special_ids: frozenset[int],
    *,
    cancel: CancelToken,
) -> tuple[VocabMatches, VocabIndex]:
    """The matches, and the vocabulary read for them (kept by the panel for the next query)."""
    vocab = tok.vocab_index() if vocab is None else vocab
    cancel.check()
    return find_tokens(tok, vocab, query, special_ids), vocab


def _wrappable_tooltip(text: str) -> str:
    """Rich text (so Qt wraps it) with break opportunities inside long unspaced runs."""
    escaped = html.escape(text)
    return "<p>" + _BREAK_AFTER.sub("\\1\u200b", escaped) + "</p>"


class _Value(QLineEdit):
    """A read-only, frameless one-line value: selectable, scrolls, full text in the tooltip."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setReadOnly(True)
        self.setFrame(False)
        self.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.setStyleSheet("QLineEdit { background: transparent; }")
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)

    def show_value(self, text: str) -> None:
        self.setText(text)
        self.setCursorPosition(0)
        self.setToolTip(_wrappable_tooltip(text) if len(text) > 24 else "")


class TokenizerPanel(Retranslatable, QWidget):
    """Facts of the current tokenizer, vocabulary lookup, and "what if" added tokens."""

    what_if_requested = Signal(list, bool)  # tokens, special
    what_if_reset = Signal()
    looked_up = Signal()  # a typed query's matches are shown

    LOOKUP_DELAY_MS = 200

    def __init__(self, state: InspectorState | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._tok: LoadedTokenizer | None = None
        self._vocab: VocabIndex | None = None
        # The last tokenizers' vocabularies (one without tables of its own reads its whole
        # vocab() for it): switching back and forth with a query typed reads each once.
        self._kept_vocabs: dict[int, tuple[LoadedTokenizer, VocabIndex]] = {}
        self._special_ids: frozenset[int] = frozenset()
        self._facts_stale = True  # the fields do not show _tok's facts yet (hidden)
        # The window's runner (the state's), else the panel's own.
        self.runner = JobRunner(self, max_threads=1) if state is None else state.runner

        mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)

        # -- facts -----------------------------------------------------------------------
        self.facts_box = QGroupBox()
        form = QFormLayout(self.facts_box)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        self.fields: dict[str, _Value] = {}
        self.field_labels: dict[str, QLabel] = {}  # their texts are set in retranslate()
        for key in FACT_KEYS:
            widget = _Value()
            if key in ("normalizer", "pre_tokenizer", "fingerprint"):
                widget.setFont(mono)
            widget.setObjectName(f"fact-{key}")
            self.fields[key] = widget
            self.field_labels[key] = QLabel()
            form.addRow(self.field_labels[key], widget)
        self.fields["id"].setFont(_bold(self.fields["id"].font()))

        self.notes_label = QLabel()
        self.notes_label.setObjectName("fact-notes")
        self.notes_label.setWordWrap(True)
        self.notes_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.notes_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.notes_title = QLabel()
        form.addRow(self.notes_title, self.notes_label)

        self.added_label = QLabel()
        self.added_table = _small_table(3, id_column=1, sortable=True)  # token, id, kind
        self.added_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.added_title = QLabel()
        form.addRow(self.added_title, self.added_label)
        form.addRow(self.added_table)  # the whole width: long special tokens stay readable

        # -- lookup ----------------------------------------------------------------------
        self.lookup_box = QGroupBox()
        self.lookup_edit = QLineEdit()
        self.lookup_edit.setClearButtonEnabled(True)
        self.lookup_status = QLabel()
        self.lookup_status.setWordWrap(True)
        self.lookup_status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.lookup_table = _small_table(3, id_column=0)  # id, token, display
        self.lookup_table.setMinimumHeight(_rows_height(self.lookup_table, 5))
        self._lookup_later = qdebounced(self._lookup_now, self.LOOKUP_DELAY_MS, parent=self)
        self.lookup_edit.textChanged.connect(lambda _text: self._lookup_later())
        self.lookup_edit.returnPressed.connect(self._lookup_now)
        lookup_layout = QVBoxLayout(self.lookup_box)
        lookup_layout.addWidget(self.lookup_edit)
        lookup_layout.addWidget(self.lookup_status)
        lookup_layout.addWidget(self.lookup_table, 1)

        # -- what if ---------------------------------------------------------------------
        self.what_if_box = QGroupBox()
        self.what_if_edit = QLineEdit()
        self.special_check = QCheckBox()
        self.apply_button = QPushButton()
        self.reset_button = QPushButton()
        self.what_if_state = QLabel()
        self.what_if_state.setWordWrap(True)
        self.apply_button.clicked.connect(self.apply_what_if)
        self.what_if_edit.returnPressed.connect(self.apply_what_if)
        self.what_if_edit.textChanged.connect(self._update_buttons)
        self.reset_button.clicked.connect(self.reset_what_if)
        buttons = QHBoxLayout()
        buttons.addWidget(self.special_check)
        buttons.addStretch(1)
        buttons.addWidget(self.apply_button)
        buttons.addWidget(self.reset_button)
        what_if_layout = QVBoxLayout(self.what_if_box)
        what_if_layout.addWidget(self.what_if_edit)
        what_if_layout.addLayout(buttons)
        what_if_layout.addWidget(self.what_if_state)

        content = QWidget()
        column = QVBoxLayout(content)
        column.setContentsMargins(4, 4, 4, 4)
        column.addWidget(self.facts_box)
        column.addWidget(self.lookup_box, 1)
        column.addWidget(self.what_if_box)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(content)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)
        self.retranslate()
        if state is not None:
            state.tokenizer_changed.connect(self.set_tokenizer)
            self.what_if_requested.connect(state.add_tokens)
            self.what_if_reset.connect(state.reset_tokens)

    def retranslate(self) -> None:
        """Every string of the panel, again after *View → Language*."""
        labels = {
            "id": self.tr("Name:"),
            "algorithm": self.tr("Algorithm:"),
            "vocab_size": self.tr("Vocabulary:"),
            "model_max_length": self.tr("Max length:"),
            "lowercases": self.tr("Lowercases:"),
            "byte_level": self.tr("Byte-level:"),
            "uses_token_type_ids": "token_type_ids:",  # the argument's name: not translated
            "unk_token": self.tr("Unknown token:"),
            "pad_token": self.tr("Padding token:"),
            "normalizer": self.tr("Normalizer:"),
            "pre_tokenizer": self.tr("Pre-tokenizer:"),
            "source": self.tr("Source:"),
            "fingerprint": self.tr("Fingerprint:"),
        }
        for key, text in labels.items():
            self.field_labels[key].setText(text)
        self.facts_box.setTitle(self.tr("Tokenizer"))
        self.notes_title.setText(self.tr("Notes:"))
        self.added_title.setText(self.tr("Special/added:"))
        self.added_table.set_headers([self.tr("token"), "id", self.tr("kind")])
        self.lookup_box.setTitle(self.tr("Vocabulary lookup"))
        self.lookup_edit.setPlaceholderText(
            self.tr("an id (→ token) or text (→ tokens that contain it)")
        )
        self.lookup_table.set_headers(["id", self.tr("token"), self.tr("display")])
        self.what_if_box.setTitle(self.tr('"What if" added tokens'))
        self.what_if_edit.setPlaceholderText(
            self.tr("e.g. <tag>, foo bar (comma or space separated)")
        )
        self.special_check.setText(self.tr("special"))
        self.special_check.setToolTip(
            self.tr(
                "add them as special tokens (never split, skipped when decoding with "
                "skip_special_tokens)"
            )
        )
        self.apply_button.setText(self.tr("Apply"))
        self.reset_button.setText(self.tr("Reset"))
        self.apply_button.setToolTip(
            self.tr("encode with a copy of this tokenizer that has these tokens")
        )
        self.reset_button.setToolTip(self.tr("go back to the tokenizer as it was loaded"))
        self.set_tokenizer(self._tok)  # the facts' words (yes/no, none…) and the lookup

    def _yes_no(self, value: bool) -> str:
        return self.tr("yes") if value else self.tr("no")

    # -- tokenizer -----------------------------------------------------------------------
    @property
    def tokenizer(self) -> LoadedTokenizer | None:
        return self._tok

    @Slot(object)
    def set_tokenizer(self, tok: LoadedTokenizer | None) -> None:
        """Show this tokenizer (None clears the panel). Its vocabulary is read lazily."""
        self._tok = tok
        kept = None if tok is None else self._kept_vocabs.get(id(tok))
        self._vocab = kept[1] if kept is not None and kept[0] is tok else None
        facts = None if tok is None else tok.facts
        self._special_ids = (
            frozenset() if facts is None else frozenset(t.id for t in facts.special_tokens)
        )
        # The facts and the added tokens' table are filled when the panel is in view: the
        # dock is a tab behind the token table by default, and filling them took 3-5 ms of
        # the pass in which a tokenizer (a "what if" copy) arrived.
        self._facts_stale = True
        if self.isVisible():
            self._show_current_facts()
        for widget in (self.lookup_edit, self.what_if_edit, self.special_check):
            widget.setEnabled(tok is not None)
        if facts is not None and facts.id.endswith("+added"):
            self.what_if_state.setText(
                self.tr("Showing a what-if copy of the tokenizer: Reset goes back to the original.")
            )
        else:
            self.what_if_state.setText("")
        _set_visible(self.what_if_state, bool(self.what_if_state.text()))
        self._update_buttons()
        self._show_matches([], "")  # the old vocabulary's rows are moot
        if tok is not None and self.lookup_edit.text().strip():
            self._lookup_now()
        else:
            self.runner.cancel(LOOKUP_CHANNEL)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._facts_stale:
            self._show_current_facts()

    def _show_current_facts(self) -> None:
        self._facts_stale = False
        self._show_facts(None if self._tok is None else self._tok.facts)

    def _show_facts(self, facts: TokenizerFacts | None) -> None:
        def put(key: str, text: str) -> None:
            self.fields[key].show_value(text)

        if facts is None:
            for key in self.fields:
                put(key, "")
            put("id", self.tr("no tokenizer loaded"))
            self.notes_label.setText("")
            self._fill_added(None)
            return
        put("id", facts.id)
        put("algorithm", facts.algorithm)
        none = self.tr("none")
        put("vocab_size", self.tr("{0} tokens").format(f"{facts.vocab_size:,}"))
        length = facts.model_max_length
        put("model_max_length", self.tr("not declared") if length is None else f"{length:,}")
        put("lowercases", self._yes_no(facts.lowercases))
        put("byte_level", self._yes_no(facts.byte_level))
        put("uses_token_type_ids", self._yes_no(facts.uses_token_type_ids))
        put("unk_token", self._with_id(facts.unk_token) if facts.unk_token else none)
        put("pad_token", self._with_id(facts.pad_token) if facts.pad_token else none)
        put("normalizer", facts.normalizer or none)
        put("pre_tokenizer", facts.pre_tokenizer or none)
        put("source", facts.source)
        put("fingerprint", facts.fingerprint)
        self.notes_label.setText("\n".join(f"• {note}" for note in facts.notes) or none)
        self._fill_added(facts)

    def _with_id(self, token: str) -> str:
        token_id = None if self._tok is None else self._tok.token_to_id(token)
        return token if token_id is None else f"{token}  (id {token_id})"

    def _fill_added(self, facts: TokenizerFacts | None) -> None:
        table = self.added_table
        entries = [] if facts is None else [*facts.special_tokens, *facts.added_tokens]
        special, added = self.tr("special"), self.tr("added")
        table.set_columns(
            [
                [info.content for info in entries],
                [info.id for info in entries],
                [special if info.special else added for info in entries],
            ]
        )
        table.sortByColumn(1, Qt.SortOrder.AscendingOrder)
        if facts is None:
            self.added_label.setText("")
        else:
            counts = len(facts.special_tokens), len(facts.added_tokens)
            self.added_label.setText(self.tr("{0} special, {1} added").format(*counts))
        _set_visible(table, bool(entries))
        table.setFixedHeight(_rows_height(table, min(max(len(entries), 1), 6)))

    # -- lookup --------------------------------------------------------------------------
    def vocabulary(self) -> VocabIndex:
        """The whole vocabulary (its flat arrays), read once per tokenizer."""
        if self._vocab is None:
            self._keep_vocab(index_of_vocab({}) if self._tok is None else self._tok.vocab_index())
        assert self._vocab is not None
        return self._vocab

    def _keep_vocab(self, vocab: VocabIndex) -> None:
        self._vocab = vocab
        if self._tok is None:
            return
        kept = self._kept_vocabs
        kept.pop(id(self._tok), None)
        kept[id(self._tok)] = (self._tok, vocab)
        while len(kept) > VOCABS_KEPT:
            del kept[next(iter(kept))]  # the least recently read

    def lookup(self, query: str) -> list[tuple[int, str, str]]:
        """Rows (id, token, display) for a query, shown in the table, found now (typing
        finds them on a worker: :meth:`_lookup_now`). See ``vocab_lookup.find_tokens``."""
        self.runner.cancel(LOOKUP_CHANNEL)  # an older typed query's answer is moot
        tok = self._tok
        if tok is None or not query.strip():
            self._show_matches([], "")
            return []
        found = find_tokens(tok, self.vocabulary(), query, self._special_ids)
        self._show_found(found)
        return list(found.rows)

    def _show_found(self, found: VocabMatches) -> None:
        notes: list[str] = []
        tok = self._tok
        if found.by_id is not None and found.by_id_token is None and tok is not None:
            vocab_size = f"{tok.facts.vocab_size:,}"
            notes.append(
                self.tr("no token has id {0} (vocabulary: {1})").format(found.by_id, vocab_size)
            )
        elif found.by_id is not None:
            notes.append(f"id {found.by_id} → {found.by_id_token!r}")
        total = found.total
        if total == 0:
            notes.append(self.tr("no token contains it"))
        elif total > found.shown:
            notes.append(
                self.tr("{0} tokens contain it, showing the first {1}").format(
                    f"{total:,}", f"{found.shown:,}"
                )
            )
        elif total == 1:
            notes.append(self.tr("1 token contains it"))
        else:
            notes.append(self.tr("{0} tokens contain it").format(f"{total:,}"))
        self._show_matches(list(found.rows), "; ".join(notes))

    def _show_matches(self, rows: list[tuple[int, str, str]], status: str) -> None:
        self.lookup_table.set_rows(rows)
        self.lookup_status.setText(status)
        _set_visible(self.lookup_status, bool(status))

    @Slot()
    def _lookup_now(self) -> None:
        """The typed query, looked up on a worker; a newer query or tokenizer supersedes it."""
        self._lookup_later.cancel()
        tok, query = self._tok, self.lookup_edit.text()
        if tok is None or not query.strip():
            self.lookup(query)  # nothing to look up: cleared now
            return
        self.runner.submit(
            LOOKUP_CHANNEL,
            _lookup_job,
            tok,
            self._vocab,
            query,
            self._special_ids,
            done=lambda answer: self._on_found(tok, *answer),
        )

    def _on_found(self, tok: LoadedTokenizer, found: VocabMatches, vocab: VocabIndex) -> None:
        if tok is not self._tok:
            return
        if self._vocab is not vocab:
            self._keep_vocab(vocab)
        self._show_found(found)
        self.looked_up.emit()

    # -- what if -------------------------------------------------------------------------
    def what_if_tokens(self) -> list[str]:
        return parse_token_list(self.what_if_edit.text())

    @Slot()
    def apply_what_if(self) -> None:
        tokens = self.what_if_tokens()
        if self._tok is not None and tokens:
            self.what_if_requested.emit(tokens, self.special_check.isChecked())

    @Slot()
    def reset_what_if(self) -> None:
        self.what_if_reset.emit()

    @Slot()
    def _update_buttons(self) -> None:
        loaded = self._tok is not None
        self.apply_button.setEnabled(loaded and bool(self.what_if_tokens()))
        self.reset_button.setEnabled(loaded)


def _set_visible(widget: QWidget, visible: bool) -> None:
    """Show or hide only on a change: each call of setVisible lays the panel out again."""
    if widget.isHidden() == visible:
        widget.setVisible(visible)


def _bold(font: QFont) -> QFont:
    font.setBold(True)
    return font


def _small_table(columns: int, id_column: int, *, sortable: bool = False) -> RowsTable:
    """A compact read-only table; ``id_column`` holds ids (narrow), the others strings."""
    table = RowsTable([""] * columns, sortable=sortable)
    table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 8)
    header = table.horizontalHeader()
    header.setStretchLastSection(True)
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    for column in range(columns):
        sample = "0000000" if column == id_column else "M" * 10
        width = table.fontMetrics().horizontalAdvance(sample)
        table.setColumnWidth(column, width + 16)
    return table


def _rows_height(table: RowsTable, rows: int) -> int:
    return (
        table.horizontalHeader().sizeHint().height()
        + rows * (table.verticalHeader().defaultSectionSize())
        + 2 * table.frameWidth()
    )
