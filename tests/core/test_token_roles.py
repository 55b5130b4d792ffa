"""What each special token is for, from the real tokenizers' facts."""

from __future__ import annotations

from inspector.core.catalog import Catalog
from inspector.core.encoding import encode
from inspector.core.glossary import load_glossary
from inspector.core.settings import EncodeSettings
from inspector.core.token_roles import PURPOSES, role_of_token, token_role


def test_every_role_links_to_a_glossary_entry() -> None:
    glossary = load_glossary("en")
    for kind, (template, term) in PURPOSES.items():
        assert glossary.entry(term) is not None, kind
        assert "{token}" in template


def test_bert_pair_roles(catalog: Catalog) -> None:
    tok = catalog.load("minilm")
    settings = EncodeSettings(padding="max_length", max_length=16)
    result = encode(tok, "Where is it?", settings, pair="Here.")
    roles = {i: role_of_token(result, i) for i in range(len(result)) if result.columns.special[i]}
    kinds = [r.kind for r in roles.values() if r is not None]
    assert kinds[:3] == ["cls", "sep_between", "sep_end"]
    assert set(kinds[3:]) == {"pad"}
    assert "separates the first text of the pair" in roles[result.ids.index(102)].purpose
    assert role_of_token(result, 1) is None  # "where" is an ordinary token


def test_single_text_sep_ends_it(catalog: Catalog) -> None:
    result = encode(catalog.load("minilm"), "Hello")
    role = role_of_token(result, len(result) - 1)
    assert role is not None and role.kind == "sep_end" and role.token == "[SEP]"


def test_facts_name_the_unknown_and_the_mask(catalog: Catalog) -> None:
    facts = catalog.load("minilm").facts
    unk, mask = token_role("[UNK]", facts), token_role("[MASK]", facts)
    assert unk is not None and unk.kind == "unk" and unk.glossary_term == "unk"
    assert mask is not None and mask.kind == "mask"


def test_gpt2_endoftext_and_qwen_chat_markers(catalog: Catalog) -> None:
    eot = token_role("<|endoftext|>", catalog.load("gpt2").facts)
    assert eot is not None and eot.kind == "endoftext" and "document boundary" in eot.purpose
    qwen = catalog.load("qwen2.5").facts
    start, end = token_role("<|im_start|>", qwen), token_role("<|im_end|>", qwen)
    assert start is not None and start.kind == "chat_start"
    assert end is not None and end.kind == "chat_end"
    extra = token_role("<|extra_3|>", qwen)
    assert extra is not None and extra.kind == "reserved"
    assert token_role("hello", qwen) is None


def test_sentencepiece_bos_eos(catalog: Catalog) -> None:
    facts = catalog.load("mistral-v1").facts
    bos, eos = token_role("<s>", facts), token_role("</s>", facts)
    assert bos is not None and bos.kind == "bos"
    assert eos is not None and eos.kind == "eos"
    unk = token_role("<unk>", facts)
    assert unk is not None and unk.kind == "unk"


def test_added_tokens_what_if(catalog: Catalog) -> None:
    base = catalog.load("minilm")
    marked = base.with_added_tokens(["[E1]"], special=True)
    role = token_role("[E1]", marked.facts)
    assert role is not None and role.kind == "special" and "never split" in role.purpose
    plain = base.with_added_tokens(["tokenizerese"], special=False)
    role = token_role("tokenizerese", plain.facts)
    assert role is not None and role.kind == "added" and role.glossary_term == "added-tokens"


def test_a_pad_token_that_is_also_eos_says_so(catalog: Catalog) -> None:
    from dataclasses import replace

    facts = replace(catalog.load("gpt2").facts, pad_token="<|endoftext|>")
    role = token_role("<|endoftext|>", facts, is_padding=True)
    assert role is not None and role.kind == "endoftext"
    assert "padding" in role.text()
