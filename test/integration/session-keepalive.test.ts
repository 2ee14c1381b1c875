import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { RtspSession } from '../../src/session/session.js';
import { cameraScript, sendAudioPacket } from '../unit/session/fake-camera.js';
import { FakeConnection } from '../unit/session/fake-rtsp-server.js';
import { runUntil } from './session-helpers.js';

// mediamtx's session timeout is fixed at 60 s: a tiny RTSP server on 127.0.0.1 announces 2 s instead.
describe('RtspSession keepalive over a real socket', () => {
  const closers: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const close of closers.splice(0)) await close();
  });

  it('keeps a session with Session timeout=2 alive with GET_PARAMETER every second, and sends receiver reports', async () => {
    const connections: FakeConnection[] = [];
    const feeders: NodeJS.Timeout[] = [];
    const server = net.createServer((socket) => {
      const connection = new FakeConnection(socket, cameraScript({ sessionHeader: 'x;timeout=2' }));
      connections.push(connection);
      // One audio packet every 100 ms: media flows, so only the keepalive keeps the RTSP session.
      let index = 0;
      feeders.push(
        setInterval(() => !connection.closed && sendAudioPacket(connection, 0, index++), 100),
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    closers.push(async () => {
      for (const feeder of feeders) clearInterval(feeder);
      await new Promise((resolve) => server.close(resolve));
    });
    const { port } = server.address() as net.AddressInfo;
    const session = new RtspSession(`rtsp://127.0.0.1:${port}/cam`, { video: false });
    const started = Date.now();
    const { events } = await runUntil(session, () => Date.now() - started > 5500);
    const keepalives = connections[0]!.requests.filter(
      (request) => request.method === 'GET_PARAMETER',
    );
    expect(keepalives.length).toBeGreaterThanOrEqual(3);
    expect(keepalives.every((request) => request.headers.get('session') === 'x')).toBe(true);
    expect(
      events.filter((event) => event.type === 'rtsp' && event.method === 'GET_PARAMETER').length,
    ).toBe(keepalives.length);
    expect(events.at(-1)).toMatchObject({ type: 'closed', reason: 'teardown' });
    // RTCP receiver reports every 5 s go out on the track's odd interleaved channel.
    const reports = connections[0]!.interleaved.filter((frame) => frame.channel === 1);
    expect(reports.length).toBeGreaterThanOrEqual(1);
    expect(reports[0]!.data[1]).toBe(201);
  }, 15_000);
});
