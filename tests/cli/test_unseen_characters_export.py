"""Characters that draw nothing or a box (controls, format characters standing alone, tags
outside a flag, private use, unassigned) are labelled wherever glyphs are drawn (PDF, PNG,
SVG) and kept byte-exact, escaped, in the text exports (JSON, CSV, Markdown, HTML)."""

from __future__ import annotations

import csv
import html
import io
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PySide6.QtGui import QFont, QFontDatabase

from inspector.core.catalog import Catalog
from inspector.core.char_labels import set_drawable_check
from inspector.core.encoding import encode
from inspector.core.report import ReportItem, build_report, render
from inspector.core.settings import EncodeSettings
from inspector.render.export import export_report
from inspector.render.font_coverage import FontCoverage
from inspector.render.qt import ensure_gui_application
from tests.cli.test_report_exports import pdf_text

FLAG = "🏴\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f"  # Scotland
FAMILY = "\U0001f469\u200d\U0001f469\u200d\U0001f467"
TEXT = (
    "a\x07b\x1bc\u200bd\U000e0041e\ue000f g\u200dh x\u0378y\x85z\u2060w "
    f"{FAMILY} {FLAG} <b>bold?</b> &amp;\tq\nend"
)
# Labels every drawing must show (abbreviations and code points; no font draws any of these).
LABELS = ("⟨ZWSP⟩", "⟨TAG A⟩", "⟨U+E000⟩", "⟨ZWJ⟩", "⟨U+0378⟩", "⟨NEL⟩", "⟨WJ⟩")
UNSEEN = "\x07\x1b\u200b\U000e0041\ue000\u0378\x85\u2060"


@pytest.fixture(scope="module")
def report(catalog: Catalog) -> dict:
    items = [ReportItem("gpt2", encode(catalog.load("gpt2"), TEXT))]
    return build_report(TEXT, None, EncodeSettings(), items)


def control_labels(font: QFont) -> tuple[str, str]:
    """BEL and ESC as a drawing shows them: their control picture where a font has it,
    else their code point (never a box)."""
    coverage = FontCoverage(font)

    def shown(char: str) -> str:
        picture = chr(0x2400 + ord(char))
        return picture if coverage(picture) else f"⟨U+{ord(char):04X}⟩"

    return shown("\x07"), shown("\x1b")


def test_pdf_labels_them_in_the_text_and_the_strip(report: dict, tmp_path: Path) -> None:
    ensure_gui_application()
    target = tmp_path / "unseen.pdf"
    export_report(report, "pdf", target)
    flat = pdf_text(target)
    section = flat.split("Text", 1)[1].split("Token strips", 1)[0]
    mono = QFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont).family())
    bel, esc = control_labels(mono)
    assert f"a{bel}b{esc}c⟨ZWSP⟩d⟨TAG A⟩e⟨U+E000⟩f g⟨ZWJ⟩h x⟨U+0378⟩y⟨NEL⟩z⟨WJ⟩w" in section
    assert "<b>bold?</b> &amp;" in section  # text, not markup
    assert not set(UNSEEN) & set(flat)  # nothing left to vanish or box
    strips = re.sub(r"\s+", " ", flat.split("Token strips", 1)[1])
    for label in LABELS:
        assert label in strips, label


def test_png_and_svg_label_them(report: dict, tmp_path: Path) -> None:
    from PySide6.QtGui import QImage

    from inspector.render.strip_image import _Painter

    ensure_gui_application()
    png, svg = tmp_path / "unseen.png", tmp_path / "unseen.svg"
    export_report(report, "png", png)
    export_report(report, "svg", svg)
    assert not QImage(str(png)).isNull()
    texts = "".join(piece.strip("\n") for piece in ET.parse(svg).getroot().itertext())
    font = _Painter().font
    for label in (*LABELS, *control_labels(font)):
        assert label in texts, label
    coverage = FontCoverage(font)  # the strip's own font, with Qt's fallbacks
    assert [c for c in set(texts) if not c.isspace() and not coverage(c)] == []  # no box


@pytest.mark.parametrize("window", [False, True], ids=["cli", "from-a-window"])
def test_text_exports_keep_them_byte_exact_and_escaped(report: dict, window: bool) -> None:
    ensure_gui_application()
    # A window's font check is installed while it exports: the browser draws the HTML with
    # fonts of its own, so its text stays as typed all the same.
    set_drawable_check(FontCoverage(QFont()) if window else None)
    try:
        assert json.loads(render(report, "json"))["text"] == TEXT
        page = render(report, "html")
    finally:
        set_drawable_check(None)
    shown = re.search(r'<pre class="input">(.*?)</pre>', page, re.S)
    assert shown is not None and html.unescape(shown[1]) == TEXT
    assert "<b>bold?</b>" not in page  # escaped, never live markup
    rows = list(csv.DictReader(io.StringIO(render(report, "csv"))))
    assert bytes.fromhex(" ".join(r["bytes"] for r in rows)) == TEXT.encode("utf-8")
    table = [line.split(" | ") for line in render(report, "md").splitlines()]
    spans = [cells[5] for cells in table if len(cells) == 7 and cells[5] != "bytes"]
    assert bytes.fromhex(" ".join(spans)) == TEXT.encode("utf-8")
