"""Token table at 200k tokens: set_result + first paint, sorting, filtering, scrolling.

    .venv/bin/python bench/bench_table.py [--tokens 200000] [--tokenizer gpt2] [--repeat 5]

Prints milliseconds (median of --repeat runs) next to the time the core took to encode, so
the table's cost reads as a fraction of the encode it displays. Runs offscreen by default.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from inspector.core.catalog import Catalog
from inspector.core.encoding import EncodingResult, encode
from inspector.core.sources import resources_dir
from inspector.gui.widgets.token_table import COLUMN_KEYS, TokenTable


def text_of(tokens: int, tokenizer: str, catalog: Catalog) -> str:
    """The mixed sample repeated until it makes about ``tokens`` tokens."""
    sample = (resources_dir() / "samples" / "mixed.txt").read_text("utf-8")
    per = max(len(encode(catalog.load(tokenizer), sample, with_roundtrip=False)), 1)
    return sample * (tokens // per + 1)


def timed(action: Callable[[], object], repeat: int, before: Callable[[], object] | None = None):
    times = []
    for _ in range(repeat):
        if before is not None:
            before()
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), max(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tokens", type=int, default=200_000)
    parser.add_argument("--tokenizer", default="gpt2")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    app = QApplication.instance() or QApplication([])
    catalog = Catalog()
    tok = catalog.load(args.tokenizer)
    text = text_of(args.tokens, args.tokenizer, catalog)
    start = time.perf_counter()
    result: EncodingResult = encode(tok, text, with_roundtrip=False)
    encode_ms = (time.perf_counter() - start) * 1000

    table = TokenTable()
    table.resize(1000, 700)
    table.show()
    app.processEvents()
    column = {key: number for number, key in enumerate(COLUMN_KEYS)}

    def clear() -> None:
        table.set_filter("")
        table.view.sortByColumn(column["index"], Qt.SortOrder.AscendingOrder)
        table.set_result(None)
        table.repaint()

    def set_and_paint() -> None:
        table.set_result(result)
        table.repaint()  # synchronous: the first screen of rows is drawn before it returns

    def fresh() -> None:
        clear()
        set_and_paint()

    def sort_by(key: str, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> Callable[[], None]:
        def run() -> None:
            table.view.sortByColumn(column[key], order)
            table.repaint()

        return run

    def back_to_text_order() -> None:
        table.view.sortByColumn(column["index"], Qt.SortOrder.AscendingOrder)

    def filter_by(text: str) -> Callable[[], None]:
        def run() -> None:
            table.set_filter(text)
            table.repaint()

        return run

    def scroll_to_end() -> None:
        table.view.scrollToBottom()
        table.repaint()

    def select_middle() -> None:
        table.select_token(len(result) // 2)
        table.repaint()

    def copy_all() -> None:
        table.view.selectAll()
        table.copy_selection()

    rows = [
        ("set_result + first paint", timed(set_and_paint, args.repeat, clear)),
        ("sort by id", timed(sort_by("id"), args.repeat, fresh)),
        ("sort by id, descending", timed(sort_by("id", Qt.SortOrder.DescendingOrder), 1, fresh)),
        ("sort by display (text)", timed(sort_by("display"), args.repeat, fresh)),
        ("sort by bytes (per row)", timed(sort_by("bytes"), 1, fresh)),
        ("back to text order", timed(back_to_text_order, args.repeat, sort_by("id"))),
        ("filter 'the' (first)", timed(filter_by("the"), 1, fresh)),
        ("filter 'case' (ids cached)", timed(filter_by("case"), args.repeat)),
        ("scroll to end + paint", timed(scroll_to_end, args.repeat, fresh)),
        ("select_token(middle) + paint", timed(select_middle, args.repeat, fresh)),
        ("select all + copy as TSV", timed(copy_all, 1, fresh)),
    ]
    print(f"{args.tokenizer}: {len(result):,} tokens, {len(text):,} characters")
    print(f"{'core encode (for scale)':32s} {encode_ms:9.1f} ms")
    for name, (median, worst) in rows:
        print(f"{name:32s} {median:9.1f} ms   (max {worst:.1f}, {median / encode_ms:.3f}× encode)")
    table.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
