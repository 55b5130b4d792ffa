"""The wheel works without the repository: built, installed into a fresh venv, run from /tmp.

Installing the wheel's dependencies afresh would download a multi-GB CUDA torch and take many
minutes, so the wheel goes into a fresh venv with ``--no-deps`` and the dependencies are made
visible through a .pth file that appends the project venv's site-packages to ``sys.path``.
That path comes after the fresh venv's own site-packages, and .pth files inside it are not
processed (only those in site directories are), so the project's editable install stays
inactive: ``inspector`` is imported from the fresh venv's copy, which the tests check. The
commands run with the working directory in a temporary folder, away from the checkout.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.core import raw
from tests.packaging.helpers import ROOT, desktop_files, screenshot_problem

pytestmark = [pytest.mark.slow, pytest.mark.timeout(900)]

APP_ID = "io.github.tokeninspector.TokenInspector"


def run(command: list[str | Path], cwd: Path, env: dict[str, str], timeout: int = 600) -> str:
    done = subprocess.run(
        [str(c) for c in command],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert done.returncode == 0, f"{command} exited {done.returncode}:\n{done.stderr[-3000:]}"
    return done.stdout


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Path]]:
    """(fresh venv, wheel): the wheel built from the checkout and installed with --no-deps."""
    work = tmp_path_factory.mktemp("wheel")
    env = {**os.environ, "PIP_NO_INPUT": "1", "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
    # hatchling comes with the dev extra: then the build needs no network.
    isolation = [] if importlib.util.find_spec("hatchling") is None else ["--no-build-isolation"]
    run(
        [
            sys.executable, "-m", "pip", "wheel", ROOT, "--no-deps", *isolation,
            "--wheel-dir", work / "dist",
        ],
        cwd=work,
        env=env,
    )  # fmt: skip
    (wheel,) = (work / "dist").glob("token_inspector-*.whl")
    venv = work / "venv"
    run([sys.executable, "-m", "venv", "--without-pip", venv], cwd=work, env=env)
    python = venv / "bin" / "python"
    run(
        [sys.executable, "-m", "pip", "--python", python, "install", "--no-deps", wheel],
        cwd=work,
        env=env,
    )
    fresh_site = Path(
        run(
            [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], work, env
        ).strip()
    )
    (fresh_site / "project-dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    yield venv, wheel
    shutil.rmtree(work, ignore_errors=True)


def app_env(home: Path) -> dict[str, str]:
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "HF_HUB_OFFLINE": "1",
        "TOKEN_INSPECTOR_CONFIG": str(home / "config"),
        "TOKEN_INSPECTOR_CACHE": str(home / "cache"),
    }
    env.pop("PYTHONPATH", None)
    return env


def test_wheel_holds_resources_and_desktop_files(installed: tuple[Path, Path]) -> None:
    _venv, wheel = installed
    names = set(zipfile.ZipFile(wheel).namelist())
    for resource in (
        "inspector/resources/tokenizers/r50k_base.tiktoken",
        "inspector/resources/samples/mixed.txt",
        "inspector/resources/icons/token-inspector-256.png",
    ):
        assert resource in names
    shared = {n.split(".data/data/", 1)[1] for n in names if ".data/data/" in n}
    # The same XDG layout as the bundle's share/ (packaging/desktop_files.py).
    assert shared == {f"share/{relative}" for relative in desktop_files.layout()}


def test_fresh_venv_imports_its_own_copy(installed: tuple[Path, Path], tmp_path: Path) -> None:
    venv, _wheel = installed
    out = run(
        [
            venv / "bin" / "python", "-c",
            "import inspector, inspector.core.sources as s; "
            "print(inspector.__file__); print(s.resources_dir())",
        ],
        cwd=tmp_path,
        env=app_env(tmp_path),
    )  # fmt: skip
    module, resources = (Path(line) for line in out.split())
    assert module.is_relative_to(venv), f"inspector came from {module}, not the fresh venv"
    assert resources.is_relative_to(venv) and (resources / "tokenizers").is_dir()
    assert not module.is_relative_to(ROOT)


def test_tokenizers_command_loads_every_entry(installed: tuple[Path, Path], tmp_path: Path) -> None:
    venv, _wheel = installed
    out = run(
        [venv / "bin" / "token-inspector", "tokenizers", "--json"], tmp_path, app_env(tmp_path)
    )
    entries = json.loads(out)
    from inspector.core.catalog import Catalog

    assert [e["id"] for e in entries] == [entry.id for entry in Catalog().entries]
    assert all(e["loaded"] for e in entries), [e.get("error") for e in entries]


def test_gui_script_takes_a_screenshot(installed: tuple[Path, Path], tmp_path: Path) -> None:
    """The .desktop entry's command opens the window and draws it (offscreen)."""
    venv, _wheel = installed
    png = tmp_path / "window.png"
    command = venv / "bin" / "token-inspector-gui"
    run([command, "--screenshot", png, "--text", "Hi 鸟 🎶"], tmp_path, app_env(tmp_path))
    assert screenshot_problem(png) is None, screenshot_problem(png)


def test_desktop_files_installed_and_valid(installed: tuple[Path, Path]) -> None:
    venv, _wheel = installed
    share = venv / "share"
    entry = share / "applications" / f"{APP_ID}.desktop"
    assert entry.is_file()
    assert (share / "metainfo" / f"{APP_ID}.metainfo.xml").is_file()
    for size in desktop_files.ICON_SIZES:
        assert (share / "icons" / "hicolor" / f"{size}x{size}" / "apps" / f"{APP_ID}.png").is_file()
    # Exec names the gui script the wheel installs.
    assert f"Exec={desktop_files.GUI_COMMAND}\n" in entry.read_text("utf-8")
    assert (venv / "bin" / desktop_files.GUI_COMMAND).is_file()


@pytest.mark.parametrize("script", ["token-inspector", "token-inspector-gui"])
def test_corpus_command_runs_on_workers_spawned_from_the_installed_script(
    installed: tuple[Path, Path], tmp_path: Path, script: str
) -> None:
    """Dask's workers are spawned: each runs the parent's __main__ again as ``__mp_main__``,
    here the installed console or gui script, which must import, not run, the command."""
    venv, _wheel = installed
    corpus = tmp_path / "corpus" / "en"
    corpus.mkdir(parents=True)
    texts = [f"{raw.HARD_TEXTS['numbers']} {n}" for n in range(30)]
    lines = [json.dumps({"text": t}) + "\n" for t in texts]
    (corpus / "part.jsonl").write_text("".join(lines), "utf-8")
    command = [venv / "bin" / script, "corpus", "-t", "gpt2", "--workers", "2", corpus.parent]
    report = json.loads(run([*command, "--format", "json"], tmp_path, app_env(tmp_path)))
    assert report["engine"]["workers"] == 2 and report["engine"]["embedded"] is True
    (section,) = report["tokenizers"]
    assert section["tokens"] == sum(len(raw.raw_ids("gpt2", t, False)) for t in texts)
