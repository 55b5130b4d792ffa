"""Core errors a learner meets carry a translatable Message: ``str(err)`` stays the English the
CLI prints, the window translates the template and the marked parts inside it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from inspector.core import load_messages
from inspector.core.catalog import Catalog
from inspector.core.errors import InspectorError, Message, TokenizerLoadError
from inspector.core.roundtrip import LOWERCASING, UNKNOWN_TOKEN, classify


def _translate(pairs: dict[str, str]):  # type: ignore[no-untyped-def]
    return lambda template: pairs.get(template, template)


def test_a_missing_path_is_english_and_translatable(catalog: Catalog, tmp_path: Path) -> None:
    missing = str(tmp_path / "nope" / "tokenizer.json")
    with pytest.raises(TokenizerLoadError) as caught:
        catalog.load(missing)
    err = caught.value
    assert str(err) == f"no such file or folder: {missing}"  # the CLI's words, unchanged
    assert err.message.template == load_messages.NO_SUCH_PATH
    zh = _translate({load_messages.NO_SUCH_PATH: "没有这个文件或文件夹：{0}"})
    assert err.message.translated(zh) == f"没有这个文件或文件夹：{missing}"


def test_a_json_of_the_wrong_shape_is_translated_with_its_parts(
    catalog: Catalog, tmp_path: Path
) -> None:
    vocab = tmp_path / "vocab.json"
    vocab.write_text(json.dumps({"a": 1, "b": 2, "c": 3}), "utf-8")
    with pytest.raises(TokenizerLoadError) as caught:
        catalog.load(str(vocab))
    err = caught.value
    assert str(err) == (
        'vocab.json is JSON but not a tokenizer.json: it has no "model"; it looks like a '
        "vocab.json (token → id) without its merges: open the folder that holds it"
    )
    outer, (name, inner) = err.message.template, err.message.arguments
    assert name == "vocab.json" and isinstance(inner, Message)
    zh = _translate({outer: "{0} 不是 tokenizer.json：它像{1}", inner.template: "vocab.json"})
    assert err.message.translated(zh) == "vocab.json 不是 tokenizer.json：它像vocab.json"


def test_an_invalid_json_names_the_file(catalog: Catalog, tmp_path: Path) -> None:
    broken = tmp_path / "tokenizer.json"
    broken.write_text('{"model": ', "utf-8")
    with pytest.raises(TokenizerLoadError) as caught:
        catalog.load(str(broken))
    message = caught.value.message
    assert str(caught.value).startswith("tokenizer.json is not a valid tokenizer.json: it is not")
    assert message.translated(_translate({message.template: "无效：{0}（{1}）"})).startswith(
        "无效：tokenizer.json（"
    )


def test_an_unknown_id_offline_says_not_cached(catalog: Catalog) -> None:
    with pytest.raises(TokenizerLoadError) as caught:
        catalog.load("no-such-org-zh2/no-such-tokenizer")
    assert caught.value.message.template == load_messages.NOT_CACHED
    assert "'no-such-org-zh2/no-such-tokenizer' is not in the local" in str(caught.value)


def test_a_plain_string_error_has_nothing_to_translate() -> None:
    err = InspectorError("a {brace} and a path C:\\x")
    assert err.message.translated(str.upper) == "a {brace} and a path C:\\x"
    assert str(err) == "a {brace} and a path C:\\x" and err.args == (str(err),)


def test_round_trip_kinds_are_the_marked_english() -> None:
    assert classify("WORLD", "world", None) == LOWERCASING == "lowercasing"
    assert classify("☃", "[UNK]", "[UNK]") == UNKNOWN_TOKEN == "unknown token"
