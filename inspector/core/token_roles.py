"""What a special token is FOR in a given tokenizer: the words behind a chip's tooltip.

``[SEP]`` separates the two texts of a pair or ends the sequence, ``<|endoftext|>`` marks a
document boundary, the tokenizer's own pad and unk tokens pad and stand for the unknown. The
role comes from the tokenizer's facts (its special tokens, its pad and unk token) and the
conventional names; a special token with no known name is said to be one, not guessed at.

The purposes are English templates marked with ``QT_TRANSLATE_NOOP`` so lupdate finds them
(this module defines its own no-op of that name: core stays Qt-free); the window translates a
role's ``template`` in the ``TokenRole`` context and fills in ``{token}``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from inspector.core.tokenizer import TokenizerFacts
from inspector.core.translation_marks import QT_TRANSLATE_NOOP

if TYPE_CHECKING:
    from inspector.core.encoding import EncodingResult

CONTEXT = "TokenRole"


# kind → (purpose, glossary term). {token} is the token as the tokenizer writes it.
PURPOSES: dict[str, tuple[str, str]] = {
    "cls": (
        QT_TRANSLATE_NOOP(
            "TokenRole",
            "{token} (classification) starts every sequence. The model's final vector at this "
            "position is what the pooler and classification heads read.",
        ),
        "cls",
    ),
    "sep_between": (
        QT_TRANSLATE_NOOP(
            "TokenRole", "{token} (separator) separates the first text of the pair from the second."
        ),
        "sep",
    ),
    "sep_end": (
        QT_TRANSLATE_NOOP("TokenRole", "{token} (separator) ends the sequence."),
        "sep",
    ),
    "pad": (
        QT_TRANSLATE_NOOP(
            "TokenRole",
            "{token} (padding) fills shorter texts of a batch up to one length. Its "
            "attention_mask is 0, so the model ignores it.",
        ),
        "pad",
    ),
    "unk": (
        QT_TRANSLATE_NOOP(
            "TokenRole",
            "{token} (unknown) stands for text the vocabulary cannot spell. The original "
            "characters are lost: decoding gives {token} back.",
        ),
        "unk",
    ),
    "mask": (
        QT_TRANSLATE_NOOP(
            "TokenRole",
            "{token} (mask) hides a token for masked-language modelling: the model predicts "
            "what stood here (fill-mask).",
        ),
        "mask",
    ),
    "bos": (
        QT_TRANSLATE_NOOP(
            "TokenRole", "{token} (beginning of sequence) marks where a text starts."
        ),
        "bos-eos",
    ),
    "eos_between": (
        QT_TRANSLATE_NOOP(
            "TokenRole",
            "{token} (end of sequence) here ends the first text of the pair and so separates "
            "it from the second.",
        ),
        "bos-eos",
    ),
    "eos": (
        QT_TRANSLATE_NOOP(
            "TokenRole",
            "{token} (end of sequence) marks where a text ends; a generating model stops when "
            "it writes it.",
        ),
        "bos-eos",
    ),
    "endoftext": (
        QT_TRANSLATE_NOOP(
            "TokenRole",
            "{token} marks a document boundary: GPT-style models saw it between documents in "
            "training, and use it to start or end a text.",
        ),
        "endoftext",
    ),
    "chat_start": (
        QT_TRANSLATE_NOOP(
            "TokenRole",
            "{token} opens a chat message; the role (system, user, assistant) follows it.",
        ),
        "special-tokens",
    ),
    "chat_end": (
        QT_TRANSLATE_NOOP("TokenRole", "{token} closes a chat message (the end of a turn)."),
        "special-tokens",
    ),
    "instruction": (
        QT_TRANSLATE_NOOP(
            "TokenRole", "{token} opens or closes a user instruction in Mistral's chat format."
        ),
        "special-tokens",
    ),
    "fill_in_middle": (
        QT_TRANSLATE_NOOP(
            "TokenRole",
            "{token} marks a part (prefix, middle, suffix) of a fill-in-the-middle prompt for "
            "code completion.",
        ),
        "special-tokens",
    ),
    "reserved": (
        QT_TRANSLATE_NOOP(
            "TokenRole",
            "{token} is reserved: a special token with no fixed role, kept for fine-tuning.",
        ),
        "special-tokens",
    ),
    "special": (
        QT_TRANSLATE_NOOP(
            "TokenRole",
            "{token} is one of this tokenizer's special tokens: it is never split. The "
            "tokenizer does not say what it is for.",
        ),
        "special-tokens",
    ),
    "added": (
        QT_TRANSLATE_NOOP(
            "TokenRole",
            "{token} was added to this tokenizer's vocabulary: the text is cut around it, so "
            "it always stays one token.",
        ),
        "added-tokens",
    ),
}

NOTES: dict[str, str] = {
    "also_pad": QT_TRANSLATE_NOOP(
        "TokenRole", "This tokenizer also pads with it: as padding, its attention_mask is 0."
    ),
    "padding": QT_TRANSLATE_NOOP(
        "TokenRole", "Here it is padding: its attention_mask is 0 and the model ignores it."
    ),
}

# Conventional names (lowercased) → kind; a tokenizer's own pad/unk token wins over these.
_NAMES: dict[str, str] = {
    "[cls]": "cls",
    "<cls>": "cls",
    "[sep]": "sep",
    "<sep>": "sep",
    "[pad]": "pad",
    "<pad>": "pad",
    "<|pad|>": "pad",
    "<|padding|>": "pad",
    "[unk]": "unk",
    "<unk>": "unk",
    "<|unk|>": "unk",
    "[mask]": "mask",
    "<mask>": "mask",
    "<|mask|>": "mask",
    "<s>": "bos",
    "<bos>": "bos",
    "<|begin_of_text|>": "bos",
    "<|startoftext|>": "bos",
    "</s>": "eos",
    "<eos>": "eos",
    "<|end_of_text|>": "eos",
    "<|endoftext|>": "endoftext",
    "<|im_start|>": "chat_start",
    "<|start_header_id|>": "chat_start",
    "<|im_end|>": "chat_end",
    "<|eot_id|>": "chat_end",
    "<|end_header_id|>": "chat_end",
    "[inst]": "instruction",
    "[/inst]": "instruction",
}
_FILL_IN_MIDDLE = re.compile(r"fim", re.IGNORECASE)
_RESERVED = re.compile(r"extra_\d|reserved|unused", re.IGNORECASE)


@dataclass(frozen=True)
class TokenRole:
    """What one special token does here; ``purpose`` is English, ``template`` the msgid."""

    token: str
    kind: str  # a key of PURPOSES
    template: str
    glossary_term: str  # the anchor of the Help → Glossary entry that explains it
    note_templates: tuple[str, ...] = ()

    @property
    def purpose(self) -> str:
        return self.template.format(token=self.token)

    @property
    def notes(self) -> tuple[str, ...]:
        return self.note_templates

    def text(self) -> str:
        """The English tooltip text: purpose, then notes."""
        return " ".join((self.purpose, *self.notes))


def _kind_by_name(token: str, facts: TokenizerFacts) -> str | None:
    if facts.unk_token is not None and token == facts.unk_token:
        return "unk"
    kind = _NAMES.get(token.lower())
    if kind is not None:
        return kind
    if _FILL_IN_MIDDLE.search(token):
        return "fill_in_middle"
    if _RESERVED.search(token):
        return "reserved"
    return None


def token_role(
    token: str,
    facts: TokenizerFacts,
    *,
    in_pair: bool = False,
    at_end: bool = True,
    is_padding: bool = False,
) -> TokenRole | None:
    """The role of ``token`` in this tokenizer, or None when it is an ordinary token.

    ``in_pair``/``at_end`` place a separator: inside a pair and before its end, ``[SEP]`` (and
    RoBERTa's ``</s>``) separates the two texts; at the end it ends the sequence.
    ``is_padding``: this occurrence was added as padding (attention_mask 0).
    """
    special = {t.content for t in facts.special_tokens if t.special}
    special |= {t.content for t in facts.added_tokens if t.special}
    added_plain = {t.content for t in facts.added_tokens if not t.special}
    own = {facts.unk_token, facts.pad_token} - {None}
    if token not in special and token not in own:
        if token in added_plain:
            purpose, term = PURPOSES["added"]
            return TokenRole(token, "added", purpose, term)
        return None
    # An added special token (an entity marker) has no name we know: said to be special.
    kind = _kind_by_name(token, facts) or "special"
    if kind == "sep":
        kind = "sep_between" if in_pair and not at_end else "sep_end"
    elif kind == "eos" and in_pair and not at_end:
        kind = "eos_between"
    notes: list[str] = []
    if kind != "pad" and facts.pad_token is not None and token == facts.pad_token:
        notes.append(NOTES["padding"] if is_padding else NOTES["also_pad"])
    template, term = PURPOSES[kind]
    return TokenRole(token, kind, template, term, tuple(notes))


def role_of_token(result: EncodingResult, index: int) -> TokenRole | None:
    """The role of token ``index`` of an encoding: its place in a pair and padding included."""
    columns = result.columns
    token = columns.tokens[index]
    is_padding = bool(columns.special[index]) and int(columns.attention_mask[index]) == 0
    real = columns.attention_mask.astype(bool)
    later_real = bool(real[index + 1 :].any())
    return token_role(
        token,
        result.tokenizer,
        in_pair=result.pair is not None,
        at_end=not later_real,
        is_padding=is_padding,
    )
