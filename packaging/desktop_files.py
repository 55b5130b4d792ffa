"""Lay out the desktop integration files under a ``share/`` prefix (XDG layout).

    python packaging/desktop_files.py --prefix DIR [--exec PATH]

writes DIR/applications/<id>.desktop, DIR/metainfo/<id>.metainfo.xml and
DIR/icons/hicolor/<N>x<N>/apps/<id>.png (+ scalable/apps/<id>.svg). ``--exec`` puts an absolute
command into the .desktop entry (a bundle outside PATH). The wheel ships the same layout
through hatch's shared-data (pyproject.toml); tests/packaging checks both agree.
"""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APP_ID = "io.github.tokeninspector.TokenInspector"
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
GUI_COMMAND = "token-inspector-gui"


def layout(resources: Path = ROOT / "resources") -> dict[str, Path]:
    """Destination (relative to share/) → source file."""
    files = {
        f"applications/{APP_ID}.desktop": resources / "linux" / f"{APP_ID}.desktop",
        f"metainfo/{APP_ID}.metainfo.xml": resources / "linux" / f"{APP_ID}.metainfo.xml",
        f"icons/hicolor/scalable/apps/{APP_ID}.svg": resources / "icons" / "token-inspector.svg",
    }
    for size in ICON_SIZES:
        files[f"icons/hicolor/{size}x{size}/apps/{APP_ID}.png"] = (
            resources / "icons" / f"token-inspector-{size}.png"
        )
    return files


def install(prefix: Path, command: str | None = None) -> list[Path]:
    written = []
    for relative, source in layout().items():
        target = prefix / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
        written.append(target)
    if command:
        entry = prefix / "applications" / f"{APP_ID}.desktop"
        text = entry.read_text("utf-8").replace(f"={GUI_COMMAND}", f"={command}")
        entry.write_text(text, "utf-8")
    return written


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--prefix", type=Path, required=True, help="the share/ folder")
    parser.add_argument("--exec", dest="command", help="absolute command for Exec= and TryExec=")
    args = parser.parse_args()
    for path in install(args.prefix, args.command):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
