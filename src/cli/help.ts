/** `rtspkit --help` and `rtspkit COMMAND --help`: what each command does, its flags, examples. */
import type { CommandName } from './args.js';

const COMMON = `Common flags:
  --transport tcp|udp|auto  RTP over the RTSP connection, over UDP, or UDP falling back to TCP (default auto)
  --timeout MS              connect, each request, and no-media watchdog (default 5000)
  --no-audio, --no-video    do not SET UP that media
  --log-level LEVEL         silent (default), error, warn, info, debug, trace; logs go to stderr
  -h, --help                this help`;

const EXIT = `Exit status: 0 success, 1 connection/protocol failure (the message names the step), 2 bad usage.
Passwords in URLs are never printed.`;

const USAGE: Record<CommandName, string> = {
  probe: `rtspkit probe URL [--json]

OPTIONS then DESCRIBE: prints each track (media, codec, clock rate, channels,
fmtp, control URL) and how long each step took.

  --json     one JSON document instead of the table

Examples:
  rtspkit probe rtsp://192.168.1.20/stream1
  rtspkit probe 'rtsp://admin:secret@cam.local/h264' --json | jq .tracks`,

  events: `rtspkit events URL [--duration S] [--frames N] [--with-data]

The session's events as NDJSON on stdout, one event a line, field names as in
the library's RtspEvent types. Binary fields (payload, frame.data) are replaced
by their byte length.

  --duration S    stop after S seconds
  --frames N      stop after N video frames (audio frames when there is no video)
  --with-data     binary fields as base64 instead of lengths

Examples:
  rtspkit events rtsp://cam/stream --duration 5 > session.ndjson
  rtspkit events rtsp://cam/stream | jq -c 'select(.type == "video") | .frame.keyframe'`,

  dump: `rtspkit dump URL -o FILE [--audio FILE] [--duration S] [--frames N]

Writes the stream to files any player opens; stops on --duration, --frames,
Ctrl-C or SIGTERM and always closes the files on a whole frame.
The video file starts at a keyframe with its parameter sets.

  -o FILE         video: .h264/.h265 (Annex B) or .mjpeg (concatenated JPEGs); '-' for stdout
  --audio FILE    audio: .aac (ADTS) or .wav (G.711 A-law/µ-law)
  --duration S    stop after S seconds
  --frames N      stop after N video frames (audio frames without -o)

Examples:
  rtspkit dump rtsp://cam/stream -o cam.h264 --duration 10 && ffplay cam.h264
  rtspkit dump rtsp://cam/stream -o cam.h264 --audio cam.aac --frames 250
  rtspkit dump rtsp://cam/stream -o - | ffplay -f h264 -`,

  record: `rtspkit record URL -o FILE.mp4 [--duration S] [--frames N]

H.264 or H.265 video with AAC or G.711 audio in one fragmented MP4, timed from
RTP (audio and video aligned by RTCP sender reports when the server sends
them). A killed process still leaves a file that plays up to its last half
second.

  -o FILE.mp4     output file
  --duration S    stop after S seconds
  --frames N      stop after N video frames

Examples:
  rtspkit record rtsp://cam/stream -o cam.mp4 --duration 60
  rtspkit record rtsp://cam/stream -o cam.mp4 --no-audio`,

  timing: `rtspkit timing URL [--duration S] [--json] [--report FILE.html]

Latency diagnostics: TCP connect and each RTSP request, time to the first RTP
packet, frame and keyframe; per track frame inter-arrival jitter, fps,
bitrate, loss, RTP-timestamp-vs-arrival drift and, once RTCP sender reports
arrive, capture-to-arrival latency.

  --duration S         how long to measure (default 10)
  --json               one JSON document instead of the table
  --report FILE.html   also write a self-contained HTML page with charts and
                       a ladder diagram of the exchange

Examples:
  rtspkit timing rtsp://cam/stream
  rtspkit timing rtsp://cam/stream --duration 30 --report cam.html`,

  serve: `rtspkit serve DIR [--host 127.0.0.1] [--port 8554]

Serves the .mp4, .wav and .mjpeg files under DIR as rtsp://HOST:PORT/<path>
until Ctrl-C.

  --host HOST     interface to listen on (default 127.0.0.1)
  --port PORT     TCP port (default 8554, 0 for any free port)
  --log-level L   server logs on stderr

Examples:
  rtspkit serve test/fixtures --port 8554 &
  rtspkit probe rtsp://127.0.0.1:8554/h264-aac.mp4`,
};

export function commandHelp(command: CommandName): string {
  const usage = USAGE[command];
  return command === 'serve'
    ? `Usage: ${usage}\n\n${EXIT}\n`
    : `Usage: ${usage}\n\n${COMMON}\n\n${EXIT}\n`;
}

export function generalHelp(): string {
  return `rtspkit: pull live video and audio from IP cameras and RTSP servers

Usage: rtspkit COMMAND [ARGS] [FLAGS]

Commands:
  probe URL                 tracks and per-method timing
  events URL                the event stream as NDJSON
  dump URL -o FILE          raw .h264/.h265/.mjpeg and .aac/.wav files
  record URL -o FILE.mp4    video and audio in one MP4
  timing URL                latency diagnostics, optionally an HTML report
  serve DIR                 the embedded RTSP file server

Run 'rtspkit COMMAND --help' for a command's flags and examples.

${COMMON}

${EXIT}
`;
}
