"""The window loads Hugging Face tokenizers in its encode process (remote_copy.RemoteTokenizer):
its own process never imports transformers (nor torch) to load, show, change ("what if") or
compare them, and every result equals the library's. In a fresh process: other tests import
transformers here."""

from __future__ import annotations

import json
from pathlib import Path

from inspector.core.catalog import Catalog
from inspector.core.encoding import encode
from tests.gui.conftest import run_app

TEXT = "Héllo wörld, naïve café! 自然语言处理 🇫🇷😀\r\n<|im_start|>user [CLS] tail"
MINILM = "sentence-transformers/all-MiniLM-L6-v2"
ADDED = ["wörld", "<tag>"]

SCRIPT = r"""
import json, sys, time
from PySide6.QtWidgets import QApplication

app = QApplication([])
from inspector.core.remote_copy import RemoteTokenizer
from inspector.gui.main_window import MainWindow

TEXT, MINILM, ADDED = json.loads(sys.argv[1])


def wait(ready):
    deadline = time.monotonic() + 150
    while not ready():
        app.processEvents()
        time.sleep(0.005)
        if time.monotonic() > deadline:
            result = window.result
            raise SystemExit(f"timed out: {result and (result.tokenizer.id, result.text)!r}")


def shown(tokenizer_id):
    result = window.result
    return result is not None and result.tokenizer.id == tokenizer_id


def columns(result):
    print("shown", result.tokenizer.id, file=sys.stderr, flush=True)
    return {
        "text": result.text,
        "ids": result.columns.ids.tolist(),
        "tokens": list(result.columns.tokens),
        "starts": result.columns.char_start.tolist(),
        "decoded": result.roundtrip.decoded,
        "light": type(result._source).__name__,
    }


window = MainWindow(tokenizer=MINILM, text=TEXT)
window.resize(1000, 700)
window.show()
state, out = window.state, {}
wait(lambda: shown(MINILM))
out["minilm"] = columns(window.result)
state.load_tokenizer("smollm2")
wait(lambda: shown("smollm2"))
out["smollm2"] = columns(window.result)
state.add_tokens(ADDED, False)
wait(lambda: shown("smollm2+added"))
out["what_if"] = columns(window.result)
out["what_if_id"] = state.tokenizer.token_to_id("wörld")
window.comparison.show_panel()
panel = window.comparison.panel
panel.set_rows(["smollm2", MINILM])


def rows():
    comparison = panel.comparison()
    found = [] if comparison is None else comparison.rows
    return len(found) == 2 and all(r.result is not None for r in found)


wait(rows)
out["compare"] = [r.result.columns.ids.tolist() for r in panel.comparison().rows]
out["modules"] = [name in sys.modules for name in ("transformers", "torch")]
print("RESULT " + json.dumps(out))
state.shutdown()
window.close()
"""


def _columns(name: str, text: str, added: list[str] | None = None) -> dict[str, object]:
    tok = Catalog().load(name)
    if added:
        tok = tok.with_added_tokens(added, False)
    result = encode(tok, text)
    assert result.roundtrip is not None
    return {
        "text": text,
        "ids": result.columns.ids.tolist(),
        "tokens": list(result.columns.tokens),
        "starts": result.columns.char_start.tolist(),
        "decoded": result.roundtrip.decoded,
        "light": "RemoteTokenizer",
    }


def test_the_window_loads_hf_tokenizers_without_transformers(tmp_path: Path) -> None:
    out = run_app(["-c", SCRIPT, json.dumps([TEXT, MINILM, ADDED])], tmp_path, timeout=400)
    assert out.returncode == 0, out.stderr[-3000:]
    line = next(x for x in out.stdout.splitlines() if x.startswith("RESULT "))
    got = json.loads(line.removeprefix("RESULT "))
    assert got["modules"] == [False, False]
    text = got["minilm"]["text"]  # the text pane's (its line ends are \n)
    assert text == TEXT.replace("\r\n", "\n")
    assert got["minilm"] == _columns(MINILM, text)
    assert got["smollm2"] == _columns("smollm2", text)
    assert got["what_if"] == _columns("smollm2", text, ADDED)
    assert got["what_if_id"] in got["what_if"]["ids"]
    assert got["compare"] == [_columns("smollm2", text)["ids"], _columns(MINILM, text)["ids"]]
