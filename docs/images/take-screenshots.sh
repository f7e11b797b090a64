#!/bin/bash
# Retakes the window's screenshots (every page and the preview, light and dark) from a real window
# under Xvfb, driven with xdotool as a user would. Run from the repository root:
#   bash docs/images/take-screenshots.sh
# Needs: apt-get install -y xvfb xauth libgtk-3-0 libxtst6 libgl1 imagemagick xdotool
# It uses a data directory of its own (the demo library is made there on first start), never yours.
set -euo pipefail
HOME_DIR="${TESSERA_SHOTS_HOME:-/tmp/tessera-screenshots-home}"
OUT=docs/images
DISPLAY_NO="${SHOTS_DISPLAY:-:99}"
mkdir -p "$HOME_DIR"
Xvfb "$DISPLAY_NO" -screen 0 1280x800x24 >/dev/null 2>&1 &
XVFB=$!
trap 'kill $XVFB 2>/dev/null || true' EXIT
export DISPLAY="$DISPLAY_NO"
export TESSERA_JAVA_OPTS="-Dtessera.home=$HOME_DIR -Dai.djl.pytorch.num_threads=1 -Dai.djl.pytorch.num_interop_threads=1"

shot() { import -window root "$OUT/$1.png"; echo "wrote $OUT/$1.png"; }
click() { xdotool mousemove "$1" "$2" click 1; sleep "${3:-1}"; }
page() { xdotool key "ctrl+$1"; sleep "${2:-2}"; } # Ctrl+1…5: Search, Library, Models, Activity, Settings

for theme in light dark; do
  # The window's own settings: the theme, and the whole screen (there is no window manager).
  printf 'theme=%s\nwindow.x=0\nwindow.y=0\nwindow.width=1280\nwindow.height=800\n' \
    "${theme^^}" >"$HOME_DIR/desktop.properties"
  ./tessera >"/tmp/tessera-shots-$theme.log" 2>&1 &
  APP=$!
  for _ in $(seq 1 120); do xdotool search --name Tessera >/dev/null 2>&1 && break; sleep 1; done
  # Ready once the library exists and the demo collection is indexed and coded (first start).
  for _ in $(seq 1 120); do [ -f "$HOME_DIR/library.sqlite" ] && break; sleep 1; done
  sleep "${READY_WAIT:-30}"
  click 700 400 # focus the window (no window manager)
  xdotool mousemove 100 700 # and keep the pointer off the results (no hover highlight)
  shot "search-empty-$theme"
  xdotool key ctrl+f; sleep 0.5
  xdotool type --delay 90 "a dog"
  sleep 4
  shot "search-$theme"
  xdotool key ctrl+f; sleep 0.3
  xdotool type --delay 90 " face"
  sleep 3
  xdotool key Down; sleep 0.5 # into the grid: the first result is selected
  xdotool key Return; sleep 3 # its preview
  shot "preview-$theme"
  xdotool key Right; sleep 1 # the next result
  xdotool key Escape; sleep 1
  click "${BOTH_X:-1117}" "${BAR_Y:-88}" 2 # "Both"
  click "${FILTERS_X:-1174}" "${BAR_Y:-88}" 2 # the filters panel
  xdotool mousemove 100 700
  shot "search-both-$theme"
  page 2 3
  shot "library-$theme"
  page 3 8 # the evaluation report is computed when the page opens
  shot "models-$theme"
  page 5 3
  shot "settings-$theme"
  kill $APP 2>/dev/null || true
  wait $APP 2>/dev/null || true
done
