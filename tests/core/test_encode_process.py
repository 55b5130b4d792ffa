"""Long texts encoded in a child process give exactly the result of encoding in-process."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import fields
from pathlib import Path

import numpy as np
import pytest

from inspector.core.batch import batch_inputs
from inspector.core.catalog import Catalog
from inspector.core.encode_process import (
    PROCESS_THRESHOLD,
    EncodeProcess,
    can_use_process,
    converts_here,
)
from inspector.core.encoding import EncodingResult, TokenColumns, encode, encode_batch
from inspector.core.errors import Cancelled, EncodeError
from inspector.core.settings import EncodeSettings


@pytest.fixture(scope="module")
def process() -> Iterator[EncodeProcess]:
    worker = EncodeProcess()
    yield worker
    worker.close()


@pytest.fixture(scope="module")
def long_text(samples: Path) -> str:
    base = (samples / "mixed.txt").read_text("utf-8") + (samples / "chinese.txt").read_text()
    return base * 40


def assert_columns_equal(got: TokenColumns, want: TokenColumns) -> None:
    for field in fields(TokenColumns):
        name = "word_ids" if field.name == "word_ids_source" else field.name
        a, b = getattr(got, name), getattr(want, name)
        if field.name == "tokens":
            assert list(a) == list(b)
        else:
            assert a.dtype == b.dtype, name
            np.testing.assert_array_equal(a, b, err_msg=name)


def assert_same(got: EncodingResult, want: EncodingResult) -> None:
    assert_columns_equal(got.columns, want.columns)
    assert len(got.overflow) == len(want.overflow)
    for a, b in zip(got.overflow, want.overflow, strict=True):
        assert_columns_equal(a, b)
    assert got.stats == want.stats
    assert got.roundtrip == want.roundtrip
    assert got.pair_roundtrip == want.pair_roundtrip
    assert got.tokenizer == want.tokenizer
    # Per-token views (display strings, bytes) come from the parent's tokenizer.
    for index in (0, len(got) // 2, len(got) - 1):
        assert got.token(index) == want.token(index)


@pytest.mark.parametrize("name", ["all-MiniLM-L6-v2", "gpt2", "o200k_base", "mistral-v1"])
def test_same_result_as_in_process(
    catalog: Catalog, process: EncodeProcess, long_text: str, name: str
) -> None:
    tok = catalog.load(name)
    settings = EncodeSettings()
    assert_same(process.encode(tok, long_text, settings), encode(tok, long_text, settings))


def test_pair_truncation_and_overflow_windows(
    catalog: Catalog, process: EncodeProcess, long_text: str
) -> None:
    tok = catalog.load("all-MiniLM-L6-v2")
    settings = EncodeSettings(truncation="only_first", max_length=128, stride=16)
    pair = "a short second sentence"
    got = process.encode(tok, long_text, settings, pair)
    assert len(got.overflow) > 10
    assert_same(got, encode(tok, long_text, settings, pair))


def test_what_if_tokens_reach_the_child(
    catalog: Catalog, process: EncodeProcess, long_text: str
) -> None:
    phrase = long_text.split()[3]
    tok = catalog.load("gpt2").with_added_tokens([phrase], special=False)
    assert tok.recipe is not None and tok.recipe.added
    got = process.encode(tok, long_text, EncodeSettings())
    assert_same(got, encode(tok, long_text, EncodeSettings()))
    assert tok.token_to_id(phrase) in got.columns.ids


def test_errors_come_back_as_plain_messages(
    catalog: Catalog, process: EncodeProcess, long_text: str
) -> None:
    tok = catalog.load("gpt2")  # no pad token
    with pytest.raises(EncodeError) as raised:
        encode(tok, "x", EncodeSettings(padding="max_length", max_length=8))
    with pytest.raises(EncodeError, match=str(raised.value)[:20]):
        process.encode(tok, long_text, EncodeSettings(padding="max_length", max_length=8))
    # The child is still there for the next request.
    assert len(process.encode(tok, long_text, EncodeSettings())) > 0


def test_cancel_kills_the_running_child_and_the_next_call_works(
    catalog: Catalog, process: EncodeProcess, long_text: str
) -> None:
    tok = catalog.load("gpt2")
    process.encode(tok, "warm " * 10, EncodeSettings())  # child started, tokenizer loaded
    huge = long_text * 30
    cancel = threading.Event()
    threading.Timer(0.2, cancel.set).start()
    child = process.pid or -1  # the warm child
    with pytest.raises(Cancelled):
        # A pair goes through tokenizers (tiktoken's plain fast path could finish first).
        process.encode(tok, huge, EncodeSettings(), huge, cancelled=cancel.is_set)
    assert not Path(f"/proc/{child}").exists()  # killed mid-encode, not waited for
    assert_same(process.encode(tok, long_text, EncodeSettings()), encode(tok, long_text))


def test_only_long_texts_of_reloadable_tokenizers_go_to_a_child(catalog: Catalog) -> None:
    tok = catalog.load("gpt2")
    assert can_use_process(tok, "x" * PROCESS_THRESHOLD, None)
    assert not can_use_process(tok, "x" * (PROCESS_THRESHOLD - 10), None)
    assert can_use_process(tok, "x" * (PROCESS_THRESHOLD - 10), "y" * 10)
    built = catalog.load("gpt2").with_added_tokens(["zz"], special=False)
    built.recipe = None  # e.g. a tokenizer object made in code
    assert not can_use_process(built, "x" * PROCESS_THRESHOLD, None)
    with pytest.raises(ValueError):
        EncodeProcess().encode(built, "x", EncodeSettings())


def test_a_file_loaded_tokenizer_is_reloaded_from_its_path(
    path_catalog: Catalog, trained_hf: dict, process: EncodeProcess, long_text: str
) -> None:
    tok = path_catalog.load(str(trained_hf["bpe"].json_path))
    assert_same(process.encode(tok, long_text, EncodeSettings()), encode(tok, long_text))


@pytest.mark.parametrize("split", [False, True], ids=["parsed", "split"])
def test_typed_control_tokens_and_normalized_spans_survive_the_child(
    catalog: Catalog, process: EncodeProcess, long_text: str, split: bool
) -> None:
    """A typed <|endoftext|> and decomposed text under Qwen: the child's control column,
    typed_control_count, NFC-mapped spans and groups equal the in-process result."""
    tok = catalog.load("qwen2.5")
    text = long_text[:5000] + " cafe\u0301 <|endoftext|> n\u0303 <|im_start|>"
    settings = EncodeSettings(split_special_tokens=split)
    got = process.encode(tok, text, settings)
    want = encode(tok, text, settings)
    assert_same(got, want)
    assert got.typed_control_count == want.typed_control_count == (0 if split else 2)


BATCH_TEXT = (
    "Where is <|endoftext|> the library?\nI ❤️ tokenizers 😀\n鸟语花香 東京タワー\ncafe\u0301 n"
)
BATCH_PAIR = "Next to the station.\nTwelve.\nשלום עולם\ntabs\tand  spaces "


@pytest.mark.parametrize("name", ["o200k_base", "qwen2.5", "all-MiniLM-L6-v2"])
@pytest.mark.parametrize("with_pairs", [False, True], ids=["texts", "pairs"])
def test_a_batch_in_the_child_equals_the_batch_in_process(
    catalog: Catalog, process: EncodeProcess, name: str, with_pairs: bool
) -> None:
    tok = catalog.load(name)
    pair = BATCH_PAIR if with_pairs else ""
    # tiktoken files have no padding token: truncation alone takes them off the fast path.
    padding = "longest" if name == "all-MiniLM-L6-v2" else "none"
    settings = EncodeSettings(padding=padding, truncation="longest_first", max_length=12)
    got = process.encode_batch(tok, BATCH_TEXT, pair, settings)
    texts, pairs = batch_inputs(BATCH_TEXT, pair)
    want = encode_batch(tok, texts, settings, pairs=pairs)
    assert got.token_types == want.token_types and got.has_pairs == with_pairs
    assert len(got.results) == len(want.results) == 4
    for a, b in zip(got.results, want.results, strict=True):
        assert (a.text, a.pair) == (b.text, b.pair)
        assert_same(a, b)
    with pytest.raises(EncodeError, match="line"):  # 4 texts, 2 pair texts: said as in-process
        process.encode_batch(tok, BATCH_TEXT, "one\ntwo", settings)


def test_only_a_tiktoken_conversion_not_built_here_is_left_to_the_child() -> None:
    tok = Catalog().load("cl100k_base")  # its own: the session's may have built it
    plain, padded = EncodeSettings(), EncodeSettings(padding="max_length", max_length=8)
    assert not converts_here(tok, "Hello", None, plain)
    assert converts_here(tok, "Hello", "pair", plain) and converts_here(tok, "Hi", None, padded)
    assert can_use_process(tok, "Hello", None, padded)
    minilm = Catalog().load("all-MiniLM-L6-v2")  # tokenizers already: nothing to build
    assert not converts_here(minilm, "Hello", "pair", padded)
    tok.tokenizers_path()  # built here now: using it costs nothing more
    assert not converts_here(tok, "Hello", "pair", padded)
