import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RtspAuthError } from '../../src/errors.js';
import { RtspSession } from '../../src/session/session.js';
import {
  startMediamtx,
  type Mediamtx,
  type MediamtxOptions,
  type Publisher,
} from './harness/mediamtx.js';
import { exchanges, runUntil } from './session-helpers.js';

// A password with characters that break naive URL handling ('@', '#', '&', ';', '$', '!'); mediamtx
// refuses ':', '/', '%' and spaces in its own configuration (unit tests cover those in the URL parser).
const viewer = { user: 'viewer', pass: 'P@ss#w!rd&S3cr3t;$' };
const publisherAccount = { user: 'pub', pass: 'pub-pass' };

async function securedMediamtx(
  authMethods: MediamtxOptions['authMethods'],
): Promise<{ mtx: Mediamtx; publisher: Publisher }> {
  const mtx = await startMediamtx({
    authMethods,
    users: [
      { ...viewer, action: 'read' },
      { ...publisherAccount, action: 'publish' },
    ],
  });
  const publisher = await mtx.publish('h264-720p.mp4', 'cam', { credentials: publisherAccount });
  return { mtx, publisher };
}

for (const [label, authMethods, scheme] of [
  ['Basic', ['basic'], 'Basic'],
  // mediamtx offers both; the client must pick Digest, the stronger one.
  ['Digest', ['basic', 'digest'], 'Digest'],
] as const) {
  describe(`RtspSession with mediamtx requiring ${label} auth`, () => {
    let mtx: Mediamtx;
    let publisher: Publisher;
    beforeAll(async () => {
      ({ mtx, publisher } = await securedMediamtx([...authMethods]));
    });
    afterAll(async () => {
      await publisher?.stop();
      await mtx?.stop();
    });

    it('authenticates with a password full of special characters, given in the URL', async () => {
      const session = new RtspSession(mtx.url('cam', viewer));
      const { events } = await runUntil(session, (event) => event.type === 'video');
      // mediamtx lets OPTIONS through and challenges DESCRIBE.
      expect(exchanges(events).slice(0, 3)).toEqual([
        'OPTIONS 200',
        'DESCRIBE 401',
        'DESCRIBE 200',
      ]);
      expect(events.some((event) => event.type === 'video')).toBe(true);
      const challenge = events.find((event) => event.type === 'rtsp' && event.status === 401);
      expect(challenge?.type === 'rtsp' && challenge.headers['www-authenticate']).toContain(
        scheme === 'Digest' ? 'Digest' : 'Basic',
      );
      expect(JSON.stringify(events)).not.toContain('S3cr3t');
    });

    it('authenticates with credentials given as an option', async () => {
      const session = new RtspSession(mtx.url('cam'), {
        credentials: { username: viewer.user, password: viewer.pass },
      });
      const { events } = await runUntil(session, (event) => event.type === 'video');
      expect(events.at(-1)).toMatchObject({ type: 'closed', reason: 'teardown' });
    });

    it('fails with RtspAuthError naming the method and status on a wrong password', async () => {
      const session = new RtspSession(mtx.url('cam', { user: viewer.user, pass: 'Wr0ng-S3cr3t!' }));
      const error = await runUntil(session, () => false).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RtspAuthError);
      expect((error as Error).message).toMatch(/^DESCRIBE 401 Unauthorized: /);
      expect(error).toMatchObject({ method: 'DESCRIBE', status: 401 });
      expect((error as Error).message).not.toContain('S3cr3t');
    });
  });
}
