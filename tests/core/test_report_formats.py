"""Report formats from the core (JSON, CSV, Markdown, HTML), parsed back and checked."""

from __future__ import annotations

import csv
import io
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pytest

from inspector.core.catalog import Catalog
from inspector.core.compare import compare
from inspector.core.encoding import encode
from inspector.core.report import (
    CSV_FIELDS,
    SCHEMA,
    ReportItem,
    build_report,
    md_escape,
    render,
    write_atomic,
)
from inspector.core.report_html import TABLE_LIMIT
from inspector.core.settings import EncodeSettings

TEXT = 'Straße <b>"naïve"</b> & 🎶 鸟语花香\nx < y'
IDS = ["gpt2", "minilm", "mistral-v1"]


@pytest.fixture(scope="module")
def items(catalog: Catalog) -> list[ReportItem]:
    found = [ReportItem(name, encode(catalog.load(name), TEXT)) for name in IDS]
    return [*found, ReportItem("broken", error="no tokenizer named 'broken'")]


@pytest.fixture(scope="module")
def report(items: list[ReportItem]) -> dict:
    return build_report(TEXT, None, EncodeSettings(), items)


class Collector(HTMLParser):
    """Token chips in the strips, and every attribute that could load something."""

    def __init__(self) -> None:
        super().__init__()
        self.depth_in_strip: list[int] = []
        self.depth = 0
        self.chips: list[str] = []
        self.scripts = 0
        self.links: list[str] = []
        self.images: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag not in ("br", "meta", "img", "link"):
            self.depth += 1
        classes = (found.get("class") or "").split()
        if "strip" in classes:
            self.depth_in_strip.append(self.depth)
        if "tok" in classes and self.depth_in_strip:
            self.chips.append(found.get("title") or "")
        if tag == "script":
            self.scripts += 1
        for name in ("src", "href"):
            value = found.get(name)
            if value is not None:
                (self.images if tag == "img" else self.links).append(value)

    def handle_endtag(self, tag: str) -> None:
        if self.depth_in_strip and self.depth == self.depth_in_strip[-1]:
            self.depth_in_strip.pop()
        self.depth -= 1


def test_json_comparison_section(report: dict, items: list[ReportItem]) -> None:
    back = json.loads(render(report, "json"))
    assert back["schema"] == SCHEMA == "token-inspector/report@1"
    expected = compare(items)
    section = back["comparison"]
    assert section["whitespace_neutral"] is True
    assert section["text_bytes"] == len(TEXT.encode())
    for row, want, tokenizer in zip(
        section["rows"], expected.rows, back["tokenizers"], strict=True
    ):
        if want.error:
            assert row["error"] == want.error and tokenizer["error"] == want.error
            continue
        assert want.unshared is not None and want.unshared_boundaries is not None
        assert row["unshared_tokens"] == np.flatnonzero(want.unshared).tolist()
        assert [b["byte"] for b in row["unshared_boundaries"]] == want.unshared_boundaries.tolist()
        assert row["stats"]["tokens"] == tokenizer["stats"]["tokens"] == len(tokenizer["tokens"])
        assert row["id"] == tokenizer["id"]
    gpt2 = section["rows"][0]
    # 🎶 and each CJK character are cut inside by GPT-2: boundaries inside a character
    assert any(b["inside_char"] for b in gpt2["unshared_boundaries"])


def test_json_provenance(report: dict) -> None:
    back = json.loads(render(report, "json"))
    assert re.match(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00", back["created"])
    env = back["environment"]
    assert env["token_inspector"] and env["python"]
    assert env["libraries"]["tokenizers"] and env["libraries"]["numpy"]
    assert back["settings"]["add_special_tokens"] is True
    for section in back["tokenizers"][:3]:
        assert re.fullmatch(r"[0-9a-f]{64}", section["fingerprint"])


def test_single_tokenizer_has_no_comparison(items: list[ReportItem]) -> None:
    report = build_report(TEXT, None, EncodeSettings(), items[:1])
    assert "comparison" not in report
    header = render(report, "csv").splitlines()[0]
    assert header == ",".join(CSV_FIELDS)  # the report@1 CSV, unchanged


def test_csv_one_row_per_token_per_tokenizer(report: dict) -> None:
    rows = list(csv.DictReader(io.StringIO(render(report, "csv"))))
    sections = [s for s in report["tokenizers"] if "error" not in s]
    assert len(rows) == sum(len(s["tokens"]) for s in sections)
    assert list(rows[0]) == [*CSV_FIELDS, "unshared"]
    for position, section in enumerate(sections):
        mine = [r for r in rows if r["tokenizer"] == section["id"]]
        assert [int(r["id"]) for r in mine] == section["ids"]
        marked = report["comparison"]["rows"][position]["unshared_tokens"]
        assert [i for i, r in enumerate(mine) if r["unshared"] == "True"] == marked
        assert [r["token"] for r in mine] == [t["token"] for t in section["tokens"]]


def test_markdown_tables(report: dict) -> None:
    text = render(report, "md")
    lines = text.splitlines()
    assert lines[0] == "# Token comparison"
    summary = lines.index("## Summary")
    header = lines[summary + 2]
    assert header.startswith("| tokenizer |") and header.endswith("| unshared |")
    columns = header.count("|")
    rows = []
    for line in lines[summary + 4 :]:
        if not line.startswith("|"):
            break
        rows.append(line)
    assert len(rows) == len(report["tokenizers"])
    for line in rows:  # escaped pipes do not add columns
        assert len(re.findall(r"(?<!\\)\|", line)) == columns
    for position, section in enumerate(report["tokenizers"][:3]):
        assert rows[position].split("|")[4].strip() == str(section["stats"]["tokens"])
        unshared = len(report["comparison"]["rows"][position]["unshared_tokens"])
        assert rows[position].rstrip(" |").split("|")[-1].strip() == str(unshared)
        start = lines.index(f"## {md_escape(section['id'])}")
        table = []
        for line in lines[start + 6 :]:
            if not line.startswith("|"):
                break
            table.append(line)
        assert len(table) == len(section["tokens"])
        assert sum(line.endswith(" ≠ |") for line in table) == unshared


def test_html_is_self_contained_escaped_and_complete(report: dict) -> None:
    page = render(report, "html")
    parsed = Collector()
    parsed.feed(page)
    sections = [s for s in report["tokenizers"] if "error" not in s]
    assert len(parsed.chips) == sum(len(s["tokens"]) for s in sections)
    assert parsed.scripts == 0
    assert all(link.startswith("#") for link in parsed.links), parsed.links
    assert not re.search(r"https?://|url\(|@import|@font-face", page)
    # The text's markup is shown as text, never interpreted
    assert "<b>" not in page and "&lt;b&gt;" in page
    assert "&lt;s&gt;" in page  # mistral's <s> special token
    assert "no tokenizer named" in page  # the broken row stays, with its error
    for section in sections:
        assert section["fingerprint"] in page  # provenance
    assert "@media print" in page


def test_html_token_tables_are_limited_but_strips_complete(catalog: Catalog) -> None:
    text = "word " * (TABLE_LIMIT + 100)
    result = encode(catalog.load("gpt2"), text)
    report = build_report(text, None, EncodeSettings(), [ReportItem("gpt2", result)])
    page = render(report, "html")
    parsed = Collector()
    parsed.feed(page)
    assert len(parsed.chips) == len(result) > TABLE_LIMIT
    assert page.count('<td class="num">') >= TABLE_LIMIT
    assert f"first {TABLE_LIMIT} shown" in page


def test_empty_text_reports(catalog: Catalog) -> None:
    items = [ReportItem(n, encode(catalog.load(n), "")) for n in ("gpt2", "minilm")]
    report = build_report("", None, EncodeSettings(), items)
    assert report["warnings"] == ["the text is empty"]
    for fmt in ("json", "csv", "md", "html"):
        assert render(report, fmt)
    parsed = Collector()
    parsed.feed(render(report, "html"))
    assert len(parsed.chips) == 2  # [CLS] [SEP]


def test_pair_report(catalog: Catalog) -> None:
    items = [
        ReportItem(n, encode(catalog.load(n), "Where is 東京?", pair="Next to 🎶."))
        for n in ("minilm", "gpt2")
    ]
    report = build_report("Where is 東京?", "Next to 🎶.", EncodeSettings(), items)
    assert "unshared_pair_boundaries" in report["comparison"]["rows"][1]
    assert "Pair text" in render(report, "html")


def test_model_section_arrays_become_lists_and_figures(items: list[ReportItem]) -> None:
    rng = np.random.default_rng(0)
    tokens = 7
    attention = rng.random((2, tokens, tokens)).astype(np.float32)
    model = {
        "model": "tiny",
        "layers": 2,
        "hidden_state_l2": {"rows": "embeddings, then layer 1…L", "values": rng.random((3, 7))},
        "attention": {"heads": "mean", "values": attention / attention.sum(-1, keepdims=True)},
        "notices": ["input cut to 512 tokens"],
        "norm_with_nan": np.array([[1.0, np.nan], [np.inf, 2.0]]),
    }
    item = ReportItem("gpt2", items[0].result, model=model)
    report = build_report(TEXT, None, EncodeSettings(), [item])
    back = json.loads(render(report, "json"))  # NaN/inf would make invalid JSON
    section = back["tokenizers"][0]["model"]
    assert section["hidden_state_l2"]["values"][0] == pytest.approx(
        model["hidden_state_l2"]["values"][0], abs=1e-6
    )
    assert len(section["attention"]["values"]) == 2
    assert section["norm_with_nan"] == [[1.0, None], [None, 2.0]]
    page = render(report, "html")
    parsed = Collector()
    parsed.feed(page)
    pngs = [src for src in parsed.images if src.startswith("data:image/png;base64,")]
    assert len(pngs) == len(parsed.images) == 1 + 2 + 1  # norms, 2 attention layers, nan map
    assert "input cut to 512 tokens" in page


def test_write_atomic_bytes_and_failure_keeps_old_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "report.pdf"
    write_atomic(target, b"%PDF-old")
    assert target.read_bytes() == b"%PDF-old"

    def broken(*_args: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr("inspector.core.files.os.replace", broken)
    with pytest.raises(OSError):
        write_atomic(target, b"%PDF-new")
    assert target.read_bytes() == b"%PDF-old"
    assert [p.name for p in tmp_path.iterdir()] == ["report.pdf"]  # no temporary left


def test_reports_of_a_view_and_of_a_comparison(items: list[ReportItem]) -> None:
    from inspector.core.report import comparison_report, result_report

    first = items[0].result
    assert first is not None
    single = result_report(first)
    assert [s["id"] for s in single["tokenizers"]] == ["gpt2"] and "comparison" not in single
    both = comparison_report(compare(items))
    assert [s.get("error") for s in both["tokenizers"]][-1] == "no tokenizer named 'broken'"
    assert both["text"] == TEXT and len(both["comparison"]["rows"]) == len(items)
    alone = comparison_report(compare(items[:1]))  # one row is still a comparison
    assert "comparison" in alone
