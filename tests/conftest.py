"""Shared fixtures: one catalog per test session, so each real tokenizer loads once."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from inspector.core.catalog import ENTRIES, Catalog
from inspector.core.sources import resources_dir

SAMPLES = resources_dir() / "samples"
DEFAULT_IDS = [entry.id for entry in ENTRIES]


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    return Catalog()


@pytest.fixture(scope="session")
def samples() -> Path:
    return SAMPLES


@pytest.fixture(scope="session")
def mixed_text() -> str:
    return (SAMPLES / "mixed.txt").read_text("utf-8")
