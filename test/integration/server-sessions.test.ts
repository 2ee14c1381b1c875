import dgram from 'node:dgram';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Authenticator } from '../../src/rtsp/authenticator.js';
import { serve, type RtspFileServer } from '../../src/server/index.js';
import { pcmWav, RawRtspClient } from './server-raw-client.js';

// Many clients, UDP, session timeouts, slow readers and authentication.
describe('file server: sessions under load', () => {
  let dir: string;
  let server: RtspFileServer;
  const clients: RawRtspClient[] = [];
  const connect = async (to: RtspFileServer = server): Promise<RawRtspClient> => {
    const c = await RawRtspClient.connect(to.port);
    clients.push(c);
    return c;
  };

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'rtspkit-serve-load-'));
    await writeFile(path.join(dir, 'half.wav'), pcmWav(500));
    await writeFile(path.join(dir, 'long.wav'), pcmWav(20_000));
    server = await serve(dir, { port: 0, sessionTimeoutSec: 1 });
  });

  afterAll(async () => {
    for (const c of clients) c.close();
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('serves 50 concurrent clients, each its own stream, from one loaded file', async () => {
    const before = server.stats.sessions;
    const url = server.url('half.wav');
    const all = await Promise.all(
      Array.from({ length: 50 }, async () => {
        const c = await connect();
        const { session } = await c.setupAll(url);
        expect((await c.request('PLAY', url, { Session: session })).status).toBe(200);
        return c;
      }),
    );
    await Promise.all(all.map((c) => c.waitFor(() => c.rtcpTypes().some((t) => t.includes(203)))));
    for (const c of all) {
      const rtp = c.rtp();
      expect(rtp).toHaveLength(25);
      expect(new Set(rtp.map((p) => p.ssrc)).size).toBe(1);
    }
    expect(new Set(all.map((c) => c.rtp()[0]!.ssrc)).size).toBe(50);
    expect(server.stats.sessions - before).toBe(50);
    for (const c of all) c.close();
  }, 30_000);

  it('announces the session timeout and reaps a silent session', async () => {
    const c = await connect();
    const describe = await c.request('DESCRIBE', server.url('long.wav'));
    expect(describe.status).toBe(200);
    const setup = await c.request('SETUP', server.url('long.wav') + '/trackID=0', {
      Transport: 'RTP/AVP/TCP;unicast;interleaved=0-1',
    });
    const [session, timeout] = setup.headers.get('session')!.split(';');
    expect(timeout).toBe('timeout=1');
    const active = server.stats.activeSessions;
    await c.request('PLAY', server.url('long.wav'), { Session: session! });
    await c.waitFor(() => server.stats.activeSessions === active - 1, 3000);
    expect((await c.request('PLAY', server.url('long.wav'), { Session: session! })).status).toBe(
      454,
    );
  });

  it('keeps a session whose client sends RTCP or GET_PARAMETER', async () => {
    const c = await connect();
    const { session } = await c.setupAll(server.url('long.wav'));
    await c.request('PLAY', server.url('long.wav'), { Session: session });
    for (let i = 0; i < 5; i++) {
      await new Promise((r) => setTimeout(r, 400));
      if (i % 2 === 0)
        await c.request('GET_PARAMETER', server.url('long.wav'), { Session: session });
      // An (empty) RTCP receiver report on the RTCP channel.
      else c.socket.write(Uint8Array.of(0x24, 1, 0, 8, 0x80, 201, 0, 1, 0, 0, 0, 1));
    }
    expect((await c.request('TEARDOWN', server.url('long.wav'), { Session: session })).status).toBe(
      200,
    );
  });

  it('streams over UDP from an even/odd server port pair', async () => {
    const rtp = dgram.createSocket('udp4');
    const rtcp = dgram.createSocket('udp4');
    await new Promise<void>((r) => rtp.bind(0, '127.0.0.1', r));
    await new Promise<void>((r) => rtcp.bind(0, '127.0.0.1', r));
    const received: Buffer[] = [];
    const reports: Buffer[] = [];
    rtp.on('message', (m) => received.push(m));
    rtcp.on('message', (m) => reports.push(m));
    const c = await connect();
    await c.request('DESCRIBE', server.url('half.wav'));
    const setup = await c.request('SETUP', server.url('half.wav') + '/trackID=0', {
      Transport: `RTP/AVP;unicast;client_port=${rtp.address().port}-${rtcp.address().port}`,
    });
    expect(setup.status).toBe(200);
    const ports = /server_port=(\d+)-(\d+)/.exec(setup.headers.get('transport') ?? '');
    expect(Number(ports?.[1]) % 2).toBe(0);
    expect(Number(ports?.[2])).toBe(Number(ports?.[1]) + 1);
    const session = setup.headers.get('session')!.split(';')[0]!;
    await c.request('PLAY', server.url('half.wav'), { Session: session });
    await c.waitFor(() => reports.some((r) => r.includes(203)));
    expect(received).toHaveLength(25);
    expect(received[0]![1]! & 0x7f).toBe(8);
    await c.request('TEARDOWN', server.url('half.wav'), { Session: session });
    rtp.close();
    rtcp.close();
  });

  it('a client that stops reading does not hold up the others', async () => {
    const stalled = await connect();
    const { session } = await stalled.setupAll(server.url('long.wav') + '?play_count=0');
    await stalled.request('PLAY', server.url('long.wav'), { Session: session });
    stalled.socket.pause();
    const c = await connect();
    const started = Date.now();
    const { session: other } = await c.setupAll(server.url('half.wav'));
    await c.request('PLAY', server.url('half.wav'), { Session: other });
    await c.waitFor(() => c.rtcpTypes().some((t) => t.includes(203)));
    expect(Date.now() - started).toBeLessThan(2000);
    expect(c.rtp()).toHaveLength(25);
    stalled.close();
  });
});

describe('file server: authentication', () => {
  let dir: string;
  let server: RtspFileServer;
  const credentials = { username: 'admin', password: 'p@ss:wörd' };

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'rtspkit-serve-auth-'));
    await writeFile(path.join(dir, 'a.wav'), pcmWav(100));
    server = await serve(dir, { port: 0, auth: credentials });
  });
  afterAll(async () => {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('challenges with Digest and Basic, lets OPTIONS through', async () => {
    const c = await RawRtspClient.connect(server.port);
    expect((await c.request('OPTIONS', '*')).status).toBe(200);
    const denied = await c.request('DESCRIBE', server.url('a.wav'));
    expect(denied.status).toBe(401);
    expect(denied.headers.getAll('www-authenticate').map((v) => v.split(' ')[0])).toEqual([
      'Digest',
      'Basic',
    ]);
    const wrong = Buffer.from('admin:nope').toString('base64');
    expect(
      (await c.request('DESCRIBE', server.url('a.wav'), { Authorization: `Basic ${wrong}` }))
        .status,
    ).toBe(401);
    const right = Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64');
    expect(
      (await c.request('DESCRIBE', server.url('a.wav'), { Authorization: `Basic ${right}` }))
        .status,
    ).toBe(200);
    c.close();
  });

  it('accepts a Digest answer computed by rtspkit’s client authenticator', async () => {
    const c = await RawRtspClient.connect(server.port);
    const url = server.url('a.wav');
    const denied = await c.request('DESCRIBE', url);
    const auth = new Authenticator(credentials, { allowBasic: false });
    expect(auth.handleChallenge(denied.headers.getAll('www-authenticate'))).toEqual({
      retry: true,
    });
    expect(
      (await c.request('DESCRIBE', url, { Authorization: auth.authorization('DESCRIBE', url)! }))
        .status,
    ).toBe(200);
    c.close();
  });

  it('with methods [basic] only, offers and accepts Basic only', async () => {
    const basicOnly = await serve(dir, { port: 0, auth: { ...credentials, methods: ['basic'] } });
    const c = await RawRtspClient.connect(basicOnly.port);
    const denied = await c.request('DESCRIBE', basicOnly.url('a.wav'));
    expect(denied.headers.getAll('www-authenticate')).toEqual(['Basic realm="rtspkit"']);
    c.close();
    await basicOnly.close();
  });
});
