"""Character ↔ UTF-8 byte positions of a text, computed with numpy (no per-character loop)."""

from __future__ import annotations

import numpy as np


def char_to_byte(text: str) -> np.ndarray:
    """out[i] = UTF-8 byte offset of character i; out[len(text)] = the text's byte length."""
    codepoints = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    widths = np.ones(len(codepoints), dtype=np.uint8)  # one byte per character, not eight
    for limit in (0x80, 0x800, 0x10000):
        widths += codepoints >= limit
    del codepoints
    out = np.zeros(len(widths) + 1, dtype=np.int64)
    np.cumsum(widths, out=out[1:])
    return out


def boundary_mask(char_bytes: np.ndarray) -> np.ndarray:
    """mask[b] is True where byte offset b starts a character (or is the end of the text)."""
    mask = np.zeros(int(char_bytes[-1]) + 1, dtype=bool)
    mask[char_bytes] = True
    return mask
