"""Encoding settings: the knobs of a tokenizer call, as one frozen value."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Literal

from inspector.core.errors import EncodeError

Truncation = Literal["none", "longest_first", "only_first", "only_second"]
Padding = Literal["none", "longest", "max_length"]
Side = Literal["right", "left"]

TRUNCATION_CHOICES: tuple[str, ...] = ("none", "longest_first", "only_first", "only_second")
PADDING_CHOICES: tuple[str, ...] = ("none", "longest", "max_length")
SIDE_CHOICES: tuple[str, ...] = ("right", "left")
MODES: tuple[str, ...] = ("single", "pair", "batch")  # one text, a text and its pair, lines


def settings_problem(
    padding: str, truncation: str, max_length: int | None, stride: int, mode: str = "single"
) -> str:
    """Why these settings cannot be encoded together, in plain words; "" when they can.

    The one check of a combination, for every front end (the GUI's Encoding panel, the CLI);
    EncodeSettings itself still refuses what no tokenizer call accepts.
    """
    if padding == "max_length" and max_length is None:
        return "Padding to max_length needs a max_length: set max_length above 0."
    if stride and truncation == "none":
        return (
            "A stride only works with truncation (it is the overlap of the overflow windows): "
            "choose a truncation strategy or set stride to 0."
        )
    if max_length is not None and stride >= max_length:
        return f"stride ({stride}) must be smaller than max_length ({max_length})."
    if truncation == "only_second" and mode != "pair":
        return "only_second truncation needs a pair text: switch to pair mode."
    return ""


@dataclass(frozen=True)
class EncodeSettings:
    """Settings of one encode call, mirroring ``tokenizer(...)`` arguments of transformers."""

    add_special_tokens: bool = True
    truncation: Truncation = "none"
    max_length: int | None = None
    stride: int = 0
    padding: Padding = "none"
    padding_side: Side = "right"
    pretokenized: bool = False  # split on whitespace first, like is_split_into_words=True
    # Typed special-token strings ("<|endoftext|>") as plain text, like split_special_tokens=True
    split_special_tokens: bool = False

    def __post_init__(self) -> None:
        if self.truncation not in TRUNCATION_CHOICES:
            raise EncodeError(f"unknown truncation '{self.truncation}'")
        if self.padding not in PADDING_CHOICES:
            raise EncodeError(f"unknown padding '{self.padding}'")
        if self.padding_side not in SIDE_CHOICES:
            raise EncodeError(f"padding side must be 'right' or 'left', not '{self.padding_side}'")
        if self.max_length is not None and self.max_length < 1:
            raise EncodeError("max_length must be at least 1")
        if self.stride < 0:
            raise EncodeError("stride cannot be negative")
        if self.padding == "max_length" and self.max_length is None:
            raise EncodeError("padding to max_length needs a max_length")

    def effective_max_length(self, model_max_length: int | None) -> int | None:
        """The length truncation uses: max_length, else the model's limit (as transformers)."""
        if self.truncation == "none":
            return None
        length = self.max_length or model_max_length
        if length is None:
            raise EncodeError("truncation needs a max_length: this tokenizer declares no limit")
        if self.stride >= length:
            raise EncodeError(f"stride ({self.stride}) must be smaller than max_length ({length})")
        return length

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)
