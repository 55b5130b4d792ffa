"""Character ↔ UTF-8 byte positions of a text, computed with numpy (no per-character loop)."""

from __future__ import annotations

from functools import cache

import numpy as np

from inspector.core.array_slices import slices

SPACE_LIMIT = 0x3001  # every character ``str.isspace`` calls whitespace is below U+3001


def codepoints(text: str) -> np.ndarray:
    """The text's code points (a lone surrogate as itself), one uint32 per character."""
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)


@cache
def _space_table() -> np.ndarray:
    """table[c] = chr(c).isspace() below SPACE_LIMIT; table[SPACE_LIMIT] = False (the rest)."""
    table = np.zeros(SPACE_LIMIT + 1, dtype=bool)
    table[:SPACE_LIMIT] = [chr(c).isspace() for c in range(SPACE_LIMIT)]
    return table


def is_space(text: str) -> np.ndarray:
    """out[i] = text[i].isspace(), from a table (a Python call per character of 1 MB is
    ~0.1 s)."""
    return _space_table()[np.minimum(codepoints(text), SPACE_LIMIT)]


def utf16_offsets(text: str) -> np.ndarray:
    """out[i] = UTF-16 position of character i (Qt counts UTF-16 units, Python code points);
    out[len(text)] = the text's UTF-16 length."""
    points = codepoints(text)
    out = np.zeros(len(points) + 1, dtype=np.int64)
    np.cumsum(1 + (points >= 0x10000), out=out[1:])
    return out


def char_to_byte(text: str) -> np.ndarray:
    """out[i] = UTF-8 byte offset of character i; out[len(text)] = the text's byte length.

    A slice of the text at a time: each step over a whole 1 MB text (its UTF-32 copy, the
    widths, the sum) holds Python's lock for milliseconds on a worker thread."""
    out = np.zeros(len(text) + 1, dtype=np.int64)
    carry = 0
    for a, b in slices(len(text)):
        points = codepoints(text[a:b])
        widths = np.ones(len(points), dtype=np.int64)
        for limit in (0x80, 0x800, 0x10000):
            widths += points >= limit
        np.cumsum(widths, out=out[a + 1 : b + 1])
        out[a + 1 : b + 1] += carry
        carry = int(out[b])
    return out


def utf8_starts(data: bytes) -> np.ndarray:
    """``boundary_mask(char_to_byte(text))`` read from the text's UTF-8 ``data`` itself: a byte
    starts a character unless it is a continuation byte (10xxxxxx); the end is a boundary."""
    codes = np.frombuffer(data, dtype=np.uint8)
    mask = np.empty(len(codes) + 1, dtype=bool)
    for a, b in slices(len(codes)):
        np.not_equal(codes[a:b] & 0xC0, 0x80, out=mask[a:b])
    mask[-1] = True
    return mask


def boundary_mask(char_bytes: np.ndarray) -> np.ndarray:
    """mask[b] is True where byte offset b starts a character (or is the end of the text)."""
    mask = np.zeros(int(char_bytes[-1]) + 1, dtype=bool)
    mask[char_bytes] = True
    return mask
