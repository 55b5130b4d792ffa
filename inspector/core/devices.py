"""Which device and precision a model runs on: auto = cuda → mps → cpu, with the reason in words.

torch is imported only when a choice is made (start-up stays fast); nothing here loads a model.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

from inspector.core.errors import DeviceError

DEVICE_CHOICES: tuple[str, ...] = ("auto", "cuda", "mps", "cpu")
DTYPE_CHOICES: tuple[str, ...] = ("auto", "float32", "bfloat16", "float16")


@dataclass(frozen=True)
class DeviceChoice:
    device: str  # "cuda" | "mps" | "cpu"
    dtype: str  # "float32" | "bfloat16" | "float16"
    reason: str  # plain words: why this device and precision

    def torch_dtype(self) -> Any:
        import torch

        return getattr(torch, self.dtype)


def _cuda_available() -> bool:
    import torch

    return bool(torch.cuda.is_available())


def _mps_available() -> bool:
    import torch

    backend = getattr(torch.backends, "mps", None)
    return bool(backend is not None and backend.is_available())


def _cuda_bf16() -> bool:
    import torch

    try:
        return bool(torch.cuda.is_bf16_supported())
    except Exception:  # old drivers raise instead of answering
        return False


def available_devices() -> list[str]:
    """The choices to offer: always "auto" and "cpu", plus "cuda" / "mps" when present."""
    devices = ["auto"]
    if _cuda_available():
        devices.append("cuda")
    if _mps_available():
        devices.append("mps")
    devices.append("cpu")
    return devices


def choose_device(requested: str = "auto", dtype: str = "auto") -> DeviceChoice:
    """Resolve a device and dtype request; raises DeviceError with a plain line if impossible.

    auto = cuda → mps → cpu. dtype auto = bfloat16 on CUDA when supported (else float16),
    float16 on MPS, float32 on the CPU (half precision is slow and inexact there).
    TOKEN_INSPECTOR_DEVICE, when set, replaces an "auto" request (for headless runs and tests).
    """
    requested = (requested or "auto").strip().lower()
    dtype = (dtype or "auto").strip().lower()
    if requested == "auto":
        requested = os.environ.get("TOKEN_INSPECTOR_DEVICE", "auto").strip().lower() or "auto"
    if requested not in DEVICE_CHOICES:
        raise DeviceError(
            f"unknown device '{requested}': choose one of {', '.join(DEVICE_CHOICES)}"
        )
    if dtype not in DTYPE_CHOICES:
        raise DeviceError(f"unknown dtype '{dtype}': choose one of {', '.join(DTYPE_CHOICES)}")

    if requested == "auto":
        if _cuda_available():
            device, why = "cuda", "auto: a CUDA GPU is available"
        elif _mps_available():
            device, why = "mps", "auto: no CUDA GPU; Apple's MPS GPU is available"
        else:
            device, why = "cpu", "auto: no CUDA or MPS GPU found, running on the CPU"
    elif requested == "cuda":
        if not _cuda_available():
            raise DeviceError("CUDA was asked for but torch sees no CUDA GPU on this machine")
        device, why = "cuda", "CUDA GPU, as asked"
    elif requested == "mps":
        if not _mps_available():
            raise DeviceError("MPS was asked for but torch sees no Apple MPS GPU on this machine")
        device, why = "mps", "Apple MPS GPU, as asked"
    else:
        device, why = "cpu", "CPU, as asked"

    if dtype == "auto":
        if device == "cuda":
            dtype = "bfloat16" if _cuda_bf16() else "float16"
        elif device == "mps":
            dtype = "float16"
        else:
            dtype = "float32"
        why += f"; {dtype} (automatic for {device.upper() if device != 'mps' else 'MPS'})"
    else:
        if device == "cpu" and dtype == "float16":
            raise DeviceError(
                "float16 on the CPU is not supported by most layers: use float32 or bfloat16"
            )
        if device == "cuda" and dtype == "bfloat16" and not _cuda_bf16():
            raise DeviceError("this GPU does not support bfloat16: use float16 or float32")
        why += f"; {dtype}, as asked"
    return DeviceChoice(device, dtype, why)


def is_out_of_memory(err: BaseException) -> bool:
    """True for a GPU out-of-memory error (torch.OutOfMemoryError or its message on MPS)."""
    import torch

    oom = getattr(torch, "OutOfMemoryError", None) or getattr(torch.cuda, "OutOfMemoryError", None)
    if oom is not None and isinstance(err, oom):
        return True
    return isinstance(err, RuntimeError) and "out of memory" in str(err).lower()


def available_memory(device: str) -> int | None:
    """Free bytes on a device now, or None when it cannot be told."""
    if device == "cuda":
        import torch

        try:
            free, _total = torch.cuda.mem_get_info()
            return int(free)
        except Exception:
            return None
    if device == "mps":
        import torch

        try:  # MPS shares system memory; the driver tells how much more it will give
            limit = int(torch.mps.recommended_max_memory())
            return max(0, limit - int(torch.mps.driver_allocated_memory()))
        except Exception:
            return _system_available()
    return _system_available()


def _system_available() -> int | None:
    try:
        import psutil

        return int(psutil.virtual_memory().available)
    except ImportError:
        pass
    try:
        with open("/proc/meminfo", encoding="ascii") as handle:
            for line in handle:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    try:
        return int(os.sysconf("SC_AVPHYS_PAGES")) * int(os.sysconf("SC_PAGE_SIZE"))
    except (ValueError, OSError, AttributeError):
        return None
