"""``report --chat FILE.json``: a conversation under each tokenizer's own chat template.

Called by ``inspector.cli`` (its exit codes and one-line errors). With ``--model``, the model
runs on the conversation rendered by its own tokenizer's template.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from inspector.core.errors import InspectorError


def run_chat_report(
    args: argparse.Namespace, parser: argparse.ArgumentParser, names: list[str], fmt: str
) -> int:
    from inspector.cli import (
        EXIT_OK,
        EXIT_UNUSABLE,
        _check_output,
        _fail,
        _same_tokenizer,
        _write,
        load_model_noting,
    )
    from inspector.core.catalog import Catalog
    from inspector.core.chat import apply_chat, read_conversation
    from inspector.core.chat_report import ChatItem, build_chat_report
    from inspector.render.export import render_pieces

    not_for_chat = {
        "--pair": args.pair is not None or args.pair_file is not None,
        "--max-length": args.max_length is not None,
        "--truncation": args.truncation is not None,
        "--padding": args.padding != "none",
        "--stride": bool(args.stride),
        "--pretokenized": args.pretokenized,
        "--no-special-tokens": args.no_special_tokens,
    }
    given = [flag for flag, used in not_for_chat.items() if used]
    if given:
        parser.error(
            f"{', '.join(given)} cannot be used with --chat (the template writes every token)"
        )
    if args.output is not None:
        _check_output(args.output)  # before any work, as for a text report
    conversation = read_conversation(args.chat)
    catalog = Catalog()
    model = None
    if args.model:
        model = load_model_noting(args)
        if not any(_same_tokenizer(catalog, name, model.tokenizer_name) for name in names):
            names.append(model.tokenizer_name)
    items: list[ChatItem] = []
    for name in names:
        try:
            tok = catalog.load(name, trust_remote_code=args.trust_remote_code)
            chat = apply_chat(
                tok,
                conversation,
                add_generation_prompt=args.add_generation_prompt,
                template_path=args.chat_template,
            )
            section = None
            if model is not None and _same_tokenizer(catalog, name, model.tokenizer_name):
                section = _model_section(args, model, catalog, chat.rendered)
            items.append(ChatItem(name, chat, model=section))
        except InspectorError as err:
            items.append(ChatItem(name, error=str(err)))
            _fail(str(err))  # the others still go into the report
    report = build_chat_report(conversation, items)
    _write(render_pieces(report, fmt), args.output)
    return EXIT_UNUSABLE if any(item.error for item in items) else EXIT_OK


def _model_section(
    args: argparse.Namespace, model: Any, catalog: Any, rendered: str
) -> dict[str, Any]:
    """The model on the rendered conversation, encoded as the template wrote it."""
    from inspector.core.analysis import model_report
    from inspector.core.chat import CHAT_SETTINGS

    section = model_report(
        model, rendered, None, settings=CHAT_SETTINGS, attention=args.attention, catalog=catalog
    )
    for notice in section.get("notices", ()):
        print(f"token-inspector: {notice}", file=sys.stderr)
    return section
