"""A file given as a tokenizer.json that is valid JSON of another shape is said to be so."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from inspector.core.catalog import Catalog
from inspector.core.errors import TokenizerLoadError
from tests.core.conftest import TrainedHF

# content → words the one-line message must hold (and never a serde "expected `,`" message)
WRONG_SHAPES: dict[str, tuple[bytes, tuple[str, ...]]] = {
    "a.json": (b'{"a": 1}', ("a.json is JSON but not a tokenizer.json", 'no "model"', '"a"')),
    "config.json": (
        json.dumps(
            {"architectures": ["BertModel"], "model_type": "bert", "hidden_size": 384}
        ).encode(),
        ("config.json is JSON but not a tokenizer.json", "config.json", 'no "model"'),
    ),
    "tokenizer_config.json": (
        json.dumps({"tokenizer_class": "BertTokenizer", "model_max_length": 512}).encode(),
        ("JSON but not a tokenizer.json", "looks like a tokenizer_config.json"),
    ),
    "vocab.json": (
        json.dumps({"[PAD]": 0, "[UNK]": 1, "hello": 2}).encode(),
        ("JSON but not a tokenizer.json", "vocab.json", "merges"),
    ),
    "list.json": (b"[1, 2]", ("JSON but not a tokenizer.json", "a list")),
    "model3.json": (b'{"model": 3}', ("JSON but not a tokenizer.json", '"model" is a number')),
}


@pytest.mark.parametrize("name", list(WRONG_SHAPES))
def test_json_of_another_shape_says_so(path_catalog: Catalog, tmp_path: Path, name: str) -> None:
    content, mentions = WRONG_SHAPES[name]
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(TokenizerLoadError) as err:
        path_catalog.load(str(path))
    message = str(err.value)
    assert "\n" not in message and "expected `" not in message
    for words in mentions:
        assert words in message, message


def test_folder_whose_tokenizer_json_has_another_shape(
    path_catalog: Catalog, tmp_path: Path
) -> None:
    """With a tokenizer_config.json next to it, transformers loads the folder: same message."""
    (tmp_path / "tokenizer.json").write_text(json.dumps({"model_type": "bert", "vocab_size": 9}))
    (tmp_path / "tokenizer_config.json").write_text(json.dumps({"model_max_length": 8}))
    with pytest.raises(TokenizerLoadError) as err:
        path_catalog.load(str(tmp_path))
    assert "tokenizer.json is JSON but not a tokenizer.json" in str(err.value)


def test_not_json_and_library_refusals_keep_their_reason(
    path_catalog: Catalog, tmp_path: Path, trained_hf: dict[str, TrainedHF]
) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text('{"model": ', "utf-8")
    with pytest.raises(TokenizerLoadError) as err:
        path_catalog.load(str(broken))
    assert "broken.json is not a valid tokenizer.json: it is not valid JSON" in str(err.value)
    assert "line 1, column 11" in str(err.value)
    # A tokenizer.json shape the library still refuses: its own reason, named.
    good = json.loads(trained_hf["bpe"].json_path.read_text("utf-8"))
    del good["model"]["vocab"]
    partial = tmp_path / "partial.json"
    partial.write_text(json.dumps(good), "utf-8")
    with pytest.raises(TokenizerLoadError) as err:
        path_catalog.load(str(partial))
    assert str(err.value).startswith("partial.json is not a valid tokenizer.json (")
