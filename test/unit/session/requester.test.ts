import { describe, expect, it } from 'vitest';
import { RtspAuthError, RtspResponseError } from '../../../src/errors.js';
import { silentLogger } from '../../../src/logger.js';
import { digestChallenge, verifyAuthorization } from '../../../src/rtsp/auth-server.js';
import { Authenticator } from '../../../src/rtsp/authenticator.js';
import { ControlConnection } from '../../../src/session/control-connection.js';
import { Requester, type Exchange } from '../../../src/session/requester.js';
import { FakeRtspServer, type Script } from './fake-rtsp-server.js';

const realm = 'cam';
const account = { username: 'admin', password: 'S3cr3t!' };
const url = 'rtsp://127.0.0.1:8554/cam';

/** A server that wants Digest for every request; `nonces` rotate to test stale handling. */
function digestServer(nonces: string[], staleOnce = false): Script {
  let staleSent = false;
  return (request) => {
    const nonce = nonces[0]!;
    const ok = verifyAuthorization(request.headers.get('authorization'), request.method, account, {
      realm,
      nonce,
      allowBasic: false,
    });
    if (ok && staleOnce && !staleSent) {
      staleSent = true;
      nonces.shift();
      return {
        status: 401,
        headers: { 'WWW-Authenticate': `${digestChallenge(realm, nonces[0]!)}, stale=true` },
      };
    }
    if (ok) return { status: 200 };
    return {
      status: 401,
      reason: 'Unauthorized',
      headers: { 'WWW-Authenticate': digestChallenge(realm, nonce) },
    };
  };
}

async function requester(
  script: Script,
  credentials?: typeof account,
): Promise<{ requester: Requester; exchanges: Exchange[]; server: FakeRtspServer }> {
  const server = new FakeRtspServer(script);
  const socket = await server.dial();
  const connection = new ControlConnection(
    socket,
    '127.0.0.1:8554',
    { onInterleaved() {}, onServerNotice() {}, onClosed() {} },
    silentLogger,
  );
  const exchanges: Exchange[] = [];
  const authenticator = credentials === undefined ? undefined : new Authenticator(credentials);
  return {
    requester: new Requester(connection, {
      userAgent: 'test/1',
      timeoutMs: 1000,
      authenticator,
      onExchange: (e) => exchanges.push(e),
    }),
    exchanges,
    server,
  };
}

describe('Requester', () => {
  it('answers a 401 challenge once and retries with Authorization', async () => {
    const { requester: r, exchanges, server } = await requester(digestServer(['n1']), account);
    const exchange = await r.send('DESCRIBE', url);
    expect(exchange.response.status).toBe(200);
    expect(exchanges.map((e) => e.response.status)).toEqual([401, 200]);
    expect(server.requests[1]!.headers.get('authorization')).toMatch(/^Digest /);
    expect(server.requests[1]!.headers.get('user-agent')).toBe('test/1');
    // Later requests authenticate up front, without another 401.
    await r.send('SETUP', url);
    expect(exchanges.map((e) => e.response.status)).toEqual([401, 200, 200]);
  });

  it('retries again for a stale nonce', async () => {
    const { requester: r, exchanges } = await requester(digestServer(['n1', 'n2'], true), account);
    await r.send('OPTIONS', url);
    expect(exchanges.map((e) => e.response.status)).toEqual([401, 401, 200]);
  });

  it('fails with RtspAuthError naming the method and status on a wrong password', async () => {
    const { requester: r } = await requester(digestServer(['n1']), {
      username: 'admin',
      password: 'wrong',
    });
    const error = await r.send('DESCRIBE', url).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RtspAuthError);
    expect(error).toMatchObject({ status: 401, method: 'DESCRIBE', phase: 'DESCRIBE' });
    expect((error as Error).message).toMatch(/^DESCRIBE 401 Unauthorized: /);
    expect((error as Error).message).not.toContain('wrong');
  });

  it('fails with RtspAuthError when the server wants credentials and none were given', async () => {
    const { requester: r } = await requester(digestServer(['n1']));
    await expect(r.send('OPTIONS', url)).rejects.toThrow(
      /OPTIONS 401 Unauthorized: the server asks for credentials/,
    );
  });

  it('sends the Session header once set, and sendOk turns non-2xx into RtspResponseError', async () => {
    const { requester: r, server } = await requester((request) =>
      request.method === 'PLAY' ? { status: 454, reason: 'Session Not Found' } : { status: 200 },
    );
    r.sessionId = 'abc123';
    await r.send('GET_PARAMETER', url);
    expect(server.requests[0]!.headers.get('session')).toBe('abc123');
    const error = await r.sendOk('PLAY', url).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RtspResponseError);
    expect(error).toMatchObject({
      message: 'PLAY 454 Session Not Found',
      status: 454,
      cseq: 2,
      phase: 'PLAY',
    });
  });
});
