"""Command line: ``token-inspector [tokenizers|report] ...``; no subcommand opens the app.

Exit codes: 0 ok, 1 internal error (a bug), 2 usage error, 3 a tokenizer, model, input or
output that cannot be used (not enough memory included). Failures print one plain line with
what to do, never a traceback (``--debug`` shows it). SIGTERM and SIGHUP stop like Ctrl+C:
a report being written leaves no temporary file.

Subcommands are the ``COMMANDS`` table: a name → (add its arguments, run it).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import threading
import time
import traceback
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from inspector import __version__
from inspector.core.devices import DEVICE_CHOICES
from inspector.core.errors import InspectorError

EXIT_OK, EXIT_INTERNAL, EXIT_USAGE, EXIT_UNUSABLE = 0, 1, 2, 3
INT_LIMIT = 2**31 - 1  # what the tokenizer libraries take as a length


def _count(value: str) -> int:
    """An argparse type: a whole number the libraries can take (0…2³¹−1)."""
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{value}' is not a whole number") from None
    if not 0 <= number <= INT_LIMIT:
        raise argparse.ArgumentTypeError(f"{value} is not between 0 and {INT_LIMIT}")
    return number


def _positive(value: str) -> int:
    number = _count(value)
    if number < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return number


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="token-inspector",
        description="See exactly what a tokenizer does to a piece of text.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("--debug", action="store_true", help="show tracebacks on errors")
    gui = parser.add_argument_group("window (when no command is given)")
    gui.add_argument(
        "-t", "--tokenizer", dest="gui_tokenizer", metavar="ID", help="open with this tokenizer"
    )
    gui_text = gui.add_mutually_exclusive_group()
    gui_text.add_argument("--text", dest="gui_text", help="open with this text")
    gui_text.add_argument("--file", dest="gui_file", type=Path, help="open with this text file")
    gui.add_argument(
        "--screenshot",
        type=Path,
        metavar="PATH",
        help="draw the window, save it as a PNG and exit (works offscreen)",
    )
    gui.add_argument(
        "--lang",
        dest="gui_lang",
        choices=("zh_CN", "en"),
        help="window language for this run (default: the saved choice, else the system's)",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, (add_arguments, _run) in COMMANDS.items():
        add_arguments(commands, name)
    return parser


def _add_tokenizers_arguments(commands: Any, name: str) -> None:
    listing = commands.add_parser(
        name, help="list the offline tokenizer catalog", description="List the catalog."
    )
    listing.add_argument("--json", action="store_true", help="print JSON")
    listing.add_argument(
        "--no-load",
        dest="load",
        action="store_false",
        help="only list (by default each entry is loaded to check it works offline)",
    )


def _add_report_arguments(commands: Any, name: str) -> None:
    from inspector.core.report import FORMATS
    from inspector.core.settings import PADDING_CHOICES, TRUNCATION_CHOICES

    report = commands.add_parser(
        name,
        help="encode a text and write a token report",
        description="Encode a text with one or more tokenizers and write a report.",
    )
    report.add_argument(
        "-t",
        "--tokenizer",
        action="append",
        default=[],
        metavar="ID",
        help="catalog id or alias, HF hub id, folder, tokenizer.json, .model or .tiktoken "
        "(repeat for several: the report is then a comparison)",
    )
    report.add_argument(
        "--preset",
        choices=("classic",),
        help="add the classic comparison: BERT-uncased WordPiece, GPT-2, cl100k, o200k, "
        "Mistral SentencePiece, Qwen2.5",
    )
    source = report.add_mutually_exclusive_group(required=True)
    source.add_argument("--text", help="the text itself")
    source.add_argument("--file", type=Path, help="read the text from a file ('-' = stdin)")
    source.add_argument("-", dest="stdin", action="store_true", help="read the text from stdin")
    # chat hook (inspector.cli_chat): a conversation instead of a text
    source.add_argument("--chat", type=Path, metavar="FILE.json", help="a conversation (JSON)")
    report.add_argument("--add-generation-prompt", action="store_true", help="with --chat")
    report.add_argument("--chat-template", type=Path, metavar="PATH", help="with --chat: .jinja")
    pair = report.add_mutually_exclusive_group()
    pair.add_argument("--pair", help="second text of a sentence pair")
    pair.add_argument("--pair-file", type=Path, help="read the pair text from a file")
    report.add_argument("--no-special-tokens", action="store_true", help="add_special_tokens=False")
    report.add_argument("--max-length", type=_positive, metavar="N")
    report.add_argument("--truncation", choices=TRUNCATION_CHOICES, default=None)
    report.add_argument("--padding", choices=PADDING_CHOICES, default="none")
    report.add_argument("--padding-side", choices=("right", "left"), default="right")
    report.add_argument("--stride", type=_count, default=0, metavar="N")
    report.add_argument(
        "--split-special-tokens",
        action="store_true",
        help="encode special-token strings typed in the text (<|endoftext|>, [CLS]) as plain "
        "text, not as control tokens (split_special_tokens=True)",
    )
    report.add_argument(
        "--pretokenized",
        action="store_true",
        help="split on whitespace first (is_split_into_words)",
    )
    report.add_argument(
        "--strict-boundaries",
        action="store_true",
        help="compare raw byte positions (by default a run of whitespace counts as one place, "
        "so 'hello| world' and 'hello |world' agree)",
    )
    report.add_argument(
        "--format",
        choices=FORMATS,
        default=None,
        help="default: from the -o file name, else json (pdf/png/svg are drawn with Qt, offscreen)",
    )
    report.add_argument("-o", "--output", type=Path, help="write here instead of stdout")
    report.add_argument(
        "--errors",
        choices=("strict", "replace"),
        default="strict",
        help="what to do with bytes that are not UTF-8 (default: refuse)",
    )
    model = report.add_argument_group("model (adds a model section)")
    model.add_argument(
        "--model",
        metavar="ID",
        help="run a model on the text: all-MiniLM-L6-v2, smollm2-135m, a folder or an HF id; "
        "its own tokenizer joins the report if no -t names it",
    )
    model.add_argument("--device", choices=DEVICE_CHOICES, default="auto")
    model.add_argument(
        "--attention",
        choices=("mean", "full", "none"),
        default="mean",
        help="attention in the report: mean over heads per layer, every head, or none",
    )
    model.add_argument(
        "--allow-pickle",
        action="store_true",
        help="allow PyTorch pickle weights (.bin) when a model has no safetensors",
    )
    report.add_argument(
        "--trust-remote-code",
        action="store_true",
        help="allow a hub/folder tokenizer to run its own Python code (off by default)",
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        if args.command in COMMANDS:
            from inspector.core.files import exit_on_termination

            if threading.current_thread() is not threading.main_thread():
                return COMMANDS[args.command][1](args, parser)
            with exit_on_termination():
                return COMMANDS[args.command][1](args, parser)
        return _gui(args)
    except InspectorError as err:
        _fail(str(err))
        return EXIT_UNUSABLE
    except BrokenPipeError:
        # The reader went away (| head): stop quietly, as Unix tools do.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except KeyboardInterrupt:
        _fail("interrupted")
        return 130
    except MemoryError:
        _fail(
            "not enough memory for this report: try a shorter text, fewer tokenizers, or "
            "JSON/CSV/Markdown (they are written as they are made)"
        )
        return EXIT_UNUSABLE
    except Exception as err:
        if args.debug:
            traceback.print_exc()
        _fail(f"internal error: {type(err).__name__}: {err} (run with --debug for details)")
        return EXIT_INTERNAL


def _fail(message: str) -> None:
    print(f"token-inspector: error: {message}", file=sys.stderr)


def _gui(args: argparse.Namespace) -> int:
    from inspector.core.textinput import read_text_file

    text = args.gui_text
    if args.gui_file is not None:
        text = read_text_file(args.gui_file)
    from inspector.gui.app import run_gui

    return run_gui(
        tokenizer=args.gui_tokenizer, text=text, screenshot=args.screenshot, lang=args.gui_lang
    )


def _tokenizers(args: argparse.Namespace, _parser: argparse.ArgumentParser) -> int:
    """List the catalog; unless --no-load, load each entry (offline) and say how it went."""
    from inspector.core.catalog import Catalog

    catalog = Catalog()
    rows = []
    status = EXIT_OK
    width = max(len(entry.id) for entry in catalog.entries)
    for entry in catalog.entries:
        row = entry.to_dict()
        if args.load:
            started = time.perf_counter()
            try:
                tok = catalog.load(entry.id)
            except InspectorError as err:
                row.update(loaded=False, error=str(err))
                status = EXIT_UNUSABLE
            else:
                row.update(
                    loaded=True,
                    vocab_size=tok.facts.vocab_size,
                    algorithm=tok.facts.algorithm,
                    fingerprint=tok.facts.fingerprint,
                    load_seconds=round(time.perf_counter() - started, 3),
                )
        rows.append(row)
        if not args.json:  # one line as each entry is checked
            line = f"{row['id']:<{width}}  {row['title']}"
            if args.load:
                line += (
                    f"  [loaded: {row['vocab_size']} ids, {row['load_seconds']:.2f} s]"
                    if row["loaded"]
                    else f"  [FAILED: {row['error']}]"
                )
            print(line, flush=True)
            print(f"{'':<{width}}  from {row['origin']}")
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return status
    print("\nAlso accepted by -t: an HF hub id, a save_pretrained folder, a tokenizer.json,")
    print("a SentencePiece .model or a .tiktoken file.")
    return status


def _read_input(args: argparse.Namespace) -> tuple[str, str | None]:
    from inspector.core.textinput import check_argument_text, read_stream, read_text_file

    if args.text is not None:
        text = check_argument_text(args.text, "--text")
    elif args.stdin or (args.file is not None and str(args.file) == "-"):
        text = read_stream(sys.stdin.buffer, errors=args.errors)
    else:
        text = read_text_file(args.file, errors=args.errors)
    pair = None if args.pair is None else check_argument_text(args.pair, "--pair")
    if args.pair_file is not None:
        pair = read_text_file(args.pair_file, errors=args.errors)
    return text, pair


def _report(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    from inspector.core.catalog import Catalog
    from inspector.core.compare import MAX_ROWS, PRESET_CLASSIC
    from inspector.core.encoding import encode
    from inspector.core.errors import EncodeError
    from inspector.core.report import STREAMED_FORMATS, ReportItem, build_report
    from inspector.core.settings import EncodeSettings, settings_problem
    from inspector.render.export import format_for_path, render_pieces

    names = list(args.tokenizer)
    if args.preset == "classic":
        names += [name for name in PRESET_CLASSIC if name not in names]
    if not names and not args.model:
        parser.error("give at least one tokenizer (-t ID), --preset classic or --model ID")
    if len(names) > MAX_ROWS:
        parser.error(f"a report compares at most {MAX_ROWS} tokenizers, not {len(names)}")
    fmt = args.format
    if fmt is None:
        fmt = (format_for_path(args.output) if args.output is not None else None) or "json"
    binary = fmt in ("pdf", "png")
    if binary and args.output is None and sys.stdout.isatty():
        parser.error(f"a {fmt.upper()} report goes to a file (-o PATH) or a pipe, not a terminal")
    if args.chat is not None:  # chat hook: inspector.cli_chat
        from inspector.cli_chat import run_chat_report

        return run_chat_report(args, parser, names, fmt)
    # argparse has checked the choice; EncodeSettings checks it again
    truncation: Any = args.truncation or ("longest_first" if args.max_length else "none")
    if problem := settings_problem(args.padding, truncation, args.max_length, args.stride, "pair"):
        parser.error(problem)  # the pair text is read later: only_second is checked by encode
    try:
        settings = EncodeSettings(
            add_special_tokens=not args.no_special_tokens,
            truncation=truncation,
            max_length=args.max_length,
            stride=args.stride,
            padding=args.padding,
            padding_side=args.padding_side,
            pretokenized=args.pretokenized,
            split_special_tokens=args.split_special_tokens,
        )
    except EncodeError as err:
        parser.error(str(err))
    if args.output is not None:
        _check_output(args.output)  # before minutes of work, not after
    text, pair = _read_input(args)
    if fmt not in STREAMED_FORMATS and len(text) > LARGE_TEXT:
        _note(
            f"a {fmt.upper()} report is made whole in memory before it is written (JSON, CSV "
            "and Markdown are written as they are made)"
        )
    catalog = Catalog()
    model_name, model_section = None, None
    if args.model:
        model_name, model_section = _model_section(args, catalog, text, pair, settings)
        if not any(_same_tokenizer(catalog, name, model_name) for name in names):
            names.append(model_name)
    items: list[ReportItem] = []
    for name in names:
        try:
            tok = catalog.load(name, trust_remote_code=args.trust_remote_code)
            with_model = model_name is not None and _same_tokenizer(catalog, name, model_name)
            model = model_section if with_model else None
            items.append(ReportItem(name, encode(tok, text, settings, pair), model=model))
        except InspectorError as err:
            items.append(ReportItem(name, error=str(err)))
            _fail(str(err))  # the others still go into the report
    report = build_report(
        text, pair, settings, items, whitespace_neutral=not args.strict_boundaries
    )
    _write(render_pieces(report, fmt), args.output)
    return EXIT_UNUSABLE if any(item.error for item in items) else EXIT_OK


LARGE_TEXT = 1_000_000  # characters: above this, say which formats do not stream


def _check_output(path: Path) -> None:
    """Refuse an output path that cannot be written, before any work is done."""
    import errno

    from inspector.core.files import is_device, resolve_target, write_error_message

    target = resolve_target(path)
    problem: OSError | None = None
    if target.is_dir():
        problem = IsADirectoryError(errno.EISDIR, "is a folder")
    elif not is_device(path.expanduser()):
        parent = target.parent
        if not parent.is_dir():
            problem = FileNotFoundError(errno.ENOENT, "no such folder")
        elif not os.access(parent, os.W_OK | os.X_OK):
            problem = PermissionError(errno.EACCES, "permission denied")
    if problem is not None:
        raise InspectorError(write_error_message(path, problem))


def _write(pieces: Iterable[bytes], output: Path | None) -> None:
    """To the file (atomically) or to stdout as the pieces come; OSError → one plain line."""
    from inspector.core.files import write_atomic, write_error_message

    try:
        if output is not None:
            write_atomic(output, pieces)
            return
        sys.stdout.flush()
        for piece in pieces:
            sys.stdout.buffer.write(piece)
        sys.stdout.buffer.flush()
    except BrokenPipeError:
        raise
    except OSError as err:
        raise InspectorError(write_error_message(output or Path("standard output"), err)) from None


def _note(message: str) -> None:
    print(f"token-inspector: {message}", file=sys.stderr, flush=True)


def load_model_noting(args: argparse.Namespace) -> Any:
    """``--model`` loaded as asked; its notices (harmless missing weights…) on stderr."""
    from inspector.core.models import load_model

    model = load_model(
        args.model,
        device=args.device,
        trust_remote_code=args.trust_remote_code,
        allow_pickle=args.allow_pickle,
    )
    for notice in model.notices:
        _note(notice)
    return model


def _model_section(
    args: argparse.Namespace, catalog: Any, text: str, pair: str | None, settings: Any
) -> tuple[str, dict[str, Any]]:
    """Load the model, run it on the text with its own tokenizer: (tokenizer name, section)."""
    from inspector.core.analysis import model_report
    from inspector.core.models import max_length_notice

    model = load_model_noting(args)
    too_long = max_length_notice(model, settings.max_length)
    if too_long:
        _note(too_long)
    section = model_report(
        model, text, pair, settings=settings, attention=args.attention, catalog=catalog
    )
    for notice in section.get("notices", ()):
        _note(notice)
    return model.tokenizer_name, section


def _same_tokenizer(catalog: Any, name: str, other: str) -> bool:
    return bool(catalog.key(name) == catalog.key(other))


Command = tuple[
    Callable[[Any, str], None], Callable[[argparse.Namespace, argparse.ArgumentParser], int]
]


def _add_corpus_arguments(commands: Any, name: str) -> None:
    from inspector.cli_corpus import add_parser

    add_parser(commands)


def _corpus(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    from inspector.cli_corpus import run

    return run(args, parser)


# name → (add its arguments to the subparsers, run it): a new subcommand is one entry here.
COMMANDS: dict[str, Command] = {
    "tokenizers": (_add_tokenizers_arguments, _tokenizers),
    "report": (_add_report_arguments, _report),
    "corpus": (_add_corpus_arguments, _corpus),
}


if __name__ == "__main__":
    raise SystemExit(main())
