#!/usr/bin/env bash
# The README demo on a fresh clone: installs and builds if needed, starts the
# embedded RTSP file server on a bundled fixture, pulls it with the rtspkit
# client (printing the timing of each step), writes demo-out.h264 and, when
# ffprobe is installed, checks that the file decodes.
set -euo pipefail
cd "$(dirname "$0")/.."

out="${1:-demo-out.h264}"

if [ ! -d node_modules ]; then
  echo "== installing dependencies (npm ci)"
  npm ci --no-audit --no-fund
fi
echo "== building (npm run build)"
npm run build --silent

echo "== streaming test/fixtures/h264-720p.mp4 through the embedded server"
node scripts/demo.mjs "$out" h264-720p.mp4

if command -v ffprobe >/dev/null 2>&1; then
  echo "== ffprobe $out"
  ffprobe -v error -count_frames -select_streams v:0 \
    -show_entries stream=codec_name,width,height,nb_read_frames -of default=noprint_wrappers=1 "$out"
else
  echo "(ffprobe not found: play $out with any player, e.g. ffplay or VLC)"
fi
