#!/usr/bin/env bash
# Smoke test of the Linux package, as a user would meet it:
#   1. builds the app image and the .deb (./mvnw -B -Pinstaller -DskipTests package),
#   2. shows the .deb's control data and sizes, unpacks it into a scratch folder,
#   3. with the network cut (unshare -n), runs the packaged `tessera`: indexes the demo collection
#      (taken from the package itself), searches it by text and by image, and says which device
#      it uses; checks that no libtorch was unpacked into the user's DJL cache,
#   4. starts the packaged `Tessera` window under Xvfb, also offline, and takes a screenshot.
# Needs root or user namespaces for `unshare -n`, and for step 4: xvfb xauth libgtk-3-0 libxtst6
# libgl1 imagemagick (apt-get install). SKIP_BUILD=1 reuses the last build; NO_WINDOW=1 skips 4.
# Output: installer/target/smoke/ (smoke.log, window.png).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="$ROOT/installer/target/smoke"
DIST="$ROOT/installer/target/dist"

step() { printf '\n== %s\n' "$*"; }

mkdir -p "$ROOT/installer/target"
exec > >(tee "$ROOT/installer/target/smoke.log") 2>&1

if [ -z "${SKIP_BUILD:-}" ]; then
  step "Build: ./mvnw -B -Pinstaller -DskipTests package"
  start=$(date +%s)
  (cd "$ROOT" && ./mvnw -B -Pinstaller -DskipTests package) >"$ROOT/installer/target/package.log" 2>&1 ||
    { tail -n 40 "$ROOT/installer/target/package.log"; exit 1; }
  grep -A12 '^Jars for' "$ROOT/installer/target/package.log" || true
  echo "build time: $(($(date +%s) - start)) s"
fi

DEB="$(ls "$DIST"/tessera_*_amd64.deb)"
step "Package $DEB"
ls -l "$DEB"
dpkg-deb -I "$DEB"

rm -rf "$OUT"
mkdir -p "$OUT"
dpkg-deb -x "$DEB" "$OUT/root"
APP="$OUT/root/opt/tessera"
step "Unpacked: $(du -sh "$APP" | cut -f1) in $APP"
du -sh "$APP"/lib/runtime "$APP"/lib/app "$APP"/lib/app/native/* | sed 's|'"$APP"'/||'

# The user's side: a data folder and a DJL cache of their own, and no network.
export XDG_DATA_HOME="$OUT/data"
export DJL_CACHE_DIR="$OUT/djl-cache"
offline() { unshare -n -- "$@"; }
echo "network interfaces with the network cut: $(offline sh -c 'tail -n +3 /proc/net/dev | cut -d: -f1 | tr -d " " | tr "\n" " "')"

step "The demo collection, from the package's own models jar"
unzip -q -o "$APP"/lib/app/models-*.jar 'app/tessera/models/demo/*' -d "$OUT/demo"
DEMO="$OUT/demo/app/tessera/models/demo"
ls "$DEMO/images" | wc -l

step "tessera import-captions (indexes the images it names)"
time offline "$APP/bin/tessera" import-captions "$DEMO/manifest.csv"

step "tessera search --text \"a red heart\""
time offline "$APP/bin/tessera" search --text "a red heart" --top 5

step "tessera search --image (a demo image) --target captions"
offline "$APP/bin/tessera" search --image "$DEMO/images/noto-1F38B.png" --target captions --top 3

step "tessera gpu status"
offline "$APP/bin/tessera" gpu status

step "Nothing unpacked per user (DJL cache: libtorch stays in the image)"
if [ -d "$DJL_CACHE_DIR" ]; then du -sh "$DJL_CACHE_DIR"; else echo "DJL cache: not created"; fi
echo "Tessera's data folder: $(du -sh "$XDG_DATA_HOME/tessera" | cut -f1)"

if [ -z "${NO_WINDOW:-}" ]; then
  step "The window (Tessera) under Xvfb, offline"
  Xvfb :99 -screen 0 1280x800x24 >"$OUT/xvfb.log" 2>&1 &
  xvfb=$!
  sleep 2
  XDG_DATA_HOME="$OUT/window-data" DISPLAY=:99 unshare -n -- "$APP/bin/Tessera" \
    >"$OUT/window.log" 2>&1 &
  window=$!
  sleep "${WINDOW_WAIT:-60}"
  DISPLAY=:99 import -window root "$OUT/window.png"
  kill "$window" 2>/dev/null || true
  wait "$window" 2>/dev/null || true
  kill "$xvfb" 2>/dev/null || true
  echo "screenshot: $OUT/window.png"
  echo "window output:"
  cat "$OUT/window.log"
fi
step "Smoke test passed"
