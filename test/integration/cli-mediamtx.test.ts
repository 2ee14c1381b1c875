import { statSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeErrors, packetTimes, probe } from '../unit/writers/fixture-frames.js';
import { tempDir } from '../unit/writers/temp-dir.js';
import { startMediamtx, type Mediamtx, type Publisher } from './harness/mediamtx.js';
import { freeTcpPort } from './harness/ports.js';
import { finished, runCliProcess, startCli } from './cli-helpers.js';

const file = tempDir('cli-it');

// The rtspkit CLI against mediamtx publishing the H.264 + AAC fixture (25 fps, 44.1 kHz mono).
describe('rtspkit CLI against mediamtx', () => {
  let mtx: Mediamtx;
  let publisher: Publisher;
  let url: string;
  beforeAll(async () => {
    mtx = await startMediamtx({
      users: [
        { user: 'viewer', pass: 'p@ss', action: 'read' },
        { user: 'any', pass: '', action: 'publish' },
      ],
    });
    publisher = await mtx.publish('h264-aac.mp4', 'cam');
    url = mtx.url('cam', { user: 'viewer', pass: 'p@ss' });
  });
  afterAll(async () => {
    await publisher?.stop();
    await mtx?.stop();
  });

  it('probe lists both tracks and the method timings, password redacted', async () => {
    const run = await runCliProcess(['probe', url, '--json']);
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout);
    expect(result.url).toBe(`rtsp://viewer:***@127.0.0.1:${mtx.rtspPort}/cam`);
    expect(
      result.tracks.map((t: { media: string; codec: string }) => `${t.media}/${t.codec}`),
    ).toEqual(['video/h264', 'audio/mpeg4-generic']);
    expect(result.methods.map((m: { method: string }) => m.method)).toContain('DESCRIBE');
    expect(run.stdout + run.stderr).not.toContain('p@ss');
  });

  it('probe with a wrong password exits 1 naming the step', async () => {
    const run = await runCliProcess(['probe', mtx.url('cam', { user: 'viewer', pass: 'wrong' })]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/DESCRIBE 401 Unauthorized|authentication|401/i);
    expect(run.stderr).not.toContain('wrong');
  });

  it('events prints NDJSON of the whole session and stops after --frames', async () => {
    const run = await runCliProcess(['events', url, '--frames', '30', '--transport', 'tcp']);
    expect(run.code).toBe(0);
    const events = run.stdout
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as { type: string; payload?: unknown });
    expect(events[0]?.type).toBe('connect');
    expect(events.filter((e) => e.type === 'video')).toHaveLength(30);
    expect(typeof events.find((e) => e.type === 'rtp')?.payload).toBe('number');
  });

  it('dump writes .h264 and .aac that decode, frame count about duration × fps', async () => {
    const video = file('cam.h264');
    const audio = file('cam.aac');
    const run = await runCliProcess([
      'dump',
      url,
      '-o',
      video,
      '--audio',
      audio,
      '--duration',
      '4',
    ]);
    expect(run).toMatchObject({ code: 0, stdout: '', stderr: '' });
    const frames = Number(probe(video)[0]?.nb_read_frames);
    // 4 s at 25 fps, less the wait for the first keyframe (the fixture has one every 2 s at most).
    expect(frames).toBeGreaterThanOrEqual(40);
    expect(frames).toBeLessThanOrEqual(105);
    expect(decodeErrors(video)).toBe('');
    expect(probe(audio)[0]).toMatchObject({ codec_name: 'aac', sample_rate: '44100' });
  });

  it('record writes an MP4 with both tracks aligned', async () => {
    const out = file('cam.mp4');
    const run = await runCliProcess(['record', url, '-o', out, '--duration', '3']);
    expect(run.code).toBe(0);
    expect(probe(out).map((s) => s.codec_name)).toEqual(['h264', 'aac']);
    expect(decodeErrors(out)).toBe('');
    const [v] = packetTimes(out, 'v');
    const [a] = packetTimes(out, 'a');
    // ffmpeg publishes 7 AAC frames (163 ms) per RTP packet and mediamtx stamps its sender
    // reports with reception time, so capture times are only known to one audio packet here;
    // cli-serve.test.ts checks one-frame sync against a server with exact sender reports.
    expect(Math.abs(v! - a!)).toBeLessThan(0.17);
  });

  it('record leaves a playable MP4 after SIGKILL mid-recording', async () => {
    const out = file('killed.mp4');
    const child = startCli(['record', url, '-o', out]);
    const done = finished(child);
    const deadline = Date.now() + 15_000;
    // Wait until a couple of fragments are on disk, then kill without warning.
    while (
      Date.now() < deadline &&
      (statSync(out, { throwIfNoEntry: false })?.size ?? 0) < 150_000
    ) {
      await new Promise((r) => setTimeout(r, 100));
    }
    child.kill('SIGKILL');
    expect((await done).signal).toBe('SIGKILL');
    const streams = probe(out);
    expect(streams.map((s) => s.codec_name)).toEqual(['h264', 'aac']);
    expect(Number(streams[0]?.nb_read_frames)).toBeGreaterThan(10);
  });

  it('dump stops cleanly on SIGTERM with a complete file', async () => {
    const out = file('term.h264');
    const child = startCli(['dump', url, '-o', out]);
    const done = finished(child);
    await new Promise((r) => setTimeout(r, 2500));
    child.kill('SIGTERM');
    expect((await done).code).toBe(0);
    expect(Number(probe(out)[0]?.nb_read_frames)).toBeGreaterThan(10);
    expect(decodeErrors(out)).toBe('');
  });

  it('timing --report writes the HTML report and prints the table', async () => {
    const html = file('timing.html');
    const run = await runCliProcess(['timing', url, '--duration', '3', '--report', html]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/DESCRIBE\s+[\d.]+ ms\s+[\d.]+ ms\s+200 OK/);
    expect(run.stdout).toMatch(/#0 video\s+h264/);
    expect(statSync(html).size).toBeGreaterThan(5000);
  });

  it('an unreachable server exits 1 with the connect error', async () => {
    const port = await freeTcpPort();
    const run = await runCliProcess(['probe', `rtsp://127.0.0.1:${port}/cam`, '--timeout', '2000']);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(`rtspkit: connect ECONNREFUSED 127.0.0.1:${port}\n`);
  });
});
