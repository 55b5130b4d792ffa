"""PDF report through Qt: the report template in Qt rich text, laid out by QTextDocument and
printed by QPdfWriter.

Why Qt: it is already installed with the app (PySide6), needs nothing from the system, and
finds CJK and emoji fonts through the platform's font fallback when they are installed.
WeasyPrint needs Pango from the system; a headless browser is not something a user who only
pip-installed the app has; ReportLab/xhtml2pdf would need each CJK/emoji font registered by hand.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMarginsF
from PySide6.QtGui import QFont, QFontDatabase, QPageLayout, QPageSize, QPdfWriter, QTextDocument

from inspector.core.report_html import render_template, template_context
from inspector.render.font_coverage import drawable_in
from inspector.render.qt import ensure_gui_application

STRIP_LIMIT = 2000  # tokens per strip in the PDF (a 100 KB text would make hundreds of pages)
TABLE_LIMIT = 300  # rows per token table
TEXT_LIMIT = 6000  # characters of the input shown
TEXT_FONTS = ("Noto Sans", "DejaVu Sans", "Liberation Sans", "Segoe UI", "Helvetica", "Arial")
FALLBACK_FONTS = ("Noto Sans CJK SC", "Noto Color Emoji", "Apple Color Emoji", "Segoe UI Emoji")


def report_pdf(report: dict[str, Any]) -> bytes:
    ensure_gui_application()
    families = set(QFontDatabase.families())
    mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont).family()
    with drawable_in(QFont(mono)):  # a character no font has: its code point, not a box
        context = template_context(
            report,
            strip_limit=STRIP_LIMIT,
            table_limit=TABLE_LIMIT,
            text_limit=TEXT_LIMIT,
            drawn=True,
        )
    context["mono"] = mono
    html = render_template("report_pdf.html.j2", context)

    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setTitle(context["title"])
    writer.setCreator(f"Token Inspector {report['environment']['token_inspector']}")
    writer.setPageLayout(
        QPageLayout(
            QPageSize(QPageSize.PageSizeId.A4),
            QPageLayout.Orientation.Portrait,
            QMarginsF(0, 0, 0, 0),  # QTextDocument.print_ adds 2 cm margins of its own
            QPageLayout.Unit.Millimeter,
        )
    )
    document = QTextDocument()
    # A Latin font first: with a CJK font as the main one, pdftotext loses the digits
    # (proportional-digit glyphs without a Unicode mapping in the PDF).
    general = QFontDatabase.systemFont(QFontDatabase.SystemFont.GeneralFont).family()
    main = next((f for f in TEXT_FONTS if f in families), general)
    fallbacks = [f for f in FALLBACK_FONTS if f in families]
    font = QFont()
    font.setFamilies([main, *fallbacks])
    font.setPointSizeF(9)
    document.setDefaultFont(font)
    document.setHtml(html)
    document.print_(writer)
    del writer  # finishes the PDF
    buffer.close()
    if not data.size():
        raise OSError("Qt wrote no PDF")
    return bytes(data.data())
