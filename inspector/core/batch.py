"""Batch mode: the texts (and pair texts) of a batch, read from the panes' lines, and the
padded matrices ``tokenizer(texts, pairs, padding=…)`` returns for it.

One builder makes the matrices (:func:`padded_matrices`, through :meth:`BatchResult.block`):
the Encoding panel's Batch tab draws the block it shows. :func:`batch_tensors` gives the rows
as transformers' dict of lists (the window's "Copy as JSON", and the tests that hold them
against transformers).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

import numpy as np

from inspector.core.errors import EncodeError

if TYPE_CHECKING:
    from inspector.core.encoding import EncodingResult, TokenColumns

NO_TOKEN = -1
"""``input_ids`` cell of a ragged row (padding off) past that row's last token."""


@dataclass(frozen=True)
class BatchMatrices:
    """The padded matrices of a batch (or of a block of it: the first rows and positions)."""

    input_ids: np.ndarray  # (texts, length) int64; ragged rows filled with NO_TOKEN
    attention_mask: np.ndarray  # (texts, length) int8; 0 on padding and past a ragged row
    # (texts, length) int8, as transformers returns it: only for tokenizers whose model reads
    # token types (BERT-style); None for the others (GPT-2, Llama, Qwen…), which return none.
    token_type_ids: np.ndarray | None


@dataclass(frozen=True)
class BatchResult:
    """Batch mode: one result per text (and pair text); the padded matrices on demand.

    The matrices are a rectangle as wide as the longest row: a view asks for the block it
    shows (:meth:`block`), so that one long line among many short ones costs no memory
    (without padding the rows are ragged, and a rectangle would be texts × longest).
    """

    results: tuple[EncodingResult, ...]
    token_types: bool  # the tokenizer's model reads token_type_ids (transformers returns them)

    @property
    def has_pairs(self) -> bool:
        return any(result.pair is not None for result in self.results)

    @cached_property
    def lengths(self) -> np.ndarray:
        """Tokens per row, padding included (a ragged row's own length)."""
        return np.array([len(result) for result in self.results], dtype=np.int64)

    @property
    def shape(self) -> tuple[int, int]:
        """(texts, positions) of the whole padded rectangle."""
        return len(self.results), int(self.lengths.max(initial=0))

    @property
    def ragged(self) -> bool:
        """Rows of different lengths (padding off): transformers returns ragged lists."""
        return bool((self.lengths != self.shape[1]).any())

    @cached_property
    def padded(self) -> bool:
        """Some row holds padding (attention_mask 0)."""
        return any(not r.columns.attention_mask.all() for r in self.results)

    def block(self, rows: int | None = None, columns: int | None = None) -> BatchMatrices:
        """The matrices of the first ``rows`` texts and ``columns`` positions (all: None)."""
        chosen = self.results[:rows] if rows is not None else self.results
        return padded_matrices([r.columns for r in chosen], self.token_types, columns)

    @cached_property
    def _whole(self) -> BatchMatrices:
        return self.block()

    @property
    def input_ids(self) -> np.ndarray:
        return self._whole.input_ids

    @property
    def attention_mask(self) -> np.ndarray:
        return self._whole.attention_mask

    @property
    def token_type_ids(self) -> np.ndarray | None:
        return self._whole.token_type_ids


def batch_lines(text: str) -> list[str]:
    """The texts of a batch: the pane's non-blank lines, in order ([""] when there are none)."""
    return [line for line in text.split("\n") if line.strip()] or [""]


def batch_line_numbers(text: str) -> list[int]:
    """For each text of :func:`batch_lines`, the number of the pane line it comes from."""
    numbers = [number for number, line in enumerate(text.split("\n")) if line.strip()]
    return numbers or [0]


def batch_inputs(text: str, pair: str) -> tuple[list[str], list[str] | None]:
    """The texts and pair texts of a batch: line i of the text pane pairs with line i of the
    pair pane (non-blank lines of each). An empty pair pane gives a batch of single texts.

    Raises :class:`EncodeError` (a plain message) when the two panes have different counts.
    """
    texts = batch_lines(text)
    if not pair.strip():
        return texts, None
    pairs = batch_lines(pair)
    if len(pairs) != len(texts):
        raise EncodeError(
            f"A batch of pairs pairs line i of the text with line i of the pair text, but the "
            f"text has {len(texts)} line{'s' if len(texts) != 1 else ''} and the pair text "
            f"{len(pairs)}: give each line its pair, or empty the pair pane for a batch of "
            "single texts"
        )
    return texts, pairs


def padded_matrices(
    rows: Sequence[TokenColumns], token_types: bool, columns: int | None = None
) -> BatchMatrices:
    """The matrices of a batch, one row per encoding, cut at ``columns`` positions if given.

    Rows the tokenizer padded are already one length; ragged rows (padding off) are filled
    with :data:`NO_TOKEN` ids and mask 0, so that nothing past a row's end reads as a token.
    """
    width = max((len(row) for row in rows), default=0)
    width = width if columns is None else min(width, columns)
    ids = np.full((len(rows), width), NO_TOKEN, dtype=np.int64)
    mask = np.zeros((len(rows), width), dtype=np.int8)
    types = np.zeros((len(rows), width), dtype=np.int8) if token_types else None
    for number, row in enumerate(rows):
        size = min(len(row), width)
        ids[number, :size] = row.ids[:size]
        mask[number, :size] = row.attention_mask[:size]
        if types is not None:
            types[number, :size] = row.type_ids[:size]
    return BatchMatrices(ids, mask, types)


def batch_tensors(batch: BatchResult) -> dict[str, list[list[int]]]:
    """The batch as transformers returns it (``dict(tokenizer(texts, pairs, padding=…))``):
    ``input_ids``, ``token_type_ids`` (only where the tokenizer has them) and
    ``attention_mask``, each a list of rows; ragged rows keep their own length."""
    columns = [result.columns for result in batch.results]
    out = {"input_ids": [row.ids.tolist() for row in columns]}
    if batch.token_types:
        out["token_type_ids"] = [row.type_ids.tolist() for row in columns]
    out["attention_mask"] = [row.attention_mask.tolist() for row in columns]
    return out
