"""View → Zoom in / out / reset (Ctrl + / Ctrl − / Ctrl 0) for the strip and the text panes,
and Ctrl+L to go to the tokenizer picker.

Zoom sets the widgets' fonts: the strip lays its chips out again on ``QEvent.FontChange``,
the text panes re-wrap. The level is remembered when the window may write its settings. The
strip's font is also the one asked which characters can be drawn (⟨U+XXXX⟩ for the others,
see :mod:`inspector.gui.font_coverage`), so that check is installed here too.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from PySide6.QtCore import QObject, QSettings, Qt, Signal, Slot
from PySide6.QtGui import QAction, QFont, QKeySequence
from PySide6.QtWidgets import QComboBox, QMenu, QPlainTextEdit, QWidget

from inspector.gui.font_coverage import install_font_coverage, remove_font_coverage
from inspector.gui.i18n import on_language_change

# Steps of the zoom, as browsers have them; 1.0 is the application's font.
ZOOM_FACTORS: tuple[float, ...] = (0.5, 0.67, 0.8, 0.9, 1.0, 1.1, 1.25, 1.5, 1.75, 2.0, 2.5, 3.0)
NORMAL = ZOOM_FACTORS.index(1.0)
SETTINGS_KEY = "zoom_level"  # steps from NORMAL


class _Prefs(Protocol):
    @property
    def store(self) -> QSettings: ...

    @property
    def writable(self) -> bool: ...


class ZoomableWindow(Protocol):
    """What :func:`install_zoom` needs of the main window."""

    @property
    def strip(self) -> QWidget: ...

    @property
    def picker(self) -> QComboBox: ...

    @property
    def view_menu(self) -> QMenu: ...

    @property
    def prefs(self) -> _Prefs: ...

    @property
    def text_edit(self) -> QPlainTextEdit: ...

    @property
    def pair_edit(self) -> QPlainTextEdit: ...


def zoomed_font(base: QFont, factor: float) -> QFont:
    """A font that sets only the size (``base``'s, scaled): family and the rest stay
    inherited, and factor 1 sets nothing, so the widget follows the application's font."""
    font = QFont()
    if factor == 1.0:
        return font  # resolves nothing: the widget's own font is unset
    if base.pointSizeF() > 0:
        font.setPointSizeF(base.pointSizeF() * factor)
    else:
        font.setPixelSize(max(4, round(base.pixelSize() * factor)))
    return font


class ViewZoom(QObject):
    """The zoom level of some widgets; ``changed`` brings the new factor."""

    changed = Signal(float)

    def __init__(
        self,
        widgets: list[QWidget],
        parent: QObject | None = None,
        *,
        store: QSettings | None = None,
        writable: bool = False,
    ) -> None:
        super().__init__(parent)
        self._bases = [(widget, QFont(widget.font())) for widget in widgets]
        self._store = store
        self._writable = writable and store is not None
        self._level = 0
        saved = store.value(SETTINGS_KEY, 0) if store is not None else 0
        try:
            self.set_level(int(str(saved)))  # an ini file gives it back as a str
        except ValueError:
            self.set_level(0)

    @property
    def level(self) -> int:
        """Steps from the normal size: negative smaller, positive larger."""
        return self._level

    @property
    def factor(self) -> float:
        return ZOOM_FACTORS[NORMAL + self._level]

    def set_level(self, level: int) -> None:
        level = max(-NORMAL, min(len(ZOOM_FACTORS) - 1 - NORMAL, level))
        changed = level != self._level
        self._level = level
        for widget, base in self._bases:
            widget.setFont(zoomed_font(base, self.factor))
        if changed:
            if self._writable:
                assert self._store is not None
                self._store.setValue(SETTINGS_KEY, level)
            self.changed.emit(self.factor)

    @Slot()
    def zoom_in(self) -> None:
        self.set_level(self._level + 1)

    @Slot()
    def zoom_out(self) -> None:
        self.set_level(self._level - 1)

    @Slot()
    def reset(self) -> None:
        self.set_level(0)


class ViewKeys(QObject):
    """The actions of View → Zoom in / Zoom out / Actual size / Go to tokenizer."""

    def __init__(self, window: ZoomableWindow, parent: QObject) -> None:
        super().__init__(parent)
        self.picker = window.picker
        self.zoom = ViewZoom(
            [window.strip, window.text_edit, window.pair_edit],
            self,
            store=window.prefs.store,
            writable=window.prefs.writable,
        )
        zoom_in = QKeySequence(QKeySequence.StandardKey.ZoomIn)
        self.zoom_in = self._action([zoom_in, QKeySequence("Ctrl+=")], self.zoom.zoom_in)
        self.zoom_out = self._action(
            [QKeySequence(QKeySequence.StandardKey.ZoomOut)], self.zoom.zoom_out
        )
        self.reset = self._action([QKeySequence("Ctrl+0")], self.zoom.reset)
        self.focus_picker = self._action([QKeySequence("Ctrl+L")], self.go_to_picker)
        menu = window.view_menu
        menu.addSeparator()
        for action in (self.zoom_in, self.zoom_out, self.reset, self.focus_picker):
            menu.addAction(action)
        self.retranslate()
        on_language_change(menu, self.retranslate)

    def _action(self, keys: list[QKeySequence], slot: Callable[[], None]) -> QAction:
        action = QAction(self.parent())
        action.setShortcuts([k for k in keys if not k.isEmpty()])
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.triggered.connect(slot)
        return action

    def retranslate(self) -> None:
        self.zoom_in.setText(self.tr("Zoom &in"))
        self.zoom_out.setText(self.tr("Zoom &out"))
        self.reset.setText(self.tr("&Actual size"))
        self.focus_picker.setText(self.tr("Go to &tokenizer"))
        for action in (self.zoom_in, self.zoom_out, self.reset):
            action.setToolTip(self.tr("Text size of the token strip and the text panes"))
        self.focus_picker.setToolTip(self.tr("Put the cursor in the tokenizer box to pick another"))

    @Slot()
    def go_to_picker(self) -> None:
        self.picker.setFocus(Qt.FocusReason.ShortcutFocusReason)
        line = self.picker.lineEdit()
        if line is not None:
            line.selectAll()  # typing replaces the name: search at once


def install_zoom(window: ZoomableWindow) -> ViewKeys:
    """Zoom and picker keys for ``window`` (a QMainWindow), and the font-coverage check."""
    assert isinstance(window, QObject)
    coverage = install_font_coverage(window.strip.font())
    # Exports and tests after this window keep their own characters.
    window.destroyed.connect(lambda: remove_font_coverage(coverage))
    return ViewKeys(window, window)
