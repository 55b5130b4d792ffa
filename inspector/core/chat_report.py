"""Chat in reports: the ``chat`` section of each tokenizer, ``message`` on each token, the
per-message tables (Markdown, HTML, PDF) and, with several tokenizers, the conversation's
counts side by side.

A chat report is an ordinary report (``inspector.core.report.build_report``) of each
tokenizer's encoding of its own rendered conversation, with these additions:

- ``conversation``: the messages (and tools) as given;
- per tokenizer ``chat``: {source, add_generation_prompt, rendered, tokens, content_tokens,
  overhead, trailing_tokens, messages: [{index, role, tokens, content_tokens,
  scaffolding_tokens, start, end}], warnings}; each token gains ``message`` (null for
  template scaffolding). Token spans are into that tokenizer's own ``chat.rendered``;
- ``chat_comparison`` with two or more tokenizers: per tokenizer its totals and per-message
  counts. The byte-axis ``comparison`` is left out: each template renders its own text.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from inspector.core.chat import CHAT_SETTINGS, ChatResult, Conversation
from inspector.core.report import ReportItem, build_report

ROLE_BANDS = ("system", "user", "assistant", "tool")  # each its own band colour; others "other"
BAND_COLOURS = {
    "system": "#8E6BBF",
    "user": "#2E7D32",
    "assistant": "#1565C0",
    "tool": "#B26A00",
    "other": "#6D6D6D",
}


@dataclass(frozen=True)
class ChatItem:
    """One ``-t`` of a chat report: its chat result, or why it could not be used."""

    requested: str
    chat: ChatResult | None = None
    error: str | None = None
    model: dict[str, Any] | None = None


def build_chat_report(conversation: Conversation, items: list[ChatItem]) -> dict[str, Any]:
    """The report of one conversation under each tokenizer's own template."""
    first = next((item.chat for item in items if item.chat is not None), None)
    report = build_report(
        first.rendered if first is not None else "",
        None,
        CHAT_SETTINGS,
        [ReportItem(i.requested, _result_of(i), i.error, i.model) for i in items],
        comparison=False,
    )
    attach_chat(report, conversation, [item.chat for item in items])
    return report


def _result_of(item: ChatItem) -> Any:
    return None if item.chat is None else item.chat.result


def attach_chat(
    report: dict[str, Any], conversation: Conversation, chats: list[ChatResult | None]
) -> None:
    """Add the chat sections to a report whose tokenizers are, in order, ``chats``."""
    report["conversation"] = conversation.to_dict()
    report["warnings"] = [w for w in report["warnings"] if w != "the text is empty"]
    for section, chat in zip(report["tokenizers"], chats, strict=True):
        if chat is None or "error" in section:
            continue
        section["chat"] = chat.to_dict()
        for token, message in zip(section["tokens"], chat.message.tolist(), strict=True):
            token["message"] = None if message < 0 else message
        report["warnings"] += [f"{section['id']}: {w}" for w in chat.warnings]
    if len(chats) >= 2:
        report["chat_comparison"] = chat_comparison(report)


def chat_comparison(report: dict[str, Any]) -> dict[str, Any]:
    messages = report["conversation"]["messages"]
    rows = []
    for section in report["tokenizers"]:
        chat = section.get("chat")
        if chat is None:
            rows.append({"id": section["id"], "error": section.get("error", "no chat")})
            continue
        rows.append(
            {
                "id": section["id"],
                "requested": section.get("requested", section["id"]),
                "tokens": chat["tokens"],
                "content_tokens": chat["content_tokens"],
                "overhead": chat["overhead"],
                "trailing_tokens": chat["trailing_tokens"],
                "messages": [m["tokens"] for m in chat["messages"]],
                "message_content_tokens": [m["content_tokens"] for m in chat["messages"]],
            }
        )
    return {"messages": [{"index": i, "role": m["role"]} for i, m in enumerate(messages)],
            "rows": rows}  # fmt: skip


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


def _cell(value: Any) -> str:
    text = "" if value is None else str(value)
    text = text.replace("\\", "\\\\").replace("|", "\\|").replace("`", "\\`")
    return text.replace("\n", "⏎").replace("\r", "␍")


def chat_markdown(report: dict[str, Any]) -> list[str]:
    """Markdown lines: each tokenizer's per-message table, and the side-by-side counts."""
    if not is_chat(report):
        return []
    lines = ["", "## Conversation", ""]
    for section in report["tokenizers"]:
        if "chat" not in section:
            continue
        chat = section["chat"]
        lines += [
            f"### {_cell(section['id'])}",
            "",
            f"Template: {_cell(chat['source'])}. {chat['tokens']} tokens, "
            f"{chat['content_tokens']} of message content, template overhead "
            f"{chat['overhead']}.",
            "",
            "| # | role | content tokens | scaffolding tokens | total |",
            "|---:|---|---:|---:|---:|",
        ]
        for row in message_rows(section):
            lines.append(
                f"| {row['label']} | {_cell(row['role'])} | {row['content']} "
                f"| {row['scaffolding']} | {row['total']} |"
            )
        lines.append("")
    comparison = report.get("chat_comparison")
    if comparison:
        heads = [f"{m['index'] + 1} {_cell(m['role'])}" for m in comparison["messages"]]
        lines += [
            "### Side by side",
            "",
            "| tokenizer | total | content | overhead | " + " | ".join(heads) + " |",
            "|---|---:|---:|---:|" + "---:|" * len(heads),
        ]
        for row in comparison["rows"]:
            if "error" in row:
                lines.append(f"| {_cell(row['id'])} | error: {_cell(row['error'])} |")
                continue
            counts = " | ".join(str(n) for n in row["messages"])
            lines.append(
                f"| {_cell(row['id'])} | {row['tokens']} | {row['content_tokens']} "
                f"| {row['overhead']} | {counts} |"
            )
    return lines
