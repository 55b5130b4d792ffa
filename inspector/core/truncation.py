"""Truncation and stride windows as ``tokenizers`` decides them, for backends that cut ids
themselves (SentencePiece) and for checks made before a ``tokenizers`` call."""

from __future__ import annotations

from inspector.core.errors import EncodeError


def truncation_plan(n1: int, n2: int | None, budget: int, strategy: str) -> tuple[int, int]:
    """How many tokens of each sequence the first window keeps, as ``tokenizers`` decides.

    ``budget`` is max_length less the special tokens the template adds. This is the algorithm
    of tokenizers' ``truncate_encodings`` (utils/truncation.rs), so that SentencePiece
    tokenizers truncate exactly as transformers' fast tokenizers do.
    """
    second = 0 if n2 is None else n2
    if n1 + second <= budget:
        return n1, second
    to_remove = n1 + second - budget
    if strategy == "longest_first":
        if n2 is None:
            return budget, 0
        short = min(n1, n2)
        keep_long = short if short > budget else max(short, budget - short)
        keep_short = short
        if keep_short + keep_long > budget:
            keep_short = budget // 2
            keep_long = keep_short + budget % 2
        return (keep_long, keep_short) if n1 > n2 else (keep_short, keep_long)
    if strategy == "only_second" and n2 is None:
        raise EncodeError("only_second truncation needs a pair text (second sequence not provided)")
    target = n1 if strategy == "only_first" else second
    if target <= to_remove:
        which = "first" if strategy == "only_first" else "pair"
        raise EncodeError(
            f"the {which} text is too short to truncate to max_length: the other text and the "
            "special tokens alone take up the room"
        )
    if strategy == "only_first":
        return n1 - to_remove, second
    return n1, second - to_remove


def check_stride(stride: int, keep: int, length: int) -> None:
    """tokenizers cuts a sequence into windows only when stride < the length it keeps."""
    if 0 < keep < length and stride >= keep:
        raise EncodeError(
            f"stride ({stride}) must be smaller than the {keep} tokens a window keeps of the "
            "text once special tokens (and the other text) are counted"
        )
