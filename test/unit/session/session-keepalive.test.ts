import { describe, expect, it } from 'vitest';
import type { RtspEvent } from '../../../src/events/types.js';
import { RtspSession } from '../../../src/session/session.js';
import { CAMERA_URL, fakeCamera, isPlay, rest, sendAudioPacket, until } from './fake-camera.js';
import type { FakeRtspServer } from './fake-rtsp-server.js';

/** Keeps media flowing (so the no-data watchdog stays quiet) while a test watches keepalives. */
function feed(camera: FakeRtspServer): () => void {
  let index = 0;
  const timer = setInterval(() => sendAudioPacket(camera.last, 0, index++), 40);
  return () => clearInterval(timer);
}

async function playing(session: RtspSession): Promise<AsyncIterator<RtspEvent>> {
  const iterator = session.events();
  await until(iterator, isPlay);
  return iterator;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('RtspSession keepalive', () => {
  it('sends GET_PARAMETER every half of the Session timeout when the server lists it', async () => {
    const camera = fakeCamera({ sessionHeader: 'abc;timeout=1' });
    const session = new RtspSession(CAMERA_URL, {
      connect: camera.connect,
      audio: true,
      video: false,
    });
    await playing(session);
    const stop = feed(camera);
    await sleep(1300);
    stop();
    const keepalives = camera.requests.filter((r) => r.method === 'GET_PARAMETER');
    expect(keepalives.length).toBeGreaterThanOrEqual(2);
    expect(keepalives.every((r) => r.headers.get('session') === 'abc')).toBe(true);
    await session.close();
  });

  it('uses OPTIONS when GET_PARAMETER is not in Public, and after GET_PARAMETER is refused', async () => {
    const withoutGet = fakeCamera({
      sessionHeader: 'abc;timeout=1',
      publicMethods: 'OPTIONS, DESCRIBE, SETUP, PLAY, TEARDOWN',
    });
    const first = new RtspSession(CAMERA_URL, { connect: withoutGet.connect, video: false });
    await playing(first);
    const stopFirst = feed(withoutGet);
    await sleep(700);
    stopFirst();
    await first.close();
    expect(withoutGet.requests.filter((r) => r.method === 'OPTIONS').length).toBeGreaterThanOrEqual(
      2,
    );

    const refusing = fakeCamera({
      sessionHeader: 'abc;timeout=1',
      override: (r) =>
        r.method === 'GET_PARAMETER' ? { status: 501, reason: 'Not Implemented' } : undefined,
    });
    const second = new RtspSession(CAMERA_URL, { connect: refusing.connect, video: false });
    await playing(second);
    const stopSecond = feed(refusing);
    await sleep(1300);
    stopSecond();
    await second.close();
    const keepalives = refusing.requests
      .filter((r) => r.method === 'GET_PARAMETER' || r.method === 'OPTIONS')
      .slice(1);
    expect(keepalives.map((r) => r.method)).toEqual([
      'GET_PARAMETER',
      ...keepalives.slice(1).map(() => 'OPTIONS'),
    ]);
    expect(keepalives.length).toBeGreaterThanOrEqual(2);
    expect(second.state).toBe('closed');
  });

  it('survives unanswered keepalives: they time out alone and later requests still go through', async () => {
    const camera = fakeCamera({
      sessionHeader: 'abc;timeout=1',
      override: (r) => (r.method === 'GET_PARAMETER' ? 'ignore' : undefined),
    });
    const session = new RtspSession(CAMERA_URL, {
      connect: camera.connect,
      video: false,
      timeoutMs: 200,
    });
    const iterator = await playing(session);
    const stop = feed(camera);
    await sleep(1300);
    expect(session.state).toBe('playing');
    await session.pause();
    expect(session.state).toBe('paused');
    stop();
    await session.close();
    const events = await rest(iterator);
    expect(events.at(-1)).toMatchObject({ type: 'closed', reason: 'teardown' });
    expect(
      camera.requests.filter((r) => r.method === 'GET_PARAMETER').length,
    ).toBeGreaterThanOrEqual(2);
  });
});
