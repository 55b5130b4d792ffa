"""The encoding panel: the knobs of a tokenizer call, and what they do to the ids.

Top: controls that map one to one onto :class:`~inspector.core.settings.EncodeSettings`
(plus the mode: single text, text + pair text, or a batch of one text per line, paired line by
line with the pair pane's lines when it has any). Invalid combinations are explained in a plain
inline message; :meth:`EncodingPanel.settings` then keeps returning the last valid settings, so
nothing ever raises into Qt.

Bottom, two tabs:

* **Tokens** — one column per token: display string, id, attention_mask, token_type_ids
  (only for tokenizers that use them), position_ids, sequence (pair mode) and the special
  flag, aligned in columns; then the overflow windows that truncation with a stride produced,
  one pair of rows (tokens, ids) per window with the character span each window covers.
* **Batch** — the padded ``input_ids``, ``token_type_ids`` and ``attention_mask`` matrices
  (:mod:`inspector.gui.widgets.batch_page`).

The panel follows the session state (:class:`~inspector.gui.state.InspectorState`): it shows
the state's result and batch and sends valid settings to it. The models read the result's
numpy columns; text cells are made only for the cells a view asks for, and only the first
:data:`MAX_COLUMNS` positions are shown.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import QEvent, QMargins, QSize, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QColor, QFontMetrics, QPalette
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QRadioButton,
    QSpinBox,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from inspector.core.cancel import CancelToken
from inspector.core.encoding import BatchResult, EncodingResult
from inspector.core.errors import EncodeError
from inspector.core.settings import (
    MODES,
    PADDING_CHOICES,
    SIDE_CHOICES,
    TRUNCATION_CHOICES,
    EncodeSettings,
    settings_problem,
)
from inspector.gui.glossary_dialog import open_glossary
from inspector.gui.i18n import Retranslatable
from inspector.gui.widgets.batch_page import BatchPage
from inspector.gui.widgets.encoding_models import (
    GLOSSARY_ENTRIES,
    MAX_COLUMNS,
    MAX_WINDOWS,
    ROW_TIPS,
    WIDTH_SAMPLE,
    Colours,
    OverflowModel,
    TokenGridModel,
    overlap_mask,
    window_spans,
)
from inspector.gui.widgets.grid_views import (
    Measure,
    fit_height,
    grid_view,
    pad_swatch,
    rows_height,
    scrolling,
    set_widths,
    swatch,
)
from inspector.gui.widgets.model_updates import PaintTurns, changes_much_of_view

if TYPE_CHECKING:
    from inspector.gui.state import InspectorState

SPIN_MAX = 1_000_000
# A replaced result this long is freed on a worker, a part at a time, this long after the
# next one settled (by then the strip and the other panels have let go of it too).
RELEASE_TOKENS = 200_000
RELEASE_DELAY_MS = 1000
UNSIZED_WIDTH = 48  # px: a grid column not yet in view (measured when it comes into view)
SIZE_AHEAD = 16  # columns past the right edge measured with those in view
__all__ = ["MAX_COLUMNS", "MAX_WINDOWS", "EncodingPanel", "overlap_mask", "window_spans"]


class EncodingPanel(Retranslatable, QWidget):
    """Encoding settings and their effect: aligned token grid, overflow windows, padded batch.

    ``settings_changed`` is emitted on any change of a control; valid settings go to the
    state, which re-encodes. The panel shows the state's result and batch as they change.
    """

    settings_changed = Signal()
    chat_requested = Signal()  # chat hook: the chat mode lives in the Chat dock (chat_panel.py)

    def __init__(self, state: InspectorState, parent: QWidget | None = None) -> None:
        self._built = False  # palette changes before the views exist have nothing to redo
        super().__init__(parent)
        self.state = state
        self._settings = state.settings
        self._mode = state.mode
        self._restoring = False
        self._problem = ""
        self._colours = Colours.from_palette(self.palette())
        self._result: EncodingResult | None = None
        self._grid_rows = -1  # rows the grid's height was last fitted to
        self._batch: BatchResult | None = None
        self._build_controls()
        self._build_display()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.setSpacing(6)
        layout.addWidget(self._controls)
        layout.addWidget(self.message_label)
        layout.addWidget(self.tabs, 1)
        self.retranslate()
        self._apply_controls(self._settings, self._mode)
        self.show_batch(state.batch)
        self.show_result(state.result)
        state.batch_changed.connect(self.show_batch)
        state.result_settled.connect(self._on_result_settled)  # after the strip has painted
        state.settings_changed.connect(self._on_state_settings)
        self.batch_page.row_chosen.connect(state.show_batch_row)
        self._built = True

    # -- controls --------------------------------------------------------------------------
    def _build_controls(self) -> None:
        self._controls = QFrame(self)
        grid = QGridLayout(self._controls)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(8)
        grid.setVerticalSpacing(4)

        self.mode_group = QButtonGroup(self)
        self.mode_buttons: dict[str, QRadioButton] = {}
        modes = QHBoxLayout()
        modes.setSpacing(10)
        for number, mode in enumerate(MODES):
            button = QRadioButton(self._controls)
            self.mode_group.addButton(button, number)
            self.mode_buttons[mode] = button
            modes.addWidget(button)
        self.chat_button = QToolButton(self._controls)  # chat hook: beside single/pair/batch
        self.chat_button.clicked.connect(self.chat_requested)
        modes.addWidget(self.chat_button)
        modes.addStretch(1)

        self.add_special_check = QCheckBox(self._controls)
        self.pretokenized_check = QCheckBox(self._controls)
        self.split_special_check = QCheckBox(self._controls)
        options = QHBoxLayout()
        options.setSpacing(10)
        options.addWidget(self.add_special_check)
        options.addWidget(self.pretokenized_check)
        options.addWidget(self.split_special_check)
        options.addStretch(1)

        # The choices are the library's own values (padding="longest"…): shown as they are.
        self.padding_combo = QComboBox(self._controls)
        self.padding_combo.addItems(list(PADDING_CHOICES))
        self.side_combo = QComboBox(self._controls)
        self.side_combo.addItems(list(SIDE_CHOICES))
        padding = QHBoxLayout()
        padding.setSpacing(6)
        padding.addWidget(self.padding_combo)
        self._side_label = QLabel(self._controls)
        padding.addWidget(self._side_label)
        padding.addWidget(self.side_combo)
        padding.addStretch(1)

        self.truncation_combo = QComboBox(self._controls)
        self.truncation_combo.addItems(list(TRUNCATION_CHOICES))
        self.max_length_spin = QSpinBox(self._controls)
        self.max_length_spin.setRange(0, SPIN_MAX)
        self.max_length_spin.setSpecialValueText("none")  # max_length=None
        self.stride_spin = QSpinBox(self._controls)
        self.stride_spin.setRange(0, SPIN_MAX)
        for spin in (self.max_length_spin, self.stride_spin):
            spin.setAccelerated(True)
            spin.setMinimumWidth(QFontMetrics(spin.font()).horizontalAdvance("0000000") + 30)

        self._labels: dict[str, QLabel] = {}

        def label(name: str) -> QLabel:
            out = self._labels[name] = QLabel(self._controls)
            out.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            return out

        grid.addWidget(label("mode"), 0, 0)
        grid.addLayout(modes, 0, 1)
        grid.addWidget(label("padding"), 0, 2)
        grid.addLayout(padding, 0, 3)
        grid.addWidget(label("max_length"), 0, 4)
        grid.addWidget(self.max_length_spin, 0, 5)
        grid.addWidget(label("options"), 1, 0)
        grid.addLayout(options, 1, 1)
        grid.addWidget(label("truncation"), 1, 2)
        grid.addWidget(self.truncation_combo, 1, 3, Qt.AlignmentFlag.AlignLeft)
        grid.addWidget(label("stride"), 1, 4)
        grid.addWidget(self.stride_spin, 1, 5)
        grid.setColumnStretch(6, 1)

        self.message_label = QLabel(self)
        self.message_label.setWordWrap(True)
        self.message_label.setTextFormat(Qt.TextFormat.PlainText)
        self.message_label.hide()
        self._colour_message()

        self.mode_group.idToggled.connect(self._on_mode_toggled)
        self.add_special_check.toggled.connect(self._on_control_changed)
        self.pretokenized_check.toggled.connect(self._on_control_changed)
        self.split_special_check.toggled.connect(self._on_control_changed)
        self.padding_combo.currentIndexChanged.connect(self._on_control_changed)
        self.side_combo.currentIndexChanged.connect(self._on_control_changed)
        self.truncation_combo.currentIndexChanged.connect(self._on_control_changed)
        self.max_length_spin.valueChanged.connect(self._on_control_changed)
        self.stride_spin.valueChanged.connect(self._on_control_changed)

    def _colour_message(self) -> None:
        """The invalid-combination message in a warning colour made for this palette."""
        palette = self.message_label.palette()
        palette.setColor(QPalette.ColorRole.WindowText, self._colours.warning)
        self.message_label.setPalette(palette)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)  # Retranslatable: a language change
        # A theme switch: tints, hatch and message colour again (the Batch tab follows its
        # own PaletteChange, which Qt sends after this one, once the children have the palette).
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange) and self._built:
            self._grid_rows = -1  # the grid's height is fitted again
            self._measure = Measure(self.grid.font())  # its font metrics took ~3 ms: kept
        if event.type() == QEvent.Type.PaletteChange and self._built:
            self.show_result(self._result)

    def retranslate(self) -> None:
        """Every control's text and tooltip, in the window's language (again on a change)."""
        names = {"single": self.tr("single"), "pair": self.tr("pair"), "batch": self.tr("batch")}
        tips = {
            "single": self.tr("encode the text pane as one text"),
            "pair": self.tr(
                "encode the text with a second (pair) text, like tokenizer(text, pair)"
            ),
            "batch": self.tr(
                "each line of the text pane is one text: the padded matrices. Lines in the "
                "pair pane pair with them, line i with line i, like tokenizer(texts, pairs)"
            ),
        }
        for mode, button in self.mode_buttons.items():
            button.setText(names[mode])
            button.setToolTip(tips[mode])
        self.chat_button.setText(self.tr("chat…"))
        self.chat_button.setToolTip(
            self.tr("a conversation under the tokenizer's own chat template")
        )
        self.add_special_check.setText(self.tr("add special tokens"))
        self.add_special_check.setToolTip(
            self.tr(
                "add_special_tokens: add the markers the model expects ([CLS] … [SEP], <s>, BOS…)"
            )
        )
        self.pretokenized_check.setText(self.tr("pre-tokenized"))
        self.pretokenized_check.setToolTip(
            self.tr(
                "split the text on whitespace first and pass the words (is_split_into_words=True)"
            )
        )
        self.split_special_check.setText(self.tr("special tokens as text"))
        self.split_special_check.setToolTip(
            self.tr(
                "split_special_tokens: read special-token strings typed in the text "
                "(<|endoftext|>, [CLS], <s>…) as plain text. Off, they are parsed as control "
                "tokens, as transformers does by default. SentencePiece tokenizers never parse "
                "them."
            )
        )
        self.padding_combo.setToolTip(
            self.tr(
                "padding: none · longest (pad to the longest text of the batch) · "
                "max_length (pad to max_length)"
            )
        )
        self.side_combo.setToolTip(
            self.tr("padding_side: add the padding after (right) or before (left)")
        )
        self.truncation_combo.setToolTip(
            self.tr(
                "truncation: cut to max_length (or the model's limit). longest_first trims the "
                "longer of text and pair token by token; only_first / only_second trim one of "
                "them"
            )
        )
        self.max_length_spin.setToolTip(
            self.tr(
                "max_length: the length truncation cuts to and max_length padding fills to; "
                "none = the model's own limit for truncation"
            )
        )
        self.stride_spin.setToolTip(
            self.tr(
                "stride: with truncation, the tokens cut off go to overflow windows; each window "
                "repeats this many tokens of the previous one"
            )
        )
        labels = {
            "mode": self.tr("Mode"),
            "padding": self.tr("Padding"),
            "max_length": "max_length",
            "options": self.tr("Options"),
            "truncation": self.tr("Truncation"),
            "stride": "stride",
        }
        for name, text in labels.items():
            self._labels[name].setText(text)
        self._side_label.setText(self.tr("side"))
        self.tabs.setTabText(0, self.tr("Tokens"))
        self.tabs.setTabText(1, self.tr("Batch"))
        self._show_problem()
        self.show_result(self._result)
        self.show_batch(self._batch)

    def _build_display(self) -> None:
        self.tabs = QTabWidget(self)
        self.tabs.setDocumentMode(True)

        tokens_page = QWidget(self.tabs)
        tokens = QVBoxLayout(tokens_page)
        tokens.setContentsMargins(0, 4, 0, 0)
        tokens.setSpacing(4)
        self.note_label = QLabel(tokens_page)
        self.note_label.setWordWrap(True)
        self.grid_model = TokenGridModel(self)
        self.grid = grid_view(tokens_page)
        self.grid.setModel(self.grid_model)
        self.grid.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.grid.verticalHeader().sectionDoubleClicked.connect(self._open_row_glossary)
        # Columns are measured when they come into view (512 of them at once took ms).
        self._sized: list[bool] = []
        self._measure = Measure(self.grid.font())
        self._sizing = False
        self.grid.horizontalHeader().setDefaultSectionSize(UNSIZED_WIDTH)
        self.grid.horizontalScrollBar().valueChanged.connect(self._size_visible_columns)
        self.grid.horizontalScrollBar().rangeChanged.connect(self._size_visible_columns)
        self.overflow_label = QLabel(tokens_page)
        self.overflow_label.setWordWrap(True)
        self.overflow_model = OverflowModel(self)
        self.overflow_view = grid_view(tokens_page)
        self.overflow_view.setModel(self.overflow_model)
        self.overflow_view.setMinimumHeight(
            4 * self.overflow_view.verticalHeader().defaultSectionSize()
        )
        tokens.addWidget(self.note_label)
        tokens.addWidget(self.grid)
        tokens.addWidget(self.overflow_label)
        tokens.addWidget(self.overflow_view, 1)
        tokens.addStretch(0)  # takes what the views (height-capped) leave

        self.batch_page = BatchPage(self.tabs)
        self.tabs.addTab(scrolling(tokens_page, self.tabs), "")
        self.tabs.addTab(scrolling(self.batch_page, self.tabs), "")

    def sizeHint(self) -> QSize:
        """Tall enough for the controls and a whole token grid (the pages scroll when smaller)."""
        layout = self.layout()
        margins = layout.contentsMargins() if layout is not None else QMargins()
        line = QFontMetrics(self.font()).height()
        grid = (
            self.grid.horizontalHeader().sizeHint().height()
            + len(ROW_TIPS) * self.grid.verticalHeader().defaultSectionSize()
            + self.grid.horizontalScrollBar().sizeHint().height()
            + 2 * self.grid.frameWidth()
        )
        height = (
            margins.top()
            + margins.bottom()
            + self._controls.sizeHint().height()
            + self.tabs.tabBar().sizeHint().height()
            + 2 * line  # the note above the grid, the overflow line below it
            + grid
            + 24  # spacing
        )
        return QSize(max(super().sizeHint().width(), 760), height)

    # -- settings --------------------------------------------------------------------------
    def settings(self) -> EncodeSettings:
        """The last valid settings (the controls may show an invalid combination)."""
        return self._settings

    def mode(self) -> str:
        """The mode ("single", "pair" or "batch") of the last valid combination, as settings()."""
        return self._mode

    def message(self) -> str:
        """Why the controls' combination is invalid; "" when it is valid."""
        return self._problem

    def is_valid(self) -> bool:
        return not self._problem

    def set_settings(self, settings: EncodeSettings, mode: str) -> None:
        """Show saved settings and mode without emitting ``settings_changed``; a valid
        combination goes to the state.

        An unknown mode becomes "single". A combination that cannot be encoded (say only_second
        truncation outside pair mode) is shown with its message, and settings() / mode() keep
        the previous valid combination.
        """
        mode = mode if mode in MODES else "single"
        self._apply_controls(settings, mode)
        self.state.set_settings(self._settings, self._mode)

    @Slot()
    def _on_state_settings(self) -> None:
        """The state's settings changed elsewhere (an example, a restore): show them."""
        state = self.state
        if (state.settings, state.mode) != (self._settings, self._mode):
            self._apply_controls(state.settings, state.mode)

    def _apply_controls(self, settings: EncodeSettings, mode: str) -> None:
        self._restoring = True
        try:
            self.mode_buttons[mode].setChecked(True)
            self.add_special_check.setChecked(settings.add_special_tokens)
            self.pretokenized_check.setChecked(settings.pretokenized)
            self.split_special_check.setChecked(settings.split_special_tokens)
            self.padding_combo.setCurrentText(settings.padding)
            self.side_combo.setCurrentText(settings.padding_side)
            self.truncation_combo.setCurrentText(settings.truncation)
            self.max_length_spin.setValue(settings.max_length or 0)
            self.stride_spin.setValue(settings.stride)
        finally:
            self._restoring = False
        self._revalidate()

    def _control_mode(self) -> str:
        number = self.mode_group.checkedId()
        return MODES[number] if 0 <= number < len(MODES) else "single"

    def _read_controls(self) -> tuple[EncodeSettings | None, str, str]:
        """(settings or None, mode, problem) from what the controls show now."""
        mode = self._control_mode()
        padding = self.padding_combo.currentText()
        truncation = self.truncation_combo.currentText()
        max_length = self.max_length_spin.value() or None
        stride = self.stride_spin.value()
        problem = settings_problem(padding, truncation, max_length, stride, mode)
        if problem:
            return None, mode, problem
        try:
            settings = EncodeSettings(
                add_special_tokens=self.add_special_check.isChecked(),
                truncation=truncation,  # type: ignore[arg-type]
                max_length=max_length,
                stride=stride,
                padding=padding,  # type: ignore[arg-type]
                padding_side=self.side_combo.currentText(),  # type: ignore[arg-type]
                pretokenized=self.pretokenized_check.isChecked(),
                split_special_tokens=self.split_special_check.isChecked(),
            )
        except (EncodeError, ValueError) as err:
            return None, mode, str(err)
        return settings, mode, ""

    def _revalidate(self) -> None:
        settings, mode, problem = self._read_controls()
        if settings is not None:
            self._settings, self._mode = settings, mode
        self._problem = problem
        self._show_problem()
        self.side_combo.setEnabled(self.padding_combo.currentText() != "none")
        self._side_label.setEnabled(self.side_combo.isEnabled())

    def _show_problem(self) -> None:
        problem = self._problem  # from the core, in English (the CLI says the same words)
        text = self.tr("⚠ {0} Still using the last valid settings.").format(problem)
        self.message_label.setText(text if problem else "")
        self.message_label.setVisible(bool(problem))

    @Slot()
    def _on_control_changed(self) -> None:
        if self._restoring:
            return
        self._revalidate()
        self.state.set_settings(self._settings, self._mode)
        self.settings_changed.emit()

    @Slot(int, bool)
    def _on_mode_toggled(self, _number: int, checked: bool) -> None:
        if checked:
            self._on_control_changed()

    # -- display: one encoding --------------------------------------------------------------
    def _base(self) -> QColor:
        return self.palette().color(QPalette.ColorRole.Base)

    @Slot(object)
    def _on_result_settled(self, result: EncodingResult | None) -> None:
        """Show ``result``; when it changes much of the grid in view, the grid paints it
        in a turn of its own (the token table's paint has another)."""
        replaced = self._result
        if result is not None and self._changes_much_of_view(result):
            PaintTurns.shared().hold(self.grid)
        self.show_result(result)
        self.batch_page.set_current_row(self.state.batch_row)
        if replaced is not None and replaced is not result and len(replaced) >= RELEASE_TOKENS:
            self._release_later([replaced])

    def _release_later(self, holder: list[EncodingResult]) -> None:
        """Free a replaced long result on a worker: its last holder let go of ~160 MB at
        5 MB of text in one go, on the GUI thread when that was a panel (30-70 ms)."""

        def submit() -> None:
            self.state.runner.submit("release-result", _release, holder)

        QTimer.singleShot(RELEASE_DELAY_MS, self, submit)

    def _changes_much_of_view(self, result: EncodingResult) -> bool:
        """Whether ``result`` changes a third or more of the grid's columns in view (a new
        text, another tokenizer); typing changes a column or two, repainted with the rest of
        the window."""
        if not self.grid.isVisible():
            return False
        kept = self.grid_model.kept_columns(result, Colours.from_palette(self.palette()))
        header = self.grid.horizontalHeader()
        last = header.logicalIndexAt(self.grid.viewport().width() - 1)
        count = min(len(result), MAX_COLUMNS)
        return changes_much_of_view(kept, count, header.logicalIndexAt(0), last)

    def show_result(self, result: EncodingResult | None) -> None:
        """Draw ``result`` as aligned columns, one per token, and list its overflow windows."""
        self._result = result
        sized, self._sized = self._sized, []  # the model's change moves the scroll bar:
        # nothing to size until below
        self._colours = Colours.from_palette(self.palette())
        self._colour_message()
        kept = self.grid_model.set_result(result, self._colours)
        if not kept:  # another text: from its start, as a reset would show it
            self.grid.horizontalScrollBar().setValue(0)
        self.overflow_model.set_result(result, self._colours)
        if result is None:
            self.note_label.setText(self.tr("No encoding yet."))
            self.grid.hide()
            self.overflow_label.hide()
            self.overflow_view.hide()
            return
        self.grid.show()
        self._size_grid(sized[:kept])
        self.note_label.setText(self._note(result))
        self.note_label.setTextFormat(Qt.TextFormat.RichText)
        self._show_overflow(result)

    def _note(self, result: EncodingResult) -> str:
        count = len(result)
        if count > MAX_COLUMNS:
            head = self.tr("first {0} of {1} tokens").format(f"{MAX_COLUMNS:,}", f"{count:,}")
        elif count == 1:
            head = self.tr("1 token")
        else:
            head = self.tr("{0} tokens").format(f"{count:,}")
        batch = self._batch
        if batch is not None and self.state.batch_row < len(batch.results):
            shown = self.tr("batch row {0}").format(self.state.batch_row)
            head += " &nbsp;·&nbsp; " + shown
        legend = [f"{swatch(self._colours.special, self._base())} " + self.tr("special")]
        if result.pair is not None:
            legend.append(f"{swatch(self._colours.second, self._base())} " + self.tr("pair text"))
        # Padding: the stats count the tokens that are not (no pass over millions of masks)
        if result.stats.tokens < len(result):
            legend.append(f"{pad_swatch(self._colours, self._base())} " + self.tr("padding"))
        return f"{head} &nbsp;·&nbsp; " + " &nbsp; ".join(legend)

    @Slot(int)
    def _open_row_glossary(self, section: int) -> None:
        names = self.grid_model.row_names
        if 0 <= section < len(names) and names[section] in GLOSSARY_ENTRIES:
            open_glossary(GLOSSARY_ENTRIES[names[section]], self.window())

    def _size_grid(self, kept: list[bool]) -> None:
        """A new result: its columns get their widths as they come into view (``kept``: those
        of the leading columns that are as they were, sized or not)."""
        count = self.grid_model.columnCount()
        self._sized = kept[:count] + [False] * max(count - len(kept), 0)
        rows = self.grid_model.rowCount()
        if rows != self._grid_rows:  # the header's height asks every column: only on a change
            self._grid_rows = rows
            self.grid.setFixedHeight(rows_height(self.grid, rows))
        self._size_visible_columns()

    @Slot()
    def _size_visible_columns(self) -> None:
        """Width of each column in view (and the next few) not measured yet: its token text,
        id and position, as wide as the widest, at most 240 px."""
        result, count = self._result, len(self._sized)
        if result is None or not count or self._sizing:
            return
        header, special, ids = (
            self.grid.horizontalHeader(),
            result.columns.special,
            result.columns.ids,
        )
        measure, model = self._measure, self.grid_model
        self._sizing = True  # resizing moves the scroll bar, which calls this again
        try:
            for _ in range(8):  # sizing changes what is in view: until nothing new is
                first = max(header.logicalIndexAt(0), 0)
                last = header.logicalIndexAt(max(self.grid.viewport().width(), 1) - 1)
                stop = count if last < 0 else min(last + 1 + SIZE_AHEAD, count)
                todo = [c for c in range(first, stop) if not self._sized[c]]
                if not todo:
                    break
                widths = []
                for column in todo:
                    text = measure(model.display(column), bool(special[column]))
                    numbers = max(measure.number(int(ids[column])), measure.number(column))
                    widths.append((column, min(max(text, numbers) + 14, 240)))
                    self._sized[column] = True
                self.grid.resize_columns(widths)
        finally:
            self._sizing = False

    def _show_overflow(self, result: EncodingResult) -> None:
        windows = len(result.overflow)
        self.overflow_view.setVisible(bool(windows))
        self.overflow_label.setVisible(True)
        self.overflow_label.setTextFormat(Qt.TextFormat.RichText)
        settings = result.settings
        if not windows:
            if settings.truncation == "none":
                text = self.tr("Overflow windows: none — no truncation.")
            elif settings.stride:
                text = self.tr(
                    "Overflow windows: none — everything fits (a stride makes windows only "
                    "when text is cut)."
                )
            else:
                text = self.tr("Overflow windows: none — everything fits.")
            self.overflow_label.setText(text)
            return
        shown = len(self.overflow_model.windows)
        total = windows + 1
        head = self.tr("Overflow: {0} more window(s)").format(windows)
        detail = self.tr("truncation {0}").format(settings.truncation)
        if settings.max_length is not None:
            detail += f", max_length {settings.max_length}"
        detail += f", stride {settings.stride}"
        if shown < total:
            detail += self.tr("; first {0} of {1} windows listed").format(shown, total)
        legend = f"{swatch(self._colours.overlap, self._base())} " + self.tr(
            "repeated from the previous window (stride)"
        )
        self.overflow_label.setText(f"<b>{head}</b> ({detail}) &nbsp;·&nbsp; {legend}")
        self._size_overflow()

    def _size_overflow(self) -> None:
        model, view = self.overflow_model, self.overflow_view
        view.clearSpans()
        measure = Measure(view.font())
        span_width = 0
        for window in range(len(model.windows)):
            view.setSpan(2 * window, 0, 2, 1)
            lines = model.span_text(window).split("\n")
            span_width = max(span_width, *(measure(line) for line in lines))
        widths = [span_width + 16]
        count = model.columnCount() - 1
        width = np.array([measure.number(p) for p in range(count)], dtype=np.int64)
        for window, cols in enumerate(model.windows[:WIDTH_SAMPLE]):
            size = min(len(cols), count)
            special = cols.special[:size].tolist()
            texts = [measure(model.display(window, i), special[i]) for i in range(size)]
            width[:size] = np.maximum(width[:size], texts)
            width[:size] = np.maximum(width[:size], measure.numbers(cols.ids[:size]))
        widths += np.minimum(width + 14, 240).tolist()
        set_widths(view, widths)
        fit_height(view, model.rowCount(), 12)

    # -- display: a batch -------------------------------------------------------------------
    def show_batch(self, batch: BatchResult | None) -> None:
        """Draw the batch's padded matrices; None disables the Batch tab."""
        had_batch = self._batch is not None
        self._batch = batch
        self.batch_page.set_batch(batch, self.state.batch_row)
        self.tabs.setTabEnabled(1, batch is not None)
        if batch is None:
            self.tabs.setTabToolTip(
                1, self.tr("Batch mode is off: choose “batch” to encode each line as one text.")
            )
            if had_batch or self.tabs.currentIndex() == 1:
                self.tabs.setCurrentIndex(0)
            return
        self.tabs.setTabToolTip(1, "")
        if not had_batch:
            self.tabs.setCurrentIndex(1)


def _release(holder: list[EncodingResult], *, cancel: CancelToken) -> None:
    """On a worker: the results in ``holder`` go, their columns and texts one at a time (each
    a free with Python's lock held; between two of them the lock can change hands). What
    something else still holds stays."""
    values: list[object] = []
    for result in holder:
        owners = (result, result.roundtrip, result.pair_roundtrip, result.columns, *result.overflow)
        for owner in owners:
            if owner is not None:
                values += [v for v in vars(owner).values() if isinstance(v, np.ndarray | str)]
    holder.clear()
    while values:
        values.pop()
