"""A script without ``if __name__ == "__main__":`` that loads a tokenizer in a window's state
(its catalog encodes through the tiktoken host) finishes: the host's child would run the script
again and wait in its event loop forever."""

from __future__ import annotations

from pathlib import Path

from inspector.core.catalog import Catalog
from inspector.core.encoding import encode
from tests.core.test_unguarded_script import TEXT, WARNING, run_script

STATE = f"""
import sys
from PySide6.QtCore import QEventLoop
from PySide6.QtWidgets import QApplication
from inspector.core.encoding import encode
from inspector.gui.state import InspectorState

app = QApplication(sys.argv)
state = InspectorState()
loop = QEventLoop()
state.tokenizer_changed.connect(lambda tokenizer: loop.quit())
state.load_tokenizer("cl100k_base")
loop.exec()
print(encode(state.tokenizer, {TEXT!r}).ids, flush=True)
state.tiktoken_host.close()
"""


def test_unguarded_window_state_loads_and_encodes(catalog: Catalog, tmp_path: Path) -> None:
    done = run_script(tmp_path, STATE)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == str(
        encode(catalog.load("cl100k_base"), TEXT).ids
    )
    assert WARNING.format(name="tiktoken") in done.stderr
