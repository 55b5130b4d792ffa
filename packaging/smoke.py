"""Smoke-test a built bundle (or any command) and time its start-up.

    python packaging/smoke.py BUNDLE_DIR [--runs N]

1. ``token-inspector tokenizers --json``: every offline catalog entry loads from the bundle;
2. ``token-inspector --screenshot``: the window opens offscreen and is drawn (PNG checked:
   window-sized, not one flat colour);
3. ``token-inspector --bundle-self-test``: the default model runs and embeds (launcher.py);
4. with ``--runs N``: N screenshot runs of the bundle and of ``python -m inspector``
   alternately, median seconds to exit for each (the machine is shared: read it as a rough
   ratio, not a benchmark).
Each run gets fresh settings and cache folders, so nothing converted earlier is reused.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def clean_env(home: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        QT_QPA_PLATFORM="offscreen",
        HF_HUB_OFFLINE="1",
        TOKEN_INSPECTOR_CONFIG=str(home / "config"),
        TOKEN_INSPECTOR_CACHE=str(home / "cache"),
        HOME=str(home),
    )
    # A bundle must not lean on the build machine's Python.
    for variable in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV"):
        env.pop(variable, None)
    return env


def screenshot_problem(png: Path) -> str | None:
    """None if the PNG is a drawn window, else what is wrong with it."""
    from PySide6.QtGui import QImage

    image = QImage(str(png))
    if image.isNull():
        return f"{png} is missing or not a PNG"
    if image.width() < 400 or image.height() < 300:
        return f"{png} is {image.width()}x{image.height()}: too small for the window"
    colours = {
        image.pixel(x, y)
        for x in range(0, image.width(), max(1, image.width() // 64))
        for y in range(0, image.height(), max(1, image.height() // 64))
    }
    if len(colours) < 8:
        return f"{png} has {len(colours)} colours: the window was not drawn"
    return None


def run(command: list[str], home: Path, timeout: float = 600) -> tuple[float, str]:
    start = time.perf_counter()
    done = subprocess.run(
        command,
        env=clean_env(home),
        cwd=home,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        output = (done.stdout[-1500:] + done.stderr[-1500:]).strip()
        raise SystemExit(f"{' '.join(command)} exited {done.returncode}:\n{output}")
    return seconds, done.stdout


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("bundle", type=Path, help="the bundle folder (holds token-inspector)")
    parser.add_argument("--runs", type=int, default=0, help="time N start-ups of each")
    args = parser.parse_args()
    executable = args.bundle.resolve() / "token-inspector"

    with tempfile.TemporaryDirectory(prefix="ti-smoke-") as tmp:
        home = Path(tmp)
        seconds, out = run([str(executable), "tokenizers", "--json"], home)
        entries = json.loads(out)
        failed = [e for e in entries if e.get("error")]
        print(f"tokenizers: {len(entries)} entries, {len(failed)} failed, {seconds:.1f} s")
        if failed:
            raise SystemExit(f"catalog entries failed in the bundle: {failed}")
        png = home / "window.png"
        seconds, _ = run([str(executable), "--screenshot", str(png)], home)
        problem = screenshot_problem(png)
        if problem:
            raise SystemExit(problem)
        print(f"screenshot: ok, {seconds:.1f} s")
        # torch, transformers and sentence-transformers, which a screenshot does not reach.
        seconds, out = run([str(executable), "--bundle-self-test"], home)
        print(out.strip())

    if args.runs:
        timings: dict[str, list[float]] = {"bundle": [], "python -m inspector": []}
        commands = {
            "bundle": [str(executable)],
            "python -m inspector": [sys.executable, "-m", "inspector"],
        }
        for _ in range(args.runs):
            for name, command in commands.items():
                with tempfile.TemporaryDirectory(prefix="ti-time-") as tmp:
                    png = Path(tmp) / "w.png"
                    seconds, _ = run([*command, "--screenshot", str(png)], Path(tmp))
                    timings[name].append(seconds)
        for name, values in timings.items():
            shown = ", ".join(f"{v:.2f}" for v in values)
            median = statistics.median(values)
            print(f"start → screenshot exit, {name}: median {median:.2f} s ({shown})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
