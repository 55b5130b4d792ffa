#!/usr/bin/env python3
"""Refresh the Chinese translation from the code: lupdate → .ts, then lrelease → .qm.

    python packaging/update_translations.py          # or: make translations

lupdate reads every ``self.tr`` / ``QCoreApplication.translate`` in inspector/gui and every
``QT_TRANSLATE_NOOP`` in inspector/core (core defines its own no-op of that name, so it stays
Qt-free) into resources/i18n/token_inspector_zh_CN.ts, keeping the translations already there.
New strings whose English is in resources/i18n/translation_memory_zh_CN.json (the window's
strings translated ahead, before they were wrapped in tr()) are filled from it; the others
come in as ``type="unfinished"``. Translate them (Qt Linguist:
``pyside6-linguist resources/i18n/token_inspector_zh_CN.ts``, or edit the XML), following
resources/i18n/GLOSSARY.md, then run this again so the .qm matches.
tests/gui/test_i18n.py fails while the .ts lags the code or the .qm lags the .ts.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TS_FILE = ROOT / "resources" / "i18n" / "token_inspector_zh_CN.ts"
QM_FILE = TS_FILE.with_suffix(".qm")
MEMORY_FILE = TS_FILE.parent / "translation_memory_zh_CN.json"
CORE_MARKER = "QT_TRANSLATE_NOOP("
# No line numbers in the .ts: six branches moving code would otherwise conflict on every merge.
LUPDATE_OPTIONS = ("-no-obsolete", "-locations", "none", "-target-language", "zh_CN")


def tool(name: str) -> str:
    """pyside6-<name> from this Python's environment, else from PATH."""
    beside = Path(sys.executable).parent / f"pyside6-{name}"
    if beside.is_file():
        return str(beside)
    found = shutil.which(f"pyside6-{name}")
    if found is None:
        raise SystemExit(f"pyside6-{name} not found: install PySide6 (PySide6-Essentials ships it)")
    return found


def sources(root: Path = ROOT) -> list[Path]:
    """The files lupdate reads: all of inspector/gui, and core files that mark strings."""
    gui = sorted((root / "inspector" / "gui").rglob("*.py"))
    core = sorted(
        path
        for path in (root / "inspector" / "core").rglob("*.py")
        if CORE_MARKER in path.read_text("utf-8")
    )
    return gui + core


def lupdate(ts_file: Path, root: Path = ROOT) -> None:
    files = [str(path.relative_to(root)) for path in sources(root)]
    subprocess.run(
        [tool("lupdate"), *files, *LUPDATE_OPTIONS, "-silent", "-ts", str(ts_file)],
        cwd=root,
        check=True,
    )


def lrelease(ts_file: Path, qm_file: Path) -> None:
    subprocess.run(
        [tool("lrelease"), "-silent", str(ts_file), "-qm", str(qm_file)],
        check=True,
    )


def fill_from_memory(ts_file: Path, memory_file: Path = MEMORY_FILE) -> int:
    """Translate unfinished messages whose English the memory knows; returns how many."""
    import json
    import xml.etree.ElementTree as ET

    if not memory_file.is_file():
        return 0
    memory: dict[str, str] = json.loads(memory_file.read_text("utf-8"))
    tree = ET.parse(ts_file)
    filled = 0
    for message in tree.getroot().iter("message"):
        translation = message.find("translation")
        source = message.findtext("source")
        if translation is None or translation.get("type") != "unfinished":
            continue
        if source in memory and message.get("numerus") != "yes":
            translation.text = memory[source]
            del translation.attrib["type"]
            filled += 1
    if filled:
        tree.write(ts_file, encoding="utf-8", xml_declaration=True)
    return filled


def main() -> int:
    TS_FILE.parent.mkdir(parents=True, exist_ok=True)
    lupdate(TS_FILE)
    if fill_from_memory(TS_FILE):
        lupdate(TS_FILE)  # lupdate writes the .ts back in its own layout
    lrelease(TS_FILE, QM_FILE)
    text = TS_FILE.read_text("utf-8")
    unfinished = text.count('type="unfinished"')
    strings = text.count("<source>")
    print(f"{TS_FILE.relative_to(ROOT)}: {strings} strings, {unfinished} to translate")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
