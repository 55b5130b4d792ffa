"""Analysis metrics on real model outputs (tiny models built in the session, and MiniLM)."""

from __future__ import annotations

import json

import numpy as np
import pytest
import torch

from inspector.core.analysis import (
    HIDDEN_METRICS,
    aggregate_heads,
    cosine,
    hidden_metric,
    keep_tokens,
    levels,
    mask_attention,
    model_report,
    model_section,
    sentence_embeddings,
    sentence_section,
    static_vs_contextual,
    token_contributions,
)
from inspector.core.catalog import Catalog
from inspector.core.encoding import EncodingResult, encode
from inspector.core.models import DEFAULT_MODEL, LoadedModel, ModelOutput, load_model, run_model
from inspector.core.settings import EncodeSettings
from tests.core.tiny_models import TINY_POSITIONS, TinyModel

TEXT = "The quick brown fox jumps over the lazy dog."
PAIR = "A fast brown fox leaps over a sleepy dog."


@pytest.fixture(scope="module")
def bert(tiny_models: dict[str, TinyModel]) -> LoadedModel:
    return load_model(str(tiny_models["bert"].folder), device="cpu")


@pytest.fixture(scope="module")
def gpt2(tiny_models: dict[str, TinyModel]) -> LoadedModel:
    return load_model(str(tiny_models["gpt2"].folder), device="cpu")


@pytest.fixture(scope="module")
def bert_run(bert: LoadedModel) -> tuple[EncodingResult, ModelOutput]:
    result = encode(Catalog().load(bert.tokenizer_name), TEXT, pair=PAIR)
    return result, run_model(bert, result)


def test_hidden_metrics_by_hand(bert_run: tuple[EncodingResult, ModelOutput]) -> None:
    hidden = bert_run[1].hidden_states
    layers, tokens, size = hidden.shape
    for metric in HIDDEN_METRICS:
        values = hidden_metric(hidden, metric)
        assert values.shape == (layers, tokens) and values.dtype == np.float32
        assert values.flags.c_contiguous
    np.testing.assert_allclose(hidden_metric(hidden, "l2"), np.linalg.norm(hidden, axis=-1), 1e-6)
    previous = hidden_metric(hidden, "cos_prev")
    assert np.isnan(previous[0]).all()
    for layer in range(1, layers):
        for t in (0, tokens - 1):
            a, b = hidden[layer, t], hidden[layer - 1, t]
            expected = a @ b / (np.linalg.norm(a) * np.linalg.norm(b))
            assert previous[layer, t] == pytest.approx(expected, abs=1e-5)
    last = hidden_metric(hidden, "cos_last")
    np.testing.assert_allclose(last[-1], 1.0, atol=1e-5)
    assert last[0, 2] == pytest.approx(cosine(hidden[0, 2], hidden[-1, 2]), abs=1e-6)
    np.testing.assert_allclose(hidden_metric(hidden, "dims", (5, 6)), hidden[..., 5], atol=1e-7)
    np.testing.assert_allclose(
        hidden_metric(hidden, "dims", (0, 8)), hidden[..., :8].mean(-1), atol=1e-6
    )
    with pytest.raises(ValueError, match="unknown metric"):
        hidden_metric(hidden, "entropy")
    with pytest.raises(ValueError, match="outside"):
        hidden_metric(hidden, "dims", (0, size + 1))


def test_levels_see_every_outlier_and_skip_nan() -> None:
    values = np.random.default_rng(0).normal(size=(31, 4000)).astype(np.float32)
    values[17, 3999] = 812.5  # one massive activation, as real hidden states have
    values[0] = np.nan
    low, high = levels(values)
    assert high == 812.5 and low == float(np.nanmin(values))
    assert levels(np.full((2, 2), 3.0)) == (2.5, 3.5)
    assert levels(np.full((2, 2), np.nan)) == (0.0, 1.0)


def test_head_aggregation_and_masking(bert_run: tuple[EncodingResult, ModelOutput]) -> None:
    result, output = bert_run
    assert output.attentions is not None
    att = np.stack(output.attentions)
    mean, top = aggregate_heads(att, "mean"), aggregate_heads(att, "max")
    assert mean.shape == (att.shape[0], att.shape[2], att.shape[3])
    np.testing.assert_allclose(mean[1, 3], att[1, :, 3].mean(axis=0), atol=1e-7)
    np.testing.assert_array_equal(top[0], att[0].max(axis=0))
    np.testing.assert_allclose(mean.sum(-1), 1.0, atol=1e-5)  # rows still sum to 1
    with pytest.raises(ValueError):
        aggregate_heads(att, "median")
    with pytest.raises(ValueError):
        aggregate_heads(att[0], "mean")  # one layer is not a stack of layers
    # the core's per-layer tuple gives the same numbers as the stacked array
    np.testing.assert_array_equal(aggregate_heads(output.attentions, "mean"), mean)

    keep = keep_tokens(output, result, hide_special=True)
    specials = np.flatnonzero(result.columns.special)
    assert len(specials) == 3 and not keep[specials].any() and keep.sum() == len(result) - 3
    assert keep_tokens(output, result, hide_special=False).all()
    masked = mask_attention(mean, keep)
    assert (masked[..., specials, :] == 0).all() and (masked[..., :, specials] == 0).all()
    renormalized = mask_attention(mean, keep, renormalize=True)
    np.testing.assert_allclose(renormalized[:, keep].sum(-1), 1.0, atol=1e-5)
    transparent = mask_attention(att, keep, fill=np.nan)
    assert np.isnan(transparent[..., specials[0], :]).all()
    assert mean[0, 0, 0] == aggregate_heads(att, "mean")[0, 0, 0]  # input untouched
    with pytest.raises(ValueError):
        mask_attention(mean, keep[:-1])


def test_token_contributions_sum_to_one(bert_run: tuple[EncodingResult, ModelOutput]) -> None:
    result, output = bert_run
    shares = token_contributions(output, result)
    assert shares.shape == (len(result),) and shares.dtype == np.float32
    assert float(shares.sum()) == pytest.approx(1.0, abs=1e-5)
    last = output.hidden_states[-1].astype(np.float64)
    pooled = last.mean(0)
    assert shares[4] == pytest.approx(last[4] @ pooled / (len(last) * pooled @ pooled), rel=1e-5)


def test_static_vs_contextual(bert: LoadedModel) -> None:
    tokenizer = Catalog().load(bert.tokenizer_name)
    settings = EncodeSettings(padding="max_length", max_length=len(encode(tokenizer, TEXT)) + 5)
    result = encode(tokenizer, TEXT, settings=settings)
    output = run_model(bert, result)
    static, contextual, similarity = static_vs_contextual(output, 2)
    table = bert.module.get_input_embeddings().weight.detach().numpy()
    np.testing.assert_array_equal(static, table[result.columns.ids[2]])
    np.testing.assert_array_equal(contextual, output.hidden_states[-1][2])
    assert similarity == pytest.approx(cosine(static, contextual))
    padding = int(np.flatnonzero(result.columns.attention_mask == 0)[0])
    with pytest.raises(ValueError, match="not run"):
        static_vs_contextual(output, padding)


def test_cosine() -> None:
    assert cosine(np.array([1.0, 0.0]), np.array([0.0, 2.0])) == 0.0
    assert cosine(np.array([1.0, 1.0]), np.array([2.0, 2.0])) == pytest.approx(1.0)
    assert cosine(np.zeros(3), np.ones(3)) == 0.0
    assert np.isnan(cosine(np.ones(2), np.ones(3)))


def test_mean_pooled_embedding_of_a_plain_model(gpt2: LoadedModel) -> None:
    vectors = sentence_embeddings(gpt2, [TEXT, PAIR])
    assert vectors.shape == (2, 32) and vectors.dtype == np.float32
    result = encode(Catalog().load(gpt2.tokenizer_name), TEXT)
    with torch.no_grad():
        out = gpt2.module(
            input_ids=torch.tensor(result.columns.ids)[None], output_hidden_states=True
        )
    np.testing.assert_allclose(vectors[0], out.hidden_states[-1][0].mean(0).numpy(), atol=1e-5)
    assert sentence_embeddings(gpt2, []).shape == (0, 32)


@pytest.mark.slow
def test_minilm_sentence_embeddings_equal_sentence_transformers() -> None:
    from sentence_transformers import SentenceTransformer

    model = load_model(DEFAULT_MODEL, device="cpu")
    ours = sentence_embeddings(model, [TEXT, PAIR, "Stock markets fell sharply today."])
    theirs = SentenceTransformer(str(model.folder), device="cpu").encode(
        [TEXT, PAIR, "Stock markets fell sharply today."]
    )
    np.testing.assert_allclose(ours, theirs, atol=1e-5)
    near, far = cosine(ours[0], ours[1]), cosine(ours[0], ours[2])
    assert near > 0.6 > far  # paraphrases are close, unrelated text is not
    section = model_section(
        run_model(model, encode(Catalog().load(model.tokenizer_name), TEXT)),
        embeddings=sentence_section(model, TEXT, PAIR),
    )
    assert section["sentence_embedding"]["cosine"] == pytest.approx(near, abs=1e-5)
    assert len(section["sentence_embedding"]["text"]) == 384


def test_model_section_is_json_ready(
    bert: LoadedModel, gpt2: LoadedModel, bert_run: tuple[EncodingResult, ModelOutput]
) -> None:
    result, output = bert_run
    T = len(result)
    section = model_section(output)
    text = json.dumps(section, allow_nan=False)
    assert json.loads(text) == section
    assert section["model"] == bert.info.name and section["device"] == "cpu"
    assert (section["layers"], section["heads"], section["tokens"]) == (2, 4, T)
    l2 = np.array(section["hidden_state_l2"]["values"])
    assert l2.shape == (3, T)
    np.testing.assert_allclose(l2, hidden_metric(output.hidden_states, "l2"), atol=1e-5)
    assert np.array(section["attention"]["values"]).shape == (2, T, T)
    full = model_section(output, attention="full")
    assert np.array(full["attention"]["values"]).shape == (2, 4, T, T)
    assert "attention" not in model_section(output, attention="none")
    with pytest.raises(ValueError):
        model_section(output, attention="some")
    embeddings = sentence_section(bert, TEXT, PAIR)
    with_pair = model_section(output, embeddings=embeddings)
    block = with_pair["sentence_embedding"]
    assert block["cosine"] == pytest.approx(cosine(embeddings["text"], embeddings["pair"]), 1e-5)
    json.dumps(with_pair, allow_nan=False)

    causal = run_model(gpt2, encode(Catalog().load(gpt2.tokenizer_name), TEXT))
    lens_section = model_section(causal)["lens"]
    json.dumps(lens_section, allow_nan=False)  # the NaN of the last position became null
    assert lens_section["actual_next_prob"][0][-1] is None


def test_model_report_for_the_cli(gpt2: LoadedModel) -> None:
    section = model_report(gpt2, TEXT, PAIR, attention="none")
    json.dumps(section, allow_nan=False)
    assert section["tokenizer"] == gpt2.tokenizer_name
    assert "attention" not in section and "lens" in section
    result = encode(Catalog().load(gpt2.tokenizer_name), TEXT, pair=PAIR)
    fed = min(len(result), TINY_POSITIONS)  # the pair makes it longer than the tiny model reads
    assert section["tokens"] == fed == len(section["token_strings"])
    assert section["token_strings"] == [v.display for v in result.views()][:fed]
    assert (fed < len(result)) == any("at most" in n for n in section["notices"])
    block = section["sentence_embedding"]
    assert len(block["text"]) == len(block["pair"]) == 32 and -1 <= block["cosine"] <= 1
    short = model_report(
        gpt2, TEXT, settings=EncodeSettings(truncation="longest_first", max_length=5)
    )
    assert short["tokens"] == 5 and "pair" not in short["sentence_embedding"]
