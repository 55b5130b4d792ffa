"""One entry point for every report format, for the CLI and the GUI's File → Export report….

JSON, CSV, Markdown and HTML come from the Qt-free core (JSON, CSV and Markdown stream: they
are written as they are made); PDF, PNG and SVG are drawn with Qt (an offscreen
QGuiApplication is made when there is none). Writes are atomic.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from inspector.core.files import write_atomic
from inspector.core.report import FORMATS, TEXT_FORMATS, render_chunks

SUFFIXES = {"json": "json", "csv": "csv", "md": "md", "markdown": "md", "html": "html",
            "htm": "html", "pdf": "pdf", "png": "png", "svg": "svg"}  # fmt: skip


def format_for_path(path: Path) -> str | None:
    """The format a file name asks for (``report.html`` → ``html``), or None."""
    return SUFFIXES.get(path.suffix.lower().lstrip("."))


def render_pieces(report: dict[str, Any], fmt: str) -> Iterator[bytes]:
    """The report in any of ``FORMATS``, as the bytes of the file in pieces (one piece for
    the formats that are made whole: HTML, PDF, PNG, SVG)."""
    if fmt in TEXT_FORMATS:
        # A name given as bytes that are not UTF-8 (-t, a path in an error) reaches Python as
        # lone surrogates: written as \udcff (in JSON, the escape of that very code point).
        return (piece.encode("utf-8", "backslashreplace") for piece in render_chunks(report, fmt))
    if fmt == "pdf":
        from inspector.render.pdf import report_pdf

        return iter([report_pdf(report)])
    if fmt == "png":
        from inspector.render.strip_image import strip_png

        return iter([strip_png(report)])
    if fmt == "svg":
        from inspector.render.strip_image import strip_svg

        return iter([strip_svg(report)])
    raise ValueError(f"unknown report format {fmt!r} (one of {', '.join(FORMATS)})")


def render_bytes(report: dict[str, Any], fmt: str) -> bytes:
    """The report in any of ``FORMATS``, whole."""
    return b"".join(render_pieces(report, fmt))


def export_report(report: dict[str, Any], fmt: str, path: Path) -> None:
    """Render and write atomically, piece by piece: a failure leaves no partial file and
    keeps an old one."""
    write_atomic(path, render_pieces(report, fmt))
