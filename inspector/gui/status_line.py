"""The status line: token count and ratios, the round-trip verdict (a link to its
differences), and "working…" while jobs run."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Slot
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QLabel, QMessageBox, QStatusBar, QWidget

from inspector.core.encoding import EncodingResult
from inspector.gui.state import InspectorState


class StatusLine(QObject):
    def __init__(self, state: InspectorState, bar: QStatusBar, parent: QWidget) -> None:
        super().__init__(parent)
        self.state = state
        self._parent = parent
        self.tokens = QLabel()
        self.trip = QLabel()
        self.trip.setTextFormat(Qt.TextFormat.RichText)
        self.trip.linkActivated.connect(self.show_roundtrip)
        self.trip.installEventFilter(self)  # a theme switch: the link's colour again
        self.busy = QLabel()
        self.typed = QLabel()  # typed special-token strings read as control tokens
        self.typed.setStyleSheet("color: #d9480f; font-weight: bold")  # readable light and dark
        self.typed.hide()
        bar.addWidget(self.tokens)
        bar.addWidget(self.trip)
        bar.addWidget(self.typed)
        bar.addPermanentWidget(self.busy)
        state.runner.busy_changed.connect(
            lambda busy: self.busy.setText(self.tr("working…") if busy else "")
        )
        state.tokenizer_loading.connect(
            lambda name: self.tokens.setText(self.tr("loading {0}…").format(name))
        )
        state.tokenizer_failed.connect(self._on_failed)
        state.result_changed.connect(self._on_result)

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
            f"{stats.tokens:,} tokens · {stats.chars_per_token:.2f} chars/token · "
            f"{stats.bytes_per_token:.2f} bytes/token"
            + (f" · {stats.unk_count} unknown" if stats.unk_count else "")
            + (f" · {stats.windows} windows" if stats.windows > 1 else "")
        )
        self._warn_typed_control(result)
        trip = result.roundtrip
        if trip is None:
            self.trip.setText("")
        elif trip.equal:
            self.trip.setText("round-trip ✓")
        else:
            kinds = ", ".join(trip.kinds[:3])
            # Qt colours a link from the application palette of when the text was set: the
            # label's own Link colour, set again on a palette change, follows the theme.
            link = self.trip.palette().color(QPalette.ColorRole.Link).name()
            self.trip.setText(
                f'<a href="roundtrip" style="color:{link};">round-trip ✗</a> ({kinds})'
            )

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.trip and event.type() == QEvent.Type.PaletteChange:
            self._on_result(self.state.result)
        return False

    def _warn_typed_control(self, result: EncodingResult) -> None:
        """Special-token strings typed in the text became control tokens: say so, loudly
        (a prompt-injection bug hides exactly here)."""
        typed = result.typed_control_count
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
        lines = [f"decode(encode(text)) differs in {trip.difference_count} places:", ""]
        for d in trip.differences[:40]:
            lines.append(
                f"chars {d.input_start}–{d.input_end}: {d.input_text!r} → {d.decoded_text!r}"
                f"  ({d.kind})"
            )
        box = QMessageBox(
            QMessageBox.Icon.Information, "Round-trip", "\n".join(lines), parent=self._parent
        )
        box.setDetailedText(trip.decoded)
        box.open()
