"""Strings marked for translation in a form lupdate can read.

lupdate reads only literal arguments: ``translate(CONTEXT, "text")`` with a variable context,
a ``QT_TRANSLATE_NOOP`` hidden in a helper, or ``self.tr("…")`` inside an f-string never reach
the .ts, and the window shows that string in English whatever the language (the token table's
headers, the About dialog's headings and the encoding tooltips did).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from inspector.gui.about import _plain

ROOT = Path(__file__).resolve().parents[2]
SOURCES = sorted((ROOT / "inspector").rglob("*.py"))
MARKERS = frozenset({"translate", "QT_TRANSLATE_NOOP"})


def _name(call: ast.Call) -> str:
    func = call.func
    if isinstance(func, ast.Attribute):
        return func.attr
    return func.id if isinstance(func, ast.Name) else ""


def _literal(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, str)


def _unreadable_markers(path: Path) -> list[str]:
    tree = ast.parse(path.read_text("utf-8"))
    found: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and _name(node) in MARKERS and len(node.args) >= 2:
            context, text = node.args[0], node.args[1]
            if _literal(text) and not _literal(context):
                found.append(f"{path.name}:{node.lineno}: context is not a literal")
            if _name(node) == "QT_TRANSLATE_NOOP" and not _literal(text):
                found.append(f"{path.name}:{node.lineno}: QT_TRANSLATE_NOOP of a variable")
        if isinstance(node, ast.FormattedValue):
            for inner in ast.walk(node.value):
                if isinstance(inner, ast.Call) and _name(inner) in MARKERS | {"tr"}:
                    found.append(f"{path.name}:{inner.lineno}: tr() inside an f-string")
    return found


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_marked_strings_are_literal_where_lupdate_reads_them(path: Path) -> None:
    assert _unreadable_markers(path) == []


def test_shortcut_names_drop_english_and_chinese_mnemonics() -> None:
    assert _plain("&Open text file…") == "Open text file…"
    assert _plain("打开文本文件(&T)…") == "打开文本文件…"
    assert _plain("文件(&F)") == "文件"
    assert _plain("Save && close") == "Save & close"
