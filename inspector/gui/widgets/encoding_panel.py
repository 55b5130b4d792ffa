"""The encoding panel: the knobs of a tokenizer call, and what they do to the ids.

Top: controls that map one to one onto :class:`~inspector.core.settings.EncodeSettings`
(plus the mode: single text, text + pair text, or a batch of one text per line). Invalid
combinations are explained in a plain inline message; :meth:`EncodingPanel.settings` then keeps
returning the last valid settings, so nothing ever raises into Qt.

Bottom, two tabs:

* **Tokens** — one column per token: display string, id, attention_mask, token_type_ids
  (only for tokenizers that use them), sequence (pair mode) and the special flag, aligned in
  columns; then the overflow windows that truncation with a stride produced, one pair of rows
  (tokens, ids) per window with the character span each window covers.
* **Batch** — the padded ``input_ids`` matrix and its ``attention_mask``, as in the
  Hugging Face tutorials' padded batch; padding cells are faded.

The models read the result's numpy columns; text cells are made only for the cells a view
asks for, and only the first :data:`MAX_COLUMNS` positions are shown.
"""


from __future__ import annotations

import numpy as np
from PySide6.QtCore import (
    QMargins,
    QSize,
    Qt,
    Signal,
    Slot,
)
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QAbstractScrollArea,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QRadioButton,
    QScrollArea,
    QSpinBox,
    QTableView,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

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
from inspector.gui.widgets.encoding_models import (
    MAX_BATCH_ROWS,
    MAX_COLUMNS,
    MAX_WINDOWS,
    ROW_TIPS,
    WIDTH_SAMPLE,
    BatchMatrixModel,
    Colours,
    OverflowModel,
    TokenGridModel,
    italic,
    opaque,
    overlap_mask,
    window_spans,
)

SPIN_MAX = 1_000_000
__all__ = ["MAX_COLUMNS", "MAX_WINDOWS", "EncodingPanel", "overlap_mask", "window_spans"]


# -- views -----------------------------------------------------------------------------------
class _Measure:
    """Text widths for column sizing, each distinct string measured once."""

    def __init__(self, font: QFont) -> None:
        self._metrics = (QFontMetrics(font), QFontMetrics(italic(font)))
        self._cache: dict[tuple[str, bool], int] = {}

    def __call__(self, text: str, italic: bool = False) -> int:
        key = (text, italic)
        width = self._cache.get(key)
        if width is None:
            width = self._cache[key] = self._metrics[italic].horizontalAdvance(text)
        return width

    def numbers(self, values: np.ndarray) -> np.ndarray:
        """Widths of many non-negative integers (by digit count)."""
        digits = np.char.str_len(values.astype(str))
        table = np.array([self("0" * n) for n in range(int(digits.max(initial=0)) + 1)])
        return table[digits]

    def number(self, value: int) -> int:
        """Width of a number: digits are equally wide in the fonts Qt picks for tables."""
        return self("0" * len(str(value)))


def _grid_view(parent: QWidget) -> QTableView:
    view = QTableView(parent)
    view.setWordWrap(False)
    view.setTextElideMode(Qt.TextElideMode.ElideMiddle)
    view.setSelectionMode(QAbstractItemView.SelectionMode.ContiguousSelection)
    view.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
    view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
    view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
    view.setSizeAdjustPolicy(QAbstractScrollArea.SizeAdjustPolicy.AdjustIgnored)
    font_height = QFontMetrics(view.font()).height()
    vertical = view.verticalHeader()
    vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    vertical.setDefaultSectionSize(font_height + 8)
    vertical.setDefaultAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    horizontal = view.horizontalHeader()
    horizontal.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    horizontal.setMinimumSectionSize(24)
    return view


def _rows_height(view: QTableView, rows: int) -> int:
    """Height of a view showing ``rows`` rows, its header and the horizontal scroll bar."""
    return (
        view.horizontalHeader().sizeHint().height()
        + rows * view.verticalHeader().defaultSectionSize()
        + view.horizontalScrollBar().sizeHint().height()
        + 2 * view.frameWidth()
        + 2
    )


def _fit_height(view: QTableView, rows: int, most: int) -> None:
    """As tall as its rows up to ``most`` rows (then it scrolls); never under 3 rows."""
    height = _rows_height(view, min(rows, most))
    view.setMaximumHeight(height)
    view.setMinimumHeight(min(height, _rows_height(view, 3)))


def _set_widths(view: QTableView, widths: list[int]) -> None:
    header = view.horizontalHeader()
    for column, width in enumerate(widths):
        header.resizeSection(column, width)


class EncodingPanel(QWidget):
    """Encoding settings and their effect: aligned token grid, overflow windows, padded batch.

    ``settings_changed`` is emitted on any change of a control; the window debounces and
    re-encodes with :meth:`settings` and :meth:`mode`.
    """

    settings_changed = Signal()
    chat_requested = Signal()  # chat hook: the chat mode lives in the Chat dock (chat_panel.py)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._settings = EncodeSettings()
        self._mode = "single"
        self._restoring = False
        self._problem = ""
        self._colours = Colours.from_palette(self.palette())
        self._result: EncodingResult | None = None
        self._batch: BatchResult | None = None
        self._build_controls()
        self._build_display()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.setSpacing(6)
        layout.addWidget(self._controls)
        layout.addWidget(self.message_label)
        layout.addWidget(self.tabs, 1)
        self._apply_controls(self._settings, self._mode)
        self.show_result(None)
        self.show_batch(None)

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
        tips = {
            "single": "encode the text pane as one text",
            "pair": "encode the text with a second (pair) text, like tokenizer(text, pair)",
            "batch": "each line of the text pane is one text: the padded id matrix",
        }
        for number, mode in enumerate(MODES):
            button = QRadioButton(mode, self._controls)
            button.setToolTip(tips[mode])
            self.mode_group.addButton(button, number)
            self.mode_buttons[mode] = button
            modes.addWidget(button)
        chat = QToolButton(self._controls)  # chat hook: Chat mode beside single / pair / batch
        chat.setText(self.tr("chat…"))
        chat.setToolTip(self.tr("a conversation under the tokenizer's own chat template"))
        chat.clicked.connect(self.chat_requested)
        modes.addWidget(chat)
        modes.addStretch(1)

        self.add_special_check = QCheckBox("add special tokens", self._controls)
        self.add_special_check.setToolTip(
            "add_special_tokens: add the markers the model expects ([CLS] … [SEP], <s>, BOS…)"
        )
        self.pretokenized_check = QCheckBox("pre-tokenized", self._controls)
        self.pretokenized_check.setToolTip(
            "split the text on whitespace first and pass the words (is_split_into_words=True)"
        )
        self.split_special_check = QCheckBox(self.tr("special tokens as text"), self._controls)
        self.split_special_check.setToolTip(
            self.tr(
                "split_special_tokens: read special-token strings typed in the text "
                "(<|endoftext|>, [CLS], <s>…) as plain text. Off, they are parsed as control "
                "tokens, as transformers does by default. SentencePiece tokenizers never parse "
                "them."
            )
        )
        options = QHBoxLayout()
        options.setSpacing(10)
        options.addWidget(self.add_special_check)
        options.addWidget(self.pretokenized_check)
        options.addWidget(self.split_special_check)
        options.addStretch(1)

        self.padding_combo = QComboBox(self._controls)
        self.padding_combo.addItems(list(PADDING_CHOICES))
        self.padding_combo.setToolTip(
            "padding: none · longest (pad to the longest text of the batch) · "
            "max_length (pad to max_length)"
        )
        self.side_combo = QComboBox(self._controls)
        self.side_combo.addItems(list(SIDE_CHOICES))
        self.side_combo.setToolTip("padding_side: add the padding after (right) or before (left)")
        padding = QHBoxLayout()
        padding.setSpacing(6)
        padding.addWidget(self.padding_combo)
        self._side_label = QLabel("side", self._controls)
        padding.addWidget(self._side_label)
        padding.addWidget(self.side_combo)
        padding.addStretch(1)

        self.truncation_combo = QComboBox(self._controls)
        self.truncation_combo.addItems(list(TRUNCATION_CHOICES))
        self.truncation_combo.setToolTip(
            "truncation: cut to max_length (or the model's limit). longest_first trims the "
            "longer of text and pair token by token; only_first / only_second trim one of them"
        )

        self.max_length_spin = QSpinBox(self._controls)
        self.max_length_spin.setRange(0, SPIN_MAX)
        self.max_length_spin.setSpecialValueText("none")
        self.max_length_spin.setToolTip(
            "max_length: the length truncation cuts to and max_length padding fills to; "
            "none = the model's own limit for truncation"
        )
        self.stride_spin = QSpinBox(self._controls)
        self.stride_spin.setRange(0, SPIN_MAX)
        self.stride_spin.setToolTip(
            "stride: with truncation, the tokens cut off go to overflow windows; each window "
            "repeats this many tokens of the previous one"
        )
        for spin in (self.max_length_spin, self.stride_spin):
            spin.setAccelerated(True)
            spin.setMinimumWidth(QFontMetrics(spin.font()).horizontalAdvance("0000000") + 30)

        def label(text: str) -> QLabel:
            out = QLabel(text, self._controls)
            out.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            return out

        grid.addWidget(label("Mode"), 0, 0)
        grid.addLayout(modes, 0, 1)
        grid.addWidget(label("Padding"), 0, 2)
        grid.addLayout(padding, 0, 3)
        grid.addWidget(label("max_length"), 0, 4)
        grid.addWidget(self.max_length_spin, 0, 5)
        grid.addWidget(label("Options"), 1, 0)
        grid.addLayout(options, 1, 1)
        grid.addWidget(label("Truncation"), 1, 2)
        grid.addWidget(self.truncation_combo, 1, 3, Qt.AlignmentFlag.AlignLeft)
        grid.addWidget(label("stride"), 1, 4)
        grid.addWidget(self.stride_spin, 1, 5)
        grid.setColumnStretch(6, 1)

        self.message_label = QLabel(self)
        self.message_label.setWordWrap(True)
        self.message_label.setTextFormat(Qt.TextFormat.PlainText)
        self.message_label.setObjectName("encodingMessage")
        warn = QColor(190, 90, 0)
        self.message_label.setStyleSheet(f"QLabel#encodingMessage {{ color: {warn.name()}; }}")
        self.message_label.hide()

        self.mode_group.idToggled.connect(self._on_mode_toggled)
        self.add_special_check.toggled.connect(self._on_control_changed)
        self.pretokenized_check.toggled.connect(self._on_control_changed)
        self.split_special_check.toggled.connect(self._on_control_changed)
        self.padding_combo.currentIndexChanged.connect(self._on_control_changed)
        self.side_combo.currentIndexChanged.connect(self._on_control_changed)
        self.truncation_combo.currentIndexChanged.connect(self._on_control_changed)
        self.max_length_spin.valueChanged.connect(self._on_control_changed)
        self.stride_spin.valueChanged.connect(self._on_control_changed)

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
        self.grid = _grid_view(tokens_page)
        self.grid.setModel(self.grid_model)
        self.grid.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.overflow_label = QLabel(tokens_page)
        self.overflow_label.setWordWrap(True)
        self.overflow_model = OverflowModel(self)
        self.overflow_view = _grid_view(tokens_page)
        self.overflow_view.setModel(self.overflow_model)
        self.overflow_view.setMinimumHeight(
            4 * self.overflow_view.verticalHeader().defaultSectionSize()
        )
        tokens.addWidget(self.note_label)
        tokens.addWidget(self.grid)
        tokens.addWidget(self.overflow_label)
        tokens.addWidget(self.overflow_view, 1)
        tokens.addStretch(0)  # takes what the views (height-capped) leave

        batch_page = QWidget(self.tabs)
        batch = QVBoxLayout(batch_page)
        batch.setContentsMargins(0, 4, 0, 0)
        batch.setSpacing(4)
        self.batch_note = QLabel(batch_page)
        self.batch_note.setWordWrap(True)
        self.batch_tokens_check = QCheckBox("show tokens instead of ids", batch_page)
        self.batch_mask_check = QCheckBox("attention_mask matrix", batch_page)
        self.batch_mask_check.setChecked(True)
        toggles = QHBoxLayout()
        toggles.addWidget(self.batch_tokens_check)
        toggles.addWidget(self.batch_mask_check)
        toggles.addStretch(1)
        self.batch_ids_model = BatchMatrixModel("ids", self)
        self.batch_mask_model = BatchMatrixModel("mask", self)
        self.batch_ids_label = QLabel("input_ids", batch_page)
        self.batch_mask_label = QLabel("attention_mask", batch_page)
        bold = QFont(self.batch_ids_label.font())
        bold.setBold(True)
        for title in (self.batch_ids_label, self.batch_mask_label):
            title.setFont(bold)
        self.batch_ids_view = _grid_view(batch_page)
        self.batch_ids_view.setModel(self.batch_ids_model)
        self.batch_mask_view = _grid_view(batch_page)
        self.batch_mask_view.setModel(self.batch_mask_model)
        # One scroll position for both matrices: the same column is the same position.
        self.batch_ids_view.horizontalScrollBar().valueChanged.connect(
            self.batch_mask_view.horizontalScrollBar().setValue
        )
        self.batch_mask_view.horizontalScrollBar().valueChanged.connect(
            self.batch_ids_view.horizontalScrollBar().setValue
        )
        batch.addWidget(self.batch_note)
        batch.addLayout(toggles)
        batch.addWidget(self.batch_ids_label)
        batch.addWidget(self.batch_ids_view, 1)
        batch.addWidget(self.batch_mask_label)
        batch.addWidget(self.batch_mask_view, 1)
        batch.addStretch(0)  # takes what the views (height-capped) leave
        self.batch_tokens_check.toggled.connect(self._on_batch_tokens_toggled)
        self.batch_mask_check.toggled.connect(self._on_batch_mask_toggled)

        self.tabs.addTab(_scrolling(tokens_page, self.tabs), "Tokens")
        self.tabs.addTab(_scrolling(batch_page, self.tabs), "Batch")

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
        """Show saved settings and mode without emitting ``settings_changed``.

        An unknown mode becomes "single". A combination that cannot be encoded (say only_second
        truncation outside pair mode) is shown with its message, and settings() / mode() keep
        the previous valid combination.
        """
        mode = mode if mode in MODES else "single"
        self._apply_controls(settings, mode)

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
        self.message_label.setText(
            f"⚠ {problem} Still using the last valid settings." if problem else ""
        )
        self.message_label.setVisible(bool(problem))
        self.side_combo.setEnabled(self.padding_combo.currentText() != "none")
        self._side_label.setEnabled(self.side_combo.isEnabled())

    @Slot()
    def _on_control_changed(self) -> None:
        if self._restoring:
            return
        self._revalidate()
        self.settings_changed.emit()

    @Slot(int, bool)
    def _on_mode_toggled(self, _number: int, checked: bool) -> None:
        if checked:
            self._on_control_changed()

    # -- display: one encoding --------------------------------------------------------------
    def _base(self) -> QColor:
        return self.palette().color(QPalette.ColorRole.Base)

    def show_result(self, result: EncodingResult | None) -> None:
        """Draw ``result`` as aligned columns, one per token, and list its overflow windows."""
        self._result = result
        self._colours = Colours.from_palette(self.palette())
        self.grid_model.set_result(result, self._colours)
        self.overflow_model.set_result(result, self._colours)
        self.grid.clearSpans()
        if result is None:
            self.note_label.setText("No encoding yet.")
            self.grid.hide()
            self.overflow_label.hide()
            self.overflow_view.hide()
            return
        self.grid.show()
        self._size_grid()
        self.note_label.setText(self._note(result))
        self.note_label.setTextFormat(Qt.TextFormat.RichText)
        self._show_overflow(result)

    def _note(self, result: EncodingResult) -> str:
        count = len(result)
        if count > MAX_COLUMNS:
            head = f"first {MAX_COLUMNS:,} of {count:,} tokens"
        else:
            head = f"{count:,} token{'s' if count != 1 else ''}"
        legend = [f"{_swatch(self._colours.special, self._base())} special"]
        if result.pair is not None:
            legend.append(f"{_swatch(self._colours.second, self._base())} pair text")
        if not result.columns.attention_mask.all():
            legend.append(f"{_pad_swatch(self._colours, self._base())} padding")
        return f"{head} &nbsp;·&nbsp; " + " &nbsp; ".join(legend)

    def _size_grid(self) -> None:
        model, result = self.grid_model, self._result
        measure = _Measure(self.grid.font())
        special = result.columns.special if result is not None else np.zeros(0, dtype=bool)
        ids = result.columns.ids if result is not None else np.zeros(0, dtype=np.int64)
        widths = [
            min(
                max(
                    measure(display, bool(special[column])),
                    measure.number(int(ids[column])),
                    measure.number(column),
                )
                + 14,
                240,
            )
            for column, display in enumerate(model.displays)
        ]
        _set_widths(self.grid, widths)
        self.grid.setFixedHeight(_rows_height(self.grid, model.rowCount()))

    def _show_overflow(self, result: EncodingResult) -> None:
        windows = len(result.overflow)
        self.overflow_view.setVisible(bool(windows))
        self.overflow_label.setVisible(True)
        self.overflow_label.setTextFormat(Qt.TextFormat.RichText)
        settings = result.settings
        if not windows:
            if settings.truncation == "none":
                why = "no truncation"
            else:
                why = "everything fits" + (
                    " (a stride makes windows only when text is cut)" if settings.stride else ""
                )
            self.overflow_label.setText(f"Overflow windows: none — {why}.")
            return
        shown = len(self.overflow_model.windows)
        total = windows + 1
        head = f"Overflow: {windows} more window{'s' if windows != 1 else ''}"
        detail = f"truncation {settings.truncation}"
        if settings.max_length is not None:
            detail += f", max_length {settings.max_length}"
        detail += f", stride {settings.stride}"
        if shown < total:
            detail += f"; first {shown} of {total} windows listed"
        swatch = _swatch(self._colours.overlap, self._base())
        legend = f"{swatch} repeated from the previous window (stride)"
        self.overflow_label.setText(f"<b>{head}</b> ({detail}) &nbsp;·&nbsp; {legend}")
        self._size_overflow()

    def _size_overflow(self) -> None:
        model, view = self.overflow_model, self.overflow_view
        view.clearSpans()
        measure = _Measure(view.font())
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
        _set_widths(view, widths)
        _fit_height(view, model.rowCount(), 12)

    # -- display: a batch -------------------------------------------------------------------
    def show_batch(self, batch: BatchResult | None) -> None:
        """Draw the padded id matrix and its attention mask; None hides the Batch tab."""
        had_batch = self._batch is not None
        self._batch = batch
        self._colours = Colours.from_palette(self.palette())
        self.batch_ids_model.set_batch(batch, self._colours)
        self.batch_mask_model.set_batch(batch, self._colours)
        self.tabs.setTabEnabled(1, batch is not None)
        if batch is None:
            self.batch_note.setText(
                "Batch mode is off: choose “batch” to encode each line as one text."
            )
            if had_batch or self.tabs.currentIndex() == 1:
                self.tabs.setCurrentIndex(0)
            return
        self.batch_note.setTextFormat(Qt.TextFormat.RichText)
        self.batch_note.setText(self._batch_note(batch))
        self._size_batch()
        if not had_batch:
            self.tabs.setCurrentIndex(1)

    def _batch_note(self, batch: BatchResult) -> str:
        rows, width = batch.input_ids.shape
        head = f"{rows:,} text{'s' if rows != 1 else ''} × {width:,} positions"
        limits = []
        if rows > MAX_BATCH_ROWS:
            limits.append(f"first {MAX_BATCH_ROWS:,} of {rows:,} texts")
        if width > MAX_COLUMNS:
            limits.append(f"first {MAX_COLUMNS:,} of {width:,} positions")
        if limits:
            head += " (" + ", ".join(limits) + " shown)"
        settings = batch.results[0].settings if batch.results else None
        if (batch.input_ids < 0).any():
            how = (
                "padding is off, so the rows are ragged (empty cells: no token) — "
                "choose padding “longest” for a rectangular tensor"
            )
        elif settings is not None and settings.padding != "none":
            how = f"padded {settings.padding} on the {settings.padding_side}"
        else:
            how = "all texts have the same length"
        note = f"{head} &nbsp;·&nbsp; {how}"
        if ((batch.input_ids >= 0) & (batch.attention_mask == 0)).any():
            swatch = _pad_swatch(self._colours, self._base())
            note += f" &nbsp;·&nbsp; {swatch} padding (attention_mask 0)"
        return note

    def _size_batch(self) -> None:
        ids, batch = self.batch_ids_model, self._batch
        measure = _Measure(self.batch_ids_view.font())
        columns, rows = ids.columnCount(), ids.rowCount()
        largest = int(batch.input_ids.max()) if batch is not None and batch.input_ids.size else 0
        digits = max(measure.number(largest), measure.number(max(columns - 1, 0)))
        if ids.show_tokens and rows * columns <= 20_000:
            widths = [
                min(max(max(measure(ids.cell_text(r, c)) for r in range(rows)), digits) + 14, 200)
                for c in range(columns)
            ]
        elif ids.show_tokens:  # too many cells to measure: one width, long tokens elided
            widths = [max(digits, measure("0" * 8)) + 14] * columns
        else:
            widths = [digits + 14] * columns
        _set_widths(self.batch_ids_view, widths)
        _set_widths(self.batch_mask_view, widths)
        # Both matrices get the same row-header width, so their columns line up.
        header = max(
            self.batch_ids_view.verticalHeader().sizeHint().width(),
            self.batch_mask_view.verticalHeader().sizeHint().width(),
        )
        for view in (self.batch_ids_view, self.batch_mask_view):
            view.verticalHeader().setFixedWidth(header)
            view.verticalHeader().setDefaultAlignment(
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
            )
            _fit_height(view, rows, 16)

    @Slot(bool)
    def _on_batch_tokens_toggled(self, checked: bool) -> None:
        self.batch_ids_model.set_show_tokens(checked)
        self.batch_ids_label.setText("input_ids (as tokens)" if checked else "input_ids")
        if self._batch is not None:
            self._size_batch()

    @Slot(bool)
    def _on_batch_mask_toggled(self, checked: bool) -> None:
        self.batch_mask_label.setVisible(checked)
        self.batch_mask_view.setVisible(checked)


def _swatch(background: QColor, base: QColor) -> str:
    """A small coloured box for a legend in a rich-text label."""
    return (
        f'<span style="background-color:{opaque(background, base).name()};">'
        "&nbsp;&nbsp;&nbsp;&nbsp;</span>"
    )


def _pad_swatch(colours: Colours, base: QColor) -> str:
    """The legend for padding: a faded 0 on the padding background, as the cells show it."""
    return (
        f'<span style="background-color:{opaque(colours.pad, base).name()};'
        f'color:{colours.faded.name()};">&nbsp;0&nbsp;</span>'
    )


def _scrolling(page: QWidget, parent: QWidget) -> QScrollArea:
    """A tab page that scrolls when the dock is too small, instead of squeezing the grids."""
    area = QScrollArea(parent)
    area.setWidget(page)
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    return area
