"""Errors the core raises on purpose: each carries a one-line message meant for a person."""


class InspectorError(Exception):
    """Base class: ``str(err)`` is a complete, plain one-line explanation."""


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
