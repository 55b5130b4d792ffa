"""Chip colours for the token strip and the HTML report: plain hex strings, no Qt.

Three palettes, each readable with one fixed text colour:

* light theme — pastel tints under near-black text;
* dark theme — deep tones under near-white text;
* colour-blind safe — tints of the Okabe–Ito palette (Okabe & Ito, "Color Universal Design"),
  ordered so that neighbours also differ in lightness, for light and dark themes.

Chips take ``fills[index % len(fills)]``, so adjacent chips never share a colour.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

# The eight Okabe–Ito colours (black left out: it is the text colour).
OKABE_ITO: dict[str, str] = {
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
}

# Lightness alternates along the cycle, so two neighbours differ in more than hue.
_OKABE_ORDER = ("sky_blue", "orange", "bluish_green", "reddish_purple", "yellow", "blue")

_LIGHT_FILLS = (
    "#CDE6FF",  # blue
    "#FFDDB8",  # orange
    "#D3F2C4",  # green
    "#F8CCDA",  # pink
    "#E2D7FF",  # lavender
    "#FFF1A6",  # yellow
    "#C3EEE8",  # teal
    "#EED9C9",  # sand
)

_DARK_FILLS = (
    "#1E4A73",  # blue
    "#74411A",  # orange
    "#2C6430",  # green
    "#73304A",  # pink
    "#4A3C7E",  # lavender
    "#625612",  # olive
    "#1C605B",  # teal
    "#5A4434",  # brown
)

_LIGHT_BASE = "#FFFFFF"
_DARK_BASE = "#1E1E1E"
_LIGHT_TEXT = "#1A1A1A"
_DARK_TEXT = "#F2F2F2"


def _rgb(color: str) -> tuple[int, int, int]:
    value = color.lstrip("#")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


def _hex(rgb: tuple[float, float, float]) -> str:
    return "#" + "".join(f"{max(0, min(255, round(c))):02X}" for c in rgb)


def mix(color: str, other: str, amount: float) -> str:
    """``color`` moved ``amount`` (0…1) of the way towards ``other``."""
    (r1, g1, b1), (r2, g2, b2) = _rgb(color), _rgb(other)
    return _hex((r1 + (r2 - r1) * amount, g1 + (g2 - g1) * amount, b1 + (b2 - b1) * amount))


def relative_luminance(color: str) -> float:
    """WCAG 2 relative luminance of a hex colour."""

    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in _rgb(color))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(a: str, b: str) -> float:
    """WCAG 2 contrast ratio between two hex colours (1…21)."""
    la, lb = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


@dataclass(frozen=True)
class ChipTheme:
    """Every colour the strip paints with, as ``#RRGGBB`` strings."""

    fills: tuple[str, ...]  # cycled per token index
    text: str
    muted: str  # the id line under the token
    border: str  # optional thin outline (the strip draws ordinary chips without one)
    special_fill: str  # [CLS], <s>, padding…
    special_text: str
    special_border: str  # drawn dashed
    unk_border: str  # [UNK]: thick border (plus a hatch, so colour is not the only cue)
    selection: str  # outline of chips covering the text selection
    current: str  # fill of the clicked / current chip
    current_text: str
    hover: str  # outline under the mouse
    group: str  # frame and label of byte pieces that build one character
    background: str


@lru_cache(maxsize=2)
def _okabe_ito_tints(dark: bool) -> tuple[str, ...]:
    """Okabe–Ito hues tinted towards the window colour until the text reads (contrast ≥ 5)."""
    base, text = (_DARK_BASE, _DARK_TEXT) if dark else (_LIGHT_BASE, _LIGHT_TEXT)
    tints = []
    for name in _OKABE_ORDER:
        amount = 0.45 if dark else 0.6
        tint = mix(OKABE_ITO[name], base, amount)
        while contrast_ratio(tint, text) < 5.0 and amount < 0.95:
            amount += 0.05
            tint = mix(OKABE_ITO[name], base, amount)
        tints.append(tint)
    return tuple(tints)


@lru_cache(maxsize=8)
def chip_theme(dark: bool, colorblind: bool = False) -> ChipTheme:
    """The strip's colours for a light or dark window, optionally colour-blind safe."""
    plain = _DARK_FILLS if dark else _LIGHT_FILLS
    fills = _okabe_ito_tints(dark) if colorblind else plain
    if dark:
        return ChipTheme(
            fills=fills,
            text=_DARK_TEXT,
            muted="#B8B8B8",
            border="#5A5A5A",
            special_fill="#3A3A3A",
            special_text="#D0D0D0",
            special_border="#9A9A9A",
            unk_border=OKABE_ITO["vermillion"] if colorblind else "#FF5C5C",
            selection="#FFFFFF",
            current=OKABE_ITO["sky_blue"] if colorblind else "#64B5F6",
            current_text="#000000",
            hover="#A0A0A0",
            group=OKABE_ITO["yellow"] if colorblind else "#FFD54F",
            background=_DARK_BASE,
        )
    return ChipTheme(
        fills=fills,
        text=_LIGHT_TEXT,
        muted="#5A5A5A",
        border="#B4B4B4",
        special_fill="#E6E6E6",
        special_text="#4A4A4A",
        special_border="#7A7A7A",
        unk_border=OKABE_ITO["vermillion"] if colorblind else "#D32F2F",
        selection="#111111",
        current=OKABE_ITO["blue"] if colorblind else "#1565C0",
        current_text="#FFFFFF",
        hover="#777777",
        group=OKABE_ITO["blue"] if colorblind else "#8E24AA",
        background=_LIGHT_BASE,
    )


def chip_color(index: int, dark: bool, colorblind: bool = False) -> str:
    """The fill of chip number ``index`` (neighbours always differ)."""
    fills = chip_theme(dark, colorblind).fills
    return fills[index % len(fills)]


def chip_colors(count: int, dark: bool, colorblind: bool = False) -> list[str]:
    """Fills for ``count`` chips in a row (for the HTML report: one per token)."""
    fills = chip_theme(dark, colorblind).fills
    return [fills[i % len(fills)] for i in range(count)]


def is_dark(window_lightness: float) -> bool:
    """Whether a window colour of HSL lightness ``window_lightness`` (0…1) is a dark theme."""
    return window_lightness < 0.5
