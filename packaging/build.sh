#!/usr/bin/env bash
# Build the one-folder bundle with PyInstaller: build/bundle/dist/token-inspector/.
# Usage: packaging/build.sh [--smoke]   (run from anywhere; `make bundle` calls it)
#   --smoke  afterwards start the bundled app offscreen, take a screenshot and list the catalog
# Environment: PYTHON (default .venv/bin/python), BUNDLE_DIR (default build/bundle),
#   TOKEN_INSPECTOR_BUNDLE_LIGHT=1 (the spec's light variant, for tests/packaging/test_bundle.py; no --smoke).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
PYTHON="${PYTHON:-$ROOT/.venv/bin/python}"
BUNDLE_DIR="${BUNDLE_DIR:-$ROOT/build/bundle}"
SMOKE=0
[ "${1:-}" = "--smoke" ] && SMOKE=1

# PyInstaller is a build tool only (the [bundle] extra in pyproject.toml pins the same).
if ! "$PYTHON" -c "import PyInstaller" 2>/dev/null; then
    "$PYTHON" -m pip install --quiet "pyinstaller>=6.16,<7" "pyinstaller-hooks-contrib>=2025.8"
fi

start=$(date +%s)
"$PYTHON" -m PyInstaller --noconfirm --clean --log-level WARN \
    --distpath "$BUNDLE_DIR/dist" --workpath "$BUNDLE_DIR/work" \
    packaging/token_inspector.spec
APP="$BUNDLE_DIR/dist/token-inspector"

# Desktop integration files travel with the bundle (packaging/install-desktop.sh puts them
# into ~/.local/share with Exec pointing at this folder).
mkdir -p "$APP/share"
"$PYTHON" packaging/desktop_files.py --prefix "$APP/share" >/dev/null
cp packaging/install-desktop.sh "$APP/"

echo "bundle: $APP ($(du -sh "$APP" | cut -f1), built in $(( $(date +%s) - start )) s)"

if [ "$SMOKE" = 1 ]; then
    "$PYTHON" packaging/smoke.py "$APP"
fi
