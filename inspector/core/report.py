"""Token reports: encoding results → JSON (versioned schema), CSV, Markdown.

The CLI and the GUI export call the same functions. Writes are atomic.
"""

from __future__ import annotations

import csv
import io
import json
import os
import platform
import tempfile
from dataclasses import dataclass
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path
from typing import Any

from inspector import __version__
from inspector.core.encoding import EncodingResult, TokenColumns
from inspector.core.settings import EncodeSettings

SCHEMA = "token-inspector/report@1"
FORMATS = ("json", "csv", "md")
LIBRARIES = ("tokenizers", "transformers", "tiktoken", "sentencepiece", "numpy")


@dataclass(frozen=True)
class ReportItem:
    """One ``-t`` of a report: its result, or why it could not be used."""

    requested: str
    result: EncodingResult | None = None
    error: str | None = None


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
    return section


def build_report(
    text: str, pair: str | None, settings: EncodeSettings, items: list[ReportItem]
) -> dict[str, Any]:
    warnings = []
    if not text:
        warnings.append("the text is empty")
    return {
        "schema": SCHEMA,
        "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "environment": environment(),
        "text": text,
        "pair": pair,
        "settings": settings.to_dict(),
        "warnings": warnings,
        "tokenizers": [tokenizer_section(item) for item in items],
    }


def to_json(report: dict[str, Any]) -> str:
    return json.dumps(report, ensure_ascii=False, indent=2) + "\n"


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
    """One row per token per tokenizer (overflow windows numbered from 1)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_FIELDS, lineterminator="\n")
    writer.writeheader()
    for section in report["tokenizers"]:
        if "error" in section:
            continue
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
                writer.writerow(row)
    return out.getvalue()


def _md_cell(value: Any) -> str:
    text = "" if value is None else str(value)
    text = text.replace("\\", "\\\\").replace("|", "\\|").replace("`", "\\`")
    return text.replace("\n", "⏎").replace("\r", "␍")


def to_markdown(report: dict[str, Any]) -> str:
    lines = [
        "# Token report",
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
        "| UNK | round-trip |",
        "|---|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    for section in report["tokenizers"]:
        if "error" in section:
            lines.append(
                f"| {_md_cell(section['id'])} | error: {_md_cell(section['error'])} | | | | | | | |"
            )
            continue
        stats = section["stats"]
        trip = section["roundtrip"]
        mark = "" if trip is None else ("✓" if trip["equal"] else "✗ " + ", ".join(trip["kinds"]))
        lines.append(
            f"| {_md_cell(section['id'])} | {_md_cell(section['algorithm'])} "
            f"| {section['vocab_size']} | {stats['tokens']} | {stats['chars_per_token']} "
            f"| {stats['bytes_per_token']} | {stats['words_per_token']} | {stats['unk_count']} "
            f"| {mark} |"
        )
    for section in report["tokenizers"]:
        if "error" in section:
            continue
        lines += [
            "",
            f"## {_md_cell(section['id'])}",
            "",
            f"Fingerprint `{section['fingerprint'][:16]}`, {len(section['tokens'])} tokens"
            + (f", {len(section['overflow'])} overflow windows" if section["overflow"] else ""),
            "",
            "| # | id | token | shown as | span | bytes | special |",
            "|---:|---:|---|---|---|---|---|",
        ]
        for token in section["tokens"]:
            lines.append(
                f"| {token['index']} | {token['id']} | `{_md_cell(token['token'])}` "
                f"| {_md_cell(token['display'])} | {token['start']}–{token['end']} "
                f"| {token['bytes']} | {'yes' if token['special'] else ''} |"
            )
    return "\n".join(lines) + "\n"


def render(report: dict[str, Any], fmt: str) -> str:
    if fmt == "json":
        return to_json(report)
    if fmt == "csv":
        return to_csv(report)
    if fmt == "md":
        return to_markdown(report)
    raise ValueError(f"unknown report format {fmt!r}")


def write_atomic(path: Path, content: str) -> None:
    """Write to a temporary file beside ``path``, then rename: never a half-written report."""
    path = path.expanduser()
    if path.exists() and not path.is_file():
        # A device or pipe (/dev/stdout, a FIFO): renaming over it would replace it.
        with path.open("w", encoding="utf-8", newline="") as out:
            out.write(content)
        return
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent or ".")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            out.write(content)
        os.chmod(temporary, 0o644)  # mkstemp makes it private; a report is an ordinary file
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
