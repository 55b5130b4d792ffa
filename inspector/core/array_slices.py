"""Whole-column numpy work done a slice at a time, so that a worker thread never holds
Python's lock for long.

numpy lets go of Python's lock inside many of its loops, but not around all of the work: casts
and mixed-type arithmetic, boolean indexing, ``flatnonzero``, ``reduceat`` and the allocation of
each result hold it. Over the 2.7 M tokens of a 5 MB result one such call holds it 3-15 ms, more
on a loaded machine, and the GUI thread waits that long for a slot or a paint. Over a slice of
:data:`SLICE` elements a call is a fraction of a millisecond, and Python hands the lock over
between two calls. Every helper gives exactly what the whole-array call gives.
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

import numpy as np

SLICE = 1 << 18  # elements per slice: 262,144 int64 are 2 MB, well under a millisecond a call

# Set while workers may run; cleared while the GUI thread paints (:func:`workers_wait`).
_workers_may_run = threading.Event()
_workers_may_run.set()
_pauses = 0  # nested pauses (only the GUI thread pauses: no lock needed)
_pausing_thread: int | None = None  # its own slice loops (a paint's) never wait
_LONGEST_WAIT_S = 0.1  # a worker never waits longer than this on one pause


@contextmanager
def workers_wait() -> Iterator[None]:
    """While the block runs (a paint on the GUI thread), the slice loops of worker threads
    wait at their next slice.

    A paint calls back into Python for each cell it draws; each callback takes Python's lock
    back from a worker running slices, and waits up to the switch interval for it: the token
    table's paint beside the strip's layout of a 5 MB result took 16 ms of CPU and 28 ms of
    wall time. Waiting workers do not hold the lock."""
    global _pauses, _pausing_thread
    _pauses += 1
    _pausing_thread = threading.get_ident()
    _workers_may_run.clear()
    try:
        yield
    finally:
        _pauses -= 1
        if _pauses == 0:
            _workers_may_run.set()


def _step_aside() -> None:
    """Wait while the GUI thread paints, unless this is the GUI thread."""
    if not _workers_may_run.is_set() and threading.get_ident() != _pausing_thread:
        _workers_may_run.wait(_LONGEST_WAIT_S)


def slices(n: int) -> Iterator[tuple[int, int]]:
    """``(start, stop)`` of consecutive slices covering ``range(n)``, :data:`SLICE` long; each
    waits while the GUI thread paints (:func:`workers_wait`)."""
    step = SLICE  # read at call time: the tests make it small to cross many boundaries
    for start in range(0, n, step):
        _step_aside()
        yield start, min(n, start + step)


def elementwise(fn: Callable[[int, int], np.ndarray], n: int, dtype: np.dtype | type) -> np.ndarray:
    """An ``n``-element array whose slice ``[a:b]`` is ``fn(a, b)`` (``fn`` reads its own
    inputs' slices: it may look one element ahead)."""
    out = np.empty(n, dtype=dtype)
    for a, b in slices(n):
        out[a:b] = fn(a, b)
    return out


def take(table: np.ndarray, index: np.ndarray) -> np.ndarray:
    """``table[index]`` for a 1-D integer ``index``."""
    return elementwise(lambda a, b: table[index[a:b]], len(index), table.dtype)


def flatnonzero(mask: np.ndarray) -> np.ndarray:
    """``np.flatnonzero(mask)`` of a 1-D ``mask``."""
    return join([np.flatnonzero(mask[a:b]) + a for a, b in slices(len(mask))], np.intp)


def join(parts: list[np.ndarray], dtype: np.dtype | type) -> np.ndarray:
    """``np.concatenate(parts)`` (1-D) copied a slice at a time: one copy of millions of
    values is one long hold of the lock."""
    out = np.empty(sum(len(part) for part in parts), dtype=dtype)
    at = 0
    for part in parts:
        for a, b in slices(len(part)):
            out[at + a : at + b] = part[a:b]
        at += len(part)
    return out


def put(target: np.ndarray, index: np.ndarray, value: Any) -> None:
    """``target[index] = value`` for a 1-D integer ``index``."""
    for a, b in slices(len(index)):
        target[index[a:b]] = value


def cumsum_into(values: np.ndarray, out: np.ndarray) -> np.ndarray:
    """``np.cumsum(values, out=out)`` for integer ``values`` (exact: integer sums)."""
    carry = out.dtype.type(0)
    for a, b in slices(len(values)):
        np.cumsum(values[a:b], out=out[a:b])
        out[a:b] += carry
        carry = out[b - 1]
    return out


def any_in_runs(mask: np.ndarray, run_starts: np.ndarray) -> np.ndarray:
    """``np.logical_or.reduceat(mask, run_starts)`` for strictly increasing ``run_starts``
    (run k is ``mask[run_starts[k]:run_starts[k + 1]]``, the last one to the end)."""
    runs = len(run_starts)
    out = np.empty(runs, dtype=bool)
    for a, b in slices(runs):
        first = int(run_starts[a])
        stop = int(run_starts[b]) if b < runs else len(mask)
        out[a:b] = np.logical_or.reduceat(mask[first:stop], run_starts[a:b] - first)
    return out


def release_arrays(holder: list[Any]) -> None:
    """Empty ``holder``, freeing the arrays its objects hold one at a time.

    Freeing a 22 MB array gives its pages back to the system with Python's lock held; the
    dozen columns of a 2.7 M-token layout dropped at once held it ~4 ms. One at a time, the
    lock can change hands between them. Objects someone else still holds lose nothing."""
    arrays = [
        value for obj in holder for value in vars(obj).values() if isinstance(value, np.ndarray)
    ]
    holder.clear()  # the objects go; their arrays stay in ``arrays`` until popped
    while arrays:
        arrays.pop()


def any_true(test: Callable[[np.ndarray], np.ndarray], values: np.ndarray) -> bool:
    """``test(values).any()`` for an elementwise ``test``, stopping at the first slice that has
    one."""
    return any(bool(test(values[a:b]).any()) for a, b in slices(len(values)))


ITER_SLICE = 1 << 15  # Python values per np.fromiter call: 200k at once held the lock ~5 ms


def int64_array(values: Iterable[int], count: int) -> np.ndarray:
    """``np.fromiter(values, np.int64, count)`` a slice at a time (each value is a Python
    object to convert: a slice is 8× shorter than :data:`SLICE`)."""
    out = np.empty(count, dtype=np.int64)
    items = iter(values)
    for start in range(0, count, ITER_SLICE):
        _step_aside()
        stop = min(start + ITER_SLICE, count)
        out[start:stop] = np.fromiter(itertools.islice(items, stop - start), np.int64, stop - start)
    return out


def repeat(values: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """``np.repeat(values, counts)`` for 1-D ``values`` and non-negative integer ``counts``."""
    ends = cumsum_into(counts, np.empty(len(counts), dtype=np.int64))
    out = np.empty(int(ends[-1]) if len(ends) else 0, dtype=values.dtype)
    for a, b in slices(len(values)):
        lo = int(ends[a - 1]) if a else 0
        out[lo : int(ends[b - 1])] = np.repeat(values[a:b], counts[a:b])
    return out
