"""Core's words where the window shows them, in the window's language: load errors in the banner
and the model bar, round-trip kinds in the status line, token explanations in the strip's
tooltip, the corpus table's headers and plots, the model descriptions.

The strings new in this change are not in the committed .qm until the translations are
regenerated: each test installs, next to the app's Chinese, a real translator that lrelease
makes here from the pairs it needs.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, Qt, QTranslator
from pytestqt.qtbot import QtBot

from inspector.core import catalog_titles, load_messages
from inspector.core.catalog import Catalog
from inspector.core.corpus.results import ALL_GROUPS
from inspector.core.encoding import encode
from inspector.core.models import model_entry
from inspector.core.settings import EncodeSettings
from inspector.gui import i18n
from inspector.gui.catalog_picker import CatalogPicker
from inspector.gui.corpus_window import TABLE_COLUMNS, CorpusWindow
from inspector.gui.jobs import JobRunner
from inspector.gui.main_window import MainWindow
from inspector.gui.model_service import ModelService
from inspector.gui.widgets.chat_strip import ChatStrip
from inspector.gui.widgets.model_bar import ModelBar
from inspector.gui.widgets.strip_layout import strip_words, tooltip_text
from inspector.gui.widgets.token_strip import TokenStrip
from tests.core import raw
from tests.gui.language import english_after  # noqa: F401 (autouse fixture)
from tests.gui.test_i18n import update

CJK = re.compile(r"[\u4e00-\u9fff]")
MINILM_TITLE = model_entry("all-MiniLM-L6-v2").title  # type: ignore[union-attr]
PAIRS: dict[tuple[str, str], str] = {
    ("Message", load_messages.NO_SUCH_PATH): "没有这个文件或文件夹：{0}",
    ("Message", "no such model folder: {0}"): "没有这个模型文件夹：{0}",
    ("RoundTripKind", "lowercasing"): "转为小写",
    ("StatusLine", "{0} ({1})"): "{0}（{1}）",
    ("CorpusWindow", "Documents"): "文档数",
    ("CorpusWindow", "CSV column: {0}"): "CSV 列：{0}",
    ("CorpusWindow", "by folder"): "按文件夹",
    ("CorpusWindow", "(all)"): "（全部）",
    ("CorpusChart", "Tokens per 1k characters, by group"): "每千字符的词元数（按分组）",
    ("CorpusChart", "vocabulary used"): "词表使用率",
    ("ModelEntry", MINILM_TITLE): "all-MiniLM-L6-v2（BERT 编码器）",
    ("CatalogEntry", catalog_titles.GPT2): "GPT-2（字节级 BPE）",
}


def _qm(pairs: dict[tuple[str, str], str], folder: Path) -> Path:
    root = ET.Element("TS", version="2.1", language="zh_CN")
    for (context, source), translation in pairs.items():
        node = ET.SubElement(root, "context")
        ET.SubElement(node, "name").text = context
        message = ET.SubElement(node, "message")
        ET.SubElement(message, "source").text = source
        ET.SubElement(message, "translation").text = translation
    ts = folder / "zh2_test.ts"
    ET.ElementTree(root).write(ts, encoding="utf-8", xml_declaration=True)
    update.lrelease(ts, ts.with_suffix(".qm"))
    return ts.with_suffix(".qm")


@pytest.fixture
def chinese(tmp_path: Path) -> Iterator[None]:
    """The app's Chinese plus this change's new pairs (English again afterwards)."""
    extra = QTranslator()
    assert extra.load(str(_qm(PAIRS, tmp_path)))
    assert i18n.translations().install("zh_CN")
    QCoreApplication.installTranslator(extra)
    yield
    QCoreApplication.removeTranslator(extra)


def test_a_load_error_reaches_the_window_translated(
    qtbot: QtBot, catalog: Catalog, chinese: None, tmp_path: Path
) -> None:
    runner = JobRunner()
    missing = str(tmp_path / "nope.json")
    with qtbot.waitSignal(runner.failed, timeout=30_000) as failed:
        runner.submit("t", lambda name, cancel: catalog.load(name), missing)
    assert failed.args[2] == f"没有这个文件或文件夹：{missing}"
    runner.shutdown()


def test_the_model_bar_says_a_model_error_and_describes_models_in_chinese(
    qtbot: QtBot, catalog: Catalog, chinese: None
) -> None:
    service = ModelService(catalog)
    bar = ModelBar(service)
    qtbot.addWidget(bar)
    tip = bar.model_box.itemData(
        bar.model_box.findData("all-MiniLM-L6-v2"), Qt.ItemDataRole.ToolTipRole
    )
    assert tip == "all-MiniLM-L6-v2（BERT 编码器）"
    service.load("./no/such/model")
    qtbot.waitUntil(
        lambda: "没有这个模型文件夹：./no/such/model" in bar.message.text(), timeout=30_000
    )
    assert CJK.search(bar.message.text().split("：")[0])  # "Could not load the model" too
    service.shutdown()


def test_status_line_kinds_follow_a_language_switch(
    qtbot: QtBot, catalog: Catalog, tmp_path: Path
) -> None:
    window = MainWindow(catalog, tokenizer=raw.MINILM, text="Hello World", persist=False)
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: window.result is not None, timeout=60_000)
    trip, tokens = window.status.trip, window.status.tokens
    assert "(lowercasing)" in trip.text() and "tokens ·" in tokens.text()
    extra = QTranslator()
    assert extra.load(str(_qm(PAIRS, tmp_path)))
    QCoreApplication.installTranslator(extra)
    try:
        assert i18n.translations().install("zh_CN")
        qtbot.waitUntil(lambda: "（转为小写）" in trip.text())  # no new encode needed
        assert "个词元" in tokens.text() and window.status.cancel.text() == "取消"
    finally:
        QCoreApplication.removeTranslator(extra)


def test_strip_tooltip_explains_in_chinese(catalog: Catalog, chinese: None) -> None:
    result = encode(catalog.load(raw.MINILM), "tokenizers", EncodeSettings())
    index = next(i for i in range(len(result.columns)) if result.token(i).token.startswith("##"))
    english = result.token(index).explanation
    assert english and not CJK.search(english)
    text = tooltip_text(result, index, 0, "")
    assert english not in text
    assert CJK.search(text.rsplit("<br>", 1)[-1])  # the explanation line


def test_corpus_headers_groups_and_plots_translated(
    qtbot: QtBot, catalog: Catalog, chinese: None
) -> None:
    window = CorpusWindow(catalog, ["gpt2"])
    qtbot.addWidget(window)
    column = TABLE_COLUMNS.index("documents")
    header = window.model.horizontalHeaderItem(column)
    assert header.text() == "文档数" and header.toolTip() == "CSV 列：documents"
    assert window.table_text().splitlines()[0] == "\t".join(TABLE_COLUMNS)  # copy: field names
    assert window.group_by.currentText() == "按文件夹" and window.group_field() == "dir"
    window.group_by.setEditText("lang")
    assert window.group_field() == "lang"
    window.group_by.setEditText("my_field")
    assert window.group_field() == "my_field"
    report = {
        "corpus": {"groups": [{"name": ALL_GROUPS}, {"name": "zh"}]},
        "tokenizers": [
            {
                "id": "gpt2",
                "groups": [{"tokens_per_1k_characters": 900}, {"tokens_per_1k_characters": 700}],
                "tokens_per_document": {"histogram": [{"min": 1, "max": 7, "documents": 2}]},
                "vocabulary_share": 0.001,
            }
        ],
    }
    per_group, _histogram, vocabulary = window._translated_charts(report)
    assert per_group["title"] == "每千字符的词元数（按分组）"
    assert per_group["categories"] == ["（全部）", "zh"]
    assert vocabulary["categories"] == ["词表使用率"]


def test_strip_words_follow_the_language_in_a_subclass_too(qtbot: QtBot) -> None:
    """The strip's words are looked up under "TokenStrip" (a ChatStrip's tr would not)."""
    strip, chat = TokenStrip(), ChatStrip()
    qtbot.addWidget(strip)
    qtbot.addWidget(chat)
    assert strip.accessibleName() == "Token strip"
    assert i18n.translations().install("zh_CN")
    qtbot.waitUntil(lambda: strip.accessibleName() == "词元条")
    assert strip_words("empty") == "没有词元"


def test_picker_describes_catalog_tokenizers_in_the_language(
    qtbot: QtBot, catalog: Catalog, tmp_path: Path
) -> None:
    picker = CatalogPicker(catalog)
    qtbot.addWidget(picker)
    tip = Qt.ItemDataRole.ToolTipRole
    assert picker.itemData(picker.findData("gpt2"), tip) == catalog_titles.GPT2
    extra = QTranslator()
    assert extra.load(str(_qm(PAIRS, tmp_path)))
    QCoreApplication.installTranslator(extra)  # sends the language change
    try:
        qtbot.waitUntil(
            lambda: picker.itemData(picker.findData("gpt2"), tip) == "GPT-2（字节级 BPE）"
        )
    finally:
        QCoreApplication.removeTranslator(extra)
    qtbot.waitUntil(lambda: picker.itemData(picker.findData("gpt2"), tip) == catalog_titles.GPT2)
