"""Entry script of the bundle: the same as the ``token-inspector`` command.

The bundle's child processes (the window's encoding process, the corpus command's Dask
workers and multiprocessing's resource tracker) are started with spawn, which runs this same
executable again with multiprocessing's own arguments: ``freeze_support()`` (PyInstaller's
version, for every platform) runs the child there and exits, before anything of the app.

``token-inspector --bundle-self-test`` (bundle only) checks what a screenshot does not reach:
the window's encoding process and tiktoken host, spawned from the bundle, give the same ids;
torch and transformers run the default model offline, and sentence-transformers embeds;
``--bundle-self-test spawn`` only the first (the light test bundle has no models).
"""

from __future__ import annotations

import multiprocessing
import sys


def encode_process_test() -> str:
    """The window's encoding child and tiktoken host (spawned from this executable) give the
    in-process ids."""
    import numpy as np

    from inspector.core.catalog import Catalog
    from inspector.core.encode_process import PROCESS_THRESHOLD, EncodeProcess
    from inspector.core.encoding import encode
    from inspector.core.settings import EncodeSettings
    from inspector.core.tiktoken_host import TiktokenHost

    tokenizer = Catalog().load("gpt2")
    line = "The cat sat on the mat. 鸟语花香 🎶\n"
    text = (line * (PROCESS_THRESHOLD // len(line) + 1))[:PROCESS_THRESHOLD]
    child = EncodeProcess()
    try:
        spawned = child.encode(tokenizer, text, EncodeSettings())
    finally:
        child.close()
    here = encode(tokenizer, text, EncodeSettings())
    assert np.array_equal(np.asarray(spawned.columns.ids), np.asarray(here.columns.ids))
    # The window's tiktoken host: the encoding lives in a spawned child too.
    host = TiktokenHost()
    try:
        hosted = encode(Catalog(encoding_host=host).load("gpt2"), text, EncodeSettings())
    finally:
        host.close()
    assert np.array_equal(np.asarray(hosted.columns.ids), np.asarray(here.columns.ids))
    return (
        f"tiktoken host and encoding process: {len(here.columns.ids)} ids of {len(text)} "
        "characters, equal"
    )


def self_test() -> int:
    import time

    from inspector.core import analysis, models
    from inspector.core.encoding import encode

    print(encode_process_test())
    started = time.perf_counter()
    model = models.load_model(models.DEFAULT_MODEL, device="cpu")
    result = encode(models.paired_tokenizer(model), "The cat sat on the mat.")
    output = models.run_model(model, result)
    vectors = analysis.sentence_embeddings(model, ["The cat sat.", "A cat was sitting."])
    similarity = analysis.cosine(vectors[0], vectors[1])
    assert output.attention_shape is not None
    print(
        f"model {model.info.name}: hidden states {output.hidden_states.shape}, "
        f"attentions {output.attention_shape}, embeddings {vectors.shape}, "
        f"cosine {similarity:.3f}, {time.perf_counter() - started:.1f} s"
    )
    return 0


if __name__ == "__main__":
    multiprocessing.freeze_support()  # first: a spawned child never reaches the app
    if sys.argv[1:] == ["--bundle-self-test"]:
        raise SystemExit(self_test())
    if sys.argv[1:] == ["--bundle-self-test", "spawn"]:
        print(encode_process_test())
        raise SystemExit(0)
    from inspector.cli import main

    raise SystemExit(main())
