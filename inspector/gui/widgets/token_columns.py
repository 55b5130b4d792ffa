"""The token table's columns: key, TSV name, view title and tooltip (marked for lupdate).

Titles and tips are marked here with literal ``QT_TRANSLATE_NOOP("TokenTableModel", "…")``
calls (lupdate reads nothing else) and translated by ``TokenTableModel.headerData`` when shown;
the TSV header keeps the untranslated field names.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QT_TRANSLATE_NOOP


@dataclass(frozen=True)
class Column:
    key: str  # internal key
    name: str  # full name: TSV header (a field name, never translated)
    title: str  # short title: view header (translated where shown)
    tip: str  # (translated where shown)
    numeric: bool
    field: str | None = None  # TokenColumns attribute for numeric columns


COLUMNS: tuple[Column, ...] = (
    Column(
        "index",
        "index",
        QT_TRANSLATE_NOOP("TokenTableModel", "index"),
        QT_TRANSLATE_NOOP("TokenTableModel", "position of the token in the sequence"),
        True,
    ),
    Column(
        "id",
        "id",
        QT_TRANSLATE_NOOP("TokenTableModel", "id"),
        QT_TRANSLATE_NOOP("TokenTableModel", "token id in the vocabulary"),
        True,
        "ids",
    ),
    Column(
        "token",
        "token",
        QT_TRANSLATE_NOOP("TokenTableModel", "token"),
        QT_TRANSLATE_NOOP("TokenTableModel", "the raw vocabulary string (Ġ, ▁, ## as stored)"),
        False,
    ),
    Column(
        "display",
        "display",
        QT_TRANSLATE_NOOP("TokenTableModel", "display"),
        QT_TRANSLATE_NOOP("TokenTableModel", "what the token stands for, spaces as ␣"),
        False,
    ),
    Column(
        "start",
        "start",
        QT_TRANSLATE_NOOP("TokenTableModel", "start"),
        QT_TRANSLATE_NOOP("TokenTableModel", "first character of the token's span"),
        True,
        "char_start",
    ),
    Column(
        "end",
        "end",
        QT_TRANSLATE_NOOP("TokenTableModel", "end"),
        QT_TRANSLATE_NOOP("TokenTableModel", "character after the token's span"),
        True,
        "char_end",
    ),
    Column(
        "bytes",
        "bytes",
        QT_TRANSLATE_NOOP("TokenTableModel", "bytes"),
        QT_TRANSLATE_NOOP("TokenTableModel", "what the token stands for, as UTF-8 bytes in hex"),
        False,
    ),
    Column(
        "special",
        "special",
        QT_TRANSLATE_NOOP("TokenTableModel", "special"),
        QT_TRANSLATE_NOOP("TokenTableModel", "added by the tokenizer (CLS, BOS…)"),
        True,
        "special",
    ),
    Column(
        "word",
        "word_id",
        QT_TRANSLATE_NOOP("TokenTableModel", "word"),
        QT_TRANSLATE_NOOP("TokenTableModel", "word id: the word the token belongs to"),
        True,
        "word_ids",
    ),
    Column(
        "sequence",
        "sequence_id",
        QT_TRANSLATE_NOOP("TokenTableModel", "seq"),
        QT_TRANSLATE_NOOP("TokenTableModel", "sequence id: 0 text, 1 pair"),
        True,
        "sequence_ids",
    ),
    Column(
        "mask",
        "attention_mask",
        QT_TRANSLATE_NOOP("TokenTableModel", "mask"),
        QT_TRANSLATE_NOOP("TokenTableModel", "attention mask (0: pad)"),
        True,
        "attention_mask",
    ),
    Column(
        "type",
        "token_type_id",
        QT_TRANSLATE_NOOP("TokenTableModel", "type"),
        QT_TRANSLATE_NOOP("TokenTableModel", "token type id (segment)"),
        True,
        "type_ids",
    ),
)
COLUMN_KEYS: tuple[str, ...] = tuple(c.key for c in COLUMNS)
