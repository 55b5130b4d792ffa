"""``token-inspector corpus`` run as a user would: a real subprocess, real Dask clusters."""

from __future__ import annotations

import csv
import io
import json
import os
import signal
import struct
import subprocess
import sys
from pathlib import Path

import psutil
import pytest

from tests.core.test_corpus import Doc, build_corpus, check_totals, dask_cluster

pytestmark = pytest.mark.slow  # real Dask clusters: seconds each
ENV = {**os.environ, "HF_HUB_OFFLINE": "1", "PYTHONIOENCODING": "utf-8"}
TOKENIZERS = ("-t", "gpt2", "-t", "mistral-v1")

__all__ = ["dask_cluster"]  # the fixture, shared with tests/core


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "inspector", "corpus", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=ENV,
        timeout=300,
    )


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Doc]]:
    root = tmp_path_factory.mktemp("corpus")
    return root, build_corpus(root)


def test_json_on_an_existing_cluster_equals_the_raw_libraries(
    dask_cluster: str, corpus: tuple[Path, list[Doc]], tmp_path: Path
) -> None:
    root, docs = corpus
    out = tmp_path / "report.json"
    done = run(*TOKENIZERS, str(root), "--scheduler", dask_cluster, "-o", str(out))
    assert done.returncode == 0, done.stderr
    report = json.loads(out.read_text("utf-8"))
    assert report["engine"] == report["engine"] | {"name": "dask", "workers": 2}
    assert report["engine"]["scheduler"] == dask_cluster
    check_totals(report, docs)
    local = run(*TOKENIZERS, str(root), "--workers", "2")
    assert local.returncode == 0, local.stderr
    embedded = json.loads(local.stdout)
    assert embedded["tokenizers"] == report["tokenizers"]
    assert "documents" in local.stderr  # the closing progress line


def test_csv_md_and_html_reports(corpus: tuple[Path, list[Doc]], tmp_path: Path) -> None:
    root, _docs = corpus
    hostile = root.parent / "hostile"
    (hostile / "<script>alert(1)").mkdir(parents=True, exist_ok=True)
    (hostile / "<script>alert(1)" / "x.txt").write_text(
        "<img src=x onerror=alert(1)> **bold** | pipe", "utf-8"
    )
    for fmt in ("csv", "md", "html"):
        out = tmp_path / f"report.{fmt}"
        done = run(*TOKENIZERS, str(root), str(hostile), "--workers", "2", "-o", str(out))
        assert done.returncode == 0, done.stderr
        text = out.read_text("utf-8")
        if fmt == "csv":
            rows = list(csv.DictReader(io.StringIO(text)))
            groups = {"(all)", "en", "fr", "de", "zh", "<script>alert(1)"}
            assert {r["group"] for r in rows} == groups
            assert len(rows) == 2 * len(groups)  # one row per tokenizer × group
        if fmt == "md":
            assert "<script>" not in text and "\\<script\\>" in text
        if fmt == "html":
            assert "<script" not in text.lower() and "&lt;script&gt;" in text
            assert "<img" not in text.lower()
            assert "http://" not in text and "https://" not in text and "@import" not in text
            assert text.count("<svg") == 3


def test_unreachable_scheduler_exits_3_with_one_plain_line(
    corpus: tuple[Path, list[Doc]],
) -> None:
    root, _docs = corpus
    done = run("-t", "gpt2", str(root), "--scheduler", "tcp://127.0.0.1:9")
    assert done.returncode == 3
    assert done.stdout == ""
    lines = done.stderr.strip().splitlines()
    assert (
        lines == [lines[0]] and "cannot reach the Dask scheduler at tcp://127.0.0.1:9" in lines[0]
    )


def test_bad_inputs_exit_3_or_are_counted(tmp_path: Path) -> None:
    (tmp_path / "bad.jsonl").write_text('{"text": "ok"}\nnot json\n', "utf-8")
    done = run("-t", "gpt2", str(tmp_path), "--workers", "1")
    assert done.returncode == 3 and "bad.jsonl line 2 is not valid JSON" in done.stderr
    done = run("-t", "gpt2", str(tmp_path / "nowhere"), "--workers", "1")
    assert done.returncode == 3 and "no such file or folder" in done.stderr
    (tmp_path / "bad.jsonl").unlink()
    done = run("-t", "gpt2", str(tmp_path), "--workers", "1")
    assert done.returncode == 3 and "the corpus is empty" in done.stderr
    (tmp_path / "zeros.txt").write_bytes(b"\x00\xff" * 100)
    (tmp_path / "ok.txt").write_text("fine", "utf-8")
    done = run("-t", "gpt2", str(tmp_path), "--workers", "1")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["corpus"]["skipped"] == 1 and "1 file(s) skipped" in done.stderr
    done = run("-t", "gpt2", "-t", "nonesuch-tokenizer-xyz", str(tmp_path), "--workers", "1")
    assert done.returncode == 3


def _ignores_sigint(pid: int) -> bool:
    with open(f"/proc/{pid}/status", encoding="ascii") as status:
        ignored = next(line for line in status if line.startswith("SigIgn:")).split()[1]
    return bool(int(ignored, 16) & (1 << (signal.SIGINT - 1)))


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_ctrl_c_stops_the_workers_and_writes_nothing(tmp_path: Path) -> None:
    corpus = tmp_path / "big"
    corpus.mkdir()
    line = json.dumps({"text": "Ein ziemlich langer Satz, immer wieder. " * 50}) + "\n"
    (corpus / "a.jsonl").write_text(line * 20_000, "utf-8")  # ~40 MB: minutes on one worker
    out = tmp_path / "report.json"
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "inspector",
            "corpus",
            "-t",
            "gpt2",
            str(corpus),
            "--workers",
            "2",
            "-o",
            str(out),
        ],
        env=ENV,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group, as a terminal's foreground job
    )
    parent = psutil.Process(process.pid)
    try:
        # Wait (polling a condition, not a timed sleep) until both workers run and the client
        # listens to SIGINT again (it ignores it while the cluster starts), then press Ctrl+C
        # as a terminal does: SIGINT to every process of the group, workers included.
        def workers() -> list[psutil.Process]:
            return [
                p for p in parent.children(recursive=True) if "spawn_main" in " ".join(p.cmdline())
            ]

        while process.poll() is None and (len(workers()) < 2 or _ignores_sigint(process.pid)):
            psutil.wait_procs([parent], timeout=0.1)
        children = parent.children(recursive=True)
        assert all(_ignores_sigint(w.pid) for w in workers())  # inherited through spawn
        os.killpg(process.pid, signal.SIGINT)
        _stdout, stderr = process.communicate(timeout=120)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 130, stderr
    # One line: no worker's KeyboardInterrupt traceback, no "AssertionError: Status.init".
    assert stderr.strip().splitlines() == ["token-inspector: error: interrupted"], stderr
    assert not out.exists()
    assert [p.name for p in tmp_path.iterdir()] == ["big"]  # no temporary file left
    _gone, alive = psutil.wait_procs(children, timeout=60)
    assert not alive


class _NotAScheduler:
    """A TCP server in this process that is no Dask scheduler: it accepts and then says
    nothing (as an HTTP server does to a client that speaks first), or sends a frame header
    announcing an impossible size."""

    def __init__(self, reply: bytes) -> None:
        import socket
        import threading

        self._server = socket.create_server(("127.0.0.1", 0))
        self.address = f"tcp://127.0.0.1:{self._server.getsockname()[1]}"
        self._reply = reply
        self._held: list[socket.socket] = []
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                connection, _peer = self._server.accept()
            except OSError:
                return  # closed
            self._held.append(connection)  # held open: the client waits for an answer
            if self._reply:
                connection.sendall(self._reply)

    def close(self) -> None:
        self._server.close()
        for connection in self._held:
            connection.close()


@pytest.mark.parametrize(
    ("reply", "address"),
    [
        (b"", None),  # silent: Client's own handshake would wait for ever
        (struct.pack("<Q", 2**62) * 4, None),  # garbage: a frame of 4 EiB (MemoryError)
        (b"", "bogus-address"),  # no port
        (b"", "tcp://127.0.0.1:99999"),
    ],
    ids=["silent", "garbage", "no-port", "bad-port"],
)
def test_what_is_no_scheduler_exits_3_with_one_plain_line(
    corpus: tuple[Path, list[Doc]], reply: bytes, address: str | None
) -> None:
    root, _docs = corpus
    server = _NotAScheduler(reply)
    try:
        done = run("-t", "gpt2", str(root), "--scheduler", address or server.address)
    finally:
        server.close()
    assert done.returncode == 3, done.stderr
    assert done.stdout == ""
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr  # no "Exception ignored in Client.__del__" after it
    assert "Dask scheduler" in lines[0] and (address or server.address) in lines[0]
    assert "memory" not in lines[0]
