#!/bin/sh
# Put Token Inspector into the desktop's application menu (for the current user), pointing at
# this bundle folder. Run it from the bundle: ./install-desktop.sh   (undo: --uninstall)
set -eu
HERE="$(cd "$(dirname "$0")" && pwd)"
DATA="${XDG_DATA_HOME:-$HOME/.local/share}"
APP_ID=io.github.tokeninspector.TokenInspector
if [ "${1:-}" = "--uninstall" ]; then
    rm -f "$DATA/applications/$APP_ID.desktop" "$DATA/metainfo/$APP_ID.metainfo.xml"
    find "$DATA/icons/hicolor" -name "$APP_ID.*" -delete 2>/dev/null || true
else
    (cd "$HERE/share" && find . -type f) | while read -r file; do
        mkdir -p "$DATA/$(dirname "$file")"
        cp "$HERE/share/$file" "$DATA/$file"
    done
    # The bundle is not on PATH: the entry starts it by its absolute path (quoted for spaces).
    sed -i "s|^Exec=.*|Exec=\"$HERE/token-inspector\"|; s|^TryExec=.*|TryExec=$HERE/token-inspector|" \
        "$DATA/applications/$APP_ID.desktop"
fi
command -v update-desktop-database >/dev/null && update-desktop-database -q "$DATA/applications" || true
command -v gtk-update-icon-cache >/dev/null && gtk-update-icon-cache -q -t "$DATA/icons/hicolor" || true
echo "done: $DATA/applications/$APP_ID.desktop"
