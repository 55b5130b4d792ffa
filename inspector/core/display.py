"""How a token is shown: whitespace made visible, Ġ / ▁ / ## / <0xNN> explained, bytes as hex."""

from __future__ import annotations

from collections.abc import Callable

from inspector.core.char_labels import WHITESPACE_GLYPHS, label_meanings, visible
from inspector.core.translation_marks import QT_TRANSLATE_NOOP

__all__ = [
    "EXPLANATION_CONTEXT",
    "WHITESPACE_GLYPHS",
    "Translate",
    "display_token",
    "explain_token",
    "hex_bytes",
    "visible",
]

# An English template → the same template in the window's language ({placeholders} kept).
# The window passes Qt's translation in EXPLANATION_CONTEXT; reports and the CLI stay English.
Translate = Callable[[str], str]
EXPLANATION_CONTEXT = "TokenExplanation"


def _english(template: str) -> str:
    return template


def hex_bytes(data: bytes) -> str:
    return data.hex(" ").upper()


def display_token(token: str, raw: bytes | None, special: bool, algorithm: str) -> str:
    """The string a person should see for a token.

    Byte-level and byte-fallback tokens are shown as the text they stand for; bytes that are
    only part of a character are shown as ⟨F0 9F⟩. WordPiece keeps its ## (it means
    something); ▁ and Ġ become ␣ because they are spaces.
    """
    if special:
        return token
    if raw is not None:
        try:
            return visible(raw.decode("utf-8"))
        except UnicodeDecodeError:
            return f"⟨{hex_bytes(raw)}⟩"
    if "WordPiece" in algorithm:
        return visible(token)
    return visible(token.replace("▁", " "))


def explain_token(
    token: str,
    raw: bytes | None,
    special: bool,
    algorithm: str,
    *,
    control: bool = False,
    translate: Translate | None = None,
) -> str:
    """One sentence on what the token's marks mean (for tooltips and the details view).

    ``control``: a control token that came from the text (a special-token string typed in it).
    ``translate``: each English template to the window's language (None: English).
    """
    translate = translate or _english
    if special:
        return translate(
            QT_TRANSLATE_NOOP(
                "TokenExplanation", "special token added by the tokenizer, not part of your text"
            )
        )
    if control:
        return translate(
            QT_TRANSLATE_NOOP(
                "TokenExplanation",
                "control token: the text holds the string {token}, which the tokenizer parsed "
                "as its special token, not as text (split special tokens to encode it as text)",
            )
        ).format(token=repr(token))
    notes: list[str] = []
    if token.startswith("##"):
        notes.append(
            translate(
                QT_TRANSLATE_NOOP(
                    "TokenExplanation",
                    "## means it continues the previous piece of the same word (WordPiece)",
                )
            )
        )
    if token.startswith("<0x") and token.endswith(">") and len(token) == 6:
        notes.append(
            translate(
                QT_TRANSLATE_NOOP(
                    "TokenExplanation",
                    "one raw byte {byte} (byte fallback: the character is not in the vocab)",
                )
            ).format(byte=token[1:-1])
        )
    if "▁" in token:
        notes.append(
            translate(
                QT_TRANSLATE_NOOP(
                    "TokenExplanation", "▁ marks a space / the start of a word (SentencePiece)"
                )
            )
        )
    if "byte-level" in algorithm or "tiktoken" in algorithm:
        if "Ġ" in token:
            notes.append(
                translate(
                    QT_TRANSLATE_NOOP(
                        "TokenExplanation",
                        "Ġ is the space byte 0x20 in byte-level BPE's printable alphabet",
                    )
                )
            )
        if "Ċ" in token:
            notes.append(
                translate(QT_TRANSLATE_NOOP("TokenExplanation", "Ċ is the newline byte 0x0A"))
            )
        if "ĉ" in token:
            notes.append(translate(QT_TRANSLATE_NOOP("TokenExplanation", "ĉ is the tab byte 0x09")))
    text = token
    if raw is not None:
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            notes.append(
                translate(
                    QT_TRANSLATE_NOOP(
                        "TokenExplanation", "bytes {bytes} are only part of a character"
                    )
                ).format(bytes=hex_bytes(raw))
            )
    notes += label_meanings(text, translate)  # what ⟨ZWJ⟩, ⟨VS16⟩, ⟨U+E000⟩ … stand for
    return "; ".join(notes)
