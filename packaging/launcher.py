"""Entry script of the bundle: the same as the ``token-inspector`` command."""

from inspector.cli import main

raise SystemExit(main())
