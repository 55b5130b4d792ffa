"""The headless CLI, run as a user would: a real subprocess, offline, no Qt."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import tiktoken

from inspector.core.sources import openai_tiktoken_spec, vendored_tiktoken_path

ENV = {**os.environ, "HF_HUB_OFFLINE": "1", "PYTHONIOENCODING": "utf-8"}


def run(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "inspector", *args],
        input=stdin.decode("utf-8", "surrogateescape") if stdin is not None else None,
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=ENV,
        timeout=300,
    )


def run_bytes_stdin(*args: str, data: bytes) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "inspector", *args],
        input=data,
        capture_output=True,
        env=ENV,
        timeout=300,
    )


def test_tokenizers_lists_catalog_without_loading() -> None:
    done = run("tokenizers", "--json", "--no-load")
    assert done.returncode == 0, done.stderr
    rows = json.loads(done.stdout)
    ids = [r["id"] for r in rows]
    for expected in (
        "sentence-transformers/all-MiniLM-L6-v2",
        "gpt2",
        "cl100k_base",
        "o200k_base",
        "mistral-v1",
        "qwen2.5",
    ):
        assert expected in ids
    assert all("loaded" not in r for r in rows)


def test_tokenizers_load_all_offline() -> None:
    done = run("tokenizers", "--json")
    assert done.returncode == 0, done.stderr
    rows = json.loads(done.stdout)
    assert all(r["loaded"] for r in rows), rows
    sizes = {r["id"]: r["vocab_size"] for r in rows}
    assert sizes["sentence-transformers/all-MiniLM-L6-v2"] == 30522
    assert sizes["gpt2"] == 50257
    assert sizes["mistral-v1"] == 32000


def test_report_json_matches_tiktoken_for_mixed_sample(samples: Path) -> None:
    done = run("report", "-t", "gpt2", "-t", "cl100k_base", "--file", str(samples / "mixed.txt"))
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    text = (samples / "mixed.txt").read_text("utf-8")
    assert report["schema"] == "token-inspector/report@1"
    assert report["text"] == text
    assert set(report["environment"]["libraries"]) >= {"tokenizers", "tiktoken"}
    assert report["settings"]["add_special_tokens"] is True
    for section, encoding in zip(report["tokenizers"], ("r50k_base", "cl100k_base"), strict=True):
        spec = openai_tiktoken_spec(encoding, vendored_tiktoken_path(encoding))
        enc = tiktoken.Encoding(
            encoding,
            pat_str=spec.pattern,
            mergeable_ranks=spec.ranks,
            special_tokens=spec.special_tokens,
        )
        assert [t["id"] for t in section["tokens"]] == enc.encode(text)
        assert section["stats"]["tokens"] == len(section["tokens"])
        assert section["roundtrip"]["equal"] is True
        assert section["token_type_ids"] is None
        # bytes of the tokens, in order, are the text's UTF-8
        joined = bytes.fromhex("".join(t["bytes"].replace(" ", "") for t in section["tokens"]))
        assert joined == text.encode("utf-8")
        for token in section["tokens"]:
            assert set(token) >= {"index", "id", "token", "display", "start", "end", "bytes"}


def test_report_pair_and_truncation_for_minilm() -> None:
    done = run(
        "report",
        "-t",
        "minilm",
        "--text",
        "Where is the library located?",
        "--pair",
        "The library stands next to the old railway station.",
        "--max-length",
        "12",
        "--truncation",
        "only_second",
        "--stride",
        "2",
    )
    assert done.returncode == 0, done.stderr
    section = json.loads(done.stdout)["tokenizers"][0]
    assert len(section["tokens"]) == 12
    assert section["token_type_ids"] is not None and 1 in section["token_type_ids"]
    assert section["overflow"], "stride with truncation should list overflow windows"
    assert {t["sequence_id"] for t in section["tokens"]} == {None, 0, 1}


def test_report_csv_and_markdown(tmp_path: Path) -> None:
    out = tmp_path / "r.csv"
    done = run(
        "report",
        "-t",
        "gpt2",
        "-t",
        "minilm",
        "--text",
        "Hello 😀 world",
        "--format",
        "csv",
        "-o",
        str(out),
    )
    assert done.returncode == 0, done.stderr
    rows = list(csv.DictReader(io.StringIO(out.read_text("utf-8"))))
    assert {r["tokenizer"] for r in rows} == {"gpt2", "sentence-transformers/all-MiniLM-L6-v2"}
    assert [r["id"] for r in rows if r["tokenizer"] == "gpt2"][:1] == ["15496"]
    done = run("report", "-t", "gpt2", "--text", "a | b", "--format", "md")
    assert done.returncode == 0
    assert "| # | id | token |" in done.stdout
    assert "\\|" in done.stdout  # pipes in tokens are escaped


def test_report_from_stdin() -> None:
    done = run_bytes_stdin("report", "-t", "gpt2", "-", data="héllo\r\nworld".encode())
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["text"] == "héllo\r\nworld"


def test_invalid_utf8_says_where_and_offers_replace(tmp_path: Path) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"line one\nab\xffcd\n")
    done = run("report", "-t", "gpt2", "--file", str(bad))
    assert done.returncode == 3
    assert "not valid UTF-8" in done.stderr and "line 2" in done.stderr
    assert "--errors replace" in done.stderr
    assert "Traceback" not in done.stderr and done.stderr.count("\n") == 1
    done = run("report", "-t", "gpt2", "--file", str(bad), "--errors", "replace")
    assert done.returncode == 0
    assert "\ufffd" in json.loads(done.stdout)["text"]


def test_binary_file_is_refused(tmp_path: Path) -> None:
    binary = tmp_path / "blob.bin"
    binary.write_bytes(bytes(range(256)) * 64)
    done = run("report", "-t", "gpt2", "--file", str(binary))
    assert done.returncode == 3
    assert "binary" in done.stderr and "Traceback" not in done.stderr


def test_usage_errors_exit_2() -> None:
    assert run("report", "--text", "x").returncode == 2  # no -t
    assert run("report", "-t", "gpt2").returncode == 2  # no text
    assert run("report", "-t", "gpt2", "--text", "x", "--format", "docx").returncode == 2


def test_unusable_tokenizer_exit_3_and_others_still_reported(tmp_path: Path) -> None:
    broken = tmp_path / "tokenizer.json"
    broken.write_text('{"version": "1.0", "model": ', "utf-8")
    done = run("report", "-t", str(broken), "-t", "gpt2", "--text", "hello")
    assert done.returncode == 3
    assert "tokenizer.json" in done.stderr and "Traceback" not in done.stderr
    sections = json.loads(done.stdout)["tokenizers"]
    assert "error" in sections[0]
    assert sections[1]["tokens"][0]["id"] == 31373


def test_missing_file_and_offline_hub_id() -> None:
    done = run("report", "-t", "gpt2", "--file", "/no/such/file.txt")
    assert done.returncode == 3 and "cannot read" in done.stderr
    done = run("report", "-t", "someone/not-cached-model-xyz", "--text", "hi")
    assert done.returncode == 3
    assert "offline" in done.stderr or "cache" in done.stderr


@pytest.mark.parametrize(
    "text",
    ["", "\x00", "a\r\nb\rc", "\u200b\u200d\u202e", "e\u0301" * 50, "x" * 10_000],
    ids=["empty", "nul", "crlf-cr", "zero-width-bidi", "combining", "long-word"],
)
def test_odd_texts_do_not_break_any_default(text: str, tmp_path: Path) -> None:
    from inspector.cli import main

    code = main(
        [
            "report",
            "-t",
            "minilm",
            "-t",
            "gpt2",
            "-t",
            "mistral-v1",
            "--text",
            text,
            "-o",
            str(tmp_path / "report.json"),
        ]
    )
    assert code == 0


def test_large_text_report(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    big.write_text(("Tokenizers see text differently 鸟语花香 🎶\n" * 120_000), "utf-8")
    assert big.stat().st_size > 5_000_000
    out = tmp_path / "big.csv"
    done = run("report", "-t", "gpt2", "--file", str(big), "--format", "csv", "-o", str(out))
    assert done.returncode == 0, done.stderr
    assert out.stat().st_size > 0


def test_failed_write_keeps_existing_file(tmp_path: Path) -> None:
    from inspector.core.files import write_atomic

    target = tmp_path / "report.json"
    target.write_text("old", "utf-8")

    with pytest.raises(TypeError):
        write_atomic(target, 123)  # type: ignore[arg-type]
    assert target.read_text("utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["report.json"]


def test_write_to_a_device_writes_through_and_keeps_it(tmp_path: Path) -> None:
    from inspector.core.files import write_atomic

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    reader = subprocess.Popen(["cat", str(fifo)], stdout=subprocess.PIPE)
    write_atomic(fifo, "through the pipe")
    assert reader.communicate(timeout=30)[0] == b"through the pipe"
    assert fifo.is_fifo()


def test_report_on_mixed_sample_matches_every_raw_library(samples: Path) -> None:
    """The issue's "done" check: every default tokenizer, one report, the libraries' own ids."""
    from inspector.core.catalog import ENTRIES
    from tests.core import raw

    text = (samples / "mixed.txt").read_text("utf-8")
    for first in range(0, len(ENTRIES), 8):  # a report compares at most 8 tokenizers
        entries = ENTRIES[first : first + 8]
        args = ["report", "--file", str(samples / "mixed.txt")]
        for entry in entries:
            args += ["-t", entry.id]
        done = run(*args)
        assert done.returncode == 0, done.stderr
        report = json.loads(done.stdout)
        assert [s["id"] for s in report["tokenizers"]] == [e.id for e in entries]
        for section in report["tokenizers"]:
            ids = [t["id"] for t in section["tokens"]]
            assert ids == raw.raw_ids(section["id"], text), section["id"]
            assert section["stats"]["tokens"] == len(section["tokens"])


def test_split_special_tokens_is_recorded_in_the_settings() -> None:
    done = run("report", "-t", "gpt2", "--text", "a<|endoftext|>b")
    report = json.loads(done.stdout)
    assert report["settings"]["split_special_tokens"] is False
    assert any("--split-special-tokens" in w for w in report["warnings"])
    done = run("report", "-t", "gpt2", "--text", "a<|endoftext|>b", "--split-special-tokens")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["settings"]["split_special_tokens"] is True


def test_split_special_tokens_encodes_them_as_plain_text() -> None:
    text = "a<|endoftext|>b"
    done = run("report", "-t", "gpt2", "--text", text, "--split-special-tokens")
    section = json.loads(done.stdout)["tokenizers"][0]
    spec = openai_tiktoken_spec("r50k_base", vendored_tiktoken_path("r50k_base"))
    enc = tiktoken.Encoding(
        "r50k_base",
        pat_str=spec.pattern,
        mergeable_ranks=spec.ranks,
        special_tokens=spec.special_tokens,
    )
    assert [t["id"] for t in section["tokens"]] == enc.encode_ordinary(text)
    assert 50256 not in section["ids"]
    assert not any(t["control"] for t in section["tokens"])
