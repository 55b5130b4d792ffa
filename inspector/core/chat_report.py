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
        [_report_item(item) for item in items],
        comparison=False,
    )
    report["conversation"] = conversation.to_dict()
    # The template writes its own control tokens: only those inside a message's content were
    # typed by someone (a prompt injection), so the text report's count is replaced.
    report["warnings"] = [
        w
        for w in report["warnings"]
        if w != "the text is empty" and "read as control token" not in w
    ]
    for section, item in zip(report["tokenizers"], items, strict=True):
        if item.chat is not None and "error" not in section:
            report["warnings"] += [f"{section['id']}: {w}" for w in item.chat.warnings]
            typed = int((item.chat.result.columns.control & (item.chat.message >= 0)).sum())
            if typed:
                report["warnings"].append(
                    f"{section['id']}: {typed} special-token string(s) inside message content "
                    "read as control tokens (the template's own are not counted)"
                )
    if len(items) >= 2:
        report["chat_comparison"] = chat_comparison(report)
    return report


def _report_item(item: ChatItem) -> ReportItem:
    """The report's item: ``message`` on each token and the ``chat`` section ride along."""
    chat = item.chat
    if chat is None:
        return ReportItem(item.requested, None, item.error, item.model)
    messages = [None if m < 0 else m for m in chat.message.tolist()]
    return ReportItem(
        item.requested,
        chat.result,
        item.error,
        item.model,
        token_fields={"message": messages},
        sections={"chat": chat.to_dict()},
    )


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
