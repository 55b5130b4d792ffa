"""Why a file given as a tokenizer.json is not one, in plain words.

The tokenizers library parses a tokenizer.json straight into its Rust structs: a JSON file of
another shape (a model's config.json, a vocab.json, ``{"a": 1}``) fails with a serde message
such as "expected `,` or `}` at line 1 column 5", which reads like a syntax error in a file
that has none. Only when loading failed is the file read again here, to say what it is.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from inspector.core.errors import Message
from inspector.core.translation_marks import QT_TRANSLATE_NOOP

# Keys that tell which other Hugging Face file a JSON object is (a file picked by mistake).
# The messages are Messages: the window shows them translated (core/errors.py).
_LOOKALIKES: tuple[tuple[str, tuple[str, ...], str], ...] = (
    (
        "tokenizer_config.json",
        ("tokenizer_class", "added_tokens_decoder", "model_max_length", "chat_template"),
        QT_TRANSLATE_NOOP(
            "Message",
            "a tokenizer_config.json (settings, not the vocabulary): open the folder that "
            "holds it, or the tokenizer.json next to it",
        ),
    ),
    (
        "config.json",
        ("architectures", "model_type", "hidden_size", "vocab_size", "num_hidden_layers"),
        QT_TRANSLATE_NOOP(
            "Message",
            "a model's config.json: open the folder that holds it, or the tokenizer.json next "
            "to it",
        ),
    ),
    (
        "special_tokens_map.json",
        ("bos_token", "eos_token", "unk_token", "pad_token", "cls_token", "sep_token"),
        QT_TRANSLATE_NOOP(
            "Message",
            "a special_tokens_map.json: open the folder that holds it, or the tokenizer.json "
            "next to it",
        ),
    ),
)
_JSON_KINDS = {
    list: QT_TRANSLATE_NOOP("Message", "a list"),
    str: QT_TRANSLATE_NOOP("Message", "a string"),
    bool: QT_TRANSLATE_NOOP("Message", "true or false"),
    type(None): QT_TRANSLATE_NOOP("Message", "null"),
}
_VOCAB_JSON = QT_TRANSLATE_NOOP(
    "Message", "a vocab.json (token → id) without its merges: open the folder that holds it"
)


def _kind(value: Any) -> Message:
    for python_type, words in _JSON_KINDS.items():
        if isinstance(value, python_type):
            return Message(words)
    return Message(QT_TRANSLATE_NOOP("Message", "a number"))


def _keys(value: dict[str, Any], most: int = 5) -> str:
    keys = [json.dumps(key, ensure_ascii=False) for key in list(value)[:most]]
    more = ", …" if len(value) > most else ""
    return ", ".join(keys) + more if keys else "none"


def _lookalike(value: dict[str, Any]) -> Message | None:
    best, best_hits = None, 1  # two telling keys at least
    for _name, keys, words in _LOOKALIKES:
        hits = sum(key in value for key in keys)
        if hits > best_hits:
            best, best_hits = words, hits
    if best is None and len(value) >= 3 and all(isinstance(v, int) for v in value.values()):
        return Message(_VOCAB_JSON)
    return None if best is None else Message(best)


def _parsed(path: Path) -> tuple[bool, Any]:
    """(True, the JSON value of ``path``), or (False, why it is not JSON; None: unreadable)."""
    try:
        return True, json.loads(path.read_bytes())
    except OSError:
        return False, None
    except json.JSONDecodeError as err:
        return False, f"{err.msg} at line {err.lineno}, column {err.colno}"
    except ValueError as err:  # not UTF-8
        return False, str(err).splitlines()[0][:160]


def _shape_problem(name: str, value: Any) -> Message | None:
    if not isinstance(value, dict):
        return Message(
            QT_TRANSLATE_NOOP(
                "Message",
                '{0} is JSON but not a tokenizer.json: it holds {1}, not an object with a "model"',
            ),
            (name, _kind(value)),
        )
    if "model" in value and isinstance(value["model"], dict):
        return None
    if "model" in value:
        return Message(
            QT_TRANSLATE_NOOP(
                "Message", '{0} is JSON but not a tokenizer.json: its "model" is {1}, not an object'
            ),
            (name, _kind(value["model"])),
        )
    like = _lookalike(value)
    if like is not None:
        return Message(
            QT_TRANSLATE_NOOP(
                "Message",
                '{0} is JSON but not a tokenizer.json: it has no "model"; it looks like {1}',
            ),
            (name, like),
        )
    return Message(
        QT_TRANSLATE_NOOP(
            "Message", '{0} is JSON but not a tokenizer.json: it has no "model" (its keys: {1})'
        ),
        (name, _keys(value)),
    )


def tokenizer_json_shape_problem(path: Path) -> Message | None:
    """What is wrong with ``path`` as a tokenizer.json when it is valid JSON of another shape.

    None when it cannot be read, is not JSON at all, or has the shape of a tokenizer.json (a
    "model" object): the library's own message says more in those cases.
    """
    is_json, value = _parsed(path)
    return _shape_problem(path.name, value) if is_json else None


def tokenizer_json_problem(path: Path, library_error: BaseException) -> Message:
    """The one-line message for a file the library refused to load as a tokenizer.json."""
    text = str(library_error).strip()
    detail = text.splitlines()[0][:160] if text else type(library_error).__name__
    is_json, value = _parsed(path)
    if not is_json and value is not None:
        return Message(
            QT_TRANSLATE_NOOP(
                "Message", "{0} is not a valid tokenizer.json: it is not valid JSON ({1})"
            ),
            (path.name, value),
        )
    problem = _shape_problem(path.name, value) if is_json else None
    return problem or Message(
        QT_TRANSLATE_NOOP("Message", "{0} is not a valid tokenizer.json ({1})"), (path.name, detail)
    )


def damaged_json(path: Path) -> str | None:
    """Why a JSON file in a folder cannot be parsed, or None (also when it is not there)."""
    try:
        json.loads(path.read_text("utf-8"))
    except OSError:
        return None
    except ValueError as err:
        return str(err).splitlines()[0][:160] if str(err) else type(err).__name__
    return None
