"""The client: plan partitions, run them on Dask distributed, merge results as they arrive.

By default a ``distributed.LocalCluster`` (one single-threaded worker process per CPU core, or
``workers``) is started and stopped here; with ``scheduler`` an existing cluster is used. A
bounded number of tasks is in flight and each result is merged and dropped on arrival, so the
client's memory does not grow with the corpus. A task lost with its worker is run again by
Dask; a result is only merged once its task finished, so totals stay exact.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from inspector.core.corpus.counting import (
    CountJob,
    PartitionCounts,
    count_partition,
    prepare_worker,
)
from inspector.core.corpus.inputs import PARTITION_BYTES, Partition, plan
from inspector.core.errors import Cancelled, InputError, InspectorError

CONNECT_TIMEOUT_S = 3  # an unreachable scheduler fails within this
POLL_S = 0.2  # how often a waiting client looks at its cancel flag
TASKS_PER_SLOT = 4  # a small corpus is cut finer, so no worker sits idle while one finishes
MIN_PARTITION_BYTES = 256 * 1024  # below this a task's fixed costs (result, merge) show
# A worker's own threads wake up and take Python's lock from the counting thread: the
# statistical profiler 100 times a second, the event loop's tick 50, the memory monitor 10,
# the system monitor 2. For the dashboard we do not show, that cost 10-15 % of the workers'
# CPU here (bench/README.md); so no profiler, and the others a few times a second at most.
EMBEDDED_WORKER_CONFIG = {
    "distributed.worker.profile.enabled": False,
    "distributed.admin.system-monitor.gil.enabled": False,  # 1000 a second, with gilknocker
    "distributed.admin.tick.interval": "1s",
    "distributed.worker.memory.monitor-interval": "500ms",
    "distributed.admin.system-monitor.interval": "2s",
}


class EngineError(InspectorError):
    """The cluster cannot be reached or started; one plain line."""


@dataclass
class Progress:
    documents: int
    input_bytes: int
    total_bytes: int
    partitions_done: int
    partitions: int
    elapsed_s: float

    @property
    def rate(self) -> float:
        """Input bytes per second so far."""
        return self.input_bytes / self.elapsed_s if self.elapsed_s > 0 else 0.0

    @property
    def eta_s(self) -> float | None:
        if not self.input_bytes or not self.rate:
            return None
        return max(self.total_bytes - self.input_bytes, 0) / self.rate


@dataclass
class EngineInfo:
    scheduler: str
    workers: int
    threads: int
    embedded: bool
    startup_s: float | None
    seconds: float = 0.0
    warmup_s: float = 0.0  # every worker loading the tokenizers, before the first task
    count_seconds: float = 0.0  # from the first task submitted to the last result merged
    # CPU seconds the workers spent meanwhile (all their threads): against count_seconds × N
    # it tells a busy machine (less CPU than wall) from extra work (more CPU per byte).
    worker_cpu_s: float = 0.0
    worker_peak_rss: list[int] = field(default_factory=list)  # bytes, per worker

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": "dask",
            "scheduler": self.scheduler,
            "workers": self.workers,
            "threads": self.threads,
            "embedded": self.embedded,
            "startup_seconds": None if self.startup_s is None else round(self.startup_s, 3),
            "seconds": round(self.seconds, 3),
            "warmup_seconds": round(self.warmup_s, 3),
            "count_seconds": round(self.count_seconds, 3),
            "worker_cpu_seconds": round(self.worker_cpu_s, 3),
            "worker_peak_rss_bytes": self.worker_peak_rss,
        }


@dataclass
class CorpusRun:
    counts: PartitionCounts
    engine: EngineInfo
    partitions: int
    paths: list[str] = field(default_factory=list)


class Cluster:
    """An embedded LocalCluster or a connection to a running scheduler; a context manager."""

    def __init__(self, scheduler: str | None = None, workers: int | None = None) -> None:
        self.scheduler = scheduler
        self.workers = workers
        self.client: Any = None
        self._local: Any = None
        self.startup_s: float | None = None

    def __enter__(self) -> Cluster:
        from distributed import Client, LocalCluster

        logging.getLogger("distributed").setLevel(logging.ERROR)
        if self.scheduler is not None:
            check_scheduler(self.scheduler)  # raises EngineError within CONNECT_TIMEOUT_S
            try:
                self.client = Client(
                    self.scheduler, timeout=f"{CONNECT_TIMEOUT_S}s", set_as_default=False
                )
            except Exception as err:  # it went away since the check: still one plain line
                raise _unreachable(self.scheduler, err) from None
            return self
        import dask  # after distributed: its defaults must be in the config set below

        started = time.perf_counter()
        workers = self.workers or usable_cores()
        try:
            with dask.config.set(EMBEDDED_WORKER_CONFIG), workers_deaf_to_ctrl_c():
                self._local = LocalCluster(
                    n_workers=workers,
                    threads_per_worker=1,
                    processes=True,
                    dashboard_address=None,
                    # Its HTTP server (health, metrics) still starts: on a free loopback port,
                    # not 8787, which another cluster may hold (a warning then, on stderr).
                    scheduler_kwargs={"dashboard": False, "dashboard_address": "127.0.0.1:0"},
                    silence_logs=logging.CRITICAL,  # task errors come back with their task
                    env=tokenizer_thread_env(workers),
                )
            self.client = Client(self._local, set_as_default=False)
        except Exception as err:
            self.__exit__(None, None, None)
            raise EngineError(f"cannot start a local Dask cluster: {err}") from None
        except BaseException:  # Ctrl+C while starting: no worker process is left behind
            self.__exit__(None, None, None)
            raise
        self.startup_s = time.perf_counter() - started
        return self

    def __exit__(self, *_exc: object) -> None:
        if self.client is not None:
            self.client.close()
            self.client = None
        if self._local is not None:
            self._local.close()
            self._local = None

    def worker_peak_rss(self) -> list[int]:
        """Each worker's peak resident memory in bytes (where the OS tells it)."""
        try:
            peaks = self.client.run(peak_rss_bytes)
        except Exception:
            return []  # a worker that went away at the end is no failure of the run
        return [int(v) for _address, v in sorted(peaks.items()) if v is not None]

    def worker_cpu_seconds(self) -> dict[str, float]:
        """Each worker process's CPU time so far, by worker address."""
        try:
            return {address: float(v) for address, v in self.client.run(time.process_time).items()}
        except Exception:
            return {}  # a worker on its way out: the figure is left out, not the run

    def info(self) -> EngineInfo:
        workers = self.client.scheduler_info(n_workers=-1)["workers"]
        return EngineInfo(
            scheduler=self.client.scheduler.address,
            workers=len(workers),
            threads=sum(int(w.get("nthreads", 1)) for w in workers.values()),
            embedded=self._local is not None,
            startup_s=self.startup_s,
        )


def _unreachable(address: str, err: BaseException) -> EngineError:
    reason = str(err).splitlines()[0] if str(err) else type(err).__name__
    return EngineError(f"cannot reach the Dask scheduler at {address} ({reason})")


def check_scheduler(address: str, timeout: float = CONNECT_TIMEOUT_S) -> None:
    """Raise EngineError unless a Dask scheduler answers at ``address`` within ``timeout``.

    ``Client`` has no deadline on its handshake: a server that accepts the connection and
    says nothing (an HTTP server) keeps it waiting for ever, and one that sends garbage can
    make it allocate a frame of any size. So a plain comm asks the scheduler who it is, in a
    daemon thread with its own event loop, and the caller waits at most ``timeout`` for it;
    a probe still stuck then (a slow DNS lookup) is left behind, and stops the exit of
    nothing.
    """
    from distributed.comm import registry
    from distributed.comm.addressing import parse_address, parse_host_port

    try:
        scheme, location = parse_address(address, strict=False)
        registry.get_backend(scheme)
        if scheme in ("tcp", "tls"):
            host, port = parse_host_port(location)
            if not host or not 0 < int(port) < 65536:
                raise ValueError("a host and a port from 1 to 65535 are needed")
    except Exception as err:  # ValueError, or a bad scheme
        raise EngineError(
            f"not a Dask scheduler address: {address} "
            f"({str(err) or type(err).__name__}; e.g. tcp://host:8786)"
        ) from None
    outcome: list[BaseException | None] = []

    def probe() -> None:
        try:
            asyncio.run(asyncio.wait_for(_identify(address, timeout), timeout))
            outcome.append(None)
        except BaseException as err:  # MemoryError from garbage too: any failure is the same
            outcome.append(err)

    thread = threading.Thread(target=probe, name="dask-scheduler-check", daemon=True)
    thread.start()
    thread.join(timeout + 0.5)  # the probe's own deadline, and a little for its loop to close
    if not outcome:
        raise EngineError(
            f"cannot reach the Dask scheduler at {address} (no answer within {timeout:g} s)"
        )
    if outcome[0] is not None:
        if isinstance(outcome[0], TimeoutError):
            raise EngineError(
                f"cannot reach the Dask scheduler at {address} (no answer within {timeout:g} s)"
            )
        raise _unreachable(address, outcome[0])


async def _identify(address: str, timeout: float) -> None:
    """Connect, handshake and ask ``identity``: only a scheduler answers that as one."""
    from distributed.comm import connect
    from distributed.security import Security

    # TLS settings from the Dask config, as Client would use them (tls:// schedulers)
    comm = await connect(address, timeout=timeout, **Security().get_connection_args("client"))
    try:
        await comm.write({"op": "identity", "n_workers": 0, "reply": True})
        answer = await comm.read()
    finally:
        comm.abort()
    if not isinstance(answer, dict) or answer.get("type") != "Scheduler":
        kind = answer.get("type") if isinstance(answer, dict) else None
        raise ValueError(
            f"what answers there is not a Dask scheduler{f' but a {kind}' if kind else ''}"
        )


@contextlib.contextmanager
def workers_deaf_to_ctrl_c() -> Iterator[None]:
    """While the embedded cluster starts, SIGINT is ignored (main thread only; else as is).

    A terminal's Ctrl+C goes to the whole process group: every worker printed its own
    KeyboardInterrupt traceback while the client stopped them anyway. An ignored signal
    stays ignored across the workers' spawn (fork + exec; a handler would be reset), so
    only the client reacts. The cost: a Ctrl+C during the cluster's start-up (a few
    seconds) is not seen; the next one is.
    """
    if threading.current_thread() is not threading.main_thread():
        yield  # signal.signal works there only (the window counts on a worker thread)
        return
    before = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, before)


def usable_cores() -> int:
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # macOS, Windows
        return os.cpu_count() or 1


def tokenizer_thread_env(workers: int) -> dict[str, str]:
    """Environment of the embedded workers: the Rust tokenizer's thread pool of each gets its
    share of the cores, not all of them (N workers × all cores oversubscribes the machine).

    One core each: HF ``encode_batch`` runs in the task's own thread, no pool at all. What
    the user set in the environment stays as it is.
    """
    threads = max(1, usable_cores() // max(workers, 1))
    wanted = {
        "RAYON_NUM_THREADS": str(threads),
        "TOKENIZERS_PARALLELISM": "true" if threads > 1 else "false",
    }
    return {name: value for name, value in wanted.items() if name not in os.environ}


def partition_target(total_bytes: int, slots: int, most: int = PARTITION_BYTES) -> int:
    """Input bytes per task: ``most``, or less when the corpus gives too few tasks per slot."""
    share = -(-total_bytes // max(slots * TASKS_PER_SLOT, 1))
    return min(most, max(MIN_PARTITION_BYTES, share))


def peak_rss_bytes() -> int | None:
    """This process's peak RSS in bytes (run on each worker), where the OS tells it.

    Linux: VmHWM, not ru_maxrss, which a spawned worker inherits from its parent's peak.
    """
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    try:
        import resource
    except ImportError:  # Windows
        return None
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return int(peak) * (1 if sys.platform == "darwin" else 1024)  # macOS says bytes


def run_corpus(
    paths: Sequence[Path],
    job: CountJob,
    *,
    glob: str | None = None,
    scheduler: str | None = None,
    workers: int | None = None,
    progress: Callable[[Progress], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
    on_started: Callable[[Cluster], None] | None = None,
    partition_bytes: int = PARTITION_BYTES,
) -> CorpusRun:
    """Count a corpus; raises InputError for an empty one, Cancelled once ``cancelled()``."""
    partitions = plan(paths, glob, partition_bytes)
    if not partitions:
        where = ", ".join(str(p) for p in paths)
        extra = f" matching {glob}" if glob else ""
        raise InputError(f"the corpus is empty: no files{extra} in {where}")
    begun = time.perf_counter()
    with Cluster(scheduler, workers) as cluster:
        info = cluster.info()
        slots = max(info.threads, 1)
        target = partition_target(sum(p.size for p in partitions), slots, partition_bytes)
        if target < partition_bytes:
            partitions = plan(paths, glob, target)
        if on_started is not None:
            on_started(cluster)
        warming = time.perf_counter()
        cluster.client.run(
            prepare_worker, job.tokenizers, job.split_special_tokens, job.trust_remote_code
        )
        info.warmup_s = time.perf_counter() - warming
        counting = time.perf_counter()
        cpu_before = cluster.worker_cpu_seconds()
        counts = _run(cluster.client, partitions, job, slots, progress, cancelled)
        info.count_seconds = time.perf_counter() - counting
        cpu_after = cluster.worker_cpu_seconds()
        # A worker that died and came back has a new clock: only the ones there throughout.
        info.worker_cpu_s = sum(
            max(cpu_after[w] - cpu_before[w], 0.0) for w in cpu_before.keys() & cpu_after.keys()
        )
        info.seconds = time.perf_counter() - begun
        info.worker_peak_rss = cluster.worker_peak_rss()
    return CorpusRun(counts, info, len(partitions), [str(p) for p in paths])


def _run(
    client: Any,
    partitions: list[Partition],
    job: CountJob,
    slots: int,
    progress: Callable[[Progress], None] | None,
    cancelled: Callable[[], bool] | None,
) -> PartitionCounts:
    from distributed import wait

    total_bytes = sum(p.size for p in partitions)
    queue = iter(partitions)
    in_flight: set[Any] = set()
    merged = PartitionCounts()
    started = time.perf_counter()
    done = 0

    def fill() -> None:
        while len(in_flight) < 2 * slots + 1:
            partition = next(queue, None)
            if partition is None:
                return
            in_flight.add(client.submit(count_partition, partition, job, pure=False))

    try:
        fill()
        if progress is not None:  # the total is known before the first result
            progress(Progress(0, 0, total_bytes, 0, len(partitions), 0.0))
        while in_flight:
            if cancelled is not None and cancelled():
                raise Cancelled()
            try:
                with client.as_current():  # wait() finds its client as the current one
                    finished, _rest = wait(in_flight, timeout=POLL_S, return_when="FIRST_COMPLETED")
            except TimeoutError:
                continue
            for future in finished:
                in_flight.discard(future)
                merged.add(_result(future))
                future.release()
                done += 1
            fill()
            if progress is not None:
                documents = sum(t.documents for t in merged.text.values())
                progress(
                    Progress(
                        documents,
                        merged.input_bytes,
                        total_bytes,
                        done,
                        len(partitions),
                        time.perf_counter() - started,
                    )
                )
    except BaseException:
        if in_flight:
            client.cancel(list(in_flight), force=True)
        raise
    return merged


def _result(future: Any) -> PartitionCounts:
    """A task's result; its own errors (InputError…) as they are, the cluster's in one line."""
    from distributed import KilledWorker
    from distributed.comm.core import CommClosedError

    try:
        return future.result()
    except KilledWorker:
        raise EngineError(
            "Dask gave up on a partition: the workers running it died again and again "
            "(out of memory? see the workers' logs)"
        ) from None
    except (CommClosedError, TimeoutError) as err:  # the scheduler went away
        raise EngineError(f"the Dask cluster went away during the run ({err})") from None
