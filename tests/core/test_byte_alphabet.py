"""Our copy of byte-level BPE's alphabet equals transformers' bytes_to_unicode."""

from __future__ import annotations

from transformers.convert_slow_tokenizer import bytes_to_unicode

from inspector.core.tokenizer import _bytes_to_unicode_inverse


def test_byte_alphabet_matches_transformers() -> None:
    expected = {char: byte for byte, char in bytes_to_unicode().items()}
    assert _bytes_to_unicode_inverse() == expected
    assert _bytes_to_unicode_inverse()["Ġ"] == 0x20
