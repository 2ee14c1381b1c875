import { execFile } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serve, type RtspFileServer } from '../../src/server/index.js';
import { fixturesDir } from './harness/mediamtx.js';
import { requireTool } from './harness/require-tool.js';

// The file server read by independent clients: FFmpeg (TCP and UDP), ffprobe
// counting decoded frames, and GStreamer's rtspsrc. Each run plays a fixture
// once in real time (3-4 s), so runs go a few at a time.

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(command: string, args: string[], timeoutMs = 30_000): Promise<Run> {
  return new Promise((resolve) => {
    execFile(command, args, { timeout: timeoutMs, maxBuffer: 4 << 20 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/** Runs `tasks` with at most `limit` at a time (two cores shared by several test files). */
async function limited<T>(limit: number, tasks: (() => Promise<T>)[]): Promise<T[]> {
  const results: T[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < tasks.length) {
        const i = next++;
        results[i] = await tasks[i]!();
      }
    }),
  );
  return results;
}

/** Fixture → decoded frames per stream, as ffprobe counts them reading the file itself. */
const fixtures: Record<string, Record<string, number>> = {
  'h264-720p.mp4': { h264: 100 },
  'h265-360p.mp4': { hevc: 75 },
  'aac-48k-stereo.m4a': { aac: 189 },
  'h264-aac.mp4': { h264: 100, aac: 174 },
  'pcm-8k-mono.wav': { pcm_alaw: 150 },
  'pcm-16k-stereo.wav': { pcm_alaw: 150 },
  'pcma-8k.wav': { pcm_alaw: 150 },
  'pcmu-8k.wav': { pcm_mulaw: 150 },
  'mjpeg-320x240.mjpeg': { mjpeg: 30 },
};
const names = Object.keys(fixtures);

describe('file server read by FFmpeg and GStreamer', () => {
  let server: RtspFileServer;

  beforeAll(async () => {
    await requireTool('ffmpeg', ['-version'], 'ffmpeg (apt-get install ffmpeg)');
    await requireTool('ffprobe', ['-version'], 'ffprobe (apt-get install ffmpeg)');
    server = await serve(fixturesDir, { port: 0 });
  });
  afterAll(() => server?.close());

  it.each(['tcp', 'udp'])(
    'ffmpeg -rtsp_transport %s decodes every media type without an error line',
    async (transport) => {
      const runs = await limited(
        5,
        names.map(
          (name) => () =>
            run('ffmpeg', [
              '-nostdin',
              '-v',
              'error',
              '-rtsp_transport',
              transport,
              '-i',
              server.url(name),
              '-f',
              'null',
              '-',
            ]),
        ),
      );
      runs.forEach((r, i) => {
        expect({ name: names[i], code: r.code, stderr: r.stderr }).toEqual({
          name: names[i],
          code: 0,
          stderr: '',
        });
      });
    },
    120_000,
  );

  it('ffprobe -count_frames counts every frame of every stream', async () => {
    const runs = await limited(
      5,
      names.map(
        (name) => () =>
          run('ffprobe', [
            '-v',
            'error',
            '-rtsp_transport',
            'tcp',
            '-count_frames',
            '-show_entries',
            'stream=codec_name,nb_read_frames',
            '-of',
            'csv=p=0',
            server.url(name),
          ]),
      ),
    );
    runs.forEach((r, i) => {
      const counted = Object.fromEntries(
        r.stdout
          .trim()
          .split('\n')
          .map((line) => line.split(','))
          .map(([codec, n]) => [codec, Number(n)]),
      );
      expect({ name: names[i], counted }).toEqual({ name: names[i], counted: fixtures[names[i]!] });
    });
  }, 120_000);

  it('ffprobe follows play_count=2: every frame twice, timestamps continuing', async () => {
    const probe = (name: string) =>
      run('ffprobe', [
        '-v',
        'error',
        '-rtsp_transport',
        'tcp',
        '-count_frames',
        '-show_entries',
        'stream=nb_read_frames',
        '-of',
        'csv=p=0',
        server.url(name) + '?play_count=2',
      ]);
    const [video, audio] = await Promise.all([probe('h264-720p.mp4'), probe('pcma-8k.wav')]);
    expect([video.stderr, video.stdout.trim()]).toEqual(['', '200']);
    expect([audio.stderr, audio.stdout.trim()]).toEqual(['', '300']);
  }, 60_000);

  it('gst-launch-1.0 rtspsrc decodes H.264 (TCP and UDP) and every other media type, reaching end of stream', async () => {
    await requireTool(
      'gst-launch-1.0',
      ['--version'],
      'GStreamer (apt-get install gstreamer1.0-tools gstreamer1.0-plugins-good gstreamer1.0-plugins-bad gstreamer1.0-libav)',
    );
    const gst = (name: string, protocols: string, decoder: string[]): Promise<Run> =>
      run('gst-launch-1.0', [
        '-q',
        'rtspsrc',
        `location=${server.url(name)}`,
        `protocols=${protocols}`,
        '!',
        ...decoder,
        '!',
        'fakesink',
      ]);
    const h264 = ['rtph264depay', '!', 'h264parse', '!', 'avdec_h264'];
    // decodebin keeps plugging elements until it outputs raw audio/video.
    const others = [
      'h265-360p.mp4',
      'aac-48k-stereo.m4a',
      'mjpeg-320x240.mjpeg',
      'pcm-16k-stereo.wav',
      'pcmu-8k.wav',
    ];
    const runs = await limited(3, [
      () => gst('h264-720p.mp4', 'tcp', h264),
      () => gst('h264-720p.mp4', 'udp', h264),
      ...others.map((name) => () => gst(name, 'tcp', ['decodebin'])),
    ]);
    for (const r of runs) {
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).not.toMatch(/ERROR|WARNING/);
    }
  }, 90_000);
});
