"""A conversation → the tokenizer's own chat template → tokens, each with the message it encodes.

``apply_chat`` renders the conversation with the template from where it lives
(``inspector.core.chat_templates``) and encodes the rendered string:

- a Jinja template is applied by transformers' ``apply_chat_template`` (its sandboxed Jinja,
  no remote code) on a copy of this very tokenizer; the rendered string is then encoded by
  ``inspector.core.encoding.encode`` with ``add_special_tokens=False`` and its ids are checked
  equal to ``apply_chat_template(..., tokenize=True)``;
- the Mistral catalog entries are encoded by mistral-common's instruct tokenizers
  (``encode_chat_completion``); the rendered string is the text of those tokens, one after
  the other, so every token's span is exactly its own bytes.

Each token gets ``message``: the index of the message whose content it encodes (it overlaps
that content in the rendered string), or -1 for template scaffolding (``<|im_start|>user\\n``,
``[INST]``, a default system prompt, the generation prompt).
"""

from __future__ import annotations

import json
import threading
import weakref
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from inspector.core.chat_templates import TemplateSource, find_template, mistral_tokenizer
from inspector.core.encoding import EncodingResult, _result, encode
from inspector.core.errors import ChatInputError, ChatTemplateError, ChildCannotStart
from inspector.core.settings import EncodeSettings
from inspector.core.tiktoken_fast import TiktokenTokenizer
from inspector.core.tokenizer import HFTokenizer, LoadedTokenizer, RawEncoding, TokenStrings

if TYPE_CHECKING:  # the encode process's child runs jinja_parts: a run-time import would cycle
    from inspector.core.encode_process import EncodeProcess

ROLES = ("system", "user", "assistant", "tool")  # the editor's choices; a file may hold others
CHAT_SETTINGS = EncodeSettings(add_special_tokens=False)  # the template writes every token


class ChatMismatchError(RuntimeError):
    """Our encoding of the rendered conversation differs from the library's: a bug, not input."""


# --------------------------------------------------------------------------- conversations


@dataclass(frozen=True)
class Conversation:
    """Messages as given (``role``, ``content`` and any other keys such as ``tool_calls``),
    and optional tool definitions."""

    messages: tuple[dict[str, Any], ...]
    tools: tuple[dict[str, Any], ...] | None = None

    def __len__(self) -> int:
        return len(self.messages)

    def role(self, index: int) -> str:
        return str(self.messages[index]["role"])

    def content_text(self, index: int) -> str:
        """The text of a message's content (text parts joined when it is a list of parts)."""
        content = self.messages[index].get("content")
        if isinstance(content, str):
            return content
        if isinstance(content, list):
            return "".join(str(part.get("text", "")) for part in content if isinstance(part, dict))
        return ""

    def to_dict(self) -> dict[str, Any]:
        value: dict[str, Any] = {"messages": [dict(m) for m in self.messages]}
        if self.tools is not None:
            value["tools"] = [dict(t) for t in self.tools]
        return value

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2) + "\n"


def parse_conversation(text: str, where: str = "the conversation") -> Conversation:
    """JSON text → Conversation: a list of {"role", "content"} messages, or an object with
    ``messages`` and optional ``tools``. Malformed JSON is named by line and column."""
    try:
        value = json.loads(text)
    except json.JSONDecodeError as err:
        raise ChatInputError(
            f"{where} is not valid JSON: line {err.lineno}, column {err.colno}: {err.msg}"
        ) from None
    return conversation_from_value(value, where)


def read_conversation(path: Path) -> Conversation:
    try:
        data = path.expanduser().read_bytes()
    except OSError as err:
        raise ChatInputError(f"cannot read {path}: {err.strerror or err}") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise ChatInputError(f"{path.name} is not UTF-8 (byte {err.start} is not)") from None
    return parse_conversation(text, path.name)


def conversation_from_value(value: Any, where: str = "the conversation") -> Conversation:
    tools = None
    if isinstance(value, dict):
        if "messages" not in value:
            raise ChatInputError(
                f'{where}: an object needs "messages" (a list of {{"role", "content"}} messages)'
            )
        tools_value = value.get("tools")
        if tools_value is not None:
            if not isinstance(tools_value, list) or not all(
                isinstance(t, dict) for t in tools_value
            ):
                raise ChatInputError(f'{where}: "tools" must be a list of objects')
            tools = tuple(dict(t) for t in tools_value)
        value = value["messages"]
    if not isinstance(value, list):
        raise ChatInputError(
            f'{where} must be a list of {{"role", "content"}} messages, or an object with '
            '"messages"'
        )
    if not value:
        raise ChatInputError(f"{where} is empty: it has no messages")
    messages = []
    for number, message in enumerate(value, start=1):
        if not isinstance(message, dict):
            raise ChatInputError(f"{where}: message {number} is not an object")
        role = message.get("role")
        if not isinstance(role, str) or not role.strip():
            raise ChatInputError(f'{where}: message {number} has no "role" (a string)')
        content = message.get("content")
        if content is not None and not isinstance(content, (str, list)):
            raise ChatInputError(
                f"{where}: message {number}'s content must be a string (or a list of parts)"
            )
        if isinstance(content, list) and not all(isinstance(p, dict) for p in content):
            raise ChatInputError(f"{where}: message {number}'s content parts must be objects")
        messages.append(dict(message))
    return Conversation(tuple(messages), tools)


# --------------------------------------------------------------------------- the result


@dataclass(frozen=True)
class MessageRow:
    """One message in the per-message table."""

    index: int
    role: str
    start: int  # its content's characters in the rendered string; -1 when not found there
    end: int
    content_tokens: int  # tokens that encode its content
    scaffolding_tokens: int  # template tokens from the previous message's content to its own

    @property
    def tokens(self) -> int:
        return self.content_tokens + self.scaffolding_tokens

    def to_dict(self) -> dict[str, Any]:
        located = self.start >= 0
        return {
            "index": self.index,
            "role": self.role,
            "tokens": self.tokens,
            "content_tokens": self.content_tokens,
            "scaffolding_tokens": self.scaffolding_tokens,
            "start": self.start if located else None,
            "end": self.end if located else None,
        }


@dataclass(frozen=True)
class ChatResult:
    """A conversation under one tokenizer's template: the rendered string, its encoding and
    which message each token belongs to."""

    conversation: Conversation
    source: str  # where the template came from
    add_generation_prompt: bool
    rendered: str
    result: EncodingResult  # the encoding of ``rendered`` (its text)
    message: np.ndarray  # int64 per token: message index, -1 for template scaffolding
    rows: tuple[MessageRow, ...]
    trailing_tokens: int  # after the last message's content: its closing, the generation prompt
    warnings: tuple[str, ...] = ()

    @property
    def tokens(self) -> int:
        return len(self.result)

    @property
    def content_tokens(self) -> int:
        return sum(row.content_tokens for row in self.rows)

    @property
    def overhead(self) -> int:
        """Template overhead: every token that is not a message's content."""
        return self.tokens - self.content_tokens

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "add_generation_prompt": self.add_generation_prompt,
            "rendered": self.rendered,
            "tokens": self.tokens,
            "content_tokens": self.content_tokens,
            "overhead": self.overhead,
            "trailing_tokens": self.trailing_tokens,
            "messages": [row.to_dict() for row in self.rows],
            "warnings": list(self.warnings),
        }


def apply_chat(
    tok: LoadedTokenizer,
    conversation: Conversation,
    *,
    add_generation_prompt: bool = False,
    template: TemplateSource | None = None,
    template_path: Path | None = None,
    process: EncodeProcess | None = None,
) -> ChatResult:
    """Render and encode ``conversation`` with ``tok``'s template (or ``template_path``).
    ``process``: a window's encode process, where a Jinja template of a tiktoken tokenizer
    runs (see ``_apply_jinja``)."""
    if not len(conversation):
        raise ChatInputError("the conversation is empty: it has no messages")
    source = template or find_template(tok, template_path)
    warnings: list[str] = []
    spans = None
    if source.is_mistral:
        rendered, result = _apply_mistral(tok, conversation, source)
        if not add_generation_prompt:
            warnings.append(
                "mistral-common has no generation-prompt switch: a conversation that ends with "
                "a user message always ends with [/INST], the prompt for the answer"
            )
    else:
        rendered, result, spans = _apply_jinja(
            tok, conversation, source, add_generation_prompt, process
        )
    if spans is None:
        spans = locate_contents(rendered, conversation, result)
    starts, ends, missing = spans
    for index in missing:
        warnings.append(
            f"message {index + 1}'s content is not in the rendered text as written (the "
            "template changed it): its tokens count as scaffolding"
        )
    message, rows, trailing = attribute_tokens(result, conversation, starts, ends)
    return ChatResult(
        conversation=conversation,
        source=source.description,
        add_generation_prompt=add_generation_prompt,
        rendered=rendered,
        result=result,
        message=message,
        rows=rows,
        trailing_tokens=trailing,
        warnings=tuple(warnings),
    )


# --------------------------------------------------------------------------- Jinja templates

_HF_COPIES: weakref.WeakKeyDictionary[LoadedTokenizer, dict[str, tuple[Any, threading.Lock]]] = (
    weakref.WeakKeyDictionary()
)
_HF_GUARD = threading.Lock()


def _transformers_copy(tok: HFTokenizer, source: TemplateSource) -> tuple[Any, threading.Lock]:
    """A transformers tokenizer over a copy of ``tok``'s own backend, with the template and
    its special-token variables: apply_chat_template then runs exactly as in transformers."""
    key = json.dumps([source.template, source.special_tokens], sort_keys=True)
    with _HF_GUARD:
        per_tok = _HF_COPIES.setdefault(tok, {})
        if key in per_tok:
            return per_tok[key]
    from tokenizers import Tokenizer
    from transformers import PreTrainedTokenizerFast

    backend = Tokenizer.from_str(tok.backend.to_str())
    hf = PreTrainedTokenizerFast(
        tokenizer_object=backend, chat_template=source.template, **source.special_tokens
    )
    with _HF_GUARD:
        return _HF_COPIES.setdefault(tok, {}).setdefault(key, (hf, threading.Lock()))


Spans = tuple[np.ndarray, np.ndarray, list[int]]


# The template's part of a Jinja chat: the rendered string, apply_chat_template's own ids and
# the exact content spans (None: search them).
JinjaParts = tuple[str, np.ndarray, Spans | None]


def converts_for_chat(tokenizer: LoadedTokenizer) -> bool:
    """A chat template on this tokenizer would build its conversion here (transformers reads
    a ``tokenizers.Tokenizer``): a child loads the tokenizer and runs the template instead."""
    return tokenizer.recipe is not None and (
        tokenizer.encodes_elsewhere or isinstance(tokenizer, TiktokenTokenizer)
    )


def _apply_jinja(
    tok: LoadedTokenizer,
    conversation: Conversation,
    source: TemplateSource,
    generation: bool,
    process: EncodeProcess | None,
) -> tuple[str, EncodingResult, Spans | None]:
    """``process``: a window's encode process; a tiktoken tokenizer's template then runs there
    (transformers needs the converted tokenizer: building it here holds Python's lock for most
    of a second), and so does the encode of a tokenizer that encodes nowhere else."""
    remote = process is not None and converts_for_chat(tok)
    parts = None
    if remote:
        assert process is not None
        try:
            parts = process.chat_parts(tok, conversation, source, generation)
        except ChildCannotStart:  # no child comes up: the template runs here
            remote = False
    rendered, ids, spans = parts or jinja_parts(tok, conversation, source, generation)
    # No round-trip: decode drops the control tokens the template wrote, so it would list a
    # difference per message (and its difflib is quadratic in their number).
    if remote and tok.encodes_elsewhere:
        assert process is not None
        result = process.encode(tok, rendered, CHAT_SETTINGS, with_roundtrip=False)
    else:
        result = encode(tok, rendered, CHAT_SETTINGS, with_roundtrip=False)
    if not np.array_equal(result.columns.ids, ids):
        raise ChatMismatchError(
            f"{tok.facts.id}: the rendered conversation encodes to other ids than "
            "apply_chat_template(tokenize=True) returns"
        )
    return rendered, result, spans


def jinja_parts(
    tok: LoadedTokenizer, conversation: Conversation, source: TemplateSource, generation: bool
) -> JinjaParts:
    """Render with transformers' ``apply_chat_template``, and its ids of the same."""
    if not isinstance(tok, HFTokenizer):
        raise ChatTemplateError(
            f"{tok.facts.id} is encoded by sentencepiece, not a Hugging Face tokenizer: a Jinja "
            "chat template needs one (the Mistral entries use mistral-common's own format)"
        )
    hf, lock = _transformers_copy(tok, source)
    messages = [dict(m) for m in conversation.messages]
    tools = None if conversation.tools is None else [dict(t) for t in conversation.tools]

    def render(chat: list[dict[str, Any]]) -> Any:
        return hf.apply_chat_template(
            chat, tools=tools, add_generation_prompt=generation, tokenize=False
        )

    with lock:
        rendered = _template_call(lambda: render(messages))
        spans = _marked_spans(render, conversation, rendered) if isinstance(rendered, str) else None
        truth = _template_call(
            lambda: hf.apply_chat_template(
                messages, tools=tools, add_generation_prompt=generation, tokenize=True
            )
        )
    if not isinstance(rendered, str):
        raise ChatTemplateError("the chat template did not render to a string")
    ids = truth["input_ids"] if hasattr(truth, "keys") else truth  # BatchEncoding in 5.x
    return rendered, np.asarray(ids, dtype=np.int64), spans


_MARK_OPEN, _MARK_CLOSE = "\ue000", "\ue001"  # private-use characters: never in a template


def _marked_spans(render: Any, conversation: Conversation, rendered: str) -> Spans | None:
    """Exact content spans: render once more with each text content replaced by a marker and
    put the contents back in its place. None (search instead) when that does not rebuild the
    rendered string exactly: the template transforms content or uses it twice."""
    import re

    marked = []
    for index, message in enumerate(conversation.messages):
        copy = dict(message)
        if isinstance(message.get("content"), str) and message["content"]:
            copy["content"] = f"{_MARK_OPEN}{index}{_MARK_CLOSE}"
        marked.append(copy)
    try:
        text = render(marked)
    except Exception:  # a template that inspects content may fail on markers: search instead
        return None
    if not isinstance(text, str):
        return None
    count = len(conversation)
    starts = np.full(count, -1, dtype=np.int64)
    ends = np.full(count, -1, dtype=np.int64)
    pieces: list[str] = []
    size = last = 0
    for match in re.finditer(f"{_MARK_OPEN}(\\d+){_MARK_CLOSE}", text):
        index = int(match.group(1))
        if index >= count or starts[index] >= 0:
            return None
        between = text[last : match.start()]
        content = conversation.content_text(index)
        pieces += [between, content]
        starts[index] = size + len(between)
        ends[index] = starts[index] + len(content)
        size = int(ends[index])
        last = match.end()
    pieces.append(text[last:])
    if "".join(pieces) != rendered:
        return None
    wanted = [i for i, m in enumerate(conversation.messages) if isinstance(m.get("content"), str)]
    missing = [i for i in wanted if conversation.messages[i]["content"] and starts[i] < 0]
    return starts, ends, missing


def _template_call(call: Any) -> Any:
    """Run a template; its refusals and failures become one plain line each."""
    import jinja2

    try:
        return call()
    except jinja2.exceptions.SecurityError as err:
        raise ChatTemplateError(
            f"the chat template uses something the sandbox forbids: {_first_line(err)}"
        ) from None
    except jinja2.TemplateSyntaxError as err:
        raise ChatTemplateError(
            f"the chat template is not valid Jinja (line {err.lineno}): {err.message}"
        ) from None
    except jinja2.UndefinedError as err:
        raise ChatTemplateError(f"the chat template failed: {_first_line(err)}") from None
    except jinja2.TemplateError as err:  # raise_exception(...) in the template: its own words
        raise ChatTemplateError(
            f"the chat template refused this conversation: {_first_line(err)}"
        ) from None
    except (ValueError, TypeError, KeyError, IndexError, AttributeError) as err:
        raise ChatTemplateError(f"the chat template failed to render: {_first_line(err)}") from None


def _first_line(err: BaseException) -> str:
    text = str(getattr(err, "message", None) or err).strip()
    return (text.splitlines() or [type(err).__name__])[0][:300]


# --------------------------------------------------------------------------- mistral-common


def _apply_mistral(
    tok: LoadedTokenizer, conversation: Conversation, source: TemplateSource
) -> tuple[str, EncodingResult]:
    assert source.mistral_version is not None
    mistral = mistral_tokenizer(source.mistral_version)
    tokens = mistral_tokens(mistral, conversation)
    ids = np.asarray(tokens, dtype=np.int64)
    pieces = [_piece_bytes(tok, int(i)) for i in ids]
    lengths = np.fromiter((len(p) for p in pieces), dtype=np.int64, count=len(pieces))
    byte_end = np.cumsum(lengths)
    byte_start = byte_end - lengths
    try:
        rendered = b"".join(pieces).decode("utf-8")
    except UnicodeDecodeError:
        raise ChatMismatchError(
            f"{tok.facts.id}: mistral-common's tokens do not spell UTF-8 text"
        ) from None
    n = len(ids)
    raw = RawEncoding(
        ids=ids,
        tokens=TokenStrings(ids, tok.id_to_token),
        char_start=np.zeros(n, dtype=np.int64),  # derived from the byte spans
        char_end=np.zeros(n, dtype=np.int64),
        special=np.zeros(n, dtype=bool),  # the template wrote them all; control marks <s>, [INST]
        word_ids=np.full(n, -1, dtype=np.int64),
        sequence_ids=np.zeros(n, dtype=np.int64),
        attention_mask=np.ones(n, dtype=np.int8),
        type_ids=np.zeros(n, dtype=np.int8),
        byte_start=byte_start,
        byte_end=byte_end,
    )
    return rendered, _result(tok, rendered, None, CHAT_SETTINGS, raw, False)


def mistral_tokens(mistral: Any, conversation: Conversation) -> list[int]:
    """mistral-common's own ids for the conversation (its validation messages kept)."""
    from mistral_common.exceptions import MistralCommonException
    from mistral_common.protocol.instruct.request import ChatCompletionRequest
    from pydantic import ValidationError

    try:
        request: Any = ChatCompletionRequest.model_validate(conversation.to_dict())
    except ValidationError as err:
        first = err.errors()[0] if err.errors() else {"msg": str(err), "loc": ()}
        where = ".".join(str(p) for p in first.get("loc", ()))
        raise ChatInputError(
            f"mistral-common cannot read this conversation ({where}): {first['msg']}"
        ) from None
    try:
        return list(mistral.encode_chat_completion(request).tokens)
    except (MistralCommonException, NotImplementedError, AssertionError, ValueError) as err:
        raise ChatTemplateError(
            f"mistral-common refused this conversation: {_first_line(err) or type(err).__name__}"
        ) from None


def _piece_bytes(tok: LoadedTokenizer, token_id: int) -> bytes:
    """The bytes a SentencePiece token stands for; a control token (<s>, [INST]) as its name."""
    raw = tok.token_bytes(token_id)
    if raw is not None:
        return raw
    return (tok.id_to_token(token_id) or "").encode("utf-8")


# --------------------------------------------------------------------------- attribution


def locate_contents(
    rendered: str, conversation: Conversation, controls: EncodingResult | None = None
) -> tuple[np.ndarray, np.ndarray, list[int]]:
    """Character spans of each message's content in the rendered string (-1 when not there).

    Searched in message order from the end of the previous one found; a content that is not
    after it (mistral-common moves the system prompt into a later user turn) is searched from
    the start. A place already found, or the characters of a control token of ``controls``
    (``<s>``, ``[INST]``), never holds a content: "s" is not the s of "<s>". A template that
    trims content is covered by searching the stripped text. Returns (starts, ends, indices
    not found)."""
    count = len(conversation)
    starts = np.full(count, -1, dtype=np.int64)
    ends = np.full(count, -1, dtype=np.int64)
    taken = np.zeros(len(rendered) + 1, dtype=bool)
    if controls is not None:
        cols = controls.columns
        rows = np.flatnonzero(cols.control & (cols.sequence_ids == 0))
        delta = np.zeros(len(rendered) + 2, dtype=np.int64)
        np.add.at(delta, cols.char_start[rows], 1)
        np.add.at(delta, cols.char_end[rows], -1)
        taken = np.cumsum(delta)[: len(rendered) + 1] > 0

    def free(needle: str, start: int) -> int:
        at = rendered.find(needle, start)
        while at >= 0 and taken[at : at + len(needle)].any():
            at = rendered.find(needle, at + 1)
        return at

    missing: list[int] = []
    cursor = 0
    for index in range(count):
        text = conversation.content_text(index)
        if not text:
            continue
        found = size = -1
        for needle in dict.fromkeys((text, text.strip())):
            if not needle:
                continue
            at = free(needle, cursor)
            if at >= 0:
                found, size, cursor = at, len(needle), at + len(needle)
                break
            at = free(needle, 0)  # before the cursor: out of order
            if at >= 0:
                found, size = at, len(needle)
                break
        if found < 0:
            missing.append(index)
            continue
        starts[index], ends[index] = found, found + size
        taken[found : found + size] = True
    return starts, ends, missing


def attribute_tokens(
    result: EncodingResult, conversation: Conversation, starts: np.ndarray, ends: np.ndarray
) -> tuple[np.ndarray, tuple[MessageRow, ...], int]:
    """Per token: the message whose content it overlaps, else -1. Per message: its content
    tokens, and the scaffolding tokens between the previous content (in the rendered order)
    and its own. Returns (message column, rows, tokens after the last content). Vectorized:
    one binary search per token."""
    cols = result.columns
    count = len(conversation)
    located = np.flatnonzero(starts >= 0)
    order = located[np.argsort(starts[located], kind="stable")]
    span_start, span_end = starts[order], ends[order]
    token_start, token_end = cols.char_start, cols.char_end
    n_spans = len(order)
    message = np.full(len(cols), -1, dtype=np.int64)
    scaffolding = np.zeros(count, dtype=np.int64)
    trailing = len(cols)
    if n_spans:
        # the first content span that ends after the token starts: overlapped if it starts
        # before the token ends
        k = np.searchsorted(span_end, token_start, side="right")
        kk = np.clip(k, 0, n_spans - 1)
        hit = (k < n_spans) & (span_start[kk] < np.maximum(token_end, token_start + 1))
        message = np.where(hit, order[kk], -1).astype(np.int64)
        # a scaffolding token belongs to the next content in the rendered order
        nxt = np.searchsorted(span_start, token_start, side="right")
        loose = nxt[~hit]
        per_span = np.bincount(loose, minlength=n_spans + 1)
        scaffolding[order] = per_span[:n_spans]
        trailing = int(per_span[n_spans])
    content = np.bincount(message[message >= 0], minlength=count)[:count]
    rows = tuple(
        MessageRow(
            index=i,
            role=conversation.role(i),
            start=int(starts[i]),
            end=int(ends[i]),
            content_tokens=int(content[i]),
            scaffolding_tokens=int(scaffolding[i]),
        )
        for i in range(count)
    )
    return message, rows, trailing
