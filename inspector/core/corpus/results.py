"""Merged counts → the corpus report (one dict: JSON, CSV, Markdown, HTML and the window read it).

Totals are exact integers; rates are derived from them. Token strings come from the tokenizer
loaded on the client (by the catalog, as everywhere else): only ids travel from the workers.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from inspector.core.corpus.counting import (
    HISTOGRAM_BINS,
    OVERFLOW_LIMITS,
    CountJob,
    TextCounts,
    TokenCounts,
)
from inspector.core.corpus.engine import CorpusRun
from inspector.core.display import visible

SCHEMA = "token-inspector/corpus/1"
TOP_TOKENS = 20
LONGEST_TOKENS = 10
SKIPPED_LISTED = 200  # skipped files named in the report; the count is always complete
ALL_GROUPS = "(all)"

WORDS_NOTE = (
    "Words are runs of non-whitespace: tokens per word means little for Chinese, Japanese and "
    "other languages written without spaces."
)


def _ratio(numerator: int, denominator: int, scale: int = 1) -> float | None:
    return round(scale * numerator / denominator, 4) if denominator else None


def _token_view(tok: Any, token_id: int) -> dict[str, Any]:
    token = tok.id_to_token(token_id)
    raw = tok.token_bytes(token_id)
    text = raw.decode("utf-8", "backslashreplace") if raw is not None else token
    # "display": whitespace, controls and bidi marks as glyphs, as everywhere in the app
    return {"id": token_id, "token": token, "text": text, "display": visible(text or "")}


def _histogram(counts: TokenCounts) -> list[dict[str, int]]:
    rows = []
    for index in range(HISTOGRAM_BINS):
        documents = int(counts.histogram[index])
        if documents:
            low = 0 if index == 0 else 1 << (index - 1)
            high = 0 if index == 0 else (1 << index) - 1
            rows.append({"min": low, "max": high, "documents": documents})
    return rows


def _stats(text: TextCounts, counts: TokenCounts, tok: Any, vocab_size: int) -> dict[str, Any]:
    order = np.argsort(-counts.counts, kind="stable")[:TOP_TOKENS]
    top = [{**_token_view(tok, int(counts.ids[i])), "count": int(counts.counts[i])} for i in order]
    lengths = tok.token_byte_lengths
    known = counts.ids[counts.ids < len(lengths)]
    known = known[~tok.is_control(known)]  # "<|endoftext|>" is long text, not a long token
    by_length = known[np.argsort(-lengths[known], kind="stable")][:LONGEST_TOKENS]
    longest = [
        {**_token_view(tok, int(i)), "bytes": int(lengths[i])} for i in by_length if lengths[i] > 0
    ]
    return {
        "documents": text.documents,
        "characters": text.characters,
        "bytes": text.bytes,
        "words": text.words,
        "tokens": counts.tokens,
        "tokens_per_1k_characters": _ratio(counts.tokens, text.characters, 1000),
        "tokens_per_1k_bytes": _ratio(counts.tokens, text.bytes, 1000),
        "tokens_per_word": _ratio(counts.tokens, text.words),
        "unknown_tokens": counts.unknown,
        "unknown_rate": _ratio(counts.unknown, counts.tokens),
        "byte_fallback_tokens": counts.byte_fallback,
        "byte_fallback_rate": _ratio(counts.byte_fallback, counts.tokens),
        "distinct_ids": len(counts.ids),
        "vocabulary_share": _ratio(len(counts.ids), vocab_size),
        "documents_over": {
            str(limit): n for limit, n in zip(OVERFLOW_LIMITS, counts.over, strict=True)
        },
        "tokens_per_document": {
            "min": max(counts.min_tokens, 0),
            "max": counts.max_tokens,
            "mean": _ratio(counts.tokens, text.documents),
            "histogram": _histogram(counts),
        },
        "top_tokens": top,
        "longest_tokens": longest,
    }


def build_report(
    run: CorpusRun,
    job: CountJob,
    tokenizers: dict[str, Any],
    *,
    reference_group: str | None = None,
) -> dict[str, Any]:
    """``tokenizers``: name given → the tokenizer loaded by the catalog (for token strings)."""
    counts = run.counts
    groups = sorted(counts.text)
    overall = TextCounts()
    for group in groups:
        overall.add(counts.text[group])
    notes = [WORDS_NOTE]
    if reference_group is not None and reference_group not in counts.text:
        notes.append(
            f"the reference group '{reference_group}' is not among the groups "
            f"({', '.join(groups[:20])}): no premium computed"
        )
        reference_group = None
    skipped: dict[str, str] = dict(counts.skipped)  # a file cut in pieces is named once
    sections = []
    for name in job.tokenizers:
        tok = tokenizers[name]
        per_group = counts.tokens.get(name, {})
        total = TokenCounts()
        for group in groups:
            total.add(per_group.get(group, TokenCounts()))
        vocab_size = tok.facts.vocab_size
        section = {
            "id": tok.facts.id,
            "name": name,
            "algorithm": tok.facts.algorithm,
            "vocab_size": vocab_size,
            **_stats(overall, total, tok, vocab_size),
            "groups": [],
        }
        reference = per_group.get(reference_group) if reference_group else None
        for group in groups:
            group_counts = per_group.get(group, TokenCounts())
            row = {"name": group, **_stats(counts.text[group], group_counts, tok, vocab_size)}
            if reference is not None:
                row["token_premium"] = _ratio(group_counts.tokens, reference.tokens)
            section["groups"].append(row)
        sections.append(section)
    return {
        "schema": SCHEMA,
        "engine": run.engine.to_dict(),
        "corpus": {
            "paths": run.paths,
            "documents": overall.documents,
            "characters": overall.characters,
            "bytes": overall.bytes,
            "words": overall.words,
            "files": counts.files,
            "skipped": len(skipped),
            "skipped_files": [
                {"path": path, "reason": reason}
                for path, reason in list(skipped.items())[:SKIPPED_LISTED]
            ],
            "partitions": run.partitions,
            "group_by": job.options.group_by,
            "text_field": job.options.text_field,
            "groups": [{"name": g, **vars(counts.text[g])} for g in groups],
        },
        "settings": {
            "split_special_tokens": job.split_special_tokens,
            "add_special_tokens": False,
            "errors": job.options.errors,
            "reference_group": reference_group,
        },
        "notes": notes,
        "tokenizers": sections,
    }
