"""HTML in a real browser, PDF through pdftotext, PNG/SVG of the strips; CLI and export path.

The browser is Debian's chromium driven by Playwright (``executable_path``: Playwright
downloads no browser of its own), headless, with --no-sandbox and every non-file request
blocked and recorded. ``make test`` installs chromium and poppler-utils when missing.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from inspector.core.catalog import Catalog
from inspector.core.compare import PRESET_CLASSIC, preset_sample_text
from inspector.core.encoding import encode
from inspector.core.report import ReportItem, build_report, render
from inspector.core.settings import EncodeSettings
from inspector.render.export import export_report, format_for_path

ENV = {**os.environ, "HF_HUB_OFFLINE": "1", "QT_QPA_PLATFORM": "offscreen"}


def tool(*names: str) -> str:
    for name in names:
        found = shutil.which(name)
        if found:
            return found
    pytest.fail(f"{names[0]} is missing: run `make system-deps` (make test installs it)")


def pdf_text(path: Path) -> str:
    """The PDF's text as pdftotext reads it (UTF-8)."""
    return subprocess.run(
        [tool("pdftotext"), "-enc", "UTF-8", str(path), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout


@pytest.fixture(scope="module")
def classic(catalog: Catalog) -> dict:
    text = preset_sample_text()
    items = [ReportItem(name, encode(catalog.load(name), text)) for name in PRESET_CLASSIC]
    items.append(ReportItem("missing-one", error="no tokenizer named 'missing-one'"))
    return build_report(text, None, EncodeSettings(), items)


def token_counts(report: dict) -> dict[str, int]:
    return {s["id"]: len(s["tokens"]) for s in report["tokenizers"] if "error" not in s}


def test_html_in_chromium(classic: dict, tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    chromium = tool("chromium", "chromium-browser", "google-chrome")
    page_file = tmp_path / "report.html"
    export_report(classic, "html", page_file)
    json_tokens = sum(token_counts(json.loads(render(classic, "json"))).values())
    errors: list[str] = []
    requests: list[str] = []
    with sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.on(
                "console", lambda m: errors.append(m.text) if m.type in ("error", "warning") else 0
            )
            page.on("pageerror", lambda e: errors.append(str(e)))

            def block(route: object) -> None:
                url = route.request.url  # type: ignore[attr-defined]
                if url.startswith(("file:", "data:")):
                    route.continue_()  # type: ignore[attr-defined]
                else:
                    requests.append(url)
                    route.abort()  # type: ignore[attr-defined]

            page.route("**/*", block)
            page.goto(page_file.as_uri(), wait_until="load")
            chips = page.locator(".strip .tok").count()
            strips = page.locator(".strip").count()
            title = page.title()
            # Printing lays the page out again: it must not fail either.
            pdf = page.pdf(format="A4", print_background=True)
        finally:
            browser.close()
    assert errors == []
    assert requests == []
    assert chips == json_tokens
    assert strips == len(token_counts(classic))
    assert title.startswith("Token comparison")
    assert pdf.startswith(b"%PDF")


def test_pdf_opens_and_holds_the_token_counts(classic: dict, tmp_path: Path) -> None:
    target = tmp_path / "report.pdf"
    export_report(classic, "pdf", target)
    assert target.read_bytes().startswith(b"%PDF")
    text = pdf_text(target)
    flat = re.sub(r"\s+", " ", text)
    for name, count in token_counts(classic).items():
        assert f"{name} — {count} tokens" in flat, name
    assert "no tokenizer named 'missing-one'" in flat
    # CJK and accents come out as text. (Not every ideograph: Noto CJK shares some glyphs with
    # radicals, and the PDF's Unicode map then names the radical: 鸟 comes out as ⻦.)
    assert "语" in flat and "東京" in flat and "Straße" in flat


def test_png_and_svg_of_the_strips(classic: dict, tmp_path: Path) -> None:
    from PySide6.QtGui import QImage

    png, svg = tmp_path / "strips.png", tmp_path / "strips.svg"
    export_report(classic, "png", png)
    export_report(classic, "svg", svg)
    image = QImage(str(png))
    assert not image.isNull() and image.width() == 2400 and image.height() > 1000
    sample = {image.pixel(x, y) for x in range(0, image.width(), 37) for y in range(0, 600, 11)}
    assert len(sample) > 10  # chips in many colours, not a blank picture
    root = ET.parse(svg).getroot()
    # Qt writes one <text> per font run (⟨ ⟩ come from a fallback font): join the runs
    texts = "".join(piece.strip("\n") for piece in root.itertext())
    for label in ("izers", "##izer", "⟨F0 9F⟩", "鸟", "[UNK]"):
        assert label in texts, label


def test_format_from_file_name() -> None:
    assert format_for_path(Path("a/b.HTML")) == "html"
    assert format_for_path(Path("x.markdown")) == "md"
    assert format_for_path(Path("x.txt")) is None


def test_failed_export_leaves_no_file(classic: dict, tmp_path: Path) -> None:
    target = tmp_path / "old.html"
    target.write_text("keep me")
    with pytest.raises(ValueError):
        export_report(classic, "docx", target)
    assert target.read_text() == "keep me"
    assert [p.name for p in tmp_path.iterdir()] == ["old.html"]


def run_cli(*args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "inspector", "report", *args],
        capture_output=True,
        env=ENV,
        timeout=300,
    )


def test_cli_comparison_pdf_and_png(tmp_path: Path, samples: Path) -> None:
    target = tmp_path / "compare.pdf"
    done = run_cli("-t", "gpt2", "-t", "o200k_base", "--file", str(samples / "mixed.txt"),
                   "-o", str(target))  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert target.read_bytes().startswith(b"%PDF")
    piped = run_cli("-t", "gpt2", "--text", "鸟 🎶", "--format", "png")
    assert piped.returncode == 0, piped.stderr
    assert piped.stdout.startswith(b"\x89PNG\r\n\x1a\n")


def test_cli_preset_json_has_comparison(samples: Path) -> None:
    done = run_cli("--preset", "classic", "--file", str(samples / "mixed.txt"))
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert [s["id"] for s in report["tokenizers"]] == list(PRESET_CLASSIC)
    assert len(report["comparison"]["rows"]) == len(PRESET_CLASSIC)


def test_cli_too_many_or_no_tokenizers() -> None:
    done = run_cli("--text", "x")
    assert done.returncode == 2 and b"at least one tokenizer" in done.stderr
    many = [arg for name in ["gpt2"] * 9 for arg in ("-t", name)]
    done = run_cli(*many, "--text", "x")
    assert done.returncode == 2 and b"at most 8" in done.stderr


def test_cli_strict_boundaries() -> None:
    args = ("-t", "minilm", "-t", "gpt2", "--text", "hello world")
    neutral = json.loads(run_cli(*args).stdout)["comparison"]
    strict = json.loads(run_cli(*args, "--strict-boundaries").stdout)["comparison"]
    assert neutral["whitespace_neutral"] is True and strict["whitespace_neutral"] is False
    assert neutral["rows"][0]["unshared_boundaries"] == []
    # WordPiece's "world" starts after the space, GPT-2's "␣world" before it
    assert [b["byte"] for b in strict["rows"][0]["unshared_boundaries"]] == [6]


# Scripts few systems have a font for (Phoenician, Yi, Egyptian hieroglyphs, Adlam, …).
RARE = "\U00010900\ua000\U00013000\U0001e900\U00011400\U00016a40\u2c80\U0001d800"


def test_cli_svg_names_characters_no_font_draws(tmp_path: Path) -> None:
    from inspector.core.char_labels import drawable_check
    from inspector.render.font_coverage import FontCoverage
    from inspector.render.qt import ensure_gui_application
    from inspector.render.strip_image import _Painter

    ensure_gui_application()
    coverage = FontCoverage(_Painter().font)  # the exports' own font, with Qt's fallbacks
    missing = next((c for c in RARE if not coverage(c)), None)
    if missing is None:
        pytest.skip("every font of the test list is installed here")
    target = tmp_path / "strip.svg"
    done = run_cli("-t", "cl100k_base", "--text", f"鸟 {missing} x", "-o", str(target))
    assert done.returncode == 0, done.stderr
    texts = "".join(piece.strip("\n") for piece in ET.parse(target).getroot().itertext())
    assert f"⟨U+{ord(missing):04X}⟩" in texts and "鸟" in texts  # a box would say nothing
    assert drawable_check() is None  # an export leaves no check behind (the CLI had none)
    pdf = tmp_path / "strip.pdf"
    done = run_cli("-t", "cl100k_base", "--text", f"鸟 {missing} x", "-o", str(pdf))
    assert done.returncode == 0, done.stderr
    flat = subprocess.run([tool("pdftotext"), str(pdf), "-"], capture_output=True, text=True)
    assert f"U+{ord(missing):04X}" in flat.stdout
    export_report(build_report(missing, None, EncodeSettings(), []), "svg", tmp_path / "e.svg")
    assert drawable_check() is None


def test_pdf_text_section_names_characters_no_font_draws(tmp_path: Path) -> None:
    """The Text section shows ⟨U+XXXX⟩ where a box would be; CJK and emoji still draw."""
    text = "plain \ue000 東京 🎶 👩\u200d👩\u200d👧 \u0378 end"  # private use, unassigned
    target = tmp_path / "text.pdf"
    export_report(build_report(text, None, EncodeSettings(), []), "pdf", target)  # Text only
    flat = pdf_text(target)
    section = re.sub(r"\s+", " ", flat.split("Text", 1)[1].split("Token strips", 1)[0])
    assert section.strip() == "plain ⟨U+E000⟩ 東京 ⟨U+0378⟩ end"  # the emoji are pictures
    images = subprocess.run(
        [tool("pdfimages"), "-list", str(target)], capture_output=True, text=True, check=True
    ).stdout
    pictures = [line for line in images.splitlines()[2:] if line.split()[2] == "image"]
    assert len(pictures) == 2  # 🎶 and the family: colour emoji, one picture each
