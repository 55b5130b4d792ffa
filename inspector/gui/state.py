"""The session's state, evented: what the window shows, owned in one place.

Widgets and docks get the state in ``__init__``, change it through its methods and follow it
through its signals; none reaches into another widget or into the window (napari's viewer
model is the example). The state owns the catalog, the one job runner, the child processes
(the encoder of long texts, the tiktoken host), the tokenizer (and the one before any "what if"
tokens), the text, pair text, settings and mode, the result shown, the selected token, and the
model (``state.model``).

Staleness by construction: one job channel per resource that results depend on.
``tokenizer`` carries loads and "what if" copies alike, so the last asked for wins whatever
finishes first; ``encode`` is resubmitted on every change, and its result lands only if the
tokenizer it was made with is still the current one (an id checked where it lands). The model
has one channel for every device (see :mod:`inspector.gui.model_service`).

Never a result of one tokenizer under the name of another: the state remembers which
tokenizer (and which input) the result shown was made with. An encode cancelled after a
tokenizer change goes back to that tokenizer (Cancel undoes the change whose encode it stops:
the tokens shown stay, under their own name); one that fails clears the result instead (the
new tokenizer was wanted: the window offers to try again).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from inspector.core.array_slices import workers_wait
from inspector.core.batch import batch_inputs, batch_line_numbers
from inspector.core.cancel import CancelToken
from inspector.core.catalog import Catalog
from inspector.core.encode_process import (
    PROCESS_THRESHOLD,
    EncodeProcess,
    can_use_process,
    converts_here,
)
from inspector.core.encoding import BatchResult, EncodingResult, encode, encode_batch
from inspector.core.errors import EncodeError
from inspector.core.examples import AddedTokens
from inspector.core.remote_copy import RemoteTokenizer, makes_copy_elsewhere, what_if_copy
from inspector.core.settings import MODES, EncodeSettings
from inspector.core.tiktoken_fast import TiktokenTokenizer
from inspector.core.tiktoken_host import TiktokenHost
from inspector.core.tokenizer import LoadedTokenizer
from inspector.gui.document_text import joined
from inspector.gui.jobs import JobRunner
from inspector.gui.model_service import ModelService

TOKENIZER_CHANNEL = "tokenizer"  # loads and "what if" copies: the last asked for wins
ENCODE_CHANNEL = "encode"
PAIR_MODES = ("pair", "batch")  # modes that read the pair pane (batch: one pair per line)
RUNNER_THREADS = 8  # the window's jobs, the model's and the comparison's rows side by side


@dataclass(frozen=True)
class TokenizerInUse:
    """The tokenizer of the window and what it is: enough to go back to it as it was."""

    tokenizer: LoadedTokenizer
    base: LoadedTokenizer  # before "what if" tokens (``tokenizer`` itself when none)
    name: str  # what was loaded (catalog id, path, hub id)
    added: AddedTokens | None  # the "what if" tokens of ``tokenizer``
    generation: int  # results carry it: one made with another is stale


# -- jobs (run on pool threads; plain data in, plain data out) ------------------------------


def _load_job(catalog: Catalog, name: str, *, cancel: CancelToken) -> LoadedTokenizer:
    tok = catalog.load(name)
    if isinstance(tok, TiktokenTokenizer) and not cancel.cancelled:
        tok.prepare()  # here, not in the first encode after the tokenizer is shown
    return tok


def _what_if_job(
    tok: LoadedTokenizer,
    tokens: list[str],
    special: bool,
    process: EncodeProcess,
    *,
    cancel: CancelToken,
) -> LoadedTokenizer:
    # A tiktoken copy here would freeze the window twice; another library's load once.
    if isinstance(tok, (TiktokenTokenizer, RemoteTokenizer)) and makes_copy_elsewhere(tok):
        return what_if_copy(tok, tokens, special, process, cancelled=lambda: cancel.cancelled)
    return tok.with_added_tokens(tokens, special)


# result_settled comes this long after result_changed: a timer, not a posted call. Posted calls
# ran back to back with the strip's repaint in one pass of the event loop (the window's input
# and timers waited for the settle and the panels' repaint too: 15-28 ms); a timer lets the
# loop take its input between the two.
SETTLE_MS = 2


class _Progress(QObject):
    """Progress of the encode under way, from its pool thread (queued to the GUI thread)."""

    step = Signal(int, float)  # encode serial, share done (0..1)


def _encode_job(
    tok: LoadedTokenizer,
    text: str | list[str],
    pair: str | None,
    settings: EncodeSettings,
    mode: str,
    process: EncodeProcess,
    report: tuple[Any, int] | None = None,
    *,
    cancel: CancelToken,
) -> EncodingResult | BatchResult:
    """``report``: (a bound ``_Progress.step``, the serial): the round trip's share done."""
    text = joined(text)  # lines from the document reader are joined here, on a pool thread
    # A cancel kills the child (a Rust call cannot be stopped otherwise), and the next request
    # starts and loads again (seconds for a tiktoken what-if copy, which encodes only there):
    # worth it for a long text; a short one is answered in milliseconds, its result dropped.
    long = len(text) + len(pair or "") >= PROCESS_THRESHOLD
    cancelled = (lambda: cancel.cancelled) if long else (lambda: False)
    if mode == "batch":  # line i of the text pairs with line i of the pair text, if any
        texts, pairs = batch_inputs(text, pair or "")
        if converts_here(tok, text, None if pairs is None else "", settings):
            return process.encode_batch(tok, text, pair or "", settings, cancelled=cancelled)
        return encode_batch(tok, texts, settings, pairs=pairs)
    pair = pair if mode == "pair" else None
    # A long text, or a tiktoken conversion to build: a thread would hold the GIL and the
    # window would freeze.
    if can_use_process(tok, text, pair, settings):
        return process.encode(tok, text, settings, pair, cancelled=cancelled)
    if report is None:
        return encode(tok, text, settings, pair)
    step, serial = report
    shown = [-1]

    def progress(share: float) -> None:
        percent = int(share * 100)
        if percent != shown[0]:  # a hundred signals at most
            shown[0] = percent
            step.emit(serial, share)

    return encode(tok, text, settings, pair, progress=progress, cancelled=lambda: cancel.cancelled)


class InspectorState(QObject):
    """One session: tokenizer, text, settings, result, selection, model."""

    tokenizer_loading = Signal(str)  # name asked for
    tokenizer_changed = Signal(object)  # the LoadedTokenizer now used (base or "what if" copy)
    tokenizer_failed = Signal(str)  # plain message; the tokenizer before stays
    settings_changed = Signal()  # settings or mode
    edited = Signal()  # text, pair, settings or mode changed: results on the old input are moot
    result_changed = Signal(object)  # EncodingResult | None, the one the strip shows
    # The same result a turn of the event loop later (dropped when a newer one came by then):
    # what the docked panels follow, so the strip the user watches while typing paints first.
    result_settled = Signal(object)
    batch_changed = Signal(object)  # BatchResult | None (batch mode)
    encode_failed = Signal(str)
    # An encode (and a tokenizer change under way) was cancelled: the name of the tokenizer
    # the window went back to (the one its tokens were made with), "" when it stayed.
    encode_cancelled = Signal(str)
    # An encode is under way (True) or over: landed, failed or cancelled (False). A window
    # shows progress and a Cancel (``cancel_encode``) while one takes long.
    encoding_busy = Signal(bool)
    encode_progress = Signal(float)  # share of the round trip done (a thread's encode only)
    token_selected = Signal(int)  # strip, table or a model panel selected a token
    token_hovered = Signal(int)  # -1: none
    tokens_highlighted = Signal(object)  # token indices under the text selection (numpy)

    def __init__(self, catalog: Catalog | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        # tiktoken's encodings live in this child (building one here freezes the window), and
        # every other tokenizer is loaded in the encode process (loading one here holds the
        # lock in Rust/C calls); a catalog given from outside keeps its own choice.
        self.tiktoken_host = TiktokenHost()
        self.encode_process = EncodeProcess()  # started on first use
        self.catalog = catalog or Catalog(
            encoding_host=self.tiktoken_host, load_process=self.encode_process
        )
        # The one runner of the window: tokenizer, encode, model, comparison rows, export…,
        # each on its own channels. Threads enough that a model load or the comparison's rows
        # never hold up the window's own encode.
        self.runner = JobRunner(self, max_threads=RUNNER_THREADS)
        self.model = ModelService(self.catalog, self, runner=self.runner)
        # What ``in_use`` says, as plain attributes (what the widgets read).
        self.tokenizer: LoadedTokenizer | None = None
        self.base_tokenizer: LoadedTokenizer | None = None  # before "what if" tokens
        self.tokenizer_name = ""  # what was loaded (catalog id, path, hub id)
        self.added_tokens: tuple[str, ...] = ()  # "what if" tokens in the current tokenizer
        self.added_special = False  # … added as special tokens
        self.in_use: TokenizerInUse | None = None
        self.pending_name = ""  # what is being loaded
        self._what_if_pending = False  # the tokenizer job under way is a "what if" copy
        self.text: str | list[str] = ""  # a long text comes as its lines (DocumentReader)
        self.pair = ""
        self.settings = EncodeSettings()
        self.mode = "single"
        self.result: EncodingResult | None = None
        self.batch: BatchResult | None = None
        self.batch_row = 0  # the text of the batch that ``result`` is (batch mode)
        self._batch_lines: list[int] = []  # per text of the batch: its line in the text pane
        self.selected_token: int | None = None
        self._generations = itertools.count(1)
        self._generation = 0  # changes with every tokenizer change: results carry theirs
        self._input_version = 0  # changes with every edit of text, pair, settings or mode
        # What the result shown was made with: its tokenizer and the input's version then.
        self._shown_with: tuple[TokenizerInUse, int] | None = None
        self._progress = _Progress(self)
        self._progress.step.connect(self._on_progress)
        self._encode_serial = 0  # the encode under way (progress of an older one is dropped)
        self.encoding = False  # an encode is under way

    # -- the tokenizer -------------------------------------------------------------------
    @property
    def is_modified(self) -> bool:
        """The tokenizer is a "what if" copy with added tokens."""
        return self.tokenizer is not None and self.tokenizer is not self.base_tokenizer

    def load_tokenizer(self, name: str, *, then_add: AddedTokens | None = None) -> None:
        """Load ``name``; ``then_add``: once it is there, a "what if" copy with these tokens
        (a restored session, an example)."""
        name = name.strip()
        if not name:
            return
        entry = self.catalog.entry(name)
        name = entry.id if entry is not None else name  # an alias is shown as its id
        self.pending_name = name
        self._what_if_pending = False
        self.tokenizer_loading.emit(name)
        self.runner.submit(
            TOKENIZER_CHANNEL,
            _load_job,
            self.catalog,
            name,
            done=lambda tok: self._on_loaded(tok, name, then_add),
            failed=lambda message: self._on_tokenizer_failed(
                self.tr("Could not load that tokenizer: {0}").format(message)
            ),
        )

    def _on_loaded(self, tok: LoadedTokenizer, name: str, then_add: AddedTokens | None) -> None:
        self._use_tokenizer(tok, name)
        if then_add is not None:
            self.add_tokens(list(then_add.tokens), then_add.special)

    def add_tokens(self, tokens: list[str], special: bool) -> None:
        """A "what if" copy of the base tokenizer with ``tokens`` added."""
        base, name, tokens = self.base_tokenizer, self.tokenizer_name, list(tokens)
        if base is None or not tokens:
            return
        self.pending_name = name
        self._what_if_pending = True
        added = AddedTokens(tuple(tokens), special)
        self.runner.submit(
            TOKENIZER_CHANNEL,
            _what_if_job,
            base,
            tokens,
            special,
            self.encode_process,
            done=lambda tok: self._use_tokenizer(tok, name, added=added),
            failed=lambda message: self._on_tokenizer_failed(
                self.tr("Could not add those tokens: {0}").format(message)
            ),
        )

    def reset_tokens(self) -> None:
        """Back to the tokenizer without "what if" tokens (a load under way goes on)."""
        if self._what_if_pending:
            self._what_if_pending = False
            self.runner.cancel(TOKENIZER_CHANNEL)
        if self.base_tokenizer is not None and self.is_modified:
            self._use_tokenizer(self.base_tokenizer, self.tokenizer_name)

    def _use_tokenizer(
        self, tok: LoadedTokenizer, name: str, *, added: AddedTokens | None = None
    ) -> None:
        """``added`` None: ``tok`` is a base tokenizer; else the copy with those tokens."""
        base = tok if added is None or self.base_tokenizer is None else self.base_tokenizer
        self._set_in_use(TokenizerInUse(tok, base, name, added, next(self._generations)))
        self.request_encode()

    def _set_in_use(self, in_use: TokenizerInUse) -> None:
        self.in_use = in_use
        self._generation = in_use.generation
        self.base_tokenizer, self.tokenizer, self.tokenizer_name = (
            in_use.base,
            in_use.tokenizer,
            in_use.name,
        )
        self.added_tokens = () if in_use.added is None else in_use.added.tokens
        self.added_special = in_use.added is not None and in_use.added.special
        self.pending_name = ""
        self._what_if_pending = False
        self.tokenizer_changed.emit(in_use.tokenizer)

    def _on_tokenizer_failed(self, message: str) -> None:
        self.pending_name = ""
        self._what_if_pending = False
        self.tokenizer_failed.emit(message)

    # -- the input -----------------------------------------------------------------------
    def set_text(self, text: str | list[str]) -> None:
        self.text = text
        self._input_edited()
        self.request_encode()

    def text_changing(self) -> None:
        """A long text is being read after an edit: results on the old one are moot now."""
        self._input_edited()

    def set_pair(self, pair: str) -> None:
        self.pair = pair
        if self.mode in PAIR_MODES:
            self._input_edited()
            self.request_encode()

    def set_settings(self, settings: EncodeSettings, mode: str) -> None:
        if mode not in MODES:
            raise ValueError(f"mode is one of {', '.join(MODES)}, not {mode!r}")
        if (settings, mode) == (self.settings, self.mode):
            return
        self.settings, self.mode = settings, mode
        self.settings_changed.emit()
        self._input_edited()
        self.request_encode()

    def _input_edited(self) -> None:
        self._input_version += 1
        self.edited.emit()

    # -- encoding ------------------------------------------------------------------------
    @property
    def result_is_current(self) -> bool:
        """The result shown was made with the tokenizer of now, on the input of now (False:
        none is shown, or an encode since was cancelled or failed, or is still under way)."""
        shown = self._shown_with
        return (
            shown is not None
            and shown[0].generation == self._generation
            and shown[1] == self._input_version
        )

    def request_encode(self) -> None:
        """Encode the input with the tokenizer now (the window's Retry calls it too)."""
        in_use = self.in_use
        if in_use is None:
            return
        version = self._input_version
        self._encode_serial += 1
        self.runner.submit(
            ENCODE_CHANNEL,
            _encode_job,
            in_use.tokenizer,
            self.text,
            self.pair if self.mode in PAIR_MODES else None,
            self.settings,
            self.mode,
            self.encode_process,
            (self._progress.step, self._encode_serial),
            done=lambda value: self._on_encoded(in_use, version, value),
            failed=self._on_encode_failed,
        )
        self._set_encoding(True)

    def cancel_encode(self) -> None:
        """Stop the encode under way (a thread at its next check, the child process killed)
        and any tokenizer change under way; the result shown before stays, and so does — or
        comes back — the tokenizer it was made with (``encode_cancelled`` says which)."""
        self._stop_encode()
        if self.pending_name:  # a load or "what if" copy: its encode would start once it lands
            self.runner.cancel(TOKENIZER_CHANNEL)
            self.pending_name, self._what_if_pending = "", False
        shown = self._shown_with
        back = shown is not None and shown[0].generation != self._generation
        if shown is not None and back:
            self._set_in_use(shown[0])  # no encode: its tokens are the ones shown
        self.encode_cancelled.emit(self.tokenizer_name if back else "")

    def _stop_encode(self) -> None:
        self.runner.cancel(ENCODE_CHANNEL)
        self._encode_serial += 1
        self._set_encoding(False)

    def _set_encoding(self, busy: bool) -> None:
        if busy != self.encoding:
            self.encoding = busy
            self.encoding_busy.emit(busy)

    def _on_progress(self, serial: int, share: float) -> None:
        if serial == self._encode_serial and self.encoding:
            self.encode_progress.emit(share)

    def _on_encode_failed(self, message: str) -> None:
        self._set_encoding(False)
        shown = self._shown_with
        if shown is not None and shown[0].generation != self._generation:
            # Tokens of the tokenizer before, under the new one's name: none shown instead
            # (the new one was wanted; the window offers to try it again).
            self._show(None, None, None)
        self.encode_failed.emit(message)

    def _on_encoded(
        self, in_use: TokenizerInUse, version: int, value: EncodingResult | BatchResult
    ) -> None:
        self._set_encoding(False)
        if in_use.generation != self._generation:
            return  # made with a tokenizer that is no longer the window's
        if isinstance(value, BatchResult):  # the strip stays on the text it showed
            self.batch_row = min(self.batch_row, len(value.results) - 1)
            self._batch_lines = batch_line_numbers(joined(self.text))
            result = value.results[self.batch_row] if value.results else None
            self._show(result, value, (in_use, version))
        else:
            self.batch_row = 0
            self._show(value, None, (in_use, version))

    def _show(
        self,
        result: EncodingResult | None,
        batch: BatchResult | None,
        made_with: tuple[TokenizerInUse, int] | None,
    ) -> None:
        self.result, self.batch, self._shown_with = result, batch, made_with
        self.selected_token = None
        self.batch_changed.emit(batch)
        self.result_changed.emit(result)
        QTimer.singleShot(SETTLE_MS, self, lambda: self._settle(result))

    def _settle(self, result: EncodingResult | None) -> None:
        if result is self.result:
            with workers_wait():  # the panels' slots call Qt, which calls back into Python
                self.result_settled.emit(result)

    def batch_inputs(self) -> tuple[list[str], list[str] | None]:
        """Batch mode's texts and pair texts as the window encodes them (Show code); pairs
        None when the pair pane is empty or its line count does not match."""
        text = joined(self.text)
        try:
            return batch_inputs(text, self.pair)
        except EncodeError:
            return batch_inputs(text, "")

    @property
    def batch_line(self) -> int:
        """The text pane's line that the result shown comes from (0 outside batch mode)."""
        lines = self._batch_lines if self.batch is not None else []
        return lines[self.batch_row] if self.batch_row < len(lines) else 0

    def show_batch_row(self, row: int) -> None:
        """Batch mode: make text ``row`` of the batch the result shown (strip, table…)."""
        batch = self.batch
        if batch is None or not 0 <= row < len(batch.results) or row == self.batch_row:
            return
        self.batch_row, self.result, self.selected_token = row, batch.results[row], None
        result = self.result
        self.result_changed.emit(result)
        QTimer.singleShot(SETTLE_MS, self, lambda: self._settle(result))

    # -- the selection -------------------------------------------------------------------
    def select_token(self, index: int) -> None:
        result = self.result
        if result is None or not 0 <= index < len(result) or index == self.selected_token:
            return
        self.selected_token = index
        self.token_selected.emit(index)

    def hover_token(self, index: int) -> None:
        self.token_hovered.emit(index)

    def highlight_tokens(self, indices: object) -> None:
        """Light up these tokens (those under the text selection) wherever tokens are shown."""
        self.tokens_highlighted.emit(indices)

    # -- quitting ------------------------------------------------------------------------
    def shutdown(self, timeout_ms: int = 5000) -> bool:
        """Cancel every job; wait (bounded) for the running ones; stop the child processes.

        The children are killed first: an encode waiting on one then returns at its next
        poll, so quitting never waits for a long encode to finish.
        """
        self._stop_encode()  # nothing else: the window is going, nothing to show again
        self.encode_process.shut_down()  # a child still starting is not a failed start
        self.tiktoken_host.shut_down()
        model = self.model.shutdown(timeout_ms)
        return self.runner.shutdown(timeout_ms) and model
