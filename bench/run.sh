#!/usr/bin/env bash
# npm run bench [-- throughput|fleet|startup ...] [--quick] [--profile] [--compare-dist=DIR]
#   [--sessions=1,10 --transports=tcp --clients=rtspkit] (fleet only)
# On a fresh clone: installs ffmpeg (apt) and the npm packages if missing,
# builds dist/ (what is measured), generates the media once into bench/.media/,
# then runs the chosen benchmarks (all three by default, ~15 min; --quick ~3 min).
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v ffmpeg >/dev/null || ! command -v ffprobe >/dev/null; then
  echo "[bench] apt-get install ffmpeg"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends ffmpeg >/dev/null
fi
[ -d node_modules ] || npm ci --no-audit --no-fund --loglevel=error
npm run --silent build
bash bench/make-media.sh >/dev/null
# The fleet opens 200 RTSP connections and 400 UDP sockets per side.
ulimit -n 65536 2>/dev/null || true
exec node --import tsx bench/main.ts "$@"
