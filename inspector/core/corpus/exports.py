"""The corpus report as JSON, CSV (one row per tokenizer × group), Markdown and HTML.

The command line and the window write through ``render``. The HTML page is self-contained
(CSS and SVG plots inline; no URL, script or font) and autoescaped; Markdown cells escape every
ASCII punctuation character, so nothing from the corpus becomes live markup in either.
"""

from __future__ import annotations

import csv
import io
import json
import math
import string
from typing import Any

from inspector.core.corpus.results import ALL_GROUPS
from inspector.core.palette import OKABE_ITO
from inspector.core.translation_marks import QT_TRANSLATE_NOOP

# The plots' words: English in the HTML report, translated where the window draws them
# (context "CorpusChart"; the categories only of the plot whose key is "vocabulary").
CHART_WORDS = (
    QT_TRANSLATE_NOOP("CorpusChart", "Tokens per 1k characters, by group"),
    QT_TRANSLATE_NOOP("CorpusChart", "tokens / 1k chars"),
    QT_TRANSLATE_NOOP("CorpusChart", "Documents by tokens per document"),
    QT_TRANSLATE_NOOP("CorpusChart", "documents"),
    QT_TRANSLATE_NOOP("CorpusChart", "Vocabulary used (% of the tokenizer's ids seen)"),
    QT_TRANSLATE_NOOP("CorpusChart", "vocabulary used"),
)

FORMATS = ("json", "csv", "md", "html")

# Okabe–Ito, saturated: told apart with the common colour-vision deficiencies (8 tokenizers).
SERIES_COLORS = (
    *(OKABE_ITO[name] for name in ("blue", "orange", "bluish_green", "reddish_purple")),
    *(OKABE_ITO[name] for name in ("sky_blue", "vermillion", "yellow")),
    "#5A5A5A",
)

CSV_FIELDS = (
    "tokenizer",
    "group",
    "documents",
    "characters",
    "bytes",
    "words",
    "tokens",
    "tokens_per_1k_characters",
    "tokens_per_1k_bytes",
    "tokens_per_word",
    "unknown_tokens",
    "unknown_rate",
    "byte_fallback_tokens",
    "byte_fallback_rate",
    "distinct_ids",
    "vocabulary_share",
    "documents_over_512",
    "documents_over_2048",
    "documents_over_8192",
    "tokens_per_document_mean",
    "tokens_per_document_max",
    "token_premium",
)


def rows(report: dict[str, Any]) -> list[dict[str, Any]]:
    """One flat row per tokenizer × group, each tokenizer's overall row first (group (all))."""
    out = []
    for section in report["tokenizers"]:
        for group in [{**section, "name": ALL_GROUPS}, *section["groups"]]:
            row = {key: group.get(key) for key in CSV_FIELDS[2:]}
            for limit, count in group["documents_over"].items():
                row[f"documents_over_{limit}"] = count
            row["tokens_per_document_mean"] = group["tokens_per_document"]["mean"]
            row["tokens_per_document_max"] = group["tokens_per_document"]["max"]
            out.append({"tokenizer": section["id"], "group": group["name"], **row})
    return out


def to_json(report: dict[str, Any]) -> str:
    return json.dumps(report, ensure_ascii=False, indent=2) + "\n"


def to_csv(report: dict[str, Any]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_FIELDS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows(report))
    return out.getvalue()


_MD_ESCAPED = {ord(c): "\\" + c for c in string.punctuation}


def md_cell(value: Any) -> str:
    """Any ASCII punctuation backslash-escaped (CommonMark): text stays text, never markup."""
    if value is None:
        return ""
    if isinstance(value, (int, float)):
        return str(value)
    return str(value).translate(_MD_ESCAPED).replace("\n", "⏎").replace("\r", "␍")


MD_COLUMNS = (
    ("tokenizer", "tokenizer"),
    ("group", "group"),
    ("documents", "documents"),
    ("tokens", "tokens"),
    ("tokens_per_1k_characters", "tokens / 1k chars"),
    ("tokens_per_1k_bytes", "tokens / 1k bytes"),
    ("tokens_per_word", "tokens / word"),
    ("unknown_rate", "[UNK] rate"),
    ("byte_fallback_rate", "byte-fallback rate"),
    ("distinct_ids", "distinct ids"),
    ("vocabulary_share", "vocab share"),
    ("documents_over_512", "> 512"),
    ("documents_over_2048", "> 2048"),
    ("documents_over_8192", "> 8192"),
    ("token_premium", "premium"),
)


def to_markdown(report: dict[str, Any]) -> str:
    corpus, engine = report["corpus"], report["engine"]
    lines = [
        "# Corpus comparison",
        "",
        f"{corpus['documents']} documents · {corpus['characters']} characters · "
        f"{corpus['bytes']} bytes · {corpus['files']} files · {corpus['skipped']} skipped · "
        f"counted on Dask ({engine['workers']} workers, {md_cell(engine['scheduler'])})",
        "",
        "| " + " | ".join(label for _key, label in MD_COLUMNS) + " |",
        "|" + "|".join("---" for _ in MD_COLUMNS) + "|",
    ]
    for row in rows(report):
        lines.append("| " + " | ".join(md_cell(row.get(key)) for key, _ in MD_COLUMNS) + " |")
    for section in report["tokenizers"]:
        top = (f"{md_cell(t['display'])} ×{t['count']}" for t in section["top_tokens"][:10])
        lines += ["", f"## {md_cell(section['id'])}", "", "Most frequent tokens: " + ", ".join(top)]
    if corpus["skipped_files"]:
        lines += ["", "## Skipped files", ""]
        skipped = corpus["skipped_files"]
        lines += [f"- {md_cell(f['path'])}: {md_cell(f['reason'])}" for f in skipped]
    lines += ["", *(f"_{md_cell(note)}_" for note in report["notes"])]
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------- HTML


def bar_chart(
    title: str, categories: list[str], series: list[tuple[str, list[float]]], unit: str
) -> dict[str, Any]:
    """Geometry of a grouped bar chart (numbers and strings only; the template draws it)."""
    width, height, left, bottom, top = 780, 260, 72, 48, 16
    plot_w, plot_h = width - left - 12, height - bottom - top
    peak = max((v for _, values in series for v in values), default=0) or 1
    slot = plot_w / max(len(categories), 1)
    bar = slot * 0.8 / max(len(series), 1)
    bars = []
    for s, (name, values) in enumerate(series):
        for c, value in enumerate(values):
            h = plot_h * value / peak
            bars.append(
                {
                    "x": round(left + c * slot + slot * 0.1 + s * bar, 2),
                    "y": round(top + plot_h - h, 2),
                    "w": round(max(bar - 1, 1), 2),
                    "h": round(h, 2),
                    "color": SERIES_COLORS[s % len(SERIES_COLORS)],
                    "title": f"{name} · {categories[c]}: {value:g} {unit}",
                }
            )
    # One label every so many categories, so that neighbours never overlap (~7 px a character).
    longest = max((len(category[:18]) for category in categories), default=0)
    step = max(math.ceil((longest * 7 + 8) / slot), 1)
    labels = [
        {"x": round(left + (c + 0.5) * slot, 2), "text": category[:18]}
        for c, category in enumerate(categories)
        if c % step == 0
    ]
    ticks = [
        {"y": round(top + plot_h * (1 - f), 2), "text": _tick(peak * f, peak)}
        for f in (0, 0.25, 0.5, 0.75, 1)
    ]
    legend = [
        {"name": name, "color": SERIES_COLORS[i % len(SERIES_COLORS)]}
        for i, (name, _) in enumerate(series)
    ]
    return {
        "title": title,
        "width": width,
        "height": height,
        "left": left,
        "top": top,
        "plot_w": plot_w,
        "plot_h": plot_h,
        "bars": bars,
        "labels": labels,
        "ticks": ticks,
        "legend": legend,
        "label_y": height - bottom + 16,
    }


def _tick(value: float, peak: float) -> str:
    return f"{value:,.0f}" if peak >= 20 else f"{value:.3g}"


def chart_series(report: dict[str, Any]) -> list[dict[str, Any]]:
    """The three plots (key, title, categories, series, unit): the window and the page draw
    these (the English words are :data:`CHART_WORDS`)."""
    sections = report["tokenizers"]
    groups = [g["name"] for g in report["corpus"]["groups"]]
    per_group = [
        (s["id"], [g["tokens_per_1k_characters"] or 0 for g in s["groups"]]) for s in sections
    ]
    bins = sorted(
        {(b["min"], b["max"]) for s in sections for b in s["tokens_per_document"]["histogram"]}
    )
    histogram = []
    for s in sections:
        by_bin = {
            (b["min"], b["max"]): b["documents"] for b in s["tokens_per_document"]["histogram"]
        }
        histogram.append((s["id"], [by_bin.get(b, 0) for b in bins]))
    vocab = [(s["id"], [100 * (s["vocabulary_share"] or 0)]) for s in sections]
    return [
        {
            "key": "per_group",
            "title": "Tokens per 1k characters, by group",
            "categories": groups,
            "series": per_group,
            "unit": "tokens / 1k chars",
        },
        {
            "key": "histogram",
            "title": "Documents by tokens per document",
            "categories": [bin_label(lo, hi) for lo, hi in bins],
            "series": histogram,
            "unit": "documents",
        },
        {
            "key": "vocabulary",
            "title": "Vocabulary used (% of the tokenizer's ids seen)",
            "categories": ["vocabulary used"],
            "series": vocab,
            "unit": "%",
        },
    ]


def bin_label(low: int, high: int) -> str:
    """A histogram bin's label: "256–511", then "1k–2k" (1024 to 2047), "512k–1M", …"""
    if high <= low:
        return str(low)
    if low < 1024:
        return f"{low}–{high}"

    def short(n: int) -> str:
        return f"{n >> 20}M" if n >= 1 << 20 else f"{n >> 10}k"

    return f"{short(low)}–{short(high + 1)}"


def charts(report: dict[str, Any]) -> list[dict[str, Any]]:
    """Bar-chart geometry of the three plots, for the HTML page."""
    return [
        bar_chart(c["title"], c["categories"], c["series"], c["unit"]) for c in chart_series(report)
    ]


def to_html(report: dict[str, Any]) -> str:
    from inspector.core.report_html import _environment  # the token report's autoescaping setup

    template = _environment().get_template("corpus.html.j2")
    return template.render(
        report=report, rows=rows(report), columns=MD_COLUMNS, charts=charts(report)
    )


def render(report: dict[str, Any], fmt: str) -> str:
    renderers = {"json": to_json, "csv": to_csv, "md": to_markdown, "html": to_html}
    if fmt not in renderers:
        raise ValueError(f"unknown corpus report format {fmt!r}")
    return renderers[fmt](report)
