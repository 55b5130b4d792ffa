"""Several encodings of one text on one shared axis: which token boundaries the others lack.

The axis is the UTF-8 byte offsets of the text (the finest one: a byte-level tokenizer can cut
one character into several tokens, and such a cut is a boundary the others do not have).

Definitions (the comparison view, the JSON comparison section and the tests use these):

* Row ``r`` *has a boundary* at byte position ``p`` (0 ≤ p ≤ len(bytes)) when none of its text
  tokens straddles ``p`` (``byte_start < p < byte_end``). Bytes no token covers (WordPiece drops
  spaces) are therefore boundaries everywhere inside.
* Whitespace is neutral (default): all positions touching one run of whitespace characters
  count as one place, so "hello| world" (GPT-2, ▁ of SentencePiece) and "hello |world"
  (WordPiece) agree. A token that swallows the whole run (" of the") still differs.
  ``compare(..., whitespace_neutral=False)`` compares raw byte positions instead.
* A token is *unshared* when its start or its end is a place where some other row has no
  boundary. An *unshared boundary* is such a place (listed per row, as byte offsets).
* Only tokens of the text (sequence 0) and of the pair text (sequence 1, on its own axis)
  take part. Special tokens (CLS, BOS, padding) and overflow windows do not: they are never
  marked unshared. Rows that failed (``error``) are kept as rows but take no part either.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

import numpy as np

from inspector.core import array_slices
from inspector.core.catalog import DEFAULT_TOKENIZER
from inspector.core.encoding import EncodingResult, TokenColumns
from inspector.core.errors import EncodeError
from inspector.core.offsets import char_to_byte, is_space
from inspector.core.span_index import SpanIndex

if TYPE_CHECKING:
    from inspector.core.report_model import ReportItem

# The tutorials' classic comparison (catalog ids): BERT-uncased WordPiece, GPT-2 BPE, cl100k,
# o200k, a SentencePiece model, Qwen. Sample text: resources/samples/mixed.txt.
PRESET_CLASSIC: tuple[str, ...] = (
    DEFAULT_TOKENIZER,
    "gpt2",
    "cl100k_base",
    "o200k_base",
    "mistral-v1",
    "qwen2.5",
)
PRESET_CLASSIC_SAMPLE = "mixed.txt"  # in resources/samples/ (also ../shared/samples/)

MAX_ROWS = 8  # the view shows 2…8; a single row is still a valid comparison


def preset_sample_text() -> str:
    """The text of the classic preset (resources/samples/mixed.txt)."""
    from inspector.core.sources import resources_dir

    return (resources_dir() / "samples" / PRESET_CLASSIC_SAMPLE).read_text("utf-8")


@dataclass(frozen=True)
class RowStats:
    """One row of the stats table."""

    tokens: int  # special included, padding excluded (as Stats.tokens)
    chars_per_token: float  # per text token
    bytes_per_token: float
    words_per_token: float
    unk_count: int
    unk_rate: float
    roundtrip_ok: bool | None  # None: round trip not computed
    vocab_size: int
    algorithm: str
    text_tokens: int = 0
    special_tokens: int = 0
    unshared_tokens: int = 0  # text tokens with an unshared start or end

    def to_dict(self) -> dict[str, Any]:
        return dict(vars(self))


@dataclass(frozen=True, eq=False)  # numpy fields: equality by identity, never elementwise
class ComparisonRow:
    requested: str
    result: EncodingResult | None
    error: str | None
    unshared: np.ndarray | None  # bool per token of result.columns (specials always False)
    stats: RowStats | None
    # Byte offsets (in the text) where this row cuts and some other row does not; sorted.
    unshared_boundaries: np.ndarray | None = None
    unshared_pair_boundaries: np.ndarray | None = None  # the same on the pair text's axis
    position: int = 0  # place in the comparison: the lanes' order, the stats table's unsorted

    @property
    def message(self) -> str:
        """Why there is no result (the error, or "loading…" while it is on its way)."""
        return "" if self.result is not None else self.error or ""

    @property
    def id(self) -> str:
        return self.result.tokenizer.id if self.result is not None else self.requested

    @property
    def ok(self) -> bool:
        return self.result is not None


@dataclass(frozen=True, eq=False)
class Comparison:
    """Rows of one text (and pair text), in the order given; failed rows included."""

    text: str
    pair: str | None
    rows: tuple[ComparisonRow, ...]
    whitespace_neutral: bool = True
    _index: dict[tuple[int, int], SpanIndex] = field(
        default_factory=dict, repr=False, compare=False
    )

    def __len__(self) -> int:
        return len(self.rows)

    @property
    def ok_rows(self) -> list[int]:
        return [i for i, row in enumerate(self.rows) if row.result is not None]

    @cached_property
    def text_bytes(self) -> int:
        return len(self.text.encode("utf-8", "surrogatepass"))

    def token_at(self, row: int, char_index: int, sequence_id: int = 0) -> int:
        """Index of the token (in ``rows[row].result.columns``) covering that character of the
        text (or pair text), -1 if none. Where several byte pieces cover one character, the
        first of them."""
        return int(self.tokens_at(row, np.array([char_index]), sequence_id)[0])

    def tokens_at(self, row: int, char_indices: np.ndarray, sequence_id: int = 0) -> np.ndarray:
        """``token_at`` for many characters at once (binary search, no per-token loop)."""
        result = self.rows[row].result
        if result is None:
            return np.full(np.shape(char_indices), -1, dtype=np.int64)
        return self._char_index(row, sequence_id, result.columns).first_covering(char_indices)

    def _char_index(self, row: int, sequence_id: int, cols: TokenColumns) -> SpanIndex:
        key = (row, sequence_id)
        found = self._index.get(key)
        if found is None:
            rows = np.flatnonzero(_in_sequence(cols, sequence_id))
            found = self._index[key] = SpanIndex.of(rows, cols.char_start, cols.char_end)
        return found


def _in_sequence(cols: TokenColumns, sequence_id: int) -> np.ndarray:
    return (cols.sequence_ids == sequence_id) & ~cols.special


def _place_classes(text: str, whitespace_neutral: bool) -> np.ndarray:
    """class[p] for every byte position p in 0..len(bytes): positions that count as one place.

    With whitespace neutral, position p joins the class of p-1 when byte p-1 is whitespace:
    every position from the start of a whitespace run to its end is then one class.
    """
    c2b = char_to_byte(text)
    size = int(c2b[-1])
    if not whitespace_neutral or not text:
        return np.arange(size + 1, dtype=np.int64)
    space_bytes = array_slices.repeat(is_space(text), np.diff(c2b))
    new_class = np.ones(size + 1, dtype=bool)
    new_class[1:] = ~space_bytes
    # A slice at a time (array_slices): one cumsum over 1 MB held Python's lock ~4 ms.
    classes = array_slices.cumsum_into(new_class, np.empty(size + 1, dtype=np.int64))
    classes -= 1
    return classes


def _straddled(cols: TokenColumns, in_seq: np.ndarray, size: int) -> np.ndarray:
    """straddled[p] is True where a token of the sequence has start < p < end."""
    start = cols.byte_start[in_seq]
    end = cols.byte_end[in_seq]
    wide = end - start >= 2
    opened = np.bincount(np.clip(start[wide] + 1, 0, size + 1), minlength=size + 2)
    closed = np.bincount(np.clip(end[wide], 0, size + 1), minlength=size + 2)
    opened -= closed
    depth = array_slices.cumsum_into(opened, np.empty(size + 2, dtype=np.int64))
    return depth[: size + 1] > 0


def _unshared_at(
    unshared_class: np.ndarray, classes: np.ndarray, start: np.ndarray, end: np.ndarray
) -> np.ndarray:
    """Is the place of ``start[i]`` or of ``end[i]`` unshared (a slice at a time)."""

    def part(a: int, b: int) -> np.ndarray:
        return unshared_class[classes[start[a:b]]] | unshared_class[classes[end[a:b]]]

    return array_slices.elementwise(part, len(start), bool)


def _axis(
    text: str,
    sequence_id: int,
    results: list[EncodingResult],
    whitespace_neutral: bool,
) -> list[tuple[np.ndarray, np.ndarray]]:
    """Per result: (unshared flag per token of its columns, unshared boundary byte offsets)."""
    classes = _place_classes(text, whitespace_neutral)
    size = len(classes) - 1
    count = int(classes[-1]) + 1
    has = []
    for result in results:
        cols = result.columns
        boundary = ~_straddled(cols, _in_sequence(cols, sequence_id), size)
        # A class is a boundary of the row if any of its positions is. Whole-axis steps here
        # go a slice at a time (array_slices): each held Python's lock 2-4 ms on 1 MB.
        own = np.zeros(count, dtype=bool)
        for a, b in array_slices.slices(size + 1):
            own[classes[a:b][boundary[a:b]]] = True
        has.append(own)
    total = np.zeros(count, dtype=np.int64)
    for own in has:
        total += own
    out = []
    for result, own in zip(results, has, strict=True):
        lacking = (len(results) - 1) - (total - own)  # other rows without a boundary there
        unshared_class = lacking > 0
        cols = result.columns
        in_seq = _in_sequence(cols, sequence_id)
        flags = np.zeros(len(cols), dtype=bool)
        rows = array_slices.flatnonzero(in_seq)
        start = np.clip(array_slices.take(cols.byte_start, rows), 0, size)
        end = np.clip(array_slices.take(cols.byte_end, rows), 0, size)
        either = _unshared_at(unshared_class, classes, start, end)
        for a, b in array_slices.slices(len(rows)):
            flags[rows[a:b]] = either[a:b]
        # The distinct token ends, in order: marked on the axis (np.unique's hash holds
        # Python's lock ~50 ms on 1 MB; this is linear and short).
        marked = np.zeros(size + 1, dtype=bool)
        array_slices.put(marked, start, True)
        array_slices.put(marked, end, True)
        marked[0] = marked[size] = False  # the text's two ends are shared by all
        cuts = array_slices.flatnonzero(marked)
        keep = _unshared_at(unshared_class, classes, cuts, cuts)
        out.append((flags, cuts[keep]))
    return out


def _row_stats(result: EncodingResult, unshared: np.ndarray) -> RowStats:
    stats = result.stats
    facts = result.tokenizer
    return RowStats(
        tokens=stats.tokens,
        chars_per_token=stats.chars_per_token,
        bytes_per_token=stats.bytes_per_token,
        words_per_token=stats.words_per_token,
        unk_count=stats.unk_count,
        unk_rate=stats.unk_rate,
        roundtrip_ok=None if result.roundtrip is None else bool(result.roundtrip.equal),
        vocab_size=facts.vocab_size,
        algorithm=facts.algorithm,
        text_tokens=stats.text_tokens,
        special_tokens=stats.special_tokens,
        unshared_tokens=int(unshared.sum()),
    )


def compare(
    items: Sequence[ReportItem | EncodingResult], *, whitespace_neutral: bool = True
) -> Comparison:
    """Put the encodings of one text (and pair text) side by side.

    ``items`` are results, or report items (``requested``, ``result`` or ``error``); a failed
    item stays a row with its error. All results must be of the same text and pair text.
    """
    normalized: list[tuple[str, EncodingResult | None, str | None]] = []
    for item in items:
        if isinstance(item, EncodingResult):
            normalized.append((item.tokenizer.id, item, None))
        else:
            normalized.append((item.requested, item.result, item.error))
    if len(normalized) > MAX_ROWS:
        raise EncodeError(f"a comparison takes at most {MAX_ROWS} tokenizers, not {len(items)}")
    results = [r for _, r, _ in normalized if r is not None]
    text = results[0].text if results else ""
    pair = results[0].pair if results else None
    for other in results[1:]:
        if other.text != text or other.pair != pair:
            raise EncodeError("the results to compare are not of the same text")
    main = _axis(text, 0, results, whitespace_neutral)
    second = _axis(pair, 1, results, whitespace_neutral) if pair is not None else None
    rows = []
    done = 0
    for position, (requested, result, error) in enumerate(normalized):
        if result is None:
            message = error or "no result"
            rows.append(ComparisonRow(requested, None, message, None, None, position=position))
            continue
        flags, cuts = main[done]
        pair_cuts = None
        if second is not None:
            pair_flags, pair_cuts = second[done]
            flags = flags | pair_flags
        done += 1
        rows.append(
            ComparisonRow(
                requested=requested,
                result=result,
                error=None,
                unshared=flags,
                stats=_row_stats(result, flags),
                unshared_boundaries=cuts,
                unshared_pair_boundaries=pair_cuts,
                position=position,
            )
        )
    return Comparison(text, pair, tuple(rows), whitespace_neutral)


def comparison_section(comparison: Comparison) -> dict[str, Any]:
    """The JSON report's ``comparison`` section (see README, report schema)."""
    c2b = char_to_byte(comparison.text)
    pair_c2b = char_to_byte(comparison.pair) if comparison.pair is not None else None
    rows: list[dict[str, Any]] = []
    for row in comparison.rows:
        if row.result is None or row.stats is None or row.unshared is None:
            rows.append({"id": row.requested, "requested": row.requested, "error": row.error})
            continue
        entry: dict[str, Any] = {
            "id": row.id,
            "requested": row.requested,
            "stats": row.stats.to_dict(),
            "unshared_tokens": np.flatnonzero(row.unshared).tolist(),
            "unshared_boundaries": _boundary_list(row.unshared_boundaries, c2b),
        }
        if pair_c2b is not None:
            entry["unshared_pair_boundaries"] = _boundary_list(
                row.unshared_pair_boundaries, pair_c2b
            )
        rows.append(entry)
    return {
        "axis": "utf-8 bytes of the text (pair text on its own axis)",
        "whitespace_neutral": comparison.whitespace_neutral,
        "text_bytes": comparison.text_bytes,
        "rows": rows,
    }


def _boundary_list(cuts: np.ndarray | None, c2b: np.ndarray) -> list[dict[str, Any]]:
    """Byte offsets → {byte, char, inside_char}: the character whose bytes it is at or in."""
    if cuts is None or not len(cuts):
        return []
    chars = np.searchsorted(c2b, cuts, side="right") - 1
    inside = c2b[chars] != cuts
    return [
        {"byte": b, "char": c, "inside_char": i}
        for b, c, i in zip(cuts.tolist(), chars.tolist(), inside.tolist(), strict=True)
    ]
