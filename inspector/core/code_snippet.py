"""Show code: the ``tokenizer(...)`` (and ``model(...)``) call that gives what is on screen.

For the window's tokenizer, mode (single / pair / batch), texts and :class:`EncodeSettings`,
write the transformers code a tutorial would, so a learner can run it and get the same ids.
Texts are Python literals (``repr``), never pasted raw; a very long text is read from a file.
tiktoken encodings (cl100k_base, o200k_base) have no transformers tokenizer: their code is
tiktoken's, which has no pairs, padding or truncation.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from inspector.core.settings import EncodeSettings

Mode = Literal["single", "pair", "batch"]
# Beyond this many characters a text is read from a file rather than written into the code.
MAX_INLINE_CHARS = 2000

# Catalog id → the Hugging Face repository whose tokenizer gives the same ids.
HUB_REPOS: dict[str, str] = {
    "sentence-transformers/all-MiniLM-L6-v2": "sentence-transformers/all-MiniLM-L6-v2",
    "minilm": "sentence-transformers/all-MiniLM-L6-v2",
    "gpt2": "openai-community/gpt2",
    "mistral-v1": "mistralai/Mistral-7B-v0.1",
    "mistral-v3": "mistralai/Mistral-7B-v0.3",
    "qwen2.5": "Qwen/Qwen2.5-7B-Instruct",
    "smollm2-135m": "HuggingFaceTB/SmolLM2-135M-Instruct",
}
TIKTOKEN_ONLY: frozenset[str] = frozenset({"cl100k_base", "o200k_base"})


@dataclass(frozen=True)
class CodeRequest:
    """What is on screen: tokenizer, texts, settings, and the model when one is run."""

    tokenizer: str  # catalog id, hub id or path, as the window names it
    mode: Mode
    texts: tuple[str, ...]  # one for single/pair, several for batch
    settings: EncodeSettings = field(default_factory=EncodeSettings)
    pairs: tuple[str, ...] | None = None  # one for pair mode; one per text for a batch of pairs
    model: str | None = None  # catalog name, hub id or path; None: tokenizer only
    causal: bool = False  # a causal LM (AutoModelForCausalLM, logits)
    attentions: bool = True
    load_from: str | None = None  # a path to load from instead of the hub id (tests, offline)
    model_load_from: str | None = None

    def __post_init__(self) -> None:
        if not self.texts:
            raise ValueError("no text")
        if self.mode in ("single", "pair") and len(self.texts) != 1:
            raise ValueError(f"{self.mode} mode takes one text")
        if self.mode == "pair" and (self.pairs is None or len(self.pairs) != 1):
            raise ValueError("pair mode takes one pair text")
        if self.mode == "batch" and self.pairs is not None and len(self.pairs) != len(self.texts):
            raise ValueError("a batch of pairs needs one pair text per text")


def _literal(text: str, name: str, lines: list[str], files: dict[str, str]) -> str:
    """A Python expression for ``text``: a literal, or a file read for a very long text."""
    if len(text) <= MAX_INLINE_CHARS:
        return repr(text)
    file_name = f"{name}.txt"
    files[file_name] = text
    lines.append(f"# {name}: {len(text):,} characters; save the window's text as {file_name}")
    return f"Path('{file_name}').read_text(encoding='utf-8')"


def _repo(name: str, load_from: str | None) -> str:
    if load_from is not None:
        return load_from
    return HUB_REPOS.get(name.lower(), HUB_REPOS.get(name, name))


def _call_arguments(settings: EncodeSettings) -> list[str]:
    """Keyword arguments of ``tokenizer(...)`` equal to these settings (defaults left out)."""
    args: list[str] = []
    if not settings.add_special_tokens:
        args.append("add_special_tokens=False")
    if settings.truncation != "none":
        value = "True" if settings.truncation == "longest_first" else repr(settings.truncation)
        args.append(f"truncation={value}")
    if settings.max_length is not None and (
        settings.truncation != "none" or settings.padding == "max_length"
    ):
        args.append(f"max_length={settings.max_length}")
    if settings.truncation != "none" and settings.stride > 0:
        args += [f"stride={settings.stride}", "return_overflowing_tokens=True"]
    if settings.padding == "longest":
        args.append("padding=True")
    elif settings.padding == "max_length":
        args.append("padding='max_length'")
    if settings.padding != "none" and settings.padding_side == "left":
        args.append("padding_side='left'")
    if settings.pretokenized:
        args.append("is_split_into_words=True")
    if settings.split_special_tokens:
        args.append("split_special_tokens=True")
    return args


def _inputs(request: CodeRequest, lines: list[str], files: dict[str, str]) -> list[str]:
    """Assign the texts to names; return the positional arguments of the call."""
    split = ".split()" if request.settings.pretokenized else ""
    if request.mode in ("single", "pair"):
        lines.append(f"text = {_literal(request.texts[0], 'text', lines, files)}{split}")
        if request.mode == "single":
            return ["text"]
        assert request.pairs is not None
        lines.append(f"text_pair = {_literal(request.pairs[0], 'text_pair', lines, files)}{split}")
        return ["text", "text_pair"]
    items = [_literal(t, f"text_{i}", lines, files) + split for i, t in enumerate(request.texts)]
    lines.append("texts = [" + ", ".join(items) + "]")
    if request.pairs is None:
        return ["texts"]
    pairs = [_literal(t, f"pair_{i}", lines, files) + split for i, t in enumerate(request.pairs)]
    lines.append("text_pairs = [" + ", ".join(pairs) + "]")
    return ["texts", "text_pairs"]


def _call(positional: list[str], keywords: list[str]) -> str:
    return ", ".join([*positional, *keywords])


def python_code(request: CodeRequest) -> str:
    """The code, ready to copy; ``encoded`` holds what the window shows."""
    if request.tokenizer.lower() in TIKTOKEN_ONLY and request.load_from is None:
        return _tiktoken_code(request)
    files: dict[str, str] = {}
    lines: list[str] = []
    body: list[str] = []
    positional = _inputs(request, body, files)
    imports = ["from transformers import AutoTokenizer"]
    if files:
        imports.insert(0, "from pathlib import Path")
    lines += [*imports, ""]
    repo = _repo(request.tokenizer, request.load_from)
    lines.append(f"tokenizer = AutoTokenizer.from_pretrained({repo!r})")
    lines += body
    keywords = _call_arguments(request.settings)
    lines.append(f"encoded = tokenizer({_call(positional, keywords)})")
    lines.append("")
    if request.mode == "batch" or "return_overflowing_tokens=True" in keywords:
        lines.append("for row in encoded['input_ids']:")
        lines.append("    print(row)")
        lines.append("    print(tokenizer.convert_ids_to_tokens(row))")
    else:
        lines.append("print(encoded['input_ids'])")
        lines.append("print(tokenizer.convert_ids_to_tokens(encoded['input_ids']))")
    lines.append("print(encoded['attention_mask'])")
    if request.model is not None:
        lines += ["", *_model_code(request, positional, keywords)]
    return "\n".join(lines) + "\n"


def _model_code(request: CodeRequest, positional: list[str], keywords: list[str]) -> list[str]:
    auto = "AutoModelForCausalLM" if request.causal else "AutoModel"
    assert request.model is not None
    repo = _repo(request.model, request.model_load_from)
    # The default attention (SDPA) returns no attention maps: ask for the eager one.
    eager = ", attn_implementation='eager'" if request.attentions else ""
    outputs = ["output_hidden_states=True"]
    if request.attentions:
        outputs.append("output_attentions=True")
    tensors = [k for k in keywords if not k.startswith("return_overflowing_tokens")]
    lines = [
        "import torch",
        f"from transformers import {auto}",
        "",
        f"model = {auto}.from_pretrained({repo!r}{eager})",
        "model.eval()",
        f"inputs = tokenizer({_call(positional, [*tensors, 'return_tensors=' + repr('pt')])})",
        "with torch.no_grad():",
        f"    outputs = model(**inputs, {', '.join(outputs)})",
        "",
        "hidden_states = outputs.hidden_states  # embeddings, then one per layer",
        "print(len(hidden_states), hidden_states[-1].shape)  # layers + 1, (batch, tokens, hidden)",
    ]
    if request.causal:
        lines.append("print(outputs.logits.shape)  # (batch, tokens, vocabulary)")
    else:
        lines.append("print(outputs.last_hidden_state.shape)")
        lines.append("if getattr(outputs, 'pooler_output', None) is not None:")
        lines.append(
            "    print(outputs.pooler_output.shape)  # (batch, hidden): [CLS] → dense → tanh"
        )
    if request.attentions:
        lines.append("# one per layer, (batch, heads, tokens, tokens)")
        lines.append("print(len(outputs.attentions), outputs.attentions[0].shape)")
    return lines


def _tiktoken_code(request: CodeRequest) -> str:
    files: dict[str, str] = {}
    body: list[str] = []
    texts_only = CodeRequest(
        request.tokenizer, "batch" if request.mode == "batch" else "single", request.texts
    )
    positional = _inputs(texts_only, body, files)
    lines = ["from pathlib import Path", ""] if files else []
    lines += [
        "import tiktoken",
        "",
        f"encoding = tiktoken.get_encoding({request.tokenizer.lower()!r})",
    ]
    lines += body
    # The window reads typed special-token strings as special tokens, unless told to split them.
    allowed = (
        ", disallowed_special=()"
        if request.settings.split_special_tokens
        else ", allowed_special='all'"
    )
    if request.mode == "batch":
        lines.append(f"encoded = encoding.encode_batch({positional[0]}{allowed})")
        lines.append("for row in encoded:")
        lines.append("    print(row, [encoding.decode_single_token_bytes(i) for i in row])")
    else:
        lines.append(f"encoded = encoding.encode({positional[0]}{allowed})")
        lines.append("print(encoded, [encoding.decode_single_token_bytes(i) for i in encoded])")
    if request.mode == "pair" or request.settings != EncodeSettings():
        lines.append("# tiktoken has no pairs, special-token templates, padding or truncation.")
    return "\n".join(lines) + "\n"


def write_text_files(request: CodeRequest, folder: Path) -> list[Path]:
    """Write the long texts the code reads (``text.txt`` …) into ``folder``."""
    files: dict[str, str] = {}
    _inputs(request, [], files)
    written = []
    for name, text in files.items():
        path = folder / name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written
