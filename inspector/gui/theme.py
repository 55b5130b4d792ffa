"""The window's theme: follow the system, or a light or dark palette chosen in *View → Theme*.

Everything the app draws reads the application palette, so one palette change re-colours the
whole app: Qt widgets by themselves, the pyqtgraph plots through :func:`plot_colours` (they
re-style on ``QEvent.PaletteChange``), message boxes through :func:`message_style`.

Whatever the theme, :func:`readable_palette` makes sure links and placeholder text can be read
on the palette's base colour: a dark system palette often keeps Qt's default dark-blue link
colour and a placeholder grey that vanish on a dark background.

The choice is kept in the app's settings (key ``theme``) and written only when the window may
write settings (never under ``--screenshot`` or in tests: ``persist=False``).
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, QRectF, QSettings, Qt
from PySide6.QtGui import QAction, QActionGroup, QColor, QGuiApplication, QPainter, QPalette
from PySide6.QtWidgets import (
    QApplication,
    QMenu,
    QProxyStyle,
    QStyle,
    QStyleOption,
    QWidget,
)

from inspector.core.palette import contrast_ratio
from inspector.gui.i18n import on_language_change

SYSTEM, LIGHT, DARK = "system", "light", "dark"
THEMES: tuple[str, ...] = (SYSTEM, LIGHT, DARK)
SETTINGS_KEY = "theme"
# Fusion draws every control from the palette (native Windows styles ignore parts of it).
EXPLICIT_STYLE = "Fusion"

Role = QPalette.ColorRole
Group = QPalette.ColorGroup

_LIGHT_COLOURS: dict[QPalette.ColorRole, str] = {
    Role.Window: "#EFEFEF",
    Role.WindowText: "#1A1A1A",
    Role.Base: "#FFFFFF",
    Role.AlternateBase: "#F5F5F5",
    Role.ToolTipBase: "#FFFFDC",
    Role.ToolTipText: "#1A1A1A",
    Role.PlaceholderText: "#6E6E6E",
    Role.Text: "#1A1A1A",
    Role.Button: "#EFEFEF",
    Role.ButtonText: "#1A1A1A",
    Role.BrightText: "#FFFFFF",
    Role.Light: "#FFFFFF",
    Role.Midlight: "#E3E3E3",
    Role.Mid: "#A0A0A0",
    Role.Dark: "#A0A0A0",
    Role.Shadow: "#696969",
    Role.Highlight: "#308CC6",
    Role.HighlightedText: "#FFFFFF",
    Role.Link: "#0B57D0",
    Role.LinkVisited: "#6A3AB2",
    Role.Accent: "#308CC6",
}

_DARK_COLOURS: dict[QPalette.ColorRole, str] = {
    Role.Window: "#2B2B2B",
    Role.WindowText: "#E8E8E8",
    Role.Base: "#1E1E1E",
    Role.AlternateBase: "#262626",
    Role.ToolTipBase: "#3A3A3A",
    Role.ToolTipText: "#E8E8E8",
    Role.PlaceholderText: "#9A9A9A",
    Role.Text: "#E8E8E8",
    Role.Button: "#353535",
    Role.ButtonText: "#E8E8E8",
    Role.BrightText: "#FF6B6B",
    Role.Light: "#4A4A4A",
    Role.Midlight: "#3E3E3E",
    Role.Mid: "#2F2F2F",
    Role.Dark: "#191919",
    Role.Shadow: "#0A0A0A",
    Role.Highlight: "#3D7CC9",
    Role.HighlightedText: "#FFFFFF",
    Role.Link: "#8AB4F8",
    Role.LinkVisited: "#C58AF9",
    Role.Accent: "#3D7CC9",
}

_DISABLED_TEXT = {LIGHT: "#9A9A9A", DARK: "#777777"}
# Link and placeholder colours that read on a light / a dark base (contrast ≥ 4.5 and ≥ 3).
_READABLE = {
    False: {Role.Link: "#0B57D0", Role.LinkVisited: "#6A3AB2", Role.PlaceholderText: "#6E6E6E"},
    True: {Role.Link: "#8AB4F8", Role.LinkVisited: "#C58AF9", Role.PlaceholderText: "#9A9A9A"},
}
_MIN_CONTRAST = {Role.Link: 4.5, Role.LinkVisited: 4.5, Role.PlaceholderText: 3.0}


def _palette(colours: dict[QPalette.ColorRole, str], disabled_text: str) -> QPalette:
    palette = QPalette()
    for role, colour in colours.items():
        palette.setColor(role, QColor(colour))
    for role in (Role.WindowText, Role.Text, Role.ButtonText, Role.PlaceholderText):
        palette.setColor(Group.Disabled, role, QColor(disabled_text))
    return palette


def light_palette() -> QPalette:
    return _palette(_LIGHT_COLOURS, _DISABLED_TEXT[LIGHT])


def dark_palette() -> QPalette:
    return _palette(_DARK_COLOURS, _DISABLED_TEXT[DARK])


def is_dark_palette(palette: QPalette) -> bool:
    return palette.color(Role.Window).lightnessF() < 0.5


def readable_palette(palette: QPalette) -> QPalette:
    """``palette`` with links and placeholder text that can be read on its base colour."""
    out = QPalette(palette)
    dark = is_dark_palette(palette)
    base = palette.color(Role.Base).name()
    for role, minimum in _MIN_CONTRAST.items():
        for group in (Group.Active, Group.Inactive):
            if contrast_ratio(palette.color(group, role).name(), base) < minimum:
                out.setColor(group, role, QColor(_READABLE[dark][role]))
    return out


class FramedIndicatorStyle(QProxyStyle):
    """Fusion, with check boxes and radio buttons framed so that they read on a dark palette.

    Fusion frames an indicator with the window colour darkened, and fills it with the base
    colour: on a dark palette an unchecked box is a dark square on a dark background.
    """

    def __init__(self) -> None:
        super().__init__(EXPLICIT_STYLE)

    def drawPrimitive(
        self,
        element: QStyle.PrimitiveElement,
        option: QStyleOption,
        painter: QPainter,
        widget: QWidget | None = None,
    ) -> None:
        super().drawPrimitive(element, option, painter, widget)
        round_ = element == QStyle.PrimitiveElement.PE_IndicatorRadioButton
        box = element in (
            QStyle.PrimitiveElement.PE_IndicatorCheckBox,
            QStyle.PrimitiveElement.PE_IndicatorItemViewItemCheck,
        )
        if not (round_ or box) or not is_dark_palette(option.palette):
            return
        frame = QColor(option.palette.color(Role.Text))
        frame.setAlphaF(0.55 if option.state & QStyle.StateFlag.State_Enabled else 0.25)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(frame)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        rect = QRectF(option.rect).adjusted(0.5, 0.5, -0.5, -0.5)
        if round_:
            painter.drawEllipse(rect)
        else:
            painter.drawRoundedRect(rect, 1.5, 1.5)
        painter.restore()


def normalize(theme: str | None) -> str:
    name = (theme or "").strip().lower()
    return name if name in THEMES else SYSTEM


@dataclass
class _Original:
    """What the system gave before the app chose a theme (restored by "system")."""

    style: str


_ORIGINAL: dict[int, _Original] = {}
_CURRENT: dict[int, str] = {}


def current_theme() -> str:
    app = QCoreApplication.instance()
    return _CURRENT.get(id(app), SYSTEM) if app is not None else SYSTEM


def apply_theme(theme: str | None) -> str:
    """Switch the whole app to ``theme`` now (every widget gets a PaletteChange)."""
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        raise RuntimeError("create the QApplication before choosing a theme")
    name = normalize(theme)
    style = app.style()
    original = _ORIGINAL.setdefault(id(app), _Original(style.name() if style else ""))
    hints = QGuiApplication.styleHints()
    if name == SYSTEM:
        hints.unsetColorScheme()
        if original.style and (style is None or style.name() != original.style):
            app.setStyle(original.style)
        app.setPalette(QPalette())  # no role set: every colour comes from the system again
        app.setPalette(readable_palette(app.palette()))
    else:
        # Native styles that draw from the system's scheme (macOS, Windows 11) hear it too.
        hints.setColorScheme(Qt.ColorScheme.Dark if name == DARK else Qt.ColorScheme.Light)
        if not isinstance(style, FramedIndicatorStyle):
            app.setStyle(FramedIndicatorStyle())
        app.setPalette(dark_palette() if name == DARK else light_palette())
    _CURRENT[id(app)] = name
    return name


def saved_theme(store: QSettings) -> str:
    return normalize(str(store.value(SETTINGS_KEY, "") or ""))


def install_saved_theme(store: QSettings) -> str:
    """At start-up: the remembered theme (reading the settings only)."""
    return apply_theme(saved_theme(store))


def install_theme_menu(view_menu: QMenu, store: QSettings, writable: bool) -> QMenu:
    """*View → Theme*: System / Light / Dark, applied at once; remembered when ``writable``."""
    menu = QMenu(view_menu)
    menu.setObjectName("menu-theme")
    group = QActionGroup(menu)
    group.setExclusive(True)
    shown = current_theme()
    actions: dict[str, QAction] = {}
    for theme in THEMES:
        action = QAction(menu)
        action.setCheckable(True)
        action.setChecked(theme == shown)
        action.setData(theme)
        group.addAction(action)
        menu.addAction(action)
        actions[theme] = action

        def chosen(_checked: bool = False, theme: str = theme) -> None:
            apply_theme(theme)
            if writable:
                store.setValue(SETTINGS_KEY, theme)
                store.sync()

        action.triggered.connect(chosen)

    def retranslate() -> None:
        menu.setTitle(QCoreApplication.translate("ThemeMenu", "&Theme"))
        actions[SYSTEM].setText(QCoreApplication.translate("ThemeMenu", "System default"))
        actions[LIGHT].setText(QCoreApplication.translate("ThemeMenu", "Light"))
        actions[DARK].setText(QCoreApplication.translate("ThemeMenu", "Dark"))

    retranslate()
    on_language_change(menu, retranslate)
    view_menu.addMenu(menu)
    return menu


# -- colours derived from the palette, for what Qt does not colour by itself ---------------


@dataclass(frozen=True)
class PlotColours:
    """A pyqtgraph plot's colours for the current palette (``#RRGGBB``)."""

    background: str
    text: str
    axis: str
    outline_outer: str  # the selected cell's frame: two lines, readable on any colour map
    outline_inner: str

    @classmethod
    def from_palette(cls, palette: QPalette) -> PlotColours:
        text = palette.color(Role.Text)
        base = palette.color(Role.Base)
        axis = QColor(
            round((text.red() * 2 + base.red()) / 3),
            round((text.green() * 2 + base.green()) / 3),
            round((text.blue() * 2 + base.blue()) / 3),
        )
        return cls(
            background=base.name(),
            text=text.name(),
            axis=axis.name(),
            outline_outer="#000000",
            outline_inner="#FFFFFF",
        )


def plot_colours(palette: QPalette) -> PlotColours:
    return PlotColours.from_palette(palette)


_MESSAGE_COLOURS = {
    # kind: (light background, light text, dark background, dark text)
    "error": ("#FDECEA", "#611A15", "#4A1C19", "#FFD7D2"),
    "notice": ("#FFF4D6", "#5C4400", "#43360A", "#FFE9A8"),
}


def message_style(kind: str, palette: QPalette, selector: str = "QLabel") -> str:
    """A style sheet for an error or notice box that reads in a light and a dark palette."""
    light_bg, light_fg, dark_bg, dark_fg = _MESSAGE_COLOURS[kind]
    background, text = (dark_bg, dark_fg) if is_dark_palette(palette) else (light_bg, light_fg)
    return (
        f"{selector} {{ color: {text}; background: {background};"
        " padding: 3px; border-radius: 3px; }"
    )


def error_text_colour(palette: QPalette) -> str:
    """Red text that reads on the palette's window colour (dark red on light, light on dark)."""
    return "#FF8A80" if is_dark_palette(palette) else "#B71C1C"
