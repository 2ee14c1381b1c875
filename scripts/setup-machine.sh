#!/usr/bin/env bash
# Installs what rtspkit's tests and demo need on a fresh Debian machine, and
# reuses what is there: ffmpeg/ffprobe, GStreamer (an independent RTSP client),
# a Docker engine, and the pinned mediamtx image (built from its Go module when
# no container registry is reachable). Prints `export MEDIAMTX_IMAGE=...` state
# to .cache/mediamtx-image for the test harness.
set -euo pipefail
cd "$(dirname "$0")/.."
MEDIAMTX_VERSION=1.12.3
CACHE="${RTSPKIT_CACHE:-$HOME/.cache/rtspkit}"
mkdir -p "$CACHE" .cache
log() { printf '[setup] %s\n' "$*"; }

need=()
command -v ffmpeg >/dev/null || need+=(ffmpeg)
command -v gst-launch-1.0 >/dev/null || need+=(gstreamer1.0-tools gstreamer1.0-plugins-good gstreamer1.0-plugins-bad gstreamer1.0-libav)
command -v dockerd >/dev/null || need+=(docker.io)
command -v chromium >/dev/null || need+=(chromium)
if [ "${#need[@]}" -gt 0 ]; then
  log "apt-get install ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

# A Docker engine: start one when none answers (no bridge, no iptables: the
# containers use the host network and 127.0.0.1 only).
if ! docker info >/dev/null 2>&1; then
  log "starting dockerd"
  nohup dockerd --bridge=none --iptables=false --ip-masq=false >"$CACHE/dockerd.log" 2>&1 &
  for _ in $(seq 1 60); do docker info >/dev/null 2>&1 && break; sleep 1; done
  docker info >/dev/null 2>&1 || { cat "$CACHE/dockerd.log" >&2; echo "dockerd did not start" >&2; exit 1; }
fi

upstream="bluenviron/mediamtx:$MEDIAMTX_VERSION"
local_tag="rtspkit-local/mediamtx:$MEDIAMTX_VERSION"
image="${MEDIAMTX_IMAGE:-}"
if [ -z "$image" ]; then
  if docker image inspect "$upstream" >/dev/null 2>&1; then image=$upstream
  elif docker image inspect "$local_tag" >/dev/null 2>&1; then image=$local_tag
  elif timeout 60 docker pull -q "$upstream" >/dev/null 2>&1; then image=$upstream
  else
    bin="$CACHE/mediamtx-v$MEDIAMTX_VERSION/mediamtx"
    if [ ! -x "$bin" ]; then
      log "no registry: building mediamtx v$MEDIAMTX_VERSION from its Go module"
      work=$(mktemp -d)
      (
        cd "$work"
        GOFLAGS=-mod=mod go mod download "github.com/bluenviron/mediamtx@v$MEDIAMTX_VERSION"
        src="$(go env GOMODCACHE)/github.com/bluenviron/mediamtx@v$MEDIAMTX_VERSION"
        cp -r "$src" mediamtx && chmod -R u+w mediamtx && cd mediamtx
        # go:embed needs these generated files to exist.
        echo "v$MEDIAMTX_VERSION" > internal/core/VERSION
        mkdir -p internal/servers/hls && touch internal/servers/hls/hls.min.js
        CGO_ENABLED=0 go build -o mediamtx .
        mkdir -p "$(dirname "$bin")" && mv mediamtx "$bin"
      )
      rm -rf "$work"
    fi
    ctx=$(mktemp -d)
    cp "$bin" "$ctx/mediamtx"
    printf 'FROM scratch\nCOPY mediamtx /mediamtx\nENTRYPOINT ["/mediamtx"]\n' > "$ctx/Dockerfile"
    DOCKER_BUILDKIT=0 docker build -q -t "$local_tag" "$ctx" >/dev/null
    rm -rf "$ctx"
    image=$local_tag
  fi
fi
echo "$image" > .cache/mediamtx-image
log "mediamtx image: $image"
