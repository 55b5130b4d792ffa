"""Tokenizers already on this machine: the local Hugging Face cache, read offline.

A user who once ran ``AutoTokenizer.from_pretrained("bert-base-chinese")`` has it in the
cache; the picker lists it next to the catalog, so "not in the catalog" is no dead end. The
cache folder is found when asked (``HF_HUB_CACHE``, else ``HF_HOME``/hub, else the default),
not when huggingface_hub was imported, so a changed environment is seen.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from inspector.core.catalog import load_pretrained_folder
from inspector.core.tokenizer import LoadedTokenizer

# What makes a snapshot folder loadable, as inspector.core.catalog loads folders.
_SENTENCEPIECE = ("tokenizer.model", "spiece.model", "sentencepiece.bpe.model")
_TOKENIZER_NAMES = (
    "tokenizer.json",
    "tokenizer_config.json",
    "vocab.txt",
    "vocab.json",
    "merges.txt",
    *_SENTENCEPIECE,
)


@dataclass(frozen=True)
class LocalHubTokenizer:
    repo_id: str  # e.g. "bert-base-chinese", "google-bert/bert-base-uncased"
    folder: Path  # the snapshot folder: load it as a path, offline
    revision: str  # commit hash of that snapshot
    files: tuple[str, ...]  # the tokenizer files it holds
    size_bytes: int  # of the whole cached repository
    last_modified: float  # seconds since the epoch

    @property
    def label(self) -> str:
        return f"{self.repo_id} (Hugging Face cache)"


def hub_cache_dir() -> Path:
    """Where huggingface_hub keeps downloads, from the environment as it is now."""
    for variable in ("HF_HUB_CACHE", "HUGGINGFACE_HUB_CACHE"):
        value = os.environ.get(variable)
        if value:
            return Path(value).expanduser()
    home = os.environ.get("HF_HOME")
    if home:
        return Path(home).expanduser() / "hub"
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(xdg).expanduser() if xdg else Path.home() / ".cache"
    return base / "huggingface" / "hub"


def _loadable(names: set[str]) -> bool:
    """tokenizer.json, a SentencePiece model, or a config with its vocabulary."""
    if "tokenizer.json" in names or names & set(_SENTENCEPIECE):
        return True
    vocabulary = "vocab.txt" in names or {"vocab.json", "merges.txt"} <= names
    return "tokenizer_config.json" in names and vocabulary


def local_hub_tokenizers(cache_dir: Path | None = None) -> list[LocalHubTokenizer]:
    """Model repositories in the local HF cache that hold a loadable tokenizer, by name.

    One entry per repository: the snapshot ``main`` points at, else the newest. Damaged
    repositories (a missing blob) and snapshots without tokenizer files are left out.
    """
    from huggingface_hub import scan_cache_dir
    from huggingface_hub.errors import CacheNotFound

    folder = cache_dir or hub_cache_dir()
    try:
        info = scan_cache_dir(folder)
    except (CacheNotFound, OSError):
        return []
    found: list[LocalHubTokenizer] = []
    for repo in info.repos:
        if repo.repo_type != "model" or not repo.revisions:
            continue
        revisions = sorted(repo.revisions, key=lambda r: ("main" in r.refs, r.last_modified))
        for revision in reversed(revisions):
            names = {
                f.file_name for f in revision.files if f.file_path.parent == revision.snapshot_path
            }
            present = [
                n for n in _TOKENIZER_NAMES if n in names and (revision.snapshot_path / n).is_file()
            ]
            if _loadable(set(present)):
                found.append(
                    LocalHubTokenizer(
                        repo_id=repo.repo_id,
                        folder=revision.snapshot_path,
                        revision=revision.commit_hash,
                        files=tuple(present),
                        size_bytes=repo.size_on_disk,
                        last_modified=revision.last_modified,
                    )
                )
                break
    return sorted(found, key=lambda t: t.repo_id.lower())


def load_local_hub_tokenizer(entry: LocalHubTokenizer) -> LoadedTokenizer:
    """Load a cached tokenizer from its snapshot folder: offline, named by its repo id."""
    source = f"Hugging Face cache: {entry.repo_id} (revision {entry.revision[:8]})"
    return load_pretrained_folder(entry.folder, entry.repo_id, source=source)
