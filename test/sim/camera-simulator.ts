/**
 * A scriptable RTSP camera on 127.0.0.1 that misbehaves on command. It is not
 * the embedded file server: it exists to reproduce camera quirks and hostile
 * peers in tests. By default it behaves like a well-mannered camera streaming
 * synthetic H.264 at 25 fps over TCP-interleaved or UDP, with RTCP SRs.
 */
import net from 'node:net';
import dgram from 'node:dgram';
import { createHash } from 'node:crypto';
import { RtspMessageParser } from '../../src/rtsp/parser.js';
import { RtspHeaders } from '../../src/rtsp/headers.js';
import type { RtspRequest } from '../../src/rtsp/message.js';
import { serializeResponse } from '../../src/rtsp/serialize.js';
import { parseTransport, formatTransport } from '../../src/rtsp/transport-header.js';
import { hostileDescribe, hostileMedia, type HostileMode } from './hostile-peer.js';
import { Outbox } from './outbox.js';
import { SimAuthenticator, type SimAuth } from './sim-auth.js';
import {
  newSentCounters,
  SIM_SSRC,
  SimStream,
  type SentCounters,
  type StreamFaults,
} from './sim-stream.js';
import { PPS, SPS } from './synthetic-h264.js';

export type { SimAuth } from './sim-auth.js';
export {
  SIM_PAYLOAD_TYPE,
  SIM_SSRC,
  STRAY_PAYLOAD_TYPE,
  STRAY_SSRC,
  JUMP_AT_FRAME,
} from './sim-stream.js';

export interface SimFaults extends StreamFaults {
  /** Close the connection (FIN) this long after PLAY. */
  closeAfterPlayMs?: number;
  /** Reset the connection (RST) this long after PLAY. */
  resetAfterPlayMs?: number;
  /** Stop sending anything (media and responses) but keep the socket open. */
  halfOpenAfterPlayMs?: number;
  noMedia?: boolean;
  /** Status for requests after PLAY other than TEARDOWN (e.g. 405, 501). */
  keepaliveStatus?: number;
  /** Never answer requests after PLAY (except TEARDOWN), keep streaming. */
  ignoreKeepalives?: boolean;
  /** Send three frames before the PLAY response (TCP). */
  mediaBeforePlayResponse?: boolean;
  /** Write every response one byte per TCP segment. */
  byteAtATime?: boolean;
  /** Put an interleaved RTP frame between two header lines of the PLAY response. */
  interleaveInsideResponse?: boolean;
  /** Answer each SETUP with a different session id. */
  changeSessionIdBetweenSetups?: boolean;
  hostile?: HostileMode;
}

export interface SimOptions {
  faults?: SimFaults;
  auth?: SimAuth;
  /** Listen on this port (default: any free one); a restarted simulator reuses its predecessor's. */
  port?: number;
  /** Session header value for an id (default `${id};timeout=60`). */
  sessionHeader?: (id: string) => string;
  /** RTP-Info header for PLAY; undefined omits it. Default url;seq;rtptime. */
  rtpInfo?: (controlUrl: string, seq: number, rtptime: number) => string | undefined;
  /** Content-Base header for a DESCRIBE of `requestUrl`; null omits it. */
  contentBase?: (requestUrl: string) => string | null;
  /** The SDP (default: one H.264 track with control trackID=0). Media goes to the track set up first. */
  sdp?: () => string;
  /** Public header of OPTIONS. */
  publicMethods?: string;
  gop?: number;
  fps?: number;
  sliceBytes?: number;
  /** Pretend not to support UDP: SETUP with UDP gets 461. */
  tcpOnly?: boolean;
}

export interface RecordedRequest {
  method: string;
  uri: string;
  headers: Record<string, string>;
  at: number;
}

export interface CameraSimulator {
  readonly port: number;
  url(path?: string, credentials?: { user: string; pass: string }): string;
  readonly requests: RecordedRequest[];
  /** What was sent, over all connections. */
  readonly sent: SentCounters;
  /** Connections accepted so far. */
  connectionsAccepted(): number;
  /** Sockets currently open on the server side. */
  openConnections(): number;
  close(): Promise<void>;
}

export function defaultSdp(): string {
  const sprop = `${SPS.toString('base64')},${PPS.toString('base64')}`;
  return [
    'v=0',
    'o=- 1 1 IN IP4 127.0.0.1',
    's=simulated camera',
    'c=IN IP4 0.0.0.0',
    't=0 0',
    'a=control:*',
    'm=video 0 RTP/AVP 96',
    'a=rtpmap:96 H264/90000',
    `a=fmtp:96 packetization-mode=1;profile-level-id=64001e;sprop-parameter-sets=${sprop}`,
    'a=control:trackID=0',
    '',
  ].join('\r\n');
}

interface Connection {
  socket: net.Socket;
  out: Outbox;
  stream: SimStream;
  sessionId: string | undefined;
  setups: number;
  playing: boolean;
  staleSent: boolean;
  timers: NodeJS.Timeout[];
  tick: NodeJS.Timeout | undefined;
}

export async function startCameraSimulator(options: SimOptions = {}): Promise<CameraSimulator> {
  const faults = options.faults ?? {};
  const requests: RecordedRequest[] = [];
  const sent = newSentCounters();
  const connections = new Set<Connection>();
  const auth = options.auth === undefined ? undefined : new SimAuthenticator(options.auth);
  const shape = {
    gop: options.gop ?? 25,
    fps: options.fps ?? 25,
    sliceBytes: options.sliceBytes ?? 3000,
  };
  const udp: [dgram.Socket, dgram.Socket] = [await bindUdp(), await bindUdp()];
  let accepted = 0;

  const server = net.createServer((socket) => {
    accepted++;
    const out = new Outbox(socket, faults.byteAtATime === true);
    const conn: Connection = {
      socket,
      out,
      stream: new SimStream(out, faults, shape, sent),
      sessionId: undefined,
      setups: 0,
      playing: false,
      staleSent: false,
      timers: [],
      tick: undefined,
    };
    connections.add(conn);
    const parser = new RtspMessageParser();
    socket.on('data', (chunk) => {
      parser.push(chunk);
      try {
        for (let m = parser.next(); m; m = parser.next()) if (m.kind === 'request') handle(conn, m);
      } catch {
        socket.destroy();
      }
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      stopConnection(conn);
      connections.delete(conn);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', resolve);
  });
  const port = (server.address() as net.AddressInfo).port;

  function stopConnection(conn: Connection): void {
    for (const timer of conn.timers) clearTimeout(timer);
    clearTimeout(conn.tick);
    conn.playing = false;
  }

  function respond(
    conn: Connection,
    req: RtspRequest,
    status: number,
    headers: RtspHeaders,
    body?: string,
  ): void {
    headers.set('CSeq', req.headers.get('cseq') ?? '0');
    if (conn.sessionId !== undefined && !headers.has('Session')) {
      headers.set(
        'Session',
        options.sessionHeader?.(conn.sessionId) ?? `${conn.sessionId};timeout=60`,
      );
    }
    const bytes = serializeResponse({
      status,
      headers,
      body: body === undefined ? undefined : Buffer.from(body),
    });
    const route = conn.stream.route;
    if (
      req.method === 'PLAY' &&
      faults.interleaveInsideResponse === true &&
      route?.kind === 'interleaved'
    ) {
      // After the status line and the first header line: a writer thread of the camera got in between.
      const text = Buffer.from(bytes);
      const cut = text.indexOf('\r\n', text.indexOf('\r\n') + 2) + 2;
      conn.out.response(text.subarray(0, cut));
      conn.stream.sendFrame();
      conn.out.response(text.subarray(cut));
      return;
    }
    conn.out.response(bytes);
  }

  function handle(conn: Connection, req: RtspRequest): void {
    requests.push({
      method: req.method,
      uri: req.uri,
      headers: req.headers.toRecord(),
      at: performance.now(),
    });
    if (conn.out.silent) return;
    if (conn.playing && req.method !== 'TEARDOWN') {
      if (faults.ignoreKeepalives === true) return;
      if (faults.keepaliveStatus !== undefined)
        return respond(conn, req, faults.keepaliveStatus, new RtspHeaders());
    }
    if (auth !== undefined) {
      const stale = options.auth?.staleAfterPlay === true && conn.playing && !conn.staleSent;
      if (stale) conn.staleSent = true;
      const challenge = auth.check(req, stale);
      if (challenge !== undefined) return respond(conn, req, 401, challenge);
    }
    switch (req.method) {
      case 'OPTIONS':
        return respond(
          conn,
          req,
          200,
          new RtspHeaders({
            Public:
              options.publicMethods ??
              'OPTIONS, DESCRIBE, SETUP, PLAY, PAUSE, TEARDOWN, GET_PARAMETER',
          }),
        );
      case 'DESCRIBE':
        return describe(conn, req);
      case 'SETUP':
        return setup(conn, req);
      case 'PLAY':
        return play(conn, req);
      case 'GET_PARAMETER':
        return respond(conn, req, 200, new RtspHeaders());
      case 'PAUSE':
        stopConnection(conn);
        return respond(conn, req, 200, new RtspHeaders());
      case 'TEARDOWN':
        stopConnection(conn);
        respond(conn, req, 200, new RtspHeaders());
        conn.out.end();
        return;
      default:
        return respond(conn, req, 501, new RtspHeaders());
    }
  }

  function describe(conn: Connection, req: RtspRequest): void {
    if (
      faults.hostile !== undefined &&
      hostileDescribe(faults.hostile, conn.socket, req.headers.get('cseq') ?? '0')
    )
      return;
    const base = options.contentBase ? options.contentBase(req.uri) : req.uri.replace(/\/?$/, '/');
    const headers = new RtspHeaders({ 'Content-Type': 'application/sdp' });
    if (base !== null) headers.set('Content-Base', base);
    respond(conn, req, 200, headers, (options.sdp ?? defaultSdp)());
  }

  function setup(conn: Connection, req: RtspRequest): void {
    const spec = parseTransport(req.headers.get('transport') ?? '')[0];
    if (!spec || (spec.lowerTransport === 'udp' && options.tcpOnly === true))
      return respond(conn, req, 461, new RtspHeaders());
    conn.setups++;
    if (conn.sessionId === undefined || faults.changeSessionIdBetweenSetups === true) {
      conn.sessionId = createHash('md5')
        .update(`${port}-${conn.setups}-${Math.random()}`)
        .digest('hex')
        .slice(0, 12);
    }
    const firstTrack = conn.stream.route === undefined;
    if (spec.lowerTransport === 'tcp') {
      const channels = spec.interleaved ?? [2 * (conn.setups - 1), 2 * (conn.setups - 1) + 1];
      if (firstTrack) conn.stream.route = { kind: 'interleaved', channels };
      return respond(
        conn,
        req,
        200,
        new RtspHeaders({
          Transport: formatTransport({ ...spec, interleaved: channels, ssrc: SIM_SSRC }),
        }),
      );
    }
    const ports = spec.clientPort ?? [0, 0];
    if (firstTrack)
      conn.stream.route = {
        kind: 'udp',
        host: conn.socket.remoteAddress ?? '127.0.0.1',
        ports,
        sockets: udp,
      };
    const serverPort: [number, number] = [udp[0].address().port, udp[1].address().port];
    respond(
      conn,
      req,
      200,
      new RtspHeaders({ Transport: formatTransport({ ...spec, serverPort, ssrc: SIM_SSRC }) }),
    );
  }

  function play(conn: Connection, req: RtspRequest): void {
    const stream = conn.stream;
    if (faults.mediaBeforePlayResponse === true) for (let i = 0; i < 3; i++) stream.sendFrame();
    const control = `${req.uri.replace(/\/$/, '')}/trackID=0`;
    const rtpInfo = options.rtpInfo
      ? options.rtpInfo(control, stream.seq, stream.timestamp)
      : `url=${control};seq=${stream.seq};rtptime=${stream.timestamp}`;
    const headers = new RtspHeaders({ Range: 'npt=0.000-' });
    if (rtpInfo !== undefined) headers.set('RTP-Info', rtpInfo);
    respond(conn, req, 200, headers);
    conn.playing = true;
    const after = (ms: number | undefined, act: () => void): void => {
      if (ms !== undefined) conn.timers.push(setTimeout(act, ms));
    };
    after(faults.closeAfterPlayMs, () => conn.socket.end());
    after(faults.resetAfterPlayMs, () => conn.socket.resetAndDestroy());
    after(faults.halfOpenAfterPlayMs, () => (conn.out.silent = true));
    if (faults.noMedia === true) return;
    const route = stream.route;
    const channel = route?.kind === 'interleaved' ? route.channels[0] : 0;
    if (faults.hostile !== undefined && hostileMedia(faults.hostile, conn.socket, stream, channel))
      return;
    const tick = (): void => {
      if (!conn.playing || conn.socket.destroyed) return;
      stream.sendFrame();
      conn.tick = setTimeout(tick, stream.frameIntervalMs);
    };
    tick();
  }

  return {
    port,
    requests,
    sent,
    url(path = 'cam', credentials) {
      const userinfo = credentials
        ? `${encodeURIComponent(credentials.user)}:${encodeURIComponent(credentials.pass)}@`
        : '';
      return `rtsp://${userinfo}127.0.0.1:${port}/${path}`;
    },
    connectionsAccepted: () => accepted,
    openConnections: () => connections.size,
    async close() {
      for (const conn of connections) {
        stopConnection(conn);
        conn.socket.destroy();
      }
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await Promise.all(
        udp.map((socket) => new Promise<void>((resolve) => socket.close(() => resolve()))),
      );
    },
  };
}

function bindUdp(): Promise<dgram.Socket> {
  return new Promise((resolve, reject) => {
    const socket = dgram.createSocket('udp4');
    socket.once('error', reject);
    socket.bind(0, '127.0.0.1', () => resolve(socket));
  });
}
