"""Visible stand-ins for characters that draw nothing, or draw as a box (tofu).

Whitespace gets a glyph (␣ ⏎ ⇥); format characters, variation selectors and the other spaces
get their Unicode abbreviation in ⟨⟩ — the one the code charts print in a dashed box (⟨ZWJ⟩,
⟨VS16⟩, ⟨IDSP⟩); anything else invisible, private-use or unassigned gets ⟨U+XXXX⟩. A window
may also say which characters its fonts cannot draw (:func:`set_drawable_check`): those get
⟨U+XXXX⟩ too, instead of a box that looks the same for every missing character.
"""

from __future__ import annotations

import re
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
    if glyph is None and ord(char) < 0x20:
        glyph = chr(0x2400 + ord(char))  # control pictures: ␁ ␂ …
    if glyph is not None:
        # Few fonts have the control pictures (␇ ␛ ␀): a box in their place says nothing.
        shown = glyph if _draws(glyph) else code_point_label(char)
    elif char in ABBREVIATIONS:
        shown = f"⟨{ABBREVIATIONS[char]}⟩"
    elif unicodedata.category(char) in _BY_CODE_POINT or not _draws(char):
        shown = code_point_label(char)
    else:
        shown = char
    _shown[char] = shown
    return shown


# Characters that lay the text out as typed (line breaks, tabs, spaces): kept as they are.
_LAYOUT_CONTROLS = frozenset("\t\n\r")
_LAYOUT = frozenset(("Zs", "Zl", "Zp"))
_ASCII_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # all but tab, line breaks
_SURROGATE = re.compile("[\ud800-\udfff]")
_BLACK_FLAG = "\U0001f3f4"  # 🏴: tag characters after it spell a subdivision flag
_TAGS = range(0xE0020, 0xE0080)  # TAG SPACE … CANCEL TAG
# Format characters a font draws as a sign of their own (Arabic number signs and the like).
_DRAWN_FORMATS = frozenset("\u0600\u0601\u0602\u0603\u0604\u0605\u06dd\u070f\u0890\u0891"
                           "\u08e2\U000110bd\U000110cd")  # fmt: skip


def undrawable_labelled(text: str) -> str:
    """``text`` as typed, but with a label for each lone surrogate and, where a font check is
    installed (glyphs are drawn: the window, PDF/PNG/SVG), for each character that draws
    nothing or a box: controls (except tab and line breaks), format characters standing
    alone (ZWSP, a ZWJ between ASCII letters, a tag outside a flag), private use, unassigned,
    and what no font here draws. Without a check the text stays byte-exact (HTML, text).
    A ZWJ inside an emoji or a joining script, and a flag's tags, are kept: the font shapes
    them with their neighbours."""
    if text.isascii() and (_drawable is None or not _ASCII_CONTROL.search(text)):
        return text
    if _drawable is None:
        return surrogates_labelled(text)
    out: list[str] = []
    in_flag = False  # after 🏴 and its tags so far
    for index, char in enumerate(text):
        category = unicodedata.category(char)
        if ord(char) in _TAGS:
            out.append(char if in_flag else stand_in(char))
            in_flag = in_flag and char != "\U000e007f"
            continue
        in_flag = char == _BLACK_FLAG
        if category == "Cs":
            out.append(code_point_label(char))
        elif category == "Cc":
            out.append(char if char in _LAYOUT_CONTROLS else stand_in(char))
        elif category == "Cf":
            shaped = char in "\u200c\u200d" and _joins(text, index)
            kept = shaped or (char in _DRAWN_FORMATS and _draws(char))
            out.append(char if kept else stand_in(char))
        elif category in ("Co", "Cn") or (category not in _LAYOUT and not _draws(char)):
            out.append(code_point_label(char))
        else:
            out.append(char)
    return "".join(out)


def surrogates_labelled(text: str) -> str:
    """``text`` as typed, but ⟨U+XXXX⟩ for each lone surrogate (UTF-8 cannot hold one)."""
    return _SURROGATE.sub(lambda found: code_point_label(found[0]), text)


def _joins(text: str, index: int) -> bool:
    """The ZWJ/ZWNJ at ``index`` sits between two characters a font shapes with it (an emoji
    sequence, a joining script): both neighbours non-ASCII letters, marks, numbers or
    symbols."""
    if index == 0 or index + 1 >= len(text):
        return False
    return all(
        not c.isascii() and unicodedata.category(c)[0] in "LMNS"
        for c in (text[index - 1], text[index + 1])
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
