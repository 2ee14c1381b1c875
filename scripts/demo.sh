#!/usr/bin/env bash
# `npm run demo`: the rtspkit command against its own embedded RTSP server, no
# camera needed. On a fresh clone it first sets up what is missing: the npm
# dependencies (npm ci), the build (dist/, rebuilt when src/ is newer) and
# ffprobe (Debian's ffmpeg package, when run as root with apt-get). Then
# scripts/demo.mjs serves, pulls, checks and summarises.
#
# Usage: bash scripts/demo.sh [OUTPUT_DIR]   (default demo-out)
set -euo pipefail
cd "$(dirname "$0")/.."
say() { printf '== %s\n' "$*"; }

if ! node -e 'const [a, b] = process.versions.node.split(".").map(Number);
  process.exit(a > 20 || (a === 20 && b >= 19) ? 0 : 1)' 2>/dev/null; then
  echo "rtspkit needs Node.js 20.19 or newer (found: $(node --version 2>/dev/null || echo none))" >&2
  exit 1
fi

if [ ! -d node_modules ]; then
  say "installing dependencies (npm ci)"
  npm ci --no-audit --no-fund --loglevel=error
fi

if [ ! -f dist/cli/main.js ] || [ -n "$(find src -name '*.ts' -newer dist/cli/main.js -print -quit)" ]; then
  say "building (npm run build)"
  npm run --silent build
fi

if ! command -v ffprobe >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    say "installing ffmpeg (apt-get) to check the files the demo writes"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends ffmpeg >/dev/null
  else
    echo "(ffprobe not found: install ffmpeg to have the demo check the files it writes)"
  fi
fi

exec node scripts/demo.mjs "$@"
