import { describe, expect, it } from 'vitest';
import { toHex } from '../../../src/codecs/aac-config.js';
import {
  aacFrames,
  decodeErrors,
  g711Frames,
  probe,
  videoFrames,
} from '../writers/fixture-frames.js';
import { tempDir } from '../writers/temp-dir.js';
import { fakeEvents, runWith, track } from './fake-session.js';

const file = tempDir('cli-record');
const aac = aacFrames('h264-aac.mp4');
const h264 = videoFrames('h264-aac.mp4', 'h264');

describe('rtspkit record', () => {
  it('muxes H.264 and AAC into one MP4', async () => {
    const tracks = [
      track(0, 'video', 'h264', 90000),
      track(1, 'audio', 'mpeg4-generic', 44100, { config: toHex(aac.config) }),
    ];
    const out = file('cam.mp4');
    const run = await runWith(
      ['record', 'rtsp://cam/x', '-o', out],
      fakeEvents({ tracks, video: h264, audio: aac.frames }),
    );
    expect(run).toMatchObject({ code: 0, stdout: '', stderr: '' });
    expect(probe(out).map((s) => s.codec_name)).toEqual(['h264', 'aac']);
    expect(decodeErrors(out)).toBe('');
  });

  it('records G.711 A-law next to H.265', async () => {
    const tracks = [track(0, 'video', 'h265', 90000), track(1, 'audio', 'pcma', 8000)];
    const out = file('hevc.mp4');
    const run = await runWith(
      ['record', 'rtsp://cam/x', '-o', out],
      fakeEvents({
        tracks,
        video: videoFrames('h265-360p.mp4', 'h265'),
        audio: g711Frames('pcma-8k.wav', 'pcma'),
      }),
    );
    expect(run.code).toBe(0);
    expect(probe(out).map((s) => s.codec_name)).toEqual(['hevc', 'pcm_alaw']);
  });

  it('says clearly when audio cannot go into the MP4, and records the video', async () => {
    const tracks = [track(0, 'video', 'h264', 90000), track(1, 'audio', 'opus', 48000)];
    const out = file('opus.mp4');
    const run = await runWith(
      ['record', 'rtsp://cam/x', '-o', out],
      fakeEvents({ tracks, video: h264 }),
    );
    expect(run.code).toBe(0);
    expect(run.stderr).toBe(
      'rtspkit: opus audio is not recordable to MP4; recording without audio\n',
    );
    expect(probe(out).map((s) => s.codec_name)).toEqual(['h264']);
  });

  it('exits 1 when no keyframe ever arrived', async () => {
    const tracks = [track(0, 'video', 'h264', 90000)];
    const run = await runWith(
      ['record', 'rtsp://cam/x', '-o', file('none.mp4')],
      fakeEvents({ tracks, video: h264.filter((f) => !f.keyframe) }),
    );
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /none\.mp4: no keyframe with parameter sets arrived, nothing recorded/,
    );
  });

  it('refuses MJPEG with a pointer to dump', async () => {
    const run = await runWith(
      ['record', 'rtsp://cam/x', '-o', file('mjpeg.mp4')],
      fakeEvents({ tracks: [track(0, 'video', 'jpeg', 90000)] }),
    );
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /jpeg video cannot go into MP4 here; use 'rtspkit dump -o FILE\.mjpeg'/,
    );
  });
});
