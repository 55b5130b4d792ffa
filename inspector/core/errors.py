"""Errors the core raises on purpose: each carries a one-line message meant for a person.

An error a learner meets in the window (a file that is not there, a tokenizer.json of the
wrong shape) is raised with a :class:`Message`: an English template marked with
``QT_TRANSLATE_NOOP("Message", …)`` and its arguments. ``str(err)`` is the English (the CLI,
the reports and the tests read that); the window shows ``err.message.translated(translate)``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Self

MESSAGE_CONTEXT = "Message"  # the context of every marked template (lupdate's and Qt's)


@dataclass(frozen=True)
class Message:
    """``template.format(*arguments)``, translatable: an argument that is itself a Message is
    translated with it (a sentence built from marked parts)."""

    template: str
    arguments: tuple[object, ...] = ()

    def __str__(self) -> str:
        return self.template.format(*self.arguments)

    def translated(self, translate: Callable[[str], str]) -> str:
        """The message with ``translate`` (English template → the language's) applied to the
        template and to every Message among the arguments."""
        parts = [a.translated(translate) if isinstance(a, Message) else a for a in self.arguments]
        return translate(self.template).format(*parts)


class InspectorError(Exception):
    """Base class: ``str(err)`` is a complete, plain one-line explanation (in English).

    Raised with a :class:`Message` it keeps it as ``message`` for the window; raised with a
    plain string, ``message`` is that string as a Message without a template to translate.
    """

    def __init__(self, *args: object) -> None:
        first = args[0] if args else ""
        self.message = first if isinstance(first, Message) else Message("{0}", (first,))
        super().__init__(str(first), *args[1:])

    @classmethod
    def of(cls, template: str, *arguments: object) -> Self:
        """The error saying ``Message(template, arguments)``."""
        return cls(Message(template, arguments))


class TokenizerLoadError(InspectorError):
    """A tokenizer could not be found, read or verified."""


class InputError(InspectorError):
    """The text given cannot be used as it is (not UTF-8, binary, unreadable)."""


class EncodeError(InspectorError):
    """The settings cannot be applied with this tokenizer (e.g. padding without a pad token)."""


class ModelLoadError(InspectorError):
    """A model could not be found, read, trusted (pickle, remote code) or placed on a device."""


class ModelMismatchError(InspectorError):
    """A tokenizer's ids do not fit the model (another vocabulary)."""


class ModelRunError(InspectorError):
    """The model failed on this input (a library error, said in one line)."""


class ModelMemoryError(InspectorError):
    """A model run would not fit in the memory of its device; the message says what would."""


class DeviceError(InspectorError):
    """A device or precision was asked for that this machine or torch cannot give."""


class Cancelled(Exception):
    """Raised inside long work (encode, model forward) that noticed it was cancelled.

    Not an InspectorError: it is not a failure to show, the caller asked for it."""


class ChatInputError(InspectorError):
    """A conversation cannot be used: not JSON (line and column said), empty, or malformed."""


class ChatTemplateError(InspectorError):
    """A chat template could not be found, read, or applied (it refused or failed to render)."""


class NoChatTemplateError(ChatTemplateError):
    """The tokenizer has no chat template of its own: one must be given (never invented)."""


class ChildCannotStart(OSError):
    """A child process died or hung before it said hello: its callers work in-process
    (child_process; here so that what catches it need not import the children's code)."""
