#!/usr/bin/env bash
# Runs a command with Node 22 (from the npm registry's `node` package) first on PATH.
set -euo pipefail
dir="${RTSPKIT_CACHE:-$HOME/.cache/rtspkit}/node22"
if [ ! -x "$dir/node_modules/.bin/node" ]; then
  mkdir -p "$dir"
  npm install --prefix "$dir" --no-save --no-audit --no-fund --loglevel=error node@22 >/dev/null
fi
PATH="$dir/node_modules/.bin:$PATH" "$@"
