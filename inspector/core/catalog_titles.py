"""The catalog's descriptions of its tokenizers (the picker's tooltips): English here and in
reports, marked for translation (context "CatalogEntry"); the window shows them translated."""

from __future__ import annotations

from inspector.core.translation_marks import QT_TRANSLATE_NOOP

MINILM = QT_TRANSLATE_NOOP("CatalogEntry", "all-MiniLM-L6-v2 (BERT uncased WordPiece)")
GPT2 = QT_TRANSLATE_NOOP("CatalogEntry", "GPT-2 (byte-level BPE, r50k_base ranks)")
CL100K = QT_TRANSLATE_NOOP("CatalogEntry", "cl100k_base (GPT-4, GPT-3.5)")
O200K = QT_TRANSLATE_NOOP("CatalogEntry", "o200k_base (GPT-4o)")
MISTRAL_V1 = QT_TRANSLATE_NOOP(
    "CatalogEntry", "Mistral v1 SentencePiece (LLaMA-style ▁, byte fallback, 32000)"
)
MISTRAL_V3 = QT_TRANSLATE_NOOP("CatalogEntry", "Mistral v3 SentencePiece (▁, byte fallback, 32768)")
QWEN25 = QT_TRANSLATE_NOOP(
    "CatalogEntry", "Qwen2.5 (byte-level BPE, strong on Chinese, 151643 + specials)"
)
QWEN36 = QT_TRANSLATE_NOOP("CatalogEntry", "Qwen3.5 / 3.6 (byte-level BPE, 248044 + specials)")
SMOLLM2 = QT_TRANSLATE_NOOP(
    "CatalogEntry", "SmolLM2-135M-Instruct (byte-level BPE 49152, ChatML chat template)"
)
