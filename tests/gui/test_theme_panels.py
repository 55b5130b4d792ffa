"""View → Theme and the model panels in light and dark: the palette reaches every plot, links
and placeholders stay readable, the choice is remembered only by a window that may write
settings; the hidden-state colour scales; tokens labelled where they fit; the selected-token
frame leaves the colours under it alone; the lens shows the last layer first.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QCoreApplication, QPointF, QSettings, Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QMenu
from pytestqt.qtbot import QtBot

from inspector.core.catalog import Catalog
from inspector.core.palette import contrast_ratio
from inspector.gui import theme
from inspector.gui.widgets.heatmap import CLIPPED, LINEAR, LOG, Heatmap, scale_levels
from tests.gui.conftest import shown

Role = QPalette.ColorRole


@pytest.fixture(autouse=True)
def system_theme_after(qapp: QApplication) -> Iterator[None]:
    """Every test leaves the app as it found it (the system palette and style)."""
    yield
    theme.apply_theme(theme.SYSTEM)


def _window_is_dark() -> bool:
    return QApplication.palette().color(Role.Window).lightnessF() < 0.5


def _background(view: object) -> str:
    return view.backgroundBrush().color().name()  # type: ignore[attr-defined]


# -- the theme ----------------------------------------------------------------------------


def test_theme_menu_applies_at_once_and_remembers_when_writable(
    qtbot: QtBot, tmp_path: Path
) -> None:
    store = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    view = QMenu()
    menu = theme.install_theme_menu(view, store, writable=True)
    actions = {a.data(): a for a in menu.actions()}
    assert set(actions) == set(theme.THEMES) and actions[theme.SYSTEM].isChecked()
    assert [a.text() for a in menu.actions()] == ["System default", "Light", "Dark"]
    actions[theme.DARK].trigger()
    assert _window_is_dark() and theme.current_theme() == theme.DARK
    assert store.value("theme") == "dark" and theme.saved_theme(store) == theme.DARK
    actions[theme.LIGHT].trigger()
    assert not _window_is_dark() and store.value("theme") == "light"
    actions[theme.SYSTEM].trigger()
    assert store.value("theme") == "system"


def test_a_window_that_may_not_write_settings_never_remembers_the_theme(
    qtbot: QtBot, catalog: Catalog
) -> None:
    """--screenshot and tests open the window with persist=False: the theme changes, the
    settings file does not."""
    from inspector.gui import session
    from inspector.gui.main_window import MainWindow

    window = MainWindow(catalog, text="", persist=False)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.result is not None, timeout=60_000)
    menu = window.view_menu.findChild(QMenu, "menu-theme")
    assert menu is not None and menu.menuAction() in window.view_menu.actions()
    dark = next(a for a in menu.actions() if a.data() == theme.DARK)
    dark.trigger()
    assert _window_is_dark()
    assert session.settings().value("theme") is None


def test_the_saved_theme_is_installed_at_start_without_writing(tmp_path: Path) -> None:
    path = tmp_path / "settings.ini"
    store = QSettings(str(path), QSettings.Format.IniFormat)
    store.setValue("theme", "dark")
    store.sync()
    before = path.read_bytes()
    assert theme.install_saved_theme(store) == theme.DARK and _window_is_dark()
    assert path.read_bytes() == before
    assert theme.normalize("nonsense") == theme.SYSTEM


@pytest.mark.parametrize("palette", [theme.light_palette(), theme.dark_palette()])
def test_palettes_read_well(palette: QPalette) -> None:
    base = palette.color(Role.Base).name()
    assert contrast_ratio(palette.color(Role.Text).name(), base) >= 7
    assert contrast_ratio(palette.color(Role.Link).name(), base) >= 4.5
    assert contrast_ratio(palette.color(Role.PlaceholderText).name(), base) >= 3
    window = palette.color(Role.Window).name()  # the export dialog's error line
    assert contrast_ratio(theme.error_text_colour(palette), window) >= 4.5


def test_a_dark_system_palette_gets_readable_links_and_placeholders() -> None:
    """A dark palette that keeps Qt's default link blue (the round-trip link, the tokenizer
    bar's "reset") and a dim placeholder: both are made readable on its base."""
    palette = theme.dark_palette()
    palette.setColor(Role.Link, QColor("#0000FF"))
    palette.setColor(Role.LinkVisited, QColor("#FF00FF"))
    palette.setColor(Role.PlaceholderText, QColor("#303030"))
    fixed = theme.readable_palette(palette)
    base = fixed.color(Role.Base).name()
    assert contrast_ratio(fixed.color(Role.Link).name(), base) >= 4.5
    assert contrast_ratio(fixed.color(Role.PlaceholderText).name(), base) >= 3
    assert fixed.color(Role.Text) == palette.color(Role.Text)  # the rest untouched


# -- plots follow the palette -------------------------------------------------------------


def test_every_plot_follows_a_palette_change(qtbot: QtBot) -> None:
    from inspector.gui.widgets.attention_panel import AttentionPanel
    from inspector.gui.widgets.corpus_plots import CorpusPlots
    from inspector.gui.widgets.embedding_panel import EmbeddingPanel
    from inspector.gui.widgets.hidden_state_panel import HiddenStatePanel
    from inspector.gui.widgets.lens_panel import LensPanel

    hidden = shown(qtbot, HiddenStatePanel(), 900, 400)
    attention = shown(qtbot, AttentionPanel(), 900, 400)
    embedding = shown(qtbot, EmbeddingPanel(), 900, 400)
    lens = shown(qtbot, LensPanel(), 900, 400)
    corpus = shown(qtbot, CorpusPlots(), 600, 600)
    views = [
        hidden.heatmap.view,
        attention.grid_view,
        attention.large.view,
        embedding.bars_view,
        embedding.static_view,
        lens.heatmap.view,
        *corpus.views,
    ]
    axes = [
        hidden.heatmap.bottom_axis,
        attention.grid_plot.getAxis("left"),
        embedding.static_plot.getAxis("bottom"),
        lens.heatmap.bar.axis,
        corpus.views[0].getPlotItem().getAxis("left"),
    ]
    for name, expected_dark in ((theme.DARK, True), (theme.LIGHT, False), (theme.DARK, True)):
        theme.apply_theme(name)
        palette = QApplication.palette()
        base, text = palette.color(Role.Base).name(), palette.color(Role.Text).name()
        assert (QColor(base).lightnessF() < 0.5) == expected_dark
        # widgets hear of an application palette change through the event loop
        qtbot.waitUntil(lambda b=base: [_background(v) for v in views] == [b] * len(views))
        assert [axis.textPen().color().name() for axis in axes] == [text] * len(axes)
        assert hidden.heatmap.plot.titleLabel.opts["color"] == text


def test_model_bar_messages_read_in_dark(qtbot: QtBot) -> None:
    from inspector.core.catalog import Catalog
    from inspector.gui.model_service import ModelService
    from inspector.gui.widgets.model_bar import ModelBar

    service = ModelService(Catalog())
    bar = shown(qtbot, ModelBar(service), 900, 80)
    bar.show_error("Could not load the model: nope")
    light_style = bar.message.styleSheet()
    theme.apply_theme(theme.DARK)
    qtbot.waitUntil(lambda: bar.message.styleSheet() != light_style)
    dark_style = bar.message.styleSheet()
    assert dark_style != light_style and "#4A1C19" in dark_style  # a dark box, light text
    # a folder or model name in a message is shown as it is, never as markup
    assert bar.message.textFormat() == bar.info.textFormat() == Qt.TextFormat.PlainText
    service.shutdown()


# -- the heatmap --------------------------------------------------------------------------


def _norms_with_a_sink(rows: int = 31, cols: int = 14) -> np.ndarray:
    """SmolLM2's shape: norms of tens, and a first token near 22,000 from layer 12 on."""
    rng = np.random.default_rng(0)
    values = rng.uniform(20.0, 200.0, size=(rows, cols)).astype(np.float32)
    values[12:, 0] = 22_000.0
    return values


def test_colour_scales_keep_the_ordinary_values_apart() -> None:
    values = _norms_with_a_sink()
    lo, hi = scale_levels(values, LINEAR)
    assert hi == pytest.approx(22_000.0)
    # clipped: the sink column (6% of the cells: beyond a 99th percentile) takes the top colour
    lo, hi = scale_levels(values, CLIPPED)
    assert hi < 1_000 and lo >= 20.0
    lo, hi = scale_levels(values, LOG)
    assert (lo, hi) == pytest.approx((np.log10(values.min()), np.log10(22_000.0)))
    flat = np.full((3, 3), 5.0, np.float32)
    assert scale_levels(flat, CLIPPED) == (4.5, 5.5)


def test_hidden_state_panel_defaults_to_log_and_names_the_scale(qtbot: QtBot) -> None:
    from inspector.gui.widgets.hidden_state_panel import HiddenStatePanel

    panel = shown(qtbot, HiddenStatePanel(), 1000, 450)
    assert panel.current_scale() == LOG and panel.scale_box.currentData() == LOG
    panel.metric_box.setCurrentIndex(panel.metric_box.findData("cos_last"))
    # a cosine can be negative: no log; the box shows the scale in use
    assert panel.current_scale() == CLIPPED and panel.scale_box.currentData() == CLIPPED
    log_item = panel.scale_box.model().item(panel.scale_box.findData(LOG))
    assert not log_item.isEnabled()
    panel.metric_box.setCurrentIndex(panel.metric_box.findData("l2"))
    assert panel.current_scale() == LOG  # the user's choice comes back


def test_heatmap_log_scale_labels_the_bar_and_keeps_real_values(qtbot: QtBot) -> None:
    heatmap = shown(qtbot, Heatmap(bar_label="L2 norm"), 900, 500)
    values = _norms_with_a_sink()
    heatmap.set_data(values, None, [f"r{i}" for i in range(31)], list("abcdefghijklmn"), scale=LOG)
    assert "L2 norm" in heatmap.bar.axis.labelText and "log scale" in heatmap.bar.axis.labelText
    np.testing.assert_array_equal(heatmap.values, values)  # hover and export: the real numbers
    image = heatmap.image.image
    assert image is not None
    np.testing.assert_allclose(image, np.log10(values), rtol=1e-6)
    heatmap.set_data(values, None, [], [], scale=CLIPPED)
    assert "outliers clipped" in heatmap.bar.axis.labelText


def test_every_token_is_labelled_when_the_labels_fit(qtbot: QtBot) -> None:
    heatmap = shown(qtbot, Heatmap(), 1000, 400)
    tokens = ["The", "Ġcat", "Ġsat", "Ġon", "Ġthe", "Ġmat", ".", "[UNK]", "!", "猫"]
    heatmap.set_data(np.ones((3, len(tokens)), np.float32), (0.0, 1.0), ["a", "b", "c"], tokens)
    axis = heatmap.bottom_axis
    width = 800.0
    ((spacing, values),) = axis.tickValues(0, len(tokens), width)
    assert axis.tickStrings(values, 1, spacing) == tokens  # every token
    # two wide neighbours do not hide every other label: each label with room is drawn
    tokens = ["[CLS]", "the", "cat", "[UNK]", "[UNK]", "sat", "on", "the", "mat", "[SEP]"]
    heatmap.set_data(np.ones((3, 10), np.float32), (0.0, 1.0), ["a", "b", "c"], tokens)
    per_cell = float(axis._widths.max()) - 2  # the widest label does not fit beside another
    ((spacing, values),) = axis.tickValues(0, 10, per_cell * 10)
    drawn = [int(v) for v in values]
    assert 3 not in drawn or 4 not in drawn  # the two [UNK]s would overlap
    assert len(drawn) >= 8
    many = [f"token{i}" for i in range(400)]
    heatmap.set_data(np.ones((3, 400), np.float32), (0.0, 1.0), ["a", "b", "c"], many)
    ((spacing, values),) = axis.tickValues(0, 400, width)
    assert 1 < len(values) < 400  # only what fits…
    centres = np.array(values) * width / 400
    halves = axis._widths[[int(v) for v in values]] / 2
    assert ((centres[1:] - halves[1:]) - (centres[:-1] + halves[:-1]) >= 0).all()  # …apart
    left = heatmap.left_axis
    ((_spacing, rows),) = left.tickValues(0, 3, 300.0)
    assert len(rows) == 3


def _pixel(heatmap: Heatmap, x: float, y: float) -> QColor:
    heatmap.view.viewport().repaint()
    image = heatmap.view.grab().toImage()
    scene = heatmap.plot.getViewBox().mapViewToScene(QPointF(x, y))
    point = heatmap.view.mapFromScene(scene)
    return image.pixelColor(point.x(), point.y())


def test_the_selected_token_frame_leaves_the_colours_it_covers(qtbot: QtBot) -> None:
    heatmap = shown(qtbot, Heatmap(), 800, 500)
    values = np.arange(24, dtype=np.float32).reshape(4, 6)
    heatmap.set_data(values, (0.0, 23.0), list("abcd"), list("uvwxyz"))
    before = [_pixel(heatmap, 2.5, row + 0.5) for row in range(4)]
    heatmap.set_highlight(1, 2)
    after = [_pixel(heatmap, 2.5, row + 0.5) for row in range(4)]
    assert after == before  # no tint over the selected column or row
    assert heatmap._col_mark.isVisible() and heatmap._row_mark.isVisible()
    assert heatmap._col_mark.brush().style().name == "NoBrush"
    edge = _pixel(heatmap, 2.0, 3.5)  # the frame's left edge, drawn over the cells
    assert edge.name() in ("#000000", "#ffffff")


# -- the lens -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def deep_causal_run(tmp_path_factory: pytest.TempPathFactory) -> object:
    """A random 12-layer GPT-2 (tiny widths) beside a byte-level BPE trained here, run once."""
    from inspector.core.cancel import CancelToken
    from inspector.core.catalog import Catalog
    from inspector.core.encoding import encode
    from inspector.core.model_run import assemble_run
    from inspector.core.models import load_model
    from inspector.core.settings import EncodeSettings
    from tests.core.test_chat import save_chat_tokenizer
    from tests.core.tiny_models import build_tiny

    root = tmp_path_factory.mktemp("deep_gpt2")
    folder = build_tiny("gpt2", save_chat_tokenizer(root / "tok"), root / "model", layers=12).folder
    model = load_model(str(folder), device="cpu")
    result = encode(Catalog().load(str(folder)), "Où est la gare ?", EncodeSettings())
    return assemble_run(model, result, 1, lambda *_: None, cancel=CancelToken())


@pytest.mark.slow
def test_the_lens_shows_the_last_layer_first_without_scrolling(
    qtbot: QtBot, deep_causal_run: object
) -> None:
    from inspector.core.model_run import ModelRun
    from inspector.gui.widgets.lens_panel import LensPanel

    run = deep_causal_run
    assert isinstance(run, ModelRun) and run.output.lens is not None
    lens = run.output.lens
    layers = lens.top_probs.shape[0]
    assert layers == 13
    panel = shown(qtbot, LensPanel(), 1000, 300)  # far too short for 13 two-line rows
    panel.set_run(run)
    table = panel.table
    p = panel.position
    assert p is not None
    header = table.verticalHeaderItem(0).text()
    assert header == QCoreApplication.translate("LensPanel", "{layer} (output)").format(
        layer="layer 12"
    )
    assert table.item(0, 0).text().startswith(lens.top_tokens[-1][p][0])
    assert table.item(layers - 1, 0).text().startswith(lens.top_tokens[0][p][0])
    # the output layer's row is on screen as the panel opens
    assert table.verticalScrollBar().maximum() > 0  # the table does scroll…
    first_row = table.visualItemRect(table.item(0, 0))
    assert table.viewport().rect().contains(first_row)  # …but the real prediction is in view
    # the heatmap puts the output layer on top too
    assert not panel.heatmap.plot.getViewBox().state["yInverted"]
    panel.set_selected_token(int(run.positions[1]))
    assert table.item(0, 0).text().startswith(lens.top_tokens[-1][1][0])


# -- the language can change while the panels show a run ---------------------------------


def _install_catalogue(folder: Path, messages: dict[str, dict[str, str]]) -> object:
    """A real .qm made here with pyside6-lrelease from a few of the panels' strings."""
    import shutil
    import subprocess
    from xml.sax.saxutils import escape

    from PySide6.QtCore import QTranslator

    contexts = "".join(
        f"<context><name>{context}</name>"
        + "".join(
            f"<message><source>{escape(source)}</source>"
            f"<translation>{escape(target)}</translation></message>"
            for source, target in pairs.items()
        )
        + "</context>"
        for context, pairs in messages.items()
    )
    ts = folder / "panels_zh_CN.ts"
    ts.write_text(
        f'<?xml version="1.0" encoding="utf-8"?><!DOCTYPE TS><TS version="2.1" '
        f'language="zh_CN">{contexts}</TS>',
        "utf-8",
    )
    beside_python = Path(sys.executable).with_name("pyside6-lrelease")  # the venv's bin
    lrelease = shutil.which("pyside6-lrelease") or str(beside_python)
    subprocess.run([lrelease, str(ts), "-qm", str(folder / "panels_zh_CN.qm")], check=True)
    translator = QTranslator()
    assert translator.load(str(folder / "panels_zh_CN.qm"))
    QCoreApplication.installTranslator(translator)
    return translator


@pytest.mark.slow
def test_panels_follow_a_language_change_and_keep_their_data(
    qtbot: QtBot, tmp_path: Path, deep_causal_run: object
) -> None:
    from inspector.core.model_run import ModelRun
    from inspector.gui.widgets.hidden_state_panel import HiddenStatePanel
    from inspector.gui.widgets.lens_panel import LensPanel

    run = deep_causal_run
    assert isinstance(run, ModelRun)
    hidden = shown(qtbot, HiddenStatePanel(), 900, 400)
    lens = shown(qtbot, LensPanel(), 900, 400)
    idle = shown(qtbot, LensPanel(), 900, 400)
    hidden.set_run(run)
    lens.set_run(run)
    lens.set_selected_token(int(run.positions[2]))
    shown_values = hidden.heatmap.values.copy()
    assert hidden.captions["scale"].text() == "Colour scale"
    translator = _install_catalogue(
        tmp_path,
        {
            "HiddenStatePanel": {"Colour scale": "颜色刻度", "log": "对数"},
            "LensPanel": {
                "Run a causal language model to see the next-token lens.": "运行因果语言模型。"
            },
            "Heatmap": {"Export": "导出"},
        },
    )
    try:
        qtbot.waitUntil(lambda: hidden.captions["scale"].text() == "颜色刻度")
        assert hidden.scale_box.currentText() == "对数" and hidden.current_scale() == LOG
        assert idle.message.text() == "运行因果语言模型。"
        np.testing.assert_array_equal(hidden.heatmap.values, shown_values)  # the run stays
        assert hidden.run is run and lens.run is run and lens.position == 2
    finally:
        QCoreApplication.removeTranslator(translator)  # type: ignore[arg-type]
    qtbot.waitUntil(lambda: hidden.captions["scale"].text() == "Colour scale")
