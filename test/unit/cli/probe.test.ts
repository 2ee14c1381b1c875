import { describe, expect, it } from 'vitest';
import { RtspResponseError } from '../../../src/errors.js';
import { fakeEvents, runWith, track, URL_WITH_PASSWORD } from './fake-session.js';

const tracks = [
  track(0, 'video', 'h264', 90000, {
    'packetization-mode': '1',
    'sprop-parameter-sets': 'Z0IAH5WoFAFuQA==,aM48gA==',
  }),
  track(1, 'audio', 'mpeg4-generic', 48000, { config: '1190', mode: 'AAC-hbr' }),
];

describe('rtspkit probe', () => {
  it('prints tracks, fmtp and per-method timing, without the password', async () => {
    const run = await runWith(['probe', URL_WITH_PASSWORD], fakeEvents({ tracks }));
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^rtsp:\/\/admin:\*\*\*@127\.0\.0\.1:8554\/cam/);
    expect(run.stdout).not.toMatch(/s3cret/);
    expect(run.stdout).toMatch(/connect 127\.0\.0\.1:8554\s+2\.0 ms/);
    expect(run.stdout).toMatch(/OPTIONS\s+200 OK\s+1\.5 ms/);
    expect(run.stdout).toMatch(/DESCRIBE\s+200 OK\s+2\.5 ms/);
    expect(run.stdout).toMatch(
      /0\s+video\s+h264\s+90000 Hz\s+rtsp:\/\/127\.0\.0\.1:8554\/cam\/trackID=0/,
    );
    expect(run.stdout).toMatch(/1\s+audio\s+mpeg4-generic\s+48000 Hz\s+1/);
    expect(run.stdout).toMatch(/#1 fmtp config=1190;mode=AAC-hbr/);
    // It stops at DESCRIBE: no SETUP in the output, and the session was closed.
    expect(run.stdout).not.toMatch(/SETUP/);
    expect(run.source?.closed).toBe(true);
  });

  it('--json gives tracks and methods for scripts', async () => {
    const run = await runWith(['probe', URL_WITH_PASSWORD, '--json'], fakeEvents({ tracks }));
    const json = JSON.parse(run.stdout);
    expect(json.url).toBe('rtsp://admin:***@127.0.0.1:8554/cam');
    expect(json.methods).toEqual([
      { method: 'OPTIONS', status: 200, reason: 'OK', elapsedMs: 1.5 },
      { method: 'DESCRIBE', status: 200, reason: 'OK', elapsedMs: 2.5 },
    ]);
    expect(json.connect).toEqual({
      localAddress: '127.0.0.1:50000',
      remoteAddress: '127.0.0.1:8554',
      elapsedMs: 2,
    });
    expect(json.tracks).toEqual(tracks);
  });

  it('exits 1 naming the failed step', async () => {
    const run = await runWith(['probe', URL_WITH_PASSWORD], [], {
      failWith: new RtspResponseError('DESCRIBE', 401, 'Unauthorized'),
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toBe('rtspkit: DESCRIBE 401 Unauthorized\n');
  });

  it('redacts a password that an error message carries', async () => {
    const run = await runWith(['probe', URL_WITH_PASSWORD], [], {
      failWith: new Error(`cannot reach ${URL_WITH_PASSWORD}`),
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/admin:\*\*\*@/);
    expect(run.stderr).not.toMatch(/s3cret/);
  });
});
