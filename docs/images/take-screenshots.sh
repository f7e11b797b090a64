#!/bin/bash
# Run from the repository root: bash docs/images/take-screenshots.sh (needs Xvfb, xdotool, ImageMagick).
# Opens ./tessera under Xvfb, screenshots the window, types "dog" into the search box, screenshots again.
set -e
Xvfb :99 -screen 0 1280x800x24 >/dev/null 2>&1 &
XVFB=$!
export DISPLAY=:99
./tessera >/tmp/app.log 2>&1 &
APP=$!
for i in $(seq 1 60); do xdotool search --name Tessera >/dev/null 2>&1 && break; sleep 1; done
sleep 8
import -window root docs/images/main-window.png
xdotool mousemove 580 110 click 1   # the query box (no window manager: focus by clicking)
xdotool type --delay 80 dog
xdotool key Return
sleep 6
import -window root docs/images/search-demo.png
kill $APP 2>/dev/null || true; kill $XVFB 2>/dev/null || true
