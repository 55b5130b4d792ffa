"""The session state: the two races of issue 12 reproduced with real tokenizers and models,
and shown gone. A job is held at a gate (a threading.Event around the real call) so that the
order in which jobs finish is forced, not hoped for; nothing sleeps.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from inspector.core.catalog import Catalog
from inspector.core.remote_copy import what_if_copy
from inspector.core.tokenizer import LoadedTokenizer
from inspector.gui import state as state_module
from inspector.gui.main_window import MainWindow
from inspector.gui.model_service import ModelService
from inspector.gui.state import InspectorState

MINILM = "sentence-transformers/all-MiniLM-L6-v2"
MODEL = "all-MiniLM-L6-v2"


class Gate:
    """Holds calls of a wrapped function until opened; says when one is waiting."""

    def __init__(self) -> None:
        self.entered = threading.Event()
        self._open = threading.Event()

    def wrap(self, fn: Callable[..., Any], when: Callable[..., bool]) -> Callable[..., Any]:
        def gated(*args: Any, **kwargs: Any) -> Any:
            if when(*args, **kwargs):
                self.entered.set()
                assert self._open.wait(60), "the gate was never opened"
            return fn(*args, **kwargs)

        return gated

    def open(self) -> None:
        self._open.set()


@pytest.fixture
def gate() -> Iterator[Gate]:
    gate = Gate()
    yield gate
    gate.open()  # never leave a worker waiting


def test_a_what_if_copy_landing_after_a_new_tokenizer_is_dropped(
    qtbot: QtBot, catalog: Catalog, gate: Gate, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Race 1: "what if" tokens on gpt2, then all-MiniLM-L6-v2 picked; the what-if copy is
    done last. The window must say MiniLM and encode with MiniLM."""
    window = MainWindow(catalog, tokenizer="gpt2", text="hello <|mine|>", persist=False)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.result is not None, timeout=60_000)
    gpt2 = window.tokenizer
    assert gpt2 is not None
    # gpt2 is a tiktoken file: its copy is made in the encode process (remote_copy).
    monkeypatch.setattr(
        state_module, "what_if_copy", gate.wrap(what_if_copy, lambda *_a, **_k: True)
    )

    window.tokenizer_panel.what_if_requested.emit(["<|mine|>"], True)
    qtbot.waitUntil(gate.entered.is_set, timeout=30_000)  # the copy is being made
    with qtbot.waitSignal(window.result_shown, timeout=60_000):
        window.picker.chosen.emit(MINILM)
    gate.open()  # now the copy of gpt2 is done, after MiniLM
    qtbot.waitUntil(lambda: window.runner.active() == 0, timeout=30_000)

    state = window.state
    assert state.tokenizer is not None and state.tokenizer.facts.id == MINILM
    assert state.tokenizer_name == MINILM and not state.is_modified
    assert window.result is not None and window.result.tokenizer.id == MINILM
    assert window.windowTitle().endswith(MINILM)
    assert not window.modified.isVisible()


def test_an_encoding_made_with_the_old_tokenizer_never_lands(
    qtbot: QtBot, catalog: Catalog, gate: Gate, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An encode on gpt2 that finishes after MiniLM has loaded is dropped where it lands."""
    from inspector.gui import state as state_module

    state = InspectorState(catalog)
    with qtbot.waitSignal(state.result_changed, timeout=60_000):
        state.load_tokenizer("gpt2")
        state.set_text("the old text")
    gpt2 = state.tokenizer
    real = state_module._encode_job
    monkeypatch.setattr(
        state_module, "_encode_job", gate.wrap(real, lambda tok, *_a, **_k: tok is gpt2)
    )
    shown: list[str] = []
    state.result_changed.connect(lambda result: shown.append(result.tokenizer.id))
    state.set_text("a new text")  # on gpt2, held at the gate
    qtbot.waitUntil(gate.entered.is_set, timeout=30_000)
    with qtbot.waitSignal(state.result_changed, timeout=60_000):
        state.load_tokenizer(MINILM)
    gate.open()
    qtbot.waitUntil(lambda: state.runner.active() == 0, timeout=30_000)
    assert shown == [MINILM]
    assert state.result is not None and state.result.text == "a new text"
    state.shutdown()


@pytest.mark.slow
def test_model_a_on_auto_then_model_b_on_cpu_leaves_b(
    qtbot: QtBot, catalog: Catalog, gate: Gate, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Race 2: a load on "auto", then one on "cpu" (held until the first is back). The model
    asked for last is the service's model, and only its load is announced (before, the two
    ran on two channels and the first back won)."""
    from inspector.core import models

    made: dict[str, object] = {}
    real = models.load_model

    def recording(name: str, **kwargs: Any) -> Any:
        model = real(name, **kwargs)
        made[kwargs["device"]] = model
        return model

    monkeypatch.setattr(
        models, "load_model", gate.wrap(recording, lambda *_a, **k: k["device"] == "cpu")
    )
    service = ModelService(catalog)
    loaded: list[object] = []
    service.loaded.connect(lambda pair: loaded.append(pair.model))
    service.load(MODEL, device="auto")
    service.load(MODEL, device="cpu")
    qtbot.waitUntil(gate.entered.is_set, timeout=60_000)
    # A comes back first (superseded, it stops at its next progress step): dropped
    qtbot.waitUntil(lambda: service.runner.active() == 1, timeout=120_000)
    assert loaded == [] and service.pair is None
    with qtbot.waitSignal(service.loaded, timeout=120_000):
        gate.open()
    assert loaded == [made["cpu"]] and service.model is made["cpu"]
    assert service.shutdown()


@pytest.mark.slow
def test_cancel_while_a_model_loads_says_so_and_keeps_nothing(
    qtbot: QtBot, catalog: Catalog, gate: Gate, monkeypatch: pytest.MonkeyPatch
) -> None:
    from inspector.core import models
    from inspector.gui.widgets.model_bar import ModelBar

    monkeypatch.setattr(models, "load_model", gate.wrap(models.load_model, lambda *_a, **_k: True))
    service = ModelService(catalog)
    bar = ModelBar(service)
    qtbot.addWidget(bar)
    bar.show()
    service.load(MODEL)
    qtbot.waitUntil(gate.entered.is_set, timeout=60_000)
    assert bar.progress.isVisible() and bar.cancel_button.isEnabled()
    with qtbot.waitSignal(service.load_cancelled, timeout=5_000):
        bar.cancel_button.click()
    assert "cancelled" in bar.message.text().lower() and bar.run_button.isEnabled()
    assert not bar.progress.isVisible()
    gate.open()
    qtbot.waitUntil(lambda: service.runner.active() == 0, timeout=120_000)
    assert service.pair is None  # the load that finished anyway was dropped
    assert service.shutdown()


def test_what_if_shows_a_modified_copy_and_reset_brings_the_original_back(
    qtbot: QtBot, catalog: Catalog
) -> None:
    window = MainWindow(catalog, tokenizer="gpt2", text="hi <|mine|>", persist=False)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.result is not None, timeout=60_000)
    window.state.add_tokens(["<|mine|>"], True)
    qtbot.waitUntil(
        lambda: window.result is not None and window.result.tokenizer.id == "gpt2+added",
        timeout=60_000,
    )
    assert window.state.is_modified and window.modified.isVisible()
    assert "modified copy" in window.modified.text() and "modified copy" in window.windowTitle()
    result = window.result
    assert result is not None
    assert isinstance(window.tokenizer, LoadedTokenizer)
    # the added special token is a control token of the copy: its chip is drawn as special
    assert result.columns.control[-1] and window.tokenizer.is_control(result.columns.ids)[-1]
    window.modified.linkActivated.emit("reset")
    qtbot.waitUntil(
        lambda: window.result is not None and window.result.tokenizer.id == "gpt2",
        timeout=60_000,
    )
    assert not window.state.is_modified and not window.modified.isVisible()


def test_the_picker_never_shows_a_hub_cache_folder(qtbot: QtBot, catalog: Catalog) -> None:
    from inspector.gui.catalog_picker import CatalogPicker, display_name

    folder = "/home/u/.cache/huggingface/hub/models--org--tiny-bert/snapshots/0123abcd"
    assert display_name(folder) == "org/tiny-bert"
    assert display_name("/data/my-tokenizer") == "/data/my-tokenizer"
    picker = CatalogPicker(catalog)
    qtbot.addWidget(picker)
    picker.fill([folder])
    picker.show_name(folder)
    assert picker.currentText() == "org/tiny-bert"
    chosen: list[str] = []
    picker.chosen.connect(chosen.append)
    picker.activated.emit(picker.currentIndex())
    assert chosen == [folder]  # what is loaded is still the folder


def test_reset_while_a_new_tokenizer_loads_keeps_the_load(qtbot: QtBot, catalog: Catalog) -> None:
    state = InspectorState(catalog)
    with qtbot.waitSignal(state.result_changed, timeout=60_000):
        state.load_tokenizer("gpt2")
    state.set_text("hello")
    with qtbot.waitSignal(state.tokenizer_changed, timeout=60_000):
        state.load_tokenizer(MINILM)
        state.reset_tokens()  # nothing to reset: the load goes on
    assert state.tokenizer_name == MINILM
    state.shutdown()


def test_the_window_runs_every_job_on_the_states_one_runner(qtbot: QtBot, catalog: Catalog) -> None:
    """Compare, the model service, Chat and the export dialog submit on the state's runner."""
    window = MainWindow(catalog, tokenizer="gpt2", text="hello", persist=False)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.result is not None, timeout=60_000)
    runner = window.state.runner
    assert window.comparison.panel.runner is runner
    assert window.model_docks.service.runner is runner
    assert window.chat.panel.runner is runner
    dialog = window.export_report()
    assert dialog.runner is runner
    dialog.reject()
    assert runner.active() == 0 or runner.wait(30_000)


def test_quitting_waits_for_the_model_but_never_for_abandoned_rows(qtbot: QtBot) -> None:
    """A comparison row stuck in an uninterruptible call is abandoned: shutdown returns
    with it still running (it would otherwise wait the whole timeout and say False), while
    the model's job on the same runner — which stops when told, as a forward does at its next
    layer — is waited for."""
    from inspector.core.cancel import CancelToken
    from inspector.gui.jobs import JobRunner

    runner = JobRunner(max_threads=4)
    row_gate, row_started = threading.Event(), threading.Event()
    model_started, model_stopped = threading.Event(), threading.Event()

    def stuck_row(*, cancel: CancelToken) -> str:
        row_started.set()
        assert row_gate.wait(60), "never let go"
        return "row"

    def model_job(*, cancel: CancelToken) -> str:
        model_started.set()
        cancel._event.wait(60)  # until told to stop
        model_stopped.set()
        return "model"

    runner.submit("compare:row-1", stuck_row)
    runner.submit("model", model_job)
    qtbot.waitUntil(lambda: row_started.is_set() and model_started.is_set(), timeout=10_000)
    assert runner.active("compare:") == 1 and runner.active() == 2
    runner.abandon("compare:")
    assert runner.shutdown(timeout_ms=60_000)  # returned: the row was never waited for
    assert model_stopped.is_set() and not row_gate.is_set()  # the model's job was
    assert runner.active("compare:") == 1 and runner.active("model") == 0
    row_gate.set()
    assert runner.wait(10_000)
    qtbot.waitUntil(lambda: runner.active() == 0)  # the row's late result is dropped


def test_a_comparison_row_of_an_old_text_never_lands(
    qtbot: QtBot, catalog: Catalog, gate: Gate, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On the window's runner, a row encoded for the old text that finishes after the new
    text's row is dropped where it lands: the comparison shows the new text only."""
    from inspector.gui.widgets import comparison_view
    from inspector.gui.widgets.comparison_view import ComparisonPanel

    state = InspectorState(catalog)
    real = comparison_view._row_job
    monkeypatch.setattr(
        comparison_view, "_row_job", gate.wrap(real, lambda _c, _n, text, *_a, **_k: text == "old")
    )
    panel = ComparisonPanel(catalog, runner=state.runner)
    qtbot.addWidget(panel)
    panel.show()
    panel.set_text("old")
    panel.set_rows(["gpt2"])
    qtbot.waitUntil(gate.entered.is_set, timeout=30_000)
    with qtbot.waitSignal(panel.rows_settled, timeout=60_000):
        panel.set_text("new")
    gate.open()
    qtbot.waitUntil(lambda: not panel.is_busy(), timeout=30_000)
    compared = panel.comparison()
    assert compared is not None and compared.text == "new"
    assert [item.result.text for item in panel.report_items() if item.result] == ["new"]
    assert panel.shutdown(10_000) and state.shutdown()


def test_the_tokenizer_panel_follows_the_state(qtbot: QtBot, catalog: Catalog) -> None:
    """Given the state, the panel shows its tokenizer and "what if" goes to the state."""
    from inspector.gui.widgets.tokenizer_panel import TokenizerPanel

    state = InspectorState(catalog)
    panel = TokenizerPanel(state)
    qtbot.addWidget(panel)
    with qtbot.waitSignal(state.tokenizer_changed, timeout=60_000):
        state.load_tokenizer("gpt2")
    assert panel.tokenizer is state.tokenizer
    panel.what_if_edit.setText("<|mine|>")
    with qtbot.waitSignal(state.tokenizer_changed, timeout=60_000):
        panel.apply_button.click()
    assert state.is_modified and panel.tokenizer is state.tokenizer
    with qtbot.waitSignal(state.tokenizer_changed, timeout=10_000):
        panel.reset_button.click()
    assert not state.is_modified and panel.tokenizer is state.base_tokenizer
    state.shutdown()
