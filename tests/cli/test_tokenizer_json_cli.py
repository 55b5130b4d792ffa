"""The CLI on a tokenizer.json of the wrong shape: a plain message, the exit status of bad
input (3), never the exit status of a bug (1)."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.test_cli import run


def test_wrong_shape_tokenizer_json_is_bad_input(tmp_path: Path) -> None:
    config = tmp_path / "config.json"
    config.write_text(json.dumps({"architectures": ["GPT2LMHeadModel"], "model_type": "gpt2"}))
    odd = tmp_path / "odd.json"
    odd.write_text('{"a": 1}')
    for path, words in ((config, "config.json"), (odd, '(its keys: "a")')):
        done = run("report", "-t", str(path), "--text", "hello")
        assert done.returncode == 3, done.stderr
        assert "Traceback" not in done.stderr
        line = done.stderr.strip()
        assert "\n" not in line and words in line
        assert f"{path.name} is JSON but not a tokenizer.json" in line
        assert json.loads(done.stdout)["tokenizers"][0]["error"] in line
