"""Peak memory of a report on a long text: the CLI's JSON report against encoding alone.

Each measure runs in its own subprocess and reads that child's peak RSS (``os.wait4``):

* raw      — tiktoken's own ``encode`` (ids only) of the text: the floor for gpt2;
* encode   — ``encode(tok, text)`` of the core (columns, round trip), nothing written;
* report   — ``token-inspector report -t gpt2 --file F -o out.json``, as a user runs it.

The report streams its rows, so report − encode should stay small and flat: the ratio
report/encode is printed beside each figure, at 1×, 2× and 4× the size (default 1.25, 2.5,
5 MB). Targets (issue 11): 5 MB → peak ≤ 1.5 GB; 50 MB completes with peak ≤ 4 GB
(``--size 50 --scales 1`` runs that one size: minutes and gigabytes, on a quiet machine).

    HF_HUB_OFFLINE=1 .venv/bin/python bench/bench_report_memory.py [--size MB] [--check]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_encode import build_text

TARGETS_GB = {5.0: 1.5, 50.0: 4.0}  # MB of text → peak RSS in GB (issue 11)

RAW = """
import sys, tiktoken
from inspector.core.sources import openai_tiktoken_spec, vendored_tiktoken_path
spec = openai_tiktoken_spec("r50k_base", vendored_tiktoken_path("r50k_base"))
enc = tiktoken.Encoding("r50k_base", pat_str=spec.pattern, mergeable_ranks=spec.ranks,
                        special_tokens=spec.special_tokens)
text = open(sys.argv[1], encoding="utf-8").read()
print(len(enc.encode(text, disallowed_special=())))
"""

ENCODE = """
import sys
from inspector.core.catalog import Catalog
from inspector.core.encoding import encode
text = open(sys.argv[1], encoding="utf-8").read()
print(len(encode(Catalog().load("gpt2"), text)))
"""


def peak(command: list[str]) -> tuple[float, float, int]:
    """(peak RSS in GB, seconds, exit status) of one child process."""
    started = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _pid, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - started
    code = os.waitstatus_to_exitcode(status)
    if code != 0 and child.stderr is not None:
        sys.stderr.write(child.stderr.read().decode("utf-8", "replace")[-2000:])
    return usage.ru_maxrss / (1024 * 1024), seconds, code  # ru_maxrss is in KB on Linux


def text_file(folder: Path, megabytes: float) -> Path:
    size = int(megabytes * 1_000_000)
    unit = build_text(200_000)
    data = unit.encode("utf-8")
    repeated = (data * (size // len(data) + 1))[:size]
    text = repeated.decode("utf-8", "ignore")  # the cut may split a character
    path = folder / f"text-{megabytes:g}MB.txt"
    path.write_text(text, "utf-8")
    return path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=float, default=1.25, help="MB of text at 1× (default 1.25)")
    parser.add_argument(
        "--scales", default="1,2,4", help="multiples of --size to run (default 1,2,4)"
    )
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args()
    python = sys.executable
    failed = False
    print(f"{'size':>8}  {'raw tiktoken':>14}  {'core encode':>14}  {'JSON report':>14}  "
          f"{'report/encode':>13}  {'target':>8}")  # fmt: skip
    with tempfile.TemporaryDirectory(prefix="bench-report-") as folder:
        for scale in (float(s) for s in args.scales.split(",")):
            megabytes = args.size * scale
            text = text_file(Path(folder), megabytes)
            out = Path(folder) / "report.json"
            raw = peak([python, "-c", RAW, str(text)])
            core = peak([python, "-c", ENCODE, str(text)])
            command = [python, "-m", "inspector", "report", "-t", "gpt2", "--file", str(text)]
            report = peak([*command, "-o", str(out)])
            target = TARGETS_GB.get(round(megabytes, 2))
            missed = report[2] != 0 or (target is not None and report[0] > target)
            failed |= missed
            print(
                f"{megabytes:>6.2f}MB  {raw[0]:>6.2f} GB {raw[1]:>5.1f}s  "
                f"{core[0]:>6.2f} GB {core[1]:>5.1f}s  {report[0]:>6.2f} GB {report[1]:>5.1f}s  "
                f"{report[0] / core[0]:>12.2f}×  "
                f"{'' if target is None else f'≤ {target} GB':>8}"
                + ("  FAILED" if report[2] else "")
                + ("  MISSED" if missed and not report[2] else ""),
                flush=True,
            )
            out.unlink(missing_ok=True)
            text.unlink()
    return 1 if failed and args.check else 0


if __name__ == "__main__":
    raise SystemExit(main())
