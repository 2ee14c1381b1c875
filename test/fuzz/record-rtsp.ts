/**
 * Records every byte a real RTSP server sends on one TCP connection during
 * OPTIONS, DESCRIBE, SETUP of each track (interleaved), PLAY, streaming and
 * TEARDOWN: here the embedded file server on 127.0.0.1 playing a fixture. The
 * requests are written by hand, so the recording depends on the server alone.
 */
import { connect, type Socket } from 'node:net';
import { RtspMessageParser } from '../../src/rtsp/parser.js';
import type { RtspMessage, RtspResponse } from '../../src/rtsp/message.js';
import { serializeRequest } from '../../src/rtsp/serialize.js';
import { sdpBaseUrl } from '../../src/sdp/control-url.js';
import { parseSdp } from '../../src/sdp/parse.js';
import { serve } from '../../src/server/index.js';

class Connection {
  readonly received: Uint8Array[] = [];
  readonly #parser = new RtspMessageParser();
  readonly #waiting: ((message: RtspResponse) => void)[] = [];
  #cseq = 0;

  constructor(readonly socket: Socket) {
    socket.on('data', (chunk) => {
      this.received.push(Uint8Array.from(chunk));
      this.#parser.push(chunk);
      for (let m: RtspMessage | undefined; (m = this.#parser.next()) !== undefined;)
        if (m.kind === 'response') this.#waiting.shift()?.(m);
    });
  }

  request(
    method: string,
    uri: string,
    headers: Record<string, string> = {},
  ): Promise<RtspResponse> {
    const cseq = String(++this.#cseq);
    this.socket.write(serializeRequest({ method, uri, headers: { CSeq: cseq, ...headers } }));
    return new Promise((resolve) => this.#waiting.push(resolve));
  }
}

/** The server's bytes for a session on `file` (under `root`) that streams for `playMs`. */
export async function recordRtspSession(
  root: string,
  file: string,
  playMs: number,
): Promise<Uint8Array> {
  const server = await serve(root, { host: '127.0.0.1', port: 0 });
  try {
    const url = server.url(file);
    const socket = connect(server.port, '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    const connection = new Connection(socket);
    await connection.request('OPTIONS', url);
    const described = await connection.request('DESCRIBE', url, { Accept: 'application/sdp' });
    const base = sdpBaseUrl(url, described.headers.get('content-base'));
    const { tracks } = parseSdp(new TextDecoder().decode(described.body), base);
    let session: Record<string, string> = {};
    for (const [i, track] of tracks.entries()) {
      const transport = `RTP/AVP/TCP;unicast;interleaved=${2 * i}-${2 * i + 1}`;
      const reply = await connection.request('SETUP', track.control, {
        Transport: transport,
        ...session,
      });
      session = { Session: reply.headers.get('session')!.split(';')[0]! };
    }
    await connection.request('PLAY', url, { ...session, Range: 'npt=0-' });
    await new Promise((resolve) => setTimeout(resolve, playMs));
    await connection.request('TEARDOWN', url, session);
    socket.destroy();
    return Uint8Array.from(Buffer.concat(connection.received));
  } finally {
    await server.close();
  }
}
