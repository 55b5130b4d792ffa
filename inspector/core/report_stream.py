"""JSON, CSV and Markdown reports written as they are made, a chunk of token rows at a time.

Nothing here holds more than one chunk of rows (``report_model.CHUNK``) as Python strings:
``json_chunks``/``csv_chunks``/``markdown_chunks`` yield pieces of the file, so ``| head``
sees the first bytes at once and a 50 MB text's report needs memory for its columns only.
The JSON is byte for byte what ``json.dumps(report, ensure_ascii=False, indent=2)`` gives
for the same report with its rows as lists (tests compare the two).

Markdown escapes every character that Markdown or HTML could read as markup in whatever
comes from the text, a tokenizer or a path (such punctuation is backslash-escaped, line
breaks become ⏎/␍): a viewer that allows HTML shows ``<script>`` as those characters.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Iterator
from json.encoder import encode_basestring
from typing import Any

from inspector.core.chat_tables import chat_markdown
from inspector.core.report_model import TOKEN_KEYS, ColumnList, TokenRows, unshared_flags

INDENT = "  "

# ---------------------------------------------------------------------------------- JSON

_BOOL = {True: "true", False: "false"}
_INT_KEYS = ("index", "id", "start", "end", "byte_start", "byte_end", "group")


def _cached(convert: Callable[[str], str]) -> Callable[[str], str]:
    """``convert`` remembered per string: token strings repeat (bounded, whatever the vocab)."""
    done: dict[str, str] = {}

    def cached(text: str) -> str:
        found = done.get(text)
        if found is None:
            if len(done) > 500_000:
                done.clear()
            found = done[text] = convert(text)
        return found

    return cached


def _optional(value: int | None) -> str:
    return "null" if value is None else str(value)


def _lazy(value: Any) -> bool:
    if isinstance(value, (TokenRows, ColumnList)):
        return True
    if isinstance(value, dict):
        return any(_lazy(item) for item in value.values())
    if isinstance(value, list):
        return any(isinstance(item, dict) and _lazy(item) for item in value)
    return False


def _plain(value: Any, level: int) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2).replace("\n", "\n" + INDENT * level)


def _json_value(value: Any, level: int) -> Iterator[str]:
    """``value`` as ``json.dumps(..., indent=2)`` writes it at nesting ``level``."""
    if isinstance(value, TokenRows):
        yield from _json_rows(value, level)
    elif isinstance(value, ColumnList):
        yield from _json_list(value.json_chunks(), level)
    elif isinstance(value, dict) and _lazy(value):
        if not value:
            yield "{}"
            return
        inner = INDENT * (level + 1)
        yield "{\n"
        for position, (key, item) in enumerate(value.items()):
            yield (",\n" if position else "") + inner + encode_basestring(str(key)) + ": "
            yield from _json_value(item, level + 1)
        yield "\n" + INDENT * level + "}"
    elif isinstance(value, list) and _lazy(value):
        if not value:
            yield "[]"
            return
        inner = INDENT * (level + 1)
        yield "[\n"
        for position, item in enumerate(value):
            yield (",\n" if position else "") + inner
            yield from _json_value(item, level + 1)
        yield "\n" + INDENT * level + "]"
    else:
        yield _plain(value, level)


def _json_list(chunks: Iterator[list[str]], level: int) -> Iterator[str]:
    """A list whose items come as chunks of JSON texts (each item on its own line)."""
    inner = INDENT * (level + 1)
    separator = ",\n" + inner
    first = True
    for texts in chunks:
        if not texts:
            continue
        yield ("[\n" + inner if first else separator) + separator.join(texts)
        first = False
    yield "[]" if first else "\n" + INDENT * level + "]"


def _json_rows(rows: TokenRows, level: int) -> Iterator[str]:
    item = INDENT * (level + 1)
    key_indent = INDENT * (level + 2)
    template = (
        (
            "{\n"
            + ",\n".join(f"{key_indent}{encode_basestring(k)}: %s" for k in rows.keys)
            + "\n"
            + item
            + "}"
        )
        .replace("%s", "\0")
        .replace("%", "%%")
        .replace("\0", "%s")
    )
    quoted = _cached(encode_basestring)  # token and display strings repeat: escape each once

    def texts(values: dict[str, list[Any]]) -> list[str]:
        columns: list[Any] = []
        for key in rows.keys:
            column = values[key]
            if key in _INT_KEYS:
                columns.append(map(str, column))
            elif key in ("token", "display"):
                columns.append(map(quoted, column))
            elif key == "bytes":
                columns.append(['"' + b + '"' for b in column])  # hex digits and spaces
            elif key in ("special", "control", "partial"):
                columns.append(map(_BOOL.__getitem__, column))
            elif key in ("word_id", "sequence_id"):
                columns.append(map(_optional, column))
            else:  # extra fields: any JSON value
                columns.append([json.dumps(v, ensure_ascii=False) for v in column])
        return list(map(template.__mod__, zip(*columns, strict=True)))

    yield from _json_list((texts(values) for _start, values in rows.chunks()), level)


def json_chunks(report: dict[str, Any]) -> Iterator[str]:
    """The JSON report (schema token-inspector/report@1) in pieces."""
    yield from _json_value(report, 0)
    yield "\n"


# ----------------------------------------------------------------------------------- CSV

CSV_FIELDS = ("tokenizer", "window", *TOKEN_KEYS, "attention_mask", "token_type_id")
_CSV_TOKEN_KEYS = CSV_FIELDS[2:-2]


def csv_chunks(report: dict[str, Any]) -> Iterator[str]:
    """One row per token per tokenizer (overflow windows numbered from 1). A comparison adds
    an ``unshared`` column (true where the token's start or end is not a boundary of every
    other tokenizer; empty in overflow windows)."""
    comparing = "comparison" in report
    unshared = unshared_flags(report)
    # Extra per-token fields (a chat report's ``message``) become columns after the others.
    extra = list(
        dict.fromkeys(
            name
            for section in report["tokenizers"]
            if "error" not in section
            for name in section["tokens"].extra
        )
    )
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow((*CSV_FIELDS, *(["unshared"] if comparing else []), *extra))
    yield out.getvalue()
    for position, section in enumerate(report["tokenizers"]):
        if "error" in section:
            continue
        marked = unshared.get(position, set())
        for number, window in enumerate([section, *section["overflow"]]):
            rows: TokenRows = window["tokens"]
            masks = window["attention_mask"]
            types = window["token_type_ids"]
            for start, values in rows.chunks():
                stop = start + len(values["index"])
                columns: list[Any] = [
                    [section["id"]] * (stop - start),
                    [number] * (stop - start),
                    *(values[key] for key in _CSV_TOKEN_KEYS),
                    masks[start:stop],
                    [None] * (stop - start) if types is None else types[start:stop],
                ]
                if comparing:
                    indices = values["index"]
                    columns.append(
                        [i in marked for i in indices] if number == 0 else [None] * len(indices)
                    )
                columns += [values.get(name, [None] * (stop - start)) for name in extra]
                out.seek(0)
                out.truncate()
                writer.writerows(zip(*columns, strict=True))
                yield out.getvalue()


# ------------------------------------------------------------------------------ Markdown

MD_BOUNDARY_LIMIT = 200  # unshared boundaries listed per tokenizer in Markdown
# The ASCII punctuation that can start markup inline: emphasis, code, links and images,
# HTML and entities, table cells, strikethrough, headings, GFM autolinks (: and @), math ($).
# Backslash-escaped; everything else (quotes, parentheses, "/", "-", ".") stays readable.
_MARKUP = re.compile(r"[\\`*_\[\]<>&|!~#:$@]")


def md_escape(value: Any) -> str:
    """Text for any Markdown cell or heading: shows its characters, never markup."""
    text = "" if value is None else str(value)
    text = text.replace("\n", "⏎").replace("\r", "␍")
    return _MARKUP.sub(r"\\\g<0>", text)


def _roundtrip_mark(section: dict[str, Any]) -> str:
    trip = section["roundtrip"]
    if trip is None:
        return ""
    return "✓" if trip["equal"] else "✗ " + md_escape(", ".join(trip["kinds"]))


def _md_head(report: dict[str, Any]) -> list[str]:
    comparing = "comparison" in report
    unshared = unshared_flags(report)
    environment = report["environment"]
    libraries = ", ".join(f"{k} {v}" for k, v in environment["libraries"].items() if v)
    lines = [
        "# Token comparison" if comparing else "# Token report",
        "",
        # Our own values (time, versions, settings: no text, no path), so no escaping; the
        # settings JSON holds no backtick that could end its code span.
        f"- Created: {report['created']} with Token Inspector {environment['token_inspector']}",
        f"- Libraries: {md_escape(libraries)}",
        f"- Settings: `{json.dumps(report['settings'])}`",
        f"- Text: {len(report['text'])} characters",
    ]
    lines += [f"- Warning: {md_escape(warning)}" for warning in report.get("warnings", ())]
    lines += [
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
                f"| {md_escape(section['id'])} | error: {md_escape(section['error'])} "
                "| | | | | | | | |" + (" |" if comparing else "")
            )
            continue
        stats = section["stats"]
        line = (
            f"| {md_escape(section['id'])} | {md_escape(section['algorithm'])} "
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
        for row in report["comparison"]["rows"]:
            if "error" in row:
                continue
            cuts = [str(b["byte"]) for b in row["unshared_boundaries"]]
            shown = ", ".join(cuts[:MD_BOUNDARY_LIMIT])
            if len(cuts) > MD_BOUNDARY_LIMIT:
                shown += f", … ({len(cuts)} in all)"
            lines.append(f"- {md_escape(row['id'])}: {shown or 'none'}")
    return lines


def markdown_chunks(report: dict[str, Any]) -> Iterator[str]:
    comparing = "comparison" in report
    unshared = unshared_flags(report)
    yield "\n".join(_md_head(report)) + "\n"
    escape = _cached(md_escape)
    for position, section in enumerate(report["tokenizers"]):
        if "error" in section:
            continue
        marked = unshared.get(position, set())
        rows: TokenRows = section["tokens"]
        overflow = section["overflow"]
        yield (
            "\n".join(
                [
                    "",
                    f"## {md_escape(section['id'])}",
                    "",
                    f"Fingerprint {md_escape(section['fingerprint'][:16])}, {len(rows)} tokens"
                    + (f", {len(overflow)} overflow windows" if overflow else ""),
                    "",
                    "| # | id | token | shown as | span | bytes | special |"
                    + (" ≠ |" if comparing else ""),
                    "|---:|---:|---|---|---|---|---|" + ("---|" if comparing else ""),
                ]
            )
            + "\n"
        )
        for _start, values in rows.chunks():
            lines = []
            for index, token_id, token, shown, start, end, data, special, control in zip(
                values["index"],
                values["id"],
                values["token"],
                values["display"],
                values["start"],
                values["end"],
                values["bytes"],
                values["special"],
                values["control"],
                strict=True,
            ):
                kind = "yes" if special else ("typed control" if control else "")
                line = (
                    f"| {index} | {token_id} | {escape(token)} | {escape(shown)} "
                    f"| {start}–{end} | {data} | {kind} |"
                )
                if comparing:
                    line += " ≠ |" if index in marked else " |"
                lines.append(line)
            yield "\n".join(lines) + "\n"
    chat = chat_markdown(report, md_escape)  # a chat report's per-message tables
    if chat:
        yield "\n".join(chat) + "\n"
