"""Reading the user's text: UTF-8 (with BOMs understood), clear messages for anything else."""

from __future__ import annotations

import codecs
from pathlib import Path
from typing import BinaryIO, Literal

from inspector.core.errors import InputError

Errors = Literal["strict", "replace"]

MAX_TEXT_BYTES = 64 * 1024 * 1024  # beyond this the per-token views stop being useful

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32", "UTF-32"),
    (codecs.BOM_UTF32_BE, "utf-32", "UTF-32"),
    (codecs.BOM_UTF8, "utf-8-sig", "UTF-8"),
    (codecs.BOM_UTF16_LE, "utf-16", "UTF-16"),
    (codecs.BOM_UTF16_BE, "utf-16", "UTF-16"),
)


class UndecodableTextError(InputError):
    """Text that is not valid in its encoding (UTF-8, or the one its BOM names): reading it
    with ``errors="replace"`` would put U+FFFD in place of the bad bytes (a window offers it)."""

    def __init__(self, message: str, encoding: str) -> None:
        super().__init__(message)
        self.encoding = encoding  # a Python codec name: "utf-8", "utf-16", …


def _too_big(name: str, size: int) -> InputError:
    return InputError(
        f"{name} is {size / (1024 * 1024):.1f} MB; Token Inspector reads at most "
        f"{MAX_TEXT_BYTES // (1024 * 1024)} MB of text: split it into smaller files"
    )


def decode_text(
    data: bytes, name: str, errors: Errors = "strict", *, refuse_binary: bool = False
) -> str:
    """Bytes → text. BOMs select UTF-8/UTF-16/UTF-32; anything else must be UTF-8.

    ``refuse_binary``: also refuse what is valid UTF-8 but binary all the same (NULs,
    control bytes: an executable can decode), unless ``errors="replace"`` asks to read it.
    """
    if len(data) > MAX_TEXT_BYTES:
        raise _too_big(name, len(data))
    for bom, encoding, label in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding, errors)
            except UnicodeDecodeError as err:
                # A lone surrogate, or a length that is not a whole number of code units.
                raise UndecodableTextError(
                    f"{name} starts with a {label} byte order mark but is not valid {label}: "
                    f"{err.reason} at byte {err.start}; pass --errors replace to read it with "
                    "U+FFFD in place of the bad code units",
                    encoding,
                ) from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        if errors == "replace":
            return data.decode("utf-8", "replace")
        raise _why_not_utf8(data, name, err) from None
    if refuse_binary and errors == "strict" and looks_binary(data):
        raise InputError(
            f"{name} looks like a binary file, not text (NUL or control bytes); pass "
            "--errors replace to read it as text all the same"
        )
    return text


def looks_binary(data: bytes) -> bool:
    """A NUL, or more than one control byte in ten, in the first 8 KiB: not text."""
    sample = data[:8192]
    controls = sum(1 for byte in sample if byte < 0x20 and byte not in b"\t\n\r\f\x1b")
    return b"\x00" in sample or controls > len(sample) // 10


def _why_not_utf8(data: bytes, name: str, err: UnicodeDecodeError) -> InputError:
    if looks_binary(data):
        return InputError(
            f"{name} looks like a binary file, not text (NUL or control bytes, not UTF-8)"
        )
    at = err.start
    line = data.count(b"\n", 0, at) + 1
    column = at - (data.rfind(b"\n", 0, at) + 1) + 1
    return UndecodableTextError(
        f"{name} is not valid UTF-8: byte 0x{data[at]:02X} at offset {at} (line {line}, "
        f"column {column}); pass --errors replace to read it with U+FFFD in place of bad bytes",
        "utf-8",
    )


def read_text_file(path: Path, errors: Errors = "strict") -> str:
    """A text file, refused before it is read when it is over the cap."""
    try:
        size = path.stat().st_size
        if size > MAX_TEXT_BYTES and path.is_file():
            raise _too_big(path.name, size)
        data = path.read_bytes()
    except IsADirectoryError:
        raise InputError(f"{path} is a folder, not a text file") from None
    except OSError as err:
        raise InputError(f"cannot read {path}: {err.strerror or err}") from None
    return decode_text(data, path.name, errors)


def read_stream(stream: BinaryIO, name: str = "standard input", errors: Errors = "strict") -> str:
    """A stream, read only up to one byte past the cap (a huge pipe is refused, not read)."""
    data = stream.read(MAX_TEXT_BYTES + 1)
    if len(data) > MAX_TEXT_BYTES:
        raise InputError(
            f"{name} holds more than {MAX_TEXT_BYTES // (1024 * 1024)} MB of text, the most "
            "Token Inspector reads: split it into smaller pieces"
        )
    return decode_text(data, name, errors)


def check_argument_text(text: str, option: str) -> str:
    """Text given on the command line: bytes that were not UTF-8 reach Python as lone
    surrogates (U+DC80…U+DCFF); refuse them with where, rather than fail later."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as err:
        raise InputError(
            f"{option} holds bytes that are not UTF-8 (at character {err.start}); save the "
            "text to a file and pass it with --file (add --errors replace to accept it)"
        ) from None
    return text
