"""Vocabulary lookup both ways: an id → its token; any text → the tokens that contain it.

Plain data in and out, so the tokenizer panel can run it on a worker: a scan of o200k's
200k tokens in Python takes ~0.1–1 s, which on the GUI thread froze the window on every
typed query and on every tokenizer change with a query typed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from inspector.core.display import display_token
from inspector.core.tokenizer import LoadedTokenizer, TokenizerFacts, byte_level_alphabet

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


def find_tokens(
    tok: LoadedTokenizer,
    vocabulary: Sequence[tuple[str, int]],
    query: str,
    special_ids: frozenset[int],
    limit: int = MAX_MATCHES,
) -> VocabMatches:
    """A number finds the token with that id; any text finds the tokens that contain it
    (the number's text too: "2024" may be a token). Exact matches come first, then tokens
    that start with it, then shorter before longer; at most ``limit`` rows."""
    rows: list[Row] = []
    number = query.strip().lstrip("#")
    by_id: int | None = None
    by_id_token: str | None = None
    if number.isdigit():
        by_id = int(number)
        by_id_token = tok.id_to_token(by_id)
        if by_id_token is not None:
            rows.append((by_id, by_id_token, display_of(tok, special_ids, by_id_token, by_id)))
    forms = query_forms(tok.facts, query)
    # One plain comprehension per form (a generator per token was ~5x slower, and the scan
    # holds Python's lock beside the GUI thread); the vocabulary's order is kept.
    hits: set[int] = set()
    for form in forms:
        hits.update([i for i, (token, _) in enumerate(vocabulary) if form in token])
    matches = [vocabulary[i] for i in sorted(hits) if vocabulary[i][1] != by_id]

    def rank(item: tuple[str, int]) -> tuple[int, int, int, int]:
        token, token_id = item
        exact = token in forms
        prefix = any(token.startswith(f) for f in forms)
        return (not exact, not prefix, len(token), token_id)

    best = sorted(matches, key=rank)[: limit - len(rows)]
    rows += [(i, t, display_of(tok, special_ids, t, i)) for t, i in best]
    return VocabMatches(query, tuple(rows), by_id, by_id_token, len(matches), len(best))
