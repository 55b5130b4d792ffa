"""A .tiktoken file is read a chunk of lines at a time (C calls, no Python loop per line) and
gives what reading it line by line gives: the same ranks in the same order, the same errors
with the number of the line at fault; the per-id tables built from the ranks without a loop
per id equal each id's own bytes."""

from __future__ import annotations

import base64
import io
from pathlib import Path

import numpy as np
import pytest

from inspector.core import sources, vocab_index
from inspector.core.catalog import Catalog
from inspector.core.errors import TokenizerLoadError
from inspector.core.sources import load_tiktoken_ranks, resources_dir
from inspector.core.tiktoken_fast import TiktokenTokenizer
from inspector.core.vocab_index import bytes_repeat
from tests.core import raw

SINGLE_BYTES = b"".join(
    base64.b64encode(bytes((byte,))) + f" {byte}\n".encode() for byte in range(256)
)


def _line_by_line(data: bytes) -> dict[bytes, int]:
    """The reference: one line at a time, as tiktoken's own loader reads the file."""
    ranks: dict[bytes, int] = {}
    for line in io.BytesIO(data):
        if line.strip():
            token, rank = line.split()
            ranks[base64.b64decode(token, validate=True)] = int(rank)
    return ranks


@pytest.mark.parametrize("name", ["r50k_base", "cl100k_base", "o200k_base"])
def test_vendored_files_read_as_line_by_line(name: str) -> None:
    path = resources_dir() / "tokenizers" / f"{name}.tiktoken"
    ranks = load_tiktoken_ranks(path).as_dict()
    want = _line_by_line(path.read_bytes())
    assert list(ranks.items()) == list(want.items())


@pytest.fixture
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sources, "RANK_LINES", 5)  # many chunk edges in a short file


def _file(tmp_path: Path, content: bytes) -> Path:
    path = tmp_path / "ranks.tiktoken"
    path.write_bytes(content)
    return path


def test_blank_lines_crlf_and_repeats_across_chunks(tmp_path: Path, small_chunks: None) -> None:
    extra = b"YWI= 300\r\n\n   \nYWI= 301\nYmM= 302\n\nYw== 7\nZGVm 303"  # no final newline
    lines = SINGLE_BYTES.splitlines(keepends=True)
    data = b"".join(lines[:100]) + b"\n" + b"".join(lines[100:]) + extra
    table = load_tiktoken_ranks(_file(tmp_path, data))
    ranks = table.as_dict()
    assert list(ranks.items()) == list(_line_by_line(data).items())
    assert ranks[b"ab"] == 301 and ranks[b"c"] == 7 and ranks[b"def"] == 303
    # Each token once, as the dict keeps it: its first place, its last rank.
    assert table.tokens == list(ranks) and table.ranks.tolist() == list(ranks.values())
    assert table.lengths.tolist() == [len(token) for token in ranks]


@pytest.mark.parametrize(
    ("tail", "line"),
    [
        (b"YWI= 1 YmM=\n2\n", 257),  # fields that would pair up across two lines
        (b"YQ== 0\nYg== 1\nYWI=\n", 259),
        (b"\n\nYQ== x\n", 259),
        (b"YQ== 0\nYWJ 2\n", 258),  # not base64
        (b"YQ== 0\nYWI== 2\n", 258),  # bad padding: strict
        (b"Y!I= 2\n", 257),
    ],
)
def test_a_bad_line_is_named(tmp_path: Path, small_chunks: None, tail: bytes, line: int) -> None:
    with pytest.raises(TokenizerLoadError, match=f"line {line} is not 'base64 rank'"):
        load_tiktoken_ranks(_file(tmp_path, SINGLE_BYTES + tail))


@pytest.mark.parametrize("entry_id", raw.TIKTOKEN_IDS)
def test_id_tables_equal_each_ids_bytes(entry_id: str) -> None:
    tok = Catalog().load(entry_id)
    assert isinstance(tok, TiktokenTokenizer)
    _assert_tables(tok)


def test_id_tables_of_ranks_with_holes_and_out_of_order(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("TOKEN_INSPECTOR_CACHE", str(tmp_path / "cache"))
    lines = SINGLE_BYTES.splitlines(keepends=True)
    merges = b"YWI= 300\nYmM= 258\n"  # ids 256, 257 and 259-299 have no bytes
    path = _file(tmp_path, b"".join(lines[128:]) + merges + b"".join(lines[:128]))
    tok = Catalog().load(str(path))
    assert isinstance(tok, TiktokenTokenizer)
    _assert_tables(tok)
    assert tok._bytes_by_id[300] == b"ab" and tok._bytes_by_id[256] is None


def _assert_tables(tok: TiktokenTokenizer) -> None:
    count = len(tok.token_byte_lengths)
    want = [None] * count
    for raw_bytes, token_id in tok._spec.ranks.items():
        want[token_id] = raw_bytes
    for token_id in tok._spec.special_tokens.values():
        want[token_id] = None
    assert tok._bytes_by_id == want
    flat, starts = tok._flat_token_bytes
    pieces = [tok.token_bytes(i) or b"" for i in range(count)]
    assert flat.tobytes() == b"".join(pieces)
    assert np.array_equal(starts, np.cumsum([0] + [len(p) for p in pieces[:-1]]))


def test_a_repeated_token_is_found_exactly_even_when_hashes_collide(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    tokens = [b"a", b"b", b"ab", b"ba", b"\x00\xff"]
    lengths = np.array([len(token) for token in tokens])
    again = np.append(lengths, 2)
    assert not bytes_repeat(tokens, lengths)
    assert bytes_repeat([*tokens, b"ab"], again)
    # Every hash alike: only the exact comparison tells them apart.
    monkeypatch.setattr(vocab_index, "_hash_codes", lambda _c, _s, e: np.zeros(len(e), np.uint64))
    assert not bytes_repeat(tokens, lengths)
    assert bytes_repeat([*tokens, b"ab"], again)
