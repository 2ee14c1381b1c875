import dgram from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import type { StatsEvent } from '../../../src/events/types.js';
import { serializeRtpPacket } from '../../../src/rtp/packet.js';
import { parseTransport } from '../../../src/rtsp/transport-header.js';
import { RtspSession } from '../../../src/session/session.js';
import {
  CAMERA_URL,
  fakeCamera,
  isPlay,
  methodsOf,
  rest,
  sendAudioPacket,
  until,
} from './fake-camera.js';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function audioPacket(index: number): Uint8Array {
  return serializeRtpPacket(
    { marker: false, payloadType: 0, sequenceNumber: index, timestamp: 160 * index, ssrc: 0x5678 },
    new Uint8Array(160),
  );
}

/** The server's UDP ports, and what the client sent to them. */
class ServerPorts {
  readonly rtp = dgram.createSocket('udp4');
  readonly rtcp = dgram.createSocket('udp4');
  readonly receivedRtp: Buffer[] = [];
  readonly receivedRtcp: Buffer[] = [];
  clientRtpPort = 0;

  async bind(): Promise<void> {
    await new Promise<void>((resolve) => this.rtp.bind(0, '127.0.0.1', resolve));
    await new Promise<void>((resolve) => this.rtcp.bind(0, '127.0.0.1', resolve));
    this.rtp.on('message', (data) => this.receivedRtp.push(data));
    this.rtcp.on('message', (data) => this.receivedRtcp.push(data));
  }

  /** SETUP answer for a UDP offer. */
  answer(transport: string): string {
    const [offer] = parseTransport(transport);
    this.clientRtpPort = offer!.clientPort![0];
    return `${transport};server_port=${this.rtp.address().port}-${this.rtcp.address().port}`;
  }

  send(data: Uint8Array, from: dgram.Socket = this.rtp): void {
    from.send(data, this.clientRtpPort, '127.0.0.1');
  }

  close(): void {
    this.rtp.close();
    this.rtcp.close();
  }
}

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

async function serverPorts(): Promise<ServerPorts> {
  const ports = new ServerPorts();
  await ports.bind();
  cleanups.push(() => ports.close());
  return ports;
}

describe('RtspSession over UDP', () => {
  it('receives RTP on its port pair from the server only, punches holes and leaves no handle behind', async () => {
    const before = process.getActiveResourcesInfo().filter((name) => name !== 'TTYWrap');
    const ports = await serverPorts();
    const stranger = dgram.createSocket('udp4');
    await new Promise<void>((resolve) => stranger.bind(0, '127.0.0.1', resolve));
    cleanups.push(() => stranger.close());
    const camera = fakeCamera({
      override: (r) =>
        r.method === 'SETUP'
          ? {
              status: 200,
              headers: { Session: 's1', Transport: ports.answer(r.headers.get('transport')!) },
            }
          : undefined,
    });
    const session = new RtspSession(CAMERA_URL, {
      connect: camera.connect,
      transport: 'udp',
      video: false,
      statsIntervalMs: 100,
    });
    const iterator = session.events();
    const seen = await until(iterator, isPlay);
    expect(camera.requests.find((r) => r.method === 'SETUP')?.headers.get('transport')).toMatch(
      /^RTP\/AVP;unicast;client_port=\d*[02468]-\d+$/,
    );
    for (let i = 0; i < 5; i++) ports.send(audioPacket(i));
    ports.send(audioPacket(99), stranger);
    // The first packets wait out the reorder window (100 ms): the very first may have been overtaken.
    await until(
      iterator,
      (event) => event.type === 'stats' && event.tracks[0]?.packets === 5,
      seen,
    );
    await session.close();
    const all = await rest(iterator, seen);
    expect(all.filter((event) => event.type === 'audio')).toHaveLength(5);
    const stats = all.filter((event): event is StatsEvent => event.type === 'stats').at(-1);
    expect(stats?.tracks[0]).toMatchObject({ packets: 5, invalid: 1 });
    // Hole punching: an empty RTP packet (header only) and a receiver report (PT 201) toward the server's ports.
    expect(ports.receivedRtp.some((data) => data.length === 12 && data[0] === 0x80)).toBe(true);
    expect(ports.receivedRtcp.some((data) => data[1] === 201)).toBe(true);
    await sleep(20);
    const after = process.getActiveResourcesInfo().filter((name) => name !== 'TTYWrap');
    // The test's own three UDP sockets are still open; the session's are not.
    expect(after.filter((name) => name === 'UDPWrap').length).toBe(
      before.filter((name) => name === 'UDPWrap').length + 3,
    );
    expect(after.filter((name) => name === 'Timeout').length).toBeLessThanOrEqual(
      before.filter((name) => name === 'Timeout').length,
    );
  });

  it('drops the oldest media events when the consumer falls behind, and counts them', async () => {
    const ports = await serverPorts();
    const camera = fakeCamera({
      override: (r) =>
        r.method === 'SETUP'
          ? {
              status: 200,
              headers: { Session: 's1', Transport: ports.answer(r.headers.get('transport')!) },
            }
          : undefined,
    });
    const session = new RtspSession(CAMERA_URL, {
      connect: camera.connect,
      transport: 'udp',
      video: false,
      statsIntervalMs: 150,
      queue: { highWaterMark: 10 },
    });
    const iterator = session.events();
    await until(iterator, isPlay);
    for (let i = 0; i < 40; i++) ports.send(audioPacket(i));
    await sleep(100);
    const seen = await until(iterator, (event) => event.type === 'stats');
    const stats = seen.at(-1) as StatsEvent;
    await session.close();
    await rest(iterator, seen);
    const delivered = seen.filter((event) => event.type === 'rtp' || event.type === 'audio').length;
    expect(stats.tracks[0]!.eventsDropped).toBeGreaterThan(0);
    expect(delivered + stats.tracks[0]!.eventsDropped).toBe(80);
  });
});

describe("RtspSession transport 'auto'", () => {
  it('sets up over TCP on the same connection when UDP gets 461', async () => {
    const camera = fakeCamera({
      override: (r) =>
        r.method === 'SETUP' && !r.headers.get('transport')!.includes('/TCP')
          ? { status: 461, reason: 'Unsupported Transport' }
          : undefined,
    });
    const session = new RtspSession(CAMERA_URL, {
      connect: camera.connect,
      transport: 'auto',
      video: false,
    });
    const iterator = session.events();
    const seen = await until(iterator, isPlay);
    expect(methodsOf(seen)).toEqual([
      'OPTIONS 200',
      'DESCRIBE 200',
      'SETUP 461',
      'SETUP 200',
      'PLAY 200',
    ]);
    expect(seen.find((event) => event.type === 'quirk')).toMatchObject({ quirk: 'udp-fallback' });
    sendAudioPacket(camera.last, 0, 0);
    await until(iterator, (event) => event.type === 'audio', seen);
    expect(camera.connections).toHaveLength(1);
    await session.close();
  });

  it('starts again over TCP on a fresh connection when no RTP arrives over UDP after PLAY', async () => {
    const ports = await serverPorts();
    const camera = fakeCamera({
      override: (r, connection) => {
        if (r.method === 'TEARDOWN' && connection === camera.connections[0]) {
          // Late (the watchdog ticks meanwhile), then the camera hangs up: neither ends the session.
          setTimeout(() => {
            connection.reply(r, { status: 200 });
            connection.end();
          }, 400);
          return 'ignore';
        }
        const transport = r.headers.get('transport');
        if (r.method !== 'SETUP' || transport === undefined || transport.includes('/TCP'))
          return undefined;
        return {
          status: 200,
          headers: { Session: 'udp-session', Transport: ports.answer(transport) },
        };
      },
    });
    const session = new RtspSession(CAMERA_URL, {
      connect: camera.connect,
      transport: 'auto',
      video: false,
      timeoutMs: 1000,
    });
    const iterator = session.events();
    const seen = await until(iterator, isPlay);
    await until(iterator, isPlay, seen);
    expect(methodsOf(seen)).toEqual([
      'OPTIONS 200',
      'DESCRIBE 200',
      'SETUP 200',
      'PLAY 200',
      'TEARDOWN 200',
      'SETUP 200',
      'PLAY 200',
    ]);
    expect(seen.filter((event) => event.type === 'connect')).toHaveLength(2);
    expect(camera.connections[1]!.requests[0]!.headers.get('transport')).toBe(
      'RTP/AVP/TCP;unicast;interleaved=0-1',
    );
    sendAudioPacket(camera.last, 0, 0);
    await until(iterator, (event) => event.type === 'audio', seen);
    await session.close();
  }, 10_000);
});

describe('RtspSession backpressure over TCP', () => {
  it('stops reading the socket while the queue is full and loses nothing', async () => {
    const camera = fakeCamera();
    const session = new RtspSession(CAMERA_URL, {
      connect: camera.connect,
      video: false,
      queue: { highWaterMark: 8 },
    });
    const iterator = session.events();
    await until(iterator, isPlay);
    for (let i = 0; i < 100; i++) sendAudioPacket(camera.last, 0, i);
    await sleep(50);
    expect(camera.clientSockets[0]!.isPaused()).toBe(true);
    const seen = await until(
      iterator,
      (event) => event.type === 'audio' && event.frame.timestamp === 160 * 99,
    );
    expect(camera.clientSockets[0]!.isPaused()).toBe(false);
    expect(
      seen
        .filter((event) => event.type === 'rtp')
        .map((event) => (event.type === 'rtp' ? event.sequenceNumber : -1)),
    ).toEqual(Array.from({ length: 100 }, (_, i) => i));
    await session.close();
  });

  it('still tears down promptly when closed with a full queue', async () => {
    const camera = fakeCamera();
    const session = new RtspSession(CAMERA_URL, {
      connect: camera.connect,
      video: false,
      queue: { highWaterMark: 8 },
    });
    const iterator = session.events();
    await until(iterator, isPlay);
    for (let i = 0; i < 100; i++) sendAudioPacket(camera.last, 0, i);
    await sleep(20);
    const started = performance.now();
    await session.close();
    expect(performance.now() - started).toBeLessThan(1000);
    const events = await rest(iterator);
    expect(methodsOf(events).at(-1)).toBe('TEARDOWN 200');
    expect(events.at(-1)).toMatchObject({ type: 'closed', reason: 'teardown' });
  });
});
