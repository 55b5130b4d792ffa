"""``token-inspector corpus``: compare tokenizers over a whole dataset, counted on Dask.

Progress goes to stderr; the report is written only once complete (atomically), so Ctrl+C
(exit 130) leaves nothing half-written. Exit 3: an input, tokenizer or cluster that cannot be
used, said in one plain line.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from inspector.core.corpus.exports import FORMATS


def add_parser(commands: Any) -> None:
    corpus = commands.add_parser(
        "corpus",
        help="compare tokenizers over a whole corpus (files, folders, JSONL, Parquet) on Dask",
        description="Count what each tokenizer spends over a corpus, overall and per group. "
        "Inputs: text files and folders (walked recursively, hidden entries skipped), .jsonl "
        "(one document per line), .parquet (one per row), and .gz/.zst versions of these.",
    )
    corpus.add_argument(
        "-t",
        "--tokenizer",
        action="append",
        default=[],
        metavar="ID",
        help="catalog id or alias, folder, tokenizer.json, .model or .tiktoken (1 to 8; repeat)",
    )
    corpus.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    corpus.add_argument("--glob", metavar="PATTERN", help="only files matching it, e.g. '*.txt'")
    corpus.add_argument(
        "--text-field", default="text", metavar="NAME", help="JSONL field / Parquet column"
    )
    corpus.add_argument(
        "--group-by",
        default="dir",
        metavar="dir|file|FIELD",
        help="dir: the top folder under each input (default); file: each file; else a "
        "JSONL field or Parquet column such as lang",
    )
    corpus.add_argument(
        "--reference-group",
        metavar="NAME",
        help="on a parallel corpus, each group's token premium against this group",
    )
    corpus.add_argument(
        "--split-special-tokens",
        action="store_true",
        help="count typed special-token strings ('<|endoftext|>') as plain text",
    )
    engine = corpus.add_mutually_exclusive_group()
    engine.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="an existing Dask cluster, e.g. tcp://host:8786 (default: a local one is started)",
    )
    engine.add_argument(
        "--workers",
        type=int,
        metavar="N",
        help="worker processes of the local cluster (default: one per CPU core)",
    )
    corpus.add_argument(
        "--errors",
        choices=("strict", "replace"),
        default="strict",
        help="bytes that are not UTF-8: skip the file (default) or read them as U+FFFD",
    )
    corpus.add_argument(
        "--format", choices=FORMATS, default=None, help="default: from the -o file name, else json"
    )
    corpus.add_argument("-o", "--output", type=Path, help="write here instead of stdout")
    corpus.add_argument(
        "--trust-remote-code",
        action="store_true",
        help="allow a hub/folder tokenizer to run its own Python code (off by default)",
    )


def _format(args: argparse.Namespace) -> str:
    if args.format:
        return str(args.format)
    if args.output is not None:
        suffix = args.output.suffix.lower().lstrip(".")
        return (
            {"markdown": "md", "htm": "html"}.get(suffix, suffix)
            if suffix in (*FORMATS, "markdown", "htm")
            else "json"
        )
    return "json"


def run(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    from inspector.core.corpus import MAX_TOKENIZERS, CountJob, ReadOptions, analyze_corpus
    from inspector.core.corpus.exports import render
    from inspector.core.report import write_atomic

    if not args.tokenizer or len(args.tokenizer) > MAX_TOKENIZERS:
        parser.error(f"corpus needs 1 to {MAX_TOKENIZERS} tokenizers (-t ID)")
    if args.workers is not None and args.workers < 1:
        parser.error("--workers must be at least 1")
    fmt = _format(args)
    job = CountJob(
        tuple(dict.fromkeys(args.tokenizer)),
        ReadOptions(args.text_field, args.group_by, args.errors),
        split_special_tokens=args.split_special_tokens,
        trust_remote_code=args.trust_remote_code,
    )
    with _ProgressBar() as bar:
        report = analyze_corpus(
            args.paths,
            job,
            glob=args.glob,
            scheduler=args.scheduler,
            workers=args.workers,
            reference_group=args.reference_group,
            progress=bar.update,
        )
    content = render(report, fmt)
    if args.output is None:
        sys.stdout.write(content)
    else:
        write_atomic(args.output, content)
    corpus = report["corpus"]
    if corpus["skipped"]:
        print(
            f"token-inspector: {corpus['skipped']} file(s) skipped (listed in the report)",
            file=sys.stderr,
        )
    for note in report["notes"][1:]:
        print(f"token-inspector: {note}", file=sys.stderr)
    return 0


class _ProgressBar:
    """Documents, bytes, rate and ETA on stderr (rich; silent when stderr is not a terminal)."""

    def __enter__(self) -> _ProgressBar:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            DownloadColumn,
            Progress,
            TextColumn,
            TimeRemainingColumn,
            TransferSpeedColumn,
        )

        console = Console(stderr=True)
        self._live = console.is_terminal
        self._last: Any = None
        self._progress = Progress(
            TextColumn("{task.fields[documents]:,} documents"),
            BarColumn(),
            DownloadColumn(),
            TransferSpeedColumn(),
            TextColumn("ETA"),
            TimeRemainingColumn(),
            console=console,
            transient=True,
            disable=not self._live,
        )
        self._progress.__enter__()
        self._task = self._progress.add_task("corpus", total=None, documents=0)
        return self

    def update(self, progress: Any) -> None:
        self._last = progress
        self._progress.update(
            self._task,
            completed=progress.input_bytes,
            total=progress.total_bytes,
            documents=progress.documents,
        )

    def __exit__(self, *exc: object) -> None:
        self._progress.__exit__(*exc)  # type: ignore[arg-type]
        done = self._last
        if done is not None and exc[0] is None:  # one line, also when stderr is a file
            print(
                f"token-inspector: {done.documents:,} documents, {done.input_bytes / 1e6:.1f} MB "
                f"in {done.elapsed_s:.1f} s ({done.rate / 1e6:.2f} MB/s)",
                file=sys.stderr,
            )
