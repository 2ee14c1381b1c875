import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeErrors, packetTimes, probe } from '../unit/writers/fixture-frames.js';
import { tempDir } from '../unit/writers/temp-dir.js';
import { fixturesDir } from './harness/mediamtx.js';
import { freeTcpPort } from './harness/ports.js';
import { finished, runCliProcess, startCli, type CliResult } from './cli-helpers.js';
import type { ChildProcess } from 'node:child_process';

const file = tempDir('cli-serve');

// `rtspkit serve` publishing the fixtures, read back by the other commands:
// the README's no-camera demo, and a server whose RTCP sender reports are exact.
describe('rtspkit serve, read by rtspkit', () => {
  let server: ChildProcess;
  let serverDone: Promise<CliResult>;
  let base: string;
  beforeAll(async () => {
    const port = await freeTcpPort();
    server = startCli(['serve', fixturesDir, '--port', String(port)]);
    serverDone = finished(server);
    const deadline = Date.now() + 10_000;
    let banner = '';
    server.stdout?.on('data', (d: Buffer) => (banner += d.toString()));
    while (!banner.includes('serving') && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 50));
    expect(banner).toBe(`serving ${fixturesDir} at rtsp://127.0.0.1:${port}/\n`);
    base = `rtsp://127.0.0.1:${port}/`;
  });
  afterAll(async () => {
    server?.kill('SIGTERM');
    const result = await serverDone;
    expect(result.code).toBe(0);
  });

  it('probe shows the fixture tracks', async () => {
    const run = await runCliProcess(['probe', `${base}h264-aac.mp4`]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/0\s+video\s+h264\s+90000 Hz/);
    expect(run.stdout).toMatch(/1\s+audio\s+mpeg4-generic\s+44100 Hz\s+1/);
  });

  it('record keeps audio and video within one frame (40 ms)', async () => {
    const out = file('av.mp4');
    const run = await runCliProcess([
      'record',
      `${base}h264-aac.mp4`,
      '-o',
      out,
      '--duration',
      '3',
    ]);
    expect(run.code).toBe(0);
    expect(decodeErrors(out)).toBe('');
    const [v] = packetTimes(out, 'v');
    const [a] = packetTimes(out, 'a');
    expect(Math.abs(v! - a!)).toBeLessThan(0.04);
  });

  it('dump writes MJPEG and G.711 WAV', async () => {
    const mjpeg = await runCliProcess([
      'dump',
      `${base}mjpeg-320x240.mjpeg`,
      '-o',
      file('cam.mjpeg'),
      '--frames',
      '15',
    ]);
    expect(mjpeg.code).toBe(0);
    expect(probe(file('cam.mjpeg'))[0]).toMatchObject({
      codec_name: 'mjpeg',
      width: 320,
      height: 240,
      nb_read_frames: '15',
    });
    const wav = await runCliProcess([
      'dump',
      `${base}pcm-8k-mono.wav`,
      '--audio',
      file('cam.wav'),
      '--duration',
      '2',
    ]);
    expect(wav.code).toBe(0);
    expect(probe(file('cam.wav'))[0]).toMatchObject({
      codec_name: 'pcm_alaw',
      sample_rate: '8000',
    });
  });

  it('a path that is not there exits 1 naming DESCRIBE', async () => {
    const run = await runCliProcess(['probe', `${base}missing.mp4`]);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe('rtspkit: DESCRIBE 404 Not Found\n');
  });
});
