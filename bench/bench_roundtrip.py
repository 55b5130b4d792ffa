"""The decode round trip on long texts: with differences against without, at 1x/2x/4x sizes.

For each case, one text that round-trips exactly ("clean") and the same text with a few
dozen differences ("dirty") are encoded once; then, in the same process and round by round,
this times:

* decode — one ``tokenizer.decode`` of the text's ids (the library's own work, the floor);
* clean  — ``roundtrip(tok, clean_text, columns, 0)``;
* dirty  — ``roundtrip(tok, dirty_text, columns, 0)``: decode, align, diff, classify.

Target (issue 11): dirty/clean ≤ 2 at every size (the old difflib diff took 28.7 s on 1 M
characters with 33 differences, against ≈ 0.2 s without). Sizes are --size/4, --size/2 and
--size, so the rows of a case show whether time grows with the text (linear) or faster.
A "dense" case (BERT on the mixed sample: a difference every ~6 characters) is reported
for scale, not judged: there the work per difference dominates.

    HF_HUB_OFFLINE=1 .venv/bin/python bench/bench_roundtrip.py [--size N] [--rounds N] [--check]

Exits 0 (it is a report) unless ``--check`` is given and a judged ratio is over target.
"""

from __future__ import annotations

import argparse
import gc
import math
import os
import platform
import random
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from inspector.core.catalog import DEFAULT_TOKENIZER, Catalog
from inspector.core.encoding import encode
from inspector.core.roundtrip import RoundTrip, roundtrip
from inspector.core.tokenizer import LoadedTokenizer

TARGET = 2.0  # dirty / clean
DEFAULT_SIZE = 1_000_000  # characters at 4x
DEFAULT_ROUNDS = 3
PLACES = 33  # places where the dirty text differs, as in the measurement

SAMPLES = Path(__file__).resolve().parent.parent / "resources" / "samples"
WORDS = ["the", "of", "and", "token", "inspector", "shows", "text", "exactly", "what", "a", "model"]


# --------------------------------------------------------------------------- texts


def sample_text(size: int) -> str:
    """mixed.txt + chinese.txt repeated to ``size`` characters: byte-level BPE gives it back
    exactly (it is in NFC)."""
    unit = (SAMPLES / "mixed.txt").read_text("utf-8") + (SAMPLES / "chinese.txt").read_text("utf-8")
    return (unit * math.ceil(size / len(unit)))[:size]


def lowercase_words(size: int) -> str:
    """Lowercase words and full stops: BERT uncased gives it back exactly."""
    rng = random.Random(size)
    words: list[str] = []
    total = 0
    while total < size:
        word = rng.choice(WORDS) + ("." if rng.random() < 0.05 else "")
        words.append(word)
        total += len(word) + 1
    return " ".join(words)[:size].rstrip(" .") + "."


def sprinkle(text: str, insert: str, count: int = PLACES) -> str:
    """``insert`` placed ``count`` times, evenly, each after a space."""
    step = len(text) // (count + 1)
    parts: list[str] = []
    last = 0
    for k in range(1, count + 1):
        cut = text.find(" ", k * step) + 1 or k * step
        parts += [text[last:cut], insert]
        last = cut
    parts.append(text[last:])
    return "".join(parts)


@dataclass(frozen=True)
class Case:
    name: str
    entry_id: str
    clean: Callable[[int], str]
    dirty: Callable[[int], str]
    judged: bool = True


CASES = (
    Case(
        "gpt2, typed <|endoftext|>",
        "gpt2",
        sample_text,
        lambda n: sprinkle(sample_text(n), "<|endoftext|>"),
    ),
    Case(
        "bert-uncased, lowercasing + accents",
        DEFAULT_TOKENIZER,
        lowercase_words,
        lambda n: sprinkle(lowercase_words(n), "Café ÉCOLE naïve "),
    ),
    Case(
        "qwen2.5, NFC of decomposed é",
        "qwen2.5",
        sample_text,
        lambda n: sprinkle(sample_text(n), "cafe\u0301 "),
    ),
    Case(
        "bert-uncased, dense (mixed sample)",
        DEFAULT_TOKENIZER,
        lowercase_words,
        sample_text,
        judged=False,
    ),
)


# --------------------------------------------------------------------------- timing


def timed(fn: Callable[[], object]) -> float:
    gc.collect()
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


@dataclass
class Row:
    case: Case
    chars: int
    tokens: int
    decode: float
    clean: float
    dirty: float
    trip: RoundTrip
    clean_equal: bool

    @property
    def ratio(self) -> float:
        return self.dirty / self.clean

    @property
    def over(self) -> bool:
        return self.case.judged and round(self.ratio, 2) > TARGET


def bench_case(case: Case, tok: LoadedTokenizer, size: int, rounds: int) -> Row:
    clean_text, dirty_text = case.clean(size), case.dirty(size)
    clean_cols = encode(tok, clean_text, with_roundtrip=False).columns
    dirty_cols = encode(tok, dirty_text, with_roundtrip=False).columns
    ids = dirty_cols.ids[dirty_cols.sequence_ids == 0].tolist()
    best = {"decode": math.inf, "clean": math.inf, "dirty": math.inf}
    for round_number in range(rounds + 1):  # round 0 warms up
        decode = timed(lambda: tok.decode(ids, skip_special_tokens=False))
        clean = timed(lambda: roundtrip(tok, clean_text, clean_cols, 0))
        dirty = timed(lambda: roundtrip(tok, dirty_text, dirty_cols, 0))
        if round_number:
            for key, seconds in (("decode", decode), ("clean", clean), ("dirty", dirty)):
                best[key] = min(best[key], seconds)
    trip = roundtrip(tok, dirty_text, dirty_cols, 0)
    clean_trip = roundtrip(tok, clean_text, clean_cols, 0)
    return Row(
        case,
        len(dirty_text),
        len(ids),
        best["decode"],
        best["clean"],
        best["dirty"],
        trip,
        clean_trip.equal,
    )


# --------------------------------------------------------------------------- report


def print_table(rows: list[Row]) -> None:
    headers = (
        "case",
        "chars",
        "tokens",
        "decode s",
        "clean s",
        "dirty s",
        "dirty/clean",
        "dirty/decode",
        "µs/1k chars",
        "differences",
        "note",
    )
    lines: list[tuple[str, ...]] = []
    for row in rows:
        notes = []
        if row.over:
            notes.append(f"OVER {TARGET}x")
        if not row.case.judged:
            notes.append("not judged")
        if not row.clean_equal:
            notes.append("clean text does not round-trip")
        kinds = ", ".join(row.trip.kinds)
        lines.append(
            (
                row.case.name,
                f"{row.chars:,}",
                f"{row.tokens:,}",
                f"{row.decode:.3f}",
                f"{row.clean:.3f}",
                f"{row.dirty:.3f}",
                f"{row.ratio:.2f}x",
                f"{row.dirty / row.decode:.1f}x",
                f"{row.dirty / row.chars * 1e9:.0f}",
                f"{row.trip.difference_count:,} ({kinds})" if kinds else "0",
                "; ".join(notes),
            )
        )
    widths = [max(len(h), *(len(line[i]) for line in lines)) for i, h in enumerate(headers)]

    def fmt(cells: tuple[str, ...]) -> str:
        return "  ".join(
            cell.ljust(w) if i in (0, 9, 10) else cell.rjust(w)
            for i, (cell, w) in enumerate(zip(cells, widths, strict=True))
        ).rstrip()

    print(fmt(headers))
    print("  ".join("-" * w for w in widths))
    for line in lines:
        print(fmt(line))
    print(
        "\nµs/1k chars: the dirty round trip's time per thousand characters; flat down a "
        "case's rows means linear in the text.",
        flush=True,
    )


def print_header(size: int, rounds: int) -> None:
    import numpy
    import tokenizers

    print(
        f"sizes: {size // 4:,} / {size // 2:,} / {size:,} characters; the dirty text differs "
        f"in {PLACES} places (the dense case: everywhere)"
    )
    print(f"rounds: 1 warm-up + best of {rounds}, interleaved; gc.collect() before each call")
    print(
        f"python {platform.python_version()} on {platform.machine()}, {os.cpu_count()} CPUs; "
        f"tokenizers {tokenizers.__version__}, numpy {numpy.__version__}"
    )
    print()


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "--size",
        type=lambda s: int(s.replace("_", "")),
        default=DEFAULT_SIZE,
        help=f"the largest text in characters; also /2 and /4 (default {DEFAULT_SIZE:_})",
    )
    parser.add_argument(
        "--rounds", type=int, default=DEFAULT_ROUNDS, help="kept rounds after the warm-up"
    )
    parser.add_argument(
        "--check", action="store_true", help=f"exit 1 if a judged dirty/clean is over {TARGET}"
    )
    args = parser.parse_args(argv)
    if args.size < 400 or args.rounds < 1:
        parser.error("--size must be at least 400 and --rounds at least 1")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    catalog = Catalog()
    print_header(args.size, args.rounds)
    rows: list[Row] = []
    for case in CASES:
        tok = catalog.load(case.entry_id)
        for size in (args.size // 4, args.size // 2, args.size):
            print(f"  {case.name}, {size:,} …", file=sys.stderr, flush=True)
            rows.append(bench_case(case, tok, size, args.rounds))
            gc.collect()
    print_table(rows)
    over = [f"{r.case.name} at {r.chars:,}" for r in rows if r.over]
    if args.check and over:
        print(f"\n--check: over target: {'; '.join(over)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
