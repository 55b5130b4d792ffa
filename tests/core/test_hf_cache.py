"""Tokenizers already on this machine: a real HF-cache layout written in the test, read offline."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from inspector.core.hf_cache import hub_cache_dir, load_local_hub_tokenizer, local_hub_tokenizers
from inspector.core.settings import EncodeSettings
from tests.core.conftest import TrainedHF

ROOT = Path(__file__).resolve().parents[2]


def cache_repo(cache: Path, repo_id: str, files: dict[str, Path], ref: str = "main") -> Path:
    """Lay files out as huggingface_hub does: blobs by hash, snapshot symlinks, refs/<ref>."""
    repo = cache / ("models--" + repo_id.replace("/", "--"))
    commit = hashlib.sha1(f"{repo_id}{ref}".encode()).hexdigest()
    snapshot = repo / "snapshots" / commit
    (repo / "blobs").mkdir(parents=True, exist_ok=True)
    snapshot.mkdir(parents=True)
    (repo / "refs").mkdir(exist_ok=True)
    (repo / "refs" / ref).write_text(commit)
    for name, source in files.items():
        data = source.read_bytes()
        blob = repo / "blobs" / hashlib.sha256(data).hexdigest()
        blob.write_bytes(data)
        (snapshot / name).symlink_to(os.path.relpath(blob, snapshot))
    return snapshot


@pytest.fixture
def hub_cache(tmp_path: Path, trained_hf: dict[str, TrainedHF]) -> Path:
    cache = tmp_path / "hub"
    folder = trained_hf["wordpiece"].folder
    tokenizer_files = {p.name: p for p in folder.iterdir() if p.is_file()}
    config = tmp_path / "config.json"
    config.write_text('{"model_type": "bert"}')
    # A model repository as the hub has them: config.json beside the tokenizer files.
    cache_repo(cache, "someone/tiny-chinese-bert", {**tokenizer_files, "config.json": config})
    cache_repo(cache, "someone/tokenizer-only", tokenizer_files)  # no config.json
    cache_repo(cache, "someone/weights-only", {"config.json": config})  # no tokenizer
    broken = cache_repo(cache, "someone/broken", {"tokenizer.json": folder / "tokenizer.json"})
    for blob in (broken.parents[1] / "blobs").iterdir():
        blob.unlink()  # a snapshot whose blob is gone: left out, not an error
    (tmp_path / "datasets--someone--corpus" / "snapshots").mkdir(parents=True)
    return cache


def test_lists_only_loadable_tokenizers(hub_cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HF_HUB_CACHE", str(hub_cache))
    assert hub_cache_dir() == hub_cache
    found = local_hub_tokenizers()
    assert [t.repo_id for t in found] == ["someone/tiny-chinese-bert", "someone/tokenizer-only"]
    entry = found[0]
    assert "tokenizer.json" in entry.files and entry.folder.parent.name == "snapshots"
    assert entry.size_bytes > 0 and entry.label.startswith("someone/tiny-chinese-bert")


def test_loads_offline_and_equals_the_library(
    hub_cache: Path, monkeypatch: pytest.MonkeyPatch, trained_hf: dict[str, TrainedHF]
) -> None:
    monkeypatch.setenv("HF_HUB_CACHE", str(hub_cache))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    text = "the quick brown fox"
    library = trained_hf["wordpiece"].library()
    for entry in local_hub_tokenizers():  # from the snapshot folder, with or without config
        tok = load_local_hub_tokenizer(entry)
        assert tok.facts.id == entry.repo_id
        assert "Hugging Face cache" in tok.facts.source
        raw = tok.encode([text], None, EncodeSettings())
        assert raw[0].ids.tolist() == library.encode(text).ids


def test_the_catalog_loads_it_by_repo_id_offline(hub_cache: Path) -> None:
    """What the picker does with a listed id: Catalog.load('org/name') with no network."""
    code = (
        "from inspector.core.catalog import Catalog; "
        "t = Catalog().load('someone/tiny-chinese-bert'); print(t.facts.source)"
    )
    env = {
        **os.environ,
        "HF_HUB_CACHE": str(hub_cache),
        "HF_HUB_OFFLINE": "1",
        "PYTHONPATH": str(ROOT),
    }
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr[-2000:]
    assert "Hugging Face cache" in out.stdout


def test_cache_folder_from_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for variable in ("HF_HUB_CACHE", "HUGGINGFACE_HUB_CACHE", "HF_HOME", "XDG_CACHE_HOME"):
        monkeypatch.delenv(variable, raising=False)
    assert hub_cache_dir() == Path.home() / ".cache" / "huggingface" / "hub"
    monkeypatch.setenv("HF_HOME", str(tmp_path / "home"))
    assert hub_cache_dir() == tmp_path / "home" / "hub"
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "direct"))
    assert hub_cache_dir() == tmp_path / "direct"
    assert local_hub_tokenizers() == []  # no such folder: nothing, no error
