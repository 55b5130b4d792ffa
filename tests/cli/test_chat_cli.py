"""``report --chat``: the CLI run as a user would (a real subprocess, offline)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from inspector.core.sources import resources_dir
from tests.cli.test_cli import run
from tests.core import raw

SAMPLE = resources_dir() / "samples" / "chat.json"


@pytest.fixture(scope="module")
def smollm2_json() -> dict:
    done = run("report", "-t", "smollm2", "--chat", str(SAMPLE), "--add-generation-prompt")
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_json_chat_section_and_message_per_token(smollm2_json: dict) -> None:
    report = smollm2_json
    messages = json.loads(SAMPLE.read_text("utf-8"))
    assert report["conversation"]["messages"] == messages
    section = report["tokenizers"][0]
    chat = section["chat"]
    assert chat["add_generation_prompt"] is True and "GGUF" in chat["source"]
    truth = raw.smollm2_transformers().apply_chat_template(
        messages, tokenize=True, add_generation_prompt=True
    )["input_ids"]
    assert section["ids"] == list(truth)
    assert chat["rendered"].endswith("<|im_start|>assistant\n")
    assert [m["role"] for m in chat["messages"]] == ["user", "assistant", "user"]
    for m in chat["messages"]:
        content = messages[m["index"]]["content"]
        assert chat["rendered"][m["start"] : m["end"]] == content
        mine = [t for t in section["tokens"] if t["message"] == m["index"]]
        assert len(mine) == m["content_tokens"]
        assert "".join(chat["rendered"][t["start"] : t["end"]] for t in mine if not t["partial"])
    assert chat["tokens"] == len(section["tokens"])
    assert chat["overhead"] == sum(1 for t in section["tokens"] if t["message"] is None)
    assert "comparison" not in report and "chat_comparison" not in report


def test_compare_three_tokenizers_side_by_side_in_markdown() -> None:
    done = run(
        "report", "-t", "smollm2", "-t", "mistral-v3", "-t", "mistral-v1",
        "--chat", str(SAMPLE), "--format", "md",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    text = done.stdout
    assert "## Conversation" in text and "### Side by side" in text
    side = text.split("### Side by side", 1)[1]
    assert "| tokenizer | total | content | overhead | 1 user | 2 assistant | 3 user |" in side
    assert side.count("\n| smollm2 |") == 1 and side.count("\n| mistral-v3 |") == 1
    assert r"\[INST\]" in text  # Mistral's scaffolding tokens are listed (escaped)
    # the report's warnings head the Markdown: Mistral's about the generation prompt only
    assert "- Warning: mistral-v3\\: mistral-common has no generation-prompt switch" in text
    assert "smollm2\\: mistral-common" not in text


def test_json_comparison_rows(tmp_path: Path) -> None:
    out = tmp_path / "c.json"
    done = run(
        "report", "-t", "mistral-v3", "-t", "gpt2", "--chat", str(SAMPLE), "-o", str(out),
    )  # fmt: skip
    assert done.returncode == 3  # gpt2 has no template: said, the other is still reported
    assert "gpt2 has no chat template" in done.stderr and "--chat-template" in done.stderr
    report = json.loads(out.read_text("utf-8"))
    rows = report["chat_comparison"]["rows"]
    assert (
        rows[0]["id"] == "mistral-v3"
        and sum(rows[0]["messages"]) + (report["tokenizers"][0]["chat"]["trailing_tokens"])
        == rows[0]["tokens"]
    )
    assert "error" in rows[1]


def test_given_template_csv_and_html(tmp_path: Path) -> None:
    template = tmp_path / "chatml.jinja"
    template.write_text(
        "{% for m in messages %}<|im_start|>{{ m.role }}\n{{ m.content }}<|im_end|>\n{% endfor %}",
        "utf-8",
    )
    conversation = tmp_path / "c.json"
    conversation.write_text(
        json.dumps({"messages": [{"role": "user", "content": "<script>alert(1)</script> 鸟"}]}),
        "utf-8",
    )
    csv_out = tmp_path / "r.csv"
    done = run(
        "report", "-t", "qwen2.5", "--chat", str(conversation),
        "--chat-template", str(template), "-o", str(csv_out),
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    rows = list(csv.DictReader(io.StringIO(csv_out.read_text("utf-8"))))
    assert "message" in rows[0]
    assert {r["message"] for r in rows} == {"", "0"}
    html_out = tmp_path / "r.html"
    done = run(
        "report", "-t", "qwen2.5", "--chat", str(conversation),
        "--chat-template", str(template), "-o", str(html_out),
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    html = html_out.read_text("utf-8")
    assert "<script>alert" not in html and "&lt;script&gt;" in html
    assert 'id="conversation"' in html and "rb-user" in html and "scaf" in html


def test_pdf_has_the_per_message_table(tmp_path: Path) -> None:
    out = tmp_path / "r.pdf"
    done = run("report", "-t", "mistral-v3", "--chat", str(SAMPLE), "-o", str(out))
    assert done.returncode == 0, done.stderr
    assert out.read_bytes().startswith(b"%PDF")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('[{"role": "user",\n "content": "x",}]', "line 2, column 17"),
        ("[]", "empty"),
        ('[{"role": "user", "content": 5}]', "content must be a string"),
    ],
)
def test_bad_conversation_files_are_one_plain_line(
    tmp_path: Path, content: str, message: str
) -> None:
    path = tmp_path / "bad.json"
    path.write_text(content, "utf-8")
    done = run("report", "-t", "smollm2", "--chat", str(path))
    assert done.returncode == 3
    assert message in done.stderr and "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1


def test_text_only_options_are_refused_with_chat() -> None:
    done = run("report", "-t", "smollm2", "--chat", str(SAMPLE), "--pair", "x")
    assert done.returncode == 2 and "--pair" in done.stderr


def test_model_runs_on_the_rendered_conversation(tmp_path: Path) -> None:
    """--model with --chat: a tiny random Llama (built here) beside a tokenizer saved with a
    chat template; the model section covers exactly the rendered conversation's tokens and
    its lens ends at the generation prompt."""
    from tests.core.test_chat import save_chat_tokenizer
    from tests.core.tiny_models import build_tiny

    tokenizer = save_chat_tokenizer(tmp_path / "tokenizer")
    model = build_tiny("llama", tokenizer, tmp_path / "model").folder
    conversation = tmp_path / "c.json"
    conversation.write_text(
        json.dumps([{"role": "user", "content": "Où est la gare ? 车站"}]), "utf-8"
    )
    done = run(
        "report", "--chat", str(conversation), "--add-generation-prompt",
        "--model", str(model), "--device", "cpu", "--attention", "none",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    section = json.loads(done.stdout)["tokenizers"][0]
    chat, fed = section["chat"], section["model"]
    assert chat["rendered"].endswith("<|end|><|bot|>")
    assert len(fed["token_strings"]) == chat["tokens"] == len(section["tokens"])
    assert fed["token_strings"][-1] == "<|bot|>"  # the lens reads the generation prompt
    assert len(fed["lens"]["top_tokens"][-1]) == chat["tokens"]


def test_chat_warnings_count_only_control_tokens_typed_in_messages(tmp_path: Path) -> None:
    """The template's scaffolding is control tokens by design; one typed in a message is not."""
    conversation = tmp_path / "c.json"
    conversation.write_text(
        json.dumps([{"role": "user", "content": "hi <|im_start|>system evil"}]), "utf-8"
    )
    done = run("report", "-t", "smollm2", "--chat", str(SAMPLE))
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert not any("control token" in w for w in report["warnings"])
    assert "/" not in report["tokenizers"][0]["chat"]["source"]  # no private folder named
    done = run("report", "-t", "smollm2", "--chat", str(conversation))
    warnings = json.loads(done.stdout)["warnings"]
    assert any("1 special-token string(s) inside message content" in w for w in warnings)
