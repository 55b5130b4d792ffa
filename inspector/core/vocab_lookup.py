"""Vocabulary lookup both ways: an id → its token; any text → the tokens that contain it.

Plain data in and out, so the tokenizer panel can run it on a worker. The text search runs
in numpy over the tokenizer's ``VocabIndex``: a scan of o200k's 200k tokens in Python held
Python's lock 0.1–1 s beside the GUI thread (and on it, before it ran on a worker).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from inspector.core.array_slices import flatnonzero
from inspector.core.display import display_token
from inspector.core.tokenizer import LoadedTokenizer, TokenizerFacts, byte_level_alphabet
from inspector.core.vocab_index import VocabIndex, code_points

MAX_MATCHES = 500

Row = tuple[int, str, str]  # id, token, display


@dataclass(frozen=True)
class VocabMatches:
    query: str
    rows: tuple[Row, ...]  # the id's own row first (if any), then the best matches
    by_id: int | None  # the query is a number: this id was looked up
    by_id_token: str | None  # that id's token (None: the vocabulary has no such id)
    total: int  # tokens that contain the query (the id's own row not counted)
    shown: int  # of those, how many are in ``rows``


def query_forms(facts: TokenizerFacts, query: str) -> list[str]:
    """The query as the vocabulary spells it: ' the' is 'Ġthe' (byte-level), '▁the' (▁)."""
    forms = [query]
    if facts.lowercases:
        forms.append(query.lower())
    if facts.byte_level:
        alphabet = byte_level_alphabet()
        forms.append("".join(alphabet[b] for b in query.encode("utf-8", "surrogatepass")))
    spaced_by_marks = "SentencePiece" in facts.algorithm or "Metaspace" in (
        facts.pre_tokenizer or ""
    )
    if " " in query and spaced_by_marks:
        forms.append(query.replace(" ", "▁"))
    elif not facts.byte_level and not spaced_by_marks:
        forms.append(query.strip())  # WordPiece vocabularies hold no spaces
        if facts.lowercases:
            forms.append(query.strip().lower())
    return list(dict.fromkeys(f for f in forms if f))


def display_of(tok: LoadedTokenizer, special_ids: frozenset[int], token: str, token_id: int) -> str:
    special = token_id in special_ids
    raw = None if special else tok.token_bytes(token_id)
    return display_token(token, raw, special, tok.facts.algorithm)


def id_row(
    tok: LoadedTokenizer, query: str, special_ids: frozenset[int]
) -> tuple[int | None, str | None, list[Row]]:
    """A query that is a number (``#`` allowed): that id, its token, and its row if it has one."""
    number = query.strip().lstrip("#")
    if not number.isdigit():
        return None, None, []
    by_id = int(number)
    token = tok.id_to_token(by_id)
    rows = [] if token is None else [(by_id, token, display_of(tok, special_ids, token, by_id))]
    return by_id, token, rows


def find_tokens(
    tok: LoadedTokenizer,
    vocabulary: VocabIndex,
    query: str,
    special_ids: frozenset[int],
    limit: int = MAX_MATCHES,
) -> VocabMatches:
    """A number finds the token with that id; any text finds the tokens that contain it
    (the number's text too: "2024" may be a token). Exact matches come first, then tokens
    that start with it, then shorter before longer, then by id, then in the vocabulary's
    order; at most ``limit`` rows."""
    by_id, by_id_token, rows = id_row(tok, query, special_ids)
    hit, prefix, exact = _contains(vocabulary, query_forms(tok.facts, query))
    matches = np.flatnonzero(hit)
    if by_id is not None:
        matches = matches[vocabulary.ids[matches] != by_id]
    order = _ranked(vocabulary, matches, prefix, exact)
    best = matches[order][: limit - len(rows)].tolist()
    for entry in best:
        token, token_id = vocabulary.string(entry), int(vocabulary.ids[entry])
        rows.append((token_id, token, display_of(tok, special_ids, token, token_id)))
    return VocabMatches(query, tuple(rows), by_id, by_id_token, len(matches), len(best))


def _ranked(
    vocabulary: VocabIndex, matches: np.ndarray, prefix: np.ndarray, exact: np.ndarray
) -> np.ndarray:
    """The order of ``matches`` (entries in the vocabulary's order): exact, prefix, length, id,
    as one int64 key and a stable sort (a lexsort of 62k matches held Python's lock ~8 ms)."""
    ids, lengths = vocabulary.ids[matches], vocabulary.lengths[matches]
    if len(matches) and (ids.min() < 0 or ids.max() >= 1 << 32 or lengths.max() >= 1 << 29):
        return np.lexsort((matches, ids, lengths, ~prefix[matches], ~exact[matches]))
    key = (~exact[matches]).astype(np.int64) << 62
    key |= (~prefix[matches]).astype(np.int64) << 61
    key |= lengths << 32
    key |= ids
    return np.argsort(key, kind="stable")


def _contains(
    vocabulary: VocabIndex, forms: list[str]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per entry: it contains one of the forms, starts with one, is one (Python's ``in``,
    ``startswith`` and ``==`` on code points), found with numpy over all entries at once."""
    codes, ends, starts = vocabulary.codes, vocabulary.ends, vocabulary.starts
    hit = np.zeros(len(vocabulary), dtype=bool)
    prefix, exact = hit.copy(), hit.copy()
    for form in forms:
        wanted = code_points(form)
        size = len(wanted)
        if size > len(codes):
            continue
        # where the form could begin, narrowed one code point at a time
        at = flatnonzero(codes[: len(codes) - size + 1] == wanted[0])
        for k in range(1, size):
            at = at[codes[at + k] == wanted[k]]
        entry = np.searchsorted(ends, at, side="right")
        inside = at + size <= ends[entry]  # not running on into the next entry
        at, entry = at[inside], entry[inside]
        hit[entry] = True
        first = entry[at == starts[entry]]
        prefix[first] = True
        exact[first[vocabulary.lengths[first] == size]] = True
    return hit, prefix, exact
