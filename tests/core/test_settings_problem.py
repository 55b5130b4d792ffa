"""The one check of an encoding-settings combination, shared by the GUI and the CLI."""

from __future__ import annotations

import pytest

from inspector.core.settings import settings_problem


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("max_length", "none", None, 0, "single"), "needs a max_length"),
        (("none", "none", None, 3, "single"), "only works with truncation"),
        (("none", "longest_first", 4, 4, "single"), "must be smaller than max_length"),
        (("none", "only_second", 8, 0, "single"), "needs a pair text"),
    ],
)
def test_each_bad_combination_has_one_plain_message(
    args: tuple[str, str, int | None, int, str], words: str
) -> None:
    problem = settings_problem(*args)
    assert words in problem and "\n" not in problem


def test_good_combinations_have_none() -> None:
    assert settings_problem("none", "none", None, 0) == ""
    assert settings_problem("max_length", "only_second", 8, 2, "pair") == ""
