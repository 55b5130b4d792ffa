"""One entry point for every report format, for the CLI and the GUI's File → Export report….

JSON, CSV, Markdown and HTML come from the Qt-free core; PDF, PNG and SVG are drawn with Qt
(an offscreen QGuiApplication is made when there is none). Writes are atomic.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from inspector.core.report import FORMATS, TEXT_FORMATS, render, write_atomic

SUFFIXES = {"json": "json", "csv": "csv", "md": "md", "markdown": "md", "html": "html",
            "htm": "html", "pdf": "pdf", "png": "png", "svg": "svg"}  # fmt: skip


def format_for_path(path: Path) -> str | None:
    """The format a file name asks for (``report.html`` → ``html``), or None."""
    return SUFFIXES.get(path.suffix.lower().lstrip("."))


def render_bytes(report: dict[str, Any], fmt: str) -> bytes:
    """The report in any of ``FORMATS``, as the bytes of the file."""
    if fmt in TEXT_FORMATS:
        return render(report, fmt).encode("utf-8")
    if fmt == "pdf":
        from inspector.render.pdf import report_pdf

        return report_pdf(report)
    if fmt == "png":
        from inspector.render.strip_image import strip_png

        return strip_png(report)
    if fmt == "svg":
        from inspector.render.strip_image import strip_svg

        return strip_svg(report)
    raise ValueError(f"unknown report format {fmt!r} (one of {', '.join(FORMATS)})")


def export_report(report: dict[str, Any], fmt: str, path: Path) -> None:
    """Render, then write atomically: a failure leaves no partial file and keeps an old one."""
    write_atomic(path, render_bytes(report, fmt))
