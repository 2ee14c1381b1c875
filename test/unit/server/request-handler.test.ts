import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { RtspHeaders } from '../../../src/rtsp/headers.js';
import type { RtspRequest } from '../../../src/rtsp/message.js';
import {
  BoundedSocketWriter,
  defaultSocketBufferLimits,
} from '../../../src/server/bounded-socket-writer.js';
import { MediaLibrary } from '../../../src/server/media/media-library.js';
import { resolveServeOptions } from '../../../src/server/options.js';
import { handleRequest } from '../../../src/server/request-handler.js';
import { ResourceResolver } from '../../../src/server/resource-resolver.js';
import type { ConnectionContext, ServerContext } from '../../../src/server/server-context.js';
import { SessionRegistry } from '../../../src/server/session-registry.js';
import { fixturesDir } from './media/fixtures.js';

const ctx: ServerContext = {
  options: resolveServeOptions({ port: 0 }),
  resolver: new ResourceResolver(fixturesDir),
  library: new MediaLibrary(1400),
  sessions: new SessionRegistry(
    60_000,
    () => performance.now(),
    () => undefined,
  ),
  auth: undefined,
  cname: 'test',
  now: () => performance.now(),
};

function connection(): ConnectionContext {
  const socket = {
    writableLength: 0,
    destroyed: false,
    cork() {},
    uncork() {},
    write: () => true,
    destroy() {},
  };
  return {
    owner: {},
    nonce: 'n',
    localAddress: '127.0.0.1',
    remoteAddress: '127.0.0.1',
    writer: new BoundedSocketWriter(socket, defaultSocketBufferLimits, () => undefined),
    usedChannels: new Set(),
  };
}

const request = (
  method: string,
  uri: string,
  headers: Record<string, string> = {},
  body = new Uint8Array(),
): RtspRequest => ({
  kind: 'request',
  method,
  uri,
  version: 'RTSP/1.0',
  headers: new RtspHeaders({ CSeq: '1', ...headers }),
  body,
});

const base = 'rtsp://127.0.0.1:8554/';

afterAll(() => ctx.sessions.close());

describe('handleRequest', () => {
  it('describes an H.264 + AAC file so any client can decode it', async () => {
    const reply = await handleRequest(
      request('DESCRIBE', base + 'h264-aac.mp4'),
      connection(),
      ctx,
    );
    expect(reply.status).toBe(200);
    const sdp = new TextDecoder().decode(reply.body);
    expect(sdp).toMatch(
      /a=fmtp:96 packetization-mode=1;profile-level-id=64001e;sprop-parameter-sets=\S+,\S+\r\n/,
    );
    expect(sdp).toMatch(
      /a=rtpmap:97 MPEG4-GENERIC\/44100\r\na=fmtp:97 streamtype=5;profile-level-id=1;mode=AAC-hbr;sizelength=13;indexlength=3;indexdeltalength=3;config=1208/,
    );
    // The longest track (AAC, 4.02 s) sets the presentation length.
    expect(sdp).toMatch(/a=range:npt=0-4\.0\d\d\r\n/);
  });

  it('SETUP of the aggregate URL of a multi-track file is 459; of a one-track file it sets up that track', async () => {
    const tcp = { Transport: 'RTP/AVP/TCP;unicast;interleaved=0-1' };
    expect(
      (await handleRequest(request('SETUP', base + 'h264-aac.mp4', tcp), connection(), ctx)).status,
    ).toBe(459);
    const single = await handleRequest(
      request('SETUP', base + 'pcma-8k.wav', tcp),
      connection(),
      ctx,
    );
    expect(single.status).toBe(200);
    expect(single.headers.get('transport')).toMatch(
      /^RTP\/AVP\/TCP;unicast;interleaved=0-1;ssrc=[0-9A-F]{8}$/,
    );
  });

  it('SETUP into a session of another file is 459', async () => {
    const conn = connection();
    const first = await handleRequest(
      request('SETUP', base + 'pcma-8k.wav', { Transport: 'RTP/AVP/TCP;interleaved=0-1' }),
      conn,
      ctx,
    );
    const session = first.headers.get('session')!.split(';')[0]!;
    const other = await handleRequest(
      request('SETUP', base + 'pcmu-8k.wav', {
        Session: session,
        Transport: 'RTP/AVP/TCP;interleaved=2-3',
      }),
      conn,
      ctx,
    );
    expect(other.status).toBe(459);
  });

  it('SET_PARAMETER with a body is 451, PAUSE before SETUP 454', async () => {
    expect(
      (
        await handleRequest(
          request('SET_PARAMETER', base + 'pcma-8k.wav', {}, Uint8Array.of(0x61)),
          connection(),
          ctx,
        )
      ).status,
    ).toBe(451);
    expect(
      (await handleRequest(request('PAUSE', base + 'pcma-8k.wav'), connection(), ctx)).status,
    ).toBe(454);
  });

  it('any request, however odd, gets a status and never throws', async () => {
    const methods = fc.constantFrom(
      'OPTIONS',
      'DESCRIBE',
      'SETUP',
      'PLAY',
      'PAUSE',
      'TEARDOWN',
      'GET_PARAMETER',
      'SET_PARAMETER',
      'RECORD',
      'X',
    );
    const paths = fc.constantFrom(
      'pcma-8k.wav',
      'pcma-8k.wav/trackID=0',
      'h264-aac.mp4/trackID=9',
      '%2e%2e/x',
      'a%zz',
      '',
      'make-fixtures.sh',
    );
    const uris = fc.oneof(
      fc
        .tuple(paths, fc.constantFrom('', '?play_count=0', '?play_count=-1', '?play_count=abc'))
        .map(([p, q]) => base + p + q),
      fc.string(),
      fc.constant('*'),
    );
    const headers = fc.record(
      {
        Transport: fc.oneof(
          fc.string(),
          fc.constantFrom(
            'RTP/AVP/TCP;interleaved=0-1',
            'RTP/AVP;unicast;client_port=0-1',
            'RTP/AVP/TCP;interleaved=255-256',
          ),
        ),
        Session: fc.oneof(fc.string(), fc.constant('ABC;timeout=x')),
        Range: fc.oneof(
          fc.string(),
          fc.constantFrom('npt=0-', 'npt=1e9-', 'npt=-5-', 'clock=now-'),
        ),
      },
      { requiredKeys: [] },
    );
    await fc.assert(
      fc.asyncProperty(methods, uris, headers, async (method, uri, extra) => {
        const reply = await handleRequest(request(method, uri, extra), connection(), ctx);
        expect([200, 400, 404, 405, 415, 451, 453, 454, 455, 457, 459, 461, 501]).toContain(
          reply.status,
        );
      }),
      { numRuns: 150 },
    );
  });
});
