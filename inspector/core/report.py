"""Token reports: encoding results → JSON (versioned schema), CSV, Markdown, HTML.

The CLI and the GUI export call the same functions: ``build_report`` makes the report dict
(the JSON), ``render`` turns it into a text format. PDF, PNG and SVG are drawn with Qt, outside
the core: ``inspector.render.export.export_report`` is the one entry point for every format.
Writes are atomic.

With two or more tokenizers the report is a comparison: a ``comparison`` section (see
``inspector.core.compare``) is added, CSV gains an ``unshared`` column and Markdown a
comparison table. An item may carry a ``model`` section (a plain dict from
``inspector.core.analysis.model_section``); numpy arrays in it become lists.
"""

from __future__ import annotations

import csv
import io
import json
import os
import platform
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from inspector import __version__
from inspector.core.encoding import EncodingResult, TokenColumns
from inspector.core.settings import EncodeSettings

if TYPE_CHECKING:  # compare imports this module at run time
    from inspector.core.compare import Comparison

SCHEMA = "token-inspector/report@1"
TEXT_FORMATS = ("json", "csv", "md", "html")  # rendered here, in the core
FORMATS = (*TEXT_FORMATS, "pdf", "png", "svg")  # the last three through inspector.render
LIBRARIES = ("tokenizers", "transformers", "tiktoken", "sentencepiece", "numpy")


@dataclass(frozen=True)
class ReportItem:
    """One ``-t`` of a report: its result, or why it could not be used."""

    requested: str
    result: EncodingResult | None = None
    error: str | None = None
    model: dict[str, Any] | None = None  # analysis.model_section(...) for this tokenizer


def jsonable(value: Any) -> Any:
    """numpy arrays and scalars (at any depth) as plain lists and numbers; NaN/inf as null.
    Floats from arrays are rounded to 6 decimals (a 512-token attention map stays readable)."""
    if isinstance(value, np.ndarray):
        if value.dtype.kind == "f":
            value = np.round(value.astype(np.float64), 6)
            if np.isfinite(value).all():
                return value.tolist()
        return jsonable(value.tolist())
    if isinstance(value, np.generic):
        return jsonable(value.item())
    if isinstance(value, float):
        return value if np.isfinite(value) else None
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    return value


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


def _columns_dict(result: EncodingResult, columns: TokenColumns) -> dict[str, Any]:
    """The token list of one window, built column by column (a 5 MB text has ~1.5M tokens:
    per-token view objects would take minutes). Same values as ``result.token(i)``."""
    texts = (result.text.encode("utf-8", "surrogatepass"), (result.pair or "").encode())
    displays: dict[tuple[int, bool, str], str] = {}

    def display(index: int, token_id: int, special: bool, token: str) -> str:
        key = (token_id, special, token)
        shown = displays.get(key)
        if shown is None:
            shown = displays[key] = result.token(index, columns).display
        return shown

    sequence_ids = columns.sequence_ids.tolist()
    tokens = []
    for index, (
        token_id,
        token,
        start,
        end,
        b0,
        b1,
        special,
        partial,
        group,
        word,
        seq,
    ) in enumerate(
        zip(
            columns.ids.tolist(),
            columns.tokens,
            columns.char_start.tolist(),
            columns.char_end.tolist(),
            columns.byte_start.tolist(),
            columns.byte_end.tolist(),
            columns.special.tolist(),
            columns.partial.tolist(),
            columns.group.tolist(),
            columns.word_ids.tolist(),
            sequence_ids,
            strict=True,
        )
    ):
        in_text = seq >= 0 and not special
        tokens.append(
            {
                "index": index,
                "id": token_id,
                "token": token,
                "display": display(index, token_id, special, token),
                "start": start,
                "end": end,
                "byte_start": b0,
                "byte_end": b1,
                "bytes": texts[seq][b0:b1].hex(" ").upper() if in_text else "",
                "special": special,
                "partial": partial,
                "group": group,
                "word_id": None if word < 0 else word,
                "sequence_id": None if seq < 0 else seq,
            }
        )
    return {
        "tokens": tokens,
        "ids": columns.ids.tolist(),
        "attention_mask": columns.attention_mask.tolist(),
        "token_type_ids": (
            columns.type_ids.tolist() if result.tokenizer.uses_token_type_ids else None
        ),
        "special_tokens_mask": columns.special.astype(int).tolist(),
    }


def tokenizer_section(item: ReportItem) -> dict[str, Any]:
    if item.result is None:
        return {"id": item.requested, "error": item.error}
    result = item.result
    facts = result.tokenizer
    section: dict[str, Any] = {
        "id": facts.id,
        "requested": item.requested,
        "algorithm": facts.algorithm,
        "vocab_size": facts.vocab_size,
        "fingerprint": facts.fingerprint,
        "facts": facts.to_dict(),
    }
    section.update(_columns_dict(result, result.columns))
    section["overflow"] = [_columns_dict(result, window) for window in result.overflow]
    section["roundtrip"] = None if result.roundtrip is None else result.roundtrip.to_dict()
    if result.pair_roundtrip is not None:
        section["pair_roundtrip"] = result.pair_roundtrip.to_dict()
    section["stats"] = result.stats.to_dict()
    if item.model is not None:
        section["model"] = jsonable(item.model)
    return section


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
    warnings = []
    if not text:
        warnings.append("the text is empty")
    report: dict[str, Any] = {
        "schema": SCHEMA,
        "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "environment": environment(),
        "text": text,
        "pair": pair,
        "settings": settings.to_dict(),
        "warnings": warnings,
        "tokenizers": [tokenizer_section(item) for item in items],
    }
    if comparison is None:
        comparison = len(items) >= 2
    if comparison and items:
        from inspector.core.compare import compare, comparison_section

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


def unshared_flags(report: dict[str, Any]) -> dict[int, set[int]]:
    """Tokenizer position in the report → indices of its unshared tokens (comparisons only)."""
    section = report.get("comparison")
    if not section:
        return {}
    return {
        position: set(row.get("unshared_tokens", ()))
        for position, row in enumerate(section["rows"])
    }


def to_json(report: dict[str, Any]) -> str:
    return json.dumps(report, ensure_ascii=False, indent=2) + "\n"


MD_BOUNDARY_LIMIT = 200  # unshared boundaries listed per tokenizer in Markdown

CSV_FIELDS = (
    "tokenizer",
    "window",
    "index",
    "id",
    "token",
    "display",
    "start",
    "end",
    "byte_start",
    "byte_end",
    "bytes",
    "special",
    "partial",
    "group",
    "word_id",
    "sequence_id",
    "attention_mask",
    "token_type_id",
)


def to_csv(report: dict[str, Any]) -> str:
    """One row per token per tokenizer (overflow windows numbered from 1). A comparison adds
    an ``unshared`` column (true where the token's start or end is not a boundary of every
    other tokenizer; empty in overflow windows)."""
    out = io.StringIO()
    unshared = unshared_flags(report)
    fields = (*CSV_FIELDS, "unshared") if "comparison" in report else CSV_FIELDS
    chat = "conversation" in report  # chat hook: a message column (inspector.core.chat_report)
    fields = (*fields, "message") if chat else fields
    writer = csv.DictWriter(out, fieldnames=fields, lineterminator="\n")
    writer.writeheader()
    for position, section in enumerate(report["tokenizers"]):
        if "error" in section:
            continue
        marked = unshared.get(position, set())
        windows = [section, *section["overflow"]]
        for number, window in enumerate(windows):
            types = window["token_type_ids"]
            for token in window["tokens"]:
                row = {key: token.get(key) for key in CSV_FIELDS if key in token}
                row.update(
                    tokenizer=section["id"],
                    window=number,
                    attention_mask=window["attention_mask"][token["index"]],
                    token_type_id=None if types is None else types[token["index"]],
                )
                if "comparison" in report:
                    row["unshared"] = (token["index"] in marked) if number == 0 else None
                if chat:
                    row["message"] = token.get("message")
                writer.writerow(row)
    return out.getvalue()


def _md_cell(value: Any) -> str:
    text = "" if value is None else str(value)
    text = text.replace("\\", "\\\\").replace("|", "\\|").replace("`", "\\`")
    return text.replace("\n", "⏎").replace("\r", "␍")


def _roundtrip_mark(section: dict[str, Any]) -> str:
    trip = section["roundtrip"]
    return "" if trip is None else ("✓" if trip["equal"] else "✗ " + ", ".join(trip["kinds"]))


def to_markdown(report: dict[str, Any]) -> str:
    comparing = "comparison" in report
    unshared = unshared_flags(report)
    rows = report["comparison"]["rows"] if comparing else []
    lines = [
        "# Token comparison" if comparing else "# Token report",
        "",
        f"- Created: {report['created']} with Token Inspector "
        f"{report['environment']['token_inspector']}",
        "- Libraries: "
        + ", ".join(f"{k} {v}" for k, v in report["environment"]["libraries"].items() if v),
        f"- Settings: `{json.dumps(report['settings'])}`",
        f"- Text: {len(report['text'])} characters",
        "",
        "## Summary",
        "",
        "| tokenizer | algorithm | vocab | tokens | chars/token | bytes/token | words/token "
        "| UNK | UNK rate | round-trip |" + (" unshared |" if comparing else ""),
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---|" + ("---:|" if comparing else ""),
    ]
    for position, section in enumerate(report["tokenizers"]):
        if "error" in section:
            lines.append(
                f"| {_md_cell(section['id'])} | error: {_md_cell(section['error'])} | | | | | | | "
                "| |" + (" |" if comparing else "")
            )
            continue
        stats = section["stats"]
        line = (
            f"| {_md_cell(section['id'])} | {_md_cell(section['algorithm'])} "
            f"| {section['vocab_size']} | {stats['tokens']} | {stats['chars_per_token']} "
            f"| {stats['bytes_per_token']} | {stats['words_per_token']} | {stats['unk_count']} "
            f"| {stats['unk_rate']} | {_roundtrip_mark(section)} |"
        )
        if comparing:
            line += f" {len(unshared.get(position, ()))} |"
        lines.append(line)
    if comparing:
        lines += [
            "",
            "A token is *unshared* (≠) when its start or end is not a token boundary of every "
            "other tokenizer, on the UTF-8 bytes of the text"
            + (", whitespace neutral" if report["comparison"]["whitespace_neutral"] else "")
            + ". Unshared boundaries (byte offsets):",
            "",
        ]
        for row in rows:
            if "error" in row:
                continue
            cuts = [str(b["byte"]) for b in row["unshared_boundaries"]]
            shown = ", ".join(cuts[:MD_BOUNDARY_LIMIT])
            if len(cuts) > MD_BOUNDARY_LIMIT:
                shown += f", … ({len(cuts)} in all)"
            lines.append(f"- {_md_cell(row['id'])}: {shown or 'none'}")
    for position, section in enumerate(report["tokenizers"]):
        if "error" in section:
            continue
        marked = unshared.get(position, set())
        lines += [
            "",
            f"## {_md_cell(section['id'])}",
            "",
            f"Fingerprint `{section['fingerprint'][:16]}`, {len(section['tokens'])} tokens"
            + (f", {len(section['overflow'])} overflow windows" if section["overflow"] else ""),
            "",
            "| # | id | token | shown as | span | bytes | special |"
            + (" ≠ |" if comparing else ""),
            "|---:|---:|---|---|---|---|---|" + ("---|" if comparing else ""),
        ]
        for token in section["tokens"]:
            line = (
                f"| {token['index']} | {token['id']} | `{_md_cell(token['token'])}` "
                f"| {_md_cell(token['display'])} | {token['start']}–{token['end']} "
                f"| {token['bytes']} | {'yes' if token['special'] else ''} |"
            )
            if comparing:
                line += " ≠ |" if token["index"] in marked else " |"
            lines.append(line)
    from inspector.core.chat_report import chat_markdown  # chat hook: per-message tables

    lines += chat_markdown(report)
    return "\n".join(lines) + "\n"


def render(report: dict[str, Any], fmt: str) -> str:
    """A text format (json, csv, md, html) of the report."""
    if fmt == "html":
        from inspector.core.report_html import to_html

        return to_html(report)
    if fmt == "json":
        return to_json(report)
    if fmt == "csv":
        return to_csv(report)
    if fmt == "md":
        return to_markdown(report)
    raise ValueError(f"unknown report format {fmt!r}")


def write_atomic(path: Path, content: str | bytes | Iterable[str]) -> None:
    """Write to a temporary file beside ``path``, then rename: never a half-written report.

    ``content`` may come in pieces (an iterable of str): each is encoded on its own, so a
    5 MB text never holds Python's lock for one long encode (the GUI saves that way)."""
    path = path.expanduser()
    pieces: Iterable[str | bytes] = [content] if isinstance(content, (str, bytes)) else content

    def write(out: Any) -> None:
        for piece in pieces:
            out.write(piece.encode("utf-8") if isinstance(piece, str) else piece)

    if path.exists() and not path.is_file():
        # A device or pipe (/dev/stdout, a FIFO): renaming over it would replace it.
        with path.open("wb") as out:
            write(out)
        return
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent or ".")
    try:
        with os.fdopen(handle, "wb") as out:
            write(out)
        os.chmod(temporary, 0o644)  # mkstemp makes it private; a report is an ordinary file
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
