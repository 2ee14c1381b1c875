import { describe, expect, it } from 'vitest';
import type { RtspError } from '../../../src/errors.js';
import {
  RtspAbortError,
  RtspConnectionError,
  RtspProtocolError,
  RtspTimeoutError,
} from '../../../src/errors.js';
import { silentLogger } from '../../../src/logger.js';
import { RtspHeaders } from '../../../src/rtsp/headers.js';
import { serializeResponse } from '../../../src/rtsp/serialize.js';
import type { RtspRequest } from '../../../src/rtsp/message.js';
import {
  ControlConnection,
  type ControlConnectionEvents,
} from '../../../src/session/control-connection.js';
import { FakeRtspServer, type Script } from './fake-rtsp-server.js';

interface Harness {
  connection: ControlConnection;
  server: FakeRtspServer;
  frames: { channel: number; bytes: number }[];
  closedWith: (RtspError | undefined)[];
}

async function open(script: Script): Promise<Harness> {
  const server = new FakeRtspServer(script);
  const socket = await server.dial();
  const frames: Harness['frames'] = [];
  const closedWith: Harness['closedWith'] = [];
  const events: ControlConnectionEvents = {
    onInterleaved: (channel, data) => frames.push({ channel, bytes: data.byteLength }),
    onServerNotice: () => {},
    onClosed: (error) => closedWith.push(error),
  };
  return {
    connection: new ControlConnection(socket, '127.0.0.1:8554', events, silentLogger),
    server,
    frames,
    closedWith,
  };
}

const ok: Script = () => ({ status: 200 });
const url = 'rtsp://127.0.0.1:8554/cam';

describe('ControlConnection', () => {
  it('numbers requests with CSeq and matches each response to its request', async () => {
    const { connection, server } = await open(ok);
    const first = await connection.request('OPTIONS', url, new RtspHeaders(), { timeoutMs: 1000 });
    const second = await connection.request('DESCRIBE', url, new RtspHeaders(), {
      timeoutMs: 1000,
    });
    expect([first.cseq, second.cseq]).toEqual([1, 2]);
    expect(second.response.status).toBe(200);
    expect(second.elapsedMs).toBeGreaterThanOrEqual(0);
    expect(server.requests.map((request) => request.headers.get('cseq'))).toEqual(['1', '2']);
    connection.close();
  });

  it('keeps one request in flight: the next is written only after the answer', async () => {
    const held: RtspRequest[] = [];
    const { connection, server } = await open((request) => {
      held.push(request);
      return undefined;
    });
    const first = connection.request('OPTIONS', url, new RtspHeaders(), { timeoutMs: 1000 });
    const second = connection.request('DESCRIBE', url, new RtspHeaders(), { timeoutMs: 1000 });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(held.map((request) => request.method)).toEqual(['OPTIONS']);
    server.last.reply(held[0]!, { status: 200 });
    await first;
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(held.map((request) => request.method)).toEqual(['OPTIONS', 'DESCRIBE']);
    server.last.reply(held[1]!, { status: 404, reason: 'Not Found' });
    expect((await second).response.status).toBe(404);
    connection.close();
  });

  it('times a request out on its own and drops its late answer, without wedging the next request', async () => {
    const held: RtspRequest[] = [];
    const { connection, server } = await open((request) => {
      if (request.method === 'GET_PARAMETER') {
        held.push(request);
        return undefined;
      }
      return { status: 200, headers: { Marker: request.method } };
    });
    const keepalive = connection.request('GET_PARAMETER', url, new RtspHeaders(), {
      timeoutMs: 50,
    });
    const play = connection.request('PLAY', url, new RtspHeaders(), { timeoutMs: 1000 });
    await expect(keepalive).rejects.toMatchObject({
      name: 'RtspTimeoutError',
      method: 'GET_PARAMETER',
      cseq: 1,
      phase: 'GET_PARAMETER',
    });
    const answered = await play;
    // The keepalive's late answer arrives now; it must not be taken for a later request.
    server.last.reply(held[0]!, { status: 200, headers: { Marker: 'late' } });
    const next = await connection.request('OPTIONS', url, new RtspHeaders(), { timeoutMs: 1000 });
    expect(answered.response.headers.get('marker')).toBe('PLAY');
    expect(next.response.headers.get('marker')).toBe('OPTIONS');
    connection.close();
  });

  it('honours an AbortSignal, in flight and while queued', async () => {
    const { connection } = await open(() => undefined);
    const controller = new AbortController();
    const inFlight = connection.request('DESCRIBE', url, new RtspHeaders(), {
      timeoutMs: 5000,
      signal: controller.signal,
    });
    const queued = connection.request('SETUP', url, new RtspHeaders(), {
      timeoutMs: 5000,
      signal: controller.signal,
    });
    controller.abort();
    await expect(inFlight).rejects.toBeInstanceOf(RtspAbortError);
    await expect(queued).rejects.toBeInstanceOf(RtspAbortError);
    connection.close();
  });

  it('fails the request in flight when the server closes, naming the method', async () => {
    const { connection, server, closedWith } = await open((_request, peer) => {
      peer.end();
      return undefined;
    });
    const error = await connection
      .request('DESCRIBE', url, new RtspHeaders(), { timeoutMs: 1000 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RtspConnectionError);
    expect((error as RtspError).message).toBe(
      'connection closed by 127.0.0.1:8554 during DESCRIBE',
    );
    expect(closedWith).toEqual([undefined]);
    expect(server.last.closed).toBe(true);
    await expect(
      connection.request('OPTIONS', url, new RtspHeaders(), { timeoutMs: 1000 }),
    ).rejects.toBeInstanceOf(RtspConnectionError);
  });

  it('answers requests from the server and routes $ frames, also before the response', async () => {
    const { connection, server, frames } = await open((request, peer) => {
      peer.sendInterleaved(0, new Uint8Array(12));
      peer.send('GET_PARAMETER rtsp://127.0.0.1/cam RTSP/1.0\r\nCSeq: 41\r\n\r\n');
      peer.send('ANNOUNCE rtsp://127.0.0.1/cam RTSP/1.0\r\nCSeq: 42\r\n\r\n');
      peer.sendInterleaved(1, new Uint8Array(8));
      return { status: 200 };
    });
    await connection.request('PLAY', url, new RtspHeaders(), { timeoutMs: 1000 });
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(frames).toEqual([
      { channel: 0, bytes: 12 },
      { channel: 1, bytes: 8 },
    ]);
    expect(server.requests.map((request) => request.method)).toEqual(['PLAY']);
    expect(
      server.last.responses.map((response) => [response.status, response.headers.get('cseq')]),
    ).toEqual([
      [200, '41'],
      [200, '42'],
    ]);
    connection.close();
  });

  it('reports malformed bytes from the server as an RtspProtocolError close', async () => {
    const { connection, closedWith } = await open((_request, peer) => {
      peer.send('\u0000\u0001garbage\r\n\r\n');
      return undefined;
    });
    await expect(
      connection.request('OPTIONS', url, new RtspHeaders(), { timeoutMs: 1000 }),
    ).rejects.toBeInstanceOf(RtspProtocolError);
    expect(closedWith[0]).toBeInstanceOf(RtspProtocolError);
  });

  it('times out with RtspTimeoutError carrying the timeout', async () => {
    const { connection } = await open(() => undefined);
    const error = await connection
      .request('SETUP', url, new RtspHeaders(), { timeoutMs: 30 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RtspTimeoutError);
    expect(error).toMatchObject({
      timeoutMs: 30,
      message: 'SETUP timed out after 30 ms (no response to CSeq 1)',
    });
    connection.close();
  });

  it('reports a response before the $ frames behind it in the same chunk, and before its promise settles', async () => {
    const order: string[] = [];
    const server = new FakeRtspServer((request, connection) => {
      const headers = new RtspHeaders({ CSeq: request.headers.get('cseq') ?? '0' });
      const frame = new Uint8Array([0x24, 0, 0, 2, 0xaa, 0xbb]);
      connection.send(Buffer.concat([serializeResponse({ status: 200, headers }), frame]));
      return undefined;
    });
    const socket = await server.dial();
    const connection = new ControlConnection(
      socket,
      '127.0.0.1:8554',
      {
        onInterleaved: (channel) => order.push(`$${channel}`),
        onResponse: (method, response) => order.push(`${method} ${response.status}`),
        onServerNotice: () => {},
        onClosed: () => {},
      },
      silentLogger,
    );
    await connection
      .request('PLAY', url, new RtspHeaders(), { timeoutMs: 1000 })
      .then(() => order.push('settled'));
    expect(order).toEqual(['PLAY 200', '$0', 'settled']);
    connection.close();
  });
});
