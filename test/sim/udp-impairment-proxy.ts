/**
 * An RTSP proxy on 127.0.0.1 that impairs UDP media: it relays the RTSP
 * connection to an upstream server, rewrites the ports in SETUP's Transport
 * headers to its own, and relays RTP/RTCP datagrams with seeded random loss,
 * reordering and duplication. Works in front of mediamtx, the embedded server
 * or the camera simulator; the client dials it with `connectTo`.
 */
import net from 'node:net';
import dgram from 'node:dgram';
import { RtspMessageParser } from '../../src/rtsp/parser.js';
import {
  serializeRequest,
  serializeResponse,
  interleavedHeader,
} from '../../src/rtsp/serialize.js';
import { parseTransport, formatTransport } from '../../src/rtsp/transport-header.js';
import type { RtspMessage } from '../../src/rtsp/message.js';

export interface Impairment {
  /** Probability a server→client datagram is dropped. */
  loss: number;
  /**
   * Probability a datagram is held back and sent after the next one; held at
   * most MAX_HOLD_MS (then sent alone, not counted reordered), so a swap never
   * outlasts a receiver's reorder window between two bursts.
   */
  reorder: number;
  /** Probability a datagram is sent twice. */
  duplicate: number;
  seed: number;
}

export interface ImpairmentStats {
  forwarded: number;
  dropped: number;
  reordered: number;
  duplicated: number;
}

export interface ImpairmentProxy {
  readonly port: number;
  /** Server→client datagrams, per kind. */
  readonly stats: { rtp: ImpairmentStats; rtcp: ImpairmentStats };
  close(): Promise<void>;
}

/** mulberry32: a small seeded PRNG so a failing run can be replayed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function bindUdp(owned: Set<dgram.Socket>): Promise<dgram.Socket> {
  return new Promise((resolve, reject) => {
    const s = dgram.createSocket('udp4');
    s.once('error', reject);
    s.bind(0, '127.0.0.1', () => {
      owned.add(s);
      resolve(s);
    });
  });
}

const portOf = (s: dgram.Socket): number => s.address().port;
const MAX_HOLD_MS = 10;

export async function startImpairmentProxy(
  upstreamPort: number,
  impairment: Impairment,
): Promise<ImpairmentProxy> {
  const random = prng(impairment.seed);
  const newStats = (): ImpairmentStats => ({
    forwarded: 0,
    dropped: 0,
    reordered: 0,
    duplicated: 0,
  });
  const stats = { rtp: newStats(), rtcp: newStats() };
  const udpSockets = new Set<dgram.Socket>();
  const sockets = new Set<net.Socket>();
  const holdTimers = new Set<NodeJS.Timeout>();

  function impaired(
    stats: ImpairmentStats,
    send: (d: Uint8Array) => void,
  ): (d: Uint8Array) => void {
    let held: { data: Uint8Array; timer: NodeJS.Timeout } | undefined;
    const release = (swapped: boolean): void => {
      if (held === undefined) return;
      clearTimeout(held.timer);
      holdTimers.delete(held.timer);
      send(held.data);
      if (swapped) stats.reordered++;
      else stats.forwarded++;
      held = undefined;
    };
    return (data) => {
      if (random() < impairment.loss) {
        stats.dropped++;
        return;
      }
      if (!held && random() < impairment.reorder) {
        const timer = setTimeout(() => release(false), MAX_HOLD_MS);
        holdTimers.add(timer);
        held = { data: Buffer.from(data), timer };
        return;
      }
      send(data);
      stats.forwarded++;
      if (random() < impairment.duplicate) {
        stats.duplicated++;
        send(data);
      }
      release(true);
    };
  }

  const server = net.createServer((client) => {
    const upstream = net.connect(upstreamPort, '127.0.0.1');
    sockets.add(client).add(upstream);
    const fromClient = new RtspMessageParser();
    const fromServer = new RtspMessageParser();
    // Per pending SETUP: the client's ports and our server-facing sockets.
    const pending: { clientPorts: [number, number]; serverFacing: [dgram.Socket, dgram.Socket] }[] =
      [];

    client.on('data', (chunk) => {
      fromClient.push(chunk);
      void drain(fromClient, async (m) => {
        if (m.kind === 'interleaved')
          return upstream.write(
            Buffer.concat([interleavedHeader(m.channel, m.data.length), m.data]),
          );
        if (m.kind !== 'request') return;
        const headers = m.headers;
        const transport = headers.get('transport');
        const spec = transport ? parseTransport(transport)[0] : undefined;
        if (m.method === 'SETUP' && spec?.lowerTransport === 'udp' && spec.clientPort) {
          const serverFacing: [dgram.Socket, dgram.Socket] = [
            await bindUdp(udpSockets),
            await bindUdp(udpSockets),
          ];
          pending.push({ clientPorts: spec.clientPort, serverFacing });
          headers.set(
            'Transport',
            formatTransport({
              ...spec,
              clientPort: [portOf(serverFacing[0]), portOf(serverFacing[1])],
            }),
          );
        }
        upstream.write(serializeRequest({ method: m.method, uri: m.uri, headers, body: m.body }));
      });
    });
    upstream.on('data', (chunk) => {
      fromServer.push(chunk);
      void drain(fromServer, async (m) => {
        if (m.kind === 'interleaved')
          return client.write(Buffer.concat([interleavedHeader(m.channel, m.data.length), m.data]));
        if (m.kind !== 'response') return;
        const transport = m.headers.get('transport');
        const spec = transport ? parseTransport(transport)[0] : undefined;
        if (spec?.lowerTransport === 'udp' && spec.serverPort && pending.length > 0) {
          const { clientPorts, serverFacing } = pending.shift()!;
          const clientFacing: [dgram.Socket, dgram.Socket] = [
            await bindUdp(udpSockets),
            await bindUdp(udpSockets),
          ];
          const serverPorts = spec.serverPort;
          for (const i of [0, 1] as const) {
            const toClient = impaired(i === 0 ? stats.rtp : stats.rtcp, (d) =>
              clientFacing[i].send(d, clientPorts[i], '127.0.0.1'),
            );
            serverFacing[i].on('message', (d) => toClient(d));
            clientFacing[i].on('message', (d) =>
              serverFacing[i].send(d, serverPorts[i], '127.0.0.1'),
            );
          }
          m.headers.set(
            'Transport',
            formatTransport({
              ...spec,
              serverPort: [portOf(clientFacing[0]), portOf(clientFacing[1])],
              source: undefined,
            }),
          );
        }
        client.write(
          serializeResponse({
            status: m.status,
            reason: m.reason,
            headers: m.headers,
            body: m.body,
          }),
        );
      });
    });
    const closeBoth = (): void => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('close', closeBoth).on('error', closeBoth);
    upstream.on('close', closeBoth).on('error', closeBoth);
  });

  // Messages are handled strictly in order, even when a handler awaits a bind.
  const chains = new WeakMap<RtspMessageParser, Promise<void>>();
  function drain(parser: RtspMessageParser, handle: (m: RtspMessage) => unknown): Promise<void> {
    const previous = chains.get(parser) ?? Promise.resolve();
    const next = previous.then(async () => {
      for (let m = parser.next(); m; m = parser.next()) await handle(m);
    });
    chains.set(
      parser,
      next.catch(() => undefined),
    );
    return next;
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return {
    port: typeof address === 'object' && address ? address.port : 0,
    stats,
    async close() {
      for (const timer of holdTimers) clearTimeout(timer);
      for (const s of sockets) s.destroy();
      for (const s of udpSockets) s.close();
      udpSockets.clear();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
