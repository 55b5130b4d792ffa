"""The vocabulary lookup (numpy over a ``VocabIndex``) finds exactly what the scan of
``vocab()`` in Python found, row for row: real catalog tokenizers (tiktoken, WordPiece,
byte-level BPE, sentencepiece), loaded here, held in the encode process, and a what-if copy."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import numpy as np
import pytest

from inspector.core.catalog import Catalog
from inspector.core.encode_process import EncodeProcess
from inspector.core.remote_copy import RemoteTokenizer, WhatIfCopy, what_if_copy
from inspector.core.tiktoken_fast import TiktokenTokenizer
from inspector.core.tokenizer import LoadedTokenizer
from inspector.core.vocab_index import index_of_vocab
from inspector.core.vocab_lookup import (
    MAX_MATCHES,
    VocabMatches,
    display_of,
    find_tokens,
    id_row,
    query_forms,
)

NAMES = ["gpt2", "o200k_base", "minilm", "smollm2", "mistral-v3"]
# Byte-level and ▁ spellings, CJK, emoji, numbers (ids too), accents, specials, whitespace,
# one letter (more matches than shown), none at all, the empty query.
QUERIES = [
    " the",
    "the",
    "Ġthe",
    "▁the",
    "自然",
    "语言处理",
    "😀",
    "2024",
    "#2048",
    "50256 ",
    "é",
    "Straße",
    "##ing",
    "ing ",
    "The Quick",
    "<|endoftext|>",
    "<s>",
    "[CLS]",
    "e",
    " ",
    "\n",
    "zzqxjv",
    "\u2603\u2603\u2603",
    "",
]


def find_tokens_in_python(
    tok: LoadedTokenizer,
    vocabulary: Sequence[tuple[str, int]],
    query: str,
    special_ids: frozenset[int],
    limit: int = MAX_MATCHES,
) -> VocabMatches:
    """The lookup as it was before the numpy scan (branch tokchange), kept as the reference."""
    by_id, by_id_token, rows = id_row(tok, query, special_ids)  # as it was, moved
    forms = query_forms(tok.facts, query)
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


@pytest.fixture(scope="module")
def process() -> Iterator[EncodeProcess]:
    worker = EncodeProcess()
    yield worker
    worker.close()


def assert_same_lookups(tok: LoadedTokenizer, queries: Sequence[str] = QUERIES) -> None:
    vocab = tok.vocab()
    index = tok.vocab_index()
    assert index.to_dict() == vocab
    assert len(index) == len(vocab)  # its strings are distinct, as a dict's
    pairs = list(vocab.items())
    special_ids = frozenset(t.id for t in tok.facts.special_tokens)
    for query in queries:
        want = find_tokens_in_python(tok, pairs, query, special_ids)
        assert find_tokens(tok, index, query, special_ids) == want, (tok.facts.id, query)
    few = find_tokens_in_python(tok, pairs, "a", special_ids, limit=7)
    assert find_tokens(tok, index, "a", special_ids, limit=7) == few


@pytest.mark.parametrize("name", NAMES)
def test_lookups_equal_the_python_scan(catalog: Catalog, name: str) -> None:
    tok = catalog.load(name)
    assert_same_lookups(tok)
    if isinstance(tok, TiktokenTokenizer):  # built from the ranks, in vocab()'s own order
        assert list(tok.vocab_index().to_dict()) == list(tok.vocab())


@pytest.mark.parametrize("name", ["minilm", "smollm2", "mistral-v3"])
def test_lookups_in_a_tokenizer_held_in_the_encode_process(
    process: EncodeProcess, catalog: Catalog, name: str
) -> None:
    light = Catalog(load_process=process).load(name)
    assert isinstance(light, RemoteTokenizer)
    assert_same_lookups(light)
    real = catalog.load(name)
    special_ids = frozenset(t.id for t in real.facts.special_tokens)
    for query in QUERIES:
        want = find_tokens_in_python(real, list(real.vocab().items()), query, special_ids)
        assert find_tokens(light, light.vocab_index(), query, special_ids) == want, query


@pytest.mark.parametrize("special", [False, True])
def test_lookups_in_a_what_if_copy(process: EncodeProcess, catalog: Catalog, special: bool) -> None:
    base = catalog.load("o200k_base")
    assert isinstance(base, TiktokenTokenizer)
    tokens = ["<|mine|>", "<|endoftext|>", "hello"] if special else ["lo wor", "中文x", "Ġthe"]
    copy = what_if_copy(base, tokens, special, process)
    assert isinstance(copy, WhatIfCopy)
    assert_same_lookups(copy, [*tokens, " the", "中文", "lo", "mine", "2024", "200019"])


def test_an_index_answers_lookups_and_changes_as_a_dict() -> None:
    vocab = {"ab": 3, "b": 1, "": 7, "abc": 0, "\ud800x": 9, "😀": 4}
    index = index_of_vocab(vocab)
    assert index.to_dict() == vocab and list(index.to_dict()) == list(vocab)
    for text in [*vocab, "a", "abcd", "x", "😀😀"]:
        assert index.id_of(text) == vocab.get(text), text
    changes: list[tuple[str, int | None]] = [("b", 5), ("new", 8), ("", None), ("gone", None)]
    changed = dict(vocab)
    for text, token_id in changes:
        if token_id is None:
            changed.pop(text, None)
        else:
            changed[text] = token_id
    updated = index.updated(changes)
    assert list(updated.to_dict().items()) == list(changed.items())
    assert updated.id_of("new") == 8 and updated.id_of("") is None
    np.testing.assert_array_equal(index.ids, list(vocab.values()))  # left as it was
