"""Help → Examples: the project's own short texts, one per concept, with how to open each.

Each ``resources/examples/NN-<id>.json`` holds the mode (single, pair, batch, compare), the
catalog tokenizer(s), the text(s), the encode settings, optional what-if added tokens, and a
title and explanation per language.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, Literal

from inspector.core.errors import InputError
from inspector.core.settings import EncodeSettings
from inspector.core.sources import resources_dir

ExampleMode = Literal["single", "pair", "batch", "compare"]
MODES: tuple[str, ...] = ("single", "pair", "batch", "compare")


@dataclass(frozen=True)
class AddedTokens:
    tokens: tuple[str, ...]
    special: bool


@dataclass(frozen=True)
class Example:
    id: str
    order: int
    mode: ExampleMode
    tokenizers: tuple[str, ...]  # catalog ids; several for compare
    text: str  # the text (single, pair, compare) or the first text of a batch
    settings: EncodeSettings
    titles: dict[str, str] = field(hash=False)  # language → title
    explanations: dict[str, str] = field(hash=False)
    pair: str | None = None
    texts: tuple[str, ...] = ()  # batch mode: every text
    added_tokens: AddedTokens | None = None

    def title(self, language: str) -> str:
        return self.titles.get(language) or self.titles["en"]

    def explanation(self, language: str) -> str:
        return self.explanations.get(language) or self.explanations["en"]


def _example(path: Path) -> Example:
    data: dict[str, Any] = json.loads(path.read_text("utf-8"))
    mode = data["mode"]
    if mode not in MODES:
        raise InputError(f"{path.name}: unknown mode '{mode}'")
    texts = tuple(data.get("texts", ()))
    if mode == "batch" and not texts:
        raise InputError(f"{path.name}: a batch example needs texts")
    if mode == "pair" and not data.get("pair"):
        raise InputError(f"{path.name}: a pair example needs a pair text")
    added = data.get("added_tokens")
    return Example(
        id=data["id"],
        order=int(data["order"]),
        mode=mode,
        tokenizers=tuple(data["tokenizers"]),
        text=data.get("text", texts[0] if texts else ""),
        settings=EncodeSettings(**data.get("settings", {})),
        titles=dict(data["title"]),
        explanations=dict(data["explanation"]),
        pair=data.get("pair"),
        texts=texts,
        added_tokens=AddedTokens(tuple(added["tokens"]), bool(added["special"])) if added else None,
    )


@cache
def load_examples(folder: Path | None = None) -> tuple[Example, ...]:
    """Every example, in menu order."""
    where = folder or resources_dir() / "examples"
    return tuple(sorted((_example(p) for p in where.glob("*.json")), key=lambda e: e.order))


def example(example_id: str) -> Example | None:
    return next((e for e in load_examples() if e.id == example_id), None)
