"""Honest exits (issue 10 §5, issue 11 "Bad input"): every foreseeable failure is exit 3 (or 2
for usage) with one plain line, never exit 1 or a traceback; files are written atomically,
through symlinks, with the target's permission bits; SIGTERM/SIGHUP leave no temporary file.
Each case runs the real CLI in a subprocess, as a user would."""

from __future__ import annotations

import codecs
import json
import os
import signal
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from inspector.core.textinput import MAX_TEXT_BYTES

ENV = {**os.environ, "HF_HUB_OFFLINE": "1", "PYTHONIOENCODING": "utf-8"}
CLI = [sys.executable, "-m", "inspector"]


def run(*args: str | bytes, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [*CLI, *args], input=stdin, capture_output=True, env=ENV, timeout=300, check=False
    )


def plain_failure(done: subprocess.CompletedProcess[bytes], code: int = 3) -> str:
    """The one line a failure prints; checks the exit status and that nothing else came."""
    err = done.stderr.decode("utf-8")
    assert done.returncode == code, err
    assert "Traceback" not in err and "internal error" not in err
    assert err.count("\n") == 1 and err.startswith("token-inspector: error: "), err
    return err


def report_to(path: Path | str, *extra: str) -> subprocess.CompletedProcess[bytes]:
    return run("report", "-t", "gpt2", "--text", "hello world", "-o", str(path), *extra)


# ------------------------------------------------------------------------------- output


def test_output_into_a_read_only_folder(tmp_path: Path) -> None:
    if os.geteuid() == 0:  # root writes through permission bits: use a folder the kernel owns
        folder = Path("/sys")
        try:
            handle, probe = tempfile.mkstemp(dir=folder)
        except OSError:
            pass
        else:
            os.close(handle)
            os.unlink(probe)
            pytest.skip("no read-only folder to try as root here")
    else:
        folder = tmp_path / "locked"
        folder.mkdir()
        folder.chmod(0o555)
    err = plain_failure(report_to(folder / "report.json"))
    assert "cannot write" in err and ("permission" in err or "read-only" in err)


def test_output_into_a_missing_folder(tmp_path: Path) -> None:
    err = plain_failure(report_to(tmp_path / "no" / "such" / "report.json"))
    assert "does not exist" in err


def test_output_is_a_folder(tmp_path: Path) -> None:
    err = plain_failure(report_to(tmp_path))
    assert "is a folder" in err


def test_output_to_a_full_disk() -> None:
    err = plain_failure(report_to("/dev/full"))
    assert "no space left" in err


def test_stdout_to_a_full_disk() -> None:
    with open("/dev/full", "wb") as full:
        done = subprocess.run(
            [*CLI, "report", "-t", "gpt2", "--text", "hello"],
            stdout=full,
            stderr=subprocess.PIPE,
            env=ENV,
            timeout=300,
            check=False,
        )
    err = plain_failure(done)  # type: ignore[arg-type]
    assert "standard output" in err and "no space left" in err


def test_overwrite_keeps_permission_bits(tmp_path: Path) -> None:
    target = tmp_path / "report.json"
    target.write_text("old", "utf-8")
    target.chmod(0o600)
    assert report_to(target).returncode == 0
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert json.loads(target.read_text("utf-8"))["text"] == "hello world"
    fresh = tmp_path / "new.json"
    assert report_to(fresh).returncode == 0
    umask = os.umask(0o022)
    os.umask(umask)
    assert stat.S_IMODE(fresh.stat().st_mode) == 0o666 & ~umask


def test_output_through_a_symlink_writes_its_target(tmp_path: Path) -> None:
    real = tmp_path / "data" / "report.json"
    real.parent.mkdir()
    real.write_text("old", "utf-8")
    link = tmp_path / "latest.json"
    link.symlink_to(real)
    assert report_to(link).returncode == 0
    assert link.is_symlink() and link.resolve() == real
    assert json.loads(real.read_text("utf-8"))["text"] == "hello world"
    assert sorted(p.name for p in real.parent.iterdir()) == ["report.json"]  # no temporary


@pytest.mark.parametrize("signal_name", ["SIGTERM", "SIGHUP", "SIGINT"])
def test_termination_removes_the_temporary_file(tmp_path: Path, signal_name: str) -> None:
    """A write in progress, stopped by a signal: the target keeps its old content and no
    temporary is left. The child blocks inside the write until the parent has signalled."""
    target = tmp_path / "report.json"
    target.write_text("old", "utf-8")
    code = f"""
import sys
from pathlib import Path
from inspector.core.files import exit_on_termination, write_atomic

def pieces():
    yield "partial"
    print("writing", flush=True)
    sys.stdin.readline()  # blocks: the signal comes while the temporary file exists
    yield "never"

try:
    with exit_on_termination():
        write_atomic(Path({str(target)!r}), pieces())
except KeyboardInterrupt:
    raise SystemExit(130)
"""
    child = subprocess.Popen(
        [sys.executable, "-c", code],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=ENV,
    )
    assert child.stdout is not None
    assert child.stdout.readline() == b"writing\n"
    assert len(list(tmp_path.iterdir())) == 2  # the target and the temporary
    number = getattr(signal, signal_name)
    child.send_signal(number)
    child.wait(timeout=60)
    assert child.returncode == (130 if signal_name == "SIGINT" else 128 + number)
    assert [p.name for p in tmp_path.iterdir()] == ["report.json"]
    assert target.read_text("utf-8") == "old"


# -------------------------------------------------------------------------------- input


@pytest.mark.parametrize(
    ("data", "label"),
    [
        (codecs.BOM_UTF16_LE + "ab".encode("utf-16-le") + b"\x00\xd8", "UTF-16"),  # lone high
        (codecs.BOM_UTF16_LE + b"a\x00b", "UTF-16"),  # odd length
        (codecs.BOM_UTF16_BE + b"\xdc\x00\x00a", "UTF-16"),  # lone low surrogate
        (codecs.BOM_UTF32_LE + b"a\x00\x00\x00\x00\xd8\x00\x00", "UTF-32"),  # a surrogate
        (codecs.BOM_UTF32_LE + b"a\x00\x00", "UTF-32"),  # not a multiple of 4
    ],
    ids=["utf16-lone-high", "utf16-odd", "utf16be-lone-low", "utf32-surrogate", "utf32-odd"],
)
def test_broken_utf16_and_utf32_files(tmp_path: Path, data: bytes, label: str) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_bytes(data)
    err = plain_failure(run("report", "-t", "gpt2", "--file", str(bad)))
    assert f"not valid {label}" in err and "--errors replace" in err
    done = run("report", "-t", "gpt2", "--file", str(bad), "--errors", "replace")
    assert done.returncode == 0, done.stderr
    assert "\ufffd" in json.loads(done.stdout)["text"]


@pytest.mark.parametrize("option", ["--text", "--pair"])
def test_non_utf8_bytes_in_text_arguments(option: str) -> None:
    args: list[str | bytes] = ["report", "-t", "gpt2", "--text", "fine"]
    if option == "--text":
        args[-1] = b"caf\xe9"
    else:
        args += ["--pair", b"caf\xe9"]
    err = plain_failure(run(*args))
    assert f"{option} holds bytes that are not UTF-8" in err and "--file" in err


def test_file_over_the_cap_is_refused_before_reading(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    with big.open("wb") as handle:  # sparse: nothing is really written or read
        handle.truncate(MAX_TEXT_BYTES + 1024 * 1024)
    err = plain_failure(run("report", "-t", "gpt2", "--file", str(big)))
    assert "65.0 MB" in err and "at most 64 MB" in err


@pytest.mark.parametrize("value", ["99999999999999999999", "-3", "0", "ten"])
def test_max_length_out_of_range_is_a_usage_error(value: str) -> None:
    done = run("report", "-t", "gpt2", "--text", "hi", "--max-length", value)
    assert done.returncode == 2
    assert b"--max-length" in done.stderr and b"Traceback" not in done.stderr


def test_out_of_memory_is_a_plain_message(tmp_path: Path) -> None:
    """Under an address-space limit a large text cannot be read whole: exit 3, one line."""
    import resource

    text = tmp_path / "text.txt"
    text.write_bytes(b"word " * (12 * 1024 * 1024))  # 60 MB: under the cap, over the limit
    probe = subprocess.run(  # what the CLI needs before it reads the text
        [sys.executable, "-c", "import inspector.cli, inspector.core.catalog,"
         " inspector.core.report, inspector.core.encoding, inspector.render.export;"
         "print(open('/proc/self/status').read().split('VmPeak:')[1].split()[0])"],
        capture_output=True, text=True, env=ENV, check=True, timeout=120,
    )  # fmt: skip
    limit = (int(probe.stdout) + 48 * 1024) * 1024  # +48 MB: less than the text

    def limited() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    done = subprocess.run(
        [*CLI, "report", "-t", "gpt2", "--file", str(text), "-o", str(tmp_path / "r.json")],
        capture_output=True,
        env=ENV,
        timeout=300,
        preexec_fn=limited,  # only setrlimit, before exec
        check=False,
    )
    err = plain_failure(done)
    assert "not enough memory" in err


# ---------------------------------------------------------------------------- streaming


def test_stdout_streams_and_a_closed_pipe_is_quiet(tmp_path: Path) -> None:
    """`report | head -c 100`: the first bytes come, and the reader leaving is no error."""
    text = tmp_path / "text.txt"
    text.write_text("Tokenizers see text differently 鸟语花香 🎶\n" * 20_000, "utf-8")
    child = subprocess.Popen(
        [*CLI, "report", "-t", "gpt2", "--file", str(text)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=ENV,
    )
    assert child.stdout is not None and child.stderr is not None
    head = child.stdout.read(100)
    child.stdout.close()
    assert head.startswith(b'{\n  "schema": "token-inspector/report@1"')
    assert child.wait(timeout=300) == 0
    assert child.stderr.read() == b""


def test_formats_that_do_not_stream_say_so_first(tmp_path: Path) -> None:
    text = tmp_path / "text.txt"
    text.write_text("ab " * 400_000, "utf-8")
    done = run("report", "-t", "gpt2", "--file", str(text), "-o", str(tmp_path / "r.svg"))
    assert done.returncode == 0
    assert b"made whole in memory" in done.stderr


def test_stdin_over_the_cap_is_refused_without_reading_it_all() -> None:
    err = plain_failure(run("report", "-t", "gpt2", "-", stdin=b"a" * (MAX_TEXT_BYTES + 1)))
    assert "more than 64 MB" in err


def test_output_to_dev_stdout_writes_through_the_pipe() -> None:
    done = report_to("/dev/stdout")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["text"] == "hello world"


def test_a_tokenizer_name_that_is_not_utf8_is_reported_not_a_crash() -> None:
    done = run("report", "-t", b"\xff/x", "-t", "gpt2", "--text", "hi")
    assert done.returncode == 3 and b"Traceback" not in done.stderr
    sections = json.loads(done.stdout)["tokenizers"]
    assert sections[0]["id"] == "\udcff/x" and "error" in sections[0]
    assert sections[1]["tokens"][0]["token"] == "hi"
