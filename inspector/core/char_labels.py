"""Visible stand-ins for characters that draw nothing, or draw as a box (tofu).

Whitespace gets a glyph (␣ ⏎ ⇥); format characters, variation selectors and the other spaces
get their Unicode abbreviation in ⟨⟩ — the one the code charts print in a dashed box (⟨ZWJ⟩,
⟨VS16⟩, ⟨IDSP⟩); anything else invisible, private-use or unassigned gets ⟨U+XXXX⟩. A window
may also say which characters its fonts cannot draw (:func:`set_drawable_check`): those get
⟨U+XXXX⟩ too, instead of a box that looks the same for every missing character.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable

from inspector.core.translation_marks import QT_TRANSLATE_NOOP

WHITESPACE_GLYPHS: dict[str, str] = {
    " ": "␣",
    "\n": "⏎",
    "\r": "␍",
    "\t": "⇥",
    "\x00": "␀",
    "\x7f": "␡",
    "\u00a0": "⍽",  # no-break space
}

# Unicode's abbreviations (NameAliases.txt and the code charts' dashed boxes) for characters
# that are invisible or blank: the label says which one it is, where ⟨U+200D⟩ would not.
ABBREVIATIONS: dict[str, str] = {
    "\u0085": "NEL",
    "\u00ad": "SHY",
    "\u034f": "CGJ",
    "\u061c": "ALM",
    "\u115f": "HCF",
    "\u1160": "HJF",
    "\u1680": "OSM",
    "\u180e": "MVS",
    "\u2000": "NQSP",
    "\u2001": "MQSP",
    "\u2002": "ENSP",
    "\u2003": "EMSP",
    "\u2004": "3/MSP",
    "\u2005": "4/MSP",
    "\u2006": "6/MSP",
    "\u2007": "FSP",
    "\u2008": "PSP",
    "\u2009": "THSP",
    "\u200a": "HSP",
    "\u200b": "ZWSP",
    "\u200c": "ZWNJ",
    "\u200d": "ZWJ",
    "\u200e": "LRM",
    "\u200f": "RLM",
    "\u2028": "LSEP",
    "\u2029": "PSEP",
    "\u202a": "LRE",
    "\u202b": "RLE",
    "\u202c": "PDF",
    "\u202d": "LRO",
    "\u202e": "RLO",
    "\u202f": "NNBSP",
    "\u205f": "MMSP",
    "\u2060": "WJ",
    "\u2061": "f()",
    "\u2062": "×",
    "\u2063": ",",
    "\u2064": "+",
    "\u2066": "LRI",
    "\u2067": "RLI",
    "\u2068": "FSI",
    "\u2069": "PDI",
    "\u3000": "IDSP",
    "\u3164": "HF",
    "\ufeff": "ZWNBSP",
    "\uffa0": "HWHF",
}
for _n in range(16):  # variation selectors: VS1–VS16 (FE00–FE0F), VS17–VS256 (E0100–E01EF)
    ABBREVIATIONS[chr(0xFE00 + _n)] = f"VS{_n + 1}"
for _n in range(240):
    ABBREVIATIONS[chr(0xE0100 + _n)] = f"VS{_n + 17}"
for _n in range(0x20, 0x7F):  # tag characters (subdivision flags): the ASCII they shadow
    ABBREVIATIONS[chr(0xE0000 + _n)] = f"TAG {chr(_n)}"
ABBREVIATIONS["\U000e0001"] = "LANG TAG"
ABBREVIATIONS["\U000e007f"] = "CANCEL TAG"

# Categories that draw nothing (or nothing meaningful) on their own: shown by code point.
_BY_CODE_POINT = frozenset(("Cc", "Cf", "Zs", "Zl", "Zp", "Cs", "Co", "Cn"))

_drawable: Callable[[str], bool] | None = None
_shown: dict[str, str] = {}  # char → its stand-in (itself when it is fine as it is)


def set_drawable_check(check: Callable[[str], bool] | None) -> None:
    """``check(char)`` is False for a character the display's fonts cannot draw (None: all
    can, as in exports made outside a window). Stand-ins worked out before are forgotten."""
    global _drawable
    _drawable = check
    _shown.clear()


def drawable_check() -> Callable[[str], bool] | None:
    return _drawable


def _draws(char: str) -> bool:
    return _drawable is None or char.isascii() or _drawable(char)


def code_point_label(char: str) -> str:
    return f"⟨U+{ord(char):04X}⟩"


def stand_in(char: str) -> str:
    """What to show for one character: itself, a glyph, ⟨ABBR⟩ or ⟨U+XXXX⟩."""
    shown = _shown.get(char)
    if shown is not None:
        return shown
    glyph = WHITESPACE_GLYPHS.get(char)
    if glyph is not None:
        shown = glyph
    elif char in ABBREVIATIONS:
        shown = f"⟨{ABBREVIATIONS[char]}⟩"
    elif ord(char) < 0x20:
        shown = chr(0x2400 + ord(char))  # control pictures: ␁ ␂ …
    elif unicodedata.category(char) in _BY_CODE_POINT or not _draws(char):
        shown = code_point_label(char)
    else:
        shown = char
    _shown[char] = shown
    return shown


# Characters that lay the text out (line breaks, ZWJ, variation selectors, spaces): a text
# shown as typed keeps them as they are.
_LAYOUT = frozenset(("Cc", "Cf", "Zs", "Zl", "Zp"))


def undrawable_labelled(text: str) -> str:
    """``text`` as typed, but with ⟨U+XXXX⟩ for each character no font here draws (per the
    installed check) and each lone surrogate: a box would look the same for all of them."""
    if text.isascii():
        return text
    return "".join(
        code_point_label(char)
        if unicodedata.category(char) == "Cs"
        or (unicodedata.category(char) not in _LAYOUT and not _draws(char))
        else char
        for char in text
    )


def visible(text: str) -> str:
    """``text`` with every character that would be invisible, blank or a box made visible."""
    if text.isascii() and text.isalnum():
        return text
    return "".join(map(stand_in, text))


_UNNAMED = {
    "Cc": "(a control character)",
    "Co": "(private use: no standard meaning)",
    "Cn": "(not assigned in this Unicode version)",
    "Cs": "(a lone surrogate: half of a UTF-16 pair)",
}


def label_meanings(text: str, translate: Callable[[str], str] = str) -> list[str]:
    """What each ⟨ABBR⟩ / ⟨U+XXXX⟩ of ``visible(text)`` stands for, once each, in order:
    "⟨ZWJ⟩ is U+200D ZERO WIDTH JOINER", "U+A000 YI SYLLABLE IT (no font here draws it)".

    ``translate``: the sentences' templates to the window's language (Unicode names stay).
    """
    notes: list[str] = []
    for char in dict.fromkeys(text):
        shown = stand_in(char)
        if not (shown.startswith("⟨") and shown.endswith("⟩")):
            continue
        category = unicodedata.category(char)
        what = f"U+{ord(char):04X} {unicodedata.name(char, '') or _UNNAMED.get(category, '')}"
        if shown != code_point_label(char):
            template = QT_TRANSLATE_NOOP("TokenExplanation", "{shown} is {what}")
            notes.append(translate(template).format(shown=shown, what=what))
        elif category in _BY_CODE_POINT:
            notes.append(what)
        else:
            template = QT_TRANSLATE_NOOP("TokenExplanation", "{what} (no font here draws it)")
            notes.append(translate(template).format(what=what))
    return notes
