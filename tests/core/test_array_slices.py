"""The slice-at-a-time helpers give exactly the whole-array numpy call, at every length around
the slice size."""

from __future__ import annotations

import threading
import weakref

import numpy as np
import pytest

from inspector.core import array_slices

STEP = 8


@pytest.fixture(autouse=True)
def small_slices(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(array_slices, "SLICE", STEP)


@pytest.mark.parametrize("n", [0, 1, STEP - 1, STEP, STEP + 1, 3 * STEP, 3 * STEP + 5])
def test_helpers_equal_the_whole_array_calls(n: int) -> None:
    rng = np.random.default_rng(n)
    values = rng.integers(-50, 50, n).astype(np.int64)
    mask = rng.random(n) < 0.3
    table = rng.integers(0, 1000, 40).astype(np.int32)
    index = rng.integers(0, 40, n)
    assert [b - a for a, b in array_slices.slices(n)] == [
        min(STEP, n - a) for a in range(0, n, STEP)
    ]
    doubled = array_slices.elementwise(lambda a, b: values[a:b] * 2, n, np.int64)
    assert np.array_equal(doubled, values * 2)
    taken = array_slices.take(table, index)
    assert taken.dtype == table.dtype and np.array_equal(taken, table[index])
    found = array_slices.flatnonzero(mask)
    assert found.dtype == np.flatnonzero(mask).dtype
    assert np.array_equal(found, np.flatnonzero(mask))
    parts = [values[: n // 3], values[n // 3 :], values[:0], values]
    joined = array_slices.join(parts, np.int64)
    assert np.array_equal(joined, np.concatenate(parts))
    placed, expected = np.zeros(40, dtype=np.int64), np.zeros(40, dtype=np.int64)
    array_slices.put(placed, index, 7)
    expected[index] = 7
    assert np.array_equal(placed, expected)
    summed = array_slices.cumsum_into(values, np.zeros(n, dtype=np.int64))
    assert np.array_equal(summed, np.cumsum(values))
    if n:
        starts = np.flatnonzero(np.r_[True, rng.random(n - 1) < 0.4])
        ran = array_slices.any_in_runs(mask, starts)
        assert np.array_equal(ran, np.logical_or.reduceat(mask, starts))


class Held:
    def __init__(self) -> None:
        self.values = np.arange(10)
        self.name = "not an array"


def test_release_arrays_frees_what_no_one_else_holds() -> None:
    alone, shared = Held(), Held()
    alone_values = weakref.ref(alone.values)
    holder: list[object] = [alone, shared]
    del alone
    array_slices.release_arrays(holder)
    assert holder == []
    assert alone_values() is None
    assert np.array_equal(shared.values, np.arange(10))  # still someone's: untouched


@pytest.mark.parametrize("n", [0, 1, STEP - 1, STEP, STEP + 1, 3 * STEP + 5])
def test_char_to_byte_and_any_true_in_slices(n: int) -> None:
    from inspector.core.offsets import char_to_byte, utf8_starts

    text = ("aé中😀\n\udc80" * 10)[:n]
    want = np.zeros(n + 1, dtype=np.int64)
    want[1:] = np.cumsum([len(c.encode("utf-8", "surrogatepass")) for c in text])
    assert np.array_equal(char_to_byte(text), want)
    starts = np.zeros(int(want[-1]) + 1, dtype=bool)
    starts[want] = True  # the bytes that start a character, and the end
    assert np.array_equal(utf8_starts(text.encode("utf-8", "surrogatepass")), starts)
    values = np.arange(n)
    for probe in (-1, 0, n - 1, STEP, 2 * STEP + 3):
        assert array_slices.any_true(lambda v, p=probe: v == p, values) == (0 <= probe < n)


@pytest.mark.parametrize("n", [0, 1, STEP - 1, STEP, STEP + 1, 3 * STEP + 5])
def test_repeat_equals_np_repeat(n: int) -> None:
    rng = np.random.default_rng(n)
    values = rng.integers(-9, 9, n).astype(np.int32)
    counts = rng.integers(0, 4, n)
    got = array_slices.repeat(values, counts)
    assert got.dtype == values.dtype and np.array_equal(got, np.repeat(values, counts))


def test_workers_wait_while_the_gui_thread_paints() -> None:
    """Inside ``workers_wait`` another thread's slice loop stops at its next slice and goes
    on when the block ends; the pausing thread's own loops never wait."""
    started, progress = threading.Event(), []

    def worker() -> None:
        for a, _b in array_slices.slices(40 * STEP):
            progress.append(a)
            if a == 0:
                started.set()

    with array_slices.workers_wait():
        with array_slices.workers_wait():  # nested: the outer block still holds them
            pass
        thread = threading.Thread(target=worker)
        thread.start()
        assert not started.wait(0.05)  # held before its first slice
        assert list(array_slices.slices(3 * STEP)) == [(0, 8), (8, 16), (16, 24)]  # not held
    thread.join(5)
    assert not thread.is_alive() and progress == list(range(0, 40 * STEP, STEP))
