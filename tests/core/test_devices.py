"""Device and dtype choice: no GPU here, so availability is patched where torch answers it."""

from __future__ import annotations

import pytest
import torch

from inspector.core.devices import (
    DeviceChoice,
    available_devices,
    available_memory,
    choose_device,
    is_out_of_memory,
)
from inspector.core.errors import DeviceError, InspectorError


@pytest.fixture
def machine(monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """Set what torch reports: machine(cuda=..., mps=..., bf16=...)."""
    monkeypatch.delenv("TOKEN_INSPECTOR_DEVICE", raising=False)

    def set_up(cuda: bool = False, mps: bool = False, bf16: bool = True) -> None:
        monkeypatch.setattr(torch.cuda, "is_available", lambda: cuda)
        monkeypatch.setattr(torch.cuda, "is_bf16_supported", lambda *a, **k: bf16)
        monkeypatch.setattr(torch.backends.mps, "is_available", lambda: mps)

    return set_up


def test_cpu_only_machine(machine) -> None:  # type: ignore[no-untyped-def]
    machine()
    assert available_devices() == ["auto", "cpu"]
    choice = choose_device()
    assert (choice.device, choice.dtype) == ("cpu", "float32")
    assert "no CUDA or MPS" in choice.reason
    assert choice.torch_dtype() is torch.float32


def test_auto_prefers_cuda_then_mps(machine) -> None:  # type: ignore[no-untyped-def]
    machine(cuda=True, mps=True)
    assert available_devices() == ["auto", "cuda", "mps", "cpu"]
    assert choose_device("auto") == DeviceChoice(
        "cuda", "bfloat16", "auto: a CUDA GPU is available; bfloat16 (automatic for CUDA)"
    )
    machine(cuda=True, bf16=False)
    assert choose_device().dtype == "float16"
    machine(mps=True)
    choice = choose_device()
    assert (choice.device, choice.dtype) == ("mps", "float16")
    assert choose_device("cpu").device == "cpu"  # a request wins over auto


def test_requests_that_cannot_be_met(machine) -> None:  # type: ignore[no-untyped-def]
    machine()
    for device, words in (("cuda", "no CUDA GPU"), ("mps", "no Apple MPS")):
        with pytest.raises(DeviceError, match=words):
            choose_device(device)
    with pytest.raises(DeviceError, match="unknown device 'tpu'"):
        choose_device("tpu")
    with pytest.raises(DeviceError, match="unknown dtype"):
        choose_device("cpu", "int8")
    with pytest.raises(DeviceError, match="float16 on the CPU"):
        choose_device("cpu", "float16")
    machine(cuda=True, bf16=False)
    with pytest.raises(DeviceError, match="bfloat16"):
        choose_device("cuda", "bfloat16")
    assert issubclass(DeviceError, InspectorError)


def test_explicit_dtype_and_environment_override(
    machine,
    monkeypatch: pytest.MonkeyPatch,  # type: ignore[no-untyped-def]
) -> None:
    machine(cuda=True)
    choice = choose_device("CUDA", "float32")
    assert (choice.device, choice.dtype) == ("cuda", "float32") and "as asked" in choice.reason
    assert choose_device("cpu", "bfloat16").dtype == "bfloat16"
    monkeypatch.setenv("TOKEN_INSPECTOR_DEVICE", "cpu")
    assert choose_device().device == "cpu"
    assert choose_device("cuda").device == "cuda"  # an explicit request beats the variable


def test_out_of_memory_is_recognised() -> None:
    assert is_out_of_memory(torch.OutOfMemoryError("CUDA out of memory. Tried to allocate 2 GiB"))
    assert is_out_of_memory(RuntimeError("MPS backend out of memory (MPS allocated: 1 GB)"))
    assert not is_out_of_memory(RuntimeError("shape mismatch"))
    assert not is_out_of_memory(ValueError("out of range"))


def test_available_memory_on_this_machine() -> None:
    free = available_memory("cpu")
    assert free is not None and free > 0
