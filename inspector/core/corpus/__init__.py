"""Corpus comparison: tokenizers compared over a whole dataset, counted on Dask distributed.

``analyze_corpus`` is what the command line and the window call; ``exports`` renders its
report. The pieces: ``inputs`` (files → partitions → documents), ``counting`` (the worker's
task), ``engine`` (the Dask client), ``results`` (merged counts → report).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from inspector.core.corpus.counting import CountJob
from inspector.core.corpus.engine import Cluster, EngineError, Progress, run_corpus
from inspector.core.corpus.inputs import PARTITION_BYTES, ReadOptions
from inspector.core.corpus.results import build_report
from inspector.core.errors import InputError

MAX_TOKENIZERS = 8

__all__ = [
    "MAX_TOKENIZERS",
    "Cluster",
    "CountJob",
    "EngineError",
    "Progress",
    "ReadOptions",
    "analyze_corpus",
]


def analyze_corpus(
    paths: Sequence[Path],
    job: CountJob,
    *,
    catalog: Any = None,
    glob: str | None = None,
    scheduler: str | None = None,
    workers: int | None = None,
    reference_group: str | None = None,
    progress: Callable[[Progress], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
    on_started: Callable[[Cluster], None] | None = None,
    partition_bytes: int = PARTITION_BYTES,
) -> dict[str, Any]:
    """Count ``paths`` with ``job.tokenizers`` and return the corpus report.

    The tokenizers are loaded here first (a wrong id fails before any cluster starts); the
    client uses them only to name the ids the workers counted.
    """
    from inspector.core.catalog import Catalog

    if not job.tokenizers:
        raise InputError("name at least one tokenizer (-t ID)")
    if len(job.tokenizers) > MAX_TOKENIZERS:
        raise InputError(f"at most {MAX_TOKENIZERS} tokenizers at once")
    catalog = catalog or Catalog()
    tokenizers = {
        name: catalog.load(name, trust_remote_code=job.trust_remote_code) for name in job.tokenizers
    }
    run = run_corpus(
        paths,
        job,
        glob=glob,
        scheduler=scheduler,
        workers=workers,
        progress=progress,
        cancelled=cancelled,
        on_started=on_started,
        partition_bytes=partition_bytes,
    )
    report = build_report(run, job, tokenizers, reference_group=reference_group)
    if not report["corpus"]["documents"]:
        corpus = report["corpus"]
        why = "; ".join(f["reason"] for f in corpus["skipped_files"][:3])
        raise InputError(
            f"the corpus is empty: {corpus['files']} file(s) read, no document in them"
            + (f" ({corpus['skipped']} skipped: {why})" if corpus["skipped"] else "")
        )
    return report
