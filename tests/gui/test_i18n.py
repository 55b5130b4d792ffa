"""The Chinese UI: .ts in step with the code, .qm with the .ts, and switching at run time."""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from types import ModuleType

from PySide6.QtCore import QCoreApplication, Qt, QTranslator
from PySide6.QtWidgets import QDialogButtonBox, QMenu, QWidget
from pytestqt.qtbot import QtBot

from inspector.gui import i18n
from inspector.gui.decode_ids_dialog import DecodeIdsDialog
from inspector.gui.glossary_dialog import GlossaryDialog
from tests.gui.language import english_after  # noqa: F401 (autouse fixture)

ROOT = Path(__file__).resolve().parents[2]


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "update_translations", ROOT / "packaging" / "update_translations.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


update = _script()


def _messages(ts: Path) -> dict[tuple[str, str], ET.Element]:
    root = ET.parse(ts).getroot()
    found = {}
    for context in root.iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            translation = message.find("translation")
            assert translation is not None
            if translation.get("type") in ("obsolete", "vanished"):
                continue
            found[(name, message.findtext("source") or "")] = translation
    return found


def test_ts_is_up_to_date_with_the_code(tmp_path: Path) -> None:
    fresh = tmp_path / "fresh.ts"
    shutil.copy(update.TS_FILE, fresh)
    update.lupdate(fresh)
    committed, current = _messages(update.TS_FILE), _messages(fresh)
    added = sorted(set(current) - set(committed))
    gone = sorted(set(committed) - set(current))
    assert not added and not gone, (
        f"resources/i18n is out of date (run `make translations`): new {added[:5]}, gone {gone[:5]}"
    )


def test_every_string_is_translated() -> None:
    unfinished = [
        key
        for key, translation in _messages(update.TS_FILE).items()
        if translation.get("type") == "unfinished" or not "".join(translation.itertext()).strip()
    ]
    assert not unfinished, f"translate these (resources/i18n/GLOSSARY.md): {unfinished[:8]}"


def test_qm_is_what_lrelease_makes_of_the_ts(tmp_path: Path) -> None:
    """Compared by what Qt reads from it (not bytes: another lrelease may lay it out anew)."""
    fresh = tmp_path / "fresh.qm"
    update.lrelease(update.TS_FILE, fresh)
    committed, released = QTranslator(), QTranslator()
    assert committed.load(str(update.QM_FILE)) and released.load(str(fresh))
    for (context, source), translation in _messages(update.TS_FILE).items():
        expected = "".join(translation.itertext())
        assert released.translate(context, source) == expected
        assert committed.translate(context, source) == expected, (
            f"{context}: {source!r} — the .qm lags the .ts: run `make translations`"
        )


def test_placeholders_survive_translation() -> None:
    for (context, source), translation in _messages(update.TS_FILE).items():
        text = "".join(translation.itertext())
        for placeholder in ("{token}", "{tokenizer}", "{term}", "{total}", "{shown}", "{ids}"):
            assert (placeholder in source) == (placeholder in text), (context, source)


def test_language_follows_the_system_locale() -> None:
    code = "from PySide6.QtCore import QCoreApplication as A; a = A([]); "
    code += "from inspector.gui.i18n import resolve_language as r; print(r(None), r('en'))"
    for lang, expected in (("zh_CN.UTF-8", "zh_CN en"), ("en_GB.UTF-8", "en en")):
        env = {**os.environ, "LANG": lang, "LC_ALL": "", "LC_MESSAGES": "", "LANGUAGE": ""}
        out = subprocess.run(
            [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
        )
        assert out.stdout.split() == expected.split()


def test_normalize_language_names() -> None:
    assert i18n.normalize("zh_CN.UTF-8") == i18n.normalize("zh-cn") == "zh_CN"
    assert i18n.normalize("en_US") == "en"
    assert i18n.normalize("zh_TW") is None  # traditional script: no translation
    assert i18n.normalize("fr") is None
    assert i18n.normalize("") is None


def test_choice_is_remembered_in_the_private_settings(private_settings: Path) -> None:
    assert i18n.resolve_language("zh_CN") == "zh_CN"  # --lang wins and is not saved
    assert i18n.saved_language() is None
    i18n.switch_language("zh_CN")
    assert "language=zh_CN" in (private_settings / "settings.ini").read_text()
    assert i18n.resolve_language(None) == "zh_CN"
    assert i18n.resolve_language("en") == "en"
    i18n.switch_language(None)
    assert i18n.saved_language() is None


def test_switching_at_run_time_retranslates_open_dialogs(qtbot: QtBot, catalog: object) -> None:
    tokenizer = catalog.load("minilm")  # type: ignore[attr-defined]
    decode = DecodeIdsDialog(tokenizer)
    glossary = GlossaryDialog()
    for dialog in (decode, glossary):
        qtbot.addWidget(dialog)
        dialog.show()
    assert decode.windowTitle() == "Decode ids"
    close = glossary.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Close)
    assert close.text() == "Close"

    assert i18n.translations().install("zh_CN")
    qtbot.waitUntil(lambda: decode.windowTitle() == "解码 id")
    assert glossary.windowTitle() == "术语表"
    assert decode.table.model().headerData(1, Qt.Orientation.Horizontal) == "词元"
    assert glossary.glossary.language == "zh_CN"  # the content follows too
    assert glossary.terms.item(7).text() == "特殊词元"
    assert close.text() == "关闭"  # Qt's own strings, from PySide6's qtbase_zh_CN.qm

    i18n.translations().install("en")
    qtbot.waitUntil(lambda: decode.windowTitle() == "Decode ids")
    assert glossary.glossary.language == "en"
    assert close.text() == "Close"


def test_language_menu_switches_and_remembers(qtbot: QtBot, private_settings: Path) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    seen: list[str] = []
    menu = i18n.build_language_menu(parent, seen.append)
    assert isinstance(menu, QMenu)
    names = [action.text() for action in menu.actions()]
    assert names == ["System default", "English", "简体中文"]
    menu.actions()[2].trigger()
    assert seen == ["zh_CN"] and i18n.current_language() == "zh_CN"
    assert i18n.saved_language() == "zh_CN"
    qtbot.waitUntil(lambda: menu.actions()[0].text() == "跟随系统")
    assert menu.title() == "语言(&L)"
    menu.actions()[0].trigger()  # back to the system's language (English here)
    assert i18n.saved_language() is None


def test_install_language_at_start(private_settings: Path) -> None:
    assert i18n.install_language("zh_CN") == "zh_CN"
    assert QCoreApplication.translate("GlossaryDialog", "Glossary") == "术语表"
    assert i18n.install_language("en") == "en"
    assert QCoreApplication.translate("GlossaryDialog", "Glossary") == "Glossary"


def test_strings_translated_ahead_fill_in_when_wrapped(tmp_path: Path) -> None:
    """The window's strings were translated before they went through tr(): once they do,
    `make translations` fills them from the memory instead of leaving them unfinished."""
    gui = tmp_path / "inspector" / "gui"
    gui.mkdir(parents=True)
    (gui / "window.py").write_text(
        "from PySide6.QtWidgets import QWidget\n"
        "class Window(QWidget):\n"
        "    def retranslate(self):\n"
        "        self.tr('&File')\n"
        "        self.tr('Run a model to see its hidden states.')\n"
        "        self.tr('A string nobody translated yet')\n"
    )
    ts = tmp_path / "t.ts"
    update.lupdate(ts, root=tmp_path)
    assert update.fill_from_memory(ts) == 2
    messages = _messages(ts)
    assert "".join(messages[("Window", "&File")].itertext()) == "文件(&F)"
    assert messages[("Window", "A string nobody translated yet")].get("type") == "unfinished"


def test_memory_keeps_accelerators_and_placeholders() -> None:
    import json

    memory = json.loads(update.MEMORY_FILE.read_text("utf-8"))
    for source, translation in memory.items():
        accelerator = "&" in source.replace("&&", "")
        assert accelerator == ("(&" in translation), source
        for mark in ("%p", "%v", "%m", "{", "}"):
            assert source.count(mark) == translation.count(mark), source
