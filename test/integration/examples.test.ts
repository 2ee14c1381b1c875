import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as api from '../../src/index.js';
import type { RtspEvent } from '../../src/index.js';
import { decodeErrors, packetTimes, probe } from '../unit/writers/fixture-frames.js';
import { tempDir } from '../unit/writers/temp-dir.js';
import { finished, type CliResult } from './cli-helpers.js';
import { requireTool } from './harness/require-tool.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const fixtures = fileURLToPath(new URL('../fixtures/', import.meta.url));
const file = tempDir('examples');

/**
 * Runs examples/NAME as a user does (`npx tsx examples/NAME ...`): from the
 * repository root, where tsconfig.json maps `import ... from 'rtspkit'` to src.
 */
function startExample(name: string, args: string[]) {
  return spawn(process.execPath, ['--import', 'tsx', `examples/${name}`, ...args], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

async function runExample(name: string, args: string[]): Promise<CliResult> {
  const result = await finished(startExample(name, args));
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return result;
}

describe('examples/, run against the embedded server', () => {
  let server: api.RtspFileServer;
  beforeAll(async () => {
    await requireTool('ffprobe', ['-version'], 'ffprobe (apt-get install ffmpeg)');
    server = await api.serve(fixtures, { port: 0 });
  });
  afterAll(() => server?.close());

  it('iterate.ts prints every event as JSON until the frame count, ending with closed', async () => {
    const run = await runExample('iterate.ts', [server.url('h264-aac.mp4'), '25']);
    const events = run.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as RtspEvent);
    expect(events[0]?.type).toBe('connect');
    const exchanges = events.flatMap((e) => (e.type === 'rtsp' ? [`${e.method} ${e.status}`] : []));
    expect(exchanges).toEqual([
      'OPTIONS 200',
      'DESCRIBE 200',
      'SETUP 200',
      'SETUP 200',
      'PLAY 200',
      'TEARDOWN 200',
    ]);
    const video = events.flatMap((e) => (e.type === 'video' ? [e.frame] : []));
    expect(video.length).toBeGreaterThanOrEqual(25);
    expect(video[0]).toMatchObject({ codec: 'h264', keyframe: true, width: 640, height: 360 });
    expect(video[0]?.data).toMatch(/^<\d+ bytes>$/);
    expect(events.some((e) => e.type === 'audio' && e.frame.codec === 'aac')).toBe(true);
    expect(events.at(-1)).toMatchObject({ type: 'closed', reason: 'aborted' });
  });

  it('dump-h264.ts writes the frame count to an .h264 file ffprobe decodes', async () => {
    const out = file('cam.h264');
    const run = await runExample('dump-h264.ts', [server.url('h264-720p.mp4'), out, '40']);
    expect(run.stdout).toBe(`${out}: 40 frames\n`);
    expect(probe(out)).toEqual([
      expect.objectContaining({
        codec_name: 'h264',
        width: 1280,
        height: 720,
        nb_read_frames: '40',
      }),
    ]);
  });

  it('record-mp4.ts records video and audio for the duration into an MP4 that decodes', async () => {
    const out = file('cam.mp4');
    const run = await runExample('record-mp4.ts', [server.url('h264-aac.mp4'), out, '2']);
    expect(run.stdout).toMatch(new RegExp(`^${out}: \\d+ frames\\n$`));
    expect(probe(out)).toEqual([
      expect.objectContaining({ codec_name: 'h264', width: 640, height: 360 }),
      expect.objectContaining({ codec_name: 'aac', sample_rate: '44100', channels: 1 }),
    ]);
    expect(decodeErrors(out)).toBe('');
    const lastVideo = packetTimes(out, 'v').at(-1)!;
    expect(lastVideo).toBeGreaterThan(1);
    expect(lastVideo).toBeLessThan(2.5);
  });

  it('latency.ts prints step timings, per-track figures with latency, then closes', async () => {
    const run = await runExample('latency.ts', [server.url('h264-aac.mp4'), '3']);
    const lines = run.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^TCP connect [\d.]+ ms to 127\.0\.0\.1:\d+$/);
    for (const method of ['OPTIONS', 'DESCRIBE', 'SETUP', 'PLAY', 'TEARDOWN'])
      expect(run.stdout).toMatch(new RegExp(`^${method} +200 OK +[\\d.]+ ms$`, 'm'));
    expect(run.stdout).toMatch(/^first frame at [\d.]+ ms, first keyframe at [\d.]+ ms$/m);
    const video = [
      ...run.stdout.matchAll(/#0 video h264: ([\d.]+) fps, .*latency ([\d.-]+) ms$/gm),
    ];
    expect(video.length).toBeGreaterThanOrEqual(2);
    for (const [, fps, latency] of video) {
      expect(Number(fps)).toBeGreaterThan(15);
      expect(Math.abs(Number(latency))).toBeLessThan(500);
    }
    expect(run.stdout).toMatch(/#1 audio aac: [\d.]+ fps/);
    expect(lines.at(-1)).toBe('closed: aborted');
  });

  it('reconnect.ts starts a new session when the server ends the stream, pts continuing', async () => {
    // The 4 s fixture plays once and ends with RTCP BYE: a drop after PLAY.
    const run = await runExample('reconnect.ts', [server.url('h264-aac.mp4'), '6.5']);
    expect(run.stdout).toMatch(/^stream lost \(.+\), attempt 1 in \d+ ms$/m);
    expect(run.stdout).toMatch(/^reconnected at attempt 1$/m);
    const first = /^first frame after reconnecting: pts ([\d.]+) s, discontinuity true$/m.exec(
      run.stdout,
    );
    expect(Number(first?.[1])).toBeGreaterThanOrEqual(3.9);
    const closed = /^closed: aborted; (\d+) video frames up to pts ([\d.]+) s$/m.exec(run.stdout);
    expect(Number(closed?.[1])).toBeGreaterThan(100);
    expect(Number(closed?.[2])).toBeGreaterThan(Number(first?.[1]));
  });

  it('serve.ts serves a directory until Ctrl-C', async () => {
    const child = startExample('serve.ts', [fixtures, '0', '60']);
    const done = finished(child);
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    const deadline = Date.now() + 15_000;
    while (!stdout.includes('pcmu-8k.wav') && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 50));
    const url = /rtsp:\/\/127\.0\.0\.1:\d+\/h264-720p\.mp4/.exec(stdout)?.[0];
    expect(url).toBeDefined();
    expect(stdout.match(/^ {2}rtsp:\S+$/gm)?.map((u) => u.slice(u.lastIndexOf('/') + 1))).toEqual([
      'aac-48k-stereo.m4a',
      'h264-720p.mp4',
      'h264-aac.mp4',
      'h265-360p.mp4',
      'mjpeg-320x240.mjpeg',
      'pcm-16k-stereo.wav',
      'pcm-8k-mono.wav',
      'pcma-8k.wav',
      'pcmu-8k.wav',
    ]);

    let frames = 0;
    for await (const event of new api.RtspSession(url!, { audio: false })) {
      if (event.type === 'video' && ++frames === 10) break;
    }
    expect(frames).toBe(10);

    child.kill('SIGINT');
    const result = await done;
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout.trim().split('\n').at(-1)).toBe('stopped after 1 session(s)');
  });
});

describe("the package's own name", () => {
  it("'rtspkit' resolves to the built dist through package.json exports, with the public API", async () => {
    const child = spawn(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        "const m = await import('rtspkit'); console.log(import.meta.resolve('rtspkit'), Object.keys(m).sort().join());",
      ],
      { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const result = await finished(child);
    expect(result.stderr).toBe('');
    const [resolved, names] = result.stdout.trim().split(' ');
    expect(resolved).toBe(new URL('../../dist/index.js', import.meta.url).href);
    expect(names).toBe(Object.keys(api).sort().join());
  });
});
