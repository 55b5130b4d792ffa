"""Desktop integration files: valid for the freedesktop tools, one app id everywhere."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
import tomllib
from PySide6.QtGui import QImage

from inspector.gui.app import APP_ID, ICON_SIZES
from tests.packaging.helpers import ROOT, desktop_files

LINUX = ROOT / "resources" / "linux"
DESKTOP = LINUX / f"{APP_ID}.desktop"
METAINFO = LINUX / f"{APP_ID}.metainfo.xml"


def tool(name: str, package: str) -> str:
    """The validator's path; CI must have it (the test set-up installs it), locally it may skip."""
    path = shutil.which(name)
    if path is None:
        if os.environ.get("CI"):
            pytest.fail(f"{name} is missing: the test set-up must apt-get install {package}")
        pytest.skip(f"{name} not installed (apt-get install {package})")
    return path


def test_desktop_entry_passes_desktop_file_validate() -> None:
    done = subprocess.run(
        [tool("desktop-file-validate", "desktop-file-utils"), str(DESKTOP)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "error" not in done.stdout.lower()


def test_metainfo_passes_appstreamcli_validate() -> None:
    done = subprocess.run(
        [tool("appstreamcli", "appstream"), "validate", "--no-net", str(METAINFO)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_one_app_id_everywhere() -> None:
    assert APP_ID == desktop_files.APP_ID
    entry = DESKTOP.read_text("utf-8")
    assert f"Icon={APP_ID}\n" in entry
    metainfo = METAINFO.read_text("utf-8")
    assert f"<id>{APP_ID}</id>" in metainfo
    assert f'<launchable type="desktop-id">{APP_ID}.desktop</launchable>' in metainfo
    spec = (ROOT / "packaging" / "token_inspector.spec").read_text("utf-8")
    assert f'APP_ID = "{APP_ID}"' in spec


def test_wheel_shared_data_matches_the_bundle_layout() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
    wheel = project["tool"]["hatch"]["build"]["targets"]["wheel"]
    shared = {dest: ROOT / src for src, dest in wheel["shared-data"].items()}
    assert shared == {f"share/{rel}": src for rel, src in desktop_files.layout().items()}
    gui = project["project"]["gui-scripts"]
    assert gui[desktop_files.GUI_COMMAND] == project["project"]["scripts"]["token-inspector"]


def test_icons_at_every_size() -> None:
    assert ICON_SIZES == desktop_files.ICON_SIZES
    for size in ICON_SIZES:
        image = QImage(str(ROOT / "resources" / "icons" / f"token-inspector-{size}.png"))
        assert (image.width(), image.height()) == (size, size)
        assert image.hasAlphaChannel()
    svg = (ROOT / "resources" / "icons" / "token-inspector.svg").read_text("utf-8")
    assert "<svg" in svg and 'viewBox="0 0 512 512"' in svg


def test_desktop_files_install_with_an_absolute_exec(tmp_path: Path) -> None:
    """The bundle's layout: --exec puts the bundle's own path into the entry."""
    desktop_files.install(tmp_path, "/opt/token-inspector/token-inspector")
    entry = (tmp_path / "applications" / f"{APP_ID}.desktop").read_text("utf-8")
    assert "Exec=/opt/token-inspector/token-inspector\n" in entry
    assert "TryExec=/opt/token-inspector/token-inspector\n" in entry
    assert (tmp_path / "icons/hicolor/48x48/apps" / f"{APP_ID}.png").is_file()
    if shutil.which("desktop-file-validate"):
        done = subprocess.run(
            ["desktop-file-validate", str(tmp_path / "applications" / f"{APP_ID}.desktop")],
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 0, done.stdout


def test_bundle_install_script_points_the_menu_at_the_bundle(tmp_path: Path) -> None:
    """install-desktop.sh (shipped in the bundle) writes the entry with the bundle's own path."""
    bundle = tmp_path / "My Apps" / "token-inspector"  # a space, as in many home folders
    desktop_files.install(bundle / "share")
    shutil.copy(ROOT / "packaging" / "install-desktop.sh", bundle)
    data = tmp_path / "data"
    env = {**os.environ, "XDG_DATA_HOME": str(data), "HOME": str(tmp_path)}
    done = subprocess.run(
        ["sh", str(bundle / "install-desktop.sh")], env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    entry = data / "applications" / f"{APP_ID}.desktop"
    text = entry.read_text("utf-8")
    assert f'Exec="{bundle}/token-inspector"\n' in text
    assert (data / "icons" / "hicolor" / "256x256" / "apps" / f"{APP_ID}.png").is_file()
    if shutil.which("desktop-file-validate"):
        check = subprocess.run(
            ["desktop-file-validate", str(entry)], capture_output=True, text=True, check=False
        )
        assert check.returncode == 0, check.stdout

    done = subprocess.run(
        ["sh", str(bundle / "install-desktop.sh"), "--uninstall"], env=env, capture_output=True
    )
    assert done.returncode == 0
    assert not entry.exists()
    assert not list(data.rglob(f"{APP_ID}.*"))
