"""``python -m inspector``: the same as the ``token-inspector`` command."""

from inspector.cli import main

raise SystemExit(main())
