"""Chat in reports, the parts every writer reads: whether a report is a chat report, the
per-message rows, role bands and the Markdown tables (no import of the report builder, so
the writers can use it; ``inspector.core.chat_report`` builds chat reports)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

ROLE_BANDS = ("system", "user", "assistant", "tool")  # each its own band colour; others "other"
BAND_COLOURS = {
    "system": "#8E6BBF",
    "user": "#2E7D32",
    "assistant": "#1565C0",
    "tool": "#B26A00",
    "other": "#6D6D6D",
}


def is_chat(report: dict[str, Any]) -> bool:
    return "conversation" in report


def band_class(token: dict[str, Any], section: dict[str, Any]) -> str:
    """The strip's role band of a token (CSS class), empty outside chat reports."""
    chat = section.get("chat")
    if chat is None:
        return ""
    message = token.get("message")
    if message is None:
        return " scaf"
    role = chat["messages"][message]["role"]
    return f" rb-{role if role in ROLE_BANDS else 'other'}"


def section_text(report: dict[str, Any], section: dict[str, Any]) -> str:
    """The text a tokenizer's spans point into: its rendered conversation in a chat report."""
    chat = section.get("chat")
    return str(chat["rendered"]) if chat is not None else str(report["text"])


# --------------------------------------------------------------------------- tables


def message_rows(section: dict[str, Any]) -> list[dict[str, Any]]:
    """The per-message table of one tokenizer (plus the closing / generation-prompt row)."""
    chat = section["chat"]
    rows = [
        {
            "label": str(m["index"] + 1),
            "role": m["role"],
            "content": m["content_tokens"],
            "scaffolding": m["scaffolding_tokens"],
            "total": m["tokens"],
        }
        for m in chat["messages"]
    ]
    if chat["trailing_tokens"]:
        trailing = chat["trailing_tokens"]
        what = "closing + generation prompt" if chat["add_generation_prompt"] else "closing"
        rows.append(
            {"label": "", "role": what, "content": 0, "scaffolding": trailing, "total": trailing}
        )
    return rows


def chat_context(report: dict[str, Any]) -> dict[str, Any] | None:
    """What the HTML/PDF templates show for a chat report (None otherwise)."""
    if not is_chat(report):
        return None
    tables = []
    for section in report["tokenizers"]:
        if "chat" not in section:
            continue
        chat = section["chat"]
        tables.append(
            {
                "id": section["id"],
                "source": chat["source"],
                "rows": message_rows(section),
                "tokens": chat["tokens"],
                "content_tokens": chat["content_tokens"],
                "overhead": chat["overhead"],
                "rendered": chat["rendered"],
            }
        )
    return {
        "messages": report["conversation"]["messages"],
        "tables": tables,
        "comparison": report.get("chat_comparison"),
        "bands": BAND_COLOURS,
    }


def chat_markdown(report: dict[str, Any], escape: Callable[[Any], str]) -> list[str]:
    """Markdown lines: each tokenizer's per-message table, and the side-by-side counts
    (``escape``: the report's Markdown escaping, for everything from the conversation)."""
    if not is_chat(report):
        return []
    lines = ["", "## Conversation", ""]
    for section in report["tokenizers"]:
        if "chat" not in section:
            continue
        chat = section["chat"]
        lines += [
            f"### {escape(section['id'])}",
            "",
            f"Template: {escape(chat['source'])}. {chat['tokens']} tokens, "
            f"{chat['content_tokens']} of message content, template overhead "
            f"{chat['overhead']}.",
            "",
            "| # | role | content tokens | scaffolding tokens | total |",
            "|---:|---|---:|---:|---:|",
        ]
        for row in message_rows(section):
            lines.append(
                f"| {row['label']} | {escape(row['role'])} | {row['content']} "
                f"| {row['scaffolding']} | {row['total']} |"
            )
        lines.append("")
    comparison = report.get("chat_comparison")
    if comparison:
        heads = [f"{m['index'] + 1} {escape(m['role'])}" for m in comparison["messages"]]
        lines += [
            "### Side by side",
            "",
            "| tokenizer | total | content | overhead | " + " | ".join(heads) + " |",
            "|---|---:|---:|---:|" + "---:|" * len(heads),
        ]
        for row in comparison["rows"]:
            if "error" in row:
                lines.append(f"| {escape(row['id'])} | error: {escape(row['error'])} |")
                continue
            counts = " | ".join(str(n) for n in row["messages"])
            lines.append(
                f"| {escape(row['id'])} | {row['tokens']} | {row['content_tokens']} "
                f"| {row['overhead']} | {counts} |"
            )
    return lines
