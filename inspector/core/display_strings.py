"""How a result's tokens are shown, computed once per distinct token.

A token's display string and explanation depend only on its id and whether it is special
(the tokenizer being fixed for a result), so a long text with a small working vocabulary
costs one ``display_token`` call per distinct id, not per token. The table, the Encoding
panel's grids and the model panels' axis labels all read through one of these.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from inspector.core.display import Translate, display_token, explain_token
from inspector.core.encoding import EncodingResult, TokenColumns


class DisplayStrings:
    """``strings.display(i)`` / ``strings.explanation(i)`` for token ``i`` of ``result``
    (or of ``columns``, an overflow window of the same result)."""

    def __init__(
        self,
        result: EncodingResult,
        previous: DisplayStrings | None = None,
        *,
        translate: Translate | None = None,
    ) -> None:
        """``previous``: the strings of an earlier result; its cache is kept when both were
        made with the same tokenizer (typing: each keystroke is a new result).
        ``translate``: explanations in the window's language (None: English)."""
        self.result = result
        self._algorithm = result.tokenizer.algorithm
        self._source = result._source  # the tokenizer the result was made with
        self._translate = translate
        # Two caches: a grid or table in view wants only display strings, and an explanation
        # costs several times more (character names, font coverage): made when a tip asks.
        self._displays: dict[tuple[int, bool], str] = {}
        self._explanations: dict[tuple[int, bool], str] = {}
        if previous is not None and previous._source is self._source:
            self._displays = previous._displays
            # The explanations are in one language: kept only for the same translation.
            if previous._translate is translate:
                self._explanations = previous._explanations

    def display(self, index: int, columns: TokenColumns | None = None) -> str:
        return self._cached(self._displays, index, columns, self._make_display)

    def explanation(self, index: int, columns: TokenColumns | None = None) -> str:
        return self._cached(self._explanations, index, columns, self._make_explanation)

    def _cached(
        self,
        cache: dict[tuple[int, bool], str],
        index: int,
        columns: TokenColumns | None,
        make: Callable[[str, bytes | None, bool], str],
    ) -> str:
        cols = self.result.columns if columns is None else columns
        key = (int(cols.ids[index]), bool(cols.special[index]))
        text = cache.get(key)
        if text is None:
            token_id, special = key
            raw = None if special else self._source.token_bytes(token_id)
            text = cache[key] = make(cols.tokens[index], raw, special)
        return text

    def _make_display(self, token: str, raw: bytes | None, special: bool) -> str:
        return display_token(token, raw, special, self._algorithm)

    def _make_explanation(self, token: str, raw: bytes | None, special: bool) -> str:
        return explain_token(token, raw, special, self._algorithm, translate=self._translate)

    def displays(self, indices: Iterable[int], columns: TokenColumns | None = None) -> list[str]:
        return [self.display(int(i), columns) for i in indices]
