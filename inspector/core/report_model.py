"""What a report is made of, below every writer: report items and the per-token rows.

A report is a plain dict (the JSON of schema ``token-inspector/report@1``) except for the
per-token parts: ``tokens`` is a :class:`TokenRows` and ``ids``/``attention_mask``/
``token_type_ids``/``special_tokens_mask`` are :class:`ColumnList`. Both read the encoding's
numpy columns on demand, so a 50 MB text never becomes millions of Python dicts: the JSON,
CSV and Markdown writers (``report_stream``) take the rows a chunk at a time, and the HTML,
PDF and image writers read the (few) rows they show.

This module imports no other report module: ``compare``, ``report``, ``report_stream`` and
``report_html`` all import from here, never the other way (no import circle).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, overload

import numpy as np

from inspector.core.encoding import EncodingResult, TokenColumns

CHUNK = 32_768  # rows per chunk: a few MB of transient strings, then they are written and freed

# The keys of a token in the JSON, in order (report@1; ``control`` added for issue 10).
TOKEN_KEYS = (
    "index",
    "id",
    "token",
    "display",
    "start",
    "end",
    "byte_start",
    "byte_end",
    "bytes",
    "special",
    "control",
    "partial",
    "group",
    "word_id",
    "sequence_id",
)


@dataclass(frozen=True)
class ReportItem:
    """One ``-t`` of a report: its result, or why it could not be used.

    ``token_fields``: extra per-token keys (name → one value per token of the main window,
    JSON values), written after the standard keys. ``sections``: extra per-tokenizer sections
    (name → JSON value), written after ``stats``/``model``."""

    requested: str
    result: EncodingResult | None = None
    error: str | None = None
    model: dict[str, Any] | None = None  # analysis.model_section(...) for this tokenizer
    token_fields: Mapping[str, Sequence[Any]] | None = None
    sections: Mapping[str, Any] | None = None


def jsonable(value: Any) -> Any:
    """numpy arrays and scalars (at any depth) as plain lists and numbers; NaN/inf as null.
    Floats from arrays are rounded to 6 decimals (a 512-token attention map stays readable)."""
    if isinstance(value, np.ndarray):
        if value.dtype.kind == "f":
            value = np.round(value.astype(np.float64), 6)
            if np.isfinite(value).all():
                return value.tolist()
        return jsonable(value.tolist())
    if isinstance(value, np.generic):
        return jsonable(value.item())
    if isinstance(value, float):
        return value if np.isfinite(value) else None
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    return value


def unshared_flags(report: dict[str, Any]) -> dict[int, set[int]]:
    """Tokenizer position in the report → indices of its unshared tokens (comparisons only)."""
    section = report.get("comparison")
    if not section:
        return {}
    return {
        position: set(row.get("unshared_tokens", ()))
        for position, row in enumerate(section["rows"])
    }


class ColumnList(Sequence[Any]):
    """A numpy column read as a list of plain numbers (``ids``, ``attention_mask``…)."""

    __slots__ = ("values",)

    def __init__(self, values: np.ndarray) -> None:
        self.values = np.asarray(values)

    def __len__(self) -> int:
        return len(self.values)

    @overload
    def __getitem__(self, index: int) -> Any: ...
    @overload
    def __getitem__(self, index: slice) -> list[Any]: ...
    def __getitem__(self, index: int | slice) -> Any:
        return self.values[index].tolist()

    def __iter__(self) -> Iterator[Any]:
        for start in range(0, len(self.values), CHUNK):
            yield from self.values[start : start + CHUNK].tolist()

    def __eq__(self, other: object) -> bool:
        if isinstance(other, ColumnList):
            other = other.values
        if not isinstance(other, (Sequence, np.ndarray)) or isinstance(other, str):
            return NotImplemented
        return len(self) == len(other) and bool(np.array_equal(self.values, np.asarray(other)))

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"ColumnList({len(self)} values)"

    def json_chunks(self) -> Iterator[list[str]]:
        """The values as JSON texts, a chunk at a time."""
        exact = self.values.dtype.kind in "iu"  # ints: str() is their JSON
        for start in range(0, len(self.values), CHUNK):
            values = self.values[start : start + CHUNK].tolist()
            yield list(map(str, values)) if exact else [json.dumps(v) for v in values]


class TokenRows(Sequence[dict[str, Any]]):
    """The tokens of one window as JSON-ready dicts, made from the columns when read.

    ``chunk(start, stop)`` gives the rows of a range column by column (lists of plain values),
    the form the writers use; indexing and iteration make dicts (``TOKEN_KEYS`` order, then
    the extra fields). Values are those of ``result.token(i, columns)``."""

    def __init__(
        self,
        result: EncodingResult,
        columns: TokenColumns,
        extra: Mapping[str, Sequence[Any]] | None = None,
    ) -> None:
        self.result = result
        self.columns = columns
        self.extra = dict(extra or {})
        for name, values in self.extra.items():
            if len(values) != len(columns):
                raise ValueError(f"token field {name!r}: {len(values)} values for {len(columns)}")
        self.keys = (*TOKEN_KEYS, *self.extra)
        self._texts = result._utf8  # the UTF-8 of the text and of the pair text
        self._displays: dict[tuple[int, bool, str], str] = {}
        self._hexes: dict[int, str] = {}
        unk = result.tokenizer.unk_token
        self._unk_id = None if unk is None else result._source.token_to_id(unk)

    def __len__(self) -> int:
        return len(self.columns)

    def __repr__(self) -> str:
        return f"TokenRows({len(self)} tokens of {self.result.tokenizer.id})"

    def _display(self, index: int, token_id: int, special: bool, token: str) -> str:
        key = (token_id, special, token)
        shown = self._displays.get(key)
        if shown is None:  # once per distinct token: the vocabulary bounds this cache
            shown = self._displays[key] = self.result.token(index, self.columns).display
        return shown

    def _bytes_hex(
        self, index: int, token_id: int, special: bool, control: bool, typed: bytes
    ) -> str:
        """What the token stands for, in hex (``result.token_bytes``): the same for every
        occurrence of an id, except an unknown token, which stands for the text it replaced."""
        if special:
            return ""
        if token_id == self._unk_id and not control:
            return typed.hex(" ").upper()
        shown = self._hexes.get(token_id)
        if shown is None:  # once per distinct id: the vocabulary bounds this cache
            shown = self._hexes[token_id] = (
                self.result.token_bytes(index, self.columns).hex(" ").upper()
            )
        return shown

    def chunk(self, start: int, stop: int) -> dict[str, list[Any]]:
        """Rows [start, stop) as one list of plain values per key."""
        cols = self.columns
        part = slice(start, stop)
        ids = cols.ids[part].tolist()
        tokens = list(cols.tokens[part])
        special = cols.special[part].tolist()
        seq = cols.sequence_ids[part].tolist()
        b0 = cols.byte_start[part].tolist()
        b1 = cols.byte_end[part].tolist()
        texts = self._texts
        display = self._display
        words = cols.word_ids[part].tolist()
        control = cols.control[part].tolist()
        values: dict[str, list[Any]] = {
            "index": list(range(start, stop)),
            "id": ids,
            "token": tokens,
            "display": [
                display(start + i, t, s, tok)
                for i, (t, s, tok) in enumerate(zip(ids, special, tokens, strict=True))
            ],
            "start": cols.char_start[part].tolist(),
            "end": cols.char_end[part].tolist(),
            "byte_start": b0,
            "byte_end": b1,
            "bytes": [
                self._bytes_hex(start + i, t, s, c, texts[q][a:b] if q >= 0 else b"")
                for i, (t, q, s, c, a, b) in enumerate(
                    zip(ids, seq, special, control, b0, b1, strict=True)
                )
            ],
            "special": special,
            "control": control,
            "partial": cols.partial[part].tolist(),
            "group": cols.group[part].tolist(),
            "word_id": [None if w < 0 else w for w in words],
            "sequence_id": [None if q < 0 else q for q in seq],
        }
        for name, column in self.extra.items():  # numpy columns as plain numbers
            piece = column[part]
            values[name] = piece.tolist() if isinstance(piece, np.ndarray) else list(piece)
        return values

    def chunks(self) -> Iterator[tuple[int, dict[str, list[Any]]]]:
        for start in range(0, len(self), CHUNK):
            yield start, self.chunk(start, min(start + CHUNK, len(self)))

    def _dicts(self, start: int, stop: int) -> list[dict[str, Any]]:
        values = self.chunk(start, stop)
        columns = [values[key] for key in self.keys]
        return [dict(zip(self.keys, row, strict=True)) for row in zip(*columns, strict=True)]

    @overload
    def __getitem__(self, index: int) -> dict[str, Any]: ...
    @overload
    def __getitem__(self, index: slice) -> list[dict[str, Any]]: ...
    def __getitem__(self, index: int | slice) -> dict[str, Any] | list[dict[str, Any]]:
        if isinstance(index, slice):
            start, stop, step = index.indices(len(self))
            if step != 1:
                return [self[i] for i in range(start, stop, step)]
            return self._dicts(start, max(start, stop))
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError("token index out of range")
        return self._dicts(index, index + 1)[0]

    def __iter__(self) -> Iterator[dict[str, Any]]:
        for start in range(0, len(self), CHUNK):
            yield from self._dicts(start, min(start + CHUNK, len(self)))


def window_section(
    result: EncodingResult,
    columns: TokenColumns,
    extra: Mapping[str, Sequence[Any]] | None = None,
) -> dict[str, Any]:
    """The per-token keys of one window (report@1 order), read from the columns when written."""
    uses_types = result.tokenizer.uses_token_type_ids
    return {
        "tokens": TokenRows(result, columns, extra),
        "ids": ColumnList(columns.ids),
        "attention_mask": ColumnList(columns.attention_mask),
        "token_type_ids": ColumnList(columns.type_ids) if uses_types else None,
        "special_tokens_mask": ColumnList(columns.special.astype(np.int8)),
    }


def materialize(value: Any) -> Any:
    """The report with its lazy parts as plain lists and dicts (what ``json.loads`` of the
    JSON gives back; for tests and for callers that need a plain structure)."""
    if isinstance(value, (TokenRows, ColumnList)):
        return list(value)
    if isinstance(value, dict):
        return {key: materialize(item) for key, item in value.items()}
    if isinstance(value, list):
        return [materialize(item) for item in value]
    return value
