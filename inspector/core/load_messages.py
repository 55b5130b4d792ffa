"""The tokenizer load errors a learner meets, as translatable templates (core/errors.py):
``raise TokenizerLoadError.of(NO_SUCH_PATH, name)``. ``str(err)`` is the English below; the
window shows the template translated (context "Message"), the CLI the English."""

from __future__ import annotations

from inspector.core.translation_marks import QT_TRANSLATE_NOOP

NO_SUCH_PATH = QT_TRANSLATE_NOOP("Message", "no such file or folder: {0}")
NOT_CACHED = QT_TRANSLATE_NOOP(
    "Message",
    "'{0}' is not in the local Hugging Face cache and the hub cannot be reached (offline); use "
    "a catalog tokenizer, a local folder or file, or connect once",
)
UNKNOWN_FILE_TYPE = QT_TRANSLATE_NOOP(
    "Message",
    "{0}: unknown tokenizer file type (use a folder, tokenizer.json, a SentencePiece .model or "
    "a .tiktoken file)",
)
NO_TOKENIZER_FILES = QT_TRANSLATE_NOOP(
    "Message",
    "{0} has no tokenizer files (tokenizer.json, tokenizer_config.json, vocab.txt, *.model…): "
    "is it the right folder?",
)
NO_VOCABULARY = QT_TRANSLATE_NOOP(
    "Message",
    "{0} has no vocabulary: tokenizer_config.json asks for {1} but {2} (a tokenizer folder "
    "needs tokenizer.json, vocab.txt, vocab.json + merges.txt or a SentencePiece .model)",
)
FILES_MISSING = QT_TRANSLATE_NOOP("Message", "{0} is missing")
NO_VOCABULARY_FILE = QT_TRANSLATE_NOOP("Message", "no vocabulary file is there")
NEEDS_REMOTE_CODE = QT_TRANSLATE_NOOP(
    "Message",
    "{0} needs its own Python code to load; Token Inspector does not run remote code unless "
    "you pass --trust-remote-code",
)
INVALID_JSON = QT_TRANSLATE_NOOP("Message", "{0} is not valid JSON ({1})")
NO_MEMORY = QT_TRANSLATE_NOOP("Message", "not enough memory to load {0}")
