import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { toHex } from '../../../src/codecs/aac-config.js';
import {
  aacFrames,
  decodeErrors,
  g711Frames,
  jpegFrames,
  probe,
  videoFrames,
} from '../writers/fixture-frames.js';
import { tempDir } from '../writers/temp-dir.js';
import { fakeEvents, runWith, track } from './fake-session.js';

const file = tempDir('cli-dump');
const aac = aacFrames('h264-aac.mp4');
const h264 = videoFrames('h264-aac.mp4', 'h264');
const avTracks = [
  track(0, 'video', 'h264', 90000),
  track(1, 'audio', 'mpeg4-generic', 44100, { config: toHex(aac.config) }),
];

describe('rtspkit dump', () => {
  it('writes .h264 and .aac that ffmpeg decodes, starting at a keyframe', async () => {
    const video = file('cam.h264');
    const audio = file('cam.aac');
    const run = await runWith(
      ['dump', 'rtsp://cam/x', '-o', video, '--audio', audio],
      fakeEvents({ tracks: avTracks, video: h264.slice(3), audio: aac.frames }),
    );
    expect(run).toMatchObject({ code: 0, stdout: '', stderr: '' });
    const keyframes = h264.map((f, i) => (f.keyframe ? i : -1)).filter((i) => i >= 3);
    expect(Number(probe(video)[0]?.nb_read_frames)).toBe(h264.length - keyframes[0]!);
    expect(decodeErrors(video)).toBe('');
    expect(probe(audio)[0]).toMatchObject({ codec_name: 'aac', sample_rate: '44100' });
    expect(Number(probe(audio)[0]?.nb_read_frames)).toBe(aac.frames.length);
  });

  it('stops after --frames video frames with a complete file', async () => {
    const video = file('ten.h264');
    const run = await runWith(
      ['dump', 'rtsp://cam/x', '-o', video, '--frames', '10'],
      fakeEvents({ tracks: avTracks, video: h264 }),
    );
    expect(run.code).toBe(0);
    expect(run.flags).toMatchObject({ video: true, audio: false });
    expect(Number(probe(video)[0]?.nb_read_frames)).toBe(10);
    expect(run.source?.closed).toBe(true);
  });

  it('writes MJPEG and G.711 WAV', async () => {
    const jpeg = jpegFrames('mjpeg-320x240.mkv');
    const pcmu = g711Frames('pcmu-8k.wav', 'pcmu');
    const tracks = [track(0, 'video', 'jpeg', 90000), track(1, 'audio', 'pcmu', 8000)];
    const run = await runWith(
      ['dump', 'rtsp://cam/x', '-o', file('cam.mjpeg'), '--audio', file('cam.wav')],
      fakeEvents({ tracks, video: jpeg, audio: pcmu }),
    );
    expect(run.code).toBe(0);
    expect(Number(probe(file('cam.mjpeg'))[0]?.nb_read_frames)).toBe(jpeg.length);
    expect(probe(file('cam.wav'))[0]).toMatchObject({
      codec_name: 'pcm_mulaw',
      sample_rate: '8000',
    });
    expect(readFileSync(file('cam.wav')).readUInt32LE(54)).toBe(
      pcmu.reduce((n, f) => n + f.data.length, 0),
    );
  });

  it('writes Annex B to stdout with -o -', async () => {
    const run = await runWith(
      ['dump', 'rtsp://cam/x', '-o', '-', '--frames', '5'],
      fakeEvents({ tracks: avTracks, video: h264 }),
    );
    expect(run.code).toBe(0);
    expect(run.stdoutBytes.subarray(0, 4)).toEqual(Buffer.of(0, 0, 0, 1));
    expect(run.stdoutBytes.length).toBe(h264.slice(0, 5).reduce((n, f) => n + f.data.length, 0));
  });

  it.each([
    [['-o', 'x.h265'], /-o .*x\.h265: the stream's video is h264; name the file \.h264/],
    [
      ['-o', 'x.h264', '--audio', 'x.wav'],
      /the stream's audio is mpeg4-generic; \.wav holds G\.711 \(pcma\/pcmu\); use \.aac/,
    ],
  ])('exits 1 when the file type does not fit the stream (%j)', async (args, message) => {
    const run = await runWith(
      ['dump', 'rtsp://cam/x', ...args.map((a) => (a.startsWith('x.') ? file(a) : a))],
      fakeEvents({ tracks: avTracks, video: h264 }),
    );
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(message);
  });

  it('exits 1 when the stream has no track of the media asked for', async () => {
    const run = await runWith(
      ['dump', 'rtsp://cam/x', '-o', file('v.h264'), '--audio', file('a.aac')],
      fakeEvents({ tracks: [avTracks[0]!], video: h264 }),
    );
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/a\.aac: the stream has no audio track/);
  });
});
