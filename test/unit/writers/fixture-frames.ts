/**
 * Frames as a session would deliver them, cut from the test fixtures with
 * ffmpeg at test time, and ffprobe to check what the writers produced.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { buildAudioSpecificConfig } from '../../../src/codecs/aac-config.js';
import { splitAnnexB } from '../../../src/codecs/annexb.js';
import type { AudioFrame, VideoFrame } from '../../../src/events/types.js';

const fixtures = fileURLToPath(new URL('../../fixtures/', import.meta.url));
const MAX_BUFFER = 64 * 1024 * 1024;

function ffmpeg(args: string[]): Buffer {
  return execFileSync('ffmpeg', ['-v', 'error', ...args, '-'], { maxBuffer: MAX_BUFFER });
}

export interface ProbedStream {
  codec_name: string;
  codec_type: string;
  nb_read_frames?: string;
  nb_read_packets?: string;
  width?: number;
  height?: number;
  sample_rate?: string;
  channels?: number;
}

/** ffprobe decodes every frame (-count_frames) and reports each stream. */
export function probe(file: string): ProbedStream[] {
  const out = execFileSync(
    'ffprobe',
    [
      '-v',
      'error',
      '-count_frames',
      '-show_entries',
      'stream=codec_name,codec_type,nb_read_frames,width,height,sample_rate,channels',
      '-of',
      'json',
      file,
    ],
    { maxBuffer: MAX_BUFFER },
  );
  return (JSON.parse(out.toString()) as { streams: ProbedStream[] }).streams;
}

/** Decodes the whole file; returns ffmpeg's error output (empty when clean). */
export function decodeErrors(file: string): string {
  const run = spawnSync('ffmpeg', ['-v', 'error', '-i', file, '-f', 'null', '-'], {
    maxBuffer: MAX_BUFFER,
    encoding: 'utf8',
  });
  return run.status === 0 ? run.stderr : `exit ${run.status}: ${run.stderr}`;
}

/** Presentation times (s) of each decoded packet of one stream type. */
export function packetTimes(file: string, stream: 'v' | 'a'): number[] {
  const out = execFileSync(
    'ffprobe',
    [
      '-v',
      'error',
      '-select_streams',
      stream,
      '-show_entries',
      'packet=pts_time',
      '-of',
      'csv=p=0',
      file,
    ],
    {
      maxBuffer: MAX_BUFFER,
    },
  );
  return out.toString().trim().split('\n').filter(Boolean).map(Number);
}

const H264_AUD = 9;
const H265_AUD = 35;

/** Access units at 25 fps on a 90 kHz clock, parameter sets before each keyframe (ffmpeg's mp4toannexb). */
export function videoFrames(
  fixture: string,
  codec: 'h264' | 'h265',
  startAt = 1_700_000_000_000,
): VideoFrame[] {
  const bsf =
    codec === 'h264'
      ? 'h264_mp4toannexb,h264_metadata=aud=insert'
      : 'hevc_mp4toannexb,hevc_metadata=aud=insert';
  const stream = ffmpeg([
    '-i',
    fixtures + fixture,
    '-an',
    '-c:v',
    'copy',
    '-bsf:v',
    bsf,
    '-f',
    codec === 'h264' ? 'h264' : 'hevc',
  ]);
  const nalType =
    codec === 'h264' ? (n: Uint8Array) => n[0]! & 0x1f : (n: Uint8Array) => (n[0]! >> 1) & 0x3f;
  const isKey = codec === 'h264' ? (t: number) => t === 5 : (t: number) => t >= 16 && t <= 21;
  const aud = codec === 'h264' ? H264_AUD : H265_AUD;
  const units: Uint8Array[][] = [];
  for (const nal of splitAnnexB(stream)) {
    if (nalType(nal) === aud || units.length === 0) units.push([]);
    if (nalType(nal) !== aud) units.at(-1)!.push(nal);
  }
  return units.map((nals, i) => ({
    codec,
    data: Buffer.concat(nals.flatMap((n) => [Buffer.of(0, 0, 0, 1), n])),
    timestamp: 1000 + i * 3600,
    pts: i / 25,
    keyframe: nals.some((n) => isKey(nalType(n))),
    discontinuity: false,
    receivedAt: startAt + i * 40,
  }));
}

export interface AacFixture {
  config: Uint8Array;
  frames: AudioFrame[];
}

/** Raw AAC access units (ADTS headers stripped) and the AudioSpecificConfig they imply. */
export function aacFrames(fixture: string, startAt = 1_700_000_000_000): AacFixture {
  const adts = ffmpeg(['-i', fixtures + fixture, '-vn', '-c:a', 'copy', '-f', 'adts']);
  const rates = [
    96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000, 11025, 8000, 7350,
  ];
  const sampleRate = rates[(adts[2]! >> 2) & 0xf]!;
  const channels = ((adts[2]! & 1) << 2) | (adts[3]! >> 6);
  const objectType = (adts[2]! >> 6) + 1;
  const frames: AudioFrame[] = [];
  for (let offset = 0, i = 0; offset + 7 <= adts.length; i++) {
    const length =
      ((adts[offset + 3]! & 3) << 11) | (adts[offset + 4]! << 3) | (adts[offset + 5]! >> 5);
    frames.push({
      codec: 'aac',
      data: adts.subarray(offset + 7, offset + length),
      timestamp: 500 + i * 1024,
      pts: (i * 1024) / sampleRate,
      sampleRate,
      channels,
      sampleCount: 1024,
      discontinuity: false,
      receivedAt: startAt + (i * 1024 * 1000) / sampleRate,
    });
    offset += length;
  }
  return { config: buildAudioSpecificConfig({ objectType, sampleRate, channels }), frames };
}

/** 20 ms G.711 frames (160 bytes at 8 kHz mono). */
export function g711Frames(
  fixture: string,
  codec: 'pcma' | 'pcmu',
  startAt = 1_700_000_000_000,
): AudioFrame[] {
  const bytes = ffmpeg(['-i', fixtures + fixture, '-f', codec === 'pcma' ? 'alaw' : 'mulaw']);
  const frames: AudioFrame[] = [];
  for (let offset = 0, i = 0; offset < bytes.length; offset += 160, i++) {
    const data = bytes.subarray(offset, offset + 160);
    frames.push({
      codec,
      data,
      timestamp: i * 160,
      pts: i * 0.02,
      sampleRate: 8000,
      channels: 1,
      sampleCount: data.length,
      discontinuity: false,
      receivedAt: startAt + i * 20,
    });
  }
  return frames;
}

/** Whole JPEG files at 10 fps; in baseline JPEG, FFD9 only ends an image. */
export function jpegFrames(fixture: string): VideoFrame[] {
  const stream = ffmpeg(['-i', fixtures + fixture, '-c:v', 'copy', '-f', 'mjpeg']);
  const frames: VideoFrame[] = [];
  let start = 0;
  for (let i = 1; i < stream.length; i++) {
    if (stream[i - 1] === 0xff && stream[i] === 0xd9) {
      const n = frames.length;
      frames.push({
        codec: 'jpeg',
        data: stream.subarray(start, i + 1),
        timestamp: n * 9000,
        pts: n / 10,
        keyframe: true,
        discontinuity: false,
        receivedAt: n * 100,
      });
      start = i + 1;
    }
  }
  return frames;
}
