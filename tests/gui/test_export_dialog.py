"""File → Export report…: the current view and the comparison, every format through the core
code the CLI uses, the overwrite question, failures that leave no file, the window's menu."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QMenu, QMessageBox
from pytestqt.qtbot import QtBot

from inspector.core.catalog import Catalog
from inspector.core.compare import preset_sample_text
from inspector.core.encoding import EncodingResult, encode
from inspector.core.report import ReportItem
from inspector.core.settings import EncodeSettings
from inspector.gui import export_dialog
from inspector.gui.export_dialog import (
    ExportDialog,
    ExportSource,
    comparison_source,
    current_view_source,
)
from inspector.gui.main_window import MainWindow
from inspector.gui.widgets.comparison_view import ComparisonPanel
from tests.gui.conftest import shown
from tests.gui.test_comparison_view import settle

TEXT = "Tokenizers see text differently: 🎶 鸟语花香, naïve café"

MINILM_ID = "sentence-transformers/all-MiniLM-L6-v2"


@pytest.fixture(scope="module")
def minilm_result(catalog: Catalog) -> EncodingResult:
    return encode(catalog.load("minilm"), TEXT, EncodeSettings())


@pytest.fixture
def comparison(qtbot: QtBot, catalog: Catalog, tmp_path: Path) -> Iterator[ExportSource]:
    """A real comparison from the panel: three tokenizers and one broken row."""
    panel = shown(qtbot, ComparisonPanel(catalog), 1000, 700)
    panel.set_text(TEXT)
    panel.set_rows(["minilm", "gpt2", "qwen2.5", str(tmp_path / "missing" / "tokenizer.json")])
    compared = settle(qtbot, panel)
    source = comparison_source(compared.text, compared.pair, panel.settings(), panel.report_items())
    assert source is not None
    yield source
    assert panel.shutdown(10_000)


def make_dialog(qtbot: QtBot, sources: list[ExportSource]) -> ExportDialog:
    dialog = ExportDialog(sources)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def export(qtbot: QtBot, dialog: ExportDialog, path: Path, fmt: str) -> None:
    dialog.set_format(fmt)
    dialog.set_path(path)
    with qtbot.waitSignal(dialog.exported, timeout=60_000) as signal:
        dialog.export_button.click()
    assert signal.args == [path]


def strip_token_counts(html_text: str) -> dict[str, int]:
    strips = re.findall(r'<div class="strip" data-tokenizer="([^"]+)">(.*?)</div>', html_text, re.S)
    return {name: body.count('<span class="tok ') for name, body in strips}


# ------------------------------------------------------------------ formats


def test_current_view_to_json_parses_back(
    qtbot: QtBot, minilm_result: EncodingResult, tmp_path: Path
) -> None:
    source = current_view_source("minilm", minilm_result)
    assert source is not None and not source.comparison
    dialog = make_dialog(qtbot, [source])
    path = tmp_path / "view.json"
    export(qtbot, dialog, path, "json")
    report = json.loads(path.read_text("utf-8"))
    assert report["text"] == TEXT
    (section,) = report["tokenizers"]
    assert section["requested"] == "minilm"
    assert [t["id"] for t in section["tokens"]] == minilm_result.ids
    assert section["fingerprint"] == minilm_result.tokenizer.fingerprint
    assert "comparison" not in report
    assert report["environment"]["token_inspector"]
    assert not dialog.isVisible()  # done: the dialog closes


def test_comparison_to_html_json_csv_md(
    qtbot: QtBot, comparison: ExportSource, minilm_result: EncodingResult, tmp_path: Path
) -> None:
    view = current_view_source("minilm", minilm_result)
    assert view is not None
    outputs: dict[str, Path] = {}
    for fmt in ("json", "html", "csv", "md"):
        dialog = make_dialog(qtbot, [view, comparison])
        assert dialog.source() is comparison  # the comparison is offered first when there
        outputs[fmt] = tmp_path / f"comparison.{fmt}"
        export(qtbot, dialog, outputs[fmt], fmt)
    report = json.loads(outputs["json"].read_text("utf-8"))
    sections = report["tokenizers"]
    assert [s.get("requested", s["id"]) for s in sections][:3] == [
        "sentence-transformers/all-MiniLM-L6-v2",
        "gpt2",
        "qwen2.5",
    ]
    assert "no such file" in sections[3]["error"]
    assert len(report["comparison"]["rows"]) == 4
    counts = {s["id"]: len(s["tokens"]) for s in sections if "error" not in s}
    # HTML: one token element per token of each tokenizer, no external resource.
    html_text = outputs["html"].read_text("utf-8")
    assert strip_token_counts(html_text) == counts
    assert not re.search(r'(src|href)="(https?:)?//', html_text)
    # CSV: one row per token per tokenizer.
    rows = list(csv.DictReader(io.StringIO(outputs["csv"].read_text("utf-8"))))
    per_tokenizer: dict[str, int] = {}
    for row in rows:
        per_tokenizer[row["tokenizer"]] = per_tokenizer.get(row["tokenizer"], 0) + 1
    assert per_tokenizer == counts
    # Markdown: the summary table names every tokenizer with its token count.
    markdown = outputs["md"].read_text("utf-8")
    for name, count in counts.items():
        assert re.search(rf"\| {re.escape(name)} \|.*\| {count} \|", markdown), name


def test_pictures_and_pdf(qtbot: QtBot, comparison: ExportSource, tmp_path: Path) -> None:
    dialog = make_dialog(qtbot, [comparison])
    png = tmp_path / "strips.png"
    export(qtbot, dialog, png, "png")
    image = QImage(str(png))
    assert not image.isNull() and image.width() > 200 and image.height() > 50
    dialog = make_dialog(qtbot, [comparison])
    svg = tmp_path / "strips.svg"
    export(qtbot, dialog, svg, "svg")
    assert "<svg" in svg.read_text("utf-8")
    dialog = make_dialog(qtbot, [comparison])
    pdf = tmp_path / "report.pdf"
    export(qtbot, dialog, pdf, "pdf")
    assert pdf.read_bytes().startswith(b"%PDF")
    try:
        text = subprocess.run(
            ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
        ).stdout
    except FileNotFoundError:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    for item in comparison.items:
        if item.result is not None:
            assert str(item.result.stats.tokens) in text


# ------------------------------------------------------------------ overwrite and failures


def test_asks_before_replacing_a_file(
    qtbot: QtBot,
    minilm_result: EncodingResult,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    out = tmp_path / "out"  # tmp_path also holds the test's settings folder
    out.mkdir()
    path = out / "report.json"
    path.write_text("my own notes", "utf-8")
    answers = [QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes]
    asked: list[str] = []

    def question(_parent: Any, _title: str, text: str, *_args: Any) -> Any:
        asked.append(text)
        return answers.pop(0)

    monkeypatch.setattr(export_dialog.QMessageBox, "question", question)
    source = current_view_source("minilm", minilm_result)
    assert source is not None
    dialog = make_dialog(qtbot, [source])
    dialog.set_format("json")
    dialog.set_path(path)
    dialog.export_button.click()  # answered No
    assert path.read_text("utf-8") == "my own notes"
    assert "kept" in dialog.message.text() and not dialog.is_busy()
    with qtbot.waitSignal(dialog.exported, timeout=60_000):
        dialog.export_button.click()  # answered Yes
    assert len(asked) == 2 and "report.json" in asked[0]
    assert json.loads(path.read_text("utf-8"))["tokenizers"][0]["requested"] == "minilm"
    assert [p.name for p in out.iterdir()] == ["report.json"]  # no temporary left


def test_a_failed_export_says_so_and_leaves_no_file(
    qtbot: QtBot, minilm_result: EncodingResult, tmp_path: Path
) -> None:
    source = current_view_source("minilm", minilm_result)
    assert source is not None
    dialog = make_dialog(qtbot, [source])
    dialog.set_format("html")
    out = tmp_path / "out"  # tmp_path also holds the test's settings folder
    out.mkdir()
    # A name the file system refuses: caught before any work, one plain line.
    dialog.set_path(out / ("r" * 300 + ".html"))
    with qtbot.waitSignal(dialog.failed, timeout=10_000) as signal:
        dialog.export_button.click()
    assert "could not use" in signal.args[0] and "\n" not in signal.args[0]
    assert "Export failed" in dialog.message.text() and dialog.isVisible()
    # A folder or a missing folder is caught before anything is written.
    dialog.set_path(out)
    dialog.export_button.click()
    assert "is a folder" in dialog.message.text()
    dialog.set_path(out / "no" / "such" / "dir" / "r.json")
    dialog.export_button.click()
    assert "does not exist" in dialog.message.text()
    assert list(out.iterdir()) == []
    # A folder nobody can write in (not even root: /proc): the worker's write fails.
    proc = Path("/proc")
    if not proc.is_dir():
        pytest.skip("no /proc on this system")
    dialog.set_path(proc / "token-report.html")
    with qtbot.waitSignal(dialog.failed, timeout=60_000) as signal:
        dialog.export_button.click()
    assert signal.args[0].startswith("could not write token-report.html")
    assert "\n" not in signal.args[0] and not dialog.is_busy()
    assert dialog.export_button.isEnabled()
    assert not (proc / "token-report.html").exists()


def test_browse_and_format_keep_the_suffix(
    qtbot: QtBot, minilm_result: EncodingResult, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = current_view_source("minilm", minilm_result)
    assert source is not None
    dialog = make_dialog(qtbot, [source])
    dialog.set_format("md")
    chosen = tmp_path / "chosen"

    def save_name(*_args: Any, **_kwargs: Any) -> tuple[str, str]:
        return str(chosen), "MD (*.md)"

    monkeypatch.setattr(export_dialog.QFileDialog, "getSaveFileName", save_name)
    dialog._browse()
    assert dialog.path() == tmp_path / "chosen.md"
    dialog.set_format("csv")
    assert dialog.path() == tmp_path / "chosen.csv"


def test_nothing_to_export(qtbot: QtBot) -> None:
    dialog = make_dialog(qtbot, [])
    assert not dialog.export_button.isEnabled()
    assert "Nothing to export" in dialog.message.text()
    assert current_view_source("x", None) is None
    assert comparison_source("t", None, EncodeSettings(), [ReportItem("a", None, "e")]) is None


# ------------------------------------------------------------------ the window


def test_window_menu_exports_the_current_view(
    qtbot: QtBot, catalog: Catalog, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = MainWindow(catalog, tokenizer="gpt2", text=TEXT)
    shown(qtbot, window, 1200, 800)
    qtbot.waitUntil(lambda: window.result is not None, timeout=60_000)
    menus = [m.menu() for m in window.menuBar().actions()]
    action = next(
        a
        for menu in menus
        if isinstance(menu, QMenu)
        for a in menu.actions()
        if a.text().replace("&", "") == "Export report…"
    )
    assert action.shortcut().toString() == "Ctrl+E"
    opened: list[ExportDialog] = []
    monkeypatch.setattr(ExportDialog, "open", lambda self: opened.append(self))
    action.trigger()
    (dialog,) = opened
    qtbot.addWidget(dialog)
    assert len(dialog.sources) == 1  # no comparison yet
    (item,) = dialog.sources[0].items
    assert item.result is window.result and item.requested == "gpt2"
    # With a comparison in the Compare dock, it is offered too (and first).
    window.comparison.show_panel()
    panel = window.comparison.panel
    qtbot.waitUntil(lambda: panel.isVisible())
    qtbot.waitUntil(lambda: panel.text() == TEXT)  # the dock follows the window's text
    panel.set_rows(["gpt2", "o200k_base"])
    compared = settle(qtbot, panel)
    assert compared.text == TEXT
    action.trigger()
    dialog = opened[-1]
    qtbot.addWidget(dialog)
    assert [s.comparison for s in dialog.sources] == [False, True]
    assert dialog.source() is dialog.sources[1]
    path = tmp_path / "window.json"
    export(qtbot, dialog, path, "json")
    report = json.loads(path.read_text("utf-8"))
    assert [s["id"] for s in report["tokenizers"]] == ["gpt2", "o200k_base"]
    # The classic preset from the window's dock, on the sample text.
    panel.preset_button.click()
    assert settle(qtbot, panel).text == preset_sample_text()


@pytest.mark.slow
def test_window_export_carries_the_model_run(
    qtbot: QtBot, catalog: Catalog, tmp_path: Path
) -> None:
    """Run the real MiniLM in the window, then export the view: the JSON has its section."""
    window = MainWindow(catalog, tokenizer="minilm", text="Where is the station?")
    shown(qtbot, window, 1200, 800)
    qtbot.waitUntil(lambda: window.result is not None, timeout=60_000)
    docks = window.model_docks
    docks.request_run()
    qtbot.waitUntil(
        lambda: docks.run is not None and docks.run.result is window.result, timeout=180_000
    )
    dialog = window.export_report()
    qtbot.addWidget(dialog)
    (source,) = dialog.sources
    assert source.model_run is docks.run and "model" in source.title
    path = tmp_path / "with-model.json"
    export(qtbot, dialog, path, "json")
    section = json.loads(path.read_text("utf-8"))["tokenizers"][0]
    model = section["model"]
    assert model["model"] == docks.run.output.info.name  # type: ignore[union-attr]
    assert model["tokens"] == len(section["tokens"])
    assert model["layers"] == 6
    # the CLI's section builder: the tokenizer read with and the fed tokens' display strings
    assert model["tokenizer"] == MINILM_ID
    assert model["token_strings"] == list(docks.run.labels)  # type: ignore[union-attr]
