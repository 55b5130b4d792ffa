"""A corpus on disk → small partition descriptors (client side) → documents (worker side).

The client only lists files and their sizes; each worker opens the files of its partition and
streams documents from them, so no process ever holds the corpus. A plain text file is one
document, a JSONL line one document (lines end at ``\\n`` only: U+2028/U+2029 inside a JSON
string are characters, not line breaks), a Parquet row one document; ``.gz`` and ``.zst``
versions of each are read through a streaming decompressor.
"""

from __future__ import annotations

import codecs
import fnmatch
import gzip
import io
import json
import os
import shutil
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import IO, Any, Literal

from inspector.core.errors import InputError
from inspector.core.textinput import Errors, decode_text

Kind = Literal["text", "jsonl", "parquet"]

PARTITION_BYTES = 4 * 1024 * 1024  # input bytes per task: small enough to retry, big to amortize
BATCH_DOCUMENTS = 256  # documents handed to a tokenizer at once on a worker
NO_GROUP = "(none)"  # the group of a document without the --group-by field

_COMPRESSED = {".gz": "gzip", ".zst": "zstd", ".zstd": "zstd"}
_JSONL = {".jsonl", ".ndjson"}


@dataclass(frozen=True)
class Piece:
    """Part of one input file: a whole file, a byte range of a JSONL, row groups of a Parquet."""

    path: str
    group_dir: str  # the top folder under the input it was found in (--group-by dir)
    group_file: str  # its path relative to that input (--group-by file)
    kind: Kind
    compression: str | None
    start: int = 0  # JSONL: first byte; Parquet: first row group
    stop: int = -1  # JSONL: byte after the last (-1: to the end); Parquet: row group after last
    size: int = 0  # input bytes, for progress


@dataclass(frozen=True)
class Partition:
    """One task's worth of input: whole small files together, or a part of a big one."""

    pieces: tuple[Piece, ...]

    @property
    def size(self) -> int:
        return sum(piece.size for piece in self.pieces)


@dataclass(frozen=True)
class ReadOptions:
    text_field: str = "text"
    group_by: str = "dir"  # "dir", "file" or a JSONL/Parquet field name
    errors: Errors = "strict"


@dataclass(frozen=True)
class Document:
    text: str
    group: str


def kind_of(path: Path) -> tuple[Kind, str | None]:
    suffixes = [s.lower() for s in path.suffixes]
    compression = _COMPRESSED.get(suffixes[-1]) if suffixes else None
    if compression is not None:
        suffixes = suffixes[:-1]
    last = suffixes[-1] if suffixes else ""
    if last in _JSONL:
        return "jsonl", compression
    if last == ".parquet":
        return "parquet", compression
    return "text", compression


def _matches(relative: str, pattern: str | None) -> bool:
    if pattern is None:
        return True
    name = relative.rsplit("/", 1)[-1]
    return fnmatch.fnmatch(name, pattern) or fnmatch.fnmatch(relative, pattern)


def find_files(paths: Sequence[Path], glob: str | None = None) -> list[tuple[Path, str, str]]:
    """(file, group_dir, group_file) for every input file, folders walked in sorted order.

    Hidden files and folders (a leading dot: .git, .DS_Store) are left out of folders.
    """
    found: list[tuple[Path, str, str]] = []
    for given in paths:
        root = Path(given).expanduser()
        if root.is_dir():
            for folder, dirs, files in os.walk(root):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(files):
                    if name.startswith("."):
                        continue
                    path = Path(folder) / name
                    relative = path.relative_to(root).as_posix()
                    if not _matches(relative, glob):
                        continue
                    top = relative.split("/", 1)[0] if "/" in relative else root.name or "."
                    found.append((path, top, relative))
        elif root.exists():
            found.append((root, root.parent.name or ".", root.name))
        else:
            raise InputError(f"no such file or folder: {given}")
    return found


def plan(
    paths: Sequence[Path], glob: str | None = None, target: int = PARTITION_BYTES
) -> list[Partition]:
    """Partitions of about ``target`` input bytes: small files together, big ones cut."""
    partitions: list[Partition] = []
    pending: list[Piece] = []
    pending_size = 0

    def flush() -> None:
        nonlocal pending, pending_size
        if pending:
            partitions.append(Partition(tuple(pending)))
        pending, pending_size = [], 0

    for path, group_dir, group_file in find_files(paths, glob):
        kind, compression = kind_of(path)
        try:
            size = path.stat().st_size
        except OSError:
            size = 0  # the worker says why it cannot be read
        base = Piece(str(path), group_dir, group_file, kind, compression, size=size)
        for piece in _cut(base, target):
            pending.append(piece)
            pending_size += piece.size
            if pending_size >= target:
                flush()
    flush()
    return partitions


def _cut(piece: Piece, target: int) -> list[Piece]:
    """A big uncompressed JSONL in byte ranges, a Parquet file by row groups; else whole."""
    if piece.compression is None and piece.kind == "jsonl" and piece.size > target:
        starts = range(0, piece.size, target)
        return [
            replace(
                piece, start=s, stop=min(s + target, piece.size), size=min(target, piece.size - s)
            )
            for s in starts
        ]
    if piece.compression is None and piece.kind == "parquet" and piece.size > target:
        groups = _row_groups(piece.path)
        if groups > 1:
            step = max(1, groups * target // max(piece.size, 1))
            pieces = []
            for first in range(0, groups, step):
                last = min(first + step, groups)
                share = piece.size * (last - first) // groups
                pieces.append(replace(piece, start=first, stop=last, size=share))
            return pieces
    return [piece]


def _row_groups(path: str) -> int:
    try:
        import pyarrow.parquet as pq

        return int(pq.ParquetFile(path).metadata.num_row_groups)
    except Exception:
        return 1  # the worker reports what is wrong with it


# --------------------------------------------------------------------------- worker side


class Skipped(Exception):
    """A file that is left out of the counts, with the reason said in one line."""


def _open(piece: Piece) -> IO[bytes]:
    try:
        raw = open(piece.path, "rb")  # noqa: SIM115 - returned to the caller, who closes it
    except IsADirectoryError:
        raise Skipped(f"{piece.path} is a folder") from None
    except OSError as err:
        raise Skipped(f"cannot read {piece.path}: {err.strerror or err}") from None
    if piece.compression == "gzip":
        return gzip.GzipFile(fileobj=raw)  # type: ignore[return-value]
    if piece.compression == "zstd":
        import zstandard

        reader = zstandard.ZstdDecompressor().stream_reader(raw, closefd=True)
        return io.BufferedReader(reader)  # zstd's reader has no readline of its own
    return raw


def documents(piece: Piece, options: ReadOptions) -> Iterator[Document]:
    """Stream the documents of a piece; a file that cannot be used raises Skipped."""
    if piece.kind == "parquet":
        yield from _parquet_documents(piece, options)
        return
    with _open(piece) as stream:
        if piece.kind == "jsonl":
            yield from _jsonl_documents(stream, piece, options)
            return
        try:
            data = stream.read()
        except Exception as err:  # gzip/zstd damage: OSError, EOFError, ZstdError
            raise Skipped(f"cannot read {piece.path}: {err}") from None
    try:
        text = decode_text(data, piece.path, options.errors, refuse_binary=True)
    except InputError as err:
        raise Skipped(str(err)) from None
    group = piece.group_file if options.group_by == "file" else piece.group_dir
    if options.group_by not in ("dir", "file"):
        group = NO_GROUP
    yield Document(text, group)


def _jsonl_documents(stream: IO[bytes], piece: Piece, options: ReadOptions) -> Iterator[Document]:
    position = piece.start
    if piece.start > 0:
        # A line belongs to the range holding its first byte: skip the one begun before us.
        stream.seek(piece.start - 1)
        position = piece.start - 1 + len(stream.readline())
    number = 0
    while piece.stop < 0 or position < piece.stop:
        try:
            line = stream.readline()  # binary readline splits on b"\n" only
        except Exception as err:  # gzip/zstd damage: OSError, EOFError, ZstdError
            raise Skipped(f"cannot read {piece.path}: {err}") from None
        if not line:
            break
        number += 1
        position += len(line)
        if number == 1 and piece.start == 0:
            line = line.removeprefix(codecs.BOM_UTF8)  # an editor's BOM before the first record
        if line.strip():
            yield _json_document(line, piece, options, number)


def _line_number(piece: Piece, number_in_piece: int) -> int:
    """The file's own line number of a line in a byte range (only counted on an error)."""
    if piece.start <= 0:
        return number_in_piece
    with open(piece.path, "rb") as raw:
        before = raw.read(piece.start)
    preceding = before.count(b"\n") + (0 if before.endswith(b"\n") or not before else 1)
    return preceding + number_in_piece


def _json_document(line: bytes, piece: Piece, options: ReadOptions, number: int) -> Document:
    try:
        text_line = line.decode("utf-8", options.errors)
        record = json.loads(text_line)
    except (UnicodeDecodeError, ValueError) as err:
        where = f"{piece.path} line {_line_number(piece, number)}"
        if isinstance(err, UnicodeDecodeError):  # skipped, as a text file that is not UTF-8
            raise Skipped(
                f"{where} is not valid UTF-8: byte 0x{line[err.start]:02X} at column "
                f"{err.start + 1} (pass --errors replace to read it with U+FFFD)"
            ) from None
        raise InputError(f"{where} is not valid JSON ({err})") from None
    if not isinstance(record, dict):
        where = f"{piece.path} line {_line_number(piece, number)}"
        raise InputError(f"{where} is not a JSON object")
    text = record.get(options.text_field)
    if not isinstance(text, str):
        where = f"{piece.path} line {_line_number(piece, number)}"
        if options.text_field not in record:
            raise InputError(
                f"{where} has no field '{options.text_field}' (choose one with --text-field; "
                f"it has {', '.join(sorted(record)[:8]) or 'no fields'})"
            )
        raise InputError(f"{where}: field '{options.text_field}' is not a string")
    return Document(text, _group_of(record, piece, options))


def _group_of(record: dict, piece: Piece, options: ReadOptions) -> str:
    if options.group_by == "dir":
        return piece.group_dir
    if options.group_by == "file":
        return piece.group_file
    value = record.get(options.group_by)
    return NO_GROUP if value is None else str(value)


def _parquet_documents(piece: Piece, options: ReadOptions) -> Iterator[Document]:
    source: IO[bytes] | str = piece.path if piece.compression is None else _spooled(piece)
    try:
        yield from _parquet_rows(source, piece, options)
    finally:
        if not isinstance(source, str):
            source.close()


def _spooled(piece: Piece) -> IO[bytes]:
    """A compressed Parquet file, decompressed into a temporary file: Parquet reads its
    footer first, and zstd's stream reader cannot seek (gzip's can, by decompressing again)."""
    spool = tempfile.TemporaryFile()  # noqa: SIM115 - closed by the caller
    try:
        with _open(piece) as stream:
            shutil.copyfileobj(stream, spool, 1 << 20)
    except Skipped:
        spool.close()
        raise
    except Exception as err:  # gzip/zstd damage: OSError, EOFError, ZstdError
        spool.close()
        raise Skipped(f"cannot read {piece.path}: {err}") from None
    spool.seek(0)
    return spool


def _parquet_rows(
    source: IO[bytes] | str, piece: Piece, options: ReadOptions
) -> Iterator[Document]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        parquet = pq.ParquetFile(source)
    except (OSError, pa.ArrowException) as err:
        raise Skipped(f"{piece.path} is not a readable Parquet file ({err})") from None
    names = parquet.schema_arrow.names
    if options.text_field not in names:
        raise InputError(
            f"{piece.path} has no column '{options.text_field}' (choose one with --text-field; "
            f"it has {', '.join(names[:8])})"
        )
    by_field = options.group_by not in ("dir", "file")
    columns = [options.text_field] + ([options.group_by] if by_field else [])
    if by_field and options.group_by not in names:
        columns = [options.text_field]
    stop = parquet.num_row_groups if piece.stop < 0 else piece.stop
    groups = list(range(piece.start, stop))
    fixed = piece.group_file if options.group_by == "file" else piece.group_dir
    for batch in _parquet_batches(parquet, piece, groups, columns):
        texts = batch.column(0).to_pylist()
        labels = batch.column(1).to_pylist() if batch.num_columns > 1 else None
        for row, text in enumerate(texts):
            if text is None:
                continue  # a null cell is no document
            if not isinstance(text, str):
                raise InputError(
                    f"{piece.path}: column '{options.text_field}' is not a string column"
                )
            if by_field:
                label = labels[row] if labels is not None else None
                group = NO_GROUP if label is None else str(label)
            else:
                group = fixed
            yield Document(text, group)


def _parquet_batches(parquet: Any, piece: Piece, groups: list[int], columns: list[str]) -> Any:
    """Record batches; a file damaged past its footer is skipped with the reason."""
    import pyarrow as pa

    batches = parquet.iter_batches(batch_size=BATCH_DOCUMENTS, row_groups=groups, columns=columns)
    while True:
        try:
            batch = next(batches)
        except StopIteration:
            return
        except (OSError, pa.ArrowException) as err:
            raise Skipped(f"{piece.path} is not a readable Parquet file ({err})") from None
        yield batch
