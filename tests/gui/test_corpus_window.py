"""The corpus window driven with pytest-qt: a real LocalCluster, real tokenizers, no mocks."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import psutil
import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from inspector.gui.corpus_window import TABLE_COLUMNS, CorpusWindow
from tests.core.test_corpus import build_corpus, check_totals
from tests.gui.conftest import shown
from tests.gui.language import english_after  # noqa: F401 (autouse: English after each test)

pytestmark = pytest.mark.slow  # real Dask clusters: seconds each
SCREENSHOTS = (
    Path(os.environ.get("CORPUS_SCREENSHOTS", "")) if os.environ.get("CORPUS_SCREENSHOTS") else None
)


@pytest.fixture()
def window(qtbot: QtBot, catalog: Any) -> CorpusWindow:
    return shown(qtbot, CorpusWindow(catalog, ["gpt2", "mistral-v1"]), 1200, 820)


def _children() -> set[int]:
    """Our child processes, less multiprocessing's resource tracker (one per process, kept)."""
    return {
        p.pid
        for p in psutil.Process().children(recursive=True)
        if "resource_tracker" not in " ".join(p.cmdline())
    }


def test_run_fills_table_and_plots_and_exports_like_the_cli(
    qtbot: QtBot, window: CorpusWindow, tmp_path: Path
) -> None:
    before = _children()
    docs = build_corpus(tmp_path / "corpus")
    assert window.checked_tokenizers() == ["gpt2", "mistral-v1"]  # the window's current set
    window.add_paths([tmp_path / "corpus"])
    window.workers.setValue(2)
    updates: list[Any] = []
    window.progressed.connect(updates.append)
    # The GUI thread keeps serving events while the cluster counts: a zero-interval timer
    # ticks while the run is in flight (it could not if the Dask client ran on this thread).
    ticks_while_running: list[bool] = []
    heartbeat = QTimer(window)
    heartbeat.timeout.connect(lambda: ticks_while_running.append(window.is_running()))
    with qtbot.waitSignal(window.finished, timeout=180_000) as done:
        assert window.start()
        assert window.is_running() and window.cancel_button.isEnabled()
        heartbeat.start(0)
    heartbeat.stop()
    assert any(ticks_while_running)
    report = done.args[0]
    check_totals(report, docs)
    assert updates and updates[-1].input_bytes == updates[-1].total_bytes
    groups = len(report["corpus"]["groups"]) + 1  # and (all)
    assert window.model.rowCount() == 2 * groups
    assert window.plots.bar_count(0) == 2 * (groups - 1)
    assert window.plots.bar_count(2) == 2

    tokens = TABLE_COLUMNS.index("tokens")
    window.table.sortByColumn(tokens, Qt.SortOrder.DescendingOrder)
    first = window.proxy.index(0, tokens).data(Qt.ItemDataRole.UserRole)
    assert first == max(s["tokens"] for s in report["tokenizers"])
    window.copy_table()
    copied = QGuiApplication.clipboard().text().splitlines()
    assert copied[0].split("\t") == list(TABLE_COLUMNS)
    assert len(copied) == 1 + 2 * groups

    window.export_to(tmp_path / "out.json")
    assert json.loads((tmp_path / "out.json").read_text("utf-8")) == json.loads(json.dumps(report))
    window.export_to(tmp_path / "out.html")
    assert (tmp_path / "out.html").read_text("utf-8").count("<svg") == 3
    if SCREENSHOTS is not None:
        _screenshots(qtbot, window, SCREENSHOTS)
    assert window.runner.wait(60_000)
    psutil.wait_procs([psutil.Process(p) for p in _children() - before], timeout=60)
    assert _children() <= before  # the cluster's processes are gone


def _screenshots(qtbot: QtBot, window: CorpusWindow, folder: Path) -> None:
    """Light and dark palettes, the table and the plots tabs."""
    folder.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance()
    light = app.palette()
    for name, palette in (("light", light), ("dark", _dark_palette())):
        app.setPalette(palette)
        window_color = palette.color(QPalette.ColorRole.Window)
        qtbot.waitUntil(
            lambda c=window_color: window.palette().color(QPalette.ColorRole.Window) == c
        )
        for tab in (0, 1):
            window.tabs.setCurrentIndex(tab)
            qtbot.waitUntil(lambda t=tab: window.tabs.currentIndex() == t)
            window.grab().save(str(folder / f"corpus-window-{name}-{tab}.png"))
    app.setPalette(light)
    window.tabs.setCurrentIndex(0)


def _dark_palette() -> QPalette:
    """A complete dark palette (active, inactive and disabled; placeholder text too)."""
    palette = QPalette()
    roles = QPalette.ColorRole
    colors = {
        roles.Window: "#2B2B2B",
        roles.WindowText: "#F2F2F2",
        roles.Base: "#1E1E1E",
        roles.AlternateBase: "#262626",
        roles.Text: "#F2F2F2",
        roles.Button: "#3A3A3A",
        roles.ButtonText: "#F2F2F2",
        roles.Highlight: "#2F65CA",
        roles.HighlightedText: "#FFFFFF",
        roles.PlaceholderText: "#9A9A9A",
        roles.ToolTipBase: "#2B2B2B",
        roles.ToolTipText: "#F2F2F2",
        roles.Light: "#505050",
        roles.Midlight: "#444444",
        roles.Mid: "#333333",
        roles.Dark: "#191919",
        roles.Shadow: "#000000",
    }
    for role, color in colors.items():
        palette.setColor(role, QColor(color))
    for role in (roles.WindowText, roles.Text, roles.ButtonText):
        palette.setColor(QPalette.ColorGroup.Disabled, role, QColor("#7A7A7A"))
    return palette


def _big_corpus(tmp_path: Path) -> Path:
    """~40 MB of JSONL: minutes on two workers, so a run is still under way when stopped."""
    corpus = tmp_path / "big"
    corpus.mkdir()
    line = json.dumps({"text": "Ein ziemlich langer Satz, immer wieder. " * 50}) + "\n"
    (corpus / "a.jsonl").write_text(line * 20_000, "utf-8")
    return corpus


def test_cancel_stops_the_cluster_and_keeps_the_window_usable(
    qtbot: QtBot, window: CorpusWindow, tmp_path: Path
) -> None:
    before = _children()
    corpus = _big_corpus(tmp_path)
    window.add_paths([corpus])
    window.workers.setValue(2)
    window.set_checked_tokenizers(["gpt2"])
    with qtbot.waitSignal(window.progressed, timeout=180_000):
        assert window.start()
    window.cancel_button.click()
    # Said as it is: stopping until the job has stopped its cluster, then stopped.
    assert window.status.text() == "Cancelling…" and not window.cancel_button.isEnabled()
    assert not window.run_button.isEnabled()
    qtbot.waitUntil(lambda: "Cancelled" in window.status.text(), timeout=120_000)
    assert not window.is_running() and window.run_button.isEnabled()
    assert window.runner.wait(120_000)  # the job stopped its cluster and returned
    psutil.wait_procs([psutil.Process(p) for p in _children() - before], timeout=60)
    assert _children() <= before


def test_closing_mid_run_returns_at_once_and_the_run_stops_behind_it(
    qtbot: QtBot, catalog: Any, tmp_path: Path
) -> None:
    from inspector.gui.corpus_window import CHANNEL

    before = _children()
    corpus = _big_corpus(tmp_path)
    window = CorpusWindow(catalog, ["gpt2"])  # as File opens it: deleted on close
    window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    window.add_paths([corpus])
    window.workers.setValue(2)
    window.show()
    with qtbot.waitSignal(window.progressed, timeout=180_000):
        assert window.start()
    gone: list[bool] = []
    window.destroyed.connect(lambda: gone.append(True))
    window.close()  # returns without waiting for the cluster: only hidden until it stops
    assert not window.isVisible() and window.runner.active(CHANNEL) == 1
    qtbot.waitUntil(lambda: bool(gone), timeout=120_000)  # then closed for good
    psutil.wait_procs([psutil.Process(p) for p in _children() - before], timeout=60)
    assert _children() <= before


def test_opened_before_a_tokenizer_loaded_presets_the_default(catalog: Any) -> None:
    from inspector.core.catalog import DEFAULT_TOKENIZER

    window = CorpusWindow(catalog, [""])
    try:
        assert window.checked_tokenizers() == [DEFAULT_TOKENIZER]
    finally:
        window.deleteLater()


def test_bad_choices_say_so_without_running(
    qtbot: QtBot, window: CorpusWindow, tmp_path: Path
) -> None:
    assert not window.start()
    assert "Add at least one" in window.status.text()
    window.add_paths([tmp_path])
    window.set_checked_tokenizers([])
    assert not window.start()
    assert "Pick 1 to 8" in window.status.text()
    window.set_checked_tokenizers([])
    window.extra_tokenizer.setText("gpt2")
    qtbot.keyClick(window.extra_tokenizer, Qt.Key.Key_Return)  # typed: checked, not duplicated
    assert window.checked_tokenizers() == ["gpt2"]
    assert len(window.tokenizers.findItems("gpt2", Qt.MatchFlag.MatchExactly)) == 1
    window.workers.setValue(1)
    with qtbot.waitSignal(window.failed, timeout=120_000) as failed:
        assert window.start()
    assert "the corpus is empty" in failed.args[0]
    assert window.runner.wait(60_000)


def test_file_menu_opens_the_window_with_the_current_tokenizer(qtbot: QtBot, catalog: Any) -> None:
    from inspector.gui.main_window import MainWindow

    main = MainWindow(catalog)
    qtbot.addWidget(main)
    main.show()
    qtbot.waitUntil(lambda: main.result is not None, timeout=60_000)
    file_menu = main.menuBar().actions()[0].menu()
    action = next(a for a in file_menu.actions() if "corpus" in a.text())
    action.trigger()
    window = next(w for w in main.findChildren(CorpusWindow))  # a child: deleted on close
    assert window.isVisible()
    assert window.checked_tokenizers() == [main.tokenizer_name]
    window.close()


def test_follows_a_language_switch(qtbot: QtBot, window: CorpusWindow) -> None:
    from inspector.gui import i18n

    assert window.run_button.text() == "Run"
    assert i18n.translations().install("zh_CN")
    qtbot.waitUntil(lambda: window.run_button.text() == "运行")
    assert window.windowTitle() == "在语料库上比较 — Token Inspector"
    assert window.tabs.tabText(1) == "图表"
    assert window.status.text() == "添加文件或文件夹，选择分词器，然后点“运行”。"
    i18n.translations().install("en")
    qtbot.waitUntil(lambda: window.run_button.text() == "Run")


def _many_bins_report() -> dict[str, Any]:
    """A report as build_report makes it, trimmed to what the plots read: two tokenizers, a
    histogram up to 256k tokens per document (20 bins), a tiny vocabulary share."""
    bins = [{"min": 0, "max": 0, "documents": 1}, {"min": 1, "max": 1, "documents": 2}]
    bins += [{"min": 2**k, "max": 2 ** (k + 1) - 1, "documents": k} for k in range(1, 19)]
    sections = [
        {
            "id": name,
            "groups": [{"name": "en", "tokens_per_1k_characters": 250.0}],
            "tokens_per_document": {"histogram": bins},
            "vocabulary_share": 0.0048,
        }
        for name in ("gpt2", "<b>bold</b>")
    ]
    return {"corpus": {"groups": [{"name": "en"}]}, "tokenizers": sections}


def test_plots_labels_fit_axes_read_plain_numbers_and_legend_is_outside(
    qtbot: QtBot,
) -> None:
    from inspector.core.corpus.exports import chart_series
    from inspector.gui.widgets.corpus_plots import LABEL_PX, CorpusPlots

    plots = shown(qtbot, CorpusPlots(), 700, 600)
    plots.set_charts(chart_series(_many_bins_report()))
    labels = plots.tick_labels(1)
    assert any("k–" in label for label in labels) and max(map(len, labels)) <= 9  # "1k–2k"
    assert len(labels) * LABEL_PX <= plots.views[1].width()  # no two labels overlap
    plots.resize(1400, 600)
    qtbot.waitUntil(lambda: len(plots.tick_labels(1)) > len(labels))  # wider: more labels
    vocabulary = plots.views[2].getPlotItem().getAxis("left")
    assert not vocabulary.autoSIPrefix and "x0.001" not in vocabulary.labelString()
    for view in plots.views:  # the one legend is a label above the plots, none inside them
        assert view.getPlotItem().legend is None
    assert "&lt;b&gt;bold&lt;/b&gt;" in plots.legend.text()  # a name is never live markup
