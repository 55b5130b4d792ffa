"""The rows of a table that is neither sorted nor filtered: row i shows token i.

Stands in for ``np.arange(n)`` where n is millions of tokens: building that array on the GUI
thread when a 5 MB result lands holds it for milliseconds to tens of milliseconds.
"""

from __future__ import annotations

from typing import overload

import numpy as np


class AllRows:
    """Indexes like ``np.arange(n)`` (an int or an int array of rows in range) without it."""

    def __init__(self, count: int) -> None:
        self.count = count

    def __len__(self) -> int:
        return self.count

    @overload
    def __getitem__(self, rows: int | np.integer) -> int: ...
    @overload
    def __getitem__(self, rows: np.ndarray) -> np.ndarray: ...
    def __getitem__(self, rows: int | np.integer | np.ndarray) -> int | np.ndarray:
        if isinstance(rows, np.ndarray):
            return rows.astype(np.int64, copy=True)
        row = int(rows)
        if not 0 <= row < self.count:
            raise IndexError(row)
        return row
