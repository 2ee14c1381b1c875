import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RtspEvent } from '../../src/events/types.js';
import { serve, type RtspFileServer } from '../../src/server/index.js';
import { RtspSession, type RtspSessionOptions } from '../../src/session/session.js';
import { fixturesDir } from './harness/mediamtx.js';
import { pcmWav } from './server-raw-client.js';

// rtspkit's own client against its own server, end to end.

interface Summary {
  frames: Record<string, number>;
  keyframes: number;
  sizes: Set<string>;
  closed: string;
}

async function pull(
  url: string,
  options: RtspSessionOptions,
  onEvent?: (ev: RtspEvent, session: RtspSession) => void,
): Promise<Summary> {
  const session = new RtspSession(url, { timeoutMs: 5000, statsIntervalMs: 0, ...options });
  const summary: Summary = { frames: {}, keyframes: 0, sizes: new Set(), closed: '' };
  for await (const ev of session) {
    onEvent?.(ev, session);
    if (ev.type === 'video' || ev.type === 'audio')
      summary.frames[ev.frame.codec] = (summary.frames[ev.frame.codec] ?? 0) + 1;
    if (ev.type === 'video') {
      if (ev.frame.keyframe) summary.keyframes++;
      summary.sizes.add(`${ev.frame.width}x${ev.frame.height}`);
    }
    if (ev.type === 'closed')
      summary.closed = ev.reason + (ev.error ? `: ${ev.error.message}` : '');
  }
  return summary;
}

describe('file server read by rtspkit’s RtspSession', () => {
  let server: RtspFileServer;

  beforeAll(async () => {
    server = await serve(fixturesDir, { port: 0 });
  });
  afterAll(() => server.close());

  it.each(['tcp', 'udp'] as const)(
    'receives every frame of every codec over %s',
    async (transport) => {
      const get = (name: string): Promise<Summary> => pull(server.url(name), { transport });
      const [h264Aac, h265, mjpeg, aac, wav] = await Promise.all([
        get('h264-aac.mp4'),
        get('h265-360p.mp4'),
        get('mjpeg-320x240.mjpeg'),
        get('aac-48k-stereo.m4a'),
        get('pcmu-8k.wav'),
      ]);
      expect(h264Aac).toMatchObject({
        frames: { h264: 100, aac: 174 },
        keyframes: 4,
        sizes: new Set(['640x360']),
      });
      expect(h265).toMatchObject({
        frames: { h265: 75 },
        keyframes: 3,
        sizes: new Set(['640x360']),
      });
      expect(mjpeg).toMatchObject({
        frames: { jpeg: 30 },
        keyframes: 30,
        sizes: new Set(['320x240']),
      });
      expect(aac.frames).toEqual({ aac: 189 });
      expect(wav.frames).toEqual({ pcmu: 150 });
      for (const s of [h264Aac, h265, mjpeg, aac, wav])
        expect(s.closed).toMatch(/^(server-closed|teardown)$/);
    },
    30_000,
  );
});

describe('RtspSession against an authenticating file server', () => {
  let dir: string;
  let server: RtspFileServer;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'rtspkit-serve-session-'));
    await writeFile(path.join(dir, 'tone.wav'), pcmWav(1500));
    server = await serve(dir, {
      port: 0,
      auth: { username: 'user', password: 'p@ss:w/rd', methods: ['digest'] },
    });
  });
  afterAll(async () => {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('authenticates with Digest, and PAUSE/PLAY resume without losing a packet', async () => {
    const url = server.url('tone.wav').replace('rtsp://', 'rtsp://user:p%40ss%3Aw%2Frd@');
    let paused = false;
    const methods: string[] = [];
    const summary = await pull(url, { transport: 'tcp' }, (ev, session) => {
      if (ev.type === 'rtsp') methods.push(`${ev.method} ${ev.status}`);
      if (ev.type === 'audio' && !paused && ev.frame.timestamp > 4000) {
        paused = true;
        void session
          .pause()
          .then(() => new Promise((r) => setTimeout(r, 300)))
          .then(() => session.play());
      }
    });
    expect(methods).toContain('DESCRIBE 401');
    expect(methods).toContain('DESCRIBE 200');
    expect(methods.filter((m) => m === 'PAUSE 200')).toHaveLength(1);
    expect(methods.filter((m) => m === 'PLAY 200')).toHaveLength(2);
    expect(summary.frames).toEqual({ pcma: 75 });
  }, 15_000);

  it('fails with RtspAuthError on a wrong password', async () => {
    const url = server.url('tone.wav').replace('rtsp://', 'rtsp://user:wrong@');
    await expect(pull(url, { transport: 'tcp' })).rejects.toMatchObject({ code: 'ERR_RTSP_AUTH' });
  });
});
