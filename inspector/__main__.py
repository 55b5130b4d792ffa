"""``python -m inspector``: the same as the ``token-inspector`` command."""

from inspector.cli import main

# Guarded: a spawned child process (long texts are encoded in one) imports this module again.
if __name__ == "__main__":
    raise SystemExit(main())
