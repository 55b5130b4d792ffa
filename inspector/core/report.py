"""Token reports: encoding results → JSON (versioned schema), CSV, Markdown, HTML.

The CLI and the GUI export call the same functions: ``build_report`` makes the report dict
(the JSON), ``render_chunks``/``render`` turn it into a text format. PDF, PNG and SVG are
drawn with Qt, outside the core: ``inspector.render.export`` is the one entry point for every
format. Writes are atomic (``inspector.core.files``).

The report's per-token parts are read from the encoding's columns when they are written
(``report_model``): JSON, CSV and Markdown stream a chunk of rows at a time
(``report_stream``); HTML and PDF show their documented cuts.

With two or more tokenizers the report is a comparison: a ``comparison`` section (see
``inspector.core.compare``) is added, CSV gains an ``unshared`` column and Markdown a
comparison table. An item may carry a ``model`` section (a plain dict from
``inspector.core.analysis.model_section``); numpy arrays in it become lists.
"""

from __future__ import annotations

import platform
from collections.abc import Iterator
from datetime import datetime, timezone
from importlib import metadata
from typing import Any

from inspector import __version__
from inspector.core.compare import Comparison, compare, comparison_section
from inspector.core.encoding import EncodingResult
from inspector.core.files import write_atomic
from inspector.core.report_model import (
    ReportItem,
    jsonable,
    materialize,
    unshared_flags,
    window_section,
)
from inspector.core.report_stream import (
    CSV_FIELDS,
    MD_BOUNDARY_LIMIT,
    csv_chunks,
    json_chunks,
    markdown_chunks,
    md_escape,
)
from inspector.core.settings import EncodeSettings
from inspector.core.sources import portable_source

SCHEMA = "token-inspector/report@1"
TEXT_FORMATS = ("json", "csv", "md", "html")  # rendered here, in the core
STREAMED_FORMATS = ("json", "csv", "md")  # written as they are made; the others whole
FORMATS = (*TEXT_FORMATS, "pdf", "png", "svg")  # the last three through inspector.render
LIBRARIES = ("tokenizers", "transformers", "tiktoken", "sentencepiece", "numpy")

__all__ = [  # what other modules import from here (some defined in report_model/_stream)
    "CSV_FIELDS",
    "FORMATS",
    "MD_BOUNDARY_LIMIT",
    "SCHEMA",
    "STREAMED_FORMATS",
    "TEXT_FORMATS",
    "ReportItem",
    "build_report",
    "comparison_report",
    "jsonable",
    "materialize",
    "md_escape",
    "render",
    "render_chunks",
    "result_report",
    "unshared_flags",
    "write_atomic",
]


def environment() -> dict[str, Any]:
    versions: dict[str, str | None] = {}
    for name in LIBRARIES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    return {
        "token_inspector": __version__,
        "python": platform.python_version(),
        "platform": platform.platform(terse=True),
        "libraries": versions,
    }


def tokenizer_section(item: ReportItem) -> dict[str, Any]:
    if item.result is None:
        return {"id": item.requested, "error": item.error}
    result = item.result
    facts = result.tokenizer
    details = facts.to_dict()
    details["source"] = portable_source(details.get("source"))
    section: dict[str, Any] = {
        "id": facts.id,
        "requested": item.requested,
        "algorithm": facts.algorithm,
        "vocab_size": facts.vocab_size,
        "fingerprint": facts.fingerprint,
        "facts": details,
    }
    section.update(window_section(result, result.columns, item.token_fields))
    section["overflow"] = [window_section(result, window) for window in result.overflow]
    section["roundtrip"] = None if result.roundtrip is None else result.roundtrip.to_dict()
    if result.pair_roundtrip is not None:
        section["pair_roundtrip"] = result.pair_roundtrip.to_dict()
    section["stats"] = result.stats.to_dict()
    if item.model is not None:
        model = jsonable(item.model)
        if isinstance(model.get("source"), str):
            model["source"] = portable_source(model["source"])
        section["model"] = model
    for name, value in (item.sections or {}).items():
        section[name] = jsonable(value)
    return section


def report_warnings(text: str, settings: EncodeSettings, items: list[ReportItem]) -> list[str]:
    """Plain warnings for the top of every report format."""
    warnings = []
    if not text:
        warnings.append("the text is empty")
    advice = (
        "this tokenizer read them so even with --split-special-tokens"
        if settings.split_special_tokens
        else "--split-special-tokens encodes them as plain text"
    )
    for item in items:
        if item.result is None:
            continue
        facts = item.result.tokenizer
        if settings.split_special_tokens and facts.algorithm.startswith("SentencePiece"):
            warnings.append(
                f"{facts.id}: SentencePiece never reads special-token strings typed in the text "
                "as control tokens, so --split-special-tokens changes nothing for it"
            )
        typed = item.result.typed_control_count
        if typed:
            many = typed > 1
            warnings.append(
                f"{item.result.tokenizer.id}: {typed} special-token string{'s' if many else ''} "
                f"in the text {'were' if many else 'was'} read as control "
                f'token{"s" if many else ""} (marked "control": true); {advice}'
            )
    return warnings


def build_report(
    text: str,
    pair: str | None,
    settings: EncodeSettings,
    items: list[ReportItem],
    *,
    comparison: bool | None = None,
    whitespace_neutral: bool = True,
) -> dict[str, Any]:
    """The report as a JSON-ready dict. ``comparison`` (default: two or more items) adds the
    comparison section (``whitespace_neutral``: see inspector.core.compare)."""
    report: dict[str, Any] = {
        "schema": SCHEMA,
        "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "environment": environment(),
        "text": text,
        "pair": pair,
        "settings": settings.to_dict(),
        "warnings": report_warnings(text, settings, items),
        "tokenizers": [tokenizer_section(item) for item in items],
    }
    if comparison is None:
        comparison = len(items) >= 2
    if comparison and items:
        report["comparison"] = comparison_section(
            compare(items, whitespace_neutral=whitespace_neutral)
        )
    return report


def result_report(
    result: EncodingResult, requested: str | None = None, model: dict[str, Any] | None = None
) -> dict[str, Any]:
    """The report of one encoding (the GUI's current view)."""
    item = ReportItem(requested or result.tokenizer.id, result, model=model)
    return build_report(result.text, result.pair, result.settings, [item])


def comparison_report(comparison: Comparison, settings: EncodeSettings | None = None) -> dict:
    """The report of a comparison (the GUI's comparison view); failed rows keep their error."""
    items = [ReportItem(row.requested, row.result, row.error) for row in comparison.rows]
    first = next((row.result for row in comparison.rows if row.result is not None), None)
    if settings is None:
        settings = first.settings if first is not None else EncodeSettings()
    return build_report(
        comparison.text,
        comparison.pair,
        settings,
        items,
        comparison=True,
        whitespace_neutral=comparison.whitespace_neutral,
    )


def render_chunks(report: dict[str, Any], fmt: str) -> Iterator[str]:
    """A text format (json, csv, md, html) of the report, in pieces (JSON, CSV and Markdown
    are made as they are written; HTML is made whole, then given as one piece)."""
    if fmt == "json":
        return json_chunks(report)
    if fmt == "csv":
        return csv_chunks(report)
    if fmt == "md":
        return markdown_chunks(report)
    if fmt == "html":
        from inspector.core.report_html import to_html

        return iter([to_html(report)])
    raise ValueError(f"unknown report format {fmt!r}")


def render(report: dict[str, Any], fmt: str) -> str:
    """A text format (json, csv, md, html) of the report, whole."""
    return "".join(render_chunks(report, fmt))


def to_json(report: dict[str, Any]) -> str:
    return render(report, "json")
