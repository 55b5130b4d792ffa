"""The PyInstaller bundle: build it, then run the built app with no Python around it.

The build takes longer than CI's budget on a 2-core machine (see packaging/README.md for the
numbers), so it runs only on request: ``TOKEN_INSPECTOR_BUNDLE_TEST=1`` (or ``make bundle``,
which builds and runs the same smoke checks through packaging/smoke.py).
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from inspector.gui.app import APP_ID
from tests.packaging.helpers import ROOT, smoke

pytestmark = [
    pytest.mark.slow,
    pytest.mark.timeout(3600),
    pytest.mark.skipif(
        os.environ.get("TOKEN_INSPECTOR_BUNDLE_TEST") != "1",
        reason="builds the bundle (long): set TOKEN_INSPECTOR_BUNDLE_TEST=1 or run make bundle",
    ),
]


def test_bundle_builds_and_runs(tmp_path: Path) -> None:
    env = {**os.environ, "BUNDLE_DIR": str(tmp_path / "bundle")}
    done = subprocess.run(
        [str(ROOT / "packaging" / "build.sh")], env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr[-3000:]
    app = tmp_path / "bundle" / "dist" / "token-inspector"
    assert (app / "token-inspector").is_file()
    assert (app / "share" / "applications" / f"{APP_ID}.desktop").is_file()
    home = tmp_path / "home"
    home.mkdir()
    _seconds, out = smoke.run([str(app / "token-inspector"), "tokenizers", "--json"], home)
    assert '"loaded": false' not in out
    png = home / "window.png"
    smoke.run([str(app / "token-inspector"), "--screenshot", str(png)], home)
    assert smoke.screenshot_problem(png) is None
