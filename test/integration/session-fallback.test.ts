import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RtspSession } from '../../src/session/session.js';
import { startMediamtx, type Mediamtx, type Publisher } from './harness/mediamtx.js';
import { exchanges, runUntil } from './session-helpers.js';

describe("RtspSession transport 'auto' against mediamtx that refuses UDP", () => {
  let mtx: Mediamtx;
  let publisher: Publisher;
  beforeAll(async () => {
    mtx = await startMediamtx({ rtspTransports: ['tcp'] });
    publisher = await mtx.publish('h264-720p.mp4', 'cam');
  });
  afterAll(async () => {
    await publisher?.stop();
    await mtx?.stop();
  });

  it('falls back to TCP when SETUP over UDP is answered 461', async () => {
    const session = new RtspSession(mtx.url('cam'), { transport: 'auto' });
    const { events } = await runUntil(session, (event) => event.type === 'video');
    expect(exchanges(events)).toEqual([
      'OPTIONS 200',
      'DESCRIBE 200',
      'SETUP 461',
      'SETUP 200',
      'PLAY 200',
      'TEARDOWN 200',
    ]);
    expect(events.find((event) => event.type === 'quirk')).toMatchObject({ quirk: 'udp-fallback' });
    expect(events.some((event) => event.type === 'video' && event.frame.keyframe)).toBe(true);
  });

  it('fails with SETUP 461 when UDP is forced', async () => {
    const session = new RtspSession(mtx.url('cam'), { transport: 'udp' });
    await expect(runUntil(session, () => false)).rejects.toThrow(/^SETUP 461 /);
  });
});
