"""Entry script of the bundle: the same as the ``token-inspector`` command."""

import multiprocessing

from inspector.cli import main

if __name__ == "__main__":
    # Long texts are encoded in a spawned child process; in a frozen app the child starts
    # this executable again, and freeze_support() turns it into that child instead of a GUI.
    multiprocessing.freeze_support()
    raise SystemExit(main())
