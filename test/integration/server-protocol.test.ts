import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serve, type RtspFileServer } from '../../src/server/index.js';
import { pcmWav, RawRtspClient } from './server-raw-client.js';

// The file server's RTSP behaviour, checked with a hand-rolled client over
// raw TCP: methods, status codes, traversal attempts, PAUSE/PLAY, play_count.
describe('file server: RTSP protocol', () => {
  let dir: string;
  let server: RtspFileServer;
  const clients: RawRtspClient[] = [];
  const connect = async (): Promise<RawRtspClient> => {
    const c = await RawRtspClient.connect(server.port);
    clients.push(c);
    return c;
  };

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'rtspkit-serve-'));
    const root = path.join(dir, 'root');
    await mkdir(path.join(root, 'sub dir'), { recursive: true });
    await writeFile(path.join(root, 'short.wav'), pcmWav(300));
    await writeFile(path.join(root, 'tone.wav'), pcmWav(1000));
    await writeFile(path.join(root, 'sub dir', 'é #1.wav'), pcmWav(100));
    await writeFile(path.join(root, 'notes.txt'), 'not media');
    await writeFile(path.join(root, 'broken.mp4'), 'not an mp4 at all');
    await writeFile(path.join(dir, 'outside.wav'), pcmWav(100));
    await symlink(path.join(dir, 'outside.wav'), path.join(root, 'link-out.wav'));
    server = await serve(root, { port: 0 });
  });

  afterAll(async () => {
    for (const c of clients) c.close();
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('answers OPTIONS with the methods it implements', async () => {
    const c = await connect();
    const reply = await c.request('OPTIONS', '*');
    expect(reply.status).toBe(200);
    expect(reply.headers.get('public')).toBe(
      'OPTIONS, DESCRIBE, SETUP, PLAY, PAUSE, TEARDOWN, GET_PARAMETER, SET_PARAMETER',
    );
    expect(reply.headers.get('cseq')).toBe('1');
  });

  it('describes a file with rtpmap, control and Content-Base; percent-encoded names work', async () => {
    const c = await connect();
    const reply = await c.request('DESCRIBE', server.url('sub dir/é #1.wav'));
    expect(reply.status).toBe(200);
    expect(reply.headers.get('content-type')).toBe('application/sdp');
    expect(reply.headers.get('content-base')).toBe(
      `rtsp://127.0.0.1:${server.port}/sub%20dir/%C3%A9%20%231.wav/`,
    );
    const sdp = new TextDecoder().decode(reply.body);
    expect(sdp).toMatch(
      /^m=audio 0 RTP\/AVP 8\r\na=rtpmap:8 PCMA\/8000\r\na=control:trackID=0\r\n/m,
    );
    expect(sdp).toContain('a=range:npt=0-0.100');
  });

  it.each([
    ['a path with ..', '/../outside.wav'],
    ['an encoded ..', '/%2e%2e/outside.wav'],
    ['an encoded separator', '/sub%20dir%2f..%2f..%2foutside.wav'],
    ['a symlink out of the root', '/link-out.wav'],
    ['a missing file', '/missing.wav'],
    ['a directory', '/sub%20dir'],
    ['a file of no media type', '/notes.txt'],
    ['/etc/passwd', '/../../../../etc/passwd'],
  ])('answers 404 for %s', async (_name, pathname) => {
    const c = await connect();
    // Written by hand: a URL class would normalise the dot segments away.
    const reply = await c.raw(
      `DESCRIBE rtsp://127.0.0.1:${server.port}${pathname} RTSP/1.0\r\nCSeq: 7\r\n\r\n`,
    );
    expect(reply.status).toBe(404);
    expect(reply.body).toHaveLength(0);
  });

  it('answers 415 for a media file it cannot read', async () => {
    const c = await connect();
    expect((await c.request('DESCRIBE', server.url('broken.mp4'))).status).toBe(415);
  });

  it.each([
    ['no CSeq', 'OPTIONS * RTSP/1.0\r\n\r\n', 400],
    ['an unknown method', 'FROB rtsp://127.0.0.1/short.wav RTSP/1.0\r\nCSeq: 1\r\n\r\n', 501],
    ['RECORD', 'RECORD rtsp://127.0.0.1/short.wav RTSP/1.0\r\nCSeq: 1\r\n\r\n', 405],
    ['a relative URI', 'DESCRIBE short.wav RTSP/1.0\r\nCSeq: 1\r\n\r\n', 400],
    ['RTSP/2.0', 'OPTIONS * RTSP/2.0\r\nCSeq: 1\r\n\r\n', 505],
    ['PLAY without a session', 'PLAY rtsp://127.0.0.1/short.wav RTSP/1.0\r\nCSeq: 1\r\n\r\n', 454],
    [
      'PLAY with an unknown session',
      'PLAY rtsp://127.0.0.1/short.wav RTSP/1.0\r\nCSeq: 1\r\nSession: 1234\r\n\r\n',
      454,
    ],
    [
      'SETUP without Transport',
      'SETUP rtsp://127.0.0.1/short.wav/trackID=0 RTSP/1.0\r\nCSeq: 1\r\n\r\n',
      461,
    ],
    [
      'SETUP multicast only',
      'SETUP rtsp://127.0.0.1/short.wav/trackID=0 RTSP/1.0\r\nCSeq: 1\r\nTransport: RTP/AVP;multicast\r\n\r\n',
      461,
    ],
    [
      'SETUP of a missing track',
      'SETUP rtsp://127.0.0.1/short.wav/trackID=5 RTSP/1.0\r\nCSeq: 1\r\nTransport: RTP/AVP/TCP;interleaved=0-1\r\n\r\n',
      404,
    ],
  ])('answers %s with %i and keeps serving', async (_name, request, status) => {
    const c = await connect();
    expect((await c.raw(request)).status).toBe(status);
    expect((await c.request('OPTIONS', '*')).status).toBe(200);
  });

  it('answers garbage with 400 and closes the connection, without crashing', async () => {
    const c = await connect();
    const reply = await c.raw('\x16\x03\x01\x02\x00 this is not RTSP\r\n\r\n');
    expect(reply.status).toBe(400);
    await c.waitFor(() => c.closed);
    expect((await (await connect()).request('OPTIONS', '*')).status).toBe(200);
  });

  it('answers a client that half-closes after its request (printf | nc)', async () => {
    const socket = net.connect(server.port, '127.0.0.1');
    let text = '';
    socket.setEncoding('latin1').on('data', (d: string) => (text += d));
    socket.end(`DESCRIBE ${server.url('short.wav')} RTSP/1.0\r\nCSeq: 9\r\n\r\n`);
    await new Promise((r) => socket.once('close', r));
    expect(text).toMatch(/^RTSP\/1.0 200 OK\r\n[^]*CSeq: 9\r\n[^]*m=audio 0 RTP\/AVP 8/);
  });

  it('survives random and mutated bytes on its connections', async () => {
    const valid = Buffer.from(
      `SETUP ${server.url('short.wav')}/trackID=0 RTSP/1.0\r\nCSeq: 2\r\nTransport: RTP/AVP/TCP;interleaved=0-1\r\n\r\n$\x01\x00\x04abcd`,
    );
    const mutated = fc
      .array(fc.tuple(fc.nat(valid.length - 1), fc.integer({ min: 0, max: 255 })), { maxLength: 6 })
      .map((edits) => {
        const copy = Buffer.from(valid);
        for (const [at, value] of edits) copy[at] = value;
        return copy;
      });
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.uint8Array({ maxLength: 300 }), mutated), async (bytes) => {
        const socket = net.connect(server.port, '127.0.0.1');
        await new Promise((r) => socket.once('connect', r));
        socket.on('error', () => undefined);
        socket.resume(); // 'close' needs the readable side consumed
        socket.end(bytes);
        await new Promise((r) => socket.once('close', r));
      }),
      { numRuns: 40 },
    );
    expect((await (await connect()).request('OPTIONS', '*')).status).toBe(200);
  });

  it('streams over TCP: PLAY with Range and RTP-Info, packets paced, SR and BYE at the end', async () => {
    const c = await connect();
    const { session } = await c.setupAll(server.url('short.wav'));
    const started = Date.now();
    const play = await c.request('PLAY', server.url('short.wav'), {
      Session: session,
      Range: 'npt=0-',
    });
    expect(play.status).toBe(200);
    expect(c.framesBeforeLastResponse).toBe(0);
    expect(play.headers.get('range')).toBe('npt=0-0.3');
    const info = /url=([^;]+);seq=(\d+);rtptime=(\d+)/.exec(play.headers.get('rtp-info') ?? '');
    expect(info?.[1]).toBe(`${server.url('short.wav')}/trackID=0`);
    await c.waitFor(() => c.rtcpTypes().some((t) => t.includes(203)));
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    const rtp = c.rtp();
    expect(rtp).toHaveLength(15);
    expect(rtp[0]).toMatchObject({
      payloadType: 8,
      sequenceNumber: Number(info?.[2]),
      timestamp: Number(info?.[3]),
      length: 172,
    });
    expect(rtp.at(-1)!.timestamp - rtp[0]!.timestamp).toBe(14 * 160);
    expect(c.rtcpTypes()[0]).toEqual([200, 202]);
    // play_count=1 is over, the connection stays for TEARDOWN.
    expect(
      (await c.request('TEARDOWN', server.url('short.wav'), { Session: session })).status,
    ).toBe(200);
    expect((await c.request('PLAY', server.url('short.wav'), { Session: session })).status).toBe(
      454,
    );
  });

  it('PAUSE stops the media and PLAY resumes where it left off', async () => {
    const c = await connect();
    const { session } = await c.setupAll(server.url('tone.wav'));
    await c.request('PLAY', server.url('tone.wav'), { Session: session });
    await c.waitFor(() => c.rtp().length >= 10);
    expect((await c.request('PAUSE', server.url('tone.wav'), { Session: session })).status).toBe(
      200,
    );
    const atPause = c.rtp().length;
    await new Promise((r) => setTimeout(r, 300));
    expect(c.rtp().length).toBe(atPause);
    const resume = await c.request('PLAY', server.url('tone.wav'), { Session: session });
    const seq = Number(/seq=(\d+)/.exec(resume.headers.get('rtp-info') ?? '')?.[1]);
    expect(seq).toBe((c.rtp()[atPause - 1]!.sequenceNumber + 1) % 0x10000);
    await c.waitFor(() => c.rtcpTypes().some((t) => t.includes(203)));
    const rtp = c.rtp();
    expect(rtp).toHaveLength(50);
    rtp.forEach((p, i) => expect(p.timestamp - rtp[0]!.timestamp).toBe(i * 160));
  });

  it('play_count=N repeats the file with continuous numbering; a PLAY Range beyond the end is 457', async () => {
    const c = await connect();
    const url = server.url('short.wav') + '?play_count=3';
    const { session } = await c.setupAll(url);
    expect((await c.request('PLAY', url, { Session: session, Range: 'npt=5-' })).status).toBe(457);
    await c.request('PLAY', url, { Session: session });
    await c.waitFor(() => c.rtcpTypes().some((t) => t.includes(203)));
    const rtp = c.rtp();
    expect(rtp).toHaveLength(45);
    rtp.forEach((p, i) => {
      expect((p.sequenceNumber - rtp[0]!.sequenceNumber + 0x10000) % 0x10000).toBe(i);
      expect(p.timestamp - rtp[0]!.timestamp).toBe(i * 160);
    });
  });

  it('play_count=0 loops until TEARDOWN; GET_PARAMETER keeps the session', async () => {
    const c = await connect();
    const url = server.url('short.wav') + '?play_count=0';
    const { session } = await c.setupAll(url);
    expect((await c.request('PLAY', url, { Session: session })).status).toBe(200);
    await c.waitFor(() => c.rtp().length > 40);
    expect((await c.request('GET_PARAMETER', url, { Session: session })).status).toBe(200);
    expect((await c.request('TEARDOWN', url, { Session: session })).status).toBe(200);
    const count = c.rtp().length;
    await new Promise((r) => setTimeout(r, 100));
    expect(c.rtp().length).toBe(count);
    expect(c.rtcpTypes().some((t) => t.includes(203))).toBe(false);
  });

  it('refuses a second SETUP of a track and SETUP after PLAY (455)', async () => {
    const c = await connect();
    const { session } = await c.setupAll(server.url('tone.wav'));
    const again = { Session: session, Transport: 'RTP/AVP/TCP;unicast;interleaved=4-5' };
    expect((await c.request('SETUP', server.url('tone.wav') + '/trackID=0', again)).status).toBe(
      455,
    );
    await c.request('PLAY', server.url('tone.wav'), { Session: session });
    expect((await c.request('SETUP', server.url('tone.wav') + '/trackID=0', again)).status).toBe(
      455,
    );
    await c.request('TEARDOWN', server.url('tone.wav'), { Session: session });
  });

  it('ends the sessions of a connection that closes', async () => {
    const c = await connect();
    const before = server.stats.activeSessions;
    await c.setupAll(server.url('tone.wav'));
    expect(server.stats.activeSessions).toBe(before + 1);
    c.close();
    await c.waitFor(() => server.stats.activeSessions === before);
  });
});
