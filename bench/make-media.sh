#!/usr/bin/env bash
# Generates the benchmark media into bench/.media/ (gitignored), once: lavfi
# test sources with temporal noise so the encoder really spends the bitrate.
# Usage: bash bench/make-media.sh
set -euo pipefail
out="$(dirname "$0")/.media"
mkdir -p "$out"
ff() { ffmpeg -hide_banner -loglevel error -nostdin -y "$@"; }

# (1) 4K H.264 at ~30 Mbit/s, 30 fps, 1 s GOP, no B-frames; raw Annex B with an
# access unit delimiter before each frame so the source server can split frames.
uhd="$out/uhd-30m-10s.h264"
if [ ! -s "$uhd" ]; then
  echo "[media] $uhd (4K encode, takes a minute on 2 cores)"
  ff -f lavfi -i "testsrc2=size=3840x2160:rate=30,noise=alls=12:allf=t" -t 10 \
    -c:v libx264 -preset ultrafast -bf 0 -g 30 -keyint_min 30 -sc_threshold 0 \
    -b:v 30M -maxrate 30M -bufsize 30M -pix_fmt yuv420p -bsf:v h264_metadata=aud=insert \
    -f h264 "$uhd.tmp" && mv "$uhd.tmp" "$uhd"
fi

# (2) 720p25 H.264 + AAC in MP4 at 2 and 4 Mbit/s, 30 s (looped by the server).
for rate in 2 4; do
  file="$out/fleet-${rate}m.mp4"
  [ -s "$file" ] && continue
  echo "[media] $file"
  ff -f lavfi -i "testsrc2=size=1280x720:rate=25,noise=alls=10:allf=t" \
    -f lavfi -i "sine=frequency=440:sample_rate=48000" -t 30 \
    -c:v libx264 -preset veryfast -bf 0 -g 25 -keyint_min 25 -sc_threshold 0 \
    -b:v "$((rate * 1000 - 96))k" -maxrate "$((rate * 1000 - 96))k" -bufsize "$((rate * 1000))k" \
    -pix_fmt yuv420p -c:a aac -b:a 96k -ac 1 -shortest -movflags +faststart "$file.tmp.mp4" \
    && mv "$file.tmp.mp4" "$file"
done

# (3) The 2 Mbit/s video as Annex B with AUDs: the start-up benchmark's paced source.
if [ ! -s "$out/fleet-2m.h264" ]; then
  ff -i "$out/fleet-2m.mp4" -map 0:v -c copy -bsf:v h264_mp4toannexb,h264_metadata=aud=insert \
    -f h264 "$out/fleet-2m.h264.tmp" && mv "$out/fleet-2m.h264.tmp" "$out/fleet-2m.h264"
fi
ls -l "$out"
