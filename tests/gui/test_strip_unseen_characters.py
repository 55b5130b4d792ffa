"""The token strip shows a label, never a box or nothing, for controls (BEL, ESC), format
characters, tags, private use and unassigned characters: with this machine's real fonts."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from inspector.core.catalog import Catalog
from inspector.core.char_labels import drawable_check, set_drawable_check
from inspector.core.encoding import encode
from inspector.gui.font_coverage import install_font_coverage
from inspector.gui.widgets.token_strip import TokenStrip
from tests.cli.test_unseen_characters_export import LABELS, TEXT
from tests.gui.conftest import shown


def test_strip_labels_what_draws_nothing_or_a_box(
    qtbot: QtBot, catalog: Catalog, tmp_path: Path
) -> None:
    previous = drawable_check()
    coverage = install_font_coverage()
    try:
        strip = shown(qtbot, TokenStrip(), 1200, 400)
        result = encode(catalog.load("gpt2"), TEXT)
        strip.set_result(result)
        drawn = [strip.chip_text(i) for i in range(len(result))]
        drawn += [strip.group_label(i) for i in range(len(result))]
        strip.grab().save(str(tmp_path / "strip.png"))  # to look at when it fails
    finally:
        set_drawable_check(previous)
    seen = "".join(drawn)
    for label in LABELS:
        assert label in seen, label
    bel = next(d for i, d in enumerate(drawn[: len(result)]) if result.columns.ids[i] == 195)
    assert bel in ("␇", "⟨U+0007⟩")  # the control picture only where a font has it
    assert [c for c in set(seen) if not c.isspace() and not coverage(c)] == []  # no box
    assert not set("\x07\x1b\u200b\U000e0041\ue000\u0378\x85\u2060") & set(seen)
