/**
 * Seeds recorded from real senders, in each target's input format: ffmpeg's
 * RTP muxer fed with the media fixtures (record-ffmpeg.ts), another
 * implementation's packetization (several AAC access units per packet, 168 ms
 * G.711 packets, JPEG with in-band tables), RTCP and SDPs; and an RTSP session
 * with the embedded server over TCP (record-rtsp.ts), whole and its headers.
 */
import { join } from 'node:path';
import { RtspMessageParser } from '../../src/rtsp/parser.js';
import { parseRtpPacket } from '../../src/rtp/packet.js';
import { MARKER, STEP_SHIFT, TIMESTAMP_STEPS } from './depacketizer-target.js';
import { encodePackets, type FuzzPacket } from './packet-sequence.js';
import { recordFfmpegRtp, type FfmpegRecording } from './record-ffmpeg.js';
import { recordRtspSession } from './record-rtsp.js';
import { FUZZ_SSRC, RTCP_PACKET } from './targets/rtp.js';
import { rtspParserTarget } from './targets/rtsp-parser.js';

export type Seed = [target: string, name: string, bytes: Uint8Array];

const RECORD_SECONDS = 0.5;
const STREAMS: readonly [target: string, fixture: string, args: readonly string[]][] = [
  ['h264', 'h264-720p.mp4', ['-map', '0:v', '-c', 'copy']],
  ['h265', 'h265-360p.mp4', ['-map', '0:v', '-c', 'copy']],
  ['aac', 'aac-48k-stereo.m4a', ['-map', '0:a', '-c', 'copy']],
  ['latm', 'aac-48k-stereo.m4a', ['-map', '0:a', '-c', 'copy', '-rtpflags', 'latm']],
  // RFC 2435 carries only the standard Huffman tables, so the fixture is re-encoded with them.
  [
    'mjpeg',
    'mjpeg-320x240.mkv',
    ['-map', '0:v', '-c:v', 'mjpeg', '-huffman', 'default', '-pix_fmt', 'yuvj420p', '-q:v', '8'],
  ],
  ['g711', 'pcma-8k.wav', ['-map', '0:a', '-c:a', 'pcm_alaw']],
];

/** The timestamp step of TIMESTAMP_STEPS nearest to `delta` (its index). */
function stepIndex(delta: number): number {
  let best = 0;
  TIMESTAMP_STEPS.forEach((step, i) => {
    if (Math.abs(step - delta) < Math.abs(TIMESTAMP_STEPS[best]! - delta)) best = i;
  });
  return best;
}

/** The depacketizer targets' format, control byte 0 (each target's first variant is ffmpeg's fmtp). */
function depacketizerInput({ rtp }: FfmpegRecording): Uint8Array {
  const packets = rtp.map(parseRtpPacket);
  return encodePackets(
    [0],
    packets.map((packet, i) => ({
      payload: packet.payload,
      flags:
        (packet.marker ? MARKER : 0) |
        (stepIndex(packet.timestamp - (packets[i - 1]?.timestamp ?? packet.timestamp)) <<
          STEP_SHIFT),
    })),
  );
}

/** The rtp target's format over TCP with the SSRC known: the sender report, then the datagrams 5 ms apart. */
function rtpInput({ rtp, rtcp }: FfmpegRecording): Uint8Array {
  const packets: FuzzPacket[] = [
    ...rtcp.map((payload) => ({ payload, flags: RTCP_PACKET })),
    ...rtp.map((payload) => ({ payload, flags: 3 << 1 })),
  ];
  return encodePackets([0x02], packets);
}

export async function ffmpegSeeds(fixtures: string): Promise<Seed[]> {
  const seeds: Seed[] = [];
  for (const [target, fixture, args] of STREAMS) {
    const recording = await recordFfmpegRtp(
      join(fixtures, fixture),
      args,
      RECORD_SECONDS,
      FUZZ_SSRC,
    );
    seeds.push([target, 'ffmpeg', depacketizerInput(recording)]);
    seeds.push(['sdp', `ffmpeg-${target}`, new TextEncoder().encode(recording.sdp)]);
    for (const [i, report] of recording.rtcp.entries())
      seeds.push(['rtcp', `ffmpeg-${target}-${i}`, report]);
    if (target === 'h264') seeds.push(['rtp', 'ffmpeg-h264-tcp', rtpInput(recording)]);
  }
  return seeds;
}

/** rtsp-headers' parser index (byte 0) of each header of the recorded responses. */
const HEADER_PARSERS = { transport: 1, session: 2, 'rtp-info': 3, range: 5 } as const;
const SERVER_PLAY_MS = 200;

export async function serverSeeds(fixtures: string): Promise<Seed[]> {
  const stream = await recordRtspSession(fixtures, 'h264-aac.mp4', SERVER_PLAY_MS);
  // Chunking seed 3: up to 64-byte segments.
  const head = stream.subarray(0, rtspParserTarget.maxInputBytes - rtspParserTarget.controlBytes);
  const seeds: Seed[] = [['rtsp-parser', 'server-session', Uint8Array.from([0, 3, ...head])]];
  const parser = new RtspMessageParser();
  parser.push(stream);
  const encoder = new TextEncoder();
  for (let message = parser.next(); message !== undefined; message = parser.next()) {
    if (message.kind !== 'response') continue;
    for (const [name, parserIndex] of Object.entries(HEADER_PARSERS)) {
      const value = message.headers.get(name);
      if (value === undefined) continue;
      const cseq = message.headers.get('cseq') ?? '';
      seeds.push([
        'rtsp-headers',
        `server-${name}-${cseq}`,
        Uint8Array.from([parserIndex, ...encoder.encode(value)]),
      ]);
    }
  }
  return seeds;
}
