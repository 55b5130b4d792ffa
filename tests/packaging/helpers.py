"""Shared by the packaging tests: the repository root and the scripts in packaging/."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[2]


def _script(name: str) -> ModuleType:
    """Load packaging/<name>.py (packaging/ holds scripts, it is not a Python package)."""
    spec = importlib.util.spec_from_file_location(
        f"packaging_{name}", ROOT / "packaging" / f"{name}.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


desktop_files = _script("desktop_files")
smoke = _script("smoke")
screenshot_problem = smoke.screenshot_problem
