"""Reading the user's text: UTF-8 (with BOMs understood), clear messages for anything else."""

from __future__ import annotations

import codecs
from pathlib import Path
from typing import BinaryIO, Literal

from inspector.core.errors import InputError

Errors = Literal["strict", "replace"]

MAX_TEXT_BYTES = 64 * 1024 * 1024  # beyond this the per-token views stop being useful


def decode_text(data: bytes, name: str, errors: Errors = "strict") -> str:
    """Bytes → text. BOMs select UTF-8/UTF-16/UTF-32; anything else must be UTF-8."""
    if len(data) > MAX_TEXT_BYTES:
        raise InputError(
            f"{name} is {len(data) / 1e6:.0f} MB; Token Inspector reads at most "
            f"{MAX_TEXT_BYTES // (1024 * 1024)} MB of text"
        )
    for bom, encoding in (
        (codecs.BOM_UTF32_LE, "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            return data.decode(encoding, errors)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        if errors == "replace":
            return data.decode("utf-8", "replace")
        raise InputError(_why_not_utf8(data, name, err)) from None


def _why_not_utf8(data: bytes, name: str, err: UnicodeDecodeError) -> str:
    sample = data[:8192]
    controls = sum(1 for byte in sample if byte < 0x20 and byte not in b"\t\n\r\f\x1b")
    if b"\x00" in sample or controls > len(sample) // 10:
        return f"{name} looks like a binary file, not text (NUL or control bytes, not UTF-8)"
    at = err.start
    line = data.count(b"\n", 0, at) + 1
    column = at - (data.rfind(b"\n", 0, at) + 1) + 1
    return (
        f"{name} is not valid UTF-8: byte 0x{data[at]:02X} at offset {at} (line {line}, "
        f"column {column}); pass --errors replace to read it with U+FFFD in place of bad bytes"
    )


def read_text_file(path: Path, errors: Errors = "strict") -> str:
    try:
        data = path.read_bytes()
    except IsADirectoryError:
        raise InputError(f"{path} is a folder, not a text file") from None
    except OSError as err:
        raise InputError(f"cannot read {path}: {err.strerror or err}") from None
    return decode_text(data, path.name, errors)


def read_stream(stream: BinaryIO, name: str = "standard input", errors: Errors = "strict") -> str:
    return decode_text(stream.read(), name, errors)
