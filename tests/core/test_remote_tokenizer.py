"""A window's tokenizer loaded in the encode process (remote_copy.RemoteTokenizer) answers
everything exactly as the tokenizer loaded here: facts, vocabulary and bytes over every id,
decodes, every encode (routed to the child), its what-if copies, a Jinja chat. Real tokenizers
(MiniLM's WordPiece, smollm2's byte-level BPE, mistral-v3's sentencepiece, ones trained in the
session), a real child process."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from inspector.core.batch import batch_inputs
from inspector.core.catalog import Catalog
from inspector.core.chat import apply_chat, conversation_from_value
from inspector.core.decode_ids import decode_ids
from inspector.core.encode_process import EncodeProcess, can_use_process, converts_here
from inspector.core.encoding import encode, encode_batch
from inspector.core.errors import TokenizerLoadError
from inspector.core.remote_copy import RemoteTokenizer, what_if_copy
from inspector.core.settings import EncodeSettings
from inspector.core.tokenizer import LoadedTokenizer
from tests.core.conftest import TrainedHF
from tests.core.test_chat import HARD
from tests.core.test_remote_copy import assert_same_tables, same_or_same_error

# Accents (composed and not), CJK, emoji (a flag, a ZWJ family), CRLF, tabs, typed specials
# of each family, a byte-fallback candidate.
TEXTS = [
    "Héllo wörld, naïve cafe\u0301! 自然语言处理 🇫🇷👨‍👩‍👧 😀x\r\nnext\tline",
    "[CLS] hello [SEP] [MASK] <|im_start|>user\nhi<|im_end|> <s> </s> [INST] <unk>",
    "  leading  and trailing  \r\n\r\n",
    "ÉCOLE Straße ﬁ ① ｈｅｌｌｏ",
    "",
]
PAIR = "a pair text — 中文 <|endoftext|>"
BATCH = "Héllo wörld\n自然语言处理 😀\n[CLS] x [SEP]\n\ntail <s>"
BATCH_PAIRS = "one\ntwo 中\nthree\nfour"
SETTINGS = [
    EncodeSettings(),
    EncodeSettings(split_special_tokens=True),
    EncodeSettings(add_special_tokens=False),
    EncodeSettings(truncation="longest_first", max_length=8),
    EncodeSettings(truncation="only_first", max_length=9, stride=2),
    EncodeSettings(padding="max_length", max_length=40, truncation="longest_first"),
    EncodeSettings(padding="longest", padding_side="left"),
]
CATALOG_NAMES = ["minilm", "smollm2", "mistral-v3"]
TRAINED = ["wordpiece-json", "unigram-folder", "bpe-folder"]


@pytest.fixture(scope="module")
def process() -> Iterator[EncodeProcess]:
    worker = EncodeProcess()
    yield worker
    worker.close()


def _name(param: str, trained: dict[str, TrainedHF]) -> str:
    if param in CATALOG_NAMES:
        return param
    kind, form = param.split("-")
    return str(trained[kind].json_path if form == "json" else trained[kind].folder)


@pytest.fixture(scope="module", params=CATALOG_NAMES + TRAINED)
def pair(
    request: pytest.FixtureRequest, trained_hf: dict[str, TrainedHF], process: EncodeProcess
) -> tuple[RemoteTokenizer, LoadedTokenizer]:
    name = _name(request.param, trained_hf)
    light = Catalog(load_process=process).load(name)
    assert isinstance(light, RemoteTokenizer)
    real = Catalog().load(name)
    assert "_built_real" not in light.__dict__
    return light, real


def assert_same_answers(light: LoadedTokenizer, real: LoadedTokenizer) -> None:
    assert_same_tables(light, real)
    for token in [*real.vocab(), "nope nope", "", "[CLS]", "<s>", "<|im_start|>", "Ġworld"]:
        assert light.token_to_id(token) == real.token_to_id(token), token
    ids = [i for t in TEXTS for i in encode(real, t).columns.ids.tolist()]
    controls = real.control_ids.tolist()
    cases = [ids, ids[::-1], ids[1::3], controls + ids[:7], [real.facts.vocab_size + 5], []]
    for skip in (False, True):
        for case in cases:
            wanted = np.array(case, dtype=np.int64)
            try:
                want = real.decode(case, skip)
            except Exception:  # sentencepiece refuses an unknown id: refused there too
                with pytest.raises(Exception):  # noqa: B017
                    light.decode(case, skip)
                continue
            assert light.decode(case, skip) == want, case
            assert light.decode_array(wanted, skip) == real.decode_array(wanted, skip)


def assert_same_encodes(
    light: LoadedTokenizer, real: LoadedTokenizer, process: EncodeProcess
) -> None:
    assert light.encodes_elsewhere and not real.encodes_elsewhere
    for settings in SETTINGS:
        assert converts_here(light, "x", None, settings)
        assert can_use_process(light, "x", "y", settings)
        for text in TEXTS:
            for pair in (None, PAIR):
                same_or_same_error(
                    lambda: [encode(real, text, settings, pair)],  # noqa: B023
                    lambda: [process.encode(light, text, settings, pair)],  # noqa: B023
                )
        for pair_lines in (BATCH_PAIRS, ""):
            texts, pairs = batch_inputs(BATCH, pair_lines)
            same_or_same_error(
                lambda: encode_batch(real, texts, settings, pairs=pairs).results,  # noqa: B023
                lambda: process.encode_batch(light, BATCH, pair_lines, settings).results,  # noqa: B023
            )


def test_vocabulary_bytes_and_decodes_are_the_real_tokenizers(
    pair: tuple[RemoteTokenizer, LoadedTokenizer],
) -> None:
    light, real = pair
    assert_same_answers(light, real)
    assert "_built_real" not in light.__dict__


def test_every_encode_goes_to_the_child_and_equals_the_real_tokenizers(
    pair: tuple[RemoteTokenizer, LoadedTokenizer], process: EncodeProcess
) -> None:
    light, real = pair
    assert_same_encodes(light, real, process)
    assert "_built_real" not in light.__dict__


@pytest.mark.parametrize("special", [False, True], ids=["plain", "special"])
def test_what_if_copies_are_loaded_in_the_child_and_equal_the_real_copies(
    pair: tuple[RemoteTokenizer, LoadedTokenizer], process: EncodeProcess, special: bool
) -> None:
    base, real_base = pair
    tokens = ["<tag>", "wörld", "中文", "😀x"] + (["[CLS]"] if special else ["hello"])
    light = what_if_copy(base, tokens, special, process)
    assert isinstance(light, RemoteTokenizer)
    real = real_base.with_added_tokens(tokens, special)
    assert_same_answers(light, real)
    assert_same_encodes(light, real, process)
    assert "_built_real" not in base.__dict__ and "_built_real" not in light.__dict__


@pytest.mark.parametrize("name", list(HARD))
def test_a_jinja_chat_on_smollm2_in_the_child_equals_in_process(
    process: EncodeProcess, name: str
) -> None:
    light = Catalog(load_process=process).load("smollm2")
    real = Catalog().load("smollm2")
    conversation = conversation_from_value(HARD[name])
    for generation in (False, True):
        remote = apply_chat(light, conversation, add_generation_prompt=generation, process=process)
        local = apply_chat(real, conversation, add_generation_prompt=generation)
        assert remote.rendered == local.rendered and remote.rows == local.rows
        assert remote.warnings == local.warnings and remote.source == local.source
        np.testing.assert_array_equal(remote.message, local.message)
        np.testing.assert_array_equal(remote.result.columns.ids, local.result.columns.ids)
        np.testing.assert_array_equal(
            remote.result.columns.char_start, local.result.columns.char_start
        )
    assert "_built_real" not in light.__dict__


def test_an_encode_asked_here_builds_the_real_tokenizer_once(process: EncodeProcess) -> None:
    """The core API given the light object: correct, from the real object built here."""
    light = Catalog(load_process=process).load("minilm")
    real = Catalog().load("minilm")
    for text in TEXTS:
        same_or_same_error(lambda: [encode(real, text)], lambda: [encode(light, text)])  # noqa: B023
    built = light.__dict__["_built_real"]
    encode(light, "again")
    assert light.__dict__["_built_real"] is built


def test_no_child_loads_here(trained_hf: dict[str, TrainedHF]) -> None:
    """A load process whose child cannot start: today's load, in this process."""
    process = EncodeProcess()
    process._child._cannot_start = "refused for the test"
    name = str(trained_hf["wordpiece"].json_path)
    tok = Catalog(load_process=process).load(name)
    assert not isinstance(tok, RemoteTokenizer) and not tok.encodes_elsewhere
    assert tok.facts == Catalog().load(name).facts


def test_decode_ids_of_the_light_tokenizer_are_the_real_ones(
    pair: tuple[RemoteTokenizer, LoadedTokenizer],
) -> None:
    """Tools → Decode ids: every decode of a paste in one request to the child."""
    light, real = pair
    ids = [*encode(real, TEXTS[0]).columns.ids.tolist(), 10**9, *real.control_ids.tolist()]
    assert decode_ids(light, ids) == decode_ids(real, ids)


def test_a_load_that_fails_in_the_child_says_what_it_says_here(
    tmp_path: Path, process: EncodeProcess
) -> None:
    (tmp_path / "tokenizer.json").write_text("{broken", "utf-8")
    (tmp_path / "other.json").write_text('{"a": 1}', "utf-8")
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "tokenizer_config.json").write_text(
        '{"tokenizer_class": "BertTokenizer"}', "utf-8"
    )
    names = ["tokenizer.json", "other.json", "config", "missing.json"]
    for name in [str(tmp_path / n) for n in names] + ["no-such/repo-here"]:
        with pytest.raises(TokenizerLoadError) as here:
            Catalog().load(name)
        with pytest.raises(TokenizerLoadError) as there:
            Catalog(load_process=process).load(name)
        assert str(there.value) == str(here.value)
        assert there.value.message == here.value.message
