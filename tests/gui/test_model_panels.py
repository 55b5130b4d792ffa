"""Model panels with the real installed MiniLM: the service, every panel, exports, linking.

The model is loaded once per module (the real load path is tested in test_model_window.py);
runs go through the real service and its worker pool.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QImage
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from inspector.core.cancel import CancelToken
from inspector.core.catalog import DEFAULT_TOKENIZER, Catalog
from inspector.core.encoding import EncodingResult, encode
from inspector.core.model_run import LoadedPair, ModelRun, assemble_run
from inspector.core.settings import EncodeSettings
from inspector.gui.model_service import ModelService
from inspector.gui.widgets.attention_panel import AttentionPanel
from inspector.gui.widgets.embedding_panel import EmbeddingPanel
from inspector.gui.widgets.heatmap import Heatmap
from inspector.gui.widgets.hidden_state_panel import HiddenStatePanel
from inspector.gui.widgets.lens_panel import LensPanel
from tests.gui.conftest import run_app, shown

TEXT = "The cat sat on the mat. 猫 🐱!"
PAIR = "A dog lay on the rug."
LONG = "The quick brown fox jumps over the lazy dog. " * 60  # ~600 tokens > 512 positions

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return Catalog()


@pytest.fixture(scope="module")
def minilm(catalog: Catalog) -> LoadedPair:
    from inspector.core.models import DEFAULT_MODEL, load_model

    model = load_model(DEFAULT_MODEL, device="cpu")
    return LoadedPair(model, catalog.load(model.tokenizer_name), ("auto", "cpu"))


def _encode(pair: LoadedPair, text: str, other: str | None = None) -> EncodingResult:
    return encode(pair.tokenizer, text, EncodeSettings(), other)


def _run(pair: LoadedPair, result: EncodingResult) -> ModelRun:
    """What the service's worker computes, called directly (no thread)."""
    return assemble_run(pair.model, result, 1, lambda *_: None, cancel=CancelToken())


@pytest.fixture(scope="module")
def run(minilm: LoadedPair) -> ModelRun:
    return _run(minilm, _encode(minilm, TEXT, PAIR))


@pytest.fixture
def service(qtbot: QtBot, catalog: Catalog, minilm: LoadedPair) -> Iterator[ModelService]:
    svc = ModelService(catalog)
    svc.pair = minilm
    yield svc
    svc.shutdown()


def _plain_forward(pair: LoadedPair, result: EncodingResult) -> Any:
    """A plain transformers forward of the same ids: the truth to compare with."""
    import torch

    ids = torch.tensor([result.columns.ids.tolist()])
    types = torch.tensor([result.columns.type_ids.tolist()])
    with torch.inference_mode():
        return pair.model.module(
            input_ids=ids,
            token_type_ids=types,
            output_hidden_states=True,
            output_attentions=True,
        )


def _click_cell(qtbot: QtBot, heatmap: Heatmap, row: int, col: int) -> None:
    """A real mouse click at the centre of a cell."""
    scene = heatmap.plot.getViewBox().mapViewToScene(QPointF(col + 0.5, row + 0.5))
    point = heatmap.view.mapFromScene(scene)
    QTest.mouseClick(heatmap.view.viewport(), Qt.MouseButton.LeftButton, pos=point)


# -- the service --------------------------------------------------------------------------


def test_service_run_equals_plain_forward_and_reports_layers(
    qtbot: QtBot, service: ModelService, minilm: LoadedPair
) -> None:
    result = _encode(minilm, TEXT)
    layers: list[tuple[int, int]] = []
    service.progress.connect(lambda i, n: layers.append((i, n)))
    with qtbot.waitSignal(service.run_finished, timeout=60_000) as done:
        service.run(result)
    run: ModelRun = done.args[0]
    truth = _plain_forward(minilm, result)
    assert run.output.hidden_states.shape == (7, len(result), 384)
    assert run.output.attention_shape is not None and run.output.attention_shape[:2] == (6, 12)
    np.testing.assert_allclose(
        run.output.hidden_states[-1], truth.hidden_states[-1][0].numpy(), atol=1e-5
    )
    np.testing.assert_allclose(run.output.attentions[2], truth.attentions[2][0].numpy(), atol=1e-5)
    assert layers[-1] == (6, 6) and [i for i, _ in layers] == sorted(i for i, _ in layers)
    assert not service.is_running()


def test_cancel_mid_run_stops_at_the_next_layer(
    qtbot: QtBot, service: ModelService, minilm: LoadedPair
) -> None:
    result = _encode(minilm, LONG)
    finished: list[object] = []
    seen: list[int] = []
    service.run_finished.connect(finished.append)

    def on_layer(i: int, _n: int) -> None:
        seen.append(i)
        service.cancel_run()

    from inspector.gui.widgets.model_bar import ModelBar

    bar = shown(qtbot, ModelBar(service), 900, 80)
    service.progress.connect(on_layer)
    with qtbot.waitSignal(service.run_cancelled, timeout=60_000):
        service.run(result)
    assert bar.message.isVisible() and "cancelled" in bar.message.text()  # says so
    assert not bar.progress.isVisible() and not bar.cancel_button.isEnabled()
    # every job delivered (a late result, which must be dropped, included): no sleep needed
    qtbot.waitUntil(lambda: service.runner.active() == 0, timeout=30_000)
    assert finished == []
    assert seen and seen[0] < 6  # it never got through all layers before the cancel
    assert service.runner.active() == 0


def test_a_new_run_supersedes_the_running_one(
    qtbot: QtBot, service: ModelService, minilm: LoadedPair
) -> None:
    finished: list[ModelRun] = []
    service.run_finished.connect(finished.append)
    first = service.run(_encode(minilm, LONG))
    second = service.run(_encode(minilm, TEXT))
    qtbot.waitUntil(lambda: service.runner.active() == 0, timeout=60_000)
    assert [r.run_id for r in finished] == [second] and first != second
    assert finished[0].result.text == TEXT


def test_mismatched_tokenizer_is_a_plain_message(
    qtbot: QtBot, service: ModelService, catalog: Catalog
) -> None:
    gpt2 = encode(catalog.load("gpt2"), "Mismatch: unbelievably 🐱")  # id 48943
    with qtbot.waitSignal(service.run_failed, timeout=60_000) as failed:
        service.run(gpt2)
    message = failed.args[0]
    assert "knows only ids" in message and "\n" not in message


def test_too_long_input_is_cut_with_a_notice(
    qtbot: QtBot, service: ModelService, minilm: LoadedPair
) -> None:
    result = _encode(minilm, LONG)
    assert len(result) > 512
    with qtbot.waitSignal(service.run_finished, timeout=120_000) as done:
        service.run(result)
    run: ModelRun = done.args[0]
    assert len(run.positions) == 512
    assert any("first 512 tokens" in n for n in run.output.notices)


# -- the panels ---------------------------------------------------------------------------


def test_attention_panel_shows_heads_mean_and_max(qtbot: QtBot, run: ModelRun) -> None:
    panel = shown(qtbot, AttentionPanel(), 1200, 600)
    panel.set_run(run)
    assert run.output.attentions is not None
    att = np.stack(run.output.attentions)
    layers, heads, t, _ = att.shape
    assert panel.layer_box.count() == layers and panel.head_box.count() == heads + 2
    np.testing.assert_allclose(panel.large.values, att[0].mean(axis=0), rtol=1e-6)
    panel.select_thumbnail(3, 5)
    np.testing.assert_array_equal(panel.large.values, att[3, 5])
    panel.select_thumbnail(2, heads + 1)
    np.testing.assert_array_equal(panel.large.values, att[2].max(axis=0))
    # the grid mosaic: one thumbnail per layer × (heads + mean + max)
    assert run.thumbnails is not None and not np.isnan(run.thumbnails).all()
    assert panel.large.bottom_axis._labels[0] == "[CLS]"
    assert len(panel.large.left_axis._labels) == t


def test_attention_panel_hides_attention_to_special_tokens(qtbot: QtBot, run: ModelRun) -> None:
    panel = shown(qtbot, AttentionPanel(), 1200, 600)
    panel.set_run(run)
    panel.select_thumbnail(0, 0)
    assert panel.large.values[:, 0].sum() > 0  # [CLS] takes attention
    panel.hide_special.setChecked(True)
    special = np.flatnonzero(run.special)
    assert (panel.large.values[:, special] == 0).all()
    text = np.flatnonzero(~run.special)
    np.testing.assert_array_equal(
        panel.large.values[:, text],
        run.output.attentions[0][0][:, text],  # type: ignore[index]
    )


def test_hidden_state_panel_metrics_and_vector(qtbot: QtBot, run: ModelRun) -> None:
    from inspector.core.analysis import hidden_metric

    panel = shown(qtbot, HiddenStatePanel(), 1200, 500)
    panel.set_run(run)
    hidden = run.output.hidden_states
    np.testing.assert_allclose(panel.heatmap.values, hidden_metric(hidden, "l2"))
    assert "last_hidden_state (1, " in panel.shapes.text()
    assert "pooler_output (1, 384)" in panel.shapes.text()
    panel.metric_box.setCurrentIndex(panel.metric_box.findData("cos_last"))
    np.testing.assert_allclose(panel.heatmap.values[-1], 1.0, atol=1e-5)
    panel.metric_box.setCurrentIndex(panel.metric_box.findData("dims"))
    panel.dim_from.setValue(10)
    panel.dim_to.setValue(10)
    np.testing.assert_allclose(panel.heatmap.values, hidden[:, :, 10], rtol=1e-6)

    clicked: list[int] = []
    panel.token_clicked.connect(clicked.append)
    _click_cell(qtbot, panel.heatmap, 3, 2)
    assert clicked == [int(run.positions[2])]
    assert "shape (384,)" in panel.vector_title.text()
    panel.count_box.setValue(4)
    values = panel.copy_vector()
    assert values.split("\t") == [f"{float(v):.6g}" for v in hidden[3, 2, :4]]
    from PySide6.QtGui import QGuiApplication

    assert QGuiApplication.clipboard().text() == values


def test_embedding_panel_pair_cosine_contributions_static(
    qtbot: QtBot, run: ModelRun, minilm: LoadedPair
) -> None:
    from sentence_transformers import SentenceTransformer

    panel = shown(qtbot, EmbeddingPanel(), 1200, 500)
    panel.set_run(run)
    assert run.embedding is not None and run.pair_embedding is not None
    reference = SentenceTransformer(str(minilm.model.folder), device="cpu").encode([TEXT, PAIR])
    np.testing.assert_allclose(run.embedding, reference[0], atol=1e-5)
    cosine = float(reference[0] @ reference[1]) / float(
        np.linalg.norm(reference[0]) * np.linalg.norm(reference[1])
    )
    assert f"{cosine:.4f}" in panel.summary.text()
    assert run.contributions is not None
    assert abs(float(run.contributions.sum()) - 1.0) < 1e-4
    token = int(run.positions[3])
    panel.set_selected_token(token)
    assert "cosine(static, contextual)" in panel.static_text.text()
    assert len(panel.context_curve.getData()[1]) == 384


def test_lens_panel_explains_that_an_encoder_has_no_lens(qtbot: QtBot, run: ModelRun) -> None:
    panel = shown(qtbot, LensPanel(), 900, 400)
    panel.set_run(run)
    assert "causal" in panel.message.text() and panel.run is None


def test_panels_highlight_the_selected_token_and_click_selects(qtbot: QtBot, run: ModelRun) -> None:
    attention = shown(qtbot, AttentionPanel(), 1200, 600)
    attention.set_run(run)
    token = int(run.positions[4])
    attention.set_selected_token(token)
    assert attention.large._row_mark.isVisible() and attention.large._col_mark.isVisible()
    assert attention.large._col_mark.rect().x() == 4
    clicked: list[int] = []
    attention.token_clicked.connect(clicked.append)
    _click_cell(qtbot, attention.large, 1, 6)
    assert clicked == [int(run.positions[6])]  # the key's token


# -- exports ------------------------------------------------------------------------------


def test_heatmap_exports_png_svg_csv_npy(qtbot: QtBot, run: ModelRun, tmp_path: Path) -> None:
    tmp_path = tmp_path / "out"
    tmp_path.mkdir()
    panel = shown(qtbot, HiddenStatePanel(), 1000, 500)
    panel.set_run(run)
    heatmap = panel.heatmap
    heatmap.export_image(tmp_path / "h.png")
    image = QImage(str(tmp_path / "h.png"))
    assert not image.isNull() and image.width() >= 800
    heatmap.export_image(tmp_path / "h.svg")
    svg = (tmp_path / "h.svg").read_text("utf-8")
    assert "<svg" in svg and "<image" in svg and "embeddings" in svg
    heatmap.export_numbers(tmp_path / "h.npy")
    np.testing.assert_array_equal(np.load(tmp_path / "h.npy"), heatmap.values)
    heatmap.export_numbers(tmp_path / "h.csv")
    rows = list(csv.reader((tmp_path / "h.csv").open(encoding="utf-8")))
    assert rows[0][1:] == list(run.labels) and rows[1][0] == "embeddings"
    assert float(rows[1][1]) == pytest.approx(float(heatmap.values[0, 0]), rel=1e-5)
    with pytest.raises(ValueError):
        heatmap.export_numbers(tmp_path / "h.txt")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["h.csv", "h.npy", "h.png", "h.svg"]


def test_attention_grid_exports(qtbot: QtBot, run: ModelRun, tmp_path: Path) -> None:
    panel = shown(qtbot, AttentionPanel(), 1200, 600)
    panel.set_run(run)
    panel.export_grid_image(tmp_path / "grid.png")
    assert not QImage(str(tmp_path / "grid.png")).isNull()
    panel.export_grid_numbers(tmp_path / "att.npy")
    np.testing.assert_array_equal(np.load(tmp_path / "att.npy"), run.output.attentions)
    panel.export_grid_numbers(tmp_path / "att.csv")
    lines = (tmp_path / "att.csv").read_text("utf-8").splitlines()
    assert len(lines) == 1 + 6 * len(run.labels)


def test_a_new_window_imports_neither_torch_nor_pyqtgraph(tmp_path: Path) -> None:
    """Launch stays fast: torch comes with the first model job, pyqtgraph with the first
    model panel shown (the docks start as background tabs)."""
    code = (
        "import sys\n"
        "from PySide6.QtWidgets import QApplication\n"
        "app = QApplication([])\n"
        "from inspector.gui.main_window import MainWindow\n"
        "window = MainWindow()\n"
        "window.show(); app.processEvents()\n"
        "print(*(name in sys.modules for name in ('torch', 'transformers', 'pyqtgraph')))\n"
        "window.close()\n"
    )
    out = run_app(["-c", code], tmp_path, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["False", "False", "False"]


def test_default_tokenizer_is_the_models_own(minilm: LoadedPair) -> None:
    assert minilm.model.tokenizer_name == DEFAULT_TOKENIZER


def test_device_box_asks_torch_when_opened(
    qtbot: QtBot, catalog: Catalog, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The device list comes from available_devices() on a worker; a CUDA machine is faked
    only at torch's availability answer (there is no GPU here)."""
    from inspector.core import devices
    from inspector.gui.widgets.model_bar import ModelBar

    monkeypatch.setattr(devices, "_cuda_available", lambda: True)
    service = ModelService(catalog)
    bar = shown(qtbot, ModelBar(service), 900, 80)
    assert [bar.device_box.itemText(i) for i in range(bar.device_box.count())] == ["auto", "cpu"]
    with qtbot.waitSignal(service.devices_found, timeout=60_000):
        bar.device_box.showPopup()
    bar.device_box.hidePopup()
    items = [bar.device_box.itemText(i) for i in range(bar.device_box.count())]
    assert items == ["auto", "cuda", "cpu"]
    bar.set_choice("all-MiniLM-L6-v2", "cuda", "bfloat16")
    choice = bar.choice()
    assert (choice.device, choice.dtype) == ("cuda", "bfloat16")
    service.shutdown()
