#!/usr/bin/env python3
"""Re-create resources/tokenizers/*.tiktoken from packages on PyPI.

The tiktoken rank files for r50k_base (GPT-2), cl100k_base and o200k_base are not
downloadable here from OpenAI's blob store, but two MIT-licensed PyPI packages carry them:

* openai-whisper 20250625 (sdist): whisper/assets/gpt2.tiktoken          -> r50k_base
* litellm 1.109.1 (wheel):        litellm/litellm_core_utils/tokenizers/<sha1 of url>
                                                                          -> cl100k_base, o200k_base

Only the archives are downloaded (``pip download --no-deps``); neither package is installed.
Every file is checked against the SHA-256 that tiktoken itself expects.

Usage:
    python packaging/vendor_tiktoken_files.py                  # download from PyPI
    python packaging/vendor_tiktoken_files.py --from-dir DIR   # use archives already in DIR
"""

from __future__ import annotations

import argparse
import hashlib
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = REPO_ROOT / "resources" / "tokenizers"

WHISPER_REQ = "openai-whisper==20250625"
WHISPER_GLOB = "openai_whisper-20250625.tar.gz"
LITELLM_REQ = "litellm==1.109.1"
LITELLM_GLOB = "litellm-1.109.1-*.whl"
LITELLM_DIR = "litellm/litellm_core_utils/tokenizers"


@dataclass(frozen=True)
class VendoredFile:
    name: str  # file name written under resources/tokenizers/
    archive_glob: str  # which downloaded archive holds it
    member: str  # path inside the archive (for an sdist: below its top folder)
    sha256: str  # tiktoken's expected hash


FILES: tuple[VendoredFile, ...] = (
    VendoredFile(
        "r50k_base.tiktoken",
        WHISPER_GLOB,
        "whisper/assets/gpt2.tiktoken",
        "306cd27f03c1a714eca7108e03d66b7dc042abe8c258b44c199a7ed9838dd930",
    ),
    VendoredFile(
        "cl100k_base.tiktoken",
        LITELLM_GLOB,
        f"{LITELLM_DIR}/9b5ad71b2ce5302211f9c61530b329a4922fc6a4",
        "223921b76ee99bde995b7ff738513eef100fb51d18c93597a113bcffe865b2a7",
    ),
    VendoredFile(
        "o200k_base.tiktoken",
        LITELLM_GLOB,
        f"{LITELLM_DIR}/fb374d419588a4632f3f557e76b4b70aebbca790",
        "446a9538cb6c348e3516120d7c08b09f57c36495e2acfffe59a5bf8b0cfb1a2d",
    ),
)


def download(dest: Path) -> None:
    """Fetch the two archives (no dependencies, nothing built or installed)."""
    base = [sys.executable, "-m", "pip", "download", "--no-deps", "-d", str(dest)]
    subprocess.run([*base, "--no-binary", "openai-whisper", WHISPER_REQ], check=True)
    subprocess.run([*base, "--only-binary", ":all:", LITELLM_REQ], check=True)


def find_archive(directory: Path, pattern: str) -> Path:
    matches = sorted(directory.glob(pattern))
    if not matches:
        raise FileNotFoundError(f"no {pattern} in {directory}")
    return matches[0]


def read_member(archive: Path, member: str) -> bytes:
    """Read one file from a wheel (zip) or an sdist (tar.gz with one top folder)."""
    if archive.suffix == ".whl" or zipfile.is_zipfile(archive):
        with zipfile.ZipFile(archive) as zf:
            return zf.read(member)
    with tarfile.open(archive, "r:*") as tf:
        for info in tf.getmembers():
            parts = info.name.split("/", 1)
            if info.isfile() and len(parts) == 2 and parts[1] == member:
                fh = tf.extractfile(info)
                if fh is None:
                    break
                with fh:
                    return fh.read()
    raise KeyError(f"{member} not found in {archive.name}")


def vendor(archives: Path, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for f in FILES:
        archive = find_archive(archives, f.archive_glob)
        data = read_member(archive, f.member)
        digest = hashlib.sha256(data).hexdigest()
        if digest != f.sha256:
            raise SystemExit(
                f"{f.name}: sha256 {digest} from {archive.name}:{f.member} "
                f"does not match the expected {f.sha256}"
            )
        (out / f.name).write_bytes(data)
        print(f"{f.name:22} {len(data):>9} bytes  sha256 {digest}  <- {archive.name}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "--from-dir",
        type=Path,
        help="directory that already holds the downloaded archives (skips pip download)",
    )
    parser.add_argument(
        "--out", type=Path, default=DEFAULT_OUT, help=f"output directory (default {DEFAULT_OUT})"
    )
    args = parser.parse_args(argv)

    if args.from_dir is not None:
        vendor(args.from_dir, args.out)
    else:
        with tempfile.TemporaryDirectory(prefix="vendor-tiktoken-") as tmp:
            download(Path(tmp))
            vendor(Path(tmp), args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
