"""How a result's tokens are shown, computed once per distinct token.

A token's display string and explanation depend only on its id and whether it is special
(the tokenizer being fixed for a result), so a long text with a small working vocabulary
costs one ``display_token`` call per distinct id, not per token. The table, the Encoding
panel's grids and the model panels' axis labels all read through one of these.
"""

from __future__ import annotations

from collections.abc import Iterable

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
        self._cache: dict[tuple[int, bool], tuple[str, str]] = {}
        # The cache holds explanations in one language: kept only for the same translation.
        same_source = previous is not None and previous._source is self._source
        if same_source and previous is not None and previous._translate is translate:
            self._cache = previous._cache

    def _texts(self, index: int, columns: TokenColumns | None) -> tuple[str, str]:
        cols = self.result.columns if columns is None else columns
        key = (int(cols.ids[index]), bool(cols.special[index]))
        texts = self._cache.get(key)
        if texts is None:
            token_id, special = key
            token = cols.tokens[index]
            raw = None if special else self._source.token_bytes(token_id)
            texts = self._cache[key] = (
                display_token(token, raw, special, self._algorithm),
                explain_token(token, raw, special, self._algorithm, translate=self._translate),
            )
        return texts

    def display(self, index: int, columns: TokenColumns | None = None) -> str:
        return self._texts(index, columns)[0]

    def explanation(self, index: int, columns: TokenColumns | None = None) -> str:
        return self._texts(index, columns)[1]

    def displays(self, indices: Iterable[int], columns: TokenColumns | None = None) -> list[str]:
        return [self._texts(int(i), columns)[0] for i in indices]
