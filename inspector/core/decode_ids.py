"""Decode ids the way the tutorials do: ``[7993, 170, 11303]`` → tokens and text.

Accepts what a learner pastes: a Python/JSON list (``[101, 7592, 102]``), nested lists or a
printed tensor (``tensor([[101, 7592, 102]])``), or ids separated by spaces, commas or
semicolons (the rows of a batch are read one after another). Gives each id's token and
decode, and the whole decode with and without ``skip_special_tokens``; ids the vocabulary
does not have are named, not decoded.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from inspector.core.errors import InputError
from inspector.core.tokenizer import LoadedTokenizer

# Per-id rows beyond this are not built (the joined decode still covers every id).
MAX_ROWS = 5000
MAX_ID = 2**31 - 1
_WRAPPER = re.compile(r"^\s*(?:tensor|array|np\.array|torch\.tensor)\s*\((.*)\)\s*$", re.DOTALL)
_DTYPE = re.compile(r",\s*(?:dtype|device)\s*=.*$", re.DOTALL)
_ALLOWED = re.compile(r"[\s\d,;\[\]()+\-]*")
_INTEGER = re.compile(r"[+-]?\d+")


class IdsInputError(InputError):
    """The pasted text is not a list of ids; the message says where.

    ``kind`` ("unexpected", "brackets", "empty"), ``position`` (1-based) and ``snippet`` let
    the window say the same in its own language.
    """

    def __init__(self, message: str, kind: str, position: int = 0, snippet: str = "") -> None:
        super().__init__(message)
        self.kind = kind
        self.position = position
        self.snippet = snippet


@dataclass(frozen=True)
class DecodedId:
    id: int
    known: bool  # the tokenizer has this id
    token: str | None  # the vocabulary string (convert_ids_to_tokens)
    text: str  # decode([id])
    text_skipping_special: str  # decode([id], skip_special_tokens=True)
    special: bool  # one of the tokenizer's special/control tokens


@dataclass(frozen=True)
class DecodedIds:
    ids: tuple[int, ...]
    rows: tuple[DecodedId, ...]  # the first MAX_ROWS ids
    text: str  # decode(known ids)
    text_skipping_special: str  # decode(known ids, skip_special_tokens=True)
    unknown: tuple[int, ...]  # ids the tokenizer does not have, in input order, once each

    @property
    def rows_cut(self) -> bool:
        return len(self.rows) < len(self.ids)


def parse_ids(text: str) -> list[int]:
    """The integers of a pasted list; a plain :class:`IdsInputError` for anything else."""
    body = text.strip()
    wrapped = _WRAPPER.match(body)
    if wrapped:
        body = _DTYPE.sub("", wrapped.group(1))
    allowed = _ALLOWED.match(body)
    end = allowed.end() if allowed else 0
    if end < len(body):
        shown = body[end : end + 12]
        raise IdsInputError(
            f"not a list of ids: unexpected '{shown}' at character {end + 1} "
            "(paste numbers like [101, 7592, 102] or 101 7592 102)",
            "unexpected",
            end + 1,
            shown,
        )
    if body.count("[") != body.count("]") or body.count("(") != body.count(")"):
        raise IdsInputError("not a list of ids: the brackets do not match", "brackets")
    numbers = [int(match.group()) for match in _INTEGER.finditer(body)]
    if not numbers:
        raise IdsInputError("no ids: paste numbers like [101, 7592, 102] or 101 7592 102", "empty")
    return numbers


def decode_ids(tokenizer: LoadedTokenizer, ids: list[int]) -> DecodedIds:
    """Tokens and decodes of ``ids`` in ``tokenizer``; unknown ids are listed, not decoded."""
    token_of: dict[int, str | None] = {}
    for token_id in dict.fromkeys(ids):  # each distinct id looked up once
        in_range = 0 <= token_id <= MAX_ID  # the libraries take 32-bit ids; beyond is unknown
        token_of[token_id] = tokenizer.id_to_token(token_id) if in_range else None
    known = [token_id for token_id in ids if token_of[token_id] is not None]
    unknown = tuple(token_id for token_id, token in token_of.items() if token is None)
    control = set(tokenizer.control_ids.tolist())
    shown = ids[:MAX_ROWS]
    # Every decode in one request: a tokenizer held in another process decodes there.
    requests = [([i], skip) for i in shown if token_of[i] is not None for skip in (False, True)]
    decoded = iter(tokenizer.decode_many([*requests, (known, False), (known, True)]))
    rows = []
    for token_id in shown:
        token = token_of[token_id]
        if token is None:
            rows.append(DecodedId(token_id, False, None, "", "", False))
            continue
        rows.append(
            DecodedId(
                id=token_id,
                known=True,
                token=token,
                text=next(decoded),
                text_skipping_special=next(decoded),
                special=token_id in control,
            )
        )
    return DecodedIds(
        ids=tuple(ids),
        rows=tuple(rows),
        text=next(decoded),
        text_skipping_special=next(decoded),
        unknown=unknown,
    )


def decode_text(tokenizer: LoadedTokenizer, pasted: str) -> DecodedIds:
    """Parse and decode in one step (the dialog's and the tests' entry point)."""
    return decode_ids(tokenizer, parse_ids(pasted))
