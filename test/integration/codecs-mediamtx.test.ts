import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, it, type ExpectStatic } from 'vitest';
import type { AudioFrame, TrackStats, VideoFrame } from '../../src/events/types.js';
import type { Track } from '../../src/sdp/track.js';
import { RtspSession } from '../../src/session/session.js';
import { AdtsWriter, audioSpecificConfigFromFmtp } from '../../src/writers/adts-writer.js';
import { AnnexBWriter } from '../../src/writers/annexb-writer.js';
import type { FrameWriter } from '../../src/writers/frame-writer.js';
import { MjpegWriter } from '../../src/writers/mjpeg-writer.js';
import { WavWriter } from '../../src/writers/wav-writer.js';
import { decodeErrors, probe } from '../unit/writers/fixture-frames.js';
import { tempDir } from '../unit/writers/temp-dir.js';
import { startMediamtx, type Mediamtx, type Publisher } from './harness/mediamtx.js';

// Every codec over both transports: mediamtx relays ffmpeg publishing a fixture in a loop,
// rtspkit writes what it receives with its writers, ffmpeg decodes the files.

/** Media time each reader records, from its first written frame. */
const RECORD_MS = 2500;

interface Case {
  fixture: string;
  /** ffmpeg options that re-encode the fixture while publishing (see the MJPEG case). */
  encode?: string[];
  /** The SDP encoding name mediamtx announces. */
  sdpCodec: string;
  /** ffprobe's codec_name for the written file. */
  probeCodec: string;
  extension: string;
  writer(path: string, track: Track): FrameWriter<VideoFrame> | FrameWriter<AudioFrame>;
  /** Video: frames per second, per GOP and the picture size. Audio: samples per second, channels. */
  rate: number;
  gop?: number;
  size?: string;
  channels?: number;
}

function g711Writer(path: string, track: Track, codec: 'pcma' | 'pcmu'): WavWriter {
  return new WavWriter(path, { codec, sampleRate: track.clockRate, channels: track.channels });
}

const cases: Record<string, Case> = {
  h264: {
    fixture: 'h264-720p.mp4',
    sdpCodec: 'h264',
    probeCodec: 'h264',
    extension: 'h264',
    writer: (path) => new AnnexBWriter(path, { codec: 'h264' }),
    rate: 25,
    gop: 25,
    size: '1280x720',
  },
  h265: {
    fixture: 'h265-360p.mp4',
    sdpCodec: 'h265',
    probeCodec: 'hevc',
    extension: 'h265',
    writer: (path) => new AnnexBWriter(path, { codec: 'h265' }),
    rate: 25,
    gop: 25,
    size: '640x360',
  },
  mjpeg: {
    fixture: 'mjpeg-320x240.mkv',
    // The fixture's JPEGs have optimised Huffman tables, which RFC 2435 cannot carry (ffmpeg's
    // RTP muxer drops such frames): re-encode with the standard tables (ITU T.81 K.3).
    encode: ['-c:v', 'mjpeg', '-huffman', 'default', '-pix_fmt', 'yuvj420p', '-q:v', '5'],
    sdpCodec: 'jpeg',
    probeCodec: 'mjpeg',
    extension: 'mjpeg',
    writer: (path) => new MjpegWriter(path),
    rate: 10,
    gop: 1,
    size: '320x240',
  },
  aac: {
    fixture: 'aac-48k-stereo.m4a',
    sdpCodec: 'mpeg4-generic',
    probeCodec: 'aac',
    extension: 'aac',
    writer: (path, track) => new AdtsWriter(path, audioSpecificConfigFromFmtp(track.fmtp)),
    rate: 48000,
    channels: 2,
  },
  pcma: {
    fixture: 'pcma-8k.wav',
    sdpCodec: 'pcma',
    probeCodec: 'pcm_alaw',
    extension: 'wav',
    // ffmpeg 5.1 loops a stream-copied WAV at the start of its last packet, not its end: the
    // timestamps overlap and -re sends 3 s of audio every 2.56 s. Decoding gives the length.
    encode: ['-c:a', 'pcm_alaw'],
    writer: (path, track) => g711Writer(path, track, 'pcma'),
    rate: 8000,
    channels: 1,
  },
  pcmu: {
    fixture: 'pcmu-8k.wav',
    sdpCodec: 'pcmu',
    probeCodec: 'pcm_mulaw',
    extension: 'wav',
    encode: ['-c:a', 'pcm_mulaw'],
    writer: (path, track) => g711Writer(path, track, 'pcmu'),
    rate: 8000,
    channels: 1,
  },
};

interface Recording {
  path: string;
  track: Track | undefined;
  framesWritten: number;
  framesSkipped: number;
  discontinuities: number;
  samples: number;
  /** Wall-clock ms from the first written frame's arrival to the last's. */
  spanMs: number;
  /** RTP timestamps of the written frames. */
  timestamps: number[];
  /** Samples of the last written audio frame. */
  lastSampleCount: number;
  /** `rtp` events before the stats event that ended the recording. */
  rtpEvents: number;
  stats: TrackStats | undefined;
  closed: string | undefined;
}

const file = tempDir('codecs-it');
let mtx: Mediamtx;
const publishers: Publisher[] = [];

beforeAll(async () => {
  mtx = await startMediamtx();
  publishers.push(
    ...(await Promise.all(
      Object.entries(cases).map(([name, c]) => mtx.publish(c.fixture, name, { encode: c.encode })),
    )),
  );
});

afterAll(async () => {
  await Promise.all(publishers.map((p) => p.stop()));
  await mtx?.stop();
});

/** Reads the path until RECORD_MS of frames are written, then stops at the next stats event. */
async function record(name: string, transport: 'tcp' | 'udp'): Promise<Recording> {
  const c = cases[name]!;
  const rec: Recording = {
    path: file(`${name}-${transport}.${c.extension}`),
    track: undefined,
    framesWritten: 0,
    framesSkipped: 0,
    discontinuities: 0,
    samples: 0,
    spanMs: 0,
    timestamps: [],
    lastSampleCount: 0,
    rtpEvents: 0,
    stats: undefined,
    closed: undefined,
  };
  const session = new RtspSession(mtx.url(name), { transport, statsIntervalMs: 200 });
  let writer: FrameWriter<VideoFrame> | FrameWriter<AudioFrame> | undefined;
  let firstAt: number | undefined;
  try {
    for await (const ev of session) {
      if (ev.type === 'rtsp' && ev.tracks !== undefined) {
        rec.track = ev.tracks[0];
        if (rec.track !== undefined) writer = c.writer(rec.path, rec.track);
      } else if (ev.type === 'rtp') {
        rec.rtpEvents++;
      } else if ((ev.type === 'video' || ev.type === 'audio') && writer !== undefined) {
        const before = writer.framesWritten;
        await (writer as FrameWriter<typeof ev.frame>).write(ev.frame);
        if (writer.framesWritten === before) continue;
        firstAt ??= ev.frame.receivedAt;
        rec.spanMs = ev.frame.receivedAt - firstAt;
        rec.timestamps.push(ev.frame.timestamp);
        if (ev.frame.discontinuity) rec.discontinuities++;
        if (ev.type === 'audio') {
          rec.samples += ev.frame.sampleCount;
          rec.lastSampleCount = ev.frame.sampleCount;
        }
      } else if (ev.type === 'stats' && rec.spanMs >= RECORD_MS) {
        rec.stats = ev.tracks[0];
        break;
      } else if (ev.type === 'closed') {
        rec.closed = ev.reason + (ev.error ? `: ${ev.error.message}` : '');
      }
    }
  } finally {
    await writer?.close();
    await session.close();
  }
  rec.framesWritten = writer?.framesWritten ?? 0;
  rec.framesSkipped = writer?.framesSkipped ?? 0;
  return rec;
}

/** Decoded samples per audio frame, summed (ffprobe decodes every frame). */
function decodedSamples(path: string): number {
  const out = execFileSync(
    'ffprobe',
    ['-v', 'error', '-show_entries', 'frame=nb_samples', '-of', 'csv=p=0', path],
    { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
  );
  return out
    .split('\n')
    .filter(Boolean)
    .reduce((sum, line) => sum + Number(line), 0);
}

function check(expect: ExpectStatic, name: string, rec: Recording): void {
  const c = cases[name]!;
  expect(rec.closed).toBeUndefined();
  expect(rec.track?.codec).toBe(c.sdpCodec);
  // Every packet the track counted came out as an `rtp` event; none was lost or unusable.
  expect(rec.stats).toMatchObject({ lost: 0, invalid: 0, eventsDropped: 0 });
  expect(rec.rtpEvents).toBe(rec.stats!.packets);
  // Video joins mid-GOP: the frames before the first keyframe are withheld (and counted).
  expect(rec.stats!.framesDropped).toBeLessThan(c.gop ?? 1);
  expect(rec.framesSkipped).toBe(0);
  expect(rec.discontinuities).toBe(0);
  expect(decodeErrors(rec.path)).toBe('');
  const [stream] = probe(rec.path);
  expect(stream?.codec_name).toBe(c.probeCodec);
  const steps = rec.timestamps.slice(1).map((ts, i) => ts - rec.timestamps[i]!);
  const clockRate = rec.track!.clockRate;
  if (c.gop !== undefined) {
    expect(`${stream?.width}x${stream?.height}`).toBe(c.size);
    expect(Number(stream?.nb_read_frames)).toBe(rec.framesWritten);
    // No frame missing between the first and the last, and as many as the time they took gives,
    // within one GOP (at least half a second: arrival jitter at either end on a busy machine).
    expect(new Set(steps)).toEqual(new Set([clockRate / c.rate]));
    const expected = (rec.spanMs / 1000) * c.rate + 1;
    expect(Math.abs(rec.framesWritten - expected)).toBeLessThanOrEqual(Math.max(c.gop, c.rate / 2));
  } else {
    expect([Number(stream?.sample_rate), stream?.channels]).toEqual([c.rate, c.channels]);
    if (name === 'aac') expect(Number(stream?.nb_read_frames)).toBe(rec.framesWritten);
    const samples = decodedSamples(rec.path);
    expect(samples).toBe(rec.samples);
    // The samples fill the RTP timestamp span, give or take 5 ms (ffmpeg rounds where its input
    // loops); a lost AAC AU or G.711 packet would be 75 ms or more.
    expect(steps.every((step) => step > 0)).toBe(true);
    const span = rec.timestamps.at(-1)! - rec.timestamps[0]! + rec.lastSampleCount;
    expect(Math.abs(samples - (span * c.rate) / clockRate)).toBeLessThanOrEqual(c.rate * 0.005);
  }
}

describe.concurrent('each codec from mediamtx, written to a file that ffmpeg decodes', () => {
  it.for(Object.keys(cases))('%s over TCP and UDP', async (name, { expect }) => {
    const [tcp, udp] = await Promise.all([record(name, 'tcp'), record(name, 'udp')]);
    check(expect, name, tcp);
    check(expect, name, udp);
  });
});
