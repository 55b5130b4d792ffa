"""The model part of the main window, end to end: Run loads the real MiniLM (or a tiny GPT-2
built in the test session) and fills every panel; linking both ways; auto-run and typing;
quitting mid-run; the mismatch and too-long messages in the model bar.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from inspector.core.catalog import Catalog
from inspector.core.model_run import ModelRun
from inspector.gui.main_window import MainWindow
from inspector.gui.model_docks import ModelDocks
from inspector.gui.widgets.heatmap import Heatmap

MINILM = "sentence-transformers/all-MiniLM-L6-v2"
TEXT = "The cat sat on the mat. 猫 🐱!"
LONG = "The quick brown fox jumps over the lazy dog. " * 60  # ~600 tokens > 512 positions
CORPUS = [
    "the cat sat on the mat and the dog sat on the rug",
    "a quick brown fox jumps over the lazy dog again and again",
    "tokens become vectors, layer after layer, until the model guesses the next one",
] * 20

pytestmark = pytest.mark.slow


def open_window(qtbot: QtBot, catalog: Catalog, text: str = TEXT, **kwargs: object) -> MainWindow:
    window = MainWindow(catalog, text=text, **kwargs)  # type: ignore[arg-type]
    qtbot.addWidget(window)
    window.resize(1400, 900)
    window.show()
    qtbot.waitUntil(lambda: window.result is not None, timeout=60_000)
    return window


def run_model(qtbot: QtBot, docks: ModelDocks, timeout: int = 180_000) -> ModelRun:
    with qtbot.waitSignal(docks.service.run_finished, timeout=timeout) as done:
        docks.bar.run_button.click()
    run: ModelRun = done.args[0]
    return run


def click_cell(heatmap: Heatmap, row: int, col: int) -> None:
    scene = heatmap.plot.getViewBox().mapViewToScene(QPointF(col + 0.5, row + 0.5))
    point = heatmap.view.mapFromScene(scene)
    QTest.mouseClick(heatmap.view.viewport(), Qt.MouseButton.LeftButton, pos=point)


@pytest.fixture(scope="module")
def tiny_gpt2(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 2-layer random-weight GPT-2 with a byte-level BPE trained here, in one folder."""
    import torch
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import GPT2Config, GPT2LMHeadModel, PreTrainedTokenizerFast

    folder = tmp_path_factory.mktemp("tiny_gpt2")
    bpe = Tokenizer(models.BPE())
    bpe.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    bpe.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=400,
        special_tokens=["<|endoftext|>"],
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
    )
    bpe.train_from_iterator(CORPUS, trainer)
    fast = PreTrainedTokenizerFast(
        tokenizer_object=bpe, bos_token="<|endoftext|>", eos_token="<|endoftext|>"
    )
    fast.save_pretrained(str(folder))
    torch.manual_seed(0)
    config = GPT2Config(vocab_size=len(fast), n_positions=64, n_embd=32, n_layer=2, n_head=4)
    GPT2LMHeadModel(config).save_pretrained(str(folder))
    return folder


def test_run_loads_minilm_and_fills_every_panel(qtbot: QtBot, catalog: Catalog) -> None:
    window = open_window(qtbot, catalog)
    docks = window.model_docks
    run = run_model(qtbot, docks)
    assert window.result is not None and run.result is window.result
    assert "6 layers × 12 heads" in docks.bar.info.text()
    assert docks.attention.run is run and docks.attention.large.values.shape == (
        len(run.labels),
        len(run.labels),
    )
    assert docks.hidden.heatmap.values.shape == (7, len(run.labels))
    assert "384 dimensions" in docks.embedding.summary.text()
    assert "causal" in docks.lens.message.text()
    assert not docks.bar.progress.isVisible() and not docks.bar.cancel_button.isEnabled()
    assert any(a.text() == "&Model" for a in window.menuBar().actions())


def test_a_panel_is_built_when_its_dock_is_shown_and_gets_the_last_run(
    qtbot: QtBot, catalog: Catalog
) -> None:
    window = open_window(qtbot, catalog)
    docks = window.model_docks
    assert docks.panels == ()  # background tabs: nothing built yet
    run = run_model(qtbot, docks)
    docks.docks["hidden"].raise_()
    qtbot.waitUntil(lambda: "hidden" in docks._panels)
    assert set(docks._panels) == {"hidden"}
    assert docks._panels["hidden"].run is run  # type: ignore[attr-defined]


def test_linking_both_ways(qtbot: QtBot, catalog: Catalog) -> None:
    window = open_window(qtbot, catalog)
    docks = window.model_docks
    run = run_model(qtbot, docks)
    # window → panels: selecting a chip marks its row/column in every heatmap
    window.strip.clicked.emit(3)
    position = run.position_of(3)
    assert position == 3
    assert docks.attention.large._col_mark.isVisible()
    assert docks.attention.large._col_mark.rect().x() == position
    assert docks.hidden.heatmap._col_mark.rect().x() == position
    assert docks.embedding.position == position
    # panels → window: clicking a heatmap cell selects that token everywhere
    docks.docks["hidden"].raise_()
    qtbot.waitUntil(lambda: docks.hidden.heatmap.isVisible())
    click_cell(docks.hidden.heatmap, 2, 6)
    assert window.strip.current() == int(run.positions[6])
    assert window.table.current_token() == int(run.positions[6])
    assert docks.attention.large._col_mark.rect().x() == 6
    assert "#6" in window.details.text()


def test_mismatched_tokenizer_shows_a_message(qtbot: QtBot, catalog: Catalog) -> None:
    window = open_window(qtbot, catalog)
    docks = window.model_docks
    run_model(qtbot, docks)
    with qtbot.waitSignal(window.result_shown, timeout=60_000):
        window.load_tokenizer("gpt2")
    window.text_edit.setPlainText("So unbelievably")  # gpt2 id 48943 > MiniLM's 30521
    qtbot.waitUntil(
        lambda: window.result is not None and window.result.text == "So unbelievably",
        timeout=30_000,
    )
    with qtbot.waitSignal(docks.service.run_failed, timeout=60_000):
        docks.bar.run_button.click()
    assert docks.bar.message.isVisible()
    assert "knows only ids" in docks.bar.message.text()


def test_too_long_text_runs_cut_with_a_notice(qtbot: QtBot, catalog: Catalog) -> None:
    window = open_window(qtbot, catalog, text=LONG)
    docks = window.model_docks
    run = run_model(qtbot, docks)
    assert len(run.positions) == 512
    assert docks.bar.message.isVisible() and "first 512 tokens" in docks.bar.message.text()
    assert docks.hidden.heatmap.values.shape == (7, 512)


def test_typing_cancels_the_running_forward_and_auto_runs_again(
    qtbot: QtBot, catalog: Catalog
) -> None:
    window = open_window(qtbot, catalog, text=LONG)
    docks = window.model_docks
    run_model(qtbot, docks)  # loaded
    finished: list[ModelRun] = []
    cancelled: list[bool] = []
    docks.service.run_finished.connect(finished.append)
    docks.service.run_cancelled.connect(lambda: cancelled.append(True))
    docks.bar.auto_box.setChecked(True)  # starts a run on the current text

    def type_once(index: int, _total: int) -> None:
        if not cancelled and index >= 1:
            window.text_edit.setPlainText("Short now.")

    docks.service.progress.connect(type_once)
    qtbot.waitUntil(lambda: bool(finished), timeout=120_000)
    assert cancelled == [True]
    assert [r.result.text for r in finished] == ["Short now."]  # the long run never landed
    assert docks.attention.run is finished[0]


def test_quit_mid_run_exits_cleanly(qtbot: QtBot, catalog: Catalog) -> None:
    window = open_window(qtbot, catalog, text=LONG)
    docks = window.model_docks
    run_model(qtbot, docks)
    closed: list[bool] = []

    def close_now(index: int, _total: int) -> None:
        if not closed:
            closed.append(True)
            window.close()

    finished: list[ModelRun] = []
    docks.service.run_finished.connect(finished.append)
    docks.service.progress.connect(close_now)
    docks.bar.run_button.click()
    qtbot.waitUntil(lambda: bool(closed), timeout=60_000)
    assert finished == []  # the forward stopped at the next layer; nothing was delivered
    assert docks.service.runner.active() == 0  # shutdown waited for the forward to stop
    assert not window.isVisible()


def test_lens_with_a_tiny_causal_model(
    qtbot: QtBot, catalog: Catalog, tiny_gpt2: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Model → Open model folder… (the file dialog answered at its boundary) loads the folder;
    the window's tokenizer stays until the user takes the model's own, then it runs."""
    from PySide6.QtWidgets import QFileDialog

    window = open_window(qtbot, catalog, text="the cat sat on the mat and the dog")
    docks = window.model_docks
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *_a, **_k: str(tiny_gpt2))
    with qtbot.waitSignal(docks.service.loaded, timeout=180_000):
        docks.actions["folder"].trigger()
    assert window.tokenizer_name == MINILM  # never replaced behind the user's back
    assert docks.bar.tokenizer_button.isVisible() and str(tiny_gpt2) in docks.bar.message.text()
    with qtbot.waitSignal(docks.service.run_finished, timeout=180_000) as done:
        docks.bar.tokenizer_button.click()
    run: ModelRun = done.args[0]
    assert window.tokenizer_name == str(tiny_gpt2)  # the model's own tokenizer, by choice
    lens = run.output.lens
    assert lens is not None and docks.lens.run is run
    layers, positions, k = lens.top_probs.shape
    assert (layers, positions) == (3, len(run.labels))
    np.testing.assert_array_equal(
        docks.lens.heatmap.values, np.nan_to_num(lens.actual_next_prob, nan=0.0)
    )
    assert docks.lens.table.rowCount() == layers and docks.lens.table.columnCount() == k + 1
    window.strip.clicked.emit(int(run.positions[1]))
    assert docks.lens.position == 1
    top = docks.lens.table.item(docks.lens.table_row(0), 0).text()  # last layer on top
    assert top.startswith(lens.top_tokens[0][1][0])
    assert "Position #1" in docks.lens.position_label.text()


def test_model_choice_is_remembered(qtbot: QtBot, catalog: Catalog) -> None:
    window = open_window(qtbot, catalog)
    window.model_docks.bar.set_choice("smollm2-135m", "cpu", "float32")
    window.model_docks.bar.auto_box.setChecked(False)
    window.close()
    again = open_window(qtbot, catalog)
    choice = again.model_docks.bar.choice()
    assert (choice.name, choice.device, choice.dtype) == ("smollm2-135m", "cpu", "float32")


def test_a_folder_that_is_not_a_model_is_a_plain_message(
    qtbot: QtBot, catalog: Catalog, tmp_path: Path
) -> None:
    window = open_window(qtbot, catalog)
    docks = window.model_docks
    (tmp_path / "notes.txt").write_text("not a model", "utf-8")
    docks.bar.set_choice(str(tmp_path))
    with qtbot.waitSignal(docks.service.load_failed, timeout=60_000):
        docks.bar.run_button.click()
    text = docks.bar.message.text()
    assert docks.bar.message.isVisible() and text.startswith("Could not load the model:")
    assert "config.json" in text and "\n" not in text and "Traceback" not in text
    assert docks.bar.run_button.isEnabled() and docks.attention.run is None
    assert window.tokenizer_name == MINILM  # unchanged
