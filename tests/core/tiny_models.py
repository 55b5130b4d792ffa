"""Tiny random-weight models (2 layers) built from configs in the test session.

BERT-, GPT-2- and Llama-style models are saved with ``save_pretrained`` (safetensors) next to
the tokenizers trained in conftest.py, so the whole load path runs for real: nothing mocked.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

TINY_KINDS = ("bert", "gpt2", "llama")
TINY_POSITIONS = 64  # small on purpose: long-input tests need only a paragraph


@dataclass(frozen=True)
class TinyModel:
    kind: str
    folder: Path  # config.json + model.safetensors + tokenizer files
    causal: bool

    def reference(self) -> Any:
        """The same folder loaded plainly by transformers: the truth to compare with."""
        from transformers import AutoModel, AutoModelForCausalLM

        cls = AutoModelForCausalLM if self.causal else AutoModel
        model = cls.from_pretrained(str(self.folder), attn_implementation="eager")
        return model.eval()


def _config(kind: str, vocab_size: int, layers: int = 2) -> Any:
    from transformers import BertConfig, GPT2Config, LlamaConfig

    if kind == "bert":
        return BertConfig(
            vocab_size=vocab_size,
            hidden_size=32,
            num_hidden_layers=layers,
            num_attention_heads=4,
            intermediate_size=64,
            max_position_embeddings=TINY_POSITIONS,
            type_vocab_size=2,
        )
    if kind == "gpt2":
        return GPT2Config(
            vocab_size=vocab_size, n_positions=TINY_POSITIONS, n_embd=32, n_layer=layers, n_head=4
        )
    return LlamaConfig(
        vocab_size=vocab_size,
        hidden_size=32,
        intermediate_size=64,
        num_hidden_layers=layers,
        num_attention_heads=4,
        num_key_value_heads=2,
        max_position_embeddings=TINY_POSITIONS,
        tie_word_embeddings=False,
    )


def build_tiny(kind: str, tokenizer_folder: Path, folder: Path, layers: int = 2) -> TinyModel:
    """A ``layers``-layer model of ``kind`` sized to the tokenizer in ``tokenizer_folder``."""
    import torch
    from transformers import AutoModel, AutoModelForCausalLM, PreTrainedTokenizerFast

    vocab_size = len(PreTrainedTokenizerFast.from_pretrained(str(tokenizer_folder)))
    causal = kind != "bert"
    torch.manual_seed({"bert": 1, "gpt2": 2, "llama": 3}[kind])
    config = _config(kind, vocab_size, layers)
    cls = AutoModelForCausalLM if causal else AutoModel
    model = cls.from_config(config)
    with torch.no_grad():  # larger than the default 0.02 init, so the lens has something to see
        for parameter in model.parameters():
            if parameter.dim() > 1:
                parameter.normal_(0.0, 0.2)
    shutil.copytree(tokenizer_folder, folder, dirs_exist_ok=True)
    model.save_pretrained(str(folder))
    return TinyModel(kind, folder, causal)


@pytest.fixture(scope="session")
def tiny_models(tmp_path_factory: pytest.TempPathFactory, trained_hf: Any) -> dict[str, TinyModel]:
    """bert: WordPiece tokenizer (pairs, token types); gpt2 and llama: byte-level BPE."""
    root = tmp_path_factory.mktemp("tiny_models")
    tokenizers = {"bert": "wordpiece", "gpt2": "bpe", "llama": "bpe"}
    return {
        kind: build_tiny(kind, trained_hf[tokenizers[kind]].folder, root / kind)
        for kind in TINY_KINDS
    }
