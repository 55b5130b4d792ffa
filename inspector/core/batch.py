"""Batch mode: the texts (and pair texts) of a batch, read from the panes' lines, and the
padded matrices ``tokenizer(texts, pairs, padding=…)`` returns for it.

One builder makes the matrices (:func:`padded_matrices`): the Encoding panel's Batch tab draws
them and :func:`batch_tensors` gives them as transformers' dict of lists (the window's
"Copy as JSON", and the tests that hold them against transformers).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from inspector.core.errors import EncodeError

if TYPE_CHECKING:
    from inspector.core.encoding import EncodingResult, TokenColumns

NO_TOKEN = -1
"""``input_ids`` cell of a ragged row (padding off) past that row's last token."""


@dataclass(frozen=True)
class BatchResult:
    """Batch mode: one result per text (and pair text) and the padded matrices."""

    results: tuple[EncodingResult, ...]
    input_ids: np.ndarray  # (texts, length) int64; ragged rows filled with NO_TOKEN
    attention_mask: np.ndarray  # (texts, length) int8; 0 on padding and past a ragged row
    # (texts, length) int8, as transformers returns it: only for tokenizers whose model reads
    # token types (BERT-style); None for the others (GPT-2, Llama, Qwen…), which return none.
    token_type_ids: np.ndarray | None = None

    @property
    def has_pairs(self) -> bool:
        return any(result.pair is not None for result in self.results)

    @property
    def lengths(self) -> np.ndarray:
        """Tokens per row, padding included (a ragged row's own length)."""
        return np.array([len(result) for result in self.results], dtype=np.int64)


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
    rows: Sequence[TokenColumns], token_types: bool
) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    """(input_ids, attention_mask, token_type_ids or None) of a batch, one row per encoding.

    Rows the tokenizer padded are already one length; ragged rows (padding off) are filled
    with :data:`NO_TOKEN` ids and mask 0, so that nothing past a row's end reads as a token.
    """
    width = max((len(columns) for columns in rows), default=0)
    ids = np.full((len(rows), width), NO_TOKEN, dtype=np.int64)
    mask = np.zeros((len(rows), width), dtype=np.int8)
    types = np.zeros((len(rows), width), dtype=np.int8) if token_types else None
    for row, columns in enumerate(rows):
        size = len(columns)
        ids[row, :size] = columns.ids
        mask[row, :size] = columns.attention_mask
        if types is not None:
            types[row, :size] = columns.type_ids
    return ids, mask, types


def batch_tensors(batch: BatchResult) -> dict[str, list[list[int]]]:
    """The batch as transformers returns it (``dict(tokenizer(texts, pairs, padding=…))``):
    ``input_ids``, ``token_type_ids`` (only where the tokenizer has them) and
    ``attention_mask``, each a list of rows; ragged rows keep their own length."""
    lengths = batch.lengths.tolist()
    matrices = {"input_ids": batch.input_ids, "token_type_ids": batch.token_type_ids}
    matrices["attention_mask"] = batch.attention_mask
    return {
        name: [row[:length] for row, length in zip(matrix.tolist(), lengths, strict=True)]
        for name, matrix in matrices.items()
        if matrix is not None
    }
