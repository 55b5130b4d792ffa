"""The one place threads are started: a QThreadPool with job ids, supersede and stale drop.

Work runs as plain functions on pool threads and returns plain data (frozen dataclasses,
numpy arrays). Results come back to the GUI thread through a relay QObject that the GUI
owns; a runnable never owns the QObject that emits (it could die on the pool thread).
Each job belongs to a channel ("encode", "model", "compare:row-3", …): a new job on a channel
supersedes the previous one — a queued one is taken back, a running one is told to stop, and
whatever it returns later is dropped. The window has ONE runner (the state's); each part
names its channels under its own prefix ("compare:", "model", "export"), so it can count,
wait for or abandon its own jobs without knowing anyone else's.
"""

from __future__ import annotations

import itertools
import threading
import time
import traceback
import weakref
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, QRunnable, QThreadPool, Signal, Slot

from inspector.core.background import lower_this_thread
from inspector.core.cancel import CancelToken
from inspector.core.errors import Cancelled, InspectorError
from inspector.gui.i18n import error_text

Done = Callable[[Any], None]
Failed = Callable[[str], None]

# Every live runner, so tests can check that none leaves work behind.
RUNNERS: weakref.WeakSet[JobRunner] = weakref.WeakSet()


def work_left() -> bool:
    """Is any runner still running a job (one cancelled at quit included)?"""
    import shiboken6

    return any(shiboken6.isValid(r) and r.active() > 0 for r in list(RUNNERS))


class _Relay(QObject):
    done = Signal(str, int, object)
    error = Signal(str, int, str)


class _Job(QRunnable):
    def __init__(
        self,
        relay: _Relay,
        channel: str,
        job_id: int,
        fn: Callable[..., Any],
        args: tuple[Any, ...],
        token: CancelToken,
        callbacks: tuple[Done | None, Failed | None] = (None, None),
    ) -> None:
        super().__init__()
        self.setAutoDelete(False)  # the runner keeps it until its result is delivered
        self._done = relay.done  # only bound signals cross into the pool thread
        self._error = relay.error
        self.channel, self.job_id = channel, job_id
        self._fn, self._args, self.token = fn, args, token
        self.on_done, self.on_failed = callbacks  # called on the GUI thread, if still current
        self.ended = threading.Event()  # run() has returned (set on the pool thread)

    def release(self) -> None:
        """Drop the work and the callbacks once the job is delivered or taken back. PySide's
        pool keeps every runnable it started for as long as it lives: what the job held would
        live as long (a text, a result), and callbacks that hold their widget would tie it
        into a cycle, which a garbage collection on any thread may then free, a QWidget
        deleted off the GUI thread."""
        self._fn, self._args = _released, ()
        self.on_done = self.on_failed = None

    def run(self) -> None:
        lower_this_thread()  # the pool's thread: below the GUI thread's priority from now on
        try:
            self._run()
        finally:
            self.ended.set()

    def _run(self) -> None:
        try:
            if self.token.cancelled:
                raise Cancelled
            result = self._fn(*self._args, cancel=self.token)
        except Cancelled:
            self._error.emit(self.channel, self.job_id, "")
        except InspectorError as err:
            self._error.emit(self.channel, self.job_id, error_text(err))  # in the UI's language
        except MemoryError:
            message = QCoreApplication.translate("JobRunner", "not enough memory for this job")
            self._error.emit(self.channel, self.job_id, message)
        except Exception as err:  # never let a worker die silently
            traceback.print_exc()
            message = QCoreApplication.translate("JobRunner", "internal error: {0}").format(err)
            self._error.emit(self.channel, self.job_id, message)
        else:
            self._done.emit(self.channel, self.job_id, result)


def _released(*_args: Any, cancel: CancelToken) -> None:
    raise Cancelled


class JobRunner(QObject):
    """Submit work by channel; get ``finished``/``failed`` for the latest job of each channel."""

    finished = Signal(str, int, object)  # channel, job id, result
    failed = Signal(str, int, str)  # channel, job id, plain message
    busy_changed = Signal(bool)

    def __init__(self, parent: QObject | None = None, max_threads: int = 2) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(max_threads)
        self._relay = _Relay(self)
        self._relay.done.connect(self._on_done)
        self._relay.error.connect(self._on_error)
        self._ids = itertools.count(1)
        self._latest: dict[str, _Job] = {}
        self._live: dict[int, _Job] = {}
        self._moot: set[str] = set()  # channel prefixes whose running jobs quitting ignores
        self._closed = False
        RUNNERS.add(self)

    def submit(
        self,
        channel: str,
        fn: Callable[..., Any],
        *args: Any,
        done: Done | None = None,
        failed: Failed | None = None,
    ) -> int:
        """Run ``fn(*args, cancel=token)`` on the pool; supersedes the channel's last job.

        ``done(result)`` / ``failed(message)`` belong to this submit: they are called only if
        the job is still the channel's latest when it lands (``failed`` not on a cancel).
        """
        if self._closed:
            return -1
        self.cancel(channel)
        job = _Job(self._relay, channel, next(self._ids), fn, args, CancelToken(), (done, failed))
        self._latest[channel] = job
        self._live[job.job_id] = job
        was_busy = len(self._live) > 1
        self._pool.start(job)
        if not was_busy:
            self.busy_changed.emit(True)
        return job.job_id

    def cancel(self, channel: str) -> None:
        job = self._latest.pop(channel, None)
        if job is None:
            return
        job.token.cancel()
        if self._pool.tryTake(job):  # still queued: it never runs
            self._forget(job.job_id)

    def is_current(self, channel: str, job_id: int) -> bool:
        job = self._latest.get(channel)
        return job is not None and job.job_id == job_id

    def active(self, prefix: str = "") -> int:
        """Jobs started and not yet delivered (running or queued), on channels that start
        with ``prefix`` (all of them by default)."""
        return sum(1 for job in self._live.values() if job.channel.startswith(prefix))

    def cancel_all(self, prefix: str) -> None:
        """Cancel every channel that starts with ``prefix``."""
        for channel in [c for c in self._latest if c.startswith(prefix)]:
            self.cancel(channel)

    def abandon(self, prefix: str) -> None:
        """Cancel the channels under ``prefix`` and never wait for their running jobs: what
        they return is moot (a Rust encode of a long text cannot be interrupted, and quitting
        must not wait for it)."""
        self.cancel_all(prefix)
        self._moot.add(prefix)

    def wait_for(self, prefix: str, timeout_ms: int = 30_000) -> bool:
        """Wait (bounded) until no job under ``prefix`` is running; True if none is."""
        jobs = [j for j in self._live.values() if j.channel.startswith(prefix)]
        return self._wait(jobs, timeout_ms)

    def stop_jobs_of(self, owner: QObject, prefix: str, timeout_ms: int = 5000) -> bool:
        """Stop ``owner``'s jobs: the whole runner if ``owner`` made it (it is the runner's
        parent), else only the channels under ``prefix``, waiting (bounded) for them."""
        if self.parent() is owner:
            return self.shutdown(timeout_ms)
        self.cancel_all(prefix)
        return self.wait_for(prefix, timeout_ms)

    def shutdown(self, timeout_ms: int = 5000) -> bool:
        """Cancel everything and wait (bounded) for running jobs, except abandoned ones;
        True if all those stopped. Nothing is delivered after this."""
        self._closed = True
        for channel in list(self._latest):
            self.cancel(channel)
        waited = [j for j in self._live.values() if not self._is_moot(j)]
        stopped = self._wait(waited, timeout_ms)
        if stopped:  # their queued results are moot: forget them now
            for job in waited:
                self._forget(job.job_id)
        return stopped

    def _wait(self, jobs: list[_Job], timeout_ms: int) -> bool:
        """Take back the queued ones, wait for the running ones until the deadline."""
        deadline = time.monotonic() + timeout_ms / 1000
        for job in jobs:
            if self._pool.tryTake(job):  # still queued: it never runs
                self._forget(job.job_id)
            elif not job.ended.wait(max(0.0, deadline - time.monotonic())):
                return False
        return True

    def _is_moot(self, job: _Job) -> bool:
        return any(job.channel.startswith(prefix) for prefix in self._moot)

    def wait(self, timeout_ms: int = 30_000) -> bool:
        return self._pool.waitForDone(timeout_ms)

    @Slot(str, int, object)
    def _on_done(self, channel: str, job_id: int, result: object) -> None:
        current = self.is_current(channel, job_id)
        job = self._live.get(job_id)
        on_done = None if job is None else job.on_done
        self._forget(job_id)
        if current:
            del self._latest[channel]
            if on_done is not None:
                on_done(result)
            self.finished.emit(channel, job_id, result)

    @Slot(str, int, str)
    def _on_error(self, channel: str, job_id: int, message: str) -> None:
        current = self.is_current(channel, job_id)
        job = self._live.get(job_id)
        on_failed = None if job is None else job.on_failed
        self._forget(job_id)
        if current:
            del self._latest[channel]
            if message:  # empty: cancelled, nothing to say
                if on_failed is not None:
                    on_failed(message)
                self.failed.emit(channel, job_id, message)

    def _forget(self, job_id: int) -> None:
        job = self._live.pop(job_id, None)
        if job is None:
            return
        job.release()
        if not self._live:
            self.busy_changed.emit(False)
