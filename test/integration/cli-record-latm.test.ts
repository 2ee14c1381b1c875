/**
 * MP4A-LATM audio (RFC 6416) end to end: ffmpeg publishes the H.264 + AAC
 * fixture into mediamtx with LATM packetization, and `rtspkit record` and
 * `dump --audio` write files ffmpeg decodes, the AudioSpecificConfig taken from
 * the StreamMuxConfig in the SDP.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeErrors, probe } from '../unit/writers/fixture-frames.js';
import { tempDir } from '../unit/writers/temp-dir.js';
import { startMediamtx, type Mediamtx, type Publisher } from './harness/mediamtx.js';
import { runCliProcess } from './cli-helpers.js';

const file = tempDir('cli-latm');

describe('rtspkit CLI with MP4A-LATM audio (mediamtx)', () => {
  let mtx: Mediamtx;
  let publisher: Publisher;
  let url: string;
  beforeAll(async () => {
    mtx = await startMediamtx();
    publisher = await mtx.publish('h264-aac.mp4', 'latm', { latm: true });
    url = mtx.url('latm');
  });
  afterAll(async () => {
    await publisher?.stop();
    await mtx?.stop();
  });

  it('the stream really is LATM', async () => {
    const run = await runCliProcess(['probe', url, '--json']);
    expect(run.code).toBe(0);
    const tracks = JSON.parse(run.stdout).tracks as {
      codec: string;
      fmtp: { cpresent?: string };
    }[];
    expect(tracks.map((t) => t.codec)).toEqual(['h264', 'mp4a-latm']);
    expect(tracks[1]!.fmtp.cpresent).toBe('0');
  });

  it('record writes an MP4 whose AAC track ffmpeg decodes', async () => {
    const out = file('latm.mp4');
    const run = await runCliProcess(['record', url, '-o', out, '--duration', '3']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const streams = probe(out);
    expect(streams.map((s) => s.codec_name)).toEqual(['h264', 'aac']);
    expect(streams[1]).toMatchObject({ sample_rate: '44100', channels: 1 });
    // At least a second of audio (43 frames): the file starts at the first keyframe, not at PLAY.
    expect(Number(streams[1]?.nb_read_frames)).toBeGreaterThan(43);
    expect(decodeErrors(out)).toBe('');
  });

  it('dump --audio writes ADTS that ffmpeg decodes', async () => {
    const video = file('latm.h264');
    const audio = file('latm.aac');
    const run = await runCliProcess([
      'dump',
      url,
      '-o',
      video,
      '--audio',
      audio,
      '--duration',
      '2',
    ]);
    expect(run.code).toBe(0);
    expect(probe(audio)[0]).toMatchObject({ codec_name: 'aac', sample_rate: '44100', channels: 1 });
    expect(decodeErrors(audio)).toBe('');
  });
});
