"""The self-contained HTML report: Jinja2 template ``resources/templates/report.html.j2``.

Everything the page needs is inside it (CSS inline, figures as inline PNG data); it loads no
URL, script or font. Autoescaping is on: token strings are data, never markup.
The chips use the app's palette and glyphs (``inspector.core.palette``, ``display``).
"""

from __future__ import annotations

import base64
import io
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, NamedTuple

import jinja2
import numpy as np
from markupsafe import Markup

from inspector.core.char_labels import surrogates_labelled, undrawable_labelled
from inspector.core.chat_tables import band_class, chat_context, section_text
from inspector.core.display import visible
from inspector.core.palette import chip_theme
from inspector.core.report_model import unshared_flags

TABLE_LIMIT = 2000  # rows per token table; the strips show every token, JSON/CSV have all
TITLE_LIMIT = 20_000  # tokens per strip that get a tooltip (id, span, bytes)
TEXT_LIMIT = 200_000  # characters of the input shown in the report
HEATMAP_TOKENS = 512  # the model figures take at most this many tokens per axis

# Viridis anchors (perceptually uniform, colour-blind safe) for the model heatmaps.
_VIRIDIS = np.array(
    [[68, 1, 84], [59, 82, 139], [33, 145, 140], [94, 201, 98], [253, 231, 37]], dtype=float
)


@lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    from inspector.core.sources import resources_dir

    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(resources_dir() / "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )


class Chip(NamedTuple):  # NamedTuple: made 300k times for a 100 KB comparison
    token: int  # index of the token in its sequence
    css: str  # classes: colour c0…c7 or sp (special), unk, pad, u (unshared), part
    label: str
    title: str  # tooltip; empty in strips longer than TITLE_LIMIT (the file stays small)
    fill: str  # the colour of c0…c7 (for renderers without CSS classes)


class Unit(NamedTuple):
    """One token, or the byte pieces of one character framed together under it."""

    chips: tuple[Chip, ...]
    character: str | None  # the character(s) a group builds; None for a single token
    line_break: bool  # a newline ends this unit (the strip starts a new line, as the app)


def strip_units(
    report: dict[str, Any],
    section: dict[str, Any],
    marked: set[int],
    dark: bool = False,
    colorblind: bool = False,
) -> list[Unit]:
    """The chips of one tokenizer's strip, byte pieces of one character grouped."""
    texts = (section_text(report, section), report["pair"] or "")  # chat: its own rendering
    palette = chip_theme(dark, colorblind).fills
    fills = len(palette)
    unk = section["facts"].get("unk_token")
    mask = section["attention_mask"]
    tokens = section["tokens"]
    titled = len(tokens) <= TITLE_LIMIT
    units: list[Unit] = []
    pending: list[Chip] = []
    first: dict[str, Any] | None = None  # the first token of the pending group
    previous_sequence: int | None = None
    following_tokens = iter(tokens)  # one pass, one token of look-ahead (rows made lazily)
    following = next(following_tokens, None)
    while following is not None:
        token = following
        following = next(following_tokens, None)
        index = token["index"]
        special = token["special"]
        sequence = token["sequence_id"]
        if special:
            classes = "sp"
        else:
            classes = f"c{index % fills}"
            if unk is not None and token["token"] == unk:
                classes += " unk"
        if not mask[index]:
            classes += " pad"
        if index in marked:
            classes += " u"
        if token["partial"]:
            classes += " part"
        classes += band_class(token, section)  # chat hook: role band / scaffolding
        title = ""
        if titled:
            title = f"#{index} · id {token['id']}"
            if not special:
                title += f" · chars {token['start']}–{token['end']} · bytes {token['bytes']}"
            if index in marked:
                title += " · unshared boundary"
        fill = "" if special else palette[index % fills]
        chip = Chip(index, classes, token["display"] or "∅", title, fill)
        if sequence == 1 and previous_sequence == 0 and not pending:
            units.append(Unit((), None, True))  # the pair text starts on its own line
        previous_sequence = sequence if sequence is not None else previous_sequence
        if not pending:
            first = token
        pending.append(chip)
        if following is not None and following["group"] == token["group"]:
            continue  # the next byte piece belongs to the same character
        in_text = sequence is not None and not special
        text = texts[sequence] if in_text else ""
        assert first is not None
        covered = text[first["start"] : token["end"]] if in_text else ""
        character = visible(covered) if len(pending) > 1 else None
        units.append(Unit(tuple(pending), character, "\n" in covered))
        pending = []
    return units


def _heatmap(matrix: np.ndarray) -> str | None:
    """A matrix as an inline PNG (data URI), viridis, scaled to its own min…max."""
    from PIL import Image

    values = np.asarray(matrix, dtype=np.float64)
    if values.ndim != 2 or not values.size:
        return None
    finite = np.isfinite(values)
    if not finite.any():
        return None
    low, high = float(values[finite].min()), float(values[finite].max())
    scaled = (values - low) / (high - low) if high > low else np.zeros_like(values)
    scaled = np.where(finite, np.clip(scaled, 0, 1), 0)
    position = scaled * (len(_VIRIDIS) - 1)
    lower = np.floor(position).astype(int).clip(0, len(_VIRIDIS) - 2)
    frac = (position - lower)[..., None]
    rgb = _VIRIDIS[lower] * (1 - frac) + _VIRIDIS[lower + 1] * frac
    image = Image.fromarray(rgb.round().astype(np.uint8), "RGB")
    scale = max(1, min(24, 480 // max(values.shape)))
    if scale > 1:
        image = image.resize(
            (values.shape[1] * scale, values.shape[0] * scale), Image.Resampling.NEAREST
        )
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return "data:image/png;base64," + base64.b64encode(out.getvalue()).decode("ascii")


@dataclass(frozen=True)
class Figure:
    title: str
    caption: str
    image: str  # data URI
    low: str
    high: str


def _figures(model: dict[str, Any]) -> tuple[list[Figure], list[tuple[str, str]]]:
    """Heatmaps from a model section, and its plain facts as (key, value) rows.

    The section is ``analysis.model_section``'s: ``hidden_state_l2`` {rows, values: layers ×
    tokens} and ``attention`` {heads: mean | all, values: layers × T × T, or layers × heads ×
    T × T, averaged over heads here}. Other keys are listed as facts."""
    figures: list[Figure] = []
    facts: list[tuple[str, str]] = []
    for key, value in model.items():
        note = ""
        if isinstance(value, dict) and "values" in value:
            if "rows" in value:
                note = str(value["rows"])
            elif value.get("heads") == "mean":
                note = "mean over heads"
            elif "heads" in value:
                note = f"heads: {value['heads']}, averaged here"
            value = value["values"]
        elif isinstance(value, dict):
            cosine = value.get("cosine")
            shown = [k for k in value if k != "cosine"]
            facts.append((key, ", ".join(shown) + (f"; cosine {cosine}" if cosine else "")))
            continue
        if not isinstance(value, (list, tuple, np.ndarray)):
            facts.append((key, "–" if value is None else str(value)))
            continue
        if not len(value):
            facts.append((key, "none"))
            continue
        try:
            array = np.asarray(value, dtype=np.float64)
        except (TypeError, ValueError):
            facts.append((key, "; ".join(map(str, value))[:300]))
            continue
        lowered = key.lower()
        if array.ndim == 2 and any(word in lowered for word in ("norm", "l2", "hidden")):
            caption = f"rows: {note or 'layers'}; columns: the model's tokens, in order"
            figures.append(_figure(key, caption, array[:, :HEATMAP_TOKENS]))
        elif array.ndim in (3, 4) and "attention" in lowered:
            if array.ndim == 4:
                array = np.nanmean(array, axis=1)
            for layer, matrix in enumerate(array):
                cut = matrix[:HEATMAP_TOKENS, :HEATMAP_TOKENS]
                caption = "rows: query token; columns: key token" + (f" ({note})" if note else "")
                figures.append(_figure(f"{key}, layer {layer + 1}", caption, cut))
        elif array.ndim == 1 and array.size <= 8:
            facts.append((key, ", ".join(f"{v:.4g}" for v in array.tolist())))
        else:
            facts.append((key, f"{' × '.join(map(str, array.shape))} values"))
    return figures, facts


def _figure(title: str, caption: str, matrix: np.ndarray) -> Figure:
    image = _heatmap(matrix) or ""
    finite = matrix[np.isfinite(matrix)]
    low = f"{finite.min():.4g}" if finite.size else "–"
    high = f"{finite.max():.4g}" if finite.size else "–"
    return Figure(title, caption, image, low, high)


STAT_COLUMNS = (
    ("tokens", "tokens"),
    ("chars_per_token", "chars/token"),
    ("bytes_per_token", "bytes/token"),
    ("words_per_token", "words/token"),
    ("unk_count", "UNK"),
    ("unk_rate", "UNK rate"),
)


def _stats_rows(report: dict[str, Any]) -> list[dict[str, Any]]:
    """The stats table: one row per tokenizer, each number with a bar (share of the column's
    largest value)."""
    unshared = unshared_flags(report)
    sections = report["tokenizers"]
    peaks = {
        key: max((float(s["stats"][key]) for s in sections if "error" not in s), default=0.0)
        for key, _ in STAT_COLUMNS
    }
    rows = []
    for position, section in enumerate(sections):
        if "error" in section:
            rows.append({"id": section["id"], "error": section["error"]})
            continue
        stats = section["stats"]
        cells = [
            {
                "value": stats[key],
                "bar": round(100 * float(stats[key]) / peaks[key], 1) if peaks[key] else 0,
            }
            for key, _ in STAT_COLUMNS
        ]
        trip = section["roundtrip"]
        rows.append(
            {
                "id": section["id"],
                "anchor": f"t{position}",
                "algorithm": section["algorithm"],
                "vocab_size": section["vocab_size"],
                "cells": cells,
                "roundtrip": None if trip is None else trip["equal"],
                "roundtrip_kinds": "" if trip is None else ", ".join(trip["kinds"]),
                "unshared": len(unshared[position]) if position in unshared else None,
                "error": None,
            }
        )
    return rows


def template_context(
    report: dict[str, Any],
    *,
    strip_limit: int | None = None,
    table_limit: int = TABLE_LIMIT,
    text_limit: int = TEXT_LIMIT,
    dark: bool = False,
    colorblind: bool = False,
    drawn: bool = False,
) -> dict[str, Any]:
    """What the report templates (HTML, and the PDF's Qt rich text) are rendered with.

    ``drawn``: the text is drawn here (the PDF): what draws nothing or a box gets a label. In
    the HTML it stays as typed (byte-exact, escaped): the browser has fonts of its own."""
    theme = chip_theme(dark, colorblind)
    unshared = unshared_flags(report)
    sections = []
    for position, section in enumerate(report["tokenizers"]):
        if "error" in section:
            sections.append({"id": section["id"], "error": section["error"], "anchor": ""})
            continue
        figures, model_facts = _figures(section["model"]) if section.get("model") else ([], [])
        tokens = section["tokens"]
        shown = section if strip_limit is None else {**section, "tokens": tokens[:strip_limit]}
        marked = unshared.get(position, set())
        units = strip_units(report, shown, marked, dark, colorblind)
        sections.append(
            {
                "id": section["id"],
                "anchor": f"t{position}",
                "error": None,
                "section": section,
                "units": units,
                "strip": _strip_markup(units),
                "cut": len(tokens) - len(shown["tokens"]),
                "marked": marked,
                "table": tokens[:table_limit],
                "figures": figures,
                "model_facts": model_facts,
            }
        )
    text = report["text"]
    shown = undrawable_labelled if drawn else surrogates_labelled
    comparing = "comparison" in report
    return {
        "report": report,
        "comparing": comparing,
        "title": "Token comparison" if comparing else "Token report",
        "theme": theme,
        "stat_columns": [label for _, label in STAT_COLUMNS],
        "stats": _stats_rows(report),
        "sections": sections,
        "shown_text": shown(text[:text_limit]),
        "shown_pair": None if report["pair"] is None else shown(report["pair"][:text_limit]),
        "text_cut": max(0, len(text) - text_limit),
        "table_limit": table_limit,
        "settings": report["settings"],
        "chat": chat_context(report),  # chat hook: per-message tables (None otherwise)
    }


def _strip_markup(units: list[Unit]) -> Markup:
    """A strip's chips as HTML, from the macros in ``_strip.html.j2`` (escaping on). A 100 KB
    comparison has 300k chips but far fewer distinct ones: each is rendered once, and the
    already-escaped pieces are put side by side."""
    macros = _environment().get_template("_strip.html.j2").module
    chip_macro, group_macro = macros.chip, macros.group  # type: ignore[attr-defined]
    line_break = macros.line_break()  # type: ignore[attr-defined]
    rendered: dict[tuple[str, str, str], str] = {}
    out: list[str] = []
    for unit in units:
        chips = []
        for chip in unit.chips:
            key = (chip.css, chip.label, chip.title)
            html = rendered.get(key)
            if html is None:
                html = rendered[key] = chip_macro(*key)
            chips.append(html)
        if unit.character is not None:
            out.append(group_macro(unit.character, chips))
        else:
            out.extend(chips)
        if unit.line_break:
            out.append(line_break)
    return Markup("".join(out))  # every piece is macro output (Markup), escaped there


def render_template(name: str, context: dict[str, Any]) -> str:
    return _environment().get_template(name).render(**context)


def to_html(report: dict[str, Any], *, dark: bool = False, colorblind: bool = False) -> str:
    """The report as one self-contained HTML page (every token in the strips)."""
    context = template_context(report, dark=dark, colorblind=colorblind)
    return render_template("report.html.j2", context)
