"""Tokenizers trained in the test session, saved in every form Token Inspector loads.

Nothing here is mocked or downloaded: tiny BPE / WordPiece / Unigram tokenizers are trained with
``tokenizers``, SentencePiece models with ``sentencepiece``, and .tiktoken files are written
from trained ranks or copied from the vendored r50k_base file.
"""

from __future__ import annotations

import base64
import hashlib
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import sentencepiece
import tiktoken
from tiktoken.load import load_tiktoken_bpe
from tokenizers import (
    Tokenizer,
    decoders,
    models,
    normalizers,
    pre_tokenizers,
    processors,
    trainers,
)

from inspector.core.catalog import Catalog
from inspector.core.sources import resources_dir
from tests.core.tiny_models import tiny_models  # noqa: F401  (fixture for model tests)

HF_KINDS = ("bpe", "wordpiece", "unigram")
SP_KINDS = ("bpe", "unigram")


@dataclass(frozen=True)
class TrainedHF:
    """One tokenizer trained with ``tokenizers``, saved as a file and as a transformers folder."""

    kind: str
    json_path: Path  # a single tokenizer.json
    folder: Path  # PreTrainedTokenizerFast(tokenizer_object=...).save_pretrained(folder)

    def library(self) -> Tokenizer:
        """A fresh copy of the library's own tokenizer (the truth to compare with)."""
        return Tokenizer.from_file(str(self.json_path))


@dataclass(frozen=True)
class TiktokenFiles:
    mine: Path  # r50k_base.tiktoken copied under another name (recognised by its hash)
    trained: Path  # ranks of a byte-level BPE trained here (an unknown encoding)
    mine_truth: tiktoken.Encoding  # tiktoken's own encoders for those files
    trained_truth: tiktoken.Encoding


def _corpus() -> list[str]:
    lines: list[str] = []
    for path in sorted((resources_dir() / "samples").glob("*.txt")):
        lines += [line for line in path.read_text("utf-8").splitlines() if line.strip()]
    words = [f"w{i}x{i * 7 % 13}" for i in range(200)]
    generated = [" ".join(words[i : i + 10]) for i in range(0, len(words), 10)]
    extra = [
        "Hello there, general Kenobi!  Two spaces\tand a tab.",
        "The quick brown fox jumps over the lazy dog; THE END.",
        "naïve café résumé Straße coöperate 2024 3.14159",
    ]
    return lines * 20 + generated + extra * 10


@pytest.fixture(scope="session")
def corpus() -> list[str]:
    return _corpus()


def _train_bpe(corpus: list[str]) -> Tokenizer:
    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    tok.post_processor = processors.ByteLevel(trim_offsets=False)
    trainer = trainers.BpeTrainer(
        vocab_size=400,
        special_tokens=["<|endoftext|>"],
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        show_progress=False,
    )
    tok.train_from_iterator(corpus, trainer)
    return tok


def _train_wordpiece(corpus: list[str]) -> Tokenizer:
    tok = Tokenizer(models.WordPiece(unk_token="[UNK]"))
    tok.normalizer = normalizers.BertNormalizer(lowercase=True)
    tok.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    tok.decoder = decoders.WordPiece()
    trainer = trainers.WordPieceTrainer(
        vocab_size=300,
        special_tokens=["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"],
        show_progress=False,
    )
    tok.train_from_iterator(corpus, trainer)
    cls, sep = tok.token_to_id("[CLS]"), tok.token_to_id("[SEP]")
    tok.post_processor = processors.TemplateProcessing(
        single="[CLS] $A [SEP]",
        pair="[CLS] $A [SEP] $B:1 [SEP]:1",
        special_tokens=[("[CLS]", cls), ("[SEP]", sep)],
    )
    return tok


def _train_unigram(corpus: list[str]) -> Tokenizer:
    tok = Tokenizer(models.Unigram())
    tok.normalizer = normalizers.NFKC()
    tok.pre_tokenizer = pre_tokenizers.Metaspace()
    tok.decoder = decoders.Metaspace()
    trainer = trainers.UnigramTrainer(
        vocab_size=300,
        special_tokens=["<pad>", "</s>", "<unk>"],
        unk_token="<unk>",
        show_progress=False,
    )
    tok.train_from_iterator(corpus, trainer)
    return tok


# Keyword arguments of PreTrainedTokenizerFast per kind: its special tokens and input names.
_FOLDER_KWARGS: dict[str, dict[str, object]] = {
    "bpe": {"eos_token": "<|endoftext|>", "bos_token": "<|endoftext|>"},
    "wordpiece": {
        "unk_token": "[UNK]",
        "pad_token": "[PAD]",
        "cls_token": "[CLS]",
        "sep_token": "[SEP]",
        "mask_token": "[MASK]",
        "model_input_names": ["input_ids", "token_type_ids", "attention_mask"],
        "model_max_length": 64,
    },
    "unigram": {"unk_token": "<unk>", "pad_token": "<pad>", "eos_token": "</s>"},
}


@pytest.fixture(scope="session")
def trained_hf(tmp_path_factory: pytest.TempPathFactory, corpus: list[str]) -> dict[str, TrainedHF]:
    from transformers import PreTrainedTokenizerFast

    root = tmp_path_factory.mktemp("trained_hf")
    builders = {"bpe": _train_bpe, "wordpiece": _train_wordpiece, "unigram": _train_unigram}
    out: dict[str, TrainedHF] = {}
    for kind in HF_KINDS:
        tok = builders[kind](corpus)
        (root / kind).mkdir()
        json_path = root / kind / "tokenizer.json"
        tok.save(str(json_path))
        folder = root / f"{kind}_folder"
        fast = PreTrainedTokenizerFast(
            tokenizer_object=Tokenizer.from_file(str(json_path)), **_FOLDER_KWARGS[kind]
        )
        fast.save_pretrained(str(folder))
        out[kind] = TrainedHF(kind, json_path, folder)
    return out


@pytest.fixture(scope="session")
def sp_models(tmp_path_factory: pytest.TempPathFactory, corpus: list[str]) -> dict[str, Path]:
    """SentencePiece .model files with byte fallback.

    "bpe" keeps text as it is (identity normalizer, runs of spaces kept: LLaMA style);
    "unigram" uses the default nmt_nfkc normalizer, which folds runs of whitespace.
    """
    root = tmp_path_factory.mktemp("sentencepiece")
    options: dict[str, dict[str, Any]] = {
        "bpe": {"normalization_rule_name": "identity", "remove_extra_whitespaces": False},
        "unigram": {"pad_id": 3},
    }
    out: dict[str, Path] = {}
    for kind in SP_KINDS:
        sentencepiece.SentencePieceTrainer.train(
            sentence_iterator=iter(corpus),
            model_prefix=str(root / f"sp_{kind}"),
            model_type=kind,
            vocab_size=420,
            byte_fallback=True,
            character_coverage=0.98,  # rare characters (most CJK here) fall back to bytes
            minloglevel=2,
            **options[kind],
        )
        out[kind] = root / f"sp_{kind}.model"
    return out


def _byte_level_ranks(tok: Tokenizer) -> dict[bytes, int]:
    from transformers.convert_slow_tokenizer import bytes_to_unicode

    decode = {char: byte for byte, char in bytes_to_unicode().items()}
    vocab = tok.get_vocab(with_added_tokens=False)
    ordered = sorted(vocab.items(), key=lambda item: item[1])
    return {bytes(decode[c] for c in token): rank for rank, (token, _) in enumerate(ordered)}


def _openai_encoding(encoding: str, cache: Path, ranks_file: Path) -> dict[str, Any]:
    """tiktoken's own constructor for an OpenAI encoding, fed from a local tiktoken cache.

    tiktoken names cache files sha1(url) and checks their SHA-256, so this is what
    ``tiktoken.get_encoding`` would build after downloading.
    """
    import os

    import tiktoken_ext.openai_public as openai_public

    url = f"https://openaipublic.blob.core.windows.net/encodings/{encoding}.tiktoken"
    shutil.copyfile(ranks_file, cache / hashlib.sha1(url.encode()).hexdigest())
    with pytest.MonkeyPatch.context() as patch:
        patch.setitem(os.environ, "TIKTOKEN_CACHE_DIR", str(cache))
        spec: dict[str, Any] = getattr(openai_public, encoding)()
    return spec


@pytest.fixture(scope="session")
def tiktoken_files(tmp_path_factory: pytest.TempPathFactory, corpus: list[str]) -> TiktokenFiles:
    root = tmp_path_factory.mktemp("tiktoken")
    cache = tmp_path_factory.mktemp("tiktoken_cache")
    vendored = resources_dir() / "tokenizers"
    mine = root / "mine.tiktoken"
    shutil.copyfile(vendored / "r50k_base.tiktoken", mine)
    ranks = _byte_level_ranks(_train_bpe(corpus))
    trained = root / "trained.tiktoken"
    trained.write_text(
        "".join(
            f"{base64.b64encode(token).decode()} {rank}\n"
            for token, rank in sorted(ranks.items(), key=lambda item: item[1])
        )
    )
    r50k = _openai_encoding("r50k_base", cache, vendored / "r50k_base.tiktoken")
    cl100k = _openai_encoding("cl100k_base", cache, vendored / "cl100k_base.tiktoken")
    mine_truth = tiktoken.Encoding(
        name="r50k_base",
        pat_str=str(r50k["pat_str"]),
        mergeable_ranks=load_tiktoken_bpe(str(mine)),
        special_tokens=dict(r50k["special_tokens"]),
    )
    # An unknown encoding is split with cl100k_base's pattern and has no special tokens.
    trained_truth = tiktoken.Encoding(
        name="trained",
        pat_str=str(cl100k["pat_str"]),
        mergeable_ranks=load_tiktoken_bpe(str(trained)),
        special_tokens={},
    )
    return TiktokenFiles(mine, trained, mine_truth, trained_truth)


@pytest.fixture(scope="session")
def private_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where converted .tiktoken files go in these tests (never the user's cache)."""
    return tmp_path_factory.mktemp("token_inspector_cache")


@pytest.fixture
def path_catalog(monkeypatch: pytest.MonkeyPatch, private_cache: Path) -> Iterator[Catalog]:
    """A fresh catalog for loading files and folders, caching conversions privately."""
    monkeypatch.setenv("TOKEN_INSPECTOR_CACHE", str(private_cache))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    yield Catalog()
