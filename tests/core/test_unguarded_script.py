"""A script without ``if __name__ == "__main__":`` that starts a child (the tiktoken host, the
encode process) finishes with the right ids: spawn runs the script again in the child, which
then never answers; the parent says so in one line and encodes itself."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from inspector.core.catalog import Catalog
from inspector.core.encoding import encode

ROOT = Path(__file__).resolve().parents[2]
TEXT = "hello world, 東京 🎶 <|endoftext|>"
WARNING = "token-inspector: warning: the token-inspector-{name} process did not start"

HOST = f"""
from inspector.core.catalog import Catalog
from inspector.core.encoding import encode
from inspector.core.tiktoken_host import TiktokenHost

host = TiktokenHost()
print(encode(Catalog(encoding_host=host).load("cl100k_base"), {TEXT!r}).ids, flush=True)
host.close()
"""

PROCESS = f"""
from inspector.core.catalog import Catalog
from inspector.core.encode_process import EncodeProcess
from inspector.core.settings import EncodeSettings

process = EncodeProcess()
tokenizer = Catalog().load("cl100k_base")
print(process.encode(tokenizer, {TEXT!r}, EncodeSettings()).ids, flush=True)
process.close()
"""

# The script again in the child blocks before it reaches the host: only the parent's wait
# for the child's hello ends it.
HANGS_IN_CHILD = (
    """
import multiprocessing, time
from inspector.core import child_process
if multiprocessing.parent_process() is not None:
    time.sleep(600)
child_process.HELLO_SECONDS = 3.0
"""
    + HOST
)


def run_script(tmp_path: Path, source: str) -> subprocess.CompletedProcess[str]:
    script = tmp_path / "unguarded.py"
    script.write_text(source, "utf-8")
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, str(script)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    ("source", "name"),
    [(HOST, "tiktoken"), (PROCESS, "encode"), (HANGS_IN_CHILD, "tiktoken")],
    ids=["host", "encode-process", "child-hangs"],
)
def test_unguarded_script_finishes_with_the_right_ids(
    catalog: Catalog, tmp_path: Path, source: str, name: str
) -> None:
    done = run_script(tmp_path, source)
    assert done.returncode == 0, done.stderr
    expected = encode(catalog.load("cl100k_base"), TEXT).ids
    assert done.stdout.strip().splitlines()[-1] == str(expected)
    warnings = [line for line in done.stderr.splitlines() if "warning" in line]
    assert len(warnings) == 1 and warnings[0].startswith(WARNING.format(name=name))
    assert "Traceback" not in done.stderr  # the child leaves quietly
