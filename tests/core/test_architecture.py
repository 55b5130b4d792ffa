"""The core stays Qt-free (import-linter checks the source; this checks what really loads)."""

from __future__ import annotations

import subprocess
import sys

CORE_MODULES = [
    "inspector.core.catalog",
    "inspector.core.encoding",
    "inspector.core.report",
    "inspector.core.textinput",
    "inspector.cli",
]


def test_core_imports_no_qt() -> None:
    code = (
        "import sys\n"
        + "".join(f"import {m}\n" for m in CORE_MODULES)
        + "from inspector.core.catalog import Catalog\n"
        "from inspector.core.encoding import encode\n"
        "encode(Catalog().load('gpt2'), 'hello')\n"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('PySide6', 'pyqtgraph', 'superqt')]\n"
        "assert not bad, bad\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=300)


def test_import_linter_contract() -> None:
    lint = [
        sys.executable,
        "-c",
        "from importlinter.cli import lint_imports_command; lint_imports_command()",
    ]
    done = subprocess.run(lint, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
