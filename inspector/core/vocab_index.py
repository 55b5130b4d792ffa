"""A tokenizer's vocabulary as flat arrays: every token's code points end to end, where each
ends, and its id, in the order of ``vocab()``.

Why: a window reads vocabularies on worker threads beside the GUI thread, and any per-token
Python work there (o200k: a 200k-entry dict, a scan of 200k strings) holds Python's lock in
slices the GUI thread waits for. Here a vocabulary is built from tables the tokenizer already
has (tiktoken's rank bytes, the encode process's tables) and searched with numpy (whose loops
let go of the lock): no Python object per token.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import TypeVar

import numpy as np

from inspector.core.array_slices import join

T = TypeVar("T", str, bytes)
ENTRY_SLICE = 1 << 14  # entries per C call while building: ~1 ms each
_HASH_BASE = 0x100000001B3  # FNV's prime: odd, so its powers mod 2**64 do not vanish
_MASK = (1 << 64) - 1


def code_points(text: str) -> np.ndarray:
    """The text's code points, one uint32 each (a lone surrogate as itself, as ``str`` has it)."""
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)


def text_of(codes: np.ndarray) -> str:
    return codes.tobytes().decode("utf-32-le", "surrogatepass")


@dataclass(frozen=True, eq=False)
class VocabIndex:
    """``vocab()`` as arrays: entry ``e`` is ``text_of(codes[starts[e]:ends[e]])`` → ``ids[e]``,
    entries in the dict's order (its strings are distinct)."""

    codes: np.ndarray  # uint32, every entry's code points end to end
    ends: np.ndarray  # int64 per entry: where its code points end
    ids: np.ndarray  # int64 per entry

    def __len__(self) -> int:
        return len(self.ends)

    def __getstate__(self) -> dict[str, object]:
        """Sent without ``starts`` and ``lengths`` (quick to make again); with the hash table
        when it is made (the encode process makes it: ``token_to_id`` reads it)."""
        return {k: v for k, v in self.__dict__.items() if k not in ("starts", "lengths")}

    @cached_property
    def starts(self) -> np.ndarray:
        starts = np.zeros(len(self.ends), dtype=np.int64)
        starts[1:] = self.ends[:-1]
        return starts

    @cached_property
    def lengths(self) -> np.ndarray:
        return self.ends - self.starts

    def string(self, entry: int) -> str:
        return text_of(self.codes[self.starts[entry] : self.ends[entry]])

    def strings(self) -> list[str]:
        """Every entry's string, in order (a Python object per entry: for ``vocab()``)."""
        text = text_of(self.codes)
        ends = self.ends.tolist()
        return [text[start:end] for start, end in zip([0, *ends[:-1]], ends, strict=True)]

    def to_dict(self) -> dict[str, int]:
        return dict(zip(self.strings(), self.ids.tolist(), strict=True))

    # -- exact lookup --------------------------------------------------------------------
    def entry_of(self, text: str) -> int | None:
        """The entry whose string is ``text`` (None: no such entry), through a hash of every
        entry built once (numpy) and a binary search: no dict of Python strings."""
        hashes, order = self._hash_table
        key = np.uint64(_hash_text(text))
        low, high = np.searchsorted(hashes, key, side="left"), np.searchsorted(hashes, key, "right")
        for entry in order[low:high].tolist():
            if self.string(entry) == text:
                return int(entry)
        return None

    def id_of(self, text: str) -> int | None:
        entry = self.entry_of(text)
        return None if entry is None else int(self.ids[entry])

    @cached_property
    def _hash_table(self) -> tuple[np.ndarray, np.ndarray]:
        """Every entry's hash, sorted, and the entries in that order."""
        hashes = _hash_codes(self.codes, self.starts, self.ends)
        order = np.argsort(hashes, kind="stable")
        return hashes[order], order

    # -- changes -------------------------------------------------------------------------
    def appended(self, entries: Iterable[tuple[str, int]]) -> VocabIndex:
        """This index with new strings (none already here) last, in order."""
        added = list(entries)
        if not added:
            return self
        extra = [code_points(text) for text, _ in added]
        return from_parts(
            np.concatenate([self.codes, *extra]).astype(np.uint32, copy=False),
            np.concatenate([self.lengths, [len(codes) for codes in extra]]).astype(np.int64),
            np.concatenate([self.ids, [token_id for _, token_id in added]]).astype(np.int64),
        )

    def updated(self, changes: Iterable[tuple[str, int | None]]) -> VocabIndex:
        """The index of this dict after, in turn, ``d[s] = i`` (an id) or ``del d[s]`` (None):
        a string already there keeps its place, a new one goes last."""
        ids = self.ids.copy()
        dropped: list[int] = []
        added: list[tuple[str, int]] = []
        for text, token_id in changes:
            entry = self.entry_of(text)
            if token_id is None:
                if entry is not None:
                    dropped.append(entry)
            elif entry is None:
                added.append((text, token_id))
            else:
                ids[entry] = token_id
        if not dropped and not added:
            return VocabIndex(self.codes, self.ends, ids)
        kept = np.ones(len(ids), dtype=bool)
        kept[dropped] = False
        starts, lengths = self.starts[kept], self.lengths[kept]
        # the kept entries' code points: each kept entry's run, gathered
        pos = np.repeat(starts - (np.cumsum(lengths) - lengths), lengths)
        codes = self.codes[pos + np.arange(len(pos), dtype=np.int64)]
        return from_parts(codes, lengths, ids[kept]).appended(added)


def from_parts(codes: np.ndarray, lengths: np.ndarray, ids: np.ndarray) -> VocabIndex:
    return VocabIndex(codes, np.cumsum(lengths, dtype=np.int64), ids.astype(np.int64, copy=False))


def index_of_vocab(vocab: Mapping[str, int]) -> VocabIndex:
    """Any tokenizer's ``vocab()`` dict as an index (the tokenizers held in a window build
    theirs from their own tables instead)."""
    return index_of_tokens(
        list(vocab), list(vocab.values()), lambda part: code_points("".join(part))
    )


def index_of_tokens(
    tokens: Sequence[T], ids: Sequence[int], codes_of: Callable[[list[T]], np.ndarray]
) -> VocabIndex:
    """The index of ``tokens[e] → ids[e]``, where ``codes_of`` gives the code points of a
    slice of tokens joined. Built a slice of entries at a time: joining 200k strings or bytes
    in one C call held Python's lock 30-60 ms on a loaded machine."""
    codes, lengths, id_parts = [], [], []
    for start in range(0, len(tokens), ENTRY_SLICE):
        part = list(tokens[start : start + ENTRY_SLICE])
        codes.append(codes_of(part))
        lengths.append(np.fromiter(map(len, part), dtype=np.int64, count=len(part)))
        id_parts.append(np.array(ids[start : start + ENTRY_SLICE], dtype=np.int64))
    return from_parts(join(codes, np.uint32), join(lengths, np.int64), join(id_parts, np.int64))


def bytes_repeat(tokens: Sequence[bytes], lengths: np.ndarray) -> bool:
    """Whether some bytes string occurs twice in ``tokens`` (``lengths``: each one's length):
    hashes compared in numpy, a slice at a time, and only the strings that share a hash
    compared exactly (no set of 200k bytes: see sources.RankTable)."""
    codes = join(
        [
            np.frombuffer(b"".join(tokens[a : a + ENTRY_SLICE]), dtype=np.uint8)
            for a in range(0, len(tokens), ENTRY_SLICE)
        ],
        np.uint8,
    )
    ends = np.cumsum(lengths, dtype=np.int64)
    hashes = _hash_codes(codes, ends - lengths, ends)
    ordered = np.sort(hashes)  # numpy sorts without Python's lock
    shared = ordered[1:][ordered[1:] == ordered[:-1]]
    if not len(shared):
        return False
    alike = [tokens[i] for i in np.flatnonzero(np.isin(hashes, shared)).tolist()]
    return len(set(alike)) < len(alike)


def _hash_codes(codes: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """``_hash_runs`` a slice of entries at a time (one pass over o200k's 1.3M code points
    held Python's lock ~50 ms)."""
    out = np.empty(len(ends), dtype=np.uint64)
    for a in range(0, len(ends), ENTRY_SLICE):
        b = min(len(ends), a + ENTRY_SLICE)
        first = starts[a]
        run = codes[first : ends[b - 1]]
        out[a:b] = _hash_runs(run, starts[a:b] - first, ends[a:b] - first)
    return out


def _hash_runs(codes: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """A polynomial hash (mod 2**64) of each run ``codes[starts[e]:ends[e]]``, which lie end to
    end from 0 (``_hash_text`` of its string)."""
    lengths = ends - starts
    longest = int(lengths.max(initial=0))
    if not longest:
        return lengths.astype(np.uint64)
    powers = np.cumprod(np.full(longest, _HASH_BASE, dtype=np.uint64))  # base ** (1 + offset)
    offset = np.arange(len(codes), dtype=np.int64) - np.repeat(starts, lengths)
    weighted = codes.astype(np.uint64) * powers[offset]
    sums = np.zeros(len(codes) + 1, dtype=np.uint64)
    np.cumsum(weighted, out=sums[1:])
    return (sums[ends] - sums[starts]) + lengths.astype(np.uint64)


def _hash_text(text: str) -> int:
    """``_hash_codes`` of one string, in Python (a lookup hashes a short string)."""
    total, power = len(text), 1
    for char in text:
        power = power * _HASH_BASE & _MASK
        total = total + ord(char) * power & _MASK
    return total
