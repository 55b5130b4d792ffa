"""The status line: token count and ratios, the round-trip verdict (a link to its
differences), "working…" while jobs run, and — when an encode has lasted a moment — how far it
is, with a Cancel. After a cancelled or failed encode it says so, with a Retry when the tokens
shown are not those of the text and tokenizer of now."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer, Slot
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QMessageBox, QProgressBar, QPushButton, QStatusBar, QWidget

from inspector.core.encoding import EncodingResult
from inspector.gui.i18n import on_language_change
from inspector.gui.state import InspectorState
from inspector.gui.steady_label import SteadyLabel

# An encode shorter than this shows no progress (a keystroke's encode would make it flicker).
PROGRESS_DELAY_MS = 300


class StatusLine(QObject):
    def __init__(self, state: InspectorState, bar: QStatusBar, parent: QWidget) -> None:
        super().__init__(parent)
        self.state = state
        self._parent = parent
        self.tokens = SteadyLabel()
        self.trip = SteadyLabel()
        self.trip.setTextFormat(Qt.TextFormat.RichText)
        self.trip.linkActivated.connect(self.show_roundtrip)
        self.trip.installEventFilter(self)  # a theme switch: the link's colour again
        self.busy = SteadyLabel()
        self.typed = SteadyLabel()  # typed special-token strings read as control tokens
        self.typed.setStyleSheet("color: #d9480f; font-weight: bold")  # readable light and dark
        self.typed.hide()
        self.progress = QProgressBar()
        self.progress.setMaximumWidth(160)
        self.cancel = QPushButton()
        self.cancel.clicked.connect(state.cancel_encode)
        self.stopped = SteadyLabel()  # "Cancelled", "Tokenization failed"
        self.retry = QPushButton()
        self.retry.clicked.connect(state.request_encode)
        # What stopped the last encode: ("cancelled" | "failed", the tokenizer gone back to).
        self._stop: tuple[str, str] | None = None
        self.retranslate()
        on_language_change(self.cancel, self.retranslate)
        self._show_progress = QTimer(self)
        self._show_progress.setSingleShot(True)
        self._show_progress.setInterval(PROGRESS_DELAY_MS)
        self._show_progress.timeout.connect(self._reveal_progress)
        bar.addWidget(self.tokens)
        bar.addWidget(self.trip)
        bar.addWidget(self.typed)
        bar.addWidget(self.stopped)
        bar.addWidget(self.retry)
        bar.addPermanentWidget(self.progress)
        bar.addPermanentWidget(self.cancel)
        bar.addPermanentWidget(self.busy)
        self._hide_progress()
        self._show_stop(None)
        state.runner.busy_changed.connect(
            lambda busy: self.busy.setText(self.tr("working…") if busy else "")
        )
        state.tokenizer_loading.connect(self._on_loading)
        state.encode_cancelled.connect(lambda name: self._show_stop(("cancelled", name)))
        state.encode_failed.connect(lambda _message: self._show_stop(("failed", "")))
        state.tokenizer_failed.connect(self._on_failed)
        state.result_changed.connect(self._on_result)
        state.encoding_busy.connect(self._on_encoding_busy)
        state.encode_progress.connect(self._on_progress)

    def retranslate(self) -> None:
        self.progress.setFormat(self.tr("tokenizing… %p%"))
        self.progress.setAccessibleName(self.tr("Tokenization progress"))
        self.cancel.setText(self.tr("Cancel"))
        self.cancel.setToolTip(
            self.tr("Stop this tokenization; the tokens shown stay, with their tokenizer")
        )
        self.retry.setText(self.tr("Retry"))
        self.retry.setToolTip(self.tr("Tokenize the text with the tokenizer shown"))
        if self.state.result is not None:
            self._on_result(self.state.result)
        self._show_stop(self._stop)

    # -- progress of a long encode ---------------------------------------------------------
    @Slot(str)
    def _on_loading(self, name: str) -> None:
        self._show_stop(None)
        self.tokens.setText(self.tr("loading {0}…").format(name))

    def _show_stop(self, stop: tuple[str, str] | None) -> None:
        """After a cancel or a failure: say so (``stop``: what, and the tokenizer the window
        went back to), the tokens of the result shown (not "loading…"), and a Retry where
        they are not those of the text and tokenizer of now. None: nothing to say."""
        self._stop = stop
        if stop is None:
            self.stopped.hide()
            self.retry.hide()
            return
        kind, back_to = stop
        if kind == "failed":
            note = self.tr("Tokenization failed")
        elif back_to:
            note = self.tr("Cancelled: back to {0}").format(back_to)
        else:
            note = self.tr("Cancelled")
        self.stopped.setText(note)
        self.stopped.show()
        state = self.state
        self.retry.setVisible(state.tokenizer is not None and not state.result_is_current)
        if state.tokenizer is not None:  # the result shown, instead of "loading …"
            self._on_result(state.result)

    @Slot(bool)
    def _on_encoding_busy(self, busy: bool) -> None:
        if busy:
            self._show_stop(None)
            self.progress.setRange(0, 0)  # "busy" until a share arrives (a child's encode
            self._show_progress.start()  # sends none); only an encode that lasts gets a bar
        else:
            self._hide_progress()

    @Slot(float)
    def _on_progress(self, share: float) -> None:
        self.progress.setRange(0, 100)
        self.progress.setValue(round(share * 100))

    def _reveal_progress(self) -> None:
        if self.state.encoding:
            self.progress.show()
            self.cancel.show()

    def _hide_progress(self) -> None:
        self._show_progress.stop()
        self.progress.hide()
        self.cancel.hide()

    def progress_shown(self) -> bool:
        return self.progress.isVisibleTo(self._parent)

    # -- the result ------------------------------------------------------------------------
    @Slot(str)
    def _on_failed(self, _message: str) -> None:
        if self.state.tokenizer is None:
            self.tokens.setText(self.tr("no tokenizer loaded"))
        else:
            self._on_result(self.state.result)

    @Slot(object)
    def _on_result(self, result: EncodingResult | None) -> None:
        if result is None:
            self.tokens.setText("")
            self.trip.setText("")
            self.typed.hide()
            return
        stats = result.stats
        self.tokens.setText(
            self.tr("{0:,} tokens · {1:.2f} chars/token · {2:.2f} bytes/token").format(
                stats.tokens, stats.chars_per_token, stats.bytes_per_token
            )
            + (self.tr(" · {0} unknown").format(stats.unk_count) if stats.unk_count else "")
            + (self.tr(" · {0} windows").format(stats.windows) if stats.windows > 1 else "")
        )
        self._warn_typed_control(result)
        trip = result.roundtrip
        if trip is None:
            self.trip.setText("")
        elif trip.equal:
            self.trip.setText(self.tr("round-trip ✓"))
        else:
            kinds = self.tr(", ").join(roundtrip_kind(k) for k in trip.kinds[:3])
            # Qt colours a link from the application palette of when the text was set: the
            # label's own Link colour, set again on a palette change, follows the theme.
            link = self.trip.palette().color(QPalette.ColorRole.Link).name()
            label = self.tr("round-trip ✗")
            anchor = f'<a href="roundtrip" style="color:{link};">{label}</a>'
            self.trip.setText(self.tr("{0} ({1})").format(anchor, kinds))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.trip and event.type() == QEvent.Type.PaletteChange:
            self._on_result(self.state.result)
        return False

    def _warn_typed_control(self, result: EncodingResult) -> None:
        """Special-token strings typed in the text became control tokens: say so, loudly
        (a prompt-injection bug hides exactly here)."""
        typed = _typed_control_count(result)
        if typed:
            self.typed.setText(
                self.tr(
                    "⚠ {0} special-token string(s) in the text parsed as control tokens "
                    "(Encoding: “special tokens as text” reads them as text)"
                ).format(typed)
            )
        self.typed.setVisible(bool(typed))

    @Slot()
    def show_roundtrip(self, _link: str = "") -> None:
        result = self.state.result
        if result is None or result.roundtrip is None:
            return
        trip = result.roundtrip
        lines = [
            self.tr("decode(encode(text)) differs in {0} places:").format(trip.difference_count),
            "",
        ]
        for d in trip.differences[:40]:
            lines.append(
                self.tr("chars {0}–{1}: {2} → {3}  ({4})").format(
                    d.input_start,
                    d.input_end,
                    repr(d.input_text),
                    repr(d.decoded_text),
                    roundtrip_kind(d.kind),
                )
            )
        box = QMessageBox(
            QMessageBox.Icon.Information,
            self.tr("Round-trip"),
            "\n".join(lines),
            parent=self._parent,
        )
        box.setDetailedText(trip.decoded)
        box.open()


def roundtrip_kind(kind: str) -> str:
    """A round-trip difference's kind (core's English, e.g. "lowercasing") in the window's
    language."""
    return QCoreApplication.translate("RoundTripKind", kind)


def _typed_control_count(result: EncodingResult) -> int:
    """``result.typed_control_count`` looking only at the control tokens (few): the whole
    column costs ~30 ms of the GUI thread on 2.8 M tokens."""
    cols = result.columns
    rows = np.flatnonzero(cols.control)
    return int(np.count_nonzero(~cols.special[rows] & (cols.sequence_ids[rows] >= 0)))
